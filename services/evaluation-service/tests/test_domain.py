"""Unit tests of the pure domain: the matrix, periods, realisation, the suggestion, SE 03/2023, credit points."""

from datetime import date

import pytest

from evaluation_service import domain as d
from evaluation_service.domain import (
    ABOVE,
    BAIK,
    BELOW,
    BUTUH_PERBAIKAN,
    ISTIMEWA,
    KURANG,
    MEETS,
    SANGAT_BAIK,
    SANGAT_KURANG,
    ResultAssessment,
)

# -- the matrix: all nine cells ----------------------------------------------------------------


@pytest.mark.parametrize(
    "results, behaviour, expected",
    [
        (ABOVE, BELOW, KURANG),
        (ABOVE, MEETS, BAIK),
        (ABOVE, ABOVE, SANGAT_BAIK),
        (MEETS, BELOW, KURANG),
        (MEETS, MEETS, BAIK),
        (MEETS, ABOVE, BAIK),
        (BELOW, BELOW, SANGAT_KURANG),
        (BELOW, MEETS, BUTUH_PERBAIKAN),
        (BELOW, ABOVE, BUTUH_PERBAIKAN),
    ],
)
def test_matrix_cell(results, behaviour, expected):
    assert d.predicate_for(results, behaviour) == expected


def test_matrix_has_exactly_nine_cells_over_the_five_predicates():
    assert len(d.MATRIX) == 9
    assert set(d.MATRIX.values()) == set(d.PREDICATES)


@pytest.mark.parametrize(
    "results, behaviour, field", [("great", MEETS, "results_rating"), (MEETS, "", "behaviour_rating")]
)
def test_matrix_rejects_unknown_ratings_naming_the_field(results, behaviour, field):
    with pytest.raises(d.DomainError) as exc:
        d.predicate_for(results, behaviour)
    assert exc.value.field == field


@pytest.mark.parametrize(
    "org, rating", [(ISTIMEWA, ABOVE), (BAIK, MEETS), (BUTUH_PERBAIKAN, BELOW), (KURANG, BELOW), (SANGAT_KURANG, BELOW)]
)
def test_unit_head_results_rating_is_the_units_achievement(org, rating):
    assert d.rating_from_org_predicate(org) == rating


# -- lifecycle -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action, status, expected",
    [
        ("submit", "open", "submitted"),
        ("submit", "submitted", "submitted"),
        ("close", "submitted", "closed"),
        ("reopen", "closed", "open"),
    ],
)
def test_allowed_transitions(action, status, expected):
    assert d.next_status(action, status) == expected


@pytest.mark.parametrize(
    "action, status",
    [("submit", "closed"), ("close", "open"), ("close", "closed"), ("reopen", "open"), ("reopen", "submitted")],
)
def test_forbidden_transitions(action, status):
    with pytest.raises(d.TransitionError, match=status):
        d.next_status(action, status)


# -- periods -------------------------------------------------------------------------------------


def test_quarterly_and_monthly_periods_contain_the_day():
    day = date(2026, 11, 28)
    q = d.period_containing(day, "quarterly")
    assert (q.id, q.kind, q.start, q.end, q.months) == (
        "2026-Q4",
        "quarterly",
        date(2026, 10, 1),
        date(2026, 12, 31),
        3,
    )
    m = d.period_containing(day, "monthly")
    assert (m.id, m.kind, m.start, m.end, m.months) == ("2026-11", "monthly", date(2026, 11, 1), date(2026, 11, 30), 1)
    assert d.period_containing(date(2028, 2, 10), "monthly").end == date(2028, 2, 29)
    assert d.period_containing(date(2026, 3, 31), "quarterly").id == "2026-Q1"
    assert d.period_containing(date(2026, 4, 1), "quarterly").id == "2026-Q2"


def test_parse_period_round_trips_and_rejects_garbage():
    for pid in ("2026-Q1", "2026-Q4", "2026-01", "2026-12", "2026-Y"):
        assert d.parse_period(pid).id == pid
    y = d.parse_period("2026-Y")
    assert (y.kind, y.start, y.end, y.months) == ("annual", date(2026, 1, 1), date(2026, 12, 31), 12)
    for bad in ("2026-Q5", "2026-13", "2026-00", "26-Q1", "2026Q1", "", "2026-y"):
        with pytest.raises(d.DomainError) as exc:
            d.parse_period(bad)
        assert exc.value.field == "period_id"


