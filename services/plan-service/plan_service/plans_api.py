"""HTTP API of performance plans (SKP): /api/v1/plans and everything below it.

Access by relation (checked on every request from this service's own data):
- the owner (the plan's NIP) reads their plans and edits, submits their drafts;
- the named rater reads the plans they rate, approves or returns them, decides amendments;
- the rater's superior reads them;
- the head of a unit by the directory (units.head_nip, or an acting head, Plt./Plh., whose span
  includes today; never a token's claims) reads the plans of that unit and every unit below it;
- an admin does all; every change is audited with the actor's roles.
A plan the caller may not read answers 404 (its existence is not disclosed); one they may
read but not act on answers 403.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from flask_smorest import Blueprint
from sqlalchemy import or_, select, update

from kinerja_shared.db import utcnow
from kinerja_shared.outbox import publish
from kinerja_shared.web.app_factory import current_principal, runtime
from kinerja_shared.web.etag import check_if_match, etag_for, if_match_documented, require_if_match
from kinerja_shared.web.pagination import decode_cursor, encode_cursor
from kinerja_shared.web.problems import Conflict, Forbidden, NotFound, PreconditionFailed, Problem, field_error

from . import action_plans_store, domain, events, store
from .config import current_config
from .models import employees, plan_amendments, plan_revisions, plans
from .schemas import (SupportableOut, SupportableQuery, AmendmentIn, AmendmentList, AmendmentOut, BulkApproveIn, BulkApproveOut, CascadeOut, CascadeQuery,
                      CompletionOut, CompletionQuery, CopyIn, DecisionIn, PlanContentIn, PlanIn, PlanOut, PlanPage, PlanPatch, PlanQuery,
                      RejectIn, ReturnIn, RevisionList, RevisionOut)
from .web import errors, headed_units, item_problem, next_status, rules, transition_conflict, violations

plans_blp = Blueprint("plans", __name__, url_prefix="/api/v1/plans",
                      description="Performance plans (SKP): drafting, submission, approval, return, amendments and "
                                  "revisions, copies, bulk approval, the cascade (Matriks Peran Hasil) and completion monitoring.")

NOT_FOUND = (404, "No such plan (or not visible to you)")
STALE = (412, "Stale If-Match")


# -- shapes --------------------------------------------------------------------------------------

def plan_out(row) -> dict:
    out = dict(row._mapping)
    content = out.pop("content")
    out.update(results=content["results"], behaviours=content["behaviours"], attachments=content.get("attachments") or {})
    return out


def _headers(row, created: bool = False) -> dict:
    headers = {"ETag": etag_for(row.id, row.version)}
    if created:
        headers["Location"] = f"/api/v1/plans/{row.id}"
    return headers


def _short_id() -> str:
    return uuid.uuid4().hex[:12]


def with_ids(results: list[dict], *, fresh: bool = False, keep_cascade: bool = True) -> list[dict]:
    """Results and indicators with their ids: kept when given (edits), new ones otherwise (or always, ``fresh``)."""
    out = []
    for result in results:
        r = {k: result.get(k) for k in ("result_id", "kind", "text", "perspective", "supports_result_id")}
        r["result_id"] = _short_id() if fresh or not r["result_id"] else r["result_id"]
        if not keep_cascade:
            r["supports_result_id"] = None
        r["indicators"] = [
            {**{k: i.get(k) for k in ("indicator_id", "aspect", "text", "target_value", "target_unit", "measure",
                                      "deadline_day")},
             "indicator_id": _short_id() if fresh or not i.get("indicator_id") else i["indicator_id"]}
            for i in result["indicators"]
        ]
        out.append(r)
    return out


def _behaviours(items: list[dict]) -> list[dict]:
    return [{"value": b["value"], "expectation": b.get("expectation") or ""} for b in items]


def _content(results, behaviours, attachments) -> dict:
    return {"results": results, "behaviours": _behaviours(behaviours), "attachments": dict(attachments or {})}


# -- checks --------------------------------------------------------------------------------------

def _visible(conn, plan_id: str, *, for_update: bool = False):
    row = store.load_plan(conn, plan_id, for_update=for_update)
    if row is None:
        raise NotFound(f"plan {plan_id} does not exist")
    rel = store.relation(current_principal(), row, headed_units(conn))
    if not rel.may_read:
        raise NotFound(f"plan {plan_id} does not exist")
    return row, rel


def check_content(conn, *, year: int, rater_nip: str | None, approach: str, model: str, results: list[dict],
                  behaviours: list[dict], require_cascade: bool) -> None:
    """The structure rules and the cascade (against the rater's approved plan of the year): 422 with every field."""
    problems = domain.plan_content_problems(approach, model, results, behaviours)
    rp = store.rater_plan(conn, rater_nip, year)
    problems += domain.cascade_problems(
        model, results, rater_nip=rater_nip, rater_plan_id=rp.id if rp else None,
        rater_results={r["result_id"]: r for r in rp.content["results"]} if rp else None, year=year, require=require_cascade)
    if problems:
        raise violations(problems)


def _employee(conn, nip: str, field: str = "nip"):
    emp = conn.execute(select(employees).where(employees.c.nip == nip)).first()
    if emp is None:
        raise field_error(field, f"{nip} is not in the org directory; ask BKPSDM to import it")
    if not emp.active:
        raise field_error(field, f"{nip} is not an active employee")
    return emp


def _no_open_plan(conn, nip: str, year: int) -> None:
    existing = store.open_plan(conn, nip, year)
    if existing is not None:
        raise Conflict(f"{nip} already has a plan for {year} ({existing.id}, {existing.status}); edit or amend it instead",
                       title="A plan for this year exists", plan_id=existing.id, current_status=existing.status)


def _new_plan_row(emp, *, year: int, span: domain.Span, approach: str, model: str, content: dict, now,
                  template_id: str | None = None, copied_from: str | None = None) -> dict:
    return dict(
        id=str(uuid.uuid4()), nip=emp.nip, year=year, period_start=span.start, period_end=span.end, approach=approach,
        model=model, status=domain.DRAFT, rater_nip=emp.rater_nip, rater_superior_nip=emp.rater_superior_nip,
        unit_id=emp.unit_id, content=content, revision=1, version=1, return_reason=None, created_at=now, updated_at=now,
        submitted_at=None, approved_at=None, position=emp.position, functional_coefficient=emp.functional_coefficient,
        approved_by=None, closed_at=None, closed_reason=None, template_id=template_id, copied_from_plan_id=copied_from)


# -- drafting ------------------------------------------------------------------------------------

@plans_blp.route("", methods=["POST"])
@plans_blp.arguments(PlanIn)
@plans_blp.response(201, PlanOut)
@errors(plans_blp, (409, "The employee already has a plan in force for that year"),
        (422, "Invalid plan content, span or cascade link"))
def create_plan(body):
    """Draft a plan (SKP). An employee drafts their own; an admin may draft for anyone.

    One plan in force (draft, submitted or approved) per employee and year; after a transfer
    the new post's plan starts on the transfer's effective date. A ``supports_result_id`` must
    name a result of the rater's approved plan for the year.
    """
    p = current_principal()
    nip = body.get("nip") or p.sub
    if nip != p.sub and not p.is_admin:
        raise Forbidden("You may draft only your own plan.")
    results = with_ids(body["results"])
    now = utcnow()
    with runtime().engine.begin() as conn:
        emp = _employee(conn, nip)
        _no_open_plan(conn, nip, body["year"])
        with rules():
            span = domain.plan_span(body["year"], body["period_start"], body["period_end"],
                                    not_before=store.new_post_since(conn, nip, body["year"]))
        check_content(conn, year=body["year"], rater_nip=emp.rater_nip, approach=body["approach"], model=body["model"],
                      results=results, behaviours=body["behaviours"], require_cascade=False)
        row = _new_plan_row(emp, year=body["year"], span=span, approach=body["approach"], model=body["model"],
                            content=_content(results, body["behaviours"], body["attachments"]), now=now)
        conn.execute(plans.insert().values(**row))
        created = store.load_plan(conn, row["id"])
        store.audit_many(conn, p, [{"action": "plan.created", "entity_type": "plan", "entity_id": row["id"],
                                    "before": None, "after": store.plan_snapshot(created), "reason": None}])
    return plan_out(created), 201, _headers(created, created=True)


def _edit(plan_id: str, body: dict, *, replace: bool):
    p = current_principal()
    with runtime().engine.begin() as conn:
        row, rel = _visible(conn, plan_id, for_update=True)
        if not (rel.owner or rel.admin):
            raise Forbidden("Only the plan's owner edits a draft.")
        next_status("edit", row.status)
        require_if_match(plan_id, row.version)
        content = row.content
        current = {"approach": row.approach, "model": row.model, "period_start": row.period_start,
                   "period_end": row.period_end, "results": content["results"], "behaviours": content["behaviours"],
                   "attachments": content.get("attachments") or {}}
        if replace:
            merged = dict(body)
        else:
            merged = {**current, **{k: v for k, v in body.items() if k != "attachments"}}
            if "attachments" in body:
                merged["attachments"] = {**current["attachments"], **body["attachments"]}
        results = with_ids(merged["results"])
        with rules():
            span = domain.plan_span(row.year, merged.get("period_start"), merged.get("period_end"),
                                    not_before=store.new_post_since(conn, row.nip, row.year))
        check_content(conn, year=row.year, rater_nip=row.rater_nip, approach=merged["approach"], model=merged["model"],
                      results=results, behaviours=merged["behaviours"], require_cascade=False)
        conn.execute(update(plans).where(plans.c.id == plan_id).values(
            approach=merged["approach"], model=merged["model"], period_start=span.start, period_end=span.end,
            content=_content(results, merged["behaviours"], merged.get("attachments")), version=row.version + 1,
            updated_at=utcnow()))
        updated = store.load_plan(conn, plan_id)
        store.audit_many(conn, p, [{"action": "plan.edited", "entity_type": "plan", "entity_id": plan_id,
                                    "before": store.plan_snapshot(row), "after": store.plan_snapshot(updated), "reason": None}])
    return plan_out(updated), 200, _headers(updated)


@plans_blp.route("/<plan_id>", methods=["PUT"])
@plans_blp.arguments(PlanContentIn)
@plans_blp.response(200, PlanOut)
@errors(plans_blp, NOT_FOUND, (409, "Not a draft"), (422, "Invalid plan content, span or cascade link"))
@if_match_documented(plans_blp)
def replace_plan(body, plan_id):
    """Replace a draft's content (its owner, or an admin). Send If-Match with the ETag you read."""
    return _edit(plan_id, body, replace=True)


@plans_blp.route("/<plan_id>", methods=["PATCH"])
@plans_blp.arguments(PlanPatch)
@plans_blp.response(200, PlanOut)
@errors(plans_blp, NOT_FOUND, (409, "Not a draft"), (422, "Invalid plan content, span or cascade link"))
@if_match_documented(plans_blp)
def patch_plan(body, plan_id):
    """Change some fields of a draft (its owner, or an admin); attachments merge by key. Send If-Match."""
    return _edit(plan_id, body, replace=False)


@plans_blp.route("/<plan_id>/copy", methods=["POST"])
@plans_blp.arguments(CopyIn)
@plans_blp.response(201, PlanOut)
@errors(plans_blp, NOT_FOUND, (409, "The employee already has a plan in force for that year"),
        (422, "Unknown or inactive employee, or a span outside the year"))
def copy_plan(body, plan_id):
    """Copy a plan (typically last year's) into a new draft for the given year (default: the next).

    Results, indicators, behaviours and attachments are copied with new ids; the cascade links
    are cleared (they named last year's rater plan); the rater and unit come from the directory.
    """
    p = current_principal()
    now = utcnow()
    with runtime().engine.begin() as conn:
        source, _ = _visible(conn, plan_id)
        nip = body.get("nip") or source.nip
        if nip != p.sub and not p.is_admin:
            raise Forbidden("You may copy a plan only into your own new draft.")
        year = body.get("year") or source.year + 1
        if year > 2100:
            raise field_error("year", "must be at most 2100")
        emp = _employee(conn, nip)
        _no_open_plan(conn, nip, year)
        with rules():
            span = domain.plan_span(year, None, None, not_before=store.new_post_since(conn, nip, year))
        results = with_ids(source.content["results"], fresh=True, keep_cascade=False)
        behaviours = source.content["behaviours"]
        check_content(conn, year=year, rater_nip=emp.rater_nip, approach=source.approach, model=source.model,
                      results=results, behaviours=behaviours, require_cascade=False)
        row = _new_plan_row(emp, year=year, span=span, approach=source.approach, model=source.model,
                            content=_content(results, behaviours, source.content.get("attachments")), now=now,
                            copied_from=source.id)
        conn.execute(plans.insert().values(**row))
        created = store.load_plan(conn, row["id"])
        store.audit_many(conn, p, [{"action": "plan.copied", "entity_type": "plan", "entity_id": row["id"], "before": None,
                                    "after": store.plan_snapshot(created), "reason": f"copied from plan {source.id} ({source.year})"}])
    return plan_out(created), 201, _headers(created, created=True)


# -- reading -------------------------------------------------------------------------------------

@plans_blp.route("")
@plans_blp.arguments(PlanQuery, location="query")
@plans_blp.response(200, PlanPage)
@errors(plans_blp, (422, "Bad filter or cursor"))
def list_plans(args):
    """List plans the caller may see, filtered by nip, rater, unit, status, year; newest first."""
    p = current_principal()
    query = select(plans).order_by(plans.c.created_at.desc(), plans.c.id.desc())
    for name in ("nip", "rater_nip", "unit_id", "status", "year"):
        if args.get(name) is not None:
            query = query.where(plans.c[name] == args[name])
    with runtime().engine.connect() as conn:
        clause = store.visible_clause(p, headed_units(conn))
        if clause is not None:
            query = query.where(clause)
        if args.get("cursor"):
            created, _, last_id = decode_cursor(args["cursor"]).partition("|")
            try:
                created_at = datetime.fromisoformat(created)
            except ValueError:
                raise field_error("cursor", "is not one this service gave out", status=400) from None
            query = query.where(or_(plans.c.created_at < created_at,
                                    (plans.c.created_at == created_at) & (plans.c.id < last_id)))
        rows = conn.execute(query.limit(args["limit"] + 1)).all()
    more = len(rows) > args["limit"]
    rows = rows[: args["limit"]]
    cursor = encode_cursor(f"{rows[-1].created_at.isoformat()}|{rows[-1].id}") if more else None
    return {"items": [plan_out(r) for r in rows], "next_cursor": cursor}


@plans_blp.route("/<plan_id>")
@plans_blp.response(200, PlanOut)
@errors(plans_blp, NOT_FOUND)
def get_plan(plan_id):
    """Read one plan (its owner, rater, rater's superior, the head of a unit above it, or an admin)."""
    with runtime().engine.connect() as conn:
        row, _ = _visible(conn, plan_id)
    return plan_out(row), 200, _headers(row)


# -- the status machine ----------------------------------------------------------------------------

def _may_submit(rel):
    if not (rel.owner or rel.admin):
        raise Forbidden("Only the plan's owner may submit it.")


def _may_decide(rel):
    if not (rel.rater or rel.admin):
        raise Forbidden("Only the plan's rater (pejabat penilai) may do this.")


def _approve_values(conn, row, now) -> dict:
    emp = conn.execute(select(employees.c.position, employees.c.functional_coefficient)
                       .where(employees.c.nip == row.nip)).first()
    values = dict(approved_at=now, approved_by=current_principal().sub)
    if emp is not None:
        values.update(position=emp.position, functional_coefficient=emp.functional_coefficient)
    return values


def _transition(plan_id: str, action: str, *, may, reason: str | None = None):
    p = current_principal()
    now = utcnow()
    with runtime().engine.begin() as conn:
        row, rel = _visible(conn, plan_id, for_update=True)
        may(rel)
        check_if_match(plan_id, row.version)
        status = next_status(action, row.status)
        values = dict(status=status, version=row.version + 1, updated_at=now)
        if action in ("submit", "approve"):
            check_content(conn, year=row.year, rater_nip=row.rater_nip, approach=row.approach, model=row.model,
                          results=row.content["results"], behaviours=row.content["behaviours"], require_cascade=True)
        if action == "submit":
            values["submitted_at"] = now
        elif action == "approve":
            values.update(_approve_values(conn, row, now))
        elif action == "return":
            values["return_reason"] = reason
        conn.execute(update(plans).where(plans.c.id == plan_id).values(**values))
        updated = store.load_plan(conn, plan_id)
        if action == "approve":
            store.record_revision(conn, updated, kind="approval", reason=None, actor=p.sub)
        store.audit_many(conn, p, [{"action": f"plan.{action}", "entity_type": "plan", "entity_id": plan_id,
                                    "before": {"status": row.status, "version": row.version},
                                    "after": {"status": status, "version": updated.version,
                                              "revision": updated.revision}, "reason": reason}])
        publish(conn, _event(action, updated))
    return plan_out(updated), 200, _headers(updated)


def _event(action: str, plan) -> dict:
    event = events.for_transition(action, plan)
    if event["type"] == "PlanApproved":
        event["data"]["approved_by"] = store.as_nip(plan.approved_by)
    return event


@plans_blp.route("/<plan_id>/submit", methods=["POST"])
@plans_blp.response(200, PlanOut)
@errors(plans_blp, NOT_FOUND, (409, "Status does not allow submitting"), STALE,
        (422, "Content no longer valid, or a main JA_JF result supports no result of the rater's approved plan"))
def submit_plan(plan_id):
    """Submit a draft to the rater (draft → submitted); publishes PlanSubmitted.

    Once the rater's plan for the year is approved, every main result of a JA_JF plan must
    support one of its results (the cascade).
    """
    return _transition(plan_id, "submit", may=_may_submit)


@plans_blp.route("/<plan_id>/approve", methods=["POST"])
@plans_blp.response(200, PlanOut)
@errors(plans_blp, NOT_FOUND, (409, "Status does not allow approving"), STALE, (422, "Cascade link no longer valid"))
def approve_plan(plan_id):
    """Approve a submitted plan (the rater); keeps revision 1 and publishes PlanApproved with the whole plan."""
    return _transition(plan_id, "approve", may=_may_decide)


@plans_blp.route("/<plan_id>/return", methods=["POST"])
@plans_blp.arguments(ReturnIn)
@plans_blp.response(200, PlanOut)
@errors(plans_blp, NOT_FOUND, (409, "Status does not allow returning"), STALE, (422, "Reason missing"))
def return_plan(body, plan_id):
    """Return a submitted plan to draft with the rater's reason; publishes PlanReturned."""
    return _transition(plan_id, "return", may=_may_decide, reason=body["reason"])


@plans_blp.route("/approve", methods=["POST"])
@plans_blp.arguments(BulkApproveIn)
@plans_blp.response(207, BulkApproveOut)
@errors(plans_blp, (422, "Malformed or too long list"))
def approve_bulk(body):
    """Approve many submitted plans at once (the rater); each succeeds or fails on its own (207).

    ``results`` has one item per request item, in order: ``status`` 200 with the approved
    ``plan``, or 403/404/409/412/422 with a ``problem``. One transaction; PlanApproved for each.
    """
    p = current_principal()
    items = body["items"]  # at most domain.MAX_BULK_APPROVE_ITEMS: BulkApproveIn checks it, and documents it as maxItems
    now = utcnow()
    results, to_publish, audit_rows = [], [], []
    with runtime().engine.begin() as conn:
        ids = sorted({item["id"] for item in items})
        query = select(plans).where(plans.c.id.in_(ids)).order_by(plans.c.id)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        rows = {r.id: r for r in conn.execute(query)}
        headed = headed_units(conn)
        for index, item in enumerate(items):
            row = rows.get(item["id"])
            try:
                if row is None:
                    raise NotFound(f"plan {item['id']} does not exist")
                rel = store.relation(p, row, headed)
                if not rel.may_read:
                    raise NotFound(f"plan {item['id']} does not exist")
                _may_decide(rel)
                if item.get("version") is not None and item["version"] != row.version:
                    raise PreconditionFailed(f"plan {row.id} changed since you read it (current version {row.version})",
                                             title="Stale version", current_version=row.version)
                status = next_status("approve", row.status)
                check_content(conn, year=row.year, rater_nip=row.rater_nip, approach=row.approach, model=row.model,
                              results=row.content["results"], behaviours=row.content["behaviours"], require_cascade=True)
                conn.execute(update(plans).where(plans.c.id == row.id).values(
                    status=status, version=row.version + 1, updated_at=now, **_approve_values(conn, row, now)))
                updated = store.load_plan(conn, row.id)
                store.record_revision(conn, updated, kind="approval", reason=None, actor=p.sub)
                rows[row.id] = updated
                to_publish.append(_event("approve", updated))
                audit_rows.append({"action": "plan.approve", "entity_type": "plan", "entity_id": row.id,
                                   "before": {"status": row.status, "version": row.version},
                                   "after": {"status": status, "version": updated.version, "revision": updated.revision},
                                   "reason": "bulk approval"})
                results.append({"index": index, "id": row.id, "status": 200, "plan": plan_out(updated), "problem": None})
            except Problem as problem:
                results.append({"index": index, "id": item["id"], "status": problem.status, "plan": None,
                                "problem": item_problem(problem)})
        publish(conn, *to_publish)
        store.audit_many(conn, p, audit_rows)
    return {"results": results, "approved": len(to_publish), "failed": len(results) - len(to_publish)}, 207


# -- amendments and revisions ----------------------------------------------------------------------

def amendment_out(row, plan=None) -> dict:
    out = dict(row._mapping)
    content = out.pop("content")
    out.update(results=content["results"], behaviours=content["behaviours"], attachments=content.get("attachments") or {},
               plan=plan_out(plan) if plan is not None else None)
    return out


def _amendment(conn, plan_id: str, amendment_id: str, *, for_update: bool = False):
    query = select(plan_amendments).where(plan_amendments.c.id == amendment_id, plan_amendments.c.plan_id == plan_id)
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"amendment {amendment_id} of plan {plan_id} does not exist")
    return row


