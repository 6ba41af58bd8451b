//! The web pages through the router, with the real SQLite test store: the
//! sign-in page, the start page of a real session, the language switch, and
//! the dkfds assets.

use crate::support::{Answer, TestApp, World};
use samvirke_domain::organisation::StaffRole;
use samvirke_domain::user::{Role, Subject};
use samvirke_domain::*;

fn header<'a>(a: &'a Answer, name: &str) -> &'a str {
    a.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_else(|| panic!("no {name} on a {}", a.status))
}

fn is_page(a: &Answer, lang: &str) {
    assert_eq!(a.status, 200, "{}", a.text);
    assert!(header(a, "content-type").starts_with("text/html"));
    assert!(a.text.contains(&format!("<html lang=\"{lang}\">")), "{}", a.text);
    assert_eq!(header(a, "content-language"), lang);
    assert!(header(a, "content-security-policy").starts_with("default-src 'self'"));
    assert_eq!(header(a, "cache-control"), "no-store");
    assert!(a.text.contains("<main id=\"main-content\""));
    assert!(a.text.contains("class=\"skipnav\" href=\"#main-content\""));
    assert!(a.text.contains("/assets/dkfds/css/dkfds.min.css"));
}

#[tokio::test]
async fn the_sign_in_page_is_danish_by_default_and_english_when_asked() {
    let app = TestApp::spawn().await;
    let browser = app.anonymous();
    let da = browser.get("/sign-in").await;
    is_page(&da, "da");
    assert!(da.text.contains("<h1>Log ind</h1>"));
    assert!(da.text.contains("Brugernavn") && da.text.contains("Adgangskode"));
    assert!(da.text.contains("<script src=\"/assets/pages/sign-in.js\" defer>"));
    assert!(da.headers.get("set-cookie").is_none());

    let en = browser.get("/sign-in?lang=en").await;
    is_page(&en, "en");
    assert!(en.text.contains("<h1>Sign in</h1>"));
    assert!(en.text.contains("Username") && !en.text.contains("Brugernavn"));
    let cookie = header(&en, "set-cookie");
    assert!(cookie.starts_with("samvirke_lang=en;") && cookie.contains("SameSite=Lax"), "{cookie}");

    // The cookie keeps the language; the query changes it back; the browser's preference counts without either.
    let kept = browser.get_with("/sign-in", &[("cookie", "samvirke_lang=en")]).await;
    is_page(&kept, "en");
    let back = browser.get_with("/sign-in?lang=da", &[("cookie", "samvirke_lang=en")]).await;
    is_page(&back, "da");
    assert!(back.text.contains("<h1>Log ind</h1>"));
    is_page(&browser.get_with("/sign-in", &[("accept-language", "en-GB")]).await, "en");
    app.finish().await;
}

fn location(a: &Answer) -> &str {
    assert_eq!(a.status, 303, "{}", a.text);
    header(a, "location")
}

#[tokio::test]
async fn the_start_page_sends_each_role_to_its_work_and_greets_the_others() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let staff: StaffId = w.coordinator.parse().unwrap();
    let karen = app.add_user("karen", Role::Staff(StaffRole::Coordinator), Subject::Staff(staff), true).await;
    let admin_staff =
        crate::support::add_provider_staff(&app, w.provider.parse().unwrap(), StaffRole::Admin, "Ada Admin").await;
    let ada = app.add_user("ada", Role::Staff(StaffRole::Admin), Subject::Staff(admin_staff), true).await;

    // Without a session a browser is sent to sign in.
    assert_eq!(location(&app.anonymous().get("/").await), "/sign-in");
    assert_eq!(location(&app.anonymous().get("/overview").await), "/sign-in");

    let coordinator = app.sign_in(&karen).await;
    assert_eq!(location(&coordinator.get("/").await), "/overview");
    // Signed in, the sign-in page leads on to the start page.
    assert_eq!(location(&coordinator.get("/sign-in").await), "/");

    let admin = app.sign_in(&ada).await;
    let da = admin.get("/").await;
    is_page(&da, "da");
    assert!(da.text.contains("<h1>Velkommen, Bruger ada</h1>"), "{}", da.text);
    assert!(da.text.contains("Du er logget ind som administrator."));
    assert!(da.text.contains("<button class=\"button button-secondary\" type=\"submit\">Log ud</button>"));
    let en = admin.get("/?lang=en").await;
    is_page(&en, "en");
    assert!(en.text.contains("<h1>Welcome, Bruger ada</h1>"));
    assert!(en.text.contains("You are signed in as administrator."));
    app.finish().await;
}

#[tokio::test]
async fn the_assets_are_served_with_long_cache_lifetimes_and_only_from_their_folder() {
    let app = TestApp::spawn().await;
    let browser = app.anonymous();
    let css = browser.get("/assets/dkfds/css/dkfds.min.css").await;
    assert_eq!(css.status, 200, "run scripts/assets first");
    assert_eq!(header(&css, "content-type"), "text/css; charset=utf-8");
    assert_eq!(header(&css, "cache-control"), "public, max-age=31536000, immutable");
    let js = browser.get("/assets/pages/sign-in.js").await;
    assert_eq!(js.status, 200);
    assert_eq!(header(&js, "content-type"), "text/javascript; charset=utf-8");
    assert!(js.text.contains("/api/v1/session/totp"));
    let htmx = browser.get("/assets/htmx/htmx.min.js").await;
    assert_eq!(htmx.status, 200, "run scripts/assets first");
    assert_eq!(header(&htmx, "content-type"), "text/javascript; charset=utf-8");
    let css = browser.get("/assets/pages/samvirke.css").await;
    assert_eq!(header(&css, "content-type"), "text/css; charset=utf-8");

    for missing in ["/assets/dkfds/css/nothing.css", "/assets/dkfds/..%2F..%2Fpackage.json", "/assets/pages/other.js"] {
        let a = browser.get(missing).await;
        assert_eq!(a.status, 404, "{missing}");
        assert_eq!(header(&a, "cache-control"), "no-store");
    }
    app.finish().await;
}