def test_periods_of_year_end_with_the_annual_one():
    assert [p.id for p in d.periods_of_year(2026, "quarterly")] == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
        "2026-Y",
    ]
    monthly = d.periods_of_year(2026, "monthly")
    assert len(monthly) == 13 and monthly[0].id == "2026-01" and monthly[-1].id == "2026-Y"
    with pytest.raises(d.DomainError):
        d.periods_of_year(2026, "weekly")


def test_plan_overlap_and_months_evaluated():
    q2 = d.parse_period("2026-Q2")
    assert d.period_for_plan(q2, date(2026, 6, 15), date(2026, 12, 31))
    assert not d.period_for_plan(q2, date(2026, 7, 1), date(2026, 12, 31))
    assert d.months_evaluated(q2, date(2026, 1, 1), date(2026, 12, 31)) == 3
    assert d.months_evaluated(q2, date(2026, 6, 15), date(2026, 12, 31)) == 1
    assert d.months_evaluated(d.parse_period("2026-Y"), date(2026, 7, 1), date(2026, 12, 31)) == 6


# -- realisation and the per-result assessment ---------------------------------------------------


def _quantity(target, in_period, to_date, start, end, period):
    """A quantity (sum) indicator's realisation, with ``in_period`` verified entries' worth in the period."""
    facts = d.IndicatorFacts(realised_in_period=in_period, realised_to_date=to_date, verified_in_period=1)
    return d.realise(
        {"indicator_id": "i1", "aspect": "quantity", "target_value": target, "target_unit": "dokumen"},
        facts,
        start,
        end,
        period.end,
    )


def test_realisation_expects_the_elapsed_share_of_the_target():
    q1 = d.parse_period("2026-Q1")
    r = _quantity(12, 2, 3, date(2026, 1, 1), date(2026, 12, 31), q1)
    assert r.expected_to_date == 3 and r.percent_of_target == 25.0 and r.percent_of_expected == 100.0
    q4 = d.parse_period("2026-Q4")
    r = _quantity(12, 4, 9, date(2026, 1, 1), date(2026, 12, 31), q4)
    assert r.expected_to_date == 12 and r.percent_of_target == 75.0 and r.percent_of_expected == 75.0
    # a plan after a transfer (July to December): its target is for six months
    r = _quantity(6, 3, 3, date(2026, 7, 1), date(2026, 12, 31), d.parse_period("2026-Q3"))
    assert r.expected_to_date == 3 and r.percent_of_expected == 100.0
    # no numeric target: nothing computed
    r = _quantity(None, 5, 5, date(2026, 1, 1), date(2026, 12, 31), q4)
    assert r.percent_of_target is None and r.percent_of_expected is None


def test_assessment_from_percent_is_literal():
    assert d.assessment_from_percent(100.1) == ABOVE
    assert d.assessment_from_percent(100) == MEETS
    assert d.assessment_from_percent(99.9) == BELOW
    assert d.assessment_from_percent(None) is None


def test_result_percent_is_the_mean_of_indicators_with_a_percentage():
    q4 = d.parse_period("2026-Q4")
    a = _quantity(10, 0, 12, date(2026, 1, 1), date(2026, 12, 31), q4)
    b = _quantity(10, 0, 8, date(2026, 1, 1), date(2026, 12, 31), q4)
    c = _quantity(None, 0, 8, date(2026, 1, 1), date(2026, 12, 31), q4)
    assert d.result_realisation([a, b, c]).percent == 100.0
    assert d.result_realisation([c]).percent is None


# -- the results-rating suggestion ---------------------------------------------------------------


def _results(*specs):
    return [ResultAssessment(f"r{i}", kind, assessment) for i, (kind, assessment) in enumerate(specs)]


