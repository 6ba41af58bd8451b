use crate::support::{TestApp, World, terms};
use serde_json::json;

#[tokio::test]
async fn a_referral_is_received_with_its_first_terms_and_listed_by_filters() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let r = app.get(&format!("/api/v1/referrals/{}", w.referral)).await;
    assert_eq!(r.status, 200);
    assert_eq!((r.str("/state"), r.body["terms_version"].as_u64()), ("received".into(), Some(1)));
    assert_eq!(r.body["terms"]["work_goals"][1], "Mor forbereder samværet");
    assert_eq!(r.body["terms"]["visitation"]["recurrence"]["start"], "10:00:00");
    assert_eq!(r.body["terms"]["visitation"]["gifts"], "by_agreement", "the default permission");
    assert_eq!(r.body["terms"]["aimed_at"][0], json!({"kind": "family_member", "family_member_id": w.mother}));

    let by_case = app.get(&format!("/api/v1/referrals?case_id={}&state=received,accepted", w.case)).await;
    assert_eq!(by_case.items().len(), 1);
    let other_kind = app.get(&format!("/api/v1/referrals?case_id={}&intervention=home_support", w.case)).await;
    assert!(other_kind.items().is_empty());
    let bad = app.get("/api/v1/referrals?state=received,lost").await;
    assert_eq!(bad.field("state"), "Værdien er ikke tilladt her.");

    let versions = app.get(&format!("/api/v1/referrals/{}/versions", w.referral)).await;
    assert_eq!(versions.items().len(), 1);
    assert_eq!(versions.items()[0]["changed_by"], w.caseworker.as_str());
    assert!(versions.items()[0]["reason"].is_null());
    app.finish().await;
}

#[tokio::test]
async fn problems_deep_in_the_terms_are_named_by_their_path() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let mut t = terms(&w.mother);
    t["work_goals"] = json!(["Mor støtter Ida", "", "x".repeat(201)]);
    t["period"] = json!({"start": "2026-07-31", "end": "2026-02-01"});
    t["frequency"] = json!({"sessions": 20, "weeks": 9});
    t["aimed_at"] = json!([{"kind": "family_member", "family_member_id": "0190c2a4-0000-7000-8000-000000000000"}]);
    let body =
        json!({"case_id": w.case, "intervention": "supported_visitation", "caseworker_id": w.practitioner, "terms": t});
    let da = app.post("/api/v1/referrals", body.clone()).await;
    assert_eq!(da.status, 422);
    assert_eq!(da.field("terms.work_goals[1]"), "Skal udfyldes.");
    assert_eq!(da.field("terms.work_goals[2]"), "Må højst være 200 tegn.");
    assert_eq!(da.field("terms.period.end"), "Slutningen ligger før starten.");
    assert_eq!(da.field("terms.frequency.sessions"), "Skal være mellem 1 og 14.");
    assert_eq!(da.field("terms.frequency.weeks"), "Skal være mellem 1 og 8.");
    assert_eq!(da.field("caseworker_id"), "Værdien er ikke tilladt her.", "a practitioner does not order");
    let en = app.en().post("/api/v1/referrals", body).await;
    assert_eq!(en.field("terms.work_goals[2]"), "Must be at most 200 characters.");
    assert_eq!(en.field("terms.frequency.weeks"), "Must be between 1 and 8.");

    // Family members of another case are unknown here.
    let other = app
        .create(
            "/api/v1/cases",
            json!({"provider_id": w.provider, "municipality_id": w.municipality, "child": {"name": "Bo", "cpr": "0101104321"},
                   "family_members": [{"name": "Per", "relation": "father"}]}),
        )
        .await;
    let per =
        app.get(&format!("/api/v1/cases/{other}/family-members")).await.items()[0]["id"].as_str().unwrap().to_string();
    let cross = app
        .post(
            "/api/v1/referrals",
            json!({"case_id": w.case, "intervention": "supported_visitation", "caseworker_id": w.caseworker, "terms": terms(&per)}),
        )
        .await;
    assert_eq!(cross.field("terms.aimed_at[0].family_member_id"), "Findes ikke.");
    assert_eq!(cross.field("terms.visitation.may_attend[0]"), "Findes ikke.");
    app.finish().await;
}

#[tokio::test]
async fn changed_terms_are_a_new_version_and_a_stale_change_is_refused() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let path = format!("/api/v1/referrals/{}/versions", w.referral);
    let mut t = terms(&w.mother);
    t["ordered_hours"] = json!(60);
    let changed = app
        .post(&path, json!({"revision": 1, "reason": "Flere timer bevilget", "changed_by": w.caseworker, "terms": t}))
        .await;
    assert_eq!(changed.status, 201, "{}", changed.body);
    assert_eq!((changed.body["terms_version"].as_u64(), changed.body["revision"].as_u64()), (Some(2), Some(2)));
    assert_eq!(changed.body["terms"]["ordered_hours"], 60);

    let stale = app
        .post(&path, json!({"revision": 1, "reason": "Færre", "changed_by": w.caseworker, "terms": terms(&w.mother)}))
        .await;
    assert_eq!((stale.status, stale.code()), (409, "stale_revision"));

    let versions = app.get(&path).await;
    let hours: Vec<u64> = versions.items().iter().map(|v| v["terms"]["ordered_hours"].as_u64().unwrap()).collect();
    assert_eq!(hours, [40, 60]);
    assert_eq!(versions.items()[1]["reason"], "Flere timer bevilget");

    let no_reason =
        app.en().post(&path, json!({"revision": 2, "changed_by": w.caseworker, "terms": terms(&w.mother)})).await;
    assert_eq!(no_reason.field("reason"), "Required.");
    app.finish().await;
}
