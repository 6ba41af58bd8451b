//! Decisions of the Children and Youth Committee (Børne- og Ungeudvalget):
//! supervised visitation or cut-off contact, for a period (BL § 105).

use super::prelude::*;
use super::referrals::PeriodInput;
use samvirke_domain::decision::{CommitteeDecision, DecisionKind, SupervisionGround};
use samvirke_domain::visitation::expiring_decisions;
use samvirke_store::CaseFilter;

/// The tag of these routes.
pub const TAG: &str = "decisions";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(expiring))
}

/// A decision of the committee.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionInput {
    /// What was decided.
    #[schema(required = true, value_type = DecisionKind)]
    pub kind: Option<String>,
    /// Grounds (at least one).
    #[schema(required = true, value_type = Vec<SupervisionGround>)]
    pub grounds: Option<Vec<String>>,
    /// The period the decision is valid for.
    #[schema(required = true)]
    pub period: Option<PeriodInput>,
    /// The date of the decision.
    #[schema(required = true, value_type = String, format = Date)]
    pub decided_on: Option<String>,
    /// Notes.
    pub note: Option<String>,
}

/// The committee's decisions in a case
///
/// By start of period.
#[utoipa::path(get, path = "/cases/{id}/decisions", tag = TAG, params(("id" = CaseId, Path), PageQuery), responses((status = 200, body = Paged<CommitteeDecision>)))]
async fn list(
    State(app): State<AppState>,
    Path(case): Path<CaseId>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Paged<CommitteeDecision>>> {
    let page = q.parse()?;
    let mut tx = app.read().await?;
    tx.case(case).await?;
    Ok(Json(Paged::from_all(tx.decisions(case).await?, page, |d| d.id.uuid())))
}

/// Record a decision of the committee
#[utoipa::path(post, path = "/cases/{id}/decisions", tag = TAG, params(("id" = CaseId, Path)), request_body = DecisionInput, responses((status = 201, body = CommitteeDecision)))]
async fn create(
    State(app): State<AppState>,
    Path(case): Path<CaseId>,
    Json(input): Json<DecisionInput>,
) -> ApiResult<Created<CommitteeDecision>> {
    let mut v = Validator::new();
    let kind = v.check("kind", parse::code(&input.kind));
    let grounds = v.values("grounds", &input.grounds, parse::code);
    if input.grounds.as_ref().is_none_or(Vec::is_empty) {
        v.push("grounds", Problem::Required);
    }
    let period = v.object("period", &input.period);
    let decided_on = v.check("decided_on", parse::date(&input.decided_on));
    let note = v.check("note", parse::opt_text(&input.note));
    let mut tx = app.write().await?;
    tx.case(case).await?;
    let decision = v.build(|| {
        let mut grounds: Vec<SupervisionGround> = grounds.unwrap();
        grounds.sort();
        grounds.dedup();
        CommitteeDecision {
            id: DecisionId::new(),
            case_id: case,
            kind: kind.unwrap(),
            grounds,
            period: period.unwrap(),
            decided_on: decided_on.unwrap(),
            note: note.unwrap(),
            recorded_at: parse::now(),
        }
    })?;
    tx.insert_decision(&decision).await?;
    tx.commit().await?;
    Ok(created(decision))
}

/// Whose decisions, on which day.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExpiringQuery {
    /// The provider (required).
    #[param(required = true, value_type = ProviderId)]
    pub provider_id: Option<String>,
    /// The day to look ahead from (default today, in Copenhagen).
    #[param(value_type = Option<String>, format = Date)]
    pub today: Option<String>,
}

/// Decisions about to expire
///
/// The provider's supervised-visitation decisions that expire within its
/// `decision_warning_days` of `today` and are not followed by a renewal
/// (`decision_expiry_warning`), soonest first; only those of cases whose
/// decisions the signed-in user may read.
#[utoipa::path(get, path = "/decisions/expiring", tag = TAG, params(ExpiringQuery), responses((status = 200, body = Paged<CommitteeDecision>)))]
async fn expiring(
    State(app): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Query(q): Query<ExpiringQuery>,
) -> ApiResult<Json<Paged<CommitteeDecision>>> {
    let mut v = Validator::new();
    let provider: Option<ProviderId> = v.check("provider_id", parse::id(&q.provider_id));
    let today = v.check("today", parse::opt_date(&q.today));
    let mut tx = app.read().await?;
    known(&mut v, &mut *tx, "provider_id", provider).await?;
    v.finish()?;
    let (provider, today) = (provider.expect("checked"), today.flatten().unwrap_or_else(parse::today));
    let warn_days = tx.documentation_settings(provider).await?.decision_warning_days();
    let mut out = Vec::new();
    let mut seen = Visibility::new(actor);
    let cases = CaseFilter { provider: Some(provider), ..CaseFilter::default() };
    for case in crate::facts::all_cases(&mut *tx, &cases).await? {
        if !seen.may(&mut *tx, Action::ReadConsentsAndDecisions, case.id).await? {
            continue;
        }
        let decisions = tx.decisions(case.id).await?;
        out.extend(expiring_decisions(&decisions, today, warn_days).into_iter().cloned());
    }
    out.sort_by_key(|d| (d.period.end, d.id));
    Ok(Json(Paged::all(out)))
}
