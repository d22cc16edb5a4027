"""The audit trail: every state change records who, when, what, before and after, and why.

Rows are only ever inserted; no API updates or deletes them.
"""

from __future__ import annotations

import json

from sqlalchemy.engine import Connection

from .bulk_insert import insert_rows
from .context import current_correlation_id
from .db import AUDIT_LOG, utcnow


def entry(
    *,
    actor,
    action: str,
    entity_type: str,
    entity_id: str,
    before: dict | None = None,
    after: dict | None = None,
    reason: str | None = None,
) -> dict:
    """The values of one audit row, for a caller that inserts several at once (``record_many``)
    or inside a statement of its own. ``actor`` is a Principal or a NIP/system name."""
    sub = getattr(actor, "sub", None) or str(actor)
    roles = ",".join(sorted(getattr(actor, "roles", ()) or ()))
    return dict(
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


def record(conn: Connection, **fields) -> None:
    """Insert one audit row in the caller's transaction (the fields of ``entry``)."""
    conn.execute(AUDIT_LOG.insert(), entry(**fields))


def record_many(conn: Connection, entries: list[dict]) -> None:
    """Insert audit rows made by ``entry`` in the caller's transaction, in one statement (``bulk_insert``)."""
    insert_rows(conn, AUDIT_LOG, entries)


def _jsonable(value):
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str))
