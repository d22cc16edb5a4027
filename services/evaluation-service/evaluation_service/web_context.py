"""What this service's routes share: the caller, a unit of work that reads one snapshot, the If-Match check
handed to a use case, an evaluation's answer with its ETag, and the settings the use cases are given."""

from __future__ import annotations

from kinerja_shared.uow import UnitOfWork
from kinerja_shared.web.app_factory import current_principal, runtime, unit_of_work  # noqa: F401
from kinerja_shared.web.etag import check_if_match, etag_for

from .config import current_config  # noqa: F401
from .evaluation_views import eval_out


def snapshot_engine(engine):
    """The engine whose transactions all see one snapshot (REPEATABLE READ on PostgreSQL), so a view built from
    several queries is consistent while the consumer commits."""
    if engine.dialect.name != "postgresql":
        return engine
    return engine.execution_options(isolation_level="REPEATABLE READ")


def reading() -> UnitOfWork:
    """A unit of work for a query: ``with reading() as uow:`` (one snapshot; it writes nothing)."""
    rt = runtime()
    return UnitOfWork(snapshot_engine(rt.engine), clock=rt.clock, validate_events=rt.settings.validate_events)


def default_scheme() -> str:
    return runtime().settings.period_scheme


def rounding() -> str:
    return current_config().distribution_rounding


def version_check(entity_id: str):
    """The If-Match check of a state-changing POST, for the use case to run on the locked row's version."""
    return lambda version: check_if_match(entity_id, version)


def evaluation_answer(row, status: int = 200):
    """The evaluation as the API answers it, with its ETag."""
    return eval_out(row), status, {"ETag": etag_for(row.id, row.version)}
