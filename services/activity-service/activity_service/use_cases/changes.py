"""The employee's own changes to an unverified entry: edit it, withdraw it."""

from __future__ import annotations

from kinerja_shared.errors import Conflict, field_error

from .. import access, action_links, domain, events, store
from .common import ENTITY, rules
from .log_entries import check_body


def edited_action(conn, nip: str, row, body: dict, merged: dict) -> dict | None:
    """The action an edited (or corrected) entry advances, checked again when it, the date or the indicator changes;
    its indicator goes into ``merged``. None: no action (``action_id: null`` unlinks)."""
    action_id = body["action_id"] if "action_id" in body else row.action_id
    if not action_id:
        return None
    if "action_id" not in body and merged["date"] == row.date and "indicator_id" not in body:
        return {"action_id": action_id, "plan_id": row.plan_id}  # unchanged
    with rules():
        action = action_links.resolve(
            action_links.load(conn, {action_id}), nip, action_id, merged["date"], body.get("indicator_id")
        )
    merged["indicator_id"] = action["indicator_id"]
    return action


def _merged(row, body: dict) -> dict:
    """The entry as the edit leaves it, in the shape of a logged body."""
    return {
        "date": body.get("date", row.date),
        "start_time": body.get("start_time", domain.format_hhmm(row.start_min)),
        "end_time": body.get("end_time", domain.format_hhmm(row.end_min)),
        "indicator_id": body.get("indicator_id", row.indicator_id),
        "description": body.get("description", row.description),
        "quantity": body.get("quantity", row.quantity),
        "evidence": body["evidence"] if "evidence" in body else [e for e in row.evidence if e.get("kind") == "link"],
    }


def _edited_values(uow, actor, row, body: dict, cfg) -> dict:
    """The checked values of the edited entry (every rule of logging applies to the result)."""
    conn, today = uow.conn, uow.today()
    with rules():
        domain.check_date(row.date, today, cfg.edit_window_close_day)
    merged = _merged(row, body)
    action = edited_action(conn, actor.sub, row, body, merged)
    with rules():
        prepared = check_body(merged, today, cfg)
    files = [e for e in row.evidence if e.get("kind") == "file"]
    if len(prepared["evidence"]) + len(files) > domain.MAX_EVIDENCE_ITEMS:
        raise field_error("evidence", f"at most {domain.MAX_EVIDENCE_ITEMS} evidence items per activity")
    values = dict(
        date=merged["date"],
        start_min=prepared["start_min"],
        end_min=prepared["end_min"],
        minutes=prepared["minutes"],
        description=merged["description"].strip(),
        quantity=float(merged["quantity"]),
        quantity_unit=body.get("quantity_unit", row.quantity_unit),
        evidence=prepared["evidence"] + files,
        version=row.version + 1,
        updated_at=uow.now(),
    )
    if merged["indicator_id"] != row.indicator_id or merged["date"] != row.date or "quantity_unit" in body:
        _, candidates = store.logging_context(conn, actor.sub, {merged["indicator_id"]})
        with rules():
            indicator = domain.indicator_in_force(candidates, merged["indicator_id"], merged["date"])
            values["quantity_unit"] = domain.unit_for_indicator(values["quantity_unit"], indicator.target_unit)
        values.update(plan_id=indicator.plan_id, result_id=indicator.result_id, indicator_id=indicator.indicator_id)
    if action is not None:
        with rules():
            action_links.check_plan(action, values.get("plan_id", row.plan_id))
    values["action_id"] = action["action_id"] if action is not None else None
    return values


def edit_activity(uow, actor, activity_id: str, body: dict, cfg, *, if_match) -> object:
    """Edit the caller's own unverified entry; publishes ActivityUpdated. ``if_match(version)`` checks the
    caller's If-Match against the stored version (required)."""
    if not body:
        raise field_error("(body)", "send at least one field to change")
    conn = uow.conn
    # Edits of one employee one at a time: their overlap checks stay exact (a racing POST: the constraint, a 409).
    store.lock_employee(conn, actor.sub)
    row, rel = access.visible_activity(conn, actor, activity_id, today=uow.today(), for_update=True)
    access.owner_only(rel, "edit")
    domain.next_status("edit", row.status)
    if_match(row.version)
    values = _edited_values(uow, actor, row, body, cfg)
    clash = store.find_overlap(
        conn, actor.sub, values["date"], values["start_min"], values["end_min"], exclude_id=activity_id
    )
    if clash is not None:
        raise Conflict(
            f"The entry would overlap your activity {clash.id} "
            f"({domain.format_hhmm(clash.start_min)}-{domain.format_hhmm(clash.end_min)}).",
            title="Overlapping activity",
            clashing_activity_id=clash.id,
            errors=[{"field": "start_time", "message": f"overlaps activity {clash.id}"}],
        )
    updated = store.update_activity(conn, activity_id, values)
    uow.audit(
        actor=actor,
        action="activity.updated",
        entity_type=ENTITY,
        entity_id=activity_id,
        before=events.activity_state(row._mapping),
        after=events.activity_state(updated._mapping),
    )
    uow.publish(events.activity_updated(updated._mapping))
    return updated


def withdraw_activity(uow, actor, activity_id: str, reason: str | None, cfg, *, if_match) -> object:
    """Withdraw the caller's own unverified entry; it then counts nowhere. Publishes ActivityWithdrawn.
    ``if_match(version)`` checks an If-Match sent (optional here)."""
    row, rel = access.visible_activity(uow.conn, actor, activity_id, today=uow.today(), for_update=True)
    access.owner_only(rel, "withdraw")
    if_match(row.version)
    status = domain.next_status("withdraw", row.status)
    with rules():
        domain.check_date(row.date, uow.today(), cfg.edit_window_close_day)
    updated = store.update_activity(
        uow.conn, activity_id, dict(status=status, version=row.version + 1, updated_at=uow.now())
    )
    uow.audit(
        actor=actor,
        action="activity.withdrawn",
        entity_type=ENTITY,
        entity_id=activity_id,
        before={"status": row.status},
        after={"status": status},
        reason=reason,
    )
    uow.publish(events.activity_withdrawn(updated._mapping))
    return updated
