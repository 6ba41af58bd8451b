//! Tests of the generated data, on the batches as they would be written.

use super::*;
use batch::Batch;
use jiff::civil::date;
use samvirke_domain::appointment::{AppointmentKind, Outcome};
use samvirke_domain::catalogue::Intervention;
use samvirke_domain::cpr::Cpr;
use samvirke_domain::decision::DecisionKind;
use samvirke_domain::organisation::{Employment, StaffRole};
use std::collections::{HashMap, HashSet};

fn opts(seed: u64, scale: Scale) -> DemoOptions {
    DemoOptions { seed, scale, today: date(2026, 3, 10) }
}

/// Every batch of a data set, as generated.
fn all(o: &DemoOptions) -> Batch {
    let (mut g, first) = Generator::new(o);
    let mut out = first;
    while let Some((b, _)) = g.next_provider() {
        out.providers.extend(b.providers);
        out.staff.extend(b.staff);
        out.rooms.extend(b.rooms);
        out.absences.extend(b.absences);
        out.cases.extend(b.cases);
        out.family_members.extend(b.family_members);
        out.referrals.extend(b.referrals);
        out.decisions.extend(b.decisions);
        out.suspensions.extend(b.suspensions);
        out.consents.extend(b.consents);
        out.appointments.extend(b.appointments);
        out.journal.extend(b.journal);
        out.documents.extend(b.documents);
        out.outbox.extend(b.outbox);
        out.action_plans.extend(b.action_plans);
        out.focus_areas.extend(b.focus_areas);
        out.time_entries.extend(b.time_entries);
    }
    out
}

/// A text digest of everything in a data set (CPR numbers in full).
fn digest(b: &Batch) -> String {
    fn j<T: serde::Serialize>(v: &T) -> String {
        serde_json::to_string(v).expect("serialisable")
    }
    let mut s = String::new();
    for c in &b.cases {
        s.push_str(&c.child.cpr.reveal());
    }
    for part in [
        j(&b.municipalities),
        j(&b.providers),
        j(&b.staff),
        j(&b.rooms),
        j(&b.absences),
        j(&b.cases),
        j(&b.family_members),
        j(&b.referrals.iter().map(|r| (&r.referral, &r.first, &r.later)).collect::<Vec<_>>()),
        j(&b.decisions),
        j(&b.suspensions),
        j(&b.consents),
        j(&b.appointments),
        j(&b.journal),
        j(&b.documents.iter().map(|d| (&d.document, &d.versions)).collect::<Vec<_>>()),
        j(&b.outbox),
        j(&b.action_plans),
        j(&b.focus_areas),
        j(&b.time_entries),
    ] {
        s.push_str(&part);
    }
    s
}

#[test]
fn the_same_seed_and_day_give_identical_data_and_another_seed_other_data() {
    let a = digest(&all(&opts(42, Scale::Provider)));
    let b = digest(&all(&opts(42, Scale::Provider)));
    let c = digest(&all(&opts(43, Scale::Provider)));
    assert!(a == b, "same seed, same data");
    assert!(a != c, "another seed, other data");
}

#[test]
fn provider_scale_has_the_shape_of_the_seed_provider() {
    shape(1);
}

