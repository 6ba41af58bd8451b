use crate::support::{CPR, CPR_DIGITS, TestApp, World, captured_logs};
use serde_json::json;

#[tokio::test]
async fn no_response_or_log_line_carries_a_full_cpr_number() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let mut answers = vec![
        app.get(&format!("/api/v1/cases/{}", w.case)).await,
        app.get("/api/v1/cases").await,
        app.post("/api/v1/cases/search", json!({"provider_id": w.provider, "cpr": CPR})).await,
        app.post("/api/v1/cases/search", json!({"provider_id": w.provider, "cpr": CPR_DIGITS})).await,
        // Refused requests echo nothing of the input either.
        app.post(
            "/api/v1/cases",
            json!({"provider_id": w.provider, "municipality_id": w.municipality, "child": {"name": "Ida", "cpr": CPR}}),
        )
        .await,
        app.post("/api/v1/cases", json!({"provider_id": "x", "child": {"name": "", "cpr": CPR}})).await,
        app.en().post("/api/v1/cases/search", json!({"provider_id": w.provider, "cpr": "150614-41270"})).await,
    ];
    answers.push(app.send_raw("/api/v1/cases", "application/json", r#"{"child": {"cpr": 1506144127}}"#).await);
    answers.push(app.send_raw("/api/v1/cases", "application/json", r#"{"child": {"cpr": "1506144127"#).await);
    assert!(answers.iter().any(|a| a.text.contains("150614-xxxx")), "the masked number is shown");
    for a in &answers {
        assert!(!a.text.contains(CPR_DIGITS) && !a.text.contains(CPR) && !a.text.contains("4127"), "{}", a.text);
    }
    app.finish().await;

    let logs = captured_logs();
    assert!(logs.contains("/api/v1/cases/{id}"), "requests are logged by route template");
    assert!(!logs.contains(CPR_DIGITS) && !logs.contains(CPR), "a log line carries a CPR number");
    assert!(!logs.contains("Ida Sørensen"), "a log line carries a name");
    assert!(!logs.contains(&format!("/api/v1/cases/{}", w.case)), "a log line carries a raw URI");
}
