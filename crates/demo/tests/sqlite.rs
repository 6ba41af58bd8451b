//! The demo data written to a real store (SQLite) and read back through the Store trait.

use jiff::civil::date;
use samvirke_demo::{DemoOptions, DemoSummary, Progress, Scale, generate};
use samvirke_domain::appointment::Appointment;
use samvirke_domain::organisation::{Employment, StaffRole};
use samvirke_store::*;
use samvirke_store_sqlite::fresh_test_database;
use std::sync::Mutex;

fn opts(seed: u64, scale: Scale) -> DemoOptions {
    DemoOptions { seed, scale, today: date(2026, 3, 10) }
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("serialisable")
}

/// Everything in the store, read back through the Store trait, as text.
async fn listing(store: &dyn Store) -> String {
    let mut t = store.begin_read().await.unwrap();
    let mut out = String::new();
    out += &json(&t.municipalities().await.unwrap());
    let providers = t.providers().await.unwrap();
    out += &json(&providers);
    out += &json(&t.list_staff(&StaffFilter::default()).await.unwrap());
    for p in &providers {
        out += &json(&t.rooms(p.id).await.unwrap());
    }
    let mut after = None;
    loop {
        let page = Page { limit: Page::MAX, after };
        let cases = t.cases(&CaseFilter::default(), page).await.unwrap();
        let Some(last) = cases.last() else { break };
        after = Some(last.id.uuid());
        for c in &cases {
            out += &json(c);
            out += &c.child.cpr.reveal();
            out += &json(&t.family_members(c.id).await.unwrap());
            out += &json(&t.decisions(c.id).await.unwrap());
            out += &json(&t.suspensions(c.id).await.unwrap());
            out += &json(&t.consents(c.id).await.unwrap());
            out += &json(&t.journal(c.id, Page::first(Page::MAX)).await.unwrap());
            out += &json(&t.action_plans(c.id).await.unwrap());
            out += &json(&t.focus_areas(c.id).await.unwrap());
            for r in
                t.referrals(&ReferralFilter { case: Some(c.id), ..Default::default() }, Page::first(100)).await.unwrap()
            {
                out += &json(&r);
                out += &json(&t.referral_versions(r.id).await.unwrap());
                out += &json(&t.time_entries(r.id).await.unwrap());
            }
            for d in t
                .documents(&DocumentFilter { case: Some(c.id), ..Default::default() }, Page::first(Page::MAX))
                .await
                .unwrap()
            {
                out += &json(&d);
                out += &json(&t.document_versions(d.id).await.unwrap());
            }
            out += &json(&t.outbox(&OutboxFilter { case: Some(c.id), ..Default::default() }, Page::MAX).await.unwrap());
        }
    }
    for a in all_appointments(&mut *t).await {
        out += &json(&a);
    }
    out
}

async fn all_appointments(t: &mut dyn Tx) -> Vec<Appointment> {
    let mut all = Vec::new();
    let mut filter = AppointmentFilter::default();
    loop {
        let page = t.appointments(&filter, 1000).await.unwrap();
        let Some(last) = page.last() else { break };
        filter.after = Some((last.planned.start, last.id));
        all.extend(page);
    }
    all
}

async fn generated(o: DemoOptions) -> (Box<dyn conformance::TestDatabase>, DemoSummary, Vec<Progress>) {
    let db = fresh_test_database().await;
    let reports = Mutex::new(Vec::new());
    let summary = generate(db.store(), &o, &|p| reports.lock().unwrap().push(p)).await.expect("demo data is written");
    (db, summary, reports.into_inner().unwrap())
}

#[tokio::test]
async fn the_same_seed_writes_the_same_data_and_another_seed_other_data() {
    let (a, sa, _) = generated(opts(11, Scale::Provider)).await;
    let (b, sb, _) = generated(opts(11, Scale::Provider)).await;
    let (c, _, _) = generated(opts(12, Scale::Provider)).await;
    let (la, lb, lc) = (listing(a.store()).await, listing(b.store()).await, listing(c.store()).await);
    assert_eq!(sa, sb);
    assert!(la == lb, "the same seed and day give the same data, ids included");
    assert!(la != lc, "another seed gives other data");
    for db in [a, b, c] {
        db.finish().await;
    }
}

