//! The conformance suite: one set of stories every backend must pass.
//!
//! A backend crate runs it from an integration test:
//!
//! ```ignore
//! samvirke_store::conformance_tests!(my_backend::fresh_test_database);
//! ```
//!
//! where `fresh_test_database` is an `async fn() -> Box<dyn TestDatabase>`
//! that makes an empty, migrated database for one test.

pub mod fixtures;
mod security;

pub use security::*;

use crate::*;
use async_trait::async_trait;
use fixtures::*;
use jiff::ToSpan;
use jiff::civil::date;
use samvirke_domain::appointment::*;
use samvirke_domain::availability::OfferedShift;
use samvirke_domain::case::*;
use samvirke_domain::catalogue::Intervention;
use samvirke_domain::consent::*;
use samvirke_domain::cpr::Cpr;
use samvirke_domain::document::*;
use samvirke_domain::organisation::*;
use samvirke_domain::plan::*;
use samvirke_domain::referral::*;
use samvirke_domain::text::*;
use samvirke_domain::time::*;
use samvirke_domain::time_entry::*;
use samvirke_domain::user::*;

/// An empty, migrated database made for one test.
#[async_trait]
pub trait TestDatabase: Send + Sync {
    /// The store on it.
    fn store(&self) -> &dyn Store;
    /// Removes the database (it is kept if the test panics, for inspection).
    async fn finish(self: Box<Self>);
}

/// Expands to one `#[tokio::test]` per conformance story, each on a fresh database.
#[macro_export]
macro_rules! conformance_tests {
    ($make:path) => {
        $crate::conformance_tests!(@each $make;
            municipalities_and_providers_round_trip,
            municipality_code_is_unique,
            staff_round_trip_and_filters,
            absences_overlapping_a_range_are_listed,
            offered_shifts_are_listed_and_never_overlap,
            rooms_round_trip,
            case_round_trip_keeps_every_field,
            a_child_has_one_open_case_per_provider,
            a_stale_revision_is_refused,
            case_filters_and_keyset_paging,
            family_members_round_trip,
            referral_terms_are_versioned,
            referral_filters,
            decisions_and_suspensions_round_trip,
            consent_withdrawal_is_recorded_once,
            appointments_round_trip_every_kind_and_outcome,
            appointment_filters_and_paging,
            batch_inserted_appointments_read_back,
            only_planned_appointments_can_be_deleted,
            journal_is_newest_first_and_paged,
            documents_keep_every_version_and_the_family_review,
            the_family_review_of_a_missing_version_is_not_found,
            sending_times_child_views_and_family_reading_round_trip_exactly,
            a_sent_document_keeps_its_sending_time,
            document_filters,
            the_outbox_lists_newest_first_by_each_filter_and_pages,
            outbox_messages_are_never_replaced,
            documentation_settings_default_until_set_and_are_replaced_whole,
            action_plan_round_trip,
            focus_areas_round_trip,
            time_entries_sum_per_referral,
            users_round_trip_and_usernames_are_unique,
            missing_records_are_not_found,
            a_reference_to_a_missing_record_is_refused,
            a_dropped_transaction_leaves_nothing,
            a_read_transaction_sees_committed_data,
            a_failed_write_leaves_the_transaction_usable_for_rollback_only,
            lists_by_name_follow_danish_alphabetical_order,
            referrals_and_the_journal_follow_creation_order_not_their_dates,
            sessions_round_trip_and_end_one_by_one,
            signing_out_everywhere_ends_every_session_of_the_user,
            ended_sessions_are_cleaned_up_by_time,
            the_sign_in_record_defaults_until_set_and_is_replaced_whole,
            a_reset_token_works_once,
            a_calendar_feed_token_finds_its_account_until_replaced,
            audit_entries_are_chained_within_and_across_transactions,
            audit_instants_are_kept_to_the_microsecond,
            a_rolled_back_transaction_leaves_no_audit_entry_and_no_gap,
            audit_entries_are_listed_per_case_and_per_actor_newest_first_and_paged,
            only_a_closed_case_is_erased_and_closed_cases_are_listed_by_closing_day,
            a_closed_case_is_erased_with_everything_held_about_it,
            a_room_is_never_booked_twice,
            a_practitioner_is_never_booked_twice,
            arrival_buffers_count_as_booked,
            a_cancelled_appointment_frees_its_slot,
            a_move_onto_a_taken_slot_is_refused,
            a_batch_with_a_clash_is_refused_as_a_whole,
        );
    };
    (@each $make:path; $($name:ident,)*) => {$(
        #[tokio::test]
        async fn $name() {
            let db = $make().await;
            $crate::conformance::$name(db.store()).await;
            db.finish().await;
        }
    )*};
}

async fn tx(store: &dyn Store) -> Box<dyn Tx> {
    store.begin().await.expect("begin")
}

/// A municipality and a provider come back as they were stored.
pub async fn municipalities_and_providers_round_trip(store: &dyn Store) {
    let mut t = tx(store).await;
    let m1 = municipality(657, "Herning Kommune");
    let m2 = municipality(661, "Holstebro Kommune");
    t.insert_municipality(&m2).await.unwrap();
    t.insert_municipality(&m1).await.unwrap();
    let p = Provider { id: ProviderId::new(), name: text("Familiehuset Åen"), municipalities: vec![m1.id, m2.id] };
    t.insert_provider(&p).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.municipality(m1.id).await.unwrap(), m1);
    assert_eq!(r.municipalities().await.unwrap(), vec![m1.clone(), m2.clone()], "ordered by code");
    let got = r.provider(p.id).await.unwrap();
    assert_eq!(got.name, p.name);
    let mut served = got.municipalities.clone();
    served.sort();
    let mut expected = p.municipalities.clone();
    expected.sort();
    assert_eq!(served, expected);
    assert_eq!(r.providers().await.unwrap().len(), 1);
}

/// Two municipalities cannot share a code.
pub async fn municipality_code_is_unique(store: &dyn Store) {
    let mut t = tx(store).await;
    t.insert_municipality(&municipality(657, "Herning Kommune")).await.unwrap();
    let err = t.insert_municipality(&municipality(657, "Herning igen")).await.unwrap_err();
    assert!(err.is_conflict(Conflict::Duplicate), "{err:?}");
}

/// Staff are stored whole and filtered by employer, role and activity.
pub async fn staff_round_trip_and_filters(store: &dyn Store) {
    let w = World::create(store).await;
    let mut t = tx(store).await;
    let mut leaver = practitioner(w.provider.id, "Jonas Fyhn", Employment::Hourly);
    leaver.active = false;
    t.insert_staff(&leaver).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.staff(w.practitioner.id).await.unwrap(), w.practitioner);
    assert_eq!(r.staff(w.caseworker.id).await.unwrap(), w.caseworker);

    let provider_staff =
        r.list_staff(&StaffFilter { provider: Some(w.provider.id), ..Default::default() }).await.unwrap();
    let names: Vec<&str> = provider_staff.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["Birgitte Lund", "Jonas Fyhn", "Karen Holm", "Mads Kjær"], "sorted by name");

    let active_practitioners = r
        .list_staff(&StaffFilter {
            provider: Some(w.provider.id),
            role: Some(StaffRole::Practitioner),
            active_only: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        active_practitioners.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![w.practitioner2.id, w.practitioner.id]
    );

    let municipal =
        r.list_staff(&StaffFilter { municipality: Some(w.municipality.id), ..Default::default() }).await.unwrap();
    assert_eq!(municipal, vec![w.caseworker.clone()]);
    drop(r);

    let mut t = tx(store).await;
    let mut changed = w.practitioner.clone();
    changed.supervision_trained = false;
    changed.max_weekly_minutes = Some(20 * 60);
    t.update_staff(&changed).await.unwrap();
    t.commit().await.unwrap();
    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.staff(changed.id).await.unwrap(), changed);
}

/// Absences overlapping a range are listed, per person or for everyone, and can be removed.
pub async fn absences_overlapping_a_range_are_listed(store: &dyn Store) {
    let w = World::create(store).await;
    let mut t = tx(store).await;
    let sick = Absence {
        id: AbsenceId::new(),
        staff_id: w.practitioner.id,
        during: range("2026-03-02T07:00:00Z", "2026-03-04T16:00:00Z"),
        kind: AbsenceKind::Sick,
    };
    let holiday = Absence {
        id: AbsenceId::new(),
        staff_id: w.practitioner2.id,
        during: range("2026-03-03T00:00:00Z", "2026-03-10T00:00:00Z"),
        kind: AbsenceKind::Holiday,
    };
    t.insert_absence(&sick).await.unwrap();
    t.insert_absence(&holiday).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    let march_3 = range("2026-03-03T08:00:00Z", "2026-03-03T09:00:00Z");
    assert_eq!(r.absences(None, march_3).await.unwrap(), vec![sick.clone(), holiday.clone()]);
    assert_eq!(r.absences(Some(w.practitioner.id), march_3).await.unwrap(), vec![sick.clone()]);
    let after = range("2026-03-04T16:00:00Z", "2026-03-05T00:00:00Z");
    assert_eq!(r.absences(Some(w.practitioner.id), after).await.unwrap(), vec![], "end is exclusive");
    drop(r);

    let mut t = tx(store).await;
    t.delete_absence(sick.id).await.unwrap();
    t.commit().await.unwrap();
    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.absences(None, march_3).await.unwrap(), vec![holiday]);
}

