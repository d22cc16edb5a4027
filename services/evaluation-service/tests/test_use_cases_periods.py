"""Periods on an in-memory database: the year's scheme, opening a period (admin, a plan's approval, the period
clock job on a manual clock), and what the directory and plan events do to the read models."""

from __future__ import annotations

import threading

import pytest

from evaluation_service import access
from evaluation_service.use_cases import evaluations, periods, read_models
from kinerja_shared.errors import Conflict, Forbidden, InvalidField

from .use_case_world import ADMIN, COLLEAGUE, EMPLOYEE, HEAD, RATER, actions, person, plan_data, types, who, world

QUARTERLY = {"default_scheme": "quarterly", "rounding": "literal"}


def opened(rt) -> list[str]:
    with rt.unit_of_work() as uow:
        return sorted(
            i["period"]["id"] + " " + i["nip"]
            for i in evaluations.list_evaluations(uow, who(ADMIN, "admin"), {"limit": 50})["items"]
        )


def test_the_periods_of_a_year_count_what_the_caller_sees():
    rt = world()
    with rt.unit_of_work() as uow:
        body = periods.list_periods(uow, who(EMPLOYEE), 2026, default_scheme="monthly", rounding="nearest")
        assert body["scheme"] == "quarterly" and body["scheme_fixed"] is True  # fixed when Q2 opened
        assert [p["open"] for p in body["periods"]] == [0, 1, 0, 0, 0]
        assert (
            periods.list_periods(uow, who(COLLEAGUE), 2026, default_scheme="monthly", rounding="literal")["periods"][1][
                "open"
            ]
            == 0
        )


def test_an_admin_fixes_a_years_scheme_until_its_first_evaluation_opens():
    rt = world()
    with rt.unit_of_work() as uow:
        body = periods.set_scheme(uow, who(ADMIN, "admin"), 2027, "monthly", **QUARTERLY)
    assert body["scheme"] == "monthly" and len(body["periods"]) == 13 and actions(uow) == ["period_scheme.set"]
    with rt.unit_of_work() as uow:
        with pytest.raises(Conflict, match="already has 1 evaluation"):
            periods.set_scheme(uow, who(ADMIN, "admin"), 2026, "monthly", **QUARTERLY)
        with pytest.raises(Forbidden, match="manage periods"):
            periods.set_scheme(uow, who(HEAD), 2027, "quarterly", **QUARTERLY)
        with pytest.raises(InvalidField):
            periods.set_scheme(uow, who(ADMIN, "admin"), 1999, "monthly", **QUARTERLY)


def test_an_admin_opens_a_period_once_within_a_units_subtree():
    rt = world()
    with rt.unit_of_work() as uow:
        read_models.record_plan(uow, "PlanApproved", plan_data(COLLEAGUE))  # stored without opening
        assert periods.open_period(uow, who(ADMIN, "admin"), "2026-Q3", unit_id="opd", default_scheme="monthly") == {
            "period": {"id": "2026-Q3", "kind": "quarterly", "start": "2026-07-01", "end": "2026-09-30"},
            "opened": 2,
        }
        again = periods.open_period(uow, who(ADMIN, "admin"), "2026-Q3", unit_id=None, default_scheme="monthly")
        assert again["opened"] == 0
    assert types(uow) == ["EvaluationOpened", "EvaluationOpened"] and actions(uow) == ["evaluation.opened"] * 2
    with rt.unit_of_work() as uow:
        with pytest.raises(InvalidField, match="2026 is evaluated in quarterly periods"):
            periods.open_period(uow, who(ADMIN, "admin"), "2026-07", unit_id=None, default_scheme="monthly")
        with pytest.raises(Forbidden, match="open periods"):
            periods.open_period(uow, who(RATER), "2026-Y", unit_id=None, default_scheme="monthly")


def test_the_period_clock_opens_each_new_period_on_the_runtimes_clock():
    rt = world(EVALUATION_PERIOD_CLOCK_SECONDS="3600")
    with rt.unit_of_work() as uow:
        read_models.record_plan(uow, "PlanApproved", plan_data(COLLEAGUE))
    assert periods.PERIOD_CLOCK.run_once(rt) == 1  # the colleague's Q2
    assert periods.PERIOD_CLOCK.run_once(rt) == 0
    rt.clock.advance(days=47)  # 1 July 2026
    start = rt.clock.now()
    assert periods.PERIOD_CLOCK.run(rt, threading.Event(), max_rounds=2) == 2
    assert (rt.clock.now() - start).total_seconds() == 2 * 3600
    assert opened(rt) == [f"2026-Q2 {EMPLOYEE}", f"2026-Q2 {COLLEAGUE}", f"2026-Q3 {EMPLOYEE}", f"2026-Q3 {COLLEAGUE}"]


def test_an_approved_plan_opens_todays_period_once_and_an_older_revision_changes_nothing():
    rt = world()
    with rt.unit_of_work() as uow:
        amended = read_models.plan_approved(uow, "PlanAmended", plan_data(revision=2), None, default_scheme="quarterly")
        assert amended == []  # its period is open already
        assert read_models.record_plan(uow, "PlanAmended", plan_data(revision=1)) is None
        [new] = read_models.plan_approved(
            uow, "PlanApproved", plan_data(COLLEAGUE), "2026-05-14T01:00:00Z", default_scheme="quarterly"
        )
    assert (new.nip, new.period_id, new.plan_revision) == (COLLEAGUE, "2026-Q2", 1)
    assert types(uow) == ["EvaluationOpened"]


def test_the_directory_decides_who_heads_a_unit():
    rt = world()
    with rt.unit_of_work() as uow:
        read_models.record_employee(uow, person(RATER, "opd-b2", HEAD, head=True))  # moved to head another unit
        still_rates = evaluations.list_evaluations(uow, who(RATER), {"limit": 5, "unit_id": "opd-b1"})["items"]
        assert still_rates != []
        read_models.record_employee(uow, person(COLLEAGUE, "opd-b1", HEAD, head=True))
    with rt.unit_of_work() as uow:
        assert access.headed_roots(uow, who(RATER)) == {"opd-b2"}
        assert access.headed_roots(uow, who(COLLEAGUE)) == {"opd-b1"}
