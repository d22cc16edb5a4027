"""Issue 17: evaluation-service's official documents as verifiable PDFs.

Each document is rendered from seeded data over HTTP, read back as a person would (pdftotext for its text,
zbarimg for its QR code) and checked against the API's own answers; the public verify endpoint then says what
a verifier sees: valid for the PDF's hash, superseded after a revision, no match for a changed byte.
"""

from __future__ import annotations

import hashlib

from kinerja_shared.documents.render import number_id
from kinerja_shared.testing.pdf import pdf_text, qr_codes, save_screenshots

EMPLOYEE, COLLEAGUE, RATER = "199001012015011001", "199202022016012005", "198001012005011002"
HEAD, ADMIN, OUTSIDER = "197001011995011003", "196501011990011004", "198505052010011006"

VERIFY = "/api/v1/documents/verify"
FORM = {
    "results_rating": "meets",
    "behaviour_rating": "meets",
    "rating_note": "Sesuai bukti dukung",
    "results": [
        {
            "result_id": "r1",
            "realisation": "Dokumen rencana kerja triwulan tersusun",
            "feedback": "Pertahankan ketepatan waktu penyusunan",
            "assessment": "meets",
        }
    ],
    "behaviours": [{"value": "service", "feedback": "Ramah kepada penerima layanan"}],
}


def _seeded(evaluation, level="PT"):
    """EMPLOYEE's evaluation of today's quarter with two verified activities, submitted and closed by RATER."""
    evaluation.org()
    ev = evaluation.ev
    evaluation.apply(
        ev.employee(EMPLOYEE, level=level, name="Siti Rahmawati"),
        ev.employee(RATER, rater=HEAD, is_head=True, name="Budi Santoso"),
    )
    evaluation.apply(ev.plan(EMPLOYEE, plan_id="plan-doc"))
    day = evaluation.today
    for _n in range(2):
        logged = ev.activity("plan-doc", day, quantity=1)
        evaluation.apply(logged, ev.verified(logged))
    [item] = evaluation.evaluations(nip=EMPLOYEE)
    url = f"/api/v1/evaluations/{item['id']}"
    assert evaluation.post(url + "/submit", json=FORM).status_code == 200
    assert evaluation.post(url + "/close").status_code == 200
    return item["id"]


def _pdf(evaluation, url, who=EMPLOYEE, *roles, **kw):
    r = evaluation.client.get(url, headers=evaluation.as_(who, *roles), **kw)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == "application/pdf" and r.data.startswith(b"%PDF-")
    return r


def _verify(evaluation, code, **query):
    r = evaluation.client.get(f"{VERIFY}/{code}", query_string=query)  # no token: public
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.json


