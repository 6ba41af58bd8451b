//! When staff can be planned and rooms used: working patterns (permanent
//! staff), shifts offered by hourly staff, absences and opening hours, turned
//! into windows of real time over a planning horizon.
//!
//! A pattern is kept in local (Copenhagen) time, so "Monday 9–17" is 9–17 on
//! both sides of a change to summer time; the windows here are instants.

use crate::calendar::{copenhagen, local_date};
use crate::ids::{ShiftId, StaffId};
use crate::organisation::{Absence, Room, Staff};
use crate::time::{Day, TimeRange, WeeklyPattern};
use crate::validation::Problem;
use jiff::civil::{Date, Time};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Rest between the end of one working day and the start of the next
/// (Arbejdsmiljøloven § 50: at least 11 consecutive hours in every 24).
pub const MIN_REST: SignedDuration = SignedDuration::from_hours(11);

/// The weekly planning limit for a person who has none of their own: the
/// 48 hours of Arbejdstidsloven § 4 (an average there; a cap here).
pub const DEFAULT_WEEKLY_LIMIT_MINUTES: u32 = 48 * 60;

/// The longest shift that can be offered.
pub const LONGEST_SHIFT: SignedDuration = SignedDuration::from_hours(16);

/// A shift an hourly practitioner offers: a time they can be planned in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OfferedShift {
    /// Identifier.
    pub id: ShiftId,
    /// Who offers it.
    pub staff_id: StaffId,
    /// When.
    pub during: TimeRange,
}

impl OfferedShift {
    /// A shift of at most [`LONGEST_SHIFT`].
    pub fn new(staff_id: StaffId, during: TimeRange) -> Result<Self, Problem> {
        if during.end.duration_since(during.start) > LONGEST_SHIFT {
            return Err(Problem::Other {
                da: "En vagt kan højst vare 16 timer.".into(),
                en: "A shift lasts at most 16 hours.".into(),
            });
        }
        Ok(Self { id: ShiftId::new(), staff_id, during })
    }
}

fn at(day: Date, time: Time) -> Option<Timestamp> {
    day.to_datetime(time).to_zoned(copenhagen()).ok().map(|z| z.timestamp())
}

/// The windows of a weekly pattern that fall in `horizon`, cut to it.
pub fn pattern_windows(pattern: &WeeklyPattern, horizon: TimeRange) -> Vec<TimeRange> {
    let mut out = Vec::new();
    let (first, last) = (local_date(horizon.start), local_date(horizon.end));
    let mut day = first.yesterday().unwrap_or(first);
    while day <= last {
        for slot in pattern.0.iter().filter(|s| s.day == Day::of(day)) {
            if let (Some(start), Some(end)) = (at(day, slot.start), at(day, slot.end))
                && let Some(w) = clip(start, end, horizon)
            {
                out.push(w);
            }
        }
        let Ok(next) = day.tomorrow() else { break };
        day = next;
    }
    merge(out)
}

fn clip(start: Timestamp, end: Timestamp, horizon: TimeRange) -> Option<TimeRange> {
    TimeRange::new(start.max(horizon.start), end.min(horizon.end)).ok()
}

/// Sorts windows and joins those that overlap or touch.
pub fn merge(mut windows: Vec<TimeRange>) -> Vec<TimeRange> {
    windows.sort_by_key(|w| (w.start, w.end));
    let mut out: Vec<TimeRange> = Vec::with_capacity(windows.len());
    for w in windows {
        match out.last_mut() {
            Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
            _ => out.push(w),
        }
    }
    out
}

/// `windows` with every range in `away` cut out.
pub fn subtract(windows: Vec<TimeRange>, away: &[TimeRange]) -> Vec<TimeRange> {
    let mut out = windows;
    for a in away {
        out = out
            .into_iter()
            .flat_map(|w| {
                if !w.overlaps(a) {
                    return vec![w];
                }
                [TimeRange::new(w.start, a.start).ok(), TimeRange::new(a.end, w.end).ok()]
                    .into_iter()
                    .flatten()
                    .collect()
            })
            .collect();
    }
    out
}

/// When a member of staff can be planned in `horizon`: their working pattern
/// and the shifts they offered, less their absences. Someone who has left
/// (inactive) cannot be planned at all.
pub fn staff_windows(
    staff: &Staff,
    shifts: &[OfferedShift],
    absences: &[Absence],
    horizon: TimeRange,
) -> Vec<TimeRange> {
    if !staff.active {
        return Vec::new();
    }
    let mut windows = pattern_windows(&staff.working_pattern, horizon);
    windows.extend(
        shifts.iter().filter(|s| s.staff_id == staff.id).filter_map(|s| clip(s.during.start, s.during.end, horizon)),
    );
    let away: Vec<TimeRange> = absences.iter().filter(|a| a.staff_id == staff.id).map(|a| a.during).collect();
    subtract(merge(windows), &away)
}

/// When a room can be used in `horizon`: its opening hours (always, when it
/// has none). A room out of use has no windows.
pub fn room_windows(room: &Room, horizon: TimeRange) -> Vec<TimeRange> {
    if !room.active {
        Vec::new()
    } else if room.opening_hours.0.is_empty() {
        vec![horizon]
    } else {
        pattern_windows(&room.opening_hours, horizon)
    }
}

/// True when `span` lies inside one of the windows.
pub fn covers(windows: &[TimeRange], span: TimeRange) -> bool {
    windows.iter().any(|w| w.start <= span.start && span.end <= w.end)
}