def _amendment_status(action: str, current: str) -> str:
    try:
        return domain.next_amendment_status(action, current)
    except domain.TransitionError as exc:
        raise transition_conflict(exc, current) from None


@plans_blp.route("/<plan_id>/amendments", methods=["POST"])
@plans_blp.arguments(AmendmentIn)
@plans_blp.response(201, AmendmentOut)
@errors(plans_blp, NOT_FOUND, (409, "The plan is not approved, or an amendment is already pending"), STALE,
        (422, "Invalid content, span or cascade link; reason missing"))
def propose_amendment(body, plan_id):
    """Propose an amendment of an approved plan, with a reason (its owner or its rater).

    The body is the whole new content (as for a draft); an empty span keeps the plan's span.
    Keep the ids of results and indicators that stay, so activities logged against them stay linked.
    The plan keeps its current revision in force until the rater approves.
    """
    p = current_principal()
    now = utcnow()
    with runtime().engine.begin() as conn:
        row, rel = _visible(conn, plan_id, for_update=True)
        if not (rel.owner or rel.rater or rel.admin):
            raise Forbidden("Only the plan's owner or rater may propose an amendment.")
        check_if_match(plan_id, row.version)
        next_status("amend", row.status)
        pending = conn.execute(select(plan_amendments.c.id).where(plan_amendments.c.plan_id == plan_id,
                                                                  plan_amendments.c.status == domain.PROPOSED)).first()
        if pending is not None:
            raise Conflict(f"amendment {pending.id} is already pending; withdraw it or wait for the rater's decision",
                           title="An amendment is pending", amendment_id=pending.id, current_status=domain.PROPOSED)
        results = with_ids(body["results"])
        with rules():
            span = domain.plan_span(row.year, body["period_start"] or row.period_start, body["period_end"] or row.period_end,
                                    not_before=store.new_post_since(conn, row.nip, row.year))
        check_content(conn, year=row.year, rater_nip=row.rater_nip, approach=body["approach"], model=body["model"],
                      results=results, behaviours=body["behaviours"], require_cascade=True)
        values = dict(id=str(uuid.uuid4()), plan_id=plan_id, status=domain.PROPOSED, base_revision=row.revision,
                      reason=body["reason"], approach=body["approach"], model=body["model"], period_start=span.start,
                      period_end=span.end, content=_content(results, body["behaviours"], body["attachments"]),
                      proposed_by=p.sub, proposed_at=now, decided_by=None, decided_at=None, decision_reason=None,
                      resulting_revision=None, version=1)
        conn.execute(plan_amendments.insert().values(**values))
        created = _amendment(conn, plan_id, values["id"])
        store.audit_many(conn, p, [{"action": "plan.amendment_proposed", "entity_type": "plan", "entity_id": plan_id,
                                    "before": store.plan_snapshot(row),
                                    "after": {"amendment_id": values["id"], "approach": values["approach"],
                                              "model": values["model"], "period_start": span.start,
                                              "period_end": span.end, "content": values["content"]},
                                    "reason": body["reason"]}])
    return amendment_out(created), 201, {"ETag": etag_for(created.id, created.version),
                                         "Location": f"/api/v1/plans/{plan_id}/amendments/{created.id}"}


