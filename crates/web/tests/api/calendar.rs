//! The week calendar (`/calendar`): a room's week with its appointments, the
//! clash check the forms ask while they are filled in, planning and moving
//! from the page (a double booking refused, nothing changed), and what a
//! practitioner sees of an appointment of a case that is not theirs.

use crate::actors::staff;
use crate::support::{Answer, TestApp, World};
use samvirke_domain::organisation::StaffRole;
use serde_json::json;

/// Saturday 7 March 2026 is in week 10; 09.00 UTC is 10.00 in Copenhagen.
const WEEK: &str = "2026-W10";
const DAY: &str = "2026-03-07";

/// A visit in the world's room with the first practitioner; its id.
async fn visit(app: &TestApp, w: &World, start: &str, end: &str, practitioner: &str) -> String {
    app.create(
        "/api/v1/appointments",
        json!({"referral_id": w.referral, "kind": "visit", "start": start, "end": end,
               "location": {"kind": "room", "value": w.room}, "practitioner_ids": [practitioner]}),
    )
    .await
}

fn as_staff(app: &TestApp, w: &World, role: StaffRole, id: &str) -> TestApp {
    app.as_actor(&staff(role, id.parse().unwrap(), w.provider.parse().unwrap()))
}

fn page(a: &Answer) -> &str {
    assert_eq!(a.status, 200, "{}", a.text);
    &a.text
}

/// The world with its referral started and a visit on Saturday 10.00–12.00 in Samværsrum 1 with Jonas Berg.
async fn world(app: &TestApp) -> (World, String) {
    let w = World::create(app).await;
    w.activate(app).await;
    let id = visit(app, &w, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z", &w.practitioner).await;
    (w, id)
}

#[tokio::test]
async fn the_week_of_a_room_shows_its_appointments_in_their_days() {
    let app = TestApp::spawn().await;
    let (w, id) = world(&app).await;
    let coordinator = as_staff(&app, &w, StaffRole::Coordinator, &w.coordinator);
    let a = coordinator.get(&format!("/calendar?room={}&week={WEEK}", w.room)).await;
    let html = page(&a);
    assert!(html.contains("<h1>Kalender: Samværsrum 1</h1>"), "{html}");
    assert!(html.contains("uge 10 · 2.–8. marts 2026"), "{html}");
    for day in ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"] {
        assert!(html.contains(&format!("<h2 class=\"week-day-name\">{day} ")), "{day}");
    }
    assert!(html.contains("10.00–12.00"), "{html}");
    assert!(html.contains("<span class=\"entry-child\">Ida</span>"), "the child's first name: {html}");
    assert!(html.contains(&format!("href=\"/appointments/{id}\">Samvær</a>")), "{html}");
    assert!(html.contains(&format!("move={id}#move")), "the coordinator may move it");
    assert!(!html.contains("Optaget"), "the coordinator reads every appointment of the provider");
    // The visit is in Saturday's column, in the rows of 10.00–12.00.
    let saturday = html.split("lørdag ").nth(1).unwrap().split("søndag ").next().unwrap();
    assert!(saturday.contains("entry row-7 span-4"), "{saturday}");
    // Another week is empty; the week navigation keeps the room.
    let other = coordinator.get(&format!("/calendar?room={}&week=2026-W11", w.room)).await;
    assert!(!page(&other).contains("10.00–12.00"));
    assert!(other.text.contains(&format!("/calendar?room={}&week=2026-W10", w.room)), "{}", other.text);
    // In English.
    let en = coordinator.get(&format!("/calendar?room={}&week={WEEK}&lang=en", w.room)).await;
    assert!(page(&en).contains("<h1>Calendar: Samværsrum 1</h1>"), "{}", en.text);
    assert!(en.text.contains("week 10 · 2–8 March 2026") && en.text.contains("10:00–12:00"), "{}", en.text);
    assert!(en.text.contains(">Saturday <span class=\"week-day-date\">7.3.</span>"), "{}", en.text);
    // A practitioner's week: theirs by default.
    let jonas = w.as_practitioner(&app);
    let own = jonas.get(&format!("/calendar?week={WEEK}")).await;
    assert!(page(&own).contains("<h1>Kalender: Jonas Berg</h1>"), "{}", own.text);
    assert!(own.text.contains("<span class=\"entry-child\">Ida</span>"));
    assert!(!own.text.contains("#move"), "a practitioner does not plan");
    // A room of another provider, or a week that is not one, is refused.
    assert_eq!(coordinator.get("/calendar?room=0190c2a4-0000-7000-8000-000000000000").await.status, 404);
    assert_eq!(coordinator.get("/calendar?week=2026-W60").await.status, 422);
    app.finish().await;
}

