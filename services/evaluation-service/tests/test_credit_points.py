"""Issue 16 over HTTP: credit points (angka kredit) by the employee's functional level, the yearly accumulation
and the PAK record written when the annual evaluation closes.

Every figure below is computed by hand: share × yearly coefficient × months / 12, rounded half up to two
decimals (Sangat Baik 150 %, Baik 100 %, Butuh Perbaikan 75 %, Kurang 50 %, Sangat Kurang 25 %).
"""

import pytest

EMPLOYEE, COLLEAGUE, RATER = "199001012015011001", "199202022016012005", "198001012005011002"
HEAD, ADMIN, OUTSIDER = "197001011995011003", "196501011990011004", "198505052010011006"
CLAIMANT = "197707072000011099"

# ratings that give each predicate (the matrix of PermenPANRB 6/2022)
RATINGS = {
    "SANGAT_BAIK": ("above", "above"),
    "BAIK": ("meets", "meets"),
    "BUTUH_PERBAIKAN": ("below", "meets"),
    "KURANG": ("meets", "below"),
    "SANGAT_KURANG": ("below", "below"),
}
PREDICATES = list(RATINGS)
# a quarter (3 of 12 months) of each level, per predicate in the order above, by hand
QUARTER = {
    "PT": (4.69, 3.13, 2.34, 1.56, 0.78),  # 12.5: 4.6875, 3.125, 2.34375, 1.5625, 0.78125
    "MU": (9.38, 6.25, 4.69, 3.13, 1.56),  # 25: 9.375, 6.25, 4.6875, 3.125, 1.5625
    "MA": (14.06, 9.38, 7.03, 4.69, 2.34),  # 37.5: 14.0625, 9.375, 7.03125, 4.6875, 2.34375
    "UT": (18.75, 12.5, 9.38, 6.25, 3.13),  # 50: 18.75, 12.5, 9.375, 6.25, 3.125
    "PM": (1.41, 0.94, 0.7, 0.47, 0.23),  # 3.75: 1.40625, 0.9375, 0.703125, 0.46875, 0.234375
    "TR": (1.88, 1.25, 0.94, 0.63, 0.31),  # 5: 1.875, 1.25, 0.9375, 0.625, 0.3125
    "MH": (4.69, 3.13, 2.34, 1.56, 0.78),  # 12.5
    "PY": (9.38, 6.25, 4.69, 3.13, 1.56),  # 25
}
PEOPLE = ["199101012016011101", "199101012016011102", "199101012016011103", "199101012016011104", "199101012016011105"]


def _close(evaluation, evaluation_id, predicate):
    results, behaviour = RATINGS[predicate]
    url = f"/api/v1/evaluations/{evaluation_id}"
    r = evaluation.post(
        url + "/submit",
        json={"results_rating": results, "behaviour_rating": behaviour, "rating_note": "sesuai bukti dukung"},
    )
    assert r.status_code == 200, r.json
    r = evaluation.post(url + "/close")
    assert r.status_code == 200, r.json
    return r.json


@pytest.mark.parametrize("level", list(QUARTER))
def test_credit_points_for_each_level_and_predicate_over_http(evaluation, level):
    evaluation.org()
    # a typed-in coefficient of 99 is ignored: the level decides
    evaluation.apply(*[evaluation.ev.employee(nip, level=level, coefficient=99) for nip in PEOPLE])
    evaluation.apply(*[evaluation.ev.plan(nip) for nip in PEOPLE])
    by_nip = {e["nip"]: e["id"] for e in evaluation.evaluations()}
    for nip, predicate, expected in zip(PEOPLE, PREDICATES, QUARTER[level]):
        closed = _close(evaluation, by_nip[nip], predicate)
        assert (closed["predicate"], closed["credit_points"]) == (predicate, expected), (level, predicate)
        year = evaluation.today.year
        answer = evaluation.get("/api/v1/evaluations/credit-points", nip, query_string={"nip": nip, "year": year}).json
        assert (answer["functional_level"], answer["coefficient_source"], answer["coefficient_note"]) == (
            level,
            "functional_level",
            None,
        )
        [period] = answer["periods"]
        assert (period["months"], period["credit_points"], answer["total"]) == (3, expected, expected)


