"""evaluation-service's calls for the access matrix: every operation on an evaluation, feedback or unit of self's.

The org and self's approved plan of this year arrive through the handlers (the plan opens the
evaluation of today's period). A cell that changes an evaluation gets a fresh one: a plan of
self's in a later year of its own, whose first quarter an admin opens over the API.
"""
from __future__ import annotations

from datetime import date

from . import seeds
from .matrix import Call, Matrix, case, common_operations, listing, on_fresh

CASES: dict = common_operations()
E = seeds.EMPLOYEE
EVALUATIONS = "/api/v1/evaluations"
UNIT_PERFORMANCE = f"/api/v1/unit-performance/{seeds.UNIT}"
SUBMIT = {"results_rating": "meets", "behaviour_rating": "meets", "rating_note": "Sesuai bukti dukung"}


def env(workdir) -> dict:
    return {}


def setup(m: Matrix) -> None:
    year = seeds.today().year
    m.year, m.years_used = year, 0
    m.h.handle(*seeds.matrix_org(), seeds.plan_approved(E, "plan-m", superior=None, start=date(year, 1, 1),
                                                        end=date(year, 12, 31)))
    [base] = m.as_("admin", "GET", f"{EVALUATIONS}?nip={E}&year={year}")["items"]
    m.period = base["period"]["id"]
    feedback = m.as_("rater", "POST", "/api/v1/feedback", 201, json={"nip": E, "text": "Laporan sudah rapi."})["id"]
    m.params.update(evaluation_id=base["id"], period_id=m.period, unit_id=seeds.UNIT, nip=E, year=year, feedback=feedback)


def opened(m: Matrix) -> str:
    """A fresh open evaluation of self's: a plan in a year of its own, its first quarter opened by an admin."""
    m.years_used += 1
    assert m.years_used < 40, "the years of fresh evaluations ran into those of the period cells"
    year = m.year + m.years_used
    m.h.handle(seeds.plan_approved(E, f"plan-{year}", superior=None, start=date(year, 1, 1), end=date(year, 12, 31)))
    assert m.as_("admin", "POST", f"/api/v1/periods/{year}-Q1/open", json={"unit_id": seeds.UNIT})["opened"] == 1
    [evaluation] = m.as_("admin", "GET", f"{EVALUATIONS}?nip={E}&year={year}")["items"]
    return evaluation["id"]


def submitted(m: Matrix) -> str:
    evaluation = opened(m)
    m.as_("rater", "POST", f"{EVALUATIONS}/{evaluation}/submit", json=SUBMIT)
    return evaluation


def closed(m: Matrix) -> str:
    evaluation = submitted(m)
    m.as_("rater", "POST", f"{EVALUATIONS}/{evaluation}/close")
    return evaluation


def predicate(m: Matrix) -> dict:
    return {"predicate": ("BAIK", "ISTIMEWA")[m.n() % 2]}  # a change every time: a refused one would show


def unit_read(m: Matrix, rel: str) -> Call:
    return Call("GET", f"{UNIT_PERFORMANCE}/{m.op.rsplit('/', 1)[1]}?period_id={m.period}")


listing(CASES, "GET /api/v1/evaluations", "?nip={nip}&year={year}", row="evaluation_id")
on_fresh(CASES, "POST /api/v1/evaluations/{evaluation_id}/submit", SUBMIT, evaluation_id=opened)
on_fresh(CASES, "POST /api/v1/evaluations/{evaluation_id}/close", evaluation_id=submitted)
on_fresh(CASES, "POST /api/v1/evaluations/{evaluation_id}/reopen", {"reason": "Salah input predikat perilaku"},
         evaluation_id=closed)
on_fresh(CASES, "POST /api/v1/feedback", lambda m: {"nip": E, "text": f"Pertahankan ketepatan waktu ({m.n()})."})
listing(CASES, "GET /api/v1/feedback", "?nip={nip}", row="feedback")
on_fresh(CASES, "PUT /api/v1/unit-performance/{unit_id}/predicates/{period_id}", predicate)
case(CASES, "GET /api/v1/unit-performance/{unit_id}/distribution", "GET /api/v1/unit-performance/{unit_id}/export",
     "GET /api/v1/unit-performance/{unit_id}/dashboard")(unit_read)
# last year's fourth quarter has no organisational predicate: the head reaches the rules and gets 409
on_fresh(CASES, "POST /api/v1/unit-performance/{unit_id}/calibrations/{period_id}", {},
         period_id=lambda m: f"{m.year - 1}-Q4")
case(CASES, "GET /api/v1/periods")(lambda m, rel: Call("GET", f"/api/v1/periods?year={m.year}"))
on_fresh(CASES, "PUT /api/v1/periods/schemes/{year}", lambda m: {"scheme": ("monthly", "quarterly")[m.n() % 2]},
         year=lambda m: m.year + 40)
on_fresh(CASES, "POST /api/v1/periods/{period_id}/open", {"unit_id": seeds.UNIT}, period_id=lambda m: f"{m.year + 41}-Q1")
