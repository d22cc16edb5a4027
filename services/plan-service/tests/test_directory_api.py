"""The org directory over HTTP against PostgreSQL: units, employees, the import, transfers and rater changes."""

import io
import json
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from plan_testkit import (  # noqa: E402
    COLLEAGUE,
    EMPLOYEE,
    HEAD,
    OTHER_SUP,
    OUTSIDER,
    RATER,
    STAFF,
    YEAR,
    assert_problem,
    org_document,
    result,
)

NEW_A = "199303032018011008"
NEW_B = "199404042019022009"


def csv_file(text: str, name: str = "pegawai.csv"):
    return {"file": (io.BytesIO(text.encode()), name, "text/csv")}


def do_import(svc, dry_run: bool, **kw):
    return svc.call("POST", f"/api/v1/directory/imports?dry_run={'true' if dry_run else 'false'}", svc.admin, **kw)


# -- the import --------------------------------------------------------------------------------------

GOOD_AND_BAD = (
    "nip;nama;jabatan;unit_id;nip_atasan;email;telepon\n"
    f"{NEW_A};Dewi Lestari;Bidan Ahli Pertama;bidang;{RATER};dewi@binjaikota.go.id;0811\n"  # 2: new
    f"{EMPLOYEE};Andi Pratama;Perawat Ahli Muda;bidang;{RATER};;081234567890\n"  # 3: promoted
    f"{COLLEAGUE};Siti Aminah;Perawat Ahli Pertama;bidang;{RATER};;\n"  # 4: unchanged
    "199213172019031004;Salah Tanggal;Pelaksana;bidang;;;\n"  # 5: birth month 13
    f"{NEW_B};Tanpa Unit;Pelaksana;gudang;;;\n"  # 6: unknown unit
    f"{NEW_B[:-1]}5;Penilai Hilang;Pelaksana;bidang;198808082010011999;;\n"  # 7: unknown rater
    "199208172019033004;Gender Salah;Pelaksana;bidang;;bukan-email;\n"  # 8: gender digit, e-mail
)


