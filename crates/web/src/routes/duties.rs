//! Documentation duties: what is to be written, for which referral (and
//! visit), by when, as the domain's `duties` computes them with the
//! provider's settings.

use super::prelude::*;
use crate::facts::{all_appointments, all_documents, all_referrals};
use jiff::civil::Date;
use samvirke_domain::documentation::{DutyKind, duties};
use samvirke_domain::referral::ReferralState;
use samvirke_store::{AppointmentFilter, DocumentFilter, ReferralFilter};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// The tag of these routes.
pub const TAG: &str = "duties";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// Whose duties, on which day.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DutyQuery {
    /// The provider (required).
    #[param(required = true, value_type = ProviderId)]
    pub provider_id: Option<String>,
    /// The day that decides what is overdue (default today, in Copenhagen).
    #[param(value_type = Option<String>, format = Date)]
    pub today: Option<String>,
    /// Only this case (of the provider).
    #[param(value_type = Option<CaseId>)]
    pub case_id: Option<String>,
}

/// A document that is due.
#[derive(Debug, Serialize, ToSchema)]
pub struct DutyView {
    /// What is to be written.
    pub kind: DutyKind,
    /// The case.
    pub case_id: CaseId,
    /// The referral.
    pub referral_id: ReferralId,
    /// The visit a description is due for.
    pub appointment_id: Option<AppointmentId>,
    /// The document being written for it, if one is started.
    pub document_id: Option<DocumentId>,
    /// The last day to send it.
    #[schema(value_type = String, format = Date)]
    pub due: Date,
    /// True when the due day has passed.
    pub overdue: bool,
    /// The rule that makes it due.
    pub rule: samvirke_domain::rules::Rule,
}

/// What is due
///
/// For each open referral (accepted, active, ending) of the provider: the
/// written descriptions due after visits (in Danish working days), the next
/// status letter by the provider's cadence, and the closing letter. Soonest
/// due first; `overdue` when the due day has passed.
#[utoipa::path(get, path = "/duties", tag = TAG, params(DutyQuery), responses((status = 200, body = Paged<DutyView>)))]
async fn list(State(app): State<AppState>, Query(q): Query<DutyQuery>) -> ApiResult<Json<Paged<DutyView>>> {
    let mut v = Validator::new();
    let provider: Option<ProviderId> = v.check("provider_id", parse::id(&q.provider_id));
    let today = v.check("today", parse::opt_date(&q.today));
    let case: Option<Option<CaseId>> = v.check("case_id", parse::opt_id(&q.case_id));
    let mut tx = app.read().await?;
    known(&mut v, &mut *tx, "provider_id", provider).await?;
    // A case is looked for only within a provider, whose duties the access check let the user read.
    if provider.is_some()
        && let Some(c) = known(&mut v, &mut *tx, "case_id", case.flatten()).await?
        && Some(c.provider_id) != provider
    {
        v.push("case_id", Problem::UnknownRecord);
    }
    v.finish()?;
    let (provider, today) = (provider.expect("checked"), today.flatten().unwrap_or_else(parse::today));
    let settings = tx.documentation_settings(provider).await?;
    let open = ReferralFilter {
        provider: Some(provider),
        case: case.flatten(),
        states: vec![ReferralState::Accepted, ReferralState::Active, ReferralState::Ending],
        ..ReferralFilter::default()
    };
    // One read per referral for its appointments and documents (and one per case for the family
    // and consents): fine for a provider's workload, to be replaced by provider-wide reads.
    let mut families = HashMap::new();
    let mut out = Vec::new();
    for referral in all_referrals(&mut *tx, &open).await? {
        if let Entry::Vacant(slot) = families.entry(referral.case_id) {
            slot.insert((tx.family_members(referral.case_id).await?, tx.consents(referral.case_id).await?));
        }
        let (members, consents) = &families[&referral.case_id];
        let appointments =
            all_appointments(&mut *tx, &AppointmentFilter { referral: Some(referral.id), ..Default::default() })
                .await?;
        let documents =
            all_documents(&mut *tx, &DocumentFilter { referral: Some(referral.id), ..Default::default() }).await?;
        out.extend(duties(&referral, members, consents, &appointments, &documents, &settings, today));
    }
    out.sort_by_key(|d| (d.due, d.referral_id, d.appointment_id));
    let items = out
        .into_iter()
        .map(|d| DutyView {
            kind: d.kind,
            case_id: d.case_id,
            referral_id: d.referral_id,
            appointment_id: d.appointment_id,
            document_id: d.document_id,
            due: d.due,
            overdue: d.overdue,
            rule: d.rule,
        })
        .collect();
    Ok(Json(Paged::all(items)))
}
