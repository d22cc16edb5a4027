"""Logging, reading, editing and withdrawing activities over HTTP, against PostgreSQL."""

import json
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest

from activity_service.schemas import ActivityOut
from activity_service.service import SPEC
from kinerja_shared.events import validate_event

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import (  # noqa: E402
    E1,
    E2,
    OTHER,
    PDF_BYTES,
    H,
    R,
    entry,
    feed,
    five_minute_entries,
    org_events,
    plan_event,
    today,
    upload,
)


@pytest.fixture
def svc(service_factory, monkeypatch, tmp_path):
    monkeypatch.setenv("ACTIVITY_EVIDENCE_DIR", str(tmp_path / "evidence"))
    harness = service_factory(SPEC)
    feed(harness, *org_events())
    return harness


def post(svc, body, nip=E1, **headers):
    return svc.client.post("/api/v1/activities", json=body, headers={**svc.token(nip), **headers})


def count(svc, sql="SELECT count(*) FROM activities"):
    return svc.scalar(sql)


def assert_problem(response, status, field=None):
    assert response.status_code == status, response.get_json()
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    if field is not None:
        assert field in [e["field"] for e in body.get("errors", [])], body
    return body


# -- the walking skeleton's step: log an activity against an approved plan --------------------------


def test_log_an_activity_stores_it_with_its_event(svc):
    response = post(svc, entry())
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "pending" and body["minutes"] == 60 and body["version"] == 1
    assert (body["plan_id"], body["result_id"], body["rater_nip"], body["unit_id"]) == (
        "plan-e1",
        "plan-e1-r1",
        R,
        "bidang",
    )
    assert response.headers["Location"] == f"/api/v1/activities/{body['id']}"
    assert response.headers["ETag"] == f'"{body["id"]}.1"'

    [event] = svc.outbox()
    validate_event(event)
    assert event["type"] == "ActivityLogged" and event["partitionkey"] == E1 and event["subject"] == body["id"]
    data = event["data"]
    assert data["activity_id"] == body["id"]
    assert (data["rater_nip"], data["unit_id"], data["plan_id"], data["result_id"]) == (
        R,
        "bidang",
        "plan-e1",
        "plan-e1-r1",
    )
    assert (data["start_time"], data["end_time"], data["minutes"], data["quantity"]) == ("08:00", "09:00", 60, 2.0)
    assert data["evidence"] == [{"kind": "link", "url": "https://arsip.binjaikota.go.id/berkas/1"}]

    got = svc.client.get(f"/api/v1/activities/{body['id']}", headers=svc.token(E1))
    assert got.status_code == 200 and got.get_json() == body and got.headers["ETag"] == response.headers["ETag"]
    [audit] = svc.rows("SELECT actor, action, entity_id FROM audit_log")
    assert audit == {"actor": E1, "action": "activity.logged", "entity_id": body["id"]}


