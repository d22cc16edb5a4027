"""The SQL of plans, their amendments and revisions (SQLAlchemy Core), called by the use cases on ``uow.conn``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, text, update
from sqlalchemy.engine import Connection

from . import domain
from .models import employees, plan_amendments, plan_revisions, plans, units

# -- the directory as plans need it ---------------------------------------------------------------------


def employee(conn: Connection, nip: str | None):
    return conn.execute(select(employees).where(employees.c.nip == nip)).first() if nip else None


def employee_name(conn: Connection, nip: str | None) -> str | None:
    return conn.execute(select(employees.c.name).where(employees.c.nip == nip)).scalar() if nip else None


def names(conn: Connection, nips: list[str]) -> dict[str, str]:
    if not nips:
        return {}
    return dict(conn.execute(select(employees.c.nip, employees.c.name).where(employees.c.nip.in_(nips))).all())


def unit_name(conn: Connection, unit_id: str | None) -> str | None:
    return conn.execute(select(units.c.name).where(units.c.id == unit_id)).scalar() if unit_id else None


def active_employees(conn: Connection, unit_ids: set[str] | None) -> list:
    """The active employees (nip, name, position, unit, rater) of ``unit_ids`` (None: all), by NIP."""
    query = (
        select(employees.c.nip, employees.c.name, employees.c.position, employees.c.unit_id, employees.c.rater_nip)
        .where(employees.c.active.is_(True))
        .order_by(employees.c.nip)
    )
    if unit_ids is not None:
        query = query.where(employees.c.unit_id.in_(sorted(unit_ids)))
    return conn.execute(query).all()


# -- plans -------------------------------------------------------------------------------------------------


def insert_plan(conn: Connection, values: dict) -> None:
    conn.execute(plans.insert().values(**values))


def update_plan(conn: Connection, plan_id: str, **values) -> None:
    conn.execute(update(plans).where(plans.c.id == plan_id).values(**values))


def lock_plans(conn: Connection, ids: list[str]) -> dict:
    """The plans with these ids, locked in id order (PostgreSQL), by id."""
    query = select(plans).where(plans.c.id.in_(sorted(set(ids)))).order_by(plans.c.id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return {r.id: r for r in conn.execute(query)}


def list_plans(conn: Connection, *, filters: dict, visible, after: tuple[datetime, str] | None, limit: int) -> list:
    """Plans matching ``filters`` (column → value) within ``visible`` (a clause or None), newest first."""
    query = select(plans).order_by(plans.c.created_at.desc(), plans.c.id.desc())
    for name, value in filters.items():
        query = query.where(plans.c[name] == value)
    if visible is not None:
        query = query.where(visible)
    if after is not None:
        created_at, last_id = after
        query = query.where(
            or_(plans.c.created_at < created_at, (plans.c.created_at == created_at) & (plans.c.id < last_id))
        )
    return conn.execute(query.limit(limit)).all()


def rated_plans(conn: Connection, rater_nips: list[str], year: int, statuses: list[str]) -> list:
    """The plans of ``year`` rated by any of ``rater_nips`` in one of ``statuses``, by NIP (the cascade)."""
    return conn.execute(
        select(plans)
        .where(plans.c.rater_nip.in_(rater_nips), plans.c.year == year, plans.c.status.in_(statuses))
        .order_by(plans.c.nip)
    ).all()


def plans_of_year(conn: Connection, year: int, nips: list[str] | None) -> dict:
    """The plans not closed of ``year`` (of ``nips``, or everyone's), by NIP: id, status, approved_at."""
    query = select(plans.c.nip, plans.c.id, plans.c.status, plans.c.approved_at).where(
        plans.c.year == year, plans.c.status != domain.CLOSED
    )
    if nips is not None:
        query = query.where(plans.c.nip.in_(nips))
    return {r.nip: r for r in conn.execute(query)}


def insert_plans_ignoring_open(conn: Connection, rows: list[dict]) -> set[str]:
    """Insert the drafts with one executemany; a plan another request created meanwhile wins (skipped).

    Returns the ids actually inserted (ON CONFLICT DO NOTHING on the one-plan-per-year index).
    """
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(plans).on_conflict_do_nothing(index_elements=["nip", "year"], index_where=text("status <> 'closed'"))
    conn.execute(stmt, rows)
    ids = [r["id"] for r in rows]
    return {r.id for r in conn.execute(select(plans.c.id).where(plans.c.id.in_(ids)))}


def current_revision(conn: Connection, plan_id: str) -> int | None:
    return conn.execute(select(plans.c.revision).where(plans.c.id == plan_id)).scalar()


# -- amendments ------------------------------------------------------------------------------------------


def load_amendment(conn: Connection, plan_id: str, amendment_id: str, *, for_update: bool = False):
    query = select(plan_amendments).where(plan_amendments.c.id == amendment_id, plan_amendments.c.plan_id == plan_id)
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def pending_amendment(conn: Connection, plan_id: str) -> str | None:
    """The id of the plan's proposed amendment, if one is pending."""
    return conn.execute(
        select(plan_amendments.c.id).where(
            plan_amendments.c.plan_id == plan_id, plan_amendments.c.status == domain.PROPOSED
        )
    ).scalar()


def insert_amendment(conn: Connection, values: dict) -> None:
    conn.execute(plan_amendments.insert().values(**values))


def update_amendment(conn: Connection, amendment_id: str, **values) -> None:
    conn.execute(update(plan_amendments).where(plan_amendments.c.id == amendment_id).values(**values))


def amendments(conn: Connection, plan_id: str) -> list:
    return conn.execute(
        select(plan_amendments)
        .where(plan_amendments.c.plan_id == plan_id)
        .order_by(plan_amendments.c.proposed_at, plan_amendments.c.id)
    ).all()


# -- revisions -------------------------------------------------------------------------------------------


def revisions(conn: Connection, plan_id: str) -> list:
    return conn.execute(
        select(plan_revisions).where(plan_revisions.c.plan_id == plan_id).order_by(plan_revisions.c.revision)
    ).all()


def revision(conn: Connection, plan_id: str, number: int | None = None):
    """Revision ``number`` of the plan (None: the latest), or None."""
    query = select(plan_revisions).where(plan_revisions.c.plan_id == plan_id)
    if number is not None:
        query = query.where(plan_revisions.c.revision == number)
    return conn.execute(query.order_by(plan_revisions.c.revision.desc()).limit(1)).first()
