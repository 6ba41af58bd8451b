//! The transaction: each method hands its connection to the module of its area.
//!
//! A method that fails may have written part of its work (a batch of
//! appointments is several statements); as the `Store` contract says, a
//! transaction that saw an error is good for rollback only. Savepoints per
//! method would hide that, but they cost a copy of every page a batch touches.

use crate::codec::Result;
use crate::error::db;
use crate::{appointments, cases, documents, organisation, plans, referrals, users};
use async_trait::async_trait;
use jiff::Timestamp;
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
use samvirke_domain::text::LongText;
use samvirke_domain::time::TimeRange;
use samvirke_domain::time_entry::TimeEntry;
use samvirke_domain::user::{User, Username};
use samvirke_domain::*;
use samvirke_store::{AppointmentFilter, CaseFilter, DocumentFilter, Page, ReferralFilter, StaffFilter, Tx};
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
    async fn set_family_comment(&mut self, id: DocumentId, version: u32, comment: Option<&LongText>) -> Result<()> {
        documents::set_family_comment(self.c(), id, version, comment).await
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
}
