"""evaluation-service's calls for the access matrix: every operation on an evaluation, feedback or unit of self's.

The org and self's approved plan of this year arrive through the handlers (the plan opens the
evaluation of today's period). The directory relations (matrix.DIRECTORY_RELATIONS) join the org here:
a head of bidang (own_head), an employee of lain made Plt. of dinas for a span holding today
(acting_head, UnitHeadAssigned) and an employee of lain whose token claims dinas (claimed_head). A cell that
changes an evaluation gets a fresh one: a plan of self's of its own in a later year, whose first quarter an
admin opens over the API.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from kinerja_shared.events import make_event

from . import seeds
from .matrix import (
    ACTING_HEAD,
    CLAIMED_HEAD,
    OWN_HEAD,
    Call,
    Matrix,
    case,
    common_operations,
    issued_code,
    listing,
    on_fresh,
    verify_calls,
)

CASES: dict = common_operations()
E = seeds.EMPLOYEE
EVALUATIONS = "/api/v1/evaluations"
UNIT_PERFORMANCE = f"/api/v1/unit-performance/{seeds.UNIT}"
SUBMIT = {"results_rating": "meets", "behaviour_rating": "meets", "rating_note": "Sesuai bukti dukung"}


def env(workdir) -> dict:
    return {"EVALUATION_EVIDENCE_DIR": str(workdir / "realisation-evidence")}


def setup(m: Matrix) -> None:
    year = seeds.today().year
    m.year, m.years_used = year, 0
    m.h.handle(
        *seeds.matrix_org(),
        *directory_relations(),
        seeds.plan_approved(E, "plan-m", superior=None, start=date(year, 1, 1), end=date(year, 12, 31)),
    )
    [base] = m.as_("admin", "GET", f"{EVALUATIONS}?nip={E}&year={year}")["items"]
    m.period = base["period"]["id"]
    feedback = m.as_("rater", "POST", "/api/v1/feedback", 201, json={"nip": E, "text": "Laporan sudah rapi."})["id"]
    m.params.update(
        evaluation_id=base["id"], period_id=m.period, unit_id=seeds.UNIT, nip=E, year=year, feedback=feedback
    )
    m.params["dialogue_id"] = recorded(m)
    m.params["realisation_file"] = with_file(m)


def directory_relations() -> list[dict]:
    """The own head of bidang, the acting head (Plt.) of dinas for a span holding today, the claimant: as plan-service
    publishes them."""
    today = seeds.today()
    return [
        seeds.employee(OWN_HEAD, "Kepala Bidang Pelayanan", seeds.UNIT, ["dinas", seeds.UNIT], None, head=True),
        seeds.employee(ACTING_HEAD, "Plt. Kepala Dinas", seeds.OTHER_UNIT, [seeds.OTHER_UNIT], seeds.OUTSIDER),
        seeds.employee(CLAIMED_HEAD, "Pegawai Dinas Lain", seeds.OTHER_UNIT, [seeds.OTHER_UNIT], seeds.OUTSIDER),
        make_event(
            "UnitHeadAssigned",
            source_service="plan-service",
            subject="plt-dinas",
            partitionkey="dinas",
            data={
                "assignment_id": "plt-dinas",
                "unit_id": "dinas",
                "nip": ACTING_HEAD,
                "kind": "plt",
                "valid_from": (today - timedelta(days=30)).isoformat(),
                "valid_to": (today + timedelta(days=30)).isoformat(),
                "status": "active",
                "version": 1,
                "decree_number": "800/1/BKPSDM/2026",
            },
        ),
    ]


def opened(m: Matrix) -> str:
    """A fresh open evaluation of self's: a plan of its own in a later year (up to 50 such plans a year, self
    moving post within the year), its first quarter opened by an admin (which opens only that plan's)."""
    m.years_used += 1
    year = m.year + 1 + m.years_used // 50
    assert year < m.year + 40, "the years of fresh evaluations ran into those of the period cells"
    plan_id = f"plan-{year}-{m.years_used}"
    m.h.handle(seeds.plan_approved(E, plan_id, superior=None, start=date(year, 1, 1), end=date(year, 12, 31)))
    assert m.as_("admin", "POST", f"/api/v1/periods/{year}-Q1/open", json={"unit_id": seeds.UNIT})["opened"] == 1
    items = m.as_("admin", "GET", f"{EVALUATIONS}?nip={E}&year={year}&limit=100")["items"]
    [evaluation] = [item for item in items if item["plan_id"] == plan_id]
    return evaluation["id"]


def submitted(m: Matrix) -> str:
    evaluation = opened(m)
    m.as_("rater", "POST", f"{EVALUATIONS}/{evaluation}/submit", json=SUBMIT)
    return evaluation


def closed(m: Matrix) -> str:
    evaluation = submitted(m)
    m.as_("rater", "POST", f"{EVALUATIONS}/{evaluation}/close")
    return evaluation


# -- the employee's realisation (issue 15) ---------------------------------------------------------
REALISATION = {
    "results": [
        {
            "result_id": "r1",
            "realisation": "12 izin terbit",
            "narrative": "Semua tepat waktu.",
            "evidence": [{"kind": "link", "url": "https://drive.example.go.id/izin"}],
        }
    ]
}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload() -> dict:
    return {"file": (io.BytesIO(PDF), "bukti.pdf", "application/pdf")}


def drafted(m: Matrix) -> str:
    """A fresh open evaluation whose realisation self saved as a draft."""
    evaluation = opened(m)
    response = m.client.put(
        f"{EVALUATIONS}/{evaluation}/realisation", json=REALISATION, headers={**m.tokens["self"], "If-Match": "*"}
    )
    assert response.status_code == 200, response.get_json()
    return evaluation


def realisation_submitted(m: Matrix) -> str:
    evaluation = drafted(m)
    m.as_("self", "POST", f"{EVALUATIONS}/{evaluation}/realisation/submit")
    return evaluation


def with_file(m: Matrix) -> dict:
    """A fresh evaluation whose realisation has an uploaded evidence file: its path parameters."""
    evaluation = opened(m)
    item = m.as_(
        "self",
        "POST",
        f"{EVALUATIONS}/{evaluation}/realisation/results/r1/evidence",
        201,
        data=upload(),
        content_type="multipart/form-data",
    )
    return {"evaluation_id": evaluation, "file_id": item["file_id"]}


def predicate(m: Matrix) -> dict:
    n = m.n()  # a change every time: a refused one would show
    return {"predicate": ("BAIK", "ISTIMEWA")[n % 2], "basis": f"Laporan kinerja unit ({n})"}


def unit_read(m: Matrix, rel: str) -> Call:
    return Call("GET", f"{UNIT_PERFORMANCE}/{m.op.rsplit('/', 1)[1]}?period_id={m.period}")


listing(CASES, "GET /api/v1/evaluations", "?nip={nip}&year={year}", row="evaluation_id")
on_fresh(CASES, "POST /api/v1/evaluations/{evaluation_id}/submit", SUBMIT, evaluation_id=opened)
on_fresh(CASES, "POST /api/v1/evaluations/{evaluation_id}/close", evaluation_id=submitted)
on_fresh(
    CASES,
    "POST /api/v1/evaluations/{evaluation_id}/reopen",
    {"reason": "Salah input predikat perilaku"},
    evaluation_id=closed,
)
case(CASES, "GET /api/v1/evaluations/{evaluation_id}/realisation")(
    lambda m, rel: Call("GET", f"{EVALUATIONS}/{m.params['evaluation_id']}/realisation")
)
on_fresh(CASES, "PUT /api/v1/evaluations/{evaluation_id}/realisation", REALISATION, evaluation_id=opened)
on_fresh(CASES, "POST /api/v1/evaluations/{evaluation_id}/realisation/submit", evaluation_id=drafted)
on_fresh(
    CASES,
    "POST /api/v1/evaluations/{evaluation_id}/realisation/return",
    {"reason": "Lengkapi bukti dukung."},
    evaluation_id=realisation_submitted,
)
case(CASES, "POST /api/v1/evaluations/{evaluation_id}/realisation/results/{result_id}/evidence")(
    lambda m, rel: Call(
        "POST",
        f"{EVALUATIONS}/{opened(m)}/realisation/results/r1/evidence",
        data=upload(),
        content_type="multipart/form-data",
    )
)
case(CASES, "GET /api/v1/evaluations/{evaluation_id}/realisation/evidence/{file_id}")(
    lambda m, rel: Call(
        "GET",
        f"{EVALUATIONS}/{m.params['realisation_file']['evaluation_id']}/realisation/evidence/"
        f"{m.params['realisation_file']['file_id']}",
    )
)
on_fresh(CASES, "DELETE /api/v1/evaluations/{evaluation_id}/realisation/evidence/{file_id}", ids=with_file)
on_fresh(
    CASES,
    "PUT /api/v1/evaluations/{evaluation_id}/draft",
    {"results": [{"result_id": "r1", "feedback": "Bukti dukung lengkap."}], "results_rating": "meets"},
    evaluation_id=opened,
)
on_fresh(CASES, "POST /api/v1/feedback", lambda m: {"nip": E, "text": f"Pertahankan ketepatan waktu ({m.n()})."})
listing(CASES, "GET /api/v1/feedback", "?nip={nip}", row="feedback")
on_fresh(CASES, "PUT /api/v1/unit-performance/{unit_id}/predicates/{period_id}", predicate)
case(
    CASES,
    "GET /api/v1/unit-performance/{unit_id}/distribution",
    "GET /api/v1/unit-performance/{unit_id}/export",
    "GET /api/v1/unit-performance/{unit_id}/dashboard",
)(unit_read)
# last year's fourth quarter has no organisational predicate: the head reaches the rules and gets 409
on_fresh(
    CASES,
    "POST /api/v1/unit-performance/{unit_id}/calibrations/{period_id}",
    {},
    period_id=lambda m: f"{m.year - 1}-Q4",
)
case(CASES, "GET /api/v1/evaluations/credit-points")(
    lambda m, rel: Call("GET", f"{EVALUATIONS}/credit-points?nip={E}&year={m.year}")
)
case(CASES, "GET /api/v1/periods")(lambda m, rel: Call("GET", f"/api/v1/periods?year={m.year}"))
on_fresh(
    CASES,
    "PUT /api/v1/periods/schemes/{year}",
    lambda m: {"scheme": ("monthly", "quarterly")[m.n() % 2]},
    year=lambda m: m.year + 40,
)
on_fresh(
    CASES, "POST /api/v1/periods/{period_id}/open", {"unit_id": seeds.UNIT}, period_id=lambda m: f"{m.year + 41}-Q1"
)


# -- the performance dialogue (dialog kinerja): each write on a plan of self's of its own (one dialogue per plan,
# stage and period)


def dialogue_body(m: Matrix) -> dict:
    """A fresh approved plan of self's and a planning dialogue on it, held today."""
    plan_id = f"plan-dialogue-{m.n()}"
    m.h.handle(seeds.plan_approved(E, plan_id, superior=None, start=date(m.year, 1, 1), end=date(m.year, 12, 31)))
    return {
        "plan_id": plan_id,
        "stage": "planning",
        "held_on": seeds.today().isoformat(),
        "topics": "Target triwulan dan dukungan sumber daya",
        "follow_ups": "Pelatihan penyusunan laporan",
    }


def recorded(m: Matrix) -> str:
    """A fresh dialogue recorded by self: confirmed by self, waiting for the rater."""
    return m.as_("self", "POST", "/api/v1/dialogues", 201, json=dialogue_body(m))["id"]


def confirmed(m: Matrix) -> str:
    dialogue = recorded(m)
    m.as_("rater", "POST", f"/api/v1/dialogues/{dialogue}/confirm")
    return dialogue


on_fresh(CASES, "POST /api/v1/dialogues", dialogue_body)
listing(CASES, "GET /api/v1/dialogues", "?nip={nip}", row="dialogue_id")
on_fresh(
    CASES,
    "PATCH /api/v1/dialogues/{dialogue_id}",
    lambda m: {"topics": f"Target diperbarui ({m.n()})"},
    dialogue_id=recorded,
)
on_fresh(CASES, "POST /api/v1/dialogues/{dialogue_id}/confirm", dialogue_id=recorded)
on_fresh(
    CASES,
    "POST /api/v1/dialogues/{dialogue_id}/corrections",
    lambda m: {"reason": "Tindak lanjut terlewat", "follow_ups": f"Bimbingan teknis ({m.n()})"},
    dialogue_id=confirmed,
)


# -- official documents (issue 17) ------------------------------------------------------------------
def closed_once(m: Matrix) -> str:
    """A closed evaluation of self's, made once for the document rows."""
    if "closed_evaluation" not in m.params:
        m.params["closed_evaluation"] = closed(m)
    return m.params["closed_evaluation"]


def decided(m: Matrix) -> str:
    """bidang's organisational predicate of the period, set once by the head of dinas (its authority)."""
    if "decided" not in m.params:
        r = m.client.put(
            f"{UNIT_PERFORMANCE}/predicates/{m.period}",
            json=predicate(m),
            headers={**m.tokens["head_in"], "If-Match": "*"},
        )
        assert r.status_code == 200, r.get_json()
        m.params["decided"] = m.period
    return m.params["decided"]


def document_job(m: Matrix) -> str:
    """A bulk document job of bidang, queued by an admin and run by the worker's step."""
    if "job_id" not in m.params:
        from evaluation_service import document_jobs

        m.params["job_id"] = m.as_(
            "admin", "POST", f"{UNIT_PERFORMANCE}/document-jobs", 202, json={"period_id": m.period}
        )["id"]
        document_jobs.run_pending(m.h.engine, m.h.settings)
    return m.params["job_id"]


case(CASES, "GET /api/v1/evaluations/{evaluation_id}/document.pdf")(
    lambda m, rel: Call("GET", f"{EVALUATIONS}/{closed_once(m)}/document.pdf")
)
case(CASES, "GET /api/v1/evaluations/credit-points/document.pdf")(
    lambda m, rel: Call("GET", f"{EVALUATIONS}/credit-points/document.pdf?nip={E}&year={m.year}")
)
case(CASES, "GET /api/v1/unit-performance/{unit_id}/predicates/{period_id}/document.pdf")(
    lambda m, rel: Call("GET", f"{UNIT_PERFORMANCE}/predicates/{decided(m)}/document.pdf")
)
on_fresh(CASES, "POST /api/v1/unit-performance/{unit_id}/document-jobs", lambda m: {"period_id": m.period})
case(CASES, "GET /api/v1/unit-performance/{unit_id}/document-jobs/{job_id}")(
    lambda m, rel: Call("GET", f"{UNIT_PERFORMANCE}/document-jobs/{document_job(m)}")
)
case(CASES, "GET /api/v1/unit-performance/{unit_id}/document-jobs/{job_id}/download")(
    lambda m, rel: Call("GET", f"{UNIT_PERFORMANCE}/document-jobs/{document_job(m)}/download")
)
verify_calls(CASES, lambda m: issued_code(m, f"{EVALUATIONS}/{closed_once(m)}/document.pdf"))
