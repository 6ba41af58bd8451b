//! The audit of every access: who read, searched, created, changed and
//! deleted what, from where, through which route; and that the log's chain holds.

use crate::support::{TestApp, World};
use samvirke_domain::audit::{AuditAction, AuditEntry, ChainVerifier};
use samvirke_domain::organisation::StaffRole;
use samvirke_domain::user::{Role, Subject};
use samvirke_domain::*;
use serde_json::json;

/// Every entry of the log, oldest first.
pub async fn log(app: &TestApp) -> Vec<AuditEntry> {
    let mut tx = app.store().begin_read().await.unwrap();
    let mut all = Vec::new();
    loop {
        let page = tx.audit_entries(all.last().map_or(0, |e: &AuditEntry| e.seq), 1000).await.unwrap();
        if page.is_empty() {
            return all;
        }
        all.extend(page);
    }
}

/// Checks the whole chain with the domain's verifier; the number of entries.
pub fn verify(entries: &[AuditEntry]) -> u64 {
    let mut verifier = ChainVerifier::new();
    for e in entries {
        verifier.push(e).unwrap_or_else(|b| panic!("the chain is broken: {b}"));
    }
    verifier.finish().unwrap().0
}

#[tokio::test]
async fn a_read_and_a_change_are_audited_and_the_chain_verifies() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let staff: StaffId = w.coordinator.parse().unwrap();
    let karen = app.add_user("karen", Role::Staff(StaffRole::Coordinator), Subject::Staff(staff), true).await;
    let browser = app.sign_in(&karen).await;
    let before = log(&app).await.len();

    assert_eq!(browser.get(&format!("/api/v1/cases/{}", w.case)).await.status, 200);
    let entry = browser
        .create(&format!("/api/v1/cases/{}/journal-entries", w.case), json!({"kind": "note", "body": "Mor ringede."}))
        .await;
    let entries = log(&app).await;
    let mine: Vec<&AuditEntry> = entries[before..].iter().filter(|e| e.event.actor == Some(karen.id)).collect();
    assert_eq!(mine.len(), 2, "{mine:#?}");
    let (read, created) = (&mine[0].event, &mine[1].event);
    let case: CaseId = w.case.parse().unwrap();
    assert_eq!(read.action, AuditAction::Read);
    assert_eq!((read.record_kind.as_str(), read.record_id), ("case", Some(case.0)));
    assert_eq!(read.case_id, Some(case));
    assert_eq!(read.route.as_deref(), Some("/api/v1/cases/{id}"), "the template, never the path");
    assert_eq!(read.from.as_deref(), Some("127.0.0.1"));
    assert_eq!(created.action, AuditAction::Create);
    assert_eq!(created.record_kind, "journal_entry");
    assert_eq!(created.record_id.map(|u| u.to_string()), Some(entry), "the new record's id");
    assert_eq!(created.case_id, Some(case));
    assert_eq!(created.route.as_deref(), Some("/api/v1/cases/{id}/journal-entries"));
    assert!(
        entries.iter().any(|e| e.event.action == AuditAction::SignIn && e.event.actor == Some(karen.id)),
        "the sign-in is logged"
    );
    assert_eq!(verify(&entries), entries.len() as u64);
    for e in &entries {
        let text = format!("{:?}", e.event);
        assert!(!text.contains("Ida") && !text.contains("150614"), "no personal data in the log: {text}");
    }
    app.finish().await;
}

#[tokio::test]
async fn a_list_is_audited_once_per_case_it_showed() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let other = World::create_as(&app, 661, "Holstebro Kommune", "010218-4345").await;
    let before = log(&app).await.len();
    let listed = app.get("/api/v1/referrals").await;
    assert_eq!(listed.status, 200);
    let searches: Vec<AuditEntry> =
        log(&app).await.split_off(before).into_iter().filter(|e| e.event.action == AuditAction::Search).collect();
    let cases: Vec<String> = searches.iter().map(|e| e.event.case_id.unwrap().to_string()).collect();
    assert_eq!(cases, vec![other.case.clone()], "the coordinator of the second world sees its own case only");
    assert!(!cases.contains(&w.case));
    app.finish().await;
}

#[tokio::test]
async fn without_its_audit_entry_no_read_leaves_and_no_change_is_made() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    app.fail_on("append_audit");
    let read = app.get(&format!("/api/v1/cases/{}", w.case)).await;
    assert_eq!((read.status, read.code()), (503, "unavailable"));
    assert!(!read.text.contains("Ida"), "the case did not leave");
    let path = format!("/api/v1/cases/{}/journal-entries", w.case);
    let write = app.post(&path, json!({"kind": "note", "body": "Mor ringede."})).await;
    assert_eq!(write.status, 503);
    let mut tx = app.store().begin_read().await.unwrap();
    let case: CaseId = w.case.parse().unwrap();
    assert!(tx.journal(case, samvirke_store::Page::first(10)).await.unwrap().is_empty(), "nothing was written");
    app.finish().await;
}
