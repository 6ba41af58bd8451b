//! The PostgreSQL store, for deployments with several app instances.
//!
//! [`PgStore`] implements [`Store`] over a connection pool; every unit of work
//! is a [`PgTx`]. Read-write transactions run at READ COMMITTED (mutable
//! records are protected by their `revision`), read transactions at
//! REPEATABLE READ READ ONLY, a consistent snapshot that refuses writes.
//!
//! The schema lives in `migrations/`, one SQL file per version, embedded in
//! the binary (see [`migrations`]). Migrations run only through
//! [`Store::migrate`], under sqlx's Postgres advisory lock, so several
//! instances may start at once.
//!
//! What was sent to a caseworker is final in the database itself: triggers
//! refuse a change of an outbox message, of a sent document's sending time and
//! of its versions with SQLSTATE `SV001`, which the store reports as
//! `Conflict::Immutable`.
//!
//! Migration 3 adds sessions, sign-in state and reset tokens (hashes and
//! counters only), the audit log with its one-row head, and the erasure of
//! closed cases (module `security`). Appenders to the audit log take the head
//! `FOR UPDATE` in their own transaction, which serialises them across
//! connections and instances; a read transaction cannot take it, so an
//! audited read uses [`Store::begin`]. The log refuses UPDATE, DELETE and
//! TRUNCATE (`SV001`). An erasure writes its `case_erasures` row first, and
//! the triggers that keep what was sent let a case's sent documents and
//! outbox messages go only when that row exists. The tables, errors and
//! schema decisions are described in `README.md`.

mod appointments;
mod backup;
mod cases;
mod conninfo;
mod decisions;
mod documents;
mod encode;
mod hours;
mod migrations;
mod organisation;
mod plans;
mod referrals;
mod security;
mod testing;
mod users;

pub use backup::{BackupError, restore};
pub use testing::{DEFAULT_TEST_SERVER, PgTestDatabase, fresh_test_database};

use async_trait::async_trait;
use encode::err;
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
use samvirke_domain::text::LongText;
use samvirke_domain::time::TimeRange;
use samvirke_domain::time_entry::TimeEntry;
use samvirke_domain::user::{User, Username};
use samvirke_domain::*;
use samvirke_store::{
    AppointmentFilter, Backend, CaseErasure, CaseFilter, DocumentFilter, OutboxFilter, Page, ReferralFilter,
    ResetRecord, Result, SessionRecord, SignInRecord, StaffFilter, Store, StoreError, Tx,
};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// How long a request may wait for a free connection before the store reports itself unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections per app instance; several instances share the server's `max_connections`.
const MAX_CONNECTIONS: u32 = 16;
/// A statement running longer than this is cancelled (a runaway query, not a busy day).
const STATEMENT_TIMEOUT: &str = "30s";
/// A transaction left open and idle this long is ended by the server, releasing its locks.
const IDLE_IN_TRANSACTION_TIMEOUT: &str = "60s";

/// A Samvirke database on a PostgreSQL server.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/database`).
    ///
    /// The pool holds up to 16 connections, waits at most 5 s for one, and
    /// each connection cancels statements after 30 s. Migrations are not run:
    /// call [`Store::migrate`].
    pub async fn connect(url: &str) -> Result<PgStore> {
        let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::Backend(Box::new(e)))?;
        Self::connect_with(options, Self::pool_options()).await
    }

    /// Connects with explicit connection and pool options; the session settings
    /// (statement timeout, application name, UTC) are added to `options`.
    pub async fn connect_with(options: PgConnectOptions, pool: PgPoolOptions) -> Result<PgStore> {
        let options = options.application_name("samvirke").options([
            ("statement_timeout", STATEMENT_TIMEOUT),
            ("idle_in_transaction_session_timeout", IDLE_IN_TRANSACTION_TIMEOUT),
            ("timezone", "UTC"),
        ]);
        let pool = pool.connect_with(options).await.map_err(err)?;
        Ok(PgStore { pool })
    }

    /// The default pool options: 16 connections, 5 s acquire timeout.
    pub fn pool_options() -> PgPoolOptions {
        PgPoolOptions::new().max_connections(MAX_CONNECTIONS).acquire_timeout(ACQUIRE_TIMEOUT)
    }

    /// The connection pool, for tools that need plain SQL (statistics, maintenance).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Closes every connection; later calls fail with `Unavailable`.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Writes a backup of the database at `url` to `dest` with `pg_dump` (custom format, no owners).
    ///
    /// `url` is given separately because the pool does not keep the password.
    pub async fn backup_to(&self, url: &str, dest: &std::path::Path) -> Result<(), BackupError> {
        backup::backup(url, dest).await
    }
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn migrate(&self) -> Result<()> {
        migrations::run(&self.pool).await
    }

    async fn ping(&self) -> Result<()> {
        migrations::check(&self.pool).await
    }

    async fn begin(&self) -> Result<Box<dyn Tx>> {
        let tx = self.pool.begin().await.map_err(err)?;
        Ok(Box::new(PgTx { tx, read_only: false }))
    }

    async fn begin_read(&self) -> Result<Box<dyn Tx>> {
        let tx = self.pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await.map_err(err)?;
        Ok(Box::new(PgTx { tx, read_only: true }))
    }
}

