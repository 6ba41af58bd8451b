//! Small tools: deterministic ids, a day calendar with cached local times,
//! and the occupancy map that keeps people and rooms from being double-booked.

use jiff::Timestamp;
use jiff::ToSpan;
use jiff::civil::Date;
use rand::Rng;
use samvirke_domain::calendar;
use samvirke_domain::text::{BoundedText, LongText};
use std::collections::HashMap;
use uuid::Uuid;

/// A UUIDv7 whose time part is `at` and whose 74 random bits come from the seeded generator.
pub fn uuid_at(rng: &mut impl Rng, at: Timestamp) -> Uuid {
    let ms = u64::try_from(at.as_millisecond()).unwrap_or(0);
    let mut bytes = [0u8; 10];
    rng.fill(&mut bytes);
    uuid::Builder::from_unix_timestamp_millis(ms, &bytes).into_uuid()
}

/// Single-line text the generator knows is valid.
pub fn st<const MAX: usize>(s: impl AsRef<str>) -> BoundedText<MAX, false> {
    let s = s.as_ref();
    BoundedText::parse(s).unwrap_or_else(|p| panic!("generated text {s:?} is not valid: {p:?}"))
}

/// Multi-line text the generator knows is valid.
pub fn lt(s: impl AsRef<str>) -> LongText {
    let s = s.as_ref();
    LongText::parse(s).unwrap_or_else(|p| panic!("generated text is not valid: {p:?}"))
}

/// Picks one element of a non-empty slice.
pub fn pick<T: Copy>(rng: &mut impl Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// Minutes after local midnight.
pub type Minute = i32;

/// `h:mm` as minutes after midnight.
pub const fn hm(h: i32, m: i32) -> Minute {
    h * 60 + m
}

/// The days the generator works with, numbered from a base date, with their
/// weekday, whether they are Danish public holidays, and the UTC instant of
/// local noon (so that a local time becomes a timestamp without a time-zone
/// lookup per appointment; no appointment is near the 02:00–03:00 DST switch).
pub struct Days {
    base: Date,
    dates: Vec<Date>,
    noon_second: Vec<i64>,
    weekday: Vec<u8>,
    holiday: Vec<bool>,
}

impl Days {
    /// Days from `first` for `count` days.
    pub fn new(first: Date, count: usize) -> Self {
        let tz = calendar::copenhagen();
        let mut dates = Vec::with_capacity(count);
        let mut noon_second = Vec::with_capacity(count);
        let mut weekday = Vec::with_capacity(count);
        let mut holiday = Vec::with_capacity(count);
        let mut d = first;
        for _ in 0..count {
            dates.push(d);
            let noon = tz.to_ambiguous_timestamp(d.at(12, 0, 0, 0)).compatible().expect("noon exists in Copenhagen");
            noon_second.push(noon.as_second());
            weekday.push(d.weekday().to_monday_zero_offset() as u8);
            holiday.push(calendar::holiday_on(d).is_some());
            d = d.tomorrow().expect("dates in range");
        }
        Self { base: first, dates, noon_second, weekday, holiday }
    }

    /// The number of a date.
    pub fn num(&self, d: Date) -> i32 {
        (d - self.base).get_days()
    }

    /// The date of a number.
    pub fn date(&self, n: i32) -> Date {
        match self.index(n) {
            Some(i) => self.dates[i],
            None => self.base.checked_add(n.days()).expect("date in range"),
        }
    }

    /// Monday = 0 … Sunday = 6.
    pub fn weekday(&self, n: i32) -> u8 {
        match self.index(n) {
            Some(i) => self.weekday[i],
            None => self.date(n).weekday().to_monday_zero_offset() as u8,
        }
    }

    /// True on Danish public holidays.
    pub fn is_holiday(&self, n: i32) -> bool {
        match self.index(n) {
            Some(i) => self.holiday[i],
            None => calendar::holiday_on(self.date(n)).is_some(),
        }
    }

    /// True on Saturdays and Sundays.
    pub fn is_weekend(&self, n: i32) -> bool {
        self.weekday(n) >= 5
    }

    /// The instant of a local time on a day.
    pub fn at(&self, n: i32, minute: Minute) -> Timestamp {
        let noon = match self.index(n) {
            Some(i) => self.noon_second[i],
            None => calendar::copenhagen()
                .to_ambiguous_timestamp(self.date(n).at(12, 0, 0, 0))
                .compatible()
                .expect("noon exists in Copenhagen")
                .as_second(),
        };
        Timestamp::from_second(noon + i64::from(minute - hm(12, 0)) * 60).expect("valid instant")
    }

    fn index(&self, n: i32) -> Option<usize> {
        usize::try_from(n).ok().filter(|&i| i < self.dates.len())
    }
}

/// What can be booked: a member of staff or a room, by a generator-wide number.
pub type Resource = u32;

/// Who and what is taken when, per day, in local minutes.
#[derive(Default)]
pub struct Busy {
    // Looked up only, never iterated, so the hash order cannot leak into the data.
    map: HashMap<(Resource, i32), Vec<(Minute, Minute)>>,
}

impl Busy {
    /// True when the resource is free for [start, end) on the day.
    pub fn free(&self, r: Resource, day: i32, start: Minute, end: Minute) -> bool {
        self.map.get(&(r, day)).is_none_or(|v| v.iter().all(|&(s, e)| end <= s || e <= start))
    }

    /// Takes the resource for [start, end) on the day.
    pub fn take(&mut self, r: Resource, day: i32, start: Minute, end: Minute) {
        self.map.entry((r, day)).or_default().push((start, end));
    }

    /// Minutes the resource is taken on the day.
    pub fn minutes(&self, r: Resource, day: i32) -> i32 {
        self.map.get(&(r, day)).map_or(0, |v| v.iter().map(|(s, e)| e - s).sum())
    }
}

/// Mixes the user's seed with a stream number into an independent seed (SplitMix64).
pub fn mix(seed: u64, stream: u64) -> u64 {
    let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn local_times_follow_danish_summer_and_winter_time() {
        let days = Days::new(date(2026, 1, 1), 365);
        let winter = days.num(date(2026, 1, 15));
        let summer = days.num(date(2026, 7, 15));
        assert_eq!(days.at(winter, hm(10, 0)).to_string(), "2026-01-15T09:00:00Z");
        assert_eq!(days.at(summer, hm(10, 0)).to_string(), "2026-07-15T08:00:00Z");
        assert!(days.is_holiday(days.num(date(2026, 12, 25))));
        assert_eq!(days.weekday(days.num(date(2026, 11, 23))), 0);
    }

    #[test]
    fn ids_carry_the_given_time_and_repeat_with_the_seed() {
        let at: Timestamp = "2026-03-01T10:00:00Z".parse().unwrap();
        let a = uuid_at(&mut ChaCha8Rng::seed_from_u64(7), at);
        let b = uuid_at(&mut ChaCha8Rng::seed_from_u64(7), at);
        assert_eq!(a, b);
        assert_eq!(a.get_version_num(), 7);
        let (secs, _) = a.get_timestamp().unwrap().to_unix();
        assert_eq!(secs as i64, at.as_second());
    }

    #[test]
    fn busy_refuses_overlaps_and_allows_touching() {
        let mut b = Busy::default();
        b.take(1, 10, hm(10, 0), hm(12, 0));
        assert!(!b.free(1, 10, hm(11, 0), hm(13, 0)));
        assert!(b.free(1, 10, hm(12, 0), hm(13, 0)));
        assert!(b.free(2, 10, hm(11, 0), hm(13, 0)));
        assert!(b.free(1, 11, hm(11, 0), hm(13, 0)));
    }
}
