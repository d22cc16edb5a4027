"""Root conftest: every test suite of the repo uses the shared harness (real Kafka, real PostgreSQL)."""

pytest_plugins = ["kinerja_shared.testing.plugin"]

# tests/images builds the images and runs them with a Docker engine: `make test-images` (and CI) run
# it on its own, `make test` does not (an explicitly named path is still collected).
collect_ignore = ["tests/images"]