fn shape(seed: u64) {
    let b = all(&opts(seed, Scale::Provider));
    let c = b.counts();
    assert_eq!(c.municipalities, 3);
    assert_eq!(c.providers, 1);
    assert_eq!(c.rooms, 3);
    let pracs =
        |e: Employment| b.staff.iter().filter(|s| s.role == StaffRole::Practitioner && s.employment == e).count();
    assert_eq!(pracs(Employment::Permanent), 4);
    assert_eq!(pracs(Employment::Hourly), 15);
    for role in [StaffRole::Coordinator, StaffRole::TeamLead, StaffRole::Admin] {
        assert_eq!(b.staff.iter().filter(|s| s.role == role).count(), 1, "{role:?}");
    }
    for m in &b.municipalities {
        let n = b.staff.iter().filter(|s| s.role == StaffRole::Caseworker && s.municipality() == Some(m.id)).count();
        assert!((2..=4).contains(&n), "{n} caseworkers");
    }
    assert!((55..=65).contains(&c.cases), "{} cases", c.cases);
    let per = |i: Intervention| b.referrals.iter().filter(|r| r.referral.intervention == i).count();
    for i in Intervention::ALL {
        assert!(per(i) > 0, "{i:?}");
    }
    assert!(per(Intervention::SupportedVisitation) > per(Intervention::HomeSupport));
    assert!(per(Intervention::SupervisedVisitation) > per(Intervention::ContactPerson));
    let share = c.appointments_with_outcome as f64 / c.appointments as f64;
    assert!((0.2..=0.32).contains(&share), "{share:.2} of appointments have outcomes");
    for k in AppointmentKind::ALL {
        assert!(b.appointments.iter().any(|a| a.kind == k), "some appointment of kind {k:?}");
    }
}

#[test]
fn provider_scale_has_the_situations_a_coordinator_needs_to_see() {
    situations(2);
}

/// The provider-scale checks for many seeds: `cargo test -p samvirke-demo many_seeds -- --ignored`.
#[test]
#[ignore]
fn many_seeds() {
    for seed in 100..160 {
        eprintln!("seed {seed}");
        situations(seed);
        shape(seed);
        let b = all(&opts(seed, Scale::Provider));
        assert_no_double_booking(&b);
        assert_visits_follow_the_rules(&b);
    }
}

fn situations(seed: u64) {
    let o = opts(seed, Scale::Provider);
    let b = all(&o);
    let tz = samvirke_domain::calendar::copenhagen();
    let day = |t: jiff::Timestamp| t.to_zoned(tz.clone()).date();
    let state =
        |s: samvirke_domain::referral::ReferralState| b.referrals.iter().filter(|r| r.referral.state == s).count();
    assert!(state(samvirke_domain::referral::ReferralState::Received) >= 2, "referrals waiting to be accepted");
    assert!(b.appointments.iter().any(|a| a.practitioners.is_empty() && day(a.planned.start) >= o.today), "unassigned");
    assert_eq!(b.consents.iter().filter(|c| c.withdrawn_at.is_some()).count(), 1, "one withdrawn consent");
    assert_eq!(b.suspensions.len(), 1, "one suspension");
    let s = &b.suspensions[0];
    assert!(s.period.days() <= 56, "at most eight weeks");
    assert!(
        !b.appointments.iter().any(|a| a.case_id == s.case_id
            && a.kind == AppointmentKind::Visit
            && s.period.contains(day(a.planned.start))),
        "no visits while suspended"
    );
    let soon = o.today.checked_add(jiff::ToSpan::days(14)).unwrap();
    let renewed = |d: &samvirke_domain::decision::CommitteeDecision| {
        b.decisions.iter().any(|n| n.case_id == d.case_id && n.period.start > d.period.end)
    };
    let expiring =
        b.decisions.iter().filter(|d| d.period.end >= o.today && d.period.end <= soon && !renewed(d)).count();
    assert!((1..=2).contains(&expiring), "{expiring} decisions expiring soon");
    let overdue = b
        .documents
        .iter()
        .filter(|d| d.document.kind == samvirke_domain::document::DocumentKind::WrittenDescription)
        .filter(|d| d.document.state != samvirke_domain::document::DocumentState::Sent)
        .filter(|d| (o.today - day(d.document.created_at)).get_days() > 4)
        .count();
    assert_eq!(overdue, 1, "one overdue written description");
    let early = b.appointments.iter().filter(|a| matches!(a.outcome, Some(Outcome::EndedEarly { .. }))).count();
    assert!((1..=2).contains(&early), "{early} visits ended early");
    let near =
        b.referrals.iter().filter(|r| r.referral.state == samvirke_domain::referral::ReferralState::Active).any(|r| {
            let used: u32 =
                b.time_entries.iter().filter(|t| t.referral_id == r.referral.id).map(|t| t.minutes.get()).sum();
            f64::from(used) >= 0.9 * 60.0 * f64::from(r.referral.terms.ordered_hours)
        });
    assert!(near, "some referral has used nearly all its ordered hours");
}