def test_import_dry_run_then_for_real_then_again_with_no_change(svc):
    before_events = len(svc.events())
    # 1. dry run: every bad row with its line and reason; nothing written
    report = svc.ok(do_import(svc, True, data=csv_file(GOOD_AND_BAD), content_type="multipart/form-data"))
    assert report["dry_run"] is True and report["applied"] is False and report["valid"] is False
    assert [(e["line"], e["field"]) for e in report["errors"]] == [
        (5, "nip"),
        (6, "unit_id"),
        (7, "rater_nip"),
        (8, "nip"),
        (8, "email"),
    ]
    assert "birth date" in report["errors"][0]["message"] and "gender digit" in report["errors"][3]["message"]
    assert report["errors"][1]["key"] == NEW_B and "gudang" in report["errors"][1]["message"]
    assert report["summary"]["employees"] == {"created": 1, "updated": 1, "unchanged": 1}
    assert svc.h.scalar("SELECT count(*) FROM employees WHERE nip = :n", n=NEW_A) == 0
    assert len(svc.events()) == before_events

    # 2. for real, with the bad rows still in: refused, the same list, nothing written
    body = assert_problem(do_import(svc, False, data=csv_file(GOOD_AND_BAD), content_type="multipart/form-data"), 422)
    assert [(e["line"], e["field"]) for e in body["errors"]] == [
        (5, "nip"),
        (6, "unit_id"),
        (7, "rater_nip"),
        (8, "nip"),
        (8, "email"),
    ]
    assert "line 5" in body["detail"]
    assert svc.h.scalar("SELECT count(*) FROM employees WHERE nip = :n", n=NEW_A) == 0

    # 3. the good rows alone, for real
    good = "\n".join(GOOD_AND_BAD.splitlines()[:4]) + "\n"
    report = svc.ok(do_import(svc, False, data=csv_file(good), content_type="multipart/form-data"))
    assert report["applied"] is True and report["valid"] is True
    assert report["summary"]["employees"] == {"created": 1, "updated": 1, "unchanged": 1}
    assert {(c["key"], c["action"]) for c in report["changes"]} == {(NEW_A, "created"), (EMPLOYEE, "updated")}
    assert [c["changed"] for c in report["changes"] if c["key"] == EMPLOYEE] == [["position"]]
    dewi = svc.ok(svc.call("GET", f"/api/v1/employees/{NEW_A}", svc.as_(NEW_A)))
    assert (dewi["name"], dewi["rater_nip"], dewi["rater_superior_nip"], dewi["phone"]) == (
        "Dewi Lestari",
        RATER,
        HEAD,
        "0811",
    )
    upserted = svc.events("EmployeeUpserted")[before_events:]
    assert sorted(e["data"]["nip"] for e in upserted) == sorted([NEW_A, EMPLOYEE])
    new = [e for e in upserted if e["data"]["nip"] == NEW_A][0]["data"]
    assert (
        new["unit_path"] == ["dinas", "bidang"]
        and new["unit_name"] == "Bidang Pelayanan"
        and new["email"] == "dewi@binjaikota.go.id"
    )
    assert new["rater_nip"] == RATER and new["is_unit_head"] is False

    # 4. the same file again: nothing changes, no events
    events_now = len(svc.events())
    report = svc.ok(do_import(svc, False, data=csv_file(good), content_type="multipart/form-data"))
    assert report["summary"]["employees"] == {"created": 0, "updated": 0, "unchanged": 3}
    assert report["changes"] == [] and report["events_published"] == 0
    assert len(svc.events()) == events_now
    audit = svc.audit(entity_type="directory_import")
    assert len(audit) == 3 and audit[0]["after"]["summary"]["employees"]["unchanged"] == 3  # with the org's own import


def test_import_json_body_with_units_and_a_second_run_is_idempotent(plan_svc):
    report = plan_svc.ok(do_import(plan_svc, True, json=org_document()))
    assert report["summary"] == {
        "units": {"created": 4, "updated": 0, "unchanged": 0},
        "employees": {"created": 7, "updated": 0, "unchanged": 0},
        "acting_heads": {"created": 0, "updated": 0, "unchanged": 0},
    }
    assert plan_svc.h.scalar("SELECT count(*) FROM units") == 0
    report = plan_svc.ok(do_import(plan_svc, False, json=org_document()))
    assert report["applied"] and report["events_published"] == 7
    heads = {e["data"]["nip"]: e["data"]["is_unit_head"] for e in plan_svc.events("EmployeeUpserted")}
    assert heads[HEAD] and heads[RATER] and heads[OUTSIDER] and not heads[EMPLOYEE]
    staff = [e["data"] for e in plan_svc.events("EmployeeUpserted") if e["data"]["nip"] == STAFF][0]
    assert staff["unit_path"] == ["dinas", "bidang", "seksi"] and staff["rater_superior_nip"] == RATER
    again = plan_svc.ok(do_import(plan_svc, False, json=org_document()))
    assert again["summary"] == {
        "units": {"created": 0, "updated": 0, "unchanged": 4},
        "employees": {"created": 0, "updated": 0, "unchanged": 7},
        "acting_heads": {"created": 0, "updated": 0, "unchanged": 0},
    }
    assert again["events_published"] == 0 and len(plan_svc.events()) == 7


def test_import_a_text_csv_body_and_json_errors_with_lines(svc):
    text = f"nip,name,unit_id\n{NEW_A},Dewi,bidang\n"
    report = svc.ok(do_import(svc, True, data=text, content_type="text/csv"))
    assert report["format"] == "csv" and report["summary"]["employees"]["created"] == 1
    document = (
        '{\n  "employees": [\n    {"nip": "123", "name": "X", "unit_id": "bidang"},\n    {"nip": "%s", "name": "Y", '
        '"unit_id": "bidang"}\n  ]\n}' % NEW_A
    )
    report = svc.ok(do_import(svc, True, data=document, content_type="application/json"))
    assert [(e["line"], e["field"], e["row"]) for e in report["errors"]] == [(3, "nip", 0)]


