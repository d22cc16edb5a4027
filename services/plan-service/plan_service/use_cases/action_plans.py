"""Action plans (rencana aksi) of an approved plan: the owner proposes actions per result and month or quarter
(add, change, remove while the set is a draft; submit; open an amendment of the agreed set), the rater agrees the
whole set (ActionPlanAgreed, version + 1) or returns it with a reason; the plan's readers read it.

The set's status follows action_plans.ACTION_PLAN (draft → submitted → agreed; returned to draft; amended from
agreed to draft). Who may do what is access.py's: a plan the caller may not read is a 404, an action they may not
take a 403. Every change is audited (``action_plan.<what>`` on the plan) in the caller's unit of work.
"""

from __future__ import annotations

import uuid
from datetime import date

from kinerja_shared.errors import Conflict, InvalidField, NotFound, field_error
from kinerja_shared.web.pagination import decode_cursor, encode_cursor

from .. import access, domain, events, store
from .. import action_plans as ap
from .. import action_plans_store as aps
from .refusals import VersionCheck, next_state, violations

# The reason of an agreed version made by a plan amendment (shown to the employee and the rater as it is).
DROPPED_REASON = (
    "Perubahan SKP (revisi {revision}): aksi pada hasil kerja atau indikator yang dihapus tidak berlaku lagi"
)


def etag_id(plan_id: str) -> str:
    """The set's ETag id (its version is the set's ``version``)."""
    return f"{plan_id}-actions"


# -- shapes ------------------------------------------------------------------------------------


def action_out(row, plan_id: str) -> dict:
    m = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
    return {
        **aps.action_dict(m),
        "plan_id": plan_id,
        "version": m.get("version"),
        "created_at": m.get("created_at"),
        "updated_at": m.get("updated_at"),
    }


def span_periods(start: date, end: date) -> dict:
    months = [
        f"{y:04d}-{m:02d}"
        for y in range(start.year, end.year + 1)
        for m in range(1, 13)
        if (start.year, start.month) <= (y, m) <= (end.year, end.month)
    ]
    return {"months": months, "quarters": sorted({f"{p[:4]}-Q{(int(p[5:]) - 1) // 3 + 1}" for p in months})}


def set_out(conn, plan, state) -> dict:
    """The set as the API shows it: status, the working set, the agreed set in force, the plan's periods."""
    working = aps.working_set(conn, plan.id)
    current = aps.agreed(conn, plan.id, state.agreed_version) if state is not None else None
    return {
        "plan_id": plan.id,
        "nip": plan.nip,
        "rater_nip": plan.rater_nip,
        "year": plan.year,
        "plan_status": plan.status,
        "plan_revision": plan.revision,
        "status": state.status if state else ap.DRAFT,
        "version": state.version if state else 0,
        "agreed_version": state.agreed_version if state else 0,
        "amending": bool(state and state.agreed_version and state.status != ap.AGREED),
        "amendment_reason": state.amendment_reason if state else None,
        "return_reason": state.return_reason if state else None,
        "submitted_at": state.submitted_at if state else None,
        "agreed_at": state.agreed_at if state else None,
        "agreed_by": state.agreed_by if state else None,
        "dropped": (state.dropped or []) if state else [],
        "periods": span_periods(plan.period_start, plan.period_end),
        "actions": [action_out(r, plan.id) for r in working],
        "agreed_actions": [action_out(a, plan.id) for a in (current.actions if current else [])],
    }


# -- the steps' common checks ----------------------------------------------------------------------


def _plan(uow, actor, plan_id: str, *, for_update: bool = False):
    return access.plan_of_action_plans(uow.conn, actor, plan_id, uow.today(), for_update=for_update)


def _approved(plan) -> None:
    if plan.status != domain.APPROVED:
        raise Conflict(
            f"plan {plan.id} is {plan.status}: action plans are made for an approved plan",
            title="The plan is not approved",
            current_status=plan.status,
        )


def _status(state) -> str:
    return state.status if state is not None else ap.DRAFT


def _writable(uow, actor, plan_id: str):
    """The plan (locked, approved, the caller its owner) and the set's state, which must be a draft."""
    plan, rel = _plan(uow, actor, plan_id, for_update=True)
    access.may_propose_actions(rel)
    _approved(plan)
    state = aps.ensure_state(uow.conn, plan_id, uow.now())
    next_state(ap.ACTION_PLAN, "edit", _status(state))
    return plan, state


