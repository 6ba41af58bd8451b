//! Loads a national-size data set into a fresh PostgreSQL database and prints
//! the insert rate of `insert_appointments` and the time of every list filter.
//!
//! ```sh
//! cargo run -p samvirke-store-postgres --example postgres_national -- [APPOINTMENTS] [--keep]
//!     [--without-booking-constraints]
//! ```
//!
//! Defaults to 1,000,000 appointments over 12,000 cases. The database is made
//! on `SAMVIRKE_TEST_POSTGRES_URL` (default: local server) and dropped at the
//! end unless `--keep` is given (then its URL is printed, for `EXPLAIN`).
//! `--without-booking-constraints` drops the exclusion constraints against
//! double booking first, to measure what they cost.

use jiff::ToSpan;
use samvirke_domain::appointment::*;
use samvirke_domain::catalogue::Intervention;
use samvirke_domain::organisation::*;
use samvirke_domain::referral::ReferralState;
use samvirke_domain::time::TimeRange;
use samvirke_domain::*;
use samvirke_store::conformance::fixtures::*;
use samvirke_store::*;
use samvirke_store_postgres::{PgStore, PgTestDatabase};
use std::time::Instant;

const CASES: usize = 12_000;
const PROVIDERS: usize = 60;
const PRACTITIONERS_PER_PROVIDER: usize = 25;
const ROOMS_PER_PROVIDER: usize = 3;
/// Appointments per `insert_appointments` call and per transaction.
const CHUNK: usize = 20_000;

/// A small deterministic generator, so runs are comparable.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

struct Provider {
    id: ProviderId,
    staff: Vec<StaffId>,
    rooms: Vec<RoomId>,
}

struct CaseRow {
    id: CaseId,
    provider: usize,
    referral: ReferralId,
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let total: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let keep = args.iter().any(|a| a == "--keep");
    let db = PgTestDatabase::create().await;
    // One connection, so that its server process's CPU time is the inserts' own.
    let one = sqlx::postgres::PgPoolOptions::new().max_connections(1);
    let store = &PgStore::connect_with(db.url().parse().unwrap(), one).await.unwrap();
    if args.iter().any(|a| a == "--without-booking-constraints") {
        // For comparison only: the schema before migration 5's exclusion constraints.
        for sql in [
            "ALTER TABLE appointments DROP CONSTRAINT appointments_room_booked_once",
            "ALTER TABLE appointment_staff DROP CONSTRAINT appointment_staff_booked_once",
        ] {
            sqlx::query(sql).execute(store.pool()).await.unwrap();
        }
    }
    let backend: i32 = sqlx::query_scalar("SELECT pg_backend_pid()").fetch_one(store.pool()).await.unwrap();
    let backend = backend.unsigned_abs();
    if let Ok(sql) = std::env::var("BENCH_SQL") {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(store.pool()).await.unwrap();
    }
    let mut rng = Lcg(42);

    // --- Organisation, cases and referrals ---
    let t0 = Instant::now();
    let mut t = store.begin().await.unwrap();
    let municipality = municipality(657, "Herning Kommune");
    t.insert_municipality(&municipality).await.unwrap();
    let caseworker = {
        let mut s = practitioner(ProviderId::new(), "Lene Bach", Employment::Permanent);
        s.role = StaffRole::Caseworker;
        s.employer = Employer::Municipality(municipality.id);
        s
    };
    t.insert_staff(&caseworker).await.unwrap();
    let mut providers = Vec::new();
    for p in 0..PROVIDERS {
        let provider = samvirke_domain::organisation::Provider {
            id: ProviderId::new(),
            name: text(&format!("Udbyder {p}")),
            municipalities: vec![municipality.id],
        };
        t.insert_provider(&provider).await.unwrap();
        let mut staff = Vec::new();
        for i in 0..PRACTITIONERS_PER_PROVIDER {
            let s = practitioner(provider.id, &format!("Medarbejder {p}-{i}"), Employment::Hourly);
            t.insert_staff(&s).await.unwrap();
            staff.push(s.id);
        }
        let mut rooms = Vec::new();
        for i in 0..ROOMS_PER_PROVIDER {
            let r = room(provider.id, &format!("Samværsrum {i}"));
            t.insert_room(&r).await.unwrap();
            rooms.push(r.id);
        }
        providers.push(Provider { id: provider.id, staff, rooms });
    }
    let mut cases = Vec::new();
    let mother = FamilyMemberId::new();
    for i in 0..CASES {
        let provider = i % PROVIDERS;
        // Unique, valid CPR numbers: day 01–28, month 01–12, year 00–99, serial.
        let cpr = format!("{:02}{:02}{:02}{:04}", 1 + i % 28, 1 + (i / 28) % 12, (i / 336) % 100, 4000 + i % 1000);
        let c = case(providers[provider].id, municipality.id, &format!("Barn {i}"), &cpr);
        t.insert_case(&c).await.unwrap();
        let mut r = referral(c.id, caseworker.id, mother, Intervention::SupportedVisitation);
        r.state = ReferralState::Active;
        r.coordinator_id = Some(providers[provider].staff[0]);
        r.practitioner_ids = vec![providers[provider].staff[1 + i % (PRACTITIONERS_PER_PROVIDER - 1)]];
        t.insert_referral(&r, &first_version(&r, caseworker.id)).await.unwrap();
        cases.push(CaseRow { id: c.id, provider, referral: r.id });
    }
    t.commit().await.unwrap();
    println!("{CASES} cases with referrals, {PROVIDERS} providers: {:.1} s", t0.elapsed().as_secs_f64());

