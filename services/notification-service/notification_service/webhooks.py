"""Signed webhooks: events relayed to systems that cannot consume Kafka (payroll, dashboards).

What a receiver gets, per delivery attempt::

    POST <subscription url>
    Content-Type: application/cloudevents+json
    X-Kinerja-Event-Id: <the event's id: use it to drop duplicates>
    X-Kinerja-Event-Type: EvaluationClosed
    X-Kinerja-Delivery: <delivery id>  (the same on every retry of this delivery)
    X-Kinerja-Attempt: 1
    X-Kinerja-Timestamp: 1767225600
    X-Kinerja-Signature: t=1767225600,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>

    <the CloudEvent, exactly as it was published on Kafka>

The receiver recomputes the HMAC over ``"<t>." + raw body`` with the subscription's secret,
compares it in constant time with ``v1`` and rejects timestamps older than five minutes
(``verify_signature`` below is the reference implementation; it uses only the standard
library, so a receiver can copy it). A 2xx answer is success; anything else, a timeout or a
refused connection is a failure, retried with exponential backoff. A delivery that fails
``NOTIFICATION_WEBHOOK_MAX_ATTEMPTS`` times is ``failed``; a subscription whose deliveries failed
``NOTIFICATION_WEBHOOK_DISABLE_AFTER`` times in a row is disabled, its waiting deliveries are
``held``, and events that arrive meanwhile are recorded as ``held`` too. An admin re-enables
it and replays what was not delivered. Every attempt is logged (``webhook_attempts``).
Deliveries of one subscription may arrive out of order when some are retried.

Each attempt goes only to a checked public address of the URL's host (``targets``); a refused
address, like a secret that no key of NOTIFICATION_WEBHOOK_SECRET_KEYS decrypts (``secretbox``),
fails the delivery at once, with the reason, instead of retrying.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from datetime import datetime, timedelta

from sqlalchemy.engine import Connection, Engine

from kinerja_shared.consumer import current_scope
from kinerja_shared.db import utcnow
from kinerja_shared.events.envelope import CONTENT_TYPE, encode_event
from kinerja_shared.jobs import PeriodicJob

from . import config, domain, secretbox, targets
from . import webhooks_store as store
from .webhooks_store import ACTIVE, DELIVERED, DISABLED, FAILED, HELD, PENDING  # noqa: F401  (the statuses)

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Kinerja-Signature"
TIMESTAMP_HEADER = "X-Kinerja-Timestamp"
TOLERANCE_SECONDS = 300
DELIVERY_STATUSES = (PENDING, DELIVERED, FAILED, HELD)


# -- signatures ----------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Kinerja-Signature value: ``t=<timestamp>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(
    secret: str, header: str, body: bytes, now: float | None = None, tolerance: int = TOLERANCE_SECONDS
) -> bool:
    """Receiver side: True when ``header`` signs ``body`` with ``secret`` and is fresh."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return any(
        hmac.compare_digest(expected, value)
        for key, value in (item.split("=", 1) for item in header.split(","))
        if key == "v1"
    )


# -- fan-out (in the consumer's transaction) ---------------------------------------------------


def matches(event_types, event_type: str) -> bool:
    return "*" in event_types or event_type in event_types


def fan_out(conn: Connection, event, now: datetime | None = None) -> int:
    """Record one delivery per subscription that wants this event type, due ``now``; return how many are new."""

    def read():
        return store.wanted_types(conn)

    tx = current_scope()  # in a consumer transaction the subscriptions are read once for all its events
    subs = [
        sub
        for sub in (tx.memo("webhooks.subscriptions", read) if tx is not None else read())
        if matches(sub.event_types or [], event.type)
    ]
    if not subs:
        return 0
    now = now or utcnow()
    created = 0
    body = encode_event(dict(event)).decode()
    for sub in subs:
        created += store.add_delivery(
            conn,
            dict(
                subscription_id=sub.id,
                event_id=event.id,
                event_type=event.type,
                payload=body,
                status=PENDING if sub.status == ACTIVE else HELD,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            ),
        )
    return created


# -- sending (the worker's background job) ----------------------------------------------------


