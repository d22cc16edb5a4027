"""The audit trail: every state change records who, when, what, before and after, and why.

Rows are only ever inserted; no API updates or deletes them.
"""
from __future__ import annotations

from sqlalchemy.engine import Connection

from .context import current_correlation_id
from .db import AUDIT_LOG, utcnow


def record(
    conn: Connection,
    *,
    actor,
    action: str,
    entity_type: str,
    entity_id: str,
    before: dict | None = None,
    after: dict | None = None,
    reason: str | None = None,
) -> None:
    """Insert one audit row in the caller's transaction. ``actor`` is a Principal or a NIP/system name."""
    sub = getattr(actor, "sub", None) or str(actor)
    roles = ",".join(sorted(getattr(actor, "roles", ()) or ()))
    conn.execute(
        AUDIT_LOG.insert().values(
            occurred_at=utcnow(),
            actor=sub,
            actor_roles=roles,
            action=action,
            entity_type=entity_type,
            entity_id=str(entity_id),
            before=_jsonable(before),
            after=_jsonable(after),
            reason=reason,
            correlation_id=current_correlation_id(),
        )
    )


def _jsonable(value):
    if value is None:
        return None
    import json

    return json.loads(json.dumps(value, default=str))
