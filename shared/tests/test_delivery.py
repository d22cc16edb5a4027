"""Delivery guarantees against the real broker and PostgreSQL: the outbox relay keeps order
per key and loses nothing; the consumer applies each event once, dead-letters what it cannot
apply and goes on; dead letters can be replayed."""

import json
import threading

from kinerja_shared.db import OUTBOX
from kinerja_shared.events import make_event
from kinerja_shared.kafka_io import ensure_topics, make_producer
from kinerja_shared.outbox import publish
from kinerja_shared.relay import OutboxRelay
from kinerja_shared.testing import wait_for

TOPIC = "kinerja.evaluation.events"
NIPS = ["199001012015011001", "198001012005011002", "197512252000032003"]


def feedback(nip, text, **kw):
    return make_event(
        "FeedbackGiven",
        source_service="evaluation-service",
        subject=text,
        partitionkey=nip,
        data={"feedback_id": text, "nip": nip, "rater_nip": None, "text": text},
        **kw,
    )


def test_relay_publishes_everything_in_order_per_key(probe, kafka_tools):
    events = [feedback(NIPS[i % 3], f"e{i:03d}") for i in range(60)]
    with probe.engine.begin() as conn:
        publish(conn, *events)
    ensure_topics(probe.settings, [probe.settings.topic(TOPIC)])
    relay = OutboxRelay(probe.settings, probe.engine, lambda: make_producer(probe.settings))
    relay.batch_size = 25
    while relay.run_once():
        pass
    relay._close_producer()
    assert probe.scalar("select count(*) from outbox where status = 'published'") == 60
    records = kafka_tools.read(TOPIC)
    assert sorted(json.loads(r.value)["id"] for r in records) == sorted(e["id"] for e in events)
    for nip in NIPS:
        on_topic = [json.loads(r.value)["data"]["text"] for r in records if r.key == nip.encode()]
        assert on_topic == sorted(on_topic), "events of one employee must stay in order"
        assert len({r.partition for r in records if r.key == nip.encode()}) == 1
    headers = dict(records[0].headers)
    assert headers["content-type"] == b"application/cloudevents+json" and headers["ce_type"] == b"FeedbackGiven"


def test_relay_keeps_rows_while_the_broker_is_unreachable(probe):
    with probe.engine.begin() as conn:
        publish(conn, feedback(NIPS[0], "kept"))
    from dataclasses import replace

    dead = replace(probe.settings, kafka_bootstrap_servers="127.0.0.1:1", kafka_client_timeout_ms=1000)
    relay = OutboxRelay(dead, probe.engine, lambda: make_producer(dead))
    stop = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stop,))
    thread.start()
    stop.wait(3)
    stop.set()
    thread.join(30)
    with probe.engine.connect() as conn:
        row = conn.execute(OUTBOX.select()).one()
    assert row.status == "pending", "nothing may be marked sent without the broker's acknowledgement"


def test_a_request_succeeds_while_the_broker_is_down(probe):
    """The HTTP path only writes the outbox: a broker outage never fails the user's request."""
    from dataclasses import replace

    from kinerja_shared.web.app_factory import create_service_app

    app = create_service_app(probe.spec, replace(probe.settings, kafka_bootstrap_servers="127.0.0.1:1"), probe.engine)
    r = app.test_client().post("/api/v1/notes", json={"nip": NIPS[0], "text": "offline"}, headers=probe.token(NIPS[0]))
    assert r.status_code == 201
    assert probe.scalar("select count(*) from outbox where status = 'pending'") == 1


def test_end_to_end_request_event_effect_through_the_worker(probe):
    probe.start_worker()
    r = probe.client.post("/api/v1/notes", json={"nip": NIPS[0], "text": "hello"}, headers=probe.token(NIPS[0]))
    assert r.status_code == 201
    wait_for(
        lambda: probe.scalar("select count(*) from effects where event_id = :i", i=r.json["event_id"]) == 1,
        message="the worker to relay and consume the event",
    )
    assert probe.scalar("select status from outbox") == "published"


