"""The units' use cases on an in-memory database: the organisational predicate (set from above), the
distribution, the calibration, the export and the dashboard, each with a refusal."""

from __future__ import annotations

import pytest

from evaluation_service.use_cases import evaluations, units
from kinerja_shared.errors import Conflict, Forbidden, InvalidField

from .use_case_world import ADMIN, COLLEAGUE, EMPLOYEE, HEAD, QUARTER, RATER, actions, types, who, world

BAIK = {"predicate": "BAIK", "basis": "capaian IKU 2026 Q2", "document_number": " 800/12 "}


def with_predicate(rt):
    with rt.unit_of_work() as uow:
        units.set_unit_predicate(uow, who(HEAD), "opd-b1", QUARTER, BAIK, default_scheme="quarterly")


def closed(rt) -> str:
    with rt.unit_of_work() as uow:
        [item] = evaluations.list_evaluations(uow, who(ADMIN, "admin"), {"limit": 5})["items"]
    form = {"results": [], "behaviours": [], "results_rating": "meets", "behaviour_rating": "meets"}
    with rt.unit_of_work() as uow:
        evaluations.submit_evaluation(uow, who(RATER), item["id"], form)
        evaluations.close_evaluation(uow, who(RATER), item["id"])
    return item["id"]


def test_the_head_of_the_parent_unit_sets_the_organisational_predicate():
    rt = world()
    with rt.unit_of_work() as uow:
        row = units.set_unit_predicate(uow, who(HEAD), "opd-b1", QUARTER, BAIK, default_scheme="quarterly")
    assert (row["authority"], row["document_number"], row["period"]["id"]) == ("parent_head", "800/12", QUARTER)
    assert types(uow) == ["UnitPredicateSet"] and actions(uow) == ["unit_predicate.set"]


def test_a_units_own_head_may_not_set_its_predicate_nor_a_period_outside_the_scheme():
    rt = world()
    with rt.unit_of_work() as uow:
        with pytest.raises(Forbidden) as own:
            units.set_unit_predicate(uow, who(RATER), "opd-b1", QUARTER, BAIK, default_scheme="quarterly")
        with pytest.raises(InvalidField) as month:
            units.set_unit_predicate(uow, who(HEAD), "opd-b1", "2026-05", BAIK, default_scheme="quarterly")
        with pytest.raises(InvalidField) as basis:
            units.set_unit_predicate(
                uow, who(HEAD), "opd-b1", QUARTER, {**BAIK, "basis": " "}, default_scheme="quarterly"
            )
    assert own.value.extensions["rule"] == "parent_head" and own.value.extensions["set_by"] == [HEAD]
    assert (month.value.field, basis.value.field) == ("period_id", "basis")


def test_the_distribution_is_read_by_the_heads_above_and_names_who_may_set_the_predicate():
    rt = world()
    with rt.unit_of_work() as uow:
        body = units.get_distribution(uow, who(RATER), "opd-b1", QUARTER, rounding="literal")
        assert body["pending"] == 1 and body["predicate_authority"]["may_set"] is False
        with pytest.raises(Forbidden):
            units.get_distribution(uow, who(COLLEAGUE), "opd-b1", QUARTER, rounding="literal")


def test_the_calibration_is_final_once_every_evaluation_has_its_predicate_and_the_rules_hold_or_an_admin_overrides():
    rt = world()
    with_predicate(rt)
    with pytest.raises(Conflict) as empty:
        with rt.unit_of_work() as uow:
            units.finalise_calibration(uow, who(RATER), "opd-b1", QUARTER, None, rounding="literal")
    assert empty.value.extensions["current_status"] == "empty"  # no evaluation has a predicate yet
    closed(rt)
    with pytest.raises(Conflict) as violated:  # one Baik of one person: more than 70 %, and nobody lower
        with rt.unit_of_work() as uow:
            units.finalise_calibration(uow, who(RATER), "opd-b1", QUARTER, None, rounding="literal")
    assert violated.value.extensions["current_status"] == "violated"
    with rt.unit_of_work() as uow:
        body = units.finalise_calibration(
            uow, who(ADMIN, "admin"), "opd-b1", QUARTER, "satu pegawai", rounding="literal"
        )
    assert body["calibration"]["stale"] is False and body["calibration"]["override_reason"] == "satu pegawai"
    assert types(uow) == ["CalibrationFinalised"] and actions(uow) == ["calibration.finalise"]
    with pytest.raises(Conflict, match="is final"):
        with rt.unit_of_work() as uow:
            units.set_unit_predicate(uow, who(HEAD), "opd-b1", QUARTER, BAIK, default_scheme="quarterly")


def test_only_an_admin_overrides_the_distribution_rules():
    rt = world()
    with pytest.raises(Forbidden, match="Only an admin may override"):
        with rt.unit_of_work() as uow:
            units.finalise_calibration(uow, who(RATER), "opd-b1", QUARTER, "kebijakan", rounding="literal")


def test_the_export_holds_the_closed_evaluations_of_the_subtree():
    rt = world()
    closed(rt)
    with rt.unit_of_work() as uow:
        body = units.export_predicates(uow, who(HEAD), "opd", QUARTER)
        assert [(i["nip"], i["predicate"], i["calibrated"]) for i in body["items"]] == [(EMPLOYEE, "BAIK", False)]
        with pytest.raises(Forbidden, match="export its predicates"):
            units.export_predicates(uow, who(EMPLOYEE), "opd", QUARTER)


def test_the_dashboard_counts_plans_evaluations_and_logging_days_of_the_subtree():
    rt = world()
    with rt.unit_of_work() as uow:
        body = units.unit_dashboard(uow, who(HEAD), "opd", None, config=rt.config, default_scheme="quarterly")
        assert body["period"]["id"] == QUARTER and body["units"] == 2 and body["plans"]["approved"] == 1
        assert body["evaluations"]["open"] == 1 and body["activity_compliance"]["days_logged"] == 0
        assert body["activity_compliance"]["working_days"] == 33  # 1 April – 15 May 2026, Monday to Friday
        with pytest.raises(Forbidden, match="see its dashboard"):
            units.unit_dashboard(uow, who(COLLEAGUE), "opd", QUARTER, config=rt.config, default_scheme="quarterly")
