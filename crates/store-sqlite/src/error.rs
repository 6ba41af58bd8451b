//! From sqlx errors to [`StoreError`], by SQLite's result codes rather than
//! message text. SQLite's messages name tables and columns, never values, so
//! passing a database error on as a source leaks no personal data.

use samvirke_store::{Conflict, StoreError};
use sqlx::SqliteConnection;
use sqlx::error::ErrorKind;

// Primary result codes (https://www.sqlite.org/rescode.html); an extended
// code carries its primary code in the low byte.
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;
const SQLITE_IOERR: i32 = 10;
const SQLITE_CANTOPEN: i32 = 14;
const SQLITE_PROTOCOL: i32 = 15;
/// RAISE(ABORT) in a trigger. The triggers that raise keep what is final as
/// it is: sent documents and outbox messages (migration 2), the audit log and
/// the records of erasures (migration 3); and they refuse a room or a
/// practitioner booked twice (migration 5), with the message below.
const SQLITE_CONSTRAINT_TRIGGER: i32 = 1811;
/// The message of the triggers against double booking (migration 5).
const DOUBLE_BOOKING: &str = "double_booking";
/// The message of the trigger against overlapping offered shifts (migration 6).
const SHIFT_OVERLAP: &str = "offered_shifts_overlap";

/// Maps an error of a read or an insert/update.
pub(crate) fn db(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(d) => {
            match d.kind() {
                ErrorKind::UniqueViolation => return StoreError::Conflict(Conflict::Duplicate),
                ErrorKind::ForeignKeyViolation => return StoreError::Conflict(Conflict::MissingReference),
                _ => {}
            }
            let extended = d.code().and_then(|c| c.parse::<i32>().ok());
            if extended == Some(SQLITE_CONSTRAINT_TRIGGER) {
                if d.message() == DOUBLE_BOOKING {
                    return StoreError::Conflict(Conflict::DoubleBooking);
                }
                if d.message() == SHIFT_OVERLAP {
                    return StoreError::Conflict(Conflict::Duplicate);
                }
                return StoreError::Conflict(Conflict::Immutable);
            }
            match extended.map(|c| c & 0xff) {
                Some(SQLITE_BUSY | SQLITE_LOCKED | SQLITE_IOERR | SQLITE_CANTOPEN | SQLITE_PROTOCOL) => {
                    StoreError::Unavailable(Box::new(sqlx::Error::Database(d)))
                }
                _ => StoreError::Backend(Box::new(sqlx::Error::Database(d))),
            }
        }
        e @ (sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::BeginFailed) => StoreError::Unavailable(Box::new(e)),
        e @ (sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_)) => StoreError::corrupt("row", e),
        e => StoreError::Backend(Box::new(e)),
    }
}

/// Maps an error of a delete: a row still referred to is [`Conflict::InUse`].
pub(crate) fn on_delete(e: sqlx::Error) -> StoreError {
    match db(e) {
        StoreError::Conflict(Conflict::MissingReference) => StoreError::Conflict(Conflict::InUse),
        other => other,
    }
}

/// After an `UPDATE … WHERE id = ? AND revision = ?`: `Ok` when it touched a
/// row; otherwise [`StoreError::NotFound`] if the row is gone, else
/// [`Conflict::StaleRevision`]. `exists_sql` selects the row by id (`?1`).
pub(crate) async fn check_revision(
    c: &mut SqliteConnection,
    rows_affected: u64,
    exists_sql: &'static str,
    id: uuid::Uuid,
) -> Result<(), StoreError> {
    if rows_affected > 0 {
        return Ok(());
    }
    let exists = sqlx::query(exists_sql).bind(id).fetch_optional(c).await.map_err(db)?.is_some();
    Err(if exists { StoreError::Conflict(Conflict::StaleRevision) } else { StoreError::NotFound })
}
