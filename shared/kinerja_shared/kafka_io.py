"""Kafka clients built one way for every service: producer, consumer, topic bootstrap.

kafka-python 3.0 negotiates the protocol version itself (never pass ``api_version``);
the producer keeps its defaults ``acks='all'`` and idempotence on.

Throughput: kafka-python checksums every record batch with CRC-32C, in pure Python unless
the ``crc32c`` package (C) is installed — it is a dependency of this library, which makes
producing and consuming several times cheaper. The key's murmur2 hash (pure Python) is
computed once per key (``CachingPartitioner``), with the same partitions as the default.
"""
from __future__ import annotations

import logging
import time

from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient
from kafka.errors import KafkaError, TopicAlreadyExistsError
from kafka.partitioner.default import DefaultPartitioner, murmur2

from .config import Settings
from .events.catalog import TOPICS, dlq_topic

log = logging.getLogger(__name__)


def _servers(settings: Settings) -> list[str]:
    return [s.strip() for s in settings.kafka_bootstrap_servers.split(",") if s.strip()]


class CachingPartitioner(DefaultPartitioner):
    """kafka-python's default partitioner (murmur2 of the key, like the Java client) with the
    hash of each key computed once: keys are NIPs, a bounded set that repeats all day."""

    MAX_KEYS = 200_000

    def __init__(self):
        self._hashes: dict[bytes, int] = {}

    def partition(self, topic, key, serialized_key, value, serialized_value, cluster):
        if serialized_key is None:
            return super().partition(topic, key, serialized_key, value, serialized_value, cluster)
        if topic not in cluster.topics():
            raise ValueError("Topic %s not found in ClusterMetadata" % (topic,))
        h = self._hashes.get(serialized_key)
        if h is None:
            if len(self._hashes) >= self.MAX_KEYS:
                self._hashes.clear()
            h = self._hashes[serialized_key] = murmur2(serialized_key) & 0x7FFFFFFF
        all_partitions = sorted(cluster.partitions_for_topic(topic))
        return all_partitions[h % len(all_partitions)]


def make_producer(settings: Settings, **overrides) -> KafkaProducer:
    config = dict(
        bootstrap_servers=_servers(settings),
        client_id=f"{settings.service_name}-producer",
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_block_ms=settings.kafka_client_timeout_ms,
        request_timeout_ms=max(settings.kafka_client_timeout_ms, 5000),
        delivery_timeout_ms=max(30000, settings.kafka_client_timeout_ms * 3),
        reconnect_backoff_max_ms=2000,
        partitioner=CachingPartitioner(),
    )
    config.update(overrides)
    return KafkaProducer(**config)


def make_consumer(settings: Settings, group_id: str, topics: list[str], **overrides) -> KafkaConsumer:
    consumer = make_reader(settings, group_id, **{"client_id": f"{settings.service_name}-consumer", "max_poll_records": 500,
                                                  **overrides})
    consumer.subscribe(topics)
    return consumer


def make_reader(settings: Settings, group_id: str | None = None, **overrides) -> KafkaConsumer:
    """A consumer without a subscription, committing nothing by itself: it joins no group while the caller
    assigns and positions partitions (``group_id`` then only reads the group's committed offsets);
    ``make_consumer`` subscribes one to the service's topics."""
    config = dict(
        bootstrap_servers=_servers(settings),
        client_id=f"{settings.service_name}-reader",
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        reconnect_backoff_max_ms=2000,
        request_timeout_ms=max(settings.kafka_client_timeout_ms * 3, 30000) + 5000,
    )
    config.update(overrides)
    return KafkaConsumer(**config)


def make_admin(settings: Settings) -> KafkaAdminClient:
    return KafkaAdminClient(
        bootstrap_servers=_servers(settings),
        client_id=f"{settings.service_name}-admin",
        request_timeout_ms=max(settings.kafka_client_timeout_ms, 5000),
    )


def topics_for(settings: Settings, consumer_group: str | None, consumed: list[str]) -> list[str]:
    """The Kafka topics a service needs: its own, those it consumes, and its dead-letter topics."""
    names = {settings.topic(TOPICS[settings.service_name]), *(settings.topic(t) for t in consumed)}
    if consumer_group:
        names.update(dlq_topic(settings.topic(t), consumer_group) for t in consumed)
    return sorted(names)


def ensure_topics(settings: Settings, names: list[str], *, wait_seconds: float = 120.0) -> list[str]:
    """Create missing topics with the configured partitions and replication; wait for the broker.

    Returns the names that were created. Retries with backoff while the broker is unreachable,
    up to ``wait_seconds``; a refusal by the broker (e.g. a replication factor larger than the
    number of brokers) is raised at once with the broker's reason.
    """
    deadline = time.monotonic() + wait_seconds
    delay = 0.5
    while True:
        try:
            admin = make_admin(settings)
        except KafkaError as exc:
            if time.monotonic() > deadline:
                raise
            log.warning("Kafka not reachable for topic bootstrap, retrying", extra={"error": repr(exc)})
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
            continue
        try:
            existing = set(admin.list_topics())
            missing = [n for n in names if n not in existing]
            for name in missing:
                spec = {name: {
                    "num_partitions": settings.kafka_topic_partitions,
                    "replication_factor": settings.kafka_replication_factor,
                    "configs": {"min.insync.replicas": str(min(2, settings.kafka_replication_factor))},
                }}
                try:
                    admin.create_topics(spec, raise_errors=True, wait_for_metadata=True)
                except TopicAlreadyExistsError:
                    pass
                except KafkaError as exc:
                    raise RuntimeError(
                        f"the broker refused to create topic {name} with {settings.kafka_topic_partitions} partitions and "
                        f"replication {settings.kafka_replication_factor} (KAFKA_TOPIC_PARTITIONS, KAFKA_REPLICATION_FACTOR): {exc!r}"
                    ) from exc
            if missing:
                log.info("created topics", extra={"topics": missing})
            return missing
        finally:
            admin.close()
