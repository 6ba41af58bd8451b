//! One provider with everything it holds: staff, rooms, cases, families,
//! referrals, decisions, consents, appointments with outcomes, notes,
//! documents, plans and hours.
//!
//! Appointments are planned the way a coordinator would: each referral gets a
//! weekly slot with its usual practitioner (and a room) that fits the
//! practitioner's working pattern and the child's day; each occurrence is then
//! booked against exact calendars of practitioners, rooms, coordinators and
//! caseworkers, moved by up to an hour or given a substitute when needed, and
//! dropped if nothing fits. So nobody and no room is ever double-booked.

use crate::batch::{Batch, DocumentRecord, ReferralRecord};
use crate::data::{CITY_PARTS, INSTITUTIONS};
use crate::people::{Generation, Name, address, cpr, email, phone, slug};
use crate::texts::{self as tx, Vars, fill};
use crate::util::{Busy, Minute, Resource, hm, lt, mix, pick, st, uuid_at};
use crate::world::{CASEWORKER_MEETING_HOURS, World, pattern};
use jiff::Timestamp;
use jiff::ToSpan;
use jiff::civil::Date;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use samvirke_domain::appointment::*;
use samvirke_domain::case::*;
use samvirke_domain::catalogue::Intervention;
use samvirke_domain::consent::*;
use samvirke_domain::decision::*;
use samvirke_domain::document::*;
use samvirke_domain::journal::*;
use samvirke_domain::organisation::*;
use samvirke_domain::plan::*;
use samvirke_domain::referral::*;
use samvirke_domain::text::{Email, ShortText};
use samvirke_domain::time::{DateRange, Day, Minutes, TimeRange};
use samvirke_domain::time_entry::*;
use samvirke_domain::*;

/// What to build for one provider.
#[derive(Debug, Clone)]
pub struct ProviderSpec {
    /// Stream number for the provider's own random generator.
    pub stream: u64,
    /// Name.
    pub name: String,
    /// Cases per municipality (index into the world's municipalities).
    pub cases: Vec<(usize, usize)>,
    /// Permanent practitioners.
    pub permanent: usize,
    /// Hourly practitioners.
    pub hourly: usize,
    /// Coordinators.
    pub coordinators: usize,
    /// Visitation rooms.
    pub rooms: usize,
}

impl ProviderSpec {
    /// Staff and rooms in proportion to the number of cases, in the shape of the seed provider
    /// (4 permanent and about 15 hourly practitioners and 3 rooms for about 60 cases).
    pub fn sized(stream: u64, name: String, cases: Vec<(usize, usize)>) -> Self {
        let n: usize = cases.iter().map(|c| c.1).sum();
        let n = n.max(1) as f64;
        Self {
            stream,
            name,
            cases,
            permanent: ((n * 4.0 / 60.0).round() as usize).max(2),
            hourly: ((n * 15.0 / 60.0).round() as usize).max(4),
            coordinators: ((n / 90.0).ceil() as usize).max(1),
            rooms: ((n * 3.0 / 60.0).round() as usize).max(2),
        }
    }
}

/// The people of a provider that the CLI makes demo accounts for.
#[derive(Debug, Clone)]
pub struct ProviderKeys {
    pub provider: ProviderId,
    pub coordinator: StaffId,
    pub team_lead: StaffId,
    pub admin: StaffId,
    pub practitioner: StaffId,
    pub hourly_practitioner: StaffId,
    pub caseworkers: Vec<(MunicipalityId, StaffId)>,
    pub parent: Option<FamilyMemberId>,
    pub young_person: Option<CaseId>,
}

#[derive(Debug, Clone, Copy)]
struct Tpl {
    day: u8,
    s: Minute,
    e: Minute,
    interval: u8,
    parity: u8,
}

impl Tpl {
    /// Two weekly slots clash unless they are on different days or times, or
    /// alternate weeks of the same interval.
    fn clashes(&self, o: &Tpl) -> bool {
        self.day == o.day
            && self.s < o.e
            && o.s < self.e
            && !(self.interval == o.interval && self.interval > 1 && self.parity != o.parity)
    }
}

struct Prac {
    id: StaffId,
    res: Resource,
    permanent: bool,
    trained: bool,
    pattern: Vec<Vec<(Minute, Minute)>>,
    max_week: i32,
    load: i32,
    template: Vec<Tpl>,
    absent: Vec<(i32, i32)>,
}

impl Prac {
    fn absent_on(&self, day: i32) -> bool {
        self.absent.iter().any(|&(a, b)| a <= day && day <= b)
    }

    fn covers(&self, wd: u8, s: Minute, e: Minute) -> bool {
        self.pattern[wd as usize].iter().any(|&(ps, pe)| ps <= s && e <= pe)
    }
}

struct Rm {
    id: RoomId,
    res: Resource,
    template: Vec<Tpl>,
}

/// Room opening hours: weekdays 7:30–21:00, weekends 8:30–18:00.
fn room_open(wd: u8, s: Minute, e: Minute) -> bool {
    if wd >= 5 { s >= hm(8, 30) && e <= hm(18, 0) } else { s >= hm(7, 30) && e <= hm(21, 0) }
}

const PERMANENT_PATTERNS: &[&[(usize, Minute, Minute)]] = &[
    &[
        (0, hm(8, 0), hm(16, 0)),
        (1, hm(8, 0), hm(16, 0)),
        (2, hm(8, 0), hm(16, 0)),
        (3, hm(8, 0), hm(16, 0)),
        (4, hm(8, 0), hm(15, 30)),
    ],
    &[
        (0, hm(11, 0), hm(19, 0)),
        (1, hm(11, 0), hm(19, 0)),
        (2, hm(11, 0), hm(19, 0)),
        (3, hm(11, 0), hm(19, 0)),
        (4, hm(9, 0), hm(16, 0)),
    ],
    &[
        (0, hm(8, 30), hm(16, 30)),
        (1, hm(8, 30), hm(16, 30)),
        (2, hm(8, 30), hm(16, 30)),
        (3, hm(8, 30), hm(16, 30)),
        (4, hm(8, 30), hm(14, 0)),
    ],
    &[
        (0, hm(12, 0), hm(20, 0)),
        (1, hm(12, 0), hm(20, 0)),
        (2, hm(12, 0), hm(20, 0)),
        (3, hm(12, 0), hm(20, 0)),
        (4, hm(8, 0), hm(15, 0)),
    ],
];

const HOURLY_PATTERNS: &[&[(usize, Minute, Minute)]] = &[
    &[(0, hm(15, 30), hm(20, 0)), (2, hm(15, 30), hm(20, 0)), (5, hm(9, 0), hm(16, 0))],
    &[(1, hm(15, 0), hm(19, 30)), (3, hm(15, 0), hm(19, 30)), (6, hm(9, 30), hm(15, 30))],
    &[(5, hm(9, 0), hm(17, 0)), (6, hm(9, 0), hm(17, 0))],
    &[(0, hm(16, 0), hm(20, 0)), (1, hm(16, 0), hm(20, 0)), (2, hm(16, 0), hm(20, 0))],
    &[(3, hm(15, 0), hm(20, 0)), (4, hm(14, 0), hm(19, 0)), (5, hm(10, 0), hm(15, 0))],
    &[(2, hm(15, 0), hm(20, 0)), (5, hm(9, 0), hm(14, 0)), (6, hm(10, 0), hm(16, 0))],
    &[(4, hm(13, 0), hm(19, 0)), (6, hm(9, 0), hm(17, 0))],
    &[(1, hm(9, 0), hm(15, 0)), (3, hm(9, 0), hm(15, 0))],
];

const ROOM_NAMES: &[&str] = &[
    "Samværsrum 1 (Solstuen)",
    "Samværsrum 2 (Legestuen)",
    "Samværsrum 3 (Havestuen)",
    "Samværsrum 4 (Køkkenstuen)",
    "Samværsrum 5 (Udestuen)",
    "Samværsrum 6 (Biblioteket)",
    "Samværsrum 7 (Værkstedet)",
    "Samværsrum 8 (Kvistværelset)",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Received,
    Accepted,
    Active,
    Ending,
    Closed,
    Rejected,
}

/// Where a series takes place.
#[derive(Debug, Clone, PartialEq)]
enum Place {
    Room,
    Home,
    Placement,
    Other(String),
    /// Chosen session by session (home support, contact person, parent programme).
    Varies,
}

struct Family {
    case_id: CaseId,
    muni: usize,
    caseworker: usize,
    child_first: String,
    birth: Date,
    placed: bool,
    caregiver_label: &'static str,
    custody: Vec<FamilyMemberId>,
    visiting: Vec<FamilyMemberId>,
    network: Vec<FamilyMemberId>,
    parents: Vec<FamilyMemberId>,
    main_parent: (FamilyMemberId, String, &'static str),
    secret: bool,
    mother_protected: bool,
}

impl Family {
    fn vars<'a>(&'a self, brought_by: &'a str) -> Vars<'a> {
        Vars {
            child: &self.child_first,
            parent: &self.main_parent.1,
            relation: self.main_parent.2,
            brought_by,
            caregiver: self.caregiver_label,
        }
    }
}

struct Plan {
    id: ReferralId,
    intervention: Intervention,
    status: Status,
    start: i32,
    end: i32,
    received: i32,
    received_at: Timestamp,
    /// The end of the first version's period, when the period was later extended.
    first_end: Option<i32>,
    pracs: Vec<usize>,
    eligible: Vec<usize>,
    slots: Vec<(u8, Minute)>,
    interval: u8,
    dur: Minute,
    room: Option<usize>,
    place: Place,
    stagger: Option<(Minute, Minute)>,
    gb_rate: f64,
    ga_rate: f64,
    child_talk: bool,
    caregiver_talk: bool,
    network_visits: Option<FamilyMemberId>,
    two: bool,
    decisions: Vec<(i32, i32)>,
    suspension: Option<(i32, i32)>,
    near_scope: bool,
    written_consent: Vec<(Timestamp, Option<Timestamp>)>,
    coordinator: usize,
}

/// A part of a group of appointments booked together (guidance, visit, talk after).
struct Part {
    kind: AppointmentKind,
    rel: Minute,
    dur: Minute,
    participants: Vec<Participant>,
    staggered: bool,
}

struct Placed {
    start: Minute,
    pracs: Vec<usize>,
    room: Option<usize>,
    /// Past, and the usual practitioner was away with nobody to step in: cancelled by the provider.
    cancelled_absent: bool,
}

#[derive(Clone, Copy)]
enum Loc {
    Room,
    Home,
    Placement,
    Other(usize),
}

/// Budgets for the situations the provider-scale brief wants "one or two" of.
struct Budgets {
    ended_early: u32,
    overdue: u32,
    withdrawn: u32,
    suspensions: u32,
    expiring: u32,
}

pub struct ProviderBuilder<'w> {
    w: &'w mut World,
    rng: ChaCha8Rng,
    spec: ProviderSpec,
    provider_id: ProviderId,
    pracs: Vec<Prac>,
    coordinators: Vec<(StaffId, Resource)>,
    rooms: Vec<Rm>,
    busy: Busy,
    out: Batch,
    others: Vec<String>,
    budgets: Budgets,
    keys: ProviderKeys,
    parent_candidates: Vec<FamilyMemberId>,
    young_candidates: Vec<CaseId>,
    exact: bool,
}

const TRAVEL_BUFFER: Minute = 20;

/// A generator of a document's own, seeded from its id, for what is drawn
/// about its review and sending: the provider's generator, and with it every
/// other record, stays as it was without these draws.
fn document_rng(id: DocumentId) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(id.0.as_u64_pair().1)
}

/// At the national scale, how many days before the window an active course may have begun.
const NATIONAL_ACTIVE_HISTORY: i32 = 730;

impl<'w> ProviderBuilder<'w> {
    /// Builds one provider.
    pub fn build(w: &'w mut World, seed: u64, spec: ProviderSpec) -> (Batch, ProviderKeys) {
        let mut rng = ChaCha8Rng::seed_from_u64(mix(seed, spec.stream));
        let exact = w.cfg.exact;
        let created = w.long_ago();
        let provider_id = ProviderId(uuid_at(&mut rng, created));
        let n_cases: usize = spec.cases.iter().map(|c| c.1).sum();
        let budgets = if exact {
            Budgets { ended_early: 2, overdue: 1, withdrawn: 1, suspensions: 1, expiring: 2 }
        } else {
            let b = (n_cases as u32 / 40).max(1);
            Budgets { ended_early: b * 2, overdue: b, withdrawn: b, suspensions: b, expiring: b * 2 }
        };
        let keys = ProviderKeys {
            provider: provider_id,
            coordinator: StaffId(uuid::Uuid::nil()),
            team_lead: StaffId(uuid::Uuid::nil()),
            admin: StaffId(uuid::Uuid::nil()),
            practitioner: StaffId(uuid::Uuid::nil()),
            hourly_practitioner: StaffId(uuid::Uuid::nil()),
            caseworkers: Vec::new(),
            parent: None,
            young_person: None,
        };
        let mut b = ProviderBuilder {
            w,
            rng,
            spec,
            provider_id,
            pracs: Vec::new(),
            coordinators: Vec::new(),
            rooms: Vec::new(),
            busy: Busy::default(),
            out: Batch::default(),
            others: Vec::new(),
            budgets,
            keys,
            parent_candidates: Vec::new(),
            young_candidates: Vec::new(),
            exact,
        };
        b.organisation();
        b.cases();
        b.finish_keys();
        (b.out, b.keys)
    }

    fn ts(&self, day: i32, minute: Minute) -> Timestamp {
        self.w.at(day, minute)
    }

    /// The instant of a random whole hour (plus `minute`) on a day.
    fn at_hour(&mut self, day: i32, hours: std::ops::RangeInclusive<i32>, minute: Minute) -> Timestamp {
        let h = self.rng.random_range(hours);
        self.ts(day, hm(h, minute))
    }