/// The minutes a person may be planned for in a week.
pub fn weekly_limit_minutes(staff: &Staff) -> u32 {
    staff.max_weekly_minutes.unwrap_or(DEFAULT_WEEKLY_LIMIT_MINUTES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{AbsenceId, ProviderId, RoomId};
    use crate::organisation::{AbsenceKind, Employer, Employment, StaffRole};
    use crate::text::{PersonName, ShortText};
    use crate::time::WeeklySlot;
    use jiff::civil::time;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }
    fn range(a: &str, b: &str) -> TimeRange {
        TimeRange::new(ts(a), ts(b)).unwrap()
    }
    fn staff(employment: Employment, pattern: Vec<WeeklySlot>) -> Staff {
        Staff {
            id: StaffId::new(),
            name: PersonName::parse("Mette Holm").unwrap(),
            role: StaffRole::Practitioner,
            employer: Employer::Provider(ProviderId::new()),
            employment,
            email: None,
            supervision_trained: true,
            working_pattern: WeeklyPattern(pattern),
            max_weekly_minutes: None,
            active: true,
        }
    }

    #[test]
    fn a_working_pattern_is_local_time_on_both_sides_of_summer_time() {
        // Summer time starts on Sunday 29 March 2026.
        let s = staff(
            Employment::Permanent,
            vec![WeeklySlot::new(Day::Monday, time(9, 0, 0, 0), time(17, 0, 0, 0)).unwrap()],
        );
        let w = staff_windows(&s, &[], &[], range("2026-03-23T00:00:00Z", "2026-04-06T00:00:00Z"));
        assert_eq!(
            w,
            vec![
                range("2026-03-23T08:00:00Z", "2026-03-23T16:00:00Z"),
                range("2026-03-30T07:00:00Z", "2026-03-30T15:00:00Z")
            ]
        );
    }

    #[test]
    fn an_hourly_practitioner_can_be_planned_only_in_the_shifts_offered() {
        let s = staff(Employment::Hourly, vec![]);
        let horizon = range("2026-05-04T00:00:00Z", "2026-05-11T00:00:00Z");
        assert!(staff_windows(&s, &[], &[], horizon).is_empty());
        let shift = OfferedShift::new(s.id, range("2026-05-09T07:00:00Z", "2026-05-09T13:00:00Z")).unwrap();
        let other = OfferedShift::new(StaffId::new(), range("2026-05-10T07:00:00Z", "2026-05-10T13:00:00Z")).unwrap();
        assert_eq!(staff_windows(&s, &[shift.clone(), other], &[], horizon), vec![shift.during]);
    }

    #[test]
    fn an_absence_is_cut_out_of_the_windows() {
        let s = staff(
            Employment::Permanent,
            vec![WeeklySlot::new(Day::Tuesday, time(8, 0, 0, 0), time(16, 0, 0, 0)).unwrap()],
        );
        let sick = Absence {
            id: AbsenceId::new(),
            staff_id: s.id,
            during: range("2026-05-05T08:00:00Z", "2026-05-05T10:00:00Z"),
            kind: AbsenceKind::Sick,
        };
        let w = staff_windows(&s, &[], &[sick], range("2026-05-04T00:00:00Z", "2026-05-11T00:00:00Z"));
        // 8–16 local is 6–14 UTC in May; the absence takes 8–10 UTC.
        assert_eq!(
            w,
            vec![
                range("2026-05-05T06:00:00Z", "2026-05-05T08:00:00Z"),
                range("2026-05-05T10:00:00Z", "2026-05-05T14:00:00Z")
            ]
        );
        let mut gone = s.clone();
        gone.active = false;
        assert!(staff_windows(&gone, &[], &[], range("2026-05-04T00:00:00Z", "2026-05-11T00:00:00Z")).is_empty());
    }

    #[test]
    fn a_shift_is_at_most_sixteen_hours() {
        assert!(OfferedShift::new(StaffId::new(), range("2026-05-09T06:00:00Z", "2026-05-09T22:00:00Z")).is_ok());
        let too_long = OfferedShift::new(StaffId::new(), range("2026-05-09T06:00:00Z", "2026-05-09T22:01:00Z"));
        assert!(
            matches!(&too_long, Err(Problem::Other { da, .. }) if da == "En vagt kan højst vare 16 timer."),
            "{too_long:?}"
        );
    }

    #[test]
    fn a_room_without_opening_hours_is_always_open_and_one_out_of_use_never() {
        let horizon = range("2026-05-04T00:00:00Z", "2026-05-11T00:00:00Z");
        let mut room = Room {
            id: RoomId::new(),
            provider_id: ProviderId::new(),
            name: ShortText::parse("Samværsrum 1").unwrap(),
            capacity: 6,
            suitable_for_visits: true,
            opening_hours: WeeklyPattern(vec![]),
            active: true,
        };
        assert_eq!(room_windows(&room, horizon), vec![horizon]);
        room.opening_hours =
            WeeklyPattern(vec![WeeklySlot::new(Day::Saturday, time(9, 0, 0, 0), time(15, 0, 0, 0)).unwrap()]);
        let w = room_windows(&room, horizon);
        assert_eq!(w, vec![range("2026-05-09T07:00:00Z", "2026-05-09T13:00:00Z")]);
        assert!(covers(&w, range("2026-05-09T08:00:00Z", "2026-05-09T10:00:00Z")));
        assert!(!covers(&w, range("2026-05-09T12:00:00Z", "2026-05-09T14:00:00Z")));
        room.active = false;
        assert!(room_windows(&room, horizon).is_empty());
    }

    #[test]
    fn windows_that_touch_are_joined() {
        let a = range("2026-05-09T07:00:00Z", "2026-05-09T09:00:00Z");
        let b = range("2026-05-09T09:00:00Z", "2026-05-09T11:00:00Z");
        assert_eq!(merge(vec![b, a]), vec![range("2026-05-09T07:00:00Z", "2026-05-09T11:00:00Z")]);
    }
}
