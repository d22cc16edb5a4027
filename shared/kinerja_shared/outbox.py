"""The transactional outbox: events are written in the same transaction as the change.

``publish(conn, event)`` validates the event against its schema and inserts it into the
``outbox`` table through the caller's connection, so the state change and its events
commit or roll back together. The relay (``relay.py``) moves them to Kafka in order.
Row states: ``pending`` (not yet on Kafka) and ``published``; ``attempts`` and
``last_error`` record failed sends.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from .bulk_insert import insert_rows
from .db import OUTBOX, utcnow
from .events.catalog import CATALOG
from .events.envelope import encode_event, validate_event

STATUS_PENDING = "pending"
STATUS_PUBLISHED = "published"


def rows(*events: dict, validate: bool = True) -> list[dict]:
    """The outbox rows of ``events`` (validated unless ``validate`` is False), for a caller that
    inserts them inside a statement of its own; ``publish`` inserts them itself."""
    out = []
    now = utcnow()
    for event in events:
        if validate:
            validate_event(event)
        out.append(
            dict(
                event_id=event["id"],
                topic=CATALOG[event["type"]].topic,
                partition_key=event["partitionkey"],
                event_type=event["type"],
                payload=encode_event(event).decode(),
                status=STATUS_PENDING,
                attempts=0,
                created_at=now,
            )
        )
    return out


def publish(conn: Connection, *events: dict, validate: bool = True) -> None:
    """Add events to the outbox within the caller's transaction (in the given order, one statement)."""
    if events:
        insert_rows(conn, OUTBOX, rows(*events, validate=validate))
