//! The security headers, checked over real HTTP on every kind of answer.

use crate::support::{Answer, TestApp, World};

fn header<'a>(a: &'a Answer, name: &str) -> &'a str {
    a.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_else(|| panic!("no {name} on a {}", a.status))
}

fn assert_hardened(a: &Answer) {
    assert_eq!(
        header(a, "content-security-policy"),
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    );
    assert_eq!(header(a, "strict-transport-security"), "max-age=63072000; includeSubDomains");
    assert_eq!(header(a, "x-content-type-options"), "nosniff");
    assert_eq!(header(a, "referrer-policy"), "no-referrer");
    assert_eq!(header(a, "cache-control"), "no-store");
    assert!(header(a, "permissions-policy").contains("camera=()"));
    assert_eq!(header(a, "cross-origin-opener-policy"), "same-origin");
    assert_eq!(header(a, "cross-origin-resource-policy"), "same-origin");
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let public = app.anonymous().get("/api/v1/catalogue").await;
    assert_eq!(public.status, 200);
    let health = app.anonymous().get("/healthz").await;
    assert_eq!(health.status, 200);
    let unauthorized = app.anonymous().get(&format!("/api/v1/cases/{}", w.case)).await;
    assert_eq!((unauthorized.status, unauthorized.code()), (401, "unauthorized"));
    let invalid = app.post("/api/v1/municipalities", serde_json::json!({"code": 1})).await;
    assert_eq!(invalid.status, 422);
    let no_route = app.anonymous().get("/api/v1/nothing-here").await;
    assert_eq!((no_route.status, no_route.code()), (404, "not_found"));
    let case = app.get(&format!("/api/v1/cases/{}", w.case)).await;
    assert_eq!(case.status, 200);
    for a in [&public, &health, &unauthorized, &invalid, &no_route, &case] {
        assert_hardened(a);
    }
    app.finish().await;
}

#[test]
fn pages_get_a_policy_of_their_own_origin() {
    use samvirke_web::middleware::{ResponseKind, content_security_policy};
    let page = content_security_policy(ResponseKind::Page);
    assert!(page.starts_with("default-src 'self'") && page.contains("frame-ancestors 'none'"));
    assert!(content_security_policy(ResponseKind::Api).starts_with("default-src 'none'"));
}
