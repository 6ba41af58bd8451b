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
                   "purpose": "written_descriptions", "given_at": "2026-01-20T09:30:00+01:00",
                   "note": "Skriftligt ved opstartsmødet"}),
        )
        .await;
    let one = app.get(&format!("/api/v1/consents/{id}")).await;
    assert_eq!((one.str("/given_at"), one.body["withdrawn_at"].is_null()), ("2026-01-20T08:30:00Z".into(), true));
    assert_eq!(one.str("/recorded_by"), w.coordinator, "recorded by the signed-in coordinator");
    assert_eq!(app.get(&path).await.items().len(), 1);

    let withdrawn = app.post(&format!("/api/v1/consents/{id}/withdraw"), json!({})).await;
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.body);
    assert!(withdrawn.body["withdrawn_at"].is_string());
    assert_eq!(app.get(&format!("/api/v1/consents/{id}")).await.body["withdrawn_at"], withdrawn.body["withdrawn_at"]);
    let again = app.en().post(&format!("/api/v1/consents/{id}/withdraw"), json!({})).await;
    assert_eq!((again.status, again.code()), (409, "rule"));
    assert_eq!(again.str("/error/rule/rule"), "withdrawal_from_its_moment");
    assert!(again.str("/error/message").starts_with("The consent is already withdrawn. ("), "{}", again.body);
    assert_eq!(app.get(&format!("/api/v1/consents/{id}")).await.body["withdrawn_at"], withdrawn.body["withdrawn_at"]);

    let bad = app
        .post(&path, json!({"giver": {"kind": "neighbour"}, "purpose": "everything", "recorded_by": w.mother}))
        .await;
    assert_eq!(bad.field("giver.kind"), "Værdien er ikke tilladt her.");
    assert_eq!(bad.field("purpose"), "Værdien er ikke tilladt her.");
    assert_eq!(bad.fields().len(), 2, "who records is not an input: {:?}", bad.fields());
    app.finish().await;
}

#[tokio::test]
async fn a_consent_is_not_dated_ahead_and_a_withdrawal_takes_effect_from_its_moment() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let path = format!("/api/v1/cases/{}/consents", w.case);
    let future = app
        .en()
        .post(
            &path,
            json!({"giver": {"kind": "family_member", "family_member_id": w.mother}, "purpose": "intervention",
                   "given_at": "2099-01-01T10:00:00Z"}),
        )
        .await;
    assert_eq!(future.field("given_at"), "Must not be in the future.");
    let id = w.consent(&app, "written_descriptions", "2026-02-01T10:00:00+01:00").await;
    let withdraw = format!("/api/v1/consents/{id}/withdraw");
    let before = app.post(&withdraw, json!({"at": "2026-01-15T10:00:00+01:00"})).await;
    assert_eq!((before.status, before.str("/error/rule/rule")), (409, "withdrawal_from_its_moment".into()));
    assert_eq!(
        before.str("/error/message"),
        "En tilbagekaldelse kan ikke ligge før samtykket blev givet. (BL § 104, stk. 3 og BL § 32, stk. 2)"
    );
    let ahead = app.en().post(&withdraw, json!({"at": "2099-01-01T10:00:00Z"})).await;
    assert!(ahead.str("/error/message").starts_with("A withdrawal is recorded when it happens, not in advance."));
    assert!(app.get(&format!("/api/v1/consents/{id}")).await.body["withdrawn_at"].is_null(), "nothing changed");
    let bad = app.post(&withdraw, json!({"at": "soon"})).await;
    assert_eq!(bad.field("at"), "Datoen eller tidspunktet kan ikke læses.");
    let done = app.post(&withdraw, json!({"at": "2026-03-10T12:00:00+01:00"})).await;
    assert_eq!((done.status, done.str("/withdrawn_at")), (200, "2026-03-10T11:00:00Z".into()));
    app.finish().await;
}