def test_the_periodic_evaluation_document_prints_what_the_api_answers(evaluation):
    evaluation_id = _seeded(evaluation)
    detail = evaluation.get(f"/api/v1/evaluations/{evaluation_id}").json
    r = _pdf(evaluation, f"/api/v1/evaluations/{evaluation_id}/document.pdf")
    save_screenshots(r.data, "evaluation-periodic")
    text = pdf_text(r.data)
    [result1, result2] = detail["results"]
    ind = result1["indicators"][0]
    quarter = {"Q1": "I", "Q2": "II", "Q3": "III", "Q4": "IV"}[detail["period"]["id"][-2:]]
    for expected in (
        "DOKUMEN EVALUASI KINERJA PEGAWAI",
        f"Triwulan {quarter} {evaluation.today.year}",
        "Siti Rahmawati",
        EMPLOYEE,
        "Budi Santoso",
        RATER,
        result1["text"],
        ind["text"],
        f"{number_id(ind['target_value'])} {ind['target_unit']}",
        f"{number_id(ind['realised_to_date'])} {ind['target_unit']} ({number_id(ind['percent_of_target'])} % dari "
        "target)",
        "Dokumen rencana kerja triwulan tersusun",
        "Pertahankan ketepatan waktu penyusunan",
        result2["text"],
        "Berorientasi Pelayanan",
        "expectation for service",
        "Ramah kepada penerima layanan",
        "RATING HASIL KERJA: SESUAI EKSPEKTASI",
        "RATING PERILAKU KERJA: SESUAI EKSPEKTASI",
        "PREDIKAT KINERJA PEGAWAI",
        "BAIK",
        f"Angka kredit periode ini: {number_id(detail['credit_points'], 2)}",
        "Halaman 1 dari",
    ):
        assert expected in text, (expected, text)
    assert detail["predicate"] == "BAIK" and ind["realised_to_date"] == 2.0

    code, digest = r.headers["X-Document-Code"], r.headers["X-Document-SHA256"]
    assert digest == hashlib.sha256(r.data).hexdigest()
    assert qr_codes(r.data) == [f"http://localhost:8000{VERIFY}/{code}"]
    assert f"{code[0]}-{code[1:5]}-{code[5:9]}-{code[9:]}" in text  # printed grouped
    # the same data gives the same bytes (and so the same code and hash), whoever downloads it
    again = _pdf(evaluation, f"/api/v1/evaluations/{evaluation_id}/document.pdf", RATER, "supervisor")
    assert again.data == r.data

    answer = _verify(evaluation, code)
    assert {
        k: answer[k] for k in ("document_type", "employee_name", "nip_masked", "status", "sha256", "revision", "issuer")
    } == {
        "document_type": "evaluation_periodic",
        "employee_name": "Siti Rahmawati",
        "nip_masked": "*" * 14 + EMPLOYEE[-4:],
        "status": "valid",
        "sha256": digest,
        "revision": 1,
        "issuer": "evaluation-service",
    }
    assert answer["period"] == f"Triwulan {quarter} {evaluation.today.year}"
    assert _verify(evaluation, code.lower(), sha256=digest)["check"] == {"sha256": digest, "matches": True}
    # a phone's browser that scanned the QR code is sent to the console's public verify page
    browser = evaluation.client.get(f"{VERIFY}/{code}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert (browser.status_code, browser.headers["Location"]) == (303, f"/#/verifikasi?kode={code}")
    posted = evaluation.client.post(f"{VERIFY}/{code}", data=r.data, content_type="application/pdf")
    assert posted.status_code == 200 and posted.json["check"]["matches"] is True
    tampered = bytearray(r.data)
    tampered[len(tampered) // 2] ^= 0x01
    posted = evaluation.client.post(f"{VERIFY}/{code}", data=bytes(tampered), content_type="application/pdf")
    assert posted.status_code == 200 and posted.json["check"]["matches"] is False
    assert posted.json["check"]["sha256"] == hashlib.sha256(bytes(tampered)).hexdigest()


def test_a_reopened_and_closed_again_evaluation_supersedes_its_document(evaluation):
    evaluation_id = _seeded(evaluation)
    url = f"/api/v1/evaluations/{evaluation_id}"
    first = _pdf(evaluation, url + "/document.pdf")
    old = first.headers["X-Document-Code"]
    r = evaluation.client.post(
        url + "/reopen",
        headers=evaluation.h.if_match(url, evaluation.as_(ADMIN, "admin")),
        json={"reason": "Salah input predikat perilaku"},
    )
    assert r.status_code == 200, r.json
    answer = _verify(evaluation, old)  # reopened for a correction: the printed copy no longer holds
    assert (answer["status"], answer["status_text"]) == ("revoked", "Dicabut")
    assert "dibuka kembali" in answer["status_reason"]
    # while the correction is open there is no document of the new revision
    assert evaluation.get(url + "/document.pdf").status_code == 409
    assert evaluation.post(url + "/submit", json={**FORM, "behaviour_rating": "above"}).status_code == 200
    assert evaluation.post(url + "/close").status_code == 200
    second = _pdf(evaluation, url + "/document.pdf")
    new = second.headers["X-Document-Code"]
    assert new != old and second.data != first.data
    assert "Revisi 2" in pdf_text(second.data)
    assert _verify(evaluation, new)["status"] == "valid"
    old_answer = _verify(evaluation, old, sha256=first.headers["X-Document-SHA256"])
    assert (
        old_answer["status"],
        old_answer["status_text"],
        old_answer["superseded_by"],
        old_answer["check"]["matches"],
    ) == ("superseded", "Digantikan oleh revisi yang lebih baru", new, True)
    # superseded, never deleted
    assert evaluation.h.scalar("SELECT count(*) FROM documents") == 2


def test_who_may_download_the_evaluation_document(evaluation):
    evaluation_id = _seeded(evaluation)
    url = f"/api/v1/evaluations/{evaluation_id}/document.pdf"
    assert evaluation.get(url, COLLEAGUE).status_code == 404  # as for the evaluation itself
    assert evaluation.get(url, OUTSIDER, "unit_head").status_code == 404
    assert evaluation.client.get(url).status_code == 401
    for who, roles in ((EMPLOYEE, ()), (RATER, ("supervisor",)), (HEAD, ("unit_head",)), (ADMIN, ("admin",))):
        assert evaluation.get(url, who, *roles).status_code == 200, who


def test_verify_answers_404_for_an_unknown_or_malformed_code_and_bounds_its_input(evaluation):
    for code in ("E0000000000000", "X123", "E" + "Z" * 40, "P0000000000000"):
        r = evaluation.client.get(f"{VERIFY}/{code}")
        assert r.status_code == 404 and r.headers["Content-Type"] == "application/problem+json", code
    assert evaluation.client.get(f"{VERIFY}/E0000000000000", query_string={"sha256": "xyz"}).status_code == 422
    r = evaluation.client.post(f"{VERIFY}/E0000000000000", data=b"%PDF-1.4", content_type="text/plain")
    assert r.status_code == 415


def test_verify_is_rate_bounded_per_address(make_evaluation):
    evaluation = make_evaluation(KINERJA_VERIFY_RATE_PER_MINUTE="3")
    codes = [evaluation.client.get(f"{VERIFY}/E0000000000000").status_code for _ in range(5)]
    assert codes[:3] == [404, 404, 404] and 429 in codes[3:]


def _annual_with_pak(evaluation):
    """EMPLOYEE (Ahli Muda) with the four quarters and the annual evaluation closed at Baik: the PAK is recorded."""
    evaluation.org()
    year = evaluation.today.year
    evaluation.apply(evaluation.ev.employee(EMPLOYEE, level="MU", name="Siti Rahmawati"))
    evaluation.apply(evaluation.ev.plan(EMPLOYEE, plan_id="plan-pak"))
    for q in range(1, 5):
        evaluation.post(f"/api/v1/periods/{year}-Q{q}/open", ADMIN, "admin", json={})
    evaluation.post(f"/api/v1/periods/{year}-Y/open", ADMIN, "admin", json={})
    items = sorted(
        evaluation.evaluations(nip=EMPLOYEE), key=lambda e: (e["period"]["kind"] == "annual", e["period"]["id"])
    )
    for item in items:
        url = f"/api/v1/evaluations/{item['id']}"
        assert (
            evaluation.post(
                url + "/submit", json={"results_rating": "meets", "behaviour_rating": "meets", "rating_note": "sesuai"}
            ).status_code
            == 200
        )
        assert evaluation.post(url + "/close").status_code == 200
    return year, items[-1]["id"]


def test_the_annual_document_and_the_pak_print_the_years_figures(evaluation):
    year, annual_id = _annual_with_pak(evaluation)
    annual = _pdf(evaluation, f"/api/v1/evaluations/{annual_id}/document.pdf").data
    save_screenshots(annual, "evaluation-annual")
    text = pdf_text(annual)
    assert "DOKUMEN EVALUASI KINERJA PEGAWAI TAHUNAN" in text and f"Tahun {year}" in text
    periodic = evaluation.get(f"/api/v1/evaluations/{annual_id}").json["periodic"]
    assert [p["predicate"] for p in periodic] == ["BAIK"] * 4
    assert "PREDIKAT KINERJA PERIODIK" in text
    for roman in ("I", "II", "III", "IV"):
        assert f"Triwulan {roman} {year} Sesuai Ekspektasi Sesuai Ekspektasi Baik Ditutup" in text

    query = {"nip": EMPLOYEE, "year": year}
    credit = evaluation.get("/api/v1/evaluations/credit-points", query_string=query).json
    r = _pdf(evaluation, "/api/v1/evaluations/credit-points/document.pdf", query_string=query)
    save_screenshots(r.data, "pak")
    text = pdf_text(r.data)
    pak = credit["assessment"]
    for expected in (
        "PENETAPAN ANGKA KREDIT (PAK)",
        f"Tahun {year}",
        "Siti Rahmawati",
        EMPLOYEE,
        "Ahli Muda",
        f"{number_id(pak['coefficient'])} (kode koefisien SIASN {credit['siasn_koefisien_id']})",
        f"Jumlah {number_id(pak['periodic_total'], 2)}",
        number_id(pak["annual_credit_points"], 2),
        "Sangat Baik 150 %",
        "Peraturan BKN No. 3 Tahun 2023",
    ):
        assert expected in text, (expected, text)
    for period in pak["periods"]:
        assert number_id(period["credit_points"], 2) in text
    assert (pak["periodic_total"], pak["annual_credit_points"]) == (25.0, 25.0)  # 4 × 6.25; 12/12 × 25
    assert qr_codes(r.data) == [f"http://localhost:8000{VERIFY}/{r.headers['X-Document-Code']}"]
    answer = _verify(evaluation, r.headers["X-Document-Code"])
    assert (answer["document_type"], answer["period"], answer["status"]) == (
        "credit_assessment",
        f"Tahun {year}",
        "valid",
    )
    # the PAK's readers are the credit points' readers
    assert (
        evaluation.get("/api/v1/evaluations/credit-points/document.pdf", COLLEAGUE, query_string=query).status_code
        == 403
    )


def test_no_pak_document_before_the_annual_evaluation_closes(evaluation):
    evaluation.org()
    r = evaluation.get(
        "/api/v1/evaluations/credit-points/document.pdf", query_string={"nip": EMPLOYEE, "year": evaluation.today.year}
    )
    assert r.status_code == 409 and r.json["current_status"] == "no_pak"


def test_the_unit_predicate_decision_prints_the_distribution(evaluation):
    evaluation.org()
    ev = evaluation.ev
    period = evaluation.period().id
    evaluation.apply(ev.plan(EMPLOYEE, plan_id="plan-u1"), ev.plan(COLLEAGUE, plan_id="plan-u2"))
    by_nip = {e["nip"]: e["id"] for e in evaluation.evaluations()}
    for nip, ratings in ((EMPLOYEE, ("meets", "meets")), (COLLEAGUE, ("below", "meets"))):
        url = f"/api/v1/evaluations/{by_nip[nip]}"
        assert (
            evaluation.post(
                url + "/submit",
                json={"results_rating": ratings[0], "behaviour_rating": ratings[1], "rating_note": "sesuai"},
            ).status_code
            == 200
        )
        assert evaluation.post(url + "/close").status_code == 200
    r = evaluation.put(
        f"/api/v1/unit-performance/opd-b1/predicates/{period}",
        HEAD,
        "unit_head",
        json={"predicate": "BAIK", "basis": "Capaian perjanjian kinerja 2026", "document_number": "800/12"},
    )
    assert r.status_code == 200, r.json
    url = f"/api/v1/unit-performance/opd-b1/predicates/{period}/document.pdf"
    dist = evaluation.get(
        "/api/v1/unit-performance/opd-b1/distribution", HEAD, "unit_head", query_string={"period_id": period}
    ).json
    first = _pdf(evaluation, url, HEAD, "unit_head")
    save_screenshots(first.data, "unit-predicate-decision")
    text = pdf_text(first.data)
    for expected in (
        "PENETAPAN PREDIKAT KINERJA ORGANISASI",
        "OPD-B1",
        "Capaian perjanjian kinerja 2026",
        "800/12",
        "DISTRIBUSI PREDIKAT KINERJA PEGAWAI",
        "Baik paling banyak 70 %",
        "paling sedikit 1 Butuh Perbaikan atau Kurang/Misconduct",
    ):
        assert expected in text, (expected, text)
    assert (dist["total"], dist["counts"]["BAIK"], dist["counts"]["BUTUH_PERBAIKAN"]) == (2, 1, 1)
    assert f"Baik 1 {number_id(dist['shares']['BAIK'])} %" in text
    assert f"Jumlah {dist['total']} 100 %" in text
    assert evaluation.get(url, RATER, "supervisor").status_code == 200  # RATER heads opd-b1: sees its distribution
    assert evaluation.get(url, COLLEAGUE).status_code == 403
    assert evaluation.get(url, OUTSIDER, "unit_head").status_code == 403
    # the predicate set again: the first decision is superseded
    code = first.headers["X-Document-Code"]
    r = evaluation.put(
        f"/api/v1/unit-performance/opd-b1/predicates/{period}",
        HEAD,
        "unit_head",
        json={"predicate": "ISTIMEWA", "basis": "Koreksi capaian"},
    )
    assert r.status_code == 200
    assert _verify(evaluation, code)["status"] == "superseded"
    second = _pdf(evaluation, url, HEAD, "unit_head")
    assert second.headers["X-Document-Code"] != code and "Istimewa" in pdf_text(second.data)
    answer = _verify(evaluation, second.headers["X-Document-Code"])
    assert (answer["status"], answer["revision"], answer["document_type"]) == ("valid", 2, "unit_predicate_decision")


def test_an_admin_gets_a_units_documents_as_one_zip_made_by_the_worker(evaluation):
    import csv
    import io
    import zipfile

    from evaluation_service import document_jobs
    from evaluation_service.service import SPEC

    assert document_jobs.document_job_runner in SPEC.background  # run by the worker process, not a web worker
    evaluation_id = _seeded(evaluation)
    period = evaluation.get(f"/api/v1/evaluations/{evaluation_id}").json["period"]["id"]
    jobs = "/api/v1/unit-performance/opd/document-jobs"
    assert evaluation.post(jobs, HEAD, "unit_head", json={"period_id": period}).status_code == 403
    assert evaluation.post(jobs, ADMIN, "admin", json={"period_id": "2026-Q9"}).status_code == 422
    r = evaluation.post(jobs, ADMIN, "admin", json={"period_id": period})
    assert r.status_code == 202, r.json
    job = r.json
    assert (job["status"], job["done"], job["total"], job["download_url"]) == ("queued", 0, None, None)
    assert r.headers["Location"] == job["url"] == f"{jobs}/{job['id']}"
    assert evaluation.get(job["url"] + "/download", ADMIN, "admin").status_code == 409
    assert evaluation.get(job["url"], RATER, "supervisor").status_code == 403

    assert document_jobs.run_pending(evaluation.h.engine, evaluation.h.settings) == 1  # the worker's step
    done = evaluation.get(job["url"], ADMIN, "admin").json
    assert (done["status"], done["total"], done["done"], done["percent"]) == ("done", 1, 1, 100)
    z = evaluation.get(done["download_url"], ADMIN, "admin")
    assert z.status_code == 200 and z.mimetype == "application/zip"
    assert hashlib.sha256(z.data).hexdigest() == done["zip_sha256"] == z.headers["X-Content-SHA256"]
    archive = zipfile.ZipFile(io.BytesIO(z.data))
    single = _pdf(evaluation, f"/api/v1/evaluations/{evaluation_id}/document.pdf")
    code = single.headers["X-Document-Code"]
    assert sorted(archive.namelist()) == sorted([f"{EMPLOYEE}_{period}_r1_{code}.pdf", "daftar.csv"])
    assert archive.read(f"{EMPLOYEE}_{period}_r1_{code}.pdf") == single.data  # the same document, the same bytes
    [row] = list(csv.DictReader(io.StringIO(archive.read("daftar.csv").decode("utf-8"))))
    assert (row["nip"], row["nama"], row["kode_verifikasi"], row["sha256"]) == (
        EMPLOYEE,
        "Siti Rahmawati",
        code,
        single.headers["X-Document-SHA256"],
    )
    audit = evaluation.get(
        "/api/v1/audit", ADMIN, "admin", query_string={"entity_type": "unit", "entity_id": "opd"}
    ).json
    assert "document_job.create" in [a["action"] for a in audit["items"]]
