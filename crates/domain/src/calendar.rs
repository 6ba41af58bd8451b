//! The Danish calendar: public holidays (computed, Easter-based ones included)
//! and working days. Store Bededag is a public holiday until 2023 and not from
//! 2024 (lov nr. 16 of 28 February 2023).

use crate::Localized;
use jiff::ToSpan;
use jiff::civil::{Date, Weekday, date};
use jiff::tz::TimeZone;
use std::sync::OnceLock;

/// The time zone Samvirke shows times in. Times are stored in UTC.
pub fn copenhagen() -> TimeZone {
    static TZ: OnceLock<TimeZone> = OnceLock::new();
    TZ.get_or_init(|| {
        jiff::tz::db().get("Europe/Copenhagen").expect("the bundled time-zone database has Europe/Copenhagen")
    })
    .clone()
}

/// The date of an instant in Copenhagen.
pub fn local_date(at: jiff::Timestamp) -> Date {
    at.to_zoned(copenhagen()).date()
}

/// A date as Danes write it: `1.3.2026`.
pub fn date_da(d: Date) -> String {
    format!("{}.{}.{}", d.day(), d.month(), d.year())
}

/// A Danish public holiday (helligdag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holiday {
    /// 1 January.
    NewYearsDay,
    /// Thursday before Easter.
    MaundyThursday,
    /// Friday before Easter.
    GoodFriday,
    /// Easter Sunday.
    EasterSunday,
    /// Easter Monday.
    EasterMonday,
    /// The fourth Friday after Easter; abolished from 2024.
    GreatPrayerDay,
    /// 39 days after Easter.
    AscensionDay,
    /// 49 days after Easter.
    WhitSunday,
    /// 50 days after Easter.
    WhitMonday,
    /// 25 December.
    ChristmasDay,
    /// 26 December.
    BoxingDay,
}

impl Holiday {
    /// The holiday's Danish and English name.
    pub fn name(self) -> Localized {
        use Holiday::*;
        match self {
            NewYearsDay => Localized::new("Nytårsdag", "New Year's Day"),
            MaundyThursday => Localized::new("Skærtorsdag", "Maundy Thursday"),
            GoodFriday => Localized::new("Langfredag", "Good Friday"),
            EasterSunday => Localized::new("Påskedag", "Easter Sunday"),
            EasterMonday => Localized::new("2. påskedag", "Easter Monday"),
            GreatPrayerDay => Localized::new("Store bededag", "General Prayer Day"),
            AscensionDay => Localized::new("Kristi himmelfartsdag", "Ascension Day"),
            WhitSunday => Localized::new("Pinsedag", "Whit Sunday"),
            WhitMonday => Localized::new("2. pinsedag", "Whit Monday"),
            ChristmasDay => Localized::new("Juledag", "Christmas Day"),
            BoxingDay => Localized::new("2. juledag", "Boxing Day"),
        }
    }
}

/// Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm).
pub fn easter_sunday(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    date(year, month as i8, day as i8)
}

/// The public holidays of a year, in date order.
pub fn public_holidays(year: i16) -> Vec<(Date, Holiday)> {
    let easter = easter_sunday(year);
    let rel = |days: i32| easter.checked_add(days.days()).expect("Easter ± 50 days is a valid date");
    let mut v = vec![
        (date(year, 1, 1), Holiday::NewYearsDay),
        (rel(-3), Holiday::MaundyThursday),
        (rel(-2), Holiday::GoodFriday),
        (easter, Holiday::EasterSunday),
        (rel(1), Holiday::EasterMonday),
    ];
    if year <= 2023 {
        v.push((rel(26), Holiday::GreatPrayerDay));
    }
    v.extend([
        (rel(39), Holiday::AscensionDay),
        (rel(49), Holiday::WhitSunday),
        (rel(50), Holiday::WhitMonday),
        (date(year, 12, 25), Holiday::ChristmasDay),
        (date(year, 12, 26), Holiday::BoxingDay),
    ]);
    v
}

/// The public holiday on a date, if any.
pub fn holiday_on(d: Date) -> Option<Holiday> {
    public_holidays(d.year()).into_iter().find(|(hd, _)| *hd == d).map(|(_, h)| h)
}

/// A Danish working day: Monday to Friday and not a public holiday.
pub fn is_working_day(d: Date) -> bool {
    !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) && holiday_on(d).is_none()
}

/// The date `n` working days after `from` (not counting `from` itself).
pub fn add_working_days(from: Date, n: u32) -> Date {
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d = d.tomorrow().expect("dates in use are far from the end of the calendar");
        if is_working_day(d) {
            left -= 1;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easter_is_computed_for_known_years() {
        assert_eq!(easter_sunday(2024), date(2024, 3, 31));
        assert_eq!(easter_sunday(2025), date(2025, 4, 20));
        assert_eq!(easter_sunday(2026), date(2026, 4, 5));
        assert_eq!(easter_sunday(2027), date(2027, 3, 28));
        assert_eq!(easter_sunday(2038), date(2038, 4, 25));
    }

    #[test]
    fn store_bededag_is_a_holiday_in_2023_but_not_from_2024() {
        assert_eq!(holiday_on(date(2023, 5, 5)), Some(Holiday::GreatPrayerDay));
        assert!(!is_working_day(date(2023, 5, 5)));
        // Fourth Friday after Easter 2024 is 26 April: an ordinary working day.
        assert_eq!(holiday_on(date(2024, 4, 26)), None);
        assert!(is_working_day(date(2024, 4, 26)));
    }

    #[test]
    fn holidays_of_2026() {
        let days: Vec<Date> = public_holidays(2026).into_iter().map(|(d, _)| d).collect();
        assert_eq!(
            days,
            vec![
                date(2026, 1, 1),
                date(2026, 4, 2),
                date(2026, 4, 3),
                date(2026, 4, 5),
                date(2026, 4, 6),
                date(2026, 5, 14),
                date(2026, 5, 24),
                date(2026, 5, 25),
                date(2026, 12, 25),
                date(2026, 12, 26),
            ]
        );
    }

    #[test]
    fn working_days_skip_weekends_and_easter() {
        // Wednesday 1 April 2026 + 3 working days: Thu 2 and Fri 3 are holidays,
        // Sat/Sun weekend, Mon 6 is Easter Monday → Tue 7, Wed 8, Thu 9.
        assert_eq!(add_working_days(date(2026, 4, 1), 3), date(2026, 4, 9));
        // Friday + 1 working day is Monday.
        assert_eq!(add_working_days(date(2026, 11, 20), 1), date(2026, 11, 23));
        assert_eq!(add_working_days(date(2026, 11, 20), 0), date(2026, 11, 20));
    }

    #[test]
    fn copenhagen_time_zone_is_bundled() {
        let ts: jiff::Timestamp = "2026-07-01T10:00:00Z".parse().unwrap();
        assert_eq!(ts.to_zoned(copenhagen()).hour(), 12);
    }
}
