//! How domain values are written to and read from columns.
//!
//! Instants are INTEGER microseconds since the Unix epoch, dates TEXT
//! `YYYY-MM-DD`, enums TEXT holding their serde code, nested value objects
//! TEXT holding their serde JSON. Reading a value that does not parse is
//! [`StoreError::Corrupt`], naming the column but never the value: a column
//! may hold personal data.

use jiff::Timestamp;
use jiff::civil::Date;
use samvirke_domain::time::{DateRange, TimeRange};
use samvirke_store::{Page, StoreError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::sqlite::SqliteRow;
use sqlx::{Decode, Row, Sqlite, Type};
use uuid::Uuid;

/// Result of a store operation.
pub(crate) type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An instant as stored.
pub(crate) fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

/// A date as stored.
pub(crate) fn day(d: Date) -> String {
    // jiff prints years 0–9999 with four digits, so this is `YYYY-MM-DD`.
    d.to_string()
}

/// Serialises a value object for a JSON column.
pub(crate) fn json<T: Serialize + ?Sized>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Backend(Box::new(e)))
}

/// The serde code of a unit enum variant, e.g. `team_lead`.
pub(crate) fn code<T: Serialize>(v: &T) -> Result<String> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        Ok(_) => Err(StoreError::Backend("value has no code".into())),
        Err(e) => Err(StoreError::Backend(Box::new(e))),
    }
}

/// A reason for a JSON error that carries no part of the value.
fn json_reason(e: &serde_json::Error) -> String {
    format!("invalid JSON ({:?} error at line {}, column {})", e.classify(), e.line(), e.column())
}

