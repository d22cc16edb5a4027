"""Activities against actions (rencana aksi) over HTTP against PostgreSQL: the ActionPlanAgreed read model (latest
version wins), an action_id on POST, batch, PATCH and correction (accepted or refused naming action_id), the
events carrying it, and the monthly summary per action and per result."""

import sys
from datetime import timedelta
from pathlib import Path

import pytest

from activity_service.service import SPEC
from kinerja_shared.events import make_event, validate_event

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import E1, E2, H, R, entry, feed, org_events, today  # noqa: E402


def action_plan_event(plan_id: str, nip: str, actions: list[dict], *, version: int = 1) -> dict:
    event = make_event(
        "ActionPlanAgreed",
        source_service="plan-service",
        subject=plan_id,
        partitionkey=nip,
        data={
            "plan_id": plan_id,
            "nip": nip,
            "rater_nip": R,
            "unit_id": "bidang",
            "year": today().year,
            "plan_revision": 1,
            "version": version,
            "amendment_reason": None,
            "agreed_at": "2026-01-20T03:00:00Z",
            "agreed_by": R,
            "actions": actions,
        },
    )
    validate_event(event)
    return event


def action(action_id, indicator="i1", period=None, *, plan="plan-e1", target=10, text="Memproses berkas izin"):
    return {
        "action_id": action_id,
        "result_id": f"{plan}-r1",
        "indicator_id": indicator,
        "period": period or today().strftime("%Y-%m"),
        "text": text,
        "target_value": target,
        "target_unit": "dokumen",
    }


def next_month() -> str:
    day = today().replace(day=28) + timedelta(days=5)
    return day.strftime("%Y-%m")


def quarter() -> str:
    return f"{today().year}-Q{(today().month - 1) // 3 + 1}"


@pytest.fixture
def svc(service_factory):
    harness = service_factory(SPEC)
    feed(harness, *org_events())
    feed(
        harness,
        action_plan_event(
            "plan-e1",
            E1,
            [action("a1"), action("a2", "i2", quarter(), target=30), action("later", period=next_month())],
        ),
        action_plan_event("plan-e2", E2, [action("b1", "j1", plan="plan-e2")]),
    )
    return harness


def post(svc, body, nip=E1):
    return svc.client.post("/api/v1/activities", json=body, headers=svc.token(nip))


def problem_field(response, status, field):
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert field in [e["field"] for e in body["errors"]], body
    return body


def test_an_entry_against_an_action_takes_its_indicator_and_says_so_in_its_event(svc):
    body = entry()
    del body["indicator_id"]
    response = post(svc, {**body, "action_id": "a2"})
    assert response.status_code == 201, response.get_json()
    stored = response.get_json()
    assert (stored["action_id"], stored["indicator_id"], stored["result_id"], stored["plan_id"]) == (
        "a2",
        "i2",
        "plan-e1-r1",
        "plan-e1",
    )
    [event] = svc.outbox()
    validate_event(event)
    assert (
        event["type"] == "ActivityLogged"
        and event["data"]["action_id"] == "a2"
        and event["data"]["indicator_id"] == "i2"
    )
    # the same indicator beside it is fine; an entry without an action says so too
    assert post(svc, entry(start_time="10:00", end_time="11:00", indicator_id="i1", action_id="a1")).status_code == 201
    plain = post(svc, entry(start_time="12:00", end_time="13:00"))
    assert plain.status_code == 201 and plain.get_json()["action_id"] is None
    assert svc.outbox()[-1]["data"]["action_id"] is None


@pytest.mark.parametrize(
    "overrides, why",
    [
        ({"indicator_id": "i2", "action_id": "a1"}, "another indicator than the action's"),
        ({"action_id": "nope"}, "no such agreed action"),
        ({"action_id": "b1", "indicator_id": "i1"}, "someone else's action"),
        ({"action_id": "later"}, "the action's month does not contain the date"),
    ],
)
def test_an_action_that_does_not_fit_is_refused_naming_action_id(svc, overrides, why):
    body = problem_field(post(svc, entry(**overrides)), 422, "action_id")
    assert svc.outbox() == [], why
    assert body["errors"][0]["message"]


def test_neither_indicator_nor_action_names_the_indicator(svc):
    body = entry()
    del body["indicator_id"]
    problem_field(post(svc, body), 422, "indicator_id")


