"""Official documents and the bulk document jobs as use cases on an in-memory database: who may have which
document, when it exists, what the verification says of a register row, and the worker's round (queue, claim,
render, progress, failure), with the PDF rendering replaced where it is not the point (the real renders are
tested over HTTP in test_documents.py)."""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from evaluation_service import document_jobs, domain
from evaluation_service.documents import EVALUATION_PERIODIC, PAK
from evaluation_service.models import credit_assessments, evaluations
from evaluation_service.use_cases import document_jobs as jobs
from evaluation_service.use_cases import documents
from kinerja_shared.documents import registry
from kinerja_shared.documents.render import Frame
from kinerja_shared.errors import Conflict, Forbidden, InvalidField, NotFound

sys.path.insert(0, str(Path(__file__).parent))
# the tests take the imported fixture `world` as their parameter: not a redefinition
# ruff: noqa: F811
from memory_world import EMPLOYEE, RATER, world  # noqa: E402,F401  (world: the fixture)


def fake_issue(conn, settings, row) -> registry.Issued:
    pdf = f"%PDF-1.4 {row.id} r{row.revision}".encode()
    return registry.Issued(
        code=f"E{row.revision:04d}{row.nip[-4:]}", pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), new=True
    )


class NoRender:
    """Stands in for kinerja_shared.documents.issuing.issue_pdf: lays the story out on its frame (the layout's code
    runs) but renders, signs and registers nothing; keeps what it was asked for."""

    def __init__(self):
        self.asked: list[dict] = []

    def __call__(self, conn, table, settings, *, story, facts, **kw) -> registry.Issued:
        flowables = story(
            Frame(
                title=facts.title.upper(),
                code="E-TEST",
                verify_url="https://x/verify/E-TEST",
                organisation="Pemerintah Kota Binjai",
            )
        )
        self.asked.append({"facts": facts, "flowables": len(flowables), **kw})
        pdf = f"%PDF-1.4 {kw['subject']}".encode()
        return registry.Issued(code="E-TEST", pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), new=True)


def closed_evaluation(world) -> str:
    return world.open_evaluation(domain.CLOSED)


def test_a_closed_evaluations_document_is_issued_to_its_readers_and_audited(world):
    evaluation_id = closed_evaluation(world)
    issue_pdf = NoRender()
    with world.rt.unit_of_work() as uow:
        document = documents.evaluation_document(
            uow, world.employee, evaluation_id, settings=world.rt.settings, issue_pdf=issue_pdf
        )
    assert document.filename == f"evaluasi-kinerja_{EMPLOYEE}_{world.period.id}_r1.pdf"
    [asked] = issue_pdf.asked
    assert (asked["doc_type"], asked["subject"], asked["revision"], asked["signer_nips"]) == (
        EVALUATION_PERIODIC,
        evaluation_id,
        1,
        (RATER,),
    )
    assert asked["facts"].nip == EMPLOYEE and asked["flowables"] > 5
    assert uow.audited[0]["action"] == "document.issue" and uow.audited[0]["after"]["doc_type"] == EVALUATION_PERIODIC
    with pytest.raises(NotFound, match="does not exist"):
        with world.rt.unit_of_work() as uow:
            documents.evaluation_document(
                uow, world.outsider, evaluation_id, settings=world.rt.settings, issue_pdf=NoRender()
            )


def test_an_open_evaluation_has_no_document_yet(world):
    evaluation_id = world.open_evaluation()
    with pytest.raises(Conflict, match="is not closed yet") as refused:
        with world.rt.unit_of_work() as uow:
            documents.evaluation_document(
                uow, world.rater, evaluation_id, settings=world.rt.settings, issue_pdf=NoRender()
            )
    assert refused.value.extensions["current_status"] == "open" and uow.audited == []


def test_the_unit_decision_is_the_heads_and_needs_the_units_predicate(world):
    with pytest.raises(Forbidden, match="Only the head of unit opd-b1"):
        with world.rt.unit_of_work() as uow:
            documents.unit_decision_document(uow, world.employee, "opd-b1", world.period.id, settings=world.rt.settings)
    with pytest.raises(NotFound, match="has no organisational predicate"):
        with world.rt.unit_of_work() as uow:
            documents.unit_decision_document(uow, world.head, "opd-b1", world.period.id, settings=world.rt.settings)
    with pytest.raises(InvalidField, match="period_id"):
        with world.rt.unit_of_work() as uow:
            documents.unit_decision_document(uow, world.head, "opd-b1", "2026-X9", settings=world.rt.settings)


def test_the_pak_needs_a_reader_and_the_annual_record(world):
    with pytest.raises(Forbidden, match="read their credit points"):
        with world.rt.unit_of_work() as uow:
            documents.pak_document(uow, world.outsider, EMPLOYEE, 2026, settings=world.rt.settings)
    with pytest.raises(Conflict, match="has no credit-point assessment") as refused:
        with world.rt.unit_of_work() as uow:
            documents.pak_document(uow, world.employee, EMPLOYEE, 2026, settings=world.rt.settings)
    assert refused.value.extensions["current_status"] == "no_pak"
    with pytest.raises(NotFound, match="is not known here"):
        with world.rt.unit_of_work() as uow:
            documents.pak_document(uow, world.admin, "199909092019091009", 2026, settings=world.rt.settings)