#[tokio::test]
async fn the_check_names_the_room_and_the_practitioner_taken_and_nothing_for_a_free_slot() {
    let app = TestApp::spawn().await;
    let (w, id) = world(&app).await;
    let coordinator = as_staff(&app, &w, StaffRole::Coordinator, &w.coordinator);
    let room = format!("room:{}", w.room);
    let check = |start: &'static str, end: &'static str, location: String, practitioner: String| {
        let coordinator = &coordinator;
        async move {
            let fields = [
                ("date", DAY),
                ("start", start),
                ("end", end),
                ("location", location.as_str()),
                ("practitioner", practitioner.as_str()),
            ];
            let a = coordinator.post_form("/calendar/check", &fields).await;
            assert_eq!(a.status, 200, "{}", a.text);
            a.text
        }
    };
    let both = check("10:30", "11:30", room.clone(), w.practitioner.clone()).await;
    assert!(both.contains("Samværsrum 1 er optaget 10.00–12.00"), "{both}");
    assert!(both.contains("Jonas Berg har en anden aftale 10.00–12.00"), "{both}");
    assert!(!both.contains("<html"), "a fragment");
    let practitioner_only = check("11:00", "13:00", "family_home".into(), w.practitioner.clone()).await;
    assert!(practitioner_only.contains("Jonas Berg har en anden aftale 10.00–12.00"), "{practitioner_only}");
    assert!(!practitioner_only.contains("Samværsrum 1"));
    let room_only = check("09:00", "10:30", room.clone(), w.practitioner2.clone()).await;
    assert!(room_only.contains("Samværsrum 1 er optaget 10.00–12.00") && !room_only.contains("Maja"), "{room_only}");
    let free = check("12:00", "13:00", room.clone(), w.practitioner.clone()).await;
    assert!(free.contains("Ingen konflikter"), "back to back is free: {free}");
    // The appointment being moved is no clash with itself.
    let fields =
        [("date", DAY), ("start", "10:30"), ("end", "12:30"), ("location", room.as_str()), ("except", id.as_str())];
    let itself = coordinator.post_form("/calendar/check", &fields).await;
    assert!(itself.text.contains("Ingen konflikter"), "{}", itself.text);
    // Without a time there is nothing to check yet.
    let blank = coordinator.post_form("/calendar/check", &[("date", DAY), ("location", room.as_str())]).await;
    assert_eq!(blank.status, 200);
    assert!(!blank.text.contains("konflikt") && !blank.text.contains("optaget"), "{}", blank.text);
    app.finish().await;
}

/// The appointments in the world's room.
async fn in_room(app: &TestApp, w: &World) -> Vec<(String, String)> {
    let listed = app.get(&format!("/api/v1/appointments?room_id={}", w.room)).await;
    listed
        .items()
        .iter()
        .map(|a| (a["id"].as_str().unwrap().into(), a["planned"]["start"].as_str().unwrap().into()))
        .collect()
}

