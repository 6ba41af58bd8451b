//! Who looked: a case's access log for those who answer for the case, the
//! family's own log, and the export of everything held about a case.

use crate::support::{TestApp, World, add_provider_staff};
use samvirke_domain::organisation::StaffRole;
use samvirke_domain::user::{Role, Subject};
use samvirke_domain::*;
use serde_json::json;

#[tokio::test]
async fn a_cases_access_log_shows_who_looked_to_those_who_may_see_it() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    w.activate(&app).await;
    let provider: ProviderId = w.provider.parse().unwrap();
    let coordinator: StaffId = w.coordinator.parse().unwrap();
    let karen = app.add_user("karen", Role::Staff(StaffRole::Coordinator), Subject::Staff(coordinator), true).await;
    let assigned: StaffId = w.practitioner.parse().unwrap();
    let jonas = app.add_user("jonas", Role::Staff(StaffRole::Practitioner), Subject::Staff(assigned), true).await;
    let lead = add_provider_staff(&app, provider, StaffRole::TeamLead, "Tove Leder").await;
    let tove = app.add_user("tove", Role::Staff(StaffRole::TeamLead), Subject::Staff(lead), true).await;

    let practitioner = app.sign_in(&jonas).await;
    assert_eq!(practitioner.get(&format!("/api/v1/cases/{}", w.case)).await.status, 200);
    let log = format!("/api/v1/cases/{}/access-log", w.case);
    assert_eq!(practitioner.get(&log).await.status, 403, "a practitioner does not see who looked");

    for user in [&karen, &tove] {
        let client = app.sign_in(user).await;
        let a = client.get(&log).await;
        assert_eq!(a.status, 200, "{}", a.body);
        let read = a
            .items()
            .iter()
            .find(|e| e["who"]["name"] == "Bruger jonas")
            .unwrap_or_else(|| panic!("the practitioner's read is listed: {}", a.body));
        assert_eq!(read["who"]["role"], "practitioner");
        assert_eq!(read["action"], "read");
        assert_eq!(read["route"], "/api/v1/cases/{id}");
        assert!(read["at"].as_str().is_some());
        assert!(a.text.contains("\"seq\""));
    }
    // Another provider's coordinator: as if the case did not exist.
    let other = World::create_as(&app, 661, "Holstebro Kommune", "010218-4345").await;
    let stranger: StaffId = other.coordinator.parse().unwrap();
    let lis = app.add_user("lis", Role::Staff(StaffRole::Coordinator), Subject::Staff(stranger), true).await;
    assert_eq!(app.sign_in(&lis).await.get(&log).await.status, 404);
    app.finish().await;
}

#[tokio::test]
async fn a_parent_sees_who_accessed_their_familys_case() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let other = World::create_as(&app, 661, "Holstebro Kommune", "010218-4345").await;
    let coordinator: StaffId = w.coordinator.parse().unwrap();
    let karen = app.add_user("karen", Role::Staff(StaffRole::Coordinator), Subject::Staff(coordinator), true).await;
    let mother: FamilyMemberId = w.mother.parse().unwrap();
    let lene = app.add_user("lene", Role::Parent, Subject::FamilyMember(mother), false).await;
    let staff = app.sign_in(&karen).await;
    assert_eq!(staff.get(&format!("/api/v1/cases/{}/journal-entries", w.case)).await.status, 200);
    let parent = app.sign_in(&lene).await;
    assert_eq!(parent.get(&format!("/api/v1/cases/{}/family-view", w.case)).await.status, 200);

    let own = parent.get("/api/v1/me/access-log").await;
    assert_eq!(own.status, 200, "{}", own.body);
    let journal = own
        .items()
        .iter()
        .find(|e| e["route"] == "/api/v1/cases/{id}/journal-entries")
        .unwrap_or_else(|| panic!("the coordinator's reading of the journal: {}", own.body));
    assert_eq!(journal["who"], json!({"name": "Bruger karen", "role": "coordinator"}));
    assert_eq!(journal["action"], "read");
    let mine = own.items().iter().find(|e| e["route"] == "/api/v1/cases/{id}/family-view").unwrap();
    assert_eq!(mine["who"], json!({"role": "parent"}), "a family member is named by role only");
    let other_case: CaseId = other.case.parse().unwrap();
    let mut tx = app.store().begin_read().await.unwrap();
    let theirs = tx.audit_for_case(other_case, None, 1000).await.unwrap();
    assert!(!theirs.is_empty());
    assert!(
        own.items().iter().all(|e| theirs.iter().all(|t| t.seq != e["seq"].as_u64().unwrap())),
        "nothing of the other family's case"
    );
    drop(tx);
    // Staff see what their own account did.
    let own = staff.get("/api/v1/me/access-log").await;
    assert!(own.items().iter().all(|e| e["who"]["name"] == "Bruger karen"), "{}", own.body);
    app.finish().await;
}

