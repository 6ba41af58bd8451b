//! Suspensions of visitation decided by the municipality (BL § 104, stk. 5),
//! possibly at the child's request (BL § 103, stk. 2).

use super::prelude::*;
use super::referrals::PeriodInput;
use samvirke_domain::decision::VisitationSuspension;
use samvirke_domain::visitation::check_suspension;

/// The tag of these routes.
pub const TAG: &str = "suspensions";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create))
}

/// A suspension of visitation.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SuspensionInput {
    /// The window in which no visits are planned or held.
    #[schema(required = true)]
    pub period: Option<PeriodInput>,
    /// The date of the decision.
    #[schema(required = true, value_type = String, format = Date)]
    pub decided_on: Option<String>,
    /// The child asked for it (default false).
    pub requested_by_child: Option<bool>,
    /// Notes.
    pub note: Option<String>,
}

/// Suspensions of visitation in a case
///
/// By start of period.
#[utoipa::path(get, path = "/cases/{id}/suspensions", tag = TAG, params(("id" = CaseId, Path), PageQuery), responses((status = 200, body = Paged<VisitationSuspension>)))]
async fn list(
    State(app): State<AppState>,
    Path(case): Path<CaseId>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Paged<VisitationSuspension>>> {
    let page = q.parse()?;
    let mut tx = app.read().await?;
    tx.case(case).await?;
    Ok(Json(Paged::from_all(tx.suspensions(case).await?, page, |s| s.id.uuid())))
}

/// Record a suspension of visitation
///
/// At most 8 weeks at a time (BL § 104, stk. 5).
#[utoipa::path(post, path = "/cases/{id}/suspensions", tag = TAG, params(("id" = CaseId, Path)), request_body = SuspensionInput, responses(
    (status = 201, body = VisitationSuspension),
    (status = 409, description = "The period is longer than 8 weeks (`rule`: `suspension_at_most_8_weeks`).", body = ErrorBody),
))]
async fn create(
    State(app): State<AppState>,
    Path(case): Path<CaseId>,
    Json(input): Json<SuspensionInput>,
) -> ApiResult<Created<VisitationSuspension>> {
    let mut v = Validator::new();
    let period = v.object("period", &input.period);
    let decided_on = v.check("decided_on", parse::date(&input.decided_on));
    let note = v.check("note", parse::opt_text(&input.note));
    let mut tx = app.write().await?;
    tx.case(case).await?;
    let suspension = v.build(|| VisitationSuspension {
        id: SuspensionId::new(),
        case_id: case,
        period: period.unwrap(),
        decided_on: decided_on.unwrap(),
        requested_by_child: input.requested_by_child.unwrap_or(false),
        note: note.unwrap(),
        recorded_at: parse::now(),
    })?;
    check_suspension(&suspension.period)?;
    tx.insert_suspension(&suspension).await?;
    tx.commit().await?;
    Ok(created(suspension))
}
