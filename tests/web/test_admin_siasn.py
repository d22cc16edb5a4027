"""Issue 18: the admin's "Kiriman SIASN" screen shows a record SIASN refused with SIASN's message, one that
lacks directory data with the missing fields named, and resends the refused one after the fix."""

from kinerja_shared.testing import wait_for
from tests.e2e.flow import ADMIN, Org, ok

API = "/api/v1/integrations/siasn"


def identify(system, org: Org, pns_id: str | None) -> None:
    admin = system.headers(ADMIN, "admin")
    for nip, body in (
        (
            org.rater,
            {
                "name": "Siti Rahmawati",
                "unit_id": org.unit,
                "position": "Kepala Bidang Uji",
                "siasn_pns_id": "RATER-PNS-1",
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
                "siasn_pns_id": pns_id,
                "rank_code": "32",
            },
        ),
    ):
        url = f"/api/v1/employees/{nip}"
        etag = system.call("GET", "plan-service", url, admin).headers["ETag"]
        ok(system.call("PUT", "plan-service", url, {**admin, "If-Match": etag}, json=body))


def close(system, org: Org) -> dict:
    plan = org.approved_plan()
    evaluation = org.open_evaluation(plan["id"])
    ok(
        system.call(
            "POST",
            "evaluation-service",
            f"/api/v1/evaluations/{evaluation['id']}/submit",
            org.as_rater,
            json={
                "results_rating": "meets",
                "behaviour_rating": "meets",
                "rating_note": "Capaian sesuai bukti dukung yang diverifikasi",
            },
        )
    )
    return ok(system.call("POST", "evaluation-service", f"/api/v1/evaluations/{evaluation['id']}/close", org.as_rater))


def test_the_admin_sees_siasns_refusal_and_the_missing_data_and_resends(web_system):
    system, contract = web_system.system, web_system.siasn
    refused_org, lacking_org = Org(system, 191), Org(system, 193)
    identify(system, refused_org, "PNS-REFUSED-1")
    identify(system, lacking_org, None)
    message = "pnsDinilaiId tidak terdaftar pada instansi ini"
    for path in ("/apisiasn/1.0/kinerjaperiodik/save", "/apisiasn/1.0/skp22/save"):
        contract.fail(path, 422, message)
    refused, lacking = close(system, refused_org), close(system, lacking_org)

    def fate(nip, status):
        found = web_system.api("GET", f"{API}/records?nip={nip}&status={status}", "admin").json()["items"]
        return found[0] if found else None

    record = wait_for(lambda: fate(refused_org.employee, "refused"), timeout=90, message="the refusal")
    waiting = wait_for(lambda: fate(lacking_org.employee, "needs_data"), timeout=90, message="needs data")
    contract._faults.clear()  # SIASN accepts the record once the region fixed it
    seen = web_system.run_script(
        "admin_siasn.mjs",
        REFUSED_ID=record["id"],
        MISSING_ID=waiting["id"],
        UNIT=refused_org.unit,
        YEAR=refused["period"]["end"][:4],
    )
    assert seen["message"] == f"Pesan SIASN (HTTP 422): {message}"
    assert seen["missing"] == "Data kurang: ID PNS SIASN pegawai"
    assert seen["report"] == [
        "0",
        "0",
        "1",
        "0",
        "0",
    ]  # the refused unit's row: sent, waiting, refused, failed, needs data
    assert wait_for(lambda: fate(refused_org.employee, "sent"), timeout=90, message="resent")["id"] == record["id"]
    assert lacking["id"] == waiting["evaluation_id"]
