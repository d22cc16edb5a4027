"""The consumer applies a poll's records in one transaction; these tests hold it to the same
guarantees as one record at a time, against the real broker and PostgreSQL: a poison event
inside a poll is retried and dead-lettered alone while its neighbours take effect exactly
once; a database outage in the middle of a poll loses nothing and doubles nothing; offsets
are committed only for what took effect."""

import json
import threading

from kinerja_shared.consumer import EventConsumer, TransactionScope
from kinerja_shared.events import make_event
from kinerja_shared.kafka_io import ensure_topics, make_consumer, make_producer, topics_for
from kinerja_shared.outbox import publish
from kinerja_shared.relay import OutboxRelay
from kinerja_shared.testing import wait_for

TOPIC = "kinerja.evaluation.events"
NIPS = ["199001012015011001", "198001012005011002", "197512252000032003"]


def feedback(nip, text):
    return make_event(
        "FeedbackGiven",
        source_service="evaluation-service",
        subject=text,
        partitionkey=nip,
        data={"feedback_id": text, "nip": nip, "rater_nip": None, "text": text},
    )


def _put_on_topic(probe, events):
    """Publish through the outbox and the relay, as a service does."""
    ensure_topics(probe.settings, topics_for(probe.settings, probe.spec.consumer_group, [TOPIC]))
    with probe.engine.begin() as conn:
        publish(conn, *events)
    relay = OutboxRelay(probe.settings, probe.engine, lambda: make_producer(probe.settings))
    while relay.run_once():
        pass
    relay._close_producer()


def _consumer(probe) -> EventConsumer:
    s = probe.settings
    return EventConsumer(
        s,
        probe.engine,
        group_id=s.group(probe.spec.consumer_group),
        name=probe.spec.consumer_group,
        service_config=probe.spec.load_config(s),
        topics=[s.topic(TOPIC)],
        handlers=probe.spec.handlers,
        consumer_factory=lambda group, topics: make_consumer(s, group, topics),
        producer_factory=lambda: make_producer(s),
    )


def _run_until(consumer, predicate, message):
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,))
    thread.start()
    try:
        wait_for(predicate, 60, message=message)
    finally:
        stop.set()
        thread.join(30)


def _effects_by_text(probe) -> dict[str, int]:
    return {r["text"]: r["n"] for r in probe.rows("select text, count(*) as n from effects group by text")}


def _nothing_left_to_consume(probe):
    """A new consumer of the same group finds nothing: every offset was committed."""
    again = _consumer(probe)
    stop = threading.Event()
    timer = threading.Timer(4.0, stop.set)
    timer.start()
    again.run(stop)
    return again.stats


def test_a_poison_event_inside_a_poll_goes_to_the_dlq_and_its_neighbours_take_effect_once(
    probe, kafka_tools, refused_texts
):
    texts = [f"n{i:02d}" for i in range(30)]
    texts[12] = "poison"
    events = [feedback(NIPS[0], t) for t in texts]
    refused_texts.add("poison")
    _put_on_topic(probe, events)
    kafka_tools.produce(TOPIC, events[5], key=NIPS[0])  # a redelivered copy in the same poll
    consumer = _consumer(probe)
    _run_until(
        consumer,
        lambda: sum(_effects_by_text(probe).values()) >= 29 and consumer.stats.dead_lettered == 1,
        "every neighbour applied and the poison dead-lettered",
    )

    assert _effects_by_text(probe) == {t: 1 for t in texts if t != "poison"}
    assert consumer.stats.batch_fallbacks >= 1, "the poll's transaction failed on the poison and was re-applied"
    assert consumer.stats.processed == 29 and consumer.stats.dead_lettered == 1
    assert probe.scalar("select count(*) from processed_events") == 29
    dlq = kafka_tools.read(f"{kafka_tools.prefix}{TOPIC}.evaluation-service.dlq", full_name=True)
    assert [json.loads(r.value)["data"]["text"] for r in dlq] == ["poison"]
    assert "after 3 attempts" in dict(dlq[0].headers)["dlq_error"].decode()
    left = _nothing_left_to_consume(probe)
    assert (left.processed, left.duplicates, left.dead_lettered) == (0, 0, 0)


def test_a_database_outage_in_the_middle_of_a_poll_loses_nothing_and_doubles_nothing(
    probe, kafka_tools, severing_texts
):
    texts = [f"m{i:02d}" for i in range(40)]
    severing_texts.add("m17")
    _put_on_topic(probe, [feedback(NIPS[i % 3], t) for i, t in enumerate(texts)])
    consumer = _consumer(probe)
    _run_until(consumer, lambda: sum(_effects_by_text(probe).values()) >= 40, "every event after the outage")

    assert not severing_texts, "the outage happened"
    assert _effects_by_text(probe) == {t: 1 for t in texts}
    assert probe.scalar("select count(*) from processed_events") == 40
    assert consumer.stats.processed == 40 and consumer.stats.dead_lettered == 0, "an outage is not the event's fault"
    left = _nothing_left_to_consume(probe)
    assert (left.processed, left.duplicates) == (0, 0)


def test_a_poll_is_one_transaction_with_work_deferred_to_its_end(probe):
    """apply_batch: one inbox statement for the poll, an event id twice takes effect once, and
    work a handler defers with TransactionScope.before_commit runs once before the commit."""
    from kinerja_shared.consumer import current_scope
    from kinerja_shared.events.envelope import Event, validate_event

    seen_scopes, flushed = [], []

    def handler(conn, event):
        scope = current_scope()
        seen_scopes.append(scope)
        scope.before_commit("summary", lambda: flushed.append(len(seen_scopes)))
        probe.spec.handlers["FeedbackGiven"](conn, event)

    consumer = _consumer(probe)
    consumer.handlers = {"FeedbackGiven": handler}
    first, second = feedback(NIPS[0], "b1"), feedback(NIPS[1], "b2")
    assert consumer.apply_batch([Event(validate_event(e)) for e in (first, second, first)]) == [
        "processed",
        "processed",
        "duplicate",
    ]
    assert len(seen_scopes) == 2 and seen_scopes[0] is seen_scopes[1], "one transaction for the poll"
    assert flushed == [2], "deferred work runs once, after every handler of the poll"
    assert _effects_by_text(probe) == {"b1": 1, "b2": 1}
    assert consumer.apply_batch([Event(validate_event(e)) for e in (second, first)]) == ["duplicate", "duplicate"]
    assert current_scope() is None and isinstance(seen_scopes[0], TransactionScope)
