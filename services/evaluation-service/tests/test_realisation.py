"""Realisation per indicator aspect (realisation.py): one rule per aspect and measure, each at, below and
above its target; no data; qualitative plans; mixed plans through the results-rating suggestion; and
every reasoning text in Bahasa Indonesia."""

from datetime import date

import pytest

from evaluation_service import domain as d
from evaluation_service.realisation import (
    ABOVE,
    BELOW,
    MEETS,
    NO_DATA,
    IndicatorFacts,
    Measurement,
    lower_is_better,
    measure_of,
    realise,
)
from kinerja_shared.i18n import load

YEAR_START, YEAR_END = date(2026, 1, 1), date(2026, 12, 31)
Q1, Q4 = d.parse_period("2026-Q1"), d.parse_period("2026-Q4")


def indicator(aspect, target, unit, measure=None, deadline_day=None, iid="i1"):
    return {
        "indicator_id": iid,
        "aspect": aspect,
        "text": f"{aspect} indicator",
        "target_value": target,
        "target_unit": unit,
        "measure": measure,
        "deadline_day": deadline_day,
    }


def measured(*values, month=11):
    """Verified measurements on successive days of ``month`` (day, quantity), oldest first."""
    ms = tuple(Measurement(date(2026, month, 3 + i % 25), float(v)) for i, v in enumerate(values))
    return IndicatorFacts(
        realised_in_period=sum(values), realised_to_date=sum(values), verified_in_period=len(ms), measurements=ms
    )


def run(ind, facts, period=Q4):
    return realise(ind, facts, YEAR_START, YEAR_END, period.end)


def test_each_aspect_has_its_default_measure_and_an_unknown_one_falls_back_to_it():
    assert [measure_of(a, None) for a in ("quantity", "quality", "time", "cost")] == [
        "sum",
        "average",
        "duration",
        "spent",
    ]
    assert measure_of("quality", "latest") == "latest" and measure_of("time", "deadline") == "deadline"
    assert measure_of(None, None) == "sum"


# -- quantity (sum): verified quantities against the target's share for the months elapsed ---------------


@pytest.mark.parametrize("done, level, percent", [(3, MEETS, 100.0), (2, BELOW, 66.7), (4, ABOVE, 133.3)])
def test_quantity_sums_against_the_share_expected_by_the_periods_end(done, level, percent):
    facts = IndicatorFacts(realised_in_period=done, realised_to_date=done, verified_in_period=2)
    r = run(indicator("quantity", 12, "laporan"), facts, Q1)  # Q1 of a full-year plan: 3 of 12 expected
    assert (r.expected_to_date, r.level, r.percent_of_expected, r.measured_value) == (3, level, percent, done)
    assert r.reasoning.startswith(f"Quantity (sum): {done} laporan verified to date against 3 laporan expected")


# -- quality (latest | average): a measured level, never summed, not prorated --------------------------


@pytest.mark.parametrize(
    "values, level, percent", [((100, 100), MEETS, 100.0), ((90, 100), BELOW, 95.0), ((95, 100, 100), BELOW, 98.3)]
)
def test_quality_average_is_the_mean_of_the_periods_measurements_against_the_target_level(values, level, percent):
    r = run(indicator("quality", 100, "%", "average"), measured(*values))
    assert (r.level, r.percent_of_expected) == (level, percent)
    assert r.expected_to_date is None  # not prorated: 100 % is expected in Q1 as in Q4


@pytest.mark.parametrize(
    "values, level, percent", [((70, 85), MEETS, 100.0), ((90, 80), BELOW, 94.1), ((80, 90), ABOVE, 105.9)]
)
def test_quality_latest_is_the_last_measurement_of_the_period(values, level, percent):
    r = run(indicator("quality", 85, "skor", "latest"), measured(*values))
    assert (r.level, r.percent_of_expected, r.measured_value) == (level, percent, values[-1])
    assert "2026-11-04" in r.reasoning  # the day of the latest measurement


def test_quality_is_never_summed_many_measurements_of_95_stay_95():
    r = run(indicator("quality", 100, "%"), measured(*[95] * 40))
    assert (r.measured_value, r.percent_of_expected, r.level) == (95, 95.0, BELOW)
    assert r.realised_in_period == 95 * 40  # the sum is still reported, but it is not the realisation