def test_an_event_delivered_twice_has_one_effect(probe, kafka_tools):
    event = feedback(NIPS[1], "twice")
    kafka_tools.produce(TOPIC, event, key=NIPS[1])
    kafka_tools.produce(TOPIC, event, key=NIPS[1])
    marker = feedback(NIPS[1], "after")
    kafka_tools.produce(TOPIC, marker, key=NIPS[1])
    probe.start_worker()
    wait_for(lambda: probe.scalar("select count(*) from effects where text = 'after'") == 1, message="the marker event")
    assert probe.scalar("select count(*) from effects where text = 'twice'") == 1
    assert probe.scalar("select count(*) from processed_events where event_id = :i", i=event["id"]) == 1


def test_malformed_events_go_to_the_dlq_and_the_consumer_goes_on(probe, kafka_tools):
    wrong_schema = feedback(NIPS[0], "x")
    wrong_schema["data"].pop("text")
    unknown_type = dict(feedback(NIPS[0], "y"), type="SalaryDoubled")
    unknown_version = dict(feedback(NIPS[0], "z"), dataschema="urn:kinerja:event:FeedbackGiven:v7")
    kafka_tools.produce(TOPIC, b"this is not json", key=NIPS[0])
    kafka_tools.produce(TOPIC, wrong_schema, key=NIPS[0])
    kafka_tools.produce(TOPIC, unknown_type, key=NIPS[0])
    kafka_tools.produce(TOPIC, unknown_version, key=NIPS[0])
    kafka_tools.produce(TOPIC, feedback(NIPS[0], "no key"), key=None)
    kafka_tools.produce(TOPIC, feedback(NIPS[0], "good"), key=NIPS[0])
    probe.start_worker()
    wait_for(lambda: probe.scalar("select count(*) from effects where text = 'good'") == 1, message="the good event")
    dlq = kafka_tools.read(f"{TOPIC}.evaluation-service.dlq".replace(TOPIC, kafka_tools.prefix + TOPIC), full_name=True)
    reasons = [dict(r.headers)["dlq_error"].decode() for r in dlq]
    assert len(dlq) == 5, reasons
    assert any("not JSON" in r for r in reasons)
    assert any("'text' is a required property" in r for r in reasons)
    assert any("unknown event type 'SalaryDoubled'" in r for r in reasons)
    assert any("version 7" in r for r in reasons)
    assert any("no key" in r for r in reasons)
    assert dict(dlq[0].headers)["dlq_original_topic"] == (kafka_tools.prefix + TOPIC).encode()
    assert probe.scalar("select count(*) from effects") == 1


def test_a_failing_handler_is_retried_then_dead_lettered_and_can_be_replayed(probe, kafka_tools, refused_texts):
    from kinerja_shared.dlq import replay_dlq

    refused_texts.add("poison")
    kafka_tools.produce(TOPIC, feedback(NIPS[2], "poison"), key=NIPS[2])
    kafka_tools.produce(TOPIC, feedback(NIPS[2], "next"), key=NIPS[2])
    probe.start_worker()
    wait_for(lambda: probe.scalar("select count(*) from effects where text = 'next'") == 1, message="the next event")
    assert probe.scalar("select count(*) from effects where text = 'poison'") == 0
    dlq = kafka_tools.read(f"{kafka_tools.prefix}{TOPIC}.evaluation-service.dlq", full_name=True)
    assert len(dlq) == 1 and "after 3 attempts" in dict(dlq[0].headers)["dlq_error"].decode()
    # The bug is fixed: the operator replays the DLQ and the event takes effect, once.
    refused_texts.clear()
    assert replay_dlq(probe.settings, TOPIC, "evaluation-service") == 1
    wait_for(
        lambda: probe.scalar("select count(*) from effects where text = 'poison'") == 1, message="the replayed event"
    )
    assert replay_dlq(probe.settings, TOPIC, "evaluation-service") == 0, "a dead letter is replayed once"
