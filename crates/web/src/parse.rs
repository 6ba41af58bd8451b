//! Turning lenient request fields (strings, options) into domain types.
//!
//! Request bodies are `…Input` structs whose fields are all optional, so that
//! a missing field is reported by the [`Validator`] with every other problem
//! of the request, in the user's language, instead of stopping serde at the
//! first one. Each function here returns the domain's [`Problem`]; handlers
//! record it under the field's path with [`Validator::check`].

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use samvirke_domain::text::{BoundedText, Email};
use samvirke_domain::time::{DateRange, TimeRange};
use samvirke_domain::validation::{Problem, ValidationErrors, Validator};
use serde::de::DeserializeOwned;
use std::fmt::Display;
use uuid::Uuid;

pub use samvirke_domain::time::now;

/// Today's date in Copenhagen.
pub fn today() -> Date {
    Timestamp::now().to_zoned(samvirke_domain::calendar::copenhagen()).date()
}

/// A value that must be given.
pub fn required<T: Clone>(value: &Option<T>) -> Result<T, Problem> {
    value.clone().ok_or(Problem::Required)
}

/// A string field of a request, given or not.
pub trait Raw {
    /// The text, if given.
    fn raw(&self) -> Option<&str>;
}

impl Raw for Option<String> {
    fn raw(&self) -> Option<&str> {
        self.as_deref()
    }
}

impl Raw for String {
    fn raw(&self) -> Option<&str> {
        Some(self)
    }
}

impl Raw for str {
    fn raw(&self) -> Option<&str> {
        Some(self)
    }
}

/// The trimmed text, `Required` when absent or blank.
fn given(value: &(impl Raw + ?Sized)) -> Result<&str, Problem> {
    value.raw().map(str::trim).filter(|s| !s.is_empty()).ok_or(Problem::Required)
}

fn blank(value: &(impl Raw + ?Sized)) -> bool {
    given(value).is_err()
}

fn bad_id() -> Problem {
    Problem::Other { da: "Skal være et gyldigt id (UUID).".into(), en: "Must be a valid id (a UUID).".into() }
}

/// Checked text (names, notes, letters).
pub fn text<const MAX: usize, const MULTILINE: bool>(
    value: &(impl Raw + ?Sized),
) -> Result<BoundedText<MAX, MULTILINE>, Problem> {
    BoundedText::parse(value.raw().unwrap_or(""))
}

/// Optional checked text: absent or blank is `None`.
pub fn opt_text<const MAX: usize, const MULTILINE: bool>(
    value: &(impl Raw + ?Sized),
) -> Result<Option<BoundedText<MAX, MULTILINE>>, Problem> {
    BoundedText::parse_optional(value.raw())
}

/// An optional e-mail address.
pub fn opt_email(value: &(impl Raw + ?Sized)) -> Result<Option<Email>, Problem> {
    if blank(value) { Ok(None) } else { Email::parse(value.raw().unwrap_or("")).map(Some) }
}

/// A trimmed word that must be given (a tag such as `kind`).
pub fn word(value: &(impl Raw + ?Sized)) -> Result<String, Problem> {
    given(value).map(str::to_string)
}

/// A record id.
pub fn id<T: From<Uuid>>(value: &(impl Raw + ?Sized)) -> Result<T, Problem> {
    Uuid::parse_str(given(value)?).map(T::from).map_err(|_| bad_id())
}

/// An optional record id.
pub fn opt_id<T: From<Uuid>>(value: &(impl Raw + ?Sized)) -> Result<Option<T>, Problem> {
    if blank(value) { Ok(None) } else { id(value).map(Some) }
}

/// A calendar date, `YYYY-MM-DD`.
pub fn date(value: &(impl Raw + ?Sized)) -> Result<Date, Problem> {
    given(value)?.parse::<Date>().map_err(|_| Problem::BadDate)
}

/// An optional calendar date.
pub fn opt_date(value: &(impl Raw + ?Sized)) -> Result<Option<Date>, Problem> {
    if blank(value) { Ok(None) } else { date(value).map(Some) }
}

/// An instant, RFC 3339 with an offset (`2026-03-01T10:00:00+01:00`), kept to the microsecond.
pub fn timestamp(value: &(impl Raw + ?Sized)) -> Result<Timestamp, Problem> {
    let t = given(value)?.parse::<Timestamp>().map_err(|_| Problem::BadDate)?;
    Timestamp::from_microsecond(t.as_microsecond()).map_err(|_| Problem::BadDate)
}