# -- time (duration): lower is better ---------------------------------------------------------------


@pytest.mark.parametrize(
    "values, level, percent",
    [((3, 3), MEETS, 100.0), ((4, 5), BELOW, 50.0), ((2, 1), ABOVE, 150.0), ((9,), BELOW, 0.0)],
)
def test_time_duration_lower_than_the_target_is_better(values, level, percent):
    r = run(indicator("time", 3, "hari", "duration"), measured(*values))
    assert (r.level, r.percent_of_expected) == (level, percent)
    assert "lower is better" in r.reasoning


def test_lower_is_better_formula():
    assert lower_is_better(10, 10) == 100 and lower_is_better(10, 5) == 150 and lower_is_better(10, 0) == 200
    assert lower_is_better(10, 25) == 0  # never negative


# -- time (deadline): deliveries by the deadline day of their month ------------------------------------


def _deliveries(*days):
    ms = tuple(Measurement(day, 1.0) for day in days)
    return IndicatorFacts(
        realised_in_period=len(ms), realised_to_date=len(ms), verified_in_period=len(ms), measurements=ms
    )


def test_time_deadline_all_on_time_meets():
    r = run(indicator("time", 12, "laporan", "deadline", 10), _deliveries(date(2026, 10, 9), date(2026, 11, 10)))
    assert (r.level, r.percent_of_expected, r.details) == (MEETS, 100.0, {"on_time": 2, "late": 0, "deliveries": 2})


def test_time_deadline_a_late_delivery_pulls_it_below_and_is_named():
    r = run(indicator("time", 12, "laporan", "deadline", 10), _deliveries(date(2026, 10, 9), date(2026, 11, 14)))
    assert (r.level, r.percent_of_expected) == (BELOW, 50.0)
    assert r.reasoning.endswith("Late: 2026-11-14.")


def test_time_deadline_cannot_be_above_on_time_is_what_is_asked():
    r = run(indicator("time", 12, "laporan", "deadline", 31), _deliveries(date(2026, 10, 1), date(2026, 11, 1)))
    assert r.level == MEETS


# -- cost (spent): lower is better, against the budget for the months elapsed ---------------------------


@pytest.mark.parametrize("spent, level, percent", [(30000, MEETS, 100.0), (36000, BELOW, 80.0), (24000, ABOVE, 120.0)])
def test_cost_spent_against_the_prorated_budget(spent, level, percent):
    facts = IndicatorFacts(realised_in_period=spent, realised_to_date=spent, verified_in_period=3)
    r = run(indicator("cost", 120000, "ribu rupiah", "spent"), facts, Q1)  # 3 of 12 months: 30000 budgeted
    assert (r.expected_to_date, r.level, r.percent_of_expected) == (30000, level, percent)


# -- no data, qualitative ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ind",
    [
        indicator("quantity", 12, "laporan"),
        indicator("quality", 100, "%"),
        indicator("time", 3, "hari"),
        indicator("time", 12, "laporan", "deadline", 10),
        indicator("cost", 1000, "ribu rupiah"),
    ],
)
def test_nothing_verified_in_the_period_is_no_data_not_zero_percent_below(ind):
    r = run(ind, IndicatorFacts(realised_to_date=5, pending_in_period=2))
    assert (r.level, r.percent_of_expected) == (NO_DATA, None)
    assert "No data yet" in r.reasoning and "2 awaiting verification" in r.reasoning


def test_an_indicator_without_a_numeric_target_is_for_the_rater():
    r = run(indicator("quality", None, None), measured(90))
    assert (r.level, r.percent_of_expected, r.target_usable) == (None, None, None)
    assert "the rater assesses this result from the evidence" in r.reasoning


