//! A national data set on SQLite: how fast appointments go in, and how fast
//! the list queries come back.
//!
//! ```text
//! cargo run --release -p samvirke-store-sqlite --example national -- \
//!     [appointments] [cases] [--per-transaction N] [--dir FOLDER] [--without-booking-triggers]
//! ```
//!
//! Defaults: 1,000,000 appointments over 12,000 cases, 5,000 appointments per
//! transaction (as the demo generator commits), in a temporary folder removed
//! afterwards. The figures are recorded in this crate's BENCHMARKS.md.

use jiff::civil::date;
use jiff::{Timestamp, ToSpan};
use samvirke_domain::appointment::*;
use samvirke_domain::case::*;
use samvirke_domain::catalogue::Intervention;
use samvirke_domain::cpr::Cpr;
use samvirke_domain::organisation::*;
use samvirke_domain::referral::*;
use samvirke_domain::text::*;
use samvirke_domain::time::*;
use samvirke_domain::*;
use samvirke_store::conformance::fixtures::Busy;
use samvirke_store::*;
use samvirke_store_sqlite::SqliteStore;
use std::time::{Duration, Instant};

const PROVIDERS: usize = 100;
const PRACTITIONERS_PER_PROVIDER: usize = 20;
const ROOMS_PER_PROVIDER: usize = 3;
const MUNICIPALITIES: usize = 98;
/// Appointments per call of `insert_appointments`, as the demo generator makes them.
const CALL: usize = 1_000;
/// Appointments per transaction by default, as the demo generator commits them.
const TRANSACTION: usize = 5_000;

fn text<const MAX: usize>(s: &str) -> BoundedText<MAX, false> {
    BoundedText::parse(s).expect("valid text")
}

/// A small deterministic generator, so runs compare.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

struct World {
    providers: Vec<ProviderId>,
    practitioners: Vec<Vec<StaffId>>,
    rooms: Vec<Vec<RoomId>>,
    municipalities: Vec<MunicipalityId>,
    /// (case, provider index, referral, CPR)
    cases: Vec<(CaseId, usize, ReferralId, Cpr)>,
}

