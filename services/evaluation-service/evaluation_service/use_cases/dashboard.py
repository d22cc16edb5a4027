"""The unit head's dashboard over the unit and its sub-units for a period (default: today's), computed from the
read models, so it reflects a new event as soon as it is consumed."""

from __future__ import annotations

from .. import access, dialogue_store, domain, evaluations_store
from .. import directory_queries as directory
from .. import units_queries as queries
from ..evaluation_views import parse_period, results_view
from ..realisation_queries import period_measurements
from . import periods


def _share(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _realisation(plan_rows, period: domain.Period, sums, measured: dict) -> dict:
    """Per result: the bands of its computed assessment, the averages, and the results furthest behind."""
    by_plan: dict[str, list] = {}
    for s in sums:
        by_plan.setdefault(s.plan_id, []).append(s)
    results, percents, expected = [], [], []
    bands = {"above": 0, "meets": 0, "below": 0, "no_data": 0, "unassessed": 0}
    for plan in plan_rows:
        for r in results_view(plan, period, by_plan.get(plan.id, []), {}, [], measured):
            bands[r["computed_assessment"] or ("no_data" if r["level"] == domain.NO_DATA else "unassessed")] += 1
            targets = [i["percent_of_target"] for i in r["indicators"] if i["percent_of_target"] is not None]
            if targets:
                percents.append(sum(targets) / len(targets))
            if r["percent"] is not None:
                expected.append(r["percent"])
                results.append(
                    {
                        "nip": plan.nip,
                        "plan_id": plan.id,
                        "result_id": r["result_id"],
                        "kind": r["kind"],
                        "text": r["text"],
                        "percent_of_expected": r["percent"],
                        "percent_of_target": round(sum(targets) / len(targets), 1) if targets else None,
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
    logged = queries.days_logged(uow.conn, planned, working_days) if planned and working_days else {}
    days_logged = sum(logged.values())
    logging = queries.logging(uow.conn, planned, period.start, until) if planned else set()
    return {
        "employees_with_plan": len(planned),
        "employees_logging": len(logging),
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
