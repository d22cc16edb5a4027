"""The evaluations' SQL: the forms, their revisions, the activity figures they show, the credit points (PAK)."""

from __future__ import annotations

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.engine import Connection

from kinerja_shared.db import upsert
from kinerja_shared.numbers import MAX_ENTRY_QUANTITY

from . import domain, paging
from .models import (
    activities,
    credit_assessments,
    evaluation_revisions,
    evaluations,
    feedback,
    plans,
    unit_predicates,
    units,
)

# -- one evaluation --------------------------------------------------------------------------------


def load(conn: Connection, evaluation_id: str, for_update: bool = False):
    """The evaluation's row (locked for the transaction with ``for_update`` on PostgreSQL), or None."""
    query = select(evaluations).where(evaluations.c.id == evaluation_id)
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def update_evaluation(conn: Connection, evaluation_id: str, values: dict) -> None:
    conn.execute(update(evaluations).where(evaluations.c.id == evaluation_id).values(**values))


def plan(conn: Connection, plan_id: str):
    return conn.execute(select(plans).where(plans.c.id == plan_id)).first()


def unit_head(conn: Connection, unit_id: str) -> str | None:
    unit = conn.execute(select(units.c.head_nip).where(units.c.id == unit_id)).first()
    return unit.head_nip if unit is not None else None


def org_predicate(conn: Connection, unit_id: str, period_id: str) -> str | None:
    found = conn.execute(
        select(unit_predicates.c.predicate).where(
            unit_predicates.c.unit_id == unit_id, unit_predicates.c.period_id == period_id
        )
    ).first()
    return found.predicate if found else None


# -- lists -----------------------------------------------------------------------------------------------


def page(
    conn: Connection,
    filters: dict,
    *,
    unit_ids: set[str] | None,
    scope: tuple[str, set[str]] | None,
    after: tuple | None,
    limit: int,
) -> list:
    """Evaluations newest first: ``filters`` (column: value), within ``unit_ids``, visible to ``scope``
    ((nip, headed units); None for an admin), after the cursor ``after`` ((opened_at, id)); ``limit`` + 1 rows."""
    query = select(evaluations).order_by(evaluations.c.opened_at.desc(), evaluations.c.id.desc())
    for name, value in filters.items():
        query = query.where(evaluations.c[name] == value)
    if unit_ids is not None:
        query = query.where(evaluations.c.unit_id.in_(unit_ids))
    if scope is not None:
        nip, unit_scope = scope
        seen = [evaluations.c.nip == nip, evaluations.c.rater_nip == nip, evaluations.c.rater_superior_nip == nip]
        if unit_scope:
            seen.append(evaluations.c.unit_id.in_(unit_scope))
        query = query.where(or_(*seen))
    if after is not None:
        query = query.where(paging.after(evaluations.c.opened_at, evaluations.c.id, after))
    return conn.execute(query.limit(limit + 1)).all()


def periodic_of_year(conn: Connection, nip: str, year: int) -> list:
    return conn.execute(
        select(evaluations)
        .where(evaluations.c.nip == nip, evaluations.c.year == year, evaluations.c.period_kind != domain.ANNUAL)
        .order_by(evaluations.c.period_start)
    ).all()


def rated_by(conn: Connection, nip: str, rater: str) -> bool:
    """Whether ``rater`` rates (or is the rater's superior in) an evaluation of ``nip``."""
    return (
        conn.execute(
            select(evaluations.c.id)
            .where(
                evaluations.c.nip == nip,
                or_(evaluations.c.rater_nip == rater, evaluations.c.rater_superior_nip == rater),
            )
            .limit(1)
        ).first()
        is not None
    )


def evaluated_in(conn: Connection, nip: str, unit_ids: set[str]) -> bool:
    return (
        conn.execute(
            select(evaluations.c.id).where(evaluations.c.nip == nip, evaluations.c.unit_id.in_(unit_ids)).limit(1)
        ).first()
        is not None
    )


# -- revisions -------------------------------------------------------------------------------------------


def add_revision(conn: Connection, values: dict) -> None:
    conn.execute(evaluation_revisions.insert().values(**values))