/// A transaction on a [`PgStore`]. Dropped without [`Tx::commit`], it rolls back.
pub struct PgTx {
    tx: Transaction<'static, Postgres>,
    /// Begun by `begin_read`: nothing can be locked or written.
    read_only: bool,
}

impl PgTx {
    fn c(&mut self) -> &mut PgConnection {
        &mut self.tx
    }
}

#[async_trait]
impl Tx for PgTx {
    async fn commit(self: Box<Self>) -> Result<()> {
        self.tx.commit().await.map_err(err)
    }

    // --- Municipalities and providers ---

    async fn insert_municipality(&mut self, m: &Municipality) -> Result<()> {
        organisation::insert_municipality(self.c(), m).await
    }
    async fn municipality(&mut self, id: MunicipalityId) -> Result<Municipality> {
        organisation::municipality(self.c(), id).await
    }
    async fn municipalities(&mut self) -> Result<Vec<Municipality>> {
        organisation::municipalities(self.c()).await
    }
    async fn insert_provider(&mut self, p: &Provider) -> Result<()> {
        organisation::insert_provider(self.c(), p).await
    }
    async fn provider(&mut self, id: ProviderId) -> Result<Provider> {
        organisation::provider(self.c(), id).await
    }
    async fn providers(&mut self) -> Result<Vec<Provider>> {
        organisation::providers(self.c()).await
    }

    // --- Staff, absences and rooms ---

    async fn insert_staff(&mut self, s: &Staff) -> Result<()> {
        organisation::insert_staff(self.c(), s).await
    }
    async fn update_staff(&mut self, s: &Staff) -> Result<()> {
        organisation::update_staff(self.c(), s).await
    }
    async fn staff(&mut self, id: StaffId) -> Result<Staff> {
        organisation::staff(self.c(), id).await
    }
    async fn list_staff(&mut self, filter: &StaffFilter) -> Result<Vec<Staff>> {
        organisation::list_staff(self.c(), filter).await
    }
    async fn insert_absence(&mut self, a: &Absence) -> Result<()> {
        organisation::insert_absence(self.c(), a).await
    }
    async fn delete_absence(&mut self, id: AbsenceId) -> Result<()> {
        organisation::delete_absence(self.c(), id).await
    }
    async fn absences(&mut self, staff: Option<StaffId>, during: TimeRange) -> Result<Vec<Absence>> {
        organisation::absences(self.c(), staff, during).await
    }
    async fn insert_shift(&mut self, s: &OfferedShift) -> Result<()> {
        organisation::insert_shift(self.c(), s).await
    }
    async fn delete_shift(&mut self, id: ShiftId) -> Result<()> {
        organisation::delete_shift(self.c(), id).await
    }
    async fn shifts(&mut self, staff: Option<StaffId>, during: TimeRange) -> Result<Vec<OfferedShift>> {
        organisation::shifts(self.c(), staff, during).await
    }
    async fn insert_room(&mut self, r: &Room) -> Result<()> {
        organisation::insert_room(self.c(), r).await
    }
    async fn update_room(&mut self, r: &Room) -> Result<()> {
        organisation::update_room(self.c(), r).await
    }
    async fn room(&mut self, id: RoomId) -> Result<Room> {
        organisation::room(self.c(), id).await
    }
    async fn rooms(&mut self, provider: ProviderId) -> Result<Vec<Room>> {
        organisation::rooms(self.c(), provider).await
    }

    // --- Cases and families ---

