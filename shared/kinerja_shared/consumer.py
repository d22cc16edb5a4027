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
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable

from kafka.structs import OffsetAndMetadata, TopicPartition
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from .config import Settings
from .context import correlation_id_var, service_config_var, set_correlation_id, settings_var
from .db import PROCESSED_EVENTS, insert_ignore, utcnow
from .events.catalog import dlq_topic
from .events.envelope import Event, EventError, parse_event

log = logging.getLogger(__name__)

Handler = Callable[[Connection, Event], None]


class DatabaseUnavailable(Exception):
    pass


@dataclass
class ConsumerStats:
    processed: int = 0
    duplicates: int = 0
    skipped: int = 0
    dead_lettered: int = 0


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
        self.group_id = group_id          # the Kafka consumer group (with KAFKA_TOPIC_PREFIX)
        self.name = name or group_id      # the consumer's own name: processed_events and DLQ topic names
        self.service_config = service_config  # ServiceSpec.config(settings), for handlers
        self.topics = topics
        self.handlers = handlers
        self.consumer_factory = consumer_factory
        self.producer_factory = producer_factory
        self.stats = ConsumerStats()
        self._producer = None

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
            log.warning("handler failed, retrying", extra={"event_id": event.id, "attempt": attempt, "error": repr(error)})
            time.sleep(delay)

    def apply(self, event: Event) -> str:
        """One transaction: record (consumer, event id) in the inbox and run the handler.

        Returns 'processed', or 'duplicate' when the event took effect before. The handler runs
        with the event's correlation id, the settings and the service's own config in context.
        """
        handler = self.handlers[event.type]
        tokens = (set_correlation_id(event.correlationid), settings_var.set(self.settings),
                  service_config_var.set(self.service_config))
        try:
            with self.engine.begin() as conn:
                fresh = insert_ignore(
                    conn,
                    PROCESSED_EVENTS,
                    {"consumer_group": self.name, "event_id": event.id, "event_type": event.type, "processed_at": utcnow()},
                )
                if not fresh:
                    self.stats.duplicates += 1
                    log.info("duplicate event ignored", extra={"event_id": event.id, "event_type": event.type})
                    return "duplicate"
                handler(conn, event)
            self.stats.processed += 1
            log.info("event processed", extra={"event_id": event.id, "event_type": event.type})
            return "processed"
        finally:
            for var, token in zip((correlation_id_var, settings_var, service_config_var), tokens):
                var.reset(token)

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
        self._producer.send(dlq_topic(record.topic, self.name), value=record.value, key=record.key, headers=headers).get(
            timeout=self.settings.kafka_client_timeout_ms / 1000.0 * 3
        )
        self.stats.dead_lettered += 1
        log.error("event sent to the dead-letter topic", extra={"topic": record.topic, "offset": record.offset, "reason": reason})

    # -- the loop -----------------------------------------------------------------
    def process_batch(self, consumer, batch: dict, stop: threading.Event) -> None:
        """Handle a polled batch; commit what took effect. On an outage, rewind what did not."""
        done: dict[TopicPartition, int] = {}
        try:
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
                    self.process_batch(consumer, batch, stop)
                backoff = 0.5
            except Exception as exc:  # broker or database unavailable: wait, keep our place
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
    return any(s in text for s in ("connection", "server closed", "could not connect", "terminating", "database is locked", "timeout"))
