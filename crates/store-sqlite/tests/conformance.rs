samvirke_store::conformance_tests!(samvirke_store_sqlite::fresh_test_database);
