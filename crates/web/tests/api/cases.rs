use crate::support::{CPR, TestApp, World};
use serde_json::json;

#[tokio::test]
async fn a_case_is_opened_read_back_listed_and_found_by_cpr_number_in_a_body() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let case = app.get(&format!("/api/v1/cases/{}", w.case)).await;
    assert_eq!(case.status, 200);
    assert_eq!(case.str("/child/cpr"), "150614-xxxx");
    assert_eq!(case.str("/child/name"), "Ida Sørensen");
    assert_eq!(case.str("/placement/kind"), "foster_family");
    assert_eq!(case.body["placement"]["address_secret"], true);
    assert!(case.str("/reference").starts_with("S-"));
    assert_eq!(case.body["revision"], 1);

    let list = app.get(&format!("/api/v1/cases?provider_id={}&open_only=true", w.provider)).await;
    assert_eq!(list.items().len(), 1);
    assert_eq!(list.items()[0]["id"], w.case.as_str());

    let found = app.post("/api/v1/cases/search", json!({"provider_id": w.provider, "cpr": "1506144127"})).await;
    assert_eq!(found.status, 200);
    assert_eq!(found.items()[0]["id"], w.case.as_str());
    let none = app.post("/api/v1/cases/search", json!({"provider_id": w.provider, "cpr": "010203-1234"})).await;
    assert!(none.items().is_empty());
    app.finish().await;
}

#[tokio::test]
async fn every_problem_of_a_case_is_reported_per_field_in_danish_or_english() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let body = json!({
        "provider_id": w.provider,
        "municipality_id": "0190c2a4-0000-7000-8000-000000000000",
        "child": {"name": "", "cpr": "310215-4123"},
        "placement": {"kind": "castle", "name": "Slottet"},
        "family_members": [{"name": "Far", "relation": "father"}, {"name": "Moster"}],
    });
    let da = app.post("/api/v1/cases", body.clone()).await;
    assert_eq!((da.status, da.code()), (422, "validation"));
    assert_eq!(da.str("/error/message"), "Nogle felter er ikke udfyldt rigtigt.");
    assert_eq!(da.content_language.as_deref(), Some("da"));
    assert_eq!(da.field("child.name"), "Skal udfyldes.");
    assert_eq!(da.field("child.cpr"), "CPR-nummerets første seks cifre er ikke en gyldig dato.");
    assert_eq!(da.field("placement.kind"), "Værdien er ikke tilladt her.");
    assert_eq!(da.field("family_members[1].relation"), "Skal udfyldes.");
    assert_eq!(da.field("municipality_id"), "Findes ikke.");
    assert_eq!(da.fields().len(), 5, "{:?}", da.fields());

    let en = app.en().post("/api/v1/cases", body).await;
    assert_eq!(en.str("/error/message"), "Some fields are not filled in correctly.");
    assert_eq!(en.field("child.cpr"), "The first six digits of the CPR number are not a valid date.");
    assert_eq!(en.field("municipality_id"), "Does not exist.");

    // A municipality the provider does not serve.
    let other = app.create("/api/v1/municipalities", json!({"code": 661, "name": "Holstebro Kommune"})).await;
    let foreign = app
        .post(
            "/api/v1/cases",
            json!({"provider_id": w.provider, "municipality_id": other, "child": {"name": "Bo", "cpr": "0101104321"}}),
        )
        .await;
    assert_eq!(foreign.field("municipality_id"), "Værdien er ikke tilladt her.");
    app.finish().await;
}

#[tokio::test]
async fn a_child_has_one_open_case_per_provider() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let again = app
        .post(
            "/api/v1/cases",
            json!({"provider_id": w.provider, "municipality_id": w.municipality, "child": {"name": "Ida S.", "cpr": CPR}}),
        )
        .await;
    assert_eq!((again.status, again.code()), (409, "duplicate"));
    let en = app
        .en()
        .post(
            "/api/v1/cases",
            json!({"provider_id": w.provider, "municipality_id": w.municipality, "child": {"name": "Ida S.", "cpr": CPR}}),
        )
        .await;
    assert!(en.str("/error/message").starts_with("It already exists"));
    app.finish().await;
}

#[tokio::test]
async fn a_change_based_on_a_stale_revision_is_refused() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let path = format!("/api/v1/cases/{}", w.case);
    let first = app.put(&path, json!({"revision": 1, "child_name": "Ida Marie Sørensen"})).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!((first.body["revision"].as_u64(), first.body["placement"].is_null()), (Some(2), true));

    let stale =
        app.put(&path, json!({"revision": 1, "child_name": "Ida M. Sørensen", "closed_on": "2026-09-01"})).await;
    assert_eq!((stale.status, stale.code()), (409, "stale_revision"));
    assert_eq!(
        stale.str("/error/message"),
        "Nogen har ændret dette, efter du hentede det. Hent det igen, og lav din ændring på ny."
    );
    let stale = app.en().put(&path, json!({"revision": 1, "child_name": "Ida"})).await;
    assert!(stale.str("/error/message").starts_with("Someone else changed this"));
    assert_eq!(app.get(&path).await.str("/child/name"), "Ida Marie Sørensen");

    let backwards = app.put(&path, json!({"revision": 2, "child_name": "Ida", "closed_on": "2025-01-01"})).await;
    assert_eq!(backwards.field("closed_on"), "Slutningen ligger før starten.");
    app.finish().await;
}

#[tokio::test]
async fn family_members_are_added_read_back_listed_and_changed() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let path = format!("/api/v1/cases/{}/family-members", w.case);
    let farmor = app
        .create(&path, json!({"name": "Karen Sørensen", "relation": "grandparent", "roles": ["network_member"], "phone": "12 34 56 78"}))
        .await;
    let one = app.get(&format!("/api/v1/family-members/{farmor}")).await;
    assert_eq!((one.str("/relation"), one.body["roles"].clone()), ("grandparent".into(), json!(["network_member"])));
    let list = app.get(&path).await;
    let names: Vec<&str> = list.items().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Karen Sørensen", "Lene Sørensen"]);
    let mother = app.get(&format!("/api/v1/family-members/{}", w.mother)).await;
    assert_eq!(mother.body["roles"], json!(["custody_holder", "visiting_parent"]), "sorted");

    let put = app
        .put(
            &format!("/api/v1/family-members/{farmor}"),
            json!({"name": "Karen Sørensen", "relation": "grandparent", "email": "karen@example.dk", "address_protected": true}),
        )
        .await;
    assert_eq!((put.status, put.str("/email")), (200, "karen@example.dk".into()));
    let bad = app.en().post(&path, json!({"name": "X", "relation": "mother", "roles": ["boss"], "email": "x"})).await;
    assert_eq!(bad.field("roles[0]"), "This value is not allowed here.");
    assert_eq!(bad.field("email"), "The e-mail address is not valid.");
    app.finish().await;
}
