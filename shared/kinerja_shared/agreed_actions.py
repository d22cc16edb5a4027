"""Agreed action plans (rencana aksi) as a read model: plan-service's ``ActionPlanAgreed`` events, kept per consumer.

Each event carries a plan's whole agreed set of actions (per result, indicator and month ``YYYY-MM`` or quarter
``YYYY-Qn``, each with its small target); the highest ``version`` of a plan wins, so a redelivered or late older set
changes nothing. A consuming service creates the two tables (``agreed_actions_tables(metadata)``, by one of its
migrations), registers ``on_action_plan_agreed(actions, sets)`` for ``ActionPlanAgreed`` and lists both tables in
``ServiceSpec.read_models``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, delete, select, update
from sqlalchemy.engine import Connection

from .db import UTCDateTime, utcnow

ACTION_FIELDS = (
    "action_id",
    "plan_id",
    "nip",
    "result_id",
    "indicator_id",
    "period",
    "text",
    "target_value",
    "target_unit",
)


def agreed_actions_tables(metadata: MetaData) -> tuple[Table, Table]:
    """(agreed_actions: the actions of each plan's agreed set in force; action_sets: its version per plan)."""
    actions = Table(
        "agreed_actions",
        metadata,
        Column("action_id", String(64), primary_key=True),
        Column("plan_id", String(64), nullable=False, index=True),
        Column("nip", String(18), nullable=False),
        Column("result_id", String(64), nullable=False),
        Column("indicator_id", String(64), nullable=False),
        Column("period", String(7), nullable=False),  # YYYY-MM or YYYY-Qn
        Column("text", Text, nullable=False),
        Column("target_value", Float),
        Column("target_unit", String(50)),
    )
    sets = Table(
        "action_sets",
        metadata,
        Column("plan_id", String(64), primary_key=True),
        Column("nip", String(18), nullable=False),
        Column("version", Integer, nullable=False),
        Column("updated_at", UTCDateTime(), nullable=False),
    )
    return actions, sets


def on_action_plan_agreed(actions: Table, sets: Table):
    """The consumer's handler for ``ActionPlanAgreed``: the plan's set replaced, unless this version is not newer."""

    def handle(conn: Connection, event) -> None:
        d = event.data
        current = conn.execute(select(sets.c.version).where(sets.c.plan_id == d["plan_id"])).scalar()
        if current is not None and current >= d["version"]:
            return  # a replay, or an older version arriving late
        if current is None:
            conn.execute(
                sets.insert().values(plan_id=d["plan_id"], nip=d["nip"], version=d["version"], updated_at=utcnow())
            )
        else:
            conn.execute(
                update(sets).where(sets.c.plan_id == d["plan_id"]).values(version=d["version"], updated_at=utcnow())
            )
        conn.execute(delete(actions).where(actions.c.plan_id == d["plan_id"]))
        rows = {
            a["action_id"]: dict(
                action_id=a["action_id"],
                plan_id=d["plan_id"],
                nip=d["nip"],
                result_id=a["result_id"],
                indicator_id=a["indicator_id"],
                period=a["period"],
                text=a["text"],
                target_value=a.get("target_value"),
                target_unit=a.get("target_unit"),
            )
            for a in d["actions"]
        }
        if rows:
            conn.execute(delete(actions).where(actions.c.action_id.in_(sorted(rows))))  # an id is one plan's only
            conn.execute(actions.insert(), list(rows.values()))

    handle.__name__ = "on_action_plan_agreed"
    return handle


def load(conn: Connection, actions: Table, action_ids) -> dict[str, dict]:
    """action_id -> the agreed action (its fields), for the ids that are in an agreed set in force."""
    action_ids = sorted(set(action_ids))
    if not action_ids:
        return {}
    query = select(*[actions.c[c] for c in ACTION_FIELDS]).where(actions.c.action_id.in_(action_ids))
    return {r.action_id: dict(r._mapping) for r in conn.execute(query)}


def period_bounds(period: str) -> tuple[date, date]:
    """'2026-03' -> (1 March, 31 March); '2026-Q2' -> (1 April, 30 June)."""
    year, part = int(period[:4]), period[5:]
    first_month = 3 * (int(part[1]) - 1) + 1 if part.startswith("Q") else int(part)
    last_month = first_month + 2 if part.startswith("Q") else first_month
    end = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    return date(year, first_month, 1), date.fromordinal(end.toordinal() - 1)


def period_contains(period: str, day: date) -> bool:
    first, last = period_bounds(period)
    return first <= day <= last


def quarter_of(month: str) -> str:
    """'2026-05' -> '2026-Q2'."""
    return f"{month[:4]}-Q{(int(month[5:]) - 1) // 3 + 1}"
