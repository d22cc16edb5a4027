"""Issue 16: acting heads (Plt., Plh.) in the directory, headship from the directory alone, functional levels.

An acting head has the head's rights in the unit and below it for the span (both ends included,
"today" in the service's time zone) and none outside it; a token's ``unit``/``unit_head`` claims
give nothing the directory does not.
"""

import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from plan_testkit import COLLEAGUE, EMPLOYEE, HEAD, OTHER_SUP, OUTSIDER, RATER, STAFF, YEAR, assert_problem, plan_body  # noqa: E402


@pytest.fixture
def today(svc):
    return datetime.now(ZoneInfo(svc.h.settings.timezone)).date()


def heads_url(unit="bidang"):
    return f"/api/v1/units/{unit}/acting-heads"


def assign(svc, unit="bidang", **body):
    return svc.call("POST", heads_url(unit), svc.admin, json=body)


def patch(svc, assignment, **body):
    url = f"{heads_url(assignment['unit_id'])}/{assignment['id']}"
    return svc.ok(svc.call("PATCH", url, svc.admin, json=body, headers=svc.current(url)))


def rights(svc, nip, plan_id):
    """What ``nip`` (a plain employee token) may do as a head: read the plan, monitor bidang, assign a template."""
    who = svc.as_(nip)
    return (
        svc.call("GET", f"/api/v1/plans/{plan_id}", who).status_code,
        svc.call("GET", f"/api/v1/plans/completion?unit_id=bidang&year={YEAR}", who).status_code,
    )


def test_an_acting_head_has_the_heads_rights_exactly_on_the_days_of_the_span(svc, today):
    plan = svc.draft(STAFF)  # seksi, below bidang
    assert rights(svc, OUTSIDER, plan["id"]) == (404, 403)
    # bidang has a definitive head (RATER): OUTSIDER stands in as Plh., starting tomorrow
    made = svc.ok(
        assign(
            svc,
            nip=OUTSIDER,
            kind="plh",
            valid_from=(today + timedelta(days=1)).isoformat(),
            valid_to=(today + timedelta(days=10)).isoformat(),
            decree_number="800/123/BKPSDM/2026",
        ),
        201,
    )
    assert made["acting_today"] is False and made["status"] == "active" and made["version"] == 1
    assert rights(svc, OUTSIDER, plan["id"]) == (404, 403)  # the day before valid_from
    made = patch(svc, made, valid_from=today.isoformat())
    assert made["acting_today"] is True
    assert rights(svc, OUTSIDER, plan["id"]) == (200, 200)  # valid_from
    made = patch(svc, made, valid_from=(today - timedelta(days=10)).isoformat(), valid_to=today.isoformat())
    assert rights(svc, OUTSIDER, plan["id"]) == (200, 200)  # valid_to
    template = svc.ok(
        svc.call(
            "POST",
            "/api/v1/plan-templates",
            svc.admin,
            json={
                **{k: v for k, v in plan_body().items() if k != "year"},
                "name": "Templat Seksi",
                "position": "Pelaksana",
            },
        ),
        201,
    )
    assigned = svc.call(
        "POST",
        f"/api/v1/plan-templates/{template['id']}/assign",
        svc.as_(OUTSIDER),
        json={"unit_id": "seksi", "year": YEAR + 1},
    )
    assert assigned.status_code == 200, assigned.get_json()
    made = patch(svc, made, valid_to=(today - timedelta(days=1)).isoformat())
    assert made["acting_today"] is False
    assert rights(svc, OUTSIDER, plan["id"]) == (404, 403)  # the day after valid_to
    assert (
        svc.call(
            "POST",
            f"/api/v1/plan-templates/{template['id']}/assign",
            svc.as_(OUTSIDER),
            json={"unit_id": "seksi", "year": YEAR + 2},
        ).status_code
        == 403
    )
    # open-ended from today, then revoked: no rights after the revocation
    made = patch(svc, made, valid_to=None)
    assert rights(svc, OUTSIDER, plan["id"]) == (200, 200)
    url = f"{heads_url()}/{made['id']}"
    revoked = svc.ok(svc.call("DELETE", url + "?reason=Kepala%20bidang%20kembali", svc.admin, headers=svc.current(url)))
    assert revoked["status"] == "revoked" and revoked["revoke_reason"] == "Kepala bidang kembali"
    assert rights(svc, OUTSIDER, plan["id"]) == (404, 403)
    # every change published as UnitHeadAssigned, keyed by the unit, the version counting up
    published = [e for e in svc.events("UnitHeadAssigned") if e["data"]["assignment_id"] == made["id"]]
    assert [(e["data"]["version"], e["data"]["status"]) for e in published] == [
        (1, "active"),
        (2, "active"),
        (3, "active"),
        (4, "active"),
        (5, "active"),
        (6, "revoked"),
    ]
    assert published[0]["partitionkey"] == "bidang" and published[0]["data"]["kind"] == "plh"
    assert published[0]["data"]["decree_number"] == "800/123/BKPSDM/2026"
    trail = [e["action"] for e in svc.audit(entity_type="acting_head")]
    assert sorted(trail) == sorted(["acting_head.created"] + ["acting_head.updated"] * 4 + ["acting_head.revoked"])


