//! The planning problem and its plan, as plain data (indices and minutes).
//!
//! Every id is the element's index in its vector. Times are minutes from the
//! start of the horizon (day `d` covers `d*1440 .. (d+1)*1440`, weeks are
//! seven days from the horizon start).

use serde::{Deserialize, Serialize};

/// Minutes in a day.
pub const DAY: i64 = 1440;
/// Minutes in a week.
pub const WEEK: i64 = 7 * DAY;

/// Objective weights (documented in docs/PLANNER.md).
pub const W_UNASSIGNED: i64 = 10_000;
/// A session whose family has a usual practitioner who is not on it.
pub const W_NOT_USUAL: i64 = 100;
/// Per minute of session time on hourly (non-permanent) staff.
pub const W_HOURLY_PER_MIN: i64 = 1;
/// Per room beyond the first that a family's room sessions use.
pub const W_ROOM_CHANGE: i64 = 50;
/// Per minute of travel from a practitioner's base zone to a home session.
pub const W_TRAVEL_PER_MIN: i64 = 1;
/// Travel minutes per zone step between a practitioner's base and a home.
pub const TRAVEL_MIN_PER_ZONE: i64 = 10;
/// Per practitioner seat of an assigned session that has a current assignment
/// (`Session::current` not empty) given to someone not in `current`: the cost of
/// telling a family and a practitioner about a change. More than continuity's
/// `W_NOT_USUAL` (the planner does not reshuffle a told plan for small gains),
/// far less than `W_UNASSIGNED` (it still changes a plan to staff a session).
pub const W_CHANGE_PRACTITIONER: i64 = 150;
/// An assigned session whose room differs from its set `Session::current_room`.
pub const W_CHANGE_ROOM: i64 = 40;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Instance {
    pub name: String,
    pub days: u32,
    /// Travel buffer before and after a home session (minutes): a
    /// practitioner's home session blocks `start-buffer .. end+buffer`.
    pub home_buffer_min: i64,
    pub sessions: Vec<Session>,
    pub practitioners: Vec<Practitioner>,
    pub rooms: Vec<Room>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Session {
    pub id: u32,
    pub family: u32,
    /// Office region; a session is staffed and housed within its region.
    pub region: u32,
    pub start: i64,
    pub end: i64,
    pub needs_two: bool,
    pub supervised: bool,
    /// `Some(zone)` for a session in the family's home, `None` for a room.
    pub home_zone: Option<u32>,
    pub usual: Option<u32>,
    /// Practitioners currently on the session (the plan people have been told
    /// about); empty: none, not yet planned. Changing them costs
    /// `W_CHANGE_PRACTITIONER` per seat.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub current: Vec<u32>,
    /// The session's current room, if any; another room costs `W_CHANGE_ROOM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_room: Option<u32>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Practitioner {
    pub id: u32,
    pub region: u32,
    pub permanent: bool,
    pub supervision_trained: bool,
    /// Base zone (for travel to home sessions).
    pub zone: u32,
    /// Windows `[start, end)` in which the practitioner can work.
    pub availability: Vec<(i64, i64)>,
    pub weekly_limit_min: i64,
    /// Minimum rest between the end of one day's work and the next day's start.
    pub min_rest_min: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Room {
    pub id: u32,
    pub region: u32,
    pub open: Vec<(i64, i64)>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Assignment {
    pub session: u32,
    pub practitioners: Vec<u32>,
    pub room: Option<u32>,
}

/// A plan: the assigned sessions. A session without an assignment is unassigned.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Plan {
    pub assignments: Vec<Assignment>,
}

/// A practitioner's absence (illness, leave) in `[from, to)`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Absence {
    pub practitioner: u32,
    pub from: i64,
    pub to: i64,
}

impl Session {
    pub fn duration(&self) -> i64 {
        self.end - self.start
    }
    pub fn day(&self) -> i64 {
        self.start.div_euclid(DAY)
    }
    pub fn week(&self) -> i64 {
        self.start.div_euclid(WEEK)
    }
    pub fn seats(&self) -> usize {
        if self.needs_two { 2 } else { 1 }
    }
    /// The interval the session blocks for a practitioner (travel buffer for home sessions).
    pub fn blocked(&self, home_buffer: i64) -> (i64, i64) {
        if self.home_zone.is_some() {
            (self.start - home_buffer, self.end + home_buffer)
        } else {
            (self.start, self.end)
        }
    }
}

pub fn within(windows: &[(i64, i64)], start: i64, end: i64) -> bool {
    windows.iter().any(|&(a, b)| a <= start && end <= b)
}

/// Travel minutes from a practitioner's base to a session (0 for room sessions).
pub fn travel_min(p: &Practitioner, s: &Session) -> i64 {
    match s.home_zone {
        Some(z) => (z as i64 - p.zone as i64).abs() * TRAVEL_MIN_PER_ZONE,
        None => 0,
    }
}

/// Whether giving a seat of `s` to `p` changes the session's current assignment.
pub fn changes_seat(p: &Practitioner, s: &Session) -> bool {
    !s.current.is_empty() && !s.current.contains(&p.id)
}

/// Whether housing `s` in `room` (`None`: no room) changes its set current room.
pub fn changes_room(s: &Session, room: Option<u32>) -> bool {
    s.current_room.is_some() && s.current_room != room
}

/// The cost of leaving `s` unassigned: `W_UNASSIGNED`, and for a session with a
/// current assignment the change for each practitioner told (they lose the
/// seat) and for a told room.
pub fn unassigned_cost(s: &Session) -> i64 {
    W_UNASSIGNED + s.current.len() as i64 * W_CHANGE_PRACTITIONER + s.current_room.map_or(0, |_| W_CHANGE_ROOM)
}

/// The cost of putting practitioner `p` on session `s` (hourly minutes, travel,
/// and a change of the current assignment).
pub fn seat_cost(p: &Practitioner, s: &Session) -> i64 {
    let hourly = if p.permanent { 0 } else { s.duration() * W_HOURLY_PER_MIN };
    let change = if changes_seat(p, s) { W_CHANGE_PRACTITIONER } else { 0 };
    hourly + travel_min(p, s) * W_TRAVEL_PER_MIN + change
}

/// Whether practitioner `p` may take session `s` on its own terms (region,
/// supervision training, availability); clashes with other sessions aside.
pub fn eligible(p: &Practitioner, s: &Session) -> bool {
    p.region == s.region && (!s.supervised || p.supervision_trained) && within(&p.availability, s.start, s.end)
}

pub fn room_eligible(r: &Room, s: &Session) -> bool {
    s.home_zone.is_none() && r.region == s.region && within(&r.open, s.start, s.end)
}

/// Whether one practitioner can do both sessions: no overlap of the blocked
/// intervals (travel buffer included) and, on different days, at least
/// `min_rest` between the earlier's end and the later's start.
pub fn compatible(a: &Session, b: &Session, home_buffer: i64, min_rest: i64) -> bool {
    let (a0, a1) = a.blocked(home_buffer);
    let (b0, b1) = b.blocked(home_buffer);
    if a0 < b1 && b0 < a1 {
        return false;
    }
    if a.day() != b.day() {
        let (first, second) = if a.start < b.start { (a, b) } else { (b, a) };
        if second.start - first.end < min_rest {
            return false;
        }
    }
    true
}

/// The plan's metrics a coordinator looks at.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Metrics {
    pub sessions: usize,
    pub unassigned: usize,
    /// Share of assigned sessions with a usual practitioner that have them on it.
    pub usual_share: f64,
    pub hourly_hours: f64,
    /// Room changes (rooms beyond the first) per family with room sessions.
    pub room_changes_per_family: f64,
    pub travel_hours: f64,
    /// Sessions with a current assignment (practitioners or room) that the plan
    /// changes: other practitioners, another room, or left unassigned.
    pub changed_sessions: usize,
}

