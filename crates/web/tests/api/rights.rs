use crate::support::{TestApp, World};
use serde_json::json;

#[tokio::test]
async fn committee_decisions_and_suspensions_are_recorded_and_listed() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let decisions = format!("/api/v1/cases/{}/decisions", w.case);
    app.create(
        &decisions,
        json!({"kind": "supervised_visitation", "grounds": ["abuse_known_or_suspected", "safety_concern", "safety_concern"],
               "period": {"start": "2026-02-01", "end": "2026-07-31"}, "decided_on": "2026-01-20"}),
    )
    .await;
    let list = app.get(&decisions).await;
    assert_eq!(list.items()[0]["grounds"], json!(["safety_concern", "abuse_known_or_suspected"]), "sorted, once each");
    let bad = app
        .en()
        .post(&decisions, json!({"kind": "supervised_visitation", "grounds": [], "period": {"start": "2026-02-01"}}))
        .await;
    assert_eq!(bad.field("grounds"), "Required.");
    assert_eq!(bad.field("period.end"), "Required.");
    assert_eq!(bad.field("decided_on"), "Required.");

    let suspensions = format!("/api/v1/cases/{}/suspensions", w.case);
    app.create(
        &suspensions,
        json!({"period": {"start": "2026-03-01", "end": "2026-03-28"}, "decided_on": "2026-02-25", "requested_by_child": true}),
    )
    .await;
    let list = app.get(&suspensions).await;
    assert_eq!((list.items().len(), list.items()[0]["requested_by_child"].as_bool()), (1, Some(true)));
    app.finish().await;
}

#[tokio::test]
async fn a_consent_is_given_read_back_and_withdrawn_once() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let path = format!("/api/v1/cases/{}/consents", w.case);
    let id = app
        .create(
            &path,
            json!({"referral_id": w.referral, "giver": {"kind": "family_member", "family_member_id": w.mother},
                   "purpose": "written_descriptions", "given_at": "2026-01-20T09:30:00+01:00", "recorded_by": w.practitioner,
                   "note": "Skriftligt ved opstartsmødet"}),
        )
        .await;
    let one = app.get(&format!("/api/v1/consents/{id}")).await;
    assert_eq!((one.str("/given_at"), one.body["withdrawn_at"].is_null()), ("2026-01-20T08:30:00Z".into(), true));
    assert_eq!(app.get(&path).await.items().len(), 1);

    let withdrawn = app.post(&format!("/api/v1/consents/{id}/withdraw"), json!({})).await;
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.body);
    assert!(withdrawn.body["withdrawn_at"].is_string());
    assert_eq!(app.get(&format!("/api/v1/consents/{id}")).await.body["withdrawn_at"], withdrawn.body["withdrawn_at"]);
    let again = app.en().post(&format!("/api/v1/consents/{id}/withdraw"), json!({})).await;
    assert_eq!((again.status, again.code()), (409, "already_withdrawn"));
    assert_eq!(again.str("/error/message"), "The consent has already been withdrawn.");

    let bad = app
        .post(&path, json!({"giver": {"kind": "neighbour"}, "purpose": "everything", "recorded_by": w.mother}))
        .await;
    assert_eq!(bad.field("giver.kind"), "Værdien er ikke tilladt her.");
    assert_eq!(bad.field("purpose"), "Værdien er ikke tilladt her.");
    assert_eq!(bad.field("recorded_by"), "Findes ikke.", "a family member is not staff");
    app.finish().await;
}