@pytest.mark.parametrize(
    "specs, expected",
    [
        ([("main", ABOVE)], ABOVE),
        ([("main", ABOVE), ("main", ABOVE), ("additional", MEETS)], ABOVE),  # most exceed, no main below
        ([("main", ABOVE), ("main", ABOVE), ("additional", BELOW)], ABOVE),  # an additional below is fine
        ([("main", ABOVE), ("additional", ABOVE), ("main", BELOW), ("main", MEETS)], MEETS),  # a main below: not above
        ([("main", MEETS), ("main", MEETS), ("main", BELOW)], MEETS),  # a few main below (1 of 3)
        ([("main", MEETS), ("main", BELOW)], BELOW),  # half the mains below: not "a few"
        ([("main", MEETS), ("additional", BELOW)], MEETS),  # half meet, no main below
        ([("main", BELOW), ("main", BELOW), ("main", MEETS)], BELOW),  # most below
        ([("main", BELOW)], BELOW),
        ([("main", MEETS)], MEETS),
        ([("main", ABOVE), ("main", ABOVE), ("main", BELOW)], MEETS),  # most exceed, 1 of 3 mains below
        ([("main", ABOVE), ("main", BELOW)], BELOW),  # 1 of 2 mains below
    ],
)
def test_suggestion_follows_the_rule(specs, expected):
    s = d.suggest_results_rating(_results(*specs))
    assert s.rating == expected, s.reasoning
    assert s.reasoning and s.counts["assessed"] == len(specs)


def test_suggestion_ignores_unassessed_results_and_says_so():
    s = d.suggest_results_rating(_results(("main", ABOVE), ("main", None)))
    assert s.rating == ABOVE
    assert any("r1" in line for line in s.reasoning)
    none = d.suggest_results_rating(_results(("main", None)))
    assert none.rating is None and "no suggestion" in " ".join(none.reasoning)


def test_suggestion_for_a_unit_head_follows_the_organisational_predicate():
    s = d.suggest_results_rating(_results(("main", BELOW)), unit_head_of="opd-1", org_predicate=ISTIMEWA)
    assert s.rating == ABOVE and "Istimewa" in s.reasoning[0]
    # without the unit's predicate the ordinary rule applies
    assert d.suggest_results_rating(_results(("main", BELOW)), unit_head_of="opd-1").rating == BELOW


# -- SE 03/2023 distribution ---------------------------------------------------------------------

SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 50]
# The bounds in people, computed by hand for each unit size in SIZES (p × n, then floor / ceil / nearest).
HAND = {
    # literal: "at most p %" allows floor(p × n), "at least p %" needs ceil(p × n)
    ("literal", "max", 70): [0, 1, 2, 2, 3, 4, 4, 5, 6, 7, 14, 35],
    ("literal", "max", 10): [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 5],
    ("literal", "min", 60): [1, 2, 2, 3, 3, 4, 5, 5, 6, 6, 12, 30],
    ("literal", "min", 10): [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 5],
    # nearest: the nearest whole person, an exact half toward the rule (down for at most, up for at least)
    ("nearest", "max", 70): [1, 1, 2, 3, 3, 4, 5, 6, 6, 7, 14, 35],
    ("nearest", "max", 10): [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 5],
    ("nearest", "min", 60): [1, 1, 2, 2, 3, 4, 4, 5, 5, 6, 12, 30],
    ("nearest", "min", 10): [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 5],
}


@pytest.mark.parametrize("rounding, kind, percent", list(HAND))
def test_bounds_in_people_for_units_of_one_to_ten_twenty_and_fifty(rounding, kind, percent):
    bound = d.max_allowed if kind == "max" else d.min_required
    assert [bound(percent, n, rounding) for n in SIZES] == HAND[(rounding, kind, percent)]


def test_the_default_policy_is_the_literal_text_and_an_unknown_one_is_refused():
    assert d.max_allowed(70, 8) == 5 and d.min_required(60, 4) == 3
    # the examples: in a unit of 8, 6 Baik (75 %) and 1 Sangat Baik (12.5 %) break "paling banyak"
    assert not d.check_distribution(BAIK, [BAIK] * 6 + [BUTUH_PERBAIKAN] * 2).ok
    assert d.check_distribution(BAIK, [BAIK] * 6 + [BUTUH_PERBAIKAN] * 2, "nearest").ok
    sb = [SANGAT_BAIK] + [BUTUH_PERBAIKAN] * 7
    assert not d.check_distribution(BUTUH_PERBAIKAN, sb).ok and d.check_distribution(BUTUH_PERBAIKAN, sb, "nearest").ok
    with pytest.raises(d.DomainError) as exc:
        d.max_allowed(70, 8, "up")
    assert exc.value.field == "rounding"


def _unit(total: int, filler: str, **counts) -> list[str]:
    people = [p for name, n in counts.items() for p in [name.upper()] * n]
    assert len(people) <= total
    return people + [filler] * (total - len(people))


def _check(org: str, people: list[str], code: str, rounding: str = "literal"):
    dist = d.check_distribution(org, people, rounding)
    [check] = [c for c in dist.checks if c.rule.code == code]
    return check, dist


