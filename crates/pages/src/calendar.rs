//! The week calendar of a room or a practitioner (`/calendar`): Monday to
//! Sunday, 07–21, each appointment in its day; the form that plans a new
//! appointment, the form that moves one, and the clashes of either with what
//! is already booked, shown before anything is saved.

use crate::format;
use crate::i18n::Text;
use crate::layout::Chrome;
use crate::work::FieldProblem;
use askama::Template;
use jiff::civil::{Date, Time};
use samvirke_domain::Lang;
use samvirke_domain::rules::RuleViolationView;

/// The first hour the grid shows.
pub const FIRST_HOUR: i8 = 7;
/// The hour the grid ends.
pub const LAST_HOUR: i8 = 21;
/// Rows of the grid: one per half hour.
pub const SLOTS: i32 = (LAST_HOUR - FIRST_HOUR) as i32 * 2;

/// A choice of a select.
#[derive(Debug, Clone)]
pub struct Opt {
    /// The value sent.
    pub value: String,
    /// What it says.
    pub text: String,
}

/// An appointment in the grid.
#[derive(Debug, Clone)]
pub struct Entry {
    /// «10.00–12.00».
    pub time: String,
    /// The kind of appointment; empty when the actor may not read it.
    pub kind: String,
    /// The child's first name; empty when the actor may not read it.
    pub child: String,
    /// Whether the actor may not read it: only «Optaget» is shown.
    pub busy: bool,
    /// The appointment's page, when the actor may read it.
    pub href: Option<String>,
    /// The calendar with this appointment's move form, when the actor may move it.
    pub move_href: Option<String>,
    /// The first half-hour row it takes (1 = 07.00), for the wide grid.
    pub row: i32,
    /// How many half-hour rows it takes.
    pub span: i32,
}

/// A day of the week.
#[derive(Debug, Clone)]
pub struct Day {
    /// «mandag».
    pub name: String,
    /// «23.11.».
    pub date: String,
    /// Whether it is today.
    pub today: bool,
    /// Its appointments, in time order.
    pub entries: Vec<Entry>,
}