#[tokio::test]
async fn a_double_booking_is_refused_by_the_form_and_the_api_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let (w, first) = world(&app).await;
    let coordinator = as_staff(&app, &w, StaffRole::Coordinator, &w.coordinator);
    let room = format!("room:{}", w.room);
    let before = in_room(&app, &w).await;
    let plan = |start: &'static str, end: &'static str| {
        [
            ("referral_id", w.referral.as_str()),
            ("kind", "visit"),
            ("date", DAY),
            ("start", start),
            ("end", end),
            ("location", room.as_str()),
            ("practitioner", w.practitioner2.as_str()),
            ("back", "room=nonsense"),
        ]
    };
    let refused = coordinator.post_form("/calendar/appointments", &plan("11:00", "12:30")).await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert!(refused.text.contains("Samværsrum 1 er optaget 10.00–12.00"), "{}", refused.text);
    assert!(refused.text.contains("value=\"11:00\""), "the form is shown again as entered");
    assert_eq!(in_room(&app, &w).await, before, "nothing was planned");

    // Without a day or a kind, the form says so, each problem linked to its field.
    let mut blank = plan("11:00", "12:30");
    blank[1].1 = "";
    blank[2].1 = "";
    let refused = coordinator.post_form("/calendar/appointments", &blank).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("<a href=\"#plan-date\">Dato: "), "{}", refused.text);
    assert!(refused.text.contains("<a href=\"#plan-kind\">Type aftale: "), "{}", refused.text);

    // A free slot is planned; the calendar of its week says so.
    let planned = coordinator.post_form("/calendar/appointments", &plan("13:00", "14:00")).await;
    assert_eq!(planned.status, 303, "{}", planned.text);
    let to = planned.headers.get("location").unwrap().to_str().unwrap().to_string();
    assert_eq!(to, "/calendar?week=2026-W10&saved=planned", "an unknown calendar to go back to is left out");
    let after = in_room(&app, &w).await;
    assert_eq!(after.len(), 2);
    let second = after.iter().find(|(id, _)| *id != first).unwrap().0.clone();
    let shown = coordinator.get(&format!("/calendar?room={}&week={WEEK}&saved=planned", w.room)).await;
    assert!(page(&shown).contains("Aftalen er planlagt."));
    assert!(shown.text.contains("13.00–14.00"), "the form's times are Copenhagen's: {}", shown.text);

    let back = format!("room={}", w.room);
    // Moving the second onto the first is refused, by the page and by the API; the second stays where it was.
    let moved = [
        ("revision", "1"),
        ("date", DAY),
        ("start", "10:00"),
        ("end", "11:00"),
        ("location", room.as_str()),
        ("practitioner", w.practitioner2.as_str()),
        ("back", back.as_str()),
    ];
    let refused = coordinator.post_form(&format!("/appointments/{second}/move"), &moved).await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert!(refused.text.contains("Samværsrum 1 er optaget 10.00–12.00"), "{}", refused.text);
    assert!(refused.text.contains("id=\"move-heading\""), "the move form is shown again");
    let api = app
        .put(
            &format!("/api/v1/appointments/{second}"),
            json!({"revision": 1, "start": "2026-03-07T09:30:00Z", "end": "2026-03-07T10:30:00Z",
                   "location": {"kind": "room", "value": w.room}, "practitioner_ids": []}),
        )
        .await;
    assert_eq!((api.status, api.code()), (409, "double_booking"), "{}", api.body);
    assert_eq!(in_room(&app, &w).await, after, "nothing was moved");

    // Moved to a free time it is saved.
    let free = [
        ("revision", "1"),
        ("date", DAY),
        ("start", "15:00"),
        ("end", "16:00"),
        ("location", room.as_str()),
        ("practitioner", w.practitioner2.as_str()),
        ("back", back.as_str()),
    ];
    let saved = coordinator.post_form(&format!("/appointments/{second}/move"), &free).await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let to = saved.headers.get("location").unwrap().to_str().unwrap();
    assert_eq!(to, format!("/calendar?room={}&week=2026-W10&saved=moved", w.room));
    let one = app.get(&format!("/api/v1/appointments/{second}")).await;
    assert_eq!(one.body["planned"]["start"], "2026-03-07T14:00:00Z");
    assert_eq!(one.body["revision"], 2);
    app.finish().await;
}

#[tokio::test]
async fn a_practitioner_sees_only_that_the_room_is_taken_by_a_case_not_theirs() {
    let app = TestApp::spawn().await;
    let (w, id) = world(&app).await;
    let maja = as_staff(&app, &w, StaffRole::Practitioner, &w.practitioner2);
    let a = maja.get(&format!("/calendar?room={}&week={WEEK}", w.room)).await;
    let html = page(&a);
    assert!(html.contains("Optaget") && html.contains("10.00–12.00"), "{html}");
    assert!(!html.contains("Ida") && !html.contains("Sørensen"), "no child's name: {html}");
    assert!(!html.contains(&id), "no link to the appointment");
    assert!(html.contains("Der er ingen åbne bestillinger"), "nothing for her to plan");
    // The check says the room is taken, nothing more.
    let room = format!("room:{}", w.room);
    let fields = [("date", DAY), ("start", "10:00"), ("end", "11:00"), ("location", room.as_str())];
    let check = maja.post_form("/calendar/check", &fields).await;
    assert!(
        check.text.contains("Samværsrum 1 er optaget 10.00–12.00") && !check.text.contains("Ida"),
        "{}",
        check.text
    );
    // She may neither move it nor plan for the case: it is not hers (404), and the assigned practitioner does not plan (403).
    assert_eq!(maja.get(&format!("/calendar?room={}&move={id}", w.room)).await.status, 404);
    assert_eq!(maja.post_form(&format!("/appointments/{id}/move"), &[("revision", "1")]).await.status, 404);
    assert_eq!(maja.post_form("/calendar/appointments", &[("referral_id", w.referral.as_str())]).await.status, 404);
    let jonas = w.as_practitioner(&app);
    assert_eq!(jonas.post_form("/calendar/appointments", &[("referral_id", w.referral.as_str())]).await.status, 403);
    // A caseworker or a parent has no calendar.
    assert_eq!(w.as_caseworker(&app).get("/calendar").await.status, 403);
    app.finish().await;
}
