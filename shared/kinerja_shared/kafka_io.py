"""Kafka clients built one way for every service: producer, consumer, topic bootstrap.

kafka-python 3.0 negotiates the protocol version itself (never pass ``api_version``);
the producer keeps its defaults ``acks='all'`` and idempotence on.

Throughput: kafka-python checksums every record batch with CRC-32C, in pure Python unless
the ``crc32c`` package (C) is installed — it is a dependency of this library, which makes
producing and consuming several times cheaper. The key's murmur2 hash (pure Python) is
computed once per key (``CachingPartitioner``), with the same partitions as the default.

A broker outage is logged calmly (``BrokerLink``/``BROKER``): one WARNING, a periodic summary, one INFO
when it is back; kafka-python's own connection errors are kept at DEBUG (``KafkaConnectionNoise``, put
on its loggers by every client built here).
"""

from __future__ import annotations

import logging
import re
import threading
import time

from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient
from kafka.errors import KafkaError, KafkaTimeoutError, TopicAlreadyExistsError
from kafka.partitioner.default import DefaultPartitioner, murmur2

from .config import Settings
from .events.catalog import TOPICS, dlq_topic

log = logging.getLogger(__name__)

DEFAULT_OUTAGE_SUMMARY_SECONDS = 60.0


class BrokerLink:
    """This process's view of the broker, so an outage reads as three kinds of lines, not hundreds:

    - one WARNING when the broker becomes unreachable (``failed``, first call);
    - while it stays down, one WARNING summary per ``summary_seconds`` (KINERJA_BROKER_OUTAGE_SUMMARY_SECONDS,
      default 60): how long, how many failed attempts, how many events wait in the outbox;
    - one INFO when it is reachable again (``reachable``).

    Fed by the relay, the consumer and the topic bootstrap (their own errors), and by kafka-python's
    connection log records (``KafkaConnectionNoise``), which are kept below WARNING meanwhile.
    """

    def __init__(self, summary_seconds: float = DEFAULT_OUTAGE_SUMMARY_SECONDS, clock=time.monotonic):
        self.summary_seconds = summary_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.down_since: float | None = None
            self._last_report = 0.0
            self.failures = 0
            self.waiting_events: int | None = None  # pending outbox rows, as the relay last counted them

    @property
    def is_down(self) -> bool:
        return self.down_since is not None

    def failed(self, error: str) -> None:
        with self._lock:
            now = self.clock()
            self.failures += 1
            if self.down_since is None:
                self.down_since, self._last_report, self.failures = now, now, 1
                report = "down"
            elif now - self._last_report >= self.summary_seconds:
                self._last_report = now
                report = "summary"
            else:
                return
            fields = self._fields(now)
        fields["error"] = str(error)[:500]
        if report == "down":
            log.warning(
                "Kafka broker unreachable; events wait in the outbox and are sent when it is back", extra=fields
            )
        else:
            log.warning("Kafka broker still unreachable", extra=fields)

    def reachable(self) -> None:
        if self.down_since is None:  # the common case: no lock, nothing to say
            return
        with self._lock:
            if self.down_since is None:
                return
            fields = self._fields(self.clock())
            self.down_since, self.failures = None, 0
        log.info("Kafka broker reachable again", extra=fields)

    def _fields(self, now: float) -> dict:
        fields = {"down_s": round(now - (self.down_since or now), 1), "failed_attempts": self.failures}
        if self.waiting_events is not None:
            fields["waiting_events"] = self.waiting_events
        return fields


BROKER = BrokerLink()

# kafka-python's lines about a broker it cannot reach (each reconnect attempt logs one or two at ERROR/WARNING).
_CONNECTION_NOISE = re.compile(
    r"connect|bootstrap|not ready|timed out|refused|unreachable|no route|DNS|getaddrinfo|"
    r"broker.*(not available|unavailable)|coordinator.*(dead|unknown|not available)",
    re.I,
)
_CONNECTED = re.compile(r": Connected$|Bootstrap complete")