@plans_blp.route("/<plan_id>/amendments")
@plans_blp.response(200, AmendmentList)
@errors(plans_blp, NOT_FOUND)
def list_amendments(plan_id):
    """The plan's amendments, oldest first (proposed, approved, rejected, withdrawn, cancelled)."""
    with runtime().engine.connect() as conn:
        _visible(conn, plan_id)
        rows = conn.execute(select(plan_amendments).where(plan_amendments.c.plan_id == plan_id)
                            .order_by(plan_amendments.c.proposed_at, plan_amendments.c.id)).all()
    return {"items": [amendment_out(r) for r in rows]}


@plans_blp.route("/<plan_id>/amendments/<amendment_id>")
@plans_blp.response(200, AmendmentOut)
@errors(plans_blp, (404, "No such plan or amendment"))
def get_amendment(plan_id, amendment_id):
    """One amendment with its proposed content."""
    with runtime().engine.connect() as conn:
        _visible(conn, plan_id)
        row = _amendment(conn, plan_id, amendment_id)
    return amendment_out(row), 200, {"ETag": etag_for(row.id, row.version)}


@plans_blp.route("/<plan_id>/amendments/<amendment_id>/approve", methods=["POST"])
@plans_blp.arguments(DecisionIn)
@plans_blp.response(200, AmendmentOut)
@errors(plans_blp, (404, "No such plan or amendment"), (409, "The amendment is not pending, or the plan is no longer approved"),
        STALE, (422, "The new content breaks the cascade"))