def test_the_rules_of_an_assignment_answer_422_naming_the_field(svc, today):
    day = today.isoformat()
    # a Plt. stands in for a vacant post: bidang has a definitive head
    assert_problem(assign(svc, nip=OUTSIDER, kind="plt", valid_from=day), 422, "kind")
    assert_problem(assign(svc, nip=RATER, kind="plh", valid_from=day), 422, "nip")  # the head themself
    assert_problem(
        assign(svc, nip="199912122020121001", kind="plh", valid_from=day), 422, "nip"
    )  # not in the directory
    assert_problem(
        assign(svc, nip=OUTSIDER, kind="plh", valid_from=day, valid_to=(today - timedelta(days=1)).isoformat()),
        422,
        "valid_to",
    )
    assert_problem(assign(svc, nip=OUTSIDER, kind="plh", valid_from="1999-12-31"), 422, "valid_from")
    assert_problem(assign(svc, nip=OUTSIDER, kind="acting", valid_from=day), 422, "kind")
    assert_problem(assign(svc, nip=OUTSIDER, kind="plh"), 422, "valid_from")
    assert_problem(
        svc.call("POST", heads_url("nowhere"), svc.admin, json={"nip": OUTSIDER, "kind": "plh", "valid_from": day}), 404
    )
    # seksi has no head: a Plt. is right; a second, overlapping one is refused, a later one is not
    first = svc.ok(
        assign(
            svc, "seksi", nip=COLLEAGUE, kind="plt", valid_from=day, valid_to=(today + timedelta(days=30)).isoformat()
        ),
        201,
    )
    body = assert_problem(
        assign(svc, "seksi", nip=OTHER_SUP, kind="plh", valid_from=(today + timedelta(days=30)).isoformat()),
        422,
        "valid_from",
    )
    assert COLLEAGUE in body["detail"]
    svc.ok(assign(svc, "seksi", nip=OTHER_SUP, kind="plt", valid_from=(today + timedelta(days=31)).isoformat()), 201)
    # an inactive employee cannot act
    url = f"/api/v1/employees/{HEAD}"
    svc.ok(
        svc.call(
            "PUT",
            url,
            svc.admin,
            headers=svc.current(url),
            json={"name": "Kepala Dinas", "unit_id": "dinas", "position": "Kepala Dinas", "active": False},
        )
    )
    assert_problem(assign(svc, "lain", nip=HEAD, kind="plh", valid_from=day), 422, "nip")
    # only admins write; everyone signed in reads
    assert_problem(
        svc.call(
            "POST",
            heads_url("seksi"),
            svc.as_(RATER, "unit_head", unit="bidang"),
            json={"nip": OUTSIDER, "kind": "plt", "valid_from": day},
        ),
        403,
    )
    listed = svc.ok(svc.call("GET", heads_url("seksi"), svc.as_(STAFF)))["items"]
    assert [(a["nip"], a["kind"]) for a in listed] == [(COLLEAGUE, "plt"), (OTHER_SUP, "plt")]
    assert listed[0]["name"] == "Siti Aminah" and listed[0]["acting_today"] is True
    # writes need If-Match; a revoked assignment is history
    one = f"{heads_url('seksi')}/{first['id']}"
    assert_problem(svc.call("PATCH", one, svc.admin, json={"decree_number": "1"}), 428)
    stale = svc.current(one)
    patch(svc, first, decree_number="800/1/2026")
    assert_problem(svc.call("PATCH", one, svc.admin, json={"decree_number": "2"}, headers=stale), 412)
    svc.ok(svc.call("DELETE", one, svc.admin, headers=svc.current(one)))
    assert_problem(svc.call("DELETE", one, svc.admin, headers=svc.current(one)), 409)
    assert_problem(svc.call("PATCH", one, svc.admin, json={"reason": "x"}, headers=svc.current(one)), 409)
    assert_problem(svc.call("GET", f"{heads_url('bidang')}/{first['id']}", svc.admin), 404)  # not bidang's


