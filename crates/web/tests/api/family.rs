//! What a parent sees: never the secret address, never the CPR number.

use crate::support::{CPR, CPR_DIGITS, TestApp, World, activate, terms};
use jiff::ToSpan;
use serde_json::{Value, json};

const ADDRESS: &str = "Egevej 12, 7400 Herning";

#[tokio::test]
async fn the_family_sees_the_child_the_coming_appointments_and_its_reports_without_the_secret_address() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let placed = app
        .put(
            &format!("/api/v1/cases/{}", w.case),
            json!({"revision": 1, "child_name": "Ida Sørensen",
                   "placement": {"kind": "foster_family", "name": "Familien Dam", "address": ADDRESS, "address_secret": true,
                                 "caregiver_name": "Tove Dam"}}),
        )
        .await;
    assert_eq!(placed.status, 200, "{}", placed.body);
    // A home-support course running around today.
    let today = jiff::Zoned::now().date();
    let mut t = terms(&w.mother);
    t["period"] = json!({"start": (today - 30.days()).to_string(), "end": (today + 60.days()).to_string()});
    t["visitation"] = Value::Null;
    let referral =
        app.create("/api/v1/referrals", json!({"case_id": w.case, "intervention": "home_support", "terms": t})).await;
    activate(&app, &referral, &w.coordinator, &w.practitioner).await;
    let at = |days: i64, hour: i8| {
        (today + days.days()).at(hour, 0, 0, 0).in_tz("Europe/Copenhagen").unwrap().timestamp().to_string()
    };
    let plan = |days: i64, location: Value| {
        json!({"referral_id": referral, "kind": "home_support_session", "start": at(days, 14), "end": at(days, 16),
               "location": location, "practitioner_ids": [w.practitioner]})
    };
    let coming = app.create("/api/v1/appointments", plan(3, json!({"kind": "placement_setting"}))).await;
    let shop =
        app.create("/api/v1/appointments", plan(5, json!({"kind": "other", "value": "Indkøb nær egevej 12"}))).await;
    let cancelled = app.create("/api/v1/appointments", plan(7, json!({"kind": "family_home"}))).await;
    let off = app
        .put(
            &format!("/api/v1/appointments/{cancelled}/outcome"),
            json!({"revision": 1, "outcome": {"kind": "cancelled", "by": "parent"}}),
        )
        .await;
    assert_eq!(off.status, 200, "{}", off.body);
    app.create("/api/v1/appointments", plan(-3, json!({"kind": "family_home"}))).await;

    // A letter in the family's review, a draft they do not see, and the family's own comment naming the address.
    let letter = app
        .create(
            "/api/v1/documents",
            json!({"referral_id": referral, "kind": "status_letter", "title": "Status", "body": "Ida trives i plejefamilien.",
                   "child_views": "Jeg kan godt lide det."}),
        )
        .await;
    app.post(&format!("/api/v1/documents/{letter}/submit"), json!({"revision": 1})).await;
    app.post(&format!("/api/v1/documents/{letter}/approve"), json!({"revision": 2})).await;
    // A comment naming the secret address is refused; the family's own words otherwise travel with the letter.
    let refused = app
        .put(
            &format!("/api/v1/documents/{letter}/family-review"),
            json!({"version": 1, "comment": "Vi ved, hun bor på EGEVEJ 12."}),
        )
        .await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert_eq!(refused.body["error"]["rule"]["rule"], "secret_address_never_to_parents");
    app.put(
        &format!("/api/v1/documents/{letter}/family-review"),
        json!({"version": 1, "comment": "Vi er glade for det."}),
    )
    .await;
    app.create(
        "/api/v1/documents",
        json!({"referral_id": referral, "kind": "status_letter", "title": "Kladde", "body": "Ikke færdig."}),
    )
    .await;

    let view = app.get(&format!("/api/v1/cases/{}/family-view", w.case)).await;
    assert_eq!(view.status, 200, "{}", view.body);
    assert_eq!(view.str("/child_name"), "Ida Sørensen");
    assert_eq!(view.body["placement"]["name"], "Plejefamilie", "the foster family's name leads to the address");
    assert!(view.body["placement"]["caregiver_name"].is_null());
    assert!(view.body["placement"]["address"].is_null());
    let appointments: Vec<&str> =
        view.body["appointments"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(appointments, [coming.as_str(), shop.as_str()], "coming and not cancelled");
    assert_eq!(view.body["appointments"][0]["location"], json!({"kind": "placement_setting"}));
    assert_eq!(view.body["appointments"][1]["location"]["value"], "Indkøb nær [hemmelig adresse]");
    let documents = view.body["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 1);
    assert_eq!(
        (documents[0]["id"].as_str(), documents[0]["state"].as_str()),
        (Some(letter.as_str()), Some("family_review"))
    );
    assert_eq!(documents[0]["body"], "Ida trives i plejefamilien.");
    assert_eq!(documents[0]["child_views"], "Jeg kan godt lide det.");
    assert_eq!(documents[0]["family_comment"], "Vi er glade for det.");
    let text = view.text.to_lowercase();
    assert!(!text.contains("egevej 12") && !text.contains("7400"), "{}", view.text);
    assert!(!view.text.contains(CPR) && !view.text.contains(CPR_DIGITS) && !view.text.contains("150614"));
    assert_eq!(app.get("/api/v1/cases/0190c2a4-0000-7000-8000-000000000000/family-view").await.status, 404);
    app.finish().await;
}