def approve_amendment(body, plan_id, amendment_id):
    """Approve a pending amendment (the rater): the plan takes the new content as revision + 1.

    Every revision stays viewable under /revisions; publishes PlanAmended with the whole new
    revision and the reason.
    """
    p = current_principal()
    now = utcnow()
    with runtime().engine.begin() as conn:
        row, rel = _visible(conn, plan_id, for_update=True)
        amendment = _amendment(conn, plan_id, amendment_id, for_update=True)
        _may_decide(rel)
        check_if_match(amendment_id, amendment.version)
        status = _amendment_status("approve", amendment.status)
        next_status("amend", row.status)
        check_content(conn, year=row.year, rater_nip=row.rater_nip, approach=amendment.approach, model=amendment.model,
                      results=amendment.content["results"], behaviours=amendment.content["behaviours"], require_cascade=True)
        revision = row.revision + 1
        conn.execute(update(plans).where(plans.c.id == plan_id).values(
            approach=amendment.approach, model=amendment.model, period_start=amendment.period_start,
            period_end=amendment.period_end, content=amendment.content, revision=revision, version=row.version + 1,
            updated_at=now))
        conn.execute(update(plan_amendments).where(plan_amendments.c.id == amendment_id).values(
            status=status, decided_by=p.sub, decided_at=now, decision_reason=body.get("reason"),
            resulting_revision=revision, version=amendment.version + 1))
        updated = store.load_plan(conn, plan_id)
        store.record_revision(conn, updated, kind="amendment", reason=amendment.reason, actor=p.sub,
                              amendment_id=amendment_id)
        publish(conn, events.plan_amended(updated, reason=amendment.reason, kind="amendment", amended_at=now,
                                          amended_by=p.sub, amendment_id=amendment_id))
        action_plans_store.on_plan_amended(conn, updated, actor=p, now=now)  # actions on removed indicators go
        store.audit_many(conn, p, [{"action": "plan.amended", "entity_type": "plan", "entity_id": plan_id,
                                    "before": store.plan_snapshot(row),
                                    "after": {**store.plan_snapshot(updated), "amendment_id": amendment_id},
                                    "reason": amendment.reason}])
        decided = _amendment(conn, plan_id, amendment_id)
    return amendment_out(decided, updated), 200, {"ETag": etag_for(decided.id, decided.version)}


