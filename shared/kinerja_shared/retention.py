"""Housekeeping of the platform tables: rows that exist for delivery, not as records.

- published outbox rows (``outbox``): once on the broker, the row is only a trace; kept
  ``outbox_days`` for diagnosis, then deleted. Pending rows are never touched.
- stored Idempotency-Key answers (``idempotency_keys``): a client retries within minutes or
  hours; after ``idempotency_days`` a reused key is a new request.
- the consumer inbox (``processed_events``): the ids that make a redelivered event harmless.
  Only deleted when ``inbox_days`` is given, and it must be longer than the topics' retention:
  an event older than the topic can no longer be redelivered. With topics kept for ever (the
  deploy default) keep the inbox for ever too, or a consumer group reset to the earliest
  offset would apply old events twice.

The audit trail (``audit_log``) and the services' own records are never pruned here.
Deletes run in chunks so that a large first run does not hold one long transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, delete, select
from sqlalchemy.engine import Engine

from .db import IDEMPOTENCY_KEYS, OUTBOX, PROCESSED_EVENTS, utcnow


@dataclass(frozen=True)
class PruneResult:
    outbox: int
    idempotency_keys: int
    processed_events: int


def _delete_chunked(engine: Engine, table, id_columns, condition, chunk: int) -> int:
    total = 0
    while True:
        with engine.begin() as conn:
            ids = conn.execute(select(*id_columns).where(condition).limit(chunk)).all()
            if not ids:
                return total
            if len(id_columns) == 1:
                conn.execute(delete(table).where(id_columns[0].in_([row[0] for row in ids])))
            else:  # composite key: (consumer_group, event_id)
                for group in {row[0] for row in ids}:
                    conn.execute(
                        delete(table).where(
                            and_(id_columns[0] == group, id_columns[1].in_([r[1] for r in ids if r[0] == group]))
                        )
                    )
            total += len(ids)


def prune(
    engine: Engine, *, outbox_days: int = 7, idempotency_days: int = 7, inbox_days: int | None = None, chunk: int = 5000
) -> PruneResult:
    """Delete what has outlived its purpose; returns how many rows of each table went."""
    now = utcnow()
    outbox = _delete_chunked(
        engine,
        OUTBOX,
        [OUTBOX.c.id],
        and_(OUTBOX.c.status == "published", OUTBOX.c.published_at < now - timedelta(days=outbox_days)),
        chunk,
    )
    keys = _delete_chunked(
        engine,
        IDEMPOTENCY_KEYS,
        [IDEMPOTENCY_KEYS.c.id],
        IDEMPOTENCY_KEYS.c.created_at < now - timedelta(days=idempotency_days),
        chunk,
    )
    inbox = 0
    if inbox_days is not None:
        inbox = _delete_chunked(
            engine,
            PROCESSED_EVENTS,
            [PROCESSED_EVENTS.c.consumer_group, PROCESSED_EVENTS.c.event_id],
            PROCESSED_EVENTS.c.processed_at < now - timedelta(days=inbox_days),
            chunk,
        )
    return PruneResult(outbox=outbox, idempotency_keys=keys, processed_events=inbox)
