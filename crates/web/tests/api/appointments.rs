use crate::support::{TestApp, World};
use serde_json::{Value, json};

/// A visit in the room with the first practitioner; on 7 March 2026 with the
/// mother arriving before and leaving after the child (an arrival plan belongs to its day).
fn visit(w: &World, start: &str, end: &str) -> Value {
    let arrival = if start.starts_with("2026-03-07") {
        json!({"parent_arrives": "2026-03-07T08:45:00Z", "child_arrives": "2026-03-07T09:00:00Z",
               "child_leaves": "2026-03-07T11:00:00Z", "parent_leaves": "2026-03-07T11:15:00Z"})
    } else {
        Value::Null
    };
    json!({
        "referral_id": w.referral,
        "kind": "visit",
        "start": start,
        "end": end,
        "location": {"kind": "room", "value": w.room},
        "practitioner_ids": [w.practitioner],
        "participants": [{"kind": "child"}, {"kind": "family_member", "value": w.mother}],
        "arrival": arrival,
    })
}

#[tokio::test]
async fn appointments_are_planned_read_back_and_listed_with_filters_and_keyset_paging() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    w.activate(&app).await;
    let a1 = app.create("/api/v1/appointments", visit(&w, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z")).await;
    let mut guidance = visit(&w, "2026-03-07T11:15:00Z", "2026-03-07T11:45:00Z");
    guidance["kind"] = json!("guidance_after_visit");
    guidance["location"] = json!({"kind": "other", "value": "Caféen på hjørnet"});
    guidance["arrival"] = Value::Null;
    let a2 = app.create("/api/v1/appointments", guidance).await;
    let mut meeting = visit(&w, "2026-03-09T12:00:00Z", "2026-03-09T13:00:00Z");
    meeting["kind"] = json!("follow_up_meeting");
    meeting["practitioner_ids"] = json!([]);
    meeting["arrival"] = Value::Null;
    let a3 = app.create("/api/v1/appointments", meeting).await;

    let one = app.get(&format!("/api/v1/appointments/{a1}")).await;
    assert_eq!(one.body["case_id"], w.case.as_str());
    assert_eq!(one.body["location"], json!({"kind": "room", "value": w.room}));
    assert_eq!(one.body["participants"][1], json!({"kind": "family_member", "value": w.mother}));

    let ids = |a: &crate::support::Answer| {
        a.items().iter().map(|x| x["id"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    let all = app.get(&format!("/api/v1/appointments?case_id={}", w.case)).await;
    assert_eq!(ids(&all), [a1.as_str(), a2.as_str(), a3.as_str()]);
    let page1 = app.get("/api/v1/appointments?limit=2").await;
    assert_eq!(ids(&page1), [a1.as_str(), a2.as_str()]);
    let page2 = app.get(&format!("/api/v1/appointments?limit=2&after={}", page1.str("/next_after"))).await;
    assert_eq!(ids(&page2), [a3.as_str()]);

    let room = app.get(&format!("/api/v1/appointments?room_id={}", w.room)).await;
    assert_eq!(ids(&room), [a1.as_str(), a3.as_str()]);
    let unassigned = app.get("/api/v1/appointments?unassigned=true").await;
    assert_eq!(ids(&unassigned), [a3.as_str()]);
    let window = app.get("/api/v1/appointments?from=2026-03-07T10:30:00Z&to=2026-03-07T11:00:00Z&kind=visit").await;
    assert_eq!(ids(&window), [a1.as_str()]);
    let by_staff = app.get(&format!("/api/v1/appointments?staff_id={}&without_outcome=true", w.practitioner)).await;
    assert_eq!(ids(&by_staff).len(), 2);
    let bad = app.en().get("/api/v1/appointments?from=tomorrow&unassigned=maybe&after=xyz").await;
    assert_eq!(bad.field("from"), "The date or time cannot be read.");
    assert_eq!(bad.field("unassigned"), "This value is not allowed here.");
    assert_eq!(bad.field("after"), "This value is not allowed here.");
    app.finish().await;
}

#[tokio::test]
async fn what_an_appointment_names_must_exist_and_belong_to_the_case() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    w.activate(&app).await;
    let mut body = visit(&w, "2026-03-07T11:00:00Z", "2026-03-07T09:00:00Z");
    body["practitioner_ids"] = json!([w.practitioner, w.practitioner, w.practitioner2]);
    body["participants"] = json!([{"kind": "family_member", "value": w.caseworker}]);
    let bad = app.post("/api/v1/appointments", body).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.field("end"), "Slutningen ligger før starten.");
    assert_eq!(bad.field("practitioner_ids"), "Højst 2.");

    let mut body = visit(&w, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    body["participants"] = json!([{"kind": "family_member", "value": w.caseworker}]);
    body["location"] = json!({"kind": "room", "value": "0190c2a4-0000-7000-8000-000000000000"});
    let bad = app.en().post("/api/v1/appointments", body).await;
    assert_eq!(bad.field("participants[0].value"), "Does not exist.");
    assert_eq!(bad.field("location.value"), "Does not exist.");
    app.finish().await;
}

#[tokio::test]
async fn an_appointment_is_moved_with_its_revision_and_its_outcome_recorded() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    w.activate(&app).await;
    w.consent(&app, "intervention", "2026-01-20T09:30:00+01:00").await;
    let id = app.create("/api/v1/appointments", visit(&w, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z")).await;
    let path = format!("/api/v1/appointments/{id}");
    let mut moved = visit(&w, "2026-03-14T09:00:00Z", "2026-03-14T11:00:00Z");
    moved["revision"] = json!(1);
    moved["practitioner_ids"] = json!([w.practitioner2]);
    moved["arrival"] = Value::Null;
    let put = app.put(&path, moved.clone()).await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!((put.str("/planned/start"), put.body["revision"].as_u64()), ("2026-03-14T09:00:00Z".into(), Some(2)));
    assert_eq!(put.body["practitioners"], json!([w.practitioner2]));
    let stale = app.put(&path, moved).await;
    assert_eq!((stale.status, stale.code()), (409, "stale_revision"));

    let outcome = format!("{path}/outcome");
    let bad = app.post(&outcome, json!({})).await;
    assert_eq!(bad.code(), "method_not_allowed");
    let bad = app
        .put(&outcome, json!({"revision": 2, "outcome": {"kind": "cancelled"}, "actual_start": "2026-03-14T09:00:00Z", "actual_end": "2026-03-14T10:00:00Z"}))
        .await;
    assert_eq!(bad.field("outcome.by"), "Skal udfyldes.");
    let bad = app
        .put(&outcome, json!({"revision": 2, "outcome": {"kind": "no_show", "who": "parent"}, "actual_start": "2026-03-14T09:00:00Z", "actual_end": "2026-03-14T10:00:00Z"}))
        .await;
    assert_eq!(
        bad.field("actual_start"),
        "Værdien er ikke tilladt her.",
        "no actual times for a visit that did not happen"
    );
    let ended = app
        .put(
            &outcome,
            json!({"revision": 2, "outcome": {"kind": "ended_early", "brought_by": "Plejemor", "reason": "Ida blev ked af det"},
                   "actual_start": "2026-03-14T09:05:00Z", "actual_end": "2026-03-14T10:00:00Z"}),
        )
        .await;
    assert_eq!(ended.status, 200, "{}", ended.body);
    assert_eq!(ended.body["outcome"]["kind"], "ended_early");
    assert_eq!(ended.body["actual"]["end"], "2026-03-14T10:00:00Z");
    assert!(ended.body["outcome_recorded_at"].is_string());

    let mut again = visit(&w, "2026-03-21T09:00:00Z", "2026-03-21T11:00:00Z");
    again["revision"] = json!(3);
    let held = app.put(&path, again).await;
    assert_eq!((held.status, held.code()), (409, "rule"));
    assert_eq!(held.str("/error/rule/rule"), "recorded_appointment_is_final");
    assert!(held.str("/error/message").ends_with("(OFL § 13)"), "{}", held.body);
    let gone = app.en().delete(&path).await;
    assert_eq!((gone.status, gone.str("/error/rule/rule")), (409, "recorded_appointment_is_final".into()));
    assert_eq!(gone.str("/error/rule/way_forward"), "Create a new appointment.");
    assert_eq!(app.get(&path).await.body["revision"], 3, "refused requests change nothing");

    let planned = app.create("/api/v1/appointments", visit(&w, "2026-04-04T09:00:00Z", "2026-04-04T11:00:00Z")).await;
    assert_eq!(app.delete(&format!("/api/v1/appointments/{planned}")).await.status, 204);
    assert_eq!(app.get(&format!("/api/v1/appointments/{planned}")).await.status, 404);
    app.finish().await;
}

#[tokio::test]
async fn an_appointment_is_planned_only_inside_an_open_order_and_warns_of_missing_consent() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let received = app.post("/api/v1/appointments", visit(&w, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z")).await;
    assert_eq!((received.status, received.str("/error/rule/rule")), (409, "appointment_inside_order".into()));
    assert!(received.str("/error/message").starts_with("Bestillingen er modtaget"), "{}", received.body);
    w.activate(&app).await;
    let outside =
        app.en().post("/api/v1/appointments", visit(&w, "2026-08-01T09:00:00Z", "2026-08-01T11:00:00Z")).await;
    assert_eq!(outside.str("/error/rule/rule"), "appointment_inside_order");
    let message = outside.str("/error/message");
    assert!(message.starts_with("The ordered period is 2026-02-01 to 2026-07-31. ("), "{message}");
    assert!(message.ends_with("(Barnets lov) § 32(3))"), "{message}");
    assert_eq!(outside.body["error"]["rule"]["sections"], json!(["BL § 104, stk. 2", "BL § 32, stk. 3"]));
    assert!(app.get(&format!("/api/v1/appointments?case_id={}", w.case)).await.items().is_empty(), "nothing planned");

    // Planned without the custody holder's consent: allowed, with a warning in the user's language.
    let planned =
        app.en().post("/api/v1/appointments", visit(&w, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z")).await;
    assert_eq!(planned.status, 201, "{}", planned.body);
    assert_eq!(planned.body["warnings"][0]["rule"], "custody_holder_consent_to_visitation");
    assert!(planned.str("/warnings/0/message").starts_with("The consent of the custody holder"), "{}", planned.body);
    let path = format!("/api/v1/appointments/{}", planned.id());

    // Holding it without the consent is refused, and changes nothing.
    let held = app.put(&format!("{path}/outcome"), json!({"revision": 1, "outcome": {"kind": "held"}})).await;
    assert_eq!((held.status, held.str("/error/rule/rule")), (409, "custody_holder_consent_to_visitation".into()));
    assert!(held.str("/error/message").ends_with("(BL § 104, stk. 3)"));
    assert!(app.get(&path).await.body["outcome"].is_null());

    // With the consent given before the visit, the warning is gone and the visit can be held.
    w.consent(&app, "intervention", "2026-02-01T10:00:00+01:00").await;
    let mut moved = visit(&w, "2026-03-07T09:30:00Z", "2026-03-07T11:00:00Z");
    moved["revision"] = json!(1);
    let moved = app.put(&path, moved).await;
    assert_eq!((moved.status, moved.body["warnings"].clone()), (200, json!([])), "{}", moved.body);
    let held = app.put(&format!("{path}/outcome"), json!({"revision": 2, "outcome": {"kind": "held"}})).await;
    assert_eq!(held.status, 200, "{}", held.body);

    // A future appointment cannot be recorded as held yet.
    let w2 = app.post("/api/v1/appointments", visit(&w, "2026-07-30T09:00:00Z", "2026-07-30T11:00:00Z")).await;
    let early = app
        .put(
            &format!("/api/v1/appointments/{}/outcome", w2.id()),
            json!({"revision": 1, "outcome": {"kind": "held"}, "actual_start": "2099-07-30T09:00:00Z", "actual_end": "2099-07-30T11:00:00Z"}),
        )
        .await;
    assert_eq!(early.str("/error/rule/rule"), "outcome_after_start");
    app.finish().await;
}

#[tokio::test]
async fn a_supervised_visit_is_planned_only_inside_a_decision_and_warned_before_it_expires() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let referral = app
        .create(
            "/api/v1/referrals",
            json!({"case_id": w.case, "intervention": "supervised_visitation",
                   "terms": crate::support::terms(&w.mother)}),
        )
        .await;
    crate::support::activate(&app, &referral, &w.coordinator, &w.practitioner).await;
    let mut body = visit(&w, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    body["referral_id"] = json!(referral);
    let refused = app.post("/api/v1/appointments", body.clone()).await;
    assert_eq!((refused.status, refused.str("/error/rule/rule")), (409, "supervised_visit_needs_decision".into()));
    assert_eq!(
        refused.str("/error/message"),
        "Der er ingen afgørelse om overvåget samvær, der dækker 7.3.2026. (BL § 105, stk. 1–2)"
    );
    app.create(
        &format!("/api/v1/cases/{}/decisions", w.case),
        json!({"kind": "supervised_visitation", "grounds": ["safety_concern"],
               "period": {"start": "2026-02-01", "end": "2026-03-20"}, "decided_on": "2026-01-20"}),
    )
    .await;
    let planned = app.post("/api/v1/appointments", body).await;
    assert_eq!(planned.status, 201, "{}", planned.body);
    assert_eq!(planned.body["warnings"].as_array().unwrap().len(), 1, "{}", planned.body);
    assert_eq!(planned.body["warnings"][0]["rule"], "decision_expiry_warning");
    assert!(planned.str("/warnings/0/message").starts_with("Afgørelsen om overvåget samvær udløber 20.3.2026."));
    app.finish().await;
}
