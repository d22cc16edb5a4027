"""The rules in plan_service.domain, alone (no Flask, no database)."""

from datetime import date

import pytest

from kinerja_shared.errors import InvalidTransition
from plan_service import domain
from plan_service.domain import (
    APPROVED,
    CLOSED,
    DRAFT,
    SUBMITTED,
    DomainError,
    cascade_problems,
    closing_end,
    nip_problem,
    parse_deadline,
    plan_content_problems,
    plan_span,
)

TODAY = date(2026, 6, 15)
BEHAVIOURS = [{"value": v, "expectation": ""} for v in domain.BEHAVIOUR_VALUES]


# -- NIP ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nip", ["199208172019031004", "197001011995031001", "198003152005012003", "200002292020012001"]
)
def test_well_formed_nips(nip):
    assert nip_problem(nip, TODAY) is None


@pytest.mark.parametrize(
    "nip,words",
    [
        ("19920817201903100", "18 digits"),  # too short
        ("1992081720190310044", "18 digits"),  # too long
        ("19920817201903100x", "18 digits"),  # not digits
        (199208172019031004, "18 digits"),  # not a string
        ("199213172019031004", "birth date"),  # month 13
        ("199202302019031004", "birth date"),  # 30 February
        ("200102292020012001", "birth date"),  # 29 February of a common year
        ("202701012019031004", "birth date"),  # born in the future
        ("189912312019031004", "birth date"),  # before 1900
        ("199208172019001004", "start month"),  # month 00
        ("199208172019131004", "start month"),  # month 13
        ("199208172000031004", "15 years"),  # started at 8
        ("199208172030031004", "future"),  # starts in 2030
        ("199208172019033004", "gender digit"),  # 3 is not a gender
        ("199208172019030004", "gender digit"),
    ],
)
def test_malformed_nips_say_why(nip, words):
    problem = nip_problem(nip, TODAY)
    assert problem is not None and words in problem


def test_unit_ids():
    assert domain.unit_id_problem("dinkes-yankes") is None
    for bad in ("", "-x", "a b", "a/b", "x" * 65, "tree"):
        assert domain.unit_id_problem(bad)


# -- the status machine -------------------------------------------------------------------------------

ALLOWED = {
    "edit": {DRAFT},
    "submit": {DRAFT},
    "approve": {SUBMITTED},
    "return": {SUBMITTED},
    "amend": {APPROVED},
    "close": {DRAFT, SUBMITTED, APPROVED},
}


@pytest.mark.parametrize("action", sorted(ALLOWED))
@pytest.mark.parametrize("status", domain.STATUSES)
def test_every_transition_allowed_or_forbidden(action, status):
    if status in ALLOWED[action]:
        target = domain.next_status(action, status)
        assert (
            target
            == {
                "edit": DRAFT,
                "submit": SUBMITTED,
                "approve": APPROVED,
                "return": DRAFT,
                "amend": APPROVED,
                "close": CLOSED,
            }[action]
        )
    else:
        with pytest.raises(InvalidTransition) as caught:
            domain.next_status(action, status)
        assert caught.value.current == status and status in str(caught.value)


@pytest.mark.parametrize("action", sorted(domain.AMENDMENT_TRANSITIONS.table))
@pytest.mark.parametrize("status", domain.AMENDMENT_STATUSES)
def test_amendment_transitions(action, status):
    if status == domain.PROPOSED:
        assert (
            domain.next_amendment_status(action, status) == domain.AMENDMENT_TRANSITIONS.table[action][domain.PROPOSED]
        )
    else:
        with pytest.raises(InvalidTransition, match="amendment"):
            domain.next_amendment_status(action, status)


# -- plan content ---------------------------------------------------------------------------------------


def result(**kw):
    base = {
        "result_id": "r1",
        "kind": "main",
        "text": "Hasil",
        "indicators": [
            {"indicator_id": "i1", "aspect": "quantity", "text": "Jumlah", "target_value": 2, "target_unit": "dokumen"}
        ],
    }
    base.update(kw)
    return base


def fields(problems):
    return [f for f, _ in problems]


def test_a_complete_quantitative_ja_jf_plan_passes():
    assert plan_content_problems("quantitative", "JA_JF", [result()], BEHAVIOURS) == []


def test_quantitative_indicators_need_target_and_unit():
    r = result(
        indicators=[
            {"indicator_id": "i1", "aspect": "quality", "text": "Mutu", "target_value": None, "target_unit": ""}
        ]
    )
    assert fields(plan_content_problems("quantitative", "JA_JF", [r], BEHAVIOURS)) == [
        "results.0.indicators.0.target_value",
        "results.0.indicators.0.target_unit",
    ]


