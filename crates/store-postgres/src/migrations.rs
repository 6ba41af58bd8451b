//! The schema migrations, embedded in the binary.
//!
//! Each file in `migrations/` is listed in [`MIGRATIONS`] with its version;
//! sqlx's migrator applies the missing ones in order, each in its own
//! transaction, and records them in `_sqlx_migrations`. A changed file that
//! was already applied is refused (checksum), so a migration is never edited
//! once released: add a new one.
//!
//! The migrator takes a session-level advisory lock (`pg_advisory_lock`,
//! keyed on the database name) before it looks at `_sqlx_migrations`, so two
//! instances starting at once apply each migration exactly once: the second
//! waits, then finds nothing to do. It runs on a connection of its own that
//! is closed afterwards, so a failed migration cannot leave the lock held by
//! a pooled connection.
//!
//! A database newer than this build (migrated by the next release during a
//! rolling upgrade) is accepted by both `run` and `check`.

use crate::encode::{Message, err};
use samvirke_store::{Result, StoreError};
use sqlx::Connection;
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::postgres::PgPool;
use sqlx::{AssertSqlSafe, SqlSafeStr};
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

/// Version, description, SQL: in order, never edited once released.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "initial schema", include_str!("../migrations/0001_initial.sql")),
    (2, "written reports", include_str!("../migrations/0002_written_reports.sql")),
    (3, "security", include_str!("../migrations/0003_security.sql")),
    (4, "calendar feeds", include_str!("../migrations/0004_calendar_feeds.sql")),
    (5, "no double booking", include_str!("../migrations/0005_no_double_booking.sql")),
    (6, "offered shifts", include_str!("../migrations/0006_offered_shifts.sql")),
];

/// The newest schema version this build knows.
pub(crate) const LATEST: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// The embedded migrations as a source for sqlx's migrator.
#[derive(Debug)]
struct Embedded;

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 'static>> {
        Box::pin(async {
            Ok(MIGRATIONS
                .iter()
                .map(|&(version, description, sql)| {
                    Migration::new(
                        version,
                        Cow::Borrowed(description),
                        MigrationType::Simple,
                        AssertSqlSafe(sql).into_sql_str(),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// Brings the schema up to date.
pub(crate) async fn run(pool: &PgPool) -> Result<()> {
    let mut migrator = Migrator::new(Embedded).await.map_err(|e| StoreError::Backend(Box::new(e)))?;
    // In a rolling upgrade an instance of the previous release may restart after
    // a newer one has migrated: it starts against the newer schema, which is
    // why migrations only ever add (expand), and remove in a later release.
    migrator.set_ignore_missing(true);
    let mut conn = pool.acquire().await.map_err(err)?.detach();
    // run_direct rather than run: sqlx's own way around the "Acquire is not
    // general enough" error that run() meets inside a boxed Send future.
    let outcome = migrator.run_direct(None, &mut conn, false).await;
    // Closing ends the session, and with it any advisory lock a failure left behind.
    let _ = conn.close().await;
    outcome.map_err(|e| match e {
        sqlx::migrate::MigrateError::Execute(e) => err(e),
        other => StoreError::Backend(Box::new(other)),
    })
}

/// Answers when the database is reachable and has the schema this build expects.
pub(crate) async fn check(pool: &PgPool) -> Result<()> {
    let version: Option<i64> = sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
        .fetch_one(pool)
        .await
        .map_err(|e| match err(e) {
            // Most likely undefined_table: never migrated.
            StoreError::Backend(_) => StoreError::Unavailable(Box::new(Message("the database has not been migrated"))),
            other => other,
        })?;
    match version {
        Some(v) if v >= LATEST => Ok(()),
        _ => Err(StoreError::Unavailable(Box::new(Message("the database schema is older than this build")))),
    }
}
