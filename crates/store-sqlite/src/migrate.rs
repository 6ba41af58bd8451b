//! The embedded migration runner.
//!
//! Migrations are the files in `migrations/`, compiled in. All pending ones
//! run in one `BEGIN IMMEDIATE` transaction, so two processes migrating at
//! once are serialised by SQLite's write lock and the second finds nothing to
//! do; a failure leaves the schema as it was. Each applied migration is
//! recorded with a checksum of its text, and a database whose record differs
//! from the program's migrations (edited, or from a newer version of
//! Samvirke) is refused rather than guessed at.
//!
//! A migration that rebuilds a table must keep in mind that `foreign_keys`
//! cannot be switched off inside a transaction; use `PRAGMA defer_foreign_keys`.

use crate::codec::Result;
use crate::error;
use samvirke_store::StoreError;
use sqlx::{Connection, SqliteConnection};

/// One migration.
pub(crate) struct Migration {
    /// Number, from 1, without gaps.
    pub version: i64,
    /// Short description (the file name).
    pub description: &'static str,
    /// The SQL.
    pub sql: &'static str,
}

/// Every migration, in order.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, description: "initial", sql: include_str!("../migrations/0001_initial.sql") },
    Migration {
        version: 2,
        description: "written_reports",
        sql: include_str!("../migrations/0002_written_reports.sql"),
    },
    Migration { version: 3, description: "security", sql: include_str!("../migrations/0003_security.sql") },
    Migration { version: 4, description: "calendar_feeds", sql: include_str!("../migrations/0004_calendar_feeds.sql") },
    Migration {
        version: 5,
        description: "no_double_booking",
        sql: include_str!("../migrations/0005_no_double_booking.sql"),
    },
    Migration { version: 6, description: "offered_shifts", sql: include_str!("../migrations/0006_offered_shifts.sql") },
];

/// The table recording applied migrations.
pub(crate) const TABLE: &str = "schema_migrations";

impl Migration {
    /// FNV-1a over the text with line endings normalised, so a checkout with
    /// CRLF line endings has the same checksum.
    pub fn checksum(&self) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in self.sql.bytes().filter(|&b| b != b'\r') {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{h:016x}")
    }
}

/// Brings the schema up to date.
pub(crate) async fn run(c: &mut SqliteConnection) -> Result<()> {
    let mut tx = c.begin_with("PRAGMA query_only = OFF; BEGIN IMMEDIATE").await.map_err(error::db)?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version     INTEGER NOT NULL PRIMARY KEY,
            description TEXT    NOT NULL,
            checksum    TEXT    NOT NULL,
            applied_at  INTEGER NOT NULL
        ) STRICT",
    )
    .execute(&mut *tx)
    .await
    .map_err(error::db)?;
    let applied = applied(&mut tx).await?;
    check_known(&applied)?;
    for m in MIGRATIONS.iter().filter(|m| !applied.iter().any(|(v, _)| *v == m.version)) {
        sqlx::raw_sql(m.sql).execute(&mut *tx).await.map_err(error::db)?;
        sqlx::query(
            "INSERT INTO schema_migrations (version, description, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(m.version)
        .bind(m.description)
        .bind(m.checksum())
        .bind(jiff::Timestamp::now().as_microsecond())
        .execute(&mut *tx)
        .await
        .map_err(error::db)?;
        tracing::info!(version = m.version, description = m.description, "applied migration");
    }
    tx.commit().await.map_err(error::db)?;
    // Fresh statistics for the query planner; cheap when nothing changed.
    sqlx::query("PRAGMA optimize").execute(&mut *c).await.map_err(error::db)?;
    Ok(())
}

/// Succeeds when the database carries exactly the schema this program knows.
pub(crate) async fn check_current(c: &mut SqliteConnection) -> Result<()> {
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1)")
            .bind(TABLE)
            .fetch_one(&mut *c)
            .await
            .map_err(error::db)?;
    if !exists {
        return Err(unavailable("the database has not been migrated"));
    }
    let applied = applied(c).await?;
    check_known(&applied)?;
    if applied.len() != MIGRATIONS.len() {
        return Err(unavailable("the database schema is behind; run the migrations"));
    }
    Ok(())
}

async fn applied(c: &mut SqliteConnection) -> Result<Vec<(i64, String)>> {
    sqlx::query_as("SELECT version, checksum FROM schema_migrations ORDER BY version")
        .fetch_all(&mut *c)
        .await
        .map_err(error::db)
}

/// Every applied migration must be one of ours, unchanged.
fn check_known(applied: &[(i64, String)]) -> Result<()> {
    for (version, checksum) in applied {
        match MIGRATIONS.iter().find(|m| m.version == *version) {
            None => return Err(backend(format!("the database has schema version {version}, newer than this program"))),
            Some(m) if m.checksum() != *checksum => {
                return Err(backend(format!("migration {version} differs from the one applied to the database")));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

fn unavailable(msg: &'static str) -> StoreError {
    StoreError::Unavailable(msg.into())
}

fn backend(msg: String) -> StoreError {
    StoreError::Backend(msg.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_from_one_without_gaps() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1, "{}", m.description);
        }
    }

    #[test]
    fn checksum_ignores_carriage_returns() {
        let lf = Migration { version: 1, description: "x", sql: "CREATE TABLE a (b);\n" };
        let crlf = Migration { version: 1, description: "x", sql: "CREATE TABLE a (b);\r\n" };
        assert_eq!(lf.checksum(), crlf.checksum());
        let other = Migration { version: 1, description: "x", sql: "CREATE TABLE a (c);\n" };
        assert_ne!(lf.checksum(), other.checksum());
    }
}
