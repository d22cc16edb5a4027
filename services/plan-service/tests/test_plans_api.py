"""Plans (SKP) over HTTP against PostgreSQL: drafting and editing, every status transition, the cascade,
amendments and revisions, copies, bulk approval, the cascade view and completion monitoring."""

import sys
from pathlib import Path

import pytest

from kinerja_shared.config import ConfigError
from kinerja_shared.numbers import MAX_TARGET_VALUE
from plan_service.domain import MAX_BULK_APPROVE_ITEMS
from plan_service.service import SPEC

sys.path.insert(0, str(Path(__file__).parent))
from plan_testkit import (  # noqa: E402
    ADMIN,
    BEHAVIOURS,
    COLLEAGUE,
    EMPLOYEE,
    HEAD,
    OTHER_SUP,
    OUTSIDER,
    RATER,
    STAFF,
    YEAR,
    Plans,
    assert_problem,
    plan_body,
    result,
)


def amendment_body(plan: dict, **changes) -> dict:
    body = {k: plan[k] for k in ("approach", "model", "results", "behaviours", "attachments")}
    body["reason"] = "Penambahan target layanan"
    body.update(changes)
    return body


# -- drafting ----------------------------------------------------------------------------------------


def test_draft_a_plan_with_every_part(svc):
    body = plan_body(results=[result("Pelayanan rujukan tepat waktu"), result("Laporan tambahan", kind="additional")])
    response = svc.call("POST", "/api/v1/plans", svc.as_(EMPLOYEE), json=body)
    assert response.status_code == 201, response.get_json()
    plan = response.get_json()
    assert (
        response.headers["Location"] == f"/api/v1/plans/{plan['id']}"
        and response.headers["ETag"] == f'"{plan["id"]}.1"'
    )
    assert (plan["status"], plan["nip"], plan["rater_nip"], plan["rater_superior_nip"], plan["unit_id"]) == (
        "draft",
        EMPLOYEE,
        RATER,
        HEAD,
        "bidang",
    )
    assert (plan["period_start"], plan["period_end"], plan["position"]) == (
        f"{YEAR}-01-01",
        f"{YEAR}-12-31",
        "Perawat Ahli Pertama",
    )
    assert [r["kind"] for r in plan["results"]] == ["main", "additional"]
    assert all(r["result_id"] and r["indicators"][0]["indicator_id"] for r in plan["results"])
    assert [b["value"] for b in plan["behaviours"]] == [b["value"] for b in BEHAVIOURS]
    assert plan["attachments"] == {
        "resources": "Ruang layanan",
        "accountability": "Laporan bulanan",
        "consequences": "Sesuai TPP",
    }
    assert svc.plan_events() == []  # a draft is private: no event
    [audit] = svc.audit(entity_type="plan", entity_id=plan["id"])
    assert audit["action"] == "plan.created" and audit["actor"] == EMPLOYEE and audit["after"]["status"] == "draft"


def test_qualitative_and_jpt_plans(svc):
    narrative = {
        "kind": "main",
        "text": "Budaya layanan ramah",
        "indicators": [{"aspect": "quality", "text": "Pasien merasa dilayani dengan hormat"}],
    }
    qualitative = svc.ok(
        svc.call(
            "POST", "/api/v1/plans", svc.as_(COLLEAGUE), json=plan_body(approach="qualitative", results=[narrative])
        ),
        201,
    )
    assert qualitative["results"][0]["indicators"][0]["target_value"] is None
    assert_problem(
        svc.call("POST", "/api/v1/plans", svc.as_(EMPLOYEE), json=plan_body(approach="qualitative")),
        422,
        "results.0.indicators.0.target_value",
    )
    jpt = svc.call(
        "POST",
        "/api/v1/plans",
        svc.as_(HEAD),
        json=plan_body(model="JPT", results=[result(perspective="Penerima Layanan")]),
    )
    assert jpt.status_code == 201 and jpt.get_json()["results"][0]["perspective"] == "Penerima Layanan"
    body = assert_problem(
        svc.call("POST", "/api/v1/plans", svc.as_(OUTSIDER), json=plan_body(model="JPT")), 422, "results.0.perspective"
    )
    assert "Penerima Layanan" in body["errors"][0]["message"]