def test_the_worked_example_two_months_at_baik_for_an_ahli_pertama(evaluation):
    evaluation.org()
    year = evaluation.today.year
    evaluation.apply(evaluation.ev.employee(EMPLOYEE, level="PT"))
    # a plan of the last two months of the year: its fourth quarter is two months long
    evaluation.apply(evaluation.ev.plan(EMPLOYEE, start=f"{year}-11-01", end=f"{year}-12-31"))
    r = evaluation.post(f"/api/v1/periods/{year}-Q4/open", ADMIN, "admin", json={"unit_id": "opd-b1"})
    assert r.status_code == 200
    [item] = [e for e in evaluation.evaluations(nip=EMPLOYEE) if e["period"]["id"] == f"{year}-Q4"]
    assert _close(evaluation, item["id"], "BAIK")["credit_points"] == 2.08  # 2/12 × 100 % × 12.5 = 2.0833...


def test_a_years_accumulation_and_the_pak_record_when_the_annual_evaluation_closes(evaluation):
    evaluation.org()
    year = evaluation.today.year
    evaluation.apply(evaluation.ev.employee(EMPLOYEE, level="MU"))
    evaluation.apply(evaluation.ev.plan(EMPLOYEE, plan_id="plan-cp"))
    [current] = evaluation.evaluations(nip=EMPLOYEE)
    quarter = current["period"]["id"]
    # every other quarter of the year too (the admin opens them to catch up)
    for q in range(1, 5):
        if f"{year}-Q{q}" != quarter:
            assert evaluation.post(f"/api/v1/periods/{year}-Q{q}/open", ADMIN, "admin", json={}).status_code == 200
    items = sorted(evaluation.evaluations(nip=EMPLOYEE), key=lambda e: e["period"]["id"])
    assert [e["period"]["id"] for e in items] == [f"{year}-Q{q}" for q in range(1, 5)]
    for item, predicate in zip(items[:3], ("BAIK", "SANGAT_BAIK", "BUTUH_PERBAIKAN")):
        _close(evaluation, item["id"], predicate)
    url = "/api/v1/evaluations/credit-points"
    query = {"nip": EMPLOYEE, "year": year}
    answer = evaluation.get(url, EMPLOYEE, query_string=query).json
    # Ahli Muda, 25 a year: a quarter at Baik 6.25, at Sangat Baik 9.375 -> 9.38, at Butuh Perbaikan 4.6875 -> 4.69
    assert [(p["period"]["id"], p["status"], p["share_percent"], p["credit_points"]) for p in answer["periods"]] == [
        (f"{year}-Q1", "closed", 100, 6.25),
        (f"{year}-Q2", "closed", 150, 9.38),
        (f"{year}-Q3", "closed", 75, 4.69),
        (f"{year}-Q4", "open", None, None),
    ]
    assert answer["total"] == 20.32 and answer["coefficient"] == 25 and answer["siasn_koefisien_id"] == 22
    assert answer["annual"] is None and answer["assessment"] is None
    assert "two decimals" in answer["rule"]
    _close(evaluation, items[3]["id"], "BAIK")

    # the annual evaluation closes: the PAK record is written with the figures, the basis and who set it
    assert evaluation.post(f"/api/v1/periods/{year}-Y/open", ADMIN, "admin", json={}).status_code == 200
    [annual] = [e for e in evaluation.evaluations(nip=EMPLOYEE) if e["period"]["kind"] == "annual"]
    closed = _close(evaluation, annual["id"], "BAIK")
    assert closed["credit_points"] == 25.0
    answer = evaluation.get(url, EMPLOYEE, query_string=query).json
    assert answer["total"] == 26.57  # 6.25 + 9.38 + 4.69 + 6.25
    assert answer["annual"]["credit_points"] == 25.0 and answer["annual"]["months"] == 12
    pak = answer["assessment"]
    assert (
        pak["evaluation_id"],
        pak["functional_level"],
        pak["coefficient"],
        pak["periodic_total"],
        pak["annual_predicate"],
        pak["annual_credit_points"],
        pak["set_by"],
    ) == (annual["id"], "MU", 25.0, 26.57, "BAIK", 25.0, RATER)
    assert [p["credit_points"] for p in pak["periods"]] == [6.25, 9.38, 4.69, 6.25]
    assert (
        pak["basis"]["results_rating"],
        pak["basis"]["behaviour_rating"],
        pak["basis"]["rater_nip"],
        pak["basis"]["closed_by"],
    ) == ("meets", "meets", RATER, RATER)
    audit = evaluation.get(
        "/api/v1/audit",
        ADMIN,
        "admin",
        query_string={"entity_type": "credit_assessment", "entity_id": f"{EMPLOYEE}-{year}"},
    ).json
    assert [a["action"] for a in audit["items"]] == ["credit_assessment.recorded"]