/// The values of the plan or move form, as entered (shown again when refused).
#[derive(Debug, Clone, Default)]
pub struct PlanForm {
    /// The referral (new appointments).
    pub referral_id: String,
    /// The kind's code (new appointments).
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM`.
    pub end: String,
    /// `room:<id>`, `family_home`, `placement_setting` or `other`.
    pub location: String,
    /// Where, for `other`.
    pub place: String,
    /// The first practitioner.
    pub practitioner: String,
    /// The second practitioner.
    pub practitioner2: String,
}

/// The move form of one appointment.
#[derive(Debug, Clone)]
pub struct MoveForm {
    /// Where it posts.
    pub action: String,
    /// The appointment's id (left out of the clash check).
    pub id: String,
    /// The revision the move is based on.
    pub revision: u32,
    /// What is moved: «Samvær, Ida, tirsdag 24. november 2026 10.00–12.00».
    pub what: String,
    /// The form's values.
    pub form: PlanForm,
}

/// The week calendar page.
#[derive(Debug, Template)]
#[template(path = "calendar.html")]
pub struct CalendarPage {
    /// Language, path and who is signed in.
    pub chrome: Chrome,
    /// Whose week: the room's or the practitioner's name.
    pub title: String,
    /// «uge 48».
    pub week: String,
    /// «23.–29. november 2026».
    pub dates: String,
    /// The selected subject: `room:<id>` or `staff:<id>`.
    pub subject: String,
    /// The query of the subject (`room=<id>` or `staff=<id>`).
    pub subject_query: String,
    /// The week shown, `2026-W48`.
    pub week_code: String,
    /// The week before, `2026-W47`.
    pub previous: String,
    /// The week after.
    pub next: String,
    /// The rooms of the provider.
    pub rooms: Vec<Opt>,
    /// The practitioners (and coordinators) of the provider.
    pub staff: Vec<Opt>,
    /// The hours of the grid's scale: «07», «08» …
    pub hours: Vec<String>,
    /// Monday to Sunday.
    pub days: Vec<Day>,
    /// Whether the actor may plan (has referrals to plan for).
    pub can_plan: bool,
    /// The referrals the actor may plan for.
    pub referrals: Vec<Opt>,
    /// The kinds of appointment.
    pub kinds: Vec<Opt>,
    /// The places: the rooms, then the family's home, the placement setting, elsewhere.
    pub places: Vec<Opt>,
    /// The new appointment's form.
    pub form: PlanForm,
    /// The move form, when an appointment is being moved.
    pub moving: Option<MoveForm>,
    /// The problems of a refused form.
    pub errors: Vec<FieldProblem>,
    /// The rule that refused the form.
    pub rule: Option<RuleViolationView>,
    /// The clashes that refused the form.
    pub conflicts: Vec<String>,
    /// What was just saved.
    pub saved: Option<Text>,
}

impl CalendarPage {
    /// What was just saved, in the page's language.
    pub fn receipt(&self) -> Option<&'static str> {
        self.saved.map(|t| self.chrome.t(t))
    }

    /// Whether the calendar shows this room (`kind` `room`) or practitioner (`staff`).
    pub fn shows(&self, kind: &str, id: &str) -> bool {
        self.subject.strip_prefix(kind).and_then(|rest| rest.strip_prefix(':')) == Some(id)
    }
}

/// The clash check's answer, swapped into the form's `#conflicts`.
#[derive(Debug, Template)]
#[template(path = "conflicts.html")]
pub struct Conflicts {
    /// Language, path and who is signed in.
    pub chrome: Chrome,
    /// Whether the form names a time to check at all.
    pub checked: bool,
    /// The clashes, worded.
    pub conflicts: Vec<String>,
}

/// The half-hour row a local time falls in (1 = 07.00), kept inside the grid.
pub fn row_of(t: Time) -> i32 {
    let minutes = (i32::from(t.hour()) - i32::from(FIRST_HOUR)) * 60 + i32::from(t.minute());
    (minutes / 30 + 1).clamp(1, SLOTS)
}

/// The rows an appointment from `start` to `end` (local times of its day) takes: first row and count.
pub fn rows(start: Time, end: Time, ends_next_day: bool) -> (i32, i32) {
    let first = row_of(start);
    let last = if ends_next_day {
        SLOTS + 1
    } else {
        let minutes = (i32::from(end.hour()) - i32::from(FIRST_HOUR)) * 60 + i32::from(end.minute());
        ((minutes + 29) / 30 + 1).clamp(2, SLOTS + 1)
    };
    (first, (last - first).max(1))
}

/// The hours of the grid's scale.
pub fn hours() -> Vec<String> {
    (FIRST_HOUR..LAST_HOUR).map(|h| format!("{h:02}")).collect()
}

/// «23.11.»: a day in the week's heading.
pub fn day_month(d: Date) -> String {
    format!("{}.{}.", d.day(), d.month())
}

/// «23.–29. november 2026» / «23–29 November 2026»: the dates of a week.
pub fn week_dates(monday: Date, sunday: Date, lang: Lang) -> String {
    if monday.month() == sunday.month() {
        let rest = format::date(sunday, lang);
        match lang {
            Lang::Da => format!("{}.–{rest}", monday.day()),
            Lang::En => format!("{}–{rest}", monday.day()),
        }
    } else {
        let first = format::date(monday, lang);
        let first = first.rsplit_once(' ').map_or(first.clone(), |(d, _)| d.to_string());
        format!("{first} – {}", format::date(sunday, lang))
    }
}

/// «Samværsrum 1 er optaget 10.00–12.00».
pub fn room_taken(room: &str, time: &str, lang: Lang) -> String {
    Text::RoomTaken.get(lang).replace("{room}", room).replace("{time}", time)
}

/// «Allan Thomsen har en anden aftale 10.00–12.00».
pub fn practitioner_taken(name: &str, time: &str, lang: Lang) -> String {
    Text::PractitionerTaken.get(lang).replace("{name}", name).replace("{time}", time)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_time_falls_in_its_half_hour_row_inside_the_grid() {
        assert_eq!(row_of(Time::constant(7, 0, 0, 0)), 1);
        assert_eq!(row_of(Time::constant(10, 0, 0, 0)), 7);
        assert_eq!(row_of(Time::constant(10, 45, 0, 0)), 8);
        assert_eq!(row_of(Time::constant(6, 0, 0, 0)), 1);
        assert_eq!(row_of(Time::constant(22, 0, 0, 0)), SLOTS);
        assert_eq!(rows(Time::constant(10, 0, 0, 0), Time::constant(12, 0, 0, 0), false), (7, 4));
        assert_eq!(rows(Time::constant(10, 0, 0, 0), Time::constant(10, 15, 0, 0), false), (7, 1));
        assert_eq!(rows(Time::constant(20, 0, 0, 0), Time::constant(23, 0, 0, 0), false), (27, 2));
        assert_eq!(hours().first().map(String::as_str), Some("07"));
        assert_eq!(hours().len(), 14);
    }

    #[test]
    fn a_week_and_a_clash_in_danish_and_english() {
        assert_eq!(week_dates(date(2026, 11, 23), date(2026, 11, 29), Lang::Da), "23.–29. november 2026");
        assert_eq!(week_dates(date(2026, 11, 23), date(2026, 11, 29), Lang::En), "23–29 November 2026");
        assert_eq!(week_dates(date(2026, 11, 30), date(2026, 12, 6), Lang::Da), "30. november – 6. december 2026");
        assert_eq!(room_taken("Samværsrum 1", "10.00–12.00", Lang::Da), "Samværsrum 1 er optaget 10.00–12.00");
        assert_eq!(
            practitioner_taken("Allan Thomsen", "10.00–12.00", Lang::Da),
            "Allan Thomsen har en anden aftale 10.00–12.00"
        );
        assert_eq!(day_month(date(2026, 11, 3)), "3.11.");
    }
}
