"""Per unit over HTTP: organisational predicate, distribution (SE 03/2023), calibration, export, dashboard."""

import csv
import io
from datetime import timedelta

from kinerja_shared.testing.plugin import plain_client

EMPLOYEE, COLLEAGUE, RATER = "199001012015011001", "199202022016012005", "198001012005011002"
HEAD, ADMIN, OUTSIDER = "197001011995011003", "196501011990011004", "198505052010011006"
THIRD = "199303032017011007"
TEAM = (EMPLOYEE, COLLEAGUE, THIRD)


def _team(evaluation):
    """The org plus THIRD, each of the team with an approved plan and an open evaluation; returns
    {nip: evaluation id}."""
    evaluation.org()
    evaluation.apply(evaluation.ev.employee(THIRD))
    evaluation.apply(*[evaluation.ev.plan(nip) for nip in TEAM])
    return {e["nip"]: e["id"] for e in evaluation.evaluations()}


def _submit(evaluation, evaluation_id, results, behaviour, close=False):
    url = f"/api/v1/evaluations/{evaluation_id}"
    r = evaluation.post(
        url + "/submit", json={"results_rating": results, "behaviour_rating": behaviour, "rating_note": "calibrated"}
    )
    assert r.status_code == 200, r.json
    if close:
        assert evaluation.post(url + "/close").status_code == 200


def test_calibration_is_blocked_while_a_rule_is_broken_then_allowed(evaluation):
    ids = _team(evaluation)
    period = evaluation.period().id
    base = "/api/v1/unit-performance/opd"

    # no organisational predicate yet
    r = evaluation.post(f"{base}/calibrations/{period}", HEAD, json={})
    assert r.status_code == 409 and r.json["current_status"] == "no_predicate"
    # opd is a top-level unit: an admin sets it for the PPK; not its own head, nor anyone else
    for who in (OUTSIDER, RATER, HEAD):
        assert (
            evaluation.put(
                f"{base}/predicates/{period}", who, json={"predicate": "BAIK", "basis": "Laporan kinerja unit"}
            ).status_code
            == 403
        )
    r = evaluation.put(
        f"{base}/predicates/{period}", ADMIN, "admin", json={"predicate": "GREAT", "basis": "Laporan kinerja unit"}
    )
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "predicate"
    r = evaluation.put(
        f"{base}/predicates/{period}", ADMIN, "admin", json={"predicate": "BAIK", "basis": "Laporan kinerja unit"}
    )
    assert r.status_code == 200 and r.json["predicate"] == "BAIK" and r.json["authority"] == "ppk_admin"
    [set_event] = evaluation.outbox("UnitPredicateSet")
    assert set_event["data"]["unit_id"] == "opd" and set_event["data"]["period"]["id"] == period
    assert set_event["data"]["set_by"] == ADMIN

    # two of three rated; one still open
    _submit(evaluation, ids[EMPLOYEE], "meets", "meets")
    _submit(evaluation, ids[COLLEAGUE], "above", "meets")
    r = evaluation.post(f"{base}/calibrations/{period}", HEAD, json={})
    assert r.status_code == 409 and r.json["current_status"] == "pending" and r.json["pending"] == 1

    # all Baik: Baik at most 70 % (2 of 3) and at least one Butuh Perbaikan or Kurang are both broken
    _submit(evaluation, ids[THIRD], "meets", "above")
    dist = evaluation.get(f"{base}/distribution", HEAD, query_string={"period_id": period}).json
    assert (dist["total"], dist["pending"], dist["counts"]["BAIK"], dist["ok"]) == (3, 0, 3, False)
    assert [(v["code"], v["count"], v["limit"]) for v in dist["violations"]] == [
        ("BAIK.max_baik", 3, 2),
        ("BAIK.min_one_butuh_perbaikan_or_kurang", 0, 1),
    ]
    assert "3 of the unit's people (100.0 %), allowed at most 2" in dist["violations"][0]["message"]
    assert dist["rounding_policy"] == "literal" and "floor(p × n)" in dist["rounding"]
    r = evaluation.post(f"{base}/calibrations/{period}", HEAD, json={})
    assert r.status_code == 409 and r.json["current_status"] == "violated" and len(r.json["violations"]) == 2
    assert "Baik at most 70 %" in r.json["detail"]
    # a unit head cannot override
    r = evaluation.post(f"{base}/calibrations/{period}", HEAD, json={"override_reason": "small unit"})
    assert r.status_code == 403
    assert evaluation.outbox("CalibrationFinalised") == []

    # the rater corrects one form (still submitted): Baik 2 of 3, one Butuh Perbaikan
    _submit(evaluation, ids[THIRD], "below", "meets")
    dist = evaluation.get(f"{base}/distribution", HEAD, query_string={"period_id": period}).json
    assert dist["ok"] and dist["violations"] == [] and dist["counts"]["BUTUH_PERBAIKAN"] == 1
    r = evaluation.post(f"{base}/calibrations/{period}", HEAD, json={})
    assert r.status_code == 200, r.json
    assert r.json["calibration"]["finalised_by"] == HEAD and r.json["calibration"]["override_reason"] is None
    [final] = evaluation.outbox("CalibrationFinalised")
    assert final["data"]["organisational_predicate"] == "BAIK"
    assert final["data"]["distribution"]["BAIK"] == 2 and final["data"]["distribution"]["BUTUH_PERBAIKAN"] == 1
    assert sorted(p["nip"] for p in final["data"]["predicates"]) == sorted(TEAM)
    # the unit's predicate is now fixed for the period
    r = evaluation.put(
        f"{base}/predicates/{period}", ADMIN, "admin", json={"predicate": "ISTIMEWA", "basis": "Laporan kinerja unit"}
    )
    assert r.status_code == 409 and r.json["current_status"] == "finalised"