    // --- Appointments: two years, most of them in the past with an outcome ---
    let epoch = ts("2025-01-06T07:00:00Z");
    let now = ts("2026-01-05T07:00:00Z");
    let mut busy = Busy::default();
    let mut make = |rng: &mut Lcg, n: usize| -> Appointment {
        let k = &cases[rng.next(cases.len())];
        let p = &providers[k.provider];
        let when = |rng: &mut Lcg| {
            let start =
                epoch + ((rng.next(730) * 24 + rng.next(12)) as i64).hours() + (rng.next(4) as i64 * 15).minutes();
            TimeRange::new(start, start + (60 + rng.next(4) as i64 * 30).minutes()).unwrap()
        };
        let mut planned = when(rng);
        let mut staff = match rng.next(10) {
            0 => vec![],
            1 => vec![p.staff[1], p.staff[2]],
            _ => vec![p.staff[1 + rng.next(PRACTITIONERS_PER_PROVIDER - 1)]],
        };
        let mut room = n.is_multiple_of(3).then(|| p.rooms[rng.next(p.rooms.len())]);
        // Another time while the room or a practitioner is taken; after a few, at home and unassigned.
        let mut tries = 0;
        while !busy.book(room, &staff, planned) {
            tries += 1;
            if tries == 8 {
                (room, staff) = (None, vec![]);
            }
            planned = when(rng);
        }
        let past = planned.end < now;
        Appointment {
            id: AppointmentId::new(),
            case_id: k.id,
            referral_id: k.referral,
            kind: AppointmentKind::ALL[rng.next(AppointmentKind::ALL.len())],
            planned,
            location: room.map_or(Location::FamilyHome, Location::Room),
            practitioners: Practitioners::new(staff).unwrap(),
            participants: vec![Participant::Child, Participant::FamilyMember(mother)],
            arrival: None,
            series_id: None,
            actual: past.then_some(planned),
            outcome: past.then(|| Outcome::Held { brought_by: Some(text("Plejemor")), incidents: None }),
            outcome_recorded_at: past.then_some(planned.end),
            created_at: epoch,
            revision: 1,
        }
    };
    let mut inserted = 0;
    let mut insert_time = 0.0;
    let cpu_before = (cpu_seconds(&[std::process::id()]), cpu_seconds(&[backend]));
    while inserted < total {
        let n = CHUNK.min(total - inserted);
        let batch: Vec<Appointment> = (0..n).map(|i| make(&mut rng, inserted + i)).collect();
        let t0 = Instant::now();
        let mut t = store.begin().await.unwrap();
        t.insert_appointments(&batch).await.unwrap();
        t.commit().await.unwrap();
        insert_time += t0.elapsed().as_secs_f64();
        inserted += n;
    }
    let client_cpu = cpu_seconds(&[std::process::id()]) - cpu_before.0;
    let server_cpu = cpu_seconds(&[backend]) - cpu_before.1;
    println!(
        "insert_appointments: {inserted} appointments in {insert_time:.1} s = {:.0} appointments/s (wall clock)",
        inserted as f64 / insert_time
    );
    // On a shared machine the wall clock includes waiting for a core; the CPU
    // time spent by this program and the server is what the inserts cost.
    println!(
        "  CPU: client {client_cpu:.1} s, server process {server_cpu:.1} s = {:.0} appointments per CPU second",
        inserted as f64 / (client_cpu + server_cpu)
    );
    sqlx::query("ANALYZE").execute(store.pool()).await.unwrap();

