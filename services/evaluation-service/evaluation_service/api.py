"""The HTTP API of evaluation-service, by feature:

- /api/v1/evaluations — evaluations_api.py (the rater's form, submit, close, reopen, revisions, credit points);
- /api/v1/feedback — feedback_api.py (continuous feedback);
- /api/v1/unit-performance — units_api.py (organisational predicate, distribution, calibration, export, dashboard);
- /api/v1/periods — periods_api.py (the year's scheme, opening a period).

Routes parse, call one use case (use_cases/) and serialise; who may do what is access.py's; the SQL is in
the stores and queries. This module keeps the blueprints and the helpers other modules (the realisation,
dialogues and documents) still import from here under their old names; they run in a request (the caller,
the runtime's clock) on the caller's connection.
"""

from __future__ import annotations

from kinerja_shared.errors import NotFound
from kinerja_shared.uow import UnitOfWork

from . import access, domain
from . import directory_queries as directory
from . import evaluations_store as store
from .evaluation_views import eval_out as _eval_out  # noqa: F401
from .evaluation_views import jsonable as _jsonable  # noqa: F401
from .evaluation_views import parse_period as _period  # noqa: F401
from .evaluation_views import period_of as _period_of  # noqa: F401
from .evaluation_views import results_view as _results_view  # noqa: F401
from .evaluation_views import time_cursor as _time_cursor  # noqa: F401
from .evaluations_api import evaluations_blp  # noqa: F401
from .evaluations_store import activity_sums as _activity_sums  # noqa: F401
from .feedback_api import feedback_blp  # noqa: F401
from .models import units  # noqa: F401
from .periods_api import periods_blp  # noqa: F401
from .units_api import units_blp  # noqa: F401
from .use_cases import credit_points, evaluations, periods
from .use_cases import units as unit_use_cases
from .web_context import current_config, current_principal, runtime, snapshot_engine


def _on(conn) -> UnitOfWork:
    """The request's caller's view of ``conn``: a unit of work joining it, on the runtime's clock."""
    return UnitOfWork.joining(conn, clock=runtime().clock).__enter__()


def _snapshot():
    """A read-only connection whose statements all see one snapshot (REPEATABLE READ on PostgreSQL)."""
    return snapshot_engine(runtime().engine).connect()


def _subtree(conn, roots: set[str]) -> set[str]:
    return directory.subtree(conn, roots)


def _unit_scope(conn, p) -> set[str]:
    return access.unit_scope(_on(conn), p)


def _require_unit(conn, unit_id: str, what: str) -> None:
    access.require_unit(_on(conn), current_principal(), unit_id, what)


def _readable(conn, evaluation_id: str, for_update: bool = False):
    return access.readable(_on(conn), current_principal(), evaluation_id, for_update)


def _load(conn, evaluation_id: str):
    row = store.load(conn, evaluation_id)
    if row is None:
        raise NotFound(f"evaluation {evaluation_id} does not exist")
    return row


def _plan(conn, plan_id: str):
    return evaluations.plan_of(_on(conn), plan_id)


def _scheme_of(conn, year: int) -> tuple[str, bool]:
    return periods.scheme_of(_on(conn), year, runtime().settings.period_scheme)


def _may_read_employee(conn, nip: str, emp, p) -> bool:
    return access.may_read_employee(_on(conn), p, nip, emp)


def _distribution(conn, unit_id: str, period: domain.Period) -> dict:
    return unit_use_cases.distribution(
        _on(conn), current_principal(), unit_id, period, current_config().distribution_rounding
    )


def _detail(conn, row) -> dict:
    from .realisation_api import for_form

    return evaluations.detail(_on(conn), row, self_assessment=for_form)


credit_body = credit_points.credit_body
