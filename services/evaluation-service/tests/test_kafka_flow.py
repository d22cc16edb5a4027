"""The worker against the real broker: plan and activity events in, evaluation events out.

The walking skeleton: an approved plan opens the evaluation of today's period, a verified
activity shows in its realisation (a withdrawn one leaves it), the rater submits and closes
through HTTP, and EvaluationClosed reaches Kafka carrying both ratings, the predicate, the
period, the unit and the credit points. A redelivered event has no second effect. Every record
on the evaluation topic validates against its schema.
"""

from kinerja_shared.events import parse_event
from kinerja_shared.testing import wait_for

EMPLOYEE, RATER, HEAD, ADMIN = "199001012015011001", "198001012005011002", "197001011995011003", "196501011990011004"
PLAN_TOPIC, ACTIVITY_TOPIC, EVALUATION_TOPIC = (
    "kinerja.plan.events",
    "kinerja.activity.events",
    "kinerja.evaluation.events",
)


def test_walking_skeleton_through_kafka(evaluation, kafka_tools):
    ev = evaluation.ev
    evaluation.h.start_worker()
    for event in (
        ev.employee(HEAD, unit_id="opd", unit_path=["opd"], rater=None, is_head=True),
        ev.employee(RATER, rater=HEAD, is_head=True),
        ev.employee(EMPLOYEE, coefficient=12.5),
    ):
        kafka_tools.produce(PLAN_TOPIC, event, key=event["partitionkey"])
    plan = ev.plan(EMPLOYEE)
    kafka_tools.produce(PLAN_TOPIC, plan, key=EMPLOYEE)

    def opened():
        r = evaluation.get("/api/v1/evaluations", EMPLOYEE)
        return r.json["items"] if r.status_code == 200 else None

    [item] = wait_for(opened, timeout=60, message="the evaluation to open")
    assert item["period"]["id"] == evaluation.period().id and item["status"] == "open"
    url = f"/api/v1/evaluations/{item['id']}"

    plan_id = plan["data"]["plan_id"]
    kept = ev.activity(plan_id, evaluation.today, quantity=3)
    dropped = ev.activity(plan_id, evaluation.today, quantity=5)
    for event in (kept, ev.verified(kept), dropped):
        kafka_tools.produce(ACTIVITY_TOPIC, event, key=EMPLOYEE)

    def realised():
        detail = evaluation.get(url, RATER).json
        ids = {a["id"] for a in detail["activities"]}
        if {kept["data"]["activity_id"], dropped["data"]["activity_id"]} <= ids:
            return detail
        return None

    detail = wait_for(realised, timeout=60, message="the activities in the evaluation")
    indicator = detail["results"][0]["indicators"][0]
    assert (indicator["realised_in_period"], indicator["pending_in_period"]) == (3, 1)
    assert indicator["percent_of_target"] == 25.0

    kafka_tools.produce(ACTIVITY_TOPIC, ev.withdrawn(dropped), key=EMPLOYEE)
    wait_for(
        lambda: dropped["data"]["activity_id"] not in {a["id"] for a in evaluation.get(url, RATER).json["activities"]},
        timeout=60,
        message="the withdrawn activity to leave",
    )
    assert evaluation.get(url, RATER).json["pending"]["activities_pending"] == 0

    # the same PlanApproved delivered twice (same event id): one evaluation, one EvaluationOpened
    kafka_tools.produce(PLAN_TOPIC, plan, key=EMPLOYEE)
    wait_for(
        lambda: evaluation.h.scalar("SELECT count(*) FROM processed_events WHERE event_id = :i", i=plan["id"]) == 1,
        timeout=30,
    )
    marker = ev.employee(HEAD, unit_id="opd", unit_path=["opd"], rater=None, is_head=True)
    kafka_tools.produce(PLAN_TOPIC, marker, key=HEAD)  # after the duplicate in the same partition order
    wait_for(
        lambda: evaluation.h.scalar("SELECT count(*) FROM processed_events WHERE event_id = :i", i=marker["id"]) == 1,
        timeout=60,
        message="the marker event",
    )
    assert len(evaluation.evaluations()) == 1

    # the rater closes through HTTP; the predicate comes from the matrix
    r = evaluation.post(
        url + "/submit",
        json={"results_rating": "meets", "behaviour_rating": "above", "rating_note": "the documents are on track"},
    )
    assert r.status_code == 200 and r.json["predicate"] == "BAIK"
    r = evaluation.post(url + "/close")
    assert r.status_code == 200 and r.json["status"] == "closed"

    def closed_on_kafka():
        records = kafka_tools.read(EVALUATION_TOPIC, idle_seconds=1.0)
        types = [dict(rec.headers).get("ce_type", b"").decode() for rec in records]
        return records if "EvaluationClosed" in types else None

    records = wait_for(closed_on_kafka, timeout=60, interval=1, message="EvaluationClosed on Kafka")
    events = [parse_event(rec.value) for rec in records]  # parse_event validates against the schemas
    assert [e.type for e in events] == ["EvaluationOpened", "EvaluationSubmitted", "EvaluationClosed"]
    assert all(rec.key == EMPLOYEE.encode() for rec in records)
    closed = events[-1].data
    assert (closed["nip"], closed["unit_id"], closed["rater_nip"], closed["period"]["id"]) == (
        EMPLOYEE,
        "opd-b1",
        RATER,
        item["period"]["id"],
    )
    assert (closed["results_rating"], closed["behaviour_rating"], closed["predicate"], closed["credit_points"]) == (
        "meets",
        "above",
        "BAIK",
        3.13,
    )  # 12.5 × 3/12 = 3.125, half up to two decimals
    assert all(row["_status"] == "published" for row in evaluation.h.outbox())


def test_a_plan_amended_through_kafka_updates_the_open_form(evaluation, kafka_tools):
    ev = evaluation.ev
    evaluation.h.start_worker()
    plan = ev.plan(EMPLOYEE)
    kafka_tools.produce(PLAN_TOPIC, plan, key=EMPLOYEE)
    [item] = wait_for(lambda: evaluation.evaluations(), timeout=60, message="the evaluation to open")
    results = [dict(r) for r in plan["data"]["results"]]
    results.append(
        {
            "result_id": "r3",
            "kind": "main",
            "text": "Layanan publik",
            "indicators": [
                {"indicator_id": "i3", "aspect": "quality", "text": "Kepuasan", "target_value": 90, "target_unit": "%"}
            ],
        }
    )
    amended = ev.plan(
        EMPLOYEE, plan_id=plan["data"]["plan_id"], revision=2, results=results, event_type="PlanAmended", rater=HEAD
    )
    kafka_tools.produce(PLAN_TOPIC, amended, key=EMPLOYEE)

    def amended_form():
        detail = evaluation.get(f"/api/v1/evaluations/{item['id']}", ADMIN, "admin").json
        return detail if detail["plan_revision"] == 2 else None

    detail = wait_for(amended_form, timeout=60, message="the amendment")
    assert [r["result_id"] for r in detail["results"]] == ["r1", "r2", "r3"]
    assert detail["rater_nip"] == HEAD  # the amended plan names another rater: the form follows
    assert len(evaluation.evaluations()) == 1
