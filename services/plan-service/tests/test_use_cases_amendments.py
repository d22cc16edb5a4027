"""Amendments and the plan queries (lists, revisions, cascade, supportable results, completion) as use cases
on an in-memory database: events, audit rows, and one refusal each."""

import sys
from pathlib import Path

import pytest

from kinerja_shared.errors import Conflict, Forbidden, InvalidField, InvalidTransition, NotFound
from plan_service.config import PlanConfig
from plan_service.use_cases import amendments, plan_queries, plans

sys.path.insert(0, str(Path(__file__).parent))
from use_case_kit import (  # noqa: E402
    COLLEAGUE,
    EMPLOYEE,
    HEAD,
    OUTSIDER,
    RATER,
    STAFF,
    YEAR,
    actions,
    admin,
    body,
    org,
    person,
    result,
    run,
    types,
)


@pytest.fixture
def rt():
    return org()


def approved(rt, nip=EMPLOYEE, **kw):
    plan = run(rt, plans.create_plan, person(nip), body(**kw))[0]
    run(rt, plans.submit_plan, person(nip), plan.id)
    return run(rt, plans.approve_plan, person(plan.rater_nip), plan.id)[0]


def proposal(plan, text="Laporan diperbarui"):
    kept = dict(plan.content["results"][0], text=text)
    return {**body(results=[kept]), "reason": "Tugas baru dari pimpinan"}


def proposed(rt, plan, nip=EMPLOYEE):
    return run(rt, amendments.propose_amendment, person(nip), plan.id, proposal(plan))[0]


def test_propose_amendment_keeps_the_plan_in_force_and_audits_the_proposal(rt):
    plan = approved(rt)
    amendment, uow = run(rt, amendments.propose_amendment, person(EMPLOYEE), plan.id, proposal(plan))
    assert (amendment.status, amendment.base_revision, amendment.proposed_by) == ("proposed", 1, EMPLOYEE)
    assert actions(uow) == ["plan.amendment_proposed"] and types(uow) == []


def test_propose_amendment_refuses_a_draft_and_a_second_pending_one(rt):
    draft = run(rt, plans.create_plan, person(COLLEAGUE), body())[0]
    with pytest.raises(InvalidTransition, match="cannot amend a plan that is draft"):
        run(rt, amendments.propose_amendment, person(COLLEAGUE), draft.id, proposal(draft))
    plan = approved(rt)
    proposed(rt, plan)
    with pytest.raises(Conflict, match="already pending"):
        run(rt, amendments.propose_amendment, person(RATER), plan.id, proposal(plan))


def test_approve_amendment_makes_the_next_revision_and_publishes_plan_amended(rt):
    plan = approved(rt)
    amendment = proposed(rt, plan)
    (decided, updated), uow = run(rt, amendments.approve_amendment, person(RATER), plan.id, amendment.id, "Setuju")
    assert (decided.status, decided.resulting_revision, updated.revision) == ("approved", 2, 2)
    assert updated.content["results"][0]["text"] == "Laporan diperbarui"
    assert types(uow) == ["PlanAmended"] and uow.published[0]["data"]["amendment_id"] == amendment.id
    assert actions(uow) == ["plan.amended"]
    revisions = run(rt, plan_queries.list_revisions, person(HEAD), plan.id)[0]
    assert [(r.revision, r.kind) for r in revisions] == [(1, "approval"), (2, "amendment")]


def test_approve_amendment_refuses_the_owner(rt):
    plan = approved(rt)
    amendment = proposed(rt, plan)
    with pytest.raises(Forbidden, match="rater"):
        run(rt, amendments.approve_amendment, person(EMPLOYEE), plan.id, amendment.id)


def test_reject_amendment_leaves_the_plan_as_it_is(rt):
    plan = approved(rt)
    amendment = proposed(rt, plan)
    decided, uow = run(rt, amendments.reject_amendment, person(RATER), plan.id, amendment.id, "Belum perlu")
    assert (decided.status, decided.decision_reason) == ("rejected", "Belum perlu")
    assert actions(uow) == ["plan.amendment_rejected"] and types(uow) == []
    with pytest.raises(InvalidTransition, match="cannot reject a amendment that is rejected"):
        run(rt, amendments.reject_amendment, person(RATER), plan.id, amendment.id, "lagi")