class KafkaConnectionNoise(logging.Filter):
    """On kafka-python's loggers: a line about an unreachable broker (and, during an outage, any warning) is
    reported to ``BROKER`` and kept at DEBUG; a successful connection tells ``BROKER`` it is back. Other
    kafka-python warnings and errors (authentication, protocol) pass unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            message = record.getMessage()
            if not (BROKER.is_down or _CONNECTION_NOISE.search(message)):
                return True
            BROKER.failed(message)
            return self._demoted(record)
        if record.levelno == logging.INFO and record.name in _CONNECTION_LOGGERS:  # INFO on only to see it come back
            if isinstance(record.msg, str) and _CONNECTED.search(record.msg):
                BROKER.reachable()
            return self._demoted(record)
        return True

    @staticmethod
    def _demoted(record: logging.LogRecord) -> bool:
        if not logging.getLogger().isEnabledFor(logging.DEBUG):
            return False
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


_NOISE_FILTER = KafkaConnectionNoise()
_CONNECTION_LOGGERS = ("kafka.net.connection", "kafka.net.manager")  # their INFO lines tell when the broker is back


def calm_kafka_logs(settings: Settings | None = None) -> BrokerLink:
    """Put ``KafkaConnectionNoise`` on every kafka-python logger (idempotent) and return ``BROKER``, with the
    summary interval from ``settings`` (KINERJA_BROKER_OUTAGE_SUMMARY_SECONDS)."""
    if settings is not None:
        try:
            BROKER.summary_seconds = max(
                0.1, float(settings.extra.get("KINERJA_BROKER_OUTAGE_SUMMARY_SECONDS", DEFAULT_OUTAGE_SUMMARY_SECONDS))
            )
        except ValueError:
            BROKER.summary_seconds = DEFAULT_OUTAGE_SUMMARY_SECONDS
    names = [
        n
        for n, lg in logging.Logger.manager.loggerDict.items()
        if (n == "kafka" or n.startswith("kafka.")) and isinstance(lg, logging.Logger)
    ]
    for name in {*names, *_CONNECTION_LOGGERS}:
        logger = logging.getLogger(name)
        if _NOISE_FILTER not in logger.filters:
            logger.addFilter(_NOISE_FILTER)
    for name in _CONNECTION_LOGGERS:
        if logging.getLogger(name).getEffectiveLevel() > logging.INFO:
            logging.getLogger(name).setLevel(logging.INFO)
    return BROKER


def is_broker_error(exc: BaseException) -> bool:
    """An error that says the broker cannot be reached or did not answer (not a bug, not the database)."""
    return isinstance(exc, KafkaError)


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
    calm_kafka_logs(settings)
    config = dict(
        bootstrap_servers=_servers(settings),
        client_id=f"{settings.service_name}-producer",
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_block_ms=settings.kafka_client_timeout_ms,
        bootstrap_timeout_ms=settings.kafka_client_timeout_ms,  # not 30 s: the relay retries (and stops) sooner
        request_timeout_ms=max(settings.kafka_client_timeout_ms, 5000),
        delivery_timeout_ms=max(30000, settings.kafka_client_timeout_ms * 3),
        reconnect_backoff_max_ms=2000,
        partitioner=CachingPartitioner(),
    )
    config.update(overrides)
    return KafkaProducer(**config)


def make_consumer(settings: Settings, group_id: str, topics: list[str], **overrides) -> KafkaConsumer:
    consumer = make_reader(
        settings, group_id, **{"client_id": f"{settings.service_name}-consumer", "max_poll_records": 500, **overrides}
    )
    consumer.subscribe(topics)
    return consumer


def make_reader(settings: Settings, group_id: str | None = None, **overrides) -> KafkaConsumer:
    """A consumer without a subscription, committing nothing by itself: it joins no group while the caller
    assigns and positions partitions (``group_id`` then only reads the group's committed offsets);
    ``make_consumer`` subscribes one to the service's topics."""
    calm_kafka_logs(settings)
    config = dict(
        bootstrap_servers=_servers(settings),
        client_id=f"{settings.service_name}-reader",
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        bootstrap_timeout_ms=settings.kafka_client_timeout_ms,  # not 30 s: a stop is not held up by a dead broker
        reconnect_backoff_max_ms=2000,
        request_timeout_ms=max(settings.kafka_client_timeout_ms * 3, 30000) + 5000,
    )
    config.update(overrides)
    return KafkaConsumer(**config)


def make_admin(settings: Settings) -> KafkaAdminClient:
    calm_kafka_logs(settings)
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


class _RetryTopics(Exception):
    """ensure_topics: a transient failure while creating a topic; list and try again."""


def _retriable(exc: KafkaError) -> bool:
    return isinstance(exc, KafkaTimeoutError) or bool(getattr(exc, "retriable", False))


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
            BROKER.failed(f"topic bootstrap: {exc!r}")
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
            continue
        BROKER.reachable()
        try:
            existing = set(admin.list_topics())
            missing = [n for n in names if n not in existing]
            for name in missing:
                spec = {
                    name: {
                        "num_partitions": settings.kafka_topic_partitions,
                        "replication_factor": settings.kafka_replication_factor,
                        "configs": {"min.insync.replicas": str(min(2, settings.kafka_replication_factor))},
                    }
                }
                try:
                    admin.create_topics(spec, raise_errors=True, wait_for_metadata=True)
                except TopicAlreadyExistsError:
                    pass
                except KafkaError as exc:
                    if _retriable(exc) and time.monotonic() < deadline:
                        # e.g. "Topics not ready after 10000ms" on a loaded cluster: the topic may well exist
                        # by now; list again rather than stop the worker (an outage delays, never drops).
                        BROKER.failed(f"topic bootstrap: {exc!r}")
                        raise _RetryTopics() from exc
                    raise RuntimeError(
                        f"the broker refused to create topic {name} with {settings.kafka_topic_partitions} partitions "
                        "and "
                        f"replication {settings.kafka_replication_factor} (KAFKA_TOPIC_PARTITIONS, "
                        f"KAFKA_REPLICATION_FACTOR): {exc!r}"
                    ) from exc
            if missing:
                log.info("created topics", extra={"topics": missing})
            return missing
        except _RetryTopics:
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
            continue
        finally:
            admin.close()
