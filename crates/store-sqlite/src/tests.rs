//! Behaviour particular to SQLite: pragmas, locking, backup and restore,
//! corrupt rows, and the query plans of the list filters.

use crate::*;
use jiff::Timestamp;
use jiff::civil::{date, time};
use samvirke_domain::appointment::*;
use samvirke_domain::case::*;
use samvirke_domain::catalogue::Intervention;
use samvirke_domain::consent::*;
use samvirke_domain::cpr::Cpr;
use samvirke_domain::decision::*;
use samvirke_domain::document::*;
use samvirke_domain::journal::*;
use samvirke_domain::organisation::*;
use samvirke_domain::plan::*;
use samvirke_domain::referral::*;
use samvirke_domain::text::*;
use samvirke_domain::time::*;
use samvirke_domain::time_entry::*;
use samvirke_domain::user::*;
use samvirke_domain::*;
use samvirke_store::conformance::fixtures as fx;
use samvirke_store::*;
use std::time::Duration;

/// A store in a fresh temporary folder, removed on drop unless the test panicked.
struct Scratch {
    dir: PathBuf,
    store: SqliteStore,
}

impl Scratch {
    async fn new() -> Scratch {
        let dir = std::env::temp_dir().join(format!("samvirke-sqlite-unit-{}", uuid::Uuid::now_v7().simple()));
        let store = SqliteStore::open(&dir).await.unwrap();
        store.migrate().await.unwrap();
        Scratch { dir, store }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn short<const MAX: usize>(s: &str) -> BoundedText<MAX, false> {
    BoundedText::parse(s).unwrap()
}

fn long(s: &str) -> LongText {
    LongText::parse(s).unwrap()
}

fn municipality(code: u16) -> Municipality {
    Municipality { id: MunicipalityId::new(), code: MunicipalityCode::new(code).unwrap(), name: short("Kommune") }
}

/// The smallest world a referral needs.
struct World {
    municipality: Municipality,
    provider: Provider,
    practitioner: Staff,
    caseworker: Staff,
    room: Room,
    case: Case,
    mother: FamilyMember,
    referral: Referral,
}

fn staff(name: &str, role: StaffRole, employer: Employer) -> Staff {
    Staff {
        id: StaffId::new(),
        name: short(name),
        role,
        employer,
        employment: Employment::Permanent,
        email: Some(Email::parse("a@example.dk").unwrap()),
        supervision_trained: true,
        working_pattern: WeeklyPattern(vec![
            WeeklySlot::new(Day::Monday, time(8, 0, 0, 0), time(16, 0, 0, 0)).unwrap(),
        ]),
        max_weekly_minutes: Some(37 * 60),
        active: true,
    }
}

fn case(provider: ProviderId, municipality: MunicipalityId, cpr: &str) -> Case {
    let id = CaseId::new();
    Case {
        id,
        reference: CaseReference::from_id(id),
        provider_id: provider,
        municipality_id: municipality,
        child: Child { name: short("Ida"), cpr: Cpr::parse(cpr).unwrap() },
        placement: Some(PlacementSetting {
            kind: PlacementKind::FosterFamily,
            name: short("Plejefamilien"),
            address: None,
            address_secret: true,
            caregiver_name: None,
            caregiver_phone: None,
        }),
        opened_on: date(2026, 1, 5),
        closed_on: None,
        created_at: t("2026-01-05T09:00:00.123456Z"),
        revision: 1,
    }
}

fn referral(case: CaseId, caseworker: StaffId, practitioner: StaffId) -> Referral {
    Referral {
        id: ReferralId::new(),
        case_id: case,
        intervention: Intervention::SupportedVisitation,
        caseworker_id: caseworker,
        state: ReferralState::Active,
        coordinator_id: None,
        practitioner_ids: vec![practitioner],
        rejection_reason: None,
        terms: ReferralTerms {
            aimed_at: vec![SupportTarget::Child],
            work_goals: vec![short("Trygge samvær")],
            period: DateRange::new(date(2026, 1, 1), date(2026, 6, 30)).unwrap(),
            ordered_hours: 40,
            frequency: Frequency::new(1, 2).unwrap(),
            two_practitioners: false,
            visitation: None,
            notes: Some(long("To linjer\nher")),
        },
        terms_version: 1,
        received_at: t("2026-01-02T10:00:00Z"),
        revision: 1,
    }
}

fn first_version(r: &Referral) -> ReferralVersion {
    ReferralVersion {
        referral_id: r.id,
        version: 1,
        terms: r.terms.clone(),
        changed_by: r.caseworker_id,
        changed_at: r.received_at,
        reason: None,
    }
}

fn appointment(w: &World, start: &str, end: &str) -> Appointment {
    Appointment {
        id: AppointmentId::new(),
        case_id: w.case.id,
        referral_id: w.referral.id,
        kind: AppointmentKind::Visit,
        planned: TimeRange::new(t(start), t(end)).unwrap(),
        location: Location::Room(w.room.id),
        practitioners: Practitioners::new(vec![w.practitioner.id]).unwrap(),
        participants: vec![Participant::Child, Participant::FamilyMember(w.mother.id)],
        arrival: None,
        series_id: None,
        actual: None,
        outcome: None,
        outcome_recorded_at: None,
        created_at: t("2026-01-10T09:00:00Z"),
        revision: 1,
    }
}

async fn world(store: &SqliteStore) -> World {
    let m = municipality(657);
    let provider = Provider { id: ProviderId::new(), name: short("Familiehuset"), municipalities: vec![m.id] };
    let practitioner = staff("Mads", StaffRole::Practitioner, Employer::Provider(provider.id));
    let caseworker = staff("Lene", StaffRole::Caseworker, Employer::Municipality(m.id));
    let room = Room {
        id: RoomId::new(),
        provider_id: provider.id,
        name: short("Samværsrum 1"),
        capacity: 6,
        suitable_for_visits: true,
        opening_hours: WeeklyPattern::default(),
        active: true,
    };
    let case = case(provider.id, m.id, "1203154321");
    let mother = FamilyMember {
        id: FamilyMemberId::new(),
        case_id: case.id,
        name: short("Sara"),
        relation: Relation::Mother,
        roles: vec![FamilyRole::CustodyHolder, FamilyRole::VisitingParent],
        phone: None,
        email: None,
        address: None,
        address_protected: true,
    };
    let referral = referral(case.id, caseworker.id, practitioner.id);
    let mut tx = store.begin().await.unwrap();
    tx.insert_municipality(&m).await.unwrap();
    tx.insert_provider(&provider).await.unwrap();
    tx.insert_staff(&practitioner).await.unwrap();
    tx.insert_staff(&caseworker).await.unwrap();
    tx.insert_room(&room).await.unwrap();
    tx.insert_case(&case).await.unwrap();
    tx.insert_family_member(&mother).await.unwrap();
    tx.insert_referral(&referral, &first_version(&referral)).await.unwrap();
    tx.commit().await.unwrap();
    World { municipality: m, provider, practitioner, caseworker, room, case, mother, referral }
}

#[tokio::test]
async fn wal_foreign_keys_full_sync_and_busy_timeout_are_on() {
    let s = Scratch::new().await;
    let mut c = s.store.pool.acquire().await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *c).await.unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut *c).await.unwrap();
    assert_eq!(fk, 1);
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut *c).await.unwrap();
    assert_eq!(sync, 2, "FULL");
    let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(&mut *c).await.unwrap();
    assert_eq!(busy, 10_000);
    assert!(s.dir.join(DATABASE_FILE).is_file());
}

