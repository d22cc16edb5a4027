"""Numbers are finite and bounded; a value stored before the bounds existed never breaks a screen.

The answers are read as strict JSON (``NaN``/``Infinity`` are not JSON), over HTTP against PostgreSQL.
"""

import json
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from activity_service.domain import MAX_BATCH_ITEMS
from activity_service.service import SPEC
from kinerja_shared.numbers import MAX_ENTRY_QUANTITY

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import E1, R, entry, feed, org_events, today  # noqa: E402


def strict_json(response):
    """The body parsed as RFC 8259 JSON: NaN, Infinity and -Infinity are refused."""

    def refuse(name):
        raise AssertionError(f"{name} in a JSON answer: {response.get_data(as_text=True)[:300]}")

    return json.loads(response.get_data(as_text=True), parse_constant=refuse)


@pytest.fixture
def svc(service_factory):
    harness = service_factory(SPEC)
    feed(harness, *org_events())
    return harness


def post(svc, body, nip=E1):
    return svc.client.post("/api/v1/activities", json=body, headers=svc.token(nip))


def fields_of(response) -> list[str]:
    body = strict_json(response)
    return [e["field"] for e in body.get("errors", [])]


@pytest.mark.parametrize("quantity", [1e308, MAX_ENTRY_QUANTITY + 1, MAX_ENTRY_QUANTITY + 0.01])
def test_a_quantity_above_the_per_entry_maximum_is_refused_naming_quantity(svc, quantity):
    response = post(svc, entry(quantity=quantity))
    assert response.status_code == 422 and "quantity" in fields_of(response)
    assert svc.scalar("SELECT count(*) FROM activities") == 0


def test_the_per_entry_maximum_itself_is_accepted_and_decimals_are_kept_to_two_places(svc):
    response = post(svc, entry(quantity=MAX_ENTRY_QUANTITY))
    assert response.status_code == 201, response.get_json()
    assert strict_json(response)["quantity"] == MAX_ENTRY_QUANTITY
    response = post(svc, entry(quantity=1.236, start_time="10:00", end_time="11:00"))
    assert response.status_code == 201, response.get_json()
    assert strict_json(response)["quantity"] == 1.24
    month = today().strftime("%Y-%m")
    summary = svc.client.get("/api/v1/summaries/monthly", query_string={"month": month}, headers=svc.token(E1))
    assert strict_json(summary)["totals"]["pending"]["quantity"] == MAX_ENTRY_QUANTITY + 1.24
    listed = svc.client.get("/api/v1/activities", query_string={"month": month}, headers=svc.token(E1))
    assert sorted(i["quantity"] for i in strict_json(listed)["items"]) == [1.24, MAX_ENTRY_QUANTITY]


def test_an_edit_cannot_raise_the_quantity_above_the_maximum(svc):
    created = post(svc, entry()).get_json()
    response = svc.client.patch(
        f"/api/v1/activities/{created['id']}",
        json={"quantity": 1e308},
        headers={**svc.token(E1), "If-Match": f'"{created["id"]}.1"'},
    )
    assert response.status_code == 422 and "quantity" in fields_of(response)


def test_the_openapi_document_states_the_bounds_the_service_enforces(svc):
    spec = strict_json(svc.client.get("/openapi.json"))
    schemas = spec["components"]["schemas"]
    quantity = schemas["ActivityIn"]["properties"]["quantity"]
    assert (quantity["minimum"], quantity["maximum"]) == (0, MAX_ENTRY_QUANTITY)
    assert str(MAX_ENTRY_QUANTITY) in quantity["description"].replace(",", "")
    assert schemas["ActivityPatch"]["properties"]["quantity"]["maximum"] == MAX_ENTRY_QUANTITY
    assert schemas["BatchIn"]["properties"]["items"]["maxItems"] == MAX_BATCH_ITEMS


def test_a_batch_of_the_documented_size_is_taken_and_one_more_is_refused(svc):
    items = [{"description": "offline"}] * MAX_BATCH_ITEMS  # each refused on its own: the batch itself is taken
    response = svc.client.post("/api/v1/activities/batch", json={"items": items}, headers=svc.token(E1))
    assert response.status_code == 207, response.get_json()
    assert strict_json(response)["failed"] == MAX_BATCH_ITEMS
    response = svc.client.post("/api/v1/activities/batch", json={"items": items + items[:1]}, headers=svc.token(E1))
    assert response.status_code == 422 and fields_of(response) == ["items"]


@pytest.mark.parametrize("stored", ["Infinity", "NaN", "1e308", "-1e308"])
def test_a_quantity_stored_before_the_bounds_does_not_break_any_screen(svc, stored):
    """Rows written before the limits (or by hand): every read still answers 200 with strict JSON;
    the month's sums leave the unusable quantity out and say how many entries they left out."""
    month = today().strftime("%Y-%m")
    good = post(svc, entry(quantity=2, start_time="07:00", end_time="08:00")).get_json()
    bad = post(svc, entry(quantity=3, start_time="08:00", end_time="09:00")).get_json()
    for activity_id in (good["id"], bad["id"]):
        response = svc.client.post(
            f"/api/v1/activities/{activity_id}/verify",
            json={"decision": "accepted"},
            headers={**svc.token(R), "If-Match": f'"{activity_id}.1"'},
        )
        assert response.status_code == 200, response.get_json()
    with svc.engine.begin() as conn:
        conn.execute(text(f"UPDATE activities SET quantity = '{stored}'::float8 WHERE id = :id"), {"id": bad["id"]})

    summary = svc.client.get("/api/v1/summaries/monthly", query_string={"month": month}, headers=svc.token(E1))
    assert summary.status_code == 200
    body = strict_json(summary)
    verified = body["totals"]["verified"]
    assert verified["entries"] == 2 and verified["quantity"] == 2.0 and verified["quantity_excluded"] == 1
    [i1] = [i for i in body["indicators"] if i["indicator_id"] == "i1"]
    assert i1["verified"]["quantity"] == 2.0 and i1["verified"]["quantity_excluded"] == 1

    for caller in (E1, R):
        listed = svc.client.get("/api/v1/activities", query_string={"month": month}, headers=svc.token(caller))
        assert listed.status_code == 200
        assert {i["id"] for i in strict_json(listed)["items"]} >= {good["id"], bad["id"]}
    one = svc.client.get(f"/api/v1/activities/{bad['id']}", headers=svc.token(E1))
    assert one.status_code == 200
    quantity = strict_json(one)["quantity"]
    assert quantity is None or quantity == float(stored)