BAD_CONTENT = [
    ({"results": []}, "results"),
    ({"results": [result(kind="additional")]}, "results"),
    ({"behaviours": BEHAVIOURS[:6]}, "behaviours"),
    ({"behaviours": BEHAVIOURS[:6] + [BEHAVIOURS[0]]}, "behaviours"),
    ({"behaviours": [{"value": "kind"}] + BEHAVIOURS[1:]}, "behaviours.0.value"),
    ({"results": [{**result(), "indicators": []}]}, "results.0.indicators"),
    ({"results": [{**result(), "indicators": [{"aspect": "speed", "text": "x"}]}]}, "results.0.indicators.0.aspect"),
    (
        {"results": [{**result(), "indicators": [{"aspect": "quantity", "text": "x", "target_unit": "dok"}]}]},
        "results.0.indicators.0.target_value",
    ),
    (
        {
            "results": [
                {
                    **result(),
                    "indicators": [{"aspect": "quantity", "text": "x", "target_value": -1, "target_unit": "d"}],
                }
            ]
        },
        "results.0.indicators.0.target_value",
    ),
    (
        {
            "results": [
                {
                    **result(),
                    "indicators": [{"aspect": "quantity", "text": "x", "target_value": 1e308, "target_unit": "d"}],
                }
            ]
        },
        "results.0.indicators.0.target_value",
    ),
    ({"results": [result(target=MAX_TARGET_VALUE + 1)]}, "results.0.indicators.0.target_value"),
    ({"results": [result(result_id="r1"), result(result_id="r1")]}, "results.1.result_id"),
    ({"results": [result(perspective="Anggaran")]}, "results.0.perspective"),
    ({"approach": "numeric"}, "approach"),
    ({"model": "JFT"}, "model"),
    ({"year": 1999}, "year"),
    ({"period_start": f"{YEAR - 1}-12-01"}, "period_start"),
    ({"period_start": f"{YEAR}-06-01", "period_end": f"{YEAR}-05-01"}, "period_end"),
    ({"period_end": "not a date"}, "period_end"),
    ({"attachments": {"budget": "x"}}, "attachments.budget"),
    ({"nip": "12345"}, "nip"),
    ({"unexpected": 1}, "unexpected"),
]


def test_a_target_at_the_documented_maximum_is_taken_with_two_decimals(svc):
    body = plan_body(
        results=[result(target=MAX_TARGET_VALUE), result("Laporan tambahan", kind="additional", target=2.345)]
    )
    response = svc.call("POST", "/api/v1/plans", svc.as_(EMPLOYEE), json=body)
    assert response.status_code == 201, response.get_json()
    targets = [r["indicators"][0]["target_value"] for r in response.get_json()["results"]]
    assert targets == [MAX_TARGET_VALUE, 2.35]
    spec = svc.call("GET", "/openapi.json", {}).get_json()
    target = spec["components"]["schemas"]["IndicatorIn"]["properties"]["target_value"]
    assert (target["minimum"], target["maximum"]) == (0, MAX_TARGET_VALUE)


def test_bad_plan_content_is_a_422_naming_the_field(svc):
    for change, field in BAD_CONTENT:  # one database for all the cases: nothing is written
        assert_problem(svc.call("POST", "/api/v1/plans", svc.as_(EMPLOYEE), json={**plan_body(), **change}), 422, field)
    assert svc.h.scalar("SELECT count(*) FROM plans") == 0


def test_drafting_for_others_and_twice(svc):
    assert_problem(svc.call("POST", "/api/v1/plans", svc.as_(EMPLOYEE), json=plan_body(nip=COLLEAGUE)), 403)
    by_admin = svc.ok(svc.call("POST", "/api/v1/plans", svc.admin, json=plan_body(nip=COLLEAGUE)), 201)
    assert by_admin["nip"] == COLLEAGUE
    [audit] = svc.audit(entity_type="plan", entity_id=by_admin["id"])
    assert audit["actor"] == ADMIN and audit["actor_roles"] == "admin"
    body = assert_problem(svc.call("POST", "/api/v1/plans", svc.as_(COLLEAGUE), json=plan_body()), 409)
    assert body["plan_id"] == by_admin["id"] and body["current_status"] == "draft"
    assert_problem(
        svc.call("POST", "/api/v1/plans", svc.as_(ADMIN), json=plan_body()), 422, "nip"
    )  # not in the directory
    assert_problem(svc.call("POST", "/api/v1/plans", svc.admin, data="{oops", content_type="application/json"), 400)


