//! The conformance suite: one set of stories every backend must pass.
//!
//! A backend crate runs it from an integration test:
//!
//! ```ignore
//! samvirke_store::conformance_tests!(my_backend_tests::fresh_database);
//! ```
//!
//! where `fresh_database` is an `async fn() -> Box<dyn TestDatabase>` that
//! makes an empty, migrated database for one test.

use crate::Store;
use async_trait::async_trait;

/// An empty, migrated database made for one test.
#[async_trait]
pub trait TestDatabase: Send + Sync {
    /// The store on it.
    fn store(&self) -> &dyn Store;
    /// Removes the database (it is kept if the test panics, for inspection).
    async fn finish(self: Box<Self>);
}

/// Expands to one `#[tokio::test]` per conformance story, each on a fresh database.
#[macro_export]
macro_rules! conformance_tests {
    ($make:path) => {
        $crate::conformance_tests!(@each $make;
            municipalities_and_providers_round_trip,
        );
    };
    (@each $make:path; $($name:ident,)*) => {$(
        #[tokio::test]
        async fn $name() {
            let db = $make().await;
            $crate::conformance::$name(db.store()).await;
            db.finish().await;
        }
    )*};
}

/// A municipality and a provider come back as they were stored.
pub async fn municipalities_and_providers_round_trip(_store: &dyn Store) {}
