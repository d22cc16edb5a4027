"""The SQL of the e-mail outbox (``email_queue``): due rows, held, retried, failed or sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Connection

from kinerja_shared.db import is_postgres

from .models import email_queue, notifications

PENDING, SENT, FAILED, SKIPPED = "pending", "sent", "failed", "skipped"


def _due(now_real: datetime, now_clock: datetime):
    return and_(
        email_queue.c.status == PENDING,
        email_queue.c.next_attempt_at <= now_real,
        or_(email_queue.c.not_before.is_(None), email_queue.c.not_before <= now_clock),
    )


def skip_due(conn: Connection, now_real: datetime, now_clock: datetime, reason: str) -> None:
    conn.execute(update(email_queue).where(_due(now_real, now_clock)).values(status=SKIPPED, last_error=reason))


def due_batch(conn: Connection, now_real: datetime, now_clock: datetime, batch_max: int) -> list:
    """The due rows of the first due address (up to ``batch_max``), locked; rows others hold are skipped."""

    def lock(query):
        return query.with_for_update(skip_locked=True) if is_postgres(conn) else query

    first = conn.execute(
        lock(select(email_queue).where(_due(now_real, now_clock)).order_by(email_queue.c.id).limit(1))
    ).first()
    if first is None:
        return []
    return conn.execute(
        lock(
            select(email_queue)
            .where(_due(now_real, now_clock), email_queue.c.to_address == first.to_address)
            .order_by(email_queue.c.id)
            .limit(batch_max)
        )
    ).all()


def items(conn: Connection, notification_ids: list[int]) -> list:
    return conn.execute(
        select(notifications).where(notifications.c.id.in_(notification_ids)).order_by(notifications.c.id)
    ).all()


def hold(conn: Connection, ids: list[int], until: datetime) -> None:
    conn.execute(update(email_queue).where(email_queue.c.id.in_(ids)).values(not_before=until))


def refused(conn: Connection, ids: list[int], error: str) -> None:
    conn.execute(
        update(email_queue)
        .where(email_queue.c.id.in_(ids))
        .values(status=FAILED, attempts=email_queue.c.attempts + 1, last_error=error[:2000])
    )


def retry(conn: Connection, ids: list[int], attempt: int, gave_up: bool, error: str, next_at: datetime) -> None:
    conn.execute(
        update(email_queue)
        .where(email_queue.c.id.in_(ids))
        .values(
            status=FAILED if gave_up else PENDING, attempts=attempt, last_error=error[:2000], next_attempt_at=next_at
        )
    )


def sent(conn: Connection, ids: list[int], at: datetime) -> None:
    conn.execute(
        update(email_queue)
        .where(email_queue.c.id.in_(ids))
        .values(status=SENT, sent_at=at, attempts=email_queue.c.attempts + 1, last_error=None)
    )
