//! Online backup with `VACUUM INTO`, and restore by atomic replacement.

use crate::codec::Result;
use crate::error::db;
use crate::{DATABASE_FILE, migrate};
use samvirke_store::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
use sqlx::{ConnectOptions, Connection};
use std::io;
use std::path::{Path, PathBuf};

fn io_error(e: io::Error) -> StoreError {
    StoreError::Backend(Box::new(e))
}

fn path_text(p: &Path) -> Result<&str> {
    p.to_str().ok_or_else(|| io_error(io::Error::new(io::ErrorKind::InvalidInput, "path is not valid UTF-8")))
}

/// Writes a consistent, compacted copy of the database to `dest`.
pub(crate) async fn backup_to(pool: &SqlitePool, dest: &Path) -> Result<()> {
    if dest.exists() {
        return Err(io_error(io::Error::new(io::ErrorKind::AlreadyExists, "the backup file already exists")));
    }
    let mut c = pool.acquire().await.map_err(db)?;
    // VACUUM INTO writes; a read transaction may have left this connection query-only.
    sqlx::query("PRAGMA query_only = OFF").execute(&mut *c).await.map_err(db)?;
    sqlx::query("VACUUM INTO ?1").bind(path_text(dest)?).execute(&mut *c).await.map_err(db)?;
    drop(c);
    let dest = dest.to_path_buf();
    tokio::task::spawn_blocking(move || sync_file_and_folder(&dest))
        .await
        .map_err(|e| StoreError::Backend(Box::new(e)))?
        .map_err(io_error)
}

/// Replaces `samvirke.db` in `data_dir` with the backup.
///
/// **Run it only while the server is stopped**: connections still open on the
/// old file would go on writing to it, and those writes would be lost.
///
/// The backup is copied to a temporary file in the data folder, which must pass
/// `PRAGMA integrity_check` and carry Samvirke's schema (every migration it
/// records is one this program knows, unchanged; an older schema is brought up
/// to date by the next migrate). Then the old database's `-wal` and `-shm`
/// files are removed (they belong to the old file and must never be applied to
/// the new one) and the copy is renamed over `samvirke.db`, which is atomic: a
/// crash leaves either the old database or the restored one.
pub async fn restore(backup: &Path, data_dir: &Path) -> Result<()> {
    if !backup.is_file() {
        return Err(io_error(io::Error::new(io::ErrorKind::NotFound, "the backup file does not exist")));
    }
    std::fs::create_dir_all(data_dir).map_err(io_error)?;
    let temp = data_dir.join(format!(".{DATABASE_FILE}.restore-{}", uuid::Uuid::now_v7().simple()));
    let result = restore_via(backup, data_dir, &temp).await;
    if result.is_err() {
        for p in with_sidecars(&temp) {
            let _ = std::fs::remove_file(p);
        }
    }
    result
}

async fn restore_via(backup: &Path, data_dir: &Path, temp: &Path) -> Result<()> {
    let (from, to) = (backup.to_path_buf(), temp.to_path_buf());
    blocking(move || {
        std::fs::copy(&from, &to)?;
        std::fs::File::open(&to)?.sync_all()
    })
    .await?;
    check_backup(temp).await?;
    let (temp, data_dir) = (temp.to_path_buf(), data_dir.to_path_buf());
    blocking(move || {
        // Sidecars of the check's own connection, if any were left.
        for p in with_sidecars(&temp).into_iter().skip(1) {
            remove_if_present(&p)?;
        }
        let target = data_dir.join(DATABASE_FILE);
        for p in with_sidecars(&target).into_iter().skip(1) {
            remove_if_present(&p)?;
        }
        std::fs::rename(&temp, &target)?;
        sync_folder(&data_dir)
    })
    .await
}

/// Integrity and schema of a candidate file.
async fn check_backup(path: &Path) -> Result<()> {
    let mut c = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .foreign_keys(false)
        .connect()
        .await
        .map_err(db)?;
    let report: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut c).await.map_err(db)?;
    if report != ["ok"] {
        return Err(StoreError::corrupt("backup", "the backup fails SQLite's integrity check"));
    }
    let applied: Vec<(i64, String)> =
        sqlx::query_as("SELECT version, checksum FROM schema_migrations ORDER BY version")
            .fetch_all(&mut c)
            .await
            .map_err(|_| StoreError::corrupt("backup", "the backup is not a Samvirke database"))?;
    if applied.is_empty() {
        return Err(StoreError::corrupt("backup", "the backup is not a Samvirke database"));
    }
    for (version, checksum) in &applied {
        match migrate::MIGRATIONS.iter().find(|m| m.version == *version) {
            Some(m) if m.checksum() == *checksum => {}
            _ => return Err(StoreError::corrupt("backup", "the backup's schema is not one this program knows")),
        }
    }
    c.close().await.map_err(db)
}

async fn blocking(f: impl FnOnce() -> io::Result<()> + Send + 'static) -> Result<()> {
    tokio::task::spawn_blocking(f).await.map_err(|e| StoreError::Backend(Box::new(e)))?.map_err(io_error)
}

/// The file and its `-wal` and `-shm` companions.
fn with_sidecars(file: &Path) -> [PathBuf; 3] {
    let mut wal = file.as_os_str().to_owned();
    wal.push("-wal");
    let mut shm = file.as_os_str().to_owned();
    shm.push("-shm");
    [file.to_path_buf(), wal.into(), shm.into()]
}

fn remove_if_present(p: &Path) -> io::Result<()> {
    match std::fs::remove_file(p) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

fn sync_file_and_folder(file: &Path) -> io::Result<()> {
    std::fs::File::open(file)?.sync_all()?;
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => sync_folder(dir),
        _ => Ok(()),
    }
}

/// Makes a rename or a new file in the folder durable (a no-op where folders cannot be opened).
fn sync_folder(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
