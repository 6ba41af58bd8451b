//! Dates, times and week numbers as Danish (and English) readers write them:
//! «tirsdag 24. november 2026», «kl. 14.00–16.00», «uge 48».

use jiff::civil::{Date, Time, Weekday};
use jiff::{Timestamp, tz::TimeZone};
use samvirke_domain::Lang;

fn zone() -> TimeZone {
    samvirke_domain::calendar::copenhagen()
}

const MONTHS_DA: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The weekday's name.
pub fn weekday(d: Weekday, lang: Lang) -> &'static str {
    use Weekday::*;
    match (d, lang) {
        (Monday, Lang::Da) => "mandag",
        (Tuesday, Lang::Da) => "tirsdag",
        (Wednesday, Lang::Da) => "onsdag",
        (Thursday, Lang::Da) => "torsdag",
        (Friday, Lang::Da) => "fredag",
        (Saturday, Lang::Da) => "lørdag",
        (Sunday, Lang::Da) => "søndag",
        (Monday, Lang::En) => "Monday",
        (Tuesday, Lang::En) => "Tuesday",
        (Wednesday, Lang::En) => "Wednesday",
        (Thursday, Lang::En) => "Thursday",
        (Friday, Lang::En) => "Friday",
        (Saturday, Lang::En) => "Saturday",
        (Sunday, Lang::En) => "Sunday",
    }
}

/// «24. november 2026» / «24 November 2026».
pub fn date(d: Date, lang: Lang) -> String {
    let month = usize::try_from(d.month() - 1).unwrap_or(0);
    match lang {
        Lang::Da => format!("{}. {} {}", d.day(), MONTHS_DA[month], d.year()),
        Lang::En => format!("{} {} {}", d.day(), MONTHS_EN[month], d.year()),
    }
}

/// «tirsdag 24. november 2026».
pub fn long_date(d: Date, lang: Lang) -> String {
    format!("{} {}", weekday(d.weekday(), lang), date(d, lang))
}

/// «24.11.2026» / «24/11/2026»: dates in tables.
pub fn short_date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Da => format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()),
        Lang::En => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
    }
}

/// The ISO week number (Danish weeks begin on Monday; week 1 holds the first Thursday).
pub fn week_number(d: Date) -> i8 {
    d.iso_week_date().week()
}

/// «uge 48» / «week 48».
pub fn week(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Da => format!("uge {}", week_number(d)),
        Lang::En => format!("week {}", week_number(d)),
    }
}

/// «14.00» / «14:00».
pub fn time(t: Time, lang: Lang) -> String {
    match lang {
        Lang::Da => format!("{:02}.{:02}", t.hour(), t.minute()),
        Lang::En => format!("{:02}:{:02}", t.hour(), t.minute()),
    }
}

pub use samvirke_domain::calendar::local_date;

/// A moment's local time of day in Copenhagen.
pub fn local_time(at: Timestamp, lang: Lang) -> String {
    time(at.to_zoned(zone()).time(), lang)
}

/// «14.00–16.00»: a span within a day (the end's date is not repeated).
pub fn span(start: Timestamp, end: Timestamp, lang: Lang) -> String {
    format!("{}–{}", local_time(start, lang), local_time(end, lang))
}

/// «24.11.2026 14.00»: a moment in a table.
pub fn moment(at: Timestamp, lang: Lang) -> String {
    format!("{} {}", short_date(local_date(at), lang), local_time(at, lang))
}

/// Minutes as hours and minutes: «12 t 30 min» / «12 h 30 min».
pub fn hours(minutes: i64, lang: Lang) -> String {
    let sign = if minutes < 0 { "−" } else { "" };
    let (h, m) = (minutes.unsigned_abs() / 60, minutes.unsigned_abs() % 60);
    let unit = if lang == Lang::Da { "t" } else { "h" };
    if m == 0 { format!("{sign}{h} {unit}") } else { format!("{sign}{h} {unit} {m} min") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    #[test]
    fn danish_dates_weeks_and_times() {
        assert_eq!(long_date(d(2026, 11, 24), Lang::Da), "tirsdag 24. november 2026");
        assert_eq!(long_date(d(2026, 11, 24), Lang::En), "Tuesday 24 November 2026");
        assert_eq!(short_date(d(2026, 3, 5), Lang::Da), "05.03.2026");
        assert_eq!(week(d(2026, 11, 24), Lang::Da), "uge 48");
        // ISO weeks: 1 January 2027 is a Friday, in week 53 of 2026.
        assert_eq!(week_number(d(2027, 1, 1)), 53);
        assert_eq!(week_number(d(2027, 1, 4)), 1);
        assert_eq!(time(Time::constant(9, 5, 0, 0), Lang::Da), "09.05");
        assert_eq!(time(Time::constant(9, 5, 0, 0), Lang::En), "09:05");
        // Summer time: 10.00 in Copenhagen is 08.00 UTC in June.
        let at: Timestamp = "2026-06-01T08:00:00Z".parse().unwrap();
        assert_eq!(local_time(at, Lang::Da), "10.00");
        assert_eq!(hours(750, Lang::Da), "12 t 30 min");
        assert_eq!(hours(-60, Lang::En), "−1 h");
    }
}
