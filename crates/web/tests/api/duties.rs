//! Documentation settings per provider, and the duties they make.

use crate::actors;
use crate::support::{TestApp, World, activate, terms};
use samvirke_domain::StaffId;
use samvirke_domain::organisation::StaffRole;
use serde_json::json;

#[tokio::test]
async fn documentation_settings_are_the_defaults_until_set_and_checked_field_by_field() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let path = format!("/api/v1/providers/{}/documentation-settings", w.provider);
    let defaults = app.get(&path).await;
    assert_eq!(defaults.status, 200);
    assert_eq!(
        (defaults.body["description_due_working_days"].as_u64(), defaults.body["decision_warning_days"].as_u64()),
        (Some(3), Some(30))
    );
    assert_eq!(defaults.body["status_letters"]["home_support"], 12);

    let bad = app
        .put(&path, json!({"description_due_working_days": 0, "decision_warning_days": 70000, "status_letters": {"home_support": 0}}))
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.field("description_due_working_days"), "Skal være mellem 1 og 20.");
    assert_eq!(bad.field("decision_warning_days"), "Skal være mellem 1 og 365.");
    assert_eq!(bad.field("status_letters.home_support"), "Skal være mellem 1 og 104.");
    let missing = app.en().put(&path, json!({})).await;
    assert_eq!(missing.fields().len(), 3);
    assert_eq!(missing.field("status_letters"), "Required.");
    assert_eq!(app.get(&path).await.body, defaults.body, "a refused change changes nothing");

    let set = app
        .put(&path, json!({"description_due_working_days": 5, "decision_warning_days": 14, "status_letters": {"home_support": 8}}))
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    let read = app.get(&path).await;
    assert_eq!(read.body, set.body);
    assert_eq!(
        (read.body["status_letters"]["home_support"].as_u64(), read.body["status_letters"]["contact_person"].is_null()),
        (Some(8), true)
    );
    let nobody = app.get("/api/v1/providers/0190c2a4-0000-7000-8000-000000000000/documentation-settings").await;
    assert_eq!(nobody.status, 404);
    app.finish().await;
}

#[tokio::test]
async fn duties_list_what_is_due_by_when_and_flag_what_is_overdue() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let supervised = app
        .create(
            "/api/v1/referrals",
            json!({"case_id": w.case, "intervention": "supervised_visitation", "terms": terms(&w.mother)}),
        )
        .await;
    activate(&app, &supervised, &w.coordinator, &w.practitioner).await;
    app.create(
        &format!("/api/v1/cases/{}/decisions", w.case),
        json!({"kind": "supervised_visitation", "grounds": ["safety_concern"],
               "period": {"start": "2026-02-01", "end": "2026-07-31"}, "decided_on": "2026-01-20"}),
    )
    .await;
    // Friday 6 March 2026: three Danish working days end Wednesday 11 March.
    let visit = app
        .create(
            "/api/v1/appointments",
            json!({"referral_id": supervised, "kind": "visit", "start": "2026-03-06T13:00:00Z", "end": "2026-03-06T15:00:00Z",
                   "location": {"kind": "room", "value": w.room}, "practitioner_ids": [w.practitioner]}),
        )
        .await;
    let held = app
        .put(&format!("/api/v1/appointments/{visit}/outcome"), json!({"revision": 1, "outcome": {"kind": "held"}}))
        .await;
    assert_eq!(held.status, 200, "{}", held.body);

    let duties = |today: &str| format!("/api/v1/duties?provider_id={}&today={today}", w.provider);
    let due = app.get(&duties("2026-03-11")).await;
    assert_eq!(due.status, 200, "{}", due.body);
    let items = due.items();
    assert_eq!(items.len(), 2, "a description and the status letter of the open referral: {}", due.body);
    assert_eq!(
        (items[0]["kind"].as_str(), items[0]["due"].as_str(), items[0]["overdue"].as_bool()),
        (Some("written_description"), Some("2026-03-11"), Some(false))
    );
    assert_eq!(
        (items[0]["appointment_id"].as_str(), items[0]["rule"].as_str()),
        (Some(visit.as_str()), Some("description_after_supervised_visit"))
    );
    assert!(items[0]["document_id"].is_null());
    assert_eq!((items[1]["kind"].as_str(), items[1]["due"].as_str()), (Some("status_letter"), Some("2026-05-03")));
    assert_eq!(app.get(&duties("2026-03-12")).await.items()[0]["overdue"], true);

    // The provider's number of days; the draft is shown with the duty.
    app.put(
        &format!("/api/v1/providers/{}/documentation-settings", w.provider),
        json!({"description_due_working_days": 5, "decision_warning_days": 30, "status_letters": {}}),
    )
    .await;
    let doc = app
        .create(
            "/api/v1/documents",
            json!({"referral_id": supervised, "appointment_id": visit, "kind": "written_description", "title": "Samvær 6. marts",
                   "body": "Samværet forløb roligt."}),
        )
        .await;
    let due = app.get(&format!("{}&case_id={}", duties("2026-03-12"), w.case)).await;
    assert_eq!(due.items().len(), 1, "no status letters in these settings: {}", due.body);
    assert_eq!(
        (due.items()[0]["due"].as_str(), due.items()[0]["overdue"].as_bool()),
        (Some("2026-03-13"), Some(false))
    );
    assert_eq!(due.items()[0]["document_id"], doc.as_str());

    // Sent, the duty is done. A supervised-visit description goes without the family's review.
    let path = format!("/api/v1/documents/{doc}");
    app.post(&format!("{path}/submit"), json!({"revision": 1})).await;
    app.post(&format!("{path}/approve"), json!({"revision": 2})).await;
    let sent = app.post(&format!("{path}/send"), json!({"revision": 3})).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(app.get(&duties("2026-03-12")).await.items().is_empty());

    let other = app.create("/api/v1/providers", json!({"name": "Andet hus", "municipalities": [w.municipality]})).await;
    let theirs = actors::staff(StaffRole::Coordinator, StaffId::new(), other.parse().unwrap());
    let bad =
        app.as_actor(&theirs).en().get(&format!("/api/v1/duties?provider_id={other}&case_id={}&today=x", w.case)).await;
    assert_eq!(bad.field("case_id"), "Does not exist.", "a case of another provider");
    assert_eq!(bad.field("today"), "The date or time cannot be read.");
    assert_eq!(app.en().get("/api/v1/duties").await.field("provider_id"), "Required.");
    app.finish().await;
}
