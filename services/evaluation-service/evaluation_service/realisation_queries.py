"""The read-model queries behind realisation per indicator aspect (see realisation.py) and per agreed action
(action_realisation.py)."""

from __future__ import annotations

from sqlalchemy import case, func, select

from kinerja_shared.numbers import MAX_ENTRY_QUANTITY

from . import domain, realisation
from .models import activities, agreed_actions


def period_measurements(conn, plans_: list, period: domain.Period) -> dict[tuple[str, str], list[domain.Measurement]]:
    """The period's verified measurements, oldest first, of the indicators whose measure looks at each of them
    (quality latest/average, time duration/deadline): (plan id, indicator id) → [Measurement]."""
    wanted = {
        (p.id, i["indicator_id"])
        for p in plans_
        for r in p.results
        for i in r.get("indicators", [])
        if realisation.measure_of(i.get("aspect"), i.get("measure")) in realisation.PER_MEASUREMENT
    }
    if not wanted:
        return {}
    rows = conn.execute(
        select(activities.c.plan_id, activities.c.indicator_id, activities.c.date, activities.c.quantity)
        .where(
            activities.c.plan_id.in_(sorted({p for p, _ in wanted})),
            activities.c.indicator_id.in_(sorted({i for _, i in wanted})),
            activities.c.status == "accepted",
            activities.c.date >= period.start,
            activities.c.date <= period.end,
            activities.c.quantity.between(0, MAX_ENTRY_QUANTITY),
        )
        .order_by(activities.c.date, activities.c.updated_at, activities.c.id)
    ).all()
    out: dict[tuple[str, str], list[domain.Measurement]] = {}
    for row in rows:
        if (row.plan_id, row.indicator_id) in wanted:
            measured = domain.Measurement(row.date, float(row.quantity))
            out.setdefault((row.plan_id, row.indicator_id), []).append(measured)
    return out


def agreed_actions_of(conn, plan_id: str) -> list:
    """The plan's agreed actions (rencana aksi), by period and id."""
    return conn.execute(
        select(agreed_actions)
        .where(agreed_actions.c.plan_id == plan_id)
        .order_by(agreed_actions.c.period, agreed_actions.c.action_id)
    ).all()


def action_sums(conn, plan_id: str, action_ids: list[str]) -> dict:
    """action id -> (realised: the verified quantity within the per-entry bounds, pending: entries awaiting)."""
    usable = activities.c.quantity.between(0, MAX_ENTRY_QUANTITY)
    return {
        r.action_id: r
        for r in conn.execute(
            select(
                activities.c.action_id,
                func.sum(case(((activities.c.status == "accepted") & usable, activities.c.quantity), else_=0.0)).label(
                    "realised"
                ),
                func.sum(case((activities.c.status == "pending", 1), else_=0)).label("pending"),
            )
            .where(activities.c.action_id.in_(action_ids), activities.c.plan_id == plan_id)
            .group_by(activities.c.action_id)
        )
    }