#[tokio::test]
async fn the_provider_scale_reads_back_with_the_shape_of_the_seed_provider() {
    let (db, summary, reports) = generated(opts(1, Scale::Provider)).await;
    let store = db.store();
    let mut t = store.begin_read().await.unwrap();
    assert_eq!(t.municipalities().await.unwrap().len(), 3);
    let providers = t.providers().await.unwrap();
    assert_eq!(providers.len(), 1);
    assert_eq!(providers[0].municipalities.len(), 3);
    assert_eq!(t.rooms(summary.provider).await.unwrap().len(), 3);
    let practitioners = t
        .list_staff(&StaffFilter {
            provider: Some(summary.provider),
            role: Some(StaffRole::Practitioner),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(practitioners.iter().filter(|s| s.employment == Employment::Permanent).count(), 4);
    assert_eq!(practitioners.iter().filter(|s| s.employment == Employment::Hourly).count(), 15);
    let cases = t.count_cases(&CaseFilter::default()).await.unwrap();
    assert_eq!(cases, summary.counts.cases);
    assert!((55..=65).contains(&cases));
    let appointments = all_appointments(&mut *t).await;
    assert_eq!(appointments.len() as u64, summary.counts.appointments);
    let sent = t.outbox(&OutboxFilter::default(), Page::MAX).await.unwrap();
    assert_eq!(sent.len() as u64, summary.counts.outbox_messages);
    assert!(!sent.is_empty(), "sent documents are in the outbox");
    let with_outcome = appointments.iter().filter(|a| a.outcome.is_some()).count() as f64;
    let share = with_outcome / appointments.len() as f64;
    assert!((0.2..=0.32).contains(&share), "{share:.2}");

    // The coordinator's overview has something to show.
    let received = t
        .referrals(
            &ReferralFilter { states: vec![samvirke_domain::referral::ReferralState::Received], ..Default::default() },
            Page::first(100),
        )
        .await
        .unwrap();
    assert!(!received.is_empty(), "referrals waiting to be accepted");
    let unassigned = t.appointments(&AppointmentFilter { unassigned: true, ..Default::default() }, 1000).await.unwrap();
    assert!(!unassigned.is_empty(), "appointments without a practitioner");
    let tz = samvirke_domain::calendar::copenhagen();
    let today = date(2026, 3, 10);
    let from = today.at(0, 0, 0, 0).to_zoned(tz.clone()).unwrap().timestamp();
    let to = today.tomorrow().unwrap().tomorrow().unwrap().at(0, 0, 0, 0).to_zoned(tz).unwrap().timestamp();
    let soon = samvirke_domain::time::TimeRange::new(from, to).unwrap();
    let mine = t
        .appointments(
            &AppointmentFilter { staff: Some(summary.practitioner), during: Some(soon), ..Default::default() },
            100,
        )
        .await
        .unwrap();
    assert!(!mine.is_empty(), "the demo practitioner has appointments today or tomorrow");
    for who in [summary.coordinator, summary.team_lead, summary.admin, summary.practitioner, summary.caseworker] {
        t.staff(who).await.expect("key people exist");
    }
    assert_eq!(summary.caseworkers.len(), 3);
    t.family_member(summary.parent.expect("a parent")).await.unwrap();

    assert!(summary.to_string().starts_with("3 municipalities, 1 provider, 31 staff, 3 rooms, "), "{summary}");
    let last = reports.last().expect("progress was reported");
    assert_eq!(last.done, last.total);
    assert_eq!(last.done, summary.counts.total());
    drop(t);
    db.finish().await;
}

#[tokio::test]
async fn a_part_of_the_national_data_set_is_written_through_the_same_code_path() {
    let (db, summary, reports) = generated(opts(3, Scale::DenmarkPart { per_mille: 5 })).await;
    let mut t = db.store().begin_read().await.unwrap();
    assert_eq!(t.municipalities().await.unwrap().len(), 98);
    assert!(t.providers().await.unwrap().len() >= 2);
    assert_eq!(t.count_cases(&CaseFilter::default()).await.unwrap(), summary.counts.cases);
    assert_eq!(all_appointments(&mut *t).await.len() as u64, summary.counts.appointments);
    assert!(reports.len() > 2, "progress after every transaction");
    assert!(reports.windows(2).all(|w| w[0].done <= w[1].done));
    let last = reports.last().unwrap();
    assert_eq!((last.done, last.total), (summary.counts.total(), summary.counts.total()));
    drop(t);
    db.finish().await;
}