/// Offered shifts overlapping a range are listed, per person or for everyone;
/// one overlapping another of the same person's is refused and changes
/// nothing; a withdrawn shift is gone.
pub async fn offered_shifts_are_listed_and_never_overlap(store: &dyn Store) {
    let w = World::create(store).await;
    let mut t = tx(store).await;
    let saturday = OfferedShift::new(w.practitioner.id, range("2026-03-07T08:00:00Z", "2026-03-07T14:00:00Z")).unwrap();
    let sunday = OfferedShift::new(w.practitioner.id, range("2026-03-08T08:00:00Z", "2026-03-08T14:00:00Z")).unwrap();
    let other = OfferedShift::new(w.practitioner2.id, range("2026-03-07T09:00:00Z", "2026-03-07T12:00:00Z")).unwrap();
    for s in [&saturday, &sunday, &other] {
        t.insert_shift(s).await.unwrap();
    }
    t.commit().await.unwrap();

    let mut t = tx(store).await;
    let overlapping =
        OfferedShift::new(w.practitioner.id, range("2026-03-07T13:00:00Z", "2026-03-07T16:00:00Z")).unwrap();
    let err = t.insert_shift(&overlapping).await.unwrap_err();
    assert!(err.is_conflict(Conflict::Duplicate), "{err:?}");
    drop(t);

    let mut r = store.begin_read().await.unwrap();
    let weekend = range("2026-03-07T00:00:00Z", "2026-03-09T00:00:00Z");
    assert_eq!(r.shifts(Some(w.practitioner.id), weekend).await.unwrap(), vec![saturday.clone(), sunday.clone()]);
    assert_eq!(r.shifts(None, range("2026-03-07T10:00:00Z", "2026-03-07T11:00:00Z")).await.unwrap().len(), 2);
    let after = range("2026-03-07T14:00:00Z", "2026-03-08T08:00:00Z");
    assert_eq!(r.shifts(Some(w.practitioner.id), after).await.unwrap(), vec![], "both ends are exclusive");
    drop(r);

    let mut t = tx(store).await;
    t.delete_shift(saturday.id).await.unwrap();
    assert!(matches!(t.delete_shift(saturday.id).await, Err(StoreError::NotFound)));
    t.commit().await.unwrap();
    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.shifts(Some(w.practitioner.id), weekend).await.unwrap(), vec![sunday]);
}

/// Rooms are stored whole and listed per provider.
pub async fn rooms_round_trip(store: &dyn Store) {
    let w = World::create(store).await;
    let mut t = tx(store).await;
    let mut garden = room(w.provider.id, "Havestuen");
    garden.opening_hours = WeeklyPattern(vec![WeeklySlot::new(Day::Saturday, hm(9, 0), hm(15, 0)).unwrap()]);
    t.insert_room(&garden).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.room(garden.id).await.unwrap(), garden);
    assert_eq!(r.rooms(w.provider.id).await.unwrap(), vec![garden.clone(), w.room.clone()], "by name");
    drop(r);

    let mut t = tx(store).await;
    let mut closed = garden.clone();
    closed.active = false;
    closed.capacity = 4;
    t.update_room(&closed).await.unwrap();
    t.commit().await.unwrap();
    assert_eq!(store.begin_read().await.unwrap().room(garden.id).await.unwrap(), closed);
}

/// A case reads back with every field, including the placement setting and the CPR number.
pub async fn case_round_trip_keeps_every_field(store: &dyn Store) {
    let w = World::create(store).await;
    let mut r = store.begin_read().await.unwrap();
    let got = r.case(w.case.id).await.unwrap();
    assert_eq!(got, w.case);
    assert_eq!(got.child.cpr.reveal(), w.case.child.cpr.reveal());
    assert!(got.placement.as_ref().unwrap().address_secret);

    let found = r.cases_by_cpr(w.provider.id, &w.case.child.cpr).await.unwrap();
    assert_eq!(found, vec![w.case.clone()]);
    let other = Cpr::parse("0101104321").unwrap();
    assert_eq!(r.cases_by_cpr(w.provider.id, &other).await.unwrap(), vec![]);
}

/// A provider can have only one open case per child; a closed one does not count.
pub async fn a_child_has_one_open_case_per_provider(store: &dyn Store) {
    let w = World::create(store).await;
    let mut t = tx(store).await;
    let again = case(w.provider.id, w.municipality.id, "Ida Sørensen", "1203154321");
    let err = t.insert_case(&again).await.unwrap_err();
    assert!(err.is_conflict(Conflict::Duplicate), "{err:?}");
    drop(t);

    let mut t = tx(store).await;
    let mut closing = t.case(w.case.id).await.unwrap();
    closing.closed_on = Some(date(2026, 6, 30));
    t.update_case(&mut closing).await.unwrap();
    t.insert_case(&again).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    let both = r.cases_by_cpr(w.provider.id, &again.child.cpr).await.unwrap();
    assert_eq!(both.len(), 2);
}

/// An update based on an old revision is refused; a current one bumps the revision.
pub async fn a_stale_revision_is_refused(store: &dyn Store) {
    let w = World::create(store).await;

    let mut first = store.begin_read().await.unwrap().case(w.case.id).await.unwrap();
    let mut second = first.clone();

    let mut t = tx(store).await;
    first.child.name = text("Ida Marie Sørensen");
    t.update_case(&mut first).await.unwrap();
    assert_eq!(first.revision, w.case.revision + 1);
    t.commit().await.unwrap();

    let mut t = tx(store).await;
    second.closed_on = Some(date(2026, 9, 1));
    let err = t.update_case(&mut second).await.unwrap_err();
    assert!(err.is_conflict(Conflict::StaleRevision), "{err:?}");
    assert_eq!(second.revision, w.case.revision, "a refused update leaves the revision alone");
    drop(t);

    let stored = store.begin_read().await.unwrap().case(w.case.id).await.unwrap();
    assert_eq!(stored, first);

    // The same holds for referrals, appointments, documents and plans.
    let mut t = tx(store).await;
    let mut stale_referral = w.referral.clone();
    let mut fresh = t.referral(w.referral.id).await.unwrap();
    fresh.coordinator_id = Some(w.coordinator.id);
    t.update_referral(&mut fresh).await.unwrap();
    let err = t.update_referral(&mut stale_referral).await.unwrap_err();
    assert!(err.is_conflict(Conflict::StaleRevision), "{err:?}");
    drop(t);

    let mut t = tx(store).await;
    let mut gone = w.case.clone();
    gone.id = CaseId::new();
    assert!(matches!(t.update_case(&mut gone).await, Err(StoreError::NotFound)));
}

/// Cases are filtered by provider, municipality, staff and openness, and paged by id.
pub async fn case_filters_and_keyset_paging(store: &dyn Store) {
    let w = World::create(store).await;
    let other_m = municipality(661, "Holstebro Kommune");
    let mut t = tx(store).await;
    t.insert_municipality(&other_m).await.unwrap();
    let mut ids = vec![w.case.id];
    for i in 0..5 {
        let c = case(w.provider.id, other_m.id, &format!("Barn {i}"), &format!("01011{i}4321"));
        t.insert_case(&c).await.unwrap();
        ids.push(c.id);
    }
    let mut closed = case(w.provider.id, w.municipality.id, "Lukket Sag", "0202104321");
    closed.closed_on = Some(date(2026, 1, 31));
    t.insert_case(&closed).await.unwrap();
    ids.push(closed.id);
    // The second practitioner is on an appointment of case #2 only.
    let mut a = appointment(&w, AppointmentKind::Visit, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    a.case_id = ids[2];
    a.practitioners = Practitioners::new(vec![w.practitioner2.id]).unwrap();
    let r2 = w.referral_for(ids[2], Intervention::SupportedVisitation);
    a.referral_id = r2.id;
    t.insert_referral(&r2, &first_version(&r2, w.caseworker.id)).await.unwrap();
    t.insert_appointment(&a).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    let all = r.cases(&CaseFilter::default(), Page::first(100)).await.unwrap();
    assert_eq!(all.iter().map(|c| c.id).collect::<Vec<_>>(), ids, "creation order");
    assert_eq!(r.count_cases(&CaseFilter::default()).await.unwrap(), 7);

    let p1 = r.cases(&CaseFilter::default(), Page::first(3)).await.unwrap();
    let p2 = r.cases(&CaseFilter::default(), Page::after(3, p1[2].id.uuid())).await.unwrap();
    let p3 = r.cases(&CaseFilter::default(), Page::after(3, p2[2].id.uuid())).await.unwrap();
    let paged: Vec<CaseId> = p1.iter().chain(&p2).chain(&p3).map(|c| c.id).collect();
    assert_eq!(paged, ids);

    let holstebro = CaseFilter { municipality: Some(other_m.id), ..Default::default() };
    assert_eq!(r.count_cases(&holstebro).await.unwrap(), 5);
    let open = CaseFilter { open_only: true, provider: Some(w.provider.id), ..Default::default() };
    assert_eq!(r.count_cases(&open).await.unwrap(), 6);

    let mine = CaseFilter { staff: Some(w.practitioner.id), ..Default::default() };
    assert_eq!(
        r.cases(&mine, Page::first(10)).await.unwrap().iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![w.case.id]
    );
    let theirs = CaseFilter { staff: Some(w.practitioner2.id), ..Default::default() };
    assert_eq!(r.cases(&theirs, Page::first(10)).await.unwrap().iter().map(|c| c.id).collect::<Vec<_>>(), vec![ids[2]]);
    let coordinator = CaseFilter { staff: Some(w.coordinator.id), ..Default::default() };
    assert_eq!(r.count_cases(&coordinator).await.unwrap(), 1, "coordinator of the world referral");
}

/// Family members read back with roles and protection flags, and can be changed.
pub async fn family_members_round_trip(store: &dyn Store) {
    let w = World::create(store).await;
    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.family_member(w.mother.id).await.unwrap(), w.mother);
    assert_eq!(r.family_members(w.case.id).await.unwrap(), vec![w.grandmother.clone(), w.mother.clone()], "by name");
    drop(r);

    let mut t = tx(store).await;
    let mut m = w.mother.clone();
    m.roles = vec![FamilyRole::VisitingParent];
    m.address_protected = true;
    m.email = Some(Email::parse("mor@example.dk").unwrap());
    t.update_family_member(&m).await.unwrap();
    t.commit().await.unwrap();
    assert_eq!(store.begin_read().await.unwrap().family_member(m.id).await.unwrap(), m);
}

