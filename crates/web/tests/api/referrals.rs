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
    assert_eq!(versions.items()[0]["changed_by"], w.caseworker.as_str(), "the signed-in caseworker ordered it");
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
    let body = json!({"case_id": w.case, "intervention": "supported_visitation", "terms": t});
    let da = app.post("/api/v1/referrals", body.clone()).await;
    assert_eq!(da.status, 422);
    assert_eq!(da.field("terms.work_goals[1]"), "Skal udfyldes.");
    assert_eq!(da.field("terms.work_goals[2]"), "Må højst være 200 tegn.");
    assert_eq!(da.field("terms.period.end"), "Slutningen ligger før starten.");
    assert_eq!(da.field("terms.frequency.sessions"), "Skal være mellem 1 og 14.");
    assert_eq!(da.field("terms.frequency.weeks"), "Skal være mellem 1 og 8.");
    assert_eq!(da.fields().len(), 5, "the ordering caseworker is not an input: {:?}", da.fields());
    w.activate(&app).await;
    let practitioner = w.as_practitioner(&app).post("/api/v1/referrals", body.clone()).await;
    assert_eq!(practitioner.status, 403, "a practitioner does not order: {}", practitioner.body);
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
            json!({"case_id": w.case, "intervention": "supported_visitation", "terms": terms(&per)}),
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
    let changed = app.post(&path, json!({"revision": 1, "reason": "Flere timer bevilget", "terms": t})).await;
    assert_eq!(changed.status, 201, "{}", changed.body);
    assert_eq!((changed.body["terms_version"].as_u64(), changed.body["revision"].as_u64()), (Some(2), Some(2)));
    assert_eq!(changed.body["terms"]["ordered_hours"], 60);

    let stale = app.post(&path, json!({"revision": 1, "reason": "Færre", "terms": terms(&w.mother)})).await;
    assert_eq!((stale.status, stale.code()), (409, "stale_revision"));

    let versions = app.get(&path).await;
    let hours: Vec<u64> = versions.items().iter().map(|v| v["terms"]["ordered_hours"].as_u64().unwrap()).collect();
    assert_eq!(hours, [40, 60]);
    assert_eq!(versions.items()[1]["reason"], "Flere timer bevilget");

    let no_reason = app.en().post(&path, json!({"revision": 2, "terms": terms(&w.mother)})).await;
    assert_eq!(no_reason.field("reason"), "Required.");
    app.finish().await;
}

