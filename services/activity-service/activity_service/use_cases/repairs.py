"""Repairs of a verified entry by an admin or the employee's rater's superior (atasan pejabat penilai):
correct a value accepted by mistake, or annul the entry. Both need a reason and are audited."""

from __future__ import annotations

from kinerja_shared.errors import field_error

from .. import access, action_links, domain, events, store
from ..domain import DomainError
from .changes import edited_action
from .common import ENTITY, rules


def _changes(row, body: dict, indicator_id: str, relinked: bool) -> dict:
    """The corrected fields: name -> (before, after); ``indicator_id``: the one the entry names now."""
    with rules():
        try:
            return domain.correction(
                row._mapping,
                {**body, "indicator_id": indicator_id} if "indicator_id" in body or "action_id" in body else body,
            )
        except DomainError:
            if not relinked:
                raise
            return {}  # only the action changes (ActivityCorrected carries it in its state)


def _follow_indicator(conn, row, changes: dict, values: dict) -> None:
    """A new indicator (or unit): the unit checked against the indicator's, its plan and result follow."""
    indicator_id = values.get("indicator_id", row.indicator_id)
    _, candidates = store.logging_context(conn, row.nip, {indicator_id})
    with rules():
        indicator = domain.indicator_in_force(candidates, indicator_id, row.date)
        unit = domain.unit_for_indicator(values.get("quantity_unit", row.quantity_unit), indicator.target_unit)
    if unit != row.quantity_unit:
        changes["quantity_unit"], values["quantity_unit"] = (row.quantity_unit, unit), unit
    elif "quantity_unit" in changes:  # the indicator's own unit, spelt otherwise: no change
        del changes["quantity_unit"], values["quantity_unit"]
        if not changes:
            raise field_error("quantity_unit", "is already the indicator's unit")
    for name in ("plan_id", "result_id"):
        if getattr(indicator, name) != row._mapping[name]:
            changes[name] = (row._mapping[name], getattr(indicator, name))
            values[name] = getattr(indicator, name)


def correct_activity(uow, actor, activity_id: str, body: dict, *, if_match):
    """Correct a verified entry: the status stays, the version goes up; publishes ActivityCorrected (the whole
    new state and the changes). ``body``: the fields to change and ``reason``; ``if_match(version)`` (required)."""
    conn = uow.conn
    row = access.repairable_activity(conn, actor, activity_id, today=uow.today())
    if_match(row.version)
    domain.next_status("correct", row.status)
    merged = {"date": row.date, "indicator_id": body.get("indicator_id", row.indicator_id)}
    action = edited_action(conn, row.nip, row, body, merged)
    relinked = "action_id" in body and (action or {}).get("action_id") != row.action_id
    with rules():
        reason = domain.check_repair_reason(body.get("reason"))
    changes = _changes(row, body, merged["indicator_id"], relinked)
    values = {name: after for name, (_, after) in changes.items()}
    if "indicator_id" in changes or "quantity_unit" in changes:
        _follow_indicator(conn, row, changes, values)
    if action is not None:
        with rules():
            action_links.check_plan(action, values.get("plan_id", row.plan_id))
    values.update(
        action_id=action["action_id"] if action is not None else None, version=row.version + 1, updated_at=uow.now()
    )
    updated = store.update_activity(conn, activity_id, values)
    uow.audit(
        actor=actor,
        action="activity.corrected",
        entity_type=ENTITY,
        entity_id=activity_id,
        before=events.activity_state(row._mapping),
        after=events.activity_state(updated._mapping),
        reason=reason,
    )
    uow.publish(events.activity_corrected(updated._mapping, changes=changes, reason=reason, by=actor.sub))
    return updated


def annul_activity(uow, actor, activity_id: str, reason: str | None, *, if_match):
    """Annul a verified entry: it stays on record as ``annulled`` and counts nowhere from then on; its time is
    free for a new entry. Publishes ActivityAnnulled. ``if_match(version)`` (required)."""
    row = access.repairable_activity(uow.conn, actor, activity_id, today=uow.today())
    if_match(row.version)
    status = domain.next_status("annul", row.status)
    with rules():
        reason = domain.check_repair_reason(reason)
    updated = store.update_activity(
        uow.conn, activity_id, dict(status=status, version=row.version + 1, updated_at=uow.now())
    )
    uow.audit(
        actor=actor,
        action="activity.annulled",
        entity_type=ENTITY,
        entity_id=activity_id,
        before={"status": row.status},
        after={"status": status},
        reason=reason,
    )
    uow.publish(events.activity_annulled(updated._mapping, previous_status=row.status, reason=reason, by=actor.sub))
    return updated