/// A change of terms is a new version; the current terms and every earlier version are kept.
pub async fn referral_terms_are_versioned(store: &dyn Store) {
    let w = World::create(store).await;
    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.referral(w.referral.id).await.unwrap(), w.referral);
    drop(r);

    let mut t = tx(store).await;
    let mut changed = t.referral(w.referral.id).await.unwrap();
    let mut terms = changed.terms.clone();
    terms.ordered_hours = 60;
    terms.period = DateRange::new(date(2026, 1, 1), date(2026, 12, 31)).unwrap();
    terms.work_goals.push(text("Mor kan sige fra over for konflikter"));
    let v2 = ReferralVersion {
        referral_id: changed.id,
        version: 2,
        terms: terms.clone(),
        changed_by: w.caseworker.id,
        changed_at: ts("2026-04-01T08:00:00Z"),
        reason: Some(text("Forlænget efter opfølgningsmøde")),
    };
    changed.terms = terms.clone();
    changed.terms_version = 2;
    t.add_referral_version(&mut changed, &v2).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    let got = r.referral(w.referral.id).await.unwrap();
    assert_eq!(got, changed);
    assert_eq!(got.terms.ordered_hours, 60);
    let versions = r.referral_versions(w.referral.id).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].terms, w.referral.terms);
    assert_eq!(versions[0].version, 1);
    assert_eq!(versions[1], v2);
}

/// Referrals are filtered by case, state, assignment, caseworker, municipality and intervention.
pub async fn referral_filters(store: &dyn Store) {
    let w = World::create(store).await;
    let mut t = tx(store).await;
    let mut received = w.referral_for(w.case.id, Intervention::HomeSupport);
    received.state = ReferralState::Received;
    received.coordinator_id = None;
    received.practitioner_ids = vec![];
    t.insert_referral(&received, &first_version(&received, w.caseworker.id)).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    let ids = |v: Vec<Referral>| v.into_iter().map(|r| r.id).collect::<Vec<_>>();
    let by_case = ReferralFilter { case: Some(w.case.id), ..Default::default() };
    assert_eq!(ids(r.referrals(&by_case, Page::default()).await.unwrap()), vec![w.referral.id, received.id]);
    let new = ReferralFilter { states: vec![ReferralState::Received], ..Default::default() };
    assert_eq!(ids(r.referrals(&new, Page::default()).await.unwrap()), vec![received.id]);
    let open = ReferralFilter { states: vec![ReferralState::Accepted, ReferralState::Active], ..Default::default() };
    assert_eq!(ids(r.referrals(&open, Page::default()).await.unwrap()), vec![w.referral.id]);
    let assigned = ReferralFilter { assigned: Some(w.practitioner.id), ..Default::default() };
    assert_eq!(ids(r.referrals(&assigned, Page::default()).await.unwrap()), vec![w.referral.id]);
    let coordinated = ReferralFilter { assigned: Some(w.coordinator.id), ..Default::default() };
    assert_eq!(ids(r.referrals(&coordinated, Page::default()).await.unwrap()), vec![w.referral.id]);
    let by_caseworker = ReferralFilter { caseworker: Some(w.caseworker.id), ..Default::default() };
    assert_eq!(r.referrals(&by_caseworker, Page::default()).await.unwrap().len(), 2);
    let by_municipality = ReferralFilter { municipality: Some(w.municipality.id), ..Default::default() };
    assert_eq!(r.referrals(&by_municipality, Page::default()).await.unwrap().len(), 2);
    let by_provider = ReferralFilter { provider: Some(w.provider.id), ..Default::default() };
    assert_eq!(r.referrals(&by_provider, Page::default()).await.unwrap().len(), 2);
    let home = ReferralFilter { intervention: Some(Intervention::HomeSupport), ..Default::default() };
    assert_eq!(ids(r.referrals(&home, Page::default()).await.unwrap()), vec![received.id]);
    let page1 = r.referrals(&ReferralFilter::default(), Page::first(1)).await.unwrap();
    let page2 = r.referrals(&ReferralFilter::default(), Page::after(1, page1[0].id.uuid())).await.unwrap();
    assert_eq!(ids(page1.into_iter().chain(page2).collect()), vec![w.referral.id, received.id]);
}

/// Committee decisions and suspensions read back whole, ordered by period start.
pub async fn decisions_and_suspensions_round_trip(store: &dyn Store) {
    let w = World::create(store).await;
    let mut t = tx(store).await;
    let later = decision(w.case.id, date(2026, 7, 1), date(2026, 12, 31));
    let earlier = decision(w.case.id, date(2026, 1, 1), date(2026, 6, 30));
    t.insert_decision(&later).await.unwrap();
    t.insert_decision(&earlier).await.unwrap();
    let s = suspension(w.case.id, date(2026, 3, 1), date(2026, 3, 28));
    t.insert_suspension(&s).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.decisions(w.case.id).await.unwrap(), vec![earlier, later]);
    assert_eq!(r.suspensions(w.case.id).await.unwrap(), vec![s]);
    assert_eq!(r.decisions(CaseId::new()).await.unwrap(), vec![]);
}

/// A consent is withdrawn from a moment, once; the record of when it was given stays.
pub async fn consent_withdrawal_is_recorded_once(store: &dyn Store) {
    let w = World::create(store).await;
    let mut t = tx(store).await;
    let by_mother = consent(&w, ConsentGiver::FamilyMember(w.mother.id), ConsentPurpose::WrittenDescriptions);
    let by_child = consent(&w, ConsentGiver::Child, ConsentPurpose::Intervention);
    t.insert_consent(&by_mother).await.unwrap();
    t.insert_consent(&by_child).await.unwrap();
    t.commit().await.unwrap();

    let at = ts("2026-05-01T12:00:00Z");
    let mut t = tx(store).await;
    t.withdraw_consent(by_mother.id, at).await.unwrap();
    let err = t.withdraw_consent(by_mother.id, ts("2026-05-02T12:00:00Z")).await.unwrap_err();
    assert!(err.is_conflict(Conflict::AlreadyWithdrawn), "{err:?}");
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    let got = r.consent(by_mother.id).await.unwrap();
    assert_eq!(got.withdrawn_at, Some(at));
    assert_eq!(got.given_at, by_mother.given_at);
    let all = r.consents(w.case.id).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.contains(&by_child));
    assert!(matches!(r.consent(ConsentId::new()).await, Err(StoreError::NotFound)));
}

/// Every appointment kind, location, participant and outcome reads back as stored.
pub async fn appointments_round_trip_every_kind_and_outcome(store: &dyn Store) {
    let w = World::create(store).await;
    let outcomes = [
        None,
        Some(Outcome::Held { brought_by: Some(text("Plejemor")), incidents: None }),
        Some(Outcome::Cancelled { by: CancelledBy::Parent, reason: Some(text("Syg")) }),
        Some(Outcome::NoShow { who: CancelledBy::Parent }),
        Some(Outcome::EndedEarly {
            brought_by: None,
            reason: long("Barnet blev ked af det og ville hjem."),
            incidents: Some(long("Far hævede stemmen.")),
        }),
    ];
    let locations = [
        Location::Room(w.room.id),
        Location::FamilyHome,
        Location::PlacementSetting,
        Location::Other(text("Svømmehallen")),
    ];
    let mut t = tx(store).await;
    let mut all = Vec::new();
    for (i, kind) in AppointmentKind::ALL.into_iter().enumerate() {
        let day = date(2026, 3, 2).checked_add((i as i32).days()).unwrap();
        let start = day.at(9, 0, 0, 0).to_zoned(samvirke_domain::calendar::copenhagen()).unwrap().timestamp();
        let mut a = appointment(&w, kind, &start.to_string(), &(start + 90.minutes()).to_string());
        a.location = locations[i % locations.len()].clone();
        a.outcome = outcomes[i % outcomes.len()].clone();
        if a.outcome.is_some() {
            a.outcome_recorded_at = Some(start + 3.hours());
            a.actual = Some(TimeRange::new(start + 5.minutes(), start + 80.minutes()).unwrap());
        }
        if i == 0 {
            a.practitioners = Practitioners::new(vec![w.practitioner.id, w.practitioner2.id]).unwrap();
            a.participants = vec![
                Participant::Child,
                Participant::FamilyMember(w.mother.id),
                Participant::Staff(w.caseworker.id),
                Participant::Caregiver,
                Participant::Other(text("Tolk Amir Haddad")),
            ];
            a.arrival = Some(ArrivalPlan {
                parent_arrives: start - 15.minutes(),
                child_arrives: start,
                child_leaves: start + 90.minutes(),
                parent_leaves: start + 105.minutes(),
            });
            a.series_id = Some(SeriesId::new());
        }
        t.insert_appointment(&a).await.unwrap();
        all.push(a);
    }
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    for a in &all {
        assert_eq!(&r.appointment(a.id).await.unwrap(), a, "{:?}", a.kind);
    }
    drop(r);

    let mut t = tx(store).await;
    let mut moved = all[1].clone();
    moved.planned = range("2026-04-01T10:00:00Z", "2026-04-01T11:00:00Z");
    moved.practitioners = Practitioners::new(vec![w.practitioner2.id]).unwrap();
    moved.location = Location::Room(w.room.id);
    t.update_appointment(&mut moved).await.unwrap();
    t.commit().await.unwrap();
    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.appointment(moved.id).await.unwrap(), moved);
    let by_p2 = AppointmentFilter { staff: Some(w.practitioner2.id), ..Default::default() };
    let ids: Vec<_> = r.appointments(&by_p2, 100).await.unwrap().into_iter().map(|a| a.id).collect();
    assert!(ids.contains(&moved.id), "the new practitioner sees the moved appointment");
}

