//! Consents: given and withdrawn over time, by a named person, for a named
//! purpose. A withdrawal takes effect from its moment and never rewrites history.

use super::prelude::*;
use samvirke_domain::consent::{Consent, ConsentGiver, ConsentPurpose};

/// The tag of these routes.
pub const TAG: &str = "consents";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get_one)).routes(routes!(withdraw))
}

/// A consent given.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConsentInput {
    /// The referral it concerns, if tied to one order.
    #[schema(value_type = Option<ReferralId>)]
    pub referral_id: Option<String>,
    /// Who consented.
    #[schema(required = true)]
    pub giver: Option<GiverInput>,
    /// For what.
    #[schema(required = true, value_type = ConsentPurpose)]
    pub purpose: Option<String>,
    /// When it was given (default now; it may have been given earlier, e.g. at a meeting).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub given_at: Option<String>,
    /// Staff who records it.
    #[schema(required = true, value_type = StaffId)]
    pub recorded_by: Option<String>,
    /// How it was given (in writing, orally at a meeting).
    pub note: Option<String>,
}

/// Who gave a consent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct GiverInput {
    /// `child` or `family_member`.
    #[schema(required = true, example = "family_member")]
    pub kind: Option<String>,
    /// For `family_member`: a family member of the case.
    #[schema(value_type = Option<FamilyMemberId>)]
    pub family_member_id: Option<String>,
}

impl Parse for GiverInput {
    type Output = ConsentGiver;
    fn parse(&self) -> Result<ConsentGiver, ValidationErrors> {
        let mut v = Validator::new();
        let giver = match v.check("kind", parse::word(&self.kind)).as_deref() {
            Some("child") => Some(ConsentGiver::Child),
            Some("family_member") => {
                v.check("family_member_id", parse::id(&self.family_member_id)).map(ConsentGiver::FamilyMember)
            }
            Some(_) => {
                v.push("kind", Problem::NotAllowed);
                None
            }
            None => None,
        };
        v.build(|| giver.unwrap())
    }
}

/// The consents of a case
///
/// By time given, withdrawn ones included.
#[utoipa::path(get, path = "/cases/{id}/consents", tag = TAG, params(("id" = CaseId, Path), PageQuery), responses((status = 200, body = Paged<Consent>)))]
async fn list(
    State(app): State<AppState>,
    Path(case): Path<CaseId>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Paged<Consent>>> {
    let page = q.parse()?;
    let mut tx = app.read().await?;
    tx.case(case).await?;
    Ok(Json(Paged::from_all(tx.consents(case).await?, page, |c| c.id.uuid())))
}

/// Record a consent
#[utoipa::path(post, path = "/cases/{id}/consents", tag = TAG, params(("id" = CaseId, Path)), request_body = ConsentInput, responses((status = 201, body = Consent)))]
async fn create(
    State(app): State<AppState>,
    Path(case): Path<CaseId>,
    Json(input): Json<ConsentInput>,
) -> ApiResult<Created<Consent>> {
    let mut v = Validator::new();
    let referral_id: Option<Option<ReferralId>> = v.check("referral_id", parse::opt_id(&input.referral_id));
    let giver = v.object("giver", &input.giver);
    let purpose = v.check("purpose", parse::code(&input.purpose));
    let given_at = v.check("given_at", parse::opt_timestamp(&input.given_at)).map(|t| t.unwrap_or_else(parse::now));
    let recorded_by: Option<StaffId> = v.check("recorded_by", parse::id(&input.recorded_by));
    let note = v.check("note", parse::opt_text(&input.note));

    let mut tx = app.write().await?;
    tx.case(case).await?;
    known_in_case(&mut v, &mut *tx, "referral_id", referral_id.flatten(), case).await?;
    if let Some(ConsentGiver::FamilyMember(member)) = giver {
        known_in_case(&mut v, &mut *tx, "giver.family_member_id", Some(member), case).await?;
    }
    known(&mut v, &mut *tx, "recorded_by", recorded_by).await?;
    let consent = v.build(|| Consent {
        id: ConsentId::new(),
        case_id: case,
        referral_id: referral_id.unwrap(),
        giver: giver.unwrap(),
        purpose: purpose.unwrap(),
        given_at: given_at.unwrap(),
        withdrawn_at: None,
        recorded_by: recorded_by.unwrap(),
        note: note.unwrap(),
    })?;
    tx.insert_consent(&consent).await?;
    tx.commit().await?;
    Ok(created(consent))
}

/// One consent
#[utoipa::path(get, path = "/consents/{id}", tag = TAG, params(("id" = ConsentId, Path)), responses((status = 200, body = Consent)))]
async fn get_one(State(app): State<AppState>, Path(id): Path<ConsentId>) -> ApiResult<Json<Consent>> {
    Ok(Json(app.read().await?.consent(id).await?))
}

/// Withdraw a consent
///
/// Takes effect now; the time it was in force stays on record.
#[utoipa::path(post, path = "/consents/{id}/withdraw", tag = TAG, params(("id" = ConsentId, Path)), responses(
    (status = 200, body = Consent),
    (status = 409, description = "The consent was already withdrawn (`already_withdrawn`).", body = ErrorBody),
))]
async fn withdraw(State(app): State<AppState>, Path(id): Path<ConsentId>) -> ApiResult<Json<Consent>> {
    let mut tx = app.write().await?;
    let mut consent = tx.consent(id).await?;
    if consent.withdrawn_at.is_some() {
        return Err(ApiError::Conflict(ConflictKind::AlreadyWithdrawn));
    }
    let at = parse::now().max(consent.given_at);
    tx.withdraw_consent(id, at).await?;
    tx.commit().await?;
    consent.withdrawn_at = Some(at);
    Ok(Json(consent))
}
