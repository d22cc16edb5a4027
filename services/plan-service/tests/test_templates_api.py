"""Plan templates per position over HTTP against PostgreSQL: CRUD for admins, bulk assignment to a unit."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from plan_testkit import BEHAVIOURS, COLLEAGUE, EMPLOYEE, OUTSIDER, RATER, STAFF, YEAR, assert_problem, result  # noqa: E402


def template_body(**changes) -> dict:
    body = {
        "name": "SKP Perawat Ahli Pertama",
        "position": "Perawat Ahli Pertama",
        "description": "Untuk puskesmas",
        "approach": "quantitative",
        "model": "JA_JF",
        "behaviours": BEHAVIOURS,
        "results": [
            result("Asuhan keperawatan terlaksana", target=1200, unit="pasien"),
            result("Laporan bulanan", kind="additional", target=12, unit="laporan"),
        ],
        "attachments": {"resources": "Ruang rawat", "consequences": "Sesuai TPP"},
    }
    body.update(changes)
    return body


def test_template_crud_for_admins(svc):
    url = "/api/v1/plan-templates"
    assert_problem(svc.call("POST", url, svc.as_(RATER, "supervisor", "unit_head"), json=template_body()), 403)
    assert_problem(
        svc.call("POST", url, svc.admin, json=template_body(results=[result(supports="x")])),
        422,
        "results.0.supports_result_id",
    )
    assert_problem(svc.call("POST", url, svc.admin, json=template_body(behaviours=BEHAVIOURS[:3])), 422, "behaviours")
    assert_problem(svc.call("POST", url, svc.admin, json=template_body(position="")), 422, "position")
    created = svc.call("POST", url, svc.admin, json=template_body())
    assert created.status_code == 201, created.get_json()
    tpl = created.get_json()
    assert created.headers["Location"] == f"{url}/{tpl['id']}" and tpl["version"] == 1
    assert all(r["result_id"] for r in tpl["results"])
    other = svc.ok(
        svc.call("POST", url, svc.admin, json=template_body(name="SKP Pelaksana", position="Pelaksana")), 201
    )

    # everyone signed in reads them
    assert {t["id"] for t in svc.ok(svc.call("GET", url, svc.as_(EMPLOYEE)))["items"]} == {tpl["id"], other["id"]}
    assert [t["id"] for t in svc.ok(svc.call("GET", f"{url}?position=Pelaksana", svc.as_(EMPLOYEE)))["items"]] == [
        other["id"]
    ]
    got = svc.call("GET", f"{url}/{tpl['id']}", svc.as_(EMPLOYEE))
    assert got.status_code == 200 and got.headers["ETag"] == f'"{tpl["id"]}.1"'

    changed = template_body(
        name="SKP Perawat (2)", results=[{**tpl["results"][0], "text": "Asuhan keperawatan bermutu"}]
    )
    assert_problem(svc.call("PUT", f"{url}/{tpl['id']}", svc.admin, json=changed, headers={"If-Match": '"x.7"'}), 412)
    assert_problem(svc.call("PUT", f"{url}/{tpl['id']}", svc.as_(EMPLOYEE), json=changed), 403)
    updated = svc.ok(
        svc.call("PUT", f"{url}/{tpl['id']}", svc.admin, json=changed, headers={"If-Match": got.headers["ETag"]})
    )
    assert updated["version"] == 2 and updated["results"][0]["result_id"] == tpl["results"][0]["result_id"]

    assert_problem(svc.call("DELETE", f"{url}/{other['id']}", svc.admin, headers={"If-Match": '"x.9"'}), 412)
    assert_problem(svc.call("DELETE", f"{url}/{other['id']}", svc.admin), 428, "If-Match")
    assert (
        svc.call("DELETE", f"{url}/{other['id']}", svc.admin, headers=svc.current(f"{url}/{other['id']}")).status_code
        == 204
    )
    assert_problem(svc.call("GET", f"{url}/{other['id']}", svc.admin), 404)
    assert_problem(svc.call("DELETE", f"{url}/{other['id']}", svc.admin), 404)
    actions = [a["action"] for a in svc.audit(entity_type="plan_template")]
    assert actions == ["template.deleted", "template.updated", "template.created", "template.created"]
    deleted = svc.audit(entity_type="plan_template")[0]
    assert deleted["before"]["name"] == "SKP Pelaksana" and deleted["after"] is None


def test_assign_a_template_to_a_unit(svc):
    tpl = svc.ok(svc.call("POST", "/api/v1/plan-templates", svc.admin, json=template_body()), 201)
    own = svc.draft(EMPLOYEE)
    url = f"/api/v1/plan-templates/{tpl['id']}/assign"
    assert_problem(
        svc.call("POST", url, svc.as_(OUTSIDER, "unit_head", unit="lain"), json={"unit_id": "bidang", "year": YEAR}),
        403,
    )
    assert_problem(svc.call("POST", url, svc.as_(EMPLOYEE), json={"unit_id": "bidang", "year": YEAR}), 403)
    assert_problem(svc.call("POST", url, svc.admin, json={"unit_id": "nowhere", "year": YEAR}), 422, "unit_id")
    assert_problem(svc.call("POST", url, svc.admin, json={"unit_id": "bidang", "year": 1900}), 422, "year")
    assert_problem(
        svc.call("POST", "/api/v1/plan-templates/nope/assign", svc.admin, json={"unit_id": "bidang", "year": YEAR}), 404
    )

    # the head of bidang (by the directory) assigns it to bidang and seksi
    report = svc.ok(
        svc.call("POST", url, svc.as_(RATER), json={"unit_id": "bidang", "year": YEAR, "include_subunits": True})
    )
    outcomes = {i["nip"]: (i["outcome"], i["reason"]) for i in report["items"]}
    assert outcomes == {
        RATER: ("created", None),
        COLLEAGUE: ("created", None),
        STAFF: ("created", None),
        EMPLOYEE: ("skipped", f"already has a draft plan for {YEAR}"),
    }
    assert (report["created"], report["skipped"]) == (3, 1)
    assert [i["plan_id"] for i in report["items"] if i["nip"] == EMPLOYEE] == [own["id"]]
    created = {i["nip"]: i["plan_id"] for i in report["items"] if i["outcome"] == "created"}
    plan = svc.ok(svc.get(created[COLLEAGUE], svc.as_(COLLEAGUE)))
    assert (plan["status"], plan["template_id"], plan["rater_nip"], plan["unit_id"]) == (
        "draft",
        tpl["id"],
        RATER,
        "bidang",
    )
    assert [r["text"] for r in plan["results"]] == ["Asuhan keperawatan terlaksana", "Laporan bulanan"]
    staff_plan = svc.ok(svc.get(created[STAFF]))
    ids = (
        {r["result_id"] for r in plan["results"]}
        | {r["result_id"] for r in staff_plan["results"]}
        | {r["result_id"] for r in tpl["results"]}
    )
    assert len(ids) == 6  # every draft has ids of its own
    # the drafts are the employees' own: they edit and submit them
    svc.ok(svc.act(created[COLLEAGUE], "submit", svc.as_(COLLEAGUE)))
    audit = svc.audit(entity_type="plan", entity_id=created[STAFF])
    assert (
        audit[0]["action"] == "plan.created"
        and tpl["id"] in audit[0]["reason"]
        and audit[0]["after"]["template_id"] == tpl["id"]
    )

    again = svc.ok(svc.call("POST", url, svc.admin, json={"unit_id": "bidang", "year": YEAR, "include_subunits": True}))
    assert (again["created"], again["skipped"]) == (0, 4)
    only = svc.ok(
        svc.call("POST", url, svc.admin, json={"unit_id": "bidang", "year": YEAR + 1, "only_matching_position": True})
    )
    assert sorted(i["nip"] for i in only["items"]) == sorted([EMPLOYEE, COLLEAGUE]) and only["created"] == 2
    assert svc.plan_events() == [e for e in svc.plan_events() if e["type"] == "PlanSubmitted"]  # drafts publish nothing


def test_assigning_a_template_to_a_thousand_employees_is_one_fast_request(plan_svc):
    svc = plan_svc
    people = [
        {
            "nip": f"19{80 + i % 20:02d}{i % 12 + 1:02d}{i % 28 + 1:02d}2015{i % 12 + 1:02d}{1 + i % 2}{i:03d}"[:18],
            "name": f"Pegawai {i}",
            "unit_id": "besar",
            "position": "Pelaksana",
        }
        for i in range(1000)
    ]
    assert len({p["nip"] for p in people}) == 1000
    document = {"units": [{"id": "besar", "name": "Unit Besar"}], "employees": people}
    started = time.perf_counter()
    report = svc.ok(svc.call("POST", "/api/v1/directory/imports?dry_run=false", svc.admin, json=document))
    imported = time.perf_counter() - started
    assert report["summary"]["employees"]["created"] == 1000 and report["events_published"] == 1000
    tpl = svc.ok(svc.call("POST", "/api/v1/plan-templates", svc.admin, json=template_body(position="Pelaksana")), 201)
    started = time.perf_counter()
    response = svc.call(
        "POST", f"/api/v1/plan-templates/{tpl['id']}/assign", svc.admin, json={"unit_id": "besar", "year": YEAR}
    )
    assigned = time.perf_counter() - started
    body = svc.ok(response)
    assert body["created"] == 1000 and body["skipped"] == 0
    assert svc.h.scalar("SELECT count(*) FROM plans WHERE template_id = :t", t=tpl["id"]) == 1000
    assert svc.h.scalar("SELECT count(*) FROM audit_log WHERE action = 'plan.created'") == 1000
    print(f"\nimport of 1,000 employees: {imported:.2f} s; template assigned to 1,000 employees: {assigned:.2f} s")
