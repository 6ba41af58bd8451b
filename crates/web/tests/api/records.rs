use crate::support::{TestApp, World};
use serde_json::{Value, json};

/// Orders another intervention for the world's case.
async fn order(app: &TestApp, w: &World, intervention: &str) -> String {
    let terms = json!({
        "aimed_at": [{"kind": "family"}],
        "work_goals": ["Familien finder en hverdag, der hænger sammen"],
        "period": {"start": "2026-02-01", "end": "2026-12-31"},
        "ordered_hours": 10,
        "frequency": {"sessions": 1, "weeks": 1},
    });
    app.create("/api/v1/referrals", json!({"case_id": w.case, "intervention": intervention, "terms": terms})).await
}

#[tokio::test]
async fn journal_entries_are_written_and_listed_newest_first() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    w.activate(&app).await;
    let practitioner = w.as_practitioner(&app);
    let path = format!("/api/v1/cases/{}/journal-entries", w.case);
    let first = practitioner.create(&path, json!({"kind": "note", "body": "Første notat"})).await;
    // Who writes is the signed-in user: an `author_id` in the body is not read.
    let second = practitioner
        .create(
            &path,
            json!({"kind": "oral_information", "body": "Mor ringede.\nHun kommer senere.", "author_id": w.coordinator}),
        )
        .await;
    let coordinators = app.create(&path, json!({"kind": "note", "body": "Koordinatorens notat"})).await;
    let list = app.get(&path).await;
    let ids: Vec<&str> = list.items().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [coordinators.as_str(), second.as_str(), first.as_str()]);
    assert_eq!(list.items()[1]["body"], "Mor ringede.\nHun kommer senere.");
    let authors: Vec<&str> = list.items().iter().map(|e| e["author_id"].as_str().unwrap()).collect();
    assert_eq!(authors, [w.coordinator.as_str(), w.practitioner.as_str(), w.practitioner.as_str()]);
    let page = app.get(&format!("{path}?limit=1")).await;
    assert_eq!(page.str("/next_after"), coordinators);
    let bad = app.en().post(&path, json!({"kind": "gossip", "body": "", "author_id": "nobody"})).await;
    assert_eq!(bad.field("kind"), "This value is not allowed here.");
    assert_eq!(bad.field("body"), "Required.");
    assert_eq!(bad.fields().len(), 2, "author_id is not an input: {:?}", bad.fields());
    app.finish().await;
}

#[tokio::test]
async fn documents_keep_versions_and_the_familys_review() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let id = app
        .create(
            "/api/v1/documents",
            json!({"referral_id": w.referral, "kind": "status_letter", "title": "Status marts", "body": "Udkast"}),
        )
        .await;
    let doc = app.get(&format!("/api/v1/documents/{id}")).await;
    assert_eq!((doc.str("/state"), doc.str("/case_id")), ("draft".into(), w.case.clone()));
    assert_eq!(doc.body["allowed_actions"], json!(["revise"]), "Ida is 12: no submitting without her views");
    let listed = app.get(&format!("/api/v1/documents?case_id={}&state=draft", w.case)).await;
    assert_eq!(listed.items().len(), 1);
    assert_eq!(listed.items()[0]["allowed_actions"], json!(["revise"]));

    let versions = format!("/api/v1/documents/{id}/versions");
    let v2 = app
        .post(&versions, json!({"revision": 1, "body": "Rettet tekst", "child_views": "Ida glæder sig til samværet."}))
        .await;
    assert_eq!((v2.status, v2.body["version"].as_u64()), (201, Some(2)));
    assert_eq!(v2.body["child_views"], "Ida glæder sig til samværet.");
    assert_eq!(v2.body["author_id"], w.coordinator.as_str(), "written by the signed-in coordinator");
    let stale = app.post(&versions, json!({"revision": 1, "body": "Igen"})).await;
    assert_eq!((stale.status, stale.code()), (409, "stale_revision"));

    let review = format!("/api/v1/documents/{id}/family-review");
    let early = app.put(&review, json!({"version": 2, "comment": "Vi er enige."})).await;
    assert_eq!((early.status, early.str("/error/rule/rule")), (409, "report_workflow".into()));
    assert_eq!(app.post(&format!("/api/v1/documents/{id}/submit"), json!({"revision": 2})).await.status, 200);
    assert_eq!(app.post(&format!("/api/v1/documents/{id}/approve"), json!({"revision": 3})).await.status, 200);
    let old = app.en().put(&review, json!({"version": 1})).await;
    assert_eq!(old.field("version"), "This value is not allowed here.", "the family reads the current version");
    let comment = app
        .put(&review, json!({"version": 2, "comment": "Vi er enige.", "read_at": "2026-03-10T18:00:00+01:00"}))
        .await;
    assert_eq!(comment.status, 200, "{}", comment.body);
    assert_eq!(
        (comment.str("/family_comment"), comment.str("/family_read_at")),
        ("Vi er enige.".into(), "2026-03-10T17:00:00Z".into())
    );
    let all = app.get(&versions).await;
    let bodies: Vec<&str> = all.items().iter().map(|v| v["body"].as_str().unwrap()).collect();
    assert_eq!(bodies, ["Udkast", "Rettet tekst"]);
    assert_eq!(all.items()[1]["family_comment"], "Vi er enige.");
    assert_eq!(
        app.put(&format!("/api/v1/documents/{}/family-review", w.case), json!({"version": 1})).await.status,
        404
    );
    app.finish().await;
}

