"""Signed webhooks to a real HTTP receiver run by the test: signatures, retries with backoff, disable, replay."""

from __future__ import annotations

import json
import time

from notification_service.service import SPEC

SECRET = "receiver-shared-secret-2026"  # the receiver fixture's (conftest)
LOCAL = {"NOTIFICATION_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1"}  # the receivers run on this machine


def _subscribe(h, url, event_types, secret=SECRET):
    response = h.client.post(
        "/api/v1/webhooks",
        headers=h.token("196501011990031001", "admin"),
        json={"url": url, "event_types": event_types, "secret": secret, "description": "TPP payroll"},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_deliveries_are_signed_and_only_subscribed_types_go_out(service_factory, receiver, ev, produce, helpers):
    h = service_factory(SPEC, NOTIFICATION_REMINDERS="false", NOTIFICATION_WEBHOOK_POLL_SECONDS="0.1", **LOCAL)
    admin = h.token("196501011990031001", "admin")
    sub = _subscribe(h, receiver.url, ["PlanApproved", "EvaluationClosed"])
    assert sub["secret"] == SECRET and sub["secret_hint"] == "…2026"
    assert "secret" not in h.client.get(f"/api/v1/webhooks/{sub['id']}", headers=admin).get_json()
    h.start_worker()
    approved, closed = (
        ev.plan_approved(),
        ev.evaluation_closed(predicate="SANGAT_BAIK", results="above", behaviour="above"),
    )
    produce(ev.plan_submitted())
    produce(approved)
    produce(closed)

    helpers.wait_for(lambda: len(receiver.requests) == 2, 60, message="two deliveries")
    assert all(r["verified"] for r in receiver.requests)
    by_type = {r["headers"]["X-Kinerja-Event-Type"]: r for r in receiver.requests}
    assert set(by_type) == {"PlanApproved", "EvaluationClosed"}
    delivered = json.loads(by_type["EvaluationClosed"]["body"])
    assert delivered["id"] == closed["id"] and delivered["data"]["predicate"] == "SANGAT_BAIK"
    assert by_type["EvaluationClosed"]["headers"]["X-Kinerja-Event-Id"] == closed["id"]
    assert by_type["EvaluationClosed"]["headers"]["Content-Type"] == "application/cloudevents+json"
    assert by_type["PlanApproved"]["headers"]["X-Kinerja-Attempt"] == "1"

    helpers.wait_for(
        lambda: h.scalar("SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'") == 2,
        30,
        message="delivered in the log",
    )
    log = h.client.get(f"/api/v1/webhooks/{sub['id']}/deliveries", headers=admin).get_json()["items"]
    assert {d["event_type"] for d in log} == {"PlanApproved", "EvaluationClosed"}
    assert all(d["status"] == "delivered" and d["attempts"] == 1 and d["last_status_code"] == 204 for d in log)
    detail = h.client.get(f"/api/v1/webhooks/{sub['id']}/deliveries/{log[0]['id']}", headers=admin).get_json()
    assert [a["status_code"] for a in detail["attempt_log"]] == [204]

    # A forged signature is what the receiver's check catches.
    body = by_type["PlanApproved"]["body"]
    assert not receiver.verify(
        "a-different-secret-000", by_type["PlanApproved"]["headers"]["X-Kinerja-Signature"], body
    )


def test_a_failing_receiver_sees_retries_then_the_disable_then_replay(service_factory, receiver, ev, produce, helpers):
    h = service_factory(
        SPEC,
        NOTIFICATION_REMINDERS="false",
        NOTIFICATION_WEBHOOK_POLL_SECONDS="0.05",
        NOTIFICATION_WEBHOOK_MAX_ATTEMPTS="3",
        NOTIFICATION_WEBHOOK_BACKOFF_SECONDS="0.3",
        NOTIFICATION_WEBHOOK_DISABLE_AFTER="3",
        **LOCAL,
    )
    admin = h.token("196501011990031001", "admin")
    sub = _subscribe(h, receiver.url, ["*"])
    receiver.status = 500
    h.start_worker()
    first = produce(ev.plan_approved())

    helpers.wait_for(
        lambda: h.client.get(f"/api/v1/webhooks/{sub['id']}", headers=admin).get_json()["status"] == "disabled",
        60,
        message="the subscription disabled",
    )
    attempts = [r for r in receiver.requests]
    assert [r["headers"]["X-Kinerja-Attempt"] for r in attempts] == ["1", "2", "3"]
    assert len({r["headers"]["X-Kinerja-Delivery"] for r in attempts}) == 1
    assert all(r["verified"] and r["headers"]["X-Kinerja-Event-Id"] == first["id"] for r in attempts)
    gaps = [b["at"] - a["at"] for a, b in zip(attempts, attempts[1:])]
    assert gaps[0] >= 0.25 and gaps[1] >= 0.55, gaps  # 0.3 s, then 0.6 s: exponential
    state = h.client.get(f"/api/v1/webhooks/{sub['id']}", headers=admin).get_json()
    assert state["consecutive_failures"] == 3 and "3 consecutive failed" in state["disabled_reason"]
    [failed] = h.client.get(f"/api/v1/webhooks/{sub['id']}/deliveries", headers=admin).get_json()["items"]
    assert failed["status"] == "failed" and failed["attempts"] == 3 and failed["last_status_code"] == 500
    detail = h.client.get(f"/api/v1/webhooks/{sub['id']}/deliveries/{failed['id']}", headers=admin).get_json()
    assert [a["status_code"] for a in detail["attempt_log"]] == [500, 500, 500]

    # While disabled, new events are held, not sent; replay refuses until re-enabled.
    second = produce(ev.evaluation_closed())
    helpers.wait_for(
        lambda: h.scalar("SELECT count(*) FROM webhook_deliveries WHERE status = 'held'") == 1,
        60,
        message="a held delivery",
    )
    time.sleep(0.5)
    assert len(receiver.requests) == 3
    refused = h.client.post(f"/api/v1/webhooks/{sub['id']}/replay", headers=admin)
    assert refused.status_code == 409 and refused.content_type == "application/problem+json"

    # The receiver is fixed; the admin re-enables and replays: both events arrive.
    receiver.status = 200
    enabled = h.client.post(f"/api/v1/webhooks/{sub['id']}/enable", headers=admin)
    assert enabled.status_code == 200 and enabled.get_json()["status"] == "active"
    assert enabled.get_json()["consecutive_failures"] == 0
    replayed = h.client.post(
        f"/api/v1/webhooks/{sub['id']}/replay", headers=admin, json={"statuses": ["failed", "held"]}
    )
    assert replayed.get_json() == {"replayed": 2}
    helpers.wait_for(
        lambda: h.scalar("SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'") == 2,
        60,
        message="replayed deliveries",
    )
    ok = [r for r in receiver.requests if r["answered"] == 200]
    assert sorted(r["headers"]["X-Kinerja-Event-Id"] for r in ok) == sorted([first["id"], second["id"]])
    assert [a["action"] for a in h.rows("SELECT action FROM audit_log ORDER BY id")] == [
        "webhook.created",
        "webhook.enabled",
        "webhook.replayed",
    ]


def test_webhook_admin_api_guards_and_validation(service_factory, helpers):
    h = service_factory(SPEC, NOTIFICATION_WEBHOOK_ALLOW_HTTP="false")
    admin = h.token("196501011990031001", "admin")
    employee = h.token(helpers.EMPLOYEE)
    body = {"url": "https://payroll.binjaikota.go.id/hooks/kinerja", "event_types": ["EvaluationClosed"]}
    assert h.client.post("/api/v1/webhooks", headers=employee, json=body).status_code == 403
    assert h.client.get("/api/v1/webhooks", headers=employee).status_code == 403

    def fields(response, status=422):
        assert response.status_code == status, response.get_json()
        assert response.content_type == "application/problem+json"
        return {e["field"] for e in response.get_json()["errors"]}

    assert "url" in fields(h.client.post("/api/v1/webhooks", headers=admin, json={**body, "url": "http://payroll/x"}))
    assert "url" in fields(h.client.post("/api/v1/webhooks", headers=admin, json={**body, "url": "ftp://x/y"}))
    assert "event_types.0" in fields(
        h.client.post("/api/v1/webhooks", headers=admin, json={**body, "event_types": ["Gossip"]})
    )
    assert "event_types" in fields(h.client.post("/api/v1/webhooks", headers=admin, json={**body, "event_types": []}))
    assert "secret" in fields(h.client.post("/api/v1/webhooks", headers=admin, json={**body, "secret": "short"}))

    created = h.client.post("/api/v1/webhooks", headers=admin, json=body)
    assert created.status_code == 201 and len(created.get_json()["secret"]) >= 32  # generated
    sub_id, etag = created.get_json()["id"], created.headers["ETag"]
    patched = h.client.patch(
        f"/api/v1/webhooks/{sub_id}",
        headers={**admin, "If-Match": etag},
        json={"event_types": ["EvaluationClosed", "CalibrationFinalised"], "secret": "rotated-secret-0000"},
    )
    assert patched.status_code == 200 and patched.get_json()["secret_hint"] == "…0000"
    assert (
        h.client.patch(
            f"/api/v1/webhooks/{sub_id}", headers={**admin, "If-Match": etag}, json={"description": "x"}
        ).status_code
        == 412
    )
    assert h.client.post(f"/api/v1/webhooks/{sub_id}/enable", headers=admin).status_code == 409
    assert h.client.post(f"/api/v1/webhooks/{sub_id}/disable", headers=admin).get_json()["status"] == "disabled"
    assert h.client.get("/api/v1/webhooks/nope", headers=admin).status_code == 404
    assert fields(h.client.get(f"/api/v1/webhooks/{sub_id}/deliveries?status=lost", headers=admin)) == {"status"}
    assert h.client.delete(f"/api/v1/webhooks/{sub_id}", headers=admin).status_code == 428
    assert h.client.delete(f"/api/v1/webhooks/{sub_id}", headers={**admin, "If-Match": etag}).status_code == 412
    assert (
        h.client.delete(
            f"/api/v1/webhooks/{sub_id}", headers=h.if_match(f"/api/v1/webhooks/{sub_id}", admin)
        ).status_code
        == 204
    )
    assert h.client.get(f"/api/v1/webhooks/{sub_id}", headers=admin).status_code == 404
    audit = [r["action"] for r in h.rows("SELECT action FROM audit_log ORDER BY id")]
    assert audit == ["webhook.created", "webhook.updated", "webhook.disabled", "webhook.deleted"]
    assert "rotated-secret" not in json.dumps(h.rows("SELECT before, after FROM audit_log"), default=str)


def test_disabling_a_subscription_while_a_delivery_is_in_flight_waits_for_it_instead_of_deadlocking(
    service_factory, receiver, ev, produce, helpers
):
    """Found by the hostile run in CI: the worker locked a delivery, posted it, then updated its subscription,
    while an admin's disable locked the subscription, then its deliveries: PostgreSQL broke the deadlock by
    failing one of them (the admin got 503, or the attempt was lost). The worker now locks the subscription
    with the delivery, so the disable waits for the attempt in flight and both take effect."""
    h = service_factory(
        SPEC,
        NOTIFICATION_REMINDERS="false",
        NOTIFICATION_WEBHOOK_POLL_SECONDS="0.05",
        NOTIFICATION_WEBHOOK_MAX_ATTEMPTS="5",
        NOTIFICATION_WEBHOOK_BACKOFF_SECONDS="30",
        **LOCAL,
    )
    admin = h.token("196501011990031001", "admin")
    sub = _subscribe(h, receiver.url, ["*"])
    receiver.status, receiver.delay = 500, 2.0  # a failed attempt makes the worker update the subscription
    h.start_worker()
    produce(ev.plan_approved())
    helpers.wait_for(lambda: receiver.requests, 60, message="a delivery in flight")
    disabled = h.client.post(f"/api/v1/webhooks/{sub['id']}/disable", headers=admin)
    assert disabled.status_code == 200, disabled.get_json()
    h.stop_workers()
    state = h.client.get(f"/api/v1/webhooks/{sub['id']}", headers=admin).get_json()
    assert state["status"] == "disabled" and state["consecutive_failures"] == 1, state
    assert h.scalar("SELECT count(*) FROM webhook_attempts") == 1, "the attempt in flight was recorded"
    [delivery] = h.client.get(f"/api/v1/webhooks/{sub['id']}/deliveries", headers=admin).get_json()["items"]
    assert delivery["status"] == "held" and delivery["attempts"] == 1, delivery