def deliver_due(engine: Engine, cfg: config.NotifySettings, limit: int = 100, *, clock=utcnow) -> int:
    """Attempt due deliveries, one transaction each (rows locked with SKIP LOCKED across workers)."""
    done = 0
    for _ in range(limit):
        if not _deliver_one(engine, cfg, clock):
            break
        done += 1
    return done


def run_round(rt) -> int:
    """One round of the worker's webhook job, on the runtime's clock."""
    return deliver_due(rt.engine, rt.config, clock=rt.clock.now)


JOB = PeriodicJob("webhook-dispatcher", run_round, interval=lambda rt: rt.config.webhook_poll_seconds)


def _deliver_one(engine: Engine, cfg: config.NotifySettings, clock) -> bool:
    now = clock()
    with engine.begin() as conn:
        row = store.claim_due(conn, now)
        if row is None:
            return False
        attempt = row.attempts + 1
        body = row.payload.encode()
        timestamp = int(now.timestamp())
        headers = {
            "Content-Type": CONTENT_TYPE,
            "User-Agent": "kinerja-notification-service",
            "X-Kinerja-Event-Id": row.event_id,
            "X-Kinerja-Event-Type": row.event_type,
            "X-Kinerja-Delivery": str(row.id),
            "X-Kinerja-Attempt": str(attempt),
            TIMESTAMP_HEADER: str(timestamp),
        }
        started = time.monotonic()
        try:
            headers[SIGNATURE_HEADER] = sign(cfg.webhook_secrets.decrypt(row.secret), timestamp, body)
        except secretbox.SecretUnreadable as exc:  # a setting to fix, then replay: not retried
            status, error, refused = None, str(exc), True
        else:
            status, error, refused = targets.post(
                row.url, body, headers, cfg.webhook_timeout_seconds, cfg.webhook_allowed
            )
        ok = status is not None and 200 <= status < 300
        finished = clock()
        store.log_attempt(
            conn,
            dict(
                delivery_id=row.id,
                attempt=attempt,
                attempted_at=finished,
                status_code=status,
                error=None if ok else error,
                duration_ms=int((time.monotonic() - started) * 1000),
            ),
        )
        if ok:
            store.change_delivery(
                conn,
                row.id,
                dict(
                    status=DELIVERED, attempts=attempt, last_status_code=status, last_error=None, delivered_at=finished
                ),
            )
            store.change_subscription(conn, row.subscription_id, dict(consecutive_failures=0))
            log.info(
                "webhook delivered",
                extra={
                    "delivery_id": row.id,
                    "subscription_id": row.subscription_id,
                    "event_id": row.event_id,
                    "attempt": attempt,
                    "status": status,
                },
            )
            return True
        gave_up = refused or attempt >= cfg.webhook_max_attempts  # a refused address or unreadable secret: no retry
        delay = domain.backoff_seconds(attempt, cfg.webhook_backoff_seconds, cfg.webhook_backoff_max_seconds)
        store.change_delivery(
            conn,
            row.id,
            dict(
                status=FAILED if gave_up else PENDING,
                attempts=attempt,
                last_status_code=status,
                last_error=error,
                next_attempt_at=finished + timedelta(seconds=delay),
            ),
        )
        failures = store.count_failure(conn, row.subscription_id)
        log.warning(
            "webhook delivery failed",
            extra={
                "delivery_id": row.id,
                "subscription_id": row.subscription_id,
                "event_id": row.event_id,
                "attempt": attempt,
                "status": status,
                "error": error,
                "gave_up": gave_up,
                "retry_in_s": delay,
            },
        )
        if failures >= cfg.webhook_disable_after:
            disable(
                conn,
                row.subscription_id,
                f"disabled after {failures} consecutive failed delivery attempts; last: {error}",
                finished,
            )
            log.error(
                "webhook subscription disabled", extra={"subscription_id": row.subscription_id, "failures": failures}
            )
        return True


def disable(conn: Connection, subscription_id: str, reason: str, now: datetime | None = None) -> None:
    """Disable a subscription and hold its waiting deliveries until it is re-enabled and replayed."""
    store.disable(conn, subscription_id, reason, now or utcnow())