    async fn insert_case(&mut self, c: &Case) -> Result<()> {
        cases::insert_case(self.c(), c).await
    }
    async fn update_case(&mut self, c: &mut Case) -> Result<()> {
        cases::update_case(self.c(), c).await
    }
    async fn case(&mut self, id: CaseId) -> Result<Case> {
        cases::case(self.c(), id).await
    }
    async fn cases(&mut self, filter: &CaseFilter, page: Page) -> Result<Vec<Case>> {
        cases::cases(self.c(), filter, page).await
    }
    async fn count_cases(&mut self, filter: &CaseFilter) -> Result<u64> {
        cases::count_cases(self.c(), filter).await
    }
    async fn cases_by_cpr(&mut self, provider: ProviderId, cpr: &Cpr) -> Result<Vec<Case>> {
        cases::cases_by_cpr(self.c(), provider, cpr).await
    }
    async fn insert_family_member(&mut self, m: &FamilyMember) -> Result<()> {
        cases::insert_family_member(self.c(), m).await
    }
    async fn update_family_member(&mut self, m: &FamilyMember) -> Result<()> {
        cases::update_family_member(self.c(), m).await
    }
    async fn family_member(&mut self, id: FamilyMemberId) -> Result<FamilyMember> {
        cases::family_member(self.c(), id).await
    }
    async fn family_members(&mut self, case: CaseId) -> Result<Vec<FamilyMember>> {
        cases::family_members(self.c(), case).await
    }

    // --- Referrals ---

    async fn insert_referral(&mut self, r: &Referral, first: &ReferralVersion) -> Result<()> {
        referrals::insert_referral(self.c(), r, first).await
    }
    async fn update_referral(&mut self, r: &mut Referral) -> Result<()> {
        referrals::update_referral(self.c(), r).await
    }
    async fn add_referral_version(&mut self, r: &mut Referral, v: &ReferralVersion) -> Result<()> {
        referrals::add_referral_version(self.c(), r, v).await
    }
    async fn referral(&mut self, id: ReferralId) -> Result<Referral> {
        referrals::referral(self.c(), id).await
    }
    async fn referrals(&mut self, filter: &ReferralFilter, page: Page) -> Result<Vec<Referral>> {
        referrals::referrals(self.c(), filter, page).await
    }
    async fn referral_versions(&mut self, id: ReferralId) -> Result<Vec<ReferralVersion>> {
        referrals::referral_versions(self.c(), id).await
    }

    // --- Decisions, suspensions and consents ---

    async fn insert_decision(&mut self, d: &CommitteeDecision) -> Result<()> {
        decisions::insert_decision(self.c(), d).await
    }
    async fn decisions(&mut self, case: CaseId) -> Result<Vec<CommitteeDecision>> {
        decisions::decisions(self.c(), case).await
    }
    async fn insert_suspension(&mut self, s: &VisitationSuspension) -> Result<()> {
        decisions::insert_suspension(self.c(), s).await
    }
    async fn suspensions(&mut self, case: CaseId) -> Result<Vec<VisitationSuspension>> {
        decisions::suspensions(self.c(), case).await
    }
    async fn insert_consent(&mut self, c: &Consent) -> Result<()> {
        decisions::insert_consent(self.c(), c).await
    }
    async fn withdraw_consent(&mut self, id: ConsentId, at: jiff::Timestamp) -> Result<()> {
        decisions::withdraw_consent(self.c(), id, at).await
    }
    async fn consent(&mut self, id: ConsentId) -> Result<Consent> {
        decisions::consent(self.c(), id).await
    }
    async fn consents(&mut self, case: CaseId) -> Result<Vec<Consent>> {
        decisions::consents(self.c(), case).await
    }

    // --- Appointments ---

    async fn insert_appointment(&mut self, a: &Appointment) -> Result<()> {
        appointments::insert_appointments(self.c(), std::slice::from_ref(a)).await
    }
    async fn insert_appointments(&mut self, a: &[Appointment]) -> Result<()> {
        appointments::insert_appointments(self.c(), a).await
    }
    async fn update_appointment(&mut self, a: &mut Appointment) -> Result<()> {
        appointments::update_appointment(self.c(), a).await
    }
    async fn delete_appointment(&mut self, id: AppointmentId) -> Result<()> {
        appointments::delete_appointment(self.c(), id).await
    }
    async fn appointment(&mut self, id: AppointmentId) -> Result<Appointment> {
        appointments::appointment(self.c(), id).await
    }
    async fn appointments(&mut self, filter: &AppointmentFilter, limit: u32) -> Result<Vec<Appointment>> {
        appointments::appointments(self.c(), filter, limit).await
    }

