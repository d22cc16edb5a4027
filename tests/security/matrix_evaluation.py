"""evaluation-service's calls for the access matrix: every operation on an evaluation, feedback or unit of self's.

The org and self's approved plan of this year arrive through the handlers (the plan opens the
evaluation of today's period). The directory relations (matrix.DIRECTORY_RELATIONS) join the org here:
a head of bidang (own_head), an employee of lain made Plt. of dinas for a span holding today
(acting_head, UnitHeadAssigned) and an employee of lain whose token claims dinas (claimed_head). A cell that changes an evaluation gets a fresh one: a plan of
self's in a later year of its own, whose first quarter an admin opens over the API.
"""
from __future__ import annotations

from datetime import date, timedelta

from kinerja_shared.events import make_event

from . import seeds
from .matrix import (ACTING_HEAD, CLAIMED_HEAD, OWN_HEAD, Call, Matrix, case, common_operations, issued_code, listing,
                     on_fresh, verify_calls)

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
    m.h.handle(*seeds.matrix_org(), *directory_relations(), seeds.plan_approved(
        E, "plan-m", superior=None, start=date(year, 1, 1), end=date(year, 12, 31)))
    [base] = m.as_("admin", "GET", f"{EVALUATIONS}?nip={E}&year={year}")["items"]
    m.period = base["period"]["id"]
    feedback = m.as_("rater", "POST", "/api/v1/feedback", 201, json={"nip": E, "text": "Laporan sudah rapi."})["id"]
    m.params.update(evaluation_id=base["id"], period_id=m.period, unit_id=seeds.UNIT, nip=E, year=year, feedback=feedback)


def directory_relations() -> list[dict]:
    """The own head of bidang, the acting head (Plt.) of dinas for a span holding today, the claimant: as plan-service
    publishes them."""
    today = seeds.today()
    return [
        seeds.employee(OWN_HEAD, "Kepala Bidang Pelayanan", seeds.UNIT, ["dinas", seeds.UNIT], None, head=True),
        seeds.employee(ACTING_HEAD, "Plt. Kepala Dinas", seeds.OTHER_UNIT, [seeds.OTHER_UNIT], seeds.OUTSIDER),
        seeds.employee(CLAIMED_HEAD, "Pegawai Dinas Lain", seeds.OTHER_UNIT, [seeds.OTHER_UNIT], seeds.OUTSIDER),
        make_event("UnitHeadAssigned", source_service="plan-service", subject="plt-dinas", partitionkey="dinas", data={
            "assignment_id": "plt-dinas", "unit_id": "dinas", "nip": ACTING_HEAD, "kind": "plt",
            "valid_from": (today - timedelta(days=30)).isoformat(), "valid_to": (today + timedelta(days=30)).isoformat(),
            "status": "active", "version": 1, "decree_number": "800/1/BKPSDM/2026"}),
    ]


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
    n = m.n()  # a change every time: a refused one would show
    return {"predicate": ("BAIK", "ISTIMEWA")[n % 2], "basis": f"Laporan kinerja unit ({n})"}


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
case(CASES, "GET /api/v1/evaluations/credit-points")(
    lambda m, rel: Call("GET", f"{EVALUATIONS}/credit-points?nip={E}&year={m.year}"))
case(CASES, "GET /api/v1/periods")(lambda m, rel: Call("GET", f"/api/v1/periods?year={m.year}"))
on_fresh(CASES, "PUT /api/v1/periods/schemes/{year}", lambda m: {"scheme": ("monthly", "quarterly")[m.n() % 2]},
         year=lambda m: m.year + 40)
on_fresh(CASES, "POST /api/v1/periods/{period_id}/open", {"unit_id": seeds.UNIT}, period_id=lambda m: f"{m.year + 41}-Q1")


# -- official documents (issue 17) ------------------------------------------------------------------
def closed_once(m: Matrix) -> str:
    """A closed evaluation of self's, made once for the document rows."""
    if "closed_evaluation" not in m.params:
        m.params["closed_evaluation"] = closed(m)
    return m.params["closed_evaluation"]


def decided(m: Matrix) -> str:
    """bidang's organisational predicate of the period, set once by the head of dinas (its authority)."""
    if "decided" not in m.params:
        r = m.client.put(f"{UNIT_PERFORMANCE}/predicates/{m.period}", json=predicate(m),
                         headers={**m.tokens["head_in"], "If-Match": "*"})
        assert r.status_code == 200, r.get_json()
        m.params["decided"] = m.period
    return m.params["decided"]


def document_job(m: Matrix) -> str:
    """A bulk document job of bidang, queued by an admin and run by the worker's step."""
    if "job_id" not in m.params:
        from evaluation_service import document_jobs

        m.params["job_id"] = m.as_("admin", "POST", f"{UNIT_PERFORMANCE}/document-jobs", 202,
                                   json={"period_id": m.period})["id"]
        document_jobs.run_pending(m.h.engine, m.h.settings)
    return m.params["job_id"]


case(CASES, "GET /api/v1/evaluations/{evaluation_id}/document.pdf")(
    lambda m, rel: Call("GET", f"{EVALUATIONS}/{closed_once(m)}/document.pdf"))
case(CASES, "GET /api/v1/evaluations/credit-points/document.pdf")(
    lambda m, rel: Call("GET", f"{EVALUATIONS}/credit-points/document.pdf?nip={E}&year={m.year}"))
case(CASES, "GET /api/v1/unit-performance/{unit_id}/predicates/{period_id}/document.pdf")(
    lambda m, rel: Call("GET", f"{UNIT_PERFORMANCE}/predicates/{decided(m)}/document.pdf"))
on_fresh(CASES, "POST /api/v1/unit-performance/{unit_id}/document-jobs", lambda m: {"period_id": m.period})
case(CASES, "GET /api/v1/unit-performance/{unit_id}/document-jobs/{job_id}")(
    lambda m, rel: Call("GET", f"{UNIT_PERFORMANCE}/document-jobs/{document_job(m)}"))
case(CASES, "GET /api/v1/unit-performance/{unit_id}/document-jobs/{job_id}/download")(
    lambda m, rel: Call("GET", f"{UNIT_PERFORMANCE}/document-jobs/{document_job(m)}/download"))
verify_calls(CASES, lambda m: issued_code(m, f"{EVALUATIONS}/{closed_once(m)}/document.pdf"))
