//! Deterministic instance generator: three sizes of planning problem.

use crate::model::{DAY, Instance, Practitioner, Room, Session};

/// A small deterministic random generator (SplitMix64), so the crate needs no `rand`.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    /// A week of a small provider: ~60 visits, 10 practitioners, 3 rooms.
    Small,
    /// A month of the seed provider: ~600 visits, 19 practitioners, 3 rooms.
    Medium,
    /// A month of a large regional provider: ~5,000 sessions, 120 practitioners, 20 rooms, home sessions.
    Large,
}

impl Size {
    pub fn parse(s: &str) -> Option<Size> {
        match s {
            "small" => Some(Size::Small),
            "medium" => Some(Size::Medium),
            "large" => Some(Size::Large),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Size::Small => "small",
            Size::Medium => "medium",
            Size::Large => "large",
        }
    }
}

struct Params {
    days: u32,
    regions: u32,
    practitioners: u32,
    rooms: u32,
    families: u32,
    home_share: f64,
}

/// Session start times (minutes after midnight) and lengths.
const SLOTS: [(i64, i64); 9] =
    [(450, 90), (540, 90), (600, 60), (630, 90), (780, 90), (870, 90), (960, 90), (1050, 90), (1170, 90)];

/// Generates the instance of `size`, deterministically from `seed`.
pub fn generate(size: Size, seed: u64) -> Instance {
    let p = match size {
        Size::Small => Params { days: 7, regions: 1, practitioners: 10, rooms: 3, families: 40, home_share: 0.5 },
        Size::Medium => Params { days: 28, regions: 1, practitioners: 19, rooms: 3, families: 100, home_share: 0.6 },
        Size::Large => Params { days: 28, regions: 6, practitioners: 120, rooms: 20, families: 830, home_share: 0.7 },
    };
    let mut rng = Rng::new(seed.wrapping_mul(31).wrapping_add(size as u64));
    let zones = 6u32;
    let mut practitioners = Vec::new();
    for i in 0..p.practitioners {
        let region = i % p.regions;
        let permanent = rng.chance(0.7);
        let late = rng.chance(0.5);
        let mut availability = Vec::new();
        for d in 0..p.days as i64 {
            let dow = d % 7;
            if permanent {
                if dow < 5 && !rng.chance(0.05) {
                    let (a, b) = if late { (600, 1290) } else { (450, 1080) };
                    availability.push((d * DAY + a, d * DAY + b));
                }
            } else if dow == 5 && rng.chance(0.7) {
                availability.push((d * DAY + 510, d * DAY + 960));
            } else if dow < 5 && rng.chance(0.6) {
                let (a, b) = if rng.chance(0.6) { (840, 1290) } else { (450, 960) };
                availability.push((d * DAY + a, d * DAY + b));
            }
        }
        practitioners.push(Practitioner {
            id: i,
            region,
            permanent,
            supervision_trained: rng.chance(0.55),
            zone: rng.below(zones as u64) as u32,
            availability,
            weekly_limit_min: if permanent { 28 * 60 } else { 15 * 60 },
            min_rest_min: 11 * 60,
        });
    }
    let mut rooms = Vec::new();
    for i in 0..p.rooms {
        let mut open = Vec::new();
        for d in 0..p.days as i64 {
            match d % 7 {
                0..=4 => open.push((d * DAY + 450, d * DAY + 1290)),
                5 => open.push((d * DAY + 540, d * DAY + 900)),
                _ => {}
            }
        }
        rooms.push(Room { id: i, region: i % p.regions, open });
    }
    let mut sessions = Vec::new();
    for f in 0..p.families {
        let region = f % p.regions;
        let home = rng.chance(p.home_share);
        let zone = rng.below(zones as u64) as u32;
        let needs_two = rng.chance(0.15);
        let supervised = rng.chance(0.2);
        let per_week = if rng.chance(0.5) { 2 } else { 1 };
        let mut fixed = Vec::new();
        for _ in 0..per_week {
            let dow = if rng.chance(0.02) { 5 } else { rng.below(5) as i64 };
            let slot =
                if dow == 5 { SLOTS[1 + rng.below(3) as usize] } else { SLOTS[rng.below(SLOTS.len() as u64) as usize] };
            fixed.push((dow, slot));
        }
        // The usual practitioner: one of the region, trained if needed, preferably
        // permanent and working at the family's first weekly time.
        let (dow0, (start0, len0)) = fixed[0];
        let fits = |q: &Practitioner, strict: bool| {
            q.region == region
                && (!supervised || q.supervision_trained)
                && (!strict
                    || (q.permanent
                        && q.availability
                            .iter()
                            .any(|&(a, b)| a <= dow0 * DAY + start0 && dow0 * DAY + start0 + len0 <= b)))
        };
        let mut candidates: Vec<u32> = practitioners.iter().filter(|q| fits(q, true)).map(|q| q.id).collect();
        if candidates.is_empty() {
            candidates = practitioners.iter().filter(|q| fits(q, false)).map(|q| q.id).collect();
        }
        let usual = if candidates.is_empty() || rng.chance(0.1) {
            None
        } else {
            Some(candidates[rng.below(candidates.len() as u64) as usize])
        };
        let weeks = p.days as i64 / 7;
        for w in 0..weeks {
            for &(dow, (start, len)) in &fixed {
                // Some weeks the time moves (the family asked for it).
                let (dow, start) = if rng.chance(0.15) {
                    (rng.below(5) as i64, SLOTS[rng.below(SLOTS.len() as u64) as usize].0)
                } else {
                    (dow, start)
                };
                let day = w * 7 + dow;
                sessions.push(Session {
                    id: 0,
                    family: f,
                    region,
                    start: day * DAY + start,
                    end: day * DAY + start + len,
                    needs_two,
                    supervised,
                    home_zone: if home { Some(zone) } else { None },
                    usual,
                    current: Vec::new(),
                    current_room: None,
                });
            }
        }
    }
    sessions.sort_by_key(|s| (s.start, s.family));
    for (i, s) in sessions.iter_mut().enumerate() {
        s.id = i as u32;
    }
    Instance {
        name: format!("{}-{seed}", size.name()),
        days: p.days,
        home_buffer_min: 20,
        sessions,
        practitioners,
        rooms,
    }
}
