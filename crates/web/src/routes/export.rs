//! The export of everything held about a case's child and family, as one
//! machine-readable JSON file (the right of access and to data portability,
//! GDPR art. 15 and 20), for the admin who answers such requests.

use super::prelude::*;
use crate::facts::{all_appointments, all_documents, all_referrals};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use samvirke_domain::appointment::Appointment;
use samvirke_domain::audit::AuditEvent;
use samvirke_domain::case::{Case, FamilyMember};
use samvirke_domain::consent::Consent;
use samvirke_domain::decision::{CommitteeDecision, VisitationSuspension};
use samvirke_domain::document::{Document, DocumentVersion, OutboxMessage};
use samvirke_domain::journal::JournalEntry;
use samvirke_domain::plan::{ActionPlan, FocusArea};
use samvirke_domain::referral::{Referral, ReferralVersion};
use samvirke_domain::time_entry::TimeEntry;
use samvirke_store::{AppointmentFilter, DocumentFilter, OutboxFilter, Page, ReferralFilter};

/// The tag of these routes.
pub const TAG: &str = "export";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export))
}

/// A referral with the versions of its terms.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedReferral {
    /// The referral.
    pub referral: Referral,
    /// Every version of its terms, oldest first.
    pub versions: Vec<ReferralVersion>,
}

/// A document with its versions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedDocument {
    /// The document.
    pub document: Document,
    /// Every version, oldest first.
    pub versions: Vec<DocumentVersion>,
}

/// An entry of the audit log about the case.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedAuditEntry {
    /// Its position in the log.
    pub seq: u64,
    /// What happened.
    #[serde(flatten)]
    pub event: AuditEvent,
}

/// Everything held about a case's child and family.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseExport {
    /// The format of this file.
    #[schema(example = "samvirke-case-export-v1")]
    pub format: &'static str,
    /// When it was made.
    pub exported_at: jiff::Timestamp,
    /// The case: the child and the placement. The CPR number is masked, as everywhere.
    pub case: Case,
    /// The family and network.
    pub family_members: Vec<FamilyMember>,
    /// The referrals and their terms.
    pub referrals: Vec<ExportedReferral>,
    /// Consents given and withdrawn.
    pub consents: Vec<Consent>,
    /// Committee decisions.
    pub decisions: Vec<CommitteeDecision>,
    /// Suspensions of visitation.
    pub suspensions: Vec<VisitationSuspension>,
    /// Appointments and how they went.
    pub appointments: Vec<Appointment>,
    /// The journal, newest first.
    pub journal: Vec<JournalEntry>,
    /// Documents and their versions.
    pub documents: Vec<ExportedDocument>,
    /// What was sent to the caseworker, newest first.
    pub outbox: Vec<OutboxMessage>,
    /// Parent action plans.
    pub action_plans: Vec<ActionPlan>,
    /// Focus areas.
    pub focus_areas: Vec<FocusArea>,
    /// Hours registered on the referrals.
    pub time_entries: Vec<TimeEntry>,
    /// The audit log's entries about the case, newest first (before this export's own).
    pub audit_log: Vec<ExportedAuditEntry>,
}

/// Export everything about a case
///
/// One JSON file (`Content-Disposition: attachment`) of everything held about
/// the case's child and family, for a data-protection access request. For the
/// admin of the case's provider; recorded in the audit log as an export.
#[utoipa::path(get, path = "/cases/{id}/export", tag = TAG, params(("id" = CaseId, Path)), responses(
    (status = 200, body = CaseExport, description = "The file.", headers(("content-disposition" = String, description = "attachment; filename=\"samvirke-case-<id>.json\""))),
))]
async fn export(State(app): State<AppState>, Path(id): Path<CaseId>) -> ApiResult<Response> {
    let mut tx = app.read().await?;
    let case = tx.case(id).await?;
    let family_members = tx.family_members(id).await?;
    let mut referrals = Vec::new();
    let mut time_entries = Vec::new();
    for referral in all_referrals(&mut *tx, &ReferralFilter { case: Some(id), ..ReferralFilter::default() }).await? {
        let versions = tx.referral_versions(referral.id).await?;
        time_entries.extend(tx.time_entries(referral.id).await?);
        referrals.push(ExportedReferral { referral, versions });
    }
    let mut documents = Vec::new();
    for document in all_documents(&mut *tx, &DocumentFilter { case: Some(id), ..DocumentFilter::default() }).await? {
        let versions = tx.document_versions(document.id).await?;
        documents.push(ExportedDocument { document, versions });
    }
    let mut journal: Vec<JournalEntry> = Vec::new();
    loop {
        let after = journal.last().map(|e| e.id.uuid());
        let batch = tx.journal(id, Page { limit: Page::MAX, after }).await?;
        let full = batch.len() == Page::MAX as usize;
        journal.extend(batch);
        if !full {
            break;
        }
    }
    let mut outbox: Vec<OutboxMessage> = Vec::new();
    loop {
        let filter = OutboxFilter { case: Some(id), before: outbox.last().map(|m| m.id), ..OutboxFilter::default() };
        let batch = tx.outbox(&filter, Page::MAX).await?;
        let full = batch.len() == Page::MAX as usize;
        outbox.extend(batch);
        if !full {
            break;
        }
    }
    let mut audit_log: Vec<ExportedAuditEntry> = Vec::new();
    loop {
        let batch = tx.audit_for_case(id, audit_log.last().map(|e| e.seq), Page::MAX).await?;
        let full = batch.len() == Page::MAX as usize;
        audit_log.extend(batch.into_iter().map(|e| ExportedAuditEntry { seq: e.seq, event: e.event }));
        if !full {
            break;
        }
    }
    let export = CaseExport {
        format: "samvirke-case-export-v1",
        exported_at: parse::now(),
        family_members,
        referrals,
        consents: tx.consents(id).await?,
        decisions: tx.decisions(id).await?,
        suspensions: tx.suspensions(id).await?,
        appointments: all_appointments(&mut *tx, &AppointmentFilter { case: Some(id), ..AppointmentFilter::default() })
            .await?,
        journal,
        documents,
        outbox,
        action_plans: tx.action_plans(id).await?,
        focus_areas: tx.focus_areas(id).await?,
        time_entries,
        audit_log,
        case,
    };
    let body = serde_json::to_vec_pretty(&export).map_err(|_| ApiError::Internal)?;
    Ok((
        [
            (CONTENT_TYPE, "application/json".to_string()),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"samvirke-case-{id}.json\"")),
        ],
        body,
    )
        .into_response())
}
