//! Persistence for Samvirke: the [`Store`] trait every backend implements, its
//! error type, and the conformance suite that every backend must pass.
//!
//! All work happens inside a transaction ([`Tx`]). A transaction that is
//! dropped without [`Tx::commit`] is rolled back, so a request that fails half
//! way leaves nothing behind. Writes use optimistic concurrency: mutable
//! records carry a `revision`, and an update based on an older revision is
//! refused with [`Conflict::StaleRevision`].

pub mod conformance;
mod error;
mod filters;

pub use error::{Conflict, StoreError};
pub use filters::*;

use async_trait::async_trait;
use samvirke_domain::appointment::Appointment;
use samvirke_domain::case::{Case, FamilyMember};
use samvirke_domain::consent::Consent;
use samvirke_domain::cpr::Cpr;
use samvirke_domain::decision::{CommitteeDecision, VisitationSuspension};
use samvirke_domain::document::{Document, DocumentVersion};
use samvirke_domain::journal::JournalEntry;
use samvirke_domain::organisation::{Absence, Municipality, Provider, Room, Staff};
use samvirke_domain::plan::{ActionPlan, FocusArea};
use samvirke_domain::referral::{Referral, ReferralVersion};
use samvirke_domain::time::TimeRange;
use samvirke_domain::time_entry::TimeEntry;
use samvirke_domain::user::{User, Username};
use samvirke_domain::*;

/// Sorts records by name in Danish alphabetical order, as every list "by name" is
/// returned. Done in Rust rather than by a database collation so that both
/// engines give exactly the same order.
pub fn sort_by_danish_name<T>(mut items: Vec<T>, name: impl Fn(&T) -> &str) -> Vec<T> {
    items.sort_by(|a, b| samvirke_domain::text::danish_cmp(name(a), name(b)));
    items
}

/// Result of a store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database engine is behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default.
    Sqlite,
    /// For deployments with several app instances.
    Postgres,
}

/// A database holding Samvirke's records.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// The engine.
    fn backend(&self) -> Backend;

    /// Brings the schema up to date. Safe to run on every start and from several instances at once.
    async fn migrate(&self) -> Result<()>;

    /// Answers when the database is reachable and migrated.
    async fn ping(&self) -> Result<()>;

    /// Starts a read-write transaction. On SQLite it takes the write lock at
    /// once, which serialises check-then-write sequences such as booking.
    async fn begin(&self) -> Result<Box<dyn Tx>>;

    /// Starts a read-only transaction: a consistent snapshot, no writes.
    async fn begin_read(&self) -> Result<Box<dyn Tx>>;
}

/// A transaction. Dropped without commit, it rolls back.
#[async_trait]
pub trait Tx: Send {
    /// Makes every write of the transaction durable.
    async fn commit(self: Box<Self>) -> Result<()>;

    // --- Municipalities and providers ---

    /// Adds a municipality. [`Conflict::Duplicate`] if the code is taken.
    async fn insert_municipality(&mut self, m: &Municipality) -> Result<()>;
    /// One municipality.
    async fn municipality(&mut self, id: MunicipalityId) -> Result<Municipality>;
    /// All municipalities, by code.
    async fn municipalities(&mut self) -> Result<Vec<Municipality>>;
    /// Adds a provider with the municipalities it serves.
    async fn insert_provider(&mut self, p: &Provider) -> Result<()>;
    /// One provider.
    async fn provider(&mut self, id: ProviderId) -> Result<Provider>;
    /// All providers, by name in Danish order ([`samvirke_domain::text::danish_cmp`]).
    async fn providers(&mut self) -> Result<Vec<Provider>>;

    // --- Staff, absences and rooms ---

    /// Adds a member of staff.
    async fn insert_staff(&mut self, s: &Staff) -> Result<()>;
    /// Replaces a member of staff's record (no revision: staff records are edited by admins only).
    async fn update_staff(&mut self, s: &Staff) -> Result<()>;
    /// One member of staff.
    async fn staff(&mut self, id: StaffId) -> Result<Staff>;
    /// Staff matching the filter, by name in Danish order.
    async fn list_staff(&mut self, filter: &StaffFilter) -> Result<Vec<Staff>>;
    /// Adds an absence.
    async fn insert_absence(&mut self, a: &Absence) -> Result<()>;
    /// Removes an absence.
    async fn delete_absence(&mut self, id: AbsenceId) -> Result<()>;
    /// Absences overlapping `during`, optionally of one person, by start.
    async fn absences(&mut self, staff: Option<StaffId>, during: TimeRange) -> Result<Vec<Absence>>;
    /// Adds a room.
    async fn insert_room(&mut self, r: &Room) -> Result<()>;
    /// Replaces a room's record.
    async fn update_room(&mut self, r: &Room) -> Result<()>;
    /// One room.
    async fn room(&mut self, id: RoomId) -> Result<Room>;
    /// The rooms of a provider, by name in Danish order.
    async fn rooms(&mut self, provider: ProviderId) -> Result<Vec<Room>>;

