//! Fresh databases for tests, in this crate and in others.

use crate::SqliteStore;
use async_trait::async_trait;
use samvirke_store::Store;
use samvirke_store::conformance::TestDatabase;
use std::path::PathBuf;

/// An empty, migrated database in its own temporary folder.
struct TempDatabase {
    store: SqliteStore,
    dir: PathBuf,
}

/// Makes an empty, migrated database in a new temporary folder, removed by
/// [`TestDatabase::finish`] (and kept if the test panics, for inspection).
///
/// # Panics
///
/// When the folder or the database cannot be created: this is for tests.
pub async fn fresh_test_database() -> Box<dyn TestDatabase> {
    let dir = std::env::temp_dir().join(format!("samvirke-sqlite-test-{}", uuid::Uuid::now_v7().simple()));
    let store = SqliteStore::open(&dir).await.expect("open a test database");
    store.migrate().await.expect("migrate a test database");
    Box::new(TempDatabase { store, dir })
}

#[async_trait]
impl TestDatabase for TempDatabase {
    fn store(&self) -> &dyn Store {
        &self.store
    }

    async fn finish(self: Box<Self>) {
        self.store.close().await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