async fn build_world(store: &SqliteStore, cases: usize) -> World {
    let mut tx = store.begin().await.unwrap();
    let mut municipalities = Vec::new();
    let mut caseworkers = Vec::new();
    let (mut providers, mut practitioners, mut rooms) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..MUNICIPALITIES {
        let m = Municipality {
            id: MunicipalityId::new(),
            code: MunicipalityCode::new(101 + 7 * i as u16).unwrap(),
            name: text(&format!("Kommune {i}")),
        };
        tx.insert_municipality(&m).await.unwrap();
        let caseworker = staff(&format!("Sagsbehandler {i}"), StaffRole::Caseworker, Employer::Municipality(m.id));
        tx.insert_staff(&caseworker).await.unwrap();
        municipalities.push(m.id);
        caseworkers.push(caseworker.id);
    }
    for p in 0..PROVIDERS {
        let provider = Provider {
            id: ProviderId::new(),
            name: text(&format!("Udbyder {p}")),
            municipalities: vec![municipalities[p % MUNICIPALITIES]],
        };
        tx.insert_provider(&provider).await.unwrap();
        let mut ps = Vec::new();
        for s in 0..PRACTITIONERS_PER_PROVIDER {
            let st = staff(&format!("Medarbejder {p}-{s}"), StaffRole::Practitioner, Employer::Provider(provider.id));
            tx.insert_staff(&st).await.unwrap();
            ps.push(st.id);
        }
        let mut rs = Vec::new();
        for r in 0..ROOMS_PER_PROVIDER {
            let room = Room {
                id: RoomId::new(),
                provider_id: provider.id,
                name: text(&format!("Rum {r}")),
                capacity: 6,
                suitable_for_visits: true,
                opening_hours: WeeklyPattern::default(),
                active: true,
            };
            tx.insert_room(&room).await.unwrap();
            rs.push(room.id);
        }
        providers.push(provider.id);
        practitioners.push(ps);
        rooms.push(rs);
    }
    let mut all_cases = Vec::new();
    for i in 0..cases {
        let p = i % PROVIDERS;
        let m = p % MUNICIPALITIES;
        // Unique per i: day and year from i, month from i / 1000, serial from i % 1000.
        let cpr = format!("{:02}{:02}{:02}4{:03}", 1 + i % 28, 1 + (i / 1000) % 12, 10 + i % 8, i % 1000);
        let cpr = Cpr::parse(&cpr).unwrap();
        let id = CaseId::new();
        let case = Case {
            id,
            reference: CaseReference::from_id(id),
            provider_id: providers[p],
            municipality_id: municipalities[m],
            child: Child { name: text(&format!("Barn {i}")), cpr: cpr.clone() },
            placement: None,
            opened_on: date(2025, 1, 6),
            closed_on: None,
            created_at: "2025-01-06T09:00:00Z".parse().unwrap(),
            revision: 1,
        };
        tx.insert_case(&case).await.unwrap();
        let referral = Referral {
            id: ReferralId::new(),
            case_id: id,
            intervention: Intervention::SupportedVisitation,
            caseworker_id: caseworkers[m],
            state: ReferralState::Active,
            coordinator_id: None,
            practitioner_ids: vec![practitioners[p][i % PRACTITIONERS_PER_PROVIDER]],
            rejection_reason: None,
            terms: ReferralTerms {
                aimed_at: vec![SupportTarget::Child],
                work_goals: vec![text("Trygge samvær")],
                period: DateRange::new(date(2025, 1, 1), date(2026, 12, 31)).unwrap(),
                ordered_hours: 200,
                frequency: Frequency::new(1, 1).unwrap(),
                two_practitioners: false,
                visitation: None,
                notes: None,
            },
            terms_version: 1,
            received_at: "2025-01-02T10:00:00Z".parse().unwrap(),
            revision: 1,
        };
        let first = ReferralVersion {
            referral_id: referral.id,
            version: 1,
            terms: referral.terms.clone(),
            changed_by: referral.caseworker_id,
            changed_at: referral.received_at,
            reason: None,
        };
        tx.insert_referral(&referral, &first).await.unwrap();
        all_cases.push((id, p, referral.id, cpr));
    }
    tx.commit().await.unwrap();
    World { providers, practitioners, rooms, municipalities, cases: all_cases }
}

fn staff(name: &str, role: StaffRole, employer: Employer) -> Staff {
    Staff {
        id: StaffId::new(),
        name: text(name),
        role,
        employer,
        employment: Employment::Permanent,
        email: None,
        supervision_trained: true,
        working_pattern: WeeklyPattern::default(),
        max_weekly_minutes: None,
        active: true,
    }
}

fn start() -> Timestamp {
    "2025-01-06T08:00:00Z".parse().unwrap()
}

