"""Continuous feedback's SQL: the plans it may refer to, the form it shows on, the feedback itself."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from . import domain, paging
from .directory_queries import employees_of_units
from .models import evaluations, feedback, plans


def plans_of(conn: Connection, nip: str) -> list:
    """The employee's plans, latest end first."""
    return conn.execute(select(plans).where(plans.c.nip == nip).order_by(plans.c.period_end.desc())).all()


def next_form(conn: Connection, nip: str) -> str | None:
    """The employee's earliest periodic evaluation not closed yet (its id), or None."""
    target = conn.execute(
        select(evaluations.c.id)
        .where(
            evaluations.c.nip == nip, evaluations.c.status != domain.CLOSED, evaluations.c.period_kind != domain.ANNUAL
        )
        .order_by(evaluations.c.period_start)
        .limit(1)
    ).first()
    return target.id if target else None


def add(conn: Connection, row: dict):
    conn.execute(feedback.insert().values(**row))
    return conn.execute(select(feedback).where(feedback.c.id == row["id"])).first()


def page(
    conn: Connection, filters: dict, *, scope: tuple[str, set[str]] | None, after: tuple | None, limit: int
) -> list:
    """Feedback newest first: ``filters``, visible to ``scope`` ((nip, headed units); None for an admin),
    after the cursor ``after`` ((given_at, id)); ``limit`` + 1 rows."""
    query = select(feedback).order_by(feedback.c.given_at.desc(), feedback.c.id.desc())
    for name, value in filters.items():
        query = query.where(feedback.c[name] == value)
    if scope is not None:
        nip, unit_scope = scope
        seen = [feedback.c.nip == nip, feedback.c.rater_nip == nip]
        if unit_scope:
            seen.append(feedback.c.nip.in_(employees_of_units(unit_scope)))
        query = query.where(or_(*seen))
    if after is not None:
        query = query.where(paging.after(feedback.c.given_at, feedback.c.id, after))
    return conn.execute(query.limit(limit + 1)).all()