# -- the rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"date": (today() + timedelta(days=1)).isoformat()}, "date"),  # no future dates
        ({"date": (today() - timedelta(days=70)).isoformat()}, "date"),  # before the edit window
        ({"start_time": "10:00", "end_time": "09:00"}, "end_time"),  # end after start
        ({"start_time": "10:00", "end_time": "10:00"}, "end_time"),
        ({"start_time": "25:00"}, "start_time"),
        ({"quantity": -1}, "quantity"),  # quantity not negative
        ({"indicator_id": "j1"}, "indicator_id"),  # another employee's indicator
        ({"indicator_id": "nope"}, "indicator_id"),
        ({"description": "   "}, "description"),
        ({"evidence": [{"url": "javascript:alert(1)"}]}, "evidence.0.url"),
        ({"id": "not-a-uuid"}, "id"),
        ({"date": "2026-02-30"}, "date"),
        ({"quantity": "lots"}, "quantity"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_each_rule_is_a_422_naming_the_field(svc, overrides, field):
    assert_problem(post(svc, entry(**overrides)), 422, field)
    assert count(svc) == 0 and svc.outbox() == []


def test_missing_fields_and_bad_json_are_4xx_not_500(svc):
    assert_problem(post(svc, {}), 422, "date")
    response = svc.client.post(
        "/api/v1/activities", data="{not json", content_type="application/json", headers=svc.token(E1)
    )
    assert 400 <= response.status_code < 500
    assert svc.client.post("/api/v1/activities", json=entry()).status_code == 401


def test_the_indicator_must_be_in_the_plan_in_force_on_that_date(svc):
    # A plan that ended yesterday: its indicator cannot be used today, but can for yesterday.
    yesterday = today() - timedelta(days=1)
    feed(svc, plan_event(E1, "plan-old", ["old-1"], start=yesterday - timedelta(days=30), end=yesterday))
    assert_problem(post(svc, entry(indicator_id="old-1")), 422, "indicator_id")
    if yesterday >= today().replace(day=1) or today().day <= 5:  # yesterday still inside the edit window
        assert post(svc, entry(indicator_id="old-1", date=yesterday.isoformat())).status_code == 201


def test_the_edit_window_close_day_is_configurable(service_factory, monkeypatch):
    monkeypatch.setenv("ACTIVITY_EDIT_WINDOW_CLOSE_DAY", "0")  # the previous month closes on the 1st
    svc = service_factory(SPEC)
    feed(svc, *org_events())
    last_of_previous_month = today().replace(day=1) - timedelta(days=1)
    assert_problem(post(svc, entry(date=last_of_previous_month.isoformat())), 422, "date")
    assert post(svc, entry(date=today().replace(day=1).isoformat())).status_code == 201


def test_overlap_is_a_409_naming_the_clashing_entry(svc):
    first = post(svc, entry(start_time="08:00", end_time="10:00")).get_json()
    clash = post(svc, entry(start_time="09:30", end_time="11:00"))
    body = assert_problem(clash, 409)
    assert body["clashing_activity_id"] == first["id"] and first["id"] in body["detail"]
    assert post(svc, entry(start_time="07:00", end_time="12:00")).status_code == 409  # containing it
    assert post(svc, entry(start_time="10:00", end_time="11:00")).status_code == 201  # touching is fine
    assert (
        post(
            svc,
            entry(start_time="08:00", end_time="09:00"),
            nip=E2,
        ).status_code
        == 422
    )  # (E2 has no i1)
    assert (
        post(svc, entry(start_time="08:00", end_time="09:00", indicator_id="j1"), nip=E2).status_code == 201
    )  # other people
    assert count(svc) == 3


def test_a_withdrawn_entry_frees_its_time(svc):
    first = post(svc, entry()).get_json()
    assert (
        svc.client.post(f"/api/v1/activities/{first['id']}/withdraw", json={}, headers=svc.token(E1)).status_code == 200
    )
    assert post(svc, entry()).status_code == 201


# -- offline-friendly ---------------------------------------------------------------------------------


def test_a_client_id_sent_twice_gives_one_entry_and_the_same_response(svc):
    body = entry(id=str(uuid.uuid4()))
    first = post(svc, body)
    again = post(svc, body)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json() and again.get_json()["id"] == body["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(svc) == 1 and len(svc.outbox()) == 1
    different = post(svc, {**body, "description": "something else", "start_time": "13:00", "end_time": "14:00"})
    assert_problem(different, 409, "id")
    assert_problem(post(svc, body, nip=E2), 409, "id")  # another employee cannot take or read it
    assert count(svc) == 1


def test_the_same_idempotency_key_twice_gives_one_entry_and_the_same_response(svc):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = post(svc, entry(), **key)
    again = post(svc, entry(), **key)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json() and again.headers.get("Idempotent-Replayed") == "true"
    assert count(svc) == 1 and len(svc.outbox()) == 1
    assert (
        post(svc, entry(start_time="13:00", end_time="14:00"), **key).status_code == 422
    )  # key reused for another body


def test_the_idempotency_key_is_stored_with_the_entry_and_its_answer(svc):
    key = str(uuid.uuid4())
    first = post(svc, entry(), **{"Idempotency-Key": key})
    assert first.status_code == 201
    [row] = svc.rows("SELECT state, status_code, response_body, response_headers FROM idempotency_keys")
    assert (row["state"], row["status_code"]) == ("done", 201)
    assert row["response_body"] == first.get_data(as_text=True)
    assert (
        row["response_headers"]["Location"] == first.headers["Location"]
        and row["response_headers"]["ETag"] == first.headers["ETag"]
    )


def test_a_refused_entry_is_answered_the_same_on_a_retry_with_its_key(svc):
    first_entry = post(svc, entry()).get_json()
    key = {"Idempotency-Key": str(uuid.uuid4())}
    clash = post(svc, entry(start_time="08:30", end_time="09:30"), **key)
    assert_problem(clash, 409)
    again = post(svc, entry(start_time="08:30", end_time="09:30"), **key)
    assert again.status_code == 409 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json()["clashing_activity_id"] == first_entry["id"]
    assert count(svc) == 1 and len(svc.outbox()) == 1


def test_concurrent_requests_with_one_idempotency_key_make_one_entry(svc):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = entry()  # no client id: only the key protects against a second entry
    barrier = threading.Barrier(4)

    def send(_):
        client = svc.client.application.test_client()
        barrier.wait()
        return client.post("/api/v1/activities", json=body, headers={**svc.token(E1), **key})

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(send, range(4)))
    created = [a for a in answers if a.status_code == 201]
    assert created and all(a.status_code in (201, 409) for a in answers), [a.status_code for a in answers]
    assert len({a.get_json()["id"] for a in created}) == 1  # the first answer, replayed
    assert count(svc) == 1 and len(svc.outbox()) == 1
    assert count(svc, "SELECT count(*) FROM audit_log WHERE action = 'activity.logged'") == 1


def test_answers_are_serialised_as_the_documented_schema(svc):
    from activity_service.api import out as _out
    from activity_service.schemas import ActivityOut

    logged = post(svc, entry(quantity=3, quantity_unit=None))
    aid = logged.get_json()["id"]
    attached = svc.client.post(
        f"/api/v1/activities/{aid}/evidence",
        data=upload("laporan.pdf", PDF_BYTES),
        content_type="multipart/form-data",
        headers=svc.token(E1),
    )
    assert attached.status_code == 201
    decided = svc.client.post(
        f"/api/v1/activities/{aid}/verify",
        json={"decision": "rejected", "reason": "kurang bukti"},
        headers=svc.token(R),
    )
    assert decided.status_code == 200, decided.get_json()
    one = svc.client.get(f"/api/v1/activities/{aid}", headers=svc.token(E1)).get_json()  # dumped by ActivityOut
    [listed] = svc.client.get("/api/v1/activities", headers=svc.token(E1)).get_json()["items"]  # built directly
    assert listed == one and one["verified_at"] and [e["kind"] for e in one["evidence"]] == ["link", "file"]
    assert logged.get_json() == {
        **one,
        "evidence": logged.get_json()["evidence"],
        "status": "pending",
        "verified_at": None,
        "verified_by": None,
        "verification_reason": None,
        "version": 1,
        "updated_at": logged.get_json()["updated_at"],
    }
    [stored] = svc.rows(f"SELECT * FROM activities WHERE id = '{aid}'")
    assert json.loads(json.dumps(ActivityOut().dump(_out(stored)), default=str)) == one


def test_a_batch_retried_with_its_idempotency_key_gets_the_first_answer(svc):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    items = [entry(start_time="08:00", end_time="09:00"), entry(start_time="09:00", end_time="10:00")]
    first = svc.client.post("/api/v1/activities/batch", json={"items": items}, headers={**svc.token(E1), **key})
    again = svc.client.post("/api/v1/activities/batch", json={"items": items}, headers={**svc.token(E1), **key})
    assert first.status_code == again.status_code == 207 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json() == first.get_json() and first.get_json()["stored"] == 2
    assert count(svc) == 2 and len(svc.outbox()) == 2
    assert count(svc, "SELECT count(*) FROM audit_log WHERE action = 'activity.logged'") == 2
    stored = first.get_json()["results"][1]["activity"]
    assert svc.client.get(f"/api/v1/activities/{stored['id']}", headers=svc.token(E1)).get_json() == stored
    assert stored["evidence"] == [{"kind": "link", "url": "https://arsip.binjaikota.go.id/berkas/1"}]
    [after] = svc.rows(f"SELECT after FROM audit_log WHERE entity_id = '{stored['id']}'")
    assert after["after"]["evidence"] == stored["evidence"] and after["after"]["start_time"] == "09:00"
    event = next(e for e in svc.outbox() if e["subject"] == stored["id"])
    assert event["data"]["evidence"] == stored["evidence"] and event["data"]["date"] == stored["date"]


def test_offline_batch_reports_a_result_per_item(svc):
    stored_id = post(svc, entry(id=str(uuid.uuid4()), start_time="07:00", end_time="07:30")).get_json()["id"]
    items = [
        entry(id=str(uuid.uuid4()), start_time="08:00", end_time="09:00"),  # 0 good
        entry(start_time="08:30", end_time="09:30"),  # 1 overlaps item 0
        entry(start_time="09:00", end_time="10:00", indicator_id="i2", quantity=0),  # 2 good
        entry(date=(today() + timedelta(days=2)).isoformat()),  # 3 future
        {"date": today().isoformat(), "start_time": "10:00"},  # 4 incomplete
        entry(id=stored_id, start_time="07:00", end_time="07:30"),  # 5 already stored: replay
        entry(start_time="11:00", end_time="10:00"),  # 6 end before start
        entry(indicator_id="j1", start_time="12:00", end_time="13:00"),  # 7 not my indicator
        "not an object",  # 8
    ]
    response = svc.client.post("/api/v1/activities/batch", json={"items": items}, headers=svc.token(E1))
    assert response.status_code == 207
    body = response.get_json()
    statuses = [r["status"] for r in body["results"]]
    assert [r["index"] for r in body["results"][:8]] == list(range(8))
    assert statuses[:8] == [201, 409, 201, 422, 422, 201, 422, 422]
    assert body["results"][1]["problem"]["clashing_activity_id"] == body["results"][0]["id"]
    assert body["results"][0]["id"] == items[0]["id"] and not body["results"][0]["replayed"]
    assert body["results"][5]["replayed"] and body["results"][5]["id"] == stored_id
    assert body["results"][3]["problem"]["errors"][0]["field"] == "date"
    assert {e["field"] for e in body["results"][4]["problem"]["errors"]} >= {"end_time", "indicator_id"}
    assert body["results"][6]["problem"]["errors"][0]["field"] == "end_time"
    assert body["results"][7]["problem"]["errors"][0]["field"] == "indicator_id"
    assert statuses[8] == 422
    assert (body["stored"], body["failed"]) == (3, 6)
    assert count(svc) == 3
    assert [e["type"] for e in svc.outbox()] == ["ActivityLogged"] * 3
    # The whole batch retried after a lost answer: nothing new.
    again = svc.client.post(
        "/api/v1/activities/batch", json={"items": [items[0], items[2]]}, headers=svc.token(E1)
    ).get_json()
    assert [r["status"] for r in again["results"]] == [201, 409]  # item 2 had no id: it is a new entry, which overlaps
    assert again["results"][0]["replayed"]
    assert count(svc) == 3


def test_a_batch_into_a_full_day_refuses_exactly_the_clashing_entries(svc):
    """A day already holding 60 entries (07:00-12:00, five minutes each): a batch's entries are checked against
    the stored ones and against each other, each 409 naming the earliest entry it overlaps; touching is not
    overlapping ([start, end) minutes)."""
    day = five_minute_entries(60)
    first = svc.client.post("/api/v1/activities/batch", json={"items": day}, headers=svc.token(E1)).get_json()
    assert first["stored"] == 60
    items = [
        entry(start_time="09:02", end_time="09:12"),  # 0 overlaps 09:00-09:05 (first), 09:05-09:10, 09:10-09:15
        entry(start_time="12:00", end_time="12:30"),  # 1 free: touches the last stored entry's end
        entry(start_time="12:20", end_time="12:40"),  # 2 overlaps item 1 of this batch
        entry(start_time="06:30", end_time="07:00"),  # 3 free: ends where the first stored entry begins
        entry(start_time="11:59", end_time="12:01"),  # 4 overlaps the last stored entry only
    ]
    body = svc.client.post("/api/v1/activities/batch", json={"items": items}, headers=svc.token(E1)).get_json()
    assert [r["status"] for r in body["results"]] == [409, 201, 409, 201, 409]
    clashes = [r["problem"] and r["problem"]["clashing_activity_id"] for r in body["results"]]
    assert clashes == [day[24]["id"], None, body["results"][1]["id"], None, day[59]["id"]]
    assert count(svc) == 62


def test_batch_limits(svc):
    assert_problem(svc.client.post("/api/v1/activities/batch", json={"items": []}, headers=svc.token(E1)), 422, "items")
    assert_problem(svc.client.post("/api/v1/activities/batch", json={}, headers=svc.token(E1)), 422, "items")


# -- edit and withdraw -------------------------------------------------------------------------------


def test_edit_with_if_match_publishes_activity_updated(svc):
    created = post(svc, entry())
    aid, etag = created.get_json()["id"], created.headers["ETag"]
    stale = svc.client.patch(
        f"/api/v1/activities/{aid}", json={"quantity": 3}, headers={**svc.token(E1), "If-Match": f'"{aid}.7"'}
    )
    assert_problem(stale, 412)
    edited = svc.client.patch(
        f"/api/v1/activities/{aid}",
        json={"quantity": 3, "end_time": "09:30", "indicator_id": "i2"},
        headers={**svc.token(E1), "If-Match": etag},
    )
    assert edited.status_code == 200, edited.get_json()
    body = edited.get_json()
    assert (body["quantity"], body["minutes"], body["indicator_id"], body["version"]) == (3.0, 90, "i2", 2)
    assert edited.headers["ETag"] == f'"{aid}.2"'
    assert (
        svc.client.patch(
            f"/api/v1/activities/{aid}", json={"quantity": 4}, headers={**svc.token(E1), "If-Match": etag}
        ).status_code
        == 412
    )
    updated = [e for e in svc.outbox() if e["type"] == "ActivityUpdated"]
    assert len(updated) == 1 and updated[0]["data"]["minutes"] == 90 and updated[0]["data"]["version"] == 2
    audit = svc.rows("SELECT action, before, after FROM audit_log WHERE action = 'activity.updated'")
    assert audit[0]["before"]["quantity"] == 2.0 and audit[0]["after"]["quantity"] == 3.0


def test_edit_follows_the_rules(svc):
    a = post(svc, entry(start_time="08:00", end_time="09:00")).get_json()
    b = post(svc, entry(start_time="09:00", end_time="10:00")).get_json()
    url = f"/api/v1/activities/{b['id']}"

    def edit(body):  # as the owner, with the current ETag
        return svc.client.patch(url, json=body, headers=svc.if_match(url, svc.token(E1)))

    body = assert_problem(edit({"start_time": "08:30"}), 409)
    assert body["clashing_activity_id"] == a["id"]
    assert edit({"start_time": "09:15"}).status_code == 200  # its own range is no clash
    assert_problem(edit({"end_time": "09:00"}), 422, "end_time")
    assert_problem(edit({"quantity": -2}), 422, "quantity")
    assert_problem(edit({"indicator_id": "j1"}), 422, "indicator_id")
    assert_problem(edit({"date": (today() + timedelta(days=1)).isoformat()}), 422, "date")
    assert_problem(edit({}), 422)
    assert_problem(svc.client.patch(url, json={"quantity": 1}, headers=svc.token(R)), 403)  # the rater may not edit it
    assert_problem(
        svc.client.patch(url, json={"quantity": 1}, headers=svc.token(OTHER)), 404
    )  # a stranger does not see it


def test_withdraw_publishes_activity_withdrawn_and_locks(svc):
    aid = post(svc, entry()).get_json()["id"]
    assert_problem(svc.client.post(f"/api/v1/activities/{aid}/withdraw", json={}, headers=svc.token(R)), 403)
    done = svc.client.post(f"/api/v1/activities/{aid}/withdraw", json={"reason": "salah input"}, headers=svc.token(E1))
    assert done.status_code == 200 and done.get_json()["status"] == "withdrawn"
    assert_problem(svc.client.post(f"/api/v1/activities/{aid}/withdraw", json={}, headers=svc.token(E1)), 409)
    assert_problem(svc.client.patch(f"/api/v1/activities/{aid}", json={"quantity": 1}, headers=svc.token(E1)), 409)
    [withdrawn] = [e for e in svc.outbox() if e["type"] == "ActivityWithdrawn"]
    validate_event(withdrawn)
    assert withdrawn["data"]["activity_id"] == aid
    assert svc.rows("SELECT reason FROM audit_log WHERE action = 'activity.withdrawn'") == [{"reason": "salah input"}]


# -- reading: access by relation, filters, pages --------------------------------------------------------


def test_access_by_relation(svc):
    mine = post(svc, entry()).get_json()["id"]
    theirs = post(svc, entry(indicator_id="j1"), nip=E2).get_json()["id"]

    def listed(caller, *roles, **params):
        response = svc.client.get("/api/v1/activities", query_string=params, headers=svc.token(caller, *roles))
        assert response.status_code == 200, response.get_json()
        return {a["id"] for a in response.get_json()["items"]}

    assert listed(E1) == {mine}
    assert listed(E2) == {theirs}
    assert listed(R, "supervisor") == {mine, theirs}  # the rater of both
    assert listed(H, "unit_head") == {mine, theirs}  # head of dinas, above bidang
    assert listed(H) == {mine, theirs}  # ... known as head from the directory, whatever the token says
    by_token_unit = svc.client.get(
        "/api/v1/activities", headers=svc.token(OTHER, "unit_head", unit="bidang")
    ).get_json()
    assert by_token_unit["items"] == []  # a token claiming a headship the directory does not give: nothing
    assert (
        svc.client.get("/api/v1/activities", headers=svc.token(OTHER, "unit_head", unit="lain")).get_json()["items"]
        == []
    )
    assert listed(OTHER) == set()
    assert listed("000000000000000001", "admin") == {mine, theirs}
    assert listed(R, nip=E1) == {mine}
    assert listed(E1, nip=E2) == set()  # a filter never widens the scope
    assert svc.client.get(f"/api/v1/activities/{theirs}", headers=svc.token(E1)).status_code == 404
    assert svc.client.get(f"/api/v1/activities/{theirs}", headers=svc.token(H)).status_code == 200
    assert (
        svc.client.get(f"/api/v1/activities/{theirs}", headers=svc.token(OTHER, "unit_head", unit="lain")).status_code
        == 404
    )
    assert (
        svc.client.get(f"/api/v1/activities/{theirs}", headers=svc.token(OTHER, "unit_head", unit="bidang")).status_code
        == 404
    )
    assert svc.client.get("/api/v1/activities/does-not-exist", headers=svc.token(E1)).status_code == 404


def test_filters_and_cursor_pages(svc):
    day = today()
    times = [("07:00", "07:30"), ("08:00", "08:30"), ("09:00", "09:30"), ("10:00", "10:30"), ("11:00", "11:30")]
    ids = [
        post(svc, entry(start_time=s, end_time=e, indicator_id="i2" if i % 2 else "i1")).get_json()["id"]
        for i, (s, e) in enumerate(times)
    ]
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = svc.client.get("/api/v1/activities", query_string=params, headers=svc.token(E1)).get_json()
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(ids))  # newest first, every entry once

    def q(**p):
        response = svc.client.get("/api/v1/activities", query_string=p, headers=svc.token(E1))
        return [a["id"] for a in response.get_json()["items"]]

    assert set(q(indicator_id="i2")) == {ids[1], ids[3]}
    assert len(q(month=day.strftime("%Y-%m"))) == 5
    assert q(date_from=(day + timedelta(days=1)).isoformat()) == []
    assert len(q(date_from=day.isoformat(), date_to=day.isoformat(), status="pending")) == 5
    assert len(q(unit_id="dinas")) == 5 and q(unit_id="lain") == []
    bad = svc.client.get("/api/v1/activities", query_string={"month": "2026-13"}, headers=svc.token(E1))
    assert_problem(bad, 422, "month")
    assert_problem(
        svc.client.get("/api/v1/activities", query_string={"cursor": "!!"}, headers=svc.token(E1)), 400, "cursor"
    )
    assert_problem(
        svc.client.get("/api/v1/activities", query_string={"status": "done"}, headers=svc.token(E1)), 422, "status"
    )