def _close_amendment(plan_id: str, amendment_id: str, action: str, reason: str | None):
    p = current_principal()
    with runtime().engine.begin() as conn:
        _, rel = _visible(conn, plan_id, for_update=True)
        amendment = _amendment(conn, plan_id, amendment_id, for_update=True)
        if action == "reject":
            _may_decide(rel)
        elif not (amendment.proposed_by == p.sub or rel.owner or rel.admin):
            raise Forbidden("Only who proposed the amendment, the plan's owner or an admin may withdraw it.")
        check_if_match(amendment_id, amendment.version)
        status = _amendment_status(action, amendment.status)
        conn.execute(update(plan_amendments).where(plan_amendments.c.id == amendment_id).values(
            status=status, decided_by=p.sub, decided_at=utcnow(), decision_reason=reason, version=amendment.version + 1))
        store.audit_many(conn, p, [{"action": f"plan.amendment_{status}", "entity_type": "plan", "entity_id": plan_id,
                                    "before": {"amendment_id": amendment_id, "status": amendment.status},
                                    "after": {"amendment_id": amendment_id, "status": status}, "reason": reason}])
        decided = _amendment(conn, plan_id, amendment_id)
    return amendment_out(decided), 200, {"ETag": etag_for(decided.id, decided.version)}