def test_without_a_level_the_old_coefficient_counts_and_the_answer_says_so(evaluation):
    evaluation.org()  # EMPLOYEE has the old typed-in coefficient 12.5 and no level; COLLEAGUE neither
    evaluation.apply(evaluation.ev.plan(EMPLOYEE), evaluation.ev.plan(COLLEAGUE))
    by_nip = {e["nip"]: e["id"] for e in evaluation.evaluations()}
    assert _close(evaluation, by_nip[EMPLOYEE], "BAIK")["credit_points"] == 3.13
    assert _close(evaluation, by_nip[COLLEAGUE], "BAIK")["credit_points"] is None
    year = evaluation.today.year
    answer = evaluation.get(
        "/api/v1/evaluations/credit-points", EMPLOYEE, query_string={"nip": EMPLOYEE, "year": year}
    ).json
    assert (answer["functional_level"], answer["coefficient"], answer["coefficient_source"]) == (
        None,
        12.5,
        "functional_coefficient",
    )
    assert answer["coefficient_note"].startswith(f"No functional level (jenjang) is known for {EMPLOYEE}")
    none = evaluation.get(
        "/api/v1/evaluations/credit-points", COLLEAGUE, query_string={"nip": COLLEAGUE, "year": year}
    ).json
    assert (
        none["coefficient_source"] is None and none["total"] is None and "no credit points" in none["coefficient_note"]
    )
    detail = evaluation.get(f"/api/v1/evaluations/{by_nip[EMPLOYEE]}", RATER).json
    assert detail["employee"]["coefficient_source"] == "functional_coefficient"


def test_who_may_read_an_employees_credit_points(evaluation):
    evaluation.org()
    evaluation.apply(evaluation.ev.employee(CLAIMANT, unit_id="other-opd", unit_path=["other-opd"], rater=OUTSIDER))
    evaluation.apply(evaluation.ev.plan(EMPLOYEE))
    year = evaluation.today.year
    query = {"nip": EMPLOYEE, "year": year}
    url = "/api/v1/evaluations/credit-points"
    for who, roles, code in [
        (EMPLOYEE, (), 200),
        (RATER, (), 200),
        (HEAD, (), 200),
        (ADMIN, ("admin",), 200),
        (COLLEAGUE, (), 403),
        (OUTSIDER, ("unit_head",), 403),
        (CLAIMANT, ("unit_head",), 403),
    ]:
        r = evaluation.get(url, who, *roles, query_string=query)
        assert r.status_code == code, (who, r.json)
    r = evaluation.client.get(url, query_string=query, headers=evaluation.h.token(CLAIMANT, "unit_head", unit="opd"))
    assert r.status_code == 403
    r = evaluation.get(url, ADMIN, "admin", query_string={"nip": "199909092020011999", "year": year})
    assert r.status_code == 404
    for bad, field in [
        ({"nip": "123", "year": year}, "nip"),
        ({"nip": EMPLOYEE, "year": 1999}, "year"),
        ({"year": year}, "nip"),
    ]:
        r = evaluation.get(url, ADMIN, "admin", query_string=bad)
        assert r.status_code == 422 and r.json["errors"][0]["field"] == field