#[tokio::test]
async fn the_export_holds_the_familys_data_and_nothing_of_another_case() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    w.activate(&app).await;
    w.consent(&app, "intervention", "2026-01-20T10:00:00Z").await;
    let note = app
        .create(
            &format!("/api/v1/cases/{}/journal-entries", w.case),
            json!({"kind": "note", "body": "Mor ringede om samværet."}),
        )
        .await;
    let other = World::create_as(&app, 661, "Holstebro Kommune", "010218-4345").await;
    app.create(
        &format!("/api/v1/cases/{}/journal-entries", other.case),
        json!({"kind": "note", "body": "En anden families notat."}),
    )
    .await;
    let provider: ProviderId = w.provider.parse().unwrap();
    let admin_staff = add_provider_staff(&app, provider, StaffRole::Admin, "Ane Admin").await;
    let ane = app.add_user("ane", Role::Staff(StaffRole::Admin), Subject::Staff(admin_staff), true).await;
    let admin = app.sign_in(&ane).await;
    let coordinator: StaffId = w.coordinator.parse().unwrap();
    let karen = app.add_user("karen", Role::Staff(StaffRole::Coordinator), Subject::Staff(coordinator), true).await;
    let path = format!("/api/v1/cases/{}/export", w.case);
    assert_eq!(app.sign_in(&karen).await.get(&path).await.status, 403, "the admin answers access requests");

    let a = admin.get(&path).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let disposition = a.headers.get("content-disposition").unwrap().to_str().unwrap();
    assert_eq!(disposition, format!("attachment; filename=\"samvirke-case-{}.json\"", w.case));
    let e = &a.body;
    assert_eq!(e["format"], "samvirke-case-export-v1");
    assert_eq!(e["case"]["id"], w.case);
    assert_eq!(e["case"]["child"]["name"], "Ida Sørensen");
    assert_eq!(e["family_members"][0]["id"], w.mother);
    assert_eq!(e["referrals"][0]["referral"]["id"], w.referral);
    assert!(!e["referrals"][0]["versions"].as_array().unwrap().is_empty());
    assert_eq!(e["consents"].as_array().unwrap().len(), 1);
    assert_eq!(e["journal"][0]["id"], note);
    assert!(!e["audit_log"].as_array().unwrap().is_empty());
    for key in [
        "decisions",
        "suspensions",
        "appointments",
        "documents",
        "outbox",
        "action_plans",
        "focus_areas",
        "time_entries",
    ] {
        assert!(e[key].is_array(), "{key}");
    }
    assert!(!a.text.contains("En anden families notat") && !a.text.contains(&other.case), "nothing of another case");
    // The CPR number stays masked (its last four digits alone could turn up inside an id).
    assert!(
        !a.text.contains(crate::support::CPR) && !a.text.contains(crate::support::CPR_DIGITS),
        "the CPR number stays masked"
    );

    let exported = crate::audit::log(&app).await;
    let last = exported.iter().rev().find(|e| e.event.actor == Some(ane.id)).unwrap();
    assert_eq!(last.event.action, samvirke_domain::audit::AuditAction::Export);
    assert_eq!(last.event.case_id, Some(w.case.parse().unwrap()));
    app.finish().await;
}
