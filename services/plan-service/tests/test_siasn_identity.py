"""Issue 18: the directory import carries SIASN's own PNS id and golongan (rank) reference code,
stores them and publishes them in EmployeeUpserted (notification-service's SIASN channel needs them)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from plan_testkit import COLLEAGUE, EMPLOYEE, RATER, STAFF, assert_problem  # noqa: E402


def test_the_import_accepts_stores_and_publishes_the_siasn_id_and_rank_code(svc):
    csv = (
        f"nip;nama;unit_id;siasn_id;kode_golongan\n"
        f"{COLLEAGUE};Siti Aminah;bidang;A8ACA7397AEB3912E040640A040269BB;34\n"
        f"{STAFF};Budi Santoso;seksi;bad id with spaces;32\n"
    ).encode()
    dry = svc.ok(svc.call("POST", "/api/v1/directory/imports", svc.admin, data=csv, content_type="text/csv"))
    assert [(e["line"], e["field"]) for e in dry["errors"]] == [(3, "siasn_pns_id")]
    csv = csv.rsplit(b"\n", 2)[0] + b"\n"
    svc.ok(svc.call("POST", "/api/v1/directory/imports?dry_run=false", svc.admin, data=csv, content_type="text/csv"))
    saved = svc.ok(svc.call("GET", f"/api/v1/employees/{COLLEAGUE}", svc.admin))
    assert (saved["siasn_pns_id"], saved["rank_code"]) == ("A8ACA7397AEB3912E040640A040269BB", "34")
    event = [e for e in svc.events("EmployeeUpserted") if e["data"]["nip"] == COLLEAGUE][-1]
    assert (event["data"]["siasn_pns_id"], event["data"]["rank_code"]) == ("A8ACA7397AEB3912E040640A040269BB", "34")
    # a later import without the columns keeps them; an empty value clears
    svc.ok(
        svc.call(
            "POST",
            "/api/v1/directory/imports?dry_run=false",
            svc.admin,
            data=f"nip,nama,unit_id\n{COLLEAGUE},Siti Aminah S.,bidang\n".encode(),
            content_type="text/csv",
        )
    )
    assert svc.ok(svc.call("GET", f"/api/v1/employees/{COLLEAGUE}", svc.admin))["rank_code"] == "34"
    svc.ok(
        svc.call(
            "POST",
            "/api/v1/directory/imports?dry_run=false",
            svc.admin,
            data=f"nip,nama,unit_id,rank_code\n{COLLEAGUE},Siti Aminah S.,bidang,\n".encode(),
            content_type="text/csv",
        )
    )
    assert svc.ok(svc.call("GET", f"/api/v1/employees/{COLLEAGUE}", svc.admin))["rank_code"] is None


def test_the_api_validates_the_siasn_fields(svc):
    url = f"/api/v1/employees/{EMPLOYEE}"
    body = {
        "name": "Andi Pratama",
        "unit_id": "bidang",
        "rater_nip": RATER,
        "siasn_pns_id": "P-1",
        "rank_code": "3" * 9,
    }
    assert_problem(svc.call("PUT", url, svc.admin, json=body, headers=svc.current(url)), 422, "rank_code")
    saved = svc.ok(svc.call("PUT", url, svc.admin, json={**body, "rank_code": "31"}, headers=svc.current(url)))
    assert (saved["siasn_pns_id"], saved["rank_code"]) == ("P-1", "31")