def test_editing_a_draft_with_if_match(svc):
    plan = svc.draft(EMPLOYEE)
    etag = f'"{plan["id"]}.1"'
    body = plan_body(
        results=[{**plan["results"][0], "text": "Rujukan selesai dalam 1 hari"}, result("Baru", kind="additional")]
    )
    body.pop("year")
    stale = svc.call("PUT", f"/api/v1/plans/{plan['id']}", svc.as_(EMPLOYEE), json=body, headers={"If-Match": '"x.9"'})
    assert_problem(stale, 412)
    put = svc.call("PUT", f"/api/v1/plans/{plan['id']}", svc.as_(EMPLOYEE), json=body, headers={"If-Match": etag})
    assert put.status_code == 200, put.get_json()
    edited = put.get_json()
    assert edited["version"] == 2 and put.headers["ETag"] == f'"{plan["id"]}.2"'
    assert edited["results"][0]["result_id"] == plan["results"][0]["result_id"]  # ids kept
    assert edited["results"][0]["indicators"][0]["indicator_id"] == plan["results"][0]["indicators"][0]["indicator_id"]
    assert edited["results"][1]["result_id"] not in (None, plan["results"][0]["result_id"])
    assert_problem(
        svc.call("PUT", f"/api/v1/plans/{plan['id']}", svc.as_(EMPLOYEE), json=body, headers={"If-Match": etag}), 412
    )

    patched = svc.ok(
        svc.call(
            "PATCH",
            f"/api/v1/plans/{plan['id']}",
            svc.as_(EMPLOYEE),
            json={"attachments": {"consequences": "Pemotongan TPP"}, "period_end": f"{YEAR}-06-30"},
            headers={"If-Match": put.headers["ETag"]},
        )
    )
    assert patched["attachments"] == {
        "resources": "Ruang layanan",
        "accountability": "Laporan bulanan",
        "consequences": "Pemotongan TPP",
    }
    assert patched["period_end"] == f"{YEAR}-06-30" and len(patched["results"]) == 2 and patched["version"] == 3
    missing = svc.call("PATCH", f"/api/v1/plans/{plan['id']}", svc.as_(EMPLOYEE), json={"period_end": f"{YEAR}-05-31"})
    assert_problem(missing, 428, "If-Match")  # without If-Match nothing changes
    assert svc.ok(svc.get(plan["id"]))["period_end"] == f"{YEAR}-06-30"
    assert_problem(
        svc.call(
            "PATCH",
            f"/api/v1/plans/{plan['id']}",
            svc.as_(EMPLOYEE),
            json={"approach": "qualitative"},
            headers=svc.current(f"/api/v1/plans/{plan['id']}"),
        ),
        422,
        "results.0.indicators.0.target_value",
    )
    assert_problem(
        svc.call("PATCH", f"/api/v1/plans/{plan['id']}", svc.as_(EMPLOYEE), json={"year": 2030}), 422, "year"
    )
    audits = svc.audit(entity_type="plan", entity_id=plan["id"])
    edit = [a for a in audits if a["action"] == "plan.edited"][0]  # newest first
    assert edit["before"]["content"]["attachments"]["consequences"] == "Sesuai TPP"
    assert edit["after"]["content"]["attachments"]["consequences"] == "Pemotongan TPP"


# -- the status machine ---------------------------------------------------------------------------------


def test_every_transition_allowed_and_forbidden(svc):
    employee, rater = svc.as_(EMPLOYEE), svc.as_(RATER, "supervisor")
    plan = svc.draft(EMPLOYEE)
    pid = plan["id"]

    def refused(action, who, status, **kw):
        body = assert_problem(svc.act(pid, action, who, **kw), 409)
        assert body["current_status"] == status, body

    # draft: only edit and submit
    refused("approve", rater, "draft")
    refused("return", rater, "draft", json={"reason": "x"})
    assert_problem(svc.call("POST", f"/api/v1/plans/{pid}/amendments", employee, json=amendment_body(plan)), 409)
    submitted = svc.ok(svc.act(pid, "submit", employee))
    assert submitted["status"] == "submitted" and submitted["submitted_at"]

    # submitted: approve or return, nothing else
    refused("submit", employee, "submitted")
    body = assert_problem(
        svc.call("PUT", f"/api/v1/plans/{pid}", employee, json={k: v for k, v in plan_body().items() if k != "year"}),
        409,
    )
    assert body["current_status"] == "submitted"
    assert_problem(svc.call("PATCH", f"/api/v1/plans/{pid}", employee, json={"period_end": f"{YEAR}-06-30"}), 409)
    assert_problem(svc.act(pid, "return", rater, json={}), 422, "reason")
    returned = svc.ok(svc.act(pid, "return", rater, json={"reason": "Target terlalu rendah"}))
    assert returned["status"] == "draft" and returned["return_reason"] == "Target terlalu rendah"

    # back in draft: edit again, submit again, approve
    svc.ok(
        svc.call(
            "PATCH",
            f"/api/v1/plans/{pid}",
            employee,
            json={"results": [result(target=24)]},
            headers=svc.current(f"/api/v1/plans/{pid}"),
        )
    )
    svc.ok(svc.act(pid, "submit", employee))
    approved = svc.ok(svc.act(pid, "approve", rater))
    assert approved["status"] == "approved" and approved["revision"] == 1 and approved["approved_by"] == RATER

    # approved: only amendments
    for action in ("submit", "approve"):
        refused(action, rater if action == "approve" else employee, "approved")
    refused("return", rater, "approved", json={"reason": "x"})
    assert_problem(svc.call("PATCH", f"/api/v1/plans/{pid}", employee, json={"period_end": f"{YEAR}-06-30"}), 409)

    events = svc.plan_events()
    assert [e["type"] for e in events] == ["PlanSubmitted", "PlanReturned", "PlanSubmitted", "PlanApproved"]
    assert events[1]["data"]["reason"] == "Target terlalu rendah"
    approved_event = events[3]["data"]
    assert (
        approved_event["results"][0]["indicators"][0]["target_value"] == 24 and approved_event["approved_by"] == RATER
    )
    assert approved_event["position"] == "Perawat Ahli Pertama" and approved_event["revision"] == 1
    assert all(e["partitionkey"] == EMPLOYEE and e["subject"] == pid for e in events)
    actions = [a["action"] for a in reversed(svc.audit(entity_type="plan", entity_id=pid))]
    assert actions == ["plan.created", "plan.submit", "plan.return", "plan.edited", "plan.submit", "plan.approve"]
    ret = [a for a in svc.audit(entity_type="plan", entity_id=pid) if a["action"] == "plan.return"][0]
    assert (ret["before"]["status"], ret["after"]["status"], ret["reason"]) == (
        "submitted",
        "draft",
        "Target terlalu rendah",
    )


