"""The unit head's dashboard over the unit and its sub-units for a period (default: today's), computed from the
read models, so it reflects a new event as soon as it is consumed.

Cached on PostgreSQL (issue 22: <= 300 ms p99 at 8 clients for a unit of 1,000 employees). Computing it reads
every plan's year to date (~244,000 activity rows for 1,000 employees in December) and costs ~420-460 ms of CPU;
a unit head's console polls it, and between two changes of the unit's data the answer is the same. So the whole
answer is kept per worker, keyed on what it is computed from: the unit, the period, today's date, the period's
working days so far, the distribution's rounding, and the change stamps of the unit's subtree
(``unit_versions``, migration 0008). PostgreSQL triggers set a unit's stamp to a fresh sequence value in the
transaction of every write to a table the dashboard reads, for the units the written rows belong to only; the
dashboard reads its subtree's stamps through the ``unit_ancestors`` closure, in the same snapshot as the rest.
So a consumed event shows in the next view (its unit's stamp changed), a write in another unit does not
invalidate this one, and no code path can forget to bump (a replay, a rebuild, a bench loader all fire them).
The caller's part (``predicate_authority``: who may set the unit's predicate, and whether the caller may) is
computed on every request and put into the cached answer. The ETag is a digest of the same key and of that
part, so a polling console gets 304 without the dashboard being computed or sent.

Below the whole answer, each unit's own share is cached on that unit's stamp alone (``_Part``: its plans'
result summaries, its active staff, its entries awaiting verification, its planned employees' logged days):
after a write, the view reads again only the rows of the unit written (one sub-unit of tens of employees, in the
same statements whatever their number) and adds the parts up; a first view reads all of them. So a unit
logging all day (~10 entries a minute in a unit of 1,000) pays tens of milliseconds per view after each entry,
not the whole dashboard. The unit-wide figures that are cheap (evaluations by status, the distribution, the
dialogues, the unit's row) are read again on each recomputation.

Why stamps (option B, with per-unit parts) and not summary rows maintained by the event handlers (option A): the
figures depend on the period asked for, today's date and the working-day calendar (the year to date up to the
period's end, the compliance days so far), so per-plan rows would have to be kept per period of every scheme
and recomputed as days pass, by handlers that then know the figures' rules; the stamps know nothing of the
figures, are exact, cannot be forgotten by a write path, and cost one small upsert per write statement. SQLite
keeps no stamps: there the dashboard is computed on every request (no ETag). The caches live in each worker's memory and
are lost when it restarts (a restore from a backup stops the web first: docs/operations.md).
"""

from __future__ import annotations

import hashlib
import heapq
from dataclasses import dataclass

from kinerja_shared.db import is_postgres

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


@dataclass(frozen=True)
class _Part:
    """What one unit's own rows add to the dashboards of the units above it (and its own)."""

    staff: frozenset[str]  # its active employees
    plans: tuple  # (plan id, NIP, the plan's _summary) per plan of the unit overlapping the period
    pending: int  # entries awaiting verification in the period, on its plans
    logged: dict  # NIP -> working days with an entry, for the NIPs of its plans


# Per unit: (database URL, unit, its change stamp, period, last day counted, working days) -> _Part. A dashboard
# computed again after a write reads again only the units whose stamp changed. Bounded: cleared when full (a
# part holds its plans' summaries, shared with _SUMMARIES: a few KB for a sub-unit of ten employees).
_PARTS: dict[tuple, _Part] = {}
_PARTS_MAX = 10_000


