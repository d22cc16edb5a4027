"""HTTP API of action plans (rencana aksi): /api/v1/plans/{plan_id}/actions, /api/v1/plans/{plan_id}/action-plan
and /api/v1/plans/action-plans (the sets a caller may see, e.g. a rater's to agree).

Access, by the plan (plans_api's rules): its owner proposes (adds, edits, removes actions while the set is a
draft; submits; opens an amendment of the agreed set); its rater agrees or returns the submitted set; the
rater's superior and the heads of the plan's unit and the units above it read; an admin does all. A plan the
caller may not read is a 404, an action they may not take a 403.
"""
from __future__ import annotations

import uuid
from datetime import date

from flask_smorest import Blueprint
from sqlalchemy import func, select

from kinerja_shared.db import utcnow
from kinerja_shared.web.app_factory import current_principal, runtime
from kinerja_shared.web.etag import check_if_match, etag_for, if_match_documented, require_if_match
from kinerja_shared.web.pagination import decode_cursor, encode_cursor
from kinerja_shared.web.problems import Conflict, Forbidden, NotFound, field_error

from . import action_plans as ap
from . import action_plans_messages  # noqa: F401  (the texts in Bahasa Indonesia)
from . import action_plans_store as aps
from . import domain, store
from .action_plans_schemas import (ActionIn, ActionOut, ActionPage, ActionPatch, ActionPlanAmendIn, ActionPlanOut,
                                   ActionPlanPage, ActionPlanQuery, ActionPlanReturnIn, ActionPlanVersionList, ActionQuery)
from .models import action_plans, employees, plan_actions, plans
from .plans_api import _visible
from .web import errors, headed_units, rules, transition_conflict, violations

action_plans_blp = Blueprint("action_plans", __name__, url_prefix="/api/v1",
                             description="Action plans (rencana aksi): per approved plan, result and month or quarter, "
                                         "the actions the employee will take; proposed by the employee, agreed by the "
                                         "rater, changed by recorded amendments (ActionPlanAgreed).")

NOT_FOUND = (404, "No such plan or action (or not visible to you)")
STALE = (412, "Stale If-Match")
NOT_APPROVED = (409, "The plan is not approved, or the set's status does not allow this")


# -- shapes ------------------------------------------------------------------------------------

def etag_id(plan_id: str) -> str:
    return f"{plan_id}-actions"


def action_out(row, plan_id: str) -> dict:
    m = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
    return {**aps.action_dict(m), "plan_id": plan_id, "version": m.get("version"), "created_at": m.get("created_at"),
            "updated_at": m.get("updated_at")}


def span_periods(start: date, end: date) -> dict:
    months = [f"{y:04d}-{m:02d}" for y in range(start.year, end.year + 1) for m in range(1, 13)
              if (y, m) >= (start.year, start.month) and (y, m) <= (end.year, end.month)]
    quarters = sorted({f"{p[:4]}-Q{(int(p[5:]) - 1) // 3 + 1}" for p in months})
    return {"months": months, "quarters": quarters}


def set_out(conn, plan, state) -> dict:
    working = aps.working_set(conn, plan.id)
    current = aps.agreed(conn, plan.id, state.agreed_version) if state is not None else None
    return {
        "plan_id": plan.id, "nip": plan.nip, "rater_nip": plan.rater_nip, "year": plan.year, "plan_status": plan.status,
        "plan_revision": plan.revision, "status": state.status if state else ap.DRAFT, "version": state.version if state else 0,
        "agreed_version": state.agreed_version if state else 0,
        "amending": bool(state and state.agreed_version and state.status != ap.AGREED),
        "amendment_reason": state.amendment_reason if state else None, "return_reason": state.return_reason if state else None,
        "submitted_at": state.submitted_at if state else None, "agreed_at": state.agreed_at if state else None,
        "agreed_by": state.agreed_by if state else None, "dropped": (state.dropped or []) if state else [],
        "periods": span_periods(plan.period_start, plan.period_end),
        "actions": [action_out(r, plan.id) for r in working],
        "agreed_actions": [action_out(a, plan.id) for a in (current.actions if current else [])],
    }


