//! Periods, time ranges and weekly patterns.

use crate::validation::Problem;
use jiff::civil::{Date, Time, Weekday};
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The current instant, truncated to whole microseconds: the precision both
/// databases keep, so that a record reads back exactly as it was written.
pub fn now() -> Timestamp {
    let t = Timestamp::now();
    Timestamp::from_microsecond(t.as_microsecond()).expect("now is a valid timestamp")
}

/// A period of whole days, both ends included (e.g. a referral's period, a decision's period).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "RawDateRange")]
pub struct DateRange {
    /// First day.
    pub start: Date,
    /// Last day (included).
    pub end: Date,
}

#[derive(Deserialize)]
struct RawDateRange {
    start: Date,
    end: Date,
}

impl TryFrom<RawDateRange> for DateRange {
    type Error = String;
    fn try_from(r: RawDateRange) -> Result<Self, Self::Error> {
        DateRange::new(r.start, r.end).map_err(|p| p.message(crate::Lang::En))
    }
}

impl DateRange {
    /// A period; the end may equal the start but not come before it.
    pub fn new(start: Date, end: Date) -> Result<Self, Problem> {
        if end < start { Err(Problem::EndBeforeStart) } else { Ok(Self { start, end }) }
    }

    /// True when `d` lies inside the period.
    pub fn contains(&self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }

    /// True when the two periods share at least one day.
    pub fn overlaps(&self, other: &DateRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// Number of days in the period.
    pub fn days(&self) -> i32 {
        (self.end - self.start).get_days() + 1
    }
}

/// A span of time between two instants, start included, end excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "RawTimeRange")]
pub struct TimeRange {
    /// Start (UTC).
    pub start: Timestamp,
    /// End (UTC, excluded).
    pub end: Timestamp,
}

#[derive(Deserialize)]
struct RawTimeRange {
    start: Timestamp,
    end: Timestamp,
}

impl TryFrom<RawTimeRange> for TimeRange {
    type Error = String;
    fn try_from(r: RawTimeRange) -> Result<Self, Self::Error> {
        TimeRange::new(r.start, r.end).map_err(|p| p.message(crate::Lang::En))
    }
}

impl TimeRange {
    /// A non-empty range.
    pub fn new(start: Timestamp, end: Timestamp) -> Result<Self, Problem> {
        if end <= start { Err(Problem::EndBeforeStart) } else { Ok(Self { start, end }) }
    }

    /// True when the ranges share any instant.
    pub fn overlaps(&self, other: &TimeRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Length in whole minutes.
    pub fn minutes(&self) -> i64 {
        (self.end.as_second() - self.start.as_second()) / 60
    }

    /// The range widened by `before` minutes at the start and `after` minutes at the end.
    pub fn widened(&self, before: u16, after: u16) -> TimeRange {
        TimeRange { start: self.start - i64::from(before).minutes(), end: self.end + i64::from(after).minutes() }
    }
}

/// A length of time in whole minutes, more than zero and at most 24 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "u32", into = "u32")]
pub struct Minutes(u32);

impl Minutes {
    /// The longest span one registration may cover.
    pub const MAX: u32 = 24 * 60;

    /// Parses a number of minutes.
    pub fn new(m: u32) -> Result<Self, Problem> {
        if (1..=Self::MAX).contains(&m) {
            Ok(Self(m))
        } else {
            Err(Problem::OutOfRange { min: 1, max: i64::from(Self::MAX) })
        }
    }

    /// The number of minutes.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for Minutes {
    type Error = String;
    fn try_from(m: u32) -> Result<Self, Self::Error> {
        Minutes::new(m).map_err(|p| p.message(crate::Lang::En))
    }
}

impl From<Minutes> for u32 {
    fn from(m: Minutes) -> u32 {
        m.0
    }
}

/// A day of the week, Monday first (serialised in English, lower case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Day {
    /// Mandag.
    Monday,
    /// Tirsdag.
    Tuesday,
    /// Onsdag.
    Wednesday,
    /// Torsdag.
    Thursday,
    /// Fredag.
    Friday,
    /// Lørdag.
    Saturday,
    /// Søndag.
    Sunday,
}

impl Day {
    /// All seven, Monday first.
    pub const ALL: [Day; 7] =
        [Day::Monday, Day::Tuesday, Day::Wednesday, Day::Thursday, Day::Friday, Day::Saturday, Day::Sunday];

