"""HTTP helpers shared by plan-service's blueprints: documented errors, rule violations as problems."""
from __future__ import annotations

from contextlib import contextmanager

from flask import g, request

from kinerja_shared.web.app_factory import current_principal
from kinerja_shared.web.problems import Conflict, Forbidden, Problem, problem_body

from . import domain, store
from .config import current_config

from kinerja_shared.web.docs import errors  # noqa: E402,F401  (re-exported for the blueprints)


def violations(problems: list[tuple[str, str]], status: int = 422) -> Problem:
    """A problem listing every broken rule with the field it concerns."""
    detail = "; ".join(f"{f}: {m}" for f, m in problems[:10])
    return Problem(detail, status=status, title="Validation failed",
                   errors=[{"field": f, "message": m} for f, m in problems])


@contextmanager
def rules():
    """Turn broken domain rules into a 422 naming the fields."""
    try:
        yield
    except domain.DomainError as exc:
        raise violations([(exc.field, exc.message)]) from None
    except domain.RuleViolations as exc:
        raise violations(exc.errors) from None


def transition_conflict(exc: domain.TransitionError, current: str) -> Conflict:
    return Conflict(str(exc), title="Status does not allow this", current_status=current)


def next_status(action: str, current: str) -> str:
    try:
        return domain.next_status(action, current)
    except domain.TransitionError as exc:
        raise transition_conflict(exc, current) from None


def require_admin(what: str = "change the org directory") -> None:
    if not current_principal().is_admin:
        raise Forbidden(f"Only an admin (BKPSDM) may {what}.")


def headed_units(conn) -> set[str]:
    """The units (with their subtrees) the caller heads today by the directory (definitive or acting heads);
    computed once per request."""
    cached = g.get("plan_headed_units")
    if cached is None:
        cached = store.subtree(conn, store.headed_roots(conn, current_principal(), current_config().today()))
        g.plan_headed_units = cached
    return cached


def item_problem(problem: Problem) -> dict:
    return problem_body(problem)  # in the request's language, like every problem


# -- input PostgreSQL cannot store -------------------------------------------------------------------
