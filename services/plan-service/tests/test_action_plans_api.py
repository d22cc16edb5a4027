"""Action plans (rencana aksi) over HTTP against PostgreSQL: the employee proposes actions per result and period,
edits them with If-Match, submits; the rater agrees (ActionPlanAgreed with the whole set) or returns with a
reason; an agreed set changes only by a recorded amendment (version + 1, history kept); a plan amendment that
removes an indicator drops its actions; who may do what."""

import base64
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from plan_testkit import COLLEAGUE, EMPLOYEE, HEAD, OUTSIDER, RATER, YEAR, assert_problem, result  # noqa: E402


def approved_plan(svc):
    plan = svc.approved(
        results=[
            result("Laporan pelayanan tersusun", target=12, unit="laporan"),
            result("Rujukan terlayani", kind="additional", target=120, unit="pasien"),
        ]
    )
    return plan


def ids(plan, n=0):
    r = plan["results"][n]
    return r["result_id"], r["indicators"][0]["indicator_id"]


def add(svc, plan, n=0, period=f"{YEAR}-03", text="Menyusun laporan bulanan", target=1, who=None, **extra):
    _, indicator = ids(plan, n)
    body = {"indicator_id": indicator, "period": period, "text": text, "target_value": target, **extra}
    return svc.call("POST", f"/api/v1/plans/{plan['id']}/actions", who or svc.as_(EMPLOYEE), json=body)


def action_plan(svc, plan_id, who=None):
    return svc.call("GET", f"/api/v1/plans/{plan_id}/action-plan", who or svc.as_(EMPLOYEE))


def step(svc, plan_id, what, who, **kw):
    return svc.call("POST", f"/api/v1/plans/{plan_id}/action-plan/{what}", who, **kw)


def test_propose_edit_submit_agree_publishes_the_whole_set(svc):
    plan = approved_plan(svc)
    result_id, indicator_id = ids(plan)
    created = add(svc, plan, target=1)
    assert created.status_code == 201, created.get_json()
    action = created.get_json()
    assert (
        action["result_id"],
        action["indicator_id"],
        action["period"],
        action["target_value"],
        action["target_unit"],
    ) == (result_id, indicator_id, f"{YEAR}-03", 1, "laporan")
    assert created.headers["ETag"] == f'"{action["action_id"]}.1"'
    quarterly = svc.ok(add(svc, plan, 1, period=f"{YEAR}-Q2", text="Melayani rujukan", target=30), 201)
    path = f"/api/v1/plans/{plan['id']}/actions/{action['action_id']}"

    # edits need If-Match: 428 without it, 412 when stale, 200 with the current ETag
    assert_problem(svc.call("PATCH", path, svc.as_(EMPLOYEE), json={"target_value": 2}), 428)
    assert_problem(
        svc.call(
            "PATCH",
            path,
            svc.as_(EMPLOYEE),
            json={"target_value": 2},
            headers={"If-Match": f'"{action["action_id"]}.7"'},
        ),
        412,
    )
    edited = svc.call(
        "PATCH",
        path,
        svc.as_(EMPLOYEE),
        json={"target_value": 2, "text": "Menyusun dua laporan"},
        headers={"If-Match": created.headers["ETag"]},
    )
    assert (
        edited.status_code == 200 and edited.get_json()["target_value"] == 2 and edited.headers["ETag"].endswith('.2"')
    )

    draft = svc.ok(action_plan(svc, plan["id"]))
    assert draft["status"] == "draft" and draft["agreed_version"] == 0 and len(draft["actions"]) == 2
    assert f"{YEAR}-03" in draft["periods"]["months"] and f"{YEAR}-Q4" in draft["periods"]["quarters"]
    assert svc.events("ActionPlanAgreed") == []

    submitted = step(svc, plan["id"], "submit", svc.as_(EMPLOYEE))
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"
    # a submitted set is no longer edited
    assert_problem(add(svc, plan, text="Terlambat"), 409)
    agreed = step(svc, plan["id"], "agree", svc.as_(RATER, "supervisor"))
    assert agreed.status_code == 200, agreed.get_json()
    body = agreed.get_json()
    assert (body["status"], body["agreed_version"], body["agreed_by"]) == ("agreed", 1, RATER)
    assert {a["action_id"] for a in body["agreed_actions"]} == {action["action_id"], quarterly["action_id"]}
    [event] = svc.events("ActionPlanAgreed")  # validated against its schema by the kit
    data = event["data"]
    assert (
        data["plan_id"],
        data["nip"],
        data["rater_nip"],
        data["version"],
        data["plan_revision"],
        data["agreed_by"],
    ) == (plan["id"], EMPLOYEE, RATER, 1, 1, RATER)
    assert sorted((a["period"], a["target_value"], a["target_unit"]) for a in data["actions"]) == [
        (f"{YEAR}-03", 2, "laporan"),
        (f"{YEAR}-Q2", 30, "pasien"),
    ]
    assert event["partitionkey"] == EMPLOYEE
    actions = [
        a["action"]
        for a in svc.audit(entity_type="plan", entity_id=plan["id"])
        if a["action"].startswith("action_plan.")
    ]
    assert {
        "action_plan.action_added",
        "action_plan.action_changed",
        "action_plan.submitted",
        "action_plan.agreed",
    } <= set(actions)


