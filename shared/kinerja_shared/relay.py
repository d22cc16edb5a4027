"""The outbox relay: moves ``pending`` outbox rows to Kafka, in order, and marks them sent.

- Rows are read in id order (the order they were committed per key) and sent with the
  idempotent producer (``acks='all'``), key = the partition key (the employee's NIP), so
  events about one employee stay ordered within their topic.
- A row is marked ``published`` only after the broker acknowledged it. A crash between the
  acknowledgement and the mark re-sends the row: consumers drop the duplicate by event id.
- While the broker is down the relay backs off (up to 10 s) and keeps every row; requests
  that write the outbox never wait for Kafka. The log says so once (``kafka_io.BROKER``: one WARNING,
  a summary with the count of waiting events while it lasts, one INFO when the broker is back).
- With several worker processes only one relays at a time: on PostgreSQL the relay holds a
  session advisory lock named after the service (the others stand by and take over).
- Speed: a batch is sent whole and then flushed once, in record batches of up to
  ``PRODUCER_SETTINGS['batch_size']``; its rows are marked in one statement. When the outbox
  is empty the relay looks again after 10 ms, doubling the pause on each empty look up to
  ``OUTBOX_RELAY_POLL_INTERVAL_MS``: an event written while events flow is on Kafka within
  milliseconds, and an idle outbox costs a few queries a second.
"""

from __future__ import annotations

import logging
import threading
import zlib

from sqlalchemy import BigInteger, bindparam, func, select, text, update
from sqlalchemy.engine import Engine

from .config import Settings
from .db import OUTBOX, in_list, is_postgres, utcnow
from .events.envelope import CONTENT_TYPE
from .kafka_io import calm_kafka_logs, is_broker_error

log = logging.getLogger(__name__)

# Producer settings of the relay (over make_producer's): record batches of 256 KiB instead of
# kafka-python's 16 KiB, so a batch of outbox rows leaves in a few requests per partition.
PRODUCER_SETTINGS = {"batch_size": 256 * 1024}

# After a batch: its rows published, or their attempt counted (one statement text for any batch, per dialect).
_MARK_PUBLISHED = {
    postgres: update(OUTBOX)
    .where(in_list(OUTBOX.c.id, "ids", postgres, BigInteger()))
    .values(status="published", published_at=bindparam("at"))
    for postgres in (True, False)
}
_MARK_FAILED = {
    postgres: update(OUTBOX)
    .where(in_list(OUTBOX.c.id, "ids", postgres, BigInteger()))
    .values(attempts=OUTBOX.c.attempts + 1, last_error=bindparam("error"))
    for postgres in (True, False)
}
FIRST_IDLE_PAUSE_S = 0.01


class NotAcknowledged(RuntimeError):
    """The broker did not acknowledge some rows of a batch (they stay pending)."""