#[tokio::test]
async fn the_consents_a_referral_needs_are_listed_with_whether_they_are_in_force() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let path = format!("/api/v1/referrals/{}/required-consents", w.referral);
    let needed = app.get(&format!("{path}?on=2026-03-07")).await;
    assert_eq!(needed.status, 200, "{}", needed.body);
    assert_eq!(needed.items().len(), 1, "the mother is custody holder and visiting parent: one consent");
    let item = &needed.items()[0];
    assert_eq!(item["giver"], json!({"kind": "family_member", "family_member_id": w.mother}));
    assert_eq!((item["role"].as_str(), item["purpose"].as_str()), (Some("custody_holder"), Some("intervention")));
    assert_eq!(
        (item["rule"].as_str(), item["in_force"].as_bool()),
        (Some("custody_holder_consent_to_visitation"), Some(false))
    );
    assert_eq!(item["sections"], json!(["BL § 104, stk. 3"]));
    let c = w.consent(&app, "intervention", "2026-02-01T10:00:00+01:00").await;
    assert_eq!(app.get(&format!("{path}?on=2026-03-07")).await.items()[0]["in_force"], true);
    assert_eq!(app.get(&format!("{path}?on=2026-01-31")).await.items()[0]["in_force"], false, "not yet given");
    app.post(&format!("/api/v1/consents/{c}/withdraw"), json!({"at": "2026-03-10T12:00:00+01:00"})).await;
    assert_eq!(app.get(&format!("{path}?on=2026-03-07")).await.items()[0]["in_force"], true, "history stays");
    assert_eq!(app.get(&path).await.items()[0]["in_force"], false, "today it is withdrawn");
    let en = app.en().get(&path).await;
    assert!(en.items()[0]["rule_statement"].as_str().unwrap().starts_with("Supported visitation needs the custody"));
    assert_eq!(app.get(&format!("{path}?on=7.3.2026")).await.field("on"), "Datoen eller tidspunktet kan ikke læses.");
    app.finish().await;
}

#[tokio::test]
async fn a_suspension_longer_than_8_weeks_is_refused_and_expiring_decisions_are_listed() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let suspensions = format!("/api/v1/cases/{}/suspensions", w.case);
    let long = app
        .post(&suspensions, json!({"period": {"start": "2026-03-02", "end": "2026-04-27"}, "decided_on": "2026-02-25"}))
        .await;
    assert_eq!((long.status, long.str("/error/rule/rule")), (409, "suspension_at_most_8_weeks".into()));
    assert!(long.str("/error/message").contains("57 dage"));
    assert!(long.str("/error/message").ends_with("(BL § 104, stk. 5)"));
    assert!(app.get(&suspensions).await.items().is_empty());

    let decisions = format!("/api/v1/cases/{}/decisions", w.case);
    let ending = app
        .create(
            &decisions,
            json!({"kind": "supervised_visitation", "grounds": ["safety_concern"],
                   "period": {"start": "2026-06-01", "end": "2026-12-15"}, "decided_on": "2026-05-20"}),
        )
        .await;
    let expiring = format!("/api/v1/decisions/expiring?provider_id={}", w.provider);
    let list = app.get(&format!("{expiring}&today=2026-11-24")).await;
    assert_eq!(list.items().len(), 1, "{}", list.body);
    assert_eq!(list.items()[0]["id"], ending.as_str());
    assert!(app.get(&format!("{expiring}&today=2026-11-01")).await.items().is_empty(), "44 days ahead");
    app.put(
        &format!("/api/v1/providers/{}/documentation-settings", w.provider),
        json!({"description_due_working_days": 3, "decision_warning_days": 60, "status_letters": {}}),
    )
    .await;
    assert_eq!(app.get(&format!("{expiring}&today=2026-11-01")).await.items().len(), 1, "the provider's 60 days");
    app.create(
        &decisions,
        json!({"kind": "supervised_visitation", "grounds": ["safety_concern"],
               "period": {"start": "2026-12-16", "end": "2027-06-30"}, "decided_on": "2026-11-20"}),
    )
    .await;
    assert!(app.get(&format!("{expiring}&today=2026-11-24")).await.items().is_empty(), "renewed");
    let bad = app.en().get("/api/v1/decisions/expiring?today=tomorrow").await;
    assert_eq!(bad.field("provider_id"), "Required.");
    assert_eq!(bad.field("today"), "The date or time cannot be read.");
    app.finish().await;
}
