"""The plans' use cases on an in-memory database (kinerja_shared.testing.memory): every command (draft, edit,
copy, submit, approve, return, bulk approval, close on a transfer, a new rater), its events and audit rows, and
one refusal each. No PostgreSQL, no Kafka."""

import sys
from datetime import date
from pathlib import Path

import pytest

from kinerja_shared.errors import Conflict, Forbidden, InvalidField, InvalidTransition, NotFound, PreconditionFailed
from plan_service.use_cases import amendments, plan_transfers, plans

sys.path.insert(0, str(Path(__file__).parent))
from use_case_kit import (  # noqa: E402
    COLLEAGUE,
    EMPLOYEE,
    HEAD,
    OUTSIDER,
    RATER,
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


def stale(entity_id, version):
    raise PreconditionFailed(f"stale {entity_id}", current_version=version)


@pytest.fixture
def rt():
    return org()


def draft(rt, nip=EMPLOYEE, **kw):
    return run(rt, plans.create_plan, person(nip), body(**kw))[0]


def submitted(rt, nip=EMPLOYEE, **kw):
    return run(rt, plans.submit_plan, person(nip), draft(rt, nip, **kw).id)[0]


def approved(rt, nip=EMPLOYEE, **kw):
    plan = submitted(rt, nip, **kw)
    return run(rt, plans.approve_plan, person(plan.rater_nip), plan.id)[0]


def test_create_plan_drafts_with_the_directory_rater_and_audits_it(rt):
    plan, uow = run(rt, plans.create_plan, person(EMPLOYEE), body())
    assert (plan.status, plan.rater_nip, plan.unit_id, plan.version) == ("draft", RATER, "bidang", 1)
    assert plan.content["results"][0]["result_id"] and plan.created_at == rt.clock.now()
    assert actions(uow) == ["plan.created"] and types(uow) == []


def test_create_plan_refuses_someone_elses_and_a_second_plan_of_the_year(rt):
    with pytest.raises(Forbidden):
        run(rt, plans.create_plan, person(EMPLOYEE), body(nip=COLLEAGUE))
    draft(rt)
    with pytest.raises(Conflict) as refused:
        run(rt, plans.create_plan, admin(), body(nip=EMPLOYEE))
    assert refused.value.extensions["current_status"] == "draft"


def test_edit_plan_replaces_or_patches_a_draft_and_bumps_its_version(rt):
    plan = draft(rt)
    patched, uow = run(
        rt, plans.edit_plan, person(EMPLOYEE), plan.id, {"attachments": {"resources": "Mobil"}}, replace=False
    )
    assert patched.version == 2 and patched.content["attachments"]["accountability"] == "Laporan bulanan"
    assert patched.content["attachments"]["resources"] == "Mobil" and actions(uow) == ["plan.edited"]
    replaced, _ = run(rt, plans.edit_plan, admin(), plan.id, body(results=[result("Baru")]), replace=True)
    assert replaced.content["results"][0]["text"] == "Baru" and replaced.content["attachments"]["resources"] != "Mobil"


def test_edit_plan_refuses_the_rater_and_a_stale_version(rt):
    plan = draft(rt)
    with pytest.raises(Forbidden):
        run(rt, plans.edit_plan, person(RATER), plan.id, {}, replace=False)
    with pytest.raises(PreconditionFailed):
        run(rt, plans.edit_plan, person(EMPLOYEE), plan.id, {}, replace=False, check_version=stale)


def test_copy_plan_makes_next_years_draft_with_new_ids_and_no_cascade(rt):
    source = draft(rt)
    copy, uow = run(rt, plans.copy_plan, person(EMPLOYEE), source.id, {})
    assert (copy.year, copy.copied_from_plan_id, copy.status) == (YEAR + 1, source.id, "draft")
    assert copy.content["results"][0]["result_id"] != source.content["results"][0]["result_id"]
    assert actions(uow) == ["plan.copied"] and uow.audited[0]["reason"] == f"copied from plan {source.id} ({YEAR})"


def test_copy_plan_refuses_a_year_past_2100_and_a_copy_into_someone_else(rt):
    source = draft(rt)
    with pytest.raises(InvalidField):
        run(rt, plans.copy_plan, person(EMPLOYEE), source.id, {"year": 2101})
    with pytest.raises(Forbidden):
        run(rt, plans.copy_plan, person(RATER), source.id, {"nip": COLLEAGUE})


def test_submit_plan_publishes_plan_submitted(rt):
    plan, uow = run(rt, plans.submit_plan, person(EMPLOYEE), draft(rt).id)
    assert plan.status == "submitted" and plan.submitted_at == rt.clock.now()
    assert types(uow) == ["PlanSubmitted"] and actions(uow) == ["plan.submit"]
    assert uow.published[0]["data"]["rater_nip"] == RATER


def test_submit_plan_refuses_the_rater_and_a_second_submission_in_the_plans_words(rt):
    plan = draft(rt)
    with pytest.raises(Forbidden, match="Only the plan's owner may submit it."):
        run(rt, plans.submit_plan, person(RATER), plan.id)
    run(rt, plans.submit_plan, person(EMPLOYEE), plan.id)
    with pytest.raises(InvalidTransition) as refused:
        run(rt, plans.submit_plan, person(EMPLOYEE), plan.id)
    assert refused.value.detail == "cannot submit a plan that is submitted (allowed from: draft)"
    assert refused.value.status == 409 and refused.value.extensions == {"current_status": "submitted"}


def test_approve_plan_keeps_revision_one_and_publishes_the_whole_plan(rt):
    plan = submitted(rt)
    approved_plan, uow = run(rt, plans.approve_plan, person(RATER), plan.id)
    assert approved_plan.status == "approved" and approved_plan.approved_by == RATER
    assert types(uow) == ["PlanApproved"] and uow.published[0]["data"]["approved_by"] == RATER
    assert uow.audited[0]["after"]["revision"] == 1


def test_approve_plan_refuses_the_owner_and_hides_the_plan_from_an_outsider(rt):
    plan = submitted(rt)
    with pytest.raises(Forbidden):
        run(rt, plans.approve_plan, person(EMPLOYEE), plan.id)
    with pytest.raises(NotFound):
        run(rt, plans.approve_plan, person(OUTSIDER), plan.id)


def test_return_plan_sends_it_back_to_draft_with_the_reason(rt):
    plan, uow = run(rt, plans.return_plan, person(RATER), submitted(rt).id, "Target kurang jelas")
    assert (plan.status, plan.return_reason) == ("draft", "Target kurang jelas")
    assert types(uow) == ["PlanReturned"] and uow.audited[0]["reason"] == "Target kurang jelas"


def test_return_plan_refuses_a_draft(rt):
    with pytest.raises(InvalidTransition, match="cannot return a plan that is draft"):
        run(rt, plans.return_plan, person(RATER), draft(rt).id, "x")


def test_approve_plans_answers_each_item_on_its_own(rt):
    mine, theirs = submitted(rt), submitted(rt, COLLEAGUE)
    answer, uow = run(
        rt,
        plans.approve_plans,
        person(RATER),
        [{"id": mine.id, "version": mine.version}, {"id": "nope"}, {"id": theirs.id, "version": 1}],
    )
    assert [r["status"] for r in answer["results"]] == [200, 404, 412]
    assert (answer["approved"], answer["failed"]) == (1, 2) and answer["results"][0]["plan"].status == "approved"
    assert types(uow) == ["PlanApproved"] and actions(uow) == ["plan.approve"]


def test_approve_plans_refuses_an_item_the_caller_does_not_rate(rt):
    plan = submitted(rt)
    answer, uow = run(rt, plans.approve_plans, person(HEAD), [{"id": plan.id}])
    assert answer["results"][0]["status"] == 403 and types(uow) == []


def test_a_transfer_closes_the_plans_in_force_and_cancels_a_pending_amendment(rt):
    plan = approved(rt)
    kept = dict(plan.content["results"][0], text="Baru")
    proposal = {**body(results=[kept]), "reason": "x"}
    pending = run(rt, amendments.propose_amendment, person(EMPLOYEE), plan.id, proposal)[0]
    closed, uow = run(
        rt,
        plan_transfers.close_for_transfers,
        admin(),
        {EMPLOYEE: (date(YEAR, 7, 1), "mutasi"), COLLEAGUE: (date(YEAR, 7, 1), "mutasi")},
    )
    assert closed == [plan.id] and types(uow) == ["PlanAmended"] and actions(uow) == ["plan.closed"]
    data = uow.published[0]["data"]
    assert (data["status"], data["kind"], data["revision"]) == ("closed", "transfer", 2)
    assert data["period_end"] == f"{YEAR}-06-30"
    assert uow.audited[0]["after"]["cancelled_amendments"] == [pending.id]
    again, uow = run(rt, plan_transfers.close_for_transfers, admin(), {EMPLOYEE: (date(YEAR, 8, 1), "lagi")})
    assert again == [] and types(uow) == []  # a closed plan is no longer in force


def test_a_new_rater_takes_over_a_submitted_and_an_approved_plan(rt):
    waiting, done = submitted(rt, COLLEAGUE), approved(rt)
    change = (HEAD, None, date(YEAR, 4, 1), "penilai baru")
    moved, uow = run(rt, plan_transfers.retarget_plans, admin(), {COLLEAGUE: change, EMPLOYEE: change})
    assert sorted(moved) == sorted([waiting.id, done.id]) and actions(uow) == ["plan.rater_changed"] * 2
    assert sorted(types(uow)) == ["PlanAmended", "PlanSubmitted"]
    assert {e["data"]["rater_nip"] for e in uow.published} == {HEAD}
    unchanged, uow = run(rt, plan_transfers.retarget_plans, admin(), {EMPLOYEE: (HEAD, None, date(YEAR, 5, 1), "sama")})
    assert unchanged == [] and types(uow) == []  # the same rater again changes nothing
