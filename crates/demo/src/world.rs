//! State shared by every provider of a data set: the calendar, the
//! municipalities with their caseworkers, and what must stay unique across
//! providers (CPR numbers, case references, e-mail addresses).

use crate::batch::Batch;
use crate::data::MunicipalityRow;
use crate::people::{Name, email, slug};
use crate::util::{Busy, Days, Minute, Resource, hm, st, uuid_at};
use jiff::Timestamp;
use jiff::ToSpan;
use jiff::civil::Date;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use samvirke_domain::organisation::*;
use samvirke_domain::text::Email;
use samvirke_domain::time::{Day, WeeklyPattern, WeeklySlot};
use samvirke_domain::*;
use std::collections::HashSet;

/// The shape of a data set, beyond the seed.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// The anchor: "today" in the data.
    pub today: Date,
    /// How far back appointments go, in days.
    pub back_days: i32,
    /// How far ahead appointments go, in days.
    pub ahead_days: i32,
    /// Provider scale: fixed counts and the hand-picked situations the brief asks for.
    pub exact: bool,
}

/// A caseworker, for assigning referrals and booking meetings.
#[derive(Debug, Clone)]
pub struct Caseworker {
    pub id: StaffId,
    pub resource: Resource,
}

/// A municipality and its caseworkers.
pub struct MuniInfo {
    pub municipality: Municipality,
    pub row: &'static MunicipalityRow,
    pub caseworkers: Vec<Caseworker>,
}

/// The generator's state across providers.
pub struct World {
    pub cfg: Config,
    pub days: Days,
    /// Day number of today.
    pub today: i32,
    /// The instant "now" of the data set: 06:00 local time today. Every
    /// recorded time lies before it; outcomes exist only for appointments ending before it.
    pub now: Timestamp,
    /// First and last day with appointments.
    pub win_start: i32,
    pub win_end: i32,
    pub munis: Vec<MuniInfo>,
    /// Caseworkers' calendars (they sit in meetings of several providers).
    pub cw_busy: Busy,
    pub cprs: HashSet<String>,
    pub references: HashSet<String>,
    pub emails: HashSet<String>,
    next_resource: Resource,
}

/// Days of history before the appointment window that referrals may reach back to.
const HISTORY_DAYS: i32 = 800;

impl World {
    /// Creates the municipalities and their caseworkers; `caseworkers[i]` is the count for `rows[i]`.
    pub fn new(
        rng: &mut ChaCha8Rng,
        cfg: Config,
        rows: &[&'static MunicipalityRow],
        caseworkers: &[usize],
    ) -> (World, Batch) {
        let first = cfg.today.checked_sub((cfg.back_days + HISTORY_DAYS).days()).expect("date in range");
        let count = (cfg.back_days + HISTORY_DAYS + cfg.ahead_days + 120) as usize;
        let days = Days::new(first, count);
        let today = days.num(cfg.today);
        let now = days.at(today, hm(6, 0));
        let mut w = World {
            cfg,
            today,
            now,
            win_start: today - cfg.back_days,
            win_end: today + cfg.ahead_days,
            days,
            munis: Vec::new(),
            cw_busy: Busy::default(),
            cprs: HashSet::new(),
            references: HashSet::new(),
            emails: HashSet::new(),
            next_resource: 0,
        };
        let mut batch = Batch::default();
        let created = w.long_ago();
        for (row, &n) in rows.iter().zip(caseworkers) {
            let municipality = Municipality {
                id: MunicipalityId(uuid_at(rng, created)),
                code: MunicipalityCode::new(row.code).expect("a real code"),
                name: st(row.name),
            };
            let domain = format!("{}.example", slug(row.name));
            let mut cws = Vec::new();
            for _ in 0..n {
                let female = rng.random_bool(0.8);
                let name = Name::random(rng, female);
                let staff = Staff {
                    id: StaffId(uuid_at(rng, created)),
                    name: st(name.full()),
                    role: StaffRole::Caseworker,
                    employer: Employer::Municipality(municipality.id),
                    employment: Employment::Permanent,
                    email: Some(Email::parse(email(&name, &domain, &mut w.emails)).expect("valid e-mail")),
                    supervision_trained: false,
                    working_pattern: caseworker_pattern(),
                    max_weekly_minutes: None,
                    active: true,
                };
                cws.push(Caseworker { id: staff.id, resource: w.resource() });
                batch.staff.push(staff);
            }
            batch.municipalities.push(municipality.clone());
            w.munis.push(MuniInfo { municipality, row, caseworkers: cws });
        }
        (w, batch)
    }

    /// A fresh number for a bookable resource.
    pub fn resource(&mut self) -> Resource {
        self.next_resource += 1;
        self.next_resource
    }

    /// An instant well before the window, for records of the set-up (municipalities, staff, rooms).
    pub fn long_ago(&self) -> Timestamp {
        self.days.at(self.today - self.cfg.back_days - 400, hm(9, 0))
    }

    /// The instant of a local time on a day number.
    pub fn at(&self, day: i32, minute: Minute) -> Timestamp {
        self.days.at(day, minute)
    }
}

fn slot(day: Day, from: Minute, to: Minute) -> WeeklySlot {
    let t = |m: Minute| jiff::civil::Time::new((m / 60) as i8, (m % 60) as i8, 0, 0).expect("valid time");
    WeeklySlot::new(day, t(from), t(to)).expect("a slot ends after it starts")
}

/// A weekly pattern from (day index, start, end) triples.
pub fn pattern(slots: &[(usize, Minute, Minute)]) -> WeeklyPattern {
    WeeklyPattern(slots.iter().map(|&(d, s, e)| slot(Day::ALL[d], s, e)).collect())
}

fn caseworker_pattern() -> WeeklyPattern {
    pattern(&[
        (0, hm(8, 0), hm(15, 30)),
        (1, hm(8, 0), hm(15, 30)),
        (2, hm(8, 0), hm(15, 30)),
        (3, hm(8, 0), hm(15, 30)),
        (4, hm(8, 0), hm(13, 0)),
    ])
}

/// Caseworkers meet on weekdays between 9 and 14.
pub const CASEWORKER_MEETING_HOURS: (Minute, Minute) = (hm(9, 0), hm(14, 30));
