"""Action plans (rencana aksi) in plain Python: periods, the rules of one action, the status machine of a
plan's set of actions, and what a plan amendment does to them.

Per approved plan, the employee lists for each result (and its indicator), per month (``YYYY-MM``) or
quarter (``YYYY-Qn``) inside the plan's span, the actions that will deliver it, each with a small target
in the indicator's unit. The set is proposed by the employee (``draft`` → ``submitted``), agreed by the
rater as a whole (``agreed``, version 1) or returned with a reason (back to ``draft``). After agreement it
changes only by a recorded amendment (a reason; the agreed set stays in force until the rater agrees the
amended one, version + 1; every agreed set is kept).

A plan amendment that removes a result or an indicator (or moves an indicator to another result) makes
the actions on it invalid: they are dropped from the working set and, when the set was agreed, a new
agreed version without them is recorded at once (the rater approved the plan change that removed their
ground); the dropped actions are kept on that version and shown to the employee.
"""

from __future__ import annotations

import re
from datetime import date

from kinerja_shared import agreed_actions
from kinerja_shared.transitions import StateMachine

from .domain import DomainError

DRAFT, SUBMITTED, AGREED = "draft", "submitted", "agreed"
STATUSES = (DRAFT, SUBMITTED, AGREED)
ACTION_PLAN = StateMachine(
    "action plan",
    {
        "edit": {DRAFT: DRAFT},  # add, change or remove an action of the working set
        "submit": {DRAFT: SUBMITTED},  # the employee proposes the set to the rater
        "agree": {SUBMITTED: AGREED},  # the rater agrees the whole set: version + 1
        "return": {SUBMITTED: DRAFT},  # with the rater's reason
        "amend": {AGREED: DRAFT},  # a recorded amendment of an agreed set, with a reason
    },
)
VERSION_KINDS = ("agreement", "plan_amendment")  # agreed by the rater / actions dropped by a plan amendment

PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$"
_PERIOD = re.compile(PERIOD_PATTERN)
MAX_ACTIONS_PER_PLAN = 300
MAX_TEXT = 1000


# -- periods ------------------------------------------------------------------------------------


def period_bounds(period: str) -> tuple[date, date]:
    """'2026-03' -> (1 March, 31 March); '2026-Q2' -> (1 April, 30 June)."""
    if not isinstance(period, str) or not _PERIOD.match(period) or not 2000 <= int(period[:4]) <= 2100:
        raise DomainError("period", "must be a month YYYY-MM or a quarter YYYY-Qn")
    return agreed_actions.period_bounds(period)


def check_period(period: str, span_start: date, span_end: date) -> str:
    first, last = period_bounds(period)
    if last < span_start or first > span_end:
        start, end = span_start.isoformat(), span_end.isoformat()
        raise DomainError("period", f"{period} lies outside the plan's span {start} to {end}")
    return period


# -- one action -----------------------------------------------------------------------------------


def indicators_of(content: dict) -> dict[str, tuple[dict, dict]]:
    """indicator_id -> (result, indicator) of a plan's content."""
    return {i["indicator_id"]: (r, i) for r in content.get("results") or [] for i in r.get("indicators") or []}


def checked_action(content: dict, span_start: date, span_end: date, body: dict) -> dict:
    """The action's fields, checked against the plan in force: the indicator exists (and is the result's, when
    ``result_id`` is given), the period lies in the span, the target is in the indicator's unit."""
    found = indicators_of(content).get(body["indicator_id"])
    if found is None:
        raise DomainError("indicator_id", f"the plan has no indicator {body['indicator_id']}")
    result, indicator = found
    if body.get("result_id") and body["result_id"] != result["result_id"]:
        raise DomainError("result_id", f"indicator {indicator['indicator_id']} belongs to result {result['result_id']}")
    check_period(body["period"], span_start, span_end)
    text = (body.get("text") or "").strip()
    if not text:
        raise DomainError("text", "must describe the action (not blank)")
    unit = indicator.get("target_unit")
    given_unit = (body.get("target_unit") or "").strip() or None
    if given_unit is not None and (unit is None or given_unit.casefold() != unit.strip().casefold()):
        raise DomainError(
            "target_unit",
            f"must be the indicator's unit ({unit})"
            if unit
            else "the indicator is narrative (no unit): leave it empty",
        )
    value = body.get("target_value")
    if indicator.get("target_value") is not None and value is None:
        raise DomainError("target_value", f"is required: the action's share of the indicator's target, in {unit}")
    if indicator.get("target_value") is None and value is not None:
        raise DomainError("target_value", "the indicator is narrative (no numeric target): leave it empty")
    return {
        "result_id": result["result_id"],
        "indicator_id": indicator["indicator_id"],
        "period": body["period"],
        "text": text,
        "target_value": float(value) if value is not None else None,
        "target_unit": unit if value is not None else None,
    }


def problems_against(content: dict, span_start: date, span_end: date, actions: list[dict]) -> list[tuple[str, str]]:
    """Every action of a set that no longer fits the plan (before a submission or an agreement)."""
    problems = []
    for action in actions:
        try:
            checked_action(content, span_start, span_end, action)
        except DomainError as exc:
            problems.append((f"actions.{action['action_id']}.{exc.field}", exc.message))
    return problems


def split_by_plan(
    content: dict, span_start: date, span_end: date, actions: list[dict]
) -> tuple[list[dict], list[dict]]:
    """(kept, dropped): an action is dropped when its indicator is gone from the plan, moved to another result, or
    its period no longer meets the plan's span."""
    known = indicators_of(content)
    kept, dropped = [], []
    for action in actions:
        found = known.get(action["indicator_id"])
        first, last = period_bounds(action["period"])
        fits = (
            found is not None
            and found[0]["result_id"] == action["result_id"]
            and last >= span_start
            and first <= span_end
        )
        (kept if fits else dropped).append(action)
    return kept, dropped
