"""Action plans' use cases on an in-memory database (no PostgreSQL, no broker): the owner's actions (add, change,
remove), submit, agree (ActionPlanAgreed), return, amend, what a plan amendment drops, and the queries; each
command with its audit rows and events and one refusal."""

from __future__ import annotations

import pytest
from memory_org import approved_plan, content, org, refused, run, stale
from plan_testkit import COLLEAGUE, EMPLOYEE, HEAD, OUTSIDER, RATER
from sqlalchemy import select, update

from kinerja_shared.errors import (
    Conflict,
    Forbidden,
    InvalidField,
    InvalidTransition,
    NotFound,
    PreconditionFailed,
    Unprocessable,
)
from kinerja_shared.testing.memory import actor
from plan_service import action_plans_store
from plan_service.models import plans
from plan_service.use_cases import action_plans as uc

OWNER, RATER_ACTOR = actor(EMPLOYEE, "employee"), actor(RATER, "supervisor")
ACTION = {
    "indicator_id": "i1",
    "result_id": None,
    "period": "2026-03",
    "text": "Menyusun laporan",
    "target_value": 1,
    "target_unit": None,
}
PAGE = {"limit": 50, "cursor": None, "set": "working"}


def with_plan(**columns):
    rt = org()
    return rt, approved_plan(rt, **columns)


def proposed(rt, plan_id, *bodies) -> list[str]:
    with rt.unit_of_work() as uow:
        ids = [uc.add_action(uow, OWNER, plan_id, {**ACTION, **b})["action_id"] for b in (bodies or ({},))]
        uc.submit_action_plan(uow, OWNER, plan_id)
    return ids


def agreed(rt, plan_id, *bodies) -> list[str]:
    ids = proposed(rt, plan_id, *bodies)
    with rt.unit_of_work() as uow:
        uc.agree_action_plan(uow, RATER_ACTOR, plan_id)
    return ids


# -- proposing (the owner) ----------------------------------------------------------------------


def test_the_owner_adds_an_action_to_the_draft_set():
    rt, plan_id = with_plan()
    out, (events, audit) = run(rt, uc.add_action, OWNER, plan_id, dict(ACTION))
    assert (out["result_id"], out["target_unit"], out["version"]) == ("r1", "laporan", 1)
    assert events == [] and audit == ["action_plan.action_added"]
    refused(rt, Forbidden, uc.add_action, RATER_ACTOR, plan_id, dict(ACTION))
    refused(rt, NotFound, uc.add_action, actor(OUTSIDER, "employee"), plan_id, dict(ACTION))
    problem = refused(rt, Unprocessable, uc.add_action, OWNER, plan_id, {**ACTION, "period": "2027-01"})
    assert problem.errors[0]["field"] == "period"


def test_actions_are_made_for_an_approved_plan_only():
    rt, plan_id = with_plan(status="submitted")
    problem = refused(rt, Conflict, uc.add_action, OWNER, plan_id, dict(ACTION))
    assert problem.extensions["current_status"] == "submitted"


def test_the_owner_changes_an_action_with_its_version():
    rt, plan_id = with_plan()
    with rt.unit_of_work() as uow:
        action_id = uc.add_action(uow, OWNER, plan_id, dict(ACTION))["action_id"]
    seen = []
    out, (events, audit) = run(
        rt,
        uc.change_action,
        OWNER,
        plan_id,
        action_id,
        {"indicator_id": "i2"},
        check_version=lambda *key: seen.append(key),
    )
    assert seen == [(action_id, 1)] and (out["result_id"], out["version"]) == ("r2", 2)
    assert events == [] and audit == ["action_plan.action_changed"]
    refused(rt, PreconditionFailed, uc.change_action, OWNER, plan_id, action_id, {"text": "x"}, check_version=stale)
    assert refused(rt, InvalidField, uc.change_action, OWNER, plan_id, action_id, {}).field == "(body)"
    refused(rt, NotFound, uc.change_action, OWNER, plan_id, "no-such-action", {"text": "x"})


