"""Issue 16: who heads a unit comes from the directory only — the head (EmployeeUpserted.is_unit_head) or an
acting head (Plt./Plh., UnitHeadAssigned) on the days of the span — never from a token's unit or role claims.

Over HTTP against PostgreSQL, on every read a head is allowed: the month list, one entry, an employee's
monthly summary and the unit's daily compliance. "Today" is the service's local date (Asia/Jakarta).
"""

import sys
from datetime import timedelta
from pathlib import Path

import pytest

from activity_service.service import SPEC

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import E1, OTHER, H, R, employee_event, entry, feed, org_events, today, unit_head_assigned  # noqa: E402


@pytest.fixture
def svc(service_factory):
    harness = service_factory(SPEC)
    feed(harness, *org_events())
    response = harness.client.post("/api/v1/activities", json=entry(), headers=harness.token(E1))
    assert response.status_code == 201, response.get_json()
    harness.activity_id = response.get_json()["id"]
    return harness


def head_reads(svc, caller: str, *roles: str, unit: str | None = None) -> dict:
    """What ``caller`` gets on each read the head of bidang may make about E1's entries."""
    headers = svc.token(caller, *roles, unit=unit)
    listed = svc.client.get("/api/v1/activities", query_string={"month": f"{today():%Y-%m}"}, headers=headers)
    assert listed.status_code == 200, listed.get_json()
    return {
        "list": svc.activity_id in {a["id"] for a in listed.get_json()["items"]},
        "list_by_unit": bool(
            svc.client.get("/api/v1/activities", query_string={"unit_id": "bidang"}, headers=headers).get_json()[
                "items"
            ]
        ),
        "entry": svc.client.get(f"/api/v1/activities/{svc.activity_id}", headers=headers).status_code,
        "monthly": svc.client.get(
            "/api/v1/summaries/monthly", query_string={"nip": E1, "month": f"{today():%Y-%m}"}, headers=headers
        ).status_code,
        "daily": svc.client.get(
            "/api/v1/summaries/daily", query_string={"date": today().isoformat(), "unit_id": "bidang"}, headers=headers
        ).status_code,
        "indicators": svc.client.get("/api/v1/indicators", query_string={"nip": E1}, headers=headers).status_code,
    }


ALLOWED = {"list": True, "list_by_unit": True, "entry": 200, "monthly": 200, "daily": 200, "indicators": 200}
REFUSED = {"list": False, "list_by_unit": False, "entry": 404, "monthly": 403, "daily": 403, "indicators": 403}


def test_the_head_in_the_directory_reads_and_a_plain_employee_does_not(svc):
    assert head_reads(svc, H) == ALLOWED  # head of dinas, above bidang, with a plain token
    assert head_reads(svc, OTHER) == REFUSED


@pytest.mark.parametrize(
    "span, expected",
    [
        pytest.param((1, 5), REFUSED, id="the-day-before-the-span"),
        pytest.param((0, 5), ALLOWED, id="the-first-day"),
        pytest.param((-5, 0), ALLOWED, id="the-last-day"),
        pytest.param((-5, -1), REFUSED, id="the-day-after-the-span"),
        pytest.param((-5, None), ALLOWED, id="an-open-span"),
    ],
)
def test_an_acting_head_has_the_heads_rights_on_the_days_of_the_span_only(svc, span, expected):
    start, end = span
    feed(
        svc,
        unit_head_assigned(
            OTHER, "bidang", today() + timedelta(days=start), today() + timedelta(days=end) if end is not None else None
        ),
    )
    assert head_reads(svc, OTHER) == expected  # a plain employee token: the directory decides
    assert head_reads(svc, OTHER, "unit_head", unit="lain") == expected  # and the token's claims change nothing


def test_an_acting_head_of_a_unit_above_reads_its_subtree(svc):
    feed(svc, unit_head_assigned(OTHER, "dinas", today(), today(), kind="plh"))
    assert head_reads(svc, OTHER) == ALLOWED


def test_a_revoked_assignment_gives_nothing_even_when_an_older_version_arrives_late(svc):
    feed(svc, unit_head_assigned(OTHER, "bidang", today() - timedelta(days=1), None, status="revoked", version=2))
    feed(svc, unit_head_assigned(OTHER, "bidang", today() - timedelta(days=1), None, version=1))  # redelivered, older
    assert head_reads(svc, OTHER) == REFUSED
    assert svc.scalar("SELECT status FROM acting_heads WHERE assignment_id = 'plt-1'") == "revoked"


def test_a_token_claiming_a_headship_the_directory_does_not_give_is_refused(svc):
    assert head_reads(svc, OTHER, "unit_head", unit="bidang") == REFUSED
    assert head_reads(svc, OTHER, "unit_head", unit="dinas") == REFUSED
    assert head_reads(svc, R, "unit_head", unit="dinas") == {
        **REFUSED,
        "list": True,
        "list_by_unit": True,
        "entry": 200,
        "monthly": 200,
        "indicators": 200,
    }  # R reads as E1's rater, not as a head


def test_a_head_moved_away_is_no_longer_the_head_whatever_the_token_still_says(svc):
    feed(svc, employee_event(H, "Kepala Dinas", "lain", ["lain"], None, head=False))  # mutasi: a later EmployeeUpserted
    assert head_reads(svc, H, "unit_head", unit="dinas") == REFUSED
    assert head_reads(svc, H) == REFUSED


def ancestors(svc, nip: str) -> set[str]:
    return {r["ancestor_id"] for r in svc.rows("SELECT ancestor_id FROM employee_ancestors WHERE nip = :n", n=nip)}


def test_an_employee_moved_out_of_the_subtree_leaves_the_heads_view_and_a_late_older_event_changes_nothing(svc):
    """The head's subtree is read from employee_ancestors (an indexed read): it follows the employee's unit path."""
    assert ancestors(svc, E1) == {"dinas", "bidang"}
    moved = employee_event(E1, "Pegawai Satu", "lain", ["lain"], R)  # mutasi to another OPD, same rater
    earlier = employee_event(E1, "Pegawai Satu", "bidang", ["dinas", "bidang"], R)
    earlier["time"] = "2000-01-01T00:00:00Z"  # an older EmployeeUpserted redelivered after the move
    feed(svc, moved)
    feed(svc, earlier)
    assert ancestors(svc, E1) == {"lain"}
    reads = head_reads(svc, H)
    assert (reads["list"], reads["entry"], reads["monthly"]) == (False, 404, 403)
    assert head_reads(svc, R)["list"] is True  # the rater still reads it as the rater
    feed(svc, employee_event(E1, "Pegawai Satu", "bidang", ["dinas", "bidang"], R))  # moved back
    assert ancestors(svc, E1) == {"dinas", "bidang"} and head_reads(svc, H) == ALLOWED
