"""The idempotent consumer runner: inbox, retries with backoff, dead letters, graceful stop.

For each record:

1. Decode and validate the envelope and data against the catalog and schema. A record that
   fails (not JSON, unknown type or version, wrong schema, missing key) goes straight to the
   dead-letter topic ``<topic>.<group>.dlq`` with the reason in the headers.
2. Types this service does not handle are skipped.
3. In ONE database transaction: insert ``(consumer_group, event_id)`` into
   ``processed_events`` (a duplicate stops here: no second effect) and run the handler.
4. A handler error is retried with exponential backoff up to ``CONSUMER_MAX_RETRIES``, then the
   record goes to the DLQ and the consumer moves on. A database outage is not the event's
   fault: it is retried without limit and never dead-lettered.
5. Offsets are committed to Kafka only after the records before them took effect.

A poll's records are applied together when they can be (``apply_batch``): one transaction
inserts every event id of the poll into ``processed_events`` with one statement, runs the
handlers of the fresh ones in offset order, runs the work handlers deferred to the end of the
transaction (``TransactionScope.before_commit``), and commits; then the offsets are committed.
If that transaction fails for any reason but a database outage, it is rolled back and the
poll is applied one record at a time as above, so a poison event is retried and dead-lettered
alone while its neighbours take effect exactly once. A database outage rewinds the whole poll.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kafka.structs import OffsetAndMetadata, TopicPartition
from sqlalchemy import String, bindparam, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from .bulk_insert import insert_rows
from .config import Settings
from .context import correlation_id_var, service_config_var, set_correlation_id, settings_var
from .db import PROCESSED_EVENTS, in_list, insert_ignore, is_postgres, utcnow
from .events.catalog import dlq_topic
from .events.envelope import Event, EventError, parse_event
from .kafka_io import calm_kafka_logs, is_broker_error

log = logging.getLogger(__name__)

# A poll's applied events get processed_at = the moment their effect was done (PostgreSQL / SQLite).
_MARK_APPLIED = {
    postgres: update(PROCESSED_EVENTS)
    .where(
        PROCESSED_EVENTS.c.consumer_group == bindparam("group"),
        in_list(PROCESSED_EVENTS.c.event_id, "ids", postgres, String()),
    )
    .values(processed_at=bindparam("at"))
    for postgres in (True, False)
}

Handler = Callable[[Connection, Event], None]


class DatabaseUnavailable(Exception):
    pass


@dataclass
class ConsumerStats:
    processed: int = 0
    duplicates: int = 0
    skipped: int = 0
    dead_lettered: int = 0
    batches: int = 0  # polls applied in one transaction
    batch_fallbacks: int = 0  # polls re-applied one record at a time after their transaction failed


@dataclass
class TransactionScope:
    """What the handlers of one consumer transaction share (one event's, or a whole poll's).

    - ``memo(key, compute)``: a value read once per transaction (e.g. settings rows that
      handlers never write), instead of once per event;
    - ``before_commit(key, fn)``: work done once, at the end of the transaction, before its
      commit (e.g. re-rendering a digest that several events of the poll added to). A key
      registered twice runs once; work registered while flushing runs too.

    Handlers find it with ``current_scope()``; outside a consumer there is none and they do the
    work at once.
    """

    memos: dict = field(default_factory=dict)
    pending: dict = field(default_factory=dict)

    def memo(self, key, compute: Callable[[], Any]):
        if key not in self.memos:
            self.memos[key] = compute()
        return self.memos[key]

    def before_commit(self, key, fn: Callable[[], None]) -> None:
        self.pending.setdefault(key, fn)

    def flush(self) -> None:
        while self.pending:
            key = next(iter(self.pending))
            self.pending.pop(key)()


_scope_var: contextvars.ContextVar[TransactionScope | None] = contextvars.ContextVar("consumer_scope", default=None)


def current_scope() -> TransactionScope | None:
    """The running consumer transaction's scope, or None outside a consumer."""
    return _scope_var.get()


@contextlib.contextmanager
def handler_context(settings: Settings, service_config=None):
    """What handlers find around them, for one transaction (or savepoint) of events: the settings, the
    service's own config and a fresh TransactionScope (yielded; flush it before the commit)."""
    tokens = (
        settings_var.set(settings),
        service_config_var.set(service_config),
        _scope_var.set(scope := TransactionScope()),
    )
    try:
        yield scope
    finally:
        for var, token in zip((settings_var, service_config_var, _scope_var), tokens):
            var.reset(token)


def run_handler(handler: Handler, conn: Connection, event: Event) -> None:
    """Run one event's handler in the caller's transaction, with the event's correlation id."""
    token = set_correlation_id(event.correlationid)
    try:
        handler(conn, event)
    finally:
        correlation_id_var.reset(token)