def test_return_with_a_reason_then_agree(svc):
    plan = approved_plan(svc)
    svc.ok(add(svc, plan), 201)
    svc.ok(step(svc, plan["id"], "submit", svc.as_(EMPLOYEE)))
    assert_problem(step(svc, plan["id"], "return", svc.as_(RATER, "supervisor"), json={}), 422, "reason")
    returned = svc.ok(
        step(svc, plan["id"], "return", svc.as_(RATER, "supervisor"), json={"reason": "Target terlalu kecil"})
    )
    assert (returned["status"], returned["return_reason"]) == ("draft", "Target terlalu kecil")
    assert_problem(step(svc, plan["id"], "agree", svc.as_(RATER, "supervisor")), 409)
    svc.ok(add(svc, plan, period=f"{YEAR}-04", target=2), 201)
    svc.ok(step(svc, plan["id"], "submit", svc.as_(EMPLOYEE)))
    agreed = svc.ok(step(svc, plan["id"], "agree", svc.as_(RATER, "supervisor")))
    assert agreed["agreed_version"] == 1 and agreed["return_reason"] is None and len(agreed["agreed_actions"]) == 2


def test_an_amendment_needs_a_reason_keeps_the_history_and_is_agreed_again(svc):
    plan = approved_plan(svc)
    first = svc.ok(add(svc, plan, target=1), 201)
    svc.ok(step(svc, plan["id"], "submit", svc.as_(EMPLOYEE)))
    agreed = svc.call("POST", f"/api/v1/plans/{plan['id']}/action-plan/agree", svc.as_(RATER, "supervisor"))
    # an agreed set is not edited directly
    assert_problem(add(svc, plan, text="Tambahan"), 409)
    assert_problem(step(svc, plan["id"], "amend", svc.as_(EMPLOYEE), json={}), 422, "reason")
    assert_problem(
        step(svc, plan["id"], "amend", svc.as_(EMPLOYEE), json={"reason": "x"}, headers={"If-Match": '"stale.1"'}), 412
    )
    opened = step(
        svc,
        plan["id"],
        "amend",
        svc.as_(EMPLOYEE),
        json={"reason": "Tugas tambahan dari kepala"},
        headers={"If-Match": agreed.headers["ETag"]},
    )
    assert opened.status_code == 200, opened.get_json()
    body = opened.get_json()
    assert (body["status"], body["amending"], body["agreed_version"], body["amendment_reason"]) == (
        "draft",
        True,
        1,
        "Tugas tambahan dari kepala",
    )
    assert [a["action_id"] for a in body["agreed_actions"]] == [first["action_id"]]  # still in force
    svc.ok(add(svc, plan, period=f"{YEAR}-05", text="Laporan tambahan", target=3), 201)
    svc.ok(step(svc, plan["id"], "submit", svc.as_(EMPLOYEE)))
    again = svc.ok(step(svc, plan["id"], "agree", svc.as_(RATER, "supervisor")))
    assert (again["agreed_version"], again["amending"], len(again["agreed_actions"])) == (2, False, 2)
    history = svc.ok(svc.call("GET", f"/api/v1/plans/{plan['id']}/action-plan/versions", svc.as_(RATER, "supervisor")))
    assert [(v["version"], v["kind"], len(v["actions"]), v["amendment_reason"]) for v in history["items"]] == [
        (1, "agreement", 1, None),
        (2, "agreement", 2, "Tugas tambahan dari kepala"),
    ]
    events = svc.events("ActionPlanAgreed")
    assert [(e["data"]["version"], len(e["data"]["actions"]), e["data"]["amendment_reason"]) for e in events] == [
        (1, 1, None),
        (2, 2, "Tugas tambahan dari kepala"),
    ]


