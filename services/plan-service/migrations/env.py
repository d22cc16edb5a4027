"""Alembic environment of plan-service: the shared runner with this service's metadata."""

from kinerja_shared.migrations import run_migrations
from plan_service.models import metadata

run_migrations(metadata)
