"""Use-case tests without a database server or a broker: a runtime on an in-memory database.

``memory_runtime(spec)`` builds the service's Runtime as the composition root would, but on an
in-memory SQLite database (the service's own tables from ``spec.metadata``, the same stores and SQL
the embedded default runs), a ``ManualClock`` and no broker: events stay in the unit of work
(``uow.published``) and in the outbox table. A test reads like the use case's contract::

    rt = memory_runtime(activity_service.app.SPEC)
    with rt.unit_of_work() as uow:
        entry = use_cases.log_activity(uow, employee("1987"), command)
    assert [e["type"] for e in uow.published] == ["ActivityLogged"]

Each call builds a fresh database (a few milliseconds); ``env`` overrides settings
(``KINERJA_TIMEZONE``, the service's own ``ACTIVITY_*``...).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import create_engine, event
from sqlalchemy.pool import StaticPool

from ..auth import Principal
from ..clock import ManualClock
from ..config import Settings
from ..runtime import Runtime
from ..service import ServiceSpec
from ..strict_json import dumps as strict_dumps


def memory_engine(metadata):
    """An in-memory SQLite database holding ``metadata``'s tables (one connection, shared)."""
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}, json_serializer=strict_dumps
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
        dbapi_conn.execute("PRAGMA foreign_keys=ON")

    metadata.create_all(engine)
    return engine


def memory_runtime(spec: ServiceSpec, *, now: datetime | None = None, env: dict | None = None) -> Runtime:
    """The service's Runtime on a fresh in-memory database and a manual clock (no broker)."""
    values = {"DATABASE_URL": "sqlite://", "KINERJA_ENV": "test", **(env or {})}
    settings = Settings.from_env(spec.name, values)
    clock = ManualClock(now, settings.timezone) if now is not None else ManualClock(tz=settings.timezone)
    return Runtime(
        spec=spec,
        settings=settings,
        engine=memory_engine(spec.metadata),
        config=spec.load_config(settings),
        clock=clock,
    )


def actor(nip: str, *roles: str, name: str | None = None, unit: str | None = None) -> Principal:
    """A signed-in caller for a use case (what the token verifier hands the routes)."""
    return Principal(sub=nip, name=name or nip, roles=frozenset(roles), unit=unit)
