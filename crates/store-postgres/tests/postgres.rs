//! Behaviour particular to the PostgreSQL store: transactions across pools,
//! read-only snapshots, concurrent migration, error mapping, backup.

use jiff::ToSpan;
use jiff::civil::date;
use samvirke_domain::appointment::*;
use samvirke_domain::case::PlacementSetting;
use samvirke_domain::catalogue::Intervention;
use samvirke_domain::consent::*;
use samvirke_domain::document::*;
use samvirke_domain::organisation::*;
use samvirke_domain::plan::*;
use samvirke_domain::time::Minutes;
use samvirke_domain::time_entry::*;
use samvirke_domain::user::*;
use samvirke_domain::*;
use samvirke_store::conformance::fixtures::*;
use samvirke_store::{CaseFilter, Conflict, Store, StoreError};
use samvirke_store_postgres::{PgStore, PgTestDatabase, restore};
use std::time::Duration;

/// The SQLSTATE a backend error carries, from its scrubbed description.
fn sqlstate(e: &StoreError) -> String {
    match e {
        StoreError::Backend(source) | StoreError::Unavailable(source) => source.to_string(),
        other => format!("{other:?}"),
    }
}

#[tokio::test]
async fn a_dropped_transaction_is_never_seen_by_another_instance_and_its_connection_is_reused() {
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    let other = db.another_instance().await;

    // The test pool has four connections; ten dropped transactions reuse them,
    // so each must have been rolled back before it went back to the pool.
    for i in 0..10 {
        let mut t = db.pg().begin().await.unwrap();
        let c = case(w.provider.id, w.municipality.id, "Aldrig Gemt", "0404104321");
        t.insert_case(&c).await.unwrap_or_else(|e| panic!("round {i}: {e:?}"));
        let mut seen = other.begin_read().await.unwrap();
        assert!(matches!(seen.case(c.id).await, Err(StoreError::NotFound)), "uncommitted work is private");
        drop(seen);
        drop(t);
    }
    let mut r = other.begin_read().await.unwrap();
    assert_eq!(r.count_cases(&CaseFilter::default()).await.unwrap(), 1);
    drop(r);
    other.close().await;
    db.drop_database().await;
}

