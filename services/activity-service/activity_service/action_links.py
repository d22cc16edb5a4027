"""Activities logged against an action (rencana aksi) of the employee's agreed action plans.

The read model (``agreed_actions``, ``action_sets``) holds the agreed set in force of each plan, from
plan-service's ActionPlanAgreed (the whole set; the highest ``version`` of a plan wins, an older one arriving
late changes nothing). An entry may name an ``action_id``: the action must be in the agreed set in force, be
the caller's own, and its month or quarter must contain the entry's date; the entry's indicator (and so its
result and plan) becomes the action's, and an ``indicator_id`` sent beside it must be that one (422 naming
``action_id`` otherwise).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from kinerja_shared.db import utcnow
from kinerja_shared.events import Event

from .domain import DomainError
from .models import action_sets, agreed_actions

ACTION_FIELDS = ("action_id", "plan_id", "nip", "result_id", "indicator_id", "period", "text", "target_value", "target_unit")


# -- the read model ------------------------------------------------------------------------------

def on_action_plan_agreed(conn: Connection, event: Event) -> None:
    """The agreed set in force of a plan: replaces the plan's earlier set unless this version is not newer."""
    d = event.data
    current = conn.execute(select(action_sets.c.version).where(action_sets.c.plan_id == d["plan_id"])).scalar()
    if current is not None and current >= d["version"]:
        return  # a replay, or an older version arriving late
    if current is None:
        conn.execute(action_sets.insert().values(plan_id=d["plan_id"], nip=d["nip"], version=d["version"], updated_at=utcnow()))
    else:
        conn.execute(update(action_sets).where(action_sets.c.plan_id == d["plan_id"])
                     .values(version=d["version"], updated_at=utcnow()))
    conn.execute(delete(agreed_actions).where(agreed_actions.c.plan_id == d["plan_id"]))
    rows = {a["action_id"]: dict(action_id=a["action_id"], plan_id=d["plan_id"], nip=d["nip"], result_id=a["result_id"],
                                 indicator_id=a["indicator_id"], period=a["period"], text=a["text"],
                                 target_value=a.get("target_value"), target_unit=a.get("target_unit"))
            for a in d["actions"]}
    if rows:
        # an action id is the plan's own; one moved from another plan's set is that plan's no longer
        conn.execute(delete(agreed_actions).where(agreed_actions.c.action_id.in_(sorted(rows))))
        conn.execute(agreed_actions.insert(), list(rows.values()))


def load(conn: Connection, action_ids: set[str]) -> dict[str, dict]:
    if not action_ids:
        return {}
    query = select(*[agreed_actions.c[c] for c in ACTION_FIELDS]).where(agreed_actions.c.action_id.in_(sorted(action_ids)))
    return {r.action_id: dict(r._mapping) for r in conn.execute(query)}


# -- the rules ---------------------------------------------------------------------------------------

def period_contains(period: str, day: date) -> bool:
    """'2026-03' or '2026-Q1' contains ``day``."""
    year, part = int(period[:4]), period[5:]
    if day.year != year:
        return False
    if part.startswith("Q"):
        return (day.month - 1) // 3 + 1 == int(part[1])
    return day.month == int(part)


def resolve(actions: dict[str, dict], nip: str, action_id: str, day: date, indicator_id: str | None) -> dict:
    """The caller's agreed action for an entry dated ``day``; DomainError naming ``action_id`` otherwise."""
    action = actions.get(action_id)
    if action is None or action["nip"] != nip:
        raise DomainError("action_id", f"{action_id} is not an action of your agreed action plans")
    if indicator_id and indicator_id != action["indicator_id"]:
        raise DomainError("action_id", f"action {action_id} advances indicator {action['indicator_id']}, not {indicator_id}")
    if not period_contains(action["period"], day):
        raise DomainError("action_id", f"action {action_id} is planned for {action['period']}, not for {day.isoformat()}")
    return action


def check_plan(action: dict, plan_id: str) -> None:
    """The action belongs to the plan in force on the entry's date."""
    if action["plan_id"] != plan_id:
        raise DomainError("action_id", f"action {action['action_id']} belongs to plan {action['plan_id']}, not to the plan "
                                       f"in force on that date")