#[test]
fn sent_documents_have_a_sending_time_and_one_outbox_message_of_what_was_sent() {
    use samvirke_domain::document::{DocumentKind, DocumentState};
    let o = opts(5, Scale::Provider);
    let b = all(&o);
    let now = o.today.at(6, 0, 0, 0).to_zoned(samvirke_domain::calendar::copenhagen()).unwrap().timestamp();
    let mut sent = 0;
    for d in &b.documents {
        let doc = &d.document;
        let last = d.versions.last().unwrap();
        let messages: Vec<_> = b.outbox.iter().filter(|m| m.document_id == doc.id).collect();
        assert_eq!(doc.sent_at.is_some(), doc.state == DocumentState::Sent, "{:?}", doc.state);
        let Some(sent_at) = doc.sent_at else {
            assert!(messages.is_empty(), "only sent documents are in the outbox");
            continue;
        };
        sent += 1;
        assert!(last.created_at < sent_at && sent_at <= now, "sent after the last version was written");
        assert_eq!(messages.len(), 1);
        let m = messages[0];
        assert_eq!((m.version, m.sent_at, &m.body, &m.title), (last.version, sent_at, &last.body, &doc.title));
        assert_eq!((&m.child_views, &m.family_comment), (&last.child_views, &last.family_comment));
        let referral = b.referrals.iter().find(|r| r.referral.id == doc.referral_id).unwrap();
        assert_eq!(m.recipient_id, referral.referral.caseworker_id);
        assert_eq!(Some(m.sent_by), referral.referral.coordinator_id);
        let supervised = referral.referral.intervention == Intervention::SupervisedVisitation;
        if doc.kind == DocumentKind::WrittenDescription && supervised {
            assert_eq!(last.family_read_at, None, "a supervised visit's description goes straight to the caseworker");
        } else {
            let read = last.family_read_at.expect("the family read it before it was sent");
            assert!(last.created_at < read && read <= sent_at);
        }
    }
    assert!(sent > 0);
    assert_eq!(b.outbox.len(), sent);
    let tz = samvirke_domain::calendar::copenhagen();
    for d in &b.documents {
        let v = &d.versions[0];
        let case = b.cases.iter().find(|c| c.id == d.document.case_id).unwrap();
        let age = case.child.age_on(d.document.created_at.to_zoned(tz.clone()).date());
        let heard = d.document.kind != DocumentKind::WrittenDescription && age >= 10;
        assert_eq!(v.child_views.is_some(), heard, "letters about a child of 10 or more give the child's views");
        assert!(v.family_comment.is_none() || v.family_read_at.is_some(), "a comment means the family read it");
    }
    let heard = b.documents.iter().filter(|d| d.versions[0].child_views.is_some()).count();
    assert!(heard > 0, "some letter gives the child's views");
}

#[test]
fn every_cpr_number_parses_and_gives_a_child_aged_0_to_17() {
    let o = opts(3, Scale::Provider);
    let b = all(&o);
    let mut seen = HashSet::new();
    for c in &b.cases {
        let parsed = Cpr::parse(&c.child.cpr.reveal()).expect("parses");
        assert_eq!(parsed.birth_date(), c.child.birth_date());
        assert!(c.child.age_on(o.today) <= 17);
        assert!(seen.insert(c.child.cpr.reveal()), "unique");
    }
}

#[test]
fn nothing_printed_in_the_seed_pages_appears_in_the_data() {
    let d = digest(&all(&opts(4, Scale::DenmarkPart { per_mille: 20 })));
    for word in d.split(|c: char| !c.is_alphanumeric()) {
        assert!(!data::FORBIDDEN_NAME_PARTS.contains(&word), "{word}");
    }
    for s in ["21543904", "21 54 39 04", "4016 3898", "40163898", "herning.dk", "HUSet"] {
        assert!(!d.contains(s), "{s}");
    }
}

