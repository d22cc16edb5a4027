"""Use cases of plans (SKP): draft, edit, copy, and the status machine (submit, approve, return, bulk approval).

Each takes the unit of work, the caller (a Principal) and plain values, and returns the plan's row as
stored. ``check_version(entity_id, version)``, when given, is the caller's optimistic-concurrency check
(the routes pass the If-Match check; handlers and tests may pass none).
"""

from __future__ import annotations

from collections.abc import Callable

from kinerja_shared.errors import DomainError, NotFound, PreconditionFailed, field_error

from .. import access, domain, events, plans_store, relations_store, store
from ..refusals import rules
from .plan_content import active_employee, check_content, check_plan, content, new_plan_row, no_open_plan, with_ids

VersionCheck = Callable[[str, int], None] | None


def checked_version(check_version: VersionCheck, entity_id: str, version: int) -> None:
    """The caller's optimistic-concurrency check of ``entity_id`` at ``version``, when it gave one."""
    if check_version is not None:
        check_version(entity_id, version)


def _audit(uow, actor, action: str, plan_id: str, before, after, reason: str | None = None) -> None:
    uow.audit(
        actor=actor, action=action, entity_type="plan", entity_id=plan_id, before=before, after=after, reason=reason
    )


# -- drafting --------------------------------------------------------------------------------------------


def create_plan(uow, actor, body: dict):
    """Draft a plan (the employee their own; an admin anyone's): one plan in force per employee and year."""
    conn, year = uow.conn, body["year"]
    nip = body.get("nip") or actor.sub
    access.may_draft_for(actor, nip)
    results = with_ids(body["results"])
    emp = active_employee(conn, nip)
    no_open_plan(conn, nip, year)
    with rules():
        span = domain.plan_span(
            year, body["period_start"], body["period_end"], not_before=store.new_post_since(conn, nip, year)
        )
    check_content(
        conn,
        year=year,
        rater_nip=emp.rater_nip,
        approach=body["approach"],
        model=body["model"],
        results=results,
        behaviours=body["behaviours"],
        require_cascade=False,
    )
    row = new_plan_row(
        emp,
        year=year,
        span=span,
        approach=body["approach"],
        model=body["model"],
        content=content(results, body["behaviours"], body["attachments"]),
        now=uow.now(),
    )
    plans_store.insert_plan(conn, row)
    created = store.load_plan(conn, row["id"])
    _audit(uow, actor, "plan.created", row["id"], None, store.plan_snapshot(created))
    return created


def edit_plan(uow, actor, plan_id: str, body: dict, *, replace: bool, check_version: VersionCheck = None):
    """Change a draft (its owner or an admin): ``replace`` the whole content, or patch some fields
    (attachments merge by key)."""
    conn = uow.conn
    row, rel = access.readable_plan(conn, actor, plan_id, today=uow.today(), for_update=True)
    access.may_edit(rel)
    domain.next_status("edit", row.status)
    checked_version(check_version, plan_id, row.version)
    current = {
        "approach": row.approach,
        "model": row.model,
        "period_start": row.period_start,
        "period_end": row.period_end,
        "results": row.content["results"],
        "behaviours": row.content["behaviours"],
        "attachments": row.content.get("attachments") or {},
    }
    if replace:
        merged = dict(body)
    else:
        merged = {**current, **{k: v for k, v in body.items() if k != "attachments"}}
        if "attachments" in body:
            merged["attachments"] = {**current["attachments"], **body["attachments"]}
    results = with_ids(merged["results"])
    with rules():
        span = domain.plan_span(
            row.year,
            merged.get("period_start"),
            merged.get("period_end"),
            not_before=store.new_post_since(conn, row.nip, row.year),
        )
    check_content(
        conn,
        year=row.year,
        rater_nip=row.rater_nip,
        approach=merged["approach"],
        model=merged["model"],
        results=results,
        behaviours=merged["behaviours"],
        require_cascade=False,
    )
    plans_store.update_plan(
        conn,
        plan_id,
        approach=merged["approach"],
        model=merged["model"],
        period_start=span.start,
        period_end=span.end,
        content=content(results, merged["behaviours"], merged.get("attachments")),
        version=row.version + 1,
        updated_at=uow.now(),
    )
    updated = store.load_plan(conn, plan_id)
    _audit(uow, actor, "plan.edited", plan_id, store.plan_snapshot(row), store.plan_snapshot(updated))
    return updated


def copy_plan(uow, actor, plan_id: str, body: dict):
    """Copy a plan into a new draft for ``year`` (default: the next): new ids, no cascade links, the
    rater and unit from the directory."""
    conn = uow.conn
    source, _ = access.readable_plan(conn, actor, plan_id, today=uow.today())
    nip = body.get("nip") or source.nip
    access.may_copy_into(actor, nip)
    year = body.get("year") or source.year + 1
    if year > 2100:
        raise field_error("year", "must be at most 2100")
    emp = active_employee(conn, nip)
    no_open_plan(conn, nip, year)
    with rules():
        span = domain.plan_span(year, None, None, not_before=store.new_post_since(conn, nip, year))
    results = with_ids(source.content["results"], fresh=True, keep_cascade=False)
    behaviours = source.content["behaviours"]
    check_content(
        conn,
        year=year,
        rater_nip=emp.rater_nip,
        approach=source.approach,
        model=source.model,
        results=results,
        behaviours=behaviours,
        require_cascade=False,
    )
    row = new_plan_row(
        emp,
        year=year,
        span=span,
        approach=source.approach,
        model=source.model,
        content=content(results, behaviours, source.content.get("attachments")),
        now=uow.now(),
        copied_from=source.id,
    )
    plans_store.insert_plan(conn, row)
    created = store.load_plan(conn, row["id"])
    _audit(
        uow,
        actor,
        "plan.copied",
        row["id"],
        None,
        store.plan_snapshot(created),
        f"copied from plan {source.id} ({source.year})",
    )
    return created


