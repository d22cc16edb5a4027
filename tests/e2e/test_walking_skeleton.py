"""The core flow through all four services as real processes, driven only through HTTP:
plan approved → activity logged → evaluation closed with the predicate from the matrix →
the right people notified; and every event on the topics validates against its schema."""

import json

import pytest
from kafka import KafkaConsumer

from kinerja_shared.events import parse_event
from kinerja_shared.events.catalog import TOPICS
from kinerja_shared.testing import wait_for

from .flow import Org, ok

pytestmark = pytest.mark.e2e


def test_plan_to_closed_evaluation_and_notifications(system):
    org = Org(system, 101)
    plan = org.approved_plan()
    indicator = plan["results"][0]["indicators"][0]["indicator_id"]

    # activity-service learned the plan from PlanApproved and accepts an entry against it.
    org.wait_indicator(indicator)
    activity = org.log_activity(indicator, hour=8, quantity=2)
    assert activity["status"] == "pending" and activity["rater_nip"] == org.rater

    # The rater verifies it.
    verified = ok(
        system.call(
            "POST",
            "activity-service",
            f"/api/v1/activities/{activity['id']}/verify",
            org.as_rater,
            json={"decision": "accepted"},
        )
    )
    assert verified["status"] == "accepted"

    # evaluation-service opened the evaluation on its own and sees the verified activity.
    evaluation = org.open_evaluation(plan["id"])
    assert evaluation["status"] == "open" and evaluation["rater_nip"] == org.rater and evaluation["unit_id"] == org.unit

    def realised():
        detail = ok(system.call("GET", "evaluation-service", f"/api/v1/evaluations/{evaluation['id']}", org.as_rater))
        text = json.dumps(detail)
        return detail if activity["id"] in text or '"verified_quantity": 2' in text.replace("2.0", "2") else None

    wait_for(realised, timeout=60, message="the verified activity in the evaluation")

    # The rater submits and closes: results above, behaviour meets -> Baik (the matrix).
    submitted = ok(
        system.call(
            "POST",
            "evaluation-service",
            f"/api/v1/evaluations/{evaluation['id']}/submit",
            org.as_rater,
            json={
                "results_rating": "above",
                "behaviour_rating": "meets",
                "rating_note": "Capaian melampaui target berdasarkan bukti dukung",
            },
        )
    )
    assert submitted["status"] == "submitted" and submitted["predicate"] == "BAIK"
    closed = ok(
        system.call("POST", "evaluation-service", f"/api/v1/evaluations/{evaluation['id']}/close", org.as_rater)
    )
    assert closed["status"] == "closed" and closed["predicate"] == "BAIK"

    # notification-service told each person what concerns them, and nobody else.
    def employee_told():
        causes = {n["cause_event_type"] for n in org.inbox(org.as_employee)}
        return causes if {"PlanApproved", "EvaluationClosed"} <= causes else None

    employee_causes = wait_for(employee_told, timeout=60, message="the employee's notifications")
    assert "PlanSubmitted" not in employee_causes
    closed_item = next(n for n in org.inbox(org.as_employee) if n["cause_event_type"] == "EvaluationClosed")
    assert "Baik" in closed_item["title"] + closed_item["body"]

    def rater_told():
        causes = {n["cause_event_type"] for n in org.inbox(org.as_rater)}
        return causes if {"PlanSubmitted", "ActivityLogged", "EvaluationOpened"} <= causes else None

    rater_causes = wait_for(rater_told, timeout=60, message="the rater's notifications")
    assert "EvaluationClosed" not in rater_causes

    # Final state of each service, read through its API.
    assert (
        ok(system.call("GET", "plan-service", f"/api/v1/plans/{plan['id']}", org.as_employee))["status"] == "approved"
    )
    assert (
        ok(system.call("GET", "activity-service", f"/api/v1/activities/{activity['id']}", org.as_employee))["status"]
        == "accepted"
    )
    assert (
        ok(system.call("GET", "evaluation-service", f"/api/v1/evaluations/{evaluation['id']}", org.as_employee))[
            "predicate"
        ]
        == "BAIK"
    )

    # Every event on every topic validates against its schema, and the flow's events are all there.
    seen = _read_all_events(system)
    types = {e.type for e in seen}
    assert {
        "EmployeeUpserted",
        "PlanSubmitted",
        "PlanApproved",
        "ActivityLogged",
        "ActivityVerified",
        "EvaluationOpened",
        "EvaluationSubmitted",
        "EvaluationClosed",
        "NotificationDelivered",
    } <= types
    closed_events = [e for e in seen if e.type == "EvaluationClosed" and e.data["evaluation_id"] == evaluation["id"]]
    assert closed_events and closed_events[0].data["predicate"] == "BAIK"
    assert closed_events[0].data["results_rating"] == "above" and closed_events[0].data["unit_id"] == org.unit


def _read_all_events(system):
    consumer = KafkaConsumer(
        *[system.prefix + t for t in TOPICS.values()],
        bootstrap_servers=system.kafka_bootstrap.split(","),
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=4000,
    )
    events = []
    try:
        for record in consumer:
            event = parse_event(record.value)  # raises on any envelope or schema violation
            assert record.key.decode() == event["partitionkey"]
            assert dict(record.headers)["ce_id"].decode() == event.id
            events.append(event)
    finally:
        consumer.close()
    return events