class OutboxRelay:
    def __init__(self, settings: Settings, engine: Engine, producer_factory):
        self.settings = settings
        self.engine = engine
        self.producer_factory = producer_factory
        self.producer = None
        self.batch_size = settings.relay_batch_size
        self.idle_sleep = settings.relay_poll_interval_ms / 1000.0
        self._lock_conn = None
        self.published_total = 0
        self.broker = calm_kafka_logs(settings)

    # -- leadership ---------------------------------------------------------------
    def _lock_key(self) -> int:
        return zlib.crc32(f"kinerja-outbox-relay:{self.settings.service_name}".encode())

    def acquire_leadership(self) -> bool:
        if not is_postgres(self.engine):
            return True
        if self._lock_conn is not None:
            try:
                self._lock_conn.execute(text("SELECT 1"))
                return True
            except Exception:
                self._release_lock_conn()
        conn = self.engine.connect()
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self._lock_key()}).scalar()
        conn.commit()
        if got:
            self._lock_conn = conn
            log.info("outbox relay is active for this service")
            return True
        conn.close()
        return False

    def _release_lock_conn(self) -> None:
        if self._lock_conn is not None:
            try:
                self._lock_conn.close()
            except Exception:
                pass
            self._lock_conn = None

    # -- work ---------------------------------------------------------------------
    def _ensure_producer(self):
        if self.producer is None:
            if self.broker.is_down:  # for the outage summaries (creating the producer may block a while)
                self.broker.waiting_events = self._pending_count()
            self.producer = self.producer_factory()
        return self.producer

    def run_once(self) -> int:
        """Publish one batch; return how many rows were published."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    OUTBOX.c.id,
                    OUTBOX.c.topic,
                    OUTBOX.c.partition_key,
                    OUTBOX.c.event_id,
                    OUTBOX.c.event_type,
                    OUTBOX.c.payload,
                )
                .where(OUTBOX.c.status == "pending")
                .order_by(OUTBOX.c.id)
                .limit(self.batch_size)
            ).all()
        if not rows:
            return 0
        producer = self._ensure_producer()
        futures = []
        for row in rows:
            headers = [
                ("content-type", CONTENT_TYPE.encode()),
                ("ce_id", row.event_id.encode()),
                ("ce_type", row.event_type.encode()),
            ]
            futures.append(
                producer.send(
                    self.settings.topic(row.topic),
                    value=row.payload.encode(),
                    key=row.partition_key.encode(),
                    headers=headers,
                )
            )
        producer.flush()
        sent, failed, blocked_keys, first_error = [], [], set(), None
        for row, future in zip(rows, futures):
            # Keep per-key order: once a key failed, later rows of that key stay pending.
            if future.succeeded() and row.partition_key not in blocked_keys:
                sent.append(row.id)
            else:
                blocked_keys.add(row.partition_key)
                failed.append(row.id)
                if first_error is None and future.failed():
                    first_error = repr(future.exception)
        with self.engine.begin() as conn:
            postgres = is_postgres(conn)
            if sent:
                conn.execute(_MARK_PUBLISHED[postgres], {"ids": sent, "at": utcnow()})
            if failed:
                conn.execute(
                    _MARK_FAILED[postgres], {"ids": failed, "error": (first_error or "not acknowledged")[:2000]}
                )
        self.published_total += len(sent)
        if failed:
            raise NotAcknowledged(f"{len(failed)} outbox rows not acknowledged: {first_error}")
        if sent:
            self.broker.reachable()
        return len(sent)

    def run(self, stop: threading.Event) -> None:
        backoff = 0.5
        idle = FIRST_IDLE_PAUSE_S
        while not stop.is_set():
            try:
                if not self.acquire_leadership():
                    stop.wait(2.0)
                    continue
                published = self.run_once()
                backoff = 0.5
                if published == 0:
                    stop.wait(min(idle, self.idle_sleep))
                    idle = min(idle * 2, self.idle_sleep)
                else:
                    idle = FIRST_IDLE_PAUSE_S
            except Exception as exc:  # broker or database down: keep the rows, back off
                if isinstance(exc, NotAcknowledged) or is_broker_error(exc):
                    self.broker.waiting_events = self._pending_count()
                    self.broker.failed(f"outbox relay: {exc}")
                else:
                    log.warning("outbox relay is backing off", extra={"error": str(exc), "backoff_s": backoff})
                if self.producer is not None and not isinstance(exc, NotAcknowledged):
                    self._close_producer()
                stop.wait(backoff)
                backoff = min(backoff * 2, 10.0)
        self._close_producer()
        self._release_lock_conn()

    def _pending_count(self) -> int | None:
        try:
            with self.engine.connect() as conn:
                return conn.execute(
                    select(func.count()).select_from(OUTBOX).where(OUTBOX.c.status == "pending")
                ).scalar()
        except Exception:  # the database is down too: the count is unknown
            return None

    def _close_producer(self) -> None:
        if self.producer is not None:
            try:
                self.producer.close(timeout=5)
            except Exception:
                pass
            self.producer = None
