"""Issue 18: notification-service's SIASN channel against the contract server (real PostgreSQL; the
events applied through the service's own handlers, as its consumer applies them).

What an integrator relies on: every field right (asserted against hand-written records), once;
a revision updates the same SIASN id; 5xx and timeouts retried; a 4xx kept with SIASN's message for
an admin, who resends it after the fix; needs_data naming the missing fields, sent when the
directory brings them; both tokens, renewed before they expire; the document attached when the
documents endpoint has one; the reconciliation report and the dry-run export.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kinerja_shared.events import make_event
from notification_service import siasn
from notification_service.config import NotifySettings
from notification_service.service import SPEC
from notification_service.siasn_client import Client

from .contract_server import ContractServer

RATER, EMPLOYEE, ADMIN = "197001012000011001", "198503302010011002", "196501011990031001"
PNS_ID, RATER_PNS = "A8ACA7397AEB3912E040640A040269BB", "B9F1C2D3E4F5A6B7C8D9E0F1A2B3C4D5"
ANNUAL = {"id": "2026-Y", "kind": "annual", "start": "2026-01-01", "end": "2026-12-31"}
Q1 = {"id": "2026-Q1", "kind": "quarterly", "start": "2026-01-01", "end": "2026-03-31"}
UNIT = "opd-1.bidang-a"
API = "/api/v1/integrations/siasn"


def employee(
    nip,
    name,
    *,
    position="Analis Sistem Informasi",
    siasn_pns_id=None,
    rank_code=None,
    level=None,
    rater=RATER,
    unit_name="Bidang Aplikasi",
):
    return make_event(
        "EmployeeUpserted",
        source_service="plan-service",
        subject=nip,
        partitionkey=nip,
        data={
            "nip": nip,
            "name": name,
            "position": position,
            "rank": "Penata",
            "grade": "III/c",
            "unit_id": UNIT,
            "unit_name": unit_name,
            "unit_path": ["opd-1", UNIT],
            "rater_nip": rater,
            "rater_superior_nip": None,
            "is_unit_head": False,
            "email": None,
            "phone": None,
            "functional_level": level,
            "active": True,
            "siasn_pns_id": siasn_pns_id,
            "rank_code": rank_code,
        },
    )


def closed(
    evaluation_id,
    *,
    period=ANNUAL,
    revision=1,
    predicate="BAIK",
    results="above",
    behaviour="meets",
    credit_points=None,
    nip=EMPLOYEE,
):
    return make_event(
        "EvaluationClosed",
        source_service="evaluation-service",
        subject=evaluation_id,
        partitionkey=nip,
        data={
            "evaluation_id": evaluation_id,
            "nip": nip,
            "rater_nip": RATER,
            "unit_id": UNIT,
            "plan_id": "p1",
            "period": period,
            "revision": revision,
            "results_rating": results,
            "behaviour_rating": behaviour,
            "predicate": predicate,
            "credit_points": credit_points,
            "closed_at": "2027-01-10T03:00:00.000Z",
            "closed_by": RATER,
        },
    )


def reopened(evaluation_id, revision=2, period=ANNUAL):
    return make_event(
        "EvaluationReopened",
        source_service="evaluation-service",
        subject=evaluation_id,
        partitionkey=EMPLOYEE,
        data={
            "evaluation_id": evaluation_id,
            "nip": EMPLOYEE,
            "rater_nip": RATER,
            "unit_id": UNIT,
            "plan_id": "p1",
            "period": period,
            "revision": revision,
            "reason": "Koreksi nilai perilaku",
            "reopened_by": ADMIN,
            "reopened_at": "2027-01-12T03:00:00.000Z",
        },
    )


def rater_event():
    return employee(
        RATER,
        "Siti Rahmawati",
        position="Kepala Bidang Aplikasi",
        siasn_pns_id=RATER_PNS,
        rank_code="41",
        rater=None,
        unit_name="Dinas Kominfo",
    )


def employee_event():
    return employee(EMPLOYEE, "Andi Pratama", siasn_pns_id=PNS_ID, rank_code="32", level="PT")


# What SIASN must hold for an annual evaluation closed at Baik (results above, behaviour meets), written
# out by hand from SIASN.md.
EXPECTED_SKP22 = {
    "tahun": 2026,
    "pnsDinilaiOrang": PNS_ID,
    "hasilKinerjaNilai": 1,
    "perilakuKerjaNilai": 2,
    "kuadranKinerjaNilai": 2,
    "penilaiNipNrp": RATER,
    "penilaiNama": "Siti Rahmawati",
    "penilaiGolongan": "41",
    "penilaiJabatan": "Kepala Bidang Aplikasi",
    "penilaiUnorNama": "Dinas Kominfo",
    "statusPenilai": "ASN",
}
EXPECTED_CREDIT = {
    "pnsId": PNS_ID,
    "bulanMulaiPenailan": "1",
    "tahunMulaiPenailan": "2026",
    "bulanSelesaiPenailan": "12",
    "tahunSelesaiPenailan": "2026",
    "kreditUtamaBaru": "12.50",
    "kreditPenunjangBaru": "0",
    "kreditBaruTotal": "12.50",
    "isKonversi": "1",
    "isAngkaKreditPertama": "0",
    "isIntegrasi": "0",
}


@pytest.fixture
def contract():
    server = ContractServer()
    server.pns_of_nip[EMPLOYEE] = PNS_ID
    yield server
    server.close()


class Channel:
    def __init__(self, h):
        self.h = h
        self.cfg = NotifySettings.from_settings(h.settings)
        self.client = Client(self.cfg.siasn)
        self.admin = h.token(ADMIN, "admin")

    def deliver(self) -> int:
        return siasn.deliver_due(self.h.engine, self.cfg, self.client)

    def records(self, **query) -> list[dict]:
        response = self.h.client.get(f"{API}/records", headers=self.admin, query_string=query)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["items"]

    def until_settled(self, rounds: int = 200) -> None:
        """Deliver until nothing is pending any more (retries are due after their short backoff)."""
        import time

        for _ in range(rounds):
            self.deliver()
            if not self.h.scalar("SELECT count(*) FROM siasn_records WHERE status = 'pending'"):
                return
            time.sleep(0.02)
        raise AssertionError(f"still pending: {self.h.rows('SELECT * FROM siasn_records')}")


@pytest.fixture
def channel(service_factory, contract):
    def make(**env):
        h = service_factory(
            SPEC,
            **{
                "NOTIFICATION_REMINDERS": "false",
                "SIASN_BACKOFF_SECONDS": "0.01",
                "SIASN_TIMEOUT_SECONDS": "1",
                **contract.env(),
                **env,
            },
        )
        h.handle(rater_event(), employee_event())
        return Channel(h)

    return make


def test_an_annual_evaluation_reaches_siasn_with_every_field_right_once(channel, contract):
    c = channel()
    c.h.handle(closed("ev-annual", credit_points=12.5))
    c.h.handle(closed("ev-annual", credit_points=12.5))  # the same close again (a redelivery under a new id)
    assert c.deliver() == 2 and c.deliver() == 0

    assert [{k: v for k, v in r.items() if k != "id"} for r in contract.saved("skp22")] == [EXPECTED_SKP22]
    assert [{k: v for k, v in r.items() if k != "id"} for r in contract.saved("angkakredit")] == [EXPECTED_CREDIT]
    assert len(contract.saves("skp22")) == 1 and len(contract.saves("angkakredit")) == 1
    records = {r["kind"]: r for r in c.records(year=2026)}
    assert records["skp22"]["status"] == "sent" and records["skp22"]["siasn_id"] == contract.saved("skp22")[0]["id"]
    assert records["skp22"]["document"] == "pending"  # SIASN_DOCUMENTS is off: sent without its PDF
    assert records["angkakredit"]["document"] is None
    call = contract.saves("skp22")[0]
    assert call["headers"]["Authorization"].startswith("Bearer ") and call["headers"]["Auth"].startswith("bearer ")


def test_a_periodic_evaluation_goes_to_kinerjaperiodik_with_the_level_coefficient(channel, contract):
    c = channel()
    c.h.handle(
        closed("ev-q1", period=Q1, predicate="SANGAT_BAIK", results="above", behaviour="above", credit_points=3.13)
    )
    c.deliver()
    [stored] = contract.saved("kinerjaperiodik")
    assert {k: v for k, v in stored.items() if k != "id"} == {
        "tahun": 2026,
        "pnsDinilaiId": PNS_ID,
        "periodikId": 2,
        "bulanMulaiPenilaian": 1,
        "bulanSelesaiPenilaian": 3,
        "tahunMulaiPenilaian": 2026,
        "tahunSelesaiPenilaian": 2026,
        "hasilKinerjaNilai": 1,
        "perilakuKerjaNilai": 1,
        "kuadranKinerjaNilai": 1,
        "koefisienId": 12,
        "penilaiNipNrp": RATER,
        "penilaiNama": "Siti Rahmawati",
        "penilaiGolongan": "41",
        "penilaiJabatanNama": "Kepala Bidang Aplikasi",
        "penilaiUnorNama": "Dinas Kominfo",
        "statusPenilai": "ASN",
    }
    assert contract.saved("angkakredit") == []  # periodic credit points are parts of the year's, sent once a year


def test_a_revision_updates_the_same_siasn_record(channel, contract):
    c = channel()
    c.h.handle(closed("ev-rev"))
    c.deliver()
    [first] = contract.saved("skp22")
    c.h.handle(reopened("ev-rev"))
    assert c.records()[0]["status"] == "reopened" and c.deliver() == 0
    c.h.handle(closed("ev-rev", revision=2, predicate="SANGAT_BAIK", results="above", behaviour="above"))
    c.h.handle(closed("ev-rev", revision=1))  # a late copy of the old revision changes nothing
    c.deliver()
    [second] = contract.saved("skp22")
    assert second["id"] == first["id"] and second["kuadranKinerjaNilai"] == 1 and second["perilakuKerjaNilai"] == 1
    assert [call["body"].get("id") for call in contract.saves("skp22")] == [None, first["id"]]
    [record] = c.records()
    assert (record["status"], record["revision"], record["sent_revision"], record["siasn_id"]) == (
        "sent",
        2,
        2,
        first["id"],
    )


def test_5xx_and_timeouts_are_retried_with_backoff_then_sent_once(channel, contract):
    c = channel(SIASN_BACKOFF_SECONDS="0.3")
    contract.fail("/apisiasn/1.0/skp22/save", 503, "Service Unavailable", times=2)
    contract.stall("/apisiasn/1.0/skp22/save", 2.5)  # longer than SIASN_TIMEOUT_SECONDS=1: the answer is lost
    c.h.handle(closed("ev-retry"))
    c.deliver()
    [record] = c.records()
    assert record["status"] == "pending" and record["last_status_code"] == 503 and record["attempts"] == 1
    assert record["last_error"] == "Service Unavailable"
    c.until_settled()
    [record] = c.records()
    assert record["status"] == "sent" and record["attempts"] == 4
    # the timed-out attempt had stored the record: the next one found it in the history and updated it
    assert len(contract.saved("skp22")) == 1 and record["siasn_id"] == contract.saved("skp22")[0]["id"]


def test_after_max_attempts_a_record_is_failed_and_an_admin_resends_it(channel, contract):
    c = channel(SIASN_MAX_ATTEMPTS="2")
    contract.fail("/apisiasn/1.0/skp22/save", 502, "Bad Gateway", times=2)
    c.h.handle(closed("ev-fail"))
    c.until_settled()
    [record] = c.records(status="failed")
    assert record["attempts"] == 2 and record["last_error"] == "Bad Gateway"
    resent = c.h.client.post(f"{API}/records/{record['id']}/resend", headers=c.admin)
    assert resent.status_code == 200 and resent.get_json()["status"] == "pending"
    c.deliver()
    assert c.records()[0]["status"] == "sent"


def test_a_refusal_is_kept_with_siasns_message_for_an_admin_to_fix_and_resend(channel, contract):
    c = channel()
    contract.fail("/apisiasn/1.0/skp22/save", 400, "Data PNS tidak ditemukan pada unor penilai", times=1)
    c.h.handle(closed("ev-refused"))
    c.deliver()
    c.deliver()
    [record] = c.records(status="refused")
    assert record["last_status_code"] == 400 and record["last_error"] == "Data PNS tidak ditemukan pada unor penilai"
    assert record["attempts"] == 1  # a refusal is not retried on its own
    report = c.h.client.get(f"{API}/report?year=2026", headers=c.admin).get_json()
    assert report["units"] == [
        {"unit_id": UNIT, "year": 2026, "sent": 0, "waiting": 0, "refused": 1, "failed": 0, "needs_data": 0}
    ]
    pending = c.h.client.post(f"{API}/records/{record['id']}/resend", headers=c.admin)
    assert pending.get_json()["status"] == "pending"
    again = c.h.client.post(f"{API}/records/{record['id']}/resend", headers=c.admin)
    assert again.status_code == 409
    c.deliver()
    assert c.records()[0]["status"] == "sent" and len(contract.saved("skp22")) == 1
    audit = c.h.rows("SELECT action FROM audit_log WHERE entity_type = 'siasn_record'")
    assert [a["action"] for a in audit] == ["siasn.resent"]


def test_needs_data_names_the_missing_fields_and_is_sent_when_the_directory_brings_them(channel, contract):
    c = channel()
    c.h.handle(
        employee(EMPLOYEE, "Andi Pratama", siasn_pns_id=None, rank_code="32"),
        employee(
            RATER,
            "Siti Rahmawati",
            position=None,
            siasn_pns_id=RATER_PNS,
            rank_code=None,
            rater=None,
            unit_name="Dinas Kominfo",
        ),
    )
    c.h.handle(closed("ev-needs"))
    assert c.deliver() == 0
    [record] = c.records(status="needs_data")
    assert record["missing"] == ["employee.siasn_pns_id", "rater.rank_code", "rater.position"]
    detail = c.h.client.get(f"{API}/records/{record['id']}", headers=c.admin).get_json()
    assert detail["body"] is None and detail["missing"] == record["missing"]
    c.h.handle(rater_event())
    assert c.records()[0]["missing"] == ["employee.siasn_pns_id"] and c.records()[0]["status"] == "needs_data"
    c.h.handle(employee_event())
    assert c.records()[0]["status"] == "pending"
    c.deliver()
    assert [{k: v for k, v in r.items() if k != "id"} for r in contract.saved("skp22")] == [EXPECTED_SKP22]


def test_both_tokens_are_required_and_renewed_before_they_expire(channel, contract):
    contract.token_lifetime = 3  # seconds; the channel renews 2 s before the end
    c = channel(SIASN_TOKEN_REFRESH_SECONDS="2")
    c.h.handle(closed("ev-tok-1", period=Q1))
    c.deliver()
    assert contract.token_requests == {"gateway": 1, "sso": 1}
    import time

    time.sleep(1.2)
    c.h.handle(closed("ev-tok-2", period={**Q1, "id": "2026-Q2", "start": "2026-04-01", "end": "2026-06-30"}))
    c.deliver()
    assert contract.token_requests == {"gateway": 2, "sso": 2}
    assert len(contract.saved("kinerjaperiodik")) == 2
    # a wrong consumer secret is a refusal naming the gateway token endpoint, never the secret
    contract_env = {**contract.env(), "SIASN_CONSUMER_SECRET": "wrong-secret-value"}
    wrong = channel(**contract_env)
    wrong.h.handle(closed("ev-tok-3"))
    wrong.deliver()
    [record] = wrong.records()
    assert record["status"] == "refused" and "gateway token endpoint refused" in record["last_error"]
    assert "wrong-secret-value" not in json.dumps(record)


class PdfServer:
    """The documents endpoint as the documents issue will serve it: a PDF per evaluation, 404 for none."""

    def __init__(self, pdfs: dict[str, bytes]):
        self.pdfs, self.requests = pdfs, []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                outer.requests.append({"path": self.path, "authorization": self.headers.get("Authorization")})
                evaluation_id = self.path.split("/")[-2]
                body = outer.pdfs.get(evaluation_id)
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "application/pdf" if body else "application/problem+json")
                payload = body or b'{"status": 404}'
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/v1/evaluations/{{evaluation_id}}/document.pdf"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_the_document_is_uploaded_when_there_is_one_and_pending_when_not(channel, contract):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    documents = PdfServer({"ev-doc": pdf})
    try:
        c = channel(SIASN_DOCUMENTS="true", SIASN_DOCUMENT_URL=documents.url, SIASN_DOCUMENT_TOKEN="channel-token-123")
        c.h.handle(closed("ev-doc"), closed("ev-nodoc", period=Q1))
        c.deliver()
    finally:
        documents.close()
    by_evaluation = {r["evaluation_id"]: r for r in c.records()}
    assert by_evaluation["ev-doc"]["document"] == "uploaded" and by_evaluation["ev-nodoc"]["document"] == "pending"
    assert [(d["ref"], d["id_riwayat"], d["pdf"]) for d in contract.documents] == [
        (873, by_evaluation["ev-doc"]["siasn_id"], pdf)
    ]
    assert contract.saved("skp22")[0]["path"][0]["dok_id"] == "873"
    assert {r["authorization"] for r in documents.requests} == {"Bearer channel-token-123"}
    assert by_evaluation["ev-nodoc"]["status"] == "sent"


def test_the_dry_run_export_is_exactly_what_would_be_sent(channel, contract):
    c = channel(SIASN_BASE_URL="")  # not sending: records are kept and exported
    c.h.handle(
        closed("ev-exp", credit_points=12.5),
        employee("199001012015012003", "Budi", siasn_pns_id=None),
        closed("ev-exp-2", nip="199001012015012003"),
    )
    assert c.deliver() == 0
    response = c.h.client.get(f"{API}/export?unit_id={UNIT}&period_id=2026-Y", headers=c.admin)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    document = json.loads(response.data)
    assert document["unit_id"] == UNIT and document["period_id"] == "2026-Y"
    assert [(r["path"], r["body"]) for r in document["records"]] == [
        ("/angkakredit/save", EXPECTED_CREDIT),
        ("/skp22/save", EXPECTED_SKP22),
    ]
    assert [(n["nip"], n["missing"]) for n in document["needs_data"]] == [
        ("199001012015012003", ["employee.siasn_pns_id"])
    ]
    assert contract.calls == []


def test_the_admin_api_is_for_admins_and_validates_its_filters(channel):
    c = channel()
    c.h.handle(closed("ev-api"))
    for path in (f"{API}/records", f"{API}/report?year=2026", f"{API}/export?unit_id=u&period_id=2026-Y"):
        assert c.h.client.get(path, headers=c.h.token(EMPLOYEE)).status_code == 403
        assert c.h.client.get(path).status_code == 401
    for query, field in (("status=lost", "status"), ("year=1800", "year"), ("kind=x", "kind"), ("nip=12", "nip")):
        response = c.h.client.get(f"{API}/records?{query}", headers=c.admin)
        assert response.status_code == 422 and field in json.dumps(response.get_json()), query
    assert c.h.client.get(f"{API}/report", headers=c.admin).status_code == 422
    assert c.h.client.get(f"{API}/export?unit_id=u&period_id=2026-13", headers=c.admin).status_code == 422
    assert c.h.client.get(f"{API}/records/999999", headers=c.admin).status_code == 404
    assert c.h.client.post(f"{API}/records/{2**64}/resend", headers=c.admin).status_code == 404
    page = c.h.client.get(f"{API}/records?limit=1&unit_id={UNIT}&year=2026&status=pending", headers=c.admin).get_json()
    assert len(page["items"]) == 1 and page["next_cursor"] is None
    assert c.h.client.post(f"{API}/records/{page['items'][0]['id']}/resend", headers=c.admin).status_code == 409
