"""An entry's unit is its indicator's unit (DOMAIN.md "Realisation per indicator aspect"): another unit is a
422 naming ``quantity_unit`` with the indicator's unit in the message (Indonesian by default), on log, batch,
edit and correction; none given takes the indicator's; case and spacing do not matter."""

import sys
from pathlib import Path

import pytest

from kinerja_shared.testing.plugin import plain_client

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import ADMIN, E1, H, R, entry, feed, log_entry, plan_event, started  # noqa: E402


@pytest.fixture
def svc(service_factory):
    return started(service_factory)


def _problem(response, field="quantity_unit"):
    assert response.status_code == 422, response.get_json()
    assert response.headers["Content-Type"] == "application/problem+json"
    [error] = [e for e in response.get_json()["errors"] if e["field"] == field]
    return error["message"]


def test_logging_in_another_unit_is_refused_naming_the_indicators_unit(svc):
    message = _problem(svc.client.post("/api/v1/activities", json=entry(quantity_unit="pasien"), headers=svc.token(E1)))
    assert (
        message == 'must be the indicator\'s unit "dokumen", not "pasien" (conversions between units are not supported)'
    )
    indonesian = plain_client(svc.app).post(
        "/api/v1/activities", json=entry(quantity_unit="pasien"), headers=svc.token(E1)
    )
    assert _problem(indonesian).endswith(
        'harus satuan indikatornya, "dokumen", bukan "pasien" (konversi antarsatuan belum didukung)'
    )
    assert svc.scalar("SELECT count(*) FROM activities") == 0


def test_no_unit_takes_the_indicators_and_case_and_spacing_do_not_matter(svc):
    for given in (None, "", "  Dokumen ", "DOKUMEN"):
        body = entry(quantity_unit=given)
        body["start_time"], body["end_time"] = {
            None: ("07:00", "07:30"),
            "": ("08:00", "08:30"),
            "  Dokumen ": ("09:00", "09:30"),
            "DOKUMEN": ("10:00", "10:30"),
        }[given]
        response = svc.client.post("/api/v1/activities", json=body, headers=svc.token(E1))
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["quantity_unit"] == "dokumen"
    logged = [e for e in svc.outbox() if e["type"] == "ActivityLogged"]
    assert {e["data"]["quantity_unit"] for e in logged} == {"dokumen"}


def test_a_batch_refuses_only_the_entries_in_another_unit(svc):
    items = [
        entry(start_time="08:00", end_time="08:30"),
        entry(start_time="09:00", end_time="09:30", quantity_unit="laporan"),
    ]
    response = svc.client.post("/api/v1/activities/batch", json={"items": items}, headers=svc.token(E1))
    assert response.status_code == 207
    first, second = response.get_json()["results"]
    assert first["status"] == 201 and second["status"] == 422
    assert second["problem"]["errors"][0]["field"] == "quantity_unit"
    assert '"dokumen"' in second["problem"]["errors"][0]["message"]


def test_an_edit_cannot_change_the_unit_away_from_the_indicators(svc):
    aid = log_entry(svc)
    url = f"/api/v1/activities/{aid}"
    _problem(svc.client.patch(url, json={"quantity_unit": "berkas"}, headers=svc.if_match(url, svc.token(E1))))
    edited = svc.client.patch(
        url, json={"quantity_unit": "Dokumen", "quantity": 3}, headers=svc.if_match(url, svc.token(E1))
    )
    assert edited.status_code == 200 and edited.get_json()["quantity_unit"] == "dokumen"


def test_moving_an_entry_to_an_indicator_in_another_unit_needs_that_unit(svc):
    plan = plan_event(E1, "plan-e1", ["i1", "i2"], revision=2, amended=True)
    plan["data"]["results"][0]["indicators"][1].update(
        aspect="quality", target_value=100, target_unit="%", measure="average"
    )
    feed(svc, plan)
    aid = log_entry(svc)
    url = f"/api/v1/activities/{aid}"
    message = _problem(svc.client.patch(url, json={"indicator_id": "i2"}, headers=svc.if_match(url, svc.token(E1))))
    assert '"%"' in message and '"dokumen"' in message
    moved = svc.client.patch(
        url, json={"indicator_id": "i2", "quantity_unit": "%", "quantity": 95}, headers=svc.if_match(url, svc.token(E1))
    )
    assert moved.status_code == 200 and moved.get_json()["quantity_unit"] == "%"
    indicators = svc.client.get(f"/api/v1/indicators?nip={E1}", headers=svc.token(E1)).get_json()["items"]
    assert [(i["indicator_id"], i["target_unit"], i["measure"]) for i in indicators] == [
        ("i1", "dokumen", None),
        ("i2", "%", "average"),
    ]


def test_a_correction_in_another_unit_is_refused(svc):
    aid = log_entry(svc)
    assert (
        svc.client.post(
            f"/api/v1/activities/{aid}/verify", json={"decision": "accepted"}, headers=svc.token(R)
        ).status_code
        == 200
    )
    url = f"/api/v1/activities/{aid}/correct"
    etag = svc.client.get(f"/api/v1/activities/{aid}", headers=svc.token(ADMIN, "admin")).headers["ETag"]
    refused = svc.client.post(
        url, json={"quantity_unit": "pasien", "reason": "salah satuan"}, headers={**svc.token(H), "If-Match": etag}
    )
    assert '"dokumen"' in _problem(refused)
    same = svc.client.post(
        url, json={"quantity_unit": "DOKUMEN", "reason": "ejaan"}, headers={**svc.token(H), "If-Match": etag}
    )
    assert "already the indicator's unit" in _problem(same)
    ok = svc.client.post(url, json={"quantity": 3, "reason": "salah ketik"}, headers={**svc.token(H), "If-Match": etag})
    assert ok.status_code == 200 and ok.get_json()["quantity_unit"] == "dokumen"
