"""Fault: the Kafka broker stops for 10 s in the middle of the flow. The users' requests still
succeed, and once the broker is back every event arrives, none lost and none applied twice."""

import time

import pytest

from kinerja_shared.testing import wait_for

from .flow import Org, ok

pytestmark = [pytest.mark.e2e, pytest.mark.faults]


def test_broker_down_for_ten_seconds_loses_nothing(system, kafka_control):
    if kafka_control is None:
        pytest.skip("the broker came from KAFKA_BOOTSTRAP_SERVERS; this test needs one it can stop")
    org = Org(system, 301)
    plan = org.approved_plan()
    indicator = plan["results"][0]["indicators"][0]["indicator_id"]
    org.wait_indicator(indicator)
    evaluation = org.open_evaluation(plan["id"])

    kafka_control.stop()
    stopped_at = time.monotonic()
    try:
        # Requests during the outage: all succeed (they only write their service's outbox).
        logged = [org.log_activity(indicator, hour=h) for h in (7, 9, 11)]
        ok(
            system.call(
                "POST",
                "activity-service",
                f"/api/v1/activities/{logged[0]['id']}/verify",
                org.as_rater,
                json={"decision": "accepted"},
            )
        )
        ok(
            system.call(
                "POST",
                "activity-service",
                f"/api/v1/activities/{logged[1]['id']}/verify",
                org.as_rater,
                json={"decision": "rejected", "reason": "Bukti dukung tidak sesuai"},
            )
        )
        ok(
            system.call(
                "POST",
                "evaluation-service",
                "/api/v1/feedback",
                org.as_rater,
                json={"nip": org.employee, "text": "Pertahankan kualitas laporan"},
            ),
            201,
        )
        time.sleep(max(0.0, 10 - (time.monotonic() - stopped_at)))
    finally:
        kafka_control.start()

    # Everything written during the outage arrives downstream, exactly once in effect.
    def evaluation_sees_all():
        detail = ok(system.call("GET", "evaluation-service", f"/api/v1/evaluations/{evaluation['id']}", org.as_rater))
        text = str(detail)
        return all(a["id"] in text for a in logged) and detail

    wait_for(
        evaluation_sees_all, timeout=120, interval=1, message="evaluation-service to receive the outage's activities"
    )

    def notified():
        items = org.inbox(org.as_employee)
        causes = [n["cause_event_type"] for n in items]
        return items if "ActivityVerified" in causes and "FeedbackGiven" in causes else None

    items = wait_for(notified, timeout=120, interval=1, message="the employee's notifications after the outage")
    assert [n["cause_event_type"] for n in items].count("ActivityVerified") == 1, "only the rejection notifies, once"
    assert [n["cause_event_type"] for n in items].count("FeedbackGiven") == 1

    def digest():
        entries = [n for n in org.inbox(org.as_rater) if n["cause_event_type"] == "ActivityLogged"]
        return entries if entries and entries[0]["count"] == 3 else None

    entries = wait_for(digest, timeout=120, interval=1, message="the rater's digest to count the 3 entries")
    assert len(entries) == 1, "one digest, not one message per entry"
