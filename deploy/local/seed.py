#!/usr/bin/env python3
"""Seed the demo organisation, Kota Binjai, through the services' public APIs (idempotent).

Two agencies (Dinas Kesehatan, Dinas Pendidikan) with sub-units, a head, raters and
employees with valid NIPs, and plans: the demo employee's plan is approved so activities
can be logged against it at once.
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
import urllib.error
import urllib.request

from kinerja_shared.auth import mint_token
from kinerja_shared.config import Settings

PLAN = os.environ.get("PLAN_SERVICE_URL", "http://127.0.0.1:8001")

DEMO_USERS = {
    "admin": {"nip": "197001011995031001", "name": "Rahmat Hidayat (BKPSDM)", "unit": "bkpsdm", "roles": ["admin"]},
    "unit_head": {"nip": "197205101998031002", "name": "dr. Sri Wahyuni (Kepala Dinas Kesehatan)", "unit": "dinkes",
                  "roles": ["unit_head", "supervisor", "employee"]},
    "rater": {"nip": "198003152005012003", "name": "Nurhayati Siregar (Kepala Bidang Pelayanan)", "unit": "dinkes-yankes",
              "roles": ["supervisor", "employee"]},
    "employee": {"nip": "199208172019031004", "name": "Andi Pratama", "unit": "dinkes-yankes", "roles": ["employee"]},
}

UNITS = [
    ("bkpsdm", "Badan Kepegawaian dan Pengembangan SDM", None, "197001011995031001"),
    ("dinkes", "Dinas Kesehatan", None, "197205101998031002"),
    ("dinkes-yankes", "Bidang Pelayanan Kesehatan", "dinkes", "198003152005012003"),
    ("dinkes-p2p", "Bidang Pencegahan dan Pengendalian Penyakit", "dinkes", None),
    ("disdik", "Dinas Pendidikan", None, "197106121997031005"),
    ("disdik-sd", "Bidang Pembinaan Sekolah Dasar", "disdik", None),
]

BEHAVIOURS = [{"value": v, "expectation": e} for v, e in [
    ("service", "Melayani pasien dengan ramah dan tepat waktu"),
    ("accountable", "Melaporkan capaian setiap bulan dengan bukti dukung"),
    ("competent", "Mengikuti pelatihan teknis minimal sekali setahun"),
    ("harmonious", "Menjaga suasana kerja yang saling menghargai"),
    ("loyal", "Menjaga kerahasiaan data pasien"),
    ("adaptive", "Terbuka menggunakan aplikasi baru"),
    ("collaborative", "Aktif membantu rekan lintas bidang"),
]]


def call(method: str, url: str, token: str, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def token_for(settings, user) -> str:
    return mint_token(settings, sub=user["nip"], name=user["name"], unit=user["unit"], roles=user["roles"])


def employees():
    rater, head = DEMO_USERS["rater"]["nip"], DEMO_USERS["unit_head"]["nip"]
    rows = [
        (DEMO_USERS["admin"]["nip"], DEMO_USERS["admin"]["name"], "bkpsdm", None, "Kepala BKPSDM"),
        (head, DEMO_USERS["unit_head"]["name"], "dinkes", None, "Kepala Dinas"),
        ("197106121997031005", "Drs. Bambang Sutrisno (Kepala Dinas Pendidikan)", "disdik", None, "Kepala Dinas"),
        (rater, DEMO_USERS["rater"]["name"], "dinkes-yankes", head, "Kepala Bidang"),
        (DEMO_USERS["employee"]["nip"], DEMO_USERS["employee"]["name"], "dinkes-yankes", rater, "Perawat Ahli Pertama"),
    ]
    # About twenty more staff with valid NIPs (birth date, start month, gender digit, serial).
    names = ["Siti Aminah", "Budi Santoso", "Dewi Lestari", "Rudi Hartono", "Fitri Handayani", "Agus Salim", "Wulan Sari",
             "Hendra Gunawan", "Maya Puspita", "Joko Susilo", "Rina Marlina", "Taufik Hidayat", "Yuli Astuti", "Dedi Kurniawan",
             "Lina Marpaung", "Irfan Nasution", "Sari Ginting", "Fajar Ramadhan", "Putri Sembiring", "Ahmad Lubis"]
    for i, name in enumerate(names):
        gender = "2" if i % 2 == 0 else "1"
        nip = f"19{85 + i % 10:02d}{(i % 12) + 1:02d}{(i % 27) + 1:02d}20{10 + i % 10:02d}{(i % 12) + 1:02d}{gender}{i + 10:03d}"
        unit = ["dinkes-yankes", "dinkes-p2p", "disdik-sd"][i % 3]
        rater_nip = rater if unit == "dinkes-yankes" else (head if unit == "dinkes-p2p" else "197106121997031005")
        rows.append((nip, name, unit, rater_nip, "Pelaksana"))
    return rows


def plan_body(nip: str, year: int) -> dict:
    return {
        "nip": nip, "year": year, "approach": "quantitative", "model": "JA_JF",
        "results": [
            {"kind": "main", "text": "Terlaksananya pelayanan kesehatan dasar yang bermutu",
             "indicators": [{"aspect": "quantity", "text": "Jumlah pasien yang dilayani", "target_value": 1200, "target_unit": "pasien"},
                            {"aspect": "quality", "text": "Kepuasan pasien", "target_value": 90, "target_unit": "%"}]},
            {"kind": "additional", "text": "Tersusunnya laporan bulanan pelayanan",
             "indicators": [{"aspect": "quantity", "text": "Laporan bulanan", "target_value": 12, "target_unit": "laporan"}]},
        ],
        "behaviours": BEHAVIOURS,
        "attachments": {"resources": "Ruang layanan, SIMPUS", "accountability": "Laporan bulanan ke Kepala Bidang",
                        "consequences": "Sesuai Peraturan Wali Kota tentang TPP"},
    }


def main() -> None:
    settings = Settings.from_env("seed")
    admin = token_for(settings, DEMO_USERS["admin"])
    for unit_id, name, parent, head_nip in UNITS:
        status, body = call("PUT", f"{PLAN}/api/v1/units/{unit_id}", admin, {"name": name, "parent_id": parent, "head_nip": head_nip})
        if status != 200:
            sys.exit(f"seeding unit {unit_id} failed: {status} {body}")
    rows = employees()
    for nip, name, unit, rater_nip, position in rows:
        email = ".".join(re.findall(r"[a-z]+", name.split(" (")[0].lower().removeprefix("dr. ").removeprefix("drs. "))) + "@binjaikota.go.id"
        status, body = call("PUT", f"{PLAN}/api/v1/employees/{nip}", admin,
                            {"name": name, "unit_id": unit, "rater_nip": rater_nip, "position": position, "email": email})
        if status != 200:
            sys.exit(f"seeding employee {nip} failed: {status} {body}")
    year = time.localtime().tm_year
    employee = DEMO_USERS["employee"]
    emp_token = token_for(settings, employee)
    status, existing = call("GET", f"{PLAN}/api/v1/plans?nip={employee['nip']}&year={year}", emp_token)
    if status == 200 and not existing["items"]:
        status, plan = call("POST", f"{PLAN}/api/v1/plans", emp_token, plan_body(employee["nip"], year))
        if status != 201:
            sys.exit(f"seeding the demo plan failed: {status} {plan}")
        call("POST", f"{PLAN}/api/v1/plans/{plan['id']}/submit", emp_token)
        status, plan = call("POST", f"{PLAN}/api/v1/plans/{plan['id']}/approve", token_for(settings, DEMO_USERS["rater"]))
        if status != 200:
            sys.exit(f"approving the demo plan failed: {status} {plan}")
    print(f"[kinerja] seeded {len(UNITS)} units, {len(rows)} employees and the demo employee's approved {year} plan", flush=True)


if __name__ == "__main__":
    main()
