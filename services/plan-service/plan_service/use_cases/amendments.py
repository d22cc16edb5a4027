"""Use cases of amendments of an approved plan: propose (its owner or rater), approve, reject (the rater),
withdraw (who proposed it, the owner); an approved amendment becomes the plan's next revision (PlanAmended)."""

from __future__ import annotations

import uuid

from kinerja_shared.errors import Conflict, NotFound

from .. import access, action_plans_store, domain, events, plans_store, store
from ..refusals import rules
from .plan_content import check_content, content, with_ids
from .plans import VersionCheck, checked_version


def amendment_of(conn, plan_id: str, amendment_id: str, *, for_update: bool = False):
    row = plans_store.load_amendment(conn, plan_id, amendment_id, for_update=for_update)
    if row is None:
        raise NotFound(f"amendment {amendment_id} of plan {plan_id} does not exist")
    return row


def propose_amendment(uow, actor, plan_id: str, body: dict, *, check_version: VersionCheck = None):
    """Propose the whole new content of an approved plan with a reason; the plan keeps its revision until
    the rater approves. One pending amendment at a time."""
    conn = uow.conn
    row, rel = access.readable_plan(conn, actor, plan_id, today=uow.today(), for_update=True)
    access.may_propose_amendment(rel)
    checked_version(check_version, plan_id, row.version)
    domain.next_status("amend", row.status)
    pending = plans_store.pending_amendment(conn, plan_id)
    if pending is not None:
        raise Conflict(
            f"amendment {pending} is already pending; withdraw it or wait for the rater's decision",
            title="An amendment is pending",
            amendment_id=pending,
            current_status=domain.PROPOSED,
        )
    results = with_ids(body["results"])
    with rules():
        span = domain.plan_span(
            row.year,
            body["period_start"] or row.period_start,
            body["period_end"] or row.period_end,
            not_before=store.new_post_since(conn, row.nip, row.year),
        )
    check_content(
        conn,
        year=row.year,
        rater_nip=row.rater_nip,
        approach=body["approach"],
        model=body["model"],
        results=results,
        behaviours=body["behaviours"],
        require_cascade=True,
    )
    values = dict(
        id=str(uuid.uuid4()),
        plan_id=plan_id,
        status=domain.PROPOSED,
        base_revision=row.revision,
        reason=body["reason"],
        approach=body["approach"],
        model=body["model"],
        period_start=span.start,
        period_end=span.end,
        content=content(results, body["behaviours"], body["attachments"]),
        proposed_by=actor.sub,
        proposed_at=uow.now(),
        decided_by=None,
        decided_at=None,
        decision_reason=None,
        resulting_revision=None,
        version=1,
    )
    plans_store.insert_amendment(conn, values)
    uow.audit(
        actor=actor,
        action="plan.amendment_proposed",
        entity_type="plan",
        entity_id=plan_id,
        before=store.plan_snapshot(row),
        after={
            "amendment_id": values["id"],
            "approach": values["approach"],
            "model": values["model"],
            "period_start": span.start,
            "period_end": span.end,
            "content": values["content"],
        },
        reason=body["reason"],
    )
    return amendment_of(conn, plan_id, values["id"])


def approve_amendment(
    uow, actor, plan_id: str, amendment_id: str, reason: str | None = None, *, check_version: VersionCheck = None
):
    """The rater approves: the plan takes the new content as revision + 1, kept whole; PlanAmended.

    Returns (the amendment as decided, the plan as it is now)."""
    conn, now = uow.conn, uow.now()
    row, rel = access.readable_plan(conn, actor, plan_id, today=uow.today(), for_update=True)
    amendment = amendment_of(conn, plan_id, amendment_id, for_update=True)
    access.may_decide(rel)
    checked_version(check_version, amendment_id, amendment.version)
    status = domain.next_amendment_status("approve", amendment.status)
    domain.next_status("amend", row.status)
    check_content(
        conn,
        year=row.year,
        rater_nip=row.rater_nip,
        approach=amendment.approach,
        model=amendment.model,
        results=amendment.content["results"],
        behaviours=amendment.content["behaviours"],
        require_cascade=True,
    )
    revision = row.revision + 1
    plans_store.update_plan(
        conn,
        plan_id,
        approach=amendment.approach,
        model=amendment.model,
        period_start=amendment.period_start,
        period_end=amendment.period_end,
        content=amendment.content,
        revision=revision,
        version=row.version + 1,
        updated_at=now,
    )
    plans_store.update_amendment(
        conn,
        amendment_id,
        status=status,
        decided_by=actor.sub,
        decided_at=now,
        decision_reason=reason,
        resulting_revision=revision,
        version=amendment.version + 1,
    )
    updated = store.load_plan(conn, plan_id)
    store.record_revision(
        conn, updated, kind="amendment", reason=amendment.reason, actor=actor.sub, amendment_id=amendment_id, now=now
    )
    uow.publish(
        events.plan_amended(
            updated,
            reason=amendment.reason,
            kind="amendment",
            amended_at=now,
            amended_by=actor.sub,
            amendment_id=amendment_id,
        )
    )
    uow.flush()  # PlanAmended goes out before the action plans' own event
    action_plans_store.on_plan_amended(conn, updated, actor=actor, now=now)  # actions on removed indicators go
    uow.audit(
        actor=actor,
        action="plan.amended",
        entity_type="plan",
        entity_id=plan_id,
        before=store.plan_snapshot(row),
        after={**store.plan_snapshot(updated), "amendment_id": amendment_id},
        reason=amendment.reason,
    )
    return amendment_of(conn, plan_id, amendment_id), updated


def _close(uow, actor, plan_id: str, amendment_id: str, action: str, reason: str | None, check_version: VersionCheck):
    conn = uow.conn
    _, rel = access.readable_plan(conn, actor, plan_id, today=uow.today(), for_update=True)
    amendment = amendment_of(conn, plan_id, amendment_id, for_update=True)
    if action == "reject":
        access.may_decide(rel)
    else:
        access.may_withdraw_amendment(actor, amendment, rel)
    checked_version(check_version, amendment_id, amendment.version)
    status = domain.next_amendment_status(action, amendment.status)
    plans_store.update_amendment(
        conn,
        amendment_id,
        status=status,
        decided_by=actor.sub,
        decided_at=uow.now(),
        decision_reason=reason,
        version=amendment.version + 1,
    )
    uow.audit(
        actor=actor,
        action=f"plan.amendment_{status}",
        entity_type="plan",
        entity_id=plan_id,
        before={"amendment_id": amendment_id, "status": amendment.status},
        after={"amendment_id": amendment_id, "status": status},
        reason=reason,
    )
    return amendment_of(conn, plan_id, amendment_id)


def reject_amendment(uow, actor, plan_id: str, amendment_id: str, reason: str, *, check_version: VersionCheck = None):
    """The rater rejects a pending amendment with a reason; the plan stays as it is."""
    return _close(uow, actor, plan_id, amendment_id, "reject", reason, check_version)


def withdraw_amendment(
    uow, actor, plan_id: str, amendment_id: str, reason: str | None = None, *, check_version: VersionCheck = None
):
    """Who proposed a pending amendment (or the plan's owner, an admin) withdraws it."""
    return _close(uow, actor, plan_id, amendment_id, "withdraw", reason, check_version)
