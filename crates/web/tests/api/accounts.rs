//! Password resets: an admin's one-time link, used once, signs the account out everywhere.

use crate::support::{PASSWORD, TestApp, World};
use samvirke_domain::organisation::StaffRole;
use samvirke_domain::user::{Role, Subject};
use samvirke_domain::*;
use serde_json::json;

/// The world's coordinator Karen and the provider's admin Ane, each with an account.
async fn karen_and_admin(app: &TestApp) -> (crate::support::TestUser, crate::support::TestUser) {
    let w = World::create(app).await;
    let provider: ProviderId = w.provider.parse().unwrap();
    let coordinator: StaffId = w.coordinator.parse().unwrap();
    let karen = app.add_user("karen", Role::Staff(StaffRole::Coordinator), Subject::Staff(coordinator), true).await;
    let admin_staff = crate::support::add_provider_staff(app, provider, StaffRole::Admin, "Ane Admin").await;
    let ane = app.add_user("ane", Role::Staff(StaffRole::Admin), Subject::Staff(admin_staff), true).await;
    (karen, ane)
}

#[tokio::test]
async fn a_reset_link_works_once_and_ends_every_session() {
    let app = TestApp::spawn().await;
    let (karen, ane) = karen_and_admin(&app).await;
    let karens_laptop = app.sign_in(&karen).await;
    assert_eq!(karens_laptop.get("/api/v1/session").await.status, 200);

    // Only an admin issues links.
    let refused = karens_laptop.post(&format!("/api/v1/users/{}/reset-link", karen.id), json!({})).await;
    assert_eq!(refused.status, 403);
    let admin = app.sign_in(&ane).await;
    let issued = admin.post(&format!("/api/v1/users/{}/reset-link", karen.id), json!({})).await;
    assert_eq!(issued.status, 200, "{}", issued.body);
    let path = issued.str("/path");
    let token = path.strip_prefix("/reset-password?token=").expect("the link's path").to_string();
    let newer = admin.post(&format!("/api/v1/users/{}/reset-link", karen.id), json!({})).await;
    let newer_token = newer.str("/path").rsplit('=').next().unwrap().to_string();

    let new_password = "en helt ny adgangskode";
    let browser = app.anonymous();
    let old_link = browser.post("/api/v1/password-reset", json!({"token": token, "new_password": new_password})).await;
    assert_eq!((old_link.status, old_link.code()), (422, "validation"), "a newer link voids the older");
    let weak = browser.post("/api/v1/password-reset", json!({"token": newer_token, "new_password": "kort"})).await;
    assert_eq!(weak.status, 422);
    assert_eq!(weak.fields()[0].0, "new_password");
    let used =
        browser.post("/api/v1/password-reset", json!({"token": newer_token, "new_password": new_password})).await;
    assert_eq!(used.status, 204, "{}", used.body);
    let again =
        browser.post("/api/v1/password-reset", json!({"token": newer_token, "new_password": new_password})).await;
    assert_eq!((again.status, again.field("token").is_empty()), (422, false), "a link works once");

    assert_eq!(karens_laptop.get("/api/v1/session").await.status, 401, "signed out everywhere");
    let old = browser.post("/api/v1/session", json!({"username": "karen", "password": PASSWORD})).await;
    assert_eq!(old.status, 401, "the old password no longer works");
    let new = browser.post("/api/v1/session", json!({"username": "karen", "password": new_password})).await;
    assert_eq!(new.body["second_factor"], "totp_required", "the second factor stays: {}", new.body);

    let entries = crate::audit::log(&app).await;
    let resets: Vec<_> = entries
        .iter()
        .filter(|e| e.event.action == samvirke_domain::audit::AuditAction::CredentialReset)
        .map(|e| (e.event.actor, e.event.record_id))
        .collect();
    assert_eq!(
        resets,
        [(Some(ane.id), Some(karen.id.0)), (Some(ane.id), Some(karen.id.0)), (Some(karen.id), Some(karen.id.0))]
    );
    app.finish().await;
}

#[tokio::test]
async fn the_reset_link_opens_a_page_that_sets_the_new_password() {
    let app = TestApp::spawn().await;
    let (karen, ane) = karen_and_admin(&app).await;
    let issued = app.sign_in(&ane).await.post(&format!("/api/v1/users/{}/reset-link", karen.id), json!({})).await;
    let path = issued.str("/path");
    let token = path.strip_prefix("/reset-password?token=").unwrap().to_string();

    let browser = app.anonymous();
    let page = browser.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("<h1>Ny adgangskode</h1>"));
    assert!(page.text.contains(&format!("name=\"token\" value=\"{token}\"")));

    let new_password = "en helt ny adgangskode";
    let differ = browser
        .post_browser_form(
            "/reset-password",
            &[("token", &token), ("new_password", new_password), ("repeat", "noget andet")],
        )
        .await;
    assert_eq!(differ.status, 422);
    assert!(differ.text.contains("De to adgangskoder er ikke ens."), "{}", differ.text);
    let weak = browser
        .post_browser_form("/reset-password", &[("token", &token), ("new_password", "kort"), ("repeat", "kort")])
        .await;
    assert_eq!(weak.status, 422);
    assert!(weak.text.contains("Adgangskoden skal have mindst"), "{}", weak.text);

    let done = browser
        .post_browser_form(
            "/reset-password",
            &[("token", &token), ("new_password", new_password), ("repeat", new_password)],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert!(done.text.contains("Din adgangskode er skiftet."), "{}", done.text);
    let new = browser.post("/api/v1/session", json!({"username": "karen", "password": new_password})).await;
    assert_eq!(new.body["second_factor"], "totp_required", "{}", new.body);

    // The link works once.
    let again = browser
        .post_browser_form(
            "/reset-password",
            &[("token", &token), ("new_password", new_password), ("repeat", new_password)],
        )
        .await;
    assert_eq!(again.status, 422);
    assert!(again.text.contains("Linket virker ikke"), "{}", again.text);
    app.finish().await;
}