/// The column name in a `table.column` label.
fn name(column: &'static str) -> &'static str {
    column.rsplit_once('.').map_or(column, |(_, c)| c)
}

/// Reads a column as a plain sqlx type. `column` is `table.column`.
pub(crate) fn get<'r, T>(row: &'r SqliteRow, column: &'static str) -> Result<T>
where
    T: Decode<'r, Sqlite> + Type<Sqlite>,
{
    row.try_get(name(column)).map_err(|e| match e {
        // sqlx's decode errors name types and lengths, not values.
        sqlx::Error::ColumnDecode { source, .. } => StoreError::corrupt(column, source),
        other => StoreError::corrupt(column, other),
    })
}

/// Reads an id column.
pub(crate) fn id<T: From<Uuid>>(row: &SqliteRow, column: &'static str) -> Result<T> {
    get::<Uuid>(row, column).map(T::from)
}

/// Reads a nullable id column.
pub(crate) fn opt_id<T: From<Uuid>>(row: &SqliteRow, column: &'static str) -> Result<Option<T>> {
    Ok(get::<Option<Uuid>>(row, column)?.map(T::from))
}

/// Reads an instant.
pub(crate) fn ts(row: &SqliteRow, column: &'static str) -> Result<Timestamp> {
    to_ts(get(row, column)?, column)
}

/// Reads a nullable instant.
pub(crate) fn opt_ts(row: &SqliteRow, column: &'static str) -> Result<Option<Timestamp>> {
    get::<Option<i64>>(row, column)?.map(|v| to_ts(v, column)).transpose()
}

fn to_ts(v: i64, column: &'static str) -> Result<Timestamp> {
    Timestamp::from_microsecond(v).map_err(|_| StoreError::corrupt(column, "instant out of range"))
}

/// Reads a date.
pub(crate) fn date(row: &SqliteRow, column: &'static str) -> Result<Date> {
    to_date(&get::<String>(row, column)?, column)
}

/// Reads a nullable date.
pub(crate) fn opt_date(row: &SqliteRow, column: &'static str) -> Result<Option<Date>> {
    get::<Option<String>>(row, column)?.map(|s| to_date(&s, column)).transpose()
}

fn to_date(s: &str, column: &'static str) -> Result<Date> {
    s.parse().map_err(|_| StoreError::corrupt(column, "not a date"))
}

/// Reads an unsigned number that must fit the domain's type.
pub(crate) fn num<T: TryFrom<i64>>(row: &SqliteRow, column: &'static str) -> Result<T> {
    T::try_from(get::<i64>(row, column)?).map_err(|_| StoreError::corrupt(column, "number out of range"))
}

/// Reads a nullable unsigned number.
pub(crate) fn opt_num<T: TryFrom<i64>>(row: &SqliteRow, column: &'static str) -> Result<Option<T>> {
    get::<Option<i64>>(row, column)?
        .map(|v| T::try_from(v).map_err(|_| StoreError::corrupt(column, "number out of range")))
        .transpose()
}

/// Reads checked text (`ShortText`, `PersonName`, `Email`, …); the domain's
/// parse error names the rule broken, not the text.
pub(crate) fn text<T: TryFrom<String, Error = String>>(row: &SqliteRow, column: &'static str) -> Result<T> {
    T::try_from(get::<String>(row, column)?).map_err(|reason| StoreError::corrupt(column, reason))
}

/// Reads nullable checked text.
pub(crate) fn opt_text<T: TryFrom<String, Error = String>>(row: &SqliteRow, column: &'static str) -> Result<Option<T>> {
    get::<Option<String>>(row, column)?.map(|s| T::try_from(s).map_err(|r| StoreError::corrupt(column, r))).transpose()
}

/// Reads an enum from its code.
pub(crate) fn enum_code<T: DeserializeOwned>(row: &SqliteRow, column: &'static str) -> Result<T> {
    from_code(get::<String>(row, column)?, column)
}

/// Parses an enum from its code.
pub(crate) fn from_code<T: DeserializeOwned>(code: String, column: &'static str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(code)).map_err(|_| StoreError::corrupt(column, "unknown code"))
}

/// Reads a JSON column.
pub(crate) fn from_json<T: DeserializeOwned>(row: &SqliteRow, column: &'static str) -> Result<T> {
    parse_json(&get::<String>(row, column)?, column)
}

/// Reads a nullable JSON column.
pub(crate) fn opt_json<T: DeserializeOwned>(row: &SqliteRow, column: &'static str) -> Result<Option<T>> {
    get::<Option<String>>(row, column)?.map(|s| parse_json(&s, column)).transpose()
}

/// Parses JSON text.
pub(crate) fn parse_json<T: DeserializeOwned>(s: &str, column: &'static str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| StoreError::corrupt(column, json_reason(&e)))
}

/// Reads a stored date range.
pub(crate) fn date_range(row: &SqliteRow, start: &'static str, end: &'static str) -> Result<DateRange> {
    DateRange::new(date(row, start)?, date(row, end)?).map_err(|_| StoreError::corrupt(end, "ends before it starts"))
}

/// Reads a stored time range.
pub(crate) fn time_range(row: &SqliteRow, start: &'static str, end: &'static str) -> Result<TimeRange> {
    TimeRange::new(ts(row, start)?, ts(row, end)?).map_err(|_| StoreError::corrupt(end, "ends before it starts"))
}

/// A page size clamped the way [`Page::first`] does, for pages built by hand.
pub(crate) fn page_limit(page: &Page) -> i64 {
    i64::from(page.limit.clamp(1, Page::MAX))
}

/// Reads a list of ids aggregated by `json_group_array(hex(id) ORDER BY position)`.
pub(crate) fn id_list<T: From<Uuid>>(row: &SqliteRow, column: &'static str) -> Result<Vec<T>> {
    let hex: Vec<String> = from_json(row, column)?;
    hex.iter().map(|h| Uuid::try_parse(h).map(T::from).map_err(|_| StoreError::corrupt(column, "not a UUID"))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_stored_as_iso_days() {
        assert_eq!(day(jiff::civil::date(2026, 3, 7)), "2026-03-07");
        assert_eq!(day(jiff::civil::date(812, 1, 1)), "0812-01-01");
    }

    #[test]
    fn enum_codes_are_the_serde_codes() {
        use samvirke_domain::organisation::StaffRole;
        assert_eq!(code(&StaffRole::TeamLead).unwrap(), "team_lead");
        let back: StaffRole = from_code("team_lead".into(), "staff.role").unwrap();
        assert_eq!(back, StaffRole::TeamLead);
        assert!(matches!(
            from_code::<StaffRole>("boss".into(), "staff.role"),
            Err(StoreError::Corrupt { column: "staff.role", .. })
        ));
    }

    #[test]
    fn a_json_error_does_not_repeat_the_stored_text() {
        let err = parse_json::<Vec<u32>>(r#"["Sara Sørensen"]"#, "t.c").unwrap_err();
        assert!(!err.to_string().contains("Sara"), "{err}");
    }
}
