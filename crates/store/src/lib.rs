//! Persistence for Samvirke: the [`Store`] trait every backend implements, its
//! error type, and the conformance suite that every backend must pass.
//!
//! All work happens inside a transaction ([`Tx`]). A transaction that is
//! dropped without [`Tx::commit`] is rolled back, so a request that fails half
//! way leaves nothing behind. Writes use optimistic concurrency: mutable
//! records carry a `revision`, and an update based on an older revision is
//! refused with [`Conflict::StaleRevision`]. What was sent to a caseworker is
//! final: an outbox message, a sent document's sending time and its versions
//! are never changed, and every backend refuses it with [`Conflict::Immutable`].
//!
//! # Security and privacy
//!
//! The store keeps sessions, password-reset tokens and the sign-in state of
//! each account (as hashes and counters, never the secrets; see [`security`]),
//! and the audit log. [`Tx::append_audit`] writes audit entries inside the
//! transaction of the change they describe, so an entry commits or rolls back
//! with it; entries are numbered without gaps and hash-chained
//! ([`samvirke_domain::audit`]), and no backend lets an entry be changed or
//! removed ([`Conflict::Immutable`]).
//!
//! **Audited reads use a write transaction.** A transaction from
//! [`Store::begin_read`] is a read-only snapshot in both engines and refuses
//! [`Tx::append_audit`] (a [`StoreError::Backend`] error, and nothing is
//! written). A request that reads personal data therefore records its audit
//! entries in a transaction from [`Store::begin`], committed before the data
//! leaves the server: either the request's own transaction, or a short one
//! after the reads of a read-only snapshot. A read snapshot cannot append
//! because neither engine could do it safely: SQLite cannot turn a snapshot
//! into the writer once another writer has committed, and a Postgres snapshot
//! would fail to serialise against the head of the log that other requests
//! move on.
//!
//! [`Tx::erase_case`] deletes everything held about a closed case in one
//! transaction and keeps only a [`CaseErasure`]; the audit log, which holds
//! ids and never content, keeps saying what was done to the case.

pub mod conformance;
mod error;
mod filters;
pub mod security;

pub use error::{Conflict, StoreError};
pub use filters::*;
pub use security::{CaseErasure, ResetRecord, SessionRecord, SignInRecord};

