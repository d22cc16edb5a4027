"""Indicators' ``measure`` and ``deadline_day`` (realisation per aspect): accepted when they suit the
aspect, refused with a 422 naming the field otherwise, shown in the plan API and carried by
PlanApproved (validated against its schema) so the other services measure realisation alike."""

import sys
from pathlib import Path

from kinerja_shared.testing.plugin import plain_client

sys.path.insert(0, str(Path(__file__).parent))
from plan_testkit import EMPLOYEE, assert_problem, plan_body  # noqa: E402

FOUR_ASPECTS = [
    {
        "kind": "main",
        "text": "Pelayanan kesehatan dasar",
        "indicators": [
            {"aspect": "quantity", "text": "Pasien dilayani", "target_value": 1200, "target_unit": "pasien"},
            {
                "aspect": "quality",
                "text": "Laporan diterima tanpa revisi",
                "target_value": 100,
                "target_unit": "%",
                "measure": "average",
            },
        ],
    },
    {
        "kind": "additional",
        "text": "Laporan bulanan",
        "indicators": [
            {
                "aspect": "time",
                "text": "Disampaikan paling lambat tanggal 10 setiap bulan",
                "target_value": 12,
                "target_unit": "laporan",
                "measure": "deadline",
                "deadline_day": 10,
            },
            {
                "aspect": "cost",
                "text": "Belanja operasional dalam pagu",
                "target_value": 24000,
                "target_unit": "ribu rupiah",
                "measure": "spent",
            },
        ],
    },
]


def test_measures_suiting_their_aspects_are_kept_and_published(svc):
    plan = svc.approved(results=FOUR_ASPECTS)
    shown = [(i["aspect"], i["measure"], i["deadline_day"]) for r in plan["results"] for i in r["indicators"]]
    assert shown == [
        ("quantity", None, None),
        ("quality", "average", None),
        ("time", "deadline", 10),
        ("cost", "spent", None),
    ]
    assert svc.ok(svc.get(plan["id"]))["results"][1]["indicators"][0]["deadline_day"] == 10
    [approved] = svc.events("PlanApproved")  # validated against PlanApproved v1
    published = [(i["measure"], i["deadline_day"]) for r in approved["data"]["results"] for i in r["indicators"]]
    assert published == [(None, None), ("average", None), ("deadline", 10), ("spent", None)]


def test_a_measure_that_does_not_suit_the_aspect_is_a_422_naming_the_field(svc):
    def with_indicator(**changes):
        indicator = {"aspect": "quality", "text": "Mutu", "target_value": 100, "target_unit": "%", **changes}
        return plan_body(results=[{"kind": "main", "text": "Hasil", "indicators": [indicator]}])

    body = assert_problem(
        svc.call("POST", "/api/v1/plans", svc.as_(EMPLOYEE), json=with_indicator(measure="sum")),
        422,
        "results.0.indicators.0.measure",
    )
    assert "latest or average" in body["errors"][0]["message"]
    indonesian = plain_client(svc.h.app).post(
        "/api/v1/plans", headers=svc.as_(EMPLOYEE), json=with_indicator(measure="sum")
    )
    assert "diukur dengan latest or average, bukan sum" in indonesian.get_json()["errors"][0]["message"]
    assert_problem(
        svc.call("POST", "/api/v1/plans", svc.as_(EMPLOYEE), json=with_indicator(measure="fastest")),
        422,
        "results.0.indicators.0.measure",
    )
    assert_problem(
        svc.call("POST", "/api/v1/plans", svc.as_(EMPLOYEE), json=with_indicator(aspect="time", measure="deadline")),
        422,
        "results.0.indicators.0.deadline_day",
    )
    for day in (0, 32, 10.5, "10"):
        assert_problem(
            svc.call(
                "POST",
                "/api/v1/plans",
                svc.as_(EMPLOYEE),
                json=with_indicator(aspect="time", measure="deadline", deadline_day=day),
            ),
            422,
            "results.0.indicators.0.deadline_day",
        )
    assert_problem(
        svc.call("POST", "/api/v1/plans", svc.as_(EMPLOYEE), json=with_indicator(deadline_day=10)),
        422,
        "results.0.indicators.0.deadline_day",
    )
    assert svc.h.scalar("SELECT count(*) FROM plans") == 0
