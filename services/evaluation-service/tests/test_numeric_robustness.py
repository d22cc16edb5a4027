"""A number stored before the bounds existed (or written by hand) never breaks the form or the dashboard.

Huge and non-finite quantities, absurd targets and coefficients reach the read models through
events (their schemas only say "a number") or straight into the database; every screen still
answers 200 with strict JSON (``NaN``/``Infinity`` are not JSON), leaving the unusable value out
and saying so.
"""

import json

import pytest
from sqlalchemy import text

from kinerja_shared.numbers import MAX_ENTRY_QUANTITY, MAX_TARGET_VALUE

EMPLOYEE, RATER = "199001012015011001", "198001012005011002"
HEAD, ADMIN = "197001011995011003", "196501011990011004"


def strict_json(response):
    def refuse(name):
        raise AssertionError(f"{name} in a JSON answer: {response.get_data(as_text=True)[:300]}")

    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return json.loads(response.get_data(as_text=True), parse_constant=refuse)


def _open(evaluation, results=None):
    evaluation.org()
    plan = evaluation.ev.plan(EMPLOYEE, results=results)
    evaluation.apply(plan)
    [item] = evaluation.evaluations(nip=EMPLOYEE)
    return plan["data"]["plan_id"], item["id"]


def _sql(evaluation, statement: str, **params) -> None:
    with evaluation.h.engine.begin() as conn:
        conn.execute(text(statement), params)


def _screens(evaluation, evaluation_id):
    form = strict_json(evaluation.get(f"/api/v1/evaluations/{evaluation_id}", RATER))
    for unit in ("opd-b1", "opd"):  # the unit and the unit above it
        strict_json(evaluation.get(f"/api/v1/unit-performance/{unit}/dashboard", HEAD))
    strict_json(evaluation.get("/api/v1/evaluations", ADMIN, "admin"))
    return form


def test_huge_verified_quantities_are_left_out_of_the_realisation_and_flagged(evaluation):
    plan_id, evaluation_id = _open(evaluation)
    ev = evaluation.ev
    huge = [ev.activity(plan_id, evaluation.today, quantity=1e308) for _ in range(2)]
    fine = ev.activity(plan_id, evaluation.today, quantity=3)
    above_max = ev.activity(plan_id, evaluation.today, quantity=MAX_ENTRY_QUANTITY + 1)
    evaluation.apply(*huge, fine, above_max, *[ev.verified(a) for a in (*huge, fine, above_max)])

    form = _screens(evaluation, evaluation_id)
    i1 = form["results"][0]["indicators"][0]
    assert (i1["realised_in_period"], i1["realised_to_date"]) == (3, 3)
    assert i1["quantity_excluded"] == 3
    assert form["results"][0]["percent"] is not None


@pytest.mark.parametrize("stored", ["Infinity", "NaN", "-Infinity"])
def test_a_non_finite_quantity_written_into_the_database_leaves_every_screen_readable(evaluation, stored):
    plan_id, evaluation_id = _open(evaluation)
    ev = evaluation.ev
    a, b = ev.activity(plan_id, evaluation.today, quantity=2), ev.activity(plan_id, evaluation.today, quantity=2)
    evaluation.apply(a, b, ev.verified(a), ev.verified(b))
    _sql(evaluation, f"UPDATE activities SET quantity = '{stored}'::float8 WHERE id = :id", id=a["data"]["activity_id"])

    form = _screens(evaluation, evaluation_id)
    i1 = form["results"][0]["indicators"][0]
    assert (i1["realised_to_date"], i1["quantity_excluded"]) == (2, 1)
    shown = {x["id"]: x["quantity"] for x in form["activities"]}
    assert shown[a["data"]["activity_id"]] is None and shown[b["data"]["activity_id"]] == 2


@pytest.mark.parametrize("target", [1e-300, 1e308, 5e-324])
def test_an_absurd_target_gives_no_percentage_and_says_why(evaluation, target):
    results = [
        {
            "result_id": "r1",
            "kind": "main",
            "text": "Dokumen",
            "indicators": [
                {
                    "indicator_id": "i1",
                    "aspect": "quantity",
                    "text": "Jumlah",
                    "target_value": target,
                    "target_unit": "dokumen",
                }
            ],
        }
    ]
    plan_id, evaluation_id = _open(evaluation, results=results)
    a = evaluation.ev.activity(plan_id, evaluation.today, quantity=MAX_ENTRY_QUANTITY)
    evaluation.apply(a, evaluation.ev.verified(a))

    form = _screens(evaluation, evaluation_id)
    i1 = form["results"][0]["indicators"][0]
    assert i1["percent_of_target"] is None and i1["percent_of_expected"] is None
    assert i1["target_usable"] is False


def test_a_stored_absurd_coefficient_or_credit_points_never_break_closing_or_the_list(evaluation):
    _, evaluation_id = _open(evaluation)
    _sql(evaluation, "UPDATE employees SET functional_coefficient = 1e308 WHERE nip = :nip", nip=EMPLOYEE)
    url = f"/api/v1/evaluations/{evaluation_id}"
    assert (
        evaluation.post(
            url + "/submit",
            json={"results_rating": "above", "behaviour_rating": "above", "rating_note": "dinilai dari bukti"},
        ).status_code
        == 200
    )
    closed = evaluation.post(url + "/close")
    assert closed.status_code == 200 and closed.json["credit_points"] is None
    _sql(evaluation, "UPDATE evaluations SET credit_points = 'Infinity'::float8")
    [item] = strict_json(evaluation.get("/api/v1/evaluations", ADMIN, "admin"))["items"]
    assert item["credit_points"] is None
    assert strict_json(evaluation.get(url, RATER))["employee"]["functional_coefficient"] is None


def test_extreme_but_allowed_values_give_finite_figures_everywhere(evaluation):
    """The smallest target two decimals allow against many entries at the per-entry maximum."""
    results = [
        {
            "result_id": "r1",
            "kind": "main",
            "text": "Dokumen",
            "indicators": [
                {
                    "indicator_id": "i1",
                    "aspect": "quantity",
                    "text": "Jumlah",
                    "target_value": 0.01,
                    "target_unit": "dokumen",
                },
                {
                    "indicator_id": "i2",
                    "aspect": "cost",
                    "text": "Anggaran",
                    "target_value": MAX_TARGET_VALUE,
                    "target_unit": "ribu rupiah",
                },
            ],
        }
    ]
    plan_id, evaluation_id = _open(evaluation, results=results)
    ev = evaluation.ev
    logged = [
        ev.activity(plan_id, evaluation.today, quantity=MAX_ENTRY_QUANTITY, indicator_id=i) for i in ("i1", "i2") * 20
    ]
    evaluation.apply(*logged, *[ev.verified(a) for a in logged])

    form = _screens(evaluation, evaluation_id)
    i1, i2 = form["results"][0]["indicators"]
    assert i1["realised_to_date"] == 20 * MAX_ENTRY_QUANTITY and i1["target_usable"] is True
    assert i1["percent_of_target"] == 20 * MAX_ENTRY_QUANTITY / 0.01 * 100
    # cost is lower-is-better (realisation per aspect): (2 × budget − spent) / budget, a tiny spend is ~200 %
    assert i2["percent_of_target"] == round(
        (2 * MAX_TARGET_VALUE - 20 * MAX_ENTRY_QUANTITY) / MAX_TARGET_VALUE * 100, 1
    )
    dashboard = strict_json(evaluation.get("/api/v1/unit-performance/opd/dashboard", HEAD))
    assert dashboard["realisation"]["average_percent_of_target"] > 0