def test_rules_of_one_action(svc):
    plan = approved_plan(svc)
    result_other, _ = ids(plan, 1)
    assert "laporan" in assert_problem(add(svc, plan, target_unit="pasien"), 422, "target_unit")["errors"][0]["message"]
    assert add(svc, plan, target_unit="Laporan").status_code == 201  # the same unit, written otherwise
    assert_problem(add(svc, plan, period=f"{YEAR + 1}-01"), 422, "period")
    assert_problem(add(svc, plan, period=f"{YEAR}-13"), 422, "period")
    assert_problem(add(svc, plan, period=f"{YEAR}-Q5"), 422, "period")
    assert_problem(add(svc, plan, period="0000-01"), 422, "period")
    assert_problem(add(svc, plan, period="9999-12"), 422, "period")
    assert_problem(add(svc, plan, target=None), 422, "target_value")
    assert_problem(add(svc, plan, target=-1), 422, "target_value")
    assert_problem(add(svc, plan, result_id=result_other), 422, "result_id")
    assert_problem(
        svc.call(
            "POST",
            f"/api/v1/plans/{plan['id']}/actions",
            svc.as_(EMPLOYEE),
            json={"indicator_id": "nope", "period": f"{YEAR}-03", "text": "x", "target_value": 1},
        ),
        422,
        "indicator_id",
    )
    assert_problem(add(svc, plan, text="   "), 422, "text")
    # nothing to propose: the submission names the field
    empty = svc.approved(nip=COLLEAGUE)
    assert_problem(step(svc, empty["id"], "submit", svc.as_(COLLEAGUE)), 422, "actions")
    # a draft plan has no action plans yet
    draft = svc.draft(nip=OUTSIDER)
    assert_problem(
        svc.call(
            "POST",
            f"/api/v1/plans/{draft['id']}/actions",
            svc.as_(OUTSIDER),
            json={
                "indicator_id": draft["results"][0]["indicators"][0]["indicator_id"],
                "period": f"{YEAR}-03",
                "text": "x",
                "target_value": 1,
            },
        ),
        409,
    )


def test_list_is_paged_and_filtered_by_period(svc):
    plan = approved_plan(svc)
    for month in ("01", "02", "02", "03"):
        svc.ok(add(svc, plan, period=f"{YEAR}-{month}", text=f"Aksi {month}"), 201)
    path = f"/api/v1/plans/{plan['id']}/actions"
    page = svc.ok(svc.call("GET", f"{path}?limit=3", svc.as_(EMPLOYEE)))
    assert [a["period"] for a in page["items"]] == [f"{YEAR}-01", f"{YEAR}-02", f"{YEAR}-02"] and page["next_cursor"]
    rest = svc.ok(svc.call("GET", f"{path}?limit=3&cursor={page['next_cursor']}", svc.as_(EMPLOYEE)))
    assert [a["period"] for a in rest["items"]] == [f"{YEAR}-03"] and rest["next_cursor"] is None
    february = svc.ok(svc.call("GET", f"{path}?period={YEAR}-02", svc.as_(EMPLOYEE)))
    assert len(february["items"]) == 2
    assert_problem(svc.call("GET", f"{path}?period=March", svc.as_(EMPLOYEE)), 422, "period")
    nul = base64.urlsafe_b64encode(b"2026-01|\x00").decode().rstrip("=")
    assert_problem(svc.call("GET", f"{path}?cursor={nul}", svc.as_(EMPLOYEE)), 400, "cursor")
    assert_problem(svc.call("GET", f"/api/v1/plans/action-plans?cursor={nul}", svc.as_(EMPLOYEE)), 400, "cursor")
    assert svc.ok(svc.call("GET", f"{path}?set=agreed", svc.as_(EMPLOYEE)))["items"] == []
    # the rater's inbox: the sets waiting for agreement
    svc.ok(step(svc, plan["id"], "submit", svc.as_(EMPLOYEE)))
    inbox = svc.ok(
        svc.call("GET", f"/api/v1/plans/action-plans?rater_nip={RATER}&status=submitted", svc.as_(RATER, "supervisor"))
    )
    assert [(i["plan_id"], i["nip"], i["actions"], i["name"]) for i in inbox["items"]] == [
        (plan["id"], EMPLOYEE, 4, "Andi Pratama")
    ]
    assert svc.ok(svc.call("GET", "/api/v1/plans/action-plans", svc.as_(OUTSIDER, "unit_head")))["items"] == []