def test_an_admin_overrides_a_violation_with_a_recorded_reason(evaluation):
    ids = _team(evaluation)
    period = evaluation.period().id
    base = "/api/v1/unit-performance/opd-b1"
    # opd-b1's predicate is set by the head of opd, the unit above it
    assert (
        evaluation.put(
            f"{base}/predicates/{period}", HEAD, json={"predicate": "SANGAT_KURANG", "basis": "Laporan kinerja unit"}
        ).status_code
        == 200
    )
    for nip in TEAM:
        _submit(evaluation, ids[nip], "above", "above")
    r = evaluation.post(f"{base}/calibrations/{period}", ADMIN, "admin", json={})
    # in a unit of 3, "at least 10 %" literally asks for one person (0.3 of a person, rounded up)
    assert r.status_code == 409 and {v["code"] for v in r.json["violations"]} == {
        "SANGAT_KURANG.min_sangat_kurang",
        "SANGAT_KURANG.min_kurang_plus_butuh_perbaikan",
        "SANGAT_KURANG.no_sangat_baik",
    }
    r = evaluation.post(f"{base}/calibrations/{period}", ADMIN, "admin", json={"override_reason": "BKN audit pending"})
    assert r.status_code == 200 and r.json["calibration"]["override_reason"] == "BKN audit pending"
    [final] = evaluation.outbox("CalibrationFinalised")
    assert final["data"]["override_reason"] == "BKN audit pending" and final["data"]["finalised_by"] == ADMIN
    audit = evaluation.get(
        "/api/v1/audit", ADMIN, "admin", query_string={"entity_type": "unit", "entity_id": "opd-b1"}
    ).json
    assert any(a["action"] == "calibration.finalise" and a["reason"] == "BKN audit pending" for a in audit["items"])