#[tokio::test]
async fn a_reference_to_a_missing_row_is_refused_by_the_foreign_keys() {
    let s = Scratch::new().await;
    let mut tx = s.store.begin().await.unwrap();
    let orphan = staff("Ingen", StaffRole::Practitioner, Employer::Provider(ProviderId::new()));
    let err = tx.insert_staff(&orphan).await.unwrap_err();
    assert!(err.is_conflict(Conflict::MissingReference), "{err:?}");
}

#[tokio::test]
async fn migrate_is_idempotent_and_ping_needs_it() {
    let dir = std::env::temp_dir().join(format!("samvirke-sqlite-unit-{}", uuid::Uuid::now_v7().simple()));
    let store = SqliteStore::open(&dir).await.unwrap();
    assert!(matches!(store.ping().await, Err(StoreError::Unavailable(_))));
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    store.ping().await.unwrap();
    // Two at once: the write lock serialises them.
    let (a, b) = tokio::join!(store.migrate(), store.migrate());
    a.unwrap();
    b.unwrap();
    store.close().await;
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_dropped_transaction_leaves_nothing() {
    let s = Scratch::new().await;
    let m = municipality(101);
    let mut tx = s.store.begin().await.unwrap();
    tx.insert_municipality(&m).await.unwrap();
    assert_eq!(tx.municipality(m.id).await.unwrap(), m);
    drop(tx);
    let mut r = s.store.begin_read().await.unwrap();
    assert!(matches!(r.municipality(m.id).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn a_batch_refused_half_way_leaves_nothing_once_dropped() {
    let s = Scratch::new().await;
    let w = world(&s.store).await;
    // One a day, so that none is a double booking.
    let good: Vec<Appointment> = (0..150)
        .map(|i| {
            let start = t("2026-03-07T09:00:00Z") + jiff::SignedDuration::from_hours(24 * i);
            appointment(&w, &start.to_string(), &(start + jiff::SignedDuration::from_hours(2)).to_string())
        })
        .collect();
    let mut bad = appointment(&w, "2026-03-08T09:00:00Z", "2026-03-08T11:00:00Z");
    bad.case_id = CaseId::new();
    let mut batch = good.clone();
    batch.push(bad);
    let mut tx = s.store.begin().await.unwrap();
    let err = tx.insert_appointments(&batch).await.unwrap_err();
    assert!(err.is_conflict(Conflict::MissingReference), "a missing case: {err:?}");
    drop(tx);
    let mut r = s.store.begin_read().await.unwrap();
    assert!(matches!(r.appointment(good[0].id).await, Err(StoreError::NotFound)));
    assert_eq!(r.appointments(&AppointmentFilter::default(), 10).await.unwrap(), vec![]);
}

#[tokio::test]
async fn begin_takes_the_write_lock_so_two_writers_are_serialised() {
    let s = Scratch::new().await;
    let first = s.store.begin().await.unwrap();
    let store = s.store.clone();
    let second = tokio::spawn(async move {
        let mut tx = store.begin().await.unwrap();
        // Check-then-insert: sees the first writer's municipality, so takes the next code.
        let taken = tx.municipalities().await.unwrap().len() as u16;
        tx.insert_municipality(&municipality(101 + taken)).await.unwrap();
        tx.commit().await.unwrap();
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!second.is_finished(), "the second writer waits for the first");
    let mut first = first;
    assert_eq!(first.municipalities().await.unwrap().len(), 0);
    first.insert_municipality(&municipality(101)).await.unwrap();
    first.commit().await.unwrap();
    second.await.unwrap();
    let codes: Vec<u16> =
        s.store.begin_read().await.unwrap().municipalities().await.unwrap().iter().map(|m| m.code.get()).collect();
    assert_eq!(codes, vec![101, 102]);
}

#[tokio::test]
async fn a_read_transaction_cannot_write_and_leaves_the_connection_writable() {
    let s = Scratch::new().await;
    for code in 101..111 {
        let mut r = s.store.begin_read().await.unwrap();
        assert!(r.insert_municipality(&municipality(code)).await.is_err(), "read-only");
        drop(r);
        let mut w = s.store.begin().await.unwrap();
        w.insert_municipality(&municipality(code)).await.unwrap();
        w.commit().await.unwrap();
    }
    assert_eq!(s.store.begin_read().await.unwrap().municipalities().await.unwrap().len(), 10);
}

#[tokio::test]
async fn a_read_transaction_keeps_its_snapshot() {
    let s = Scratch::new().await;
    let mut r = s.store.begin_read().await.unwrap();
    let mut w = s.store.begin().await.unwrap();
    w.insert_municipality(&municipality(101)).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(r.municipalities().await.unwrap(), vec![], "committed after the read began");
    drop(r);
    assert_eq!(s.store.begin_read().await.unwrap().municipalities().await.unwrap().len(), 1);
}

#[tokio::test]
async fn backup_and_restore_round_trip() {
    let s = Scratch::new().await;
    let before = municipality(101);
    let after = municipality(102);
    let mut tx = s.store.begin().await.unwrap();
    tx.insert_municipality(&before).await.unwrap();
    tx.commit().await.unwrap();

    let backup = s.dir.join("backup.db");
    s.store.backup_to(&backup).await.unwrap();
    assert!(s.store.backup_to(&backup).await.is_err(), "an existing file is not overwritten");

    let mut tx = s.store.begin().await.unwrap();
    tx.insert_municipality(&after).await.unwrap();
    tx.commit().await.unwrap();
    s.store.close().await;

    restore(&backup, &s.dir).await.unwrap();
    let reopened = SqliteStore::open(&s.dir).await.unwrap();
    reopened.migrate().await.unwrap();
    reopened.ping().await.unwrap();
    let mut r = reopened.begin_read().await.unwrap();
    assert_eq!(r.municipality(before.id).await.unwrap(), before);
    assert!(matches!(r.municipality(after.id).await, Err(StoreError::NotFound)));
    drop(r);
    reopened.close().await;
    let leftovers: Vec<_> = std::fs::read_dir(&s.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("restore"))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new(), "no temporary files remain");
}

#[tokio::test]
async fn restore_refuses_a_file_that_is_not_a_samvirke_database() {
    let s = Scratch::new().await;
    let m = municipality(101);
    let mut tx = s.store.begin().await.unwrap();
    tx.insert_municipality(&m).await.unwrap();
    tx.commit().await.unwrap();

    let garbage = s.dir.join("garbage.db");
    std::fs::write(&garbage, vec![7u8; 8192]).unwrap();
    assert!(restore(&garbage, &s.dir).await.is_err());

    let other = s.dir.join("other.db");
    let foreign = SqliteStore::open_file(&other).await.unwrap();
    sqlx::query("CREATE TABLE t (x)").execute(&foreign.pool).await.unwrap();
    foreign.close().await;
    assert!(matches!(restore(&other, &s.dir).await, Err(StoreError::Corrupt { .. })));

    assert!(restore(&s.dir.join("missing.db"), &s.dir).await.is_err());
    let mut r = s.store.begin_read().await.unwrap();
    assert_eq!(r.municipality(m.id).await.unwrap(), m, "the database in use is untouched");
}

#[tokio::test]
async fn a_stale_revision_is_refused_and_a_missing_row_is_not_found() {
    let s = Scratch::new().await;
    let w = world(&s.store).await;
    let a = appointment(&w, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    let mut tx = s.store.begin().await.unwrap();
    tx.insert_appointment(&a).await.unwrap();
    let mut mine = a.clone();
    let mut theirs = a.clone();
    mine.kind = AppointmentKind::StartMeeting;
    tx.update_appointment(&mut mine).await.unwrap();
    assert_eq!(mine.revision, 2);
    let err = tx.update_appointment(&mut theirs).await.unwrap_err();
    assert!(err.is_conflict(Conflict::StaleRevision), "{err:?}");
    assert_eq!(theirs.revision, 1);
    let mut gone = a.clone();
    gone.id = AppointmentId::new();
    assert!(matches!(tx.update_appointment(&mut gone).await, Err(StoreError::NotFound)));
    let mut plan = ActionPlan {
        id: ActionPlanId::new(),
        case_id: w.case.id,
        referral_id: w.referral.id,
        phase: Phase::Start,
        phase_history: vec![],
        goals: vec![],
        resources: vec![],
        reviews: vec![],
        updated_at: t("2026-02-01T12:00:00Z"),
        revision: 7,
    };
    tx.insert_action_plan(&plan).await.unwrap();
    plan.revision = 6;
    let err = tx.update_action_plan(&mut plan).await.unwrap_err();
    assert!(err.is_conflict(Conflict::StaleRevision), "{err:?}");
}

#[tokio::test]
async fn a_row_that_does_not_parse_is_corrupt_and_the_error_shows_no_personal_data() {
    let s = Scratch::new().await;
    let w = world(&s.store).await;
    sqlx::query("UPDATE staff SET working_pattern = '[{\"day\":\"Mads\"}]' WHERE id = ?1")
        .bind(w.practitioner.id.uuid())
        .execute(&s.store.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE cases SET child_cpr = '3102154321' WHERE id = ?1")
        .bind(w.case.id.uuid())
        .execute(&s.store.pool)
        .await
        .unwrap();
    let mut r = s.store.begin_read().await.unwrap();
    let err = r.staff(w.practitioner.id).await.unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { column: "staff.working_pattern", .. }), "{err:?}");
    assert!(!err.to_string().contains("Mads"), "{err}");
    let err = r.case(w.case.id).await.unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { column: "cases.child_cpr", .. }), "{err:?}");
    assert!(!err.to_string().contains("3102"), "{err}");
}

#[tokio::test]
async fn every_entity_round_trips() {
    let s = Scratch::new().await;
    let w = world(&s.store).await;
    let mut tx = s.store.begin().await.unwrap();

    assert_eq!(tx.municipality(w.municipality.id).await.unwrap(), w.municipality);
    assert_eq!(tx.provider(w.provider.id).await.unwrap(), w.provider);
    assert_eq!(tx.staff(w.practitioner.id).await.unwrap(), w.practitioner);
    assert_eq!(tx.staff(w.caseworker.id).await.unwrap(), w.caseworker);
    assert_eq!(tx.room(w.room.id).await.unwrap(), w.room);
    assert_eq!(tx.case(w.case.id).await.unwrap(), w.case);
    assert_eq!(tx.family_member(w.mother.id).await.unwrap(), w.mother);
    assert_eq!(tx.referral(w.referral.id).await.unwrap(), w.referral);
    assert_eq!(tx.referral_versions(w.referral.id).await.unwrap(), vec![first_version(&w.referral)]);

    let absence = Absence {
        id: AbsenceId::new(),
        staff_id: w.practitioner.id,
        during: TimeRange::new(t("2026-03-02T07:00:00Z"), t("2026-03-06T16:00:00Z")).unwrap(),
        kind: AbsenceKind::Course,
    };
    tx.insert_absence(&absence).await.unwrap();
    let week = TimeRange::new(t("2026-03-01T00:00:00Z"), t("2026-03-08T00:00:00Z")).unwrap();
    assert_eq!(tx.absences(Some(w.practitioner.id), week).await.unwrap(), vec![absence.clone()]);

    let decision = CommitteeDecision {
        id: DecisionId::new(),
        case_id: w.case.id,
        kind: DecisionKind::ContactCutOff,
        grounds: vec![SupervisionGround::ChildStruggles],
        period: DateRange::new(date(2026, 1, 1), date(2026, 3, 31)).unwrap(),
        decided_on: date(2025, 12, 20),
        note: None,
        recorded_at: t("2025-12-21T08:00:00Z"),
    };
    tx.insert_decision(&decision).await.unwrap();
    assert_eq!(tx.decisions(w.case.id).await.unwrap(), vec![decision]);

    let suspension = VisitationSuspension {
        id: SuspensionId::new(),
        case_id: w.case.id,
        period: DateRange::new(date(2026, 4, 1), date(2026, 4, 28)).unwrap(),
        decided_on: date(2026, 3, 30),
        requested_by_child: false,
        note: Some(long("Efter ønske fra barnet")),
        recorded_at: t("2026-03-30T08:00:00Z"),
    };
    tx.insert_suspension(&suspension).await.unwrap();
    assert_eq!(tx.suspensions(w.case.id).await.unwrap(), vec![suspension]);

    let consent = Consent {
        id: ConsentId::new(),
        case_id: w.case.id,
        referral_id: None,
        giver: ConsentGiver::FamilyMember(w.mother.id),
        purpose: ConsentPurpose::SharingWithPlacement,
        given_at: t("2026-02-01T10:00:00Z"),
        withdrawn_at: Some(t("2026-02-02T10:00:00Z")),
        recorded_by: w.practitioner.id,
        note: None,
    };
    tx.insert_consent(&consent).await.unwrap();
    assert_eq!(tx.consent(consent.id).await.unwrap(), consent);
    let err = tx.withdraw_consent(consent.id, t("2026-02-03T10:00:00Z")).await.unwrap_err();
    assert!(err.is_conflict(Conflict::AlreadyWithdrawn));

    let mut a = appointment(&w, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    a.location = Location::Other(short("Legepladsen"));
    a.participants.push(Participant::Other(short("Tolk")));
    a.arrival = Some(ArrivalPlan {
        parent_arrives: t("2026-03-07T08:45:00Z"),
        child_arrives: t("2026-03-07T09:00:00Z"),
        child_leaves: t("2026-03-07T11:00:00Z"),
        parent_leaves: t("2026-03-07T11:15:00Z"),
    });
    a.series_id = Some(SeriesId::new());
    a.actual = Some(TimeRange::new(t("2026-03-07T09:05:00Z"), t("2026-03-07T10:30:00Z")).unwrap());
    a.outcome = Some(Outcome::EndedEarly { brought_by: None, reason: long("Træt"), incidents: None });
    a.outcome_recorded_at = Some(t("2026-03-07T12:00:00Z"));
    tx.insert_appointment(&a).await.unwrap();
    assert_eq!(tx.appointment(a.id).await.unwrap(), a);
    assert!(tx.delete_appointment(a.id).await.unwrap_err().is_conflict(Conflict::InUse));

    let entry = JournalEntry {
        id: JournalEntryId::new(),
        case_id: w.case.id,
        appointment_id: Some(a.id),
        author_id: w.practitioner.id,
        kind: JournalKind::OralInformation,
        body: long("Mor ringede."),
        written_at: t("2026-03-07T13:00:00Z"),
    };
    tx.insert_journal_entry(&entry).await.unwrap();
    assert_eq!(tx.journal(w.case.id, Page::default()).await.unwrap(), vec![entry]);

    let doc = Document {
        id: DocumentId::new(),
        case_id: w.case.id,
        referral_id: w.referral.id,
        appointment_id: Some(a.id),
        kind: DocumentKind::WrittenDescription,
        title: short("Beskrivelse"),
        state: DocumentState::CoordinatorReview,
        corrects: None,
        created_at: t("2026-03-07T14:00:00Z"),
        current_version: 1,
        sent_at: None,
        revision: 1,
    };
    let v1 = DocumentVersion {
        document_id: doc.id,
        version: 1,
        body: long("Samværet forløb roligt."),
        family_comment: Some(long("Enig")),
        child_views: Some(long("Ida glæder sig til næste gang.")),
        family_read_at: Some(t("2026-03-07T19:00:00.000001Z")),
        author_id: w.practitioner.id,
        created_at: doc.created_at,
    };
    tx.insert_document(&doc, &v1).await.unwrap();
    assert_eq!(tx.document(doc.id).await.unwrap(), doc);
    assert_eq!(tx.document_versions(doc.id).await.unwrap(), vec![v1]);
    let provider_docs = DocumentFilter { provider: Some(w.provider.id), ..Default::default() };
    assert_eq!(tx.documents(&provider_docs, Page::default()).await.unwrap(), vec![doc]);

    let plan = ActionPlan {
        id: ActionPlanId::new(),
        case_id: w.case.id,
        referral_id: w.referral.id,
        phase: Phase::Change,
        phase_history: vec![
            PhaseChange { phase: Phase::Start, on: date(2026, 1, 10) },
            PhaseChange { phase: Phase::Change, on: date(2026, 3, 1) },
        ],
        goals: vec![Goal {
            id: GoalId::new(),
            text: short("Til tiden"),
            motivation: None,
            actions: vec![PlanAction { text: short("Alarm"), who: None, due: Some(date(2026, 3, 15)), done: true }],
            status: GoalStatus::Achieved,
        }],
        resources: vec![short("Mormor")],
        reviews: vec![PlanReview { on: date(2026, 3, 1), ratings: vec![], note: None }],
        updated_at: t("2026-03-01T12:00:00Z"),
        revision: 1,
    };
    tx.insert_action_plan(&plan).await.unwrap();
    assert_eq!(tx.action_plan(plan.id).await.unwrap(), plan);

    let focus = FocusArea {
        id: FocusAreaId::new(),
        case_id: w.case.id,
        referral_id: w.referral.id,
        area: FocusAreaKind::StayingInEducation,
        note: None,
        started_on: date(2026, 2, 1),
        ended_on: Some(date(2026, 5, 1)),
    };
    tx.insert_focus_area(&focus).await.unwrap();
    assert_eq!(tx.focus_area(focus.id).await.unwrap(), focus);

    let hours = TimeEntry {
        id: TimeEntryId::new(),
        referral_id: w.referral.id,
        staff_id: w.practitioner.id,
        appointment_id: Some(a.id),
        date: date(2026, 3, 7),
        minutes: Minutes::new(150).unwrap(),
        kind: TimeKind::Direct,
        note: Some(short("Samvær")),
        registered_at: t("2026-03-07T15:00:00Z"),
    };
    tx.insert_time_entry(&hours).await.unwrap();
    assert_eq!(tx.time_entries(w.referral.id).await.unwrap(), vec![hours]);
    assert_eq!(tx.minutes_registered(w.referral.id).await.unwrap(), 150);

    let young = User {
        id: UserId::new(),
        username: Username::parse("ida.s").unwrap(),
        display_name: short("Ida"),
        role: Role::YoungPerson,
        subject: Subject::Child(w.case.id),
        active: true,
        created_at: t("2026-02-01T10:00:00Z"),
    };
    tx.insert_user(&young, "$argon2id$hash").await.unwrap();
    assert_eq!(tx.user(young.id).await.unwrap(), young);
    assert_eq!(tx.user_credentials(&young.username).await.unwrap(), (young.clone(), "$argon2id$hash".into()));
    tx.commit().await.unwrap();
}

/// The query plan of a list query, one line per step.
async fn plan(store: &SqliteStore, q: &mut sqlx::QueryBuilder<sqlx::Sqlite>) -> String {
    let rows = q.build().fetch_all(&store.pool).await.unwrap();
    rows.iter().map(|r| sqlx::Row::get::<String, _>(r, "detail")).collect::<Vec<_>>().join("\n")
}

fn explain() -> sqlx::QueryBuilder<sqlx::Sqlite> {
    sqlx::QueryBuilder::new("EXPLAIN QUERY PLAN ")
}

#[tokio::test]
async fn every_appointment_filter_uses_an_index() {
    let s = Scratch::new().await;
    let during = Some(TimeRange::new(t("2026-03-02T00:00:00Z"), t("2026-03-09T00:00:00Z")).unwrap());
    let after = Some((t("2026-03-02T00:00:00Z"), AppointmentId::new()));
    let filters = [
        AppointmentFilter { case: Some(CaseId::new()), ..Default::default() },
        AppointmentFilter { referral: Some(ReferralId::new()), during, ..Default::default() },
        AppointmentFilter { room: Some(RoomId::new()), during, ..Default::default() },
        AppointmentFilter { provider: Some(ProviderId::new()), during, unassigned: true, ..Default::default() },
        AppointmentFilter { provider: Some(ProviderId::new()), after, ..Default::default() },
        AppointmentFilter { staff: Some(StaffId::new()), during, ..Default::default() },
        AppointmentFilter { staff: Some(StaffId::new()), after, ..Default::default() },
        AppointmentFilter { during, without_outcome: true, ..Default::default() },
        AppointmentFilter { after, kinds: vec![AppointmentKind::Visit], ..Default::default() },
    ];
    let queues = [
        (
            AppointmentFilter { provider: Some(ProviderId::new()), unassigned: true, ..Default::default() },
            "appointments_unassigned",
        ),
        (
            AppointmentFilter { provider: Some(ProviderId::new()), without_outcome: true, after, ..Default::default() },
            "appointments_without_outcome",
        ),
    ];
    for (f, index) in &queues {
        let mut q = explain();
        appointments::push_appointments_query(&mut q, f, 50);
        let plan = plan(&s.store, &mut q).await;
        assert!(plan.contains(index), "{f:?}:\n{plan}");
    }
    for f in &filters {
        let mut q = explain();
        appointments::push_appointments_query(&mut q, f, 50);
        let plan = plan(&s.store, &mut q).await;
        assert!(!plan.lines().any(|l| l.starts_with("SCAN a") || l.starts_with("SCAN p")), "{f:?}:\n{plan}");
        if f.during.is_some() {
            assert!(plan.contains("starts_at>? AND starts_at<?"), "{f:?} bounds the range on both sides:\n{plan}");
        }
    }
}

#[tokio::test]
async fn every_case_referral_and_document_filter_uses_an_index() {
    let s = Scratch::new().await;
    let staff = Some(StaffId::new());
    let case_filters = [
        CaseFilter { provider: Some(ProviderId::new()), open_only: true, ..Default::default() },
        CaseFilter { municipality: Some(MunicipalityId::new()), ..Default::default() },
        CaseFilter { staff, ..Default::default() },
    ];
    for f in &case_filters {
        let mut q = explain();
        cases::push_cases_query(&mut q, f, Page::default());
        let p = plan(&s.store, &mut q).await;
        assert!(!p.lines().any(|l| l.starts_with("SCAN")), "{f:?}:\n{p}");
        let mut q = explain();
        cases::push_count_cases_query(&mut q, f);
        let p = plan(&s.store, &mut q).await;
        assert!(!p.lines().any(|l| l.starts_with("SCAN")), "count {f:?}:\n{p}");
    }
    let referral_filters = [
        ReferralFilter { case: Some(CaseId::new()), ..Default::default() },
        ReferralFilter {
            provider: Some(ProviderId::new()),
            states: vec![ReferralState::Received],
            ..Default::default()
        },
        ReferralFilter { municipality: Some(MunicipalityId::new()), ..Default::default() },
        ReferralFilter { caseworker: staff, ..Default::default() },
        ReferralFilter { assigned: staff, ..Default::default() },
        ReferralFilter { states: vec![ReferralState::Active, ReferralState::Ending], ..Default::default() },
        ReferralFilter { intervention: Some(Intervention::HomeSupport), ..Default::default() },
    ];
    for f in &referral_filters {
        let mut q = explain();
        referrals::push_referrals_query(&mut q, f, Page::default());
        let p = plan(&s.store, &mut q).await;
        assert!(!p.lines().any(|l| l.starts_with("SCAN")), "{f:?}:\n{p}");
    }
    let document_filters = [
        DocumentFilter { case: Some(CaseId::new()), ..Default::default() },
        DocumentFilter { referral: Some(ReferralId::new()), ..Default::default() },
        DocumentFilter { appointment: Some(AppointmentId::new()), ..Default::default() },
        DocumentFilter { kind: Some(DocumentKind::ClosingLetter), ..Default::default() },
        DocumentFilter { states: vec![DocumentState::CoordinatorReview], ..Default::default() },
        DocumentFilter { provider: Some(ProviderId::new()), ..Default::default() },
    ];
    for f in &document_filters {
        let mut q = explain();
        documents::push_documents_query(&mut q, f, Page::default()).unwrap();
        let p = plan(&s.store, &mut q).await;
        assert!(!p.lines().any(|l| l.starts_with("SCAN")), "{f:?}:\n{p}");
    }
    let before = Some(OutboxMessageId::new());
    let outbox_filters = [
        OutboxFilter { case: Some(CaseId::new()), before, ..Default::default() },
        OutboxFilter { document: Some(DocumentId::new()), ..Default::default() },
        OutboxFilter { recipient: Some(StaffId::new()), before, ..Default::default() },
        OutboxFilter { municipality: Some(MunicipalityId::new()), ..Default::default() },
    ];
    for f in &outbox_filters {
        let mut q = explain();
        documents::push_outbox_query(&mut q, f, 50);
        let p = plan(&s.store, &mut q).await;
        assert!(!p.lines().any(|l| l.starts_with("SCAN")), "{f:?}:\n{p}");
        assert!(!p.contains("TEMP B-TREE"), "newest first from the index: {f:?}:\n{p}");
    }
}

/// The triggers of migration 2 hold against any SQL, not only the store's own:
/// what was sent cannot be changed or removed, and the refusal is `Immutable`.
#[tokio::test]
async fn sent_documents_and_the_outbox_cannot_be_changed_even_by_hand() {
    let s = Scratch::new().await;
    let w = world(&s.store).await;
    let sent_at = t("2026-03-08T09:00:00Z");
    let document = |sent_at| Document {
        id: DocumentId::new(),
        case_id: w.case.id,
        referral_id: w.referral.id,
        appointment_id: None,
        kind: DocumentKind::StatusLetter,
        title: short("Statusskrivelse"),
        state: DocumentState::Sent,
        corrects: None,
        created_at: t("2026-03-07T14:00:00Z"),
        current_version: 1,
        sent_at,
        revision: 1,
    };
    let version = |doc: &Document| DocumentVersion {
        document_id: doc.id,
        version: 1,
        body: long("Forløbet går godt."),
        family_comment: None,
        child_views: None,
        family_read_at: None,
        author_id: w.practitioner.id,
        created_at: doc.created_at,
    };
    let (sent, draft) = (document(Some(sent_at)), document(None));
    let message = OutboxMessage {
        id: OutboxMessageId::new(),
        document_id: sent.id,
        version: 1,
        case_id: sent.case_id,
        referral_id: sent.referral_id,
        kind: sent.kind,
        corrects: None,
        recipient_id: w.caseworker.id,
        municipality_id: w.municipality.id,
        title: sent.title.clone(),
        body: version(&sent).body,
        child_views: None,
        family_comment: None,
        sent_by: w.practitioner.id,
        sent_at,
    };
    let mut tx = s.store.begin().await.unwrap();
    tx.insert_document(&sent, &version(&sent)).await.unwrap();
    tx.insert_document(&draft, &version(&draft)).await.unwrap();
    tx.insert_outbox_messages(std::slice::from_ref(&message)).await.unwrap();
    tx.commit().await.unwrap();

    let refused = [
        ("UPDATE outbox_messages SET body = 'Noget andet' WHERE id = ?1", message.id.uuid()),
        ("DELETE FROM outbox_messages WHERE id = ?1", message.id.uuid()),
        ("UPDATE document_versions SET body = 'Noget andet' WHERE document_id = ?1", sent.id.uuid()),
        ("UPDATE document_versions SET family_comment = 'Sent' WHERE document_id = ?1", sent.id.uuid()),
        ("DELETE FROM document_versions WHERE document_id = ?1", sent.id.uuid()),
        ("UPDATE documents SET sent_at = NULL WHERE id = ?1", sent.id.uuid()),
        ("UPDATE documents SET sent_at = sent_at + 1 WHERE id = ?1", sent.id.uuid()),
        ("DELETE FROM documents WHERE id = ?1", sent.id.uuid()),
    ];
    for (sql, id) in refused {
        let err = sqlx::query(sql).bind(id).execute(&s.store.pool).await.map_err(crate::error::db).unwrap_err();
        assert!(err.is_conflict(Conflict::Immutable), "{sql}: {err:?}");
    }
    let allowed = [
        ("UPDATE documents SET state = 'archived' WHERE id = ?1", sent.id.uuid()),
        ("UPDATE documents SET sent_at = sent_at WHERE id = ?1", sent.id.uuid()),
        ("UPDATE document_versions SET body = 'Ny tekst' WHERE document_id = ?1", draft.id.uuid()),
        ("UPDATE documents SET sent_at = 1 WHERE id = ?1", draft.id.uuid()),
    ];
    for (sql, id) in allowed {
        let done = sqlx::query(sql).bind(id).execute(&s.store.pool).await.unwrap();
        assert_eq!(done.rows_affected(), 1, "{sql}");
    }
    let mut r = s.store.begin_read().await.unwrap();
    assert_eq!(r.outbox(&OutboxFilter::default(), 10).await.unwrap(), vec![message]);
    assert_eq!(r.document_versions(sent.id).await.unwrap(), vec![version(&sent)]);
}

#[tokio::test]
async fn an_overlap_query_finds_a_long_appointment_that_began_before_the_range() {
    let s = Scratch::new().await;
    let w = world(&s.store).await;
    let long = appointment(&w, "2026-03-06T22:00:00Z", "2026-03-07T10:00:00Z");
    // Cancelled, so that the room and the practitioner are not booked twice (it is still listed).
    let cancelled = Some(Outcome::Cancelled { by: CancelledBy::Parent, reason: None });
    let mut touching = appointment(&w, "2026-03-07T06:00:00Z", "2026-03-07T08:00:00Z");
    touching.outcome = cancelled.clone();
    let mut inside = appointment(&w, "2026-03-07T08:30:00Z", "2026-03-07T09:00:00Z");
    inside.outcome = cancelled;
    let mut tx = s.store.begin().await.unwrap();
    tx.insert_appointments(&[long.clone(), touching, inside.clone()]).await.unwrap();
    tx.commit().await.unwrap();

    let during = Some(TimeRange::new(t("2026-03-07T08:00:00Z"), t("2026-03-07T12:00:00Z")).unwrap());
    let mut r = s.store.begin_read().await.unwrap();
    for f in [
        AppointmentFilter { during, ..Default::default() },
        AppointmentFilter { during, staff: Some(w.practitioner.id), ..Default::default() },
        AppointmentFilter { during, room: Some(w.room.id), ..Default::default() },
        AppointmentFilter { during, referral: Some(w.referral.id), ..Default::default() },
    ] {
        let ids: Vec<_> = r.appointments(&f, 10).await.unwrap().into_iter().map(|a| a.id).collect();
        assert_eq!(ids, vec![long.id, inside.id], "{f:?}");
    }
}

#[tokio::test]
async fn a_referrals_appointments_are_found_through_its_case() {
    let s = Scratch::new().await;
    let w = world(&s.store).await;
    let other = referral(w.case.id, w.caseworker.id, w.practitioner.id);
    let mut tx = s.store.begin().await.unwrap();
    tx.insert_referral(&other, &first_version(&other)).await.unwrap();
    let mine = appointment(&w, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    let mut theirs = appointment(&w, "2026-03-08T09:00:00Z", "2026-03-08T11:00:00Z");
    theirs.referral_id = other.id;
    tx.insert_appointments(&[mine.clone(), theirs.clone()]).await.unwrap();
    tx.commit().await.unwrap();

    let mut r = s.store.begin_read().await.unwrap();
    let of = |id| AppointmentFilter { referral: Some(id), ..Default::default() };
    assert_eq!(r.appointments(&of(w.referral.id), 10).await.unwrap(), vec![mine]);
    assert_eq!(r.appointments(&of(other.id), 10).await.unwrap(), vec![theirs]);
    assert_eq!(r.appointments(&of(ReferralId::new()), 10).await.unwrap(), vec![]);
}

/// A sent document of the fixtures' world with its outbox message, committed.
async fn sent_document_of(store: &SqliteStore, w: &fx::World) -> (Document, OutboxMessage) {
    let (mut doc, v1) = fx::document(w, DocumentKind::StatusLetter, "Forløbet går godt.");
    doc.state = DocumentState::Sent;
    doc.sent_at = Some(t("2026-03-08T09:00:00Z"));
    let message = fx::outbox_message(w, &doc, &v1, t("2026-03-08T09:00:00Z"));
    let mut tx = store.begin().await.unwrap();
    tx.insert_document(&doc, &v1).await.unwrap();
    tx.insert_outbox_messages(std::slice::from_ref(&message)).await.unwrap();
    tx.commit().await.unwrap();
    (doc, message)
}

/// The triggers of migration 3 hold against any SQL: no entry of the audit
/// log is changed or removed, and the refusal is `Immutable`.
#[tokio::test]
async fn the_audit_log_cannot_be_changed_even_by_hand() {
    let s = Scratch::new().await;
    let w = fx::World::create(&s.store).await;
    let event = fx::audit_event(t("2026-03-02T08:00:00Z"), None, audit::AuditAction::Read, Some(w.case.id));
    let mut tx = s.store.begin().await.unwrap();
    let written = tx.append_audit(&[event.clone(), event]).await.unwrap();
    tx.commit().await.unwrap();

    for sql in [
        "UPDATE audit_log SET route = NULL WHERE seq = 1",
        "UPDATE audit_log SET seq = 3 WHERE seq = 2",
        "UPDATE audit_log SET hash = hash",
        "DELETE FROM audit_log WHERE seq = 2",
        "DELETE FROM audit_log",
    ] {
        let err = sqlx::query(sql).execute(&s.store.pool).await.map_err(crate::error::db).unwrap_err();
        assert!(err.is_conflict(Conflict::Immutable), "{sql}: {err:?}");
    }
    let mut r = s.store.begin_read().await.unwrap();
    assert_eq!(r.audit_entries(0, 10).await.unwrap(), written);
}

/// An erasure is recorded only for a closed case and is final; only with it
/// do the case's sent documents and outbox messages go, and only that case's.
#[tokio::test]
async fn what_was_sent_goes_only_with_an_erasure_of_its_closed_case() {
    let s = Scratch::new().await;
    let w = fx::World::create(&s.store).await;
    let (doc, message) = sent_document_of(&s.store, &w).await;
    let pool = &s.store.pool;
    let record = "INSERT INTO case_erasures (case_id, erased_at) VALUES (?1, 0)";
    let err = sqlx::query(record).bind(w.case.id.uuid()).execute(pool).await.map_err(crate::error::db).unwrap_err();
    assert!(err.is_conflict(Conflict::Immutable), "an open case is not erased: {err:?}");
    let err = sqlx::query(record).bind(CaseId::new().uuid()).execute(pool).await.map_err(crate::error::db).unwrap_err();
    assert!(err.is_conflict(Conflict::Immutable), "nor a case that does not exist: {err:?}");

    // Another case, closed and recorded as erased, opens nothing of this one.
    let mut other = fx::case(w.provider.id, w.municipality.id, "Emil Holm", "0101104321");
    other.closed_on = Some(date(2026, 2, 1));
    let mut tx = s.store.begin().await.unwrap();
    tx.insert_case(&other).await.unwrap();
    tx.commit().await.unwrap();
    sqlx::query(record).bind(other.id.uuid()).execute(pool).await.unwrap();
    for (sql, id) in [
        ("DELETE FROM outbox_messages WHERE id = ?1", message.id.uuid()),
        ("DELETE FROM document_versions WHERE document_id = ?1", doc.id.uuid()),
        ("DELETE FROM documents WHERE id = ?1", doc.id.uuid()),
    ] {
        let err = sqlx::query(sql).bind(id).execute(pool).await.map_err(crate::error::db).unwrap_err();
        assert!(err.is_conflict(Conflict::Immutable), "{sql}: {err:?}");
    }
    for sql in ["UPDATE case_erasures SET erased_at = 1", "DELETE FROM case_erasures"] {
        let err = sqlx::query(sql).execute(pool).await.map_err(crate::error::db).unwrap_err();
        assert!(err.is_conflict(Conflict::Immutable), "{sql}: {err:?}");
    }

    // Closed and recorded first in the same transaction: what was sent goes.
    let mut c = pool.begin().await.unwrap();
    sqlx::query("UPDATE cases SET closed_on = '2026-06-30' WHERE id = ?1")
        .bind(w.case.id.uuid())
        .execute(&mut *c)
        .await
        .unwrap();
    sqlx::query(record).bind(w.case.id.uuid()).execute(&mut *c).await.unwrap();
    for (sql, id) in [
        ("DELETE FROM outbox_messages WHERE id = ?1", message.id.uuid()),
        ("DELETE FROM document_versions WHERE document_id = ?1", doc.id.uuid()),
        ("DELETE FROM documents WHERE id = ?1", doc.id.uuid()),
    ] {
        let done = sqlx::query(sql).bind(id).execute(&mut *c).await.unwrap();
        assert_eq!(done.rows_affected(), 1, "{sql}");
    }
    // Still, nothing is changed that was sent.
    let err = sqlx::query("UPDATE outbox_messages SET body = 'x'").execute(&mut *c).await.map_err(crate::error::db);
    assert_eq!(err.unwrap().rows_affected(), 0, "no message is left to change");
    c.commit().await.unwrap();
}

#[tokio::test]
async fn the_audit_lists_and_the_retention_query_use_an_index() {
    let s = Scratch::new().await;
    for sql in [
        "EXPLAIN QUERY PLAN SELECT * FROM audit_log WHERE case_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT 10",
        "EXPLAIN QUERY PLAN SELECT * FROM audit_log WHERE actor_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT 10",
        "EXPLAIN QUERY PLAN SELECT * FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT 10",
        "EXPLAIN QUERY PLAN SELECT id FROM cases WHERE closed_on IS NOT NULL AND closed_on < ?1 ORDER BY closed_on, id LIMIT 10",
        "EXPLAIN QUERY PLAN DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2",
        "EXPLAIN QUERY PLAN DELETE FROM sessions WHERE user_id = ?1",
    ] {
        let rows = sqlx::query(sql).bind(uuid::Uuid::now_v7()).bind(5).fetch_all(&s.store.pool).await.unwrap();
        let p = rows.iter().map(|r| sqlx::Row::get::<String, _>(r, "detail")).collect::<Vec<_>>().join("\n");
        assert!(!p.lines().any(|l| l.starts_with("SCAN")), "{sql}:\n{p}");
        assert!(!p.contains("TEMP B-TREE"), "in order from the index: {sql}:\n{p}");
    }
}

/// Appends from many transactions at once, some rolled back, make one chain
/// without gaps: the write lock of `BEGIN IMMEDIATE` serialises them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appends_make_one_gapless_verifiable_chain() {
    let s = Scratch::new().await;
    let w = fx::World::create(&s.store).await;
    let mut tasks = Vec::new();
    for task in 0..8u64 {
        let store = s.store.clone();
        let case = w.case.id;
        tasks.push(tokio::spawn(async move {
            let mut committed = 0;
            for round in 0..10u64 {
                let n = 1 + (round + task) % 3;
                let events: Vec<_> = (0..n)
                    .map(|_| fx::audit_event(t("2026-03-02T08:00:00Z"), None, audit::AuditAction::Read, Some(case)))
                    .collect();
                let mut tx = store.begin().await.unwrap();
                tx.append_audit(&events).await.unwrap();
                tokio::task::yield_now().await;
                if round % 4 == 3 {
                    drop(tx);
                } else {
                    tx.commit().await.unwrap();
                    committed += n;
                }
            }
            committed
        }));
    }
    let mut committed = 0;
    for t in tasks {
        committed += t.await.unwrap();
    }
    let mut r = s.store.begin_read().await.unwrap();
    let mut v = audit::ChainVerifier::new();
    for e in r.audit_entries(0, 1000).await.unwrap() {
        v.push(&e).unwrap();
    }
    assert_eq!(v.finish().unwrap().0, committed);
}

/// A file that already holds a double booking (written before migration 5)
/// is not migrated past version 4; once the clash is solved, it is.
#[tokio::test]
async fn a_file_holding_a_double_booking_is_not_migrated_until_it_is_solved() {
    let s = Scratch::new().await;
    let w = world(&s.store).await;
    let first = appointment(&w, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    let second = appointment(&w, "2026-03-07T12:00:00Z", "2026-03-07T13:00:00Z");
    let mut tx = s.store.begin().await.unwrap();
    tx.insert_appointments(&[first.clone(), second.clone()]).await.unwrap();
    tx.commit().await.unwrap();
    // Back to version 4, as a file written before migration 5, with the two overlapping.
    for sql in [
        "DROP TABLE offered_shifts",
        "DELETE FROM schema_migrations WHERE version = 6",
        "DROP TRIGGER appointments_room_booked_once_on_insert",
        "DROP TRIGGER appointments_booked_once_on_update",
        "DROP TRIGGER appointment_staff_booked_once_on_insert",
        "DROP TRIGGER appointment_staff_booked_once_on_update",
        "DROP INDEX appointments_room_occupancy",
        "DROP INDEX appointment_staff_occupancy",
        "DELETE FROM schema_migrations WHERE version = 5",
        "UPDATE appointments SET occupied_from = occupied_from - 3 * 3600000000 WHERE starts_at = \
         (SELECT max(starts_at) FROM appointments)",
    ] {
        sqlx::query(sql).execute(&s.store.pool).await.unwrap();
    }
    assert!(s.store.migrate().await.is_err(), "the double booking is refused");
    let version: i64 =
        sqlx::query_scalar("SELECT max(version) FROM schema_migrations").fetch_one(&s.store.pool).await.unwrap();
    assert_eq!(version, 4, "and nothing of migration 5 is kept");

    sqlx::query("UPDATE appointments SET occupied_from = starts_at").execute(&s.store.pool).await.unwrap();
    s.store.migrate().await.unwrap();
    let mut clash = appointment(&w, "2026-03-07T10:00:00Z", "2026-03-07T10:30:00Z");
    clash.practitioners = Practitioners::default();
    let mut tx = s.store.begin().await.unwrap();
    let err = tx.insert_appointment(&clash).await.unwrap_err();
    assert!(err.is_conflict(Conflict::DoubleBooking), "{err:?}");
}
