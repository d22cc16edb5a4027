"""GET /api/v1/dlq against the real broker: what waits in the service's dead-letter topics,
with the reasons, for admins only; a replay leaves the records on the topic but no longer waiting."""

from kinerja_shared.dlq import replay_dlq
from kinerja_shared.testing import wait_for

from .test_delivery import NIPS, TOPIC, feedback

DLQ = f"{TOPIC}.evaluation-service.dlq"


def status(probe, **query):
    answer = probe.client.get("/api/v1/dlq", query_string=query, headers=probe.token("197001011995031001", "admin"))
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_dead_letters_are_counted_with_their_reasons_and_replays_are_no_longer_waiting(
    probe, kafka_tools, refused_texts
):
    before = status(probe)
    assert before["service"] == "evaluation-service"
    [topic] = before["topics"]
    assert topic["topic"] == kafka_tools.prefix + DLQ and topic["source_topic"] == kafka_tools.prefix + TOPIC
    assert topic["messages"] == 0 and topic["waiting"] == 0 and topic["last"] == []

    refused_texts.add("poison")
    kafka_tools.produce(TOPIC, b"this is not json", key=NIPS[0])
    kafka_tools.produce(TOPIC, feedback(NIPS[1], "poison"), key=NIPS[1])
    kafka_tools.produce(TOPIC, feedback(NIPS[1], "after"), key=NIPS[1])
    probe.start_worker()
    wait_for(lambda: probe.scalar("select count(*) from effects where text = 'after'") == 1, message="the good event")
    wait_for(lambda: status(probe)["messages"] == 2, message="two dead letters")

    body = status(probe)
    [topic] = body["topics"]
    assert topic["exists"] and topic["messages"] == 2 and topic["waiting"] == 2 and body["waiting"] == 2
    reasons = {r["reason"] for r in topic["last"]}
    assert any("not JSON" in r for r in reasons), reasons
    assert any("refuses 'poison'" in r and "after 3 attempts" in r for r in reasons), reasons
    poison = next(r for r in topic["last"] if "poison" in r["reason"])
    assert poison["key"] == NIPS[1] and poison["original"].startswith(kafka_tools.prefix + TOPIC + "/")
    assert poison["failed_at"] and poison["replayed"] is False

    assert len(status(probe, last=1)["topics"][0]["last"]) == 1, "only the newest when asked for one"

    # Reading the status moved nothing: a replay still finds both records, then none wait.
    # (The worker stops first: it would dead-letter the non-JSON record again as the replay re-publishes it.)
    probe.stop_workers()
    assert replay_dlq(probe.settings, TOPIC, "evaluation-service") == 2
    after = status(probe)["topics"][0]
    assert after["messages"] == 2 and after["waiting"] == 0
    assert all(r["replayed"] for r in after["last"])


def test_only_admins_read_the_dead_letters(probe):
    answer = probe.client.get("/api/v1/dlq", headers=probe.token("199208172019031004", "employee", "supervisor"))
    assert answer.status_code == 403
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert probe.client.get("/api/v1/dlq").status_code == 401
    bad = probe.client.get("/api/v1/dlq?last=500", headers=probe.token("197001011995031001", "admin"))
    assert bad.status_code == 422 and "last" in str(bad.get_json()["errors"])