def test_headship_comes_from_the_directory_not_from_token_claims(svc):
    plan = svc.draft(STAFF)
    claiming = svc.as_(COLLEAGUE, "unit_head", unit="dinas")  # a claim the directory does not give
    assert svc.call("GET", f"/api/v1/plans/{plan['id']}", claiming).status_code == 404
    assert svc.call("GET", "/api/v1/plans/completion?unit_id=dinas", claiming).status_code == 403
    assert svc.call("GET", "/api/v1/plans/completion", claiming).status_code == 403
    # the directory's head with a plain token
    assert svc.call("GET", f"/api/v1/plans/{plan['id']}", svc.as_(HEAD)).status_code == 200
    assert svc.call("GET", "/api/v1/plans/completion?unit_id=dinas", svc.as_(HEAD)).status_code == 200


def test_a_head_transferred_elsewhere_heads_nothing_though_the_unit_still_names_them(svc):
    plan = svc.draft(STAFF)
    stale = svc.as_(HEAD, "unit_head", unit="dinas")  # the IdP still says so
    assert svc.call("GET", f"/api/v1/plans/{plan['id']}", stale).status_code == 200
    url = f"/api/v1/employees/{HEAD}"
    svc.ok(
        svc.call(
            "PUT",
            url,
            svc.admin,
            headers=svc.current(url),
            json={"name": "Kepala Dinas", "unit_id": "lain", "position": "Staf Ahli", "change_reason": "mutasi"},
        )
    )
    assert svc.ok(svc.call("GET", "/api/v1/units/dinas", svc.admin))["head_nip"] == HEAD  # not yet updated by HR
    assert svc.call("GET", f"/api/v1/plans/{plan['id']}", stale).status_code == 404
    assert svc.call("GET", "/api/v1/plans/completion?unit_id=dinas", stale).status_code == 403


