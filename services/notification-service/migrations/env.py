"""Alembic environment of notification-service: the shared runner with this service's metadata."""

from kinerja_shared.migrations import run_migrations
from notification_service.models import metadata

run_migrations(metadata)