def test_who_may_act_on_a_plan(svc):
    plan = svc.draft(EMPLOYEE)
    assert_problem(svc.act(plan["id"], "submit", svc.as_(RATER, "supervisor")), 403)
    svc.ok(svc.act(plan["id"], "submit", svc.as_(EMPLOYEE)))
    assert_problem(svc.act(plan["id"], "approve", svc.as_(EMPLOYEE)), 403)
    assert_problem(svc.act(plan["id"], "approve", svc.as_(OTHER_SUP, "supervisor")), 404)
    assert_problem(svc.act(plan["id"], "approve", svc.as_(HEAD, "supervisor")), 403)  # the rater's superior reads only
    assert_problem(svc.act(plan["id"], "approve", svc.as_(RATER, "supervisor"), headers={"If-Match": '"x.1"'}), 412)
    assert svc.ok(svc.act(plan["id"], "approve", svc.admin))["approved_by"] == ADMIN
    assert svc.events("PlanApproved")[0]["data"]["approved_by"] == ADMIN


# -- the cascade -----------------------------------------------------------------------------------------


def test_cascade_links_are_checked_against_the_raters_approved_plan(svc):
    # the rater has no approved plan yet: a link cannot be checked, a plan without links may go ahead
    body = assert_problem(
        svc.call("POST", "/api/v1/plans", svc.as_(EMPLOYEE), json=plan_body(results=[result(supports="R1")])),
        422,
        "results.0.supports_result_id",
    )
    assert "no approved plan" in body["errors"][0]["message"]
    early = svc.draft(COLLEAGUE)

    rater_plan = svc.approved(
        RATER,
        rater=HEAD,
        results=[result("Layanan rujukan meningkat", result_id="kabid-1"), result("Tata kelola", result_id="kabid-2")],
    )
    assert rater_plan["results"][0]["result_id"] == "kabid-1"
    body = assert_problem(
        svc.call("POST", "/api/v1/plans", svc.as_(EMPLOYEE), json=plan_body(results=[result(supports="nope")])),
        422,
        "results.0.supports_result_id",
    )
    assert "kabid-1, kabid-2" in body["errors"][0]["message"]
    plan = svc.draft(EMPLOYEE, results=[result(supports="kabid-1"), result("Tambahan", kind="additional")])
    assert plan["results"][0]["supports_result_id"] == "kabid-1"
    svc.ok(svc.act(plan["id"], "submit", svc.as_(EMPLOYEE)))

    # now that the rater's plan is approved, a main result with no link cannot be submitted
    body = assert_problem(svc.act(early["id"], "submit", svc.as_(COLLEAGUE)), 422, "results.0.supports_result_id")
    assert "intervensi" in body["errors"][0]["message"]
    svc.ok(
        svc.call(
            "PATCH",
            f"/api/v1/plans/{early['id']}",
            svc.as_(COLLEAGUE),
            json={"results": [result(supports="kabid-2")]},
            headers=svc.current(f"/api/v1/plans/{early['id']}"),
        )
    )
    svc.ok(svc.act(early["id"], "submit", svc.as_(COLLEAGUE)))

    # a JPT plan needs no link; a link of someone without a rater is refused
    svc.ok(
        svc.call(
            "POST",
            "/api/v1/plans",
            svc.as_(HEAD),
            json=plan_body(model="JPT", results=[result(perspective="Anggaran")]),
        ),
        201,
    )
    assert_problem(
        svc.call("POST", "/api/v1/plans", svc.as_(OUTSIDER), json=plan_body(results=[result(supports="kabid-1")])),
        422,
        "results.0.supports_result_id",
    )


def test_an_employee_sees_the_raters_results_to_support_without_reading_the_raters_plan(svc):
    url = "/api/v1/plans/supportable-results"
    before = svc.ok(svc.call("GET", url, svc.as_(EMPLOYEE)))
    assert (before["rater_nip"], before["plan_id"], before["required"], before["results"]) == (RATER, None, False, [])
    assert "no approved plan" in before["detail"]

    rater_plan = svc.approved(
        RATER,
        rater=HEAD,
        results=[
            result("Layanan rujukan meningkat", result_id="kabid-1"),
            result("Tata kelola", kind="additional", result_id="kabid-2"),
        ],
    )
    mine = svc.ok(svc.call("GET", url, svc.as_(EMPLOYEE)))
    assert (mine["plan_id"], mine["revision"], mine["required"], mine["rater_name"]) == (
        rater_plan["id"],
        1,
        True,
        "Kepala Bidang",
    )
    assert [(r["result_id"], r["kind"], r["text"]) for r in mine["results"]] == [
        ("kabid-1", "main", "Layanan rujukan meningkat"),
        ("kabid-2", "additional", "Tata kelola"),
    ]
    assert mine["results"][0]["indicators"] == rater_plan["results"][0]["indicators"]
    # the plan itself stays closed to the employee; the list is what they need to draft
    assert_problem(svc.get(rater_plan["id"], svc.as_(EMPLOYEE)), 404)

    # who may ask about whom: the employee, the rater, the head above, an admin; not a colleague or an outsider
    for who in (svc.as_(RATER), svc.as_(HEAD), svc.admin):
        assert svc.ok(svc.call("GET", f"{url}?nip={EMPLOYEE}", who))["plan_id"] == rater_plan["id"]
    for who in (svc.as_(COLLEAGUE), svc.as_(OUTSIDER), svc.as_(OTHER_SUP)):
        assert_problem(svc.call("GET", f"{url}?nip={EMPLOYEE}", who), 403)
    assert_problem(svc.call("GET", f"{url}?nip=199901012020011999", svc.admin), 404)
    assert_problem(svc.call("GET", f"{url}?nip=123", svc.admin), 422, "nip")
    nobody = svc.ok(svc.call("GET", url, svc.as_(HEAD)))
    assert nobody["rater_nip"] is None and "no rater" in nobody["detail"]