def _parts(conn, scope: set[str], stamps, period: domain.Period, until, days: tuple) -> list[_Part]:
    """The parts of the units of ``scope``: the cached ones whose stamp is current, the others read (in one
    set of statements, whatever their number); ``stamps`` None (SQLite): all read, nothing kept."""
    stamp_of = dict(stamps or ())
    keys = {u: (str(conn.engine.url), u, stamp_of.get(u), period.id, period.end, until, days) for u in sorted(scope)}
    found = {u: _PARTS.get(key) if stamps is not None else None for u, key in keys.items()}
    missing = [u for u, part in found.items() if part is None]
    if missing:
        for unit_id, part in _read_parts(conn, missing, period, until, days).items():
            found[unit_id] = part
            if stamps is not None:
                if len(_PARTS) >= _PARTS_MAX:
                    _PARTS.clear()
                _PARTS[keys[unit_id]] = part
    return list(found.values())


def _read_parts(conn, unit_ids: list[str], period: domain.Period, until, days: tuple) -> dict[str, _Part]:
    plan_rows = queries.plans_in(conn, set(unit_ids), period)
    staff = directory.active_staff_by_unit(conn, set(unit_ids))
    sums = evaluations_store.activity_sums(conn, [p.id for p in plan_rows], period) if plan_rows else []
    measured = period_measurements(conn, plan_rows, period) if plan_rows else {}
    nips = {p.nip for p in plan_rows}
    logged = queries.logged_days(conn, nips, list(days), period.start, until) if nips else {}
    by_plan: dict[str, list] = {}
    for row in sums:
        by_plan.setdefault(row.plan_id, []).append(row)
    plans: dict[str, list] = {u: [] for u in unit_ids}
    for plan in plan_rows:
        plans[plan.unit_id].append(plan)
    return {
        u: _Part(
            staff=frozenset(staff.get(u, ())),
            plans=tuple((p.id, p.nip, _summary(p, period, by_plan.get(p.id, []), measured)) for p in plans[u]),
            pending=sum(int(r.n_in or 0) for p in plans[u] for r in by_plan.get(p.id, ()) if r.status == "pending"),
            logged={p.nip: logged[p.nip] for p in plans[u] if p.nip in logged},
        )
        for u in unit_ids
    }


def _realisation(plans: list, pending: int) -> dict:
    """Per result: the bands of its computed assessment, the averages, and the results furthest behind."""
    ranked, percents, expected = [], [], []
    bands = {"above": 0, "meets": 0, "below": 0, "no_data": 0, "unassessed": 0}
    for plan_id, nip, summary in plans:
        for band, mean, percent, result_id, kind, text in summary:
            bands[band] += 1
            if mean is not None:
                percents.append(mean)
            if percent is not None:
                expected.append(percent)
                ranked.append((percent, nip, plan_id, result_id, kind, text, mean))
    # the 20 furthest behind, as a stable sort on (percent of expected, NIP) would list them (heapq.nsmallest is
    # that), made into dicts only for those 20
    behind = heapq.nsmallest(20, ranked, key=lambda x: (x[0], x[1]))
    results = [
        {
            "nip": nip,
            "plan_id": plan_id,
            "result_id": result_id,
            "kind": kind,
            "text": text,
            "percent_of_expected": percent,
            "percent_of_target": round(mean, 1) if mean is not None else None,
        }
        for percent, nip, plan_id, result_id, kind, text, mean in behind
    ]
    return {
        "results": sum(bands.values()),
        "by_assessment": bands,
        "average_percent_of_target": round(sum(percents) / len(percents), 1) if percents else None,
        "average_percent_of_expected": round(sum(expected) / len(expected), 1) if expected else None,
        "pending_verification": pending,
        "furthest_behind": results,
    }


def _compliance(planned: set[str], logged: dict, working: int) -> dict:
    """Activity logging compliance: working days (KINERJA_WORKING_DAYS, KINERJA_HOLIDAYS) with an entry."""
    days_logged = sum(logged.values())
    return {
        "employees_with_plan": len(planned),
        "employees_logging": len(logged),
        "working_days": working,
        "days_logged": days_logged,
        "share": round(days_logged * 100 / (working * len(planned)), 1) if working and planned else None,
    }