/// Appointments are filtered by case, referral, staff, room, time, kind, outcome and assignment, and paged.
pub async fn appointment_filters_and_paging(store: &dyn Store) {
    let w = World::create(store).await;
    let mut t = tx(store).await;
    let mut a1 = appointment(&w, AppointmentKind::Visit, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    a1.location = Location::Room(w.room.id);
    let mut a2 = appointment(&w, AppointmentKind::GuidanceAfterVisit, "2026-03-07T11:00:00Z", "2026-03-07T11:30:00Z");
    a2.practitioners = Practitioners::new(vec![w.practitioner2.id]).unwrap();
    a2.outcome = Some(Outcome::Held { brought_by: None, incidents: None });
    let mut a3 = appointment(&w, AppointmentKind::FollowUpMeeting, "2026-03-09T12:00:00Z", "2026-03-09T13:00:00Z");
    a3.practitioners = Practitioners::default();
    let mut a4 = appointment(&w, AppointmentKind::Visit, "2026-03-07T09:00:00Z", "2026-03-07T10:00:00Z");
    a4.location = Location::FamilyHome;
    // Another practitioner: the first is in a1 at the time.
    a4.practitioners = Practitioners::new(vec![w.coordinator.id]).unwrap();
    for a in [&a1, &a2, &a3, &a4] {
        t.insert_appointment(a).await.unwrap();
    }
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    let ids = |v: Vec<Appointment>| v.into_iter().map(|a| a.id).collect::<Vec<_>>();
    let mut same_start = [a1.id, a4.id];
    same_start.sort();
    let all = ids(r.appointments(&AppointmentFilter::default(), 100).await.unwrap());
    assert_eq!(all, vec![same_start[0], same_start[1], a2.id, a3.id], "by start, then id");

    let f = |during: Option<TimeRange>| AppointmentFilter { during, ..Default::default() };
    let morning = range("2026-03-07T10:30:00Z", "2026-03-07T11:00:00Z");
    assert_eq!(ids(r.appointments(&f(Some(morning)), 100).await.unwrap()), vec![a1.id], "overlap, end exclusive");

    let room = AppointmentFilter { room: Some(w.room.id), ..Default::default() };
    assert_eq!(ids(r.appointments(&room, 100).await.unwrap()), vec![a1.id]);
    let staff = AppointmentFilter { staff: Some(w.practitioner2.id), ..Default::default() };
    assert_eq!(ids(r.appointments(&staff, 100).await.unwrap()), vec![a2.id]);
    let unassigned = AppointmentFilter { unassigned: true, ..Default::default() };
    assert_eq!(ids(r.appointments(&unassigned, 100).await.unwrap()), vec![a3.id]);
    let open = AppointmentFilter { without_outcome: true, kinds: vec![AppointmentKind::Visit], ..Default::default() };
    assert_eq!(r.appointments(&open, 100).await.unwrap().len(), 2);
    let by_case = AppointmentFilter { case: Some(w.case.id), referral: Some(w.referral.id), ..Default::default() };
    assert_eq!(r.appointments(&by_case, 100).await.unwrap().len(), 4);
    let by_provider = AppointmentFilter { provider: Some(w.provider.id), ..Default::default() };
    assert_eq!(r.appointments(&by_provider, 100).await.unwrap().len(), 4);
    let elsewhere = AppointmentFilter { provider: Some(ProviderId::new()), ..Default::default() };
    assert_eq!(r.appointments(&elsewhere, 100).await.unwrap().len(), 0);

    let first = r.appointments(&AppointmentFilter::default(), 2).await.unwrap();
    let last = first.last().unwrap();
    let next = AppointmentFilter { after: Some((last.planned.start, last.id)), ..Default::default() };
    assert_eq!(ids(r.appointments(&next, 2).await.unwrap()), vec![a2.id, a3.id]);
}

/// Appointments inserted in a batch read back like single ones.
pub async fn batch_inserted_appointments_read_back(store: &dyn Store) {
    let w = World::create(store).await;
    let start = ts("2026-01-03T09:00:00Z");
    let batch: Vec<Appointment> = (0..500)
        .map(|i| {
            let s = start + (i * 24).hours();
            let mut a = appointment(&w, AppointmentKind::Visit, &s.to_string(), &(s + 2.hours()).to_string());
            if i % 4 == 0 {
                a.outcome = Some(Outcome::Held { brought_by: Some(text("Plejefar")), incidents: None });
            }
            if i % 2 == 0 {
                a.practitioners = Practitioners::new(vec![w.practitioner.id, w.practitioner2.id]).unwrap();
            }
            a
        })
        .collect();
    let mut t = tx(store).await;
    t.insert_appointments(&batch).await.unwrap();
    t.insert_appointments(&[]).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    let got = r.appointments(&AppointmentFilter::default(), 1000).await.unwrap();
    assert_eq!(got, batch);
    let second = AppointmentFilter { staff: Some(w.practitioner2.id), ..Default::default() };
    assert_eq!(r.appointments(&second, 1000).await.unwrap().len(), 250);
}

/// A planned appointment can be removed; one with an outcome is history and cannot.
pub async fn only_planned_appointments_can_be_deleted(store: &dyn Store) {
    let w = World::create(store).await;
    let planned = appointment(&w, AppointmentKind::Visit, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    let mut held = appointment(&w, AppointmentKind::Visit, "2026-03-01T09:00:00Z", "2026-03-01T11:00:00Z");
    held.outcome = Some(Outcome::Held { brought_by: None, incidents: None });
    let mut t = tx(store).await;
    t.insert_appointment(&planned).await.unwrap();
    t.insert_appointment(&held).await.unwrap();
    t.delete_appointment(planned.id).await.unwrap();
    let err = t.delete_appointment(held.id).await.unwrap_err();
    assert!(err.is_conflict(Conflict::InUse), "{err:?}");
    assert!(matches!(t.delete_appointment(AppointmentId::new()).await, Err(StoreError::NotFound)));
    t.commit().await.unwrap();
    let mut r = store.begin_read().await.unwrap();
    assert!(matches!(r.appointment(planned.id).await, Err(StoreError::NotFound)));
    assert_eq!(r.appointment(held.id).await.unwrap(), held);
    let by_staff = AppointmentFilter { staff: Some(w.practitioner.id), ..Default::default() };
    assert_eq!(r.appointments(&by_staff, 10).await.unwrap().len(), 1, "the deleted one's staff rows are gone too");
}

/// The journal lists the newest entry first and pages by id.
pub async fn journal_is_newest_first_and_paged(store: &dyn Store) {
    let w = World::create(store).await;
    let mut t = tx(store).await;
    let mut entries = Vec::new();
    for i in 0..5 {
        let e = journal_entry(&w, &format!("Notat nummer {i}"), ts("2026-03-01T10:00:00Z") + (i * 24).hours());
        t.insert_journal_entry(&e).await.unwrap();
        entries.push(e);
    }
    t.commit().await.unwrap();
    entries.reverse();

    let mut r = store.begin_read().await.unwrap();
    let p1 = r.journal(w.case.id, Page::first(3)).await.unwrap();
    assert_eq!(p1, entries[..3]);
    let p2 = r.journal(w.case.id, Page::after(3, p1[2].id.uuid())).await.unwrap();
    assert_eq!(p2, entries[3..]);
    assert_eq!(r.journal(CaseId::new(), Page::default()).await.unwrap(), vec![]);
}

/// A document keeps every version; the family's review (when they read it,
/// and their comment) is stored with its version, and a later review replaces both.
pub async fn documents_keep_every_version_and_the_family_review(store: &dyn Store) {
    let w = World::create(store).await;
    let (mut doc, v1) = document(&w, DocumentKind::WrittenDescription, "Samværet forløb roligt.");
    let mut t = tx(store).await;
    t.insert_document(&doc, &v1).await.unwrap();
    t.commit().await.unwrap();

    let mut t = tx(store).await;
    let v2 = DocumentVersion {
        document_id: doc.id,
        version: 2,
        body: long("Samværet forløb roligt. Ida viste mor sin tegning."),
        child_views: None,
        family_comment: None,
        family_read_at: None,
        author_id: w.practitioner.id,
        created_at: ts("2026-03-08T10:00:00Z"),
    };
    doc.current_version = 2;
    t.add_document_version(&mut doc, &v2).await.unwrap();
    doc.state = DocumentState::FamilyReview;
    t.update_document(&mut doc).await.unwrap();
    let first = long("Vi vil gerne have flere samvær.");
    t.record_family_review(doc.id, 2, ts("2026-03-09T18:00:00Z"), Some(&first)).await.unwrap();
    let comment = long("Vi er enige, men vil gerne have flere samvær.");
    let read_at = ts("2026-03-10T19:30:00Z");
    t.record_family_review(doc.id, 2, read_at, Some(&comment)).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.document(doc.id).await.unwrap(), doc);
    let versions = r.document_versions(doc.id).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0], v1, "the review of version 2 leaves version 1 alone");
    assert_eq!(versions[1], DocumentVersion { family_comment: Some(comment), family_read_at: Some(read_at), ..v2 });
    assert!(matches!(r.document_versions(DocumentId::new()).await, Ok(v) if v.is_empty()));
    drop(r);

    // Read without a comment: the earlier comment goes, the new reading time stays.
    let mut t = tx(store).await;
    let reread = ts("2026-03-11T08:00:00Z");
    t.record_family_review(doc.id, 2, reread, None).await.unwrap();
    let v = t.document_versions(doc.id).await.unwrap().pop().unwrap();
    assert_eq!((v.family_comment, v.family_read_at), (None, Some(reread)));
}

/// The family review of a document or version that does not exist is `NotFound`.
pub async fn the_family_review_of_a_missing_version_is_not_found(store: &dyn Store) {
    let w = World::create(store).await;
    let (doc, v1) = document(&w, DocumentKind::StatusLetter, "Status");
    let mut t = tx(store).await;
    t.insert_document(&doc, &v1).await.unwrap();
    let at = ts("2026-03-09T18:00:00Z");
    let err = t.record_family_review(doc.id, 2, at, None).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound), "no version 2: {err:?}");
    let err = t.record_family_review(DocumentId::new(), 1, at, None).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound), "no document: {err:?}");
}

