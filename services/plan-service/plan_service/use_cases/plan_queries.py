"""Queries of plans: lists, one plan, its amendments and revisions, the cascade (Matriks Peran Hasil), what a
new plan can support, and completion monitoring. Each checks who may read (access) and returns plain data."""

from __future__ import annotations

from datetime import datetime

from kinerja_shared.errors import NotFound, field_error

from .. import access, domain, plans_store, relations_store, store
from .amendments import amendment_of

FILTERS = ("nip", "rater_nip", "unit_id", "status", "year")


def list_plans(uow, actor, filters: dict, *, after: tuple[datetime, str] | None, limit: int) -> tuple[list, bool]:
    """The plans the caller may see matching ``filters``, newest first: (rows, whether more follow)."""
    headed = access.headed_units(uow.conn, actor, uow.today())
    rows = plans_store.list_plans(
        uow.conn,
        filters={k: filters[k] for k in FILTERS if filters.get(k) is not None},
        visible=relations_store.visible_clause(actor, headed),
        after=after,
        limit=limit + 1,
    )
    return rows[:limit], len(rows) > limit


def get_plan(uow, actor, plan_id: str):
    return access.readable_plan(uow.conn, actor, plan_id, today=uow.today())[0]


def list_amendments(uow, actor, plan_id: str) -> list:
    access.readable_plan(uow.conn, actor, plan_id, today=uow.today())
    return plans_store.amendments(uow.conn, plan_id)


def get_amendment(uow, actor, plan_id: str, amendment_id: str):
    access.readable_plan(uow.conn, actor, plan_id, today=uow.today())
    return amendment_of(uow.conn, plan_id, amendment_id)


def list_revisions(uow, actor, plan_id: str) -> list:
    access.readable_plan(uow.conn, actor, plan_id, today=uow.today())
    return plans_store.revisions(uow.conn, plan_id)


def get_revision(uow, actor, plan_id: str, revision: int):
    access.readable_plan(uow.conn, actor, plan_id, today=uow.today())
    row = None if revision > 2**31 - 1 else plans_store.revision(uow.conn, plan_id, revision)
    if row is None:
        raise NotFound(f"plan {plan_id} has no revision {revision}")
    return row


def cascade(uow, actor, plan_id: str, *, result_id: str | None, depth: int, include_unapproved: bool) -> dict:
    """For each result of the plan (or one), the subordinates' results that support it, ``depth`` levels down:
    the plans rated by the plan's owner for the same year whose results name it in ``supports_result_id``."""
    conn = uow.conn
    statuses = [domain.APPROVED] + ([domain.DRAFT, domain.SUBMITTED] if include_unapproved else [])
    root, _ = access.readable_plan(conn, actor, plan_id, today=uow.today())
    results = root.content["results"]
    if result_id:
        results = [r for r in results if r["result_id"] == result_id]
        if not results:
            raise field_error("result_id", f"plan {plan_id} has no result {result_id}")
    top = [_node(root, r) for r in results]
    level = {root.nip: {n["result"]["result_id"]: n for n in top}}
    seen, all_nodes = {root.id}, list(top)
    for _ in range(depth):
        level = _next_level(plans_store.rated_plans(conn, sorted(level), root.year, statuses), level, seen, all_nodes)
        if not level:
            break
    people = plans_store.names(conn, sorted({n["nip"] for n in all_nodes}))
    for n in all_nodes:
        n["name"] = people.get(n["nip"])
    return {"plan_id": root.id, "nip": root.nip, "year": root.year, "results": top}


def _node(plan, result) -> dict:
    return {
        "plan_id": plan.id,
        "nip": plan.nip,
        "name": None,
        "position": plan.position,
        "unit_id": plan.unit_id,
        "status": plan.status,
        "result": result,
        "supported_by": [],
    }


def _next_level(children, level: dict, seen: set, all_nodes: list) -> dict:
    next_level = {}
    for child in children:
        if child.id in seen:
            continue
        seen.add(child.id)
        parent_nodes, mine = level[child.rater_nip], {}
        for result in child.content["results"]:
            parent = parent_nodes.get(result.get("supports_result_id") or "")
            if parent is not None:
                n = _node(child, result)
                parent["supported_by"].append(n)
                all_nodes.append(n)
                mine[result["result_id"]] = n
        if mine:
            next_level[child.nip] = mine
    return next_level


def supportable_results(uow, actor, *, nip: str | None, year: int | None) -> dict:
    """The results of the employee's rater's approved plan for the year (what a JA_JF main result supports)."""
    conn = uow.conn
    nip = nip or actor.sub
    year = year or uow.today().year
    person = plans_store.employee(conn, nip)
    if person is None:
        raise NotFound(f"employee {nip} is not in the directory")
    access.may_see_supportable(actor, person, access.headed_units(conn, actor, uow.today()))
    rater = plans_store.employee_name(conn, person.rater_nip)
    plan = store.rater_plan(conn, person.rater_nip, year)
    body = {
        "nip": nip,
        "year": year,
        "rater_nip": person.rater_nip,
        "rater_name": rater,
        "plan_id": None,
        "revision": None,
        "required": plan is not None,
        "results": [],
        "detail": None,
    }
    if plan is None:
        body["detail"] = (
            f"{nip} has no rater in the directory"
            if not person.rater_nip
            else f"the rater {person.rater_nip} has no approved plan for {year} yet"
        )
        return body
    body.update(
        plan_id=plan.id,
        revision=plan.revision,
        results=[
            {k: r.get(k) for k in ("result_id", "kind", "text", "perspective", "indicators")}
            for r in plan.content["results"]
        ],
    )
    return body


def completion(uow, actor, config, *, unit_id: str | None, year: int | None, after: str | None, limit: int) -> dict:
    """Who has no approved plan for the year yet, against the deadline (``config.deadline_for``): counts and
    the missing employees by NIP after ``after`` (``next_after`` when more follow)."""
    conn, today = uow.conn, uow.today()
    year = year or today.year
    deadline = config.deadline_for(year)
    scope = access.completion_scope(conn, actor, unit_id, today=today)
    people = plans_store.active_employees(conn, scope)
    found = plans_store.plans_of_year(conn, year, [r.nip for r in people] if scope is not None else None)
    approved = late = 0
    missing = []
    for person in people:
        plan = found.get(person.nip)
        if plan is not None and plan.status == domain.APPROVED:
            approved += 1
            if plan.approved_at is not None and plan.approved_at.astimezone(config.timezone).date() > deadline:
                late += 1
            continue
        missing.append(
            {
                "nip": person.nip,
                "name": person.name,
                "position": person.position,
                "unit_id": person.unit_id,
                "rater_nip": person.rater_nip,
                "plan_id": plan.id if plan else None,
                "plan_status": plan.status if plan else None,
            }
        )
    page = [m for m in missing if after is None or m["nip"] > after]
    more = len(page) > limit
    page = page[:limit]
    return {
        "unit_id": unit_id,
        "year": year,
        "deadline": deadline,
        "as_of": today,
        "overdue": today > deadline,
        "employees": len(people),
        "approved": approved,
        "approved_late": late,
        "missing": len(missing),
        "items": page,
        "next_after": page[-1]["nip"] if more and page else None,
    }