@pytest.mark.parametrize(
    "aspect, measure, day, problems",
    [
        ("quantity", None, None, []),
        ("quantity", "sum", None, []),
        ("quality", "latest", None, []),
        ("quality", "average", None, []),
        ("time", "duration", None, []),
        ("time", "deadline", 10, []),
        ("time", "deadline", 31, []),
        ("cost", "spent", None, []),
        ("cost", None, None, []),
        ("quantity", "average", None, ["results.0.indicators.0.measure"]),
        ("quality", "sum", None, ["results.0.indicators.0.measure"]),
        ("time", "spent", None, ["results.0.indicators.0.measure"]),
        ("cost", "duration", None, ["results.0.indicators.0.measure"]),
        ("time", "deadline", None, ["results.0.indicators.0.deadline_day"]),
        ("time", "duration", 10, ["results.0.indicators.0.deadline_day"]),
        ("quantity", None, 5, ["results.0.indicators.0.deadline_day"]),
    ],
)
def test_an_indicators_measure_must_suit_its_aspect(aspect, measure, day, problems):
    r = result(
        indicators=[
            {
                "indicator_id": "i1",
                "aspect": aspect,
                "text": "x",
                "target_value": 12,
                "target_unit": "laporan",
                "measure": measure,
                "deadline_day": day,
            }
        ]
    )
    assert fields(plan_content_problems("quantitative", "JA_JF", [r], BEHAVIOURS)) == problems


def test_qualitative_indicators_are_narrative_without_targets():
    narrative = result(indicators=[{"indicator_id": "i1", "aspect": "quality", "text": "Layanan makin ramah"}])
    assert plan_content_problems("qualitative", "JA_JF", [narrative], BEHAVIOURS) == []
    assert fields(plan_content_problems("qualitative", "JA_JF", [result()], BEHAVIOURS)) == [
        "results.0.indicators.0.target_value",
        "results.0.indicators.0.target_unit",
    ]


def test_jpt_results_carry_a_perspective_and_ja_jf_ones_do_not():
    assert fields(plan_content_problems("quantitative", "JPT", [result()], BEHAVIOURS)) == ["results.0.perspective"]
    assert plan_content_problems("quantitative", "JPT", [result(perspective="Proses Bisnis")], BEHAVIOURS) == []
    assert fields(plan_content_problems("quantitative", "JA_JF", [result(perspective="Anggaran")], BEHAVIOURS)) == [
        "results.0.perspective"
    ]


def test_a_plan_needs_a_main_result_unique_ids_and_seven_behaviours():
    problems = plan_content_problems(
        "quantitative",
        "JA_JF",
        [result(kind="additional"), result(kind="additional")],
        BEHAVIOURS[:6] + [BEHAVIOURS[0]],
    )
    assert set(fields(problems)) == {
        "results",
        "results.1.result_id",
        "results.1.indicators.0.indicator_id",
        "behaviours",
    }
    message = dict(problems)["behaviours"]
    assert "missing: collaborative" in message and "repeated: service" in message
    with pytest.raises(DomainError) as caught:
        domain.check_plan_content("quantitative", "JA_JF", [result()], [])
    assert caught.value.field == "behaviours"


def test_unknown_approach_and_model():
    assert {"approach", "model"} <= set(fields(plan_content_problems("numeric", "X", [result()], BEHAVIOURS)))


# -- the cascade ------------------------------------------------------------------------------------------

RATER_RESULTS = {"R1": {"result_id": "R1"}, "R2": {"result_id": "R2"}}


def cascade(results, *, rater="198001012005011002", rater_results=RATER_RESULTS, require=False, model="JA_JF"):
    return cascade_problems(
        model, results, rater_nip=rater, rater_plan_id="plan-r", rater_results=rater_results, year=2026, require=require
    )


def test_a_named_supported_result_must_be_in_the_raters_approved_plan():
    assert cascade([result(supports_result_id="R1")]) == []
    [(field, message)] = cascade([result(supports_result_id="R9")])
    assert field == "results.0.supports_result_id" and "R1, R2" in message and "plan-r" in message
    [(field, message)] = cascade([result(supports_result_id="R1")], rater_results=None)
    assert "no approved plan for 2026" in message
    [(field, message)] = cascade([result(supports_result_id="R1")], rater=None)
    assert "no rater" in message


def test_on_submission_every_main_ja_jf_result_supports_one_once_the_raters_plan_is_approved():
    results = [result(), result(result_id="r2", kind="additional")]
    assert cascade(results) == []  # drafting: not yet required
    assert fields(cascade(results, require=True)) == ["results.0.supports_result_id"]  # additional ones are free
    assert cascade(results, require=True, rater_results=None) == []  # the rater has no approved plan yet
    assert cascade(results, require=True, model="JPT") == []  # JPT results come from the perjanjian kinerja


# -- spans, transfers, deadline ------------------------------------------------------------------------------


