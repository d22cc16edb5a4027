"""Periods' SQL: the year's scheme, the evaluations per period, and opening them (one batched insert)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.engine import Connection

from kinerja_shared.db import insert_ignore, is_postgres, upsert

from . import domain
from .models import evaluations, feedback, period_schemes, plans

# -- the year's scheme -------------------------------------------------------------------------------


def scheme(conn: Connection, year: int) -> str | None:
    """The year's fixed scheme, or None while it is not fixed."""
    row = conn.execute(select(period_schemes.c.scheme).where(period_schemes.c.year == year)).first()
    return row.scheme if row else None


def fix_scheme(conn: Connection, year: int, default: str, actor: str, now) -> str:
    """The year's scheme, fixing ``default`` when there is none yet (a concurrent first use wins)."""
    insert_ignore(conn, period_schemes, {"year": year, "scheme": default, "set_by": actor, "set_at": now})
    return conn.execute(select(period_schemes.c.scheme).where(period_schemes.c.year == year)).scalar_one()


def save_scheme(conn: Connection, year: int, scheme_: str, actor: str, now) -> None:
    upsert(conn, period_schemes, {"year": year, "scheme": scheme_, "set_by": actor, "set_at": now}, ["year"])


def periodic_count(conn: Connection, year: int) -> int:
    """How many periodic (not annual) evaluations the year has."""
    return conn.execute(
        select(func.count())
        .select_from(evaluations)
        .where(evaluations.c.year == year, evaluations.c.period_kind != domain.ANNUAL)
    ).scalar_one()


def period_stats(conn: Connection, year: int, scope: tuple[str, set[str]] | None) -> dict[str, dict]:
    """Per period of the year: evaluations per status, among those ``scope`` ((nip, headed units); None: all) sees."""
    query = select(evaluations.c.period_id, evaluations.c.status, func.count()).where(evaluations.c.year == year)
    if scope is not None:
        nip, unit_scope = scope
        seen = [evaluations.c.nip == nip, evaluations.c.rater_nip == nip]
        if unit_scope:
            seen.append(evaluations.c.unit_id.in_(unit_scope))
        query = query.where(or_(*seen))
    stats: dict[str, dict] = {}
    for period_id, status, n in conn.execute(query.group_by(evaluations.c.period_id, evaluations.c.status)).all():
        stats.setdefault(period_id, {})[status] = n
    return stats


# -- opening ------------------------------------------------------------------------------------------


def _not_opened(period: domain.Period):
    """Plans without an evaluation in ``period`` yet (the unique key still guards against races)."""
    return ~exists().where(evaluations.c.plan_id == plans.c.id, evaluations.c.period_id == period.id)


def plans_to_open(conn: Connection, period: domain.Period, unit_ids: set[str] | None = None) -> list:
    """Approved plans of the period's year that overlap it and have no evaluation in it (optionally within units)."""
    query = select(plans).where(
        plans.c.year == period.year,
        plans.c.period_start <= period.end,
        plans.c.period_end >= period.start,
        _not_opened(period),
    )
    if unit_ids is not None:
        query = query.where(plans.c.unit_id.in_(unit_ids))
    return conn.execute(query).all()


def plans_due(conn: Connection, today: date, period: domain.Period) -> list:
    """Plans whose span holds ``today`` and that have no evaluation in ``period``."""
    return conn.execute(
        select(plans).where(plans.c.period_start <= today, plans.c.period_end >= today, _not_opened(period))
    ).all()


def insert_evaluations(conn: Connection, rows: list[dict]) -> list:
    """INSERT evaluations ... ON CONFLICT DO NOTHING RETURNING id (one batched statement): the rows created."""
    if not rows:
        return []
    if is_postgres(conn):
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(evaluations).on_conflict_do_nothing().returning(evaluations.c.id)
    created = {r.id for r in conn.execute(stmt, rows)}
    if not created:
        return []
    return conn.execute(select(evaluations).where(evaluations.c.id.in_(created)).order_by(evaluations.c.nip)).all()


def attach_waiting_feedback(conn: Connection, new_rows) -> None:
    """Feedback given while an employee had no form open shows on their new one."""
    waiting = {
        r.nip
        for r in conn.execute(
            select(feedback.c.nip)
            .where(feedback.c.evaluation_id.is_(None), feedback.c.nip.in_([r.nip for r in new_rows]))
            .distinct()
        )
    }
    for row in new_rows:
        if row.nip in waiting:
            conn.execute(
                update(feedback)
                .where(feedback.c.nip == row.nip, feedback.c.evaluation_id.is_(None))
                .values(evaluation_id=row.id)
            )
