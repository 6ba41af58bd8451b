//! What the domain's rules need to know, read from the store.
//!
//! The rules are pure functions of records ([`CaseRules`], [`ReportContext`]);
//! a handler loads the records here, in its own transaction, and asks the
//! domain. Nothing here decides anything.

use crate::error::ApiResult;
use jiff::Timestamp;
use samvirke_domain::appointment::{Appointment, CaseRules};
use samvirke_domain::case::{Case, FamilyMember};
use samvirke_domain::consent::Consent;
use samvirke_domain::decision::{CommitteeDecision, VisitationSuspension};
use samvirke_domain::document::{Document, DocumentVersion, ReportAction, ReportContext};
use samvirke_domain::referral::Referral;
use samvirke_domain::{CaseId, ReferralId};
use samvirke_store::{AppointmentFilter, CaseFilter, DocumentFilter, Page, ReferralFilter, StoreError, Tx};
use std::collections::HashMap;
use uuid::Uuid;

/// A case with everything the rules ask about it: the family, consents,
/// committee decisions and suspensions.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    /// The case (the child, the placement).
    pub case: Case,
    /// The family.
    pub members: Vec<FamilyMember>,
    /// Every consent, withdrawn ones included.
    pub consents: Vec<Consent>,
    /// Every committee decision.
    pub decisions: Vec<CommitteeDecision>,
    /// Every suspension of visitation.
    pub suspensions: Vec<VisitationSuspension>,
}

impl CaseFacts {
    /// Reads the case and what belongs to it.
    pub async fn load(tx: &mut dyn Tx, case: CaseId) -> ApiResult<Self> {
        Ok(Self {
            case: tx.case(case).await?,
            members: tx.family_members(case).await?,
            consents: tx.consents(case).await?,
            decisions: tx.decisions(case).await?,
            suspensions: tx.suspensions(case).await?,
        })
    }

    /// The rules of an appointment of one of the case's referrals.
    pub fn rules<'a>(&'a self, referral: &'a Referral) -> CaseRules<'a> {
        CaseRules {
            child: &self.case.child,
            referral,
            members: &self.members,
            consents: &self.consents,
            decisions: &self.decisions,
            suspensions: &self.suspensions,
        }
    }
}

/// A document's referral, visit and current version: with its [`CaseFacts`],
/// what a [`ReportContext`] is made of.
#[derive(Debug, Clone)]
pub struct DocumentFacts {
    /// The referral reported on.
    pub referral: Referral,
    /// The visit a written description describes.
    pub appointment: Option<Appointment>,
    /// The current version.
    pub version: DocumentVersion,
}

impl DocumentFacts {
    /// Reads the referral, the visit and the current version of a document.
    pub async fn load(tx: &mut dyn Tx, document: &Document) -> ApiResult<Self> {
        let referral = tx.referral(document.referral_id).await?;
        Self::load_with(tx, document, referral).await
    }

    /// Like [`DocumentFacts::load`], with the referral already read.
    pub async fn load_with(tx: &mut dyn Tx, document: &Document, referral: Referral) -> ApiResult<Self> {
        let appointment = match document.appointment_id {
            Some(id) => Some(tx.appointment(id).await?),
            None => None,
        };
        let version = tx
            .document_versions(document.id)
            .await?
            .into_iter()
            .find(|v| v.version == document.current_version)
            .ok_or_else(|| StoreError::corrupt("documents.current_version", "no such version"))?;
        Ok(Self { referral, appointment, version })
    }

    /// The context the report rules judge in.
    pub fn context<'a>(&'a self, case: &'a CaseFacts, now: Timestamp) -> ReportContext<'a> {
        ReportContext {
            case: &case.case,
            referral: &self.referral,
            members: &case.members,
            consents: &case.consents,
            appointment: self.appointment.as_ref(),
            version: &self.version,
            now,
        }
    }
}

/// The actions a document offers now, as the domain decides them.
pub fn document_actions(
    document: &Document,
    case: &CaseFacts,
    facts: &DocumentFacts,
    now: Timestamp,
) -> Vec<ReportAction> {
    document.allowed_actions(&facts.context(case, now))
}

/// Case facts read once per case, for lists that judge many records.
#[derive(Default)]
pub struct CaseFactsCache {
    cases: HashMap<CaseId, CaseFacts>,
    referrals: HashMap<ReferralId, Referral>,
}

impl CaseFactsCache {
    /// The facts of a case, read on first use.
    pub async fn case(&mut self, tx: &mut dyn Tx, id: CaseId) -> ApiResult<&CaseFacts> {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.cases.entry(id) {
            slot.insert(CaseFacts::load(tx, id).await?);
        }
        Ok(&self.cases[&id])
    }

    /// A referral, read on first use.
    pub async fn referral(&mut self, tx: &mut dyn Tx, id: ReferralId) -> ApiResult<&Referral> {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.referrals.entry(id) {
            slot.insert(tx.referral(id).await?);
        }
        Ok(&self.referrals[&id])
    }
}

/// Reads every page of a list the store pages by id.
macro_rules! every_page {
    ($tx:expr, $method:ident, $filter:expr) => {{
        let mut all = Vec::new();
        let mut page = Page::first(Page::MAX);
        loop {
            let batch = $tx.$method($filter, page).await?;
            let full = batch.len() == page.limit as usize;
            let last: Option<Uuid> = batch.last().map(|r| r.id.uuid());
            all.extend(batch);
            match last {
                Some(last) if full => page = Page::after(Page::MAX, last),
                _ => break,
            }
        }
        Ok(all)
    }};
}

/// Every case matching the filter.
pub async fn all_cases(tx: &mut dyn Tx, filter: &CaseFilter) -> ApiResult<Vec<Case>> {
    every_page!(tx, cases, filter)
}

/// Every referral matching the filter.
pub async fn all_referrals(tx: &mut dyn Tx, filter: &ReferralFilter) -> ApiResult<Vec<Referral>> {
    every_page!(tx, referrals, filter)
}

/// Every document matching the filter.
pub async fn all_documents(tx: &mut dyn Tx, filter: &DocumentFilter) -> ApiResult<Vec<Document>> {
    every_page!(tx, documents, filter)
}

/// Every appointment matching the filter (which pages by planned start and id).
pub async fn all_appointments(tx: &mut dyn Tx, filter: &AppointmentFilter) -> ApiResult<Vec<Appointment>> {
    let mut filter = filter.clone();
    let mut all: Vec<Appointment> = Vec::new();
    loop {
        let batch = tx.appointments(&filter, Page::MAX).await?;
        let full = batch.len() == Page::MAX as usize;
        filter.after = batch.last().map(|a| (a.planned.start, a.id));
        all.extend(batch);
        if !full {
            return Ok(all);
        }
    }
}
