"""The performance dialogue's rules alone (evaluation_service.dialogues): dates, participants, periods,
confirmations."""

from datetime import date

import pytest

from evaluation_service import dialogues as rules
from evaluation_service import domain

TODAY, START, END = date(2026, 6, 15), date(2026, 1, 1), date(2026, 12, 31)


@pytest.mark.parametrize("held_on", [TODAY, START, date(2025, 10, 31)])
def test_a_date_held_by_today_within_the_plan_or_two_months_of_it_is_accepted(held_on):
    rules.check_held_on(held_on, TODAY, START, END)


@pytest.mark.parametrize(
    "held_on, says",
    [(date(2026, 6, 16), "in the future"), (date(2025, 10, 30), "between"), (date(2024, 1, 1), "between")],
)
def test_a_date_in_the_future_or_far_from_the_plan_is_refused_naming_held_on(held_on, says):
    with pytest.raises(domain.DomainError) as refused:
        rules.check_held_on(held_on, TODAY, START, END)
    assert refused.value.field == "held_on" and says in refused.value.message


def test_an_evaluation_dialogue_is_not_held_before_its_period():
    q2 = domain.parse_period("2026-Q2")
    rules.check_held_on(date(2026, 4, 1), TODAY, START, END, q2)
    with pytest.raises(domain.DomainError, match="2026-Q2"):
        rules.check_held_on(date(2026, 3, 31), TODAY, START, END, q2)


def test_the_employee_and_the_rater_always_take_part_once_each():
    e, r, o1, o2 = "1" * 18, "2" * 18, "3" * 18, "4" * 18
    assert rules.participants(e, r, None) == [e, r]
    assert rules.participants(e, r, [o1, r, o1, e, o2]) == [e, r, o1, o2]
    others = [f"{i:018d}" for i in range(10, 10 + rules.MAX_OTHERS + 1)]
    assert len(rules.participants(e, r, others[:-1])) == rules.MAX_OTHERS + 2
    with pytest.raises(domain.DomainError) as refused:
        rules.participants(e, r, others)
    assert refused.value.field == "participants"


def test_a_planning_dialogue_counts_in_the_plans_period_holding_its_date():
    assert rules.planning_period(date(2026, 5, 2), START, END, domain.QUARTERLY).id == "2026-Q2"
    assert rules.planning_period(date(2025, 12, 20), START, END, domain.QUARTERLY).id == "2026-Q1"  # before the plan
    assert rules.planning_period(date(2025, 12, 20), START, END, domain.MONTHLY).id == "2026-01"


def test_the_previous_period_crosses_the_year_and_an_annual_one_has_none():
    assert rules.previous_period(domain.parse_period("2026-Q1")).id == "2025-Q4"
    assert rules.previous_period(domain.parse_period("2026-03")).id == "2026-02"
    assert rules.previous_period(domain.parse_period("2026-Y")) is None


def test_confirmed_once_both_confirmed_and_never_twice_by_one():
    by_employee = rules.recorded_by(rules.EMPLOYEE)
    assert (by_employee.employee, by_employee.rater, by_employee.status) == (True, False, "recorded")
    with pytest.raises(rules.AlreadyConfirmed):
        by_employee.by(rules.EMPLOYEE)
    both = by_employee.by(rules.RATER)
    assert both.status == "confirmed"
    assert rules.recorded_by(rules.RATER).by(rules.EMPLOYEE).status == "confirmed"
    assert rules.party_of("1", "1", "2") == rules.EMPLOYEE and rules.party_of("2", "1", "2") == rules.RATER
    assert rules.party_of("3", "1", "2") is None