def test_import_refuses_what_it_cannot_read(svc):
    assert_problem(do_import(svc, True, data="x", content_type="application/xml"), 415, "file")
    assert_problem(do_import(svc, True, data={}, content_type="multipart/form-data"), 422, "file")
    assert_problem(do_import(svc, True, data="{not json", content_type="application/json"), 422, "file")
    assert_problem(do_import(svc, True, data="name,unit\nA,b\n", content_type="text/csv"), 422, "file")
    assert_problem(do_import(svc, True, json={"employees": []}), 422, "file")
    assert_problem(do_import(svc, True, json={"employees": "all"}), 422, "employees")
    assert_problem(
        svc.call("POST", "/api/v1/directory/imports?dry_run=maybe", svc.admin, json=org_document()), 422, "dry_run"
    )
    assert_problem(
        svc.call("POST", "/api/v1/directory/imports", svc.as_(RATER, "supervisor", "unit_head"), json=org_document()),
        403,
    )
    assert_problem(svc.client.post("/api/v1/directory/imports", json=org_document()), 401)


# -- units ------------------------------------------------------------------------------------------


def test_units_tree_list_and_moves(svc):
    tree = svc.ok(svc.call("GET", "/api/v1/units/tree", svc.as_(EMPLOYEE)))["items"]
    assert [u["id"] for u in tree] == ["dinas", "lain"]
    bidang = tree[0]["children"][0]
    assert (bidang["id"], bidang["employees"], [c["id"] for c in bidang["children"]]) == ("bidang", 3, ["seksi"])
    sub = svc.ok(svc.call("GET", "/api/v1/units/tree?root=bidang", svc.as_(EMPLOYEE)))["items"]
    assert [u["id"] for u in sub] == ["bidang"]
    assert_problem(svc.call("GET", "/api/v1/units/tree?root=nowhere", svc.as_(EMPLOYEE)), 404)
    page = svc.ok(svc.call("GET", "/api/v1/units?limit=2", svc.as_(EMPLOYEE)))
    rest = svc.ok(svc.call("GET", f"/api/v1/units?limit=2&cursor={page['next_cursor']}", svc.as_(EMPLOYEE)))
    assert [u["id"] for u in page["items"] + rest["items"]] == ["bidang", "dinas", "lain", "seksi"]
    assert [u["id"] for u in svc.ok(svc.call("GET", "/api/v1/units?root=bidang", svc.admin))["items"]] == [
        "bidang",
        "seksi",
    ]

    # move bidang under lain: bidang and seksi get new paths, their people are republished
    events_before = len(svc.events())
    moved = svc.ok(
        svc.call(
            "PUT",
            "/api/v1/units/bidang",
            svc.admin,
            json={"name": "Bidang Pelayanan", "parent_id": "lain", "head_nip": RATER},
        )
    )
    assert moved["path"] == ["lain", "bidang"]
    assert svc.ok(svc.call("GET", "/api/v1/units/seksi", svc.admin))["path"] == ["lain", "bidang", "seksi"]
    republished = {
        e["data"]["nip"]: e["data"]["unit_path"]
        for e in svc.events("EmployeeUpserted")[events_before - 7 :]
        if e["data"]["nip"] in (STAFF, EMPLOYEE)
    }
    assert republished == {STAFF: ["lain", "bidang", "seksi"], EMPLOYEE: ["lain", "bidang"]}
    assert len(svc.events()) - events_before == 4  # RATER, EMPLOYEE, COLLEAGUE (bidang) and STAFF (seksi)

    # a new head: both heads are republished with is_unit_head
    events_before = len(svc.events())
    svc.ok(
        svc.call(
            "PUT",
            "/api/v1/units/seksi",
            svc.admin,
            json={"name": "Seksi Rujukan", "parent_id": "bidang", "head_nip": STAFF},
        )
    )
    heads = {e["data"]["nip"]: e["data"]["is_unit_head"] for e in svc.events("EmployeeUpserted")[events_before - 7 :]}
    assert heads.get(STAFF) is True


