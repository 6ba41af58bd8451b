use crate::support::{TestApp, World, practitioner};
use serde_json::json;

#[tokio::test]
async fn municipalities_are_created_read_back_listed_and_unique_by_code() {
    let app = TestApp::spawn().await;
    let id = app.create("/api/v1/municipalities", json!({"code": 657, "name": "Herning Kommune"})).await;
    app.create("/api/v1/municipalities", json!({"code": 101, "name": "København"})).await;
    let one = app.get(&format!("/api/v1/municipalities/{id}")).await;
    assert_eq!((one.status, one.body["code"].as_u64(), one.str("/name")), (200, Some(657), "Herning Kommune".into()));
    let list = app.get("/api/v1/municipalities").await;
    let codes: Vec<u64> = list.items().iter().map(|m| m["code"].as_u64().unwrap()).collect();
    assert_eq!(codes, [101, 657], "by code");

    let dup = app.post("/api/v1/municipalities", json!({"code": 657, "name": "Herning igen"})).await;
    assert_eq!((dup.status, dup.code()), (409, "duplicate"));
    assert!(dup.str("/error/message").starts_with("Det findes allerede"));

    let bad = app.post("/api/v1/municipalities", json!({"code": 99, "name": " "})).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.field("code"), "Kommunekoden skal være et tal mellem 101 og 860.");
    assert_eq!(bad.field("name"), "Skal udfyldes.");
    let bad = app.en().post("/api/v1/municipalities", json!({"code": 99})).await;
    assert_eq!(bad.field("code"), "The municipality code must be a number from 101 to 860.");
    assert_eq!(bad.field("name"), "Required.");
    assert_eq!(bad.content_language.as_deref(), Some("en"));
    app.finish().await;
}

#[tokio::test]
async fn lists_page_with_limit_and_after() {
    let app = TestApp::spawn().await;
    for (code, name) in [(101, "A"), (147, "B"), (151, "C")] {
        app.create("/api/v1/municipalities", json!({"code": code, "name": name})).await;
    }
    let first = app.get("/api/v1/municipalities?limit=2").await;
    assert_eq!(first.items().len(), 2);
    let after = first.str("/next_after");
    let second = app.get(&format!("/api/v1/municipalities?limit=2&after={after}")).await;
    assert_eq!(second.items().len(), 1);
    assert_eq!(second.items()[0]["name"], "C");
    assert!(second.body["next_after"].is_null());
    let bad = app.get("/api/v1/municipalities?limit=0&after=nope").await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.field("limit"), "Skal være mellem 1 og 1000.");
    assert_eq!(bad.field("after"), "Skal være et gyldigt id (UUID).");
    app.finish().await;
}

#[tokio::test]
async fn providers_serve_municipalities_that_exist() {
    let app = TestApp::spawn().await;
    let m = app.create("/api/v1/municipalities", json!({"code": 657, "name": "Herning Kommune"})).await;
    let id = app.create("/api/v1/providers", json!({"name": "Familiehuset Vest", "municipalities": [m]})).await;
    let one = app.get(&format!("/api/v1/providers/{id}")).await;
    assert_eq!(one.body["municipalities"], json!([m]));
    assert_eq!(app.get("/api/v1/providers").await.items().len(), 1);

    let unknown = "0190c2a4-0000-7000-8000-000000000000";
    let bad = app.post("/api/v1/providers", json!({"name": "Ny", "municipalities": [m, unknown, "x"]})).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.field("municipalities[1]"), "Findes ikke.");
    assert_eq!(bad.field("municipalities[2]"), "Skal være et gyldigt id (UUID).");
    let none = app.en().post("/api/v1/providers", json!({"name": "Ny", "municipalities": []})).await;
    assert_eq!(none.field("municipalities"), "Required.");
    app.finish().await;
}