def _set_answer(conn, plan, state, status: int = 200):
    return set_out(conn, plan, state), status, {"ETag": etag_for(etag_id(plan.id), state.version if state else 0)}


# -- checks ------------------------------------------------------------------------------------

def _may_propose(rel) -> None:
    if not (rel.owner or rel.admin):
        raise Forbidden("Only the plan's owner proposes its action plans.")


def _may_agree(rel) -> None:
    if not (rel.rater or rel.admin):
        raise Forbidden("Only the plan's rater (pejabat penilai) agrees or returns its action plans.")


def _approved(plan) -> None:
    if plan.status != domain.APPROVED:
        raise Conflict(f"plan {plan.id} is {plan.status}: action plans are made for an approved plan",
                       title="The plan is not approved", current_status=plan.status)


def _next(action: str, state) -> str:
    current = state.status if state is not None else ap.DRAFT
    try:
        return ap.next_status(action, current)
    except domain.TransitionError as exc:
        raise transition_conflict(exc, current) from None


def _writable(conn, plan_id: str, now):
    """The plan (locked, approved, the caller its owner) and the set's state, which must be a draft."""
    plan, rel = _visible(conn, plan_id, for_update=True)
    _may_propose(rel)
    _approved(plan)
    state = aps.ensure_state(conn, plan_id, now)
    _next("edit", state)
    return plan, state


def _step(conn, plan_id: str, action: str, may, *, now=None):
    """A step of the set's status machine: the plan (locked, approved, the caller allowed), the set's state (If-Match
    checked when sent; created by a submission), and the status it moves to."""
    plan, rel = _visible(conn, plan_id, for_update=True)
    may(rel)
    _approved(plan)
    state = aps.ensure_state(conn, plan_id, now) if now is not None else aps.load_state(conn, plan_id, for_update=True)
    if state is not None:
        check_if_match(etag_id(plan_id), state.version)
    return plan, state, _next(action, state)


def _action(conn, plan_id: str, action_id: str, *, for_update: bool = False):
    row = aps.load_action(conn, plan_id, action_id, for_update=for_update)
    if row is None:
        raise NotFound(f"plan {plan_id} has no action {action_id}")
    return row


def _audit(conn, plan_id: str, action: str, before, after, reason=None) -> None:
    store.audit_many(conn, current_principal(), [{"action": f"action_plan.{action}", "entity_type": "plan",
                                                  "entity_id": plan_id, "before": before, "after": after, "reason": reason}])


def _cursor(args) -> str | None:
    """The decoded cursor; one this service cannot have given out (it holds a NUL) is a 400 naming it."""
    if not args.get("cursor"):
        return None
    after = decode_cursor(args["cursor"])
    if "\x00" in after:
        raise field_error("cursor", "is not one this service gave out", status=400)
    return after


# -- reading -----------------------------------------------------------------------------------

@action_plans_blp.route("/plans/<plan_id>/action-plan")
@action_plans_blp.response(200, ActionPlanOut)
@errors(action_plans_blp, NOT_FOUND)
def get_action_plan(plan_id):
    """The plan's action plans: status, the working set, the agreed set in force, the plan's months and quarters,
    and the actions a plan amendment dropped (readers of the plan)."""
    with runtime().engine.connect() as conn:
        plan, _ = _visible(conn, plan_id)
        return _set_answer(conn, plan, aps.load_state(conn, plan_id))


