//! Written reports through the domain's workflow: what may be written, who
//! reads it first, what is sent, and that what was sent stays as it was.

use crate::support::{TestApp, World};
use serde_json::{Value, json};

/// Plans a visit of the world's referral in the room and records it as held.
pub async fn held_visit(app: &TestApp, w: &World, start: &str, end: &str) -> String {
    let planned = app
        .post(
            "/api/v1/appointments",
            json!({"referral_id": w.referral, "kind": "visit", "start": start, "end": end,
                   "location": {"kind": "room", "value": w.room}, "practitioner_ids": [w.practitioner]}),
        )
        .await;
    assert_eq!(planned.status, 201, "{}", planned.body);
    let id = planned.id();
    let held = app
        .put(&format!("/api/v1/appointments/{id}/outcome"), json!({"revision": 1, "outcome": {"kind": "held"}}))
        .await;
    assert_eq!(held.status, 200, "{}", held.body);
    id
}

fn description(w: &World, visit: &str, body: &str) -> Value {
    json!({"referral_id": w.referral, "appointment_id": visit, "kind": "written_description",
           "title": "Samvær 7. marts", "body": body})
}

/// Moves a document from draft to sent; the family reads it first.
async fn approve_and_read(app: &TestApp, id: &str) {
    let doc = format!("/api/v1/documents/{id}");
    for (step, revision) in [("submit", 1), ("approve", 2)] {
        let a = app.post(&format!("{doc}/{step}"), json!({"revision": revision})).await;
        assert_eq!(a.status, 200, "{step}: {}", a.body);
    }
    let read = app.put(&format!("{doc}/family-review"), json!({"version": 1, "comment": "Vi har læst den."})).await;
    assert_eq!(read.status, 200, "{}", read.body);
}

#[tokio::test]
async fn a_supported_visitation_description_needs_the_parents_consent_at_the_visit() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    w.activate(&app).await;
    w.consent(&app, "intervention", "2026-01-20T10:00:00+01:00").await;
    let visit = held_visit(&app, &w, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z").await;

    let refused = app.post("/api/v1/documents", description(&w, &visit, "Samværet forløb roligt.")).await;
    assert_eq!((refused.status, refused.code()), (409, "rule"));
    assert_eq!(refused.str("/error/rule/rule"), "description_needs_consent");
    assert_eq!(refused.body["error"]["rule"]["sections"], json!(["BL § 104, stk. 3"]));
    let message = refused.str("/error/message");
    assert!(message.contains("(skriftlige beskrivelser til sagsbehandler) er ikke i kraft 7.3.2026"), "{message}");
    assert!(message.ends_with("(BL § 104, stk. 3)"), "{message}");
    assert_eq!(refused.str("/error/rule/way_forward"), "Registrér forældrenes samtykke til skriftlige beskrivelser.");
    let en = app.en().post("/api/v1/documents", description(&w, &visit, "Samværet forløb roligt.")).await;
    assert!(en.str("/error/message").ends_with("(the Children's Act (Barnets lov) § 104(3))"), "{}", en.body);
    assert!(
        en.str("/error/rule/rule_statement").starts_with("In supported visitation a written description exists only")
    );
    assert!(app.get(&format!("/api/v1/documents?case_id={}", w.case)).await.items().is_empty(), "nothing was written");

    // Consent given after the visit does not cover it.
    w.consent(&app, "written_descriptions", "2026-03-08T10:00:00+01:00").await;
    let late = app.post("/api/v1/documents", description(&w, &visit, "Samværet forløb roligt.")).await;
    assert_eq!(late.str("/error/rule/rule"), "description_needs_consent");

    // A description describes a visit of the referral, and must say which.
    let mut body = description(&w, &visit, "x");
    body["appointment_id"] = Value::Null;
    assert_eq!(app.en().post("/api/v1/documents", body).await.field("appointment_id"), "Required.");
    w.consent(&app, "written_descriptions", "2026-02-01T10:00:00+01:00").await;
    let talk = app
        .create(
            "/api/v1/appointments",
            json!({"referral_id": w.referral, "kind": "guidance_after_visit", "start": "2026-03-07T11:15:00Z",
                   "end": "2026-03-07T11:45:00Z", "location": {"kind": "family_home"}}),
        )
        .await;
    let not_a_visit = app.post("/api/v1/documents", description(&w, &talk, "x")).await;
    assert_eq!(not_a_visit.str("/error/rule/rule"), "report_workflow");

    let written = app.post("/api/v1/documents", description(&w, &visit, "Samværet forløb roligt.")).await;
    assert_eq!(written.status, 201, "{}", written.body);
    assert_eq!(written.body["allowed_actions"], json!(["revise", "submit"]));
    app.finish().await;
}