#[tokio::test]
async fn staff_are_created_changed_filtered_and_their_absences_kept() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let one = app.get(&format!("/api/v1/staff/{}", w.practitioner)).await;
    assert_eq!((one.str("/name"), one.str("/employer/kind")), ("Jonas Berg".into(), "provider".into()));
    assert_eq!(one.body["working_pattern"][0]["start"], "09:00:00");

    let practitioners = app.get(&format!("/api/v1/staff?provider_id={}&role=practitioner", w.provider)).await;
    assert_eq!(practitioners.items().len(), 2);
    let caseworkers = app.get(&format!("/api/v1/staff?municipality_id={}", w.municipality)).await;
    assert_eq!(caseworkers.items().len(), 1);

    let mut changed = practitioner(&w.provider, "Jonas Berg Nielsen");
    changed["active"] = json!(false);
    let put = app.put(&format!("/api/v1/staff/{}", w.practitioner), changed).await;
    assert_eq!((put.status, put.body["active"].as_bool()), (200, Some(false)));
    let active = app.get(&format!("/api/v1/staff?provider_id={}&active_only=true", w.provider)).await;
    assert_eq!(active.items().len(), 2, "the other practitioner and the coordinator");

    // A caseworker cannot work for a provider; the slot's end comes before its start.
    let bad = app
        .post(
            "/api/v1/staff",
            json!({"name": "X", "role": "caseworker", "employer": {"kind": "provider", "id": w.provider},
                   "employment": "sometimes", "working_pattern": [{"day": "monday", "start": "16:00", "end": "08:00"}]}),
        )
        .await;
    assert_eq!(bad.field("employer"), "Værdien er ikke tilladt her.");
    assert_eq!(bad.field("employment"), "Værdien er ikke tilladt her.");
    assert_eq!(bad.field("working_pattern[0].end"), "Slutningen ligger før starten.");

    let absences = format!("/api/v1/staff/{}/absences", w.practitioner2);
    let absence = app
        .create(&absences, json!({"start": "2026-03-02T07:00:00Z", "end": "2026-03-06T16:00:00Z", "kind": "holiday"}))
        .await;
    let window = app.get(&format!("{absences}?from=2026-03-01T00:00:00Z&to=2026-03-31T00:00:00Z")).await;
    assert_eq!(window.items()[0]["id"], absence.as_str());
    assert_eq!(window.items()[0]["kind"], "holiday");
    assert_eq!(app.delete(&format!("/api/v1/staff/{}/absences/{absence}", w.practitioner)).await.status, 404);
    assert_eq!(app.delete(&format!("{absences}/{absence}")).await.status, 204);
    let window = app.get(&format!("{absences}?from=2026-03-01T00:00:00Z&to=2026-03-31T00:00:00Z")).await;
    assert!(window.items().is_empty());
    app.finish().await;
}

#[tokio::test]
async fn editing_a_staff_record_never_moves_the_person_to_another_employer() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let other =
        app.create("/api/v1/providers", json!({"name": "Familiehuset Øst", "municipalities": [w.municipality]})).await;
    let path = format!("/api/v1/staff/{}", w.practitioner);

    // The team lead (the world's actor for the organisation) may not move her to another provider…
    let moved = app.put(&path, practitioner(&other, "Jonas Berg")).await;
    assert_eq!(moved.status, 422, "{}", moved.body);
    assert_eq!(
        moved.field("employer"),
        "Arbejdsgiveren kan ikke ændres; opret en ny medarbejder hos den nye arbejdsgiver."
    );
    let en = app.en().put(&path, practitioner(&other, "Jonas Berg")).await;
    assert_eq!(en.field("employer"), "The employer cannot be changed; add a new member of staff at the new employer.");

    // …nor make him a caseworker of the municipality.
    let municipal = app
        .put(
            &path,
            json!({"name": "Jonas Berg", "role": "caseworker", "employer": {"kind": "municipality", "id": w.municipality},
                   "employment": "permanent"}),
        )
        .await;
    assert_eq!(municipal.status, 422, "{}", municipal.body);
    assert_eq!(municipal.fields().len(), 2, "{:?}", municipal.fields());
    assert!(!municipal.field("employer").is_empty());
    assert_eq!(municipal.field("role"), "Kun en administrator kan ændre en medarbejders rolle.", "a team lead");

    let one = app.get(&path).await;
    assert_eq!(
        (one.str("/employer/kind"), one.str("/employer/id"), one.str("/role")),
        ("provider".into(), w.provider.clone(), "practitioner".into()),
        "nothing was written"
    );
    // The same employer is fine.
    assert_eq!(app.put(&path, practitioner(&w.provider, "Jonas Berg Nielsen")).await.status, 200);
    app.finish().await;
}