def _step(uow, actor, plan_id: str, action: str, may, check_version: VersionCheck | None, *, create: bool = False):
    """A step of the set's status machine: the plan (locked, approved, the caller allowed), the set's state (its
    version checked; created by a submission), and the status it moves to."""
    plan, rel = _plan(uow, actor, plan_id, for_update=True)
    may(rel)
    _approved(plan)
    conn = uow.conn
    state = aps.ensure_state(conn, plan_id, uow.now()) if create else aps.load_state(conn, plan_id, for_update=True)
    if state is not None and check_version is not None:
        check_version(etag_id(plan_id), state.version)
    return plan, state, next_state(ap.ACTION_PLAN, action, _status(state))


def _action(conn, plan_id: str, action_id: str, *, for_update: bool = False):
    row = aps.load_action(conn, plan_id, action_id, for_update=for_update)
    if row is None:
        raise NotFound(f"plan {plan_id} has no action {action_id}")
    return row


def _audit(uow, actor, plan_id: str, action: str, before, after, reason=None) -> None:
    uow.audit(
        actor=actor,
        action=f"action_plan.{action}",
        entity_type="plan",
        entity_id=plan_id,
        before=before,
        after=after,
        reason=reason,
    )


def _checked(plan, body: dict) -> dict:
    """The action's fields, checked against the plan in force (action_plans.checked_action); a 422 naming the field."""
    try:
        return ap.checked_action(plan.content, plan.period_start, plan.period_end, body)
    except domain.DomainError as exc:
        raise InvalidField(exc.field, exc.message) from None


def _fits(plan, actions: list[dict]) -> None:
    problems = ap.problems_against(plan.content, plan.period_start, plan.period_end, actions)
    if problems:
        raise violations(problems)


# -- reading -----------------------------------------------------------------------------------


def get_action_plan(uow, actor, plan_id: str) -> dict:
    """The plan's action plans (readers of the plan); ``version`` is the set's ETag version."""
    plan, _ = _plan(uow, actor, plan_id)
    return set_out(uow.conn, plan, aps.load_state(uow.conn, plan_id))


def _cursor(args: dict) -> str | None:
    """The decoded cursor; one this service cannot have given out (it holds a NUL) is a 400 naming it."""
    if not args.get("cursor"):
        return None
    after = decode_cursor(args["cursor"])
    if "\x00" in after:
        raise field_error("cursor", "is not one this service gave out", status=400)
    return after


def _agreed_rows(conn, plan_id: str, args: dict, after: str | None) -> list[dict]:
    state = aps.load_state(conn, plan_id)
    current = aps.agreed(conn, plan_id, state.agreed_version) if state else None
    rows = sorted(
        (
            action_out(a, plan_id)
            for a in (current.actions if current else [])
            if (not args.get("period") or a["period"] == args["period"])
            and (not args.get("result_id") or a["result_id"] == args["result_id"])
        ),
        key=lambda a: (a["period"], a["action_id"]),
    )
    return [a for a in rows if not after or f"{a['period']}|{a['action_id']}" > after]


def list_actions(uow, actor, plan_id: str, args: dict) -> dict:
    """The plan's actions by period, paged: the working set or the agreed set in force (``set``), filtered by
    ``period`` and ``result_id``."""
    after, limit = _cursor(args), args["limit"]
    _plan(uow, actor, plan_id)
    if args["set"] == "working":
        rows = [
            action_out(r, plan_id)
            for r in aps.working_set(
                uow.conn,
                plan_id,
                period=args.get("period"),
                result_id=args.get("result_id"),
                after=after,
                limit=limit + 1,
            )
        ]
    else:
        rows = _agreed_rows(uow.conn, plan_id, args, after)[: limit + 1]
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = encode_cursor(f"{rows[-1]['period']}|{rows[-1]['action_id']}") if more else None
    return {"items": rows, "next_cursor": cursor}


def get_action(uow, actor, plan_id: str, action_id: str) -> dict:
    """One action of the working set (its ``version`` is the ETag's)."""
    _plan(uow, actor, plan_id)
    return action_out(_action(uow.conn, plan_id, action_id), plan_id)


def list_versions(uow, actor, plan_id: str) -> dict:
    """Every agreed set of the plan, whole, oldest first."""
    _plan(uow, actor, plan_id)
    return {
        "items": [
            {**dict(r._mapping), "actions": [action_out(a, plan_id) for a in r.actions]}
            for r in aps.versions(uow.conn, plan_id)
        ]
    }


