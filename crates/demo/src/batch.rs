//! The records of one unit of generation (the municipalities, or one provider
//! with everything it holds), and how they are written to a store in
//! transactions of a few thousand records, in an order that satisfies every
//! reference.

use crate::{Counts, Progress};
use samvirke_domain::appointment::Appointment;
use samvirke_domain::case::{Case, FamilyMember};
use samvirke_domain::consent::Consent;
use samvirke_domain::decision::{CommitteeDecision, VisitationSuspension};
use samvirke_domain::document::{Document, DocumentVersion, OutboxMessage};
use samvirke_domain::journal::JournalEntry;
use samvirke_domain::organisation::{Absence, Municipality, Provider, Room, Staff};
use samvirke_domain::plan::{ActionPlan, FocusArea};
use samvirke_domain::referral::{Referral, ReferralVersion};
use samvirke_domain::time_entry::TimeEntry;
use samvirke_store::{Store, StoreError, Tx};
use std::sync::atomic::{AtomicU64, Ordering};

/// A referral as it is written: the first version, and any later one whose terms the referral now holds.
#[derive(Debug, Clone)]
pub struct ReferralRecord {
    pub referral: Referral,
    pub first: ReferralVersion,
    pub later: Option<ReferralVersion>,
}

/// A document with all its versions, oldest first.
#[derive(Debug, Clone)]
pub struct DocumentRecord {
    pub document: Document,
    pub versions: Vec<DocumentVersion>,
}

/// Records ready to be written.
#[derive(Debug, Default)]
pub struct Batch {
    pub municipalities: Vec<Municipality>,
    pub providers: Vec<Provider>,
    pub staff: Vec<Staff>,
    pub rooms: Vec<Room>,
    pub absences: Vec<Absence>,
    pub cases: Vec<Case>,
    pub family_members: Vec<FamilyMember>,
    pub referrals: Vec<ReferralRecord>,
    pub decisions: Vec<CommitteeDecision>,
    pub suspensions: Vec<VisitationSuspension>,
    pub consents: Vec<Consent>,
    pub appointments: Vec<Appointment>,
    pub journal: Vec<JournalEntry>,
    pub documents: Vec<DocumentRecord>,
    /// One message per sent document: the version that was sent, as it was sent.
    pub outbox: Vec<OutboxMessage>,
    pub action_plans: Vec<ActionPlan>,
    pub focus_areas: Vec<FocusArea>,
    pub time_entries: Vec<TimeEntry>,
}

impl Batch {
    /// How many of each record the batch holds.
    pub fn counts(&self) -> Counts {
        Counts {
            municipalities: self.municipalities.len() as u64,
            providers: self.providers.len() as u64,
            staff: self.staff.len() as u64,
            rooms: self.rooms.len() as u64,
            absences: self.absences.len() as u64,
            cases: self.cases.len() as u64,
            family_members: self.family_members.len() as u64,
            referrals: self.referrals.len() as u64,
            referral_versions: self.referrals.iter().map(|r| 1 + u64::from(r.later.is_some())).sum(),
            decisions: self.decisions.len() as u64,
            suspensions: self.suspensions.len() as u64,
            consents: self.consents.len() as u64,
            appointments: self.appointments.len() as u64,
            appointments_with_outcome: self.appointments.iter().filter(|a| a.outcome.is_some()).count() as u64,
            journal_entries: self.journal.len() as u64,
            documents: self.documents.len() as u64,
            document_versions: self.documents.iter().map(|d| d.versions.len() as u64).sum(),
            outbox_messages: self.outbox.len() as u64,
            action_plans: self.action_plans.len() as u64,
            focus_areas: self.focus_areas.len() as u64,
            time_entries: self.time_entries.len() as u64,
        }
    }
}

/// Progress shared by the writers: records committed, and what is known of the whole.
pub struct Shared<'a> {
    done: AtomicU64,
    generated: AtomicU64,
    cases_seen: AtomicU64,
    cases_total: u64,
    progress: &'a (dyn Fn(Progress) + Sync),
}

impl<'a> Shared<'a> {
    /// Progress for a data set of `cases_total` cases.
    pub fn new(cases_total: u64, progress: &'a (dyn Fn(Progress) + Sync)) -> Self {
        Self {
            done: AtomicU64::new(0),
            generated: AtomicU64::new(0),
            cases_seen: AtomicU64::new(0),
            cases_total,
            progress,
        }
    }

    /// Counts a generated batch into the estimate of the total.
    pub fn generated(&self, records: u64, cases: u64) {
        self.generated.fetch_add(records, Ordering::Relaxed);
        self.cases_seen.fetch_add(cases, Ordering::Relaxed);
    }

    /// Records expected in all: those generated so far, and as many per case for the cases still to come.
    fn total(&self) -> u64 {
        let generated = self.generated.load(Ordering::Relaxed);
        let seen = self.cases_seen.load(Ordering::Relaxed);
        let left = self.cases_total.saturating_sub(seen);
        let per_case = generated.checked_div(seen).unwrap_or(250);
        generated + left * per_case
    }
}

/// Writes records in transactions of about `limit` records and reports progress after each commit.
pub struct Writer<'a> {
    store: &'a dyn Store,
    tx: Option<Box<dyn Tx>>,
    in_tx: u64,
    limit: u64,
    shared: &'a Shared<'a>,
    stage: &'static str,
}