    // --- Journal ---

    async fn insert_journal_entry(&mut self, e: &JournalEntry) -> Result<()> {
        documents::insert_journal_entry(self.c(), e).await
    }
    async fn journal(&mut self, case: CaseId, page: Page) -> Result<Vec<JournalEntry>> {
        documents::journal(self.c(), case, page).await
    }

    // --- Documents ---

    async fn insert_document(&mut self, d: &Document, first: &DocumentVersion) -> Result<()> {
        documents::insert_document(self.c(), d, first).await
    }
    async fn update_document(&mut self, d: &mut Document) -> Result<()> {
        documents::update_document(self.c(), d).await
    }
    async fn add_document_version(&mut self, d: &mut Document, v: &DocumentVersion) -> Result<()> {
        documents::add_document_version(self.c(), d, v).await
    }
    async fn record_family_review(
        &mut self,
        id: DocumentId,
        version: u32,
        read_at: jiff::Timestamp,
        comment: Option<&LongText>,
    ) -> Result<()> {
        documents::record_family_review(self.c(), id, version, read_at, comment).await
    }
    async fn document(&mut self, id: DocumentId) -> Result<Document> {
        documents::document(self.c(), id).await
    }
    async fn documents(&mut self, filter: &DocumentFilter, page: Page) -> Result<Vec<Document>> {
        documents::documents(self.c(), filter, page).await
    }
    async fn document_versions(&mut self, id: DocumentId) -> Result<Vec<DocumentVersion>> {
        documents::document_versions(self.c(), id).await
    }
    async fn insert_outbox_messages(&mut self, m: &[OutboxMessage]) -> Result<()> {
        documents::insert_outbox_messages(self.c(), m).await
    }
    async fn outbox(&mut self, filter: &OutboxFilter, limit: u32) -> Result<Vec<OutboxMessage>> {
        documents::outbox(self.c(), filter, limit).await
    }

    // --- Settings ---

    async fn documentation_settings(&mut self, provider: ProviderId) -> Result<DocumentationSettings> {
        documents::documentation_settings(self.c(), provider).await
    }
    async fn set_documentation_settings(&mut self, provider: ProviderId, s: &DocumentationSettings) -> Result<()> {
        documents::set_documentation_settings(self.c(), provider, s).await
    }

    // --- Plans ---

    async fn insert_action_plan(&mut self, p: &ActionPlan) -> Result<()> {
        plans::insert_action_plan(self.c(), p).await
    }
    async fn update_action_plan(&mut self, p: &mut ActionPlan) -> Result<()> {
        plans::update_action_plan(self.c(), p).await
    }
    async fn action_plan(&mut self, id: ActionPlanId) -> Result<ActionPlan> {
        plans::action_plan(self.c(), id).await
    }
    async fn action_plans(&mut self, case: CaseId) -> Result<Vec<ActionPlan>> {
        plans::action_plans(self.c(), case).await
    }
    async fn insert_focus_area(&mut self, f: &FocusArea) -> Result<()> {
        plans::insert_focus_area(self.c(), f).await
    }
    async fn update_focus_area(&mut self, f: &FocusArea) -> Result<()> {
        plans::update_focus_area(self.c(), f).await
    }
    async fn focus_area(&mut self, id: FocusAreaId) -> Result<FocusArea> {
        plans::focus_area(self.c(), id).await
    }
    async fn focus_areas(&mut self, case: CaseId) -> Result<Vec<FocusArea>> {
        plans::focus_areas(self.c(), case).await
    }

    // --- Hours ---

    async fn insert_time_entry(&mut self, t: &TimeEntry) -> Result<()> {
        hours::insert_time_entry(self.c(), t).await
    }
    async fn delete_time_entry(&mut self, id: TimeEntryId) -> Result<()> {
        hours::delete_time_entry(self.c(), id).await
    }
    async fn time_entries(&mut self, referral: ReferralId) -> Result<Vec<TimeEntry>> {
        hours::time_entries(self.c(), referral).await
    }
    async fn minutes_registered(&mut self, referral: ReferralId) -> Result<u64> {
        hours::minutes_registered(self.c(), referral).await
    }

    // --- Users ---