def list_action_plans(uow, actor, args: dict) -> dict:
    """The action plans ``actor`` may see, by plan; filter by status, year, nip, rater_nip."""
    filters = {name: args[name] for name in ("status", "year", "nip", "rater_nip") if args.get(name) is not None}
    visible = access.action_plans_visible_to(uow.conn, actor, uow.today())
    rows = aps.summaries(uow.conn, filters, visible=visible, after=_cursor(args), limit=args["limit"] + 1)
    more = len(rows) > args["limit"]
    rows = rows[: args["limit"]]
    return {"items": [dict(r._mapping) for r in rows], "next_cursor": encode_cursor(rows[-1].plan_id) if more else None}


# -- proposing (the owner) ----------------------------------------------------------------------


def add_action(uow, actor, plan_id: str, body: dict) -> dict:
    """Add an action to the plan's proposed set (its owner, while the set is a draft)."""
    plan, state = _writable(uow, actor, plan_id)
    fields = _checked(plan, body)
    if aps.count_actions(uow.conn, plan_id) >= ap.MAX_ACTIONS_PER_PLAN:
        raise field_error("(body)", f"a plan has at most {ap.MAX_ACTIONS_PER_PLAN} actions")
    now = uow.now()
    values = dict(
        id=str(uuid.uuid4()), plan_id=plan_id, **fields, version=1, created_by=actor.sub, created_at=now, updated_at=now
    )
    aps.insert_action(uow.conn, values)
    aps.bump_state(uow.conn, state, now)
    _audit(uow, actor, plan_id, "action_added", None, aps.action_dict(values))
    return action_out(values, plan_id)


def change_action(
    uow, actor, plan_id: str, action_id: str, changes: dict, *, check_version: VersionCheck | None = None
) -> dict:
    """Change an action of the proposed set (its owner, while the set is a draft)."""
    if not changes:
        raise field_error("(body)", "send at least one field of the action to change")
    plan, state = _writable(uow, actor, plan_id)
    row = _action(uow.conn, plan_id, action_id, for_update=True)
    if check_version is not None:
        check_version(action_id, row.version)
    before = aps.action_dict(row)
    merged = {**before, **changes}
    if "indicator_id" in changes and "result_id" not in changes:
        merged["result_id"] = None  # another indicator: its own result
    if "target_unit" not in changes:
        merged["target_unit"] = None  # the indicator's unit
    fields = _checked(plan, merged)
    aps.update_action(uow.conn, action_id, dict(**fields, version=row.version + 1, updated_at=uow.now()))
    aps.bump_state(uow.conn, state, uow.now())
    updated = _action(uow.conn, plan_id, action_id)
    _audit(uow, actor, plan_id, "action_changed", before, aps.action_dict(updated))
    return action_out(updated, plan_id)


def remove_action(uow, actor, plan_id: str, action_id: str, *, check_version: VersionCheck | None = None) -> None:
    """Remove an action from the proposed set (its owner, while the set is a draft)."""
    _, state = _writable(uow, actor, plan_id)
    row = _action(uow.conn, plan_id, action_id, for_update=True)
    if check_version is not None:
        check_version(action_id, row.version)
    aps.delete_actions(uow.conn, plan_id, [action_id])
    aps.bump_state(uow.conn, state, uow.now())
    _audit(uow, actor, plan_id, "action_removed", aps.action_dict(row), None)


def submit_action_plan(uow, actor, plan_id: str, *, check_version: VersionCheck | None = None) -> dict:
    """Propose the set to the rater (draft → submitted; its owner): at least one action, each fitting the plan."""
    plan, state, status = _step(uow, actor, plan_id, "submit", access.may_propose_actions, check_version, create=True)
    working = [aps.action_dict(r) for r in aps.working_set(uow.conn, plan_id)]
    if not working:
        raise field_error("actions", "add at least one action before proposing the action plans")
    _fits(plan, working)
    now = uow.now()
    state = aps.bump_state(uow.conn, state, now, status=status, submitted_at=now, return_reason=None)
    _audit(
        uow,
        actor,
        plan_id,
        "submitted",
        {"status": ap.DRAFT},
        {"status": status, "actions": len(working)},
        state.amendment_reason,
    )
    return set_out(uow.conn, plan, state)


