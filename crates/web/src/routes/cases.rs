//! Cases: one child and their family at one provider.
//!
//! The child's CPR number travels in request bodies only, never in a URL or a
//! query string (those end up in proxies' and browsers' logs); looking a child
//! up by CPR number is therefore a `POST` to `/cases/search`. Every answer
//! carries the number masked, as the domain serialises it.

use super::family_members::FamilyMemberInput;
use super::prelude::*;
use samvirke_domain::case::{Case, CaseReference, Child, FamilyMember, PlacementKind, PlacementSetting};
use samvirke_domain::cpr::Cpr;
use samvirke_store::{CaseFilter, Page};

/// The tag of these routes.
pub const TAG: &str = "cases";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get_one, update)).routes(routes!(search))
}

/// A new case, with the child and, if known at intake, the family.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CaseInput {
    /// The provider delivering.
    #[schema(required = true, value_type = ProviderId)]
    pub provider_id: Option<String>,
    /// The ordering municipality (one the provider serves).
    #[schema(required = true, value_type = MunicipalityId)]
    pub municipality_id: Option<String>,
    /// The child.
    #[schema(required = true)]
    pub child: Option<ChildInput>,
    /// Where the child lives when placed; absent when the child lives at home.
    pub placement: Option<PlacementInput>,
    /// The date the case opens (default today).
    #[schema(value_type = Option<String>, format = Date)]
    pub opened_on: Option<String>,
    /// The family and network, added with the case in the same transaction.
    pub family_members: Option<Vec<FamilyMemberInput>>,
}

/// The child.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChildInput {
    /// Full name.
    #[schema(required = true, value_type = String)]
    pub name: Option<String>,
    /// CPR number, `DDMMYY-SSSS` or ten digits. Answers show it masked.
    #[schema(required = true, value_type = String, example = "010215-4123")]
    pub cpr: Option<String>,
}

impl Parse for ChildInput {
    type Output = Child;
    fn parse(&self) -> Result<Child, ValidationErrors> {
        let mut v = Validator::new();
        let name = v.check("name", parse::text(&self.name));
        let cpr = v.check("cpr", Cpr::parse(self.cpr.as_deref().unwrap_or("")));
        v.build(|| Child { name: name.unwrap(), cpr: cpr.unwrap() })
    }
}

/// The placement setting of a child in care.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PlacementInput {
    /// Kind of placement.
    #[schema(required = true, value_type = PlacementKind)]
    pub kind: Option<String>,
    /// Name, e.g. a foster family's surname or an institution's name.
    #[schema(required = true, value_type = String)]
    pub name: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// The committee has decided the address is kept secret from the parents (default false).
    pub address_secret: Option<bool>,
    /// The caregiver the practitioner talks with.
    pub caregiver_name: Option<String>,
    /// The caregiver's phone.
    pub caregiver_phone: Option<String>,
}

impl Parse for PlacementInput {
    type Output = PlacementSetting;
    fn parse(&self) -> Result<PlacementSetting, ValidationErrors> {
        let mut v = Validator::new();
        let kind = v.check("kind", parse::code(&self.kind));
        let name = v.check("name", parse::text(&self.name));
        let address = v.check("address", parse::opt_text(&self.address));
        let caregiver_name = v.check("caregiver_name", parse::opt_text(&self.caregiver_name));
        let caregiver_phone = v.check("caregiver_phone", parse::opt_text(&self.caregiver_phone));
        v.build(|| PlacementSetting {
            kind: kind.unwrap(),
            name: name.unwrap(),
            address: address.unwrap(),
            address_secret: self.address_secret.unwrap_or(false),
            caregiver_name: caregiver_name.unwrap(),
            caregiver_phone: caregiver_phone.unwrap(),
        })
    }
}

/// Which cases to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// At this provider.
    #[param(value_type = Option<ProviderId>)]
    pub provider_id: Option<String>,
    /// Ordered by this municipality.
    #[param(value_type = Option<MunicipalityId>)]
    pub municipality_id: Option<String>,
    /// With a referral or appointment this member of staff is assigned to.
    #[param(value_type = Option<StaffId>)]
    pub staff_id: Option<String>,
    /// Only cases not closed (`true`/`false`, default false).
    #[param(value_type = Option<bool>)]
    pub open_only: Option<String>,
}

