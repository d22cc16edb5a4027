"""The SQL of the webhooks: subscriptions, their deliveries and every attempt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.engine import Connection

from .models import webhook_attempts, webhook_deliveries, webhook_subscriptions
from .store import claim, for_update, insert_new

subs = webhook_subscriptions
ACTIVE, DISABLED = "active", "disabled"
PENDING, DELIVERED, FAILED, HELD = "pending", "delivered", "failed", "held"


# -- subscriptions ----------------------------------------------------------------------------


def subscription(conn: Connection, subscription_id: str, *, lock: bool = False):
    query = select(subs).where(subs.c.id == subscription_id)
    return conn.execute(for_update(conn, query) if lock else query).first()


def insert_subscription(conn: Connection, values: dict) -> None:
    conn.execute(subs.insert().values(**values))


def change_subscription(conn: Connection, subscription_id: str, values: dict) -> None:
    conn.execute(update(subs).where(subs.c.id == subscription_id).values(**values))


def delete_subscription(conn: Connection, subscription_id: str) -> None:
    """The subscription with its delivery log."""
    delivery_ids = select(webhook_deliveries.c.id).where(webhook_deliveries.c.subscription_id == subscription_id)
    conn.execute(delete(webhook_attempts).where(webhook_attempts.c.delivery_id.in_(delivery_ids)))
    conn.execute(delete(webhook_deliveries).where(webhook_deliveries.c.subscription_id == subscription_id))
    conn.execute(delete(subs).where(subs.c.id == subscription_id))


def subscriptions_page(conn: Connection, limit: int, after: tuple[datetime, str] | None) -> list:
    """Up to ``limit + 1`` subscriptions, newest first, after ``(created_at, id)``."""
    query = select(subs).order_by(subs.c.created_at.desc(), subs.c.id.desc())
    if after is not None:
        created_at, last_id = after
        query = query.where(
            or_(subs.c.created_at < created_at, (subs.c.created_at == created_at) & (subs.c.id < last_id))
        )
    return conn.execute(query.limit(limit + 1)).all()


def wanted_types(conn: Connection) -> list:
    """Every subscription's id, event types and status (the fan-out's view)."""
    return conn.execute(select(subs.c.id, subs.c.event_types, subs.c.status)).all()


def secrets(conn: Connection) -> list:
    return conn.execute(select(subs.c.id, subs.c.secret).order_by(subs.c.id)).all()


def disable(conn: Connection, subscription_id: str, reason: str, now: datetime) -> None:
    """Disable a subscription and hold its waiting deliveries."""
    conn.execute(
        update(subs)
        .where(subs.c.id == subscription_id)
        .values(
            status=DISABLED, disabled_at=now, disabled_reason=reason[:2000], updated_at=now, version=subs.c.version + 1
        )
    )
    conn.execute(
        update(webhook_deliveries)
        .where(webhook_deliveries.c.subscription_id == subscription_id, webhook_deliveries.c.status == PENDING)
        .values(status=HELD)
    )


def count_failure(conn: Connection, subscription_id: str) -> int:
    """One more consecutive failure; how many there are now."""
    return conn.execute(
        update(subs)
        .where(subs.c.id == subscription_id)
        .values(consecutive_failures=subs.c.consecutive_failures + 1)
        .returning(subs.c.consecutive_failures)
    ).scalar()


# -- deliveries -----------------------------------------------------------------------------------


def add_delivery(conn: Connection, values: dict) -> bool:
    return insert_new(conn, webhook_deliveries, values)


def deliveries_of(subscription_id: str, status: str | None):
    """The SELECT of a subscription's delivery log (paged by ``store.newest_first``)."""
    query = select(webhook_deliveries).where(webhook_deliveries.c.subscription_id == subscription_id)
    return query.where(webhook_deliveries.c.status == status) if status else query


def delivery(conn: Connection, subscription_id: str, delivery_id: int):
    return conn.execute(
        select(webhook_deliveries).where(
            webhook_deliveries.c.id == delivery_id, webhook_deliveries.c.subscription_id == subscription_id
        )
    ).first()


def attempts(conn: Connection, delivery_id: int) -> list:
    return conn.execute(
        select(webhook_attempts)
        .where(webhook_attempts.c.delivery_id == delivery_id)
        .order_by(webhook_attempts.c.attempt, webhook_attempts.c.id)
    ).all()


def claim_due(conn: Connection, now: datetime):
    """One due delivery of an active subscription, with its URL and secret, locked with the subscription."""
    query = (
        select(webhook_deliveries, subs.c.url, subs.c.secret)
        .join(subs, subs.c.id == webhook_deliveries.c.subscription_id)
        .where(
            webhook_deliveries.c.status == PENDING, webhook_deliveries.c.next_attempt_at <= now, subs.c.status == ACTIVE
        )
        .order_by(webhook_deliveries.c.next_attempt_at, webhook_deliveries.c.id)
        .limit(1)
    )
    # The subscription is locked with the delivery (skipped if either is taken): the attempt later
    # updates the subscription, and an admin's disable locks the subscription before its deliveries;
    # taking both here, in one step, means they wait for each other instead of deadlocking.
    return claim(conn, query, of=[webhook_deliveries, subs])


def log_attempt(conn: Connection, values: dict) -> None:
    conn.execute(webhook_attempts.insert().values(**values))


def change_delivery(conn: Connection, delivery_id: int, values: dict) -> None:
    conn.execute(update(webhook_deliveries).where(webhook_deliveries.c.id == delivery_id).values(**values))


def replay(conn: Connection, subscription_id: str, statuses: list[str], since: datetime | None, now: datetime) -> int:
    query = update(webhook_deliveries).where(
        webhook_deliveries.c.subscription_id == subscription_id, webhook_deliveries.c.status.in_(statuses)
    )
    if since is not None:
        query = query.where(webhook_deliveries.c.created_at >= since)
    return conn.execute(query.values(status=PENDING, attempts=0, next_attempt_at=now)).rowcount
