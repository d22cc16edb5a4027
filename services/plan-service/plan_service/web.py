"""HTTP helpers shared by plan-service's blueprints: documented errors, the answers' shapes, the caller's units.

The rules and refusals themselves are Flask-free (refusals, access, domain); the names below stay for the
blueprints that import them from here.
"""

from __future__ import annotations

from flask import g

from kinerja_shared.web.app_factory import current_principal, runtime
from kinerja_shared.web.docs import errors  # noqa: F401  (re-exported for the blueprints)
from kinerja_shared.web.etag import etag_for
from kinerja_shared.web.problems import Problem, problem_body

from . import access
from .refusals import rules, violations  # noqa: F401  (re-exported for the blueprints)


def require_admin(what: str = "change the org directory") -> None:
    access.require_admin(current_principal(), what)


def headed_units(conn) -> set[str]:
    """The units (with their subtrees) the caller heads today by the directory (definitive or acting heads);
    computed once per request."""
    cached = g.get("plan_headed_units")
    if cached is None:
        cached = access.headed_units(conn, current_principal(), runtime().today())
        g.plan_headed_units = cached
    return cached


def item_problem(problem: Problem) -> dict:
    return problem_body(problem)  # in the request's language, like every problem


def flattened(row) -> dict:
    """A plan, revision, amendment or template as answered: its content's parts at the top level."""
    out = dict(row._mapping)
    content = out.pop("content")
    out.update(
        results=content["results"], behaviours=content["behaviours"], attachments=content.get("attachments") or {}
    )
    return out


def etag(row) -> dict:
    return {"ETag": etag_for(row.id, row.version)}


def created(row, location: str) -> dict:
    return {**etag(row), "Location": location}
