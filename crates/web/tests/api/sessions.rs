//! Sign-in and sessions, for real: accounts with Argon2id passwords and TOTP
//! secrets in the store, the session cookie over HTTP, CSRF tokens.

use crate::support::{Answer, PASSWORD, TestApp, World, session_of, test_config};
use samvirke_domain::organisation::StaffRole;
use samvirke_domain::user::{Role, Subject};
use samvirke_domain::*;
use samvirke_web::Config;
use serde_json::json;

fn header<'a>(a: &'a Answer, name: &str) -> &'a str {
    a.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_else(|| panic!("no {name} on a {}", a.status))
}

async fn coordinator(app: &TestApp, w: &World, totp: bool) -> crate::support::TestUser {
    let staff: StaffId = w.coordinator.parse().unwrap();
    app.add_user("karen", Role::Staff(StaffRole::Coordinator), Subject::Staff(staff), totp).await
}

#[tokio::test]
async fn a_member_of_staff_signs_in_with_password_and_totp() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let karen = coordinator(&app, &w, true).await;
    let browser = app.anonymous();
    let case = format!("/api/v1/cases/{}", w.case);

    let wrong = browser.post("/api/v1/session", json!({"username": "karen", "password": "forkert forkert"})).await;
    assert_eq!((wrong.status, wrong.code()), (401, "sign_in_failed"));
    assert!(wrong.headers.get("set-cookie").is_none());

    let first = browser.post("/api/v1/session", json!({"username": "Karen", "password": PASSWORD})).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.body["signed_in"], false);
    assert_eq!(first.body["second_factor"], "totp_required");
    assert!(first.body.get("user").is_none(), "nothing about the account before the second factor");
    let pending = app.with_session(session_of(&first));
    assert_eq!(pending.get(&case).await.status, 401, "a session waiting for its second factor is nobody");
    assert_eq!(pending.get("/api/v1/session").await.body["second_factor"], "totp_required");

    let no_csrf = pending.without_csrf().post("/api/v1/session/totp", json!({"code": "123456"})).await;
    assert_eq!((no_csrf.status, no_csrf.code()), (403, "csrf"));
    let code = karen.code();
    let wrong_code = if code == "000000" { "000001" } else { "000000" };
    let refused = pending.post("/api/v1/session/totp", json!({"code": wrong_code})).await;
    assert_eq!((refused.status, refused.code()), (401, "sign_in_failed"));
    let done = pending.post("/api/v1/session/totp", json!({"code": code})).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.body["signed_in"], true);
    assert_eq!(done.body["user"], json!({"display_name": "Bruger karen", "role": "coordinator"}));
    let signed_in = app.with_session(session_of(&done));
    assert_ne!(
        signed_in.session().unwrap().token,
        pending.session().unwrap().token,
        "a new token after the second factor"
    );
    assert_eq!(pending.get("/api/v1/session").await.status, 401, "the pending session is gone");

    let read = signed_in.get(&case).await;
    assert_eq!(read.status, 200, "{}", read.body);
    let me = signed_in.get("/api/v1/session").await;
    assert_eq!(me.body["csrf_token"], done.body["csrf_token"], "the same CSRF token for the session's life");

    // The same code again, in another sign-in: refused as a replay.
    let again = browser.post("/api/v1/session", json!({"username": "karen", "password": PASSWORD})).await;
    let replay = app.with_session(session_of(&again)).post("/api/v1/session/totp", json!({"code": code})).await;
    assert_eq!((replay.status, replay.code()), (401, "sign_in_failed"));
    app.finish().await;
}

