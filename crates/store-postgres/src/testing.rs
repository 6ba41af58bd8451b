//! Throw-away databases for tests: one fresh, migrated database per test, on
//! the server named by `SAMVIRKE_TEST_POSTGRES_URL`.

use crate::PgStore;
use crate::conninfo::with_database;
use async_trait::async_trait;
use samvirke_store::Store;
use samvirke_store::conformance::TestDatabase;
use sqlx::postgres::{PgConnection, PgPoolOptions};
use sqlx::{AssertSqlSafe, Connection, Executor};
use std::time::Duration;

/// The server tests use when `SAMVIRKE_TEST_POSTGRES_URL` is not set.
pub const DEFAULT_TEST_SERVER: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database made for one test; [`TestDatabase::finish`] drops it.
#[derive(Debug)]
pub struct PgTestDatabase {
    store: PgStore,
    server: String,
    name: String,
}

impl PgTestDatabase {
    /// Creates and migrates a database `samvirke_test_<random>`.
    ///
    /// Panics when the server cannot be reached: this is for tests.
    pub async fn create() -> PgTestDatabase {
        let db = Self::create_unmigrated().await;
        db.store.migrate().await.expect("migrating the test database");
        db
    }

    /// Creates an empty database without running the migrations.
    pub async fn create_unmigrated() -> PgTestDatabase {
        let server = std::env::var("SAMVIRKE_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_TEST_SERVER.to_string());
        // A UUIDv7 is unique across parallel tests and processes, and its hex is a valid identifier.
        let name = format!("samvirke_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = PgConnection::connect(&server)
            .await
            .unwrap_or_else(|e| panic!("cannot reach the test server (SAMVIRKE_TEST_POSTGRES_URL): {e}"));
        admin.execute(AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.expect("creating a test database");
        let _ = admin.close().await;
        let store = Self::connect(&server, &name).await;
        PgTestDatabase { store, server, name }
    }

    async fn connect(server: &str, name: &str) -> PgStore {
        let options = with_database(server, name).parse().expect("a postgres:// URL");
        // Small pools: many tests run at once against one server.
        let pool = PgPoolOptions::new().max_connections(4).acquire_timeout(Duration::from_secs(30));
        PgStore::connect_with(options, pool).await.expect("connecting to the test database")
    }

    /// The store on the database.
    pub fn pg(&self) -> &PgStore {
        &self.store
    }

    /// The URL of the database.
    pub fn url(&self) -> String {
        with_database(&self.server, &self.name)
    }

    /// A second, independent store on the same database, as another app instance would have.
    pub async fn another_instance(&self) -> PgStore {
        Self::connect(&self.server, &self.name).await
    }

    /// Closes the pool and drops the database.
    pub async fn drop_database(self) {
        self.store.close().await;
        let mut admin = PgConnection::connect(&self.server).await.expect("reaching the test server");
        admin
            .execute(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)))
            .await
            .expect("dropping a test database");
        let _ = admin.close().await;
    }
}

#[async_trait]
impl TestDatabase for PgTestDatabase {
    fn store(&self) -> &dyn Store {
        &self.store
    }

    async fn finish(self: Box<Self>) {
        self.drop_database().await;
    }
}

/// A fresh, migrated database for one test, for the conformance suite and other crates' tests.
pub async fn fresh_test_database() -> Box<dyn TestDatabase> {
    Box::new(PgTestDatabase::create().await)
}