#[tokio::test]
async fn a_missing_assets_folder_is_a_clear_404() {
    let config =
        samvirke_web::Config { assets_dir: "/nonexistent/node_modules".into(), ..crate::support::test_config() };
    let app = TestApp::builder().config(config).spawn().await;
    let a = app.anonymous().get("/assets/dkfds/css/dkfds.min.css").await;
    assert_eq!(a.status, 404);
    assert_eq!(a.code(), "not_found");
    app.finish().await;
}

#[tokio::test]
async fn the_overview_shows_each_line_only_to_whom_its_case_belongs_and_logs_the_look() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let other = World::create_as(&app, 661, "Holstebro Kommune", "010218-4345").await;
    let karen = app
        .add_user("karen", Role::Staff(StaffRole::Coordinator), Subject::Staff(w.coordinator.parse().unwrap()), true)
        .await;
    let jonas = app
        .add_user("jonas", Role::Staff(StaffRole::Practitioner), Subject::Staff(w.practitioner.parse().unwrap()), true)
        .await;
    let elsewhere = app
        .add_user("lis", Role::Staff(StaffRole::Coordinator), Subject::Staff(other.coordinator.parse().unwrap()), true)
        .await;
    let caseworker = app
        .add_user("sara", Role::Staff(StaffRole::Caseworker), Subject::Staff(w.caseworker.parse().unwrap()), true)
        .await;

    // The coordinator of the case's provider sees the new order.
    let coordinator = app.sign_in(&karen).await;
    let page = coordinator.get("/overview").await;
    is_page(&page, "da");
    assert!(page.text.contains("Ida Sørensen"), "{}", page.text);
    assert!(page.text.contains(&format!("href=\"/referrals/{}\"", w.referral)));
    // A practitioner not on the case, and a coordinator of another provider, do not.
    for user in [&jonas, &elsewhere] {
        let page = app.sign_in(user).await.get("/overview").await;
        is_page(&page, "da");
        assert!(!page.text.contains(&w.referral), "{} sees the order", user.username);
    }
    // A caseworker has no overview: a page that says so, not JSON.
    let refused = app.sign_in(&caseworker).await.get("/overview").await;
    assert_eq!(refused.status, 403);
    assert!(header(&refused, "content-type").starts_with("text/html"));
    assert!(refused.text.contains("Du har ikke adgang til dette."), "{}", refused.text);

    // The look is in the case's access log, as a search from the overview.
    let log = coordinator.get(&format!("/api/v1/cases/{}/access-log", w.case)).await;
    assert_eq!(log.status, 200, "{}", log.body);
    let entry = log.items().iter().find(|e| e["route"] == "/overview").cloned();
    let entry = entry.unwrap_or_else(|| panic!("the overview is not in the log: {}", log.body));
    assert_eq!(entry["action"], "search");
    assert_eq!(entry["who"]["name"], "Bruger karen");
    app.finish().await;
}

#[tokio::test]
async fn a_form_without_the_sessions_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let karen = app
        .add_user("karen", Role::Staff(StaffRole::Coordinator), Subject::Staff(w.coordinator.parse().unwrap()), true)
        .await;
    let browser = app.sign_in(&karen).await;
    let path = format!("/referrals/{}/accept", w.referral);
    let fields =
        [("revision", "1"), ("coordinator_id", w.coordinator.as_str()), ("practitioner_id", w.practitioner.as_str())];

    for token in [None, Some("forged")] {
        let mut with = fields.to_vec();
        if let Some(t) = token {
            with.push(("csrf_token", t));
        }
        let refused = browser.post_browser_form(&path, &with).await;
        assert_eq!(refused.status, 403, "{token:?}: {}", refused.text);
        let referral = app.get(&format!("/api/v1/referrals/{}", w.referral)).await;
        assert_eq!(referral.body["state"], "received", "nothing changed");
    }

    let csrf = browser.csrf();
    let mut with = fields.to_vec();
    with.push(("csrf_token", csrf.as_str()));
    let accepted = browser.post_browser_form(&path, &with).await;
    assert_eq!(accepted.status, 303, "{}", accepted.text);
    assert_eq!(header(&accepted, "location"), format!("/referrals/{}?done=accepted", w.referral));
    let referral = app.get(&format!("/api/v1/referrals/{}", w.referral)).await;
    assert_eq!(referral.body["state"], "accepted");
    assert_eq!(referral.body["practitioner_ids"], serde_json::json!([w.practitioner]));

    // Accepting it again is refused by the referral's lifecycle: the page
    // is shown again with the rule, in the page's language.
    let mut with: Vec<(&str, &str)> = with.into_iter().filter(|(k, _)| *k != "revision").collect();
    with.push(("revision", "2"));
    let again = browser.post_browser_form(&path, &with).await;
    assert_eq!(again.status, 409, "{}", &again.text[again.text.find("<main").unwrap_or(0)..]);
    assert!(header(&again, "content-type").starts_with("text/html"));
    assert!(again.text.contains("id=\"rule-explanation\""), "{}", again.text);
    app.finish().await;
}