/// List cases
///
/// In creation order; only the cases the signed-in user may see.
#[utoipa::path(get, path = "/cases", tag = TAG, params(CaseQuery, PageQuery), responses((status = 200, body = Paged<Case>)))]
async fn list(
    State(app): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Query(q): Query<CaseQuery>,
    Query(p): Query<PageQuery>,
) -> ApiResult<Json<Paged<Case>>> {
    let mut v = Validator::new();
    let provider = v.check("provider_id", parse::opt_id(&q.provider_id));
    let municipality = v.check("municipality_id", parse::opt_id(&q.municipality_id));
    let staff = v.check("staff_id", parse::opt_id(&q.staff_id));
    let open_only = v.check("open_only", parse::flag(&q.open_only));
    let page = p.page(&mut v);
    let filter = v.build(|| CaseFilter {
        provider: provider.unwrap(),
        municipality: municipality.unwrap(),
        staff: staff.unwrap(),
        open_only: open_only.unwrap(),
    })?;
    let page = page.expect("checked");
    let mut seen = Visibility::new(actor);
    let belongs = seen.belongs();
    let (Some(provider), Some(municipality)) =
        (narrow(filter.provider, belongs.provider), narrow(filter.municipality, belongs.municipality))
    else {
        return Ok(Json(Paged::all(vec![])));
    };
    let filter = CaseFilter { provider, municipality, ..filter };
    let mut tx = app.read().await?;
    let mut items = Vec::new();
    let mut after = page.after;
    loop {
        let batch = tx.cases(&filter, Page { limit: page.limit, after }).await?;
        let full = batch.len() == page.limit as usize;
        for case in batch {
            after = Some(case.id.uuid());
            if seen.may(&mut *tx, Action::ListCases, case.id).await? {
                items.push(case);
                if items.len() == page.limit as usize {
                    return Ok(Json(Paged::cut(items, page.limit, |c| c.id.to_string())));
                }
            }
        }
        if !full {
            return Ok(Json(Paged::all(items)));
        }
    }
}

/// Open a case
///
/// The body carries the child's CPR number; the answer shows it masked. Family
/// members given here are added in the same transaction: if one cannot be
/// stored, neither is the case.
#[utoipa::path(post, path = "/cases", tag = TAG, request_body = CaseInput, responses(
    (status = 201, body = Case),
    (status = 409, description = "The provider already has an open case for this child (`duplicate`).", body = ErrorBody),
))]
async fn create(State(app): State<AppState>, Json(input): Json<CaseInput>) -> ApiResult<Created<Case>> {
    let mut v = Validator::new();
    let provider_id: Option<ProviderId> = v.check("provider_id", parse::id(&input.provider_id));
    let municipality_id: Option<MunicipalityId> = v.check("municipality_id", parse::id(&input.municipality_id));
    let child = v.object("child", &input.child);
    let placement = v.opt_object("placement", &input.placement);
    let opened_on = v.check("opened_on", parse::opt_date(&input.opened_on)).map(|d| d.unwrap_or_else(parse::today));
    let id = CaseId::new();
    let members: Vec<Option<FamilyMember>> = input
        .family_members
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, m)| v.nested(&parse::at("family_members", i), m.parse(FamilyMemberId::new(), id)))
        .collect();

    let mut tx = app.write().await?;
    let provider = known(&mut v, &mut *tx, "provider_id", provider_id).await?;
    let municipality = known(&mut v, &mut *tx, "municipality_id", municipality_id).await?;
    if let (Some(provider), Some(municipality)) = (&provider, &municipality)
        && !provider.municipalities.contains(&municipality.id)
    {
        v.push("municipality_id", Problem::NotAllowed);
    }
    let case = v.build(|| Case {
        id,
        reference: CaseReference::from_id(id),
        provider_id: provider_id.unwrap(),
        municipality_id: municipality_id.unwrap(),
        child: child.unwrap(),
        placement: placement.unwrap(),
        opened_on: opened_on.unwrap(),
        closed_on: None,
        created_at: parse::now(),
        revision: 1,
    })?;
    tx.insert_case(&case).await?;
    for member in members.into_iter().flatten() {
        tx.insert_family_member(&member).await?;
    }
    tx.commit().await?;
    Ok(created(case))
}