@plans_blp.route("/<plan_id>/amendments/<amendment_id>/reject", methods=["POST"])
@plans_blp.arguments(RejectIn)
@plans_blp.response(200, AmendmentOut)
@errors(plans_blp, (404, "No such plan or amendment"), (409, "The amendment is not pending"), STALE, (422, "Reason missing"))
def reject_amendment(body, plan_id, amendment_id):
    """Reject a pending amendment with a reason (the rater); the plan stays as it is."""
    return _close_amendment(plan_id, amendment_id, "reject", body["reason"])


@plans_blp.route("/<plan_id>/amendments/<amendment_id>/withdraw", methods=["POST"])
@plans_blp.arguments(DecisionIn)
@plans_blp.response(200, AmendmentOut)
@errors(plans_blp, (404, "No such plan or amendment"), (409, "The amendment is not pending"), STALE, (422, "Bad reason"))
def withdraw_amendment(body, plan_id, amendment_id):
    """Withdraw a pending amendment (who proposed it, or the plan's owner)."""
    return _close_amendment(plan_id, amendment_id, "withdraw", body.get("reason"))


def revision_out(row) -> dict:
    out = dict(row._mapping)
    content = out.pop("content")
    out.update(results=content["results"], behaviours=content["behaviours"], attachments=content.get("attachments") or {})
    return out