/// The objective (lower is better), split in parts.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Cost {
    pub unassigned: i64,
    pub not_usual: i64,
    pub hourly: i64,
    pub room_changes: i64,
    pub travel: i64,
    /// Seats of assigned sessions given to someone not in their non-empty
    /// `current`, plus the practitioners in `current` of unassigned sessions.
    pub changed_seats: i64,
    /// Sessions with a set `current_room` that are in another room or unassigned.
    pub changed_rooms: i64,
}

impl Cost {
    pub fn total(&self) -> i64 {
        self.unassigned * W_UNASSIGNED
            + self.not_usual * W_NOT_USUAL
            + self.hourly * W_HOURLY_PER_MIN
            + self.room_changes * W_ROOM_CHANGE
            + self.travel * W_TRAVEL_PER_MIN
            + self.changes()
    }

    /// The part of `total()` that pays for changes to the current assignments.
    pub fn changes(&self) -> i64 {
        self.changed_seats * W_CHANGE_PRACTITIONER + self.changed_rooms * W_CHANGE_ROOM
    }

    /// `total()` without the change costs: the plan's quality on its own.
    pub fn quality(&self) -> i64 {
        self.total() - self.changes()
    }
}

/// The objective's parts for a plan (assumes ids in range; run `check` first).
pub fn cost(inst: &Instance, plan: &Plan) -> Cost {
    let mut c = Cost::default();
    let mut assigned = vec![false; inst.sessions.len()];
    let mut family_rooms: std::collections::BTreeMap<u32, std::collections::BTreeSet<u32>> = Default::default();
    for a in &plan.assignments {
        let Some(s) = inst.sessions.get(a.session as usize) else { continue };
        assigned[s.id as usize] = true;
        if let Some(u) = s.usual
            && !a.practitioners.contains(&u)
        {
            c.not_usual += 1;
        }
        for &p in &a.practitioners {
            let Some(p) = inst.practitioners.get(p as usize) else { continue };
            if !p.permanent {
                c.hourly += s.duration();
            }
            c.travel += travel_min(p, s);
            if changes_seat(p, s) {
                c.changed_seats += 1;
            }
        }
        if changes_room(s, a.room) {
            c.changed_rooms += 1;
        }
        if let Some(r) = a.room {
            family_rooms.entry(s.family).or_default().insert(r);
        }
    }
    c.unassigned = assigned.iter().filter(|x| !**x).count() as i64;
    for s in inst.sessions.iter().filter(|s| !assigned[s.id as usize]) {
        c.changed_seats += s.current.len() as i64;
        c.changed_rooms += s.current_room.is_some() as i64;
    }
    c.room_changes = family_rooms.values().map(|r| r.len() as i64 - 1).sum();
    c
}

