//! Encoding helpers shared by the table modules, and the mapping of database
//! errors to [`StoreError`].
//!
//! No value read from or written to a column ever ends up in an error: a
//! database error keeps only its SQLSTATE, table and constraint, and a value
//! that does not parse is reported with the column and the kind of problem.

use jiff_sqlx::ToSqlx;
use samvirke_domain::Lang;
use samvirke_domain::text::{BoundedText, Email};
use samvirke_domain::validation::Problem;
use samvirke_store::{Conflict, Result, StoreError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::{Postgres, Row};
use std::fmt;
use uuid::Uuid;

// --- Errors ---

/// A database error stripped of everything but where and what: the message
/// and detail of a Postgres error can quote the values of the row.
#[derive(Debug)]
pub(crate) struct DbError {
    code: String,
    table: Option<String>,
    constraint: Option<String>,
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "database error, SQLSTATE {}", self.code)?;
        if let Some(t) = &self.table {
            write!(f, " on table {t}")?;
        }
        if let Some(c) = &self.constraint {
            write!(f, " (constraint {c})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DbError {}

/// A short, value-free error for the cases where sqlx's own would do.
#[derive(Debug)]
pub(crate) struct Message(pub &'static str);

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Message {}

/// Maps a sqlx error to a store error, by SQLSTATE and never by message text.
pub(crate) fn err(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(d) => {
            let code = d.code().map(|c| c.into_owned()).unwrap_or_default();
            let scrubbed = DbError {
                table: d.table().map(str::to_owned),
                constraint: d.constraint().map(str::to_owned),
                code: code.clone(),
            };
            match code.as_str() {
                "23505" => StoreError::Conflict(Conflict::Duplicate),
                "23503" => StoreError::Conflict(Conflict::MissingReference),
                // exclusion_violation: the constraints against double booking.
                // An offered shift overlapping one of the same person's (migration 6) says nothing new.
                "23P01" if scrubbed.constraint.as_deref() == Some("offered_shifts_no_overlap") => {
                    StoreError::Conflict(Conflict::Duplicate)
                }
                "23P01" => StoreError::Conflict(Conflict::DoubleBooking),
                // Raised by the triggers that keep sent documents and outbox messages as they are.
                "SV001" => StoreError::Conflict(Conflict::Immutable),
                // connection_exception (08…), insufficient_resources (53…),
                // operator intervention (57…: statement timeout, shutdown).
                c if c.starts_with("08") || c.starts_with("53") || c.starts_with("57") => {
                    StoreError::Unavailable(Box::new(scrubbed))
                }
                _ => StoreError::Backend(Box::new(scrubbed)),
            }
        }
        e @ (sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::BeginFailed) => StoreError::Unavailable(Box::new(e)),
        sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => {
            StoreError::corrupt("(unknown column)", "a value could not be decoded")
        }
        other => StoreError::Backend(Box::new(other)),
    }
}

/// For deletions: a foreign key that still points at the row means it is in use.
pub(crate) fn in_use_on_fk(e: StoreError) -> StoreError {
    if e.is_conflict(Conflict::MissingReference) { StoreError::Conflict(Conflict::InUse) } else { e }
}

/// After an update by id and revision touched no row: gone, or changed by someone else.
pub(crate) async fn stale_or_missing(c: &mut PgConnection, exists_sql: &'static str, id: Uuid) -> StoreError {
    match sqlx::query_scalar::<_, bool>(exists_sql).bind(id).fetch_one(c).await {
        Ok(true) => StoreError::Conflict(Conflict::StaleRevision),
        Ok(false) => StoreError::NotFound,
        Err(e) => err(e),
    }
}

/// `NotFound` when an update or delete by id touched no row.
pub(crate) fn expect_one(result: sqlx::postgres::PgQueryResult) -> Result<()> {
    if result.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

// --- Writing ---

/// The serde code of a unit enum variant (`snake_case`), as stored in text columns.
pub(crate) fn code<T: Serialize>(v: &T) -> Result<String> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(StoreError::Backend(Box::new(Message("an enum did not serialise to a code")))),
    }
}

/// A value object as jsonb.
pub(crate) fn json<T: Serialize>(v: &T) -> Result<serde_json::Value> {
    serde_json::to_value(v).map_err(|_| StoreError::Backend(Box::new(Message("a value did not serialise to JSON"))))
}

/// An optional value object as jsonb (SQL NULL when absent).
pub(crate) fn json_opt<T: Serialize>(v: Option<&T>) -> Result<Option<serde_json::Value>> {
    v.map(json).transpose()
}

/// A timestamp for a timestamptz parameter.
pub(crate) fn ts(t: jiff::Timestamp) -> jiff_sqlx::Timestamp {
    t.to_sqlx()
}

/// A date for a date parameter.
pub(crate) fn date(d: jiff::civil::Date) -> jiff_sqlx::Date {
    d.to_sqlx()
}

// --- Reading ---

/// Reads a column; `col` is `table.column`, and only `column` is looked up in the row.
pub(crate) fn get<'r, T>(row: &'r PgRow, col: &'static str) -> Result<T>
where
    T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
{
    let name = col.rsplit('.').next().unwrap_or(col);
    row.try_get(name).map_err(|e| match e {
        sqlx::Error::ColumnNotFound(_) => StoreError::corrupt(col, "the column is missing from the query"),
        sqlx::Error::ColumnDecode { .. } => StoreError::corrupt(col, "the value has an unexpected type or is NULL"),
        other => err(other),
    })
}

/// An identifier column.
pub(crate) fn id<T: From<Uuid>>(row: &PgRow, col: &'static str) -> Result<T> {
    get::<Uuid>(row, col).map(T::from)
}

/// A nullable identifier column.
pub(crate) fn id_opt<T: From<Uuid>>(row: &PgRow, col: &'static str) -> Result<Option<T>> {
    get::<Option<Uuid>>(row, col).map(|o| o.map(T::from))
}

/// A uuid[] column of identifiers.
pub(crate) fn ids<T: From<Uuid>>(row: &PgRow, col: &'static str) -> Result<Vec<T>> {
    get::<Vec<Uuid>>(row, col).map(|v| v.into_iter().map(T::from).collect())
}

/// A timestamptz column.
pub(crate) fn timestamp(row: &PgRow, col: &'static str) -> Result<jiff::Timestamp> {
    get::<jiff_sqlx::Timestamp>(row, col).map(|t| t.to_jiff())
}

/// A nullable timestamptz column.
pub(crate) fn timestamp_opt(row: &PgRow, col: &'static str) -> Result<Option<jiff::Timestamp>> {
    get::<Option<jiff_sqlx::Timestamp>>(row, col).map(|o| o.map(|t| t.to_jiff()))
}

/// A date column.
pub(crate) fn day(row: &PgRow, col: &'static str) -> Result<jiff::civil::Date> {
    get::<jiff_sqlx::Date>(row, col).map(|d| d.to_jiff())
}

/// A nullable date column.
pub(crate) fn day_opt(row: &PgRow, col: &'static str) -> Result<Option<jiff::civil::Date>> {
    get::<Option<jiff_sqlx::Date>>(row, col).map(|o| o.map(|d| d.to_jiff()))
}

/// A bigint column holding a u32.
pub(crate) fn u32_(row: &PgRow, col: &'static str) -> Result<u32> {
    let v: i64 = get(row, col)?;
    u32::try_from(v).map_err(|_| StoreError::corrupt(col, "out of range"))
}

/// A nullable bigint column holding a u32.
pub(crate) fn u32_opt(row: &PgRow, col: &'static str) -> Result<Option<u32>> {
    let v: Option<i64> = get(row, col)?;
    v.map(|v| u32::try_from(v).map_err(|_| StoreError::corrupt(col, "out of range"))).transpose()
}

/// A checked text column (short or long text, person name).
pub(crate) fn text<const MAX: usize, const ML: bool>(row: &PgRow, col: &'static str) -> Result<BoundedText<MAX, ML>> {
    let s: String = get(row, col)?;
    BoundedText::parse(s).map_err(|p| problem(col, &p))
}

/// A nullable checked text column.
pub(crate) fn text_opt<const MAX: usize, const ML: bool>(
    row: &PgRow,
    col: &'static str,
) -> Result<Option<BoundedText<MAX, ML>>> {
    let s: Option<String> = get(row, col)?;
    s.map(|s| BoundedText::parse(s).map_err(|p| problem(col, &p))).transpose()
}

/// A nullable e-mail column.
pub(crate) fn email_opt(row: &PgRow, col: &'static str) -> Result<Option<Email>> {
    let s: Option<String> = get(row, col)?;
    s.map(|s| Email::parse(s).map_err(|p| problem(col, &p))).transpose()
}

/// A text column holding the serde code of an enum.
pub(crate) fn enum_code<T: DeserializeOwned>(row: &PgRow, col: &'static str) -> Result<T> {
    let s: String = get(row, col)?;
    from_code(col, s)
}

/// Parses the serde code of an enum.
pub(crate) fn from_code<T: DeserializeOwned>(col: &'static str, s: String) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s)).map_err(|_| StoreError::corrupt(col, "unknown code"))
}

/// A jsonb column holding a value object.
pub(crate) fn json_col<T: DeserializeOwned>(row: &PgRow, col: &'static str) -> Result<T> {
    let v: serde_json::Value = get(row, col)?;
    from_json(col, v)
}

/// A nullable jsonb column holding a value object.
pub(crate) fn json_col_opt<T: DeserializeOwned>(row: &PgRow, col: &'static str) -> Result<Option<T>> {
    let v: Option<serde_json::Value> = get(row, col)?;
    v.map(|v| from_json(col, v)).transpose()
}

/// Parses a value object; the serde message is dropped because it can quote the value.
fn from_json<T: DeserializeOwned>(col: &'static str, v: serde_json::Value) -> Result<T> {
    serde_json::from_value(v).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Data => "does not match the domain type",
            _ => "is not valid JSON",
        };
        StoreError::corrupt(col, what)
    })
}

/// A domain parse problem, in English and without the value.
pub(crate) fn problem(col: &'static str, p: &Problem) -> StoreError {
    StoreError::corrupt(col, p.message(Lang::En))
}