# (org predicate, rule code, predicate counted, filler that the rule does not count, bound kind)
BOUNDS = [
    (ISTIMEWA, "ISTIMEWA.max_sangat_baik", SANGAT_BAIK, BAIK, "max", 70),
    (BAIK, "BAIK.max_baik", BAIK, SANGAT_BAIK, "max", 70),
    (BUTUH_PERBAIKAN, "BUTUH_PERBAIKAN.min_butuh_perbaikan", BUTUH_PERBAIKAN, BAIK, "min", 60),
    (BUTUH_PERBAIKAN, "BUTUH_PERBAIKAN.max_sangat_baik", SANGAT_BAIK, BAIK, "max", 10),
    (KURANG, "KURANG.min_kurang", KURANG, BAIK, "min", 60),
    (KURANG, "KURANG.min_butuh_perbaikan", BUTUH_PERBAIKAN, BAIK, "min", 10),
    (KURANG, "KURANG.max_sangat_baik", SANGAT_BAIK, BAIK, "max", 10),
    (SANGAT_KURANG, "SANGAT_KURANG.min_sangat_kurang", SANGAT_KURANG, BAIK, "min", 60),
    (SANGAT_KURANG, "SANGAT_KURANG.min_kurang_plus_butuh_perbaikan", KURANG, BAIK, "min", 10),
]


@pytest.mark.parametrize("rounding", ["literal", "nearest"])
@pytest.mark.parametrize("org, code, counted, filler, kind, percent", BOUNDS)
@pytest.mark.parametrize("total", SIZES)
def test_each_percentage_bound_at_and_just_past_it(org, code, counted, filler, kind, percent, total, rounding):
    limit = HAND[(rounding, kind, percent)][SIZES.index(total)]
    at, past = (limit, limit + 1) if kind == "max" else (limit, limit - 1)
    if at <= total:
        check, dist = _check(org, _unit(total, filler, **{counted: at}), code, rounding)
        assert check.ok and check.count == at and check.limit == limit
        assert dist.as_dict()["rounding_policy"] == rounding
    if 0 <= past <= total:
        check, dist = _check(org, _unit(total, filler, **{counted: past}), code, rounding)
        assert not check.ok
        assert check in dist.violations
        message = check.as_dict()["message"]
        assert str(past) in message and str(limit) in message


