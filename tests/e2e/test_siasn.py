"""Issue 18 done-when, end to end: the four services as real processes (gunicorn web + worker), real Kafka and
PostgreSQL, the SIASN contract server standing in for BKN; everything driven through HTTP.

An evaluation closed through the API the console uses reaches SIASN with every field right, once, even though
notification-service's worker is killed while SIASN is answering the save and started again; reopened and
closed again, the same SIASN record is updated; a refusal (4xx) shows in the admin API with SIASN's message;
a record whose directory data is missing lists the missing fields.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest

from kinerja_shared.testing import wait_for

from ..siasn.contract_server import ContractServer
from .conftest import System
from .flow import ADMIN, Org, ok

pytestmark = pytest.mark.e2e

API = "/api/v1/integrations/siasn"
PNS_ID, RATER_PNS = "A8ACA7397AEB3912E040640A040269BB", "B9F1C2D3E4F5A6B7C8D9E0F1A2B3C4D5"
KIND = {"annual": "skp22", "monthly": "kinerjaperiodik", "quarterly": "kinerjaperiodik"}


@pytest.fixture(scope="module")
def siasn_system(kafka_bootstrap, new_database):
    contract = ContractServer()
    log_dir = Path(tempfile.mkdtemp(prefix="kinerja-e2e-siasn-"))
    system = System(
        kafka_bootstrap,
        new_database,
        log_dir,
        SIASN_POLL_SECONDS="0.2",
        SIASN_TIMEOUT_SECONDS="1",
        SIASN_BACKOFF_SECONDS="0.5",
        **contract.env(),
    )
    try:
        yield system, contract
    finally:
        system.stop()
        contract.close()


def identify(system, org: Org, *, employee_pns: str | None = PNS_ID) -> None:
    """The directory gets SIASN's ids and rank codes (what the region's SIASN export gives the import)."""
    admin = system.headers(ADMIN, "admin")
    for nip, body in (
        (
            org.rater,
            {
                "name": "Siti Rahmawati",
                "unit_id": org.unit,
                "position": "Kepala Bidang Uji",
                "siasn_pns_id": RATER_PNS,
                "rank_code": "41",
            },
        ),
        (
            org.employee,
            {
                "name": "Andi Pratama",
                "unit_id": org.unit,
                "rater_nip": org.rater,
                "position": "Analis",
                "siasn_pns_id": employee_pns,
                "rank_code": "32",
            },
        ),
    ):
        url = f"/api/v1/employees/{nip}"
        etag = system.call("GET", "plan-service", url, admin).headers["ETag"]
        ok(system.call("PUT", "plan-service", url, {**admin, "If-Match": etag}, json=body))


def closed_evaluation(system, org: Org, results="above", behaviour="meets") -> dict:
    plan = org.approved_plan()
    evaluation = org.open_evaluation(plan["id"])
    ok(
        system.call(
            "POST",
            "evaluation-service",
            f"/api/v1/evaluations/{evaluation['id']}/submit",
            org.as_rater,
            json={
                "results_rating": results,
                "behaviour_rating": behaviour,
                "rating_note": "Capaian sesuai bukti dukung yang diverifikasi",
            },
        )
    )
    return ok(system.call("POST", "evaluation-service", f"/api/v1/evaluations/{evaluation['id']}/close", org.as_rater))


def expected(org: Org, period: dict, *, hasil: int, perilaku: int, kuadran: int) -> dict:
    """The record SIASN must hold, written out field by field (SIASN.md); the months are the period's."""
    start, end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
    rater = {
        "penilaiNipNrp": org.rater,
        "penilaiNama": "Siti Rahmawati",
        "penilaiGolongan": "41",
        "penilaiUnorNama": "Bidang Uji",
        "statusPenilai": "ASN",
    }
    if period["kind"] == "annual":
        return {
            "tahun": end.year,
            "pnsDinilaiOrang": PNS_ID,
            "hasilKinerjaNilai": hasil,
            "perilakuKerjaNilai": perilaku,
            "kuadranKinerjaNilai": kuadran,
            "penilaiJabatan": "Kepala Bidang Uji",
            **rater,
        }
    return {
        "tahun": end.year,
        "pnsDinilaiId": PNS_ID,
        "periodikId": {"monthly": 1, "quarterly": 2}[period["kind"]],
        "bulanMulaiPenilaian": start.month,
        "bulanSelesaiPenilaian": end.month,
        "tahunMulaiPenilaian": start.year,
        "tahunSelesaiPenilaian": end.year,
        "hasilKinerjaNilai": hasil,
        "perilakuKerjaNilai": perilaku,
        "kuadranKinerjaNilai": kuadran,
        "penilaiJabatanNama": "Kepala Bidang Uji",
        **rater,
    }


