"""The org directory's use cases on an in-memory database (no PostgreSQL, no broker): units, employees, transfers,
rater changes, acting heads (Plt., Plh.) and the import, each command with its events and audit rows and one
refusal; the queries with what they answer."""

from __future__ import annotations

from datetime import date

import pytest
from memory_org import ADMIN_ACTOR, approved_plan, org, refused, run, stale, upload
from plan_testkit import COLLEAGUE, EMPLOYEE, HEAD, OTHER_SUP, RATER, STAFF, org_document
from sqlalchemy import select

from kinerja_shared.errors import Conflict, Forbidden, InvalidField, NotFound, PreconditionFailed, Unprocessable
from kinerja_shared.testing.memory import actor
from plan_service.models import plans
from plan_service.use_cases import acting_heads, directory, imports

NEW = "199807072020121008"
PAGE = {"limit": 50, "cursor": None}


# -- the import ----------------------------------------------------------------------------------


def test_a_dry_run_says_what_would_change_and_writes_nothing():
    rt = org()
    document = {"employees": [{"nip": NEW, "name": "Dewi", "unit_id": "seksi", "rater_nip": EMPLOYEE}]}
    report, wrote = run(rt, imports.import_directory, ADMIN_ACTOR, upload(document))
    assert report["dry_run"] and report["valid"] and not report["applied"]
    assert report["changes"] == [
        {"section": "employees", "key": NEW, "line": 1, "action": "created", "changed": report["changes"][0]["changed"]}
    ]
    assert wrote == ([], [])
    refused(rt, Forbidden, imports.import_directory, actor(RATER, "supervisor"), upload(document))
    unreadable = refused(rt, InvalidField, imports.import_directory, ADMIN_ACTOR, lambda: (b"\xff", None, "text/csv"))
    assert unreadable.field == "file"


def test_an_import_writes_the_directory_with_its_events_and_audit_rows_or_nothing():
    rt = org()
    document = {"employees": [{"nip": NEW, "name": "Dewi", "unit_id": "seksi", "rater_nip": EMPLOYEE}]}
    report, (events, audit) = run(rt, imports.import_directory, ADMIN_ACTOR, upload(document), dry_run=False)
    assert report["applied"] and report["summary"]["employees"]["created"] == 1 and report["events_published"] == 1
    assert events == ["EmployeeUpserted"] and audit == ["employee.created", "directory.imported"]
    again, wrote = run(rt, imports.import_directory, ADMIN_ACTOR, upload(document), dry_run=False)
    assert again["summary"]["employees"]["unchanged"] == 1 and wrote == ([], ["directory.imported"])
    bad = {"employees": [{"nip": "123", "name": "X", "unit_id": "seksi"}]}
    problem = refused(rt, Unprocessable, imports.import_directory, ADMIN_ACTOR, upload(bad), dry_run=False)
    assert problem.errors[0]["field"] == "nip" and "nothing was imported" in problem.detail


# -- units ---------------------------------------------------------------------------------------


def test_put_unit_creates_a_unit_below_its_parent_for_an_admin_only():
    rt = org()
    body = {"name": "Subbagian Umum", "parent_id": "dinas", "head_nip": None}
    unit, (events, audit) = run(rt, directory.put_unit, ADMIN_ACTOR, "subbag", body)
    assert unit["path"] == ["dinas", "subbag"] and events == [] and audit == ["unit.created"]
    body = {"name": "Seksi Rujukan", "parent_id": "bidang", "head_nip": STAFF}
    renamed, (events, audit) = run(rt, directory.put_unit, ADMIN_ACTOR, "seksi", body)
    assert renamed["head_nip"] == STAFF and events == ["EmployeeUpserted"] and audit == ["unit.updated"]
    problem = refused(rt, Unprocessable, directory.put_unit, ADMIN_ACTOR, "x", {"name": "X", "parent_id": "nowhere"})
    assert problem.errors[0]["field"] == "parent_id"
    refused(rt, Forbidden, directory.put_unit, actor(HEAD, "supervisor"), "x", {"name": "X"})


def test_the_unit_queries():
    rt = org()
    with rt.unit_of_work() as uow:
        subtree = directory.list_units(uow, None, {**PAGE, "root": "bidang"})["items"]
        assert [u["id"] for u in subtree] == ["bidang", "seksi"]
        first = directory.list_units(uow, None, {**PAGE, "limit": 2})
        assert [u["id"] for u in first["items"]] == ["bidang", "dinas"] and first["next_cursor"]
        rest = directory.list_units(uow, None, {**PAGE, "cursor": first["next_cursor"]})
        assert [u["id"] for u in rest["items"]] == ["lain", "seksi"] and rest["next_cursor"] is None
        tree = directory.unit_tree(uow, None, "dinas")["items"][0]
        assert (tree["employees"], [c["id"] for c in tree["children"]]) == (2, ["bidang"])
        assert tree["children"][0]["employees"] == 3
        assert directory.get_unit(uow, None, "seksi")["parent_id"] == "bidang"
        with pytest.raises(NotFound):
            directory.unit_tree(uow, None, "nowhere")
        with pytest.raises(NotFound):
            directory.get_unit(uow, None, "nowhere")