/// When a document was sent, the child's own views and when the family read
/// a version read back exactly as written, to the microsecond, and absent
/// values stay absent.
pub async fn sending_times_child_views_and_family_reading_round_trip_exactly(store: &dyn Store) {
    let w = World::create(store).await;
    let (mut letter, mut v1) = document(&w, DocumentKind::ClosingLetter, "Forløbet afsluttes som aftalt.");
    letter.title = text("Afsluttende statusskrivelse");
    letter.state = DocumentState::Sent;
    letter.sent_at = Some(ts("2026-03-12T09:41:07.123456Z"));
    v1.child_views = Some(long("Ida siger, at hun glæder sig til samværene.\nHun vil gerne se mormor oftere."));
    v1.family_comment = Some(long("Vi er enige."));
    v1.family_read_at = Some(ts("2026-03-11T20:05:59.000001Z"));
    let (mut draft, draft_v1) = document(&w, DocumentKind::StatusLetter, "Kladde");
    let mut t = tx(store).await;
    t.insert_document(&letter, &v1).await.unwrap();
    t.insert_document(&draft, &draft_v1).await.unwrap();
    t.commit().await.unwrap();

    // Sending an existing document records its time through update_document.
    let mut t = tx(store).await;
    draft.state = DocumentState::Sent;
    draft.sent_at = Some(ts("2026-03-13T07:00:00.000700Z"));
    t.update_document(&mut draft).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.document(letter.id).await.unwrap(), letter);
    assert_eq!(r.document_versions(letter.id).await.unwrap(), vec![v1]);
    assert_eq!(r.document(draft.id).await.unwrap(), draft);
    assert_eq!(r.document_versions(draft.id).await.unwrap(), vec![draft_v1.clone()]);
    assert_eq!((draft_v1.child_views, draft_v1.family_read_at), (None, None));
    let by_case = DocumentFilter { case: Some(w.case.id), ..Default::default() };
    assert_eq!(r.documents(&by_case, Page::default()).await.unwrap(), vec![letter, draft], "lists carry it too");
}

/// Once a document is sent, its sending time is neither changed nor cleared;
/// the document itself may still move on, e.g. to archived.
pub async fn a_sent_document_keeps_its_sending_time(store: &dyn Store) {
    let w = World::create(store).await;
    let (mut doc, v1) = document(&w, DocumentKind::WrittenDescription, "Samværet forløb roligt.");
    doc.state = DocumentState::Sent;
    doc.sent_at = Some(ts("2026-03-08T09:00:00Z"));
    let mut t = tx(store).await;
    t.insert_document(&doc, &v1).await.unwrap();
    t.commit().await.unwrap();

    for changed in [Some(ts("2026-03-09T09:00:00Z")), None] {
        let mut t = tx(store).await;
        let mut d = doc.clone();
        d.sent_at = changed;
        let err = t.update_document(&mut d).await.unwrap_err();
        assert!(err.is_conflict(Conflict::Immutable), "sent_at {changed:?}: {err:?}");
    }

    let mut t = tx(store).await;
    doc.state = DocumentState::Archived;
    t.update_document(&mut doc).await.unwrap();
    t.commit().await.unwrap();
    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.document(doc.id).await.unwrap(), doc);
    assert_eq!(r.document_versions(doc.id).await.unwrap(), vec![v1]);
}

/// Documents are filtered by case, referral, appointment, kind, state and provider.
pub async fn document_filters(store: &dyn Store) {
    let w = World::create(store).await;
    let visit = appointment(&w, AppointmentKind::Visit, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    let (mut d1, v1) = document(&w, DocumentKind::WrittenDescription, "Beskrivelse");
    d1.appointment_id = Some(visit.id);
    let (mut d2, v2) = document(&w, DocumentKind::StatusLetter, "Status");
    d2.state = DocumentState::Sent;
    let mut t = tx(store).await;
    t.insert_appointment(&visit).await.unwrap();
    t.insert_document(&d1, &v1).await.unwrap();
    t.insert_document(&d2, &v2).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    let ids = |v: Vec<Document>| v.into_iter().map(|d| d.id).collect::<Vec<_>>();
    let by_case = DocumentFilter { case: Some(w.case.id), ..Default::default() };
    assert_eq!(ids(r.documents(&by_case, Page::default()).await.unwrap()), vec![d1.id, d2.id]);
    let sent = DocumentFilter { states: vec![DocumentState::Sent], ..Default::default() };
    assert_eq!(ids(r.documents(&sent, Page::default()).await.unwrap()), vec![d2.id]);
    let desc = DocumentFilter { kind: Some(DocumentKind::WrittenDescription), ..Default::default() };
    assert_eq!(ids(r.documents(&desc, Page::default()).await.unwrap()), vec![d1.id]);
    let by_appt = DocumentFilter { appointment: d1.appointment_id, ..Default::default() };
    assert_eq!(ids(r.documents(&by_appt, Page::default()).await.unwrap()), vec![d1.id]);
    let by_provider =
        DocumentFilter { provider: Some(w.provider.id), referral: Some(w.referral.id), ..Default::default() };
    assert_eq!(r.documents(&by_provider, Page::default()).await.unwrap().len(), 2);
    let page = r.documents(&DocumentFilter::default(), Page::after(10, d1.id.uuid())).await.unwrap();
    assert_eq!(ids(page), vec![d2.id]);
}

/// The outbox lists what was sent newest first, by case, document, recipient
/// and municipality, and pages with `before`.
pub async fn the_outbox_lists_newest_first_by_each_filter_and_pages(store: &dyn Store) {
    let w = World::create(store).await;
    let mut t = tx(store).await;
    // A second municipality with its own caseworker and a case of its own.
    let holstebro = municipality(661, "Holstebro Kommune");
    let mut caseworker2 = practitioner(w.provider.id, "Jens Vinther", Employment::Permanent);
    caseworker2.role = StaffRole::Caseworker;
    caseworker2.employer = Employer::Municipality(holstebro.id);
    let case2 = case(w.provider.id, holstebro.id, "Noah Vinther", "0707124321");
    let mut referral2 = w.referral_for(case2.id, Intervention::HomeSupport);
    referral2.caseworker_id = caseworker2.id;
    t.insert_municipality(&holstebro).await.unwrap();
    t.insert_staff(&caseworker2).await.unwrap();
    t.insert_case(&case2).await.unwrap();
    t.insert_referral(&referral2, &first_version(&referral2, caseworker2.id)).await.unwrap();

    let (mut d1, d1v1) = document(&w, DocumentKind::WrittenDescription, "Beskrivelse, version 1");
    let d1v2 = DocumentVersion { version: 2, body: long("Beskrivelse, version 2"), ..d1v1.clone() };
    let (mut d2, d2v1) = document(&w, DocumentKind::StatusLetter, "Status om hjemmestøtte");
    d2.case_id = case2.id;
    d2.referral_id = referral2.id;
    t.insert_document(&d1, &d1v1).await.unwrap();
    d1.current_version = 2;
    t.add_document_version(&mut d1, &d1v2).await.unwrap();
    t.insert_document(&d2, &d2v1).await.unwrap();

    // Ids are time-ordered: m1 is the oldest message, m4 the newest.
    let m1 = outbox_message(&w, &d1, &d1v1, ts("2026-03-08T09:00:00Z"));
    let mut m2 = outbox_message(&w, &d2, &d2v1, ts("2026-03-08T10:00:00Z"));
    m2.recipient_id = caseworker2.id;
    m2.municipality_id = holstebro.id;
    let m3 = outbox_message(&w, &d1, &d1v2, ts("2026-03-09T09:00:00Z"));
    let mut m4 = outbox_message(&w, &d2, &d2v1, ts("2026-03-10T09:00:00Z"));
    m4.recipient_id = caseworker2.id;
    m4.municipality_id = holstebro.id;
    m4.family_comment = Some(long("Vi har læst den."));
    m4.child_views = Some(long("Noah synes, det går godt i skolen."));
    t.insert_outbox_messages(std::slice::from_ref(&m3)).await.unwrap();
    t.insert_outbox_messages(&[m1.clone(), m4.clone(), m2.clone()]).await.unwrap();
    t.insert_outbox_messages(&[]).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    let all = OutboxFilter::default();
    assert_eq!(r.outbox(&all, 10).await.unwrap(), vec![m4.clone(), m3.clone(), m2.clone(), m1.clone()]);
    let ids = |v: Vec<OutboxMessage>| v.into_iter().map(|m| m.id).collect::<Vec<_>>();
    let by_case = OutboxFilter { case: Some(case2.id), ..Default::default() };
    assert_eq!(ids(r.outbox(&by_case, 10).await.unwrap()), [m4.id, m2.id]);
    let by_document = OutboxFilter { document: Some(d1.id), ..Default::default() };
    assert_eq!(ids(r.outbox(&by_document, 10).await.unwrap()), [m3.id, m1.id]);
    let by_recipient = OutboxFilter { recipient: Some(w.caseworker.id), ..Default::default() };
    assert_eq!(ids(r.outbox(&by_recipient, 10).await.unwrap()), [m3.id, m1.id]);
    let by_municipality = OutboxFilter { municipality: Some(holstebro.id), ..Default::default() };
    assert_eq!(ids(r.outbox(&by_municipality, 10).await.unwrap()), [m4.id, m2.id]);
    let both = OutboxFilter { case: Some(w.case.id), municipality: Some(holstebro.id), ..Default::default() };
    assert_eq!(r.outbox(&both, 10).await.unwrap(), vec![], "filters combine");

    let page1 = r.outbox(&all, 2).await.unwrap();
    assert_eq!(ids(page1.clone()), [m4.id, m3.id]);
    let page2 = r.outbox(&OutboxFilter { before: Some(page1[1].id), ..Default::default() }, 2).await.unwrap();
    assert_eq!(ids(page2.clone()), [m2.id, m1.id]);
    assert_eq!(r.outbox(&OutboxFilter { before: Some(page2[1].id), ..Default::default() }, 2).await.unwrap(), vec![]);
    let paged_filter = OutboxFilter { document: Some(d2.id), before: Some(m4.id), ..Default::default() };
    assert_eq!(ids(r.outbox(&paged_filter, 10).await.unwrap()), [m2.id]);
    assert_eq!(r.outbox(&OutboxFilter { case: Some(CaseId::new()), ..Default::default() }, 10).await.unwrap(), vec![]);
}

/// What was sent stays as it was: an outbox message is written once (the same
/// id again is a duplicate), it must be of a stored version, and the version
/// sent is final, so the family review of a sent document is refused.
pub async fn outbox_messages_are_never_replaced(store: &dyn Store) {
    let w = World::create(store).await;
    let (mut doc, v1) = document(&w, DocumentKind::WrittenDescription, "Samværet forløb roligt.");
    let mut t = tx(store).await;
    t.insert_document(&doc, &v1).await.unwrap();
    let sent_at = ts("2026-03-08T09:00:00Z");
    doc.state = DocumentState::Sent;
    doc.sent_at = Some(sent_at);
    t.update_document(&mut doc).await.unwrap();
    let m = outbox_message(&w, &doc, &v1, sent_at);
    t.insert_outbox_messages(std::slice::from_ref(&m)).await.unwrap();
    t.commit().await.unwrap();

    let mut t = tx(store).await;
    let again = OutboxMessage { body: long("En anden tekst"), ..m.clone() };
    let err = t.insert_outbox_messages(std::slice::from_ref(&again)).await.unwrap_err();
    assert!(err.is_conflict(Conflict::Duplicate), "{err:?}");
    drop(t);

    let mut t = tx(store).await;
    let unknown_version = OutboxMessage { id: OutboxMessageId::new(), version: 2, ..m.clone() };
    let err = t.insert_outbox_messages(std::slice::from_ref(&unknown_version)).await.unwrap_err();
    assert!(err.is_conflict(Conflict::MissingReference), "{err:?}");
    drop(t);

    let mut t = tx(store).await;
    let err = t.record_family_review(doc.id, 1, ts("2026-03-09T18:00:00Z"), Some(&long("Efterskrift"))).await;
    assert!(err.unwrap_err().is_conflict(Conflict::Immutable));
    drop(t);

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.outbox(&OutboxFilter::default(), 10).await.unwrap(), vec![m]);
    assert_eq!(r.document_versions(doc.id).await.unwrap(), vec![v1], "the sent version is as it was");
}