#[tokio::test]
async fn a_parent_action_plan_is_started_changed_and_reviewed_with_its_revision() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let programme = order(&app, &w, "parent_programme").await;
    let path = format!("/api/v1/cases/{}/action-plans", w.case);
    let wrong = app.post(&path, json!({"referral_id": w.referral})).await;
    assert_eq!(wrong.field("referral_id"), "Værdien er ikke tilladt her.", "supported visitation has no action plan");

    let plan = app
        .post(
            &path,
            json!({"referral_id": programme, "resources": ["Mormor"],
                   "goals": [{"text": "Komme til tiden til samvær", "actions": [{"text": "Sætte alarm", "due": "2026-03-01"}]}]}),
        )
        .await;
    assert_eq!(plan.status, 201, "{}", plan.body);
    let id = plan.id();
    let goal = plan.str("/goals/0/id");
    assert_eq!((plan.str("/phase"), plan.body["revision"].as_u64()), ("start".into(), Some(1)));
    assert_eq!(app.get(&path).await.items().len(), 1);

    let changed = app
        .put(
            &format!("/api/v1/action-plans/{id}"),
            json!({"revision": 1, "phase": "change", "resources": ["Mormor", "Nabo"],
                   "goals": [{"id": goal, "text": "Komme til tiden til samvær", "status": "achieved"}]}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(changed.body["phase_history"].as_array().unwrap().len(), 2);
    assert_eq!(changed.str("/goals/0/id"), goal, "the goal keeps its id");
    let stale = app.put(&format!("/api/v1/action-plans/{id}"), json!({"revision": 1, "phase": "maintenance"})).await;
    assert_eq!((stale.status, stale.code()), (409, "stale_revision"));

    let reviews = format!("/api/v1/action-plans/{id}/reviews");
    let bad = app
        .en()
        .post(&reviews, json!({"revision": 2, "on": "2026-04-01", "ratings": [{"goal_id": goal, "score": 11}, {"goal_id": w.case, "score": 3}]}))
        .await;
    assert_eq!(bad.field("ratings[0].score"), "Must be between 0 and 10.");
    let reviewed = app
        .post(&reviews, json!({"revision": 2, "on": "2026-04-01", "ratings": [{"goal_id": goal, "score": 8}]}))
        .await;
    assert_eq!(reviewed.status, 201, "{}", reviewed.body);
    assert_eq!(reviewed.body["reviews"][0]["ratings"][0]["score"], 8);
    assert_eq!(app.get(&format!("/api/v1/action-plans/{id}")).await.body["revision"], 3);
    app.finish().await;
}

#[tokio::test]
async fn focus_areas_belong_to_a_contact_person_referral() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let contact = order(&app, &w, "contact_person").await;
    let path = format!("/api/v1/cases/{}/focus-areas", w.case);
    let id = app
        .create(&path, json!({"referral_id": contact, "area": "staying_in_education", "started_on": "2026-02-10"}))
        .await;
    let one = app.get(&format!("/api/v1/focus-areas/{id}")).await;
    assert_eq!(one.str("/area"), "staying_in_education");
    assert_eq!(app.get(&path).await.items().len(), 1);
    let ended =
        app.put(&format!("/api/v1/focus-areas/{id}"), json!({"note": "Går godt", "ended_on": "2026-06-30"})).await;
    assert_eq!((ended.status, ended.str("/ended_on")), (200, "2026-06-30".into()));
    let early = app.put(&format!("/api/v1/focus-areas/{id}"), json!({"ended_on": "2026-01-01"})).await;
    assert_eq!(early.field("ended_on"), "Slutningen ligger før starten.");
    let wrong = app.post(&path, json!({"referral_id": w.referral, "area": "housing"})).await;
    assert_eq!(wrong.field("referral_id"), "Værdien er ikke tilladt her.");
    app.finish().await;
}

#[tokio::test]
async fn time_is_registered_and_totalled_against_the_ordered_hours() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let path = format!("/api/v1/referrals/{}/time-entries", w.referral);
    let entry = |minutes: i64| -> Value {
        json!({"staff_id": w.practitioner, "date": "2026-03-07", "minutes": minutes, "kind": "direct"})
    };
    let first = app.create(&path, entry(120)).await;
    app.create(&path, entry(45)).await;
    assert_eq!(app.get(&path).await.items().len(), 2);
    let total = app.get(&format!("/api/v1/referrals/{}/hours", w.referral)).await;
    assert_eq!(
        total.body,
        json!({"referral_id": w.referral, "ordered_hours": 40, "ordered_minutes": 2400, "registered_minutes": 165, "remaining_minutes": 2235})
    );
    assert_eq!(app.delete(&format!("{path}/{first}")).await.status, 204);
    assert_eq!(app.delete(&format!("{path}/{first}")).await.status, 404, "removed once");
    let total = app.get(&format!("/api/v1/referrals/{}/hours", w.referral)).await;
    assert_eq!(total.body["registered_minutes"], 45);
    let bad = app.en().post(&path, entry(0)).await;
    assert_eq!(bad.field("minutes"), "Must be between 1 and 1440.");
    app.finish().await;
}