# -- employees, transfers, rater changes -------------------------------------------------------------


def test_put_employee_creates_and_updates_with_employee_upserted():
    rt = org()
    body = {"name": "Dewi", "unit_id": "seksi", "rater_nip": EMPLOYEE, "effective_date": None, "change_reason": None}
    created, (events, audit) = run(rt, directory.put_employee, ADMIN_ACTOR, NEW, body)
    assert (created["version"], created["rater_superior_nip"]) == (1, RATER)
    assert events == ["EmployeeUpserted"] and audit == ["employee.created"]
    seen = []
    updated, (events, audit) = run(
        rt,
        directory.put_employee,
        ADMIN_ACTOR,
        NEW,
        {**body, "name": "Dewi Lestari"},
        check_version=lambda *key: seen.append(key),
    )
    assert seen == [(NEW, 1)] and updated["version"] == 2 and events == ["EmployeeUpserted"]
    assert audit == ["employee.updated"]
    refused(rt, PreconditionFailed, directory.put_employee, ADMIN_ACTOR, NEW, dict(body), check_version=stale)
    assert refused(rt, InvalidField, directory.put_employee, ADMIN_ACTOR, "12", dict(body)).field == "nip"
    refused(rt, Forbidden, directory.put_employee, actor(NEW, "employee"), NEW, dict(body))


def test_a_transfer_closes_the_plans_of_the_old_post_and_is_kept_in_the_history():
    rt = org()
    plan_id = approved_plan(rt)
    body = {"unit_id": "lain", "rater_nip": None, "effective_date": date(2026, 3, 1), "change_reason": "mutasi"}
    moved, (events, audit) = run(rt, directory.put_employee, ADMIN_ACTOR, EMPLOYEE, body)
    assert moved["unit_id"] == "lain"
    assert events == ["PlanAmended", "EmployeeUpserted"] and audit == ["plan.closed", "employee.updated"]
    with rt.engine.connect() as conn:
        plan = conn.execute(select(plans).where(plans.c.id == plan_id)).first()
    assert (plan.status, plan.period_end) == ("closed", date(2026, 2, 28))
    with rt.unit_of_work() as uow:
        history = directory.employee_history(uow, None, EMPLOYEE)["items"]
    assert {(h["field"], h["old_value"], h["new_value"]) for h in history} >= {("unit_id", "bidang", "lain")}
    problem = refused(rt, Unprocessable, directory.put_employee, ADMIN_ACTOR, COLLEAGUE, {**body, "unit_id": "nowhere"})
    assert problem.errors[0]["field"] == "unit_id"


def test_a_rater_change_hands_the_plans_in_force_to_the_new_rater():
    rt = org()
    plan_id = approved_plan(rt)
    body = {"rater_nip": OTHER_SUP, "effective_date": None, "change_reason": None}
    _, (events, audit) = run(rt, directory.put_employee, ADMIN_ACTOR, EMPLOYEE, body)
    assert events == ["PlanAmended", "EmployeeUpserted"] and audit == ["plan.rater_changed", "employee.updated"]
    with rt.engine.connect() as conn:
        assert conn.execute(select(plans.c.rater_nip).where(plans.c.id == plan_id)).scalar() == OTHER_SUP
    problem = refused(rt, Unprocessable, directory.put_employee, ADMIN_ACTOR, EMPLOYEE, {**body, "rater_nip": STAFF})
    assert "cycle" in problem.errors[0]["message"]  # STAFF is rated by EMPLOYEE


def test_the_employee_queries():
    rt = org()
    with rt.unit_of_work() as uow:
        page = directory.list_employees(uow, None, {**PAGE, "unit_id": "bidang", "include_subunits": True})
        assert {e["nip"] for e in page["items"]} == {RATER, EMPLOYEE, COLLEAGUE, STAFF}
        found = directory.list_employees(uow, None, {**PAGE, "q": "siti", "include_subunits": False})
        assert [e["nip"] for e in found["items"]] == [COLLEAGUE]
        assert directory.list_employees(uow, None, {**PAGE, "rater_nip": HEAD})["items"][0]["nip"] == RATER
        assert directory.get_employee(uow, None, EMPLOYEE)["version"] == 1
        assert directory.employee_history(uow, None, EMPLOYEE) == {"items": []}
        with pytest.raises(NotFound):
            directory.get_employee(uow, None, NEW)
        with pytest.raises(NotFound):
            directory.employee_history(uow, None, NEW)


