//! Opening the configured store, and backup and restore per engine.

use crate::cli::DbArgs;
use anyhow::{Context, Result};
use samvirke_store::Store;
use samvirke_store_postgres::PgStore;
use samvirke_store_sqlite::SqliteStore;
use std::path::Path;
use std::sync::Arc;

/// Opens the store: PostgreSQL when a URL is given, else the embedded SQLite database in the data folder.
pub async fn open(db: &DbArgs) -> Result<Arc<dyn Store>> {
    Ok(match &db.database_url {
        Some(url) => Arc::new(PgStore::connect(url).await.context("connecting to PostgreSQL")?),
        None => Arc::new(
            SqliteStore::open(&db.data_dir)
                .await
                .with_context(|| format!("opening the database in {}", db.data_dir.display()))?,
        ),
    })
}

/// Writes a consistent online copy: `VACUUM INTO` on SQLite, `pg_dump` on PostgreSQL.
pub async fn backup(db: &DbArgs, to: &Path) -> Result<()> {
    match &db.database_url {
        Some(url) => {
            let store = PgStore::connect(url).await?;
            store.backup_to(url, to).await?;
        }
        None => {
            let store = SqliteStore::open(&db.data_dir).await?;
            store.backup_to(to).await?;
        }
    }
    tracing::info!(file = %to.display(), "backup written");
    Ok(())
}

/// Replaces the database with a backup.
pub async fn restore(db: &DbArgs, from: &Path) -> Result<()> {
    match &db.database_url {
        Some(url) => samvirke_store_postgres::restore(url, from).await?,
        None => samvirke_store_sqlite::restore(from, &db.data_dir).await?,
    }
    tracing::info!(file = %from.display(), "database restored");
    Ok(())
}
