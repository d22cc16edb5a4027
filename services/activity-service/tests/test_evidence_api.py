"""Evidence uploads: checks on size, type and name; checksums; served only to those allowed."""

import hashlib
import io
import sys
from pathlib import Path

import pytest

from activity_service.service import SPEC
from kinerja_shared.events import validate_event

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import E1, E2, OTHER, PDF_BYTES, H, R, entry, feed, org_events, upload  # noqa: E402

MAX = 4096


@pytest.fixture
def evidence_dir(tmp_path):
    return tmp_path / "evidence"


@pytest.fixture
def svc(service_factory, monkeypatch, evidence_dir):
    monkeypatch.setenv("ACTIVITY_EVIDENCE_DIR", str(evidence_dir))
    monkeypatch.setenv("ACTIVITY_EVIDENCE_MAX_BYTES", str(MAX))
    harness = service_factory(SPEC)
    feed(harness, *org_events())
    return harness


@pytest.fixture
def aid(svc):
    response = svc.client.post("/api/v1/activities", json=entry(), headers=svc.token(E1))
    assert response.status_code == 201
    return response.get_json()["id"]


def send(svc, aid, files, caller=E1):
    return svc.client.post(
        f"/api/v1/activities/{aid}/evidence", data=files, content_type="multipart/form-data", headers=svc.token(caller)
    )


def stored_files(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.is_file()] if directory.exists() else []


def test_upload_stores_a_checksum_under_a_generated_name(svc, aid, evidence_dir):
    response = send(svc, aid, upload("Laporan harian.pdf", PDF_BYTES))
    assert response.status_code == 201, response.get_json()
    item = response.get_json()
    assert item["kind"] == "file" and item["name"] == "Laporan harian.pdf"
    assert item["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest() and item["size"] == len(PDF_BYTES)
    assert item["content_type"] == "application/pdf"
    [path] = stored_files(evidence_dir)
    assert path.name == f"{item['file_id']}.pdf" and path.read_bytes() == PDF_BYTES
    assert "Laporan" not in str(path)

    got = svc.client.get(f"/api/v1/activities/{aid}", headers=svc.token(E1)).get_json()
    assert got["version"] == 2 and got["evidence"][-1]["file_id"] == item["file_id"]
    assert got["evidence"][-1]["download"] == item["download"]
    [updated] = [e for e in svc.outbox() if e["type"] == "ActivityUpdated"]
    validate_event(updated)
    assert updated["data"]["evidence"][-1]["sha256"] == item["sha256"]
    assert svc.scalar("SELECT count(*) FROM audit_log WHERE action = 'activity.evidence_added'") == 1


def test_evidence_is_served_only_to_those_who_may_see_the_activity(svc, aid):
    item = send(svc, aid, upload("bukti.pdf", PDF_BYTES)).get_json()
    for caller in (E1, R, H):
        response = svc.client.get(item["download"], headers=svc.token(caller))
        assert response.status_code == 200, caller
        assert response.data == PDF_BYTES and response.mimetype == "application/pdf"
        assert "attachment" in response.headers["Content-Disposition"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Evidence-SHA256"] == item["sha256"]
        response.close()
    for caller in (E2, OTHER):
        assert svc.client.get(item["download"], headers=svc.token(caller)).status_code == 404
    assert svc.client.get(item["download"]).status_code == 401
    assert (
        svc.client.get(f"/api/v1/activities/{aid}/evidence/0123456789abcdef", headers=svc.token(E1)).status_code == 404
    )


def test_too_large_is_refused(svc, aid, evidence_dir):
    response = send(svc, aid, upload("big.pdf", PDF_BYTES + b"0" * MAX))
    assert response.status_code == 413 and response.content_type == "application/problem+json"
    assert response.get_json()["errors"][0]["field"] == "file"
    assert stored_files(evidence_dir) == []


@pytest.mark.parametrize(
    "name,content,declared",
    [
        ("notes.pdf", b"just some text, not a PDF", "application/pdf"),
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "application/pdf"),
        ("page.html", b"<html><script>alert(1)</script></html>", "text/html"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "application/pdf"),  # content and declared type disagree
    ],
)
def test_wrong_type_is_refused(svc, aid, evidence_dir, name, content, declared):
    response = send(svc, aid, upload(name, content, declared))
    assert response.status_code == 415, response.get_json()
    assert response.get_json()["errors"][0]["field"] == "file"
    assert stored_files(evidence_dir) == []


@pytest.mark.parametrize(
    "name", ["../../../etc/cron.d/evil.pdf", "..\\..\\windows\\x.pdf", "sub/dir.pdf", ".hidden.pdf"]
)
def test_a_path_in_the_file_name_is_refused(svc, aid, evidence_dir, name):
    response = send(svc, aid, upload(name, PDF_BYTES))
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["errors"][0]["field"] == "file"
    assert stored_files(evidence_dir) == []
    assert not (evidence_dir.parent / "etc").exists()


def test_other_refusals(svc, aid):
    missing = svc.client.post(
        f"/api/v1/activities/{aid}/evidence", data={}, content_type="multipart/form-data", headers=svc.token(E1)
    )
    assert missing.status_code == 422 and "file" in [e["field"] for e in missing.get_json()["errors"]]
    assert send(svc, aid, upload("x.pdf", b"")).status_code == 422  # empty
    assert send(svc, aid, upload("x.pdf", PDF_BYTES), caller=R).status_code == 403  # not the owner
    assert send(svc, aid, upload("x.pdf", PDF_BYTES), caller=OTHER).status_code == 404
    svc.client.post(f"/api/v1/activities/{aid}/verify", json={"decision": "accepted"}, headers=svc.token(R))
    assert send(svc, aid, upload("x.pdf", PDF_BYTES)).status_code == 409  # locked once verified


def test_png_is_accepted_and_remove_deletes_it(svc, aid, evidence_dir):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(200))
    item = send(svc, aid, upload("foto kegiatan.png", png, "image/png")).get_json()
    assert item["content_type"] == "image/png"
    assert svc.client.delete(item["download"], headers=svc.token(R)).status_code == 403
    response = svc.client.delete(item["download"], headers=svc.if_match(f"/api/v1/activities/{aid}", svc.token(E1)))
    assert response.status_code == 204
    assert stored_files(evidence_dir) == []
    assert svc.client.get(item["download"], headers=svc.token(E1)).status_code == 404
    got = svc.client.get(f"/api/v1/activities/{aid}", headers=svc.token(E1)).get_json()
    assert [e["kind"] for e in got["evidence"]] == ["link"]