def test_the_pak_of_a_closed_year_is_issued_and_audited(world):
    annual = world.open_evaluation(domain.CLOSED, domain.annual_period(2026))
    world.write(
        credit_assessments,
        dict(
            nip=EMPLOYEE,
            year=2026,
            evaluation_id=annual,
            revision=1,
            functional_level="AM",
            coefficient=12.5,
            coefficient_source="functional_level",
            periods=[],
            periodic_total=0.0,
            annual_predicate="BAIK",
            annual_credit_points=12.5,
            basis={"rater_nip": RATER},
            set_by=RATER,
            set_at=world.rt.clock.now(),
        ),
    )
    issue_pdf = NoRender()
    with world.rt.unit_of_work() as uow:
        document = documents.pak_document(
            uow, world.rater, EMPLOYEE, 2026, settings=world.rt.settings, issue_pdf=issue_pdf
        )
    assert document.filename == f"pak_{EMPLOYEE}_2026.pdf" and issue_pdf.asked[0]["subject"] == f"{EMPLOYEE}/2026"
    assert uow.audited[0]["after"] == {"doc_type": PAK, "subject": f"{EMPLOYEE}/2026", "sha256": document.issued.sha256}


def test_the_verification_says_when_the_subject_moved_on(world):
    evaluation_id = closed_evaluation(world)
    issued_at = world.rt.clock.now()
    row = SimpleNamespace(doc_type=EVALUATION_PERIODIC, subject=evaluation_id, revision=1, issued_at=issued_at)
    with world.rt.engine.begin() as conn:
        assert documents.document_state(conn, row) is None
        conn.execute(evaluations.update().values(revision=2, status=domain.OPEN))
        assert documents.document_state(conn, row)[0] == registry.REVOKED
        conn.execute(evaluations.update().values(status=domain.CLOSED))
        assert documents.document_state(conn, row) == (registry.SUPERSEDED, "Evaluasi dikoreksi; kini revisi 2.")
        pak = SimpleNamespace(doc_type=PAK, subject=f"{EMPLOYEE}/2026", revision=None, issued_at=issued_at)
        assert documents.document_state(conn, pak) is None
        conn.execute(
            credit_assessments.insert().values(
                nip=EMPLOYEE,
                year=2026,
                evaluation_id=evaluation_id,
                revision=1,
                periods=[],
                basis={},
                set_by=RATER,
                set_at=issued_at + timedelta(minutes=1),
            )
        )
        assert documents.document_state(conn, pak)[0] == registry.SUPERSEDED


# -- the bulk jobs ------------------------------------------------------------------------------------


def queue(world, who=None) -> dict:
    with world.rt.unit_of_work() as uow:
        job = jobs.queue_document_job(uow, who or world.admin, "opd", world.period.id)
    assert uow.audited[0]["action"] == "document_job.create"
    return job


def test_only_an_admin_queues_follows_and_downloads_a_job(world):
    with pytest.raises(Forbidden, match="Only an admin"):
        queue(world, world.head)
    with pytest.raises(NotFound, match="is not known here"):
        with world.rt.unit_of_work() as uow:
            jobs.queue_document_job(uow, world.admin, "nowhere", world.period.id)
    job = queue(world)
    assert (job["status"], job["percent"], job["download_url"]) == ("queued", None, None)
    with world.rt.engine.connect() as conn:
        assert jobs.document_job(conn, world.admin, "opd", job["id"])["url"] == job["url"]
        with pytest.raises(NotFound):
            jobs.document_job(conn, world.admin, "opd-b1", job["id"])
        with pytest.raises(Conflict, match="is queued, not done"):
            jobs.document_job_zip(conn, world.admin, "opd", job["id"])
        with pytest.raises(Forbidden):
            jobs.document_job_zip(conn, world.rater, "opd", job["id"])


def test_the_workers_round_renders_the_closed_evaluations_of_the_subtree_into_one_zip(world):
    closed_evaluation(world)
    world.open_evaluation(period=domain.period_containing(world.period.start - timedelta(days=1), "quarterly"))
    job = queue(world)
    assert jobs.run_document_jobs(world.rt, issue=fake_issue) == 1
    assert jobs.run_document_jobs(world.rt, issue=fake_issue) == 0  # nothing queued any more
    with world.rt.engine.connect() as conn:
        done = jobs.document_job(conn, world.admin, "opd", job["id"])
        row = jobs.document_job_zip(conn, world.admin, "opd", job["id"])
    assert (done["status"], done["total"], done["done"], done["percent"]) == ("done", 1, 1, 100)
    archive = zipfile.ZipFile(io.BytesIO(row.zip))
    assert archive.namelist() == [f"{EMPLOYEE}_{world.period.id}_r1_E0001{EMPLOYEE[-4:]}.pdf", "daftar.csv"]
    assert row.zip_sha256 == hashlib.sha256(row.zip).hexdigest()


def test_a_failing_render_is_recorded_on_the_job_and_the_round_goes_on(world):
    closed_evaluation(world)
    job = queue(world)

    def broken(conn, settings, row):
        raise RuntimeError("font missing")

    assert jobs.run_document_jobs(world.rt, issue=broken) == 1
    with world.rt.engine.connect() as conn:
        failed = jobs.document_job(conn, world.admin, "opd", job["id"])
    assert failed["status"] == "failed" and failed["error"] == "RuntimeError: font missing"


def test_the_worker_runs_the_round_as_a_periodic_job(world):
    queue(world)  # no closed evaluation: nothing to render, an empty ZIP with its list
    assert document_jobs.document_job_runner.run_once(world.rt) == 1
    assert document_jobs.document_job_runner.seconds(world.rt, busy=False) == 5.0