#[tokio::test]
async fn a_description_is_read_by_the_family_sent_once_and_never_changed() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    w.activate(&app).await;
    w.consent(&app, "intervention", "2026-01-20T10:00:00+01:00").await;
    let consent = w.consent(&app, "written_descriptions", "2026-01-20T10:00:00+01:00").await;
    let visit = held_visit(&app, &w, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z").await;
    let id = app.create("/api/v1/documents", description(&w, &visit, "Samværet forløb roligt.")).await;
    let doc = format!("/api/v1/documents/{id}");

    let send = |revision: u64| json!({"revision": revision});
    let draft = app.post(&format!("{doc}/send"), send(1)).await;
    assert_eq!((draft.status, draft.str("/error/rule/rule")), (409, "report_workflow".into()));
    assert_eq!(app.post(&format!("{doc}/submit"), json!({"revision": 1})).await.str("/state"), "coordinator_review");
    let back = app.post(&format!("{doc}/return"), json!({"revision": 2})).await;
    assert_eq!(
        (back.str("/state"), back.body["allowed_actions"].clone()),
        ("draft".into(), json!(["revise", "submit"]))
    );
    assert_eq!(app.post(&format!("{doc}/submit"), json!({"revision": 3})).await.status, 200);
    let approved = app.post(&format!("{doc}/approve"), json!({"revision": 4})).await;
    assert_eq!(approved.body["allowed_actions"], json!(["record_family_review"]), "not sent before the family read it");
    let unread = app.post(&format!("{doc}/send"), send(5)).await;
    assert_eq!(unread.str("/error/rule/rule"), "family_review_before_sending");
    let read = app.put(&format!("{doc}/family-review"), json!({"version": 1, "comment": "Vi er enige."})).await;
    assert_eq!(read.status, 200);
    assert_eq!(app.get(&doc).await.body["allowed_actions"], json!(["record_family_review", "send"]));
    let nobody = w.as_caseworker(&app).post(&format!("{doc}/send"), send(5)).await;
    assert_eq!(nobody.status, 403, "the caseworker does not send to herself: {}", nobody.body);
    // Who sends is the signed-in coordinator, whatever the body says.

    let sent = app.post(&format!("{doc}/send"), json!({"revision": 5, "sent_by": w.practitioner})).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert_eq!(sent.str("/state"), "sent");
    assert_eq!(sent.body["allowed_actions"], json!(["archive", "correct"]));
    let sent_at = sent.str("/sent_at");
    let outbox = app.get(&format!("/api/v1/outbox?document_id={id}")).await;
    assert_eq!(outbox.items().len(), 1);
    let m = &outbox.items()[0];
    assert_eq!(
        (m["recipient_id"].as_str(), m["sent_by"].as_str()),
        (Some(w.caseworker.as_str()), Some(w.coordinator.as_str()))
    );
    assert_eq!((m["municipality_id"].as_str(), m["version"].as_u64()), (Some(w.municipality.as_str()), Some(1)));
    assert_eq!(
        (m["body"].as_str(), m["family_comment"].as_str()),
        (Some("Samværet forløb roligt."), Some("Vi er enige."))
    );
    assert_eq!(m["sent_at"].as_str(), Some(sent_at.as_str()));

    // What was sent is final: no new version, no new review, no second sending.
    let revise = app.post(&format!("{doc}/versions"), json!({"revision": 6, "body": "Ændret"})).await;
    assert_eq!((revise.status, revise.str("/error/rule/rule")), (409, "sent_report_is_final".into()));
    assert!(revise.str("/error/message").ends_with("(OFL § 13)"));
    let again = app.post(&format!("{doc}/send"), send(6)).await;
    assert_eq!(again.str("/error/rule/rule"), "sent_report_is_final");
    let review = app.put(&format!("{doc}/family-review"), json!({"version": 1, "comment": "Nej"})).await;
    assert_eq!(review.str("/error/rule/rule"), "sent_report_is_final");
    assert_eq!(app.get(&format!("/api/v1/outbox?case_id={}", w.case)).await.items().len(), 1);
    assert_eq!(app.get(&format!("{doc}/versions")).await.items()[0]["family_comment"], "Vi er enige.");

    // A correction is a new draft naming what it corrects.
    let draft_fix = app
        .post(
            &format!("/api/v1/documents/{id}/corrections"),
            json!({"title": "Rettelse", "body": "Samværet varede to timer."}),
        )
        .await;
    assert_eq!(draft_fix.status, 201, "{}", draft_fix.body);
    assert_eq!((draft_fix.str("/state"), draft_fix.str("/corrects")), ("draft".into(), id.clone()));
    assert_eq!(
        (draft_fix.str("/kind"), draft_fix.str("/appointment_id")),
        ("written_description".into(), visit.clone())
    );
    let of_draft = app
        .post(&format!("/api/v1/documents/{}/corrections", draft_fix.id()), json!({"title": "R", "body": "R"}))
        .await;
    assert_eq!(of_draft.str("/error/rule/rule"), "report_workflow");
    let archived = app.post(&format!("{doc}/archive"), json!({"revision": 6})).await;
    assert_eq!(
        (archived.str("/state"), archived.body["allowed_actions"].clone()),
        ("archived".into(), json!(["correct"]))
    );

    // Withdrawn before sending: the correction can be written (the visit was covered) but not sent.
    let fix = format!("/api/v1/documents/{}", draft_fix.id());
    approve_and_read(&app, &draft_fix.id()).await;
    app.post(&format!("/api/v1/consents/{consent}/withdraw"), json!({})).await;
    let withdrawn = app.post(&format!("{fix}/send"), send(3)).await;
    assert_eq!((withdrawn.status, withdrawn.str("/error/rule/rule")), (409, "description_needs_consent".into()));
    assert!(withdrawn.str("/error/message").contains("blev tilbagekaldt"), "{}", withdrawn.body);
    assert_eq!(app.get(&fix).await.str("/state"), "family_review");
    assert_eq!(app.get(&format!("/api/v1/outbox?case_id={}", w.case)).await.items().len(), 1, "nothing more was sent");
    app.finish().await;
}