@plans_blp.route("/<plan_id>/revisions")
@plans_blp.response(200, RevisionList)
@errors(plans_blp, NOT_FOUND)
def list_revisions(plan_id):
    """Every approved revision of the plan, whole, oldest first (approval, amendments, rater changes, transfer)."""
    with runtime().engine.connect() as conn:
        _visible(conn, plan_id)
        rows = conn.execute(select(plan_revisions).where(plan_revisions.c.plan_id == plan_id)
                            .order_by(plan_revisions.c.revision)).all()
    return {"items": [revision_out(r) for r in rows]}


@plans_blp.route("/<plan_id>/revisions/<int:revision>")
@plans_blp.response(200, RevisionOut)
@errors(plans_blp, (404, "No such plan or revision"))
def get_revision(plan_id, revision):
    """One revision of the plan, whole."""
    with runtime().engine.connect() as conn:
        _visible(conn, plan_id)
        row = None if revision > 2**31 - 1 else conn.execute(select(plan_revisions).where(plan_revisions.c.plan_id == plan_id,
                                                        plan_revisions.c.revision == revision)).first()
    if row is None:
        raise NotFound(f"plan {plan_id} has no revision {revision}")
    return revision_out(row)


# -- the cascade view (Matriks Peran Hasil) --------------------------------------------------------

@plans_blp.route("/<plan_id>/cascade")
@plans_blp.arguments(CascadeQuery, location="query")
@plans_blp.response(200, CascadeOut)
@errors(plans_blp, NOT_FOUND, (422, "Unknown result_id or bad depth"))
def cascade(args, plan_id):
    """For each result of the plan (or one, ``result_id``), the subordinates' results that support it,
    down the tree (BKN's Matriks Peran Hasil): the plans rated by the plan's owner for the same
    year whose results name it in ``supports_result_id``, then theirs, ``depth`` levels down."""
    statuses = [domain.APPROVED] + ([domain.DRAFT, domain.SUBMITTED] if args["include_unapproved"] else [])
    with runtime().engine.connect() as conn:
        root, _ = _visible(conn, plan_id)
        results = root.content["results"]
        if args.get("result_id"):
            results = [r for r in results if r["result_id"] == args["result_id"]]
            if not results:
                raise field_error("result_id", f"plan {plan_id} has no result {args['result_id']}")
        people = {}

        def node(plan, result) -> dict:
            return {"plan_id": plan.id, "nip": plan.nip, "name": None, "position": plan.position, "unit_id": plan.unit_id,
                    "status": plan.status, "result": result, "supported_by": []}

        top = [node(root, r) for r in results]
        level = {root.nip: (root, {n["result"]["result_id"]: n for n in top})}
        seen = {root.id}
        all_nodes = list(top)
        for _ in range(args["depth"]):
            children = conn.execute(select(plans).where(plans.c.rater_nip.in_(sorted(level)), plans.c.year == root.year,
                                                        plans.c.status.in_(statuses)).order_by(plans.c.nip)).all()
            next_level = {}
            for child in children:
                if child.id in seen:
                    continue
                seen.add(child.id)
                _, parent_nodes = level[child.rater_nip]
                mine = {}
                for result in child.content["results"]:
                    parent = parent_nodes.get(result.get("supports_result_id") or "")
                    if parent is not None:
                        n = node(child, result)
                        parent["supported_by"].append(n)
                        all_nodes.append(n)
                        mine[result["result_id"]] = n
                if mine:
                    next_level[child.nip] = (child, mine)
            if not next_level:
                break
            level = next_level
        nips = sorted({n["nip"] for n in all_nodes})
        if nips:
            people = dict(conn.execute(select(employees.c.nip, employees.c.name).where(employees.c.nip.in_(nips))).all())
    for n in all_nodes:
        n["name"] = people.get(n["nip"])
    return {"plan_id": root.id, "nip": root.nip, "year": root.year, "results": top}


