"""Continuous feedback's use cases on an in-memory database: give (the rater only) and list (by relation)."""

from __future__ import annotations

import pytest

from evaluation_service.use_cases import evaluations, feedback
from kinerja_shared.errors import Forbidden, InvalidField

from .use_case_world import ADMIN, COLLEAGUE, EMPLOYEE, HEAD, RATER, actions, types, who, world


def note(**overrides) -> dict:
    return {"nip": EMPLOYEE, "result_id": "r1", "behaviour_value": None, "text": "Laporan rapi", **overrides}


def test_the_rater_gives_feedback_that_shows_on_the_open_form():
    rt = world()
    with rt.unit_of_work() as uow:
        given = feedback.give_feedback(uow, who(RATER), note(), default_scheme="quarterly")
    assert types(uow) == ["FeedbackGiven"] and actions(uow) == ["feedback.given"]
    assert (given["plan_id"], given["period_id"], given["rater_nip"]) == ("plan-001", "2026-Q2", RATER)
    with rt.unit_of_work() as uow:
        [form] = evaluations.list_evaluations(uow, who(ADMIN, "admin"), {"limit": 5})["items"]
    assert given["evaluation_id"] == form["id"]


def test_only_the_employees_rater_gives_them_feedback():
    rt = world()
    with pytest.raises(Forbidden, match=f"Only the rater of {EMPLOYEE}"):
        with rt.unit_of_work() as uow:
            feedback.give_feedback(uow, who(COLLEAGUE), note(), default_scheme="quarterly")
    assert uow.published == [] and uow.audited == []


def test_feedback_names_one_result_or_one_value_of_the_employees_plans():
    rt = world()
    with rt.unit_of_work() as uow:
        with pytest.raises(InvalidField) as both:
            feedback.give_feedback(uow, who(RATER), note(behaviour_value="loyal"), default_scheme="quarterly")
        with pytest.raises(InvalidField) as unknown:
            feedback.give_feedback(uow, who(RATER), note(result_id="rX"), default_scheme="quarterly")
    assert (both.value.field, unknown.value.field) == ("behaviour_value", "result_id")


def test_the_list_holds_the_employees_own_what_the_rater_gave_and_a_heads_subtree():
    rt = world()
    with rt.unit_of_work() as uow:
        feedback.give_feedback(
            uow, who(RATER), note(result_id=None, behaviour_value="loyal"), default_scheme="quarterly"
        )
    with rt.unit_of_work() as uow:
        for nip in (EMPLOYEE, RATER, HEAD):
            assert len(feedback.list_feedback(uow, who(nip), {"limit": 10})["items"]) == 1, nip
        assert feedback.list_feedback(uow, who(COLLEAGUE), {"limit": 10})["items"] == []
        with pytest.raises(InvalidField):
            feedback.list_feedback(uow, who(EMPLOYEE), {"limit": 10, "cursor": "x"})