/// No practitioner and no room is in two places at once.
fn assert_no_double_booking(b: &Batch) {
    let mut by_staff: HashMap<_, Vec<_>> = HashMap::new();
    let mut by_room: HashMap<_, Vec<_>> = HashMap::new();
    for a in &b.appointments {
        for p in a.practitioners.ids() {
            by_staff.entry(*p).or_default().push(a.occupied());
        }
        if let samvirke_domain::appointment::Location::Room(r) = a.location {
            by_room.entry(r).or_default().push(a.occupied());
        }
    }
    for (what, map) in
        [("practitioner", by_staff.into_values().collect::<Vec<_>>()), ("room", by_room.into_values().collect())]
    {
        for mut spans in map {
            spans.sort_by_key(|s| s.start);
            for w in spans.windows(2) {
                assert!(!w[0].overlaps(&w[1]), "a {what} is double-booked: {:?} and {:?}", w[0], w[1]);
            }
        }
    }
}

/// Supervised visits lie inside a committee decision's period, and nothing is on a public holiday.
fn assert_visits_follow_the_rules(b: &Batch) {
    let tz = samvirke_domain::calendar::copenhagen();
    let supervised: HashSet<_> = b
        .referrals
        .iter()
        .filter(|r| r.referral.intervention == Intervention::SupervisedVisitation)
        .map(|r| r.referral.id)
        .collect();
    let mut n = 0;
    for a in &b.appointments {
        let day = a.planned.start.to_zoned(tz.clone()).date();
        assert!(samvirke_domain::calendar::holiday_on(day).is_none(), "an appointment on a public holiday");
        if a.kind == AppointmentKind::Visit && supervised.contains(&a.referral_id) {
            n += 1;
            let ok = b.decisions.iter().any(|d| {
                d.case_id == a.case_id && d.kind == DecisionKind::SupervisedVisitation && d.period.contains(day)
            });
            assert!(ok, "a supervised visit outside every decision period");
        }
    }
    assert!(n > 0);
}

#[test]
fn nobody_and_no_room_is_double_booked_and_visits_follow_the_rules() {
    let b = all(&opts(5, Scale::Provider));
    assert_no_double_booking(&b);
    assert_visits_follow_the_rules(&b);
}

#[test]
fn outcomes_belong_to_the_past() {
    let o = opts(6, Scale::Provider);
    let b = all(&o);
    let now = o.today.at(6, 0, 0, 0).to_zoned(samvirke_domain::calendar::copenhagen()).unwrap().timestamp();
    for a in &b.appointments {
        if a.outcome.is_some() {
            assert!(a.planned.end <= now);
            assert!(a.outcome_recorded_at.unwrap() <= now);
        }
    }
    assert!(b.appointments.iter().any(|a| matches!(a.outcome, Some(Outcome::EndedEarly { .. }))));
    assert!(b.journal.iter().all(|j| j.written_at <= now));
}

#[test]
fn a_part_of_denmark_goes_through_the_national_code_path() {
    let b = all(&opts(7, Scale::DenmarkPart { per_mille: 10 }));
    let c = b.counts();
    eprintln!("{c:#?}");
    assert_eq!(c.municipalities, 98);
    assert!(c.providers >= 2);
    assert!((110..=150).contains(&c.cases), "{} cases", c.cases);
    assert_no_double_booking(&b);
    assert_visits_follow_the_rules(&b);
}

