"""The evaluations' use cases on an in-memory database (no PostgreSQL, no broker): every command with one refusal."""

from __future__ import annotations

import pytest

from evaluation_service.use_cases import credit_points, evaluations, periods
from kinerja_shared.errors import Forbidden, InvalidField, InvalidTransition, NotFound

from .use_case_world import ADMIN, COLLEAGUE, EMPLOYEE, HEAD, QUARTER, RATER, actions, types, who, world

FORM = {
    "results": [{"result_id": "r1", "realisation": "12 dokumen", "feedback": "tepat waktu"}],
    "behaviours": [{"value": "loyal", "feedback": "baik"}],
    "results_rating": "meets",
    "behaviour_rating": "meets",
}


def the_evaluation(rt, period_id: str = QUARTER) -> str:
    with rt.unit_of_work() as uow:
        page = evaluations.list_evaluations(uow, who(ADMIN, "admin"), {"limit": 10, "period_id": period_id})
    return page["items"][0]["id"]


def submitted(rt, period_id: str = QUARTER) -> str:
    evaluation_id = the_evaluation(rt, period_id)
    with rt.unit_of_work() as uow:
        evaluations.submit_evaluation(uow, who(RATER), evaluation_id, FORM)
    return evaluation_id


def test_the_list_holds_what_the_caller_may_see():
    rt = world()
    with rt.unit_of_work() as uow:
        assert len(evaluations.list_evaluations(uow, who(EMPLOYEE), {"limit": 10})["items"]) == 1
        assert len(evaluations.list_evaluations(uow, who(HEAD), {"limit": 10, "unit_id": "opd"})["items"]) == 1
        assert evaluations.list_evaluations(uow, who(COLLEAGUE), {"limit": 10})["items"] == []
        with pytest.raises(InvalidField) as refused:
            evaluations.list_evaluations(uow, who(EMPLOYEE), {"limit": 10, "cursor": "not-ours"})
    assert refused.value.status == 400 and refused.value.field == "cursor"


def test_the_form_shows_the_plan_and_the_suggestion_and_hides_from_strangers():
    rt = world()
    evaluation_id = the_evaluation(rt)
    with rt.unit_of_work() as uow:
        row, form = evaluations.get_evaluation(
            uow, who(RATER), evaluation_id, self_assessment=lambda conn, row, results: {"status": "draft"}
        )
        assert form["status"] == "open" and [r["result_id"] for r in form["results"]] == ["r1"]
        assert form["self_assessment"] == {"status": "draft"} and form["suggestion"]["rating"] is None
        with pytest.raises(NotFound):
            evaluations.get_evaluation(uow, who(COLLEAGUE), evaluation_id)


def test_the_rater_submits_the_form_and_the_predicate_follows_from_the_matrix():
    rt = world()
    evaluation_id = the_evaluation(rt)
    seen = []
    with rt.unit_of_work() as uow:
        row = evaluations.submit_evaluation(uow, who(RATER), evaluation_id, FORM, check_version=seen.append)
    assert (row.status, row.predicate, row.version) == ("submitted", "BAIK", 2) and seen == [1]
    assert types(uow) == ["EvaluationSubmitted"] and actions(uow) == ["evaluation.submit"]
    with pytest.raises(Forbidden, match="Only the evaluation's rater"):
        with rt.unit_of_work() as uow:
            evaluations.submit_evaluation(uow, who(EMPLOYEE), evaluation_id, FORM)


def test_a_form_naming_another_plans_result_is_refused_naming_the_field():
    rt = world()
    with pytest.raises(InvalidField) as refused:
        with rt.unit_of_work() as uow:
            evaluations.submit_evaluation(
                uow, who(RATER), the_evaluation(rt), {**FORM, "results": [{"result_id": "rX"}]}
            )
    assert refused.value.field == "results.0.result_id"


def test_the_rater_closes_a_submitted_evaluation_with_its_credit_points():
    rt = world()
    evaluation_id = submitted(rt)
    with rt.unit_of_work() as uow:
        row = evaluations.close_evaluation(uow, who(RATER), evaluation_id)
    assert row.status == "closed" and row.closed_by == RATER and row.credit_points == 3.13  # 12.5 × 3/12 at Baik
    assert types(uow) == ["EvaluationClosed"] and actions(uow) == ["evaluation.close"]


def test_an_open_evaluation_cannot_close_and_the_refusal_keeps_its_wording():
    rt = world()
    with pytest.raises(InvalidTransition) as refused:
        with rt.unit_of_work() as uow:
            evaluations.close_evaluation(uow, who(RATER), the_evaluation(rt))
    assert refused.value.status == 409
    assert refused.value.detail == "cannot close an evaluation that is open: submit it first"
    assert refused.value.extensions["current_status"] == "open"


def test_an_admin_reopens_a_closed_evaluation_as_a_new_revision():
    rt = world()
    evaluation_id = submitted(rt)
    with rt.unit_of_work() as uow:
        evaluations.close_evaluation(uow, who(RATER), evaluation_id)
    with rt.unit_of_work() as uow:
        row = evaluations.reopen_evaluation(uow, who(ADMIN, "admin"), evaluation_id, "salah hitung")
    assert (row.status, row.revision, row.predicate) == ("open", 2, None)
    assert types(uow) == ["EvaluationReopened"] and actions(uow) == ["evaluation.reopen"]
    with rt.unit_of_work() as uow:
        assert [r["revision"] for r in evaluations.list_revisions(uow, who(EMPLOYEE), evaluation_id)["items"]] == [1]
        with pytest.raises(NotFound):
            evaluations.list_revisions(uow, who(COLLEAGUE), evaluation_id)
    with pytest.raises(Forbidden, match="Only an admin"):
        with rt.unit_of_work() as uow:
            evaluations.reopen_evaluation(uow, who(RATER), evaluation_id, "lagi")


def test_closing_the_annual_evaluation_records_the_pak_and_the_credit_points_are_read_by_relation():
    rt = world()
    with rt.unit_of_work() as uow:
        periods.open_period(uow, who(ADMIN, "admin"), "2026-Y", unit_id=None, default_scheme="quarterly")
    annual = submitted(rt, "2026-Y")
    with rt.unit_of_work() as uow:
        evaluations.close_evaluation(uow, who(RATER), annual)
    assert actions(uow) == ["evaluation.close", "credit_assessment.recorded"]
    with rt.unit_of_work() as uow:
        body = credit_points.get_credit_points(uow, who(EMPLOYEE), EMPLOYEE, 2026)
        assert body["annual"]["credit_points"] == 12.5 and body["assessment"]["annual_predicate"] == "BAIK"
        assert credit_points.get_credit_points(uow, who(HEAD), EMPLOYEE, 2026)["nip"] == EMPLOYEE
        with pytest.raises(Forbidden):
            credit_points.get_credit_points(uow, who(COLLEAGUE), EMPLOYEE, 2026)
        with pytest.raises(NotFound):
            credit_points.get_credit_points(uow, who(ADMIN, "admin"), "199901012020011009", 2026)