#[tokio::test]
async fn a_letter_naming_the_secret_address_or_lacking_the_childs_views_is_stopped() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let case = format!("/api/v1/cases/{}", w.case);
    let placed = app
        .put(
            &case,
            json!({"revision": 1, "child_name": "Ida Sørensen", "placement": {"kind": "foster_family", "name": "Familien Dam",
                   "address": "Egevej 12, 7400 Herning", "address_secret": true}}),
        )
        .await;
    assert_eq!(placed.status, 200, "{}", placed.body);
    let id = app
        .create(
            "/api/v1/documents",
            json!({"referral_id": w.referral, "kind": "status_letter", "title": "Status",
                   "body": "Ida bor godt hos familien på egevej  12."}),
        )
        .await;
    let doc = format!("/api/v1/documents/{id}");
    let no_views = app.post(&format!("{doc}/submit"), json!({"revision": 1})).await;
    assert_eq!(no_views.str("/error/rule/rule"), "child_views_from_10");
    assert!(no_views.str("/error/message").starts_with("Barnet er 12 år"));
    assert_eq!(no_views.str("/error/message").rsplit_once(" (").unwrap().1, "BL § 3 og BL § 5)");
    let v2 = app
        .post(
            &format!("{doc}/versions"),
            json!({"revision": 1, "body": "Ida bor godt hos familien på egevej  12.", "child_views": "Jeg kan lide det."}),
        )
        .await;
    assert_eq!(v2.status, 201);
    let leak = app.post(&format!("{doc}/submit"), json!({"revision": 2})).await;
    assert_eq!((leak.status, leak.str("/error/rule/rule")), (409, "secret_address_never_to_parents".into()));
    assert!(leak.str("/error/message").ends_with("(BL § 105)"));
    assert!(!leak.text.to_lowercase().contains("egevej"), "the refusal does not repeat the address");
    assert_eq!(app.get(&doc).await.str("/state"), "draft");
    app.post(
        &format!("{doc}/versions"),
        json!({"revision": 2, "body": "Ida bor godt hos plejefamilien.", "child_views": "Jeg kan lide det."}),
    )
    .await;
    assert_eq!(app.post(&format!("{doc}/submit"), json!({"revision": 3})).await.status, 200);
    app.finish().await;
}

#[tokio::test]
async fn the_outbox_is_listed_newest_first_by_filter_and_page() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let mut ids = Vec::new();
    for n in 0..3 {
        let id = app
            .create(
                "/api/v1/documents",
                json!({"referral_id": w.referral, "kind": "status_letter", "title": format!("Status {n}"), "body": "Alt vel.",
                       "child_views": "Godt."}),
            )
            .await;
        approve_and_read(&app, &id).await;
        let sent = app.post(&format!("/api/v1/documents/{id}/send"), json!({"revision": 3})).await;
        assert_eq!(sent.status, 200, "{}", sent.body);
        ids.push(id);
    }
    let page = app.get(&format!("/api/v1/outbox?recipient_id={}&limit=2", w.caseworker)).await;
    let docs: Vec<&str> = page.items().iter().map(|m| m["document_id"].as_str().unwrap()).collect();
    assert_eq!(docs, [ids[2].as_str(), ids[1].as_str()]);
    let rest = app.get(&format!("/api/v1/outbox?limit=2&before={}", page.str("/next_before"))).await;
    assert_eq!(rest.items()[0]["document_id"], ids[0].as_str());
    assert!(rest.body["next_before"].is_null());
    assert_eq!(app.get(&format!("/api/v1/outbox?municipality_id={}", w.municipality)).await.items().len(), 3);
    assert!(app.get(&format!("/api/v1/outbox?case_id={}", w.referral)).await.items().is_empty());
    let bad = app.en().get("/api/v1/outbox?limit=0&before=x").await;
    assert_eq!(bad.field("limit"), "Must be between 1 and 1000.");
    assert_eq!(bad.field("before"), "Must be a valid id (a UUID).");
    app.finish().await;
}
