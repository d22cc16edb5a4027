"""Repair with a trail: an admin or the rater's superior corrects or annuls a verified entry.

Over HTTP against PostgreSQL. A verified entry is locked for its employee and its rater; a
poisoned value the rater accepted (an absurd quantity) is undone only by an admin or the
rater's superior (atasan pejabat penilai), with If-Match, a reason, an audit row and an event
(ActivityCorrected / ActivityAnnulled) that brings every read model in line.
"""

import sys
import uuid
from pathlib import Path

import pytest

from activity_service.service import SPEC
from kinerja_shared.events import validate_event

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import E1, E2, OTHER, H, R, employee_event, feed, log_entry, org_events, plan_event, today  # noqa: E402

ADMIN = "000000000000000001"


@pytest.fixture
def svc(service_factory):
    harness = service_factory(SPEC)
    feed(harness, *org_events())
    return harness


log = log_entry


def accepted(svc, nip=E1, **overrides) -> str:
    aid = log(svc, nip, **overrides)
    response = svc.client.post(f"/api/v1/activities/{aid}/verify", json={"decision": "accepted"}, headers=svc.token(R))
    assert response.status_code == 200, response.get_json()
    return aid


def etag(svc, aid) -> str:
    return svc.client.get(f"/api/v1/activities/{aid}", headers=svc.token(ADMIN, "admin")).headers["ETag"]


def repair(svc, aid, action, body, caller=H, *roles, if_match=True, **headers):
    if if_match is True:
        headers["If-Match"] = etag(svc, aid)
    elif if_match:
        headers["If-Match"] = if_match
    response = svc.client.post(
        f"/api/v1/activities/{aid}/{action}",
        json=body,
        headers={**svc.token(caller, *(roles or ("employee",))), **headers},
    )
    assert response.status_code < 500, response.get_data(as_text=True)
    if response.status_code >= 400:
        assert response.headers["Content-Type"] == "application/problem+json"
    return response


def events(svc, kind):
    found = [e for e in svc.outbox() if e["type"] == kind]
    for event in found:
        validate_event(event)
    return found