/// An optional instant.
pub fn opt_timestamp(value: &(impl Raw + ?Sized)) -> Result<Option<Timestamp>, Problem> {
    if blank(value) { Ok(None) } else { timestamp(value).map(Some) }
}

/// An instant that must not lie after `now` (something that happened: a consent given, a text read).
pub fn not_after(t: Timestamp, now: Timestamp) -> Result<Timestamp, Problem> {
    if t > now {
        Err(Problem::Other { da: "Må ikke ligge i fremtiden.".into(), en: "Must not be in the future.".into() })
    } else {
        Ok(t)
    }
}

/// A local time of day, `HH:MM` or `HH:MM:SS`.
pub fn time(value: &(impl Raw + ?Sized)) -> Result<Time, Problem> {
    given(value)?.parse::<Time>().map_err(|_| Problem::BadDate)
}

/// One of the values of a domain enum, by its snake_case code.
pub fn code<E: DeserializeOwned>(value: &(impl Raw + ?Sized)) -> Result<E, Problem> {
    serde_json::from_value(serde_json::Value::String(given(value)?.to_string())).map_err(|_| Problem::NotAllowed)
}

/// A comma-separated list of enum values (`received,accepted`); absent is empty.
pub fn codes<E: DeserializeOwned>(value: &Option<String>) -> Result<Vec<E>, Problem> {
    value.iter().flat_map(|s| s.split(',')).filter(|s| !s.trim().is_empty()).map(code).collect()
}

/// An optional enum value.
pub fn opt_code<E: DeserializeOwned>(value: &(impl Raw + ?Sized)) -> Result<Option<E>, Problem> {
    if blank(value) { Ok(None) } else { code(value).map(Some) }
}

/// A whole number in `min..=max`.
pub fn number<T>(value: &Option<i64>, min: T, max: T) -> Result<T, Problem>
where
    T: TryFrom<i64> + Into<i64> + Copy,
{
    let n = value.ok_or(Problem::Required)?;
    let (lo, hi) = (min.into(), max.into());
    if (lo..=hi).contains(&n) {
        T::try_from(n).map_err(|_| Problem::OutOfRange { min: lo, max: hi })
    } else {
        Err(Problem::OutOfRange { min: lo, max: hi })
    }
}

/// An optional whole number in `min..=max`.
pub fn opt_number<T>(value: &Option<i64>, min: T, max: T) -> Result<Option<T>, Problem>
where
    T: TryFrom<i64> + Into<i64> + Copy,
{
    if value.is_none() { Ok(None) } else { number(value, min, max).map(Some) }
}

/// A yes/no in a query string: `true`/`false` (also `1`/`0`); absent is `false`.
pub fn flag(value: &(impl Raw + ?Sized)) -> Result<bool, Problem> {
    match value.raw().map(str::trim) {
        None | Some("") | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(_) => Err(Problem::NotAllowed),
    }
}

/// Parses `start` and `end` (under `prefix`) into a time range; a backwards range is reported on `end`.
pub fn time_range(v: &mut Validator, prefix: &str, start: &Option<String>, end: &Option<String>) -> Option<TimeRange> {
    let s = v.check(&dot(prefix, "start"), timestamp(start));
    let e = v.check(&dot(prefix, "end"), timestamp(end));
    v.check(&dot(prefix, "end"), TimeRange::new(s?, e?))
}

/// Parses `start` and `end` (under `prefix`) into a period of days; a backwards period is reported on `end`.
pub fn date_range(v: &mut Validator, prefix: &str, start: &Option<String>, end: &Option<String>) -> Option<DateRange> {
    let s = v.check(&dot(prefix, "start"), date(start));
    let e = v.check(&dot(prefix, "end"), date(end));
    v.check(&dot(prefix, "end"), DateRange::new(s?, e?))
}

/// The path of a field inside a list: `work_goals[1]`.
pub fn at(field: &str, index: usize) -> String {
    format!("{field}[{index}]")
}

/// The path of a field inside an object: `child.cpr`.
pub fn dot(prefix: &str, field: impl Display) -> String {
    if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") }
}