def test_a_result_is_the_mean_of_its_indicators_and_no_data_only_when_none_has_a_percentage():
    quality = run(indicator("quality", 100, "%", iid="a"), measured(95))  # 95 %
    quantity = run(
        indicator("quantity", 12, "laporan", iid="b"), IndicatorFacts(realised_to_date=14, verified_in_period=1)
    )  # 116.7 %
    empty = run(indicator("time", 3, "hari", iid="c"), IndicatorFacts())  # no data
    assert d.result_realisation([quality, quantity, empty]).percent == 105.9  # (95 + 116.7) / 2
    assert d.result_realisation([quality, quantity, empty]).level == ABOVE
    assert d.result_realisation([empty]) == d.ResultRealisation(None, NO_DATA)
    assert d.result_realisation([run(indicator("quality", None, None), IndicatorFacts())]) == d.ResultRealisation(
        None, None
    )


# -- the suggestion over mixed plans ---------------------------------------------------------------


def _result(rid, kind, level, text=None):
    assessment = level if level in (ABOVE, MEETS, BELOW) else None
    return d.ResultAssessment(rid, kind, assessment, text=text or f"Hasil {rid}", level=level)


def test_mixed_plan_names_the_results_that_drove_the_suggestion():
    s = d.suggest_results_rating(
        [
            _result("r1", "main", ABOVE, "Pelayanan pasien. Tepat waktu"),
            _result("r2", "main", MEETS),
            _result("r3", "additional", BELOW),
        ]
    )
    assert s.rating == MEETS
    assert 'Results above expectation: "Pelayanan pasien, Tepat waktu".' in s.reasoning
    assert 'Results meeting expectation: "Hasil r2".' in s.reasoning
    assert 'Results below expectation: "Hasil r3".' in s.reasoning


def test_results_without_data_do_not_count_as_below():
    s = d.suggest_results_rating(
        [_result("r1", "main", ABOVE), _result("r2", "main", NO_DATA), _result("r3", "additional", NO_DATA)]
    )
    assert s.rating == ABOVE and s.counts["no_data"] == 2 and s.counts["below"] == 0
    assert any(line.startswith("No data yet") and '"Hasil r2"' in line for line in s.reasoning)
    nothing = d.suggest_results_rating([_result("r1", "main", NO_DATA)])
    assert nothing.rating is None and "no suggestion" in nothing.reasoning[-1]


def test_a_qualitative_plan_gets_no_suggestion_and_says_the_rater_assesses_from_the_evidence():
    s = d.suggest_results_rating([_result("r1", "main", None), _result("r2", "additional", None)], qualitative=True)
    assert s.rating is None
    assert s.reasoning[-1].startswith("The plan has no numeric targets (qualitative): the rater assesses the results")


def test_the_unit_heads_rating_still_follows_the_unit_predicate():
    s = d.suggest_results_rating([_result("r1", "main", BELOW)], unit_head_of="opd", org_predicate=d.BAIK)
    assert s.rating == MEETS


# -- every text in Bahasa Indonesia ------------------------------------------------------------------


def test_every_reasoning_of_every_rule_has_an_indonesian_version():
    catalogue = load()
    facts = [
        IndicatorFacts(),
        IndicatorFacts(pending_in_period=3),
        measured(90, 100),
        measured(100),
        _deliveries(date(2026, 10, 9), date(2026, 11, 14), date(2026, 12, 20)),
        IndicatorFacts(realised_to_date=50, verified_in_period=2),
    ]
    inds = [
        indicator("quantity", 12, "laporan"),
        indicator("quality", 100, "%", "latest"),
        indicator("quality", 100, "%"),
        indicator("time", 3, "hari"),
        indicator("time", 12, "laporan", "deadline", 10),
        indicator("cost", 120000, "ribu rupiah"),
        indicator("quality", None, None),
        indicator("quantity", 1e300, "dokumen"),
    ]
    texts = {run(i, f).reasoning for i in inds for f in facts}
    texts.update(d.suggest_results_rating([_result("r1", "main", NO_DATA), _result("r2", "main", ABOVE)]).reasoning)
    texts.update(d.suggest_results_rating([_result("r1", "main", None)], qualitative=True).reasoning)
    assert sorted(t for t in texts if not catalogue.knows(t)) == []
    r = run(indicator("quality", 100, "%", "average"), measured(95))
    assert catalogue.translate(r.reasoning) == (
        "Kualitas (rata-rata 1 pengukuran terverifikasi dalam periode): 95 % dibanding target 100 % (95 %): di bawah "
        "ekspektasi."
    )
