//! Backup and restore with PostgreSQL's own client programs, `pg_dump` and
//! `pg_restore`, in the custom archive format and without owners, so that a
//! backup restores into a database owned by another role.

use crate::conninfo::split_password;
use std::ffi::OsStr;
use std::path::Path;
use std::process::ExitStatus;
use tokio::process::Command;

/// Why a backup or restore failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The client program is not installed.
    #[error("{0} was not found on PATH: install the PostgreSQL client programs (Debian: postgresql-client)")]
    ToolMissing(&'static str),
    /// The program could not be started.
    #[error("could not run {tool}")]
    Io {
        /// `pg_dump` or `pg_restore`.
        tool: &'static str,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// The program ran and reported an error.
    #[error("{tool} failed ({status}): {stderr}")]
    Failed {
        /// `pg_dump` or `pg_restore`.
        tool: &'static str,
        /// Its exit status.
        status: ExitStatus,
        /// What it printed on standard error (messages about the schema and the connection, not row data).
        stderr: String,
    },
}

/// Dumps the database at `url` to the file `dest`.
pub(crate) async fn backup(url: &str, dest: &Path) -> Result<(), BackupError> {
    run(
        "pg_dump",
        url,
        [OsStr::new("--format=custom"), OsStr::new("--no-owner"), OsStr::new("--file"), dest.as_os_str()],
    )
    .await
}

/// Restores the backup `src` (made by [`crate::PgStore::backup_to`]) into the database at `url`.
///
/// Existing objects of the backup are dropped first, and the restore runs in
/// one transaction: it either completes or leaves the database as it was.
pub async fn restore(url: &str, src: &Path) -> Result<(), BackupError> {
    run(
        "pg_restore",
        url,
        [
            OsStr::new("--no-owner"),
            // COMMENT ON EXTENSION needs ownership of the extension; the schema has no comments of its own.
            OsStr::new("--no-comments"),
            OsStr::new("--clean"),
            OsStr::new("--if-exists"),
            OsStr::new("--single-transaction"),
            OsStr::new("--exit-on-error"),
            src.as_os_str(),
        ],
    )
    .await
}

async fn run<'a>(tool: &'static str, url: &str, args: impl IntoIterator<Item = &'a OsStr>) -> Result<(), BackupError> {
    let (url, password) = split_password(url);
    let mut cmd = Command::new(tool);
    cmd.arg("--dbname").arg(url).args(args).kill_on_drop(true);
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd.output().await.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => BackupError::ToolMissing(tool),
        _ => BackupError::Io { tool, source: e },
    })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(BackupError::Failed {
            tool,
            status: out.status,
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }
}