/// A request part that parses into a domain value, reporting its own fields relative to itself.
pub trait Parse {
    /// The domain value.
    type Output;
    /// Parses, collecting every problem.
    fn parse(&self) -> Result<Self::Output, ValidationErrors>;
}

/// Parsing of nested objects and lists, with the field paths kept.
pub trait ValidatorExt {
    /// A nested object that must be given.
    fn object<P: Parse>(&mut self, field: &str, input: &Option<P>) -> Option<P::Output>;
    /// A nested object that may be absent.
    fn opt_object<P: Parse>(&mut self, field: &str, input: &Option<P>) -> Option<Option<P::Output>>;
    /// The problems of a part parsed at the same level (a flattened part), fields unchanged.
    fn merge<T>(&mut self, result: Result<T, ValidationErrors>) -> Option<T>;
    /// A list of nested objects (absent is empty).
    fn objects<P: Parse>(&mut self, field: &str, input: &Option<Vec<P>>) -> Option<Vec<P::Output>>;
    /// A list of plain values (absent is empty), each checked with `f`.
    fn values<I, T>(
        &mut self,
        field: &str,
        input: &Option<Vec<I>>,
        f: impl Fn(&I) -> Result<T, Problem>,
    ) -> Option<Vec<T>>;
}

impl ValidatorExt for Validator {
    fn object<P: Parse>(&mut self, field: &str, input: &Option<P>) -> Option<P::Output> {
        match input {
            Some(p) => self.nested(field, p.parse()),
            None => {
                self.push(field, Problem::Required);
                None
            }
        }
    }

    fn opt_object<P: Parse>(&mut self, field: &str, input: &Option<P>) -> Option<Option<P::Output>> {
        match input {
            Some(p) => self.nested(field, p.parse()).map(Some),
            None => Some(None),
        }
    }

    fn merge<T>(&mut self, result: Result<T, ValidationErrors>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(ValidationErrors(errors)) => {
                for e in errors {
                    self.push(e.field, e.problem);
                }
                None
            }
        }
    }

    fn objects<P: Parse>(&mut self, field: &str, input: &Option<Vec<P>>) -> Option<Vec<P::Output>> {
        let items = input.as_deref().unwrap_or_default();
        let parsed: Vec<_> = items.iter().enumerate().map(|(i, p)| self.nested(&at(field, i), p.parse())).collect();
        parsed.into_iter().collect()
    }

    fn values<I, T>(
        &mut self,
        field: &str,
        input: &Option<Vec<I>>,
        f: impl Fn(&I) -> Result<T, Problem>,
    ) -> Option<Vec<T>> {
        let items = input.as_deref().unwrap_or_default();
        let parsed: Vec<_> = items.iter().enumerate().map(|(i, v)| self.check(&at(field, i), f(v))).collect();
        parsed.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use samvirke_domain::CaseId;
    use samvirke_domain::catalogue::Intervention;

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn ids_dates_and_codes_are_parsed_or_named_as_problems() {
        assert_eq!(id::<CaseId>(&None), Err(Problem::Required));
        assert!(matches!(id::<CaseId>(&s("nope")), Err(Problem::Other { .. })));
        assert_eq!(opt_id::<CaseId>(&s("  ")), Ok(None));
        assert_eq!(date(&s("2026-02-30")), Err(Problem::BadDate));
        assert_eq!(code::<Intervention>(&s("home_support")), Ok(Intervention::HomeSupport));
        assert_eq!(code::<Intervention>(&s("therapy")), Err(Problem::NotAllowed));
        assert_eq!(number::<u8>(&Some(300), 0, 10), Err(Problem::OutOfRange { min: 0, max: 10 }));
        assert_eq!(flag(&s("yes")), Err(Problem::NotAllowed));
    }

    #[test]
    fn timestamps_are_kept_to_the_microsecond() {
        let t = timestamp(&s("2026-03-01T10:00:00.123456789+01:00")).unwrap();
        assert_eq!(t.to_string(), "2026-03-01T09:00:00.123456Z");
    }

    #[test]
    fn list_items_are_reported_with_their_index() {
        let mut v = Validator::new();
        let goals = v.values("work_goals", &Some(vec!["ok".to_string(), " ".to_string()]), text::<200, false>);
        assert!(goals.is_none());
        let errs = v.finish().unwrap_err();
        assert_eq!(errs.0[0].field, "work_goals[1]");
    }
}
