"""The employee's realisation and the rater's draft, as use cases on an in-memory database (no server, no broker):
every command with its happy path and a refusal, the audit rows and events it leaves."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from evaluation_service import domain
from evaluation_service.realisation_tables import realisation_files
from evaluation_service.use_cases import realisation
from kinerja_shared.errors import Conflict, Forbidden, InvalidField, NotFound, PreconditionFailed
from kinerja_shared.evidence import StoredFile, store_upload

sys.path.insert(0, str(Path(__file__).parent))
# the tests take the imported fixture `world` as their parameter: not a redefinition
# ruff: noqa: F811
from memory_world import EMPLOYEE, world  # noqa: E402,F401  (world: the fixture)

LINK = {"kind": "link", "url": "https://drive.example.go.id/laporan-q2", "name": "Laporan"}


def save(world, evaluation_id, results=None, who=None, **kw):
    with world.rt.unit_of_work() as uow:
        answer = realisation.save_realisation(
            uow,
            who or world.employee,
            evaluation_id,
            results or [{"result_id": "r1", "realisation": "3 dokumen", "narrative": "selesai", "evidence": [LINK]}],
            config=world.config,
            **kw,
        )
    return answer, uow


def submit(world, evaluation_id, who=None):
    with world.rt.unit_of_work() as uow:
        answer = realisation.submit_realisation(uow, who or world.employee, evaluation_id, config=world.config)
    return answer, uow


def a_file(file_id="f" * 32) -> StoredFile:
    return StoredFile(file_id, f"{file_id[:2]}/{file_id}.pdf", "bukti.pdf", "application/pdf", 1234, "a" * 64)


def test_reading_the_realisation_before_anything_is_saved_shows_the_prefill_and_the_deadlines(world):
    evaluation_id = world.open_evaluation()
    world.verified_activity("act-1", [{"kind": "link", "url": "https://x.example/1"}])
    with world.rt.engine.connect() as conn:
        answer = realisation.get_realisation(
            conn, world.employee, evaluation_id, config=world.config, today=world.rt.today()
        )
        view = answer.body
        assert answer.version == 0 and view["status"] == "not_started" and view["may_edit"] is True
        assert (
            view["results"][0]["realisation"]
            == view["results"][0]["prefill"]
            == "Jumlah dokumen: 2 dokumen dari target 12 dokumen"
        )
        assert view["activity_evidence"][0]["activity_id"] == "act-1"
        assert (
            realisation.get_realisation(
                conn, world.rater, evaluation_id, config=world.config, today=world.rt.today()
            ).body["may_edit"]
            is False
        )
        with pytest.raises(NotFound, match="does not exist"):
            realisation.get_realisation(
                conn, world.outsider, evaluation_id, config=world.config, today=world.rt.today()
            )


def test_the_employee_saves_a_draft_and_only_the_employee(world):
    evaluation_id = world.open_evaluation()
    answer, uow = save(world, evaluation_id)
    assert answer.version == 1 and answer.body["status"] == "draft"
    assert answer.body["results"][0]["evidence"] == [LINK]
    assert [a["action"] for a in uow.audited] == ["realisation.saved"] and uow.published == []
    with pytest.raises(Forbidden, match=f"Only the employee \\({EMPLOYEE}\\) may save their realisation"):
        save(world, evaluation_id, who=world.rater)
    with pytest.raises(InvalidField) as refused:
        save(world, evaluation_id, [{"result_id": "r9"}])
    assert refused.value.field.startswith("results")


def test_a_stale_version_is_refused_by_the_routes_check(world):
    evaluation_id = world.open_evaluation()
    save(world, evaluation_id)

    def stale(version):
        raise PreconditionFailed(f"current version {version}")

    with pytest.raises(PreconditionFailed, match="current version 1"):
        save(world, evaluation_id, check_version=stale)


def test_submitting_locks_it_publishes_once_and_the_rater_may_return_it_with_a_reason(world):
    evaluation_id = world.open_evaluation()
    with pytest.raises(Conflict, match="Save your realisation first"):
        submit(world, evaluation_id)
    save(world, evaluation_id)
    answer, uow = submit(world, evaluation_id)
    assert answer.body["status"] == "submitted" and answer.body["may_edit"] is False
    assert [e["type"] for e in uow.published] == ["RealisationSubmitted"]
    assert uow.published[0]["data"]["results"][0]["evidence_count"] == 1
    assert [a["action"] for a in uow.audited] == ["realisation.submitted"]
    again, repeat = submit(world, evaluation_id)
    assert again.version == answer.version and repeat.published == [] and repeat.audited == []
    with pytest.raises(Conflict, match="submitted and locked"):
        save(world, evaluation_id)
    with pytest.raises(Forbidden, match="Only the evaluation's rater"):
        with world.rt.unit_of_work() as uow:
            realisation.return_realisation(uow, world.employee, evaluation_id, "lengkapi", config=world.config)
    with pytest.raises(InvalidField, match="reason"):
        with world.rt.unit_of_work() as uow:
            realisation.return_realisation(uow, world.rater, evaluation_id, "  ", config=world.config)
    with world.rt.unit_of_work() as uow:
        returned = realisation.return_realisation(
            uow, world.rater, evaluation_id, "lengkapi bukti", config=world.config
        )
    assert returned.body["status"] == "returned" and returned.body["return_reason"] == "lengkapi bukti"
    assert uow.audited[0]["action"] == "realisation.returned" and uow.audited[0]["reason"] == "lengkapi bukti"
    assert world.outbox_types() == ["RealisationSubmitted"]


def test_only_a_submitted_realisation_is_returned(world):
    evaluation_id = world.open_evaluation()
    save(world, evaluation_id)
    with pytest.raises(Conflict, match="Only a submitted realisation can be returned"):
        with world.rt.unit_of_work() as uow:
            realisation.return_realisation(uow, world.rater, evaluation_id, "lengkapi", config=world.config)


def test_an_uploaded_file_is_recorded_on_its_result_and_removed_again(world):
    evaluation_id = world.open_evaluation()
    with world.rt.engine.connect() as conn:
        assert realisation.check_file_upload(conn, world.employee, evaluation_id, "r2", "bukti.pdf") == "bukti.pdf"
        with pytest.raises(NotFound, match="r9 is not a result of the plan"):
            realisation.check_file_upload(conn, world.employee, evaluation_id, "r9", "bukti.pdf")
        with pytest.raises(InvalidField, match="file"):
            realisation.check_file_upload(conn, world.employee, evaluation_id, "r2", "../etc/passwd")
    with world.rt.unit_of_work() as uow:
        added = realisation.add_evidence_file(uow, world.employee, evaluation_id, "r2", a_file())
    assert added.version == 1
    assert added.body["download"] == f"/api/v1/evaluations/{evaluation_id}/realisation/evidence/{'f' * 32}"
    assert uow.audited[0]["action"] == "realisation.evidence_added"
    with world.rt.engine.connect() as conn:
        assert realisation.evidence_file(conn, world.rater, evaluation_id, "f" * 32).original_name == "bukti.pdf"
        assert realisation.evidence_file(conn, world.rater, evaluation_id, "e" * 32) is None
    saved, _ = save(world, evaluation_id, [{"result_id": "r2", "realisation": "1 laporan"}])
    assert [e["kind"] for e in saved.body["results"][1]["evidence"]] == ["file"]  # a save keeps the uploads
    with pytest.raises(NotFound, match="has no evidence file"):
        with world.rt.unit_of_work() as uow:
            realisation.remove_evidence_file(uow, world.employee, evaluation_id, "e" * 32)
    with world.rt.unit_of_work() as uow:
        removed = realisation.remove_evidence_file(uow, world.employee, evaluation_id, "f" * 32)
    assert removed.body["stored_name"] == f"ff/{'f' * 32}.pdf" and removed.version == 3
    assert uow.audited[0]["action"] == "realisation.evidence_removed"
    with world.rt.engine.connect() as conn:
        assert realisation.evidence_file(conn, world.employee, evaluation_id, "f" * 32) is None


def test_a_result_holds_at_most_ten_evidence_items(world):
    evaluation_id = world.open_evaluation()
    for n in range(10):
        with world.rt.unit_of_work() as uow:
            realisation.add_evidence_file(uow, world.employee, evaluation_id, "r1", a_file(f"{n:032x}"))
    with pytest.raises(InvalidField, match="at most 10 evidence items per result"):
        with world.rt.unit_of_work() as uow:
            realisation.add_evidence_file(uow, world.employee, evaluation_id, "r1", a_file("a" * 32))
    assert world.count(realisation_files) == 10


def test_the_rater_saves_the_form_as_a_draft_while_it_is_open(world):
    evaluation_id = world.open_evaluation()
    body = {"results": [{"result_id": "r1", "feedback": "Baik"}], "behaviours": [], "results_rating": "AS_EXPECTED"}
    with world.rt.unit_of_work() as uow:
        row = realisation.save_rater_draft(uow, world.rater, evaluation_id, body)
    assert row.version == 2 and row.form["draft"]["results_rating"] == "AS_EXPECTED"
    assert uow.audited[0]["action"] == "evaluation.draft_saved"
    with pytest.raises(Forbidden, match="fill in the form"):
        with world.rt.unit_of_work() as uow:
            realisation.save_rater_draft(uow, world.employee, evaluation_id, body)
    first_quarter = domain.period_containing(world.period.start.replace(month=1), "quarterly")
    closed = world.open_evaluation(domain.CLOSED, first_quarter)
    with pytest.raises(Conflict, match="only an open one has a draft"):
        with world.rt.unit_of_work() as uow:
            realisation.save_rater_draft(uow, world.rater, closed, body)


def test_once_submitted_the_form_needs_feedback_on_every_main_result_and_says_so(world):
    evaluation_id = world.open_evaluation()
    save(world, evaluation_id)
    with world.rt.engine.connect() as conn:
        row = realisation.access.readable_evaluation(conn, world.rater, evaluation_id)
        plan = SimpleNamespace(results=[{"result_id": "r1", "kind": "main"}, {"result_id": "r2", "kind": "additional"}])
        realisation.require_feedback(conn, row, plan, [])  # a draft asks nothing of the rater
    submit(world, evaluation_id)
    with world.rt.engine.connect() as conn:
        with pytest.raises(InvalidField, match="missing for r1"):
            realisation.require_feedback(conn, row, plan, [{"result_id": "r2", "feedback": "ok"}])
        realisation.require_feedback(conn, row, plan, [{"result_id": "r1", "feedback": "ok"}])
        results = [{"result_id": "r1"}, {"result_id": "r2"}]
        summary = realisation.form_summary(conn, row, results, config=world.config, today=world.rt.today())
    assert summary["status"] == "submitted" and summary["feedback_required"] is True
    assert results[0]["employee"]["realisation"] == "3 dokumen" and results[1]["employee"] is None


def test_store_upload_keeps_the_file_for_its_record_and_removes_it_when_the_record_fails(tmp_path):
    upload = SimpleNamespace(stream=io.BytesIO(b"%PDF-1.4 bukti"), mimetype="application/pdf")
    kept = store_upload(upload, "bukti.pdf", tmp_path, 1000, ["application/pdf"], lambda stored: stored)
    assert (tmp_path / kept.stored_name).read_bytes() == b"%PDF-1.4 bukti" and kept.item()["name"] == "bukti.pdf"

    def refuse(stored):
        raise Conflict("locked")

    with pytest.raises(Conflict):
        store_upload(
            SimpleNamespace(stream=io.BytesIO(b"%PDF-1.4 lagi"), mimetype="application/pdf"),
            "b.pdf",
            tmp_path,
            1000,
            ["application/pdf"],
            refuse,
        )
    with pytest.raises(InvalidField) as refused:
        store_upload(
            SimpleNamespace(stream=io.BytesIO(b"GIF89a"), mimetype="image/gif"),
            "b.gif",
            tmp_path,
            1000,
            ["application/pdf"],
            refuse,
        )
    assert refused.value.status == 415
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [kept.stored_name.split("/")[1]]