#[tokio::test]
async fn a_member_of_staff_without_a_second_factor_enrols_one_first() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let mut karen = coordinator(&app, &w, false).await;
    let first = app.anonymous().post("/api/v1/session", json!({"username": "karen", "password": PASSWORD})).await;
    assert_eq!(first.body["second_factor"], "enrolment_required", "{}", first.body);
    let pending = app.with_session(session_of(&first));
    assert_eq!(pending.get(&format!("/api/v1/cases/{}", w.case)).await.status, 401);
    let unconfirmed = pending.post("/api/v1/session/totp/confirm", json!({"code": "123456"})).await;
    assert_eq!(unconfirmed.status, 422);

    let enrolled = pending.post("/api/v1/session/totp/enrol", json!({})).await;
    assert_eq!(enrolled.status, 200, "{}", enrolled.body);
    let secret = enrolled.str("/secret");
    assert!(enrolled.str("/otpauth_uri").starts_with("otpauth://totp/Samvirke:karen?secret="));
    karen.totp = Some(samvirke_auth::TotpSecret::from_base32(&secret).unwrap());
    let confirmed = pending.post("/api/v1/session/totp/confirm", json!({"code": karen.code()})).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    assert_eq!(confirmed.body["signed_in"], true);
    let codes: Vec<String> =
        confirmed.body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    assert_eq!(codes.len(), 10);
    let signed_in = app.with_session(session_of(&confirmed));
    assert_eq!(signed_in.get(&format!("/api/v1/cases/{}", w.case)).await.status, 200);
    assert_eq!(signed_in.post("/api/v1/session/totp/enrol", json!({})).await.status, 403, "enrolled already");

    // From now on the second factor is asked for; a recovery code works once.
    for round in 0..2 {
        let next = app.anonymous().post("/api/v1/session", json!({"username": "karen", "password": PASSWORD})).await;
        assert_eq!(next.body["second_factor"], "totp_required");
        let by_code =
            app.with_session(session_of(&next)).post("/api/v1/session/totp", json!({"recovery_code": codes[3]})).await;
        assert_eq!(by_code.status, if round == 0 { 200 } else { 401 }, "round {round}: {}", by_code.body);
    }
    app.finish().await;
}

#[tokio::test]
async fn five_failures_lock_the_account_and_the_sixth_attempt_is_refused_even_with_the_right_password() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let _karen = coordinator(&app, &w, true).await;
    let browser = app.anonymous();
    let unknown = browser.post("/api/v1/session", json!({"username": "nobody", "password": PASSWORD})).await;
    for i in 0..5 {
        let a = browser
            .post("/api/v1/session", json!({"username": "karen", "password": format!("forkert {i} forkert")}))
            .await;
        assert_eq!((a.status, a.code()), (401, "sign_in_failed"), "attempt {i}");
    }
    let locked = browser.post("/api/v1/session", json!({"username": "karen", "password": PASSWORD})).await;
    assert_eq!((locked.status, locked.code()), (401, "sign_in_failed"));
    assert_eq!(locked.body, unknown.body, "a locked account answers as an unknown one");
    assert!(locked.headers.get("set-cookie").is_none());
    app.finish().await;
}

#[tokio::test]
async fn the_rate_limiter_answers_429_with_retry_after() {
    let app = TestApp::builder().config(Config { ..Config::default() }).spawn().await;
    let browser = app.anonymous();
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(browser.post("/api/v1/session", json!({"username": "nobody", "password": PASSWORD})).await);
    }
    let codes: Vec<u16> = statuses.iter().map(|a| a.status).collect();
    assert_eq!(codes, [401, 401, 401, 401, 401, 429], "a burst of five");
    let limited = statuses.last().unwrap();
    assert_eq!(limited.code(), "too_many_requests");
    assert!(header(limited, "retry-after").parse::<u64>().unwrap() >= 1);
    app.finish().await;
}

#[tokio::test]
async fn a_state_changing_request_without_the_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let karen = coordinator(&app, &w, true).await;
    let signed_in = app.sign_in(&karen).await;
    let path = format!("/api/v1/cases/{}/journal-entries", w.case);
    let entry = json!({"kind": "note", "body": "Telefonsamtale med mor."});
    let missing = signed_in.without_csrf().post(&path, entry.clone()).await;
    assert_eq!((missing.status, missing.code()), (403, "csrf"));
    let mut wrong = signed_in.session().unwrap().clone();
    wrong.csrf = Some(samvirke_auth::CsrfToken::generate().reveal());
    let forged = app.with_session(wrong).post(&path, entry.clone()).await;
    assert_eq!((forged.status, forged.code()), (403, "csrf"));
    assert!(signed_in.get(&path).await.items().is_empty(), "nothing was written");
    assert_eq!(signed_in.post(&path, entry).await.status, 201);
    // Reads need no token; signing in needs none, but refuses another site's Origin.
    assert_eq!(signed_in.without_csrf().get(&path).await.status, 200);
    let cross = app
        .anonymous()
        .send_with(
            "/api/v1/session",
            json!({"username": "karen", "password": PASSWORD}),
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(cross.status, 403);
    app.finish().await;
}