#[tokio::test]
async fn a_read_transaction_refuses_writes_and_keeps_its_snapshot() {
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;

    let mut r = db.pg().begin_read().await.unwrap();
    let err = r.insert_municipality(&municipality(661, "Holstebro Kommune")).await.unwrap_err();
    assert!(matches!(err, StoreError::Backend(_)), "{err:?}");
    assert!(sqlstate(&err).contains("25006"), "read_only_sql_transaction: {err}");
    drop(r);

    let mut r = db.pg().begin_read().await.unwrap();
    assert_eq!(r.count_cases(&CaseFilter::default()).await.unwrap(), 1);
    // Another instance commits a case while the snapshot is open.
    let other = db.another_instance().await;
    let mut t = other.begin().await.unwrap();
    t.insert_case(&case(w.provider.id, w.municipality.id, "Ny Sag", "0505104321")).await.unwrap();
    t.commit().await.unwrap();
    assert_eq!(r.count_cases(&CaseFilter::default()).await.unwrap(), 1, "the snapshot does not move");
    r.commit().await.unwrap();
    let mut fresh = db.pg().begin_read().await.unwrap();
    assert_eq!(fresh.count_cases(&CaseFilter::default()).await.unwrap(), 2);
    drop(fresh);
    other.close().await;
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_instances_migrating_one_fresh_database_at_once_all_succeed() {
    let db = PgTestDatabase::create_unmigrated().await;
    let err = db.pg().ping().await.unwrap_err();
    assert!(matches!(err, StoreError::Unavailable(_)), "not migrated yet: {err:?}");

    let instances = [db.another_instance().await, db.another_instance().await, db.another_instance().await];
    let (a, b, c) = tokio::join!(instances[0].migrate(), instances[1].migrate(), instances[2].migrate());
    a.unwrap();
    b.unwrap();
    c.unwrap();
    db.pg().ping().await.unwrap();
    let (applied, versions): (i64, i64) =
        sqlx::query_as("SELECT count(*), count(DISTINCT version) FROM _sqlx_migrations")
            .fetch_one(db.pg().pool())
            .await
            .unwrap();
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations")).unwrap().count();
    assert_eq!((applied, versions), (files as i64, files as i64), "each migration applied once");
    db.pg().migrate().await.expect("migrating again is a no-op");
    // The advisory lock was released: nobody holds it now.
    let held: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' \
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .fetch_one(db.pg().pool())
    .await
    .unwrap();
    assert_eq!(held, 0);
    for s in instances {
        s.close().await;
    }
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_instances_updating_the_same_case_at_once_the_second_is_refused_as_stale() {
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    let other = db.another_instance().await;

    let mut a = db.pg().begin().await.unwrap();
    let mut b = other.begin().await.unwrap();
    let mut mine = a.case(w.case.id).await.unwrap();
    let mut theirs = b.case(w.case.id).await.unwrap();
    mine.child.name = text("Ida Marie Sørensen");
    a.update_case(&mut mine).await.unwrap();
    // b's update waits for a's row lock, then finds the revision moved on.
    let waiting = tokio::spawn(async move {
        theirs.closed_on = Some(date(2026, 9, 1));
        let result = b.update_case(&mut theirs).await;
        (result, theirs.revision)
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    a.commit().await.unwrap();
    let (result, revision) = waiting.await.unwrap();
    assert!(result.unwrap_err().is_conflict(Conflict::StaleRevision));
    assert_eq!(revision, w.case.revision, "the refused copy keeps its revision");

    let stored = db.pg().begin_read().await.unwrap().case(w.case.id).await.unwrap();
    assert_eq!(stored, mine);
    other.close().await;
    db.drop_database().await;
}

#[tokio::test]
async fn stale_appointments_and_documents_are_refused_and_fresh_ones_counted_up() {
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    let mut a = appointment(&w, AppointmentKind::Visit, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    let (mut d, v1) = document(&w, DocumentKind::StatusLetter, "Status");
    let mut t = db.pg().begin().await.unwrap();
    t.insert_appointment(&a).await.unwrap();
    t.insert_document(&d, &v1).await.unwrap();
    t.commit().await.unwrap();

    let mut stale_a = a.clone();
    let mut stale_d = d.clone();
    let mut t = db.pg().begin().await.unwrap();
    a.outcome = Some(Outcome::NoShow { who: CancelledBy::Parent });
    t.update_appointment(&mut a).await.unwrap();
    assert_eq!(a.revision, 2);
    d.state = DocumentState::CoordinatorReview;
    t.update_document(&mut d).await.unwrap();
    assert!(t.update_appointment(&mut stale_a).await.unwrap_err().is_conflict(Conflict::StaleRevision));
    assert!(t.update_document(&mut stale_d).await.unwrap_err().is_conflict(Conflict::StaleRevision));
    t.commit().await.unwrap();

    let mut r = db.pg().begin_read().await.unwrap();
    assert_eq!(r.appointment(a.id).await.unwrap(), a);
    assert_eq!(r.document(d.id).await.unwrap(), d);
    drop(r);
    db.drop_database().await;
}

/// A document sent and its outbox message, in one committed transaction.
async fn sent_document(store: &PgStore, w: &World) -> (Document, DocumentVersion, OutboxMessage) {
    let (mut doc, v1) = document(w, DocumentKind::StatusLetter, "Forløbet går godt.");
    let sent_at = ts("2026-03-08T09:00:00Z");
    doc.state = DocumentState::Sent;
    doc.sent_at = Some(sent_at);
    let message = outbox_message(w, &doc, &v1, sent_at);
    let mut t = store.begin().await.unwrap();
    t.insert_document(&doc, &v1).await.unwrap();
    t.insert_outbox_messages(std::slice::from_ref(&message)).await.unwrap();
    t.commit().await.unwrap();
    (doc, v1, message)
}

/// The triggers hold against any SQL, not only the store's own: what was sent
/// is neither changed nor removed, and the refusal carries SQLSTATE SV001.
#[tokio::test]
async fn sent_documents_and_the_outbox_cannot_be_changed_even_by_hand() {
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    let (sent, v1, message) = sent_document(db.pg(), &w).await;
    let (draft, draft_v1) = document(&w, DocumentKind::StatusLetter, "Kladde");
    let mut t = db.pg().begin().await.unwrap();
    t.insert_document(&draft, &draft_v1).await.unwrap();
    t.commit().await.unwrap();

    let pool = db.pg().pool();
    let refused = [
        ("UPDATE outbox_messages SET body = 'Noget andet' WHERE id = $1", message.id.0),
        ("DELETE FROM outbox_messages WHERE id = $1", message.id.0),
        ("UPDATE document_versions SET body = 'Noget andet' WHERE document_id = $1", sent.id.0),
        ("UPDATE document_versions SET family_comment = 'Sent' WHERE document_id = $1", sent.id.0),
        ("DELETE FROM document_versions WHERE document_id = $1", sent.id.0),
        ("UPDATE documents SET sent_at = NULL WHERE id = $1", sent.id.0),
        ("UPDATE documents SET sent_at = sent_at + interval '1 second' WHERE id = $1", sent.id.0),
        ("DELETE FROM documents WHERE id = $1", sent.id.0),
    ];
    for (sql, id) in refused {
        let e = sqlx::query(sql).bind(id).execute(pool).await.unwrap_err();
        let code = e.as_database_error().and_then(|d| d.code()).map(|c| c.into_owned());
        assert_eq!(code.as_deref(), Some("SV001"), "{sql}: {e:?}");
    }
    let truncate = sqlx::query("TRUNCATE outbox_messages").execute(pool).await.unwrap_err();
    assert_eq!(truncate.as_database_error().and_then(|d| d.code()).as_deref(), Some("SV001"));
    let allowed = [
        ("UPDATE documents SET state = 'archived' WHERE id = $1", sent.id.0),
        ("UPDATE documents SET sent_at = sent_at WHERE id = $1", sent.id.0),
        ("UPDATE document_versions SET body = 'Ny tekst' WHERE document_id = $1", draft.id.0),
        ("UPDATE documents SET sent_at = now() WHERE id = $1", draft.id.0),
    ];
    for (sql, id) in allowed {
        let done = sqlx::query(sql).bind(id).execute(pool).await.unwrap();
        assert_eq!(done.rows_affected(), 1, "{sql}");
    }
    let mut r = db.pg().begin_read().await.unwrap();
    assert_eq!(r.outbox(&samvirke_store::OutboxFilter::default(), 10).await.unwrap(), vec![message]);
    assert_eq!(r.document_versions(sent.id).await.unwrap(), vec![v1]);
    drop(r);
    db.drop_database().await;
}

/// A family review that meets a sending in progress waits for it, and is then
/// refused: the version was sent as it stood.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_family_review_during_the_sending_waits_and_is_then_refused() {
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    let other = db.another_instance().await;
    let (mut doc, v1) = document(&w, DocumentKind::StatusLetter, "Forløbet går godt.");
    doc.state = DocumentState::FamilyReview;
    let mut t = db.pg().begin().await.unwrap();
    t.insert_document(&doc, &v1).await.unwrap();
    t.commit().await.unwrap();

    let mut sending = db.pg().begin().await.unwrap();
    doc.state = DocumentState::Sent;
    doc.sent_at = Some(ts("2026-03-08T09:00:00Z"));
    sending.update_document(&mut doc).await.unwrap();
    let mut b = other.begin().await.unwrap();
    let review = tokio::spawn(async move {
        b.record_family_review(doc.id, 1, ts("2026-03-08T09:00:01Z"), Some(&long("For sent"))).await
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!review.is_finished(), "the review waits for the sending transaction");
    sending.commit().await.unwrap();
    let err = review.await.unwrap().unwrap_err();
    assert!(err.is_conflict(Conflict::Immutable), "{err:?}");
    assert_eq!(db.pg().begin_read().await.unwrap().document_versions(doc.id).await.unwrap(), vec![v1]);
    other.close().await;
    db.drop_database().await;
}

#[tokio::test]
async fn one_of_every_record_round_trips() {
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    let mut t = db.pg().begin().await.unwrap();

    let mut at_home = case(w.provider.id, w.municipality.id, "Oskar Nielsen", "0101104321");
    at_home.placement = None;
    let mut placed = case(w.provider.id, w.municipality.id, "Emma Hansen", "0202124321");
    placed.placement = Some(PlacementSetting {
        kind: samvirke_domain::case::PlacementKind::ResidentialHome,
        name: text("Opholdsstedet Lyngen"),
        address: None,
        address_secret: false,
        caregiver_name: None,
        caregiver_phone: Some(text("+45 11 22 33 44")),
    });
    t.insert_case(&at_home).await.unwrap();
    t.insert_case(&placed).await.unwrap();
    let contact = w.referral_for(placed.id, Intervention::ContactPerson);
    t.insert_referral(&contact, &first_version(&contact, w.caseworker.id)).await.unwrap();

    let absence = Absence {
        id: AbsenceId::new(),
        staff_id: w.practitioner.id,
        during: range("2026-07-01T00:00:00Z", "2026-07-22T00:00:00Z"),
        kind: AbsenceKind::Holiday,
    };
    t.insert_absence(&absence).await.unwrap();
    let d = decision(w.case.id, date(2026, 1, 1), date(2026, 6, 30));
    let s = suspension(w.case.id, date(2026, 3, 1), date(2026, 3, 28));
    let c = consent(&w, ConsentGiver::Child, ConsentPurpose::SharingWithPlacement);
    t.insert_decision(&d).await.unwrap();
    t.insert_suspension(&s).await.unwrap();
    t.insert_consent(&c).await.unwrap();

    let mut visit = appointment(&w, AppointmentKind::Visit, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    visit.location = Location::Other(text("Legepladsen ved søen"));
    visit.arrival = Some(ArrivalPlan {
        parent_arrives: ts("2026-03-07T08:45:00Z"),
        child_arrives: ts("2026-03-07T09:00:00Z"),
        child_leaves: ts("2026-03-07T11:00:00Z"),
        parent_leaves: ts("2026-03-07T11:20:00Z"),
    });
    t.insert_appointment(&visit).await.unwrap();
    let note = journal_entry(&w, "Mor kom til tiden.\nIda var glad.", ts("2026-03-07T12:00:00Z"));
    t.insert_journal_entry(&note).await.unwrap();
    let (doc, v1) = document(&w, DocumentKind::ClosingLetter, "Afsluttende status.");
    t.insert_document(&doc, &v1).await.unwrap();
    let plan = action_plan(&w);
    t.insert_action_plan(&plan).await.unwrap();
    let area = FocusArea {
        id: FocusAreaId::new(),
        case_id: placed.id,
        referral_id: contact.id,
        area: FocusAreaKind::Housing,
        note: None,
        started_on: date(2026, 2, 1),
        ended_on: None,
    };
    t.insert_focus_area(&area).await.unwrap();
    let hours = TimeEntry {
        id: TimeEntryId::new(),
        referral_id: w.referral.id,
        staff_id: w.practitioner.id,
        appointment_id: Some(visit.id),
        date: date(2026, 3, 7),
        minutes: Minutes::new(Minutes::MAX).unwrap(),
        kind: TimeKind::Direct,
        note: Some(text("Hele dagen")),
        registered_at: ts("2026-03-07T18:00:00Z"),
    };
    t.insert_time_entry(&hours).await.unwrap();
    let young = User {
        id: UserId::new(),
        username: Username::parse("emma_h-2012").unwrap(),
        display_name: text("Emma Hansen"),
        role: Role::YoungPerson,
        subject: Subject::Child(placed.id),
        active: false,
        created_at: ts("2026-02-01T10:00:00Z"),
    };
    t.insert_user(&young, "hash").await.unwrap();
    t.commit().await.unwrap();

    let mut r = db.pg().begin_read().await.unwrap();
    assert_eq!(r.case(at_home.id).await.unwrap(), at_home);
    assert_eq!(r.case(placed.id).await.unwrap(), placed);
    assert_eq!(r.referral(contact.id).await.unwrap(), contact);
    assert_eq!(r.absences(Some(absence.staff_id), absence.during).await.unwrap(), vec![absence]);
    assert_eq!(r.decisions(w.case.id).await.unwrap(), vec![d]);
    assert_eq!(r.suspensions(w.case.id).await.unwrap(), vec![s]);
    assert_eq!(r.consent(c.id).await.unwrap(), c);
    assert_eq!(r.appointment(visit.id).await.unwrap(), visit);
    assert_eq!(r.journal(w.case.id, Default::default()).await.unwrap(), vec![note]);
    assert_eq!(r.document(doc.id).await.unwrap(), doc);
    assert_eq!(r.document_versions(doc.id).await.unwrap(), vec![v1]);
    assert_eq!(r.action_plan(plan.id).await.unwrap(), plan);
    assert_eq!(r.focus_area(area.id).await.unwrap(), area);
    assert_eq!(r.time_entries(w.referral.id).await.unwrap(), vec![hours]);
    assert_eq!(r.user(young.id).await.unwrap(), young);
    drop(r);
    db.drop_database().await;
}

#[tokio::test]
async fn timestamps_are_kept_to_the_microsecond() {
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    let mut e = journal_entry(&w, "Notat", ts("2026-03-07T12:00:00.123456789Z"));
    let mut t = db.pg().begin().await.unwrap();
    t.insert_journal_entry(&e).await.unwrap();
    t.commit().await.unwrap();
    let got = db.pg().begin_read().await.unwrap().journal(w.case.id, Default::default()).await.unwrap();
    // timestamptz has microseconds; the nanoseconds of a jiff Timestamp are cut off.
    e.written_at = ts("2026-03-07T12:00:00.123456Z");
    assert_eq!(got, vec![e]);
    db.drop_database().await;
}

#[tokio::test]
async fn a_stored_value_that_does_not_parse_is_corrupt_and_the_error_does_not_quote_it() {
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    sqlx::query("UPDATE cases SET placement = '{\"kind\": \"castle\", \"name\": \"Hemmelig Borg\"}' WHERE id = $1")
        .bind(w.case.id.0)
        .execute(db.pg().pool())
        .await
        .unwrap();
    let err = db.pg().begin_read().await.unwrap().case(w.case.id).await.unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { column: "cases.placement", .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("Hemmelig"));

    sqlx::query("UPDATE family_members SET name = '  ' WHERE id = $1")
        .bind(w.mother.id.0)
        .execute(db.pg().pool())
        .await
        .unwrap();
    let err = db.pg().begin_read().await.unwrap().family_members(w.case.id).await.unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { column: "family_members.name", .. }), "{err:?}");
    db.drop_database().await;
}

#[tokio::test]
async fn a_duplicate_cpr_number_is_a_conflict_that_does_not_name_the_number() {
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    let mut t = db.pg().begin().await.unwrap();
    let again = case(w.provider.id, w.municipality.id, "Ida Sørensen", "1203154321");
    let err = t.insert_case(&again).await.unwrap_err();
    assert!(err.is_conflict(Conflict::Duplicate));
    assert!(!format!("{err} {err:?}").contains("1203154321"));
    drop(t);
    db.drop_database().await;
}

#[tokio::test]
async fn a_server_that_cannot_be_reached_or_a_full_pool_is_unavailable() {
    let err = PgStore::connect("postgres://postgres@127.0.0.1:1/postgres").await.unwrap_err();
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");

    let db = PgTestDatabase::create().await;
    let tiny = PgStore::connect_with(
        db.url().parse().unwrap(),
        sqlx::postgres::PgPoolOptions::new().max_connections(1).acquire_timeout(Duration::from_millis(200)),
    )
    .await
    .unwrap();
    let held = tiny.begin().await.unwrap();
    let err = tiny.begin().await.err().expect("the only connection is taken");
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
    drop(held);
    tiny.close().await;
    db.drop_database().await;
}

#[tokio::test]
async fn a_backup_restores_into_an_empty_database() {
    let src = PgTestDatabase::create().await;
    let w = World::create(src.pg()).await;
    let visit = appointment(&w, AppointmentKind::Visit, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    let mut t = src.pg().begin().await.unwrap();
    t.insert_appointment(&visit).await.unwrap();
    t.commit().await.unwrap();
    let (sent, _, message) = sent_document(src.pg(), &w).await;

    let file = std::env::temp_dir().join(format!("samvirke-backup-{}.dump", uuid::Uuid::now_v7().simple()));
    src.pg().backup_to(&src.url(), &file).await.unwrap();

    let dst = PgTestDatabase::create_unmigrated().await;
    restore(&dst.url(), &file).await.unwrap();
    std::fs::remove_file(&file).unwrap();
    dst.pg().ping().await.expect("the restored database is migrated");
    let mut r = dst.pg().begin_read().await.unwrap();
    assert_eq!(r.case(w.case.id).await.unwrap(), w.case);
    assert_eq!(r.referral(w.referral.id).await.unwrap(), w.referral);
    assert_eq!(r.appointment(visit.id).await.unwrap(), visit);
    assert_eq!(r.document(sent.id).await.unwrap(), sent);
    assert_eq!(r.outbox(&samvirke_store::OutboxFilter::default(), 10).await.unwrap(), vec![message]);
    drop(r);
    dst.drop_database().await;
    src.drop_database().await;
}

#[tokio::test]
async fn a_failed_backup_says_why() {
    let db = PgTestDatabase::create().await;
    let missing = std::env::temp_dir().join("samvirke-no-such-dir").join("x.dump");
    let err = db.pg().backup_to(&db.url(), &missing).await.unwrap_err();
    assert!(err.to_string().starts_with("pg_dump failed"), "{err}");
    let err = restore(&db.url(), &missing).await.unwrap_err();
    assert!(err.to_string().starts_with("pg_restore failed"), "{err}");
    db.drop_database().await;
}

#[tokio::test]
async fn the_appointments_of_a_week_are_found_through_every_filter() {
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    // A year of weekly visits; the filters must find the one in a given week.
    let start = ts("2026-01-05T09:00:00Z");
    let year: Vec<Appointment> = (0..52)
        .map(|i| {
            let s = start + (i * 7 * 24).hours();
            let mut a = appointment(&w, AppointmentKind::Visit, &s.to_string(), &(s + 2.hours()).to_string());
            a.location = Location::Room(w.room.id);
            a
        })
        .collect();
    let mut t = db.pg().begin().await.unwrap();
    t.insert_appointments(&year).await.unwrap();
    t.commit().await.unwrap();
    let week = range("2026-06-01T00:00:00Z", "2026-06-08T00:00:00Z");
    let expected: Vec<AppointmentId> = year.iter().filter(|a| a.planned.overlaps(&week)).map(|a| a.id).collect();
    assert_eq!(expected.len(), 1);
    let base = samvirke_store::AppointmentFilter { during: Some(week), ..Default::default() };
    let filters = [
        base.clone(),
        samvirke_store::AppointmentFilter { staff: Some(w.practitioner.id), ..base.clone() },
        samvirke_store::AppointmentFilter { room: Some(w.room.id), ..base.clone() },
        samvirke_store::AppointmentFilter { case: Some(w.case.id), ..base.clone() },
        samvirke_store::AppointmentFilter { provider: Some(w.provider.id), ..base.clone() },
        samvirke_store::AppointmentFilter { kinds: vec![AppointmentKind::Visit], ..base.clone() },
        samvirke_store::AppointmentFilter { without_outcome: true, ..base.clone() },
    ];
    let mut r = db.pg().begin_read().await.unwrap();
    for f in &filters {
        let got: Vec<_> = r.appointments(f, 100).await.unwrap().into_iter().map(|a| a.id).collect();
        assert_eq!(got, expected, "{f:?}");
    }
    drop(r);
    db.drop_database().await;
}

#[tokio::test]
async fn an_instance_of_the_previous_release_starts_against_a_newer_schema() {
    let db = PgTestDatabase::create().await;
    // As if the next release had added migration 9999.
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from the future', true, '\\x00', 0)",
    )
    .execute(db.pg().pool())
    .await
    .unwrap();
    db.pg().migrate().await.expect("an unknown newer migration is not an error");
    db.pg().ping().await.expect("ready");
    db.drop_database().await;
}

#[tokio::test]
async fn connections_carry_the_session_settings() {
    let db = PgTestDatabase::create().await;
    let pool = db.pg().pool();
    let get = |name: &'static str| async move {
        sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(format!("SHOW {name}"))).fetch_one(pool).await.unwrap()
    };
    assert_eq!(get("statement_timeout").await, "30s");
    assert_eq!(get("idle_in_transaction_session_timeout").await, "1min");
    assert_eq!(get("TimeZone").await, "UTC");
    assert_eq!(get("application_name").await, "samvirke");
    db.drop_database().await;
}

#[tokio::test]
async fn an_appointment_must_deliver_a_referral_of_its_own_case_in_an_existing_room() {
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    let mut t = db.pg().begin().await.unwrap();
    let other = case(w.provider.id, w.municipality.id, "Anden Sag", "0606104321");
    t.insert_case(&other).await.unwrap();
    t.commit().await.unwrap();

    let mut wrong_case = appointment(&w, AppointmentKind::Visit, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    wrong_case.case_id = other.id;
    let mut t = db.pg().begin().await.unwrap();
    let err = t.insert_appointment(&wrong_case).await.unwrap_err();
    assert!(err.is_conflict(Conflict::MissingReference), "the referral is not one of this case: {err:?}");
    drop(t);

    let mut no_room = appointment(&w, AppointmentKind::Visit, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    no_room.location = Location::Room(RoomId::new());
    let mut t = db.pg().begin().await.unwrap();
    let err = t.insert_appointments(&[no_room]).await.unwrap_err();
    assert!(err.is_conflict(Conflict::MissingReference), "{err:?}");
    drop(t);
    db.drop_database().await;
}

/// Appends from many transactions on four instances at once, some rolled
/// back, make one chain: numbered without gaps, every committed entry in it
/// once, and verifiable.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appends_from_several_instances_make_one_gapless_verifiable_chain() {
    use samvirke_domain::audit::{AuditAction, ChainVerifier};
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    let mut instances = vec![db.pg().clone()];
    for _ in 0..3 {
        instances.push(db.another_instance().await);
    }
    let mut tasks = Vec::new();
    for (i, store) in instances.iter().enumerate() {
        for task in 0..4u64 {
            let store = store.clone();
            let case = w.case.id;
            tasks.push(tokio::spawn(async move {
                let mut committed = Vec::new();
                for round in 0..12u64 {
                    let n = 1 + (round + task) % 3;
                    let events: Vec<_> = (0..n)
                        .map(|k| {
                            let mut e = audit_event(ts("2026-03-02T08:00:00Z"), None, AuditAction::Read, Some(case));
                            e.route = Some(format!("/instance/{i}/task/{task}/round/{round}/{k}"));
                            e
                        })
                        .collect();
                    let mut t = store.begin().await.unwrap();
                    let written = t.append_audit(&events).await.unwrap();
                    tokio::task::yield_now().await;
                    if round % 5 == 4 {
                        drop(t);
                    } else {
                        t.commit().await.unwrap();
                        committed.extend(written.into_iter().map(|e| e.event.route.unwrap()));
                    }
                }
                committed
            }));
        }
    }
    let mut routes = Vec::new();
    for t in tasks {
        routes.extend(t.await.unwrap());
    }

    let mut r = db.pg().begin_read().await.unwrap();
    let mut verifier = ChainVerifier::new();
    let mut logged = Vec::new();
    let mut after = 0;
    loop {
        let page = r.audit_entries(after, 100).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in &page {
            verifier.push(e).unwrap_or_else(|b| panic!("{b}"));
            logged.push(e.event.route.clone().unwrap());
        }
    }
    let (count, head) = verifier.finish().unwrap();
    assert_eq!(count, routes.len() as u64, "every committed entry, and nothing rolled back");
    assert_eq!(r.audit_head().await.unwrap(), head);
    let (head_seq, head_hash): (i64, Vec<u8>) =
        sqlx::query_as("SELECT seq, hash FROM audit_head").fetch_one(db.pg().pool()).await.unwrap();
    assert_eq!((head_seq as u64, head_hash), (count, head.unwrap().1.0.to_vec()), "the head row agrees");
    logged.sort();
    routes.sort();
    assert_eq!(logged, routes);
    drop(r);
    for s in instances.into_iter().skip(1) {
        s.close().await;
    }
    db.drop_database().await;
}

/// The audit log and its head hold against any SQL: entries are neither
/// changed, removed nor truncated, and the head only moves on (SV001).
#[tokio::test]
async fn the_audit_log_cannot_be_changed_even_by_hand() {
    use samvirke_domain::audit::AuditAction;
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    let event = audit_event(ts("2026-03-02T08:00:00Z"), None, AuditAction::Read, Some(w.case.id));
    let mut t = db.pg().begin().await.unwrap();
    let written = t.append_audit(&[event.clone(), event]).await.unwrap();
    t.commit().await.unwrap();

    let pool = db.pg().pool();
    for sql in [
        "UPDATE audit_log SET route = NULL WHERE seq = 1",
        "UPDATE audit_log SET seq = 3 WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 2",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "UPDATE audit_head SET seq = 1",
        "DELETE FROM audit_head",
        "TRUNCATE audit_head",
    ] {
        let e = sqlx::query(sql).execute(pool).await.unwrap_err();
        let code = e.as_database_error().and_then(|d| d.code()).map(|c| c.into_owned());
        assert_eq!(code.as_deref(), Some("SV001"), "{sql}: {e:?}");
    }
    let mut r = db.pg().begin_read().await.unwrap();
    assert_eq!(r.audit_entries(0, 10).await.unwrap(), written);
    // Refused in a read transaction, before anything is written.
    let err = r.append_audit(&written.iter().map(|e| e.event.clone()).collect::<Vec<_>>()).await.unwrap_err();
    assert!(sqlstate(&err).contains("25006"), "read_only_sql_transaction: {err}");
    drop(r);
    db.drop_database().await;
}

/// An erasure is recorded only for a closed case and is final; only with it,
/// written first in the same transaction, do the case's sent documents,
/// their versions and outbox messages go.
#[tokio::test]
async fn what_was_sent_goes_only_with_an_erasure_of_its_closed_case() {
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    let (sent, _, message) = sent_document(db.pg(), &w).await;
    let pool = db.pg().pool();
    let code = |e: sqlx::Error| e.as_database_error().and_then(|d| d.code()).map(|c| c.into_owned());
    let record = "INSERT INTO case_erasures (case_id, erased_at) VALUES ($1, now())";
    let e = sqlx::query(record).bind(w.case.id.0).execute(pool).await.unwrap_err();
    assert_eq!(code(e).as_deref(), Some("SV001"), "an open case is not erased");

    let mut other = case(w.provider.id, w.municipality.id, "Emil Holm", "0101104321");
    other.closed_on = Some(date(2026, 2, 1));
    let mut t = db.pg().begin().await.unwrap();
    t.insert_case(&other).await.unwrap();
    t.commit().await.unwrap();
    sqlx::query(record).bind(other.id.0).execute(pool).await.unwrap();
    let deletions = [
        ("DELETE FROM outbox_messages WHERE id = $1", message.id.0),
        ("DELETE FROM document_versions WHERE document_id = $1", sent.id.0),
        ("DELETE FROM documents WHERE id = $1", sent.id.0),
    ];
    for (sql, id) in deletions {
        let e = sqlx::query(sql).bind(id).execute(pool).await.unwrap_err();
        assert_eq!(code(e).as_deref(), Some("SV001"), "another case's erasure opens nothing: {sql}");
    }
    for sql in ["UPDATE case_erasures SET erased_at = now()", "DELETE FROM case_erasures", "TRUNCATE case_erasures"] {
        let e = sqlx::query(sql).execute(pool).await.unwrap_err();
        assert_eq!(code(e).as_deref(), Some("SV001"), "{sql}");
    }

    let mut c = pool.begin().await.unwrap();
    sqlx::query("UPDATE cases SET closed_on = '2026-06-30' WHERE id = $1")
        .bind(w.case.id.0)
        .execute(&mut *c)
        .await
        .unwrap();
    sqlx::query(record).bind(w.case.id.0).execute(&mut *c).await.unwrap();
    for (sql, id) in deletions {
        let done = sqlx::query(sql).bind(id).execute(&mut *c).await.unwrap();
        assert_eq!(done.rows_affected(), 1, "{sql}");
    }
    let e = sqlx::query("TRUNCATE outbox_messages").execute(&mut *c).await.unwrap_err();
    assert_eq!(code(e).as_deref(), Some("SV001"), "never truncated");
    drop(c);
    db.drop_database().await;
}

/// Reading the sign-in state in a write transaction holds the account: a
/// second instance's read waits, then sees the first one's count.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_on_another_instance_waits_for_the_accounts_state() {
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    let account = user("birgitte", Role::Staff(StaffRole::Coordinator), Subject::Staff(w.coordinator.id));
    let mut t = db.pg().begin().await.unwrap();
    t.insert_user(&account, "$argon2id$a").await.unwrap();
    t.commit().await.unwrap();
    let other = db.another_instance().await;

    let mut a = db.pg().begin().await.unwrap();
    let mut state = a.sign_in_record(account.id).await.unwrap();
    let mut b = other.begin().await.unwrap();
    let id = account.id;
    let second = tokio::spawn(async move { b.sign_in_record(id).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!second.is_finished(), "the second read waits for the first transaction");
    // Sessions of the account can still be written meanwhile (NO KEY UPDATE).
    let mut c = other.begin().await.unwrap();
    let session = samvirke_store::SessionRecord {
        token_hash: [1; 32],
        user_id: account.id,
        created_at: ts("2026-03-02T08:00:00Z"),
        last_seen_at: ts("2026-03-02T08:00:00Z"),
        second_factor_verified: false,
        csrf_hash: [2; 32],
        client: None,
    };
    tokio::time::timeout(Duration::from_secs(5), c.insert_session(&session)).await.expect("not blocked").unwrap();
    c.commit().await.unwrap();
    state.failures += 1;
    state.first_failure_at = Some(ts("2026-03-02T08:00:00Z"));
    a.set_sign_in_record(account.id, &state).await.unwrap();
    a.commit().await.unwrap();
    assert_eq!(second.await.unwrap().unwrap(), state, "the second sees the first one's failure");
    // A read transaction reads without waiting or locking.
    let mut r = other.begin_read().await.unwrap();
    assert_eq!(r.sign_in_record(account.id).await.unwrap(), state);
    drop(r);
    other.close().await;
    db.drop_database().await;
}

/// A reset link opened twice at once works once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_token_used_twice_at_once_works_once() {
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    let account = user("birgitte", Role::Staff(StaffRole::Coordinator), Subject::Staff(w.coordinator.id));
    let reset = samvirke_store::ResetRecord {
        token_hash: [7; 32],
        user_id: account.id,
        created_by: None,
        expires_at: ts("2026-03-03T08:00:00Z"),
        used_at: None,
    };
    let mut t = db.pg().begin().await.unwrap();
    t.insert_user(&account, "$argon2id$a").await.unwrap();
    t.insert_reset(&reset).await.unwrap();
    t.commit().await.unwrap();
    let other = db.another_instance().await;

    let mut a = db.pg().begin().await.unwrap();
    let mut b = other.begin().await.unwrap();
    assert_eq!(a.reset(&reset.token_hash).await.unwrap().used_at, None);
    assert_eq!(b.reset(&reset.token_hash).await.unwrap().used_at, None);
    a.mark_reset_used(&reset.token_hash, ts("2026-03-02T09:00:00Z")).await.unwrap();
    let second = tokio::spawn(async move { b.mark_reset_used(&[7; 32], ts("2026-03-02T09:00:00.5Z")).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!second.is_finished(), "the second use waits for the first");
    a.commit().await.unwrap();
    assert!(second.await.unwrap().unwrap_err().is_conflict(Conflict::StaleRevision));
    let stored = db.pg().begin_read().await.unwrap().reset(&reset.token_hash).await.unwrap();
    assert_eq!(stored.used_at, Some(ts("2026-03-02T09:00:00Z")));
    other.close().await;
    db.drop_database().await;
}

/// What the `i`th booking of a round takes: where, and who.
type Resources<'a> = Box<dyn Fn(usize) -> (Location, Vec<StaffId>) + 'a>;

/// Many transactions on two instances (two pools) store an appointment in
/// the same slot at once, with no check of their own before the insert: the
/// exclusion constraints let exactly one through, refuse every other as a
/// double booking, and leave no row of the refused ones behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_bookings_of_one_slot_on_two_instances_store_exactly_one() {
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    let other = db.another_instance().await;
    let stores = [db.pg().clone(), other.clone()];
    // Round one: the same room, each with another practitioner. Round two:
    // the same practitioner, each somewhere else.
    let rounds: [(&str, &str, Resources); 2] = [
        (
            "2026-03-07T09:00:00Z",
            "2026-03-07T11:00:00Z",
            Box::new(|i| {
                (
                    Location::Room(w.room.id),
                    vec![if i.is_multiple_of(2) { w.practitioner.id } else { w.practitioner2.id }],
                )
            }),
        ),
        ("2026-03-08T09:00:00Z", "2026-03-08T11:00:00Z", Box::new(|_| (Location::FamilyHome, vec![w.practitioner.id]))),
    ];
    for (start, end, resources) in rounds {
        const TRIES: usize = 40;
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(TRIES));
        let mut tasks = Vec::new();
        for i in 0..TRIES {
            let mut a = appointment(&w, AppointmentKind::Visit, start, end);
            (a.location, a.practitioners) = {
                let (location, staff) = resources(i);
                (location, Practitioners::new(staff).unwrap())
            };
            let store = stores[i % 2].clone();
            let barrier = barrier.clone();
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                let mut t = store.begin().await?;
                t.insert_appointment(&a).await?;
                // Held open a moment, so that others insert while this one is uncommitted.
                tokio::time::sleep(Duration::from_millis(20)).await;
                t.commit().await.map(|()| a.id)
            }));
        }
        let mut won = Vec::new();
        for task in tasks {
            match task.await.unwrap() {
                Ok(id) => won.push(id),
                Err(e) => assert!(e.is_conflict(Conflict::DoubleBooking), "{e:?}"),
            }
        }
        assert_eq!(won.len(), 1, "exactly one booking of {start} wins");
        let stored: Vec<uuid::Uuid> =
            sqlx::query_scalar("SELECT id FROM appointments WHERE starts_at = $1::timestamptz")
                .bind(start)
                .fetch_all(db.pg().pool())
                .await
                .unwrap();
        assert_eq!(stored, vec![won[0].0], "only the winner is stored");
    }
    let orphans: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM appointment_staff s WHERE NOT EXISTS (SELECT 1 FROM appointments a WHERE a.id = s.appointment_id)",
    )
    .fetch_one(db.pg().pool())
    .await
    .unwrap();
    assert_eq!(orphans, 0);
    let staff_rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM appointment_staff").fetch_one(db.pg().pool()).await.unwrap();
    assert_eq!(staff_rows, 2, "one practitioner row for each winner");
    other.close().await;
    db.drop_database().await;
}

