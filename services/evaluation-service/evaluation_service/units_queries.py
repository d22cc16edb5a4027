"""The units' reads: the predicates in a unit's subtree, its calibration and organisational predicate, the
export rows and the dashboard's figures (from the read models)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, null, select
from sqlalchemy.engine import Connection

from . import domain
from .models import activities, calibrations, employees, evaluations, plans, unit_predicates


def predicates(conn: Connection, period_id: str, unit_ids: set[str]) -> list:
    """(nip, predicate) of the period's evaluations in ``unit_ids`` (predicate None while not submitted)."""
    return conn.execute(
        select(evaluations.c.nip, evaluations.c.predicate).where(
            evaluations.c.period_id == period_id, evaluations.c.unit_id.in_(unit_ids)
        )
    ).all()


def calibration(conn: Connection, unit_id: str, period_id: str):
    return conn.execute(
        select(calibrations).where(calibrations.c.unit_id == unit_id, calibrations.c.period_id == period_id)
    ).first()


def unit_predicate(conn: Connection, unit_id: str, period_id: str):
    return conn.execute(
        select(unit_predicates).where(unit_predicates.c.unit_id == unit_id, unit_predicates.c.period_id == period_id)
    ).first()


def export_rows(conn: Connection, period_id: str, unit_ids: set[str]) -> list:
    """The period's closed evaluations of ``unit_ids`` with the employees' names, by unit and NIP."""
    return conn.execute(
        select(evaluations, employees.c.name)
        .select_from(evaluations.outerjoin(employees, employees.c.nip == evaluations.c.nip))
        .where(
            evaluations.c.period_id == period_id,
            evaluations.c.unit_id.in_(unit_ids),
            evaluations.c.status == domain.CLOSED,
        )
        .order_by(evaluations.c.unit_id, evaluations.c.nip)
    ).all()


# -- the dashboard -------------------------------------------------------------------------------


def plans_in(conn: Connection, unit_ids: set[str], period: domain.Period) -> list:
    """The plans of ``unit_ids`` for the period's year that overlap the period: what the dashboard computes from
    (id, NIP, unit, span, results; not the behaviours, whose JSON would be decoded for nothing)."""
    return conn.execute(
        select(
            plans.c.id, plans.c.nip, plans.c.unit_id, plans.c.period_start, plans.c.period_end, plans.c.results
        ).where(
            plans.c.unit_id.in_(unit_ids),
            plans.c.year == period.year,
            plans.c.period_start <= period.end,
            plans.c.period_end >= period.start,
        )
    ).all()


def logged_days(conn: Connection, nips: set[str], days: list[date], start: date, end: date) -> dict[str, int]:
    """Per NIP of ``nips`` with an entry (not withdrawn) between ``start`` and ``end``: how many of ``days`` (the
    working days) have one. One read of the period's rows (index nip, date) for both compliance figures."""
    on_a_day = case((activities.c.date.in_(days), activities.c.date)) if days else null()
    return dict(
        conn.execute(
            select(activities.c.nip, func.count(func.distinct(on_a_day)))
            .where(
                activities.c.nip.in_(nips),
                activities.c.date >= start,
                activities.c.date <= end,
                activities.c.status != "withdrawn",
            )
            .group_by(activities.c.nip)
        ).all()
    )


def by_status(conn: Connection, period_id: str, unit_ids: set[str]) -> dict[str, int]:
    return dict(
        conn.execute(
            select(evaluations.c.status, func.count())
            .where(evaluations.c.period_id == period_id, evaluations.c.unit_id.in_(unit_ids))
            .group_by(evaluations.c.status)
        ).all()
    )