    /// The jiff weekday.
    pub fn weekday(self) -> Weekday {
        match self {
            Day::Monday => Weekday::Monday,
            Day::Tuesday => Weekday::Tuesday,
            Day::Wednesday => Weekday::Wednesday,
            Day::Thursday => Weekday::Thursday,
            Day::Friday => Weekday::Friday,
            Day::Saturday => Weekday::Saturday,
            Day::Sunday => Weekday::Sunday,
        }
    }

    /// The day of a date.
    pub fn of(d: Date) -> Day {
        Day::ALL[d.weekday().to_monday_zero_offset() as usize]
    }
}

/// A recurring slot in local (Copenhagen) time on one day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "RawWeeklySlot")]
pub struct WeeklySlot {
    /// Day of the week.
    pub day: Day,
    /// Local start time.
    #[schema(value_type = String, example = "09:00:00")]
    pub start: Time,
    /// Local end time (after the start, same day).
    #[schema(value_type = String, example = "17:00:00")]
    pub end: Time,
}

#[derive(Deserialize)]
struct RawWeeklySlot {
    day: Day,
    start: Time,
    end: Time,
}

impl TryFrom<RawWeeklySlot> for WeeklySlot {
    type Error = String;
    fn try_from(r: RawWeeklySlot) -> Result<Self, Self::Error> {
        WeeklySlot::new(r.day, r.start, r.end).map_err(|p| p.message(crate::Lang::En))
    }
}

impl WeeklySlot {
    /// A slot; the end must come after the start.
    pub fn new(day: Day, start: Time, end: Time) -> Result<Self, Problem> {
        if end <= start { Err(Problem::EndBeforeStart) } else { Ok(Self { day, start, end }) }
    }
}

/// A weekly pattern: the slots in which someone works or something is open.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
pub struct WeeklyPattern(pub Vec<WeeklySlot>);

impl WeeklyPattern {
    /// Total minutes per week.
    pub fn minutes_per_week(&self) -> i64 {
        self.0
            .iter()
            .map(|s| {
                let span = s.end - s.start;
                i64::from(span.get_hours()) * 60 + span.get_minutes()
            })
            .sum()
    }

    /// True when the pattern covers the local time span [start, end) on `day`.
    pub fn covers(&self, day: Day, start: Time, end: Time) -> bool {
        self.0.iter().any(|s| s.day == day && s.start <= start && end <= s.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    #[test]
    fn date_range_includes_both_ends_and_refuses_backwards() {
        let r = DateRange::new(date(2026, 1, 1), date(2026, 1, 31)).unwrap();
        assert!(r.contains(date(2026, 1, 1)) && r.contains(date(2026, 1, 31)));
        assert!(!r.contains(date(2026, 2, 1)));
        assert_eq!(r.days(), 31);
        assert_eq!(DateRange::new(date(2026, 2, 1), date(2026, 1, 1)), Err(Problem::EndBeforeStart));
    }

    #[test]
    fn time_ranges_touching_at_an_instant_do_not_overlap() {
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        let a = TimeRange::new(t("2026-01-01T10:00:00Z"), t("2026-01-01T12:00:00Z")).unwrap();
        let b = TimeRange::new(t("2026-01-01T12:00:00Z"), t("2026-01-01T13:00:00Z")).unwrap();
        assert!(!a.overlaps(&b));
        assert!(a.widened(0, 15).overlaps(&b));
        assert_eq!(a.minutes(), 120);
    }

    #[test]
    fn weekly_pattern_sums_minutes_and_covers_slots() {
        let p = WeeklyPattern(vec![
            WeeklySlot::new(Day::Monday, time(8, 0, 0, 0), time(16, 0, 0, 0)).unwrap(),
            WeeklySlot::new(Day::Saturday, time(9, 30, 0, 0), time(13, 0, 0, 0)).unwrap(),
        ]);
        assert_eq!(p.minutes_per_week(), 8 * 60 + 210);
        assert!(p.covers(Day::Saturday, time(10, 0, 0, 0), time(12, 0, 0, 0)));
        assert!(!p.covers(Day::Saturday, time(12, 0, 0, 0), time(14, 0, 0, 0)));
        assert_eq!(Day::of(date(2026, 11, 23)), Day::Monday);
    }
}