def test_plan_span_defaults_to_the_year_and_stays_inside_it():
    assert plan_span(2026, None, None) == domain.Span(date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(DomainError) as caught:
        plan_span(2026, date(2025, 12, 1), None)
    assert caught.value.field == "period_start"
    with pytest.raises(DomainError) as caught:
        plan_span(2026, None, date(2027, 1, 1))
    assert caught.value.field == "period_end"
    with pytest.raises(DomainError) as caught:
        plan_span(2026, date(2026, 5, 1), date(2026, 4, 1))
    assert caught.value.field == "period_end"


def test_a_new_posts_plan_starts_at_the_transfer():
    assert plan_span(2026, None, None, not_before=date(2026, 7, 1)).start == date(2026, 7, 1)
    with pytest.raises(DomainError) as caught:
        plan_span(2026, date(2026, 6, 1), None, not_before=date(2026, 7, 1))
    assert caught.value.field == "period_start" and "2026-07-01" in caught.value.message


def test_a_transfer_ends_the_plan_the_day_before():
    assert closing_end(date(2026, 1, 1), date(2026, 12, 31), date(2026, 7, 1)) == date(2026, 6, 30)
    assert closing_end(date(2026, 3, 1), date(2026, 12, 31), date(2026, 3, 1)) == date(2026, 12, 31)  # never ran
    assert closing_end(date(2026, 1, 1), date(2026, 5, 31), date(2026, 7, 1)) == date(2026, 5, 31)


def test_directory_changes():
    before = {"name": "A", "unit_id": "u1", "rater_nip": "1", "functional_coefficient": 12.0, "position": ""}
    after = {"name": "A", "unit_id": "u2", "rater_nip": "1", "functional_coefficient": 12, "position": None}
    assert domain.changed_fields(before, after) == ["unit_id"]
    assert domain.is_transfer(before, after) and not domain.is_transfer(None, after)


def test_deadline_setting():
    assert parse_deadline("01-31") == (1, 31)
    assert domain.deadline_for(2026, parse_deadline("02-28")) == date(2026, 2, 28)
    for bad in ("1-31", "13-01", "02-30", "02-29", "", "01/31"):
        with pytest.raises(ValueError):
            parse_deadline(bad)


# -- acting heads (Plt., Plh.) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, acting",
    [(date(2026, 3, 31), False), (date(2026, 4, 1), True), (date(2026, 4, 30), True), (date(2026, 5, 1), False)],
)
def test_an_acting_head_acts_from_the_first_to_the_last_day_included(day, acting):
    assignment = {"status": "active", "valid_from": date(2026, 4, 1), "valid_to": date(2026, 4, 30)}
    assert domain.acting_on(assignment, day) is acting
    assert domain.acting_on({**assignment, "status": "revoked"}, day) is False
    assert domain.acting_on({**assignment, "valid_to": None}, date(2030, 1, 1)) is True


def test_spans_overlap_when_they_share_a_day():
    april = (date(2026, 4, 1), date(2026, 4, 30))
    assert domain.spans_overlap(*april, date(2026, 4, 30), None)  # the last day is shared
    assert not domain.spans_overlap(*april, date(2026, 5, 1), None)
    assert domain.spans_overlap(date(2026, 1, 1), None, date(2030, 1, 1), date(2030, 1, 2))  # open-ended reaches it


def test_acting_rules_name_the_field():
    new = {
        "unit_id": "bidang",
        "nip": "199208172019031004",
        "kind": "plt",
        "valid_from": date(2026, 4, 1),
        "valid_to": None,
    }
    person = {"active": True}
    assert domain.acting_problems(new, unit_head=None, employee=person, others=[]) == []
    assert [f for f, _ in domain.acting_problems(new, unit_head="198003152005012003", employee=person, others=[])] == [
        "kind"
    ]
    assert (
        domain.acting_problems({**new, "kind": "plh"}, unit_head="198003152005012003", employee=person, others=[]) == []
    )
    assert [f for f, _ in domain.acting_problems(new, unit_head=None, employee={"active": False}, others=[])] == ["nip"]
    assert [f for f, _ in domain.acting_problems(new, unit_head=None, employee=None, others=[])] == ["nip"]
    other = {"nip": "197001011995031001", "valid_from": date(2026, 1, 1), "valid_to": date(2026, 4, 1)}
    assert [f for f, _ in domain.acting_problems(new, unit_head=None, employee=person, others=[other])] == [
        "valid_from"
    ]
    assert [f for f, _ in domain.acting_span_problems(date(2026, 4, 2), date(2026, 4, 1), TODAY)] == ["valid_to"]
    assert [f for f, _ in domain.acting_span_problems(date(2026, 4, 2), date(2031, 5, 1), TODAY)] == ["valid_to"]
    assert [f for f, _ in domain.acting_span_problems(date(2027, 6, 17), None, TODAY)] == ["valid_from"]
    assert domain.acting_span_problems(date(2026, 4, 2), date(2026, 4, 2), TODAY) == []