def test_who_may_do_what(svc):
    plan = approved_plan(svc)
    action = svc.ok(add(svc, plan), 201)
    rater = svc.as_(RATER, "supervisor")
    assert add(svc, plan, who=rater).status_code == 403  # the rater does not propose
    assert add(svc, plan, who=svc.as_(COLLEAGUE)).status_code == 404  # a colleague does not see the plan
    assert action_plan(svc, plan["id"], svc.as_(HEAD, "unit_head")).status_code == 200  # the head reads
    assert action_plan(svc, plan["id"], svc.as_(OUTSIDER, "unit_head")).status_code == 404
    svc.ok(step(svc, plan["id"], "submit", svc.as_(EMPLOYEE)))
    assert step(svc, plan["id"], "agree", svc.as_(EMPLOYEE)).status_code == 403  # nobody agrees their own
    assert step(svc, plan["id"], "agree", svc.as_(HEAD, "unit_head")).status_code == 403
    assert step(svc, plan["id"], "agree", svc.admin).status_code == 200
    path = f"/api/v1/plans/{plan['id']}/actions/{action['action_id']}"
    assert svc.call("DELETE", path, svc.as_(EMPLOYEE), headers={"If-Match": "*"}).status_code == 409  # agreed: amend


def test_a_plan_amendment_that_removes_an_indicator_drops_its_actions(svc):
    plan = approved_plan(svc)
    keep = svc.ok(add(svc, plan, 0, target=1), 201)
    gone = svc.ok(add(svc, plan, 1, period=f"{YEAR}-Q1", text="Melayani rujukan", target=30), 201)
    svc.ok(step(svc, plan["id"], "submit", svc.as_(EMPLOYEE)))
    svc.ok(step(svc, plan["id"], "agree", svc.as_(RATER, "supervisor")))
    body = {k: plan[k] for k in ("approach", "model", "behaviours", "attachments")}
    body.update(results=[plan["results"][0]], reason="Rujukan dialihkan ke seksi lain")
    amendment = svc.ok(svc.call("POST", f"/api/v1/plans/{plan['id']}/amendments", svc.as_(EMPLOYEE), json=body), 201)
    svc.ok(
        svc.call(
            "POST",
            f"/api/v1/plans/{plan['id']}/amendments/{amendment['id']}/approve",
            svc.as_(RATER, "supervisor"),
            json={},
        )
    )
    state = svc.ok(action_plan(svc, plan["id"]))
    assert [a["action_id"] for a in state["actions"]] == [keep["action_id"]]
    assert [a["action_id"] for a in state["agreed_actions"]] == [keep["action_id"]]
    assert [a["action_id"] for a in state["dropped"]] == [gone["action_id"]]  # the employee is told
    assert (state["agreed_version"], state["plan_revision"]) == (2, 2)
    last = svc.events("ActionPlanAgreed")[-1]["data"]
    assert (last["version"], last["plan_revision"], [a["action_id"] for a in last["actions"]]) == (
        2,
        2,
        [keep["action_id"]],
    )
    assert "revisi 2" in last["amendment_reason"]
