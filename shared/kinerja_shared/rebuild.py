"""``<service> rebuild-read-models``: empty a service's read models and fill them again from the topics.

A read model (``ServiceSpec.read_models``) holds only what consumed events said. When a bug, a
poisoned value or a hand edit made it wrong, it is rebuilt from the topics, which keep every event
(retention -1), in ONE database transaction:

1. On PostgreSQL, ``LOCK TABLE processed_events IN EXCLUSIVE MODE``: the running workers' consumer
   transactions finish first, new ones wait until the rebuild commits (their events wait on Kafka;
   nothing is lost). Readers are not blocked: they see the old rows until the commit. On SQLite the
   first write takes the database's write lock (a worker retries until the commit).
2. The end of every partition of the consumed topics and the consumer group's committed offsets
   are read (after the lock, so every event the worker applied lies before the end).
3. Every read-model table is emptied (``DELETE``: readers keep their snapshot).
4. Every partition is read from the beginning to that end, in order. An event is applied again
   when the worker applied it before (its id is in ``processed_events``) or the group has moved
   past it; an event the worker has not reached is left to the worker, which applies it once,
   live, after the commit. Each event id is applied once. Only the read-model handlers run
   (``ServiceSpec.read_model_handlers``): no notification, webhook or event of the service's own.
   Events go in batches, each in a savepoint; a batch that fails is applied one event at a time,
   and an event that still fails is reported and skipped (as the worker dead-lettered it).
5. Commit (or, with ``dry_run``, roll back). ``processed_events`` and the group's offsets are not
   changed: the worker goes on where it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kafka.structs import TopicPartition
from sqlalchemy import delete, select, text
from sqlalchemy.engine import Connection, Engine

from .config import Settings
from .consumer import handler_context, run_handler
from .db import PROCESSED_EVENTS, is_postgres, make_engine
from .events.envelope import Event, EventError, parse_event
from .kafka_io import make_reader
from .service import ServiceSpec

PROGRESS_SECONDS = 2.0  # at most one progress line per topic this often (and one when the topic is done)


@dataclass
class RebuildResult:
    tables: list[str]
    read: int = 0  # records read from the topics
    applied: int = 0  # events applied to the emptied read models
    waiting: int = 0  # events the worker has not applied yet: left to it
    skipped: int = 0  # records of types without a read-model handler, unreadable ones, second copies
    failed: list[dict] = field(default_factory=list)  # {topic, partition, offset, id, type, error}
    committed: bool = False
    seconds: float = 0.0


def rebuild_read_models(
    spec: ServiceSpec,
    settings: Settings,
    *,
    engine: Engine | None = None,
    echo: Callable[[str], None] = print,
    batch_size: int = 500,
    dry_run: bool = False,
) -> RebuildResult:
    if not spec.read_models:
        raise ValueError(f"{spec.name} keeps no read models")
    handlers = spec.read_model_handlers if spec.read_model_handlers is not None else spec.handlers
    service_config = spec.load_config(settings)
    own_engine = engine is None
    engine = engine or make_engine(settings.database_url, pool_size=1)
    result = RebuildResult(tables=list(spec.read_models))
    started = time.monotonic()
    try:
        with engine.connect() as conn:
            transaction = conn.begin()
            try:
                if is_postgres(conn):
                    echo(f"{spec.name}: waiting for the workers' transactions (lock on processed_events)")
                    conn.execute(text(f"LOCK TABLE {PROCESSED_EVENTS.name} IN EXCLUSIVE MODE"))
                ends, committed = _offsets(settings, spec)
                for name in spec.read_models:
                    conn.execute(delete(spec.metadata.tables[name]))
                echo(
                    f"{spec.name}: emptied {', '.join(spec.read_models)}; replaying up to {sum(ends.values())} records "
                    f"from {', '.join(sorted({tp.topic for tp in ends}))}"
                )
                _replay(conn, spec, settings, service_config, handlers, ends, committed, result, echo, batch_size)
                if dry_run:
                    transaction.rollback()
                    echo(f"{spec.name}: dry run: rolled back, nothing changed")
                else:
                    transaction.commit()
                    result.committed = True
            except BaseException:
                if transaction.is_active:
                    transaction.rollback()
                raise
    finally:
        if own_engine:
            engine.dispose()
    result.seconds = round(time.monotonic() - started, 1)
    for failure in result.failed:
        echo(
            f"  failed: {failure['type']} {failure['id']} "
            f"({failure['topic']}[{failure['partition']}]@{failure['offset']}): "
            f"{failure['error']}"
        )
    echo(
        f"{spec.name}: {result.applied} events applied, {result.waiting} left to the worker, {result.skipped} skipped, "
        f"{len(result.failed)} failed, in {result.seconds} s" + ("" if result.committed else " (not committed)")
    )
    return result


def _offsets(settings: Settings, spec: ServiceSpec) -> tuple[dict[TopicPartition, int], dict[TopicPartition, int]]:
    """The end offset of every partition of the consumed topics, and the group's committed offsets."""
    consumer = make_reader(settings, group_id=settings.group(spec.consumer_group))
    try:
        partitions = []
        for topic in spec.consumes:
            name = settings.topic(topic)
            ids = consumer.partitions_for_topic(name) or set()
            partitions += [TopicPartition(name, p) for p in sorted(ids)]
        ends = consumer.end_offsets(partitions) if partitions else {}
        committed = {tp: consumer.committed(tp) or 0 for tp in partitions}
    finally:
        consumer.close(autocommit=False)
    return ends, committed


