//! The embedded default store: one SQLite file, `samvirke.db`, in a data folder.
//!
//! The file runs in WAL mode with `synchronous = FULL` (an accepted write has
//! reached the disk), foreign keys on and a busy timeout of ten seconds.
//! [`Store::begin`] starts `BEGIN IMMEDIATE`, so a read-write transaction holds
//! SQLite's single write lock from its first statement: check-then-write
//! sequences such as booking a room are serialised, and a transaction never
//! fails half way because another writer got in first. Read transactions are
//! deferred, read-only (`PRAGMA query_only`) and see one snapshot.
//!
//! Opening does not migrate; [`Store::migrate`] does, and is safe to repeat.
//! [`SqliteStore::backup_to`] makes a consistent copy while the server runs;
//! [`restore`] puts one back while it is stopped.
//!
//! A transaction that returned an error is for rollback only: a method that
//! writes several statements (a batch of appointments) may have written part
//! of its work when it fails. Lists by name are sorted in Rust with
//! `samvirke_domain::text::danish_cmp`, so both engines give the same order.
//!
//! What was sent to a caseworker is final in the file itself: triggers
//! (migration 2) refuse a change of an outbox message, of a sent document's
//! sending time and of its versions; `error` reports the refusal
//! (`SQLITE_CONSTRAINT_TRIGGER`) as `Conflict::Immutable`.
//!
//! Migration 3 adds sessions, sign-in state and reset tokens (hashes and
//! counters only), the audit log and the erasure of closed cases (module
//! `security`). The audit log is append-only in the file too: triggers
//! refuse an UPDATE or DELETE of an entry. Appending needs no lock besides
//! the write lock of `BEGIN IMMEDIATE`, which every appender holds until it
//! ends; a read transaction (`query_only`) cannot append, so an audited read
//! uses [`Store::begin`]. An erasure writes its `case_erasures` row first, and
//! the triggers that keep what was sent let a case's sent documents and
//! outbox messages go only when that row exists.
//!
//! Migration 5 keeps a room or a practitioner from being booked twice in the
//! file itself: triggers on `appointments` and `appointment_staff` raise
//! `RAISE(ABORT, 'double_booking')` when a row's occupied span overlaps that
//! of another appointment not cancelled in the same room or with the same
//! practitioner; `error` reports it as `Conflict::DoubleBooking`. The check
//! runs in the writing statement, under the write lock of `BEGIN IMMEDIATE`,
//! so two bookings of one slot cannot both pass it.
//!
//! The schema is in `migrations/`; each table is read in one `from_row`
//! function in the module of its area (`organisation`, `cases`, `referrals`,
//! `appointments`, `documents` with the outbox and the documentation
//! settings, `plans`, `users`); `codec` holds the column
//! encodings and `error` the mapping of SQLite's result codes. Instants are
//! stored in whole microseconds: a finer instant reads back truncated (use
//! `samvirke_domain::time::now`). Figures for a national data set are in
//! `BENCHMARKS.md`.

mod appointments;
mod backup;
mod cases;
mod codec;
mod documents;
mod error;
mod migrate;
mod organisation;
mod plans;
mod referrals;
mod security;
mod testing;
#[cfg(test)]
mod tests;
mod tx;
mod users;

pub use backup::restore;
pub use testing::fresh_test_database;
pub use tx::SqliteTx;

use async_trait::async_trait;
use samvirke_store::{Backend, Result, Store, StoreError, Tx};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The name of the database file in the data folder.
pub const DATABASE_FILE: &str = "samvirke.db";

/// How long a statement waits for another connection's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// How many connections the pool keeps. SQLite has one writer at a time; the
/// rest serve concurrent readers.
const POOL_SIZE: u32 = 8;

/// A Samvirke database in one SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if missing) `samvirke.db` in `data_dir`, creating the folder if needed.
    pub async fn open(data_dir: &Path) -> Result<SqliteStore> {
        std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Unavailable(Box::new(e)))?;
        Self::open_file(&data_dir.join(DATABASE_FILE)).await
    }

    /// Opens (creating if missing) the database in an explicit file.
    pub async fn open_file(path: &Path) -> Result<SqliteStore> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // A page cache of 64 MiB per connection (SQLite's default is 2 MiB), so
            // that a large write transaction does not spill pages to the WAL
            // again and again; memory is taken only as pages are used.
            .pragma("cache_size", "-65536")
            // Read the file through a memory map of up to 1 GiB: no system call per page read.
            .pragma("mmap_size", "1073741824")
            .pragma("temp_store", "memory")
            // Checkpoint when the WAL reaches 10,000 pages (40 MiB) rather than 1,000:
            // a page that successive write transactions touch is copied back once.
            .pragma("wal_autocheckpoint", "10000");
        let pool = SqlitePoolOptions::new()
            .max_connections(POOL_SIZE)
            .acquire_timeout(BUSY_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(error::db)?;
        Ok(SqliteStore { pool, path: path.to_path_buf() })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes every connection; later calls fail with [`StoreError::Unavailable`].
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Writes a consistent copy of the database to `dest` while the store is in
    /// use (`VACUUM INTO`: one snapshot, compacted). Refuses to overwrite an
    /// existing file.
    pub async fn backup_to(&self, dest: &Path) -> Result<()> {
        backup::backup_to(&self.pool, dest).await
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn migrate(&self) -> Result<()> {
        let mut c = self.pool.acquire().await.map_err(error::db)?;
        migrate::run(&mut c).await
    }

    async fn ping(&self) -> Result<()> {
        let mut c = self.pool.acquire().await.map_err(error::db)?;
        migrate::check_current(&mut c).await
    }

    async fn begin(&self) -> Result<Box<dyn Tx>> {
        // A read transaction may have left `query_only` on this connection.
        let tx = self.pool.begin_with("PRAGMA query_only = OFF; BEGIN IMMEDIATE").await.map_err(error::db)?;
        Ok(Box::new(SqliteTx::new(tx)))
    }

    async fn begin_read(&self) -> Result<Box<dyn Tx>> {
        // Reading the schema table starts the snapshot now rather than at the first query.
        let tx = self
            .pool
            .begin_with("PRAGMA query_only = ON; BEGIN DEFERRED; SELECT 1 FROM sqlite_schema LIMIT 1")
            .await
            .map_err(error::db)?;
        Ok(Box::new(SqliteTx::new(tx)))
    }
}
