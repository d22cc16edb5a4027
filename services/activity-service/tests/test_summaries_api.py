"""Monthly summaries per employee and the daily who-has-not-logged view, over HTTP against PostgreSQL."""

import sys
from collections import defaultdict
from pathlib import Path

import pytest

from activity_service.service import SPEC

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import E1, E2, OTHER, H, R, entry, feed, last_working_day, org_events, today  # noqa: E402


@pytest.fixture
def svc(service_factory):
    harness = service_factory(SPEC)
    feed(harness, *org_events())
    return harness


def log(svc, nip=E1, **overrides):
    response = svc.client.post("/api/v1/activities", json=entry(**overrides), headers=svc.token(nip))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def summary(svc, caller, **params):
    return svc.client.get("/api/v1/summaries/monthly", query_string=params, headers=svc.token(caller))


def test_monthly_summary_matches_the_entries(svc):
    month = today().strftime("%Y-%m")
    a1 = log(svc, start_time="07:00", end_time="08:00", indicator_id="i1", quantity=2)
    log(svc, start_time="08:00", end_time="08:30", indicator_id="i1", quantity=1)
    a3 = log(svc, start_time="09:00", end_time="09:45", indicator_id="i2", quantity=3)
    a4 = log(svc, start_time="10:00", end_time="10:15", indicator_id="i2", quantity=0.5)
    log(svc, start_time="11:00", end_time="12:00", indicator_id="i2", quantity=4)
    log(svc, nip=E2, indicator_id="j1")  # someone else's: not in E1's summary
    svc.client.post(f"/api/v1/activities/{a1}/verify", json={"decision": "accepted"}, headers=svc.token(R))
    svc.client.post(
        f"/api/v1/activities/{a3}/verify", json={"decision": "rejected", "reason": "no evidence"}, headers=svc.token(R)
    )
    svc.client.post(f"/api/v1/activities/{a4}/withdraw", json={}, headers=svc.token(E1))

    response = summary(svc, E1, month=month)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    by_indicator = {i["indicator_id"]: i for i in body["indicators"]}
    assert by_indicator["i1"]["verified"] == {"minutes": 60, "entries": 1, "quantity": 2.0, "quantity_excluded": 0}
    assert by_indicator["i1"]["pending"] == {"minutes": 30, "entries": 1, "quantity": 1.0, "quantity_excluded": 0}
    assert by_indicator["i1"]["rejected"] == {"minutes": 0, "entries": 0, "quantity": 0.0, "quantity_excluded": 0}
    assert by_indicator["i2"]["rejected"] == {"minutes": 45, "entries": 1, "quantity": 3.0, "quantity_excluded": 0}
    assert by_indicator["i2"]["pending"] == {
        "minutes": 60,
        "entries": 1,
        "quantity": 4.0,
        "quantity_excluded": 0,
    }  # the withdrawn one counts nowhere
    assert by_indicator["i1"]["text"] == "Dokumen i1" and by_indicator["i1"]["target_unit"] == "dokumen"
    assert body["totals"]["verified"]["minutes"] == 60 and body["totals"]["pending"]["entries"] == 2
    assert body["days_logged"] == 1 and body["working_days"] >= 19

    # The same figures computed from the entries themselves.
    items = svc.client.get(
        "/api/v1/activities", query_string={"month": month, "limit": 200}, headers=svc.token(E1)
    ).get_json()["items"]
    expected = defaultdict(lambda: {"minutes": 0, "entries": 0, "quantity": 0.0, "quantity_excluded": 0})
    bucket = {"accepted": "verified", "pending": "pending", "rejected": "rejected"}
    for item in items:
        if item["status"] in bucket:
            b = expected[(item["indicator_id"], bucket[item["status"]])]
            b["minutes"] += item["minutes"]
            b["entries"] += 1
            b["quantity"] += item["quantity"]
    for (indicator, name), figures in expected.items():
        assert by_indicator[indicator][name] == figures


def test_who_may_read_a_monthly_summary(svc):
    log(svc)
    month = today().strftime("%Y-%m")
    assert summary(svc, R, nip=E1, month=month).status_code == 200
    assert summary(svc, H, nip=E1, month=month).status_code == 200
    assert summary(svc, E2, nip=E1, month=month).status_code == 403
    assert summary(svc, OTHER, nip=E1, month=month).status_code == 403
    assert summary(svc, E1, month="2026-13").status_code == 422
    assert summary(svc, E1).status_code == 422
    empty = summary(svc, E2, month=month).get_json()
    assert empty["indicators"] == [] and empty["totals"]["pending"]["entries"] == 0


def daily(svc, caller, *roles, **params):
    return svc.client.get("/api/v1/summaries/daily", query_string=params, headers=svc.token(caller, *roles))


def test_who_has_not_logged_on_a_working_day(svc):
    day = last_working_day()
    log(svc, date=day.isoformat())
    body = daily(svc, H, date=day.isoformat(), unit_id="dinas").get_json()
    assert body["working_day"] is True and body["holiday"] is None
    assert (body["expected"], body["logged"]) == (4, 1)
    assert {m["nip"] for m in body["missing"]} == {H, R, E2}
    assert {m["nip"] for m in daily(svc, H, date=day.isoformat(), unit_id="bidang").get_json()["missing"]} == {E2}
    assert {m["nip"] for m in daily(svc, R, date=day.isoformat()).get_json()["missing"]} == {E2}  # the ones R rates
    admin = daily(svc, "000000000000000001", "admin", date=day.isoformat(), unit_id="lain").get_json()
    assert [m["nip"] for m in admin["missing"]] == [OTHER]
    assert daily(svc, E1, date=day.isoformat(), unit_id="bidang").status_code == 403
    assert daily(svc, R, date=day.isoformat(), unit_id="dinas").status_code == 403  # R rates people but heads no unit
    assert daily(svc, OTHER, "unit_head", unit="lain", date=day.isoformat(), unit_id="dinas").status_code == 403
    assert daily(svc, H, unit_id="dinas").status_code == 422


def test_holidays_from_the_configured_calendar(service_factory, monkeypatch, tmp_path):
    day = last_working_day()
    calendar = tmp_path / "libur.txt"
    calendar.write_text(f"# national holidays and cuti bersama\n{day.isoformat()} Hari Libur Uji\n")
    monkeypatch.setenv("KINERJA_HOLIDAYS_FILE", str(calendar))
    svc = service_factory(SPEC)
    feed(svc, *org_events())
    body = daily(svc, H, date=day.isoformat(), unit_id="dinas").get_json()
    assert body["working_day"] is False and body["holiday"] == "Hari Libur Uji"
    assert body["missing"] == [] and body["expected"] == 0
    weekend = day + __import__("datetime").timedelta(days=(5 - day.weekday()))  # the Saturday after
    assert daily(svc, H, date=weekend.isoformat(), unit_id="dinas").get_json()["working_day"] is False