def test_the_owner_removes_an_action_while_the_set_is_a_draft():
    rt, plan_id = with_plan()
    (action_id,) = proposed(rt, plan_id)
    refused(rt, InvalidTransition, uc.remove_action, OWNER, plan_id, action_id)  # submitted: no longer a draft
    with rt.unit_of_work() as uow:
        uc.return_action_plan(uow, RATER_ACTOR, plan_id, "Kurang rinci")
    out, (events, audit) = run(rt, uc.remove_action, OWNER, plan_id, action_id)
    assert out is None and events == [] and audit == ["action_plan.action_removed"]


def test_submitting_proposes_the_set_to_the_rater():
    rt, plan_id = with_plan()
    assert refused(rt, InvalidField, uc.submit_action_plan, OWNER, plan_id).field == "actions"
    with rt.unit_of_work() as uow:
        uc.add_action(uow, OWNER, plan_id, dict(ACTION))
    refused(rt, Forbidden, uc.submit_action_plan, RATER_ACTOR, plan_id)
    out, (events, audit) = run(rt, uc.submit_action_plan, OWNER, plan_id)
    assert (out["status"], out["version"], len(out["actions"])) == ("submitted", 3, 1)
    assert events == [] and audit == ["action_plan.submitted"]
    refused(rt, PreconditionFailed, uc.submit_action_plan, OWNER, plan_id, check_version=stale)


# -- agreeing (the rater) ------------------------------------------------------------------------


def test_the_rater_agrees_the_whole_set_and_action_plan_agreed_is_published():
    rt, plan_id = with_plan()
    proposed(rt, plan_id, {}, {"indicator_id": "i2", "period": "2026-Q2"})
    refused(rt, Forbidden, uc.agree_action_plan, OWNER, plan_id)
    out, (events, audit) = run(rt, uc.agree_action_plan, RATER_ACTOR, plan_id)
    assert (out["status"], out["agreed_version"], out["agreed_by"]) == ("agreed", 1, RATER)
    assert len(out["agreed_actions"]) == 2
    assert events == ["ActionPlanAgreed"] and audit == ["action_plan.agreed"]
    refusal = refused(rt, InvalidTransition, uc.agree_action_plan, RATER_ACTOR, plan_id)
    assert refusal.status == 409 and "cannot agree a action plan that is agreed" in refusal.detail
    assert refusal.title == "Status does not allow this" and refusal.extensions["current_status"] == "agreed"


def test_the_rater_returns_the_set_with_a_reason():
    rt, plan_id = with_plan()
    refused(rt, InvalidTransition, uc.return_action_plan, RATER_ACTOR, plan_id, "Belum diajukan")  # nothing submitted
    proposed(rt, plan_id)
    refused(rt, Forbidden, uc.return_action_plan, OWNER, plan_id, "x")
    out, (events, audit) = run(rt, uc.return_action_plan, RATER_ACTOR, plan_id, "Kurang rinci")
    assert (out["status"], out["return_reason"]) == ("draft", "Kurang rinci")
    assert events == [] and audit == ["action_plan.returned"]


def test_the_owner_amends_an_agreed_set_which_stays_in_force_until_agreed_again():
    rt, plan_id = with_plan()
    proposed(rt, plan_id)
    refused(rt, InvalidTransition, uc.amend_action_plan, OWNER, plan_id, "Perubahan")  # submitted, not agreed
    with rt.unit_of_work() as uow:
        uc.agree_action_plan(uow, RATER_ACTOR, plan_id)
    out, (events, audit) = run(rt, uc.amend_action_plan, OWNER, plan_id, "Target berubah")
    assert (out["status"], out["amending"], out["agreed_version"], len(out["agreed_actions"])) == ("draft", True, 1, 1)
    assert events == [] and audit == ["action_plan.amendment_opened"]
    with rt.unit_of_work() as uow:
        uc.submit_action_plan(uow, OWNER, plan_id)
    again, (events, _) = run(rt, uc.agree_action_plan, RATER_ACTOR, plan_id)
    assert (again["agreed_version"], again["amendment_reason"]) == (2, None) and events == ["ActionPlanAgreed"]


