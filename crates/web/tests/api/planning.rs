//! The planner in the product (`/planning`): a proposal for next week made
//! from the stored appointments, working patterns, offered shifts and
//! absences; accepted in part or in whole; refused, with nothing changed,
//! when it is out of date or would break a hard rule. And the shifts an
//! hourly practitioner offers (`/api/v1/staff/{id}/shifts`).

use crate::actors::staff;
use crate::support::{Answer, TestApp, World, terms};
use jiff::ToSpan;
use jiff::civil::Date;
use samvirke_domain::organisation::StaffRole;
use serde_json::json;

fn as_staff(app: &TestApp, w: &World, role: StaffRole, id: &str) -> TestApp {
    app.as_actor(&staff(role, id.parse().unwrap(), w.provider.parse().unwrap()))
}

/// Next week's Saturday (the horizon the page proposes by default).
fn next_saturday() -> Date {
    let today = jiff::Zoned::now().with_time_zone(samvirke_domain::calendar::copenhagen()).date();
    let monday = today + 7.days() - i64::from(today.weekday().to_monday_zero_offset()).days();
    monday + 5.days()
}

/// An instant of a local time on a day.
fn at(d: Date, hour: i8) -> String {
    d.at(hour, 0, 0, 0).to_zoned(samvirke_domain::calendar::copenhagen()).unwrap().timestamp().to_string()
}

/// The world with its order running until well after next week, and started.
async fn world(app: &TestApp) -> World {
    let w = World::create(app).await;
    let mut t = terms(&w.mother);
    t["period"]["end"] = json!((next_saturday() + 60.days()).to_string());
    let referral = app.get(&format!("/api/v1/referrals/{}", w.referral)).await;
    let revision = referral.body["revision"].clone();
    let changed = app
        .post(
            &format!("/api/v1/referrals/{}/versions", w.referral),
            json!({"revision": revision, "reason": "Forlænget", "terms": t}),
        )
        .await;
    assert_eq!(changed.status, 201, "{}", changed.text);
    w.activate(app).await;
    w
}

/// The form values of the proposal's changes (`name="change"`).
fn changes(a: &Answer) -> Vec<String> {
    a.text.split("name=\"change\" value=\"").skip(1).map(|rest| rest.split('"').next().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_sick_practitioners_visit_goes_to_a_free_colleague_once_accepted() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let saturday = next_saturday();
    let visit = app
        .create(
            "/api/v1/appointments",
            json!({"referral_id": w.referral, "kind": "visit", "start": at(saturday, 10), "end": at(saturday, 12),
                   "location": {"kind": "room", "value": w.room}, "practitioner_ids": [w.practitioner]}),
        )
        .await;
    let coordinator = as_staff(&app, &w, StaffRole::Coordinator, &w.coordinator);

    // Nothing to change while Jonas is well: the visit is with the family's usual practitioner.
    let calm = coordinator.get("/planning?horizon=week&propose=1").await;
    assert_eq!(calm.status, 200, "{}", calm.text);
    assert!(calm.text.contains("Der er intet at ændre"), "{}", calm.text);
    assert!(calm.text.contains("1 aftaler er planlagt på ny"), "{}", calm.text);

    // Jonas calls in sick for Saturday; the coordinator registers it.
    let sick = coordinator
        .post(
            &format!("/api/v1/staff/{}/absences", w.practitioner),
            json!({"start": at(saturday, 0), "end": at(saturday + 1.day(), 0), "kind": "sick"}),
        )
        .await;
    assert_eq!(sick.status, 201, "{}", sick.text);

    let proposal = coordinator.get("/planning?horizon=week&propose=1").await;
    assert_eq!(proposal.status, 200, "{}", proposal.text);
    let html = &proposal.text;
    assert!(html.contains("Planen, som den står nu, har problemer"), "{html}");
    assert!(html.contains("Jonas Berg er ikke til rådighed til Ida, samvær"), "{html}");
    let found = changes(&proposal);
    assert_eq!(found.len(), 1, "{html}");
    let row = html.split("name=\"change\"").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.contains("<td>Jonas Berg, Samværsrum 1</td>"), "now: {row}");
    assert!(row.contains("<td>Maja Friis, Samværsrum 1</td>"), "proposed: {row}");
    assert!(!html.contains(&w.mother) && !html.contains("Sørensen"), "first names only");

    // A forged change that puts the sick practitioner back is refused, and nothing changes.
    let forged = found[0].replace(&w.practitioner2, &w.practitioner);
    let refused = coordinator
        .post_form("/planning/accept", &[("horizon", "week"), ("change", &forged), ("proposed", &found[0])])
        .await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert!(
        refused.text.contains("ville bryde en planlægningsregel: Jonas Berg er ikke til rådighed"),
        "{}",
        refused.text
    );
    let unchanged = app.get(&format!("/api/v1/appointments/{visit}")).await;
    assert_eq!(unchanged.body["practitioners"], json!([w.practitioner]));

    // Nothing ticked: refused with its reason.
    let none = coordinator.post_form("/planning/accept", &[("horizon", "week"), ("proposed", &found[0])]).await;
    assert_eq!(none.status, 409);
    assert!(none.text.contains("Du har ikke valgt nogen ændringer"), "{}", none.text);

    // Accepted: Maja takes the visit, in the same room.
    let accepted = coordinator
        .post_form("/planning/accept", &[("horizon", "week"), ("change", &found[0]), ("proposed", &found[0])])
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.text);
    let location = accepted.headers.get("location").unwrap().to_str().unwrap().to_string();
    assert!(location.contains("accepted=1"), "{location}");
    let after = app.get(&format!("/api/v1/appointments/{visit}")).await;
    assert_eq!(after.body["practitioners"], json!([w.practitioner2]));
    assert_eq!(after.body["location"], json!({"kind": "room", "value": w.room}));
    let receipt = coordinator.get(&location).await;
    assert!(receipt.text.contains("1 ændringer er gemt"), "{}", receipt.text);
    assert!(receipt.text.contains("Der er intet at ændre"), "{}", receipt.text);

    // The same proposal again is out of date: refused, nothing changes.
    let stale = coordinator
        .post_form("/planning/accept", &[("horizon", "week"), ("change", &found[0]), ("proposed", &found[0])])
        .await;
    assert_eq!(stale.status, 409);
    assert!(stale.text.contains("Planen er ændret, siden forslaget blev lavet"), "{}", stale.text);

    // A practitioner does not plan; a caseworker even less.
    for refused in
        [w.as_practitioner(&app).get("/planning?propose=1").await, w.as_caseworker(&app).get("/planning").await]
    {
        assert_eq!(refused.status, 403);
        assert!(refused.text.contains("Du har ikke adgang til dette."), "{}", refused.text);
    }
    app.finish().await;
}

