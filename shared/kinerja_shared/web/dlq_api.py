"""GET /api/v1/dlq: the dead-letter topics of this service, read-only, for admins.

For each topic the service consumes, its dead-letter topic ``<topic>.<group>.dlq``: how many
records it holds, how many of them were not replayed yet (past the offsets the replay group
``<group>.dlq-replay`` committed, see ``<service> dlq replay``), and the last few records with
the reason from their headers. Read by offsets, without joining or moving any consumer group,
so it answers in about the time of a few broker round trips and never changes what a replay
will do. The web console's admin screen shows it (through the gateway at
``/svc/<service>/api/v1/dlq``).
"""

from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint
from kafka import KafkaConsumer
from kafka.errors import KafkaError
from kafka.structs import TopicPartition

from ..config import Settings
from ..dlq import _headers
from ..events.catalog import dlq_topic
from .docs import errors
from .problems import Forbidden, ServiceUnavailable


class DlqQuery(ma.Schema):
    last = ma.fields.Integer(
        load_default=5,
        validate=ma.validate.Range(min=0, max=50),
        metadata={"description": "How many of the latest dead letters to show per topic"},
    )


class DeadLetter(ma.Schema):
    partition = ma.fields.Integer()
    offset = ma.fields.Integer()
    key = ma.fields.String(allow_none=True)
    type = ma.fields.String(allow_none=True, metadata={"description": "ce_type of the event, when it had one"})
    id = ma.fields.String(allow_none=True, metadata={"description": "ce_id of the event"})
    reason = ma.fields.String(allow_none=True, metadata={"description": "Why the consumer gave up (dlq_error header)"})
    failed_at = ma.fields.String(allow_none=True)
    original = ma.fields.String(metadata={"description": "topic/partition@offset it came from"})
    replayed = ma.fields.Boolean(metadata={"description": "Already re-published by a replay"})


class DlqTopic(ma.Schema):
    topic = ma.fields.String(metadata={"description": "The dead-letter topic"})
    source_topic = ma.fields.String(metadata={"description": "The consumed topic it belongs to"})
    consumer_group = ma.fields.String()
    exists = ma.fields.Boolean(metadata={"description": "false until the first dead letter (or `topics`) created it"})
    messages = ma.fields.Integer(metadata={"description": "Records on the topic (within its retention)"})
    waiting = ma.fields.Integer(metadata={"description": "Records not replayed yet"})
    last = ma.fields.List(ma.fields.Nested(DeadLetter), metadata={"description": "The latest records, newest first"})


class DlqStatus(ma.Schema):
    service = ma.fields.String()
    topics = ma.fields.List(ma.fields.Nested(DlqTopic))
    messages = ma.fields.Integer()
    waiting = ma.fields.Integer()


def _reader(settings: Settings, group: str) -> KafkaConsumer:
    """A consumer that only assigns partitions: it reads the replay group's offsets but never joins or commits."""
    timeout = max(settings.kafka_client_timeout_ms, 5000)
    return KafkaConsumer(
        bootstrap_servers=[s.strip() for s in settings.kafka_bootstrap_servers.split(",") if s.strip()],
        client_id=f"{settings.service_name}-dlq-status",
        group_id=settings.group(f"{group}.dlq-replay"),
        enable_auto_commit=False,
        allow_auto_create_topics=False,
        request_timeout_ms=timeout + 1000,
        reconnect_backoff_max_ms=1000,
        bootstrap_timeout_ms=timeout,
    )


def _latest(consumer: KafkaConsumer, tps: list[TopicPartition], begin: dict, end: dict, last: int) -> list:
    """The last ``last`` records of each partition (then the newest ``last`` overall)."""
    wanted = {tp: end[tp] for tp in tps if end[tp] > begin[tp]}
    if not wanted or last == 0:
        return []
    consumer.assign(list(wanted))
    for tp in wanted:
        consumer.seek(tp, max(begin[tp], end[tp] - last))
    records = []
    for _ in range(40):  # each poll waits at most 250 ms: a bound even if the broker stalls
        if all(consumer.position(tp) >= wanted[tp] for tp in wanted):
            break
        for batch in consumer.poll(timeout_ms=250).values():
            records.extend(r for r in batch if r.offset < wanted[TopicPartition(r.topic, r.partition)])
    records.sort(key=lambda r: (r.timestamp, r.offset), reverse=True)
    return records[:last]


def dlq_status(settings: Settings, consumed: list[str], group: str, last: int = 5) -> list[dict]:
    """Per consumed topic: its dead-letter topic's size, what waits for a replay, the latest reasons."""
    consumer = _reader(settings, group)
    try:
        existing = consumer.topics()
        out = []
        for source in consumed:
            name = dlq_topic(settings.topic(source), group)
            row = {
                "topic": name,
                "source_topic": settings.topic(source),
                "consumer_group": group,
                "exists": name in existing,
                "messages": 0,
                "waiting": 0,
                "last": [],
            }
            out.append(row)
            if not row["exists"]:
                continue
            tps = [TopicPartition(name, p) for p in sorted(consumer.partitions_for_topic(name) or [])]
            begin, end = consumer.beginning_offsets(tps), consumer.end_offsets(tps)
            replayed_to = {}
            for tp in tps:
                committed = consumer.committed(tp)
                replayed_to[tp] = min(max(committed or 0, begin[tp]), end[tp])
            row["messages"] = sum(end[tp] - begin[tp] for tp in tps)
            row["waiting"] = sum(end[tp] - replayed_to[tp] for tp in tps)
            for record in _latest(consumer, tps, begin, end, last):
                h = _headers(record)
                row["last"].append(
                    {
                        "partition": record.partition,
                        "offset": record.offset,
                        "key": record.key.decode(errors="replace") if record.key else None,
                        "type": h.get("ce_type"),
                        "id": h.get("ce_id"),
                        "reason": h.get("dlq_error"),
                        "failed_at": h.get("dlq_failed_at"),
                        "original": (
                            f"{h.get('dlq_original_topic')}/{h.get('dlq_original_partition')}"
                            f"@{h.get('dlq_original_offset')}"
                        ),
                        "replayed": record.offset < replayed_to[TopicPartition(record.topic, record.partition)],
                    }
                )
        return out
    finally:
        consumer.close(autocommit=False)


def make_dlq_blueprint() -> Blueprint:
    blp = Blueprint("dlq", __name__, url_prefix="/api/v1/dlq", description="Dead-letter topics (read-only status).")

    @blp.route("")
    @blp.arguments(DlqQuery, location="query")
    @blp.response(200, DlqStatus)
    @errors(blp, (422, "Bad 'last'"), (503, "Kafka is unreachable"))
    def get_dlq(args):
        """The dead-letter topics of this service's consumer: records held, records waiting for a
        replay (``<service> dlq replay``) and the latest reasons from the headers (admin)."""
        from .app_factory import current_principal, runtime

        if not current_principal().is_admin:
            raise Forbidden("Only an admin may read the dead-letter topics.")
        rt = runtime()
        try:
            topics = dlq_status(rt.settings, rt.spec.consumes, rt.spec.consumer_group, args["last"])
        except KafkaError as exc:
            raise ServiceUnavailable(
                f"Kafka did not answer, so the dead-letter topics cannot be read: {exc!r}", title="Kafka unreachable"
            ) from None
        return {
            "service": rt.spec.name,
            "topics": topics,
            "messages": sum(t["messages"] for t in topics),
            "waiting": sum(t["waiting"] for t in topics),
        }

    return blp
