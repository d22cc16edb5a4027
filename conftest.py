"""Root conftest: every test suite of the repo uses the shared harness (real Kafka, real PostgreSQL)."""
pytest_plugins = ["kinerja_shared.testing.plugin"]