use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;
use samvirke_domain::appointment::Appointment;
use samvirke_domain::audit::{AuditEntry, AuditEvent, ChainHash};
use samvirke_domain::availability::OfferedShift;
use samvirke_domain::case::{Case, FamilyMember};
use samvirke_domain::consent::Consent;
use samvirke_domain::cpr::Cpr;
use samvirke_domain::decision::{CommitteeDecision, VisitationSuspension};
use samvirke_domain::document::{Document, DocumentVersion, OutboxMessage};
use samvirke_domain::documentation::DocumentationSettings;
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
    /// Adds a shift offered by an hourly practitioner; one overlapping
    /// another of the same person's is refused ([`Conflict::Duplicate`]).
    async fn insert_shift(&mut self, s: &OfferedShift) -> Result<()>;
    /// Withdraws an offered shift.
    async fn delete_shift(&mut self, id: ShiftId) -> Result<()>;
    /// Offered shifts overlapping `during`, of one person or everyone, by start.
    async fn shifts(&mut self, staff: Option<StaffId>, during: TimeRange) -> Result<Vec<OfferedShift>>;
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
    /// Saves a changed document (state, sending time); `d.revision` is incremented.
    /// [`Conflict::Immutable`] if it would change or clear a sending time already set.
    async fn update_document(&mut self, d: &mut Document) -> Result<()>;
    /// Adds a version; `d.current_version` must already be the new number, and `d.revision` is incremented.
    async fn add_document_version(&mut self, d: &mut Document, v: &DocumentVersion) -> Result<()>;
    /// Records the family review of a version: when the family read it and
    /// their comment (which travels with the document). A later call replaces
    /// both. [`StoreError::NotFound`] without such a version; once the document
    /// is sent, its versions are final and the store refuses with [`Conflict::Immutable`].
    async fn record_family_review(
        &mut self,
        id: DocumentId,
        version: u32,
        read_at: jiff::Timestamp,
        comment: Option<&samvirke_domain::text::LongText>,
    ) -> Result<()>;
    /// One document.
    async fn document(&mut self, id: DocumentId) -> Result<Document>;
    /// Documents matching the filter, in creation order.
    async fn documents(&mut self, filter: &DocumentFilter, page: Page) -> Result<Vec<Document>>;
    /// All versions of a document, oldest first.
    async fn document_versions(&mut self, id: DocumentId) -> Result<Vec<DocumentVersion>>;
    /// Puts sent messages in the outbox, each of a stored document version.
    /// Outbox messages are never changed or deleted: the same id again is [`Conflict::Duplicate`].
    async fn insert_outbox_messages(&mut self, m: &[OutboxMessage]) -> Result<()>;
    /// Outbox messages matching the filter, newest first (by id, descending);
    /// `limit` is clamped to 1–[`Page::MAX`].
    async fn outbox(&mut self, filter: &OutboxFilter, limit: u32) -> Result<Vec<OutboxMessage>>;

    // --- Settings ---

    /// A provider's documentation settings; the defaults when none are set.
    async fn documentation_settings(&mut self, provider: ProviderId) -> Result<DocumentationSettings>;
    /// Sets a provider's documentation settings, replacing any set before.
    async fn set_documentation_settings(&mut self, provider: ProviderId, s: &DocumentationSettings) -> Result<()>;

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

    // --- Security ---
    //
    // Sessions, sign-in state and reset tokens are stored as hashes and
    // counters (see [`security`]); the rules that fill them are in
    // `samvirke_auth`. The audit log is append-only.

    /// Stores a new session. [`Conflict::Duplicate`] if the token hash is
    /// taken, [`Conflict::MissingReference`] without such a user.
    async fn insert_session(&mut self, s: &SessionRecord) -> Result<()>;
    /// The session with this token hash; [`StoreError::NotFound`] when there is
    /// none (never begun, signed out, or cleaned up).
    async fn session(&mut self, token_hash: &[u8; 32]) -> Result<SessionRecord>;
    /// Saves a session's `last_seen_at`, `second_factor_verified` and
    /// `csrf_hash`; its user, start and client are fixed at insert.
    /// [`StoreError::NotFound`] when the session is gone.
    async fn update_session(&mut self, s: &SessionRecord) -> Result<()>;
    /// Ends one session (sign-out, or a new token at a change of privilege).
    /// [`StoreError::NotFound`] when it was already gone.
    async fn delete_session(&mut self, token_hash: &[u8; 32]) -> Result<()>;
    /// Ends every session of a user (sign out everywhere, after a password
    /// reset); how many there were.
    async fn delete_user_sessions(&mut self, user: UserId) -> Result<u64>;
    /// Removes the sessions that have ended: last seen before
    /// `last_seen_before` (idle) or begun before `created_before` (absolute
    /// lifetime), both strictly before; how many.
    async fn delete_sessions_before(&mut self, last_seen_before: Timestamp, created_before: Timestamp) -> Result<u64>;

    /// An account's sign-in state; the default (clean, no second factor) when
    /// none was set. [`StoreError::NotFound`] without such a user. In a write
    /// transaction it also locks the account until the transaction ends
    /// (PostgreSQL: the user's row `FOR NO KEY UPDATE`; SQLite's writers are
    /// serialised already), so that a read–decide–write of the lockout counters
    /// is not interleaved with another instance's.
    async fn sign_in_record(&mut self, user: UserId) -> Result<SignInRecord>;
    /// Sets an account's sign-in state, replacing the one before.
    /// [`Conflict::MissingReference`] without such a user.
    async fn set_sign_in_record(&mut self, user: UserId, r: &SignInRecord) -> Result<()>;
    /// Replaces an account's password hash. [`StoreError::NotFound`] without such a user.
    async fn set_password_hash(&mut self, user: UserId, password_hash: &str) -> Result<()>;

    /// Gives an account a new calendar-feed token (its SHA-256), replacing the
    /// old one, so that the old link stops working.
    async fn set_feed_token(&mut self, user: UserId, token_hash: &[u8; 32], at: Timestamp) -> Result<()>;
    /// The account whose calendar feed has this token; [`StoreError::NotFound`] when none has.
    async fn feed_user(&mut self, token_hash: &[u8; 32]) -> Result<UserId>;

    /// Stores a new reset token. [`Conflict::Duplicate`] if the hash is taken,
    /// [`Conflict::MissingReference`] without the user (or the issuer).
    async fn insert_reset(&mut self, r: &ResetRecord) -> Result<()>;
    /// The reset token with this hash; [`StoreError::NotFound`] when there is none.
    async fn reset(&mut self, token_hash: &[u8; 32]) -> Result<ResetRecord>;
    /// Marks a reset token used at `at`, once: a token already used (also by a
    /// concurrent request) is [`Conflict::StaleRevision`], the row having
    /// changed since it was read; [`StoreError::NotFound`] when there is none.
    async fn mark_reset_used(&mut self, token_hash: &[u8; 32], at: Timestamp) -> Result<()>;
    /// Removes every reset token of a user (after a reset, or when a new link
    /// replaces the old ones); how many.
    async fn delete_user_resets(&mut self, user: UserId) -> Result<u64>;

    /// Appends events to the audit log in this transaction, in order, and
    /// returns their entries: numbered on from the head without gaps and
    /// chained with [`AuditEntry::next`]. Instants are cut to whole
    /// microseconds first, so an entry reads back exactly as returned. The
    /// entries commit or roll back with the transaction; appenders on several
    /// connections and instances are serialised on the head of the log until
    /// they end. Refused in a read transaction (see the crate documentation).
    async fn append_audit(&mut self, events: &[AuditEvent]) -> Result<Vec<AuditEntry>>;
    /// Up to `limit` (clamped to 1–[`Page::MAX`]) entries after position
    /// `after_seq` (0: from the start), oldest first: for verifying the chain
    /// page by page.
    async fn audit_entries(&mut self, after_seq: u64, limit: u32) -> Result<Vec<AuditEntry>>;
    /// The position and hash of the newest entry; `None` while the log is empty.
    async fn audit_head(&mut self) -> Result<Option<(u64, ChainHash)>>;
    /// The entries about a case, newest first, below position `before_seq` if
    /// given; `limit` is clamped to 1–[`Page::MAX`]. Who looked at the case,
    /// and the family's own access log.
    async fn audit_for_case(&mut self, case: CaseId, before_seq: Option<u64>, limit: u32) -> Result<Vec<AuditEntry>>;
    /// The entries of one account's actions, newest first, below position
    /// `before_seq` if given; `limit` is clamped to 1–[`Page::MAX`].
    async fn audit_for_actor(&mut self, user: UserId, before_seq: Option<u64>, limit: u32) -> Result<Vec<AuditEntry>>;

    /// Closed cases whose closing day is before `date`, oldest closing first
    /// (then by id); `limit` is clamped to 1–[`Page::MAX`]. An erased case is
    /// gone, so it is never listed again.
    async fn closed_cases_before(&mut self, date: Date, limit: u32) -> Result<Vec<CaseId>>;
    /// Erases a closed case: records a [`CaseErasure`] first, then deletes
    /// everything held about the case (family members and their accounts with
    /// their sessions, sign-in state and reset tokens; referrals and their
    /// versions; decisions, suspensions, consents; appointments; the journal;
    /// documents and their versions, also sent ones; outbox messages; plans
    /// and focus areas; time entries; the case itself). The immutability
    /// triggers let sent documents and outbox messages go only for a case with
    /// an erasure recorded. The audit log is kept. [`Conflict::InUse`] for a
    /// case that is not closed (still in use), [`StoreError::NotFound`] for no
    /// such case (or one already erased).
    async fn erase_case(&mut self, case: CaseId, at: Timestamp, by: Option<UserId>) -> Result<()>;
    /// That a case was erased, when and by whom; [`StoreError::NotFound`] when it was not.
    async fn case_erasure(&mut self, case: CaseId) -> Result<CaseErasure>;
}
