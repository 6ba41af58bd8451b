//! No room or practitioner is booked twice, however many ask for one slot at
//! once: on PostgreSQL with two app instances (two routers, two ports, two
//! connection pools) on one database, and on SQLite with one instance.

use crate::support::{TestApp, World};
use samvirke_store::AppointmentFilter;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Plans of the same slot fired at once.
const TRIES: usize = 40;

/// A visit in the room on 7 March 2026, 9–11, with the staggered arrival of
/// the mother; the practitioners alternate, so that only the room is shared
/// by all (and each practitioner by every other plan).
fn visit(w: &World, i: usize) -> Value {
    let practitioner = if i.is_multiple_of(2) { &w.practitioner } else { &w.practitioner2 };
    json!({
        "referral_id": w.referral,
        "kind": "visit",
        "start": "2026-03-07T09:00:00Z",
        "end": "2026-03-07T11:00:00Z",
        "location": {"kind": "room", "value": w.room},
        "practitioner_ids": [practitioner],
        "participants": [{"kind": "child"}, {"kind": "family_member", "value": w.mother}],
        "arrival": {"parent_arrives": "2026-03-07T08:45:00Z", "child_arrives": "2026-03-07T09:00:00Z",
                    "child_leaves": "2026-03-07T11:00:00Z", "parent_leaves": "2026-03-07T11:15:00Z"},
    })
}

/// Fires [`TRIES`] plans of the slot at once, spread over the instances:
/// exactly one is created, every other is answered `409 double_booking`, and
/// only the one created is stored (in the room and with its practitioner).
/// The id of the one created.
async fn storm(instances: &[&TestApp], w: &World) -> String {
    let barrier = Arc::new(tokio::sync::Barrier::new(TRIES));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..TRIES {
        let app = instances[i % instances.len()].sibling();
        let body = visit(w, i);
        let barrier = barrier.clone();
        tasks.spawn(async move {
            barrier.wait().await;
            app.post("/api/v1/appointments", body).await
        });
    }
    let answers = tasks.join_all().await;
    let created: Vec<_> = answers.iter().filter(|a| a.status == 201).collect();
    assert_eq!(created.len(), 1, "exactly one plan wins: {:?}", answers.iter().map(|a| a.status).collect::<Vec<_>>());
    for refused in answers.iter().filter(|a| a.status != 201) {
        assert_eq!((refused.status, refused.code()), (409, "double_booking"), "{}", refused.body);
    }
    let winner = created[0].id();

    let mut r = instances[0].store().begin_read().await.unwrap();
    let ids = |list: Vec<samvirke_domain::appointment::Appointment>| {
        list.into_iter().map(|a| a.id.to_string()).collect::<BTreeSet<_>>()
    };
    let room = AppointmentFilter { room: Some(w.room.parse().unwrap()), ..Default::default() };
    assert_eq!(ids(r.appointments(&room, 1000).await.unwrap()), BTreeSet::from([winner.clone()]));
    let mut staffed = BTreeSet::new();
    for staff in [&w.practitioner, &w.practitioner2] {
        let theirs = AppointmentFilter { staff: Some(staff.parse().unwrap()), ..Default::default() };
        staffed.extend(ids(r.appointments(&theirs, 1000).await.unwrap()));
    }
    assert_eq!(staffed, BTreeSet::from([winner.clone()]), "no practitioner row of a refused plan");
    let all = ids(r.appointments(&AppointmentFilter::default(), 1000).await.unwrap());
    assert_eq!(all, BTreeSet::from([winner.clone()]), "none half-written");
    winner
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_postgres_book_a_slot_exactly_once() {
    let one = TestApp::builder().on_postgres().spawn().await;
    let w = World::create(&one).await;
    w.activate(&one).await;
    let two = one.another_instance().await;

    let winner = storm(&[&one, &two], &w).await;

    // In the database itself: one appointment in the slot, its one
    // practitioner row, and no practitioner row without its appointment.
    let pg = samvirke_store_postgres::PgStore::connect(one.postgres_url().unwrap()).await.unwrap();
    let in_slot: Vec<uuid::Uuid> = sqlx::query_scalar(
        "SELECT id FROM appointments WHERE tstzrange(occupied_from, occupied_until) && \
         tstzrange('2026-03-07T08:45:00Z', '2026-03-07T11:15:00Z')",
    )
    .fetch_all(pg.pool())
    .await
    .unwrap();
    assert_eq!(in_slot, vec![winner.parse::<uuid::Uuid>().unwrap()]);
    let staff_rows: Vec<uuid::Uuid> =
        sqlx::query_scalar("SELECT appointment_id FROM appointment_staff").fetch_all(pg.pool()).await.unwrap();
    assert_eq!(staff_rows, in_slot, "one practitioner row, the winner's; none orphaned");
    pg.close().await;

    // A slot that is free again is taken on either instance.
    let freed = one.delete(&format!("/api/v1/appointments/{winner}")).await;
    assert_eq!(freed.status, 204, "{}", freed.body);
    let again = two.post("/api/v1/appointments", visit(&w, 1)).await;
    assert_eq!(again.status, 201, "{}", again.body);

    two.finish().await;
    one.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_sqlite_instance_books_a_slot_exactly_once() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    w.activate(&app).await;
    storm(&[&app], &w).await;
    app.finish().await;
}