def test_distribution_and_dashboard_rights(evaluation):
    _team(evaluation)
    period = evaluation.period().id
    for who, roles, unit, code in [
        (HEAD, (), "opd", 200),
        (HEAD, (), "opd-b1", 200),
        (RATER, (), "opd-b1", 200),
        (RATER, (), "opd", 403),
        (OUTSIDER, (), "opd", 403),
        (EMPLOYEE, (), "opd-b1", 403),
        (ADMIN, ("admin",), "opd", 200),
        ("197707072000011099", ("unit_head",), "opd", 403),
    ]:
        for view in ("distribution", "dashboard", "export"):
            r = evaluation.get(
                f"/api/v1/unit-performance/{unit}/{view}", who, *roles, query_string={"period_id": period}
            )
            assert r.status_code == code, (who, unit, view, r.json)
    r = evaluation.get("/api/v1/unit-performance/opd/distribution", HEAD)
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "period_id"
    r = evaluation.get("/api/v1/unit-performance/opd/distribution", HEAD, query_string={"period_id": "2026-Q0"})
    assert r.status_code == 422


def test_export_of_closed_predicates_in_json_and_csv(evaluation):
    ids = _team(evaluation)
    period = evaluation.period().id
    _submit(evaluation, ids[EMPLOYEE], "above", "above", close=True)
    _submit(evaluation, ids[COLLEAGUE], "below", "meets", close=True)
    _submit(evaluation, ids[THIRD], "meets", "meets")  # submitted, not closed: not exported
    r = evaluation.get("/api/v1/unit-performance/opd/export", HEAD, query_string={"period_id": period})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    rows = {x["nip"]: x for x in r.json["items"]}
    assert set(rows) == {EMPLOYEE, COLLEAGUE}
    assert (rows[EMPLOYEE]["predicate"], rows[EMPLOYEE]["predicate_name"], rows[EMPLOYEE]["credit_points"]) == (
        "SANGAT_BAIK",
        "Sangat Baik",
        4.69,
    )  # 150 % × 12.5 × 3/12 = 4.6875, half up to two decimals
    assert rows[COLLEAGUE]["predicate"] == "BUTUH_PERBAIKAN" and rows[COLLEAGUE]["credit_points"] is None
    assert r.json["calibrated"] is False

    r = evaluation.get("/api/v1/unit-performance/opd/export", HEAD, query_string={"period_id": period, "format": "csv"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert f"predicates-opd-{period}.csv" in r.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert [(t["nip"], t["predicate"], t["credit_points"]) for t in table] == [
        (EMPLOYEE, "SANGAT_BAIK", "4.69"),
        (COLLEAGUE, "BUTUH_PERBAIKAN", ""),
    ]
    r = evaluation.client.get(
        "/api/v1/unit-performance/opd/export",
        query_string={"period_id": period},
        headers={**evaluation.as_(HEAD), "Accept": "text/csv"},
    )
    assert r.headers["Content-Type"].startswith("text/csv")
    r = evaluation.get("/api/v1/unit-performance/opd/export", HEAD, query_string={"period_id": period, "format": "xml"})
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "format"


def test_dashboard_over_the_subtree(evaluation):
    ids = _team(evaluation)
    period = evaluation.period()
    plan_of = {r["nip"]: r["plan_id"] for r in evaluation.h.rows("SELECT nip, plan_id FROM evaluations")}
    plan_id = plan_of[EMPLOYEE]
    ev = evaluation.ev
    a = ev.activity(plan_id, evaluation.today, quantity=3)
    evaluation.apply(a, ev.verified(a))
    _submit(evaluation, ids[EMPLOYEE], "above", "above", close=True)
    _submit(evaluation, ids[COLLEAGUE], "below", "meets")

    r = evaluation.get("/api/v1/unit-performance/opd/dashboard", HEAD)  # default: today's period
    assert r.status_code == 200, r.json
    d = r.json
    assert d["period"]["id"] == period.id and d["units"] == 2 and d["unit_name"] == "OPD"
    # HEAD, RATER (no plans) and the team of three (with plans) in the subtree
    assert d["employees"] == 5 and d["plans"] == {"approved": 3, "employees": 5, "share": 60.0}
    assert d["activity_compliance"]["employees_with_plan"] == 3
    compliance = d["activity_compliance"]
    working_today = evaluation.today.weekday() < 5  # the default calendar: Monday to Friday, no holidays
    assert compliance["employees_logging"] == 1 and compliance["days_logged"] == (1 if working_today else 0)
    span = (evaluation.today - period.start).days + 1
    assert compliance["working_days"] == sum((period.start + timedelta(days=x)).weekday() < 5 for x in range(span))
    assert d["evaluations"] == {"open": 1, "submitted": 1, "closed": 1, "total": 3}
    assert d["predicates"]["counts"]["SANGAT_BAIK"] == 1 and d["predicates"]["counts"]["BUTUH_PERBAIKAN"] == 1
    assert d["predicates"]["pending"] == 1
    real = d["realisation"]
    # realisation per aspect: the five results with nothing verified in the period are "no data", not 0 % below;
    # only results with a percentage are ranked
    assert real["results"] == 6 and real["by_assessment"]["unassessed"] == 0 and real["by_assessment"]["no_data"] == 5
    assert [(x["nip"], x["result_id"]) for x in real["furthest_behind"]] == [(EMPLOYEE, "r1")]
    mine = [x for x in real["furthest_behind"] if x["nip"] == EMPLOYEE and x["result_id"] == "r1"][0]
    assert mine["percent_of_target"] == 25.0

    # a new event shows at once (the dashboard reads the read models)
    b = ev.activity(plan_of[COLLEAGUE], evaluation.today, quantity=1, indicator_id="i2", result_id="r2", nip=COLLEAGUE)
    evaluation.apply(b)
    d2 = evaluation.get("/api/v1/unit-performance/opd/dashboard", HEAD).json
    assert d2["activity_compliance"]["employees_logging"] == 2
    assert (d["realisation"]["pending_verification"], d2["realisation"]["pending_verification"]) == (0, 1)
    # a plan already shown is computed again once its sums change (each plan's results are memoised on them)
    evaluation.apply(ev.verified(b))
    d3 = evaluation.get("/api/v1/unit-performance/opd/dashboard", HEAD).json["realisation"]
    assert d3["by_assessment"]["no_data"] == 4 and d3["pending_verification"] == 0
    assert (COLLEAGUE, "r2") in [(x["nip"], x["result_id"]) for x in d3["furthest_behind"]]

    # the sub-unit alone
    sub = evaluation.get("/api/v1/unit-performance/opd-b1/dashboard", RATER).json
    assert sub["units"] == 1 and sub["employees"] == 4


def test_a_correction_after_calibration_marks_it_stale_until_finalised_again(evaluation):
    ids = _team(evaluation)
    period = evaluation.period().id
    base = "/api/v1/unit-performance/opd"
    assert (
        evaluation.put(
            f"{base}/predicates/{period}",
            ADMIN,
            "admin",
            json={"predicate": "ISTIMEWA", "basis": "Laporan kinerja unit"},
        ).status_code
        == 200
    )
    for nip in TEAM:
        _submit(evaluation, ids[nip], "above", "meets", close=True)
    assert evaluation.post(f"{base}/calibrations/{period}", HEAD, json={}).status_code == 200
    url = f"/api/v1/evaluations/{ids[THIRD]}"
    assert evaluation.post(url + "/reopen", ADMIN, "admin", json={"reason": "appeal upheld"}).status_code == 200
    _submit(evaluation, ids[THIRD], "above", "above", close=True)
    dist = evaluation.get(f"{base}/distribution", HEAD, query_string={"period_id": period}).json
    assert dist["calibration"]["stale"] is True and dist["counts"]["SANGAT_BAIK"] == 1
    r = evaluation.post(f"{base}/calibrations/{period}", HEAD, json={})
    assert r.status_code == 200 and r.json["calibration"]["stale"] is False
    assert len(evaluation.outbox("CalibrationFinalised")) == 2


def test_a_unit_heads_suggested_results_rating_is_the_units_predicate(evaluation):
    evaluation.org()
    evaluation.apply(evaluation.ev.plan(RATER, rater=HEAD))  # RATER heads opd-b1 and is rated by HEAD
    [item] = evaluation.evaluations(nip=RATER)
    url = f"/api/v1/evaluations/{item['id']}"
    before = evaluation.get(url, HEAD).json
    assert before["employee"]["is_unit_head"] is True and before["suggestion"]["rating"] is None  # no data yet
    period = item["period"]["id"]
    # RATER may not set their own unit's predicate (it becomes their results rating); HEAD, above, may
    own = evaluation.put(
        f"/api/v1/unit-performance/opd-b1/predicates/{period}",
        RATER,
        json={"predicate": "ISTIMEWA", "basis": "Laporan kinerja unit"},
    )
    assert own.status_code == 403 and own.json["rule"] == "parent_head"
    assert (
        evaluation.put(
            f"/api/v1/unit-performance/opd-b1/predicates/{period}",
            HEAD,
            json={"predicate": "ISTIMEWA", "basis": "Laporan kinerja unit"},
        ).status_code
        == 200
    )
    after = evaluation.get(url, HEAD).json
    assert after["organisational_predicate"] == "ISTIMEWA" and after["suggestion"]["rating"] == "above"
    assert "Istimewa" in after["suggestion"]["reasoning"][0]
    r = evaluation.post(url + "/submit", HEAD, json={"results_rating": "above", "behaviour_rating": "above"})
    assert r.status_code == 200 and r.json["predicate"] == "SANGAT_BAIK" and r.json["suggested_rating"] == "above"


def test_reasoning_rules_and_problems_follow_accept_language(evaluation):
    ids = _team(evaluation)
    period = evaluation.period().id
    base = "/api/v1/unit-performance/opd"
    assert (
        evaluation.put(
            f"{base}/predicates/{period}", ADMIN, "admin", json={"predicate": "BAIK", "basis": "Laporan kinerja unit"}
        ).status_code
        == 200
    )
    for nip in TEAM:
        _submit(evaluation, ids[nip], "meets", "meets")
    client, token = plain_client(evaluation.h.app), evaluation.as_(HEAD)

    dist = client.get(f"{base}/distribution", query_string={"period_id": period}, headers=token)
    assert dist.status_code == 200 and dist.headers["Content-Language"] == "id"
    assert "Accept-Language" in dist.headers["Vary"]
    assert dist.json["violations"][0]["code"] == "BAIK.max_baik"  # machine-readable parts stay
    assert (
        dist.json["violations"][0]["message"]
        == "Baik paling banyak 70 %: 3 orang di unit (100.0 %), paling banyak boleh 2"
    )
    english = client.get(
        f"{base}/distribution", query_string={"period_id": period}, headers={**token, "Accept-Language": "en"}
    )
    assert english.headers["Content-Language"] == "en"
    assert (
        english.json["violations"][0]["message"]
        == "Baik at most 70 %: 3 of the unit's people (100.0 %), allowed at most 2"
    )

    refused = client.post(f"{base}/calibrations/{period}", json={}, headers=token)
    assert refused.status_code == 409 and refused.headers["Content-Language"] == "id"
    assert refused.json["title"] == "Aturan distribusi dilanggar"
    assert refused.json["detail"].startswith("Distribusi melanggar Baik paling banyak 70 %: 3 orang di unit")
    assert refused.json["violations"][1]["message"].startswith("paling sedikit 1 Butuh Perbaikan atau Kurang")

    form = client.get(f"/api/v1/evaluations/{ids[TEAM[0]]}", headers=evaluation.as_(TEAM[0]))
    assert form.json["suggestion"]["reasoning"][0].startswith("0 dari 2 hasil kerja dinilai: 0 di atas")
    assert form.json["suggestion"]["reasoning"][1].startswith("Belum ada data (belum ada yang terverifikasi")
    form_en = client.get(
        f"/api/v1/evaluations/{ids[TEAM[0]]}", headers={**evaluation.as_(TEAM[0]), "Accept-Language": "en"}
    )
    assert form_en.json["suggestion"]["reasoning"][0].startswith("0 of 2 results assessed: 0 above")

    bad = client.put(
        f"{base}/predicates/{period}",
        json={"predicate": "GREAT", "basis": "Laporan kinerja unit"},
        headers=evaluation.as_(ADMIN, "admin"),
    )
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "predicate"
    assert bad.json["errors"][0]["message"].startswith("Predikat (predicate): Harus salah satu dari: ISTIMEWA")