def test_unit_writes_are_checked(svc):
    assert_problem(
        svc.call("PUT", "/api/v1/units/dinas", svc.admin, json={"name": "Dinas", "parent_id": "seksi"}),
        422,
        "parent_id",
    )
    assert_problem(
        svc.call("PUT", "/api/v1/units/baru", svc.admin, json={"name": "Baru", "parent_id": "nowhere"}),
        422,
        "parent_id",
    )
    assert_problem(svc.call("PUT", "/api/v1/units/a%20b", svc.admin, json={"name": "Baru"}), 422, "unit_id")
    assert_problem(svc.call("PUT", "/api/v1/units/" + "x" * 70, svc.admin, json={"name": "Baru"}), 422, "unit_id")
    assert_problem(
        svc.call("PUT", "/api/v1/units/baru", svc.admin, json={"name": "Baru", "head_nip": "199208172019033004"}),
        422,
        "head_nip",
    )
    assert_problem(svc.call("PUT", "/api/v1/units/baru", svc.admin, json={"name": ""}), 422, "name")
    assert_problem(svc.call("PUT", "/api/v1/units/baru", svc.as_(HEAD, "unit_head"), json={"name": "Baru"}), 403)
    assert_problem(svc.call("GET", "/api/v1/units/nowhere", svc.admin), 404)


# -- employees --------------------------------------------------------------------------------------


def test_employee_put_get_list_and_if_match(svc):
    got = svc.call("GET", f"/api/v1/employees/{EMPLOYEE}", svc.as_(COLLEAGUE))
    assert got.status_code == 200 and got.headers["ETag"] == f'"{EMPLOYEE}.1"'
    body = {**{k: v for k, v in got.get_json().items() if k not in ("nip", "version", "updated_at")}, "grade": "III/b"}
    stale = svc.call("PUT", f"/api/v1/employees/{EMPLOYEE}", svc.admin, json=body, headers={"If-Match": '"x.0"'})
    assert_problem(stale, 412)
    put = svc.call(
        "PUT", f"/api/v1/employees/{EMPLOYEE}", svc.admin, json=body, headers={"If-Match": got.headers["ETag"]}
    )
    assert put.status_code == 200 and put.get_json()["grade"] == "III/b" and put.headers["ETag"] == f'"{EMPLOYEE}.2"'
    [audit] = svc.audit(entity_type="employee", entity_id=EMPLOYEE)[:1]
    assert (
        audit["action"] == "employee.updated"
        and audit["before"]["grade"] is None
        and audit["after"]["grade"] == "III/b"
    )
    # the same body again: nothing changes, no event
    events = len(svc.events())
    again = svc.ok(
        svc.call(
            "PUT", f"/api/v1/employees/{EMPLOYEE}", svc.admin, json=body, headers={"If-Match": put.headers["ETag"]}
        )
    )
    assert again["version"] == 2 and len(svc.events()) == events

    items = svc.ok(svc.call("GET", "/api/v1/employees?unit_id=bidang", svc.as_(EMPLOYEE)))["items"]
    assert [e["nip"] for e in items] == sorted([RATER, EMPLOYEE, COLLEAGUE])
    items = svc.ok(svc.call("GET", "/api/v1/employees?unit_id=bidang&include_subunits=true", svc.as_(EMPLOYEE)))[
        "items"
    ]
    assert STAFF in [e["nip"] for e in items]
    assert [
        e["nip"] for e in svc.ok(svc.call("GET", f"/api/v1/employees?rater_nip={RATER}", svc.admin))["items"]
    ] == sorted([EMPLOYEE, COLLEAGUE])
    assert [e["nip"] for e in svc.ok(svc.call("GET", "/api/v1/employees?q=aminah", svc.admin))["items"]] == [COLLEAGUE]
    first = svc.ok(svc.call("GET", "/api/v1/employees?limit=3", svc.admin))
    second = svc.ok(svc.call("GET", f"/api/v1/employees?limit=10&cursor={first['next_cursor']}", svc.admin))
    assert len(first["items"]) + len(second["items"]) == 7 and second["next_cursor"] is None
    assert_problem(svc.call("GET", "/api/v1/employees?cursor=_w", svc.admin), 422, "cursor")
    assert_problem(svc.call("GET", "/api/v1/employees/000000000000000000", svc.admin), 404)


