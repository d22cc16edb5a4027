"""Verification by the rater, one at a time and in bulk, over HTTP against PostgreSQL."""

import sys
from pathlib import Path

import pytest

from activity_service.service import SPEC
from kinerja_shared.events import validate_event

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import E1, E2, OTHER, H, R, employee_event, entry, feed, org_events  # noqa: E402


@pytest.fixture
def svc(service_factory):
    harness = service_factory(SPEC)
    feed(harness, *org_events())
    return harness


def log(svc, nip=E1, **overrides):
    response = svc.client.post("/api/v1/activities", json=entry(**overrides), headers=svc.token(nip))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def verify(svc, activity_id, caller, decision="accepted", reason=None, **headers):
    return svc.client.post(
        f"/api/v1/activities/{activity_id}/verify",
        json={"decision": decision, "reason": reason},
        headers={**svc.token(caller), **headers},
    )


def test_only_the_employees_rater_may_verify(svc):
    aid = log(svc)
    assert verify(svc, aid, E2).status_code == 404  # does not even see it
    assert verify(svc, aid, OTHER).status_code == 404
    assert verify(svc, aid, E1).status_code == 403  # not their own
    assert verify(svc, aid, H).status_code == 403  # the unit head sees it but is not the rater
    assert (
        svc.client.post(
            f"/api/v1/activities/{aid}/verify",
            json={"decision": "accepted"},
            headers=svc.token("000000000000000001", "admin"),
        ).status_code
        == 403
    )
    assert [e["type"] for e in svc.outbox()] == ["ActivityLogged"]


def test_accept_publishes_activity_verified_and_locks_the_entry(svc):
    aid = log(svc)
    assert verify(svc, aid, R, **{"If-Match": f'"{aid}.9"'}).status_code == 412
    response = verify(svc, aid, R, **{"If-Match": f'"{aid}.1"'})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["status"], body["verified_by"], body["version"]) == ("accepted", R, 2) and body["verified_at"]
    [event] = [e for e in svc.outbox() if e["type"] == "ActivityVerified"]
    validate_event(event)
    assert event["partitionkey"] == E1
    assert {
        k: event["data"][k] for k in ("activity_id", "nip", "rater_nip", "decision", "minutes", "quantity", "plan_id")
    } == {
        "activity_id": aid,
        "nip": E1,
        "rater_nip": R,
        "decision": "accepted",
        "minutes": 60,
        "quantity": 2.0,
        "plan_id": "plan-e1",
    }
    # Locked: no edit, no withdrawal, no second verdict.
    assert svc.client.patch(f"/api/v1/activities/{aid}", json={"quantity": 5}, headers=svc.token(E1)).status_code == 409
    assert svc.client.post(f"/api/v1/activities/{aid}/withdraw", json={}, headers=svc.token(E1)).status_code == 409
    again = verify(svc, aid, R, "rejected", "late")
    assert again.status_code == 409 and again.get_json()["current_status"] == "accepted"
    assert svc.rows("SELECT actor, action FROM audit_log WHERE action = 'activity.verified'") == [
        {"actor": R, "action": "activity.verified"}
    ]


def test_reject_needs_a_reason(svc):
    aid = log(svc)
    missing = verify(svc, aid, R, "rejected")
    assert missing.status_code == 422 and missing.get_json()["errors"][0]["field"] == "reason"
    assert verify(svc, aid, R, "rejected", "   ").status_code == 422
    assert verify(svc, aid, R, "maybe").status_code == 422
    done = verify(svc, aid, R, "rejected", "Bukti dukung tidak sesuai")
    assert done.status_code == 200 and done.get_json()["verification_reason"] == "Bukti dukung tidak sesuai"
    [event] = [e for e in svc.outbox() if e["type"] == "ActivityVerified"]
    assert (event["data"]["decision"], event["data"]["reason"]) == ("rejected", "Bukti dukung tidak sesuai")


