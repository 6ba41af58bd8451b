use crate::support::TestApp;

#[tokio::test]
async fn healthz_answers_ok_and_readyz_answers_200_when_the_database_answers() {
    let app = TestApp::spawn().await;
    let alive = app.get("/healthz").await;
    assert_eq!((alive.status, alive.text.as_str()), (200, "ok"));
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, 200, "{}", ready.text);

    app.fail_on("ping");
    let down = app.en().get("/readyz").await;
    assert_eq!((down.status, down.code()), (503, "unavailable"));
    assert_eq!(down.str("/error/message"), "The service is temporarily unavailable. Try again shortly.");
    assert!(!down.text.contains("outage"));
    assert_eq!(app.get("/healthz").await.status, 200, "alive while the database is down");
    app.finish().await;
}

#[tokio::test]
async fn the_openapi_document_is_served_and_gzipped_when_asked() {
    let app = TestApp::spawn().await;
    let doc = app.get("/api/openapi.json").await;
    assert_eq!(doc.status, 200);
    assert_eq!(doc.body["openapi"], "3.1.0");
    assert_eq!(doc.body["info"]["title"], "Samvirke API");
    let zipped = app.get_with("/api/openapi.json", &[("accept-encoding", "gzip")]).await;
    assert_eq!(zipped.content_encoding.as_deref(), Some("gzip"));
    app.finish().await;
}