def test_cascade_view_down_the_tree(svc):
    kabid = svc.approved(
        RATER,
        rater=HEAD,
        results=[result("Rujukan tepat waktu", result_id="kabid-1"), result("Tata kelola", result_id="kabid-2")],
    )
    andi = svc.approved(
        EMPLOYEE,
        results=[
            result("Rujukan diproses", supports="kabid-1", result_id="andi-1"),
            result("Arsip rujukan", supports="kabid-1", result_id="andi-2"),
        ],
    )
    siti = svc.draft(COLLEAGUE, results=[result("Data rujukan", supports="kabid-1", result_id="siti-1")])
    svc.ok(svc.act(siti["id"], "submit", svc.as_(COLLEAGUE)))
    budi = svc.approved(
        STAFF, rater=EMPLOYEE, results=[result("Berkas rujukan", supports="andi-1", result_id="budi-1")]
    )
    assert budi["status"] == "approved"

    view = svc.ok(svc.call("GET", f"/api/v1/plans/{kabid['id']}/cascade", svc.as_(RATER)))
    assert [r["result"]["result_id"] for r in view["results"]] == ["kabid-1", "kabid-2"]
    first = view["results"][0]
    assert [(n["nip"], n["result"]["result_id"]) for n in first["supported_by"]] == [
        (EMPLOYEE, "andi-1"),
        (EMPLOYEE, "andi-2"),
    ]
    assert first["supported_by"][0]["name"] == "Andi Pratama"
    assert [(n["nip"], n["result"]["result_id"]) for n in first["supported_by"][0]["supported_by"]] == [
        (STAFF, "budi-1")
    ]
    assert view["results"][1]["supported_by"] == []

    with_drafts = svc.ok(
        svc.call(
            "GET",
            f"/api/v1/plans/{kabid['id']}/cascade?include_unapproved=true&result_id=kabid-1",
            svc.as_(HEAD, "unit_head"),
        )
    )
    assert sorted(n["result"]["result_id"] for n in with_drafts["results"][0]["supported_by"]) == [
        "andi-1",
        "andi-2",
        "siti-1",
    ]
    shallow = svc.ok(svc.call("GET", f"/api/v1/plans/{kabid['id']}/cascade?depth=1", svc.admin))
    assert shallow["results"][0]["supported_by"][0]["supported_by"] == []
    assert_problem(svc.call("GET", f"/api/v1/plans/{kabid['id']}/cascade?result_id=zzz", svc.admin), 422, "result_id")
    assert_problem(svc.call("GET", f"/api/v1/plans/{kabid['id']}/cascade?depth=99", svc.admin), 422, "depth")
    assert_problem(svc.call("GET", f"/api/v1/plans/{kabid['id']}/cascade", svc.as_(OUTSIDER)), 404)
    assert andi["results"][0]["supports_result_id"] == "kabid-1"


# -- amendments and revisions -------------------------------------------------------------------------------


