"""Dead-letter queues: list what is waiting and replay it to the original topic."""

from __future__ import annotations

import time

from kafka.structs import TopicPartition

from .config import Settings
from .events.catalog import dlq_topic
from .kafka_io import make_consumer, make_producer


def _headers(record) -> dict[str, str]:
    return {k: (v.decode(errors="replace") if isinstance(v, bytes) else str(v)) for k, v in (record.headers or [])}


def read_dlq(
    settings: Settings,
    topic: str,
    group: str,
    *,
    idle_seconds: float = 3.0,
    replay_group: str | None = None,
    limit: int | None = None,
):
    """Yield (consumer, record) from a DLQ topic until it is idle; the caller commits."""
    consumer = make_consumer(
        settings, settings.group(replay_group or f"{group}.dlq-reader"), [dlq_topic(settings.topic(topic), group)]
    )
    try:
        seen = 0
        idle_since = time.monotonic()
        while time.monotonic() - idle_since < idle_seconds:
            batch = consumer.poll(timeout_ms=500)
            if not batch:
                continue
            idle_since = time.monotonic()
            for _tp, records in batch.items():
                for record in records:
                    yield consumer, record
                    seen += 1
                    if limit is not None and seen >= limit:
                        return
    finally:
        consumer.close(autocommit=False)


def list_dlq(settings: Settings, topic: str, group: str, limit: int = 100) -> list[dict]:
    """What waits in the DLQ (read without moving any replay position)."""
    out = []
    for _consumer, record in read_dlq(
        settings, topic, group, replay_group=f"{group}.dlq-peek-{time.time_ns()}", limit=limit
    ):
        h = _headers(record)
        out.append(
            {
                "partition": record.partition,
                "offset": record.offset,
                "key": (record.key or b"").decode(errors="replace"),
                "type": h.get("ce_type"),
                "id": h.get("ce_id"),
                "error": h.get("dlq_error"),
                "original": (
                    f"{h.get('dlq_original_topic')}/{h.get('dlq_original_partition')}@{h.get('dlq_original_offset')}"
                ),
            }
        )
    return out


def replay_dlq(settings: Settings, topic: str, group: str, limit: int | None = None) -> int:
    """Re-publish DLQ records to the topic they came from; a replayed record is not replayed twice."""
    producer = make_producer(settings)
    replayed = 0
    try:
        for consumer, record in read_dlq(settings, topic, group, replay_group=f"{group}.dlq-replay", limit=limit):
            headers = [(k, v) for k, v in (record.headers or []) if not k.startswith("dlq_")]
            producer.send(
                _headers(record).get("dlq_original_topic", settings.topic(topic)),
                value=record.value,
                key=record.key,
                headers=headers,
            ).get(timeout=30)
            from kafka.structs import OffsetAndMetadata

            consumer.commit(
                {TopicPartition(record.topic, record.partition): OffsetAndMetadata(record.offset + 1, "", -1)}
            )
            replayed += 1
    finally:
        producer.close(timeout=5)
    return replayed
