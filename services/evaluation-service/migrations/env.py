"""Alembic environment of evaluation-service: the shared runner with this service's metadata."""

from evaluation_service.models import metadata
from kinerja_shared.migrations import run_migrations

run_migrations(metadata)
