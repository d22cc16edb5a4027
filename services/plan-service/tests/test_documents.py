"""Issue 17: the SKP as a verifiable PDF, read back with pdftotext and zbarimg and checked against the API."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from kinerja_shared.documents.render import number_id
from kinerja_shared.testing.pdf import pdf_text, qr_codes, save_screenshots

sys.path.insert(0, str(Path(__file__).parent))
from plan_testkit import COLLEAGUE, EMPLOYEE, HEAD, OUTSIDER, RATER, YEAR, assert_problem, result  # noqa: E402

VERIFY = "/api/v1/documents/verify"


def _pdf(svc, url, who):
    r = svc.call("GET", url, who)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == "application/pdf" and r.data.startswith(b"%PDF-")
    return r


def _amend(svc, plan, target):
    body = {k: plan[k] for k in ("approach", "model", "behaviours", "attachments")}
    body["results"] = [
        {**plan["results"][0], "indicators": [{**plan["results"][0]["indicators"][0], "target_value": target}]},
        *plan["results"][1:],
    ]
    body["reason"] = "Penambahan target layanan"
    amendment = svc.ok(svc.call("POST", f"/api/v1/plans/{plan['id']}/amendments", svc.as_(EMPLOYEE), json=body), 201)
    return svc.ok(
        svc.call(
            "POST",
            f"/api/v1/plans/{plan['id']}/amendments/{amendment['id']}/approve",
            svc.as_(RATER, "supervisor"),
            json={"reason": "Disepakati"},
        )
    )["plan"]


def test_the_skp_prints_the_approved_plan_and_verifies(svc):
    plan = svc.approved(
        EMPLOYEE,
        results=[
            result("Pelayanan rujukan tepat waktu", target=120, unit="pasien"),
            result("Penyuluhan kesehatan", kind="additional", target=4, unit="kegiatan"),
        ],
    )
    employee = svc.as_(EMPLOYEE)
    r = _pdf(svc, f"/api/v1/plans/{plan['id']}/document.pdf", employee)
    save_screenshots(r.data, "skp")
    text = pdf_text(r.data)
    main, extra = plan["results"]
    for expected in (
        "SASARAN KINERJA PEGAWAI",
        f"1 Januari {YEAR} s.d. 31 Desember {YEAR}",
        "Revisi 1",
        "Andi Pratama",
        EMPLOYEE,
        "Perawat Ahli Pertama",
        "Bidang Pelayanan",
        "Kepala Bidang",
        RATER,
        "HASIL KERJA UTAMA",
        main["text"],
        main["indicators"][0]["text"],
        f"{number_id(main['indicators'][0]['target_value'])} {main['indicators'][0]['target_unit']}",
        "HASIL KERJA TAMBAHAN",
        extra["text"],
        "Kuantitas",
        "Berorientasi Pelayanan",
        "Ekspektasi service",
        "Kolaboratif",
        "Ekspektasi collaborative",
        "Disetujui melalui sistem Kinerja pada",
        "LAMPIRAN SASARAN KINERJA PEGAWAI",
        "DUKUNGAN SUMBER DAYA",
        plan["attachments"]["resources"],
        "SKEMA PERTANGGUNGJAWABAN",
        plan["attachments"]["accountability"],
        "KONSEKUENSI",
        plan["attachments"]["consequences"],
        "Halaman 1 dari 2",
        "Halaman 2 dari 2",
    ):
        assert expected in text, (expected, text)
    code, digest = r.headers["X-Document-Code"], r.headers["X-Document-SHA256"]
    assert code.startswith("P") and digest == hashlib.sha256(r.data).hexdigest()
    assert qr_codes(r.data) == [f"http://localhost:8000{VERIFY}/{code}"]
    assert _pdf(svc, f"/api/v1/plans/{plan['id']}/document.pdf", svc.as_(HEAD)).data == r.data  # same bytes

    answer = svc.client.get(f"{VERIFY}/{code}", query_string={"sha256": digest}).get_json()
    assert (
        answer["document_type"],
        answer["employee_name"],
        answer["nip_masked"],
        answer["period"],
        answer["status"],
        answer["sha256"],
        answer["check"]["matches"],
    ) == ("skp", "Andi Pratama", "**************" + EMPLOYEE[-4:], f"Tahun {YEAR}", "valid", digest, True)

    # an approved amendment: revision 2 supersedes the printed revision 1, which stays verifiable
    _amend(svc, plan, 150)
    answer = svc.client.get(f"{VERIFY}/{code}").get_json()
    assert answer["status"] == "superseded" and "revisi 2" in answer["status_reason"]
    second = _pdf(svc, f"/api/v1/plans/{plan['id']}/document.pdf", employee)
    assert "Revisi 2" in pdf_text(second.data) and "150 pasien" in pdf_text(second.data)
    assert svc.client.get(f"{VERIFY}/{second.headers['X-Document-Code']}").get_json()["status"] == "valid"
    # the old revision can still be printed, and is issued as superseded under its own code
    old = _pdf(svc, f"/api/v1/plans/{plan['id']}/document.pdf?revision=1", employee)
    assert old.data == r.data
    answer = svc.client.get(f"{VERIFY}/{code}").get_json()
    assert (answer["status"], answer["superseded_by"]) == ("superseded", second.headers["X-Document-Code"])
    tampered = bytearray(second.data)
    tampered[-10] ^= 0x20
    posted = svc.client.post(
        f"{VERIFY}/{second.headers['X-Document-Code']}", data=bytes(tampered), content_type="application/pdf"
    )
    assert posted.status_code == 200 and posted.get_json()["check"]["matches"] is False


def test_who_may_download_the_skp(svc):
    plan = svc.approved(EMPLOYEE)
    url = f"/api/v1/plans/{plan['id']}/document.pdf"
    for who in (svc.as_(COLLEAGUE), svc.as_(OUTSIDER, "unit_head")):
        assert_problem(svc.call("GET", url, who), 404)  # as for the plan itself
    assert svc.call("GET", url).status_code == 401
    for who in (svc.as_(EMPLOYEE), svc.as_(RATER, "supervisor"), svc.as_(HEAD), svc.admin):
        assert svc.call("GET", url, who).status_code == 200
    assert_problem(svc.call("GET", url + "?revision=9", svc.as_(EMPLOYEE)), 404)
    draft = svc.draft(COLLEAGUE)
    body = assert_problem(svc.call("GET", f"/api/v1/plans/{draft['id']}/document.pdf", svc.as_(COLLEAGUE)), 409)
    assert body["current_status"] == "draft"