def test_amendment_proposed_by_the_employee_and_approved_by_the_rater(svc):
    employee, rater = svc.as_(EMPLOYEE), svc.as_(RATER, "supervisor")
    plan = svc.approved(EMPLOYEE, results=[result(result_id="r-1", indicator_id="i-1")])
    new_results = [
        {**plan["results"][0], "indicators": [{**plan["results"][0]["indicators"][0], "target_value": 20}]},
        result("Penyuluhan kesehatan", kind="additional"),
    ]
    proposed = svc.call(
        "POST", f"/api/v1/plans/{plan['id']}/amendments", employee, json=amendment_body(plan, results=new_results)
    )
    assert proposed.status_code == 201, proposed.get_json()
    amendment = proposed.get_json()
    assert (
        amendment["status"] == "proposed" and amendment["base_revision"] == 1 and amendment["proposed_by"] == EMPLOYEE
    )
    assert svc.ok(svc.get(plan["id"]))["results"][0]["indicators"][0]["target_value"] == 12  # unchanged until approved
    body = assert_problem(
        svc.call("POST", f"/api/v1/plans/{plan['id']}/amendments", rater, json=amendment_body(plan)), 409
    )
    assert body["amendment_id"] == amendment["id"]
    aurl = f"/api/v1/plans/{plan['id']}/amendments/{amendment['id']}"
    assert_problem(svc.call("POST", f"{aurl}/approve", employee, json={}), 403)
    assert_problem(svc.call("POST", f"{aurl}/approve", rater, json={}, headers={"If-Match": '"x.0"'}), 412)

    decided = svc.ok(svc.call("POST", f"{aurl}/approve", rater, json={"reason": "Disetujui dalam dialog kinerja"}))
    assert decided["status"] == "approved" and decided["resulting_revision"] == 2 and decided["decided_by"] == RATER
    amended = decided["plan"]
    assert amended["revision"] == 2 and amended["status"] == "approved" and len(amended["results"]) == 2
    assert amended["results"][0]["indicators"][0] == {**plan["results"][0]["indicators"][0], "target_value": 20}
    assert_problem(svc.call("POST", f"{aurl}/approve", rater, json={}), 409)
    assert (
        assert_problem(svc.call("POST", f"{aurl}/reject", rater, json={"reason": "x"}), 409)["current_status"]
        == "approved"
    )

    [event] = svc.events("PlanAmended")
    data = event["data"]
    assert (data["revision"], data["reason"], data["kind"], data["amendment_id"]) == (
        2,
        "Penambahan target layanan",
        "amendment",
        amendment["id"],
    )
    assert data["results"] == amended["results"] and data["behaviours"] == amended["behaviours"]
    assert data["period_start"] == plan["period_start"] and data["rater_nip"] == RATER

    revisions = svc.ok(svc.call("GET", f"/api/v1/plans/{plan['id']}/revisions", employee))["items"]
    assert [(r["revision"], r["kind"]) for r in revisions] == [(1, "approval"), (2, "amendment")]
    assert revisions[0]["results"][0]["indicators"][0]["target_value"] == 12
    assert (
        revisions[1]["results"][0]["indicators"][0]["target_value"] == 20
        and revisions[1]["reason"] == "Penambahan target layanan"
    )
    one = svc.ok(svc.call("GET", f"/api/v1/plans/{plan['id']}/revisions/1", svc.as_(HEAD)))
    assert one["revision"] == 1 and one["amendment_id"] is None
    assert_problem(svc.call("GET", f"/api/v1/plans/{plan['id']}/revisions/9", employee), 404)
    assert_problem(svc.call("GET", f"/api/v1/plans/{plan['id']}/revisions", svc.as_(COLLEAGUE)), 404)
    audit = [a for a in svc.audit(entity_type="plan", entity_id=plan["id"]) if a["action"] == "plan.amended"][0]
    assert (
        audit["before"]["revision"] == 1
        and audit["after"]["revision"] == 2
        and audit["reason"] == "Penambahan target layanan"
    )


def test_amendment_proposed_by_the_rater_rejected_and_withdrawn(svc):
    employee, rater = svc.as_(EMPLOYEE), svc.as_(RATER, "supervisor")
    plan = svc.approved(EMPLOYEE)
    url = f"/api/v1/plans/{plan['id']}/amendments"
    assert_problem(svc.call("POST", url, svc.as_(COLLEAGUE), json=amendment_body(plan)), 404)
    assert_problem(svc.call("POST", url, svc.as_(HEAD, "unit_head"), json=amendment_body(plan)), 403)
    assert_problem(svc.call("POST", url, rater, json={**amendment_body(plan), "reason": ""}), 422, "reason")
    assert_problem(
        svc.call("POST", url, rater, json=amendment_body(plan, approach="qualitative")),
        422,
        "results.0.indicators.0.target_value",
    )
    first = svc.ok(svc.call("POST", url, rater, json=amendment_body(plan, reason="Refocusing anggaran")), 201)
    assert first["proposed_by"] == RATER
    assert_problem(svc.call("POST", f"{url}/{first['id']}/reject", rater, json={}), 422, "reason")
    rejected = svc.ok(svc.call("POST", f"{url}/{first['id']}/reject", rater, json={"reason": "Belum perlu"}))
    assert rejected["status"] == "rejected" and rejected["decision_reason"] == "Belum perlu"
    second = svc.ok(svc.call("POST", url, employee, json=amendment_body(plan)), 201)
    assert_problem(svc.call("POST", f"{url}/{second['id']}/withdraw", svc.as_(COLLEAGUE), json={}), 404)
    withdrawn = svc.ok(svc.call("POST", f"{url}/{second['id']}/withdraw", employee, json={}))
    assert withdrawn["status"] == "withdrawn"
    assert (
        assert_problem(svc.call("POST", f"{url}/{second['id']}/approve", rater, json={}), 409)["current_status"]
        == "withdrawn"
    )
    listed = svc.ok(svc.call("GET", url, employee))["items"]
    assert [a["status"] for a in listed] == ["rejected", "withdrawn"]
    assert svc.ok(svc.call("GET", f"{url}/{first['id']}", employee))["reason"] == "Refocusing anggaran"
    assert_problem(svc.call("GET", f"{url}/nope", employee), 404)
    assert svc.events("PlanAmended") == [] and svc.ok(svc.get(plan["id"]))["revision"] == 1