def amend_action_plan(uow, actor, plan_id: str, reason: str, *, check_version: VersionCheck | None = None) -> dict:
    """Open a recorded amendment of the agreed set (its owner): a draft again, to edit and propose; the agreed set
    stays in force until the rater agrees the amended one."""
    plan, state, status = _step(uow, actor, plan_id, "amend", access.may_propose_actions, check_version)
    state = aps.bump_state(uow.conn, state, uow.now(), status=status, amendment_reason=reason, return_reason=None)
    _audit(
        uow,
        actor,
        plan_id,
        "amendment_opened",
        {"status": ap.AGREED, "version": state.agreed_version},
        {"status": status},
        reason,
    )
    return set_out(uow.conn, plan, state)


# -- agreeing (the rater) ------------------------------------------------------------------------


def _record_agreement(uow, actor, plan, state, actions: list[dict], **kw):
    """A new agreed version of the set, published as ActionPlanAgreed with the whole set."""
    now = uow.now()
    state = aps.record_agreement(uow.conn, plan, state, actions, actor=actor.sub, now=now, **kw)
    uow.publish(
        events.action_plan_agreed(
            plan,
            actions,
            version=state.agreed_version,
            agreed_at=now,
            agreed_by=store.as_nip(actor.sub),
            amendment_reason=kw["amendment_reason"],
        )
    )
    return state


def agree_action_plan(uow, actor, plan_id: str, *, check_version: VersionCheck | None = None) -> dict:
    """Agree the whole proposed set (the plan's rater): the agreed set in force, version + 1 (ActionPlanAgreed)."""
    plan, state, status = _step(uow, actor, plan_id, "agree", access.may_agree_actions, check_version)
    working = [aps.action_dict(r) for r in aps.working_set(uow.conn, plan_id)]
    _fits(plan, working)
    reason = state.amendment_reason
    state = _record_agreement(uow, actor, plan, state, working, kind="agreement", amendment_reason=reason)
    _audit(
        uow,
        actor,
        plan_id,
        "agreed",
        {"status": ap.SUBMITTED},
        {"status": status, "version": state.agreed_version, "actions": working},
        reason,
    )
    return set_out(uow.conn, plan, state)


def return_action_plan(uow, actor, plan_id: str, reason: str, *, check_version: VersionCheck | None = None) -> dict:
    """Return the proposed set to the employee with a reason (the plan's rater): submitted → draft."""
    plan, state, status = _step(uow, actor, plan_id, "return", access.may_agree_actions, check_version)
    state = aps.bump_state(uow.conn, state, uow.now(), status=status, return_reason=reason)
    _audit(uow, actor, plan_id, "returned", {"status": ap.SUBMITTED}, {"status": status}, reason)
    return set_out(uow.conn, plan, state)


# -- a plan amendment ------------------------------------------------------------------------------


def drop_invalid_actions(uow, actor, plan) -> list[dict]:
    """A new revision of an approved plan (``plan``, as amended): the actions whose result or indicator it removed
    (or whose period left its span) leave the working set; an agreed set is agreed again without them (version + 1,
    kind plan_amendment). Returns the dropped actions (empty: nothing changed)."""
    conn, now = uow.conn, uow.now()
    state = aps.load_state(conn, plan.id, for_update=True)
    if state is None:
        return []
    working = [aps.action_dict(r) for r in aps.working_set(conn, plan.id)]
    _, dropped = ap.split_by_plan(plan.content, plan.period_start, plan.period_end, working)
    aps.delete_actions(conn, plan.id, [a["action_id"] for a in dropped])
    current = aps.agreed(conn, plan.id, state.agreed_version)
    dropped_agreed = []
    if current is not None:
        kept, dropped_agreed = ap.split_by_plan(plan.content, plan.period_start, plan.period_end, current.actions)
        known = {a["action_id"] for a in dropped}
        dropped = dropped + [a for a in dropped_agreed if a["action_id"] not in known]
    if dropped_agreed:
        _record_agreement(
            uow,
            actor,
            plan,
            state,
            kept,
            kind="plan_amendment",
            dropped=dropped,
            amendment_reason=DROPPED_REASON.format(revision=plan.revision),
            keep_open=state.status != ap.AGREED,
        )
    elif dropped:
        aps.bump_state(conn, state, now, dropped=dropped)
    if dropped:
        uow.audit(
            actor=actor,
            action="action_plan.dropped",
            entity_type="plan",
            entity_id=plan.id,
            before={"actions": dropped},
            after={"plan_revision": plan.revision},
            reason="plan amendment removed their result or indicator",
        )
    return dropped