def revisions(conn: Connection, evaluation_id: str) -> list:
    return conn.execute(
        select(evaluation_revisions)
        .where(evaluation_revisions.c.evaluation_id == evaluation_id)
        .order_by(evaluation_revisions.c.revision)
    ).all()


def revision_count(conn: Connection, evaluation_id: str) -> int:
    return conn.execute(
        select(func.count())
        .select_from(evaluation_revisions)
        .where(evaluation_revisions.c.evaluation_id == evaluation_id)
    ).scalar_one()


# -- what the form shows ---------------------------------------------------------------------------------


def activity_sums(conn: Connection, plan_ids: list[str], period: domain.Period):
    """Per (plan, indicator, status): quantity and minutes in the period and from the plan's start to its end."""
    in_period = activities.c.date >= period.start
    # Only quantities within the per-entry bounds are added up: one stored before them (1e308, Infinity, NaN)
    # would overflow the sum; those are counted instead (x_to_date). PostgreSQL orders NaN above every number.
    usable = activities.c.quantity.between(0, MAX_ENTRY_QUANTITY)
    return conn.execute(
        select(
            activities.c.plan_id,
            activities.c.indicator_id,
            activities.c.status,
            func.sum(case((and_(in_period, usable), activities.c.quantity), else_=0.0)).label("q_in"),
            func.sum(case((usable, activities.c.quantity), else_=0.0)).label("q_to_date"),
            func.sum(case((usable, 0), else_=1)).label("x_to_date"),
            func.sum(case((in_period, activities.c.minutes), else_=0)).label("m_in"),
            func.sum(case((in_period, 1), else_=0)).label("n_in"),
        )
        .where(activities.c.plan_id.in_(plan_ids), activities.c.date <= period.end, activities.c.status != "withdrawn")
        .group_by(activities.c.plan_id, activities.c.indicator_id, activities.c.status)
    ).all()


def recent_activities(conn: Connection, plan_id: str, period: domain.Period, limit: int = 200) -> list:
    return conn.execute(
        select(
            activities.c.id,
            activities.c.date,
            activities.c.result_id,
            activities.c.indicator_id,
            activities.c.action_id,
            activities.c.minutes,
            activities.c.quantity,
            activities.c.status,
        )
        .where(
            activities.c.plan_id == plan_id,
            activities.c.date >= period.start,
            activities.c.date <= period.end,
            activities.c.status != "withdrawn",
        )
        .order_by(activities.c.date.desc(), activities.c.id)
        .limit(limit)
    ).all()


def feedback_for(conn: Connection, row) -> list[dict]:
    """The continuous feedback on the evaluation's form (an annual one: all of the employee's year)."""
    if row.period_kind == domain.ANNUAL:
        where = [feedback.c.nip == row.nip, feedback.c.period_id.like(f"{row.year:04d}-%")]
    else:
        where = [feedback.c.evaluation_id == row.id]
    return [dict(f._mapping) for f in conn.execute(select(feedback).where(*where).order_by(feedback.c.given_at))]


# -- credit points (angka kredit) and the PAK record ------------------------------------------------


def credit_rows(conn: Connection, nip: str, year: int) -> list:
    """The year's evaluations of ``nip`` with their plans' spans and legacy coefficient."""
    return conn.execute(
        select(
            evaluations,
            plans.c.period_start.label("plan_start"),
            plans.c.period_end.label("plan_end"),
            plans.c.functional_coefficient.label("plan_coefficient"),
        )
        .select_from(evaluations.outerjoin(plans, plans.c.id == evaluations.c.plan_id))
        .where(evaluations.c.nip == nip, evaluations.c.year == year)
        .order_by(evaluations.c.period_start, evaluations.c.period_end, evaluations.c.id)
    ).all()


def credit_assessment(conn: Connection, nip: str, year: int):
    return conn.execute(
        select(credit_assessments).where(credit_assessments.c.nip == nip, credit_assessments.c.year == year)
    ).first()


def save_credit_assessment(conn: Connection, values: dict) -> None:
    upsert(conn, credit_assessments, values, ["nip", "year"])
