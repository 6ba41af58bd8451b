//! The shared conformance stories, each on a fresh PostgreSQL database.

samvirke_store::conformance_tests!(samvirke_store_postgres::fresh_test_database);
