"""The access matrix: who may read and act on a plan, decided by relations from plan-service's own data.

The plans all belong to EMPLOYEE (unit bidang, rated by RATER, whose superior is HEAD):
D a draft, S1 and S2 submitted, A approved (each in a year of its own). Every actor meets
every action on a fresh database; a plan the actor may not read answers 404, an action on a
plan they may read but not act on 403, no token 401.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from plan_testkit import COLLEAGUE, EMPLOYEE, HEAD, OTHER_SUP, OUTSIDER, RATER, STAFF, YEAR, result  # noqa: E402

HEAD_BY_TOKEN = "198909092012011010"  # not in the directory: a unit_head token for dinas (claims count for nothing)

ACTORS = {
    "owner": (EMPLOYEE, ("employee",), None),
    "employee B": (COLLEAGUE, ("employee",), None),
    "rater": (RATER, ("supervisor",), None),
    "another supervisor": (OTHER_SUP, ("supervisor",), None),
    "rater's superior": (HEAD, ("employee",), None),
    "claimed head (token only)": (HEAD_BY_TOKEN, ("unit_head",), "dinas"),
    "colleague claiming dinas": (COLLEAGUE, ("unit_head", "supervisor"), "dinas"),
    "unit head outside": (OUTSIDER, ("unit_head", "supervisor"), "lain"),
    "unit head of a sub-unit": (STAFF, ("unit_head",), "seksi"),
    "admin": ("197001011995031001", ("admin",), None),
    "no token": (None, (), None),
}

#                           read  listed patch approve return amend revisions submit
EXPECTED = {
    "owner": (200, True, 200, 403, 403, 201, 200, 200),
    "employee B": (404, False, 404, 404, 404, 404, 404, 404),
    "rater": (200, True, 403, 200, 200, 201, 200, 403),
    "another supervisor": (404, False, 404, 404, 404, 404, 404, 404),
    "rater's superior": (200, True, 403, 403, 403, 403, 200, 403),
    "claimed head (token only)": (404, False, 404, 404, 404, 404, 404, 404),
    "colleague claiming dinas": (404, False, 404, 404, 404, 404, 404, 404),
    "unit head outside": (404, False, 404, 404, 404, 404, 404, 404),
    "unit head of a sub-unit": (404, False, 404, 404, 404, 404, 404, 404),
    "admin": (200, True, 200, 200, 200, 201, 200, 200),
    "no token": (401, None, 401, 401, 401, 401, 401, 401),
}


@pytest.fixture
def plans(svc):
    owner = svc.as_(EMPLOYEE)
    rater = svc.as_(RATER, "supervisor")
    draft = svc.draft(EMPLOYEE)
    submitted = []
    for year in (YEAR + 1, YEAR + 2):
        plan = svc.draft(EMPLOYEE, year=year)
        svc.ok(svc.act(plan["id"], "submit", owner))
        submitted.append(plan)
    approved = svc.draft(EMPLOYEE, year=YEAR - 1)
    svc.ok(svc.act(approved["id"], "submit", owner))
    approved = svc.ok(svc.act(approved["id"], "approve", rater))
    return {"D": draft, "S1": submitted[0], "S2": submitted[1], "A": approved}


@pytest.mark.parametrize("actor", list(ACTORS))
def test_access_matrix(svc, plans, actor):
    nip, roles, unit = ACTORS[actor]
    who = svc.h.token(nip, *roles, unit=unit) if nip else {}
    d, s1, s2, a = plans["D"], plans["S1"], plans["S2"], plans["A"]
    amendment = {k: a[k] for k in ("approach", "model", "results", "behaviours", "attachments")} | {
        "reason": "Revisi target"
    }
    got = []
    got.append(svc.call("GET", f"/api/v1/plans/{d['id']}", who).status_code)
    listing = svc.call("GET", f"/api/v1/plans?nip={EMPLOYEE}", who)
    got.append(None if listing.status_code == 401 else d["id"] in [p["id"] for p in listing.get_json()["items"]])
    got.append(
        svc.call(
            "PATCH",
            f"/api/v1/plans/{d['id']}",
            who,
            json={"results": [result(target=30)]},
            headers=svc.current(f"/api/v1/plans/{d['id']}"),
        ).status_code
    )
    got.append(svc.act(s1["id"], "approve", who).status_code)
    got.append(svc.act(s2["id"], "return", who, json={"reason": "Perbaiki indikator"}).status_code)
    got.append(svc.call("POST", f"/api/v1/plans/{a['id']}/amendments", who, json=amendment).status_code)
    got.append(svc.call("GET", f"/api/v1/plans/{a['id']}/revisions", who).status_code)
    got.append(svc.act(d["id"], "submit", who).status_code)
    assert tuple(got) == EXPECTED[actor]


def test_the_matrix_holds_in_lists_and_for_the_head_by_the_directory(svc, plans):
    staff_plan = svc.draft(STAFF)  # seksi, under bidang, under dinas; rated by EMPLOYEE, whose rater is RATER
    # HEAD heads dinas by the directory (units.head_nip) with a plain employee token, and is not STAFF's rater or
    # superior
    head = svc.as_(HEAD)
    assert svc.call("GET", f"/api/v1/plans/{staff_plan['id']}", head).status_code == 200
    assert svc.act(staff_plan["id"], "submit", head).status_code == 403
    # EMPLOYEE rates STAFF: reads the draft, cannot edit it
    assert svc.call("GET", f"/api/v1/plans/{staff_plan['id']}", svc.as_(EMPLOYEE)).status_code == 200
    assert svc.call("PATCH", f"/api/v1/plans/{staff_plan['id']}", svc.as_(EMPLOYEE), json={}).status_code == 403
    # lists show only what one may read
    seen = {p["id"] for p in svc.ok(svc.call("GET", "/api/v1/plans?limit=200", svc.as_(COLLEAGUE)))["items"]}
    assert seen == set()
    seen = {p["id"] for p in svc.ok(svc.call("GET", "/api/v1/plans?limit=200", svc.as_(EMPLOYEE)))["items"]}
    assert seen == {p["id"] for p in plans.values()} | {staff_plan["id"]}
    seen = {
        p["id"]
        for p in svc.ok(svc.call("GET", "/api/v1/plans?limit=200", svc.as_(OUTSIDER, "unit_head", unit="lain")))[
            "items"
        ]
    }
    assert seen == set()


def test_admin_actions_are_audited_with_the_admin_role(svc, plans):
    admin = svc.admin
    svc.ok(svc.act(plans["S1"]["id"], "approve", admin))
    svc.ok(
        svc.call(
            "PATCH",
            f"/api/v1/plans/{plans['D']['id']}",
            admin,
            json={"attachments": {"resources": "Anggaran BLUD"}},
            headers=svc.current(f"/api/v1/plans/{plans['D']['id']}"),
        )
    )
    entries = [e for e in svc.audit(actor="197001011995031001") if e["entity_type"] == "plan"]
    assert {(e["action"], e["actor_roles"]) for e in entries} == {("plan.approve", "admin"), ("plan.edited", "admin")}
    # others read only their own trail
    own = svc.ok(svc.call("GET", "/api/v1/audit", svc.as_(EMPLOYEE)))["items"]
    assert own and all(e["actor"] == EMPLOYEE for e in own)
    assert svc.call("GET", "/api/v1/audit?actor=197001011995031001", svc.as_(EMPLOYEE)).status_code == 403