@action_plans_blp.route("/plans/<plan_id>/actions")
@action_plans_blp.arguments(ActionQuery, location="query")
@action_plans_blp.response(200, ActionPage)
@errors(action_plans_blp, NOT_FOUND, (422, "Bad filter or cursor"))
def list_actions(args, plan_id):
    """The plan's actions by period, paged: the working set (default) or the agreed set in force (``set=agreed``);
    filter by ``period`` (YYYY-MM or YYYY-Qn) and ``result_id``."""
    after = _cursor(args)
    limit = args["limit"]
    with runtime().engine.connect() as conn:
        plan, _ = _visible(conn, plan_id)
        if args["set"] == "working":
            rows = [action_out(r, plan_id) for r in aps.working_set(conn, plan_id, period=args.get("period"),
                                                                       result_id=args.get("result_id"), after=after,
                                                                       limit=limit + 1)]
        else:
            state = aps.load_state(conn, plan_id)
            current = aps.agreed(conn, plan_id, state.agreed_version) if state else None
            rows = sorted((action_out(a, plan_id) for a in (current.actions if current else [])
                           if (not args.get("period") or a["period"] == args["period"])
                           and (not args.get("result_id") or a["result_id"] == args["result_id"])),
                          key=lambda a: (a["period"], a["action_id"]))
            if after:
                rows = [a for a in rows if f"{a['period']}|{a['action_id']}" > after]
            rows = rows[: limit + 1]
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": encode_cursor(f"{rows[-1]['period']}|{rows[-1]['action_id']}") if more else None}


@action_plans_blp.route("/plans/<plan_id>/actions/<action_id>")
@action_plans_blp.response(200, ActionOut)
@errors(action_plans_blp, NOT_FOUND)
def get_action(plan_id, action_id):
    """One action of the working set, with its ETag."""
    with runtime().engine.connect() as conn:
        _visible(conn, plan_id)
        row = _action(conn, plan_id, action_id)
    return action_out(row, plan_id), 200, {"ETag": etag_for(row.id, row.version)}


@action_plans_blp.route("/plans/<plan_id>/action-plan/versions")
@action_plans_blp.response(200, ActionPlanVersionList)
@errors(action_plans_blp, NOT_FOUND)
def list_versions(plan_id):
    """Every agreed set of the plan, whole, oldest first: the history of its action plans and their amendments."""
    with runtime().engine.connect() as conn:
        _visible(conn, plan_id)
        rows = aps.versions(conn, plan_id)
    return {"items": [{**dict(r._mapping), "actions": [action_out(a, plan_id) for a in r.actions]} for r in rows]}


@action_plans_blp.route("/plans/action-plans")
@action_plans_blp.arguments(ActionPlanQuery, location="query")
@action_plans_blp.response(200, ActionPlanPage)
@errors(action_plans_blp, (422, "Bad filter or cursor"))
def list_action_plans(args):
    """The action plans the caller may see (a rater: ``?rater_nip=<own NIP>&status=submitted`` is what awaits
    agreement), by plan; filter by status, year, nip, rater."""
    p = current_principal()
    count = (select(func.count()).select_from(plan_actions).where(plan_actions.c.plan_id == action_plans.c.plan_id)
             .scalar_subquery())
    query = (select(action_plans.c.plan_id, plans.c.nip, employees.c.name, plans.c.rater_nip, plans.c.year,
                    action_plans.c.status, action_plans.c.agreed_version, action_plans.c.amendment_reason,
                    action_plans.c.submitted_at, count.label("actions"))
             .join(plans, plans.c.id == action_plans.c.plan_id)
             .outerjoin(employees, employees.c.nip == plans.c.nip)
             .order_by(action_plans.c.plan_id))
    for name, column in (("status", action_plans.c.status), ("year", plans.c.year), ("nip", plans.c.nip),
                         ("rater_nip", plans.c.rater_nip)):
        if args.get(name) is not None:
            query = query.where(column == args[name])
    if args.get("cursor"):
        query = query.where(action_plans.c.plan_id > _cursor(args))
    with runtime().engine.connect() as conn:
        clause = store.visible_clause(p, headed_units(conn))
        if clause is not None:
            query = query.where(clause)
        rows = conn.execute(query.limit(args["limit"] + 1)).all()
    more = len(rows) > args["limit"]
    rows = rows[: args["limit"]]
    return {"items": [dict(r._mapping) for r in rows], "next_cursor": encode_cursor(rows[-1].plan_id) if more else None}


# -- proposing (the owner) ----------------------------------------------------------------------

