"""Per result of an evaluation form, its agreed actions (rencana aksi) with their targets and what was realised.

Beside each indicator's realisation (``domain``), the form shows the actions of the agreed set in force whose
month or quarter meets the evaluated period, each with its small target and the verified (accepted) quantity
logged against it: a simple sum, against the action's own target. Entries awaiting verification are counted
apart; rejected and withdrawn ones count nowhere.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from kinerja_shared.agreed_actions import period_bounds
from kinerja_shared.numbers import finite

from . import domain, realisation_queries


def percent(realised: float, target) -> float | None:
    target = finite(target)
    if not target or target <= 0:
        return None
    return round(realised / target * 100, 1)


def of_plan(conn: Connection, plan_id: str, period: domain.Period) -> dict[str, list[dict]]:
    """result_id -> the actions of the plan's agreed set whose period meets ``period``, with their realisation."""
    planned = [
        a
        for a in realisation_queries.agreed_actions_of(conn, plan_id)
        if period_bounds(a.period)[0] <= period.end and period_bounds(a.period)[1] >= period.start
    ]
    if not planned:
        return {}
    sums = realisation_queries.action_sums(conn, plan_id, [a.action_id for a in planned])
    out: dict[str, list[dict]] = {}
    for a in planned:
        s = sums.get(a.action_id)
        realised = round(finite(s.realised) or 0.0, 6) if s is not None else 0.0
        out.setdefault(a.result_id, []).append(
            {
                "action_id": a.action_id,
                "indicator_id": a.indicator_id,
                "period": a.period,
                "text": a.text,
                "target_value": finite(a.target_value),
                "target_unit": a.target_unit,
                "realised": realised,
                "pending_entries": int(s.pending or 0) if s is not None else 0,
                "percent": percent(realised, a.target_value),
            }
        )
    return out


def attach(conn: Connection, plan_id: str, period: domain.Period, results: list[dict]) -> None:
    """Add ``actions`` to each result of a form's results view."""
    by_result = of_plan(conn, plan_id, period)
    for result in results:
        result["actions"] = by_result.get(result["result_id"], [])