#[tokio::test]
async fn an_idle_session_ends_with_401_and_is_deleted() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let karen = coordinator(&app, &w, true).await;
    let signed_in = app.sign_in(&karen).await;
    let token = samvirke_auth::SessionToken::parse(&signed_in.session().unwrap().token).unwrap();
    let hash = token.hash();
    let mut tx = app.store().begin().await.unwrap();
    let mut record = tx.session(&hash).await.unwrap();
    assert_eq!(record.user_id, karen.id);
    record.last_seen_at -= jiff::SignedDuration::from_mins(30);
    tx.update_session(&record).await.unwrap();
    tx.commit().await.unwrap();
    let a = signed_in.get(&format!("/api/v1/cases/{}", w.case)).await;
    assert_eq!((a.status, a.code()), (401, "unauthorized"));
    let mut tx = app.store().begin_read().await.unwrap();
    assert!(matches!(tx.session(&hash).await, Err(samvirke_store::StoreError::NotFound)), "the row is deleted");
    drop(tx);
    app.finish().await;
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_the_account() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let karen = coordinator(&app, &w, true).await;
    let laptop = app.sign_in(&karen).await;
    let phone = app.sign_in(&karen).await;
    let case = format!("/api/v1/cases/{}", w.case);
    assert_eq!((laptop.get(&case).await.status, phone.get(&case).await.status), (200, 200));
    let out = phone.delete("/api/v1/session/all").await;
    assert_eq!(out.status, 204, "{}", out.body);
    assert!(header(&out, "set-cookie").contains("Max-Age=0"));
    assert_eq!((laptop.get(&case).await.status, phone.get(&case).await.status), (401, 401));
    app.finish().await;
}

#[tokio::test]
async fn signing_out_ends_this_session_only() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let karen = coordinator(&app, &w, true).await;
    let laptop = app.sign_in(&karen).await;
    let phone = app.sign_in(&karen).await;
    assert_eq!(laptop.without_csrf().delete("/api/v1/session").await.status, 403, "sign-out needs the token too");
    assert_eq!(laptop.delete("/api/v1/session").await.status, 204);
    assert_eq!(laptop.get("/api/v1/session").await.status, 401);
    assert_eq!(phone.get("/api/v1/session").await.status, 200);
    app.finish().await;
}

#[tokio::test]
async fn the_session_cookie_is_http_only_secure_and_strict_on_the_wire() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let _karen = coordinator(&app, &w, true).await;
    let a = app.anonymous().post("/api/v1/session", json!({"username": "karen", "password": PASSWORD})).await;
    let cookie = header(&a, "set-cookie");
    assert!(cookie.starts_with("samvirke_session="), "{cookie}");
    let flags: Vec<&str> = cookie.split(';').skip(1).map(str::trim).collect();
    for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(flags.contains(&flag), "{flag} missing from {cookie}");
    }
    assert!(!flags.iter().any(|f| f.starts_with("Domain") || f.starts_with("Max-Age")), "{cookie}");
    assert_eq!(header(&a, "cache-control"), "no-store");
    // A development server may leave out Secure.
    let dev = TestApp::builder().config(Config { secure_cookies: false, ..test_config() }).spawn().await;
    let w = World::create(&dev).await;
    let _karen = coordinator(&dev, &w, true).await;
    let a = dev.anonymous().post("/api/v1/session", json!({"username": "karen", "password": PASSWORD})).await;
    assert!(!header(&a, "set-cookie").contains("Secure"));
    dev.finish().await;
    app.finish().await;
}

#[tokio::test]
async fn a_parent_signs_in_without_a_second_factor_and_sees_the_family_view_only() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let mother: FamilyMemberId = w.mother.parse().unwrap();
    let lene = app.add_user("lene", Role::Parent, Subject::FamilyMember(mother), false).await;
    let parent = app.sign_in(&lene).await;
    let me = parent.get("/api/v1/session").await;
    assert_eq!(me.body["user"]["role"], "parent");
    assert_eq!(parent.get(&format!("/api/v1/cases/{}/family-view", w.case)).await.status, 200);
    assert_eq!(parent.get(&format!("/api/v1/cases/{}", w.case)).await.status, 403);
    app.finish().await;
}