/// The i-th of `n` appointments: provider by provider, case by case, weekly;
/// a tenth with two practitioners, half in a room.
fn appointment(w: &World, i: usize, n: usize, rng: &mut Lcg, busy: &mut Busy) -> Appointment {
    let per_case = n.div_ceil(w.cases.len());
    let (k, week) = (i / per_case, (i % per_case) as i64);
    // Cases were made round-robin over providers; take them provider by provider.
    let per_provider = w.cases.len().div_ceil(PROVIDERS);
    let (p, j) = (k / per_provider, k % per_provider);
    let (case, p, referral, _) = &w.cases[(j * PROVIDERS + p).min(w.cases.len() - 1)];
    let when = |rng: &mut Lcg| {
        let begins = start() + (week * 7 * 24).hours() + (rng.next(5 * 10) as i64 * 60).minutes();
        TimeRange::new(begins, begins + (60 + 30 * rng.next(4) as i64).minutes()).unwrap()
    };
    let mut planned = when(rng);
    let first = w.practitioners[*p][rng.next(PRACTITIONERS_PER_PROVIDER)];
    let mut ids = vec![first];
    if rng.next(10) == 0 {
        let second = w.practitioners[*p][rng.next(PRACTITIONERS_PER_PROVIDER)];
        if second != first {
            ids.push(second);
        }
    }
    let mut room = (rng.next(2) == 0).then(|| w.rooms[*p][rng.next(ROOMS_PER_PROVIDER)]);
    // Another time in the week while the room or a practitioner is taken; after a few, at home and unassigned.
    let mut tries = 0;
    while !busy.book(room, &ids, planned) {
        tries += 1;
        if tries == 8 {
            (room, ids) = (None, vec![]);
        }
        planned = when(rng);
    }
    let (begins, ends) = (planned.start, planned.end);
    let location = room.map_or(Location::FamilyHome, Location::Room);
    // Appointments before May 2026 have taken place.
    let past = begins < "2026-05-01T00:00:00Z".parse::<Timestamp>().unwrap();
    let outcome = past.then(|| match rng.next(10) {
        0 => Outcome::Cancelled { by: CancelledBy::Parent, reason: None },
        _ => Outcome::Held { brought_by: Some(text("Plejemor")), incidents: None },
    });
    Appointment {
        id: AppointmentId::new(),
        case_id: *case,
        referral_id: *referral,
        kind: AppointmentKind::Visit,
        planned: TimeRange::new(begins, ends).unwrap(),
        location,
        practitioners: Practitioners::new(ids).unwrap(),
        participants: vec![Participant::Child],
        arrival: None,
        series_id: Some(SeriesId(case.uuid())),
        actual: outcome.as_ref().filter(|o| o.took_place()).map(|_| TimeRange::new(begins, ends).unwrap()),
        outcome_recorded_at: outcome.as_ref().map(|_| ends),
        outcome,
        created_at: start(),
        revision: 1,
    }
}

