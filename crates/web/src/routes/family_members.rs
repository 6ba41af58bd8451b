//! The child's family and network, and the roles they play in the case.

use super::prelude::*;
use samvirke_domain::case::{FamilyMember, FamilyRole, Relation};

/// The tag of these routes.
pub const TAG: &str = "family-members";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get_one, update))
}

/// A member of the child's family or network, new or changed.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FamilyMemberInput {
    /// Full name.
    #[schema(required = true, value_type = String)]
    pub name: Option<String>,
    /// Relation to the child.
    #[schema(required = true, value_type = Relation)]
    pub relation: Option<String>,
    /// Roles in the case (custody holder, visiting parent, network member, caregiver).
    #[schema(value_type = Vec<FamilyRole>)]
    pub roles: Option<Vec<String>>,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail (notifications carry a link, never case content).
    pub email: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// The address is protected and is never shown to other family members (default false).
    pub address_protected: Option<bool>,
}

impl FamilyMemberInput {
    /// The record, with the given ids.
    pub fn parse(&self, id: FamilyMemberId, case_id: CaseId) -> Result<FamilyMember, ValidationErrors> {
        let mut v = Validator::new();
        let name = v.check("name", parse::text(&self.name));
        let relation = v.check("relation", parse::code(&self.relation));
        let roles = v.values("roles", &self.roles, parse::code);
        let phone = v.check("phone", parse::opt_text(&self.phone));
        let email = v.check("email", parse::opt_email(&self.email));
        let address = v.check("address", parse::opt_text(&self.address));
        v.build(|| FamilyMember {
            id,
            case_id,
            name: name.unwrap(),
            relation: relation.unwrap(),
            roles: FamilyMember::normalise_roles(roles.unwrap()),
            phone: phone.unwrap(),
            email: email.unwrap(),
            address: address.unwrap(),
            address_protected: self.address_protected.unwrap_or(false),
        })
    }
}

/// The family of a case
///
/// By name.
#[utoipa::path(get, path = "/cases/{id}/family-members", tag = TAG, params(("id" = CaseId, Path), PageQuery), responses((status = 200, body = Paged<FamilyMember>)))]
async fn list(
    State(app): State<AppState>,
    Path(case): Path<CaseId>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Paged<FamilyMember>>> {
    let page = q.parse()?;
    let mut tx = app.read().await?;
    tx.case(case).await?;
    Ok(Json(Paged::from_all(tx.family_members(case).await?, page, |m| m.id.uuid())))
}

/// Add a family member to a case
#[utoipa::path(post, path = "/cases/{id}/family-members", tag = TAG, params(("id" = CaseId, Path)), request_body = FamilyMemberInput, responses((status = 201, body = FamilyMember)))]
async fn create(
    State(app): State<AppState>,
    Path(case): Path<CaseId>,
    Json(input): Json<FamilyMemberInput>,
) -> ApiResult<Created<FamilyMember>> {
    let mut tx = app.write().await?;
    tx.case(case).await?;
    let member = input.parse(FamilyMemberId::new(), case)?;
    tx.insert_family_member(&member).await?;
    tx.commit().await?;
    Ok(created(member))
}

/// One family member
#[utoipa::path(get, path = "/family-members/{id}", tag = TAG, params(("id" = FamilyMemberId, Path)), responses((status = 200, body = FamilyMember)))]
async fn get_one(State(app): State<AppState>, Path(id): Path<FamilyMemberId>) -> ApiResult<Json<FamilyMember>> {
    Ok(Json(app.read().await?.family_member(id).await?))
}

/// Change a family member
///
/// Replaces the record (family members carry no revision).
#[utoipa::path(put, path = "/family-members/{id}", tag = TAG, params(("id" = FamilyMemberId, Path)), request_body = FamilyMemberInput, responses((status = 200, body = FamilyMember)))]
async fn update(
    State(app): State<AppState>,
    Path(id): Path<FamilyMemberId>,
    Json(input): Json<FamilyMemberInput>,
) -> ApiResult<Json<FamilyMember>> {
    let mut tx = app.write().await?;
    let current = tx.family_member(id).await?;
    let member = input.parse(id, current.case_id)?;
    tx.update_family_member(&member).await?;
    tx.commit().await?;
    Ok(Json(member))
}
