//! The transaction: each method hands its connection to the module of its area.
//!
//! A method that fails may have written part of its work (a batch of
//! appointments is several statements); as the `Store` contract says, a
//! transaction that saw an error is good for rollback only. Savepoints per
//! method would hide that, but they cost a copy of every page a batch touches.

use crate::codec::Result;
use crate::error::db;
use crate::{appointments, cases, documents, organisation, plans, referrals, security, users};
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
use samvirke_domain::text::LongText;
use samvirke_domain::time::TimeRange;
use samvirke_domain::time_entry::TimeEntry;
use samvirke_domain::user::{User, Username};
use samvirke_domain::*;
use samvirke_store::{
    AppointmentFilter, CaseErasure, CaseFilter, DocumentFilter, OutboxFilter, Page, ReferralFilter, ResetRecord,
    SessionRecord, SignInRecord, StaffFilter, Tx,
};
use sqlx::{Sqlite, SqliteConnection, Transaction};

/// A transaction on a [`crate::SqliteStore`]. Dropped without commit, it rolls back.
pub struct SqliteTx {
    tx: Transaction<'static, Sqlite>,
}

impl SqliteTx {
    pub(crate) fn new(tx: Transaction<'static, Sqlite>) -> Self {
        Self { tx }
    }

    fn c(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }
}

#[async_trait]
impl Tx for SqliteTx {
    async fn commit(self: Box<Self>) -> Result<()> {
        self.tx.commit().await.map_err(db)
    }

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

    async fn insert_decision(&mut self, d: &CommitteeDecision) -> Result<()> {
        cases::insert_decision(self.c(), d).await
    }
    async fn decisions(&mut self, case: CaseId) -> Result<Vec<CommitteeDecision>> {
        cases::decisions(self.c(), case).await
    }
    async fn insert_suspension(&mut self, s: &VisitationSuspension) -> Result<()> {
        cases::insert_suspension(self.c(), s).await
    }
    async fn suspensions(&mut self, case: CaseId) -> Result<Vec<VisitationSuspension>> {
        cases::suspensions(self.c(), case).await
    }
    async fn insert_consent(&mut self, c: &Consent) -> Result<()> {
        cases::insert_consent(self.c(), c).await
    }
    async fn withdraw_consent(&mut self, id: ConsentId, at: Timestamp) -> Result<()> {
        cases::withdraw_consent(self.c(), id, at).await
    }
    async fn consent(&mut self, id: ConsentId) -> Result<Consent> {
        cases::consent(self.c(), id).await
    }
    async fn consents(&mut self, case: CaseId) -> Result<Vec<Consent>> {
        cases::consents(self.c(), case).await
    }

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

    async fn insert_journal_entry(&mut self, e: &JournalEntry) -> Result<()> {
        documents::insert_journal_entry(self.c(), e).await
    }
    async fn journal(&mut self, case: CaseId, page: Page) -> Result<Vec<JournalEntry>> {
        documents::journal(self.c(), case, page).await
    }

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
        read_at: Timestamp,
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

    async fn documentation_settings(&mut self, provider: ProviderId) -> Result<DocumentationSettings> {
        documents::documentation_settings(self.c(), provider).await
    }
    async fn set_documentation_settings(&mut self, provider: ProviderId, s: &DocumentationSettings) -> Result<()> {
        documents::set_documentation_settings(self.c(), provider, s).await
    }

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

    async fn insert_time_entry(&mut self, t: &TimeEntry) -> Result<()> {
        referrals::insert_time_entry(self.c(), t).await
    }
    async fn delete_time_entry(&mut self, id: TimeEntryId) -> Result<()> {
        referrals::delete_time_entry(self.c(), id).await
    }
    async fn time_entries(&mut self, referral: ReferralId) -> Result<Vec<TimeEntry>> {
        referrals::time_entries(self.c(), referral).await
    }
    async fn minutes_registered(&mut self, referral: ReferralId) -> Result<u64> {
        referrals::minutes_registered(self.c(), referral).await
    }

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
        security::sign_in_record(self.c(), user).await
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