# -- at scale: copies, bulk approval, completion ---------------------------------------------------------------


def test_copy_last_years_plan_into_a_new_draft(svc):
    last = svc.approved(
        EMPLOYEE,
        year=YEAR - 1,
        results=[result("Rujukan", supports=None, result_id="old-1"), result("Arsip", kind="additional")],
    )
    response = svc.call("POST", f"/api/v1/plans/{last['id']}/copy", svc.as_(EMPLOYEE), json={})
    assert response.status_code == 201, response.get_json()
    copy = response.get_json()
    assert (copy["year"], copy["status"], copy["copied_from_plan_id"], copy["revision"]) == (
        YEAR,
        "draft",
        last["id"],
        1,
    )
    assert [r["text"] for r in copy["results"]] == ["Rujukan", "Arsip"]
    assert copy["results"][0]["result_id"] != "old-1" and copy["period_start"] == f"{YEAR}-01-01"
    assert all(r["supports_result_id"] is None for r in copy["results"])
    assert copy["attachments"] == last["attachments"] and copy["behaviours"] == last["behaviours"]
    assert_problem(svc.call("POST", f"/api/v1/plans/{last['id']}/copy", svc.as_(EMPLOYEE), json={}), 409)
    assert_problem(svc.call("POST", f"/api/v1/plans/{last['id']}/copy", svc.as_(COLLEAGUE), json={}), 404)
    assert_problem(svc.call("POST", f"/api/v1/plans/{last['id']}/copy", svc.as_(RATER), json={"nip": COLLEAGUE}), 403)
    assert_problem(
        svc.call("POST", f"/api/v1/plans/{last['id']}/copy", svc.as_(EMPLOYEE), json={"year": 1990}), 422, "year"
    )
    for_colleague = svc.ok(
        svc.call("POST", f"/api/v1/plans/{last['id']}/copy", svc.admin, json={"nip": COLLEAGUE, "year": YEAR}), 201
    )
    assert for_colleague["nip"] == COLLEAGUE and for_colleague["rater_nip"] == RATER


def test_bulk_approve_reports_each_plan(svc):
    rater = svc.as_(RATER, "supervisor")
    ready = [svc.draft(nip) for nip in (EMPLOYEE, COLLEAGUE)]
    for plan, nip in zip(ready, (EMPLOYEE, COLLEAGUE)):
        svc.ok(svc.act(plan["id"], "submit", svc.as_(nip)))
    draft = svc.draft(STAFF)
    outsider = svc.draft(OUTSIDER)
    svc.ok(svc.act(outsider["id"], "submit", svc.as_(OUTSIDER)))
    items = [
        {"id": ready[0]["id"], "version": 2},
        {"id": ready[1]["id"], "version": 1},
        {"id": draft["id"]},
        {"id": outsider["id"]},
        {"id": "no-such-plan"},
        {"id": ready[0]["id"]},
    ]
    response = svc.call("POST", "/api/v1/plans/approve", rater, json={"items": items})
    assert response.status_code == 207, response.get_json()
    body = response.get_json()
    # 2: the rater heads the unit above seksi, so reads STAFF's plan, but does not rate it
    assert [(r["index"], r["status"]) for r in body["results"]] == [
        (0, 200),
        (1, 412),
        (2, 403),
        (3, 404),
        (4, 404),
        (5, 409),
    ]
    assert (body["approved"], body["failed"]) == (1, 5)
    assert (
        body["results"][0]["plan"]["status"] == "approved"
        and body["results"][5]["problem"]["current_status"] == "approved"
    )
    assert [e["data"]["plan_id"] for e in svc.events("PlanApproved")] == [ready[0]["id"]]
    again = svc.ok(svc.call("POST", "/api/v1/plans/approve", rater, json={"items": [{"id": ready[1]["id"]}]}), 207)
    assert again["approved"] == 1
    staff_plan = svc.call(
        "POST", "/api/v1/plans/approve", svc.as_(EMPLOYEE), json={"items": [{"id": draft["id"]}]}
    ).get_json()
    assert (
        staff_plan["results"][0]["status"] == 409 and staff_plan["results"][0]["problem"]["current_status"] == "draft"
    )
    assert_problem(svc.call("POST", "/api/v1/plans/approve", rater, json={"items": []}), 422, "items")
    assert_problem(
        svc.call("POST", "/api/v1/plans/approve", rater, json={"items": [{"version": 1}]}), 422, "items.0.id"
    )
    assert_problem(svc.client.post("/api/v1/plans/approve", json={"items": [{"id": "x"}]}), 401)