pub fn objective(inst: &Instance, plan: &Plan) -> i64 {
    cost(inst, plan).total()
}

pub fn metrics(inst: &Instance, plan: &Plan) -> Metrics {
    let c = cost(inst, plan);
    let mut with_usual = 0usize;
    let mut usual_ok = 0usize;
    let mut families_with_rooms = std::collections::BTreeSet::new();
    let mut assignment: Vec<Option<&Assignment>> = vec![None; inst.sessions.len()];
    for a in &plan.assignments {
        let s = &inst.sessions[a.session as usize];
        assignment[s.id as usize] = Some(a);
        if let Some(u) = s.usual {
            with_usual += 1;
            if a.practitioners.contains(&u) {
                usual_ok += 1;
            }
        }
        if a.room.is_some() {
            families_with_rooms.insert(s.family);
        }
    }
    Metrics {
        sessions: inst.sessions.len(),
        unassigned: c.unassigned as usize,
        usual_share: if with_usual == 0 { 1.0 } else { usual_ok as f64 / with_usual as f64 },
        hourly_hours: c.hourly as f64 / 60.0,
        room_changes_per_family: if families_with_rooms.is_empty() {
            0.0
        } else {
            c.room_changes as f64 / families_with_rooms.len() as f64
        },
        travel_hours: c.travel as f64 / 60.0,
        changed_sessions: inst.sessions.iter().filter(|s| changed(s, assignment[s.id as usize])).count(),
    }
}

/// Whether a session with a current assignment is changed by `a` (its assignment
/// in a plan; `None`: unassigned). A session without one is never changed.
pub fn changed(s: &Session, a: Option<&Assignment>) -> bool {
    if s.current.is_empty() && s.current_room.is_none() {
        return false;
    }
    let Some(a) = a else { return true };
    let mut now = a.practitioners.clone();
    now.sort_unstable();
    let mut was = s.current.clone();
    was.sort_unstable();
    (!was.is_empty() && now != was) || changes_room(s, a.room)
}