class EventConsumer:
    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        *,
        group_id: str,
        topics: list[str],
        name: str | None = None,
        service_config=None,
        handlers: dict[str, Handler],
        consumer_factory,
        producer_factory,
    ):
        self.settings = settings
        self.engine = engine
        self.group_id = group_id  # the Kafka consumer group (with KAFKA_TOPIC_PREFIX)
        self.name = name or group_id  # the consumer's own name: processed_events and DLQ topic names
        self.service_config = service_config  # ServiceSpec.config(settings), for handlers
        self.topics = topics
        self.handlers = handlers
        self.consumer_factory = consumer_factory
        self.producer_factory = producer_factory
        self.stats = ConsumerStats()
        self._producer = None
        self.broker = calm_kafka_logs(settings)  # a broker outage: one WARNING, summaries, one INFO

    # -- one record ---------------------------------------------------------------
    def handle_record(self, record) -> str:
        """Apply one Kafka record; return 'processed', 'duplicate', 'skipped' or 'dead-lettered'.

        Raises DatabaseUnavailable when the effect could not be stored for reasons outside
        the event (the caller re-reads the record later).
        """
        try:
            if record.key is None:
                raise EventError("record has no key (the partition key, the employee's NIP)")
            event = parse_event(record.value)
        except EventError as exc:
            self.dead_letter(record, f"invalid event: {exc}")
            return "dead-lettered"

        handler = self.handlers.get(event.type)
        if handler is None:
            self.stats.skipped += 1
            return "skipped"

        attempt = 0
        while True:
            try:
                return self.apply(event)
            except OperationalError as exc:
                if exc.connection_invalidated or _is_connection_error(exc):
                    raise DatabaseUnavailable(str(exc)) from exc
                error = exc
            except Exception as exc:  # the handler (or its data) failed
                error = exc
            attempt += 1
            if attempt > self.settings.consumer_max_retries:
                self.dead_letter(record, f"handler failed after {attempt} attempts: {error!r}")
                return "dead-lettered"
            delay = self.settings.consumer_retry_backoff_ms / 1000.0 * (2 ** (attempt - 1))
            log.warning(
                "handler failed, retrying", extra={"event_id": event.id, "attempt": attempt, "error": repr(error)}
            )
            time.sleep(delay)

    def apply(self, event: Event) -> str:
        """One transaction: record (consumer, event id) in the inbox and run the handler.

        Returns 'processed', or 'duplicate' when the event took effect before. The handler runs
        with the event's correlation id, the settings and the service's own config in context.
        """
        return self._transaction([event])[0]

    def apply_batch(self, events: list[Event]) -> list[str]:
        """Apply several events (in order) in ONE transaction; 'processed' or 'duplicate' each.

        One multi-row ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` into processed_events
        tells which events are fresh; an event id seen twice in ``events`` takes effect once.
        Any failure rolls the whole transaction back and raises: nothing of it took effect.
        """
        return self._transaction(events)

    def _transaction(self, events: list[Event]) -> list[str]:
        outcomes: list[str] = []
        with handler_context(self.settings, self.service_config) as scope:
            with self.engine.begin() as conn:
                now = utcnow()
                if len(events) == 1:
                    e = events[0]
                    fresh = (
                        {e.id}
                        if insert_ignore(
                            conn,
                            PROCESSED_EVENTS,
                            {"consumer_group": self.name, "event_id": e.id, "event_type": e.type, "processed_at": now},
                        )
                        else set()
                    )
                else:
                    rows = list(
                        {
                            e.id: {
                                "consumer_group": self.name,
                                "event_id": e.id,
                                "event_type": e.type,
                                "processed_at": now,
                            }
                            for e in events
                        }.values()
                    )
                    stored = insert_rows(
                        conn,
                        PROCESSED_EVENTS,
                        rows,
                        on_conflict_do_nothing=True,
                        returning=(PROCESSED_EVENTS.c.event_id,),
                    )
                    fresh = set(stored.scalars())
                for event in events:
                    if event.id not in fresh:
                        outcomes.append("duplicate")
                        continue
                    fresh.discard(event.id)  # a second copy in the same poll is a duplicate
                    run_handler(self.handlers[event.type], conn, event)
                    outcomes.append("processed")
                scope.flush()
                applied = [e.id for e, outcome in zip(events, outcomes) if outcome == "processed"]
                if len(events) > 1 and applied:
                    # processed_at is when the effect was done (just before the commit), not when the poll
                    # began: the end-to-end latency the bench reads from it must not flatter a large poll.
                    conn.execute(
                        _MARK_APPLIED[is_postgres(conn)],
                        {"group": self.name, "ids": applied, "at": utcnow()},
                    )
        for event, outcome in zip(events, outcomes):
            if outcome == "duplicate":
                self.stats.duplicates += 1
                log.info("duplicate event ignored", extra={"event_id": event.id, "event_type": event.type})
            else:
                self.stats.processed += 1
                log.debug("event processed", extra={"event_id": event.id, "event_type": event.type})
        if len(events) == 1 and outcomes == ["processed"]:
            log.info("event processed", extra={"event_id": events[0].id, "event_type": events[0].type})
        return outcomes

    def dead_letter(self, record, reason: str) -> None:
        """Write the record unchanged to the DLQ with the reason in headers; wait for the ack."""
        if self._producer is None:
            self._producer = self.producer_factory()
        headers = [(k, v) for k, v in (record.headers or []) if not k.startswith("dlq_")]
        headers += [
            ("dlq_error", reason[:4000].encode()),
            ("dlq_original_topic", record.topic.encode()),
            ("dlq_original_partition", str(record.partition).encode()),
            ("dlq_original_offset", str(record.offset).encode()),
            ("dlq_consumer_group", self.name.encode()),
            ("dlq_failed_at", utcnow().isoformat().encode()),
        ]
        self._producer.send(
            dlq_topic(record.topic, self.name), value=record.value, key=record.key, headers=headers
        ).get(timeout=self.settings.kafka_client_timeout_ms / 1000.0 * 3)
        self.stats.dead_lettered += 1
        log.error(
            "event sent to the dead-letter topic",
            extra={"topic": record.topic, "offset": record.offset, "reason": reason},
        )

    # -- the loop -----------------------------------------------------------------
    def _try_batch(self, batch: dict) -> bool:
        """Apply a whole poll in one transaction; False when it must go one record at a time.

        Only a poll of well-formed records goes this way (a malformed one is dead-lettered by
        the one-at-a-time path, which commits its offset right after). Raises DatabaseUnavailable
        on an outage: nothing of the poll took effect.
        """
        events: list[Event] = []
        skipped = 0
        for records in batch.values():
            for record in records:
                if record.key is None:
                    return False
                try:
                    event = parse_event(record.value)
                except EventError:
                    return False
                if event.type in self.handlers:
                    events.append(event)
                else:
                    skipped += 1
        try:
            if events:
                self.apply_batch(events)
        except OperationalError as exc:
            if exc.connection_invalidated or _is_connection_error(exc):
                raise DatabaseUnavailable(str(exc)) from exc
            return self._fall_back(exc, len(events))
        except Exception as exc:  # a handler (or its data) failed: find which one, one at a time
            return self._fall_back(exc, len(events))
        self.stats.skipped += skipped
        self.stats.batches += 1
        if events:
            log.info("events applied in one transaction", extra={"events": len(events), "skipped": skipped})
        return True

    def _fall_back(self, exc: Exception, size: int) -> bool:
        self.stats.batch_fallbacks += 1
        log.warning(
            "a poll's transaction failed, applying its events one at a time", extra={"events": size, "error": repr(exc)}
        )
        return False

    def process_batch(self, consumer, batch: dict, stop: threading.Event) -> None:
        """Handle a polled batch; commit what took effect. On an outage, rewind what did not."""
        done: dict[TopicPartition, int] = {}
        try:
            if stop.is_set():
                return
            if sum(len(records) for records in batch.values()) > 1 and self._try_batch(batch):
                done = {tp: records[-1].offset + 1 for tp, records in batch.items() if records}
                return
            for tp, records in batch.items():
                for record in records:
                    if stop.is_set():
                        return
                    self.handle_record(record)
                    done[tp] = record.offset + 1
        finally:
            # Rewind every partition to its first record without effect, so nothing is skipped
            # (the consumer's position already moved past the whole batch).
            for tp, records in batch.items():
                if records and done.get(tp, records[0].offset) <= records[-1].offset:
                    consumer.seek(tp, done.get(tp, records[0].offset))
            if done:
                consumer.commit({tp: OffsetAndMetadata(offset, "", -1) for tp, offset in done.items()})

    def run(self, stop: threading.Event) -> None:
        """Consume until ``stop`` is set (SIGTERM); commit what took effect, then close."""
        backoff = 0.5
        consumer = None
        while not stop.is_set():
            try:
                if consumer is None:
                    consumer = self.consumer_factory(self.group_id, self.topics)
                batch = consumer.poll(timeout_ms=500)
                if batch:
                    self.broker.reachable()
                    self.process_batch(consumer, batch, stop)
                backoff = 0.5
            except Exception as exc:  # broker or database unavailable: wait, keep our place
                if is_broker_error(exc):
                    self.broker.failed(f"consumer: {exc!r}")
                else:
                    log.warning("consumer is backing off", extra={"error": repr(exc), "backoff_s": backoff})
                stop.wait(backoff)
                backoff = min(backoff * 2, 10.0)
        if consumer is not None:
            try:
                consumer.close(autocommit=False)
            except Exception:
                pass
        if self._producer is not None:
            try:
                self._producer.close(timeout=5)
            except Exception:
                pass


def _is_connection_error(exc: OperationalError) -> bool:
    text = str(exc).lower()
    return any(
        s in text
        for s in ("connection", "server closed", "could not connect", "terminating", "database is locked", "timeout")
    )