# -- the status machine ------------------------------------------------------------------------------------


def _approve_values(conn, actor, row, now) -> dict:
    emp = plans_store.employee(conn, row.nip)
    values = dict(approved_at=now, approved_by=actor.sub)
    if emp is not None:
        values.update(position=emp.position, functional_coefficient=emp.functional_coefficient)
    return values


def _event(action: str, plan) -> dict:
    event = events.for_transition(action, plan)
    if event["type"] == "PlanApproved":
        event["data"]["approved_by"] = store.as_nip(plan.approved_by)
    return event


def _transition(
    uow, actor, plan_id: str, action: str, *, may, reason: str | None = None, check_version: VersionCheck = None
):
    conn, now = uow.conn, uow.now()
    row, rel = access.readable_plan(conn, actor, plan_id, today=uow.today(), for_update=True)
    may(rel)
    checked_version(check_version, plan_id, row.version)
    status = domain.next_status(action, row.status)
    values = dict(status=status, version=row.version + 1, updated_at=now)
    if action in ("submit", "approve"):
        check_plan(conn, row)
    if action == "submit":
        values["submitted_at"] = now
    elif action == "approve":
        values.update(_approve_values(conn, actor, row, now))
    elif action == "return":
        values["return_reason"] = reason
    plans_store.update_plan(conn, plan_id, **values)
    updated = store.load_plan(conn, plan_id)
    if action == "approve":
        store.record_revision(conn, updated, kind="approval", reason=None, actor=actor.sub, now=now)
    _audit(
        uow,
        actor,
        f"plan.{action}",
        plan_id,
        {"status": row.status, "version": row.version},
        {"status": status, "version": updated.version, "revision": updated.revision},
        reason,
    )
    uow.publish(_event(action, updated))
    return updated


def submit_plan(uow, actor, plan_id: str, *, check_version: VersionCheck = None):
    """Submit a draft to the rater (draft → submitted; the owner): PlanSubmitted."""
    return _transition(uow, actor, plan_id, "submit", may=access.may_submit, check_version=check_version)


def approve_plan(uow, actor, plan_id: str, *, check_version: VersionCheck = None):
    """Approve a submitted plan (the rater): revision 1 kept whole, PlanApproved with the whole plan."""
    return _transition(uow, actor, plan_id, "approve", may=access.may_decide, check_version=check_version)


def return_plan(uow, actor, plan_id: str, reason: str, *, check_version: VersionCheck = None):
    """Return a submitted plan to draft with the rater's reason: PlanReturned."""
    return _transition(uow, actor, plan_id, "return", may=access.may_decide, reason=reason, check_version=check_version)


def approve_plans(uow, actor, items: list[dict]) -> dict:
    """Approve many submitted plans (the rater); each succeeds or fails on its own.

    ``results``: per item in order, ``status`` 200 with the approved ``plan`` (a row), or the refusal's
    status with ``problem`` (the DomainError). PlanApproved for each approved plan.
    """
    conn, now = uow.conn, uow.now()
    rows = plans_store.lock_plans(conn, [item["id"] for item in items])
    headed = access.headed_units(conn, actor, uow.today())
    results, approved = [], 0
    for index, item in enumerate(items):
        try:
            updated = _approve_one(uow, actor, rows.get(item["id"]), item, headed, now)
        except DomainError as problem:
            results.append(
                {"index": index, "id": item["id"], "status": problem.status, "plan": None, "problem": problem}
            )
            continue
        rows[updated.id] = updated
        approved += 1
        results.append({"index": index, "id": updated.id, "status": 200, "plan": updated, "problem": None})
    return {"results": results, "approved": approved, "failed": len(results) - approved}


def _approve_one(uow, actor, row, item: dict, headed: set[str], now):
    conn = uow.conn
    rel = relations_store.relation(actor, row, headed) if row is not None else None
    if rel is None or not rel.may_read:
        raise NotFound(f"plan {item['id']} does not exist")
    access.may_decide(rel)
    if item.get("version") is not None and item["version"] != row.version:
        raise PreconditionFailed(
            f"plan {row.id} changed since you read it (current version {row.version})",
            title="Stale version",
            current_version=row.version,
        )
    status = domain.next_status("approve", row.status)
    check_plan(conn, row)
    plans_store.update_plan(
        conn, row.id, status=status, version=row.version + 1, updated_at=now, **_approve_values(conn, actor, row, now)
    )
    updated = store.load_plan(conn, row.id)
    store.record_revision(conn, updated, kind="approval", reason=None, actor=actor.sub, now=now)
    uow.publish(_event("approve", updated))
    _audit(
        uow,
        actor,
        "plan.approve",
        row.id,
        {"status": row.status, "version": row.version},
        {"status": status, "version": updated.version, "revision": updated.revision},
        "bulk approval",
    )
    return updated