def test_edits_keep_uploaded_files(svc, aid):
    send(svc, aid, upload("bukti.pdf", PDF_BYTES))
    edited = svc.client.patch(
        f"/api/v1/activities/{aid}",
        json={"evidence": [{"url": "https://example.go.id/a"}]},
        headers=svc.if_match(f"/api/v1/activities/{aid}", svc.token(E1)),
    )
    assert edited.status_code == 200
    assert [e["kind"] for e in edited.get_json()["evidence"]] == ["link", "file"]


def test_multipart_garbage_is_a_4xx(svc, aid):
    response = svc.client.post(
        f"/api/v1/activities/{aid}/evidence",
        data=io.BytesIO(b"--x\r\ngarbage"),
        content_type="multipart/form-data; boundary=x",
        headers=svc.token(E1),
    )
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("name", ["bukti; rapat 'final'.pdf", "Laporan é 📄.pdf"])
def test_the_download_header_keeps_any_uploaded_name_inside_its_parameters(svc, aid, name):
    from werkzeug.http import parse_options_header

    item = send(svc, aid, upload(name, PDF_BYTES)).get_json()
    assert item["name"] == name
    response = svc.client.get(item["download"], headers=svc.token(E1))
    header = response.headers["Content-Disposition"]
    response.close()
    disposition, params = parse_options_header(header)
    assert disposition == "attachment" and params["filename"] == name
    assert header.count('"') == 2 and "\\" not in header and header.isascii()
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]  # RFC 6266: a plain ASCII name, and filename*
    assert (
        fallback
        and all(c.isascii() and (c.isalnum() or c in "._-") for c in fallback)
        and "filename*=UTF-8''" in header
    )