/// One case
#[utoipa::path(get, path = "/cases/{id}", tag = TAG, params(("id" = CaseId, Path)), responses((status = 200, body = Case)))]
async fn get_one(State(app): State<AppState>, Path(id): Path<CaseId>) -> ApiResult<Json<Case>> {
    Ok(Json(app.read().await?.case(id).await?))
}

/// A change of a case.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CaseUpdateInput {
    /// The revision the change is based on; refused with 409 if someone changed the case since.
    #[schema(required = true, value_type = u32)]
    pub revision: Option<i64>,
    /// The child's name (the CPR number is never changed: it identifies the child).
    #[schema(required = true, value_type = String)]
    pub child_name: Option<String>,
    /// Where the child lives; absent when the child lives at home.
    pub placement: Option<PlacementInput>,
    /// The date the case was closed; absent while it is open.
    #[schema(value_type = Option<String>, format = Date)]
    pub closed_on: Option<String>,
}

/// Change a case
///
/// Replaces the child's name, the placement and the closing date.
#[utoipa::path(put, path = "/cases/{id}", tag = TAG, params(("id" = CaseId, Path)), request_body = CaseUpdateInput, responses(
    (status = 200, body = Case),
    (status = 409, description = "Someone else changed the case since `revision` (`stale_revision`); reload it.", body = ErrorBody),
))]
async fn update(
    State(app): State<AppState>,
    Path(id): Path<CaseId>,
    Json(input): Json<CaseUpdateInput>,
) -> ApiResult<Json<Case>> {
    let mut v = Validator::new();
    let revision = v.check("revision", parse::number(&input.revision, 0u32, u32::MAX));
    let name = v.check("child_name", parse::text(&input.child_name));
    let placement = v.opt_object("placement", &input.placement);
    let closed_on = v.check("closed_on", parse::opt_date(&input.closed_on));
    let mut tx = app.write().await?;
    let mut case = tx.case(id).await?;
    if let Some(Some(closed)) = closed_on {
        v.check("closed_on", samvirke_domain::time::DateRange::new(case.opened_on, closed));
    }
    v.finish()?;
    check_revision(case.revision, revision.unwrap())?;
    case.child.name = name.unwrap();
    case.placement = placement.unwrap();
    case.closed_on = closed_on.unwrap();
    tx.update_case(&mut case).await?;
    tx.commit().await?;
    Ok(Json(case))
}

/// A lookup by CPR number.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CaseSearchInput {
    /// The provider whose cases to search.
    #[schema(required = true, value_type = ProviderId)]
    pub provider_id: Option<String>,
    /// The child's CPR number.
    #[schema(required = true, value_type = String, example = "010215-4123")]
    pub cpr: Option<String>,
}

/// Find a child's cases by CPR number
///
/// A `POST` so that the number travels in the body, never in a URL. Newest
/// first; only the cases the signed-in user may see.
#[utoipa::path(post, path = "/cases/search", tag = TAG, request_body = CaseSearchInput, responses((status = 200, body = Paged<Case>)))]
async fn search(
    State(app): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Json(input): Json<CaseSearchInput>,
) -> ApiResult<Json<Paged<Case>>> {
    let mut v = Validator::new();
    let provider = v.check("provider_id", parse::id(&input.provider_id));
    let cpr = v.check("cpr", Cpr::parse(input.cpr.as_deref().unwrap_or("")));
    let mut tx = app.read().await?;
    known(&mut v, &mut *tx, "provider_id", provider).await?;
    v.finish()?;
    let mut seen = Visibility::new(actor);
    let mut items = Vec::new();
    for case in tx.cases_by_cpr(provider.unwrap(), &cpr.unwrap()).await? {
        if seen.may(&mut *tx, Action::ListCases, case.id).await? {
            items.push(case);
        }
    }
    Ok(Json(Paged::all(items)))
}