#[tokio::test]
async fn a_referral_moves_along_its_lifecycle_and_offers_only_the_next_steps() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let path = format!("/api/v1/referrals/{}", w.referral);
    let r = app.get(&path).await;
    assert_eq!(r.body["allowed_actions"], json!(["accept", "reject", "change_terms"]));

    // Activating a received referral skips a step: refused, and nothing changes.
    let skip = app.post(&format!("{path}/activate"), json!({"revision": 1})).await;
    assert_eq!((skip.status, skip.code(), skip.str("/error/rule/rule")), (409, "rule", "referral_lifecycle".into()));
    assert_eq!(skip.str("/error/message"), "Det kan man ikke, når bestillingen er modtaget. (leverandørens procedure)");
    assert!(skip.body["error"]["rule"]["sections"].as_array().unwrap().is_empty());
    let en = app.en().post(&format!("{path}/activate"), json!({"revision": 1})).await;
    assert_eq!(
        en.str("/error/message"),
        "That is not possible while the referral is received. (the provider's procedure)"
    );
    assert_eq!(en.str("/error/rule/way_forward"), "Choose one of the actions the referral offers now.");
    assert_eq!(app.get(&path).await.body["revision"], 1);

    // Who is assigned is checked field by field (422); how many, by the domain (409).
    let bad = app
        .en()
        .post(
            &format!("{path}/accept"),
            json!({"revision": 1, "coordinator_id": w.practitioner, "practitioner_ids": [w.coordinator, w.caseworker, "x"]}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.field("coordinator_id"), "This value is not allowed here.");
    assert_eq!(bad.field("practitioner_ids[0]"), "This value is not allowed here.");
    assert_eq!(bad.field("practitioner_ids[1]"), "This value is not allowed here.");
    assert_eq!(bad.field("practitioner_ids[2]"), "Must be a valid id (a UUID).");
    let none = app
        .post(
            &format!("{path}/accept"),
            json!({"revision": 1, "coordinator_id": w.coordinator, "practitioner_ids": []}),
        )
        .await;
    assert_eq!((none.status, none.str("/error/rule/rule")), (409, "accept_needs_assignment".into()));
    assert!(none.str("/error/message").starts_with("Der er bestilt 1 medarbejder(e); der er tildelt 0."));
    let stale = app
        .post(
            &format!("{path}/accept"),
            json!({"revision": 7, "coordinator_id": w.coordinator, "practitioner_ids": [w.practitioner]}),
        )
        .await;
    assert_eq!((stale.status, stale.code()), (409, "stale_revision"));
    let accepted = app
        .post(
            &format!("{path}/accept"),
            json!({"revision": 1, "coordinator_id": w.coordinator, "practitioner_ids": [w.practitioner]}),
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    assert_eq!((accepted.str("/state"), accepted.str("/coordinator_id")), ("accepted".into(), w.coordinator.clone()));
    assert_eq!(accepted.body["practitioner_ids"], json!([w.practitioner]));
    assert_eq!(accepted.body["allowed_actions"], json!(["activate", "close", "change_terms"]));
    let reject = app.post(&format!("{path}/reject"), json!({"revision": 2, "reason": "For sent"})).await;
    assert_eq!(reject.str("/error/rule/rule"), "referral_lifecycle");

    let active = app.post(&format!("{path}/activate"), json!({"revision": 2})).await;
    assert_eq!((active.str("/state"), active.body["revision"].as_u64()), ("active".into(), Some(3)));
    assert_eq!(active.body["allowed_actions"], json!(["begin_ending", "change_terms"]));
    let ending = app.post(&format!("{path}/begin-ending"), json!({"revision": 3})).await;
    assert_eq!(ending.str("/state"), "ending");

    // An ending course closes only once the closing letter is sent.
    let close = app.post(&format!("{path}/close"), json!({"revision": 4})).await;
    assert_eq!((close.status, close.str("/error/rule/rule")), (409, "closing_letter_before_closing".into()));
    assert_eq!(
        close.str("/error/message"),
        "Et forløb afsluttes først, når den afsluttende statusskrivelse er sendt til sagsbehandleren. (leverandørens procedure)"
    );
    assert_eq!(app.get(&path).await.str("/state"), "ending");
    let letter = app
        .create(
            "/api/v1/documents",
            json!({"referral_id": w.referral, "kind": "closing_letter", "title": "Afslutning", "body": "Forløbet er slut.",
                   "child_views": "Ida siger, at det har været godt."}),
        )
        .await;
    let doc = format!("/api/v1/documents/{letter}");
    assert_eq!(app.post(&format!("{doc}/submit"), json!({"revision": 1})).await.status, 200);
    assert_eq!(app.post(&format!("{doc}/approve"), json!({"revision": 2})).await.status, 200);
    assert_eq!(app.put(&format!("{doc}/family-review"), json!({"version": 1})).await.status, 200);
    let sent = app.post(&format!("{doc}/send"), json!({"revision": 3})).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let closed = app.post(&format!("{path}/close"), json!({"revision": 4})).await;
    assert_eq!((closed.status, closed.str("/state")), (200, "closed".into()));
    assert_eq!(closed.body["allowed_actions"], json!([]));
    let terms_after = app
        .post(&format!("{path}/versions"), json!({"revision": 5, "reason": "Forlænget", "terms": terms(&w.mother)}))
        .await;
    assert_eq!(terms_after.str("/error/rule/rule"), "terms_change_as_new_version");
    assert!(terms_after.str("/error/message").ends_with("(BL § 104, stk. 2)"));
    assert_eq!(app.get(&format!("{path}/versions")).await.items().len(), 1);
    app.finish().await;
}

#[tokio::test]
async fn an_order_without_goals_or_a_rejection_without_reason_is_refused_by_its_rule() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let mut t = terms(&w.mother);
    t["work_goals"] = json!([]);
    let body = json!({"case_id": w.case, "intervention": "supported_visitation", "terms": t});
    let no_goals = app.post("/api/v1/referrals", body).await;
    assert_eq!((no_goals.status, no_goals.str("/error/rule/rule")), (409, "order_states_purpose".into()));
    assert_eq!(
        no_goals.str("/error/message"),
        "Bestillingen har ingen arbejdsmål. (BL § 32, stk. 3 og BL § 104, stk. 2)"
    );
    assert_eq!(no_goals.body["error"]["rule"]["sections"], json!(["BL § 32, stk. 3", "BL § 104, stk. 2"]));
    let mut t = terms(&w.mother);
    t["aimed_at"] = json!([]);
    let body = json!({"case_id": w.case, "intervention": "supported_visitation", "terms": t});
    let nobody = app.en().post("/api/v1/referrals", body).await;
    assert!(nobody.str("/error/message").starts_with("The order does not say whom the support is aimed at."));
    assert_eq!(app.get(&format!("/api/v1/referrals?case_id={}", w.case)).await.items().len(), 1);

    let path = format!("/api/v1/referrals/{}", w.referral);
    let silent = app.post(&format!("{path}/reject"), json!({"revision": 1, "reason": "  "})).await;
    assert_eq!((silent.status, silent.str("/error/rule/rule")), (409, "rejection_needs_reason".into()));
    assert_eq!(app.get(&path).await.str("/state"), "received");
    let rejected = app.post(&format!("{path}/reject"), json!({"revision": 1, "reason": "Ingen ledig kapacitet"})).await;
    assert_eq!(
        (rejected.str("/state"), rejected.str("/rejection_reason")),
        ("rejected".into(), "Ingen ledig kapacitet".into())
    );
    app.finish().await;
}