/// A provider's documentation settings are the defaults until set; setting
/// them again replaces them, and one provider's settings are its own.
pub async fn documentation_settings_default_until_set_and_are_replaced_whole(store: &dyn Store) {
    use samvirke_domain::documentation::{DocumentationSettings, StatusLetterCadence};
    let w = World::create(store).await;
    let other = Provider { id: ProviderId::new(), name: text("Ørestad Familiecenter"), municipalities: vec![] };
    let mut t = tx(store).await;
    t.insert_provider(&other).await.unwrap();
    assert_eq!(t.documentation_settings(w.provider.id).await.unwrap(), DocumentationSettings::default());
    let cadence = StatusLetterCadence { home_support: Some(8), contact_person: None, ..Default::default() };
    let first = DocumentationSettings::new(5, 45, cadence).unwrap();
    t.set_documentation_settings(w.provider.id, &first).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.documentation_settings(w.provider.id).await.unwrap(), first);
    assert_eq!(r.documentation_settings(other.id).await.unwrap(), DocumentationSettings::default());
    drop(r);

    let mut t = tx(store).await;
    let second = DocumentationSettings::new(2, 14, StatusLetterCadence::default()).unwrap();
    t.set_documentation_settings(w.provider.id, &second).await.unwrap();
    let err = t.set_documentation_settings(ProviderId::new(), &second).await.unwrap_err();
    assert!(err.is_conflict(Conflict::MissingReference), "{err:?}");
    drop(t);
    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.documentation_settings(w.provider.id).await.unwrap(), first, "the dropped transaction set nothing");
    drop(r);

    let mut t = tx(store).await;
    t.set_documentation_settings(w.provider.id, &second).await.unwrap();
    t.commit().await.unwrap();
    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.documentation_settings(w.provider.id).await.unwrap(), second);
}

/// A parent action plan reads back whole, and changes are revision-checked.
pub async fn action_plan_round_trip(store: &dyn Store) {
    let w = World::create(store).await;
    let mut plan = action_plan(&w);
    let mut t = tx(store).await;
    t.insert_action_plan(&plan).await.unwrap();
    t.commit().await.unwrap();
    assert_eq!(store.begin_read().await.unwrap().action_plan(plan.id).await.unwrap(), plan);

    let stale = plan.clone();
    let mut t = tx(store).await;
    plan.phase = Phase::Change;
    plan.phase_history.push(PhaseChange { phase: Phase::Change, on: date(2026, 4, 1) });
    plan.reviews.push(PlanReview {
        on: date(2026, 4, 1),
        ratings: vec![GoalRating { goal_id: plan.goals[0].id, score: 6 }],
        note: Some(long("Mor kommer til tiden nu.")),
    });
    plan.goals[0].actions[0].done = true;
    t.update_action_plan(&mut plan).await.unwrap();
    let mut stale = stale;
    assert!(t.update_action_plan(&mut stale).await.unwrap_err().is_conflict(Conflict::StaleRevision));
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.action_plan(plan.id).await.unwrap(), plan);
    assert_eq!(r.action_plans(w.case.id).await.unwrap(), vec![plan]);
}

/// Contact-person focus areas read back and can be closed.
pub async fn focus_areas_round_trip(store: &dyn Store) {
    let w = World::create(store).await;
    let mut t = tx(store).await;
    let school = FocusArea {
        id: FocusAreaId::new(),
        case_id: w.case.id,
        referral_id: w.referral.id,
        area: FocusAreaKind::StayingInEducation,
        note: Some(long("Følges op hver fredag.")),
        started_on: date(2026, 2, 1),
        ended_on: None,
    };
    let mut friends = school.clone();
    friends.id = FocusAreaId::new();
    friends.area = FocusAreaKind::LeisureAndFriends;
    friends.started_on = date(2026, 1, 15);
    friends.note = None;
    t.insert_focus_area(&school).await.unwrap();
    t.insert_focus_area(&friends).await.unwrap();
    t.commit().await.unwrap();

    let mut t = tx(store).await;
    let mut closed = school.clone();
    closed.ended_on = Some(date(2026, 6, 1));
    t.update_focus_area(&closed).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.focus_area(school.id).await.unwrap(), closed);
    assert_eq!(r.focus_areas(w.case.id).await.unwrap(), vec![friends, closed], "by start");
}

/// Time entries are listed by date and summed per referral; a removed one no longer counts.
pub async fn time_entries_sum_per_referral(store: &dyn Store) {
    let w = World::create(store).await;
    let entry = |d: jiff::civil::Date, minutes: u32, kind: TimeKind| TimeEntry {
        id: TimeEntryId::new(),
        referral_id: w.referral.id,
        staff_id: w.practitioner.id,
        appointment_id: None,
        date: d,
        minutes: Minutes::new(minutes).unwrap(),
        kind,
        note: None,
        registered_at: ts("2026-03-10T16:00:00Z"),
    };
    let a = entry(date(2026, 3, 9), 120, TimeKind::Direct);
    let b = entry(date(2026, 3, 2), 45, TimeKind::Documentation);
    let mut c = entry(date(2026, 3, 5), 30, TimeKind::Travel);
    c.note = Some(text("Kørsel til hjemmet"));
    let mut t = tx(store).await;
    for e in [&a, &b, &c] {
        t.insert_time_entry(e).await.unwrap();
    }
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.time_entries(w.referral.id).await.unwrap(), vec![b.clone(), c.clone(), a.clone()]);
    assert_eq!(r.minutes_registered(w.referral.id).await.unwrap(), 195);
    assert_eq!(r.minutes_registered(ReferralId::new()).await.unwrap(), 0);
    drop(r);

    let mut t = tx(store).await;
    t.delete_time_entry(c.id).await.unwrap();
    t.commit().await.unwrap();
    assert_eq!(store.begin_read().await.unwrap().minutes_registered(w.referral.id).await.unwrap(), 165);
}

