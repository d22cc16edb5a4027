"""The read models kept from plan-service's events, seen through the HTTP API."""

import sys
from datetime import timedelta
from pathlib import Path

import pytest

from activity_service.service import SPEC

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import E1, R, employee_event, entry, feed, org_events, plan_event, today  # noqa: E402


@pytest.fixture
def svc(service_factory):
    harness = service_factory(SPEC)
    feed(harness, *org_events())
    return harness


def indicators(svc, nip=E1):
    return {i["indicator_id"] for i in svc.client.get("/api/v1/indicators", headers=svc.token(nip)).get_json()["items"]}


def post(svc, **overrides):
    return svc.client.post("/api/v1/activities", json=entry(**overrides), headers=svc.token(E1))


def test_an_amendment_replaces_the_plans_indicators(svc):
    assert indicators(svc) == {"i1", "i2"}
    feed(svc, plan_event(E1, "plan-e1", ["i1", "i3"], revision=2, amended=True))
    assert indicators(svc) == {"i1", "i3"}
    assert post(svc, indicator_id="i2").status_code == 422
    assert post(svc, indicator_id="i3").status_code == 201
    # A late copy of revision 1 (a replayed dead letter) does not roll the plan back.
    feed(svc, plan_event(E1, "plan-e1", ["i1", "i2"], revision=1))
    assert indicators(svc) == {"i1", "i3"}


def test_an_amendment_can_shorten_the_span(svc):
    yesterday = today() - timedelta(days=1)
    feed(svc, plan_event(E1, "plan-e1", ["i1", "i2"], revision=2, amended=True, end=yesterday))
    assert indicators(svc) == set()
    assert post(svc).status_code == 422


def test_activities_carry_the_directory_rater_and_unit(svc):
    body = post(svc).get_json()
    assert (body["rater_nip"], body["unit_id"]) == (R, "bidang")


def test_without_a_directory_entry_the_plan_names_rater_and_unit(service_factory):
    svc = service_factory(SPEC)
    feed(svc, plan_event(E1, "plan-e1", ["i1"], rater=R, unit_id="seksi"))
    body = post(svc).get_json()
    assert (body["rater_nip"], body["unit_id"]) == (R, "seksi")


def test_an_inactive_employee_cannot_log(svc):
    feed(svc, employee_event(E1, "Pegawai Satu", "bidang", ["dinas", "bidang"], R, active=False))
    response = post(svc)
    assert response.status_code == 403 and response.content_type == "application/problem+json"


def test_an_older_directory_event_does_not_overwrite_a_newer_one(svc):
    old = employee_event(E1, "Pegawai Satu", "bidang", ["dinas", "bidang"], "199999999999999999")
    new = employee_event(E1, "Pegawai Satu", "bidang", ["dinas", "bidang"], R)
    old["time"], new["time"] = "2020-01-01T00:00:00.000Z", "2099-01-01T00:00:00.000Z"
    feed(svc, new, old)
    assert svc.scalar("SELECT rater_nip FROM employees WHERE nip = :nip", nip=E1) == R