# -- acting heads (Plt., Plh.) ---------------------------------------------------------------------

PLT = {
    "nip": EMPLOYEE,
    "kind": "plt",
    "valid_from": date(2026, 3, 1),
    "valid_to": None,
    "decree_number": "800/1",
    "reason": "Kepala seksi kosong",
}


def test_assigning_an_acting_head_publishes_unit_head_assigned():
    rt = org()
    out, (events, audit) = run(rt, acting_heads.assign_acting_head, ADMIN_ACTOR, "seksi", dict(PLT))
    assert (out["version"], out["name"], out["acting_today"]) == (1, "Andi Pratama", True)
    assert events == ["UnitHeadAssigned"] and audit == ["acting_head.created"]
    problem = refused(
        rt, Unprocessable, acting_heads.assign_acting_head, ADMIN_ACTOR, "bidang", {**PLT, "nip": COLLEAGUE}
    )
    assert problem.errors[0]["field"] == "kind"  # bidang has a definitive head: a Plh. only
    refused(rt, NotFound, acting_heads.assign_acting_head, ADMIN_ACTOR, "nowhere", dict(PLT))
    refused(rt, Forbidden, acting_heads.assign_acting_head, actor(HEAD, "supervisor"), "seksi", dict(PLT))


def test_changing_an_acting_head_checks_the_version_and_the_rules():
    rt = org()
    with rt.unit_of_work() as uow:
        assignment = acting_heads.assign_acting_head(uow, ADMIN_ACTOR, "seksi", dict(PLT))["id"]
    out, (events, audit) = run(
        rt, acting_heads.change_acting_head, ADMIN_ACTOR, "seksi", assignment, {"valid_to": date(2026, 6, 30)}
    )
    assert (out["valid_to"], out["version"]) == (date(2026, 6, 30), 2)
    assert events == ["UnitHeadAssigned"] and audit == ["acting_head.updated"]
    same, wrote = run(
        rt, acting_heads.change_acting_head, ADMIN_ACTOR, "seksi", assignment, {"valid_to": date(2026, 6, 30)}
    )
    assert same["version"] == 2 and wrote == ([], [])
    refused(
        rt,
        PreconditionFailed,
        acting_heads.change_acting_head,
        ADMIN_ACTOR,
        "seksi",
        assignment,
        {},
        check_version=stale,
    )
    problem = refused(
        rt,
        Unprocessable,
        acting_heads.change_acting_head,
        ADMIN_ACTOR,
        "seksi",
        assignment,
        {"valid_to": date(2026, 2, 1)},
    )
    assert problem.errors[0]["field"] == "valid_to"


def test_revoking_an_acting_head_keeps_the_row_and_refuses_twice():
    rt = org()
    with rt.unit_of_work() as uow:
        assignment = acting_heads.assign_acting_head(uow, ADMIN_ACTOR, "seksi", dict(PLT))["id"]
    out, (events, audit) = run(rt, acting_heads.revoke_acting_head, ADMIN_ACTOR, "seksi", assignment, reason="selesai")
    assert (out["status"], out["acting_today"]) == ("revoked", False)
    assert events == ["UnitHeadAssigned"] and audit == ["acting_head.revoked"]
    refused(rt, Conflict, acting_heads.revoke_acting_head, ADMIN_ACTOR, "seksi", assignment)
    refused(rt, Conflict, acting_heads.change_acting_head, ADMIN_ACTOR, "seksi", assignment, {"reason": "x"})
    with rt.unit_of_work() as uow:
        assert [a["status"] for a in acting_heads.list_acting_heads(uow, None, "seksi")["items"]] == ["revoked"]
        assert acting_heads.get_acting_head(uow, None, "seksi", assignment)["version"] == 2
        with pytest.raises(NotFound):
            acting_heads.get_acting_head(uow, None, "bidang", assignment)
        with pytest.raises(NotFound):
            acting_heads.list_acting_heads(uow, None, "nowhere")


def test_the_import_carries_acting_heads_too():
    rt = org()
    document = {**org_document(), "acting_heads": [{**PLT, "unit_id": "seksi", "valid_from": "2026-03-01"}]}
    report, (events, audit) = run(rt, imports.import_directory, ADMIN_ACTOR, upload(document), dry_run=False)
    assert report["summary"]["acting_heads"]["created"] == 1
    assert events == ["UnitHeadAssigned"] and audit == ["acting_head.created", "directory.imported"]