def test_listed_entries_read_exactly_as_each_entry_alone(svc):
    """The list (built as JSON by PostgreSQL) answers each entry as GET /activities/<id> does: same
    fields in the same order, same values and formats (files' download paths, verification,
    fractional quantities, timestamps with and without microseconds, text that needs escaping)."""
    plain = post(
        svc,
        entry(
            start_time="07:00",
            end_time="07:45",
            quantity=2.5,
            evidence=[],
            quantity_unit=None,
            description='Rapat "koordinasi" \\ lintas bidang\nbaris kedua: ñ 日本 \u0001',
        ),
    ).get_json()["id"]
    filed = post(svc, entry(start_time="08:00", end_time="08:30")).get_json()["id"]
    uploaded = svc.client.post(
        f"/api/v1/activities/{filed}/evidence",
        headers={**svc.token(E1), "If-Match": f'"{filed}.1"'},
        data=upload("berita acara.pdf", PDF_BYTES),
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 201, uploaded.get_json()
    verified = post(svc, entry(start_time="09:00", end_time="09:30", quantity=0)).get_json()["id"]
    assert (
        svc.client.post(
            f"/api/v1/activities/{verified}/verify",
            json={"decision": "rejected", "reason": "bukti kurang"},
            headers=svc.token(R),
        ).status_code
        == 200
    )
    with svc.engine.begin() as conn:  # a timestamp on a whole second (isoformat() drops the microseconds)
        conn.exec_driver_sql(
            "UPDATE activities SET updated_at = date_trunc('second', updated_at) WHERE id = %(id)s", {"id": plain}
        )
    alone = {
        i: svc.client.get(f"/api/v1/activities/{i}", headers=svc.token(E1)).get_json() for i in (plain, filed, verified)
    }
    assert alone[filed]["evidence"][-1]["download"].endswith(alone[filed]["evidence"][-1]["file_id"])
    pages, cursor = [], None
    while True:
        query = {"nip": E1, "month": today().strftime("%Y-%m"), "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = svc.client.get("/api/v1/activities", query_string=query, headers=svc.token(E1))
        assert page.status_code == 200 and page.content_type == "application/json"
        pages.append(page.get_json()["items"])
        cursor = page.get_json()["next_cursor"]
        if not cursor:
            break
    assert [len(p) for p in pages] == [2, 1]
    listed = [item for p in pages for item in p]
    assert [item["id"] for item in listed] == [verified, filed, plain]
    for item in listed:  # same values; keys in ActivityOut's order (GET one's encoder sorts them)
        assert item == alone[item["id"]]
        assert list(item) == list(ActivityOut._declared_fields)
    assert list(listed[1]["evidence"][-1]) == ["kind", "file_id", "name", "sha256", "content_type", "size", "download"]
    assert not alone[plain]["updated_at"].count(".")


def test_indicators_in_force_for_the_mobile_client(svc):
    got = svc.client.get("/api/v1/indicators", headers=svc.token(E1)).get_json()
    assert {i["indicator_id"] for i in got["items"]} == {"i1", "i2"}
    assert svc.client.get("/api/v1/indicators", query_string={"nip": E1}, headers=svc.token(R)).status_code == 200
    assert svc.client.get("/api/v1/indicators", query_string={"nip": E1}, headers=svc.token(OTHER)).status_code == 403


def test_concurrent_overlapping_posts_store_exactly_one(svc):
    """Eight phones send overlapping entries at once: the exclusion constraint (PostgreSQL) lets exactly one in."""
    from concurrent.futures import ThreadPoolExecutor

    headers = svc.token(E1)

    def send(i):
        client = svc.app.test_client()
        return client.post(
            "/api/v1/activities", json=entry(start_time="08:00", end_time=f"09:{i:02d}"), headers=headers
        ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(pool.map(send, range(8)))
    assert statuses == [201] + [409] * 7
    assert count(svc) == 1 and len(svc.outbox()) == 1


def test_concurrent_retries_of_one_client_id_store_one_entry(svc):
    from concurrent.futures import ThreadPoolExecutor

    body, headers = entry(id=str(uuid.uuid4())), svc.token(E1)

    def send(_):
        response = svc.app.test_client().post("/api/v1/activities", json=body, headers=headers)
        return response.status_code, response.get_json()["id"]

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(send, range(6)))
    assert answers == [(201, body["id"])] * 6
    assert count(svc) == 1 and len(svc.outbox()) == 1


def test_the_openapi_document_covers_every_endpoint_and_its_errors(svc):
    doc = svc.client.get("/openapi.json").get_json()
    ours = {
        path: ops
        for path, ops in doc["paths"].items()
        if path.startswith(("/api/v1/activities", "/api/v1/indicators", "/api/v1/summaries"))
    }
    assert len(ours) == 14
    for path, ops in ours.items():
        for method, op in ops.items():
            if method == "parameters":
                continue
            assert op.get("summary"), (method, path)
            assert {"401", "403"} <= set(op["responses"]), (method, path)
    assert {"409", "422"} <= set(doc["paths"]["/api/v1/activities"]["post"]["responses"])
    assert {"413", "415"} <= set(doc["paths"]["/api/v1/activities/{activity_id}/evidence"]["post"]["responses"])
    for action in ("correct", "annul"):
        assert {"403", "409", "412", "422", "428"} <= set(
            doc["paths"][f"/api/v1/activities/{{activity_id}}/{action}"]["post"]["responses"]
        )
