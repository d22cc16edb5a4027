"""Verification by the employee's rater (pejabat penilai): accept an entry, or reject it with a reason.

A verified entry is locked: it can no longer be edited, withdrawn or verified again.
"""

from __future__ import annotations

from kinerja_shared import errors
from kinerja_shared.errors import NotFound, PreconditionFailed

from .. import access, directory_store, domain, events, store
from .common import ENTITY, rules


def _verify_row(uow, actor, row, rel, decision: str, reason: str | None):
    """Apply one decision to a locked, visible row; the updated row (its audit row recorded) or a refusal."""
    access.rater_only(rel)
    with rules():
        reason = domain.check_decision(decision, reason)
    status = domain.next_status("accept" if decision == domain.ACCEPTED else "reject", row.status)
    now = uow.now()
    updated = store.update_activity(
        uow.conn,
        row.id,
        dict(
            status=status,
            verification_reason=reason,
            verified_by=actor.sub,
            verified_at=now,
            version=row.version + 1,
            updated_at=now,
        ),
    )
    uow.audit(
        actor=actor,
        action="activity.verified",
        entity_type=ENTITY,
        entity_id=row.id,
        before={"status": row.status},
        after={"status": status},
        reason=reason,
    )
    return updated


def verify_activity(
    uow, actor, activity_id: str, decision: str, reason: str | None = None, *, if_match=lambda version: None
):
    """Accept or reject one entry (the employee's rater only); publishes ActivityVerified.
    ``if_match(version)`` checks an If-Match the rater sent."""
    row, rel = access.visible_activity(uow.conn, actor, activity_id, today=uow.today(), for_update=True)
    if rel["rater"]:
        if_match(row.version)
    updated = _verify_row(uow, actor, row, rel, decision, reason)
    uow.publish(events.activity_verified(updated._mapping))
    return updated


def verify_bulk(uow, actor, items: list[dict]) -> list[tuple]:
    """Verify many entries at once; each decision succeeds or fails on its own: one (index, id, updated row or
    refusal) per item, in order. An item's ``version`` (when sent) must be the stored one (412 otherwise).
    Publishes ActivityVerified for each entry verified."""
    conn = uow.conn
    rows = store.locked_activities(conn, sorted({item["id"] for item in items}))
    people = directory_store.employees_by_nip(conn, {r.nip for r in rows.values()} | {actor.sub})
    units = [] if actor.is_admin else access.head_units(conn, actor.sub, people.get(actor.sub), uow.today())
    results, verified = [], []
    for index, item in enumerate(items):
        row = rows.get(item["id"])
        try:
            if row is None:
                raise NotFound(f"activity {item['id']} does not exist")
            rel = access.relation_in(actor, row.nip, row.rater_nip, people.get(row.nip), units)
            if not access.may_see(rel):
                raise NotFound(f"activity {item['id']} does not exist")
            if rel["rater"] and item.get("version") is not None and item["version"] != row.version:
                raise PreconditionFailed(
                    f"activity {row.id} changed since you read it (current version {row.version})",
                    title="Stale version",
                    current_version=row.version,
                )
            rows[row.id] = updated = _verify_row(uow, actor, row, rel, item["decision"], item.get("reason"))
            verified.append(events.activity_verified(updated._mapping))
            results.append((index, row.id, updated))
        except errors.DomainError as problem:
            results.append((index, item["id"], problem))
    uow.publish(*verified)
    return results