def test_withdraw_amendment_by_who_proposed_it_and_not_by_the_raters_superior(rt):
    plan = approved(rt)
    amendment = proposed(rt, plan, RATER)
    with pytest.raises(Forbidden, match="withdraw"):
        run(rt, amendments.withdraw_amendment, person(HEAD), plan.id, amendment.id)
    decided, uow = run(rt, amendments.withdraw_amendment, person(RATER), plan.id, amendment.id)
    assert decided.status == "withdrawn" and actions(uow) == ["plan.amendment_withdrawn"]


def test_amendments_and_revisions_are_read_by_who_reads_the_plan(rt):
    plan = approved(rt)
    amendment = proposed(rt, plan)
    assert [a.id for a in run(rt, plan_queries.list_amendments, person(RATER), plan.id)[0]] == [amendment.id]
    assert run(rt, plan_queries.get_amendment, person(HEAD), plan.id, amendment.id)[0].reason == amendment.reason
    assert run(rt, plan_queries.get_revision, person(EMPLOYEE), plan.id, 1)[0].kind == "approval"
    with pytest.raises(NotFound):
        run(rt, plan_queries.get_revision, person(EMPLOYEE), plan.id, 2)
    with pytest.raises(NotFound):
        run(rt, plan_queries.get_amendment, person(OUTSIDER), plan.id, amendment.id)


def test_list_plans_shows_what_the_caller_may_read_newest_first(rt):
    mine = run(rt, plans.create_plan, person(EMPLOYEE), body())[0]
    rt.clock.advance(minutes=1)
    theirs = run(rt, plans.create_plan, person(COLLEAGUE), body())[0]
    rows, more = run(rt, plan_queries.list_plans, person(RATER), {}, after=None, limit=1)[0]
    assert [r.id for r in rows] == [theirs.id] and more
    rows, more = run(rt, plan_queries.list_plans, person(RATER), {}, after=(theirs.created_at, theirs.id), limit=5)[0]
    assert [r.id for r in rows] == [mine.id] and not more
    assert run(rt, plan_queries.list_plans, person(OUTSIDER), {}, after=None, limit=5)[0] == ([], False)
    assert run(rt, plan_queries.get_plan, admin(), mine.id)[0].nip == EMPLOYEE
    with pytest.raises(NotFound):
        run(rt, plan_queries.get_plan, person(COLLEAGUE), mine.id)


def test_the_cascade_and_what_a_plan_can_support(rt):
    rater_plan = approved(rt, RATER)
    supported = rater_plan.content["results"][0]["result_id"]
    supportable = run(rt, plan_queries.supportable_results, person(EMPLOYEE), nip=None, year=YEAR)[0]
    assert (supportable["plan_id"], supportable["required"]) == (rater_plan.id, True)
    assert [r["result_id"] for r in supportable["results"]] == [supported]
    approved(rt, results=[result(supports=supported)])
    tree = run(
        rt, plan_queries.cascade, person(RATER), rater_plan.id, result_id=None, depth=2, include_unapproved=False
    )[0]
    assert [n["nip"] for n in tree["results"][0]["supported_by"]] == [EMPLOYEE]
    assert tree["results"][0]["supported_by"][0]["name"] == "Andi Pratama"
    with pytest.raises(InvalidField):
        run(rt, plan_queries.cascade, person(RATER), rater_plan.id, result_id="nope", depth=1, include_unapproved=True)


def test_supportable_results_refuses_an_outsider_and_an_unknown_employee(rt):
    with pytest.raises(Forbidden):
        run(rt, plan_queries.supportable_results, person(OUTSIDER), nip=STAFF, year=YEAR)
    with pytest.raises(NotFound):
        run(rt, plan_queries.supportable_results, admin(), nip="199901012020011009", year=YEAR)
    answer = run(rt, plan_queries.supportable_results, person(STAFF), nip=None, year=None)[0]
    assert answer["detail"] == f"the rater {EMPLOYEE} has no approved plan for {YEAR} yet"


def test_completion_counts_the_approved_plans_of_a_heads_units(rt):
    config = PlanConfig.from_settings(rt.settings)
    approved(rt)
    answer = run(rt, plan_queries.completion, person(RATER), config, unit_id=None, year=YEAR, after=None, limit=1)[0]
    assert (answer["employees"], answer["approved"], answer["missing"]) == (4, 1, 3)
    assert answer["overdue"] and [m["nip"] for m in answer["items"]] == [RATER] and answer["next_after"] == RATER
    with pytest.raises(Forbidden):
        run(rt, plan_queries.completion, person(COLLEAGUE), config, unit_id=None, year=YEAR, after=None, limit=5)
    with pytest.raises(NotFound):
        run(rt, plan_queries.completion, admin(), config, unit_id="nope", year=YEAR, after=None, limit=5)