/// A database that already holds a double booking (written before migration
/// 5) is not migrated past version 4; once the clash is solved, it is.
#[tokio::test]
async fn a_database_holding_a_double_booking_is_not_migrated_until_it_is_solved() {
    let db = PgTestDatabase::create().await;
    let w = World::create(db.pg()).await;
    let mut first = appointment(&w, AppointmentKind::Visit, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    first.location = Location::Room(w.room.id);
    let mut second = appointment(&w, AppointmentKind::Visit, "2026-03-07T12:00:00Z", "2026-03-07T13:00:00Z");
    second.location = Location::Room(w.room.id);
    let mut t = db.pg().begin().await.unwrap();
    t.insert_appointments(&[first, second]).await.unwrap();
    t.commit().await.unwrap();
    // Back to version 4, as a database written before migration 5, with the two overlapping.
    for sql in [
        "DROP TABLE offered_shifts",
        "DELETE FROM _sqlx_migrations WHERE version = 6",
        "ALTER TABLE appointments DROP CONSTRAINT appointments_room_booked_once",
        "ALTER TABLE appointment_staff DROP CONSTRAINT appointment_staff_booked_once",
        "ALTER TABLE appointment_staff DROP COLUMN cancelled",
        "DELETE FROM _sqlx_migrations WHERE version = 5",
        "UPDATE appointments SET occupied_from = occupied_from - interval '3 hours' \
         WHERE starts_at = '2026-03-07T12:00:00Z'",
        "UPDATE appointment_staff SET occupied_from = occupied_from - interval '3 hours' \
         WHERE occupied_until = '2026-03-07T13:00:00Z'",
    ] {
        sqlx::query(sql).execute(db.pg().pool()).await.unwrap();
    }
    let err = db.pg().migrate().await.expect_err("the double booking is refused");
    assert!(format!("{err:?}").contains("23P01"), "an exclusion violation: {err:?}");
    let version: i64 =
        sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations").fetch_one(db.pg().pool()).await.unwrap();
    assert_eq!(version, 4, "and nothing of migration 5 is kept");

    for table in ["appointments", "appointment_staff"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {table} SET occupied_from = '2026-03-07T12:00:00Z' WHERE occupied_until = '2026-03-07T13:00:00Z'"
        )))
        .execute(db.pg().pool())
        .await
        .unwrap();
    }
    db.pg().migrate().await.unwrap();
    let mut clash = appointment(&w, AppointmentKind::Visit, "2026-03-07T10:00:00Z", "2026-03-07T10:30:00Z");
    clash.practitioners = Practitioners::default();
    clash.location = Location::Room(w.room.id);
    let mut t = db.pg().begin().await.unwrap();
    let err = t.insert_appointment(&clash).await.unwrap_err();
    assert!(err.is_conflict(Conflict::DoubleBooking), "{err:?}");
    drop(t);
    db.drop_database().await;
}