# -- a plan amendment ------------------------------------------------------------------------------


def test_a_plan_amendment_drops_the_actions_on_a_removed_indicator():
    rt, plan_id = with_plan()
    agreed(rt, plan_id, {}, {"indicator_id": "i2"})
    with rt.engine.begin() as conn:
        conn.execute(update(plans).where(plans.c.id == plan_id).values(content=content(("r1", "i1")), revision=2))
        plan = conn.execute(select(plans).where(plans.c.id == plan_id)).first()
    dropped, (events, audit) = run(rt, uc.drop_invalid_actions, OWNER, plan)
    assert [a["indicator_id"] for a in dropped] == ["i2"]
    assert events == ["ActionPlanAgreed"] and audit == ["action_plan.dropped"]
    with rt.unit_of_work() as uow:
        versions = uc.list_versions(uow, OWNER, plan_id)["items"]
        assert [(v["version"], v["kind"], len(v["actions"])) for v in versions] == [
            (1, "agreement", 2),
            (2, "plan_amendment", 1),
        ]
    nothing, wrote = run(rt, uc.drop_invalid_actions, OWNER, plan)
    assert nothing == [] and wrote == ([], [])
    with rt.engine.begin() as conn:  # plans_api's call, inside its own transaction
        assert action_plans_store.on_plan_amended(conn, plan, actor=OWNER, now=None) == []


# -- reading -----------------------------------------------------------------------------------


def test_the_readers_of_the_plan_read_its_action_plans():
    rt, plan_id = with_plan()
    first, second = agreed(rt, plan_id, {}, {"indicator_id": "i2", "period": "2026-04"})
    with rt.unit_of_work() as uow:
        for reader in (OWNER, RATER_ACTOR, actor(HEAD, "supervisor")):
            assert uc.get_action_plan(uow, reader, plan_id)["status"] == "agreed"
        with pytest.raises(NotFound):
            uc.get_action_plan(uow, actor(COLLEAGUE, "employee"), plan_id)
        page = uc.list_actions(uow, OWNER, plan_id, {**PAGE, "limit": 1})
        assert [a["action_id"] for a in page["items"]] == [first] and page["next_cursor"]
        rest = uc.list_actions(uow, OWNER, plan_id, {**PAGE, "set": "agreed", "cursor": page["next_cursor"]})
        assert [a["action_id"] for a in rest["items"]] == [second] and rest["next_cursor"] is None
        assert uc.list_actions(uow, OWNER, plan_id, {**PAGE, "period": "2026-04"})["items"][0]["action_id"] == second
        assert uc.get_action(uow, OWNER, plan_id, first)["version"] == 1
        with pytest.raises(NotFound):
            uc.get_action(uow, OWNER, plan_id, "no-such-action")
        assert uc.get_action_plan(uow, OWNER, plan_id)["periods"]["quarters"] == [
            "2026-Q1",
            "2026-Q2",
            "2026-Q3",
            "2026-Q4",
        ]


def test_the_list_of_action_plans_holds_what_the_caller_may_see():
    rt, plan_id = with_plan()
    proposed(rt, plan_id)
    query = {"limit": 50, "cursor": None, "status": "submitted"}
    with rt.unit_of_work() as uow:
        mine = uc.list_action_plans(uow, RATER_ACTOR, {**query, "rater_nip": RATER})["items"]
        assert [(p["plan_id"], p["name"], p["actions"]) for p in mine] == [(plan_id, "Andi Pratama", 1)]
        assert uc.list_action_plans(uow, actor(OUTSIDER, "supervisor"), query)["items"] == []
        assert len(uc.list_action_plans(uow, actor("197001011995031001", "admin"), query)["items"]) == 1
        with pytest.raises(InvalidField):
            uc.list_action_plans(uow, OWNER, {**query, "cursor": "AA"})  # a NUL: not a cursor this service gave