def _replay(
    conn: Connection, spec, settings, service_config, handlers, ends, committed, result, echo, batch_size
) -> None:
    reader = make_reader(settings, max_poll_records=batch_size)
    seen: set[str] = set()
    try:
        for topic in spec.consumes:  # topic by topic, in the order the service lists them (the directory first)
            name = settings.topic(topic)
            todo = {tp: end for tp, end in ends.items() if tp.topic == name and end > 0}
            total, done = sum(todo.values()), 0
            if not todo:
                echo(f"  {name}: empty")
                continue
            reader.assign(list(todo))
            reader.seek_to_beginning(*todo)
            idle_since = shown = time.monotonic()
            while todo:
                polled = reader.poll(timeout_ms=1000)
                for tp, records in polled.items():
                    if tp not in todo:
                        continue
                    records = [r for r in records if r.offset < todo[tp]]
                    done += len(records)
                    _apply(
                        conn,
                        handlers,
                        settings,
                        service_config,
                        records,
                        committed.get(tp, 0),
                        seen,
                        result,
                        spec.consumer_group,
                    )
                for tp in list(todo):
                    if reader.position(tp) >= todo[tp]:
                        todo.pop(tp)
                if polled:
                    idle_since = time.monotonic()
                    if todo and idle_since - shown >= PROGRESS_SECONDS:
                        echo(f"  {name}: {done}/{total} records")
                        shown = idle_since
                elif time.monotonic() - idle_since > settings.kafka_client_timeout_ms / 1000.0 * 3:
                    raise RuntimeError(
                        f"{name}: no records arrive from Kafka for partitions {sorted(tp.partition for tp in todo)}; "
                        "nothing was changed"
                    )
            echo(f"  {name}: {done} records read")
            result.read += done
    finally:
        reader.close()


def _apply(
    conn: Connection, handlers, settings, service_config, records, committed: int, seen: set, result, group
) -> None:
    """Apply the records' events that took effect before (processed, or before the group's offset)."""
    events = []
    for record in records:
        try:
            event = parse_event(record.value)
        except EventError:
            result.skipped += 1
            continue
        if event.type not in handlers or event.id in seen:
            result.skipped += 1
            continue
        events.append((record, event))
    if not events:
        return
    known = set(
        conn.execute(
            select(PROCESSED_EVENTS.c.event_id).where(
                PROCESSED_EVENTS.c.consumer_group == group, PROCESSED_EVENTS.c.event_id.in_([e.id for _, e in events])
            )
        ).scalars()
    )
    chosen = []
    for record, event in events:
        if event.id in known or record.offset < committed:
            if event.id not in seen:
                seen.add(event.id)
                chosen.append((record, event))
            else:
                result.skipped += 1
        else:
            result.waiting += 1
    if not chosen:
        return
    try:
        _savepoint(conn, handlers, settings, service_config, [e for _, e in chosen])
        result.applied += len(chosen)
        return
    except Exception:
        pass
    for record, event in chosen:  # find the one that fails; the others take effect
        try:
            _savepoint(conn, handlers, settings, service_config, [event])
            result.applied += 1
        except Exception as exc:  # noqa: BLE001 - reported, like a dead letter
            result.failed.append(
                {
                    "topic": record.topic,
                    "partition": record.partition,
                    "offset": record.offset,
                    "id": event.id,
                    "type": event.type,
                    "error": repr(exc)[:500],
                }
            )


def _savepoint(conn: Connection, handlers, settings, service_config, events: list[Event]) -> None:
    with handler_context(settings, service_config) as scope:
        with conn.begin_nested():
            for event in events:
                run_handler(handlers[event.type], conn, event)
            scope.flush()