/// Appointments per `insert_appointments` call.
const APPOINTMENT_CHUNK: usize = 1000;
/// Outbox messages per `insert_outbox_messages` call.
const OUTBOX_CHUNK: usize = 1000;

impl<'a> Writer<'a> {
    /// A writer on a store.
    pub fn new(store: &'a dyn Store, limit: u64, shared: &'a Shared<'a>) -> Self {
        Self { store, tx: None, in_tx: 0, limit, shared, stage: "" }
    }

    async fn tx(&mut self) -> Result<&mut Box<dyn Tx>, StoreError> {
        if self.tx.is_none() {
            self.tx = Some(self.store.begin().await?);
        }
        Ok(self.tx.as_mut().expect("just begun"))
    }

    /// Counts `n` written records and commits once the transaction is full.
    async fn wrote(&mut self, n: u64) -> Result<(), StoreError> {
        self.in_tx += n;
        if self.in_tx >= self.limit {
            self.commit().await?;
        }
        Ok(())
    }

    /// Commits the open transaction, if any, and reports progress.
    pub async fn commit(&mut self) -> Result<(), StoreError> {
        if let Some(tx) = self.tx.take() {
            tx.commit().await?;
            let done = self.shared.done.fetch_add(self.in_tx, Ordering::Relaxed) + self.in_tx;
            self.in_tx = 0;
            let total = self.shared.total().max(done);
            (self.shared.progress)(Progress { done, total, stage: self.stage });
        }
        Ok(())
    }

    /// Writes a batch; references within it and to earlier batches are satisfied by the order.
    pub async fn write(&mut self, b: &Batch, stage: &'static str) -> Result<(), StoreError> {
        self.stage = stage;
        for m in &b.municipalities {
            self.tx().await?.insert_municipality(m).await?;
            self.wrote(1).await?;
        }
        for p in &b.providers {
            self.tx().await?.insert_provider(p).await?;
            self.wrote(1).await?;
        }
        for s in &b.staff {
            self.tx().await?.insert_staff(s).await?;
            self.wrote(1).await?;
        }
        for r in &b.rooms {
            self.tx().await?.insert_room(r).await?;
            self.wrote(1).await?;
        }
        for a in &b.absences {
            self.tx().await?.insert_absence(a).await?;
            self.wrote(1).await?;
        }
        for c in &b.cases {
            self.tx().await?.insert_case(c).await?;
            self.wrote(1).await?;
        }
        for m in &b.family_members {
            self.tx().await?.insert_family_member(m).await?;
            self.wrote(1).await?;
        }
        for r in &b.referrals {
            let tx = self.tx().await?;
            match &r.later {
                None => tx.insert_referral(&r.referral, &r.first).await?,
                Some(later) => {
                    let mut first = r.referral.clone();
                    first.terms = r.first.terms.clone();
                    first.terms_version = 1;
                    tx.insert_referral(&first, &r.first).await?;
                    first.terms = later.terms.clone();
                    first.terms_version = later.version;
                    tx.add_referral_version(&mut first, later).await?;
                }
            }
            self.wrote(1 + u64::from(r.later.is_some())).await?;
        }
        for d in &b.decisions {
            self.tx().await?.insert_decision(d).await?;
            self.wrote(1).await?;
        }
        for s in &b.suspensions {
            self.tx().await?.insert_suspension(s).await?;
            self.wrote(1).await?;
        }
        for c in &b.consents {
            let tx = self.tx().await?;
            match c.withdrawn_at {
                // A withdrawal goes through the store's own path, as in the application.
                Some(at) => {
                    let given = samvirke_domain::consent::Consent { withdrawn_at: None, ..c.clone() };
                    tx.insert_consent(&given).await?;
                    tx.withdraw_consent(c.id, at).await?;
                }
                None => tx.insert_consent(c).await?,
            }
            self.wrote(1).await?;
        }
        for chunk in b.appointments.chunks(APPOINTMENT_CHUNK) {
            self.tx().await?.insert_appointments(chunk).await?;
            self.wrote(chunk.len() as u64).await?;
        }
        for e in &b.journal {
            self.tx().await?.insert_journal_entry(e).await?;
            self.wrote(1).await?;
        }
        for d in &b.documents {
            let tx = self.tx().await?;
            let mut doc = d.document.clone();
            doc.current_version = 1;
            tx.insert_document(&doc, &d.versions[0]).await?;
            for v in &d.versions[1..] {
                doc.current_version = v.version;
                tx.add_document_version(&mut doc, v).await?;
            }
            self.wrote(d.versions.len() as u64).await?;
        }
        for chunk in b.outbox.chunks(OUTBOX_CHUNK) {
            self.tx().await?.insert_outbox_messages(chunk).await?;
            self.wrote(chunk.len() as u64).await?;
        }
        for p in &b.action_plans {
            self.tx().await?.insert_action_plan(p).await?;
            self.wrote(1).await?;
        }
        for f in &b.focus_areas {
            self.tx().await?.insert_focus_area(f).await?;
            self.wrote(1).await?;
        }
        for t in &b.time_entries {
            self.tx().await?.insert_time_entry(t).await?;
            self.wrote(1).await?;
        }
        Ok(())
    }
}
