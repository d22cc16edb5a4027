"""Realisation per indicator aspect over HTTP: the evaluation form shows each indicator's level,
percentage and reasoning (Bahasa Indonesia by default, English on request), and the results-rating
suggestion follows them and names the results that drove it."""

from datetime import timedelta

from kinerja_shared.testing.plugin import plain_client

from .test_evaluations_api import EMPLOYEE, RATER

QUALITY_TEXT = "Laporan diterima tanpa revisi"
TIME_TEXT = "Laporan bulanan disampaikan tepat waktu"


def _results():
    return [
        {
            "result_id": "r1",
            "kind": "main",
            "text": QUALITY_TEXT,
            "indicators": [
                {
                    "indicator_id": "q1",
                    "aspect": "quality",
                    "text": "Persentase laporan tanpa revisi",
                    "target_value": 100,
                    "target_unit": "%",
                    "measure": "latest",
                    "deadline_day": None,
                }
            ],
        },
        {
            "result_id": "r2",
            "kind": "additional",
            "text": TIME_TEXT,
            "indicators": [
                {
                    "indicator_id": "t1",
                    "aspect": "time",
                    "text": "Paling lambat tanggal 10 setiap bulan",
                    "target_value": 12,
                    "target_unit": "laporan",
                    "measure": "deadline",
                    "deadline_day": 10,
                }
            ],
        },
    ]


def _verified(evaluation, plan_id, day, indicator_id, result_id, quantity):
    logged = evaluation.ev.activity(plan_id, day, indicator_id=indicator_id, result_id=result_id, quantity=quantity)
    evaluation.apply(logged, evaluation.ev.verified(logged))


def test_quality_at_95_of_100_and_a_late_delivery_drive_the_suggestion_with_their_reasoning(evaluation):
    evaluation.org()
    plan = evaluation.ev.plan(EMPLOYEE, results=_results())
    evaluation.apply(plan)
    [item] = evaluation.evaluations(nip=EMPLOYEE)
    plan_id, url = plan["data"]["plan_id"], f"/api/v1/evaluations/{item['id']}"
    start = evaluation.period().start
    on_time, late = start + timedelta(days=4), start + timedelta(days=16)  # the 5th and the 17th of the month
    _verified(evaluation, plan_id, start + timedelta(days=1), "q1", "r1", 95)  # 95 % of reports without revision
    _verified(evaluation, plan_id, on_time, "t1", "r2", 1)
    _verified(evaluation, plan_id, late, "t1", "r2", 1)

    detail = evaluation.get(url, RATER).json  # English (the integrator's client)
    [quality], [time] = (r["indicators"] for r in detail["results"])
    assert (quality["measure"], quality["measured_value"], quality["percent_of_expected"], quality["level"]) == (
        "latest",
        95,
        95.0,
        "below",
    )
    assert quality["reasoning"].startswith("Quality (latest verified measurement): 95 % measured on")
    assert (time["measure"], time["deadline_day"], time["percent_of_expected"], time["level"]) == (
        "deadline",
        10,
        50.0,
        "below",
    )
    assert time["details"] == {"on_time": 1, "late": 1, "deliveries": 2}
    assert time["reasoning"].endswith(f"Late: {late.isoformat()}.")
    assert [r["level"] for r in detail["results"]] == ["below", "below"]
    suggestion = detail["suggestion"]
    assert suggestion["rating"] == "below"
    assert f'Results below expectation: "{QUALITY_TEXT}", "{TIME_TEXT}".' in suggestion["reasoning"]

    # the rater reads it in Indonesian by default
    indonesian = plain_client(evaluation.h.app).get(url, headers=evaluation.as_(RATER)).json
    [quality_id], [time_id] = (r["indicators"] for r in indonesian["results"])
    assert quality_id["reasoning"].startswith("Kualitas (pengukuran terverifikasi terakhir): 95 % diukur pada")
    assert quality_id["reasoning"].endswith("dibanding target 100 % (95 %): di bawah ekspektasi.")
    assert time_id["reasoning"] == (
        "Waktu (tenggat, paling lambat tanggal 10 setiap bulan): 1 dari 2 penyerahan terverifikasi dalam periode tepat "
        f"waktu (50 %): di bawah ekspektasi. Terlambat: {late.isoformat()}."
    )
    assert f'Hasil kerja di bawah ekspektasi: "{QUALITY_TEXT}", "{TIME_TEXT}".' in indonesian["suggestion"]["reasoning"]

    # a later measurement at 100 %: the latest level meets the target; the late delivery still pulls the
    # additional result below, so the suggestion is "meets" and names which result did what
    _verified(evaluation, plan_id, start + timedelta(days=2), "q1", "r1", 100)
    detail = evaluation.get(url, RATER).json
    assert [r["level"] for r in detail["results"]] == ["meets", "below"]
    suggestion = detail["suggestion"]
    assert suggestion["rating"] == "meets"
    assert f'Results meeting expectation: "{QUALITY_TEXT}".' in suggestion["reasoning"]
    assert f'Results below expectation: "{TIME_TEXT}".' in suggestion["reasoning"]
    # the rater following the suggestion needs no note; "above" does
    r = evaluation.post(url + "/submit", json={"results_rating": "above", "behaviour_rating": "meets"})
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "rating_note"
    r = evaluation.post(url + "/submit", json={"results_rating": "meets", "behaviour_rating": "meets"})
    assert r.status_code == 200 and r.json["suggested_rating"] == "meets"


def test_a_qualitative_plan_gets_no_percentage_and_the_suggestion_says_the_rater_assesses(evaluation):
    evaluation.org()
    results = [
        {
            "result_id": "r1",
            "kind": "main",
            "text": "Kebijakan tersusun",
            "indicators": [
                {
                    "indicator_id": "n1",
                    "aspect": "quality",
                    "text": "Kebijakan diterima pimpinan",
                    "target_value": None,
                    "target_unit": None,
                }
            ],
        }
    ]
    plan = evaluation.ev.plan(EMPLOYEE, results=results)
    plan["data"]["approach"] = "qualitative"
    evaluation.apply(plan)
    [item] = evaluation.evaluations(nip=EMPLOYEE)
    _verified(evaluation, plan["data"]["plan_id"], evaluation.period().start, "n1", "r1", 1)
    detail = evaluation.get(f"/api/v1/evaluations/{item['id']}", RATER).json
    [indicator] = detail["results"][0]["indicators"]
    assert (indicator["percent_of_expected"], indicator["level"]) == (None, None)
    assert detail["suggestion"]["rating"] is None
    assert detail["suggestion"]["reasoning"][-1].startswith("The plan has no numeric targets (qualitative)")