@action_plans_blp.route("/plans/<plan_id>/actions", methods=["POST"])
@action_plans_blp.arguments(ActionIn)
@action_plans_blp.response(201, ActionOut)
@errors(action_plans_blp, NOT_FOUND, NOT_APPROVED,
        (422, "Unknown indicator, a result that is not the indicator's, a period outside the plan's span, a unit other "
              "than the indicator's, or a missing target"))
def create_action(body, plan_id):
    """Add an action to the plan's proposed set (its owner, while the set is a draft)."""
    p = current_principal()
    now = utcnow()
    with runtime().engine.begin() as conn:
        plan, state = _writable(conn, plan_id, now)
        with rules():
            fields = ap.checked_action(plan.content, plan.period_start, plan.period_end, body)
        if aps.count_actions(conn, plan_id) >= ap.MAX_ACTIONS_PER_PLAN:
            raise field_error("(body)", f"a plan has at most {ap.MAX_ACTIONS_PER_PLAN} actions")
        values = dict(id=str(uuid.uuid4()), plan_id=plan_id, **fields, version=1, created_by=p.sub, created_at=now,
                      updated_at=now)
        aps.insert_action(conn, values)
        aps.bump_state(conn, state, now)
        _audit(conn, plan_id, "action_added", None, aps.action_dict(values))
    return action_out(values, plan_id), 201, {"ETag": etag_for(values["id"], 1),
                                              "Location": f"/api/v1/plans/{plan_id}/actions/{values['id']}"}


@action_plans_blp.route("/plans/<plan_id>/actions/<action_id>", methods=["PATCH"])
@action_plans_blp.arguments(ActionPatch)
@action_plans_blp.response(200, ActionOut)
@errors(action_plans_blp, NOT_FOUND, NOT_APPROVED, (422, "A rule is broken (see POST)"))
@if_match_documented(action_plans_blp)
def edit_action(body, plan_id, action_id):
    """Change an action of the proposed set (its owner, while the set is a draft). Send If-Match."""
    if not body:
        raise field_error("(body)", "send at least one field of the action to change")
    now = utcnow()
    with runtime().engine.begin() as conn:
        plan, state = _writable(conn, plan_id, now)
        row = _action(conn, plan_id, action_id, for_update=True)
        require_if_match(action_id, row.version)
        before = aps.action_dict(row)
        merged = {**before, **body}
        if "indicator_id" in body and "result_id" not in body:
            merged["result_id"] = None  # another indicator: its own result
        if "target_unit" not in body:
            merged["target_unit"] = None  # the indicator's unit
        with rules():
            fields = ap.checked_action(plan.content, plan.period_start, plan.period_end, merged)
        aps.update_action(conn, action_id, dict(**fields, version=row.version + 1, updated_at=now))
        aps.bump_state(conn, state, now)
        updated = _action(conn, plan_id, action_id)
        _audit(conn, plan_id, "action_changed", before, aps.action_dict(updated))
    return action_out(updated, plan_id), 200, {"ETag": etag_for(action_id, updated.version)}


@action_plans_blp.route("/plans/<plan_id>/actions/<action_id>", methods=["DELETE"])
@action_plans_blp.response(204)
@errors(action_plans_blp, NOT_FOUND, NOT_APPROVED)
@if_match_documented(action_plans_blp)
def delete_action(plan_id, action_id):
    """Remove an action from the proposed set (its owner, while the set is a draft). Send If-Match."""
    now = utcnow()
    with runtime().engine.begin() as conn:
        _, state = _writable(conn, plan_id, now)
        row = _action(conn, plan_id, action_id, for_update=True)
        require_if_match(action_id, row.version)
        aps.delete_actions(conn, plan_id, [action_id])
        aps.bump_state(conn, state, now)
        _audit(conn, plan_id, "action_removed", aps.action_dict(row), None)
    return ""