@pytest.mark.parametrize("total", [10, 20])
def test_percentage_bounds_are_exact_in_round_units(total):
    # at most 70 %: exactly 70 % passes, one more person fails
    assert _check(ISTIMEWA, _unit(total, BAIK, sangat_baik=total * 7 // 10), "ISTIMEWA.max_sangat_baik")[0].ok
    assert not _check(ISTIMEWA, _unit(total, BAIK, sangat_baik=total * 7 // 10 + 1), "ISTIMEWA.max_sangat_baik")[0].ok
    # at least 60 %: exactly 60 % passes, one fewer fails
    assert _check(KURANG, _unit(total, BAIK, kurang=total * 6 // 10), "KURANG.min_kurang")[0].ok
    assert not _check(KURANG, _unit(total, BAIK, kurang=total * 6 // 10 - 1), "KURANG.min_kurang")[0].ok
    # at least 10 % and at most 10 %
    assert _check(KURANG, _unit(total, BAIK, butuh_perbaikan=total // 10), "KURANG.min_butuh_perbaikan")[0].ok
    assert not _check(KURANG, _unit(total, BAIK, butuh_perbaikan=total // 10 - 1), "KURANG.min_butuh_perbaikan")[0].ok
    assert _check(KURANG, _unit(total, BAIK, sangat_baik=total // 10), "KURANG.max_sangat_baik")[0].ok
    assert not _check(KURANG, _unit(total, BAIK, sangat_baik=total // 10 + 1), "KURANG.max_sangat_baik")[0].ok


@pytest.mark.parametrize("total", [1, 2, 3, 4, 5, 10])
def test_baik_needs_at_least_one_butuh_perbaikan_or_kurang(total):
    code = "BAIK.min_one_butuh_perbaikan_or_kurang"
    assert not _check(BAIK, _unit(total, SANGAT_BAIK), code)[0].ok
    assert _check(BAIK, _unit(total, SANGAT_BAIK, butuh_perbaikan=1), code)[0].ok
    assert _check(BAIK, _unit(total, SANGAT_BAIK, kurang=1), code)[0].ok
    assert not _check(BAIK, _unit(total, SANGAT_BAIK, sangat_kurang=1), code)[0].ok  # Sangat Kurang does not count


@pytest.mark.parametrize("total", [1, 2, 3, 4, 5, 10])
def test_sangat_kurang_allows_no_sangat_baik(total):
    code = "SANGAT_KURANG.no_sangat_baik"
    assert _check(SANGAT_KURANG, _unit(total, SANGAT_KURANG), code)[0].ok
    check, dist = _check(SANGAT_KURANG, _unit(total, SANGAT_KURANG, sangat_baik=1), code)
    assert not check.ok and check.count == 1 and check.limit == 0


def test_kurang_plus_butuh_perbaikan_counts_both():
    code = "SANGAT_KURANG.min_kurang_plus_butuh_perbaikan"
    assert _check(SANGAT_KURANG, _unit(10, SANGAT_KURANG, butuh_perbaikan=1), code)[0].ok
    assert _check(SANGAT_KURANG, _unit(10, SANGAT_KURANG, kurang=1), code)[0].ok
    assert not _check(SANGAT_KURANG, _unit(10, SANGAT_KURANG), code)[0].ok


def test_a_unit_that_keeps_every_rule_has_no_violations_and_counts_add_up():
    dist = d.check_distribution(
        BAIK, [SANGAT_BAIK, SANGAT_BAIK, BAIK, BAIK, BAIK, BAIK, BAIK, BUTUH_PERBAIKAN, BAIK, KURANG]
    )
    assert dist.ok and dist.total == 10
    assert dist.counts == {SANGAT_BAIK: 2, BAIK: 6, BUTUH_PERBAIKAN: 1, KURANG: 1, SANGAT_KURANG: 0}
    assert dist.shares[BAIK] == 60.0
    assert [c["code"] for c in dist.as_dict()["rules"]] == ["BAIK.max_baik", "BAIK.min_one_butuh_perbaikan_or_kurang"]


def test_no_rules_without_an_organisational_predicate_or_people():
    assert d.check_distribution(None, [SANGAT_BAIK] * 3).checks == ()
    assert d.check_distribution(BAIK, []).ok
    with pytest.raises(d.DomainError):
        d.check_distribution("GREAT", [])


# -- credit points ---------------------------------------------------------------------------------

# Each level's yearly coefficient (DOMAIN.md, SIASN's koefisien) and each predicate's share, by hand:
# credit = share × coefficient × months / 12, rounded half up to two decimals.
LEVEL_COEFFICIENTS = {"PT": 12.5, "MU": 25, "MA": 37.5, "UT": 50, "PM": 3.75, "TR": 5, "MH": 12.5, "PY": 25}
HAND_CREDIT = {  # (level, predicate): (a year, a quarter, one month)
    ("PT", SANGAT_BAIK): (18.75, 4.69, 1.56),
    ("PT", BAIK): (12.5, 3.13, 1.04),
    ("PT", BUTUH_PERBAIKAN): (9.38, 2.34, 0.78),
    ("PT", KURANG): (6.25, 1.56, 0.52),
    ("PT", SANGAT_KURANG): (3.13, 0.78, 0.26),
    ("MU", SANGAT_BAIK): (37.5, 9.38, 3.13),
    ("MU", BAIK): (25.0, 6.25, 2.08),
    ("MU", BUTUH_PERBAIKAN): (18.75, 4.69, 1.56),
    ("MU", KURANG): (12.5, 3.13, 1.04),
    ("MU", SANGAT_KURANG): (6.25, 1.56, 0.52),
    ("MA", SANGAT_BAIK): (56.25, 14.06, 4.69),
    ("MA", BAIK): (37.5, 9.38, 3.13),
    ("MA", BUTUH_PERBAIKAN): (28.13, 7.03, 2.34),
    ("MA", KURANG): (18.75, 4.69, 1.56),
    ("MA", SANGAT_KURANG): (9.38, 2.34, 0.78),
    ("UT", SANGAT_BAIK): (75.0, 18.75, 6.25),
    ("UT", BAIK): (50.0, 12.5, 4.17),
    ("UT", BUTUH_PERBAIKAN): (37.5, 9.38, 3.13),
    ("UT", KURANG): (25.0, 6.25, 2.08),
    ("UT", SANGAT_KURANG): (12.5, 3.13, 1.04),
    ("PM", SANGAT_BAIK): (5.63, 1.41, 0.47),
    ("PM", BAIK): (3.75, 0.94, 0.31),
    ("PM", BUTUH_PERBAIKAN): (2.81, 0.7, 0.23),
    ("PM", KURANG): (1.88, 0.47, 0.16),
    ("PM", SANGAT_KURANG): (0.94, 0.23, 0.08),
    ("TR", SANGAT_BAIK): (7.5, 1.88, 0.63),
    ("TR", BAIK): (5.0, 1.25, 0.42),
    ("TR", BUTUH_PERBAIKAN): (3.75, 0.94, 0.31),
    ("TR", KURANG): (2.5, 0.63, 0.21),
    ("TR", SANGAT_KURANG): (1.25, 0.31, 0.1),
    ("MH", SANGAT_BAIK): (18.75, 4.69, 1.56),
    ("MH", BAIK): (12.5, 3.13, 1.04),
    ("MH", BUTUH_PERBAIKAN): (9.38, 2.34, 0.78),
    ("MH", KURANG): (6.25, 1.56, 0.52),
    ("MH", SANGAT_KURANG): (3.13, 0.78, 0.26),
    ("PY", SANGAT_BAIK): (37.5, 9.38, 3.13),
    ("PY", BAIK): (25.0, 6.25, 2.08),
    ("PY", BUTUH_PERBAIKAN): (18.75, 4.69, 1.56),
    ("PY", KURANG): (12.5, 3.13, 1.04),
    ("PY", SANGAT_KURANG): (6.25, 1.56, 0.52),
}


@pytest.mark.parametrize("level, predicate", list(HAND_CREDIT))
def test_credit_points_for_each_level_and_predicate(level, predicate):
    coefficient = d.yearly_coefficient(level)
    assert (coefficient.value, coefficient.source, coefficient.level) == (
        LEVEL_COEFFICIENTS[level],
        "functional_level",
        level,
    )
    year, quarter, month = HAND_CREDIT[(level, predicate)]
    assert (
        d.credit_points(predicate, coefficient.value),
        d.credit_points(predicate, coefficient.value, 3),
        d.credit_points(predicate, coefficient.value, 1),
    ) == (year, quarter, month)


def test_credit_points_worked_example_and_rounding():
    assert d.credit_points(BAIK, 12.5, 2) == 2.08  # DOMAIN.md: 2/12 × 100 % × 12.5 = 2.0833...
    assert d.credit_points(BAIK, 12.5, 3) == 3.13  # 3.125 rounds half up
    assert d.credit_points(BUTUH_PERBAIKAN, 37.5, 1) == 2.34  # 2.34375
    assert d.credit_points(BAIK, None, 3) is None
    assert d.credit_total([1.04, 1.04, 1.04, None]) == 3.12  # a year's total adds the periods' figures
    with pytest.raises(d.DomainError):
        d.credit_points(BAIK, 12.5, 13)


def test_the_coefficient_comes_from_the_level_and_the_old_one_only_without_a_level():
    assert d.yearly_coefficient("MA", 99).as_dict()["coefficient"] == 37.5  # a typed-in coefficient never wins
    assert d.yearly_coefficient("MA").as_dict()["siasn_koefisien_id"] == 32
    assert d.yearly_coefficient(None, 20).source == "functional_coefficient"
    assert d.yearly_coefficient(None, 20).value == 20
    assert d.yearly_coefficient(None, 1e308) == d.Coefficient(None, None, None)
    assert d.yearly_coefficient(None) == d.Coefficient(None, None, None)


# -- the form --------------------------------------------------------------------------------------


def test_form_refers_to_the_plan_and_to_each_value_once():
    d.check_form(["r1", "r2"], [{"result_id": "r1"}], [{"value": "loyal"}, {"value": "service"}])
    with pytest.raises(d.DomainError) as exc:
        d.check_form(["r1"], [{"result_id": "zz"}], [])
    assert exc.value.field == "results.0.result_id"
    with pytest.raises(d.DomainError) as exc:
        d.check_form(["r1"], [{"result_id": "r1"}, {"result_id": "r1"}], [])
    assert exc.value.field == "results.1.result_id"
    with pytest.raises(d.DomainError) as exc:
        d.check_form(["r1"], [], [{"value": "loyal"}, {"value": "loyal"}])
    assert exc.value.field == "behaviours.1.value"