# -- what a new plan can support (the rater's results) -----------------------------------------------

@plans_blp.route("/supportable-results")
@plans_blp.arguments(SupportableQuery, location="query")
@plans_blp.response(200, SupportableOut)
@errors(plans_blp, (404, "No such employee"), (422, "Bad NIP or year"))
def supportable_results(args):
    """The results of the employee's rater's approved plan for the year: what each main result of a
    JA_JF plan names in ``supports_result_id`` (intervensi, the cascade), so an employee can draft
    without reading the rater's whole plan. For the employee, their rater and rater's superior,
    the head of their unit (or above) and admins. Empty, with ``detail``, while the rater has no
    approved plan (then results need not name one)."""
    p = current_principal()
    nip = args.get("nip") or p.sub
    year = args.get("year") or current_config().today().year
    with runtime().engine.connect() as conn:
        person = conn.execute(select(employees).where(employees.c.nip == nip)).first()
        if person is None:
            raise NotFound(f"employee {nip} is not in the directory")
        if not (p.is_admin or p.sub in (person.nip, person.rater_nip, person.rater_superior_nip)
                or person.unit_id in headed_units(conn)):
            raise Forbidden("Only the employee, their rater, the head of their unit or an admin may see this.")
        rater = conn.execute(select(employees.c.name).where(employees.c.nip == person.rater_nip)).scalar() \
            if person.rater_nip else None
        plan = store.rater_plan(conn, person.rater_nip, year)
    body = {"nip": nip, "year": year, "rater_nip": person.rater_nip, "rater_name": rater, "plan_id": None,
            "revision": None, "required": plan is not None, "results": [], "detail": None}
    if plan is None:
        body["detail"] = (f"{nip} has no rater in the directory" if not person.rater_nip else
                          f"the rater {person.rater_nip} has no approved plan for {year} yet")
        return body
    body.update(plan_id=plan.id, revision=plan.revision, results=[
        {k: r.get(k) for k in ("result_id", "kind", "text", "perspective", "indicators")} for r in plan.content["results"]])
    return body


# -- completion monitoring -------------------------------------------------------------------------

@plans_blp.route("/completion")
@plans_blp.arguments(CompletionQuery, location="query")
@plans_blp.response(200, CompletionOut)
@errors(plans_blp, (404, "No such unit"), (422, "Bad filter or cursor"))
def completion(args):
    """Who has no approved plan for the year yet, against the deadline (PLAN_DEADLINE, default 31 January).

    For the head of a unit (its whole subtree) and admins (any unit, or everyone). Counts the
    active employees, the approved plans (and those approved after the deadline), and lists the
    missing ones with the status of the plan they have, if any.
    """
    p = current_principal()
    cfg = current_config()
    today = cfg.today()
    year = args.get("year") or today.year
    deadline = cfg.deadline_for(year)
    with runtime().engine.connect() as conn:
        unit_id = args.get("unit_id")
        if unit_id:
            unit_rows = store.all_units(conn)
            if unit_id not in unit_rows:
                raise NotFound(f"unit {unit_id} does not exist")
            if not p.is_admin and unit_id not in headed_units(conn):
                raise Forbidden("Only the head of this unit (or of a unit above it) or an admin may monitor it.")
            scope = store.subtree(conn, {unit_id}, unit_rows)
        elif p.is_admin:
            scope = None
        else:
            scope = headed_units(conn)
            if not scope:
                raise Forbidden("Completion monitoring is for unit heads and admins.")
        query = select(employees.c.nip, employees.c.name, employees.c.position, employees.c.unit_id, employees.c.rater_nip) \
            .where(employees.c.active.is_(True)).order_by(employees.c.nip)
        if scope is not None:
            query = query.where(employees.c.unit_id.in_(sorted(scope)))
        people = conn.execute(query).all()
        plan_query = select(plans.c.nip, plans.c.id, plans.c.status, plans.c.approved_at).where(
            plans.c.year == year, plans.c.status != domain.CLOSED)
        if scope is not None:
            plan_query = plan_query.where(plans.c.nip.in_([r.nip for r in people]))
        found = {r.nip: r for r in conn.execute(plan_query)}
    approved = late = 0
    missing = []
    for person in people:
        plan = found.get(person.nip)
        if plan is not None and plan.status == domain.APPROVED:
            approved += 1
            if plan.approved_at is not None and plan.approved_at.astimezone(cfg.timezone).date() > deadline:
                late += 1
            continue
        missing.append({"nip": person.nip, "name": person.name, "position": person.position, "unit_id": person.unit_id,
                        "rater_nip": person.rater_nip, "plan_id": plan.id if plan else None,
                        "plan_status": plan.status if plan else None})
    after = decode_cursor(args["cursor"]) if args.get("cursor") else None
    page = [m for m in missing if after is None or m["nip"] > after]
    more = len(page) > args["limit"]
    page = page[: args["limit"]]
    return {"unit_id": unit_id, "year": year, "deadline": deadline, "as_of": today, "overdue": today > deadline,
            "employees": len(people), "approved": approved, "approved_late": late, "missing": len(missing), "items": page,
            "next_cursor": encode_cursor(page[-1]["nip"]) if more and page else None}