def test_employee_put_checks_every_field(svc):
    def put(nip, **body):
        return svc.call("PUT", f"/api/v1/employees/{nip}", svc.admin, json={"name": "X", "unit_id": "bidang", **body})

    assert_problem(put("199213172019031004"), 422, "nip")
    assert_problem(put(NEW_A, unit_id="nowhere"), 422, "unit_id")
    assert_problem(put(NEW_A, rater_nip="198808082010011999"), 422, "rater_nip")
    assert_problem(put(NEW_A, rater_nip=NEW_A), 422, "rater_nip")
    assert_problem(put(NEW_A, rater_nip="12"), 422, "rater_nip")
    assert_problem(put(NEW_A, email="nope"), 422, "email")
    assert_problem(put(NEW_A, functional_coefficient=-1), 422, "functional_coefficient")
    assert_problem(put(NEW_A, effective_date="2026-13-01"), 422, "effective_date")
    assert_problem(svc.call("PUT", f"/api/v1/employees/{NEW_A}", svc.admin, json={"unit_id": "bidang"}), 422, "name")
    assert_problem(
        svc.call(
            "PUT", f"/api/v1/employees/{NEW_A}", svc.as_(RATER, "supervisor"), json={"name": "X", "unit_id": "bidang"}
        ),
        403,
    )


# -- transfers and rater changes ------------------------------------------------------------------------