    fn id_at(&mut self, at: Timestamp) -> uuid::Uuid {
        uuid_at(&mut self.rng, at)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    // --- Organisation -----------------------------------------------------------

    fn organisation(&mut self) {
        let created = self.w.long_ago();
        let mut served: Vec<MunicipalityId> = Vec::new();
        for &(m, _) in &self.spec.cases {
            let id = self.w.munis[m].municipality.id;
            if !served.contains(&id) {
                served.push(id);
            }
        }
        self.out.providers.push(Provider { id: self.provider_id, name: st(&self.spec.name), municipalities: served });
        let domain = format!("{}.example", slug(&self.spec.name));
        let office = pattern(&[
            (0, hm(8, 0), hm(16, 0)),
            (1, hm(8, 0), hm(16, 0)),
            (2, hm(8, 0), hm(16, 0)),
            (3, hm(8, 0), hm(16, 0)),
            (4, hm(8, 0), hm(15, 0)),
        ]);

        let mut used_names = std::collections::HashSet::new();
        let mut new_name = |rng: &mut ChaCha8Rng, female: bool| loop {
            let n = Name::random(rng, female);
            if used_names.insert(n.full()) {
                return n;
            }
        };
        let staff = |b: &mut Self, name: &Name, role: StaffRole, employment: Employment| -> Staff {
            Staff {
                id: StaffId(uuid_at(&mut b.rng, created)),
                name: st(name.full()),
                role,
                employer: Employer::Provider(b.provider_id),
                employment,
                email: Some(Email::parse(email(name, &domain, &mut b.w.emails)).expect("valid e-mail")),
                supervision_trained: false,
                working_pattern: office.clone(),
                max_weekly_minutes: Some(37 * 60),
                active: true,
            }
        };

        for i in 0..self.spec.coordinators {
            let female = self.chance(0.75);
            let n = new_name(&mut self.rng, female);
            let mut s = staff(self, &n, StaffRole::Coordinator, Employment::Permanent);
            s.supervision_trained = true;
            let res = self.w.resource();
            self.coordinators.push((s.id, res));
            if i == 0 {
                self.keys.coordinator = s.id;
            }
            self.out.staff.push(s);
        }
        let female = self.chance(0.7);
        let n = new_name(&mut self.rng, female);
        let lead = staff(self, &n, StaffRole::TeamLead, Employment::Permanent);
        self.keys.team_lead = lead.id;
        self.out.staff.push(lead);
        let female = self.chance(0.5);
        let n = new_name(&mut self.rng, female);
        let mut admin = staff(self, &n, StaffRole::Admin, Employment::Permanent);
        admin.max_weekly_minutes = None;
        self.keys.admin = admin.id;
        self.out.staff.push(admin);

        for i in 0..self.spec.permanent + self.spec.hourly {
            let permanent = i < self.spec.permanent;
            let female = self.chance(0.78);
            let n = new_name(&mut self.rng, female);
            let (slots, max_week): (&[(usize, Minute, Minute)], i32) = if permanent {
                (PERMANENT_PATTERNS[i % PERMANENT_PATTERNS.len()], 37 * 60)
            } else {
                let j = i - self.spec.permanent;
                (
                    HOURLY_PATTERNS[(j + self.spec.stream as usize) % HOURLY_PATTERNS.len()],
                    self.rng.random_range(8..=16) * 60,
                )
            };
            // All permanent practitioners and about half the hourly ones are trained to supervise.
            let trained = permanent || i % 2 == 0;
            let mut s = staff(
                self,
                &n,
                StaffRole::Practitioner,
                if permanent { Employment::Permanent } else { Employment::Hourly },
            );
            s.supervision_trained = trained;
            s.working_pattern = pattern(slots);
            s.max_weekly_minutes = Some(max_week as u32);
            let mut pat = vec![Vec::new(); 7];
            for &(d, a, e) in slots {
                pat[d].push((a, e));
            }
            let res = self.w.resource();
            self.pracs.push(Prac {
                id: s.id,
                res,
                permanent,
                trained,
                pattern: pat,
                // Planned time leaves room for notes, descriptions and travel.
                max_week: if permanent { 26 * 60 } else { max_week },
                load: 0,
                template: Vec::new(),
                absent: Vec::new(),
            });
            self.out.staff.push(s);
        }
        self.keys.practitioner = self.pracs[0].id;
        self.keys.hourly_practitioner = self.pracs[self.spec.permanent].id;

        for i in 0..self.spec.rooms {
            let name = ROOM_NAMES.get(i).map_or_else(|| format!("Samværsrum {}", i + 1), |s| s.to_string());
            let room = Room {
                id: RoomId(uuid_at(&mut self.rng, created)),
                provider_id: self.provider_id,
                name: st(name),
                capacity: self.rng.random_range(5..=9),
                suitable_for_visits: true,
                opening_hours: pattern(&[
                    (0, hm(7, 30), hm(21, 0)),
                    (1, hm(7, 30), hm(21, 0)),
                    (2, hm(7, 30), hm(21, 0)),
                    (3, hm(7, 30), hm(21, 0)),
                    (4, hm(7, 30), hm(21, 0)),
                    (5, hm(8, 30), hm(18, 0)),
                    (6, hm(8, 30), hm(18, 0)),
                ]),
                active: true,
            };
            let res = self.w.resource();
            self.rooms.push(Rm { id: room.id, res, template: Vec::new() });
            self.out.rooms.push(room);
        }

        self.absences();
    }

    /// A few absences: a permanent practitioner on holiday from three days
    /// ahead and an hourly one from ten days ahead (their appointments are left
    /// for the coordinator to reassign), an hourly one ill last week, and a
    /// course day tomorrow.
    fn absences(&mut self) {
        let t = self.w.today;
        let n = self.pracs.len();
        let groups = (n / 20).max(1);
        for g in 0..groups {
            let base = g * 20;
            let holiday = (base + 1).min(n - 1);
            let sick = (base + self.spec.permanent.min(n - 1) + 1).min(n - 1);
            let course = (base + 2).min(n - 1);
            let h0 = t + 3 + self.rng.random_range(0..3);
            let s0 = t - 9 + self.rng.random_range(0..3);
            let hourly_holiday = (base + self.spec.permanent.min(n - 1) + 3).min(n - 1);
            let h1 = t + 10 + self.rng.random_range(0..4);
            let list = [
                (holiday, h0, h0 + 6, AbsenceKind::Holiday),
                (hourly_holiday, h1, h1 + 6, AbsenceKind::Holiday),
                (sick, s0, s0 + 2, AbsenceKind::Sick),
                (course, t + 1, t + 1, AbsenceKind::Course),
            ];
            for (p, from, to, kind) in list {
                if self.pracs[p].absent_on(from) {
                    continue;
                }
                self.pracs[p].absent.push((from, to));
                let during = TimeRange::new(self.ts(from, 0), self.ts(to + 1, 0)).expect("non-empty");
                let id = AbsenceId(self.id_at(self.ts(from - 20, hm(9, 0)).min(self.w.now)));
                self.out.absences.push(Absence { id, staff_id: self.pracs[p].id, during, kind });
            }
        }
    }

    // --- Cases ------------------------------------------------------------------

    /// The interventions and states of the provider's cases.
    fn case_kinds(&mut self) -> Vec<(usize, Intervention, Status)> {
        use Intervention::*;
        use Status::*;
        let mut munis: Vec<usize> = Vec::new();
        for &(m, n) in &self.spec.cases {
            munis.extend(std::iter::repeat_n(m, n));
        }
        let mut kinds: Vec<(Intervention, Status)> = Vec::new();
        if self.exact {
            let shape: [(Intervention, usize, &[Status]); 5] = [
                (SupportedVisitation, 18, &[Received, Accepted, Ending, Closed]),
                (SupervisedVisitation, 16, &[Received, Accepted, Closed]),
                (HomeSupport, 11, &[Received, Ending, Closed]),
                (ContactPerson, 9, &[Rejected, Ending]),
                (ParentProgramme, 6, &[Accepted]),
            ];
            for (i, n, special) in shape {
                for k in 0..n {
                    kinds.push((i, special.get(k).copied().unwrap_or(Active)));
                }
            }
        } else {
            for _ in 0..munis.len() {
                let r: f64 = self.rng.random();
                let i = match r {
                    r if r < 0.30 => SupportedVisitation,
                    r if r < 0.57 => SupervisedVisitation,
                    r if r < 0.75 => HomeSupport,
                    r if r < 0.90 => ContactPerson,
                    _ => ParentProgramme,
                };
                let r: f64 = self.rng.random();
                let s = match r {
                    r if r < 0.03 => Received,
                    r if r < 0.07 => Accepted,
                    r if r < 0.08 => Rejected,
                    r if r < 0.13 => Ending,
                    r if r < 0.13 + self.closed_share() => Closed,
                    _ => Active,
                };
                kinds.push((i, s));
            }
        }
        // Spread kinds over the municipalities.
        munis.truncate(kinds.len());
        while munis.len() < kinds.len() {
            let m = munis[0];
            munis.push(m);
        }
        munis.shuffle(&mut self.rng);
        munis.into_iter().zip(kinds).map(|(m, (i, s))| (m, i, s)).collect()
    }

    /// Share of cases closed within the window: more the longer the window.
    fn closed_share(&self) -> f64 {
        (f64::from(self.w.cfg.back_days) / 365.0 * 0.25).clamp(0.05, 0.3)
    }

    fn cases(&mut self) {
        let kinds = self.case_kinds();
        let mut secondary_budget = if self.exact { 2 } else { usize::MAX };
        for (idx, (muni, intervention, status)) in kinds.into_iter().enumerate() {
            let timeline = self.timeline(intervention, status);
            let created = self.at_hour(timeline.2, 8..=14, 0).min(self.w.now);
            let fam = self.family(muni, intervention, status, created);
            let mut plans = vec![self.plan(&fam, intervention, status, idx, timeline, created)];
            // Parents of a child in care in visitation often get the parent programme too.
            if intervention.is_visitation()
                && status == Status::Active
                && secondary_budget > 0
                && plans[0].start < self.w.today - 30
                && self.chance(if self.exact { 0.25 } else { 0.08 })
            {
                secondary_budget -= 1;
                let mut tl = self.timeline(Intervention::ParentProgramme, Status::Active);
                tl.2 = tl.2.max(plans[0].received + 7).min(self.w.today - 1);
                tl.0 = tl.0.max(tl.2 + 7);
                let at = self.at_hour(tl.2, 8..=14, 0).min(self.w.now);
                let p = self.plan(&fam, Intervention::ParentProgramme, Status::Active, idx, tl, at);
                plans.push(p);
            }
            for plan in &mut plans {
                self.deliver(&fam, plan);
            }
            let closed_on = if plans.iter().all(|p| matches!(p.status, Status::Closed | Status::Rejected)) {
                let last =
                    plans.iter().map(|p| if p.status == Status::Rejected { p.received + 4 } else { p.end + 5 }).max();
                last.map(|d| self.w.days.date(d.min(self.w.today - 1)))
            } else {
                None
            };
            let first_received = plans.iter().map(|p| p.received).min().expect("at least one plan");
            let opened_on = self.w.days.date(first_received);
            let c = self.out.cases.iter_mut().find(|c| c.id == fam.case_id).expect("case was pushed");
            c.closed_on = closed_on;
            c.opened_on = opened_on;
        }
    }

    fn child_age(&mut self, i: Intervention) -> u8 {
        let r = &mut self.rng;
        let young = |r: &mut ChaCha8Rng, max: u8| r.random_range(0..=max).min(r.random_range(0..=max));
        match i {
            Intervention::SupervisedVisitation => young(r, 14),
            Intervention::SupportedVisitation => r.random_range(0..=16),
            Intervention::HomeSupport => r.random_range(0..=13),
            Intervention::ContactPerson => r.random_range(11..=17),
            Intervention::ParentProgramme => young(r, 15),
        }
    }

    /// The child, the family, the placement setting and the case.
    fn family(&mut self, muni: usize, intervention: Intervention, status: Status, created: Timestamp) -> Family {
        let t = self.w.cfg.today;
        let age = self.child_age(intervention);
        let back = self.rng.random_range(1..=364);
        let birth =
            t.checked_sub((age as i32).years()).and_then(|d| d.checked_sub(back.days())).expect("valid birth date");
        let female = self.chance(0.5);
        let child_cpr = cpr(&mut self.rng, birth, female, &mut self.w.cprs);
        let placed = match intervention {
            Intervention::HomeSupport => false,
            Intervention::ContactPerson => self.chance(0.3),
            _ => true,
        };
        let row = self.w.munis[muni].row;
        let (postcode, town) = (row.postcode, row.town);
        let mother_last = pick(&mut self.rng, crate::data::SURNAMES);
        let father_last = if self.chance(0.6) { pick(&mut self.rng, crate::data::SURNAMES) } else { mother_last };
        let child_last = if self.chance(0.6) { mother_last } else { father_last };
        let child = Name::with_last(&mut self.rng, Generation::Child, female, child_last);

        let case_id = loop {
            let id = CaseId(self.id_at(created));
            if self.w.references.insert(CaseReference::from_id(id).to_string()) {
                break id;
            }
        };
        let supervised = intervention == Intervention::SupervisedVisitation;
        let secret = placed && supervised && self.chance(0.35);

        let mut members: Vec<FamilyMember> = Vec::new();
        let mut member = |b: &mut Self,
                          name: &Name,
                          relation: Relation,
                          roles: Vec<FamilyRole>,
                          own_address: bool,
                          protected: bool| {
            let m = FamilyMember {
                id: FamilyMemberId(uuid_at(&mut b.rng, created)),
                case_id,
                name: st(name.full()),
                relation,
                roles: FamilyMember::normalise_roles(roles),
                phone: b.rng.random_bool(0.9).then(|| st(phone(&mut b.rng))),
                email: if b.rng.random_bool(0.5) {
                    Some(Email::parse(email(name, "post.example", &mut b.w.emails)).expect("valid e-mail"))
                } else {
                    None
                },
                address: own_address.then(|| st(address(&mut b.rng, postcode, town))),
                address_protected: protected,
            };
            let id = m.id;
            members.push(m);
            id
        };

        let visitation = intervention.is_visitation();
        let has_mother = self.chance(0.95);
        let has_father = !has_mother || self.chance(0.7);
        let together = !placed && has_mother && has_father && self.chance(0.5);
        let mut custody = Vec::new();
        let mut visiting = Vec::new();
        let mut parents = Vec::new();
        let mut main_parent = None;
        let mother_protected = has_mother && has_father && supervised && self.chance(0.3);
        if has_mother {
            let name = Name::with_last(&mut self.rng, Generation::Adult, true, mother_last);
            let mut roles = Vec::new();
            let has_custody = !placed || self.chance(0.9);
            if has_custody {
                roles.push(FamilyRole::CustodyHolder);
            }
            let visits = visitation && (!has_father || self.chance(0.9));
            if visits {
                roles.push(FamilyRole::VisitingParent);
            }
            let id = member(self, &name, Relation::Mother, roles, true, mother_protected);
            if has_custody {
                custody.push(id);
            }
            if visits {
                visiting.push(id);
            }
            parents.push(id);
            main_parent = Some((id, name.first.clone(), "mor"));
        }
        if has_father {
            let name = Name::with_last(&mut self.rng, Generation::Adult, false, father_last);
            let mut roles = Vec::new();
            let has_custody = custody.is_empty() || together || self.chance(0.4);
            if has_custody {
                roles.push(FamilyRole::CustodyHolder);
            }
            let visits = visitation && (visiting.is_empty() || self.chance(0.55));
            if visits {
                roles.push(FamilyRole::VisitingParent);
            }
            let id = member(self, &name, Relation::Father, roles, !together, false);
            if has_custody {
                custody.push(id);
            }
            if visits {
                visiting.push(id);
            }
            parents.push(id);
            if main_parent.is_none() || (visits && !visiting.contains(&main_parent.as_ref().expect("set").0)) {
                main_parent = Some((id, name.first.clone(), "far"));
            }
        }
        let mut network = Vec::new();
        if self.chance(0.35) {
            // Farmor where there is a father in the case, otherwise mormor.
            let last = if has_father { father_last } else { mother_last };
            let name = Name::with_last(&mut self.rng, Generation::Older, true, last);
            network.push(member(self, &name, Relation::Grandparent, vec![FamilyRole::NetworkMember], true, false));
        }
        if age < 12 && self.chance(0.15) {
            // A grown-up half-sibling with a home of their own.
            let fem = self.chance(0.5);
            let name = Name::with_last(&mut self.rng, Generation::Adult, fem, child_last);
            network.push(member(self, &name, Relation::Sibling, vec![FamilyRole::NetworkMember], true, false));
        }
        if self.chance(0.08) {
            let name = Name::random(&mut self.rng, true);
            network.push(member(self, &name, Relation::OtherRelative, vec![FamilyRole::NetworkMember], true, false));
        }

        let caregiver_label;
        let placement = if placed {
            let kind = {
                let r: f64 = self.rng.random();
                match age {
                    0..=6 => {
                        if r < 0.85 {
                            PlacementKind::FosterFamily
                        } else {
                            PlacementKind::NetworkFosterFamily
                        }
                    }
                    7..=12 => match r {
                        r if r < 0.6 => PlacementKind::FosterFamily,
                        r if r < 0.75 => PlacementKind::NetworkFosterFamily,
                        r if r < 0.9 => PlacementKind::ResidentialInstitution,
                        _ => PlacementKind::ResidentialHome,
                    },
                    _ => match r {
                        r if r < 0.35 => PlacementKind::FosterFamily,
                        r if r < 0.6 => PlacementKind::ResidentialInstitution,
                        r if r < 0.9 || age < 16 => PlacementKind::ResidentialHome,
                        _ => PlacementKind::OwnRoom,
                    },
                }
            };
            // A secret address is kept from the parents, which a placement in their own family cannot do.
            let kind =
                if secret && kind == PlacementKind::NetworkFosterFamily { PlacementKind::FosterFamily } else { kind };
            let other_muni = if self.chance(0.6) { muni } else { self.rng.random_range(0..self.w.munis.len()) };
            let orow = self.w.munis[other_muni].row;
            let addr = address(&mut self.rng, orow.postcode, orow.town);
            let (name, caregiver) = match kind {
                PlacementKind::FosterFamily => {
                    let last = pick(&mut self.rng, crate::data::SURNAMES);
                    let fem = self.chance(0.8);
                    caregiver_label = if fem { "plejemor" } else { "plejefar" };
                    let c = Name::with_last(&mut self.rng, Generation::Adult, fem, last);
                    member(self, &c, Relation::FosterParent, vec![FamilyRole::Caregiver], false, false);
                    if self.chance(0.6) {
                        let c2 = Name::with_last(&mut self.rng, Generation::Adult, !fem, last);
                        member(self, &c2, Relation::FosterParent, vec![FamilyRole::Caregiver], false, false);
                    }
                    (format!("Plejefamilien {last}"), Some(c))
                }
                PlacementKind::NetworkFosterFamily => {
                    let grandmother = self.chance(0.6);
                    let generation = if grandmother { Generation::Older } else { Generation::Adult };
                    let c = Name::with_last(&mut self.rng, generation, true, mother_last);
                    let (relation, label) = if grandmother {
                        (Relation::Grandparent, "mormor")
                    } else {
                        (Relation::OtherRelative, "moster")
                    };
                    caregiver_label = label;
                    member(self, &c, relation, vec![FamilyRole::Caregiver, FamilyRole::NetworkMember], false, false);
                    (format!("Netværksplejefamilien {}", c.last), Some(c))
                }
                PlacementKind::ResidentialInstitution => {
                    caregiver_label = "kontaktpædagogen";
                    let fem = self.chance(0.6);
                    (
                        format!("Døgninstitutionen {}", pick(&mut self.rng, INSTITUTIONS)),
                        Some(Name::random(&mut self.rng, fem)),
                    )
                }
                PlacementKind::ResidentialHome => {
                    caregiver_label = "kontaktpædagogen";
                    let fem = self.chance(0.6);
                    (
                        format!("Opholdsstedet {}", pick(&mut self.rng, INSTITUTIONS)),
                        Some(Name::random(&mut self.rng, fem)),
                    )
                }
                PlacementKind::OwnRoom => {
                    caregiver_label = "støttepersonen";
                    let fem = self.chance(0.6);
                    (
                        format!("Udslusningsboligen {}", pick(&mut self.rng, INSTITUTIONS)),
                        Some(Name::random(&mut self.rng, fem)),
                    )
                }
            };
            Some(PlacementSetting {
                kind,
                name: st(name),
                address: Some(st(addr)),
                address_secret: secret,
                caregiver_name: caregiver.map(|c| st(c.full())),
                caregiver_phone: Some(st(phone(&mut self.rng))),
            })
        } else {
            caregiver_label = if has_mother { "mor" } else { "far" };
            None
        };

        let cws = self.w.munis[muni].caseworkers.len();
        let caseworker = self.rng.random_range(0..cws);
        let case = Case {
            id: case_id,
            reference: CaseReference::from_id(case_id),
            provider_id: self.provider_id,
            municipality_id: self.w.munis[muni].municipality.id,
            child: Child { name: st(child.full()), cpr: child_cpr },
            placement,
            opened_on: t,
            closed_on: None,
            created_at: created,
            revision: 1,
        };
        self.out.cases.push(case);
        self.out.family_members.extend(members);
        let main_parent = main_parent.expect("every family has a parent");
        if intervention == Intervention::SupportedVisitation && status == Status::Active && !mother_protected {
            self.parent_candidates.push(main_parent.0);
        }
        if intervention == Intervention::ContactPerson && status == Status::Active && age >= 15 {
            self.young_candidates.push(case_id);
        }
        Family {
            case_id,
            muni,
            caseworker,
            child_first: child.first,
            birth,
            placed,
            caregiver_label,
            custody,
            visiting,
            network,
            parents,
            main_parent,
            secret,
            mother_protected,
        }
    }

    fn age_on(&self, fam: &Family, day: i32) -> u8 {
        age_on(fam.birth, self.w.days.date(day))
    }

    /// Period and arrival of a referral in a given state: `(start, end, received)` as day numbers.
    fn timeline(&mut self, intervention: Intervention, status: Status) -> (i32, i32, i32) {
        use Intervention::*;
        let t = self.w.today;
        let len = match intervention {
            SupervisedVisitation => pick(&mut self.rng, &[182, 182, 273, 365]),
            SupportedVisitation => self.rng.random_range(91..=182),
            HomeSupport => self.rng.random_range(120..=270),
            ContactPerson | ParentProgramme => self.rng.random_range(182..=365),
        };
        let back = self.w.cfg.back_days;
        match status {
            Status::Received => {
                let r = t - self.rng.random_range(0..=5);
                let s = t + self.rng.random_range(14..=35);
                (s, s + len, r)
            }
            Status::Accepted => {
                let r = t - self.rng.random_range(7..=21);
                let s = t + self.rng.random_range(3..=12);
                (s, s + len, r)
            }
            Status::Rejected => {
                let r = t - self.rng.random_range(10..=60);
                let s = r + self.rng.random_range(14..=30);
                (s, s + len, r)
            }
            Status::Ending => {
                let e = t + self.rng.random_range(3..=20);
                let s = e - len;
                (s, e, s - self.rng.random_range(7..=25))
            }
            Status::Closed => {
                let e = t - self.rng.random_range(10..=(back - 7).max(11));
                let s = e - len;
                (s, e, s - self.rng.random_range(7..=25))
            }
            Status::Active => {
                // Courses begin before the window too: at the national scale most run through all of it.
                let history = if self.exact { 120 } else { NATIONAL_ACTIVE_HISTORY };
                let s = t - self.rng.random_range(14..=(back + history).max(15));
                let e = (s + len).max(t + self.rng.random_range(25..=120));
                (s, e, s - self.rng.random_range(7..=25))
            }
        }
    }

    /// Practitioners, the weekly slot and the decisions of one referral.
    fn plan(
        &mut self,
        fam: &Family,
        intervention: Intervention,
        status: Status,
        idx: usize,
        timeline: (i32, i32, i32),
        received_at: Timestamp,
    ) -> Plan {
        use Intervention::*;
        let t = self.w.today;
        let back = self.w.cfg.back_days;
        let (start, end, received) = timeline;
        let age = self.age_on(fam, start.max(t - back));
        let coordinator = idx % self.coordinators.len();
        let mut p = Plan {
            id: ReferralId(uuid::Uuid::nil()),
            intervention,
            status,
            start,
            end,
            received,
            received_at,
            first_end: None,
            pracs: Vec::new(),
            eligible: Vec::new(),
            slots: Vec::new(),
            interval: 1,
            dur: 120,
            room: None,
            place: Place::Room,
            stagger: None,
            gb_rate: 0.0,
            ga_rate: 0.0,
            child_talk: false,
            caregiver_talk: false,
            network_visits: None,
            two: false,
            decisions: Vec::new(),
            suspension: None,
            near_scope: false,
            written_consent: Vec::new(),
            coordinator,
        };
        p.id = ReferralId(self.id_at(received_at));

        match intervention {
            SupervisedVisitation => {
                if age < 2 {
                    p.interval = 1;
                    p.dur = pick(&mut self.rng, &[60, 90]);
                } else {
                    p.interval = pick(&mut self.rng, &[1, 1, 2, 2, 2, 4]);
                    p.dur = pick(&mut self.rng, &[60, 90, 120, 120]);
                }
                p.two = self.chance(0.1);
                if fam.secret || fam.mother_protected || self.chance(0.2) {
                    p.stagger = Some((pick(&mut self.rng, &[10, 15, 15, 20]), pick(&mut self.rng, &[15, 15, 20])));
                }
                if p.stagger.is_none() {
                    p.gb_rate = pick(&mut self.rng, &[0.0, 0.0, 0.5, 1.0]);
                    p.ga_rate = pick(&mut self.rng, &[0.0, 0.5, 1.0]);
                }
            }
            SupportedVisitation => {
                p.interval = pick(&mut self.rng, &[1, 1, 2, 2, 2, 4]);
                p.dur = pick(&mut self.rng, &[90, 120, 120, 180]);
                p.place = match self.rng.random_range(0..12) {
                    0 => Place::Home,
                    2 if fam.placed => Place::Placement,
                    1 => Place::Other(
                        (pick(&mut self.rng, &["Legepladsen i byparken", "Svømmehallen", "Biblioteket"])).to_string(),
                    ),
                    _ => Place::Room,
                };
                if p.place == Place::Room {
                    p.gb_rate = pick(&mut self.rng, &[0.0, 0.5, 1.0]);
                    p.ga_rate = pick(&mut self.rng, &[0.0, 0.5, 1.0]);
                    p.child_talk = age >= 6;
                    p.caregiver_talk = true;
                }
            }
            HomeSupport => {
                p.interval = 1;
                p.dur = pick(&mut self.rng, &[120, 150, 180]);
                p.place = Place::Varies;
                p.two = self.chance(0.2);
            }
            ContactPerson => {
                p.interval = pick(&mut self.rng, &[1, 1, 1, 2]);
                p.dur = if p.interval == 1 { pick(&mut self.rng, &[90, 120]) } else { 180 };
                p.place = Place::Varies;
            }
            ParentProgramme => {
                p.interval = 1;
                p.dur = 90;
                p.place = Place::Varies;
            }
        }
        if intervention.is_visitation() && !fam.network.is_empty() && self.chance(0.3) {
            p.network_visits = Some(fam.network[0]);
        }

        // Committee decisions: the period covers the referral; a long course has a renewed decision.
        if intervention == SupervisedVisitation {
            if status == Status::Active && self.budgets.expiring > 0 && self.chance(if self.exact { 1.0 } else { 0.08 })
            {
                self.budgets.expiring -= 1;
                p.end = t + self.rng.random_range(5..=14);
            }
            // The committee decides for up to a year at a time; a longer course has had its decision renewed.
            let from = p.start - self.rng.random_range(0..=5);
            let period = pick(&mut self.rng, &[182, 182, 365]);
            let mut a = from;
            while p.end - a > period + 30 {
                p.decisions.push((a, a + period - 1));
                a += period;
            }
            p.decisions.push((a, p.end));
            if p.decisions.len() > 1 {
                p.first_end = Some(p.decisions[0].1);
            }
        } else if status == Status::Active && (p.end - p.start > 400 || (p.start < t - 120 && self.chance(0.12))) {
            // A long course has had its period extended.
            let len = p.end - p.start;
            p.first_end = Some(p.start + if len > 400 { self.rng.random_range(150..=300) } else { len * 2 / 3 });
        }

        // A suspension of visitation for one case (BL § 104, stk. 5; up to 8 weeks).
        if intervention.is_visitation()
            && status == Status::Active
            && p.start < t - 45
            && self.budgets.suspensions > 0
            && self.chance(if self.exact { 1.0 } else { 0.03 })
        {
            self.budgets.suspensions -= 1;
            let from = t - self.rng.random_range(10..=25);
            p.suspension = Some((from, from + self.rng.random_range(28..=55)));
        }
        p.near_scope = status == Status::Active && self.chance(if self.exact { 0.2 } else { 0.12 });

        if matches!(status, Status::Received | Status::Rejected) {
            return p;
        }
        self.choose_series(&mut p, age);
        p
    }

    /// The start times a series may have on a weekday, for the child's age.
    fn window(intervention: Intervention, age: u8, wd: u8) -> Option<(Minute, Minute)> {
        use Intervention::*;
        let weekend = wd >= 5;
        match intervention {
            SupportedVisitation | SupervisedVisitation => Some(match (weekend, age < 6) {
                (true, _) => (hm(9, 0), hm(15, 0)),
                (false, true) => (hm(9, 0), hm(16, 0)),
                (false, false) => (hm(14, 30), hm(18, 0)),
            }),
            HomeSupport => (!weekend).then_some((hm(8, 30), hm(17, 0))),
            ContactPerson => match wd {
                5 => Some((hm(10, 0), hm(14, 0))),
                6 => None,
                _ => Some((hm(14, 30), hm(18, 0))),
            },
            ParentProgramme => (!weekend).then_some((hm(9, 0), hm(16, 0))),
        }
    }

    fn week(&self, day: i32) -> i32 {
        (day - i32::from(self.w.days.weekday(day))).div_euclid(7)
    }

    fn first_on_or_after(&self, day: i32, wd: u8) -> i32 {
        let cur = i32::from(self.w.days.weekday(day));
        day + (i32::from(wd) - cur).rem_euclid(7)
    }

    fn parity(&self, start: i32, wd: u8, interval: u8) -> u8 {
        (self.week(self.first_on_or_after(start, wd)).rem_euclid(i32::from(interval))) as u8
    }

    /// Staggered arrival widens the span around a visit.
    fn pre_post(p: &Plan) -> (Minute, Minute) {
        let (mut pre, mut post) = p.stagger.unwrap_or((0, 0));
        if p.gb_rate > 0.0 {
            pre += 30;
        }
        if p.ga_rate > 0.0 || p.child_talk || p.caregiver_talk {
            post += 30;
        }
        (pre, post)
    }

    /// Picks the usual practitioner(s), the weekly slot(s) and the room of a series.
    fn choose_series(&mut self, p: &mut Plan, age: u8) {
        let needs_training = p.intervention == Intervention::SupervisedVisitation;
        p.eligible = (0..self.pracs.len())
            .filter(|&i| !needs_training || self.pracs[i].trained)
            .filter(|&i| match p.intervention {
                // Daytime work goes to those who work days.
                Intervention::HomeSupport | Intervention::ParentProgramme => (0..5).any(|d| {
                    !self.pracs[i].pattern[d].is_empty() && self.pracs[i].pattern[d].iter().any(|&(s, _)| s < hm(14, 0))
                }),
                _ => true,
            })
            .collect();
        if p.eligible.is_empty() {
            p.eligible = (0..self.pracs.len()).collect();
        }
        let n_slots = if p.intervention == Intervention::HomeSupport
            || (p.intervention == Intervention::SupervisedVisitation && age < 2)
        {
            2
        } else {
            1
        };
        let (pre, post) = Self::pre_post(p);
        let needs_room = p.place == Place::Room;
        let weekly = (p.dur + pre + post) * n_slots as i32 / i32::from(p.interval);

        let mut order: Vec<(i32, usize)> = p
            .eligible
            .iter()
            .map(|&i| (self.pracs[i].load * 100 / self.pracs[i].max_week.max(1) + self.rng.random_range(0..25), i))
            .collect();
        order.sort();
        for strict in [true, false] {
            for &(_, pi) in order.iter().take(if strict { 10 } else { order.len() }) {
                if strict && self.pracs[pi].load + weekly > self.pracs[pi].max_week {
                    continue;
                }
                let mut cands: Vec<(u8, Minute)> = Vec::new();
                for wd in 0..7u8 {
                    let Some((lo, hi)) = Self::window(p.intervention, age, wd) else { continue };
                    for &(s, e) in &self.pracs[pi].pattern[wd as usize] {
                        let mut m = lo.max(s + pre);
                        m = (m + 29) / 30 * 30;
                        while m <= hi.min(e - p.dur - post) {
                            cands.push((wd, m));
                            m += 30;
                        }
                    }
                }
                cands.shuffle(&mut self.rng);
                let mut chosen: Vec<(u8, Minute, Vec<usize>, Option<usize>)> = Vec::new();
                for &(wd, m) in &cands {
                    if chosen.len() == n_slots {
                        break;
                    }
                    if chosen.iter().any(|c| c.0 == wd || (wd as i32 - c.0 as i32).abs() == 1) {
                        continue;
                    }
                    let tpl = Tpl {
                        day: wd,
                        s: m - pre,
                        e: m + p.dur + post,
                        interval: p.interval,
                        parity: self.parity(p.start, wd, p.interval),
                    };
                    if strict && self.pracs[pi].template.iter().any(|x| x.clashes(&tpl)) {
                        continue;
                    }
                    let mut team = vec![pi];
                    if p.two {
                        let second = p.eligible.iter().copied().filter(|&q| q != pi).find(|&q| {
                            self.pracs[q].covers(wd, tpl.s, tpl.e)
                                && (!strict || !self.pracs[q].template.iter().any(|x| x.clashes(&tpl)))
                        });
                        match second {
                            Some(q) => team.push(q),
                            None => continue,
                        }
                    }
                    let room = if needs_room {
                        if !room_open(wd, tpl.s, tpl.e) {
                            continue;
                        }
                        let r = (0..self.rooms.len())
                            .find(|&r| !strict || !self.rooms[r].template.iter().any(|x| x.clashes(&tpl)));
                        match r {
                            Some(r) => Some(r),
                            None => continue,
                        }
                    } else {
                        None
                    };
                    chosen.push((wd, m, team, room));
                }
                if chosen.len() == n_slots || (!strict && !chosen.is_empty()) {
                    for (wd, m, team, room) in &chosen {
                        let tpl = Tpl {
                            day: *wd,
                            s: m - pre,
                            e: m + p.dur + post,
                            interval: p.interval,
                            parity: self.parity(p.start, *wd, p.interval),
                        };
                        for &q in team {
                            self.pracs[q].template.push(tpl);
                            self.pracs[q].load += (tpl.e - tpl.s) / i32::from(p.interval);
                        }
                        if let Some(r) = room {
                            self.rooms[*r].template.push(tpl);
                        }
                    }
                    p.pracs = chosen[0].2.clone();
                    p.room = chosen[0].3;
                    p.slots = chosen.iter().map(|c| (c.0, c.1)).collect();
                    p.slots.sort();
                    return;
                }
            }
        }
        // Nothing fits the child's day: the least loaded practitioner takes a slot of their own pattern.
        let pi = order[0].1;
        let (wd, (s, _)) = (0..7u8)
            .find_map(|d| self.pracs[pi].pattern[d as usize].first().map(|x| (d, *x)))
            .expect("every practitioner works some day");
        p.pracs = vec![pi];
        p.room = needs_room.then_some(0);
        p.slots = vec![(wd, s + pre)];
    }

    // --- Delivery -----------------------------------------------------------------

    /// Everything that follows from one referral: decisions, consents, appointments with
    /// outcomes and notes, documents, plans, hours, and the referral record itself.
    fn deliver(&mut self, fam: &Family, p: &mut Plan) {
        let t = self.w.today;
        let received_at = p.received_at;
        let accepted_day = (p.received + self.rng.random_range(1..=4)).min(t);
        let accepted_at = self.at_hour(accepted_day, 9..=14, 0).min(self.w.now);

        self.decisions(fam, p);
        if let Some((a, b)) = p.suspension {
            let requested = self.age_on(fam, a) >= 10 && self.chance(0.6);
            let template = if requested { tx::SUSPENSION_NOTE_CHILD } else { tx::SUSPENSION_NOTE_MUNICIPALITY };
            let decided = a - self.rng.random_range(1..=5);
            let note = fill(template, &fam.vars(""));
            let s = VisitationSuspension {
                id: SuspensionId(self.id_at(self.ts(decided, hm(13, 0)))),
                case_id: fam.case_id,
                period: DateRange::new(self.w.days.date(a), self.w.days.date(b)).expect("ordered"),
                decided_on: self.w.days.date(decided),
                requested_by_child: requested,
                note: Some(lt(note)),
                recorded_at: self.ts(decided, hm(14, 0)).min(self.w.now),
            };
            self.out.suspensions.push(s);
        }
        if !matches!(p.status, Status::Received | Status::Rejected) {
            self.consents(fam, p, accepted_day);
        }

        let first_appt = self.out.appointments.len();
        let first_entry = self.out.time_entries.len();
        if !matches!(p.status, Status::Received | Status::Rejected) {
            self.appointments(fam, p, accepted_at);
            self.letters(fam, p);
            self.plans(fam, p);
        }
        let appts = first_appt..self.out.appointments.len();

        // Ordered hours: the expected need for the whole period with some slack, or, for a
        // few, just above what has been used, so that the scope is nearly spent.
        let used_min: u32 = self.out.time_entries[first_entry..].iter().map(|e| e.minutes.get()).sum();
        let planned_min: i64 = self.out.appointments[appts.clone()].iter().map(|a| a.planned.minutes()).sum();
        let window_days = (p.end.min(self.w.win_end) - p.start.max(self.w.win_start)).max(14);
        let per_day = planned_min as f64 / f64::from(window_days);
        let full = per_day * f64::from(p.end - p.start + 1) * 1.25 / 60.0;
        let guess = f64::from(p.dur) / 60.0 * f64::from(p.end - p.start + 1) / 7.0 / f64::from(p.interval) * 1.3;
        let used_h = f64::from(used_min) / 60.0;
        let ordered = if p.near_scope && used_h >= 3.0 {
            (used_h * self.rng.random_range(1.02..1.08)).ceil()
        } else {
            let base = if planned_min > 0 { full } else { guess };
            (base * self.rng.random_range(1.0..1.2)).max(used_h * 1.15).ceil()
        };
        let ordered_hours = (ordered as u32).max(4);

        let terms = self.terms(fam, p, ordered_hours);
        let caseworker = self.w.munis[fam.muni].caseworkers[fam.caseworker].id;
        let state = match p.status {
            Status::Received => ReferralState::Received,
            Status::Accepted => ReferralState::Accepted,
            Status::Rejected => ReferralState::Rejected,
            Status::Active => ReferralState::Active,
            Status::Ending => ReferralState::Ending,
            Status::Closed => ReferralState::Closed,
        };
        let coordinator = self.coordinators[p.coordinator].0;
        let (first_terms, later) = match p.first_end {
            Some(fe) if p.status != Status::Received => {
                let mut v1 = terms.clone();
                v1.period = DateRange::new(self.w.days.date(p.start), self.w.days.date(fe)).expect("ordered");
                v1.ordered_hours = (ordered_hours * 2 / 3).max(4);
                let changed = (fe - self.rng.random_range(10..=30)).min(t - 1).max(p.start + 1);
                let reason = if p.intervention == Intervention::SupervisedVisitation {
                    "Perioden er forlænget efter ny afgørelse i børne- og ungeudvalget"
                } else {
                    pick(&mut self.rng, tx::VERSION_REASONS)
                };
                let later = ReferralVersion {
                    referral_id: p.id,
                    version: 2,
                    terms: terms.clone(),
                    changed_by: caseworker,
                    changed_at: self.ts(changed, hm(11, 0)).min(self.w.now),
                    reason: Some(st(reason)),
                };
                (v1, Some(later))
            }
            _ => (terms.clone(), None),
        };
        let referral = Referral {
            id: p.id,
            case_id: fam.case_id,
            intervention: p.intervention,
            caseworker_id: caseworker,
            state,
            coordinator_id: (p.status != Status::Received).then_some(coordinator),
            practitioner_ids: if matches!(p.status, Status::Received | Status::Rejected) {
                Vec::new()
            } else {
                p.pracs.iter().map(|&i| self.pracs[i].id).collect()
            },
            rejection_reason: (p.status == Status::Rejected).then(|| lt(pick(&mut self.rng, tx::REJECTION_REASONS))),
            terms,
            terms_version: if later.is_some() { 2 } else { 1 },
            received_at,
            revision: if later.is_some() { 2 } else { 1 },
        };
        let first = ReferralVersion {
            referral_id: p.id,
            version: 1,
            terms: first_terms,
            changed_by: caseworker,
            changed_at: received_at,
            reason: None,
        };
        self.out.referrals.push(ReferralRecord { referral, first, later });
    }

    fn terms(&mut self, fam: &Family, p: &Plan, ordered_hours: u32) -> ReferralTerms {
        use Intervention::*;
        let vars = fam.vars("");
        let bank = match p.intervention {
            SupportedVisitation => tx::GOALS_SUPPORTED,
            SupervisedVisitation => tx::GOALS_SUPERVISED,
            HomeSupport => tx::GOALS_HOME,
            ContactPerson => tx::GOALS_CONTACT,
            ParentProgramme => tx::GOALS_PARENT,
        };
        let n = self.rng.random_range(2..=3);
        let mut idx: Vec<usize> = (0..bank.len()).collect();
        idx.shuffle(&mut self.rng);
        let work_goals: Vec<ShortText> = idx.iter().take(n).map(|&i| st(fill(bank[i], &vars))).collect();
        let aimed_at = match p.intervention {
            SupportedVisitation => {
                let mut v = vec![SupportTarget::FamilyMember(fam.main_parent.0)];
                if self.chance(0.5) {
                    v.insert(0, SupportTarget::Child);
                }
                v
            }
            SupervisedVisitation | ContactPerson => vec![SupportTarget::Child],
            HomeSupport => vec![SupportTarget::Family],
            ParentProgramme => fam.parents.iter().map(|&m| SupportTarget::FamilyMember(m)).collect(),
        };
        let sessions = p.slots.len().max(1) as u8;
        let frequency = Frequency::new(sessions, p.interval).expect("a valid frequency");
        let visitation = p.intervention.is_visitation().then(|| self.conditions(fam, p));
        let notes = self.chance(0.2).then(|| lt(pick(&mut self.rng, tx::REFERRAL_NOTES)));
        ReferralTerms {
            aimed_at,
            work_goals,
            period: DateRange::new(self.w.days.date(p.start), self.w.days.date(p.end)).expect("ordered"),
            ordered_hours,
            frequency,
            two_practitioners: p.two,
            visitation,
            notes,
        }
    }

    fn conditions(&mut self, fam: &Family, p: &Plan) -> VisitationConditions {
        let supervised = p.intervention == Intervention::SupervisedVisitation;
        let vars = fam.vars("");
        let place = match &p.place {
            Place::Home => VisitPlace::ParentsHome,
            Place::Placement => VisitPlace::PlacementSetting,
            Place::Other(s) => VisitPlace::Other(st(s)),
            Place::Room | Place::Varies => VisitPlace::ProviderPremises,
        };
        let recurrence = (p.slots.len() == 1).then(|| {
            let (wd, s) = p.slots[0];
            let t = |m: Minute| jiff::civil::Time::new((m / 60) as i8, (m % 60) as i8, 0, 0).expect("valid time");
            Recurrence { day: Day::ALL[wd as usize], start: t(s), end: t(s + p.dur), interval_weeks: p.interval }
        });
        let mut may_attend = fam.visiting.clone();
        if let Some(n) = p.network_visits {
            may_attend.push(n);
        }
        let n_topics = if supervised { self.rng.random_range(1..=3) } else { self.rng.random_range(0..=2) };
        let mut topics: Vec<usize> = (0..tx::TOPICS_TO_AVOID.len()).collect();
        topics.shuffle(&mut self.rng);
        let perm = |r: &mut ChaCha8Rng, w: [u32; 3]| {
            let x = r.random_range(0..w.iter().sum::<u32>());
            if x < w[0] {
                Permission::Allowed
            } else if x < w[0] + w[1] {
                Permission::ByAgreement
            } else {
                Permission::NotAllowed
            }
        };
        VisitationConditions {
            place,
            duration_minutes: p.dur as u16,
            recurrence,
            may_attend,
            others_may_attend: self.chance(0.2).then(|| st(pick(&mut self.rng, tx::OTHERS_MAY_ATTEND))),
            topics_to_avoid: topics.iter().take(n_topics).map(|&i| st(tx::TOPICS_TO_AVOID[i])).collect(),
            food: perm(&mut self.rng, [8, 2, 0]),
            gifts: if supervised { perm(&mut self.rng, [1, 6, 2]) } else { perm(&mut self.rng, [4, 5, 0]) },
            phones: if supervised { perm(&mut self.rng, [0, 3, 7]) } else { perm(&mut self.rng, [3, 6, 1]) },
            photos: if supervised { perm(&mut self.rng, [0, 4, 6]) } else { perm(&mut self.rng, [5, 4, 1]) },
            transport: fam.placed.then(|| {
                let options = if self.age_on(fam, p.start) >= 13 { tx::TRANSPORT } else { &tx::TRANSPORT[..3] };
                st(fill(pick(&mut self.rng, options), &vars))
            }),
            stagger: p.stagger.map(|(a, b)| Stagger {
                parent_arrives_minutes_before: a as u16,
                parent_leaves_minutes_after: b as u16,
            }),
            other: (supervised && self.chance(0.5)).then(|| lt(pick(&mut self.rng, tx::OTHER_CONDITIONS))),
        }
    }

    fn decisions(&mut self, fam: &Family, p: &Plan) {
        for &(a, b) in &p.decisions {
            let decided = a - self.rng.random_range(3..=20);
            let mut grounds =
                vec![pick(&mut self.rng, &[SupervisionGround::SafetyConcern, SupervisionGround::ChildStruggles])];
            if fam.mother_protected || self.chance(0.2) {
                grounds.push(SupervisionGround::AbuseKnownOrSuspected);
            } else if self.chance(0.3) {
                grounds.push(SupervisionGround::ChildStruggles);
                grounds.push(SupervisionGround::SafetyConcern);
            }
            grounds.sort();
            grounds.dedup();
            let recorded = self.ts(decided + 1, hm(10, 0)).min(self.w.now);
            let id = DecisionId(self.id_at(recorded));
            let note = self.chance(0.7).then(|| lt(pick(&mut self.rng, tx::DECISION_NOTES)));
            let period = DateRange::new(self.w.days.date(a), self.w.days.date(b)).expect("ordered");
            let decided_on = self.w.days.date(decided);
            self.out.decisions.push(CommitteeDecision {
                id,
                case_id: fam.case_id,
                kind: DecisionKind::SupervisedVisitation,
                grounds,
                period,
                decided_on,
                note,
                recorded_at: recorded,
            });
        }
    }

    fn consents(&mut self, fam: &Family, p: &mut Plan, accepted_day: i32) {
        use Intervention::*;
        let recorder = match p.pracs.first() {
            Some(&i) if self.chance(0.5) => self.pracs[i].id,
            _ => self.coordinators[p.coordinator].0,
        };
        let given_day = accepted_day.min(p.start).min(self.w.today);
        let add = |b: &mut Self, giver: ConsentGiver, purpose: ConsentPurpose, day: i32| {
            let at = b.at_hour(day, 9..=15, 0).min(b.w.now);
            let c = Consent {
                id: ConsentId(b.id_at(at)),
                case_id: fam.case_id,
                referral_id: Some(p.id),
                giver,
                purpose,
                given_at: at,
                withdrawn_at: None,
                recorded_by: recorder,
                note: Some(st(pick(&mut b.rng, tx::CONSENT_NOTES))),
            };
            b.out.consents.push(c);
            b.out.consents.len() - 1
        };
        let givers: Vec<FamilyMemberId> = match p.intervention {
            SupervisedVisitation => Vec::new(),
            SupportedVisitation => {
                // Custody holders, and the visiting parent whose consent is a precondition.
                let mut v = fam.custody.clone();
                for m in &fam.visiting {
                    if !v.contains(m) {
                        v.push(*m);
                    }
                }
                v
            }
            HomeSupport | ContactPerson => fam.custody.clone(),
            ParentProgramme => fam.parents.clone(),
        };
        for g in &givers {
            add(self, ConsentGiver::FamilyMember(*g), ConsentPurpose::Intervention, given_day);
        }
        // The young person's own consent from 15: at the start, or on turning 15 during the course.
        if matches!(p.intervention, SupportedVisitation | HomeSupport | ContactPerson) {
            let fifteen = fam.birth.checked_add(15.years()).expect("valid date");
            let day15 = self.w.days.num(fifteen);
            if day15 <= given_day {
                add(self, ConsentGiver::Child, ConsentPurpose::Intervention, given_day);
            } else if day15 <= p.end.min(self.w.today) {
                let d = (day15 + self.rng.random_range(0..=10)).min(self.w.today);
                add(self, ConsentGiver::Child, ConsentPurpose::Intervention, d);
            }
        }
        // Written descriptions for some; one parent later withdraws that consent.
        let may_withdraw = p.status == Status::Active && p.start < self.w.today - 50 && self.budgets.withdrawn > 0;
        let withdraws = may_withdraw && self.chance(if self.exact { 1.0 } else { 0.02 });
        if p.intervention == SupportedVisitation && !fam.custody.is_empty() && (withdraws || self.chance(0.45)) {
            let who = fam.custody[0];
            let i = add(self, ConsentGiver::FamilyMember(who), ConsentPurpose::WrittenDescriptions, given_day);
            let given = self.out.consents[i].given_at;
            let mut withdrawn = None;
            if withdraws {
                self.budgets.withdrawn -= 1;
                let d = self.w.today - self.rng.random_range(14..=35);
                let at = self.at_hour(d, 9..=15, 30);
                self.out.consents[i].withdrawn_at = Some(at);
                withdrawn = Some(at);
            }
            p.written_consent.push((given, withdrawn));
        }
        if fam.placed && !fam.custody.is_empty() && p.intervention != SupervisedVisitation && self.chance(0.3) {
            add(self, ConsentGiver::FamilyMember(fam.custody[0]), ConsentPurpose::SharingWithPlacement, given_day);
        }
    }

    // --- Appointments ---------------------------------------------------------------

    fn appointments(&mut self, fam: &Family, p: &Plan, accepted_at: Timestamp) {
        let (ws, we) = (self.w.win_start, self.w.win_end);
        let t = self.w.today;
        let coord_res = self.coordinators[p.coordinator].1;
        let cw = self.w.munis[fam.muni].caseworkers[fam.caseworker].clone();

        // Start meeting a few working days before the first session.
        let back = self.rng.random_range(2..=6);
        let sm = self.weekday_before(p.start - back);
        if sm >= ws && sm <= we {
            let mut participants: Vec<Participant> =
                fam.parents.iter().map(|&m| Participant::FamilyMember(m)).collect();
            if let Some(&n) = fam.network.first().filter(|_| self.chance(0.3)) {
                participants.push(Participant::FamilyMember(n));
            }
            if matches!(p.intervention, Intervention::ContactPerson | Intervention::HomeSupport)
                && self.age_on(fam, sm) >= 10
            {
                participants.push(Participant::Child);
            }
            participants.push(Participant::Staff(cw.id));
            participants.push(Participant::Staff(self.coordinators[p.coordinator].0));
            let loc = match p.intervention {
                Intervention::HomeSupport => Loc::Home,
                Intervention::ContactPerson if fam.placed => Loc::Placement,
                Intervention::ContactPerson => Loc::Home,
                _ => Loc::Room,
            };
            let dur = pick(&mut self.rng, &[60, 90]);
            let parts = vec![Part { kind: AppointmentKind::StartMeeting, rel: 0, dur, participants, staggered: false }];
            self.meeting(fam, p, sm, parts, loc, &[cw.resource, coord_res], accepted_at);
        }

        // The series.
        let first = p.start.max(ws);
        let last = p.end.min(we);
        let mut occurrences: Vec<(i32, Minute, usize)> = Vec::new();
        for (si, &(wd, m)) in p.slots.iter().enumerate() {
            let mut d = self.first_on_or_after(p.start, wd);
            let mut k = 0;
            while d <= last {
                let keep = match p.intervention {
                    // More often at the start, tapering towards the end.
                    Intervention::HomeSupport => si == 0 || d < p.start + 42,
                    Intervention::ParentProgramme => d < p.start + 42 || k % 2 == 0,
                    _ => true,
                };
                if d >= first && keep {
                    occurrences.push((d, m, si));
                }
                d += 7 * i32::from(p.interval);
                k += 1;
            }
        }
        occurrences.sort();
        let series: Vec<SeriesId> = p.slots.iter().map(|_| SeriesId(uuid_at(&mut self.rng, accepted_at))).collect();
        for (d, m, si) in occurrences {
            if self.w.days.is_holiday(d) {
                continue;
            }
            if p.suspension.is_some_and(|(a, b)| a <= d && d <= b) {
                continue;
            }
            if p.intervention == Intervention::SupervisedVisitation
                && !p.decisions.iter().any(|&(a, b)| a <= d && d <= b)
            {
                continue;
            }
            let created = accepted_at.max(self.ts(d - 56, hm(9, 0))).min(self.w.now);
            self.session(fam, p, d, m, series[si], created);
        }

        // Follow-up meetings every twelve weeks, and a closing meeting for courses that end.
        let mut k = 1;
        loop {
            let jitter = self.rng.random_range(0..=6);
            let d = self.weekday_before(p.start + 84 * k - jitter);
            k += 1;
            if d > p.end.min(we) {
                break;
            }
            if d < ws {
                continue;
            }
            self.follow_up(fam, p, d, accepted_at, &cw, AppointmentKind::FollowUpMeeting);
        }
        if matches!(p.status, Status::Ending | Status::Closed) {
            let jitter = self.rng.random_range(0..=5);
            let d = self.weekday_before(p.end - jitter);
            if d >= ws && d <= we {
                self.follow_up(fam, p, d, accepted_at, &cw, AppointmentKind::FollowUpMeeting);
            }
        }
        // Network meetings, called by the caseworker.
        let network_rate = if p.intervention == Intervention::ParentProgramme { 0.8 } else { 0.2 };
        if self.chance(network_rate) {
            let lo = p.start.max(ws);
            let hi = p.end.min(we).min(t + 40);
            if hi > lo {
                let r = self.rng.random_range(lo..=hi);
                let d = self.weekday_before(r);
                if d >= lo {
                    self.follow_up(fam, p, d, accepted_at, &cw, AppointmentKind::NetworkMeeting);
                }
            }
        }
    }

    /// The nearest weekday on or before `day` that is not a public holiday.
    fn weekday_before(&self, mut day: i32) -> i32 {
        while day > 0 && (self.w.days.is_weekend(day) || self.w.days.is_holiday(day)) {
            day -= 1;
        }
        day
    }

    fn follow_up(
        &mut self,
        fam: &Family,
        p: &Plan,
        d: i32,
        accepted_at: Timestamp,
        cw: &crate::world::Caseworker,
        kind: AppointmentKind,
    ) {
        let mut participants: Vec<Participant> = fam.parents.iter().map(|&m| Participant::FamilyMember(m)).collect();
        participants.push(Participant::Staff(cw.id));
        if fam.placed && (kind == AppointmentKind::NetworkMeeting || self.chance(0.4)) {
            participants.push(Participant::Caregiver);
        }
        if kind == AppointmentKind::NetworkMeeting && self.chance(0.5) {
            let female = self.chance(0.7);
            let n = Name::random(&mut self.rng, female);
            participants.push(Participant::Other(st(n.full())));
        }
        let loc = if self.chance(0.5) { Loc::Room } else { Loc::Other(self.other_place(fam, kind)) };
        let parts =
            vec![Part { kind, rel: 0, dur: pick(&mut self.rng, &[60, 60, 90]), participants, staggered: false }];
        self.meeting(fam, p, d, parts, loc, &[cw.resource], accepted_at);
    }

    fn other_place(&mut self, fam: &Family, kind: AppointmentKind) -> usize {
        let town = self.w.munis[fam.muni].row.town;
        let name = self.w.munis[fam.muni].row.name;
        let s = match kind {
            AppointmentKind::NetworkMeeting if self.chance(0.5) => format!("Skolen i {town}"),
            _ => format!("{name}, Familieafdelingen"),
        };
        self.place_index(s)
    }

    fn place_index(&mut self, s: String) -> usize {
        match self.others.iter().position(|o| *o == s) {
            Some(i) => i,
            None => {
                self.others.push(s);
                self.others.len() - 1
            }
        }
    }

    /// A meeting on a weekday within the caseworker's hours.
    #[allow(clippy::too_many_arguments)]
    fn meeting(
        &mut self,
        fam: &Family,
        p: &Plan,
        d: i32,
        parts: Vec<Part>,
        loc: Loc,
        others: &[Resource],
        accepted_at: Timestamp,
    ) {
        let dur = parts[0].dur;
        let (lo, mut hi) = CASEWORKER_MEETING_HOURS;
        if self.w.days.weekday(d) == 4 {
            // Caseworkers go home early on Fridays.
            hi = hm(11, 30);
        }
        let mut starts: Vec<Minute> = (0..).map(|k| lo + 30 * k).take_while(|&m| m + dur <= hi + 30).collect();
        starts.shuffle(&mut self.rng);
        let created = accepted_at.max(self.ts(d - 21, hm(9, 0))).min(self.w.now);
        for s in starts.into_iter().take(6) {
            if let Some(placed) =
                self.place(d, s, &parts, None, loc, p.room, &p.pracs, &p.eligible, false, others, &[0])
            {
                self.emit(fam, p, d, &parts, None, loc, placed, None, created);
                return;
            }
        }
    }

    /// One occurrence of the series, with the guidance and talks booked around a visit.
    fn session(&mut self, fam: &Family, p: &Plan, d: i32, m: Minute, series: SeriesId, created: Timestamp) {
        use Intervention::*;
        let age = self.age_on(fam, d);
        let parents: Vec<Participant> = fam.visiting.iter().map(|&v| Participant::FamilyMember(v)).collect();
        let mut parts = Vec::new();
        let loc;
        match p.intervention {
            SupportedVisitation | SupervisedVisitation => {
                loc = match &p.place {
                    Place::Home => Loc::Home,
                    Place::Placement => Loc::Placement,
                    Place::Other(s) => {
                        let s = s.clone();
                        Loc::Other(self.place_index(s))
                    }
                    _ => Loc::Room,
                };
                if p.gb_rate > 0.0 && self.chance(p.gb_rate) {
                    parts.push(Part {
                        kind: AppointmentKind::GuidanceBeforeVisit,
                        rel: -30,
                        dur: 30,
                        participants: parents.clone(),
                        staggered: false,
                    });
                }
                let mut visit_people = vec![Participant::Child];
                visit_people.extend(parents.iter().cloned());
                if let Some(n) = p.network_visits.filter(|_| self.chance(0.35)) {
                    visit_people.push(Participant::FamilyMember(n));
                }
                let caregiver_present = p.intervention == SupportedVisitation && fam.placed && self.chance(0.2);
                if caregiver_present {
                    visit_people.push(Participant::Caregiver);
                }
                parts.push(Part {
                    kind: AppointmentKind::Visit,
                    rel: 0,
                    dur: p.dur,
                    participants: visit_people,
                    staggered: p.stagger.is_some(),
                });
                let r: f64 = self.rng.random();
                if p.ga_rate > 0.0 && r < p.ga_rate * 0.7 {
                    parts.push(Part {
                        kind: AppointmentKind::GuidanceAfterVisit,
                        rel: p.dur,
                        dur: 30,
                        participants: parents.clone(),
                        staggered: false,
                    });
                } else if p.child_talk && age >= 6 && r < 0.85 {
                    parts.push(Part {
                        kind: AppointmentKind::ChildTalkAfterVisit,
                        rel: p.dur,
                        dur: 15,
                        participants: vec![Participant::Child],
                        staggered: false,
                    });
                } else if p.caregiver_talk && fam.placed && !caregiver_present && r < 0.95 {
                    parts.push(Part {
                        kind: AppointmentKind::CaregiverTalkAfterVisit,
                        rel: p.dur,
                        dur: 15,
                        participants: vec![Participant::Caregiver],
                        staggered: false,
                    });
                }
            }
            HomeSupport => {
                let r: f64 = self.rng.random();
                loc = if r < 0.75 {
                    Loc::Home
                } else if r < 0.9 {
                    let s = (pick(&mut self.rng, tx::HOME_SUPPORT_PLACES)).to_string();
                    Loc::Other(self.place_index(s))
                } else {
                    Loc::Room
                };
                let mut people: Vec<Participant> = fam.custody.iter().map(|&c| Participant::FamilyMember(c)).collect();
                if age >= 3 && self.chance(0.6) {
                    people.push(Participant::Child);
                }
                parts.push(Part {
                    kind: AppointmentKind::HomeSupportSession,
                    rel: 0,
                    dur: p.dur,
                    participants: people,
                    staggered: false,
                });
            }
            ContactPerson => {
                let r: f64 = self.rng.random();
                loc = if r < 0.6 {
                    let s = (pick(&mut self.rng, tx::CONTACT_PLACES)).to_string();
                    Loc::Other(self.place_index(s))
                } else if r < 0.9 {
                    if fam.placed { Loc::Placement } else { Loc::Home }
                } else {
                    Loc::Room
                };
                parts.push(Part {
                    kind: AppointmentKind::ContactPersonMeeting,
                    rel: 0,
                    dur: p.dur,
                    participants: vec![Participant::Child],
                    staggered: false,
                });
            }
            ParentProgramme => {
                let r: f64 = self.rng.random();
                loc = if r < 0.5 {
                    Loc::Room
                } else if r < 0.8 {
                    Loc::Home
                } else {
                    let s = (pick(&mut self.rng, tx::PARENT_PLACES)).to_string();
                    Loc::Other(self.place_index(s))
                };
                let people = fam.parents.iter().map(|&c| Participant::FamilyMember(c)).collect();
                parts.push(Part {
                    kind: AppointmentKind::ParentSession,
                    rel: 0,
                    dur: p.dur,
                    participants: people,
                    staggered: false,
                });
            }
        }
        let pref_room = if matches!(loc, Loc::Room) { p.room.or(Some(0)) } else { None };
        let shifts: &[Minute] = &[0, 30, -30, 60, -60];
        if let Some(placed) =
            self.place(d, m, &parts, p.stagger, loc, pref_room, &p.pracs, &p.eligible, true, &[], shifts)
        {
            self.emit(fam, p, d, &parts, p.stagger, loc, placed, Some(series), created);
        } else if matches!(loc, Loc::Room) && !p.intervention.is_visitation() {
            // No room free: the session moves to the family's home.
            if let Some(placed) =
                self.place(d, m, &parts, None, Loc::Home, None, &p.pracs, &p.eligible, true, &[], shifts)
            {
                self.emit(fam, p, d, &parts, None, Loc::Home, placed, Some(series), created);
            }
        }
    }

    /// The span a group occupies, relative to its start.
    fn span(parts: &[Part], stagger: Option<(Minute, Minute)>) -> (Minute, Minute) {
        let (a, b) = stagger.unwrap_or((0, 0));
        let lo = parts.iter().map(|x| x.rel - if x.staggered { a } else { 0 }).min().expect("parts");
        let hi = parts.iter().map(|x| x.rel + x.dur + if x.staggered { b } else { 0 }).max().expect("parts");
        (lo, hi)
    }

    fn prac_ok(&self, q: usize, d: i32, lo: Minute, hi: Minute, buffer: Minute, check_pattern: bool) -> bool {
        let pr = &self.pracs[q];
        !pr.absent_on(d)
            && self.busy.free(pr.res, d, lo - buffer, hi + buffer)
            && (!check_pattern || pr.covers(self.w.days.weekday(d), lo, hi))
    }

    /// Finds a time (the wanted one, or shifted), a room and practitioners for a group.
    #[allow(clippy::too_many_arguments)]
    fn place(
        &mut self,
        d: i32,
        m: Minute,
        parts: &[Part],
        stagger: Option<(Minute, Minute)>,
        loc: Loc,
        pref_room: Option<usize>,
        usual: &[usize],
        eligible: &[usize],
        check_pattern: bool,
        others: &[Resource],
        shifts: &[Minute],
    ) -> Option<Placed> {
        let (rlo, rhi) = Self::span(parts, stagger);
        let wd = self.w.days.weekday(d);
        let future = d >= self.w.today;
        let buffer = if matches!(loc, Loc::Room) { 0 } else { TRAVEL_BUFFER };
        for &shift in shifts {
            let s = m + shift;
            let (lo, hi) = (s + rlo, s + rhi);
            if lo < hm(7, 0) || hi > hm(21, 0) {
                continue;
            }
            let room = if matches!(loc, Loc::Room) {
                if !room_open(wd, lo, hi) {
                    continue;
                }
                let pref = pref_room.unwrap_or(0);
                let order = std::iter::once(pref).chain((0..self.rooms.len()).filter(|&r| r != pref));
                let mut found = None;
                for r in order {
                    if self.busy.free(self.rooms[r].res, d, lo, hi) {
                        found = Some(r);
                        break;
                    }
                }
                match found {
                    Some(r) => Some(r),
                    None => continue,
                }
            } else {
                None
            };
            let others_free = others.iter().all(|&o| {
                if self.coordinators.iter().any(|c| c.1 == o) {
                    self.busy.free(o, d, lo, hi)
                } else {
                    self.w.cw_busy.free(o, d, lo, hi)
                }
            });
            if !others_free {
                continue;
            }
            if usual.iter().all(|&q| self.prac_ok(q, d, lo, hi, buffer, check_pattern)) {
                return Some(Placed { start: s, pracs: usual.to_vec(), room, cancelled_absent: false });
            }
            let any_absent = usual.iter().any(|&q| self.pracs[q].absent_on(d));
            if future && any_absent {
                // Waiting for the coordinator to find someone.
                return Some(Placed { start: s, pracs: Vec::new(), room, cancelled_absent: false });
            }
            let mut team = Vec::new();
            let mut ok = true;
            for &q in usual {
                if self.prac_ok(q, d, lo, hi, buffer, false) && !team.contains(&q) {
                    team.push(q);
                    continue;
                }
                let sub = eligible
                    .iter()
                    .copied()
                    .filter(|r| !usual.contains(r) && !team.contains(r))
                    .filter(|&r| self.prac_ok(r, d, lo, hi, buffer, check_pattern))
                    .min_by_key(|&r| self.busy.minutes(self.pracs[r].res, d));
                match sub {
                    Some(r) => team.push(r),
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                return Some(Placed { start: s, pracs: team, room, cancelled_absent: false });
            }
            if !future
                && shift == 0
                && any_absent
                && usual.iter().all(|&q| self.busy.free(self.pracs[q].res, d, lo - buffer, hi + buffer))
            {
                return Some(Placed { start: s, pracs: usual.to_vec(), room, cancelled_absent: true });
            }
        }
        None
    }

    /// Books a placed group and writes its appointments, outcomes, notes, descriptions and hours.
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        fam: &Family,
        p: &Plan,
        d: i32,
        parts: &[Part],
        stagger: Option<(Minute, Minute)>,
        loc: Loc,
        placed: Placed,
        series: Option<SeriesId>,
        created: Timestamp,
    ) {
        let (rlo, rhi) = Self::span(parts, stagger);
        let (lo, hi) = (placed.start + rlo, placed.start + rhi);
        let buffer = if matches!(loc, Loc::Room) { 0 } else { TRAVEL_BUFFER };
        if let Some(r) = placed.room {
            self.busy.take(self.rooms[r].res, d, lo, hi);
        }
        for &q in &placed.pracs {
            self.busy.take(self.pracs[q].res, d, lo - buffer, hi + buffer);
        }
        for part in parts {
            for pt in &part.participants {
                if let Participant::Staff(id) = pt {
                    if let Some(c) = self.coordinators.iter().find(|c| c.0 == *id) {
                        let res = c.1;
                        self.busy.take(res, d, lo, hi);
                    } else if let Some(cw) = self.w.munis[fam.muni].caseworkers.iter().find(|c| c.id == *id) {
                        let res = cw.resource;
                        self.w.cw_busy.take(res, d, lo, hi);
                    }
                }
            }
        }
        let location = match loc {
            Loc::Room => Location::Room(self.rooms[placed.room.expect("a room was found")].id),
            Loc::Home => Location::FamilyHome,
            Loc::Placement => Location::PlacementSetting,
            Loc::Other(i) => Location::Other(st(&self.others[i])),
        };
        let practitioners =
            Practitioners::new(placed.pracs.iter().map(|&q| self.pracs[q].id).collect()).expect("one or two");
        let end_at = self.ts(d, hi);
        let past = end_at <= self.w.now;
        let main = parts.iter().position(|x| !matches!(x.kind, AppointmentKind::GuidanceBeforeVisit)).unwrap_or(0);
        let outcome = if placed.cancelled_absent {
            Some(GroupOutcome::Cancelled(CancelledBy::Provider, "Medarbejderen blev syg".to_string()))
        } else if past && self.registered(d) {
            Some(self.group_outcome(fam, p, parts[main].kind))
        } else {
            None
        };
        let vars_brought = tx::fill_fragment(pick(&mut self.rng, tx::BROUGHT_BY), &fam.vars(""));
        let first_idx = self.out.appointments.len();
        let mut took_minutes = 0;
        for (i, part) in parts.iter().enumerate() {
            let s = placed.start + part.rel;
            let e = s + part.dur;
            let planned = TimeRange::new(self.ts(d, s), self.ts(d, e)).expect("non-empty");
            let arrival = match (part.staggered, stagger) {
                (true, Some((a, b))) => Some(ArrivalPlan {
                    parent_arrives: self.ts(d, s - a),
                    child_arrives: self.ts(d, s),
                    child_leaves: self.ts(d, e),
                    parent_leaves: self.ts(d, e + b),
                }),
                _ => None,
            };
            let id = AppointmentId(self.id_at(created));
            let is_visit = part.kind == AppointmentKind::Visit;
            let (out, actual) = match &outcome {
                None => (None, None),
                Some(GroupOutcome::Held) => {
                    let late = if i == main && self.chance(0.12) { self.rng.random_range(1..=3) * 5 } else { 0 };
                    let incidents =
                        (is_visit && p.intervention == Intervention::SupervisedVisitation && self.chance(0.08))
                            .then(|| lt(fill(pick(&mut self.rng, tx::INCIDENTS), &fam.vars(""))));
                    (
                        Some(Outcome::Held {
                            brought_by: is_visit.then(|| st(tx::capitalise_first(&vars_brought))),
                            incidents,
                        }),
                        Some(TimeRange::new(self.ts(d, s + late), self.ts(d, e)).expect("non-empty")),
                    )
                }
                Some(GroupOutcome::EndedEarly(reason)) if is_visit => {
                    let cut = ((part.dur as f64 * self.rng.random_range(0.35..0.7)) as Minute / 5 * 5).max(15);
                    (
                        Some(Outcome::EndedEarly {
                            brought_by: Some(st(tx::capitalise_first(&vars_brought))),
                            reason: lt(reason),
                            incidents: None,
                        }),
                        Some(TimeRange::new(self.ts(d, s), self.ts(d, s + cut)).expect("non-empty")),
                    )
                }
                Some(GroupOutcome::EndedEarly(_)) => (
                    Some(Outcome::Held { brought_by: None, incidents: None }),
                    Some(TimeRange::new(self.ts(d, s), self.ts(d, e)).expect("non-empty")),
                ),
                Some(GroupOutcome::Cancelled(by, reason)) => {
                    (Some(Outcome::Cancelled { by: *by, reason: Some(st(reason)) }), None)
                }
                Some(GroupOutcome::NoShow(who)) => (Some(Outcome::NoShow { who: *who }), None),
            };
            if let Some(a) = &actual {
                took_minutes += a.minutes() as u32;
            }
            let recorded =
                out.as_ref().map(|_| (self.ts(d, e) + self.rng.random_range(20..=240i64).minutes()).min(self.w.now));
            self.out.appointments.push(Appointment {
                id,
                case_id: fam.case_id,
                referral_id: p.id,
                kind: part.kind,
                planned,
                location: location.clone(),
                practitioners: practitioners.clone(),
                participants: part.participants.clone(),
                arrival,
                series_id: series,
                actual,
                outcome: out,
                outcome_recorded_at: recorded,
                created_at: created,
                revision: 1,
            });
        }
        if outcome.as_ref().is_some_and(|o| matches!(o, GroupOutcome::Held | GroupOutcome::EndedEarly(_))) {
            self.after_held(fam, p, d, first_idx, main, &vars_brought, loc, took_minutes);
        }
    }

    /// True when the outcome of a past appointment has been registered. Outcomes
    /// lag: practitioners register most within the week, and the oldest part of
    /// the provider-scale window is kept light so that the coordinator's list of
    /// appointments awaiting an outcome has something in it.
    fn registered(&mut self, d: i32) -> bool {
        let age = self.w.today - d;
        let p = if self.exact {
            // The provider took Samvirke into use six weeks ago: outcomes are
            // registered for nearly everything since, but only for a few of the
            // older appointments brought over from the old calendar. About a
            // quarter of all appointments have an outcome.
            match age {
                0..=2 => 0.5,
                3..=42 => 0.8,
                _ => 0.12,
            }
        } else {
            match age {
                0..=3 => 0.5,
                4..=14 => 0.85,
                _ => 0.97,
            }
        };
        self.chance(p)
    }

    fn group_outcome(&mut self, fam: &Family, p: &Plan, kind: AppointmentKind) -> GroupOutcome {
        use AppointmentKind::*;
        let r: f64 = self.rng.random();
        let cancel = |b: &mut Self, by: CancelledBy| {
            let bank = match by {
                CancelledBy::Parent => tx::CANCEL_PARENT,
                CancelledBy::Child => tx::CANCEL_CHILD,
                CancelledBy::PlacementSetting => tx::CANCEL_PLACEMENT,
                CancelledBy::Municipality => tx::CANCEL_MUNICIPALITY,
                CancelledBy::Provider => tx::CANCEL_PROVIDER,
            };
            GroupOutcome::Cancelled(by, (pick(&mut b.rng, bank)).to_string())
        };
        match kind {
            StartMeeting | FollowUpMeeting | NetworkMeeting => match r {
                r if r < 0.93 => GroupOutcome::Held,
                r if r < 0.97 => cancel(self, CancelledBy::Municipality),
                _ => cancel(self, CancelledBy::Parent),
            },
            Visit => {
                let rate = if self.exact { 0.04 } else { 0.01 };
                if p.intervention.is_visitation() && self.budgets.ended_early > 0 && r < rate {
                    self.budgets.ended_early -= 1;
                    return GroupOutcome::EndedEarly(fill(pick(&mut self.rng, tx::ENDED_EARLY), &fam.vars("")));
                }
                match r {
                    r if r < 0.82 => GroupOutcome::Held,
                    r if r < 0.88 => cancel(self, CancelledBy::Parent),
                    r if r < 0.91 => cancel(self, CancelledBy::Child),
                    r if r < 0.93 && fam.placed => cancel(self, CancelledBy::PlacementSetting),
                    r if r < 0.945 => cancel(self, CancelledBy::Municipality),
                    r if r < 0.955 => cancel(self, CancelledBy::Provider),
                    _ => GroupOutcome::NoShow(CancelledBy::Parent),
                }
            }
            ContactPersonMeeting => match r {
                r if r < 0.8 => GroupOutcome::Held,
                r if r < 0.9 => cancel(self, CancelledBy::Child),
                r if r < 0.92 => cancel(self, CancelledBy::Provider),
                r if r < 0.94 => cancel(self, CancelledBy::Municipality),
                _ => GroupOutcome::NoShow(CancelledBy::Child),
            },
            _ => match r {
                r if r < 0.85 => GroupOutcome::Held,
                r if r < 0.92 => cancel(self, CancelledBy::Parent),
                r if r < 0.93 => cancel(self, CancelledBy::Child),
                r if r < 0.94 => cancel(self, CancelledBy::Municipality),
                r if r < 0.95 => cancel(self, CancelledBy::Provider),
                _ => GroupOutcome::NoShow(CancelledBy::Parent),
            },
        }
    }

    /// Session notes, the written description of a visit, and the hours.
    #[allow(clippy::too_many_arguments)]
    fn after_held(
        &mut self,
        fam: &Family,
        p: &Plan,
        d: i32,
        first_idx: usize,
        main: usize,
        brought: &str,
        loc: Loc,
        took_minutes: u32,
    ) {
        let appts: Vec<Appointment> = self.out.appointments[first_idx..].to_vec();
        let Some(author_id) = appts[0].practitioners.ids().first().copied() else { return };
        let vars = fam.vars(brought);
        for a in &appts {
            if !a.outcome.as_ref().is_some_and(|o| o.took_place()) {
                continue;
            }
            let bank = match a.kind {
                AppointmentKind::Visit => &[][..],
                AppointmentKind::StartMeeting => tx::NOTES_START,
                AppointmentKind::GuidanceBeforeVisit => tx::NOTES_GUIDANCE_BEFORE,
                AppointmentKind::GuidanceAfterVisit => tx::NOTES_GUIDANCE_AFTER,
                AppointmentKind::ChildTalkAfterVisit => tx::NOTES_CHILD_TALK,
                AppointmentKind::CaregiverTalkAfterVisit => tx::NOTES_CAREGIVER_TALK,
                AppointmentKind::HomeSupportSession => tx::NOTES_HOME,
                AppointmentKind::ContactPersonMeeting => tx::NOTES_CONTACT,
                AppointmentKind::ParentSession => tx::NOTES_PARENT,
                AppointmentKind::FollowUpMeeting => tx::NOTES_FOLLOW_UP,
                AppointmentKind::NetworkMeeting => tx::NOTES_NETWORK,
            };
            // A visit's note is put together from an opening, what happened and the end.
            let mut body = if bank.is_empty() {
                let parts = [tx::VISIT_OPENINGS, tx::VISIT_ACTIVITIES, tx::VISIT_ENDINGS];
                parts.iter().map(|b| fill(pick(&mut self.rng, b), &vars)).collect::<Vec<_>>().join(" ")
            } else {
                fill(pick(&mut self.rng, bank), &vars)
            };
            if let Some(Outcome::EndedEarly { reason, .. }) = &a.outcome {
                body = format!("{body}\n\nSamværet sluttede før tid: {reason}");
            }
            let end = a.actual.map_or(a.planned.end, |r| r.end);
            let written = (end + self.rng.random_range(15..=150i64).minutes()).min(self.w.now);
            let id = JournalEntryId(self.id_at(written));
            self.out.journal.push(JournalEntry {
                id,
                case_id: fam.case_id,
                appointment_id: Some(a.id),
                author_id,
                kind: JournalKind::SessionNote,
                body: lt(body),
                written_at: written,
            });
        }
        // Now and then the phone rings afterwards.
        if self.chance(0.04) {
            let at = (appts[main].planned.end + (self.rng.random_range(1..=3i64) * 24).hours()).min(self.w.now);
            let body = fill(pick(&mut self.rng, tx::NOTES_ORAL), &vars);
            let id = JournalEntryId(self.id_at(at));
            self.out.journal.push(JournalEntry {
                id,
                case_id: fam.case_id,
                appointment_id: None,
                author_id,
                kind: JournalKind::OralInformation,
                body: lt(body),
                written_at: at,
            });
        }

        let visit = &appts[main];
        let mut doc_minutes = 0;
        if visit.kind == AppointmentKind::Visit && visit.outcome.as_ref().is_some_and(|o| o.took_place()) {
            let consented = p
                .written_consent
                .iter()
                .any(|&(g, w)| g <= visit.planned.start && w.is_none_or(|w| visit.planned.start < w));
            if p.intervention == Intervention::SupervisedVisitation || consented {
                self.description(fam, p, d, visit, author_id, brought);
                doc_minutes = 30;
            }
        }

        let kind = if matches!(
            visit.kind,
            AppointmentKind::StartMeeting | AppointmentKind::FollowUpMeeting | AppointmentKind::NetworkMeeting
        ) {
            TimeKind::Meeting
        } else {
            TimeKind::Direct
        };
        let date = self.w.days.date(d);
        let registered = (visit.planned.end + self.rng.random_range(30..=600i64).minutes()).min(self.w.now);
        for q in visit.practitioners.ids().to_vec() {
            let mut entries = vec![(kind, took_minutes)];
            if !matches!(loc, Loc::Room) {
                entries.push((TimeKind::Travel, self.rng.random_range(4..=9) * 5));
            }
            if q == author_id && doc_minutes > 0 {
                entries.push((TimeKind::Documentation, doc_minutes));
            }
            for (k, minutes) in entries {
                if minutes == 0 {
                    continue;
                }
                let id = TimeEntryId(self.id_at(registered));
                self.out.time_entries.push(TimeEntry {
                    id,
                    referral_id: p.id,
                    staff_id: q,
                    appointment_id: Some(visit.id),
                    date,
                    minutes: Minutes::new(minutes.min(Minutes::MAX)).expect("in range"),
                    kind: k,
                    note: None,
                    registered_at: registered,
                });
            }
        }
    }

    /// A written description of a visit, to the caseworker. Older ones are sent;
    /// the last two days' are drafts or with the coordinator; one is overdue.
    fn description(&mut self, fam: &Family, p: &Plan, d: i32, visit: &Appointment, author: StaffId, brought: &str) {
        let age = self.w.today - d;
        let state = if age <= 2 {
            if self.chance(0.6) { DocumentState::Draft } else { DocumentState::CoordinatorReview }
        } else if (6..=14).contains(&age)
            && self.budgets.overdue > 0
            && self.chance(if self.exact { 0.35 } else { 0.15 })
        {
            self.budgets.overdue -= 1;
            DocumentState::Draft
        } else {
            DocumentState::Sent
        };
        let vars = fam.vars(brought);
        let date = self.w.days.date(d);
        let local = |t: Timestamp| t.to_zoned(samvirke_domain::calendar::copenhagen()).strftime("%H.%M").to_string();
        let actual = visit.actual.unwrap_or(visit.planned);
        let mut body = format!(
            "Samvær {} kl. {}–{}\n\nBarnet blev bragt af {}.\n\n{}\n\n{}\n\n{}",
            date.strftime("%d.%m.%Y"),
            local(actual.start),
            local(actual.end),
            brought,
            fill(pick(&mut self.rng, tx::DESCRIPTION_COURSE), &vars),
            fill(pick(&mut self.rng, tx::DESCRIPTION_END), &vars),
            fill(pick(&mut self.rng, tx::DESCRIPTION_ASSESSMENT), &vars),
        );
        if let Some(Outcome::Held { incidents: Some(i), .. }) = &visit.outcome {
            body = format!("{body}\n\nHændelser: {i}");
        }
        if let Some(Outcome::EndedEarly { reason, .. }) = &visit.outcome {
            body = format!("{body}\n\nSamværet sluttede før tid: {reason}");
        }
        let created = (actual.end + self.rng.random_range(60..=1200i64).minutes()).min(self.w.now);
        let id = DocumentId(self.id_at(created));
        let mut versions = vec![DocumentVersion {
            document_id: id,
            version: 1,
            body: lt(&body),
            child_views: None,
            family_comment: None,
            family_read_at: None,
            author_id: author,
            created_at: created,
        }];
        if state == DocumentState::Sent && self.chance(0.15) {
            let at = (created + self.rng.random_range(60..=1440i64).minutes()).min(self.w.now);
            let body2 = format!("{body}\n\nRettet efter aftale med den faglige koordinator.");
            versions.push(DocumentVersion {
                document_id: id,
                version: 2,
                body: lt(body2),
                child_views: None,
                family_comment: None,
                family_read_at: None,
                author_id: author,
                created_at: at,
            });
        }
        // Sent a day or three after the visit, once the last version is written. Only
        // a description of supervised visitation goes without the family reading it first.
        let mut own = document_rng(id);
        let last = versions.last_mut().expect("a first version");
        let mut sent_at = None;
        if state == DocumentState::Sent {
            let mut ready = last.created_at + 30.minutes();
            let mut send_day = d + own.random_range(1..=3);
            if p.intervention != Intervention::SupervisedVisitation {
                let read_day = d + own.random_range(1..=2);
                let read = self.ts(read_day, hm(own.random_range(17..=20), 5 * own.random_range(0..12)));
                let read = read.max(ready).min(self.w.now);
                last.family_read_at = Some(read);
                ready = read + 30.minutes();
                send_day = read_day + own.random_range(1..=2);
            }
            let on = self.ts(send_day, hm(own.random_range(9..=15), 5 * own.random_range(0..12)));
            sent_at = Some(on.max(ready).min(self.w.now));
        }
        let title = format!("Skriftlig beskrivelse af samvær {}", date.strftime("%d.%m.%Y"));
        let document = Document {
            id,
            case_id: fam.case_id,
            referral_id: p.id,
            appointment_id: Some(visit.id),
            kind: DocumentKind::WrittenDescription,
            title: st(title),
            state,
            corrects: None,
            created_at: created,
            current_version: versions.len() as u32,
            revision: versions.len() as u32,
            sent_at,
        };
        self.keep_document(fam, p, DocumentRecord { document, versions }, &mut own);
    }

    /// Keeps a document and, when it was sent, puts its last version in the
    /// outbox: to the referral's caseworker, sent by its coordinator.
    fn keep_document(&mut self, fam: &Family, p: &Plan, record: DocumentRecord, own: &mut ChaCha8Rng) {
        if let Some(sent_at) = record.document.sent_at {
            let doc = &record.document;
            let last = record.versions.last().expect("a first version");
            let muni = &self.w.munis[fam.muni];
            self.out.outbox.push(OutboxMessage {
                id: OutboxMessageId(uuid_at(own, sent_at)),
                document_id: doc.id,
                version: last.version,
                case_id: doc.case_id,
                referral_id: doc.referral_id,
                kind: doc.kind,
                corrects: doc.corrects,
                recipient_id: muni.caseworkers[fam.caseworker].id,
                municipality_id: muni.municipality.id,
                title: doc.title.clone(),
                body: last.body.clone(),
                child_views: last.child_views.clone(),
                family_comment: last.family_comment.clone(),
                sent_by: self.coordinators[p.coordinator].0,
                sent_at,
            });
        }
        self.out.documents.push(record);
    }

    /// Status letters before follow-up meetings, and the closing letter of a course that ends.
    fn letters(&mut self, fam: &Family, p: &Plan) {
        let t = self.w.today;
        let author = match p.pracs.first() {
            Some(&i) => self.pracs[i].id,
            None => return,
        };
        let meetings: Vec<i32> = self.out.appointments[..]
            .iter()
            .rev()
            .take_while(|a| a.referral_id == p.id)
            .filter(|a| a.kind == AppointmentKind::FollowUpMeeting)
            .map(|a| self.w.days.num(a.planned.start.to_zoned(samvirke_domain::calendar::copenhagen()).date()))
            .collect();
        let vars = fam.vars("");
        let name = p.intervention.name(Lang::Da).to_lowercase();
        for d in meetings {
            let written = d - self.rng.random_range(5..=9);
            if written > t - 1 || d > t + 14 {
                continue;
            }
            let state = if d < t {
                DocumentState::Sent
            } else {
                pick(
                    &mut self.rng,
                    &[DocumentState::Draft, DocumentState::CoordinatorReview, DocumentState::FamilyReview],
                )
            };
            let body = format!(
                "Statusskrivelse om {name}\n\nForløbet\n{}\n\nSamarbejdet\n{}\n\nAnbefaling\n{}",
                fill(pick(&mut self.rng, tx::STATUS_COURSE), &vars),
                fill(pick(&mut self.rng, tx::STATUS_COOPERATION), &vars),
                fill(pick(&mut self.rng, tx::STATUS_RECOMMENDATION), &vars),
            );
            let comment = (matches!(state, DocumentState::Sent | DocumentState::FamilyReview) && self.chance(0.3))
                .then(|| lt(pick(&mut self.rng, tx::FAMILY_COMMENTS)));
            self.letter(fam, p, DocumentKind::StatusLetter, written, state, body, comment, author);
        }
        if matches!(p.status, Status::Ending | Status::Closed) {
            let written = (p.end - self.rng.random_range(3..=10)).min(t - 1);
            let state = if p.status == Status::Closed {
                DocumentState::Sent
            } else {
                pick(&mut self.rng, &[DocumentState::Draft, DocumentState::FamilyReview])
            };
            let body = format!(
                "Afsluttende statusskrivelse om {name}\n\nForløbet\n{}\n\nSamarbejdet med familien\n{}\n\nTemaer, der er arbejdet med\n{}\n\nAfslutning\nForløbet afsluttes som aftalt med sagsbehandler. Familien har læst skrivelsen inden afsendelsen.",
                fill(pick(&mut self.rng, tx::STATUS_COURSE), &vars),
                fill(pick(&mut self.rng, tx::STATUS_COOPERATION), &vars),
                pick(&mut self.rng, tx::STATUS_THEMES),
            );
            let comment = (state == DocumentState::Sent && self.chance(0.4))
                .then(|| lt(pick(&mut self.rng, tx::FAMILY_COMMENTS)));
            self.letter(fam, p, DocumentKind::ClosingLetter, written, state, body, comment, author);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn letter(
        &mut self,
        fam: &Family,
        p: &Plan,
        kind: DocumentKind,
        day: i32,
        state: DocumentState,
        body: String,
        comment: Option<samvirke_domain::text::LongText>,
        author: StaffId,
    ) {
        let created = self.at_hour(day, 9..=14, 15).min(self.w.now);
        let id = DocumentId(self.id_at(created));
        // A child of 10 or more is heard, and the letter gives the child's own views.
        let mut own = document_rng(id);
        let child_views =
            (self.age_on(fam, day) >= 10).then(|| lt(fill(pick(&mut own, tx::CHILD_VIEWS), &fam.vars(""))));
        // The family reads a letter before it is sent: an evening of the next days,
        // and the coordinator sends it a working day or two later.
        let read = match state {
            DocumentState::Sent => true,
            DocumentState::FamilyReview => comment.is_some() || own.random_bool(0.5),
            _ => false,
        };
        let read_day = day + own.random_range(1..=3);
        let family_read_at =
            read.then(|| self.ts(read_day, hm(own.random_range(17..=20), 5 * own.random_range(0..12))).min(self.w.now));
        let sent_at = (state == DocumentState::Sent).then(|| {
            self.ts(read_day + own.random_range(1..=2), hm(own.random_range(9..=14), 5 * own.random_range(0..12)))
                .min(self.w.now)
        });
        let title = match kind {
            DocumentKind::ClosingLetter => {
                format!("Afsluttende statusskrivelse {}", self.w.days.date(day).strftime("%d.%m.%Y"))
            }
            _ => format!("Statusskrivelse {}", self.w.days.date(day).strftime("%d.%m.%Y")),
        };
        let document = Document {
            id,
            case_id: fam.case_id,
            referral_id: p.id,
            appointment_id: None,
            kind,
            title: st(title),
            state,
            corrects: None,
            created_at: created,
            current_version: 1,
            revision: 1,
            sent_at,
        };
        let versions = vec![DocumentVersion {
            document_id: id,
            version: 1,
            body: lt(body),
            child_views,
            family_comment: comment,
            family_read_at,
            author_id: author,
            created_at: created,
        }];
        self.keep_document(fam, p, DocumentRecord { document, versions }, &mut own);
        let minutes = self.rng.random_range(12..=18) * 5;
        let entry_id = TimeEntryId(self.id_at(created));
        self.out.time_entries.push(TimeEntry {
            id: entry_id,
            referral_id: p.id,
            staff_id: author,
            appointment_id: None,
            date: self.w.days.date(day),
            minutes: Minutes::new(minutes).expect("in range"),
            kind: TimeKind::Documentation,
            note: Some(st("Statusskrivelse")),
            registered_at: created,
        });
    }

    /// The parent action plan (parent programme) and focus areas (contact person).
    fn plans(&mut self, fam: &Family, p: &Plan) {
        let t = self.w.today;
        let vars = fam.vars("");
        match p.intervention {
            Intervention::ParentProgramme => {
                let start = p.start.min(t);
                let mut history = vec![PhaseChange { phase: Phase::Start, on: self.w.days.date(start) }];
                let change = p.start + self.rng.random_range(42..=60);
                if change <= t {
                    history.push(PhaseChange { phase: Phase::Change, on: self.w.days.date(change) });
                }
                let maintenance = p.start + self.rng.random_range(150..=190);
                if maintenance <= t && maintenance < p.end {
                    history.push(PhaseChange { phase: Phase::Maintenance, on: self.w.days.date(maintenance) });
                }
                let created = self.ts(start, hm(12, 0)).min(self.w.now);
                let n_goals = self.rng.random_range(2..=3);
                let mut gi: Vec<usize> = (0..tx::PLAN_GOALS.len()).collect();
                gi.shuffle(&mut self.rng);
                let mut goals = Vec::new();
                for &g in gi.iter().take(n_goals) {
                    let (text, motivation) = tx::PLAN_GOALS[g];
                    let mut actions = Vec::new();
                    for _ in 0..self.rng.random_range(1..=3) {
                        let (a, who) = pick(&mut self.rng, tx::PLAN_ACTIONS);
                        let due = p.start + self.rng.random_range(14..=90);
                        actions.push(PlanAction {
                            text: st(fill(a, &vars)),
                            who: Some(st(tx::capitalise_first(&tx::fill_fragment(who, &vars)))),
                            due: Some(self.w.days.date(due)),
                            done: due < t && self.chance(0.7),
                        });
                    }
                    goals.push(Goal {
                        id: GoalId(self.id_at(created)),
                        text: st(fill(text, &vars)),
                        motivation: Some(st(fill(motivation, &vars))),
                        actions,
                        status: GoalStatus::Open,
                    });
                }
                let mut scores: Vec<u8> = goals.iter().map(|_| self.rng.random_range(1..=3)).collect();
                let mut reviews = Vec::new();
                let mut r = p.start + 28;
                while r <= t.min(p.end) {
                    for s in &mut scores {
                        *s = (*s + self.rng.random_range(0..=2)).min(10);
                    }
                    reviews.push(PlanReview {
                        on: self.w.days.date(r),
                        ratings: goals
                            .iter()
                            .zip(&scores)
                            .map(|(g, &score)| GoalRating { goal_id: g.id, score })
                            .collect(),
                        note: self.chance(0.7).then(|| lt(pick(&mut self.rng, tx::PLAN_REVIEW_NOTES))),
                    });
                    r += 42;
                }
                for (g, &s) in goals.iter_mut().zip(&scores) {
                    if s >= 9 && !reviews.is_empty() {
                        g.status = GoalStatus::Achieved;
                    }
                }
                if goals.len() == 3 && self.chance(0.1) {
                    goals[2].status = GoalStatus::Dropped;
                }
                let resources: Vec<ShortText> = {
                    let mut ri: Vec<usize> = (0..tx::PLAN_RESOURCES.len()).collect();
                    ri.shuffle(&mut self.rng);
                    ri.iter()
                        .take(self.rng.random_range(2..=4))
                        .map(|&i| st(fill(tx::PLAN_RESOURCES[i], &vars)))
                        .collect()
                };
                let updated = match reviews.last() {
                    Some(rv) => self.ts(self.w.days.num(rv.on), hm(15, 0)).min(self.w.now),
                    None => created,
                };
                let id = ActionPlanId(self.id_at(created));
                self.out.action_plans.push(ActionPlan {
                    id,
                    case_id: fam.case_id,
                    referral_id: p.id,
                    phase: history.last().expect("start phase").phase,
                    phase_history: history,
                    goals,
                    resources,
                    reviews,
                    updated_at: updated,
                    revision: 1,
                });
            }
            Intervention::ContactPerson => {
                let age = self.age_on(fam, t);
                let mut kinds: Vec<FocusAreaKind> = FocusAreaKind::ALL
                    .into_iter()
                    .filter(|k| age >= 16 || !matches!(k, FocusAreaKind::Housing | FocusAreaKind::EducationStart))
                    .collect();
                kinds.shuffle(&mut self.rng);
                for (i, k) in kinds.into_iter().take(self.rng.random_range(2..=4)).enumerate() {
                    let started = (p.start + self.rng.random_range(0..=30)).min(t);
                    let ended = (i == 0 && started < t - 90 && self.chance(0.5))
                        .then(|| self.w.days.date(t - self.rng.random_range(5..=60)));
                    let at = self.ts(started, hm(12, 0)).min(self.w.now);
                    let id = FocusAreaId(self.id_at(at));
                    let note = self.chance(0.8).then(|| lt(fill(pick(&mut self.rng, tx::FOCUS_NOTES), &vars)));
                    let started_on = self.w.days.date(started);
                    self.out.focus_areas.push(FocusArea {
                        id,
                        case_id: fam.case_id,
                        referral_id: p.id,
                        area: k,
                        note,
                        started_on,
                        ended_on: ended.filter(|e| *e > started_on),
                    });
                }
            }
            _ => {}
        }
    }

    /// Picks the key people: the permanent practitioner with the most appointments today and the next days.
    fn finish_keys(&mut self) {
        let t = self.w.today;
        let from = self.ts(t, 0);
        let to = self.ts(t + 3, 0);
        let count = |id: StaffId| {
            self.out
                .appointments
                .iter()
                .filter(|a| a.planned.start >= from && a.planned.start < to && a.practitioners.ids().contains(&id))
                .count()
        };
        let best =
            |ids: Vec<StaffId>| ids.into_iter().map(|id| (count(id), id)).max_by_key(|(n, _)| *n).map(|(_, id)| id);
        let permanent: Vec<StaffId> = self.pracs.iter().filter(|p| p.permanent).map(|p| p.id).collect();
        let hourly: Vec<StaffId> = self.pracs.iter().filter(|p| !p.permanent).map(|p| p.id).collect();
        if let Some(id) = best(permanent) {
            self.keys.practitioner = id;
        }
        if let Some(id) = best(hourly) {
            self.keys.hourly_practitioner = id;
        }
        // Per municipality served, the caseworker with the most referrals here.
        let mut served: Vec<usize> = Vec::new();
        for &(m, _) in &self.spec.cases {
            if !served.contains(&m) {
                served.push(m);
            }
        }
        for m in served {
            let muni = &self.w.munis[m];
            let best = muni
                .caseworkers
                .iter()
                .map(|c| (self.out.referrals.iter().filter(|r| r.referral.caseworker_id == c.id).count(), c.id))
                .max_by_key(|(n, _)| *n);
            if let Some((n, id)) = best
                && n > 0
            {
                self.keys.caseworkers.push((muni.municipality.id, id));
            }
        }
        // The demo caseworker (the first) is the one who ordered the most
        // supervised visitation the demo practitioner delivers, so that a
        // description the practitioner writes reaches the caseworker one signs in as.
        let practitioner = self.keys.practitioner;
        let shared = |cw: StaffId| {
            self.out
                .referrals
                .iter()
                .filter(|r| r.referral.caseworker_id == cw && r.referral.practitioner_ids.contains(&practitioner))
                .map(|r| if r.referral.intervention == Intervention::SupervisedVisitation { 1000 } else { 1 })
                .sum::<usize>()
        };
        // Before all: the caseworker who ordered the demo practitioner's latest
        // supervised visit still waiting for its outcome, so that the visit the
        // practitioner records next is described to the caseworker one signs in as.
        let today = self.w.cfg.today;
        let latest_waiting = self
            .out
            .appointments
            .iter()
            .filter(|a| {
                a.kind == AppointmentKind::Visit
                    && a.outcome.is_none()
                    && a.practitioners.ids().contains(&practitioner)
                    && samvirke_domain::calendar::local_date(a.planned.start) < today
            })
            .filter_map(|a| {
                let r = self.out.referrals.iter().find(|r| r.referral.id == a.referral_id)?;
                let case = self.out.cases.iter().find(|c| c.id == r.referral.case_id)?;
                (r.referral.intervention == Intervention::SupervisedVisitation).then_some((
                    a.planned.start,
                    case.municipality_id,
                    r.referral.caseworker_id,
                ))
            })
            .max_by_key(|(start, _, _)| *start);
        let mut caseworkers = std::mem::take(&mut self.keys.caseworkers);
        caseworkers.sort_by_key(|(_, cw)| std::cmp::Reverse(shared(*cw)));
        if let Some((_, municipality, cw)) = latest_waiting {
            caseworkers.retain(|(m, _)| *m != municipality);
            caseworkers.insert(0, (municipality, cw));
        }
        self.keys.caseworkers = caseworkers;
        self.keys.parent = self.parent_candidates.first().copied();
        self.keys.young_person = self.young_candidates.first().copied();
    }
}

enum GroupOutcome {
    Held,
    Cancelled(CancelledBy, String),
    NoShow(CancelledBy),
    EndedEarly(String),
}

/// Names for the providers of the national data set.
pub fn provider_name(rng: &mut ChaCha8Rng, town: &str, part: Option<usize>) -> String {
    let kind = pick(rng, &["Familiehuset", "Samværshuset", "Familie- og Samværscentret", "Familiecentret"]);
    match part {
        Some(i) => format!("{kind} {town} {}", CITY_PARTS[i % CITY_PARTS.len()]),
        None => format!("{kind} {town}"),
    }
}
