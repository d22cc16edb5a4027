"""Working-day awareness (issue 20): entries dated on a day off are taken or refused by the setting
ACTIVITY_NON_WORKING_DAYS, and GET /api/v1/summaries/calendar tells the console which days are off."""

import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from activity_service.service import SPEC
from kinerja_shared.calendar import WEEKDAYS

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import E1, entry, feed, org_events, today  # noqa: E402


def all_but_today() -> str:
    """Every weekday but today's (Asia/Jakarta), read when the test runs: a suite running across midnight in
    Jakarta (17:00 UTC) must not keep the day the module was imported on."""
    return ",".join(d for i, d in enumerate(WEEKDAYS) if i != today().weekday())


def service(service_factory, monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    svc = service_factory(SPEC)
    feed(svc, *org_events())
    return svc


def post(svc, body, lang="en"):
    return svc.client.post("/api/v1/activities", json=body, headers={**svc.token(E1), "Accept-Language": lang})


def date_error(response) -> str:
    assert response.status_code == 422, response.get_json()
    [error] = [e for e in response.get_json()["errors"] if e["field"] == "date"]
    return error["message"]


def test_refused_on_a_holiday_naming_date_and_the_holiday(service_factory, monkeypatch):
    svc = service(
        service_factory,
        monkeypatch,
        ACTIVITY_NON_WORKING_DAYS="refuse",
        KINERJA_HOLIDAYS=f"{today().isoformat()}=Hari Jadi Kota Binjai",
        KINERJA_WORKING_DAYS="mon-sun",
    )
    assert "Hari Jadi Kota Binjai" in date_error(post(svc, entry()))
    indonesian = date_error(post(svc, entry(), lang="id"))
    assert "hari libur (Hari Jadi Kota Binjai)" in indonesian and "tidak diterima" in indonesian
    assert svc.scalar("SELECT count(*) FROM activities") == 0


def test_refused_on_a_weekly_day_off_also_in_a_batch_and_an_edit(service_factory, monkeypatch):
    svc = service(
        service_factory,
        monkeypatch,
        ACTIVITY_NON_WORKING_DAYS="refuse",
        KINERJA_WORKING_DAYS=all_but_today(),
        KINERJA_NATIONAL_HOLIDAYS="none",
    )
    assert "weekly day off" in date_error(post(svc, entry()))
    batch = svc.client.post(
        "/api/v1/activities/batch", json={"items": [entry(id=str(uuid.uuid4()))]}, headers=svc.token(E1)
    )
    [result] = batch.get_json()["results"]
    assert result["status"] == 422 and [e["field"] for e in result["problem"]["errors"]] == ["date"]
    # An entry of the day before (a working day) cannot be moved onto the day off either.
    yesterday = today() - timedelta(days=1)
    stored = post(svc, entry(date=yesterday.isoformat()))
    if stored.status_code == 201:  # yesterday is in the edit window
        moved = svc.client.patch(
            f"/api/v1/activities/{stored.get_json()['id']}",
            json={"date": today().isoformat()},
            headers={**svc.token(E1), "If-Match": stored.headers["ETag"]},
        )
        assert moved.status_code == 422 and "date" in [e["field"] for e in moved.get_json()["errors"]]


def test_allowed_by_default(service_factory, monkeypatch):
    svc = service(
        service_factory,
        monkeypatch,
        KINERJA_WORKING_DAYS=all_but_today(),
        KINERJA_HOLIDAYS=f"{today().isoformat()}=Cuti Bersama",
    )
    assert post(svc, entry()).status_code == 201


def test_the_calendar_names_the_days_off_and_the_setting(service_factory, monkeypatch):
    day = today()
    svc = service(
        service_factory,
        monkeypatch,
        KINERJA_WORKING_DAYS=all_but_today(),
        KINERJA_NATIONAL_HOLIDAYS="ID",
        KINERJA_HOLIDAYS=f"{(day + timedelta(days=1)).isoformat()}=Cuti Bersama",
    )
    answer = svc.client.get(
        "/api/v1/summaries/calendar",
        query_string={"date_from": day.isoformat(), "date_to": (day + timedelta(days=13)).isoformat()},
        headers=svc.token(E1),
    )
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["non_working_day_entries"] == "allow" and WEEKDAYS[day.weekday()] not in body["workdays"]
    off = {d["date"]: d["holiday"] for d in body["days_off"]}
    assert off[day.isoformat()] is None, "a weekly day off has no holiday name"
    assert off[(day + timedelta(days=1)).isoformat()] == "Cuti Bersama"
    assert (day + timedelta(days=7)).isoformat() in off and len(off) >= 3
    # The national ones come from the holidays package, in Bahasa Indonesia.
    national = svc.client.get(
        "/api/v1/summaries/calendar",
        query_string={"date_from": "2026-08-17", "date_to": "2026-08-17"},
        headers=svc.token(E1),
    ).get_json()
    assert national["days_off"] == [{"date": "2026-08-17", "holiday": "Hari Kemerdekaan Republik Indonesia"}]
    # Defaults: the edit window and a month ahead.
    assert svc.client.get("/api/v1/summaries/calendar", headers=svc.token(E1)).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2026-05-02", "date_to": "2026-05-01"},
        {"date_from": "2026-01-01", "date_to": "2027-06-01"},
        {"date_from": "2026-13-01"},
    ],
)
def test_bad_spans_are_422_naming_the_field(service_factory, monkeypatch, query):
    svc = service(service_factory, monkeypatch)
    answer = svc.client.get("/api/v1/summaries/calendar", query_string=query, headers=svc.token(E1))
    assert answer.status_code == 422 and answer.content_type == "application/problem+json"


def test_the_calendar_s_edges_are_answered_not_500(service_factory, monkeypatch):
    svc = service(service_factory, monkeypatch)
    for query in (
        {"date_from": "9999-12-30"},
        {"date_from": "0001-01-01"},
        {"date_to": "0001-01-01"},
        {"date_from": "9999-12-31", "date_to": "9999-12-31"},
    ):
        answer = svc.client.get("/api/v1/summaries/calendar", query_string=query, headers=svc.token(E1))
        assert answer.status_code in (200, 422), (query, answer.status_code)


def test_the_calendar_needs_a_token(service_factory, monkeypatch):
    assert service(service_factory, monkeypatch).client.get("/api/v1/summaries/calendar").status_code == 401