@dataclass(frozen=True)
class DashboardAnswer:
    body: dict | None  # None: the caller's copy (If-None-Match) is current
    etag: str | None  # None on SQLite (no change stamps)


# Whole answers: (database URL, cache key) -> the body computed for it. Bounded: cleared when full.
_ANSWERS: dict[tuple, dict] = {}
_ANSWERS_MAX = 512


def unit_dashboard(uow, actor, unit_id: str, period_id: str | None, *, config, default_scheme: str) -> dict:
    """Plans approved, logging compliance, evaluations open/submitted/closed, the predicate distribution and the
    realisation against target per result, over the unit's subtree (the head of the unit or above, an admin)."""
    return dashboard_answer(uow, actor, unit_id, period_id, config=config, default_scheme=default_scheme).body


def dashboard_answer(
    uow, actor, unit_id: str, period_id: str | None, *, config, default_scheme: str, known=()
) -> DashboardAnswer:
    """The dashboard with its ETag; no body when the ETag is in ``known`` (the request's If-None-Match)."""
    conn = uow.conn
    access.require_unit(uow, actor, unit_id, "see its dashboard")
    today = uow.today()
    period = (
        parse_period(period_id)
        if period_id
        else domain.period_containing(today, periods.scheme_of(uow, today.year, default_scheme)[0])
    )
    authority = access.predicate_authority(uow, actor, unit_id)
    if not is_postgres(conn):
        return DashboardAnswer(_computed(uow, actor, unit_id, period, today, config, None), None)
    days = tuple(config.calendar.working_days(period.start, min(today, period.end)))
    stamps = directory.subtree_versions(conn, unit_id)
    key = (unit_id, tuple(period.as_dict().items()), today, days, config.distribution_rounding, stamps)
    etag = hashlib.blake2b(repr((key, authority)).encode(), digest_size=16).hexdigest()
    if etag in known:
        return DashboardAnswer(None, etag)
    body = _ANSWERS.get((str(conn.engine.url), key))
    if body is None:
        body = _computed(uow, actor, unit_id, period, today, config, stamps)
        if len(_ANSWERS) >= _ANSWERS_MAX:
            _ANSWERS.clear()
        _ANSWERS[(str(conn.engine.url), key)] = body
    return DashboardAnswer({**body, "predicates": {**body["predicates"], "predicate_authority": authority}}, etag)


def _computed(uow, actor, unit_id: str, period: domain.Period, today, config, stamps) -> dict:
    from .units import distribution

    conn = uow.conn
    scope = directory.subtree(conn, {unit_id})
    unit = directory.unit(conn, unit_id)
    until = min(today, period.end)
    days = tuple(config.calendar.working_days(period.start, until))
    parts = _parts(conn, scope, stamps, period, until, days)
    plans = sorted((plan for part in parts for plan in part.plans), key=lambda plan: plan[0])
    planned = {nip for _, nip, _ in plans}
    people = set().union(*(part.staff for part in parts)) | planned
    logged = {nip: n for part in parts for nip, n in part.logged.items()}
    by_status = queries.by_status(conn, period.id, scope)
    predicates = distribution(uow, actor, unit_id, period, config.distribution_rounding)
    predicates.pop("_predicates")
    return {
        "unit_id": unit_id,
        "unit_name": unit.name if unit else None,
        "units": len(scope),
        "period": period.as_dict(),
        "employees": len(people),
        "plans": {"approved": len(planned), "employees": len(people), "share": _share(len(planned), len(people))},
        "activity_compliance": _compliance(planned, logged, len(days)),
        "evaluations": {
            "open": by_status.get("open", 0),
            "submitted": by_status.get("submitted", 0),
            "closed": by_status.get("closed", 0),
            "total": sum(by_status.values()),
        },
        "predicates": predicates,
        "dialogues": dialogue_store.held(conn, scope, period.id, people),
        "realisation": _realisation(plans, sum(part.pending for part in parts)),
    }