/// CPU time of this process so far (user + system), where the platform tells it.
fn cpu_time() -> Option<Duration> {
    // Fields 14 and 15 of /proc/self/stat, in clock ticks (100 per second on Linux).
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Runs `f` for `n` random picks and returns the mean time and the mean row count.
async fn measure<F>(store: &SqliteStore, n: usize, mut f: F) -> (Duration, f64)
where
    F: for<'a> FnMut(&'a mut dyn Tx, usize) -> std::pin::Pin<Box<dyn std::future::Future<Output = usize> + Send + 'a>>,
{
    let mut rng = Lcg(7);
    let mut rows = 0;
    let began = Instant::now();
    for _ in 0..n {
        let mut r = store.begin_read().await.unwrap();
        rows += f(&mut *r, rng.next(1 << 30)).await;
    }
    (began.elapsed() / n as u32, rows as f64 / n as f64)
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (mut positional, mut per_transaction, mut dir) = (Vec::new(), TRANSACTION, None);
    let mut without_booking_triggers = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--per-transaction" => per_transaction = args.next().expect("a number").parse().unwrap(),
            "--dir" => dir = args.next().map(std::path::PathBuf::from),
            "--without-booking-triggers" => without_booking_triggers = true,
            _ => positional.push(a.parse::<usize>().expect("a number")),
        }
    }
    let appointments = positional.first().copied().unwrap_or(1_000_000);
    let cases = positional.get(1).copied().unwrap_or(12_000);
    let (dir, temporary) = match dir {
        Some(d) => (d, false),
        None => (std::env::temp_dir().join(format!("samvirke-national-{}", uuid::Uuid::now_v7().simple())), true),
    };
    let store = SqliteStore::open(&dir).await.unwrap();
    store.migrate().await.unwrap();
    if without_booking_triggers {
        // For comparison only: the schema without migration 5's checks against double booking.
        use sqlx::Connection;
        let mut c =
            sqlx::SqliteConnection::connect(&format!("sqlite://{}", dir.join("samvirke.db").display())).await.unwrap();
        for sql in [
            "DROP TRIGGER appointments_room_booked_once_on_insert",
            "DROP TRIGGER appointments_booked_once_on_update",
            "DROP TRIGGER appointment_staff_booked_once_on_insert",
            "DROP TRIGGER appointment_staff_booked_once_on_update",
            "DROP INDEX appointments_room_occupancy",
            "DROP INDEX appointment_staff_occupancy",
        ] {
            sqlx::query(sql).execute(&mut c).await.unwrap();
        }
        c.close().await.unwrap();
    }

    let began = Instant::now();
    let w = build_world(&store, cases).await;
    println!(
        "setup: {} municipalities, {} providers, {} practitioners, {} cases and referrals in {:.1?}",
        w.municipalities.len(),
        w.providers.len(),
        w.practitioners.iter().map(Vec::len).sum::<usize>(),
        w.cases.len(),
        began.elapsed()
    );

    let mut rng = Lcg(42);
    let mut busy = Busy::default();
    let mut inserting = Duration::ZERO;
    let mut cpu = Duration::ZERO;
    let mut done = 0;
    while done < appointments {
        let n = per_transaction.min(appointments - done);
        let batch: Vec<Appointment> =
            (done..done + n).map(|i| appointment(&w, i, appointments, &mut rng, &mut busy)).collect();
        let (began, cpu_began) = (Instant::now(), cpu_time());
        let mut tx = store.begin().await.unwrap();
        for call in batch.chunks(CALL) {
            tx.insert_appointments(call).await.unwrap();
        }
        tx.commit().await.unwrap();
        inserting += began.elapsed();
        if let (Some(a), Some(b)) = (cpu_began, cpu_time()) {
            cpu += b - a;
        }
        done += n;
        if done % 100_000 < n {
            println!("  {done}: {:.0} appointments/s so far", done as f64 / inserting.as_secs_f64());
        }
    }
    println!(
        "insert_appointments: {appointments} in {:.1?}, {:.0} appointments/s \
         ({CALL} per call, {per_transaction} per transaction)",
        inserting,
        appointments as f64 / inserting.as_secs_f64()
    );
    println!(
        "  CPU (user + system) while inserting: {cpu:.1?}, {:.1} µs per appointment, {:.0} appointments per CPU-second",
        cpu.as_secs_f64() * 1e6 / appointments as f64,
        appointments as f64 / cpu.as_secs_f64()
    );
    // What a restart does: migrate, which refreshes the planner's statistics.
    let began = Instant::now();
    store.migrate().await.unwrap();
    println!("migrate (PRAGMA optimize) on the full database: {:.1?}", began.elapsed());

    let week = |k: usize| {
        let s = start() + ((k % 100) as i64 * 7 * 24).hours();
        TimeRange::new(s, s + (7 * 24).hours()).unwrap()
    };
    let day = |k: usize| {
        let s = start() + ((k % 700) as i64 * 24).hours();
        TimeRange::new(s, s + 24.hours()).unwrap()
    };
    // The measuring closures borrow the world for any lifetime; it lives until exit anyway.
    let w: &'static World = Box::leak(Box::new(w));
    let report = |name: &str, (t, rows): (Duration, f64)| println!("{name:<48} {t:>10.2?} {rows:>8.1} rows");
    report(
        "appointments of a case (first 100)",
        measure(&store, 200, |r, k| {
            Box::pin(async move {
                let f = AppointmentFilter { case: Some(w.cases[k % w.cases.len()].0), ..Default::default() };
                r.appointments(&f, 100).await.unwrap().len()
            })
        })
        .await,
    );
    report(
        "appointments of a provider in a week",
        measure(&store, 200, |r, k| {
            Box::pin(async move {
                let f = AppointmentFilter {
                    provider: Some(w.providers[k % PROVIDERS]),
                    during: Some(week(k)),
                    ..Default::default()
                };
                r.appointments(&f, 1000).await.unwrap().len()
            })
        })
        .await,
    );
    report(
        "a provider's appointments without outcome, next 50",
        measure(&store, 200, |r, k| {
            Box::pin(async move {
                let f = AppointmentFilter {
                    provider: Some(w.providers[k % PROVIDERS]),
                    without_outcome: true,
                    after: Some((week(k).start, AppointmentId(uuid::Uuid::nil()))),
                    ..Default::default()
                };
                r.appointments(&f, 50).await.unwrap().len()
            })
        })
        .await,
    );
    report(
        "appointments of a practitioner in a week",
        measure(&store, 200, |r, k| {
            Box::pin(async move {
                let p = &w.practitioners[k % PROVIDERS];
                let f = AppointmentFilter {
                    staff: Some(p[k % PRACTITIONERS_PER_PROVIDER]),
                    during: Some(week(k)),
                    ..Default::default()
                };
                r.appointments(&f, 1000).await.unwrap().len()
            })
        })
        .await,
    );
    report(
        "appointments of a room in a week",
        measure(&store, 200, |r, k| {
            Box::pin(async move {
                let f = AppointmentFilter {
                    room: Some(w.rooms[k % PROVIDERS][k % ROOMS_PER_PROVIDER]),
                    during: Some(week(k)),
                    ..Default::default()
                };
                r.appointments(&f, 1000).await.unwrap().len()
            })
        })
        .await,
    );
    report(
        "appointments nationally on a day (first 1000)",
        measure(&store, 50, |r, k| {
            Box::pin(async move {
                let f = AppointmentFilter { during: Some(day(k)), ..Default::default() };
                r.appointments(&f, 1000).await.unwrap().len()
            })
        })
        .await,
    );
    report(
        "cases of a practitioner (first 100)",
        measure(&store, 100, |r, k| {
            Box::pin(async move {
                let p = &w.practitioners[k % PROVIDERS];
                let f = CaseFilter { staff: Some(p[k % PRACTITIONERS_PER_PROVIDER]), ..Default::default() };
                r.cases(&f, Page::first(100)).await.unwrap().len()
            })
        })
        .await,
    );
    report(
        "count open cases of a provider",
        measure(&store, 200, |r, k| {
            Box::pin(async move {
                let f =
                    CaseFilter { provider: Some(w.providers[k % PROVIDERS]), open_only: true, ..Default::default() };
                r.count_cases(&f).await.unwrap() as usize
            })
        })
        .await,
    );
    report(
        "case by CPR number",
        measure(&store, 200, |r, k| {
            Box::pin(async move {
                let (_, p, _, cpr) = &w.cases[k % w.cases.len()];
                r.cases_by_cpr(w.providers[*p], cpr).await.unwrap().len()
            })
        })
        .await,
    );
    report(
        "referrals from a municipality (first 100)",
        measure(&store, 200, |r, k| {
            Box::pin(async move {
                let f =
                    ReferralFilter { municipality: Some(w.municipalities[k % MUNICIPALITIES]), ..Default::default() };
                r.referrals(&f, Page::first(100)).await.unwrap().len()
            })
        })
        .await,
    );
    report(
        "active referrals assigned to a practitioner",
        measure(&store, 200, |r, k| {
            Box::pin(async move {
                let p = &w.practitioners[k % PROVIDERS];
                let f = ReferralFilter {
                    assigned: Some(p[k % PRACTITIONERS_PER_PROVIDER]),
                    states: vec![ReferralState::Active],
                    ..Default::default()
                };
                r.referrals(&f, Page::first(100)).await.unwrap().len()
            })
        })
        .await,
    );
    let size = std::fs::metadata(dir.join(samvirke_store_sqlite::DATABASE_FILE)).map(|m| m.len()).unwrap_or(0);
    println!("database file: {:.0} MB", size as f64 / 1e6);
    store.close().await;
    if temporary {
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
