use crate::support::{TestApp, World};
use samvirke_web::Config;
use serde_json::json;
use std::time::Duration;

const NOBODY: &str = "0190c2a4-0000-7000-8000-000000000000";

#[tokio::test]
async fn a_missing_record_is_404_in_the_usual_shape() {
    let app = TestApp::spawn().await;
    for resource in [
        "municipalities",
        "providers",
        "staff",
        "rooms",
        "cases",
        "family-members",
        "referrals",
        "consents",
        "appointments",
        "documents",
        "action-plans",
        "focus-areas",
    ] {
        let a = app.get(&format!("/api/v1/{resource}/{NOBODY}")).await;
        assert_eq!((a.status, a.code()), (404, "not_found"), "{resource}");
        assert_eq!(a.str("/error/message"), "Findes ikke.");
    }
    for nested in
        ["family-members", "consents", "decisions", "suspensions", "journal-entries", "action-plans", "focus-areas"]
    {
        let a = app.get(&format!("/api/v1/cases/{NOBODY}/{nested}")).await;
        assert_eq!(a.status, 404, "{nested}");
    }
    let en = app.en().get(&format!("/api/v1/cases/{NOBODY}")).await;
    assert_eq!(en.str("/error/message"), "Not found.");
    let not_an_id = app.get("/api/v1/cases/not-an-id").await;
    assert_eq!(not_an_id.status, 404);
    let no_route = app.get("/api/v1/nothing-here").await;
    assert_eq!((no_route.status, no_route.code()), (404, "not_found"));
    let put = app.put(&format!("/api/v1/cases/{NOBODY}"), json!({"revision": 1, "child_name": "X"})).await;
    assert_eq!(put.status, 404);
    app.finish().await;
}

#[tokio::test]
async fn a_body_that_is_not_json_or_has_the_wrong_types_is_422_in_the_same_shape() {
    let app = TestApp::spawn().await;
    let syntax = app.send_raw("/api/v1/municipalities", "application/json", "{\"code\": 657,").await;
    assert_eq!((syntax.status, syntax.code()), (422, "validation"));
    assert!(syntax.str("/error/message").starts_with("Indholdet er ikke gyldig JSON (linje 1"), "{}", syntax.body);
    let syntax = app.en().send_raw("/api/v1/municipalities", "application/json", "nonsense").await;
    assert!(syntax.str("/error/message").starts_with("The body is not valid JSON"));

    let wrong_type =
        app.send_raw("/api/v1/municipalities", "application/json", r#"{"code": "657", "name": "X"}"#).await;
    assert_eq!(wrong_type.status, 422);
    assert_eq!(wrong_type.field("code"), "Værdien har en forkert type.");
    let nested = app
        .en()
        .send_raw("/api/v1/cases", "application/json", r#"{"child": {"name": "Ida", "cpr": 1506144127}}"#)
        .await;
    assert_eq!(nested.field("child.cpr"), "The value has the wrong type.");
    assert!(!nested.text.contains("1506144127"), "serde's message quotes the value: it is not passed on");
    let list =
        app.send_raw("/api/v1/providers", "application/json", r#"{"name": "X", "municipalities": ["a", 7]}"#).await;
    assert_eq!(list.field("municipalities[1]"), "Værdien har en forkert type.");

    let array = app.en().send_raw("/api/v1/municipalities", "application/json", "[657]").await;
    assert_eq!((array.status, array.str("/error/message")), (422, "The body must be a JSON object.".into()));

    let not_json = app.send_raw("/api/v1/municipalities", "text/plain", "code=657").await;
    assert_eq!((not_json.status, not_json.code()), (415, "unsupported_media_type"));
    let method = app.delete("/api/v1/catalogue").await;
    assert_eq!((method.status, method.code()), (405, "method_not_allowed"));
    app.finish().await;
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let app = TestApp::builder().config(Config { body_limit: 64, ..Config::default() }).spawn().await;
    let big = json!({"name": "x".repeat(100), "code": 657});
    let a = app.post("/api/v1/municipalities", big).await;
    assert_eq!((a.status, a.code()), (413, "payload_too_large"));
    app.finish().await;
}

#[tokio::test]
async fn a_request_that_takes_too_long_is_503_and_leaves_nothing_behind() {
    // The municipality is written, then the commit waits past the timeout: the request is abandoned.
    let app = TestApp::builder()
        .config(Config { request_timeout: Duration::from_millis(200), ..Config::default() })
        .spawn()
        .await;
    app.stall_on("commit", Duration::from_secs(5));
    let a = app.post("/api/v1/municipalities", json!({"code": 657, "name": "Herning Kommune"})).await;
    assert_eq!((a.status, a.code()), (503, "unavailable"));
    assert!(app.get("/api/v1/municipalities").await.items().is_empty());
    app.finish().await;
}

#[tokio::test]
async fn a_request_rejected_half_way_leaves_nothing_behind() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;

    // The case is written, then storing its family fails: the case must not survive.
    app.fail_on("insert_family_member");
    let a = app
        .post(
            "/api/v1/cases",
            json!({"provider_id": w.provider, "municipality_id": w.municipality, "child": {"name": "Bo", "cpr": "010110-4321"},
                   "family_members": [{"name": "Per", "relation": "father"}]}),
        )
        .await;
    assert_eq!((a.status, a.code()), (500, "internal"));
    assert_eq!(a.str("/error/message"), "Der skete en fejl hos os. Prøv igen senere.");
    assert!(!a.text.contains("injected"), "the detail is logged, never sent");
    let found = app.post("/api/v1/cases/search", json!({"provider_id": w.provider, "cpr": "010110-4321"})).await;
    assert!(found.items().is_empty(), "the case was rolled back with the family: {}", found.body);
    assert_eq!(app.get("/api/v1/cases").await.items().len(), 1);

    // The new terms are written, then the commit fails: the referral keeps its old terms and revision.
    app.fail_on("commit");
    let path = format!("/api/v1/referrals/{}/versions", w.referral);
    let mut t = crate::support::terms(&w.mother);
    t["ordered_hours"] = json!(99);
    let a = app.en().post(&path, json!({"revision": 1, "reason": "Mere", "terms": t})).await;
    assert_eq!((a.status, a.str("/error/message")), (500, "Something went wrong on our side. Try again later.".into()));
    let referral = app.get(&format!("/api/v1/referrals/{}", w.referral)).await;
    assert_eq!(
        (referral.body["revision"].as_u64(), referral.body["terms"]["ordered_hours"].as_u64()),
        (Some(1), Some(40))
    );
    assert_eq!(app.get(&path).await.items().len(), 1);

    // A refused request is refused before anything is written.
    let refused = app.post(&path, json!({"revision": 1, "reason": "", "terms": {}})).await;
    assert_eq!(refused.status, 422);
    app.finish().await;
}