    // --- Cases and families ---

    /// Adds a case. [`Conflict::Duplicate`] if the provider already has an open case for the same CPR number.
    async fn insert_case(&mut self, c: &Case) -> Result<()>;
    /// Saves a changed case; on success `c.revision` is incremented.
    async fn update_case(&mut self, c: &mut Case) -> Result<()>;
    /// One case.
    async fn case(&mut self, id: CaseId) -> Result<Case>;
    /// Cases matching the filter, in creation order.
    async fn cases(&mut self, filter: &CaseFilter, page: Page) -> Result<Vec<Case>>;
    /// Counts the cases matching the filter.
    async fn count_cases(&mut self, filter: &CaseFilter) -> Result<u64>;
    /// The cases of a provider for a child, found by CPR number (newest first).
    async fn cases_by_cpr(&mut self, provider: ProviderId, cpr: &Cpr) -> Result<Vec<Case>>;
    /// Adds a family member.
    async fn insert_family_member(&mut self, m: &FamilyMember) -> Result<()>;
    /// Replaces a family member's record.
    async fn update_family_member(&mut self, m: &FamilyMember) -> Result<()>;
    /// One family member.
    async fn family_member(&mut self, id: FamilyMemberId) -> Result<FamilyMember>;
    /// The family members of a case, by name in Danish order.
    async fn family_members(&mut self, case: CaseId) -> Result<Vec<FamilyMember>>;

    // --- Referrals ---

    /// Adds a referral with its first version of terms.
    async fn insert_referral(&mut self, r: &Referral, first: &ReferralVersion) -> Result<()>;
    /// Saves a changed referral (state, assignments, rejection); `r.revision` is incremented.
    async fn update_referral(&mut self, r: &mut Referral) -> Result<()>;
    /// Saves new terms as a new version; `r.terms`, `r.terms_version` must already
    /// hold the new version, and `r.revision` is incremented.
    async fn add_referral_version(&mut self, r: &mut Referral, v: &ReferralVersion) -> Result<()>;
    /// One referral.
    async fn referral(&mut self, id: ReferralId) -> Result<Referral>;
    /// Referrals matching the filter, in creation (id) order, whatever their `received_at`.
    async fn referrals(&mut self, filter: &ReferralFilter, page: Page) -> Result<Vec<Referral>>;
    /// All versions of a referral's terms, oldest first.
    async fn referral_versions(&mut self, id: ReferralId) -> Result<Vec<ReferralVersion>>;

    // --- Decisions, suspensions and consents ---

    /// Adds a committee decision.
    async fn insert_decision(&mut self, d: &CommitteeDecision) -> Result<()>;
    /// The decisions of a case, by start of period.
    async fn decisions(&mut self, case: CaseId) -> Result<Vec<CommitteeDecision>>;
    /// Adds a suspension of visitation.
    async fn insert_suspension(&mut self, s: &VisitationSuspension) -> Result<()>;
    /// The suspensions of a case, by start of period.
    async fn suspensions(&mut self, case: CaseId) -> Result<Vec<VisitationSuspension>>;
    /// Adds a consent.
    async fn insert_consent(&mut self, c: &Consent) -> Result<()>;
    /// Records a withdrawal. [`Conflict::AlreadyWithdrawn`] if it already was.
    async fn withdraw_consent(&mut self, id: ConsentId, at: jiff::Timestamp) -> Result<()>;
    /// One consent.
    async fn consent(&mut self, id: ConsentId) -> Result<Consent>;
    /// The consents of a case, by time given.
    async fn consents(&mut self, case: CaseId) -> Result<Vec<Consent>>;

    // --- Appointments ---