/// Prints a profile of a data set: `cargo test -p samvirke-demo profile -- --ignored --nocapture`.
#[test]
#[ignore]
fn profile() {
    let scale = match std::env::var("DEMO_PER_MILLE") {
        Ok(v) => Scale::DenmarkPart { per_mille: v.parse().unwrap() },
        Err(_) => Scale::Provider,
    };
    let o = opts(std::env::var("DEMO_SEED").map_or(1, |s| s.parse().unwrap()), scale);
    let t0 = std::time::Instant::now();
    let b = all(&o);
    eprintln!("generated in {:?}", t0.elapsed());
    let c = b.counts();
    eprintln!("{c:#?}\ntotal records {}", c.total());
    let tz = samvirke_domain::calendar::copenhagen();
    let now = o.today.at(6, 0, 0, 0).to_zoned(tz.clone()).unwrap().timestamp();
    let past = b.appointments.iter().filter(|a| a.planned.end <= now).count();
    eprintln!(
        "appointments: {} past {} ({:.0} %), with outcome {} ({:.0} % of all, {:.0} % of past)",
        c.appointments,
        past,
        100.0 * past as f64 / c.appointments as f64,
        c.appointments_with_outcome,
        100.0 * c.appointments_with_outcome as f64 / c.appointments as f64,
        100.0 * c.appointments_with_outcome as f64 / past as f64
    );
    let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
    for a in &b.appointments {
        *kinds.entry(format!("{:?}", a.kind)).or_default() += 1;
    }
    eprintln!("{kinds:#?}");
    let mut outcomes: std::collections::BTreeMap<String, usize> = Default::default();
    for a in &b.appointments {
        let k = match &a.outcome {
            None => "none".to_string(),
            Some(Outcome::Cancelled { by, .. }) => format!("cancelled by {by:?}"),
            Some(Outcome::NoShow { who }) => format!("no-show {who:?}"),
            Some(o) => o.code().to_string(),
        };
        *outcomes.entry(k).or_default() += 1;
    }
    eprintln!("{outcomes:#?}");
    let unassigned = b.appointments.iter().filter(|a| a.practitioners.is_empty()).count();
    let today = b.appointments.iter().filter(|a| a.planned.start.to_zoned(tz.clone()).date() == o.today).count();
    eprintln!("unassigned {unassigned}, today {today}");
    let mut states: std::collections::BTreeMap<String, usize> = Default::default();
    for r in &b.referrals {
        *states.entry(format!("{:?} {:?}", r.referral.intervention, r.referral.state)).or_default() += 1;
    }
    eprintln!("{states:#?}");
    let mut docs: std::collections::BTreeMap<String, usize> = Default::default();
    for d in &b.documents {
        *docs.entry(format!("{:?} {:?}", d.document.kind, d.document.state)).or_default() += 1;
    }
    eprintln!("{docs:#?}");
    for r in
        b.referrals.iter().filter(|r| r.referral.state == samvirke_domain::referral::ReferralState::Active).take(60)
    {
        let used: u32 = b.time_entries.iter().filter(|t| t.referral_id == r.referral.id).map(|t| t.minutes.get()).sum();
        eprint!("{}/{}h ", used / 60, r.referral.terms.ordered_hours);
    }
    eprintln!();
    // Load per practitioner per week over the next two weeks.
    let mut load: std::collections::BTreeMap<String, i64> = Default::default();
    let until = now + jiff::ToSpan::hours(24 * 14);
    for a in b.appointments.iter().filter(|a| a.planned.start >= now && a.planned.start < until) {
        for p in a.practitioners.ids() {
            let s = b.staff.iter().find(|s| s.id == *p).unwrap();
            *load.entry(format!("{:?} {}", s.employment, s.name)).or_default() += a.planned.minutes();
        }
    }
    for (k, v) in &load {
        eprintln!("  {k}: {:.1} h/week", *v as f64 / 60.0 / 2.0);
    }
    for j in b.journal.iter().step_by(b.journal.len() / 12 + 1) {
        eprintln!("- {}", j.body);
    }
    for d in b.documents.iter().step_by(b.documents.len() / 4 + 1) {
        eprintln!(
            "# {}\n{}\n{:?}",
            d.document.title,
            d.versions[0].body,
            d.versions[0].family_comment.as_ref().map(|c| c.to_string())
        );
    }
    for r in b.referrals.iter().take(6) {
        eprintln!(
            "{:?}: {:?}",
            r.referral.intervention,
            r.referral.terms.work_goals.iter().map(|g| g.to_string()).collect::<Vec<_>>()
        );
    }
}