def test_batch_entries_with_and_without_actions(svc):
    items = [
        entry(start_time="07:00", end_time="08:00", action_id="a1", indicator_id=None),
        entry(start_time="08:00", end_time="09:00", action_id="later"),
        entry(start_time="09:00", end_time="10:00"),
    ]
    items[0].pop("indicator_id")
    response = svc.client.post("/api/v1/activities/batch", json={"items": items}, headers=svc.token(E1))
    assert response.status_code == 207, response.get_json()
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == [201, 422, 201]
    assert results[0]["activity"]["action_id"] == "a1" and results[0]["activity"]["indicator_id"] == "i1"
    assert "action_id" in [e["field"] for e in results[1]["problem"]["errors"]]
    assert results[2]["activity"]["action_id"] is None


def test_the_latest_agreed_version_wins(svc):
    feed(svc, action_plan_event("plan-e1", E1, [action("a1")], version=2))  # a2 dropped by an amendment
    feed(svc, action_plan_event("plan-e1", E1, [action("a1"), action("a2", "i2", quarter())], version=1))  # late, old
    problem_field(post(svc, entry(action_id="a2", indicator_id="i2")), 422, "action_id")
    assert post(svc, entry(action_id="a1")).status_code == 201


def test_edit_links_relinks_and_unlinks_an_entry(svc):
    created = post(svc, entry()).get_json()
    path = f"/api/v1/activities/{created['id']}"
    headers = {**svc.token(E1), "If-Match": f'"{created["id"]}.1"'}
    linked = svc.client.patch(path, json={"action_id": "a2"}, headers=headers)
    assert linked.status_code == 200, linked.get_json()
    assert (linked.get_json()["action_id"], linked.get_json()["indicator_id"]) == ("a2", "i2")
    assert svc.outbox()[-1]["type"] == "ActivityUpdated" and svc.outbox()[-1]["data"]["action_id"] == "a2"
    headers["If-Match"] = f'"{created["id"]}.2"'
    problem_field(svc.client.patch(path, json={"indicator_id": "i1"}, headers=headers), 422, "action_id")
    unlinked = svc.client.patch(path, json={"action_id": None, "indicator_id": "i1"}, headers=headers)
    assert unlinked.status_code == 200 and (unlinked.get_json()["action_id"], unlinked.get_json()["indicator_id"]) == (
        None,
        "i1",
    )


def test_a_correction_can_set_the_action(svc):
    created = post(svc, entry()).get_json()
    svc.client.post(f"/api/v1/activities/{created['id']}/verify", json={"decision": "accepted"}, headers=svc.token(R))
    path = f"/api/v1/activities/{created['id']}/correct"
    headers = {**svc.token(H, "supervisor"), "If-Match": "*"}
    problem_field(
        svc.client.post(path, json={"reason": "Salah aksi", "action_id": "b1"}, headers=headers), 422, "action_id"
    )
    corrected = svc.client.post(path, json={"reason": "Aksi yang benar", "action_id": "a1"}, headers=headers)
    assert corrected.status_code == 200, corrected.get_json()
    assert corrected.get_json()["action_id"] == "a1"
    event = svc.outbox()[-1]
    validate_event(event)
    assert event["type"] == "ActivityCorrected" and event["data"]["action_id"] == "a1"


def test_the_monthly_summary_shows_each_action_and_result(svc):
    month = today().strftime("%Y-%m")
    first = post(svc, entry(start_time="07:00", end_time="08:00", action_id="a1", quantity=3)).get_json()
    post(svc, entry(start_time="08:00", end_time="09:00", action_id="a1", quantity=2))
    post(svc, entry(start_time="09:00", end_time="10:00", action_id="a2", indicator_id="i2", quantity=4))
    post(svc, entry(start_time="10:00", end_time="11:00", quantity=1))  # no action: in its result only
    svc.client.post(f"/api/v1/activities/{first['id']}/verify", json={"decision": "accepted"}, headers=svc.token(R))
    response = svc.client.get("/api/v1/summaries/monthly", query_string={"month": month}, headers=svc.token(E1))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    actions = {a["action_id"]: a for a in body["actions"]}
    assert set(actions) == {"a1", "a2"}  # planned for this month or its quarter ("later" is next month's)
    assert (actions["a1"]["target_value"], actions["a1"]["target_unit"], actions["a1"]["agreed"]) == (
        10,
        "dokumen",
        True,
    )
    assert (actions["a1"]["verified"]["quantity"], actions["a1"]["pending"]["quantity"]) == (3, 2)
    assert (actions["a2"]["period"], actions["a2"]["pending"]["quantity"]) == (quarter(), 4)
    [result] = body["results"]
    assert (result["result_id"], result["text"], result["verified"]["quantity"], result["pending"]["quantity"]) == (
        "plan-e1-r1",
        "Layanan perizinan tepat waktu",
        3,
        7,
    )
