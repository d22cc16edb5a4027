"""The unit head's dashboard over the unit and its sub-units for a period (default: today's), computed from the
read models, so it reflects a new event as soon as it is consumed."""

from __future__ import annotations

import hashlib

from .. import access, dialogue_store, domain, evaluations_store
from .. import directory_queries as directory
from .. import units_queries as queries
from ..evaluation_views import parse_period, results_view
from ..realisation_queries import period_measurements
from . import periods


def _share(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


# Per plan, what the dashboard shows of its results, memoised on everything it is computed from (the plan's span
# and results (by a digest, so a large plan's JSON is not kept twice), the period's end, the plan's sums and
# measurements): a dashboard viewed again recomputes only the plans whose activities changed. Bounded: cleared
# when full (one worker's memory: tens of MB at most).
_SUMMARIES: dict[tuple, list[tuple]] = {}
_SUMMARIES_MAX = 20_000


def _summary(plan, period: domain.Period, sums: list, measured: dict) -> list[tuple]:
    """(band, mean percent of target, percent of expected, result id, kind, text) per result of the plan."""
    mine = tuple(
        tuple(measured.get((plan.id, i["indicator_id"]), ())) for r in plan.results for i in r.get("indicators", [])
    )
    results = hashlib.blake2b(repr(plan.results).encode(), digest_size=16).digest()
    key = (plan.id, plan.period_start, plan.period_end, results, period.end, tuple(map(tuple, sums)), mine)
    found = _SUMMARIES.get(key)
    if found is None:
        found = []
        for r in results_view(plan, period, sums, {}, [], measured):
            targets = [i["percent_of_target"] for i in r["indicators"] if i["percent_of_target"] is not None]
            band = r["computed_assessment"] or ("no_data" if r["level"] == domain.NO_DATA else "unassessed")
            mean = sum(targets) / len(targets) if targets else None
            found.append((band, mean, r["percent"], r["result_id"], r["kind"], r["text"]))
        if len(_SUMMARIES) >= _SUMMARIES_MAX:
            _SUMMARIES.clear()
        _SUMMARIES[key] = found
    return found


def _realisation(plan_rows, period: domain.Period, sums, measured: dict) -> dict:
    """Per result: the bands of its computed assessment, the averages, and the results furthest behind."""
    by_plan: dict[str, list] = {}
    for s in sums:
        by_plan.setdefault(s.plan_id, []).append(s)
    results, percents, expected = [], [], []
    bands = {"above": 0, "meets": 0, "below": 0, "no_data": 0, "unassessed": 0}
    for plan in plan_rows:
        for band, mean, percent, result_id, kind, text in _summary(plan, period, by_plan.get(plan.id, []), measured):
            bands[band] += 1
            if mean is not None:
                percents.append(mean)
            if percent is not None:
                expected.append(percent)
                results.append(
                    {
                        "nip": plan.nip,
                        "plan_id": plan.id,
                        "result_id": result_id,
                        "kind": kind,
                        "text": text,
                        "percent_of_expected": percent,
                        "percent_of_target": round(mean, 1) if mean is not None else None,
                    }
                )
    results.sort(key=lambda x: (x["percent_of_expected"], x["nip"]))
    return {
        "results": sum(bands.values()),
        "by_assessment": bands,
        "average_percent_of_target": round(sum(percents) / len(percents), 1) if percents else None,
        "average_percent_of_expected": round(sum(expected) / len(expected), 1) if expected else None,
        "pending_verification": sum(int(s.n_in or 0) for s in sums if s.status == "pending"),
        "furthest_behind": results[:20],
    }


def _compliance(uow, planned: set[str], period: domain.Period, today, calendar) -> dict:
    """Activity logging compliance: working days (KINERJA_WORKING_DAYS, KINERJA_HOLIDAYS) with an entry."""
    until = min(today, period.end)
    working_days = calendar.working_days(period.start, until)
    working = len(working_days)
    logged = queries.logged_days(uow.conn, planned, working_days, period.start, until) if planned else {}
    days_logged = sum(logged.values())
    return {
        "employees_with_plan": len(planned),
        "employees_logging": len(logged),
        "working_days": working,
        "days_logged": days_logged,
        "share": round(days_logged * 100 / (working * len(planned)), 1) if working and planned else None,
    }


def unit_dashboard(uow, actor, unit_id: str, period_id: str | None, *, config, default_scheme: str) -> dict:
    """Plans approved, logging compliance, evaluations open/submitted/closed, the predicate distribution and the
    realisation against target per result, over the unit's subtree (the head of the unit or above, an admin)."""
    from .units import distribution

    conn = uow.conn
    access.require_unit(uow, actor, unit_id, "see its dashboard")
    today = uow.today()
    period = (
        parse_period(period_id)
        if period_id
        else domain.period_containing(today, periods.scheme_of(uow, today.year, default_scheme)[0])
    )
    scope = directory.subtree(conn, {unit_id})
    unit = directory.unit(conn, unit_id)
    plan_rows = queries.plans_in(conn, scope, period)
    planned = {p.nip for p in plan_rows}
    people = directory.active_staff(conn, scope) | planned
    by_status = queries.by_status(conn, period.id, scope)
    predicates = distribution(uow, actor, unit_id, period, config.distribution_rounding)
    predicates.pop("_predicates")
    sums = evaluations_store.activity_sums(conn, [p.id for p in plan_rows], period) if plan_rows else []
    measured = period_measurements(conn, plan_rows, period) if plan_rows else {}
    return {
        "unit_id": unit_id,
        "unit_name": unit.name if unit else None,
        "units": len(scope),
        "period": period.as_dict(),
        "employees": len(people),
        "plans": {"approved": len(planned), "employees": len(people), "share": _share(len(planned), len(people))},
        "activity_compliance": _compliance(uow, planned, period, today, config.calendar),
        "evaluations": {
            "open": by_status.get("open", 0),
            "submitted": by_status.get("submitted", 0),
            "closed": by_status.get("closed", 0),
            "total": sum(by_status.values()),
        },
        "predicates": predicates,
        "dialogues": dialogue_store.held(conn, scope, period.id, people),
        "realisation": _realisation(plan_rows, period, sums, measured),
    }