def test_a_new_rater_from_the_org_directory_takes_over(svc):
    aid = log(svc)
    feed(svc, employee_event(E1, "Pegawai Satu", "bidang", ["dinas", "bidang"], H))  # E1 now rated by H
    assert verify(svc, aid, R).status_code == 403
    assert verify(svc, aid, H).status_code == 200


def test_bulk_verification_reports_each_decision(svc):
    a1 = log(svc, start_time="07:00", end_time="08:00")
    a2 = log(svc, start_time="08:00", end_time="09:00")
    a3 = log(svc, start_time="09:00", end_time="10:00")
    b1 = log(svc, nip=E2, indicator_id="j1")
    items = [
        {"id": a1, "decision": "accepted"},
        {"id": a2, "decision": "rejected", "reason": "Tidak sesuai indikator"},
        {"id": a3, "decision": "rejected"},  # no reason
        {"id": "no-such-activity", "decision": "accepted"},
        {"id": a1, "decision": "rejected", "reason": "changed my mind"},  # already verified above
        {"id": b1, "decision": "accepted"},
    ]
    response = svc.client.post("/api/v1/activities/verify", json={"items": items}, headers=svc.token(R))
    assert response.status_code == 207
    body = response.get_json()
    assert [r["status"] for r in body["results"]] == [200, 200, 422, 404, 409, 200]
    assert (body["verified"], body["failed"]) == (3, 3)
    assert body["results"][2]["problem"]["errors"][0]["field"] == "reason"
    assert body["results"][1]["activity"]["status"] == "rejected"
    verified = [e for e in svc.outbox() if e["type"] == "ActivityVerified"]
    assert sorted(e["data"]["activity_id"] for e in verified) == sorted([a1, a2, b1])
    for event in verified:
        validate_event(event)
    status = {r["id"]: r["status"] for r in svc.rows("SELECT id, status FROM activities")}
    assert status == {a1: "accepted", a2: "rejected", a3: "pending", b1: "accepted"}


def test_bulk_verification_by_someone_who_is_not_the_rater(svc):
    a1 = log(svc)
    body = svc.client.post(
        "/api/v1/activities/verify",
        json={"items": [{"id": a1, "decision": "accepted"}]},
        headers=svc.token(H, "unit_head"),
    ).get_json()
    assert body["results"][0]["status"] == 403
    body = svc.client.post(
        "/api/v1/activities/verify", json={"items": [{"id": a1, "decision": "accepted"}]}, headers=svc.token(OTHER)
    ).get_json()
    assert body["results"][0]["status"] == 404
    assert svc.client.post("/api/v1/activities/verify", json={"items": []}, headers=svc.token(R)).status_code == 422
    assert svc.scalar("SELECT status FROM activities") == "pending"


def test_bulk_verification_refuses_an_entry_edited_after_the_rater_read_it(svc):
    """Issue 14 (concurrency): the rater's list showed version 1; the employee then changed the entry. A bulk
    accept that names the version read is refused for that entry (412) and verifies the others."""
    edited = log(svc, start_time="07:00", end_time="08:00")
    other = log(svc, start_time="08:00", end_time="09:00")
    listed = {
        a["id"]: a["version"]
        for a in svc.client.get(f"/api/v1/activities?nip={E1}", headers=svc.token(R)).get_json()["items"]
    }
    read = svc.client.get(f"/api/v1/activities/{edited}", headers=svc.token(E1))
    changed = svc.client.patch(
        f"/api/v1/activities/{edited}",
        json={"quantity": 9000},
        headers={**svc.token(E1), "If-Match": read.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.get_json()
    items = [
        {"id": edited, "decision": "accepted", "version": listed[edited]},
        {"id": other, "decision": "accepted", "version": listed[other]},
    ]
    body = svc.client.post("/api/v1/activities/verify", json={"items": items}, headers=svc.token(R)).get_json()
    assert [r["status"] for r in body["results"]] == [412, 200]
    assert body["results"][0]["problem"]["current_version"] == listed[edited] + 1
    status = {r["id"]: r["status"] for r in svc.rows("SELECT id, status FROM activities")}
    assert status == {edited: "pending", other: "accepted"}