def test_a_transfer_closes_the_plan_and_a_new_post_gets_a_new_plan(svc):
    plan = svc.approved(EMPLOYEE)
    svc.ok(
        svc.call(
            "POST",
            f"/api/v1/plans/{plan['id']}/amendments",
            svc.as_(EMPLOYEE),
            json={
                **{k: plan[k] for k in ("approach", "model", "results", "behaviours", "attachments")},
                "reason": "tambah target",
            },
        ),
        201,
    )
    effective = date(YEAR, 7, 1)
    person = svc.ok(svc.call("GET", f"/api/v1/employees/{EMPLOYEE}", svc.admin))
    body = {
        k: person[k]
        for k in ("name", "position", "rank", "grade", "email", "phone", "functional_coefficient", "active")
    }
    moved = svc.ok(
        svc.call(
            "PUT",
            f"/api/v1/employees/{EMPLOYEE}",
            svc.admin,
            headers=svc.current(f"/api/v1/employees/{EMPLOYEE}"),
            json={
                **body,
                "unit_id": "lain",
                "rater_nip": OUTSIDER,
                "effective_date": effective.isoformat(),
                "change_reason": "Mutasi ke Dinas Pendidikan (SK 821/123)",
            },
        )
    )
    assert moved["unit_id"] == "lain" and moved["rater_nip"] == OUTSIDER

    # the history, with the effective date
    history = svc.ok(svc.call("GET", f"/api/v1/employees/{EMPLOYEE}/history", svc.as_(EMPLOYEE)))["items"]
    assert {(h["field"], h["old_value"], h["new_value"], h["effective_date"]) for h in history} == {
        ("unit_id", "bidang", "lain", effective.isoformat()),
        ("rater_nip", RATER, OUTSIDER, effective.isoformat()),
        ("rater_superior_nip", HEAD, None, effective.isoformat()),
    }
    assert all(h["reason"] == "Mutasi ke Dinas Pendidikan (SK 821/123)" and h["source"] == "api" for h in history)

    # the old post's plan: closed, ending the day before, a new revision published with PlanAmended
    closed = svc.ok(svc.get(plan["id"]))
    assert closed["status"] == "closed" and closed["period_end"] == (effective - timedelta(days=1)).isoformat()
    assert closed["revision"] == 2 and "Mutasi" in closed["closed_reason"]
    [amended] = svc.events("PlanAmended")
    assert amended["data"]["status"] == "closed" and amended["data"]["kind"] == "transfer"
    assert amended["data"]["period_end"] == closed["period_end"] and amended["data"]["revision"] == 2
    [moved_event] = [e for e in svc.events("EmployeeUpserted") if e["data"]["nip"] == EMPLOYEE][-1:]
    assert moved_event["data"]["effective_date"] == effective.isoformat() and moved_event["data"]["unit_path"] == [
        "lain"
    ]
    revisions = svc.ok(svc.call("GET", f"/api/v1/plans/{plan['id']}/revisions", svc.as_(EMPLOYEE)))["items"]
    assert [(r["revision"], r["kind"]) for r in revisions] == [(1, "approval"), (2, "transfer")]
    amendments = svc.ok(svc.call("GET", f"/api/v1/plans/{plan['id']}/amendments", svc.as_(EMPLOYEE)))["items"]
    assert [a["status"] for a in amendments] == ["cancelled"]
    assert_problem(svc.act(plan["id"], "submit", svc.as_(EMPLOYEE)), 409)

    # a new plan for the new post: starts on the transfer day, rated by the new rater
    new = svc.draft(EMPLOYEE)
    assert (new["period_start"], new["unit_id"], new["rater_nip"]) == (effective.isoformat(), "lain", OUTSIDER)
    early = svc.call(
        "POST",
        "/api/v1/plans",
        svc.as_(EMPLOYEE),
        json={
            "year": YEAR,
            "approach": "quantitative",
            "model": "JA_JF",
            "period_start": f"{YEAR}-03-01",
            "results": [result()],
            "behaviours": new["behaviours"],
        },
    )
    assert_problem(early, 409)  # one plan in force per year
    patch = svc.call(
        "PATCH",
        f"/api/v1/plans/{new['id']}",
        svc.as_(EMPLOYEE),
        json={"period_start": f"{YEAR}-03-01"},
        headers=svc.current(f"/api/v1/plans/{new['id']}"),
    )
    assert_problem(patch, 422, "period_start")
    [audit] = [a for a in svc.audit(entity_type="plan", entity_id=plan["id"]) if a["action"] == "plan.closed"]
    assert (
        audit["before"]["status"] == "approved" and audit["after"]["status"] == "closed" and "Mutasi" in audit["reason"]
    )


