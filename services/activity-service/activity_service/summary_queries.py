"""The reads behind the summaries and the indicator list: a month per indicator, per action and per result,
the days logged, who logged on a day, and the indicators of the plans in force."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from kinerja_shared.agreed_actions import quarter_of
from kinerja_shared.numbers import MAX_ENTRY_QUANTITY

from .domain import NOT_COUNTED
from .models import activities, agreed_actions, plan_indicators, plans


def indicators_in_force(conn: Connection, nip: str, day: date) -> list[dict]:
    """The indicators of the employee's approved plans in force on ``day`` (latest plan first)."""
    query = (
        select(plan_indicators, plans.c.revision, plans.c.period_start, plans.c.period_end)
        .join(plans, plans.c.plan_id == plan_indicators.c.plan_id)
        .where(plan_indicators.c.nip == nip, plans.c.period_start <= day, plans.c.period_end >= day)
        .order_by(plans.c.period_start.desc(), plan_indicators.c.result_id, plan_indicators.c.indicator_id)
    )
    return [dict(r._mapping) for r in conn.execute(query)]


def _counted(nip: str, first: date, last: date):
    return (activities.c.nip == nip, activities.c.date.between(first, last), activities.c.status.notin_(NOT_COUNTED))


def _sums():
    # Only quantities within the per-entry bounds are added up (one stored before them must not overflow the sum);
    # the others are counted. PostgreSQL orders NaN above every number, so the range leaves it out too.
    usable = activities.c.quantity.between(0, MAX_ENTRY_QUANTITY)
    return (
        func.sum(activities.c.minutes).label("minutes"),
        func.count().label("entries"),
        func.sum(case((usable, activities.c.quantity), else_=0.0)).label("quantity"),
        func.sum(case((usable, 0), else_=1)).label("quantity_excluded"),
    )


def month_per_indicator(conn: Connection, nip: str, first: date, last: date) -> list[dict]:
    """The month's counted entries per indicator and status: minutes, entries, quantity (and how many were left out)."""
    keys = (activities.c.indicator_id, activities.c.plan_id, activities.c.result_id, activities.c.status)
    grouped = (
        select(*keys, func.max(activities.c.quantity_unit).label("quantity_unit"), *_sums())
        .where(*_counted(nip, first, last))
        .group_by(*keys)
    )
    return [dict(r._mapping) for r in conn.execute(grouped)]


def month_per_action(conn: Connection, nip: str, first: date, last: date) -> list:
    """The month's counted entries per action, result and status."""
    keys = (activities.c.action_id, activities.c.plan_id, activities.c.result_id, activities.c.status)
    return conn.execute(select(*keys, *_sums()).where(*_counted(nip, first, last)).group_by(*keys)).all()


def days_logged(conn: Connection, nip: str, first: date, last: date) -> int:
    days = select(func.count(func.distinct(activities.c.date))).where(*_counted(nip, first, last))
    return conn.execute(days).scalar() or 0


def indicator_texts(conn: Connection, plan_ids: set[str]) -> dict:
    """The plans' indicator rows, by (plan_id, indicator_id)."""
    if not plan_ids:
        return {}
    return {
        (r.plan_id, r.indicator_id): r
        for r in conn.execute(select(plan_indicators).where(plan_indicators.c.plan_id.in_(plan_ids)))
    }


def result_texts(conn: Connection, plan_ids: list[str]) -> dict:
    """The plans' result texts, by (plan_id, result_id)."""
    return dict(
        ((t.plan_id, t.result_id), t.result_text)
        for t in conn.execute(
            select(plan_indicators.c.plan_id, plan_indicators.c.result_id, plan_indicators.c.result_text).where(
                plan_indicators.c.plan_id.in_(plan_ids)
            )
        )
    )


def planned_actions(conn: Connection, nip: str, month: str) -> list:
    """The employee's agreed actions planned for the month or its quarter."""
    return conn.execute(
        select(agreed_actions).where(
            agreed_actions.c.nip == nip, agreed_actions.c.period.in_([month, quarter_of(month)])
        )
    ).all()


def actions_by_id(conn: Connection, action_ids: list[str]) -> list:
    return conn.execute(select(agreed_actions).where(agreed_actions.c.action_id.in_(action_ids))).all()


def logged_on(conn: Connection, day: date, nips: list[str]) -> set[str]:
    """Which of ``nips`` logged a counted entry on ``day``."""
    if not nips:
        return set()
    return set(
        conn.execute(
            select(activities.c.nip)
            .distinct()
            .where(activities.c.date == day, activities.c.status.notin_(NOT_COUNTED), activities.c.nip.in_(nips))
        ).scalars()
    )