def records(system, **query) -> list[dict]:
    admin = system.headers(ADMIN, "admin")
    return ok(system.call("GET", "notification-service", f"{API}/records", admin, params=query))["items"]


def test_a_closed_evaluation_reaches_siasn_once_through_a_worker_kill_and_a_revision_updates_it(siasn_system):
    system, contract = siasn_system
    org = Org(system, 181)
    identify(system, org)
    contract.pns_of_nip[org.employee] = PNS_ID
    worker = system.processes["notification-service.worker"]

    # SIASN stores the record but its answer waits: the worker is killed while it waits.
    contract.hold("/apisiasn/1.0/kinerjaperiodik/save")
    contract.hold("/apisiasn/1.0/skp22/save")
    evaluation = closed_evaluation(system, org)  # results above, behaviour meets: Baik
    kind = KIND[evaluation["period"]["kind"]]
    assert contract.arrived.wait(90), "the first save reached SIASN"
    worker.kill()
    contract.release()
    assert len(contract.saved(kind)) == 1
    worker.start()

    def sent():
        found = [r for r in records(system, nip=org.employee) if r["evaluation_id"] == evaluation["id"]]
        return found[0] if found and found[0]["status"] == "sent" else None

    record = wait_for(sent, timeout=120, message="the record sent after the restart")
    [stored] = contract.saved(kind)
    assert record["siasn_id"] == stored["id"]
    assert {k: v for k, v in stored.items() if k != "id"} == expected(
        org, evaluation["period"], hasil=1, perilaku=2, kuadran=2
    )
    # the second attempt found the record in SIASN's history and updated it: one record, never two
    assert [c["body"].get("id") for c in contract.saves(kind)] == [None, stored["id"]]

    # Reopened and closed again with other ratings: the same SIASN record is updated.
    admin = system.headers(ADMIN, "admin")
    url = f"/api/v1/evaluations/{evaluation['id']}"
    etag = system.call("GET", "evaluation-service", url, admin).headers["ETag"]
    ok(
        system.call(
            "POST",
            "evaluation-service",
            f"{url}/reopen",
            {**admin, "If-Match": etag},
            json={"reason": "Nilai perilaku dikoreksi setelah keberatan"},
        )
    )
    ok(
        system.call(
            "POST",
            "evaluation-service",
            f"{url}/submit",
            org.as_rater,
            json={
                "results_rating": "above",
                "behaviour_rating": "above",
                "rating_note": "Perilaku kerja di atas ekspektasi setelah klarifikasi",
            },
        )
    )
    ok(system.call("POST", "evaluation-service", f"{url}/close", org.as_rater))

    def updated():
        found = [r for r in records(system, nip=org.employee) if r["evaluation_id"] == evaluation["id"]]
        return found[0] if found and found[0]["status"] == "sent" and found[0]["sent_revision"] == 2 else None

    record = wait_for(updated, timeout=90, message="revision 2 sent")
    [stored] = contract.saved(kind)
    assert record["siasn_id"] == stored["id"]
    assert {k: v for k, v in stored.items() if k != "id"} == expected(
        org, evaluation["period"], hasil=1, perilaku=1, kuadran=1
    )


def test_a_refusal_shows_siasns_message_and_missing_data_is_named(siasn_system):
    system, contract = siasn_system
    refused_org, lacking_org = Org(system, 183), Org(system, 185)
    identify(system, refused_org)
    identify(system, lacking_org, employee_pns=None)
    for path in ("/apisiasn/1.0/kinerjaperiodik/save", "/apisiasn/1.0/skp22/save"):
        contract.fail(path, 422, "pnsDinilaiId tidak terdaftar pada instansi ini")
    refused = closed_evaluation(system, refused_org)
    lacking = closed_evaluation(system, lacking_org)

    def fate(nip, status):
        found = records(system, nip=nip, status=status)
        return found[0] if found else None

    record = wait_for(lambda: fate(refused_org.employee, "refused"), timeout=90, message="the refusal")
    assert record["evaluation_id"] == refused["id"] and record["last_status_code"] == 422
    assert record["last_error"] == "pnsDinilaiId tidak terdaftar pada instansi ini"
    record = wait_for(lambda: fate(lacking_org.employee, "needs_data"), timeout=90, message="needs data")
    assert record["evaluation_id"] == lacking["id"] and record["missing"] == ["employee.siasn_pns_id"]
    year = date.fromisoformat(refused["period"]["end"]).year
    admin = system.headers(ADMIN, "admin")
    report = ok(
        system.call(
            "GET", "notification-service", f"{API}/report", admin, params={"year": year, "unit_id": lacking_org.unit}
        )
    )
    assert [(u["needs_data"], u["sent"]) for u in report["units"]] == [(1, 0)]
