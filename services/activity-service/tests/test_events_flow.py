"""The walking skeleton through real Kafka: plan events in, activity events out, schemas checked."""

import sys
from pathlib import Path

from activity_service.service import SPEC
from kinerja_shared.events import parse_event
from kinerja_shared.testing import wait_for

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import E1, R, entry, org_events  # noqa: E402

PLAN_TOPIC = "kinerja.plan.events"
ACTIVITY_TOPIC = "kinerja.activity.events"


def test_plan_events_in_activity_events_out(service_factory, kafka_tools):
    svc = service_factory(SPEC)
    org = org_events()
    for event in org:
        kafka_tools.produce(PLAN_TOPIC, event, key=event["partitionkey"])
    kafka_tools.produce(PLAN_TOPIC, org[-2], key=org[-2]["partitionkey"])  # the same PlanApproved delivered twice
    svc.start_worker()

    def indicators():
        response = svc.client.get("/api/v1/indicators", headers=svc.token(E1))
        return {i["indicator_id"] for i in response.get_json()["items"]} == {"i1", "i2"}

    wait_for(indicators, timeout=60, message="PlanApproved to reach the read model")
    wait_for(
        lambda: svc.scalar("SELECT count(*) FROM processed_events") == len(org),
        timeout=30,
        message="every plan event processed once",
    )
    assert svc.scalar("SELECT rater_nip FROM employees WHERE nip = :nip", nip=E1) == R

    logged = svc.client.post("/api/v1/activities", json=entry(), headers=svc.token(E1))
    assert logged.status_code == 201, logged.get_json()
    aid = logged.get_json()["id"]
    assert (
        svc.client.post(
            f"/api/v1/activities/{aid}/verify", json={"decision": "accepted"}, headers=svc.token(R)
        ).status_code
        == 200
    )

    wait_for(lambda: all(e["_status"] == "published" for e in svc.outbox()), timeout=30, message="the outbox relayed")
    records = wait_for(
        lambda: (lambda rs: rs if len(rs) >= 2 else None)(kafka_tools.read(ACTIVITY_TOPIC, idle_seconds=1)),
        timeout=30,
        message="two activity events on Kafka",
    )
    events = [parse_event(r.value) for r in records]  # parse_event validates envelope and data against the schema
    assert [e.type for e in events] == ["ActivityLogged", "ActivityVerified"]
    assert all(r.key == E1.encode() for r in records)
    assert all(dict(r.headers)["ce_type"] == e.type.encode() for r, e in zip(records, events))
    assert events[0].data["activity_id"] == events[1].data["activity_id"] == aid
    assert events[0].data["plan_id"] == "plan-e1" and events[1].data["decision"] == "accepted"
    assert events[0].correlationid and events[1].correlationid