def test_a_rater_change_hands_the_plans_to_the_new_rater(svc):
    approved = svc.approved(EMPLOYEE)
    submitted = svc.draft(COLLEAGUE)
    svc.ok(svc.act(submitted["id"], "submit", svc.as_(COLLEAGUE)))
    events_before = len(svc.events())
    for nip in (EMPLOYEE, COLLEAGUE):
        person = svc.ok(svc.call("GET", f"/api/v1/employees/{nip}", svc.admin))
        body = {k: person[k] for k in ("name", "position", "unit_id", "email", "phone", "active")}
        svc.ok(
            svc.call(
                "PUT",
                f"/api/v1/employees/{nip}",
                svc.admin,
                json={**body, "rater_nip": OTHER_SUP},
                headers=svc.current(f"/api/v1/employees/{nip}"),
            )
        )
    now_approved = svc.ok(svc.get(approved["id"]))
    assert (now_approved["rater_nip"], now_approved["rater_superior_nip"], now_approved["revision"]) == (
        OTHER_SUP,
        HEAD,
        2,
    )
    assert now_approved["status"] == "approved"
    new_events = svc.events()[events_before:]
    kinds = [(e["type"], e["data"].get("kind")) for e in new_events if e["type"] != "EmployeeUpserted"]
    assert kinds == [("PlanAmended", "rater_change"), ("PlanSubmitted", None)]
    assert [e for e in new_events if e["type"] == "PlanSubmitted"][0]["data"]["rater_nip"] == OTHER_SUP
    # the new rater decides; the old one (still head of the unit, so still a reader) no longer may
    assert_problem(svc.act(submitted["id"], "approve", svc.as_(RATER, "supervisor")), 403)
    svc.ok(svc.act(submitted["id"], "approve", svc.as_(OTHER_SUP, "supervisor")))
    history = svc.ok(svc.call("GET", f"/api/v1/employees/{EMPLOYEE}/history", svc.admin))["items"]
    assert [(h["field"], h["new_value"]) for h in history] == [("rater_nip", OTHER_SUP)]


def test_a_transfer_by_import_closes_plans_too(svc):
    plan = svc.approved(COLLEAGUE)
    text = f"nip,name,unit_id,rater_nip,effective_date\n{COLLEAGUE},Siti Aminah,lain,{OUTSIDER},{YEAR}-09-01\n"
    report = svc.ok(do_import(svc, False, data=csv_file(text), content_type="multipart/form-data"))
    assert report["plans_closed"] == [plan["id"]] and report["summary"]["employees"]["updated"] == 1
    closed = svc.ok(svc.get(plan["id"]))
    assert closed["status"] == "closed" and closed["period_end"] == f"{YEAR}-08-31"
    history = svc.ok(svc.call("GET", f"/api/v1/employees/{COLLEAGUE}/history", svc.admin))["items"]
    assert {h["source"] for h in history} == {"import"}


def test_import_document_is_json_serialisable():
    json.dumps(org_document())


def test_one_import_with_many_transfers_and_rater_changes_treats_each_employee_on_its_own(svc):
    """Mass changes (mutasi of many people in one file) are applied together, each with its own effect."""
    staff_plan = svc.approved(STAFF, rater=EMPLOYEE)  # before EMPLOYEE's plan exists: no cascade to support yet
    approved = svc.approved(EMPLOYEE)
    amendment = svc.call(
        "POST",
        f"/api/v1/plans/{approved['id']}/amendments",
        svc.as_(EMPLOYEE),
        json={k: approved[k] for k in ("approach", "model", "results", "behaviours", "attachments")}
        | {"reason": "Target disesuaikan"},
    )
    assert amendment.status_code == 201, amendment.get_json()
    submitted = svc.draft(COLLEAGUE)
    svc.ok(svc.act(submitted["id"], "submit", svc.as_(COLLEAGUE)))
    events_before = len(svc.events())
    text = (
        "nip,name,unit_id,rater_nip,effective_date\n"
        f"{EMPLOYEE},Andi Pratama,lain,{OUTSIDER},{YEAR}-09-01\n"
        f"{COLLEAGUE},Siti Aminah,lain,{OUTSIDER},{YEAR}-10-01\n"
        f"{STAFF},Budi Santoso,seksi,{OTHER_SUP},{YEAR}-09-15\n"
    )
    report = svc.ok(do_import(svc, False, data=csv_file(text), content_type="multipart/form-data"))
    assert sorted(report["plans_closed"]) == sorted([approved["id"], submitted["id"]])
    assert report["plans_retargeted"] == [staff_plan["id"]]

    andi, siti, budi = (svc.ok(svc.get(p["id"])) for p in (approved, submitted, staff_plan))
    assert (andi["status"], andi["period_end"], andi["revision"]) == ("closed", f"{YEAR}-08-31", 2)
    assert (siti["status"], siti["period_end"]) == ("closed", f"{YEAR}-09-30")  # its own effective date
    assert (budi["status"], budi["rater_nip"], budi["revision"]) == ("approved", OTHER_SUP, 2)
    pending = svc.ok(svc.call("GET", f"/api/v1/plans/{approved['id']}/amendments", svc.admin))["items"]
    assert [a["status"] for a in pending] == ["cancelled"]
    kinds = sorted(
        (e["subject"], e["type"], e["data"].get("kind"))
        for e in svc.events()[events_before:]
        if e["type"] != "EmployeeUpserted"
    )
    assert kinds == sorted(
        [(approved["id"], "PlanAmended", "transfer"), (staff_plan["id"], "PlanAmended", "rater_change")]
    )
    revisions = svc.ok(svc.call("GET", f"/api/v1/plans/{approved['id']}/revisions", svc.admin))["items"]
    assert [r["kind"] for r in revisions] == ["approval", "transfer"]
    closed_audit = [a for a in svc.audit(entity_type="plan") if a["action"] == "plan.closed"]
    assert sorted(a["entity_id"] for a in closed_audit) == sorted([approved["id"], submitted["id"]])
    assert [a["after"]["cancelled_amendments"] for a in closed_audit if a["entity_id"] == approved["id"]] == [
        [amendment.get_json()["id"]]
    ]