@action_plans_blp.route("/plans/<plan_id>/action-plan/submit", methods=["POST"])
@action_plans_blp.response(200, ActionPlanOut)
@errors(action_plans_blp, NOT_FOUND, NOT_APPROVED, STALE, (422, "No action, or an action no longer fits the plan"))
def submit_action_plan(plan_id):
    """Propose the set to the rater (draft → submitted; its owner)."""
    now = utcnow()
    with runtime().engine.begin() as conn:
        plan, state, status = _step(conn, plan_id, "submit", _may_propose, now=now)
        working = [aps.action_dict(r) for r in aps.working_set(conn, plan_id)]
        if not working:
            raise field_error("actions", "add at least one action before proposing the action plans")
        problems = ap.problems_against(plan.content, plan.period_start, plan.period_end, working)
        if problems:
            raise violations(problems)
        state = aps.bump_state(conn, state, now, status=status, submitted_at=now, return_reason=None)
        _audit(conn, plan_id, "submitted", {"status": ap.DRAFT}, {"status": status, "actions": len(working)},
               state.amendment_reason)
        return _set_answer(conn, plan, state)


# -- agreeing (the rater) ------------------------------------------------------------------------

@action_plans_blp.route("/plans/<plan_id>/action-plan/agree", methods=["POST"])
@action_plans_blp.response(200, ActionPlanOut)
@errors(action_plans_blp, NOT_FOUND, NOT_APPROVED, STALE, (422, "An action no longer fits the plan"))
def agree_action_plan(plan_id):
    """Agree the whole proposed set (the plan's rater): it becomes the agreed set in force (version + 1, the
    earlier one kept under /versions); publishes ActionPlanAgreed with the whole set."""
    p = current_principal()
    now = utcnow()
    with runtime().engine.begin() as conn:
        plan, state, status = _step(conn, plan_id, "agree", _may_agree)
        working = [aps.action_dict(r) for r in aps.working_set(conn, plan_id)]
        problems = ap.problems_against(plan.content, plan.period_start, plan.period_end, working)
        if problems:
            raise violations(problems)
        reason = state.amendment_reason
        state = aps.record_agreement(conn, plan, state, working, kind="agreement", actor=p.sub, now=now,
                                     amendment_reason=reason)
        _audit(conn, plan_id, "agreed", {"status": ap.SUBMITTED}, {"status": status, "version": state.agreed_version,
                                                                    "actions": working}, reason)
        return _set_answer(conn, plan, state)


@action_plans_blp.route("/plans/<plan_id>/action-plan/return", methods=["POST"])
@action_plans_blp.arguments(ActionPlanReturnIn)
@action_plans_blp.response(200, ActionPlanOut)
@errors(action_plans_blp, NOT_FOUND, NOT_APPROVED, STALE, (422, "Reason missing"))
def return_action_plan(body, plan_id):
    """Return the proposed set to the employee with a reason (the plan's rater): submitted → draft."""
    now = utcnow()
    with runtime().engine.begin() as conn:
        plan, state, status = _step(conn, plan_id, "return", _may_agree)
        state = aps.bump_state(conn, state, now, status=status, return_reason=body["reason"])
        _audit(conn, plan_id, "returned", {"status": ap.SUBMITTED}, {"status": status}, body["reason"])
        return _set_answer(conn, plan, state)


@action_plans_blp.route("/plans/<plan_id>/action-plan/amend", methods=["POST"])
@action_plans_blp.arguments(ActionPlanAmendIn)
@action_plans_blp.response(200, ActionPlanOut)
@errors(action_plans_blp, NOT_FOUND, NOT_APPROVED, STALE, (422, "Reason missing"))
def amend_action_plan(body, plan_id):
    """Open a recorded amendment of the agreed set, with its reason (its owner): the set is a draft again, to edit
    and propose; the agreed set stays in force until the rater agrees the amended one (version + 1)."""
    now = utcnow()
    with runtime().engine.begin() as conn:
        plan, state, status = _step(conn, plan_id, "amend", _may_propose)
        state = aps.bump_state(conn, state, now, status=status, amendment_reason=body["reason"], return_reason=None)
        _audit(conn, plan_id, "amendment_opened", {"status": ap.AGREED, "version": state.agreed_version},
               {"status": status}, body["reason"])
        return _set_answer(conn, plan, state)