    /// Adds an appointment.
    async fn insert_appointment(&mut self, a: &Appointment) -> Result<()>;
    /// Adds many appointments at once (series, demo data).
    async fn insert_appointments(&mut self, a: &[Appointment]) -> Result<()>;
    /// Saves a changed appointment; `a.revision` is incremented.
    async fn update_appointment(&mut self, a: &mut Appointment) -> Result<()>;
    /// Removes a planned appointment (before it has an outcome).
    async fn delete_appointment(&mut self, id: AppointmentId) -> Result<()>;
    /// One appointment.
    async fn appointment(&mut self, id: AppointmentId) -> Result<Appointment>;
    /// Appointments matching the filter, by planned start then id; `limit` is clamped to 1–[`Page::MAX`].
    async fn appointments(&mut self, filter: &AppointmentFilter, limit: u32) -> Result<Vec<Appointment>>;

    // --- Journal ---

    /// Adds a journal entry.
    async fn insert_journal_entry(&mut self, e: &JournalEntry) -> Result<()>;
    /// The journal of a case, newest first (by id, descending); `page.after` continues below that id.
    async fn journal(&mut self, case: CaseId, page: Page) -> Result<Vec<JournalEntry>>;

    // --- Documents ---

    /// Adds a document with its first version.
    async fn insert_document(&mut self, d: &Document, first: &DocumentVersion) -> Result<()>;
    /// Saves a changed document (state); `d.revision` is incremented.
    async fn update_document(&mut self, d: &mut Document) -> Result<()>;
    /// Adds a version; `d.current_version` must already be the new number, and `d.revision` is incremented.
    async fn add_document_version(&mut self, d: &mut Document, v: &DocumentVersion) -> Result<()>;
    /// Replaces the family comment on a version.
    async fn set_family_comment(
        &mut self,
        id: DocumentId,
        version: u32,
        comment: Option<&samvirke_domain::text::LongText>,
    ) -> Result<()>;
    /// One document.
    async fn document(&mut self, id: DocumentId) -> Result<Document>;
    /// Documents matching the filter, in creation order.
    async fn documents(&mut self, filter: &DocumentFilter, page: Page) -> Result<Vec<Document>>;
    /// All versions of a document, oldest first.
    async fn document_versions(&mut self, id: DocumentId) -> Result<Vec<DocumentVersion>>;

    // --- Plans ---

    /// Adds a parent action plan.
    async fn insert_action_plan(&mut self, p: &ActionPlan) -> Result<()>;
    /// Saves a changed plan; `p.revision` is incremented.
    async fn update_action_plan(&mut self, p: &mut ActionPlan) -> Result<()>;
    /// One plan.
    async fn action_plan(&mut self, id: ActionPlanId) -> Result<ActionPlan>;
    /// The plans of a case, in creation order.
    async fn action_plans(&mut self, case: CaseId) -> Result<Vec<ActionPlan>>;
    /// Adds a focus area.
    async fn insert_focus_area(&mut self, f: &FocusArea) -> Result<()>;
    /// Replaces a focus area's record.
    async fn update_focus_area(&mut self, f: &FocusArea) -> Result<()>;
    /// One focus area.
    async fn focus_area(&mut self, id: FocusAreaId) -> Result<FocusArea>;
    /// The focus areas of a case, by start.
    async fn focus_areas(&mut self, case: CaseId) -> Result<Vec<FocusArea>>;

    // --- Hours ---

    /// Registers time.
    async fn insert_time_entry(&mut self, t: &TimeEntry) -> Result<()>;
    /// Removes a registration.
    async fn delete_time_entry(&mut self, id: TimeEntryId) -> Result<()>;
    /// The registrations of a referral, by date.
    async fn time_entries(&mut self, referral: ReferralId) -> Result<Vec<TimeEntry>>;
    /// Total minutes registered on a referral.
    async fn minutes_registered(&mut self, referral: ReferralId) -> Result<u64>;

    // --- Users ---

    /// Adds a user account with its password hash. [`Conflict::Duplicate`] if the username is taken.
    async fn insert_user(&mut self, u: &User, password_hash: &str) -> Result<()>;
    /// One user.
    async fn user(&mut self, id: UserId) -> Result<User>;
    /// A user and their password hash, by username.
    async fn user_credentials(&mut self, username: &Username) -> Result<(User, String)>;
    /// All users, by username.
    async fn users(&mut self) -> Result<Vec<User>>;
}