#[tokio::test]
async fn rooms_belong_to_a_provider() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let rooms = format!("/api/v1/providers/{}/rooms", w.provider);
    app.create(&rooms, json!({"name": "Haven", "capacity": 20})).await;
    let list = app.get(&rooms).await;
    let names: Vec<&str> = list.items().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Haven", "Samværsrum 1"], "by name");
    let put = app
        .put(&format!("/api/v1/rooms/{}", w.room), json!({"name": "Samværsrum 1", "capacity": 8, "active": false}))
        .await;
    assert_eq!((put.status, put.body["capacity"].as_u64()), (200, Some(8)));
    assert_eq!(app.get(&format!("/api/v1/rooms/{}", w.room)).await.body["active"], false);
    let bad = app.en().post(&rooms, json!({"name": "Loft", "capacity": 0})).await;
    assert_eq!(bad.field("capacity"), "Must be between 1 and 1000.");
    app.finish().await;
}

#[tokio::test]
async fn only_an_admin_changes_a_role_and_nobody_their_own() {
    use crate::actors::staff;
    use samvirke_domain::organisation::StaffRole;
    use samvirke_domain::*;
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let provider: ProviderId = w.provider.parse().unwrap();
    let lead_id = crate::support::add_provider_staff(&app, provider, StaffRole::TeamLead, "Tove Teamleder").await;
    let admin_id = crate::support::add_provider_staff(&app, provider, StaffRole::Admin, "Ane Admin").await;
    let lead = app.as_actor(&staff(StaffRole::TeamLead, lead_id, provider));
    let admin = app.as_actor(&staff(StaffRole::Admin, admin_id, provider));
    let jonas = format!("/api/v1/staff/{}", w.practitioner);
    let mut promoted = practitioner(&w.provider, "Jonas Berg");
    promoted["role"] = json!("admin");

    let refused = lead.put(&jonas, promoted.clone()).await;
    assert_eq!((refused.status, refused.code()), (422, "validation"), "{}", refused.body);
    assert_eq!(refused.field("role"), "Kun en administrator kan ændre en medarbejders rolle.");
    let refused = lead.en().put(&jonas, promoted.clone()).await;
    assert_eq!(refused.field("role"), "Only an administrator can change a member of staff's role.");
    assert_eq!(app.get(&jonas).await.str("/role"), "practitioner", "unchanged");
    // The team lead still edits everything else.
    let renamed = lead.put(&jonas, practitioner(&w.provider, "Jonas Berg Nielsen")).await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);

    let mut coordinator = practitioner(&w.provider, "Jonas Berg Nielsen");
    coordinator["role"] = json!("coordinator");
    let changed = admin.put(&jonas, coordinator).await;
    assert_eq!((changed.status, changed.str("/role")), (200, "coordinator".to_string()), "{}", changed.body);

    // Nobody changes their own role, not even an admin or a team lead.
    let mut own = practitioner(&w.provider, "Tove Teamleder");
    own["role"] = json!("admin");
    let refused = lead.en().put(&format!("/api/v1/staff/{lead_id}"), own).await;
    assert_eq!((refused.status, refused.field("role")), (422, "Nobody can change their own role.".to_string()));
    let mut own = practitioner(&w.provider, "Ane Admin");
    own["role"] = json!("team_lead");
    let refused = admin.put(&format!("/api/v1/staff/{admin_id}"), own).await;
    assert_eq!((refused.status, refused.field("role")), (422, "Ingen kan ændre sin egen rolle.".to_string()));
    assert_eq!(app.get(&format!("/api/v1/staff/{admin_id}")).await.str("/role"), "admin");
    app.finish().await;
}