def test_the_raters_superior_corrects_a_poisoned_quantity_with_a_reason(svc):
    aid = accepted(svc, quantity=90)
    month = today().strftime("%Y-%m")
    before = svc.client.get(
        "/api/v1/summaries/monthly", query_string={"month": month}, headers=svc.token(E1)
    ).get_json()
    assert before["totals"]["verified"]["quantity"] == 90

    response = repair(svc, aid, "correct", {"quantity": 9, "reason": "Salah ketik: 9 dokumen, bukan 90"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["quantity"], body["status"], body["version"]) == (9.0, "accepted", 3)
    assert response.headers["ETag"] == f'"{aid}.3"'

    [event] = events(svc, "ActivityCorrected")
    assert event["partitionkey"] == E1 and event["subject"] == aid
    data = event["data"]
    assert (data["quantity"], data["status"], data["version"], data["corrected_by"]) == (9.0, "accepted", 3, H)
    assert data["changes"] == {"quantity": {"before": 90.0, "after": 9.0}}
    assert data["reason"] == "Salah ketik: 9 dokumen, bukan 90"
    [trail] = svc.rows(
        "SELECT actor, action, entity_id, before, after, reason FROM audit_log WHERE action = 'activity.corrected'"
    )
    assert (trail["actor"], trail["entity_id"], trail["reason"]) == (H, aid, "Salah ketik: 9 dokumen, bukan 90")
    assert trail["before"]["quantity"] == 90.0 and trail["after"]["quantity"] == 9.0

    after = svc.client.get("/api/v1/summaries/monthly", query_string={"month": month}, headers=svc.token(E1)).get_json()
    assert after["totals"]["verified"]["quantity"] == 9


def test_only_an_admin_or_the_raters_superior_may_repair(svc):
    aid = accepted(svc)
    body = {"quantity": 3, "reason": "koreksi"}
    assert repair(svc, aid, "correct", body, E1).status_code == 403  # the employee
    assert repair(svc, aid, "correct", body, R).status_code == 403  # the rater who accepted it
    assert repair(svc, aid, "annul", {"reason": "x"}, R).status_code == 403
    assert repair(svc, aid, "correct", body, E2).status_code == 404  # does not even see it
    assert repair(svc, aid, "correct", body, OTHER).status_code == 404
    assert events(svc, "ActivityCorrected") == [] and events(svc, "ActivityAnnulled") == []
    response = repair(svc, aid, "correct", body, ADMIN, "admin")
    assert response.status_code == 200 and response.get_json()["quantity"] == 3.0
    [event] = events(svc, "ActivityCorrected")
    assert event["data"]["corrected_by"] == ADMIN


def test_the_directorys_atasan_penilai_counts_even_outside_the_unit_tree(svc):
    # E1's directory row names OTHER as the rater's superior (nip_atasan_penilai): OTHER may repair, H no longer may.
    event = employee_event(E1, "Pegawai Satu", "bidang", ["dinas", "bidang"], R)
    event["data"]["rater_superior_nip"] = OTHER
    feed(svc, event)
    aid = accepted(svc)
    read = svc.client.get(f"/api/v1/activities/{aid}", headers=svc.token(OTHER))  # reads it, for its ETag
    assert read.status_code == 200 and read.headers["ETag"] == f'"{aid}.2"'
    assert repair(svc, aid, "correct", {"quantity": 3, "reason": "koreksi"}, H).status_code == 403
    assert repair(svc, aid, "correct", {"quantity": 3, "reason": "koreksi"}, OTHER).status_code == 200


def test_a_repair_needs_if_match_and_a_reason(svc):
    aid = accepted(svc)
    missing = repair(svc, aid, "correct", {"quantity": 3, "reason": "koreksi"}, if_match=None)
    assert missing.status_code == 428 and missing.get_json()["errors"][0]["field"] == "If-Match"
    assert repair(svc, aid, "annul", {"reason": "ganda"}, if_match=None).status_code == 428
    stale = repair(svc, aid, "correct", {"quantity": 3, "reason": "koreksi"}, if_match=f'"{aid}.1"')
    assert stale.status_code == 412 and stale.get_json()["current_version"] == 2
    for body in ({"quantity": 3}, {"quantity": 3, "reason": "   "}):
        refused = repair(svc, aid, "correct", body)
        assert refused.status_code == 422 and refused.get_json()["errors"][0]["field"] == "reason", refused.get_json()
    assert repair(svc, aid, "annul", {}).get_json()["errors"][0]["field"] == "reason"
    nothing = repair(svc, aid, "correct", {"reason": "koreksi"})
    assert nothing.status_code == 422 and nothing.get_json()["errors"][0]["field"] == "(body)"
    same = repair(svc, aid, "correct", {"reason": "koreksi", "quantity": 2})  # the stored value: no change
    assert same.status_code == 422
    negative = repair(svc, aid, "correct", {"reason": "koreksi", "quantity": -1})
    assert negative.status_code == 422 and negative.get_json()["errors"][0]["field"] == "quantity"
    unknown = repair(svc, aid, "correct", {"reason": "koreksi", "indicator_id": "not-in-the-plan"})
    assert unknown.status_code == 422 and unknown.get_json()["errors"][0]["field"] == "indicator_id"
    assert svc.scalar("SELECT version FROM activities WHERE id = :i", i=aid) == 2
    assert events(svc, "ActivityCorrected") == []
    assert svc.scalar("SELECT count(*) FROM audit_log WHERE action LIKE 'activity.corrected'") == 0


def test_a_correction_moves_the_entry_to_another_indicator_of_the_plan(svc):
    # the entry's unit must be its indicator's (realisation per aspect): here i2 counts reports
    amended = plan_event(E1, "plan-e1", ["i1", "i2"], revision=2, amended=True)
    amended["data"]["results"][0]["indicators"][1]["target_unit"] = "laporan"
    feed(svc, amended)
    aid = accepted(svc)
    response = repair(
        svc,
        aid,
        "correct",
        {
            "indicator_id": "i2",
            "description": "Menyusun laporan",
            "quantity_unit": "laporan",
            "reason": "Dicatat pada indikator yang salah",
        },
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["indicator_id"], body["plan_id"], body["description"], body["quantity_unit"]) == (
        "i2",
        "plan-e1",
        "Menyusun laporan",
        "laporan",
    )
    [event] = events(svc, "ActivityCorrected")
    assert set(event["data"]["changes"]) == {"indicator_id", "description", "quantity_unit"}


def test_only_verified_entries_are_repaired(svc):
    pending = log(svc)
    refused = repair(svc, pending, "correct", {"quantity": 3, "reason": "koreksi"})
    assert refused.status_code == 409 and refused.get_json()["current_status"] == "pending"
    assert repair(svc, pending, "annul", {"reason": "ganda"}).status_code == 409


def test_annulment_takes_a_verified_entry_out_of_every_count(svc):
    month = today().strftime("%Y-%m")
    aid = accepted(svc, quantity=5)
    response = repair(svc, aid, "annul", {"reason": "Kegiatan tercatat ganda"}, ADMIN, "admin")
    assert response.status_code == 200, response.get_json()
    assert (response.get_json()["status"], response.get_json()["version"]) == ("annulled", 3)
    [event] = events(svc, "ActivityAnnulled")
    data = event["data"]
    assert (data["activity_id"], data["previous_status"], data["version"], data["annulled_by"], data["reason"]) == (
        aid,
        "accepted",
        3,
        ADMIN,
        "Kegiatan tercatat ganda",
    )
    assert svc.rows("SELECT actor, before, after, reason FROM audit_log WHERE action = 'activity.annulled'") == [
        {
            "actor": ADMIN,
            "before": {"status": "accepted"},
            "after": {"status": "annulled"},
            "reason": "Kegiatan tercatat ganda",
        }
    ]
    summary = svc.client.get(
        "/api/v1/summaries/monthly", query_string={"month": month}, headers=svc.token(E1)
    ).get_json()
    assert summary["totals"]["verified"]["entries"] == 0 and summary["days_logged"] == 0
    listed = svc.client.get("/api/v1/activities", query_string={"status": "annulled"}, headers=svc.token(E1)).get_json()
    assert [a["id"] for a in listed["items"]] == [aid]
    # final: no second annulment, no correction, and its time is free for a new entry
    assert repair(svc, aid, "annul", {"reason": "lagi"}, ADMIN, "admin").status_code == 409
    assert repair(svc, aid, "correct", {"quantity": 1, "reason": "lagi"}, ADMIN, "admin").status_code == 409
    log(svc)


def test_a_repeated_repair_with_the_same_idempotency_key_has_one_effect(svc):
    aid = accepted(svc)
    key = str(uuid.uuid4())
    first = repair(svc, aid, "correct", {"quantity": 4, "reason": "koreksi"}, **{"Idempotency-Key": key})
    assert first.status_code == 200
    again = repair(
        svc, aid, "correct", {"quantity": 4, "reason": "koreksi"}, if_match=f'"{aid}.2"', **{"Idempotency-Key": key}
    )
    assert again.status_code == 200 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json() == first.get_json()
    assert len(events(svc, "ActivityCorrected")) == 1
    assert svc.scalar("SELECT version FROM activities WHERE id = :i", i=aid) == 3
    # a new key is a new request: its If-Match is stale by now
    assert (
        repair(
            svc,
            aid,
            "correct",
            {"quantity": 5, "reason": "koreksi"},
            if_match=f'"{aid}.2"',
            **{"Idempotency-Key": str(uuid.uuid4())},
        ).status_code
        == 412
    )


def test_the_audit_trail_of_an_entry_shows_the_repairs(svc):
    aid = accepted(svc)
    repair(svc, aid, "correct", {"quantity": 3, "reason": "koreksi"})
    repair(svc, aid, "annul", {"reason": "ganda"})
    trail = svc.client.get(
        "/api/v1/audit", query_string={"entity_id": aid}, headers=svc.token(ADMIN, "admin")
    ).get_json()["items"]
    assert [(t["action"], t["reason"]) for t in trail][:2] == [
        ("activity.annulled", "ganda"),
        ("activity.corrected", "koreksi"),
    ]