    // --- Filters ---
    let week = TimeRange::new(ts("2025-06-02T00:00:00Z"), ts("2025-06-09T00:00:00Z")).unwrap();
    let p0 = &providers[0];
    let k0 = &cases[0];
    let mut r = store.begin_read().await.unwrap();
    macro_rules! time {
        ($label:expr, $call:expr) => {{
            let t0 = Instant::now();
            let n = $call.await.unwrap();
            println!("{:>8.2} ms  {:<52} {}", t0.elapsed().as_secs_f64() * 1000.0, $label, n);
        }};
    }
    let a = |f: AppointmentFilter| f;
    let d = AppointmentFilter::default;
    for (label, f) in [
        ("appointments: all, first page", a(d())),
        ("appointments: during a week (national)", a(AppointmentFilter { during: Some(week), ..d() })),
        ("appointments: staff + week", a(AppointmentFilter { staff: Some(p0.staff[1]), during: Some(week), ..d() })),
        ("appointments: staff, all", a(AppointmentFilter { staff: Some(p0.staff[1]), ..d() })),
        ("appointments: room + week", a(AppointmentFilter { room: Some(p0.rooms[0]), during: Some(week), ..d() })),
        ("appointments: case", a(AppointmentFilter { case: Some(k0.id), ..d() })),
        ("appointments: referral", a(AppointmentFilter { referral: Some(k0.referral), ..d() })),
        ("appointments: provider + week", a(AppointmentFilter { provider: Some(p0.id), during: Some(week), ..d() })),
        ("appointments: provider, all", a(AppointmentFilter { provider: Some(p0.id), ..d() })),
        (
            "appointments: kinds + week",
            a(AppointmentFilter { kinds: vec![AppointmentKind::NetworkMeeting], during: Some(week), ..d() }),
        ),
        ("appointments: kinds, all", a(AppointmentFilter { kinds: vec![AppointmentKind::NetworkMeeting], ..d() })),
        ("appointments: without outcome", a(AppointmentFilter { without_outcome: true, ..d() })),
        (
            "appointments: provider + without outcome",
            a(AppointmentFilter { provider: Some(p0.id), without_outcome: true, ..d() }),
        ),
        ("appointments: unassigned + week", a(AppointmentFilter { unassigned: true, during: Some(week), ..d() })),
        ("appointments: unassigned, all", a(AppointmentFilter { unassigned: true, ..d() })),
        (
            "appointments: keyset page after the week's start",
            a(AppointmentFilter { after: Some((week.start, AppointmentId(uuid::Uuid::nil()))), ..d() }),
        ),
    ] {
        time!(label, async { r.appointments(&f, 1000).await.map(|v| v.len()) });
    }
    let cf = CaseFilter::default;
    time!("cases: first page", async { r.cases(&cf(), Page::first(1000)).await.map(|v| v.len()) });
    time!("cases: provider", async {
        r.cases(&CaseFilter { provider: Some(p0.id), ..cf() }, Page::first(1000)).await.map(|v| v.len())
    });
    time!("cases: staff", async {
        r.cases(&CaseFilter { staff: Some(p0.staff[1]), ..cf() }, Page::first(1000)).await.map(|v| v.len())
    });
    time!("cases: coordinator (staff), open only", async {
        r.cases(&CaseFilter { staff: Some(p0.staff[0]), open_only: true, ..cf() }, Page::first(1000))
            .await
            .map(|v| v.len())
    });
    time!("count_cases: municipality", async {
        r.count_cases(&CaseFilter { municipality: Some(municipality.id), ..cf() }).await
    });
    time!("count_cases: staff", async { r.count_cases(&CaseFilter { staff: Some(p0.staff[1]), ..cf() }).await });
    time!("cases_by_cpr", async {
        let c = r.case(k0.id).await?;
        r.cases_by_cpr(c.provider_id, &c.child.cpr).await.map(|v| v.len())
    });
    let rf = ReferralFilter::default;
    time!("referrals: assigned", async {
        r.referrals(&ReferralFilter { assigned: Some(p0.staff[1]), ..rf() }, Page::first(1000)).await.map(|v| v.len())
    });
    time!("referrals: provider + state", async {
        r.referrals(
            &ReferralFilter { provider: Some(p0.id), states: vec![ReferralState::Active], ..rf() },
            Page::first(1000),
        )
        .await
        .map(|v| v.len())
    });
    time!("referrals: received (queue)", async {
        r.referrals(&ReferralFilter { states: vec![ReferralState::Received], ..rf() }, Page::first(100))
            .await
            .map(|v| v.len())
    });
    time!("referrals: caseworker, page 2", async {
        let first = r.referrals(&ReferralFilter { caseworker: Some(caseworker.id), ..rf() }, Page::first(1000)).await?;
        let after = first.last().map(|x| x.id.uuid()).unwrap_or_default();
        r.referrals(&ReferralFilter { caseworker: Some(caseworker.id), ..rf() }, Page::after(1000, after))
            .await
            .map(|v| v.len())
    });
    time!("documents: provider", async {
        r.documents(&DocumentFilter { provider: Some(p0.id), ..Default::default() }, Page::first(100))
            .await
            .map(|v| v.len())
    });
    time!("absences: everyone, a week", async { r.absences(None, week).await.map(|v| v.len()) });
    time!("list_staff: provider", async {
        r.list_staff(&StaffFilter { provider: Some(p0.id), ..Default::default() }).await.map(|v| v.len())
    });
    drop(r);

    store.close().await;
    if keep {
        println!("kept: {}", db.url());
    } else {
        db.drop_database().await;
    }
}

/// CPU seconds (user + system) used so far by the given processes, from /proc (Linux only; 0 elsewhere).
fn cpu_seconds(pids: &[u32]) -> f64 {
    let ticks_per_second = 100.0;
    pids.iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/stat")).ok())
        .filter_map(|stat| {
            // Fields after the command name, which is in parentheses and may hold spaces.
            let rest = stat.rsplit_once(')')?.1;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let utime: f64 = fields.get(11)?.parse().ok()?;
            let stime: f64 = fields.get(12)?.parse().ok()?;
            Some((utime + stime) / ticks_per_second)
        })
        .sum()
}
