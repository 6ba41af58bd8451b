//! The independent checker of every hard rule. It is written apart from the
//! solver and does not use the solver's helpers (`eligible`, `compatible`),
//! so that a mistake in one is not repeated in the other.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{DAY, Instance, Plan, WEEK};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Violation {
    UnknownSession {
        session: u32,
    },
    SessionAssignedTwice {
        session: u32,
    },
    UnknownPractitioner {
        session: u32,
        practitioner: u32,
    },
    UnknownRoom {
        session: u32,
        room: u32,
    },
    /// Not exactly the number of distinct practitioners ordered (one, or two).
    WrongStaffing {
        session: u32,
        expected: usize,
        got: usize,
    },
    /// A room session without a room, or a home session with one.
    WrongPlace {
        session: u32,
    },
    OutsideRegion {
        session: u32,
        practitioner: Option<u32>,
        room: Option<u32>,
    },
    NotAvailable {
        session: u32,
        practitioner: u32,
    },
    RoomClosed {
        session: u32,
        room: u32,
    },
    SupervisionUntrained {
        session: u32,
        practitioner: u32,
    },
    PractitionerOverlap {
        practitioner: u32,
        a: u32,
        b: u32,
    },
    RoomOverlap {
        room: u32,
        a: u32,
        b: u32,
    },
    RestTooShort {
        practitioner: u32,
        day: i64,
        rest_min: i64,
    },
    WeeklyLimit {
        practitioner: u32,
        week: i64,
        minutes: i64,
        limit: i64,
    },
}

/// A practitioner's session: blocked start and end, session start and end, session id.
type Held = (i64, i64, i64, i64, u32);

fn covered(windows: &[(i64, i64)], from: i64, to: i64) -> bool {
    for w in windows {
        if w.0 <= from && to <= w.1 {
            return true;
        }
    }
    false
}

/// Every hard-rule violation of `plan` (empty: the plan is valid).
pub fn check(inst: &Instance, plan: &Plan) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut seen = vec![false; inst.sessions.len()];
    // practitioner -> [(blocked start, blocked end, session start, session end, session)]
    let mut by_practitioner: BTreeMap<u32, Vec<Held>> = BTreeMap::new();
    let mut by_room: BTreeMap<u32, Vec<(i64, i64, u32)>> = BTreeMap::new();
    for a in &plan.assignments {
        let Some(s) = inst.sessions.get(a.session as usize) else {
            out.push(Violation::UnknownSession { session: a.session });
            continue;
        };
        let sid = a.session;
        if seen[sid as usize] {
            out.push(Violation::SessionAssignedTwice { session: sid });
            continue;
        }
        seen[sid as usize] = true;
        let mut distinct = a.practitioners.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let expected = if s.needs_two { 2 } else { 1 };
        if distinct.len() != expected || a.practitioners.len() != expected {
            out.push(Violation::WrongStaffing { session: sid, expected, got: distinct.len() });
        }
        for &pid in &distinct {
            let Some(p) = inst.practitioners.get(pid as usize) else {
                out.push(Violation::UnknownPractitioner { session: sid, practitioner: pid });
                continue;
            };
            if p.region != s.region {
                out.push(Violation::OutsideRegion { session: sid, practitioner: Some(pid), room: None });
            }
            if !covered(&p.availability, s.start, s.end) {
                out.push(Violation::NotAvailable { session: sid, practitioner: pid });
            }
            if s.supervised && !p.supervision_trained {
                out.push(Violation::SupervisionUntrained { session: sid, practitioner: pid });
            }
            let buffer = if s.home_zone.is_some() { inst.home_buffer_min } else { 0 };
            by_practitioner.entry(pid).or_default().push((s.start - buffer, s.end + buffer, s.start, s.end, sid));
        }
        match (s.home_zone, a.room) {
            (None, None) | (Some(_), Some(_)) => out.push(Violation::WrongPlace { session: sid }),
            (Some(_), None) => {}
            (None, Some(rid)) => match inst.rooms.get(rid as usize) {
                None => out.push(Violation::UnknownRoom { session: sid, room: rid }),
                Some(r) => {
                    if r.region != s.region {
                        out.push(Violation::OutsideRegion { session: sid, practitioner: None, room: Some(rid) });
                    }
                    if !covered(&r.open, s.start, s.end) {
                        out.push(Violation::RoomClosed { session: sid, room: rid });
                    }
                    by_room.entry(rid).or_default().push((s.start, s.end, sid));
                }
            },
        }
    }
    for (&pid, list) in by_practitioner.iter_mut() {
        let Some(p) = inst.practitioners.get(pid as usize) else { continue };
        list.sort();
        // Overlaps: all pairs whose blocked intervals intersect (sorted sweep).
        for i in 0..list.len() {
            for j in i + 1..list.len() {
                if list[j].0 >= list[i].1 {
                    break;
                }
                out.push(Violation::PractitionerOverlap { practitioner: pid, a: list[i].4, b: list[j].4 });
            }
        }
        // Shifts: first start and last end of each worked day; rest between consecutive worked days.
        let mut shifts: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
        let mut weeks: BTreeMap<i64, i64> = BTreeMap::new();
        for &(_, _, start, end, _) in list.iter() {
            let e = shifts.entry(start.div_euclid(DAY)).or_insert((start, end));
            e.0 = e.0.min(start);
            e.1 = e.1.max(end);
            *weeks.entry(start.div_euclid(WEEK)).or_default() += end - start;
        }
        let days: Vec<_> = shifts.iter().collect();
        for w in days.windows(2) {
            let rest = w[1].1.0 - w[0].1.1;
            if rest < p.min_rest_min {
                out.push(Violation::RestTooShort { practitioner: pid, day: *w[1].0, rest_min: rest });
            }
        }
        for (week, minutes) in weeks {
            if minutes > p.weekly_limit_min {
                out.push(Violation::WeeklyLimit { practitioner: pid, week, minutes, limit: p.weekly_limit_min });
            }
        }
    }
    for (&rid, list) in by_room.iter_mut() {
        list.sort();
        for i in 0..list.len() {
            for j in i + 1..list.len() {
                if list[j].0 >= list[i].1 {
                    break;
                }
                out.push(Violation::RoomOverlap { room: rid, a: list[i].2, b: list[j].2 });
            }
        }
    }
    out
}