def test_bulk_approve_limit(service_factory):
    svc = Plans(service_factory(SPEC))
    documented = svc.call("GET", "/openapi.json").get_json()["components"]["schemas"]["BulkApproveIn"]["properties"][
        "items"
    ]
    assert documented["maxItems"] == MAX_BULK_APPROVE_ITEMS
    items = [{"id": f"p{i}"} for i in range(MAX_BULK_APPROVE_ITEMS)]
    response = svc.call("POST", "/api/v1/plans/approve", svc.admin, json={"items": items})
    assert response.status_code == 207 and response.get_json()["failed"] == MAX_BULK_APPROVE_ITEMS
    assert_problem(
        svc.call("POST", "/api/v1/plans/approve", svc.admin, json={"items": items + [{"id": "one-more"}]}), 422, "items"
    )
    for version in (0, 2**31, 10**30):  # a version is a positive 32-bit number, as stored
        assert_problem(
            svc.call("POST", "/api/v1/plans/approve", svc.admin, json={"items": [{"id": "a", "version": version}]}),
            422,
            "items.0.version",
        )
    with pytest.raises(ConfigError, match="PLAN_BULK_MAX_ITEMS"):  # the former setting would have been a second number
        service_factory(SPEC, PLAN_BULK_MAX_ITEMS="2")


def test_completion_monitoring(service_factory):
    svc = Plans(service_factory(SPEC, PLAN_DEADLINE="02-15"))
    svc.load_org()
    svc.approved(EMPLOYEE)
    svc.draft(COLLEAGUE)
    head = svc.as_(RATER)  # head of bidang by the directory
    report = svc.ok(svc.call("GET", f"/api/v1/plans/completion?unit_id=bidang&year={YEAR}", head))
    assert (report["deadline"], report["employees"], report["approved"], report["missing"]) == (
        f"{YEAR}-02-15",
        4,
        1,
        3,
    )
    assert report["overdue"] == (report["as_of"] > f"{YEAR}-02-15")
    assert report["approved_late"] == (1 if report["overdue"] else 0)
    missing = {m["nip"]: m["plan_status"] for m in report["items"]}
    assert missing == {RATER: None, COLLEAGUE: "draft", STAFF: None}
    page = svc.ok(svc.call("GET", "/api/v1/plans/completion?unit_id=bidang&limit=2", head))
    rest = svc.ok(
        svc.call("GET", f"/api/v1/plans/completion?unit_id=bidang&limit=2&cursor={page['next_cursor']}", head)
    )
    assert [m["nip"] for m in page["items"] + rest["items"]] == sorted(missing)
    mine = svc.ok(svc.call("GET", "/api/v1/plans/completion", head))  # default: the units I head
    assert mine["employees"] == 4 and mine["unit_id"] is None
    everyone = svc.ok(svc.call("GET", f"/api/v1/plans/completion?year={YEAR}", svc.admin))
    assert everyone["employees"] == 7 and everyone["approved"] == 1
    past = svc.ok(svc.call("GET", "/api/v1/plans/completion?unit_id=bidang&year=2021", svc.admin))
    assert past["overdue"] is True and past["approved"] == 0 and past["deadline"] == "2021-02-15"
    assert_problem(svc.call("GET", "/api/v1/plans/completion?unit_id=lain", head), 403)
    assert_problem(svc.call("GET", "/api/v1/plans/completion", svc.as_(EMPLOYEE)), 403)
    assert_problem(svc.call("GET", "/api/v1/plans/completion?unit_id=nowhere", svc.admin), 404)
    assert_problem(svc.call("GET", "/api/v1/plans/completion?year=abc", svc.admin), 422, "year")


def test_a_bad_deadline_setting_stops_the_app(service_factory):
    from kinerja_shared.config import ConfigError

    with pytest.raises(ConfigError, match="PLAN_DEADLINE"):
        service_factory(SPEC, PLAN_DEADLINE="31-01")


# -- reading -------------------------------------------------------------------------------------------


def test_list_plans_filters_and_pages(svc):
    a = svc.approved(EMPLOYEE)
    b = svc.draft(COLLEAGUE)
    c = svc.draft(STAFF)
    rater = svc.as_(RATER, "supervisor")
    items = svc.ok(svc.call("GET", "/api/v1/plans", rater))["items"]
    assert {p["id"] for p in items} == {a["id"], b["id"], c["id"]}  # rated by me, or in the unit I head
    assert [p["id"] for p in svc.ok(svc.call("GET", "/api/v1/plans?status=approved", rater))["items"]] == [a["id"]]
    assert [p["id"] for p in svc.ok(svc.call("GET", f"/api/v1/plans?nip={COLLEAGUE}", rater))["items"]] == [b["id"]]
    assert svc.ok(svc.call("GET", f"/api/v1/plans?year={YEAR + 1}", rater))["items"] == []
    first = svc.ok(svc.call("GET", "/api/v1/plans?limit=2", svc.admin))
    second = svc.ok(svc.call("GET", f"/api/v1/plans?limit=2&cursor={first['next_cursor']}", svc.admin))
    assert len({p["id"] for p in first["items"] + second["items"]}) == 3 and second["next_cursor"] is None
    assert_problem(svc.call("GET", "/api/v1/plans?status=lost", rater), 422, "status")
    assert_problem(svc.call("GET", "/api/v1/plans?cursor=_w", rater), 422, "cursor")
    assert_problem(svc.call("GET", "/api/v1/plans?cursor=eA", rater), 400, "cursor")