def test_acting_heads_come_with_the_directory_import(svc, today):
    document = {
        "acting_heads": [
            {
                "unit_id": "seksi",
                "nip": COLLEAGUE,
                "kind": "Plt.",
                "valid_from": today.isoformat(),
                "valid_to": (today + timedelta(days=60)).isoformat(),
                "decree_number": "821/7/2026",
                "reason": "Kepala seksi pensiun",
            },
        ]
    }
    report = svc.ok(svc.call("POST", "/api/v1/directory/imports?dry_run=false", svc.admin, json=document))
    assert report["summary"]["acting_heads"] == {"created": 1, "updated": 0, "unchanged": 0}
    assert report["changes"][0]["section"] == "acting_heads"
    listed = svc.ok(svc.call("GET", heads_url("seksi"), svc.admin))["items"]
    assert [(a["nip"], a["kind"], a["decree_number"], a["acting_today"]) for a in listed] == [
        (COLLEAGUE, "plt", "821/7/2026", True)
    ]
    assert svc.call("GET", "/api/v1/plans/completion?unit_id=seksi", svc.as_(COLLEAGUE)).status_code == 200
    # the same file again changes nothing; a new last day updates the assignment
    again = svc.ok(svc.call("POST", "/api/v1/directory/imports?dry_run=false", svc.admin, json=document))
    assert again["summary"]["acting_heads"] == {"created": 0, "updated": 0, "unchanged": 1}
    document["acting_heads"][0]["valid_to"] = (today + timedelta(days=90)).isoformat()
    svc.ok(svc.call("POST", "/api/v1/directory/imports?dry_run=false", svc.admin, json=document))
    versions = [e["data"]["version"] for e in svc.events("UnitHeadAssigned")]
    assert versions == [1, 2]
    # bad rows are reported with their line, and nothing is written
    bad = {
        "acting_heads": [
            {"unit_id": "seksi", "nip": OTHER_SUP, "kind": "plt", "valid_from": today.isoformat()},
            {"unit_id": "bidang", "nip": OUTSIDER, "kind": "plt", "valid_from": today.isoformat()},
            {"unit_id": "lain", "nip": STAFF, "kind": "sementara", "valid_from": "kemarin"},
        ]
    }
    dry = svc.ok(svc.call("POST", "/api/v1/directory/imports", svc.admin, json=bad))
    assert not dry["valid"]
    assert {(e["row"], e["field"]) for e in dry["errors"]} == {
        (0, "valid_from"),
        (1, "kind"),
        (2, "kind"),
        (2, "valid_from"),
    }
    assert all(e["section"] == "acting_heads" and e["line"] for e in dry["errors"])
    assert_problem(svc.call("POST", "/api/v1/directory/imports?dry_run=false", svc.admin, json=bad), 422)
    assert len(svc.ok(svc.call("GET", heads_url("seksi"), svc.admin))["items"]) == 1


def test_the_functional_level_is_part_of_the_directory(svc):
    url = f"/api/v1/employees/{EMPLOYEE}"
    body = {
        "name": "Andi Pratama",
        "unit_id": "bidang",
        "rater_nip": RATER,
        "position": "Perawat Ahli Pertama",
        "functional_level": "PT",
    }
    saved = svc.ok(svc.call("PUT", url, svc.admin, json=body, headers=svc.current(url)))
    assert saved["functional_level"] == "PT"
    event = [e for e in svc.events("EmployeeUpserted") if e["data"]["nip"] == EMPLOYEE][-1]
    assert event["data"]["functional_level"] == "PT"
    assert_problem(
        svc.call("PUT", url, svc.admin, json={**body, "functional_level": "XX"}, headers=svc.current(url)),
        422,
        "functional_level",
    )
    csv = (
        f"nip,nama,unit_id,jenjang\n{COLLEAGUE},Siti Aminah,bidang,Ahli Muda\n{STAFF},Budi Santoso,seksi,mh\n"
        f"{OTHER_SUP},Sekretaris,dinas,Ahli Senior\n"
    ).encode()
    dry = svc.ok(svc.call("POST", "/api/v1/directory/imports", svc.admin, data=csv, content_type="text/csv"))
    assert [(e["line"], e["field"]) for e in dry["errors"]] == [(4, "functional_level")]
    csv = csv.rsplit(b"\n", 2)[0] + b"\n"
    svc.ok(svc.call("POST", "/api/v1/directory/imports?dry_run=false", svc.admin, data=csv, content_type="text/csv"))
    levels = {
        nip: svc.ok(svc.call("GET", f"/api/v1/employees/{nip}", svc.admin))["functional_level"]
        for nip in (COLLEAGUE, STAFF)
    }
    assert levels == {COLLEAGUE: "MU", STAFF: "MH"}