    async fn insert_user(&mut self, u: &User, password_hash: &str) -> Result<()> {
        users::insert_user(self.c(), u, password_hash).await
    }
    async fn user(&mut self, id: UserId) -> Result<User> {
        users::user(self.c(), id).await
    }
    async fn user_credentials(&mut self, username: &Username) -> Result<(User, String)> {
        users::user_credentials(self.c(), username).await
    }
    async fn users(&mut self) -> Result<Vec<User>> {
        users::users(self.c()).await
    }

    // --- Security ---

    async fn insert_session(&mut self, s: &SessionRecord) -> Result<()> {
        security::insert_session(self.c(), s).await
    }
    async fn session(&mut self, token_hash: &[u8; 32]) -> Result<SessionRecord> {
        security::session(self.c(), token_hash).await
    }
    async fn update_session(&mut self, s: &SessionRecord) -> Result<()> {
        security::update_session(self.c(), s).await
    }
    async fn delete_session(&mut self, token_hash: &[u8; 32]) -> Result<()> {
        security::delete_session(self.c(), token_hash).await
    }
    async fn delete_user_sessions(&mut self, user: UserId) -> Result<u64> {
        security::delete_user_sessions(self.c(), user).await
    }
    async fn delete_sessions_before(&mut self, last_seen_before: Timestamp, created_before: Timestamp) -> Result<u64> {
        security::delete_sessions_before(self.c(), last_seen_before, created_before).await
    }
    async fn sign_in_record(&mut self, user: UserId) -> Result<SignInRecord> {
        let lock = !self.read_only;
        security::sign_in_record(self.c(), user, lock).await
    }
    async fn set_sign_in_record(&mut self, user: UserId, r: &SignInRecord) -> Result<()> {
        security::set_sign_in_record(self.c(), user, r).await
    }
    async fn set_password_hash(&mut self, user: UserId, password_hash: &str) -> Result<()> {
        security::set_password_hash(self.c(), user, password_hash).await
    }
    async fn set_feed_token(&mut self, user: UserId, token_hash: &[u8; 32], at: Timestamp) -> Result<()> {
        security::set_feed_token(self.c(), user, token_hash, at).await
    }
    async fn feed_user(&mut self, token_hash: &[u8; 32]) -> Result<UserId> {
        security::feed_user(self.c(), token_hash).await
    }
    async fn insert_reset(&mut self, r: &ResetRecord) -> Result<()> {
        security::insert_reset(self.c(), r).await
    }
    async fn reset(&mut self, token_hash: &[u8; 32]) -> Result<ResetRecord> {
        security::reset(self.c(), token_hash).await
    }
    async fn mark_reset_used(&mut self, token_hash: &[u8; 32], at: Timestamp) -> Result<()> {
        security::mark_reset_used(self.c(), token_hash, at).await
    }
    async fn delete_user_resets(&mut self, user: UserId) -> Result<u64> {
        security::delete_user_resets(self.c(), user).await
    }
    async fn append_audit(&mut self, events: &[AuditEvent]) -> Result<Vec<AuditEntry>> {
        security::append_audit(self.c(), events).await
    }
    async fn audit_entries(&mut self, after_seq: u64, limit: u32) -> Result<Vec<AuditEntry>> {
        security::audit_entries(self.c(), after_seq, limit).await
    }
    async fn audit_head(&mut self) -> Result<Option<(u64, ChainHash)>> {
        security::audit_head(self.c()).await
    }
    async fn audit_for_case(&mut self, case: CaseId, before_seq: Option<u64>, limit: u32) -> Result<Vec<AuditEntry>> {
        security::audit_for_case(self.c(), case, before_seq, limit).await
    }
    async fn audit_for_actor(&mut self, user: UserId, before_seq: Option<u64>, limit: u32) -> Result<Vec<AuditEntry>> {
        security::audit_for_actor(self.c(), user, before_seq, limit).await
    }
    async fn closed_cases_before(&mut self, date: Date, limit: u32) -> Result<Vec<CaseId>> {
        security::closed_cases_before(self.c(), date, limit).await
    }
    async fn erase_case(&mut self, case: CaseId, at: Timestamp, by: Option<UserId>) -> Result<()> {
        security::erase_case(self.c(), case, at, by).await
    }
    async fn case_erasure(&mut self, case: CaseId) -> Result<CaseErasure> {
        security::case_erasure(self.c(), case).await
    }
}