def test_rater_cycles_are_refused_by_the_import_and_by_put(svc):
    # A rates B and B rates A: the dry run says invalid, on the line that closes the cycle.
    mutual = f"nip;nama;unit_id;nip_atasan\n{NEW_A};Dewi;bidang;{NEW_B}\n{NEW_B};Eka;bidang;{NEW_A}\n"
    report = svc.ok(do_import(svc, True, data=csv_file(mutual), content_type="multipart/form-data"))
    assert report["valid"] is False
    assert [(e["line"], e["field"], e["key"]) for e in report["errors"]] == [(3, "rater_nip", NEW_B)]
    assert "cycle" in report["errors"][0]["message"]
    body = assert_problem(do_import(svc, False, data=csv_file(mutual), content_type="multipart/form-data"), 422)
    assert [(e["line"], e["field"]) for e in body["errors"]] == [(3, "rater_nip")]
    assert svc.h.scalar("SELECT count(*) FROM employees WHERE nip IN (:a, :b)", a=NEW_A, b=NEW_B) == 0

    # Through the stored directory: HEAD rates RATER, RATER rates EMPLOYEE; making EMPLOYEE HEAD's rater closes a cycle.
    closing = f"nip;nama;unit_id;nip_atasan\n{HEAD};Kepala Dinas;dinas;{EMPLOYEE}\n"
    report = svc.ok(do_import(svc, True, data=csv_file(closing), content_type="multipart/form-data"))
    assert [(e["line"], e["field"]) for e in report["errors"]] == [(2, "rater_nip")]
    assert all(n in report["errors"][0]["message"] for n in (HEAD, RATER, EMPLOYEE))

    # The same through PUT /employees/{nip}: 422 naming rater_nip, nothing changed.
    got = svc.call("GET", f"/api/v1/employees/{HEAD}", svc.admin)
    body = {
        **{k: v for k, v in got.get_json().items() if k not in ("nip", "version", "updated_at")},
        "rater_nip": STAFF,
    }
    refused = svc.call(
        "PUT", f"/api/v1/employees/{HEAD}", svc.admin, json=body, headers={"If-Match": got.headers["ETag"]}
    )
    problem = assert_problem(refused, 422, "rater_nip")
    assert "cycle" in json.dumps(problem)
    assert svc.h.scalar("SELECT rater_nip FROM employees WHERE nip = :n", n=HEAD) is None