/// Users read back with their password hash; usernames are unique.
pub async fn users_round_trip_and_usernames_are_unique(store: &dyn Store) {
    let w = World::create(store).await;
    let coordinator = User {
        id: UserId::new(),
        username: Username::parse("birgitte").unwrap(),
        display_name: text("Birgitte Lund"),
        role: Role::Staff(StaffRole::Coordinator),
        subject: samvirke_domain::user::Subject::Staff(w.coordinator.id),
        active: true,
        created_at: ts("2026-01-01T08:00:00Z"),
    };
    let parent = User {
        id: UserId::new(),
        username: Username::parse("sara.s").unwrap(),
        display_name: text("Sara Sørensen"),
        role: Role::Parent,
        subject: samvirke_domain::user::Subject::FamilyMember(w.mother.id),
        active: true,
        created_at: ts("2026-01-02T08:00:00Z"),
    };
    let mut t = tx(store).await;
    t.insert_user(&coordinator, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA").await.unwrap();
    t.insert_user(&parent, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdDI$aGFzaDI").await.unwrap();
    let mut dup = parent.clone();
    dup.id = UserId::new();
    assert!(t.insert_user(&dup, "x").await.unwrap_err().is_conflict(Conflict::Duplicate));
    drop(t);

    let mut t = tx(store).await;
    t.insert_user(&coordinator, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA").await.unwrap();
    t.insert_user(&parent, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdDI$aGFzaDI").await.unwrap();
    t.commit().await.unwrap();
    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.user(parent.id).await.unwrap(), parent);
    let (u, hash) = r.user_credentials(&Username::parse("BIRGITTE").unwrap()).await.unwrap();
    assert_eq!(u, coordinator);
    assert_eq!(hash, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");
    assert!(matches!(r.user_credentials(&Username::parse("nobody").unwrap()).await, Err(StoreError::NotFound)));
    assert_eq!(r.users().await.unwrap(), vec![coordinator, parent]);
}

/// Every getter answers `NotFound` for an id that does not exist.
pub async fn missing_records_are_not_found(store: &dyn Store) {
    let mut r = store.begin_read().await.unwrap();
    macro_rules! missing {
        ($($call:expr),* $(,)?) => {$(
            assert!(matches!($call.await, Err(StoreError::NotFound)), stringify!($call));
        )*};
    }
    missing!(
        r.municipality(MunicipalityId::new()),
        r.provider(ProviderId::new()),
        r.staff(StaffId::new()),
        r.room(RoomId::new()),
        r.case(CaseId::new()),
        r.family_member(FamilyMemberId::new()),
        r.referral(ReferralId::new()),
        r.consent(ConsentId::new()),
        r.appointment(AppointmentId::new()),
        r.document(DocumentId::new()),
        r.action_plan(ActionPlanId::new()),
        r.focus_area(FocusAreaId::new()),
        r.user(UserId::new()),
    );
    assert_eq!(r.referral_versions(ReferralId::new()).await.unwrap(), vec![]);
}

/// A record that points at a missing record is refused, and names the problem.
pub async fn a_reference_to_a_missing_record_is_refused(store: &dyn Store) {
    let w = World::create(store).await;
    let mut t = tx(store).await;
    let orphan = case(ProviderId::new(), w.municipality.id, "Ingen Udbyder", "0303104321");
    let err = t.insert_case(&orphan).await.unwrap_err();
    assert!(err.is_conflict(Conflict::MissingReference), "{err:?}");
    drop(t);

    let mut t = tx(store).await;
    let mut a = appointment(&w, AppointmentKind::Visit, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    a.practitioners = Practitioners::new(vec![StaffId::new()]).unwrap();
    let err = t.insert_appointment(&a).await.unwrap_err();
    assert!(err.is_conflict(Conflict::MissingReference), "{err:?}");
    drop(t);

    let mut t = tx(store).await;
    let mut c = consent(&w, ConsentGiver::FamilyMember(FamilyMemberId::new()), ConsentPurpose::Intervention);
    c.referral_id = None;
    assert!(t.insert_consent(&c).await.unwrap_err().is_conflict(Conflict::MissingReference));
    drop(t);

    let mut r = store.begin_read().await.unwrap();
    assert!(matches!(r.appointment(a.id).await, Err(StoreError::NotFound)), "nothing half-written survived");
}

/// A transaction dropped without commit leaves nothing behind.
pub async fn a_dropped_transaction_leaves_nothing(store: &dyn Store) {
    let w = World::create(store).await;
    let mut t = tx(store).await;
    let c = case(w.provider.id, w.municipality.id, "Aldrig Gemt", "0404104321");
    t.insert_case(&c).await.unwrap();
    let mut changed = t.referral(w.referral.id).await.unwrap();
    changed.state = ReferralState::Closed;
    t.update_referral(&mut changed).await.unwrap();
    assert_eq!(t.case(c.id).await.unwrap(), c, "the transaction sees its own writes");
    drop(t);

    let mut r = store.begin_read().await.unwrap();
    assert!(matches!(r.case(c.id).await, Err(StoreError::NotFound)));
    assert_eq!(r.referral(w.referral.id).await.unwrap(), w.referral);
}

/// A read transaction sees what was committed before it began.
pub async fn a_read_transaction_sees_committed_data(store: &dyn Store) {
    let w = World::create(store).await;
    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.case(w.case.id).await.unwrap(), w.case);
    assert_eq!(r.count_cases(&CaseFilter::default()).await.unwrap(), 1);
    r.commit().await.unwrap();
    store.ping().await.unwrap();
}

/// After a refused write the caller can still drop the transaction, and earlier commits stand.
pub async fn a_failed_write_leaves_the_transaction_usable_for_rollback_only(store: &dyn Store) {
    let w = World::create(store).await;
    let mut t = tx(store).await;
    let c = case(w.provider.id, w.municipality.id, "Første", "0505104321");
    t.insert_case(&c).await.unwrap();
    assert!(t.insert_case(&c).await.is_err(), "same id twice");
    drop(t);
    let mut r = store.begin_read().await.unwrap();
    assert!(matches!(r.case(c.id).await, Err(StoreError::NotFound)));
    assert_eq!(r.case(w.case.id).await.unwrap(), w.case);
}

/// Names sort as Danish directories do: a–z, then æ, ø, å, case alike.
pub async fn lists_by_name_follow_danish_alphabetical_order(store: &dyn Store) {
    let w = World::create(store).await;
    let mut t = tx(store).await;
    for name in ["Åse Holm", "anders Aagaard", "Ørnulf Bach", "Zenia Møller"] {
        t.insert_staff(&practitioner(w.provider.id, name, Employment::Hourly)).await.unwrap();
        t.insert_family_member(&family_member(w.case.id, name, Relation::Friend, vec![FamilyRole::NetworkMember]))
            .await
            .unwrap();
    }
    for name in ["Åkanden", "ældrerummet", "Zonen"] {
        t.insert_room(&room(w.provider.id, name)).await.unwrap();
    }
    let second = Provider { id: ProviderId::new(), name: text("Ørestad Familiecenter"), municipalities: vec![] };
    t.insert_provider(&second).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    let staff: Vec<String> = r
        .list_staff(&StaffFilter { provider: Some(w.provider.id), ..Default::default() })
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name.to_string())
        .collect();
    assert_eq!(
        staff,
        ["anders Aagaard", "Birgitte Lund", "Karen Holm", "Mads Kjær", "Zenia Møller", "Ørnulf Bach", "Åse Holm"]
    );
    let family: Vec<String> =
        r.family_members(w.case.id).await.unwrap().into_iter().map(|m| m.name.to_string()).collect();
    assert_eq!(family, ["anders Aagaard", "Anne Sørensen", "Sara Sørensen", "Zenia Møller", "Ørnulf Bach", "Åse Holm"]);
    let rooms: Vec<String> = r.rooms(w.provider.id).await.unwrap().into_iter().map(|r| r.name.to_string()).collect();
    assert_eq!(rooms, ["Samværsrum 1", "Zonen", "ældrerummet", "Åkanden"]);
    let providers: Vec<String> = r.providers().await.unwrap().into_iter().map(|p| p.name.to_string()).collect();
    assert_eq!(providers, ["Familiehuset Åen", "Ørestad Familiecenter"]);
}

/// Lists page by id, so they are in creation order even when the records' own dates say otherwise.
pub async fn referrals_and_the_journal_follow_creation_order_not_their_dates(store: &dyn Store) {
    let w = World::create(store).await;
    let mut t = tx(store).await;
    let mut backdated = w.referral_for(w.case.id, Intervention::ContactPerson);
    backdated.received_at = ts("2025-06-01T08:00:00Z");
    t.insert_referral(&backdated, &first_version(&backdated, w.caseworker.id)).await.unwrap();
    let late = journal_entry(&w, "Skrevet først, om i går", ts("2026-03-02T10:00:00Z"));
    let early = journal_entry(&w, "Skrevet bagefter, om i forgårs", ts("2026-03-01T10:00:00Z"));
    t.insert_journal_entry(&late).await.unwrap();
    t.insert_journal_entry(&early).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    let ids: Vec<ReferralId> =
        r.referrals(&ReferralFilter::default(), Page::default()).await.unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(ids, [w.referral.id, backdated.id]);
    let journal: Vec<JournalEntryId> =
        r.journal(w.case.id, Page::default()).await.unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(journal, [early.id, late.id], "newest entry first");
    let next = r.journal(w.case.id, Page::after(10, early.id.uuid())).await.unwrap();
    assert_eq!(next.into_iter().map(|e| e.id).collect::<Vec<_>>(), [late.id]);
}

/// Inserts `a` in a transaction of its own and commits it.
async fn book(store: &dyn Store, a: &Appointment) {
    let mut t = tx(store).await;
    t.insert_appointment(a).await.unwrap_or_else(|e| panic!("booking {:?}: {e:?}", a.planned));
    t.commit().await.unwrap();
}

/// Inserting `a` is refused as a double booking, and nothing of it is stored.
async fn refused_as_double_booking(store: &dyn Store, a: &Appointment) {
    let mut t = tx(store).await;
    let err = t.insert_appointment(a).await.expect_err("a double booking is refused");
    assert!(err.is_conflict(Conflict::DoubleBooking), "{err:?}");
    drop(t);
    let mut r = store.begin_read().await.unwrap();
    assert!(matches!(r.appointment(a.id).await, Err(StoreError::NotFound)), "nothing of it is stored");
    for staff in a.practitioners.ids() {
        let mine = AppointmentFilter { staff: Some(*staff), ..Default::default() };
        assert!(!r.appointments(&mine, 1000).await.unwrap().iter().any(|x| x.id == a.id));
    }
}

fn in_room(mut a: Appointment, w: &World, staff: &[StaffId]) -> Appointment {
    a.location = Location::Room(w.room.id);
    a.practitioners = Practitioners::new(staff.to_vec()).unwrap();
    a
}

/// A room is never in two appointments at once: an overlap is refused
/// whoever the practitioners are; back to back is fine, and a place that is
/// not a room is not booked.
pub async fn a_room_is_never_booked_twice(store: &dyn Store) {
    let w = World::create(store).await;
    let (p1, p2) = (w.practitioner.id, w.practitioner2.id);
    let visit = |s: &str, e: &str| appointment(&w, AppointmentKind::Visit, s, e);
    book(store, &in_room(visit("2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z"), &w, &[p1])).await;
    refused_as_double_booking(store, &in_room(visit("2026-03-07T10:00:00Z", "2026-03-07T12:00:00Z"), &w, &[p2])).await;
    refused_as_double_booking(store, &in_room(visit("2026-03-07T09:30:00Z", "2026-03-07T10:00:00Z"), &w, &[])).await;
    refused_as_double_booking(store, &in_room(visit("2026-03-07T08:00:00Z", "2026-03-07T13:00:00Z"), &w, &[p2])).await;
    book(store, &in_room(visit("2026-03-07T11:00:00Z", "2026-03-07T12:00:00Z"), &w, &[p2])).await;
    book(store, &in_room(visit("2026-03-07T08:00:00Z", "2026-03-07T09:00:00Z"), &w, &[p2])).await;
    let mut at_home = visit("2026-03-07T09:30:00Z", "2026-03-07T10:30:00Z");
    at_home.practitioners = Practitioners::new(vec![p2]).unwrap();
    book(store, &at_home).await;
    let mut r = store.begin_read().await.unwrap();
    let room = AppointmentFilter { room: Some(w.room.id), ..Default::default() };
    assert_eq!(r.appointments(&room, 100).await.unwrap().len(), 3);
}

/// A practitioner is never in two appointments at once, wherever they are,
/// and a second practitioner counts as much as the first.
pub async fn a_practitioner_is_never_booked_twice(store: &dyn Store) {
    let w = World::create(store).await;
    let (p1, p2) = (w.practitioner.id, w.practitioner2.id);
    let meeting = |s: &str, e: &str, staff: &[StaffId], location: Location| {
        let mut a = appointment(&w, AppointmentKind::FollowUpMeeting, s, e);
        a.practitioners = Practitioners::new(staff.to_vec()).unwrap();
        a.location = location;
        a
    };
    book(store, &meeting("2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z", &[p1], Location::FamilyHome)).await;
    let shared = meeting("2026-03-07T10:00:00Z", "2026-03-07T12:00:00Z", &[p2, p1], Location::PlacementSetting);
    refused_as_double_booking(store, &shared).await;
    book(store, &meeting("2026-03-07T11:00:00Z", "2026-03-07T12:00:00Z", &[p1], Location::FamilyHome)).await;
    book(store, &meeting("2026-03-07T10:00:00Z", "2026-03-07T12:00:00Z", &[p2], Location::FamilyHome)).await;
    refused_as_double_booking(
        store,
        &meeting("2026-03-07T11:59:00Z", "2026-03-07T13:00:00Z", &[p2], Location::Room(w.room.id)),
    )
    .await;
    let mut r = store.begin_read().await.unwrap();
    let mine = AppointmentFilter { staff: Some(p1), ..Default::default() };
    assert_eq!(r.appointments(&mine, 100).await.unwrap().len(), 2);
    let theirs = AppointmentFilter { staff: Some(p2), ..Default::default() };
    assert_eq!(r.appointments(&theirs, 100).await.unwrap().len(), 1);
}

/// The staggered arrival and departure of a visit take the room and the
/// practitioners too: the occupied span is what may not overlap.
pub async fn arrival_buffers_count_as_booked(store: &dyn Store) {
    let w = World::create(store).await;
    let (p1, p2) = (w.practitioner.id, w.practitioner2.id);
    let visit = |s: &str, e: &str| appointment(&w, AppointmentKind::Visit, s, e);
    let mut staggered = in_room(visit("2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z"), &w, &[p1]);
    staggered.arrival = Some(ArrivalPlan {
        parent_arrives: ts("2026-03-07T08:45:00Z"),
        child_arrives: ts("2026-03-07T09:00:00Z"),
        child_leaves: ts("2026-03-07T11:00:00Z"),
        parent_leaves: ts("2026-03-07T11:15:00Z"),
    });
    book(store, &staggered).await;
    refused_as_double_booking(store, &in_room(visit("2026-03-07T11:00:00Z", "2026-03-07T12:00:00Z"), &w, &[p2])).await;
    refused_as_double_booking(store, &in_room(visit("2026-03-07T08:00:00Z", "2026-03-07T08:50:00Z"), &w, &[p2])).await;
    let mut before = visit("2026-03-07T08:00:00Z", "2026-03-07T08:50:00Z");
    before.practitioners = Practitioners::new(vec![p1]).unwrap();
    refused_as_double_booking(store, &before).await;
    book(store, &in_room(visit("2026-03-07T11:15:00Z", "2026-03-07T12:00:00Z"), &w, &[p2])).await;
    book(store, &in_room(visit("2026-03-07T08:00:00Z", "2026-03-07T08:45:00Z"), &w, &[p2])).await;
    // A plan whose own buffers reach into a booked span is refused as well.
    let mut early = visit("2026-03-07T13:00:00Z", "2026-03-07T14:00:00Z");
    early.practitioners = Practitioners::new(vec![p2]).unwrap();
    early.arrival = Some(ArrivalPlan {
        parent_arrives: ts("2026-03-07T11:30:00Z"),
        child_arrives: ts("2026-03-07T13:00:00Z"),
        child_leaves: ts("2026-03-07T14:00:00Z"),
        parent_leaves: ts("2026-03-07T14:00:00Z"),
    });
    refused_as_double_booking(store, &early).await;
}

/// A cancelled appointment takes nothing: cancelling one frees its room and
/// practitioners, a cancelled one can be stored over a booked slot, and
/// undoing a cancellation whose slot was taken meanwhile is refused.
pub async fn a_cancelled_appointment_frees_its_slot(store: &dyn Store) {
    let w = World::create(store).await;
    let (p1, p2) = (w.practitioner.id, w.practitioner2.id);
    let visit = |s: &str, e: &str| appointment(&w, AppointmentKind::Visit, s, e);
    let mut first = in_room(visit("2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z"), &w, &[p1, p2]);
    book(store, &first).await;
    let second = in_room(visit("2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z"), &w, &[p1]);
    refused_as_double_booking(store, &second).await;

    let mut t = tx(store).await;
    first.outcome = Some(Outcome::Cancelled { by: CancelledBy::Parent, reason: None });
    first.outcome_recorded_at = Some(ts("2026-03-06T12:00:00Z"));
    t.update_appointment(&mut first).await.unwrap();
    t.commit().await.unwrap();
    book(store, &second).await;
    let mut also_cancelled = in_room(visit("2026-03-07T10:00:00Z", "2026-03-07T12:00:00Z"), &w, &[p1, p2]);
    also_cancelled.outcome = Some(Outcome::Cancelled { by: CancelledBy::Provider, reason: None });
    also_cancelled.outcome_recorded_at = Some(ts("2026-03-06T12:00:00Z"));
    book(store, &also_cancelled).await;
    let mut p2_alone = visit("2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    p2_alone.practitioners = Practitioners::new(vec![p2]).unwrap();
    book(store, &p2_alone).await;

    let mut t = tx(store).await;
    let mut undone = first.clone();
    undone.outcome = None;
    undone.outcome_recorded_at = None;
    let err = t.update_appointment(&mut undone).await.expect_err("the slot is taken");
    assert!(err.is_conflict(Conflict::DoubleBooking), "{err:?}");
    drop(t);
    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.appointment(first.id).await.unwrap(), first, "still cancelled");
}

/// Moving or reassigning an appointment onto a taken slot is refused and it
/// keeps its old time and practitioners; a move within its own span is fine.
pub async fn a_move_onto_a_taken_slot_is_refused(store: &dyn Store) {
    let w = World::create(store).await;
    let (p1, p2) = (w.practitioner.id, w.practitioner2.id);
    let visit = |s: &str, e: &str| appointment(&w, AppointmentKind::Visit, s, e);
    let mut taken = in_room(visit("2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z"), &w, &[p1]);
    let later = in_room(visit("2026-03-07T12:00:00Z", "2026-03-07T13:00:00Z"), &w, &[p2]);
    let mut at_home = visit("2026-03-07T09:00:00Z", "2026-03-07T10:00:00Z");
    at_home.practitioners = Practitioners::new(vec![p2]).unwrap();
    for a in [&taken, &later, &at_home] {
        book(store, a).await;
    }

    let mut t = tx(store).await;
    let mut moved = later.clone();
    moved.planned = range("2026-03-07T10:30:00Z", "2026-03-07T11:30:00Z");
    let err = t.update_appointment(&mut moved).await.expect_err("the room is taken");
    assert!(err.is_conflict(Conflict::DoubleBooking), "{err:?}");
    drop(t);
    let mut t = tx(store).await;
    let mut reassigned = at_home.clone();
    reassigned.practitioners = Practitioners::new(vec![p2, p1]).unwrap();
    let err = t.update_appointment(&mut reassigned).await.expect_err("the practitioner is taken");
    assert!(err.is_conflict(Conflict::DoubleBooking), "{err:?}");
    drop(t);
    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.appointment(later.id).await.unwrap(), later, "the old time is kept");
    assert_eq!(r.appointment(at_home.id).await.unwrap(), at_home, "the old practitioners are kept");
    drop(r);

    let mut t = tx(store).await;
    taken.planned = range("2026-03-07T09:30:00Z", "2026-03-07T11:30:00Z");
    t.update_appointment(&mut taken).await.unwrap();
    let mut next_door = later.clone();
    next_door.planned = range("2026-03-07T11:30:00Z", "2026-03-07T12:30:00Z");
    t.update_appointment(&mut next_door).await.unwrap();
    t.commit().await.unwrap();
}

/// A batch with a clash, inside it or with an appointment already stored, is
/// refused as a whole: none of it is stored.
pub async fn a_batch_with_a_clash_is_refused_as_a_whole(store: &dyn Store) {
    let w = World::create(store).await;
    let (p1, p2) = (w.practitioner.id, w.practitioner2.id);
    let start = ts("2026-01-05T09:00:00Z");
    let days = |n: i64, staff: StaffId, location: Location| -> Vec<Appointment> {
        (0..n)
            .map(|i| {
                let s = start + (i * 24).hours();
                let mut a = appointment(&w, AppointmentKind::Visit, &s.to_string(), &(s + 2.hours()).to_string());
                a.practitioners = Practitioners::new(vec![staff]).unwrap();
                a.location = location.clone();
                a
            })
            .collect()
    };
    let stored =
        in_room(appointment(&w, AppointmentKind::Visit, "2026-02-02T09:00:00Z", "2026-02-02T10:00:00Z"), &w, &[p2]);
    book(store, &stored).await;

    // More than one statement's worth of rows, with the clash in a later statement.
    let mut inside = days(600, p1, Location::FamilyHome);
    let mut clash = inside[550].clone();
    clash.id = AppointmentId::new();
    clash.location = Location::PlacementSetting;
    inside.push(clash);
    let mut room_clash = days(3, p2, Location::Room(w.room.id));
    room_clash[2].practitioners = Practitioners::default();
    room_clash[2].planned = range("2026-01-05T10:00:00Z", "2026-01-05T11:00:00Z");
    let mut with_stored = days(40, p1, Location::FamilyHome);
    with_stored[28].location = Location::Room(w.room.id);
    for batch in [inside, room_clash, with_stored] {
        let mut t = tx(store).await;
        let err = t.insert_appointments(&batch).await.expect_err("the batch has a clash");
        assert!(err.is_conflict(Conflict::DoubleBooking), "{err:?}");
        drop(t);
        let mut r = store.begin_read().await.unwrap();
        assert_eq!(r.appointments(&AppointmentFilter::default(), 1000).await.unwrap(), vec![stored.clone()]);
    }
    let mut t = tx(store).await;
    t.insert_appointments(&days(600, p1, Location::FamilyHome)).await.unwrap();
    t.commit().await.unwrap();
}