#[tokio::test]
async fn an_hourly_practitioner_is_planned_only_in_the_shifts_offered() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let saturday = next_saturday();
    let sunday = saturday + 1.day();
    // A visit on Sunday, with nobody yet: neither works Sundays by their pattern.
    let visit = app
        .create(
            "/api/v1/appointments",
            json!({"referral_id": w.referral, "kind": "visit", "start": at(sunday, 10), "end": at(sunday, 12),
                   "location": {"kind": "room", "value": w.room}, "practitioner_ids": []}),
        )
        .await;
    let coordinator = as_staff(&app, &w, StaffRole::Coordinator, &w.coordinator);
    let before = coordinator.get("/planning?propose=1").await;
    assert!(before.text.contains("Ingen ledig medarbejder kan tage disse aftaler"), "{}", before.text);
    assert!(before.text.contains("Der er intet at ændre"), "{}", before.text);

    // Maja offers Sunday 9–15 herself; an offer overlapping it is refused; Jonas may not offer for her.
    let maja = as_staff(&app, &w, StaffRole::Practitioner, &w.practitioner2);
    let shifts = format!("/api/v1/staff/{}/shifts", w.practitioner2);
    let offered = maja.post(&shifts, json!({"start": at(sunday, 9), "end": at(sunday, 15)})).await;
    assert_eq!(offered.status, 201, "{}", offered.text);
    let twice = maja.post(&shifts, json!({"start": at(sunday, 14), "end": at(sunday, 16)})).await;
    assert_eq!((twice.status, twice.code()), (409, "duplicate"), "{}", twice.text);
    let too_long = maja.post(&shifts, json!({"start": at(saturday, 0), "end": at(saturday, 17)})).await;
    assert_eq!(too_long.status, 422, "{}", too_long.text);
    assert_eq!(too_long.field("end"), "En vagt kan højst vare 16 timer.");
    let jonas = w.as_practitioner(&app);
    let for_maja = jonas.post(&shifts, json!({"start": at(saturday, 9), "end": at(saturday, 10)})).await;
    assert_eq!((for_maja.status, for_maja.code()), (403, "forbidden"), "{}", for_maja.text);
    let listed = jonas.get(&shifts).await;
    assert_eq!(listed.items().len(), 1, "colleagues see the shifts offered: {}", listed.text);

    let proposal = coordinator.get("/planning?propose=1").await;
    let found = changes(&proposal);
    assert_eq!(found.len(), 1, "{}", proposal.text);
    assert!(proposal.text.contains("<td>Maja Friis, Samværsrum 1</td>"), "{}", proposal.text);
    let accepted = coordinator.post_form("/planning/accept", &[("change", &found[0]), ("proposed", &found[0])]).await;
    assert_eq!(accepted.status, 303, "{}", accepted.text);
    let after = app.get(&format!("/api/v1/appointments/{visit}")).await;
    assert_eq!(after.body["practitioners"], json!([w.practitioner2]));

    // Withdrawn, the shift is gone (the visit stays as accepted until the next proposal).
    let id = listed.items()[0]["id"].as_str().unwrap().to_string();
    assert_eq!(maja.delete(&format!("{shifts}/{id}")).await.status, 204);
    assert!(maja.get(&shifts).await.items().is_empty());
    let again = coordinator.get("/planning?propose=1").await;
    assert!(again.text.contains("Maja Friis er ikke til rådighed"), "{}", again.text);
    app.finish().await;
}
