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

from sqlalchemy.engine import Connection

from kinerja_shared import agreed_actions as shared

from .domain import DomainError
from .models import action_sets, agreed_actions

# -- the read model ------------------------------------------------------------------------------

on_action_plan_agreed = shared.on_action_plan_agreed(agreed_actions, action_sets)  # the highest version wins


def load(conn: Connection, action_ids: set[str]) -> dict[str, dict]:
    return shared.load(conn, agreed_actions, action_ids)


# -- the rules ---------------------------------------------------------------------------------------


def resolve(actions: dict[str, dict], nip: str, action_id: str, day: date, indicator_id: str | None) -> dict:
    """The caller's agreed action for an entry dated ``day``; DomainError naming ``action_id`` otherwise."""
    action = actions.get(action_id)
    if action is None or action["nip"] != nip:
        raise DomainError("action_id", f"{action_id} is not an action of your agreed action plans")
    if indicator_id and indicator_id != action["indicator_id"]:
        raise DomainError(
            "action_id", f"action {action_id} advances indicator {action['indicator_id']}, not {indicator_id}"
        )
    if not shared.period_contains(action["period"], day):
        raise DomainError(
            "action_id", f"action {action_id} is planned for {action['period']}, not for {day.isoformat()}"
        )
    return action


def check_plan(action: dict, plan_id: str) -> None:
    """The action belongs to the plan in force on the entry's date."""
    if action["plan_id"] != plan_id:
        raise DomainError(
            "action_id",
            f"action {action['action_id']} belongs to plan {action['plan_id']}, not to the plan in force on that date",
        )
