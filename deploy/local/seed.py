#!/usr/bin/env python3
"""Seed the demo organisation, Kota Binjai, through the services' public APIs (idempotent).

- two agencies (Dinas Kesehatan, Dinas Pendidikan) with sub-units, their heads, raters and about
  twenty employees with valid NIPs;
- plans in every status: approved (the demo employee's and most staff's), submitted, draft, and
  one returned with the rater's reason;
- this month's working days of activities for the staff with approved plans, most verified;
- the current period evaluated for part of the demo unit (submitted and closed, with predicates);
- agreed action plans (rencana aksi) for every approved plan of the year: per indicator, one action per quarter
  (``seed_action_plans``, run last, works from whatever approved plans exist).

Every step is safe to repeat: plans are created only when none exist for the year, activities
carry ids derived from the employee, day and slot, and only open evaluations are closed.
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo
import urllib.error
import urllib.request

from kinerja_shared.auth import mint_token
from kinerja_shared.config import Settings

PLAN = os.environ.get("PLAN_SERVICE_URL", "http://127.0.0.1:8001")
ACTIVITY = os.environ.get("ACTIVITY_SERVICE_URL", "http://127.0.0.1:8002")
EVALUATION = os.environ.get("EVALUATION_SERVICE_URL", "http://127.0.0.1:8003")
WIB = ZoneInfo(os.environ.get("KINERJA_TIMEZONE", "Asia/Jakarta"))

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


def call(method: str, url: str, token: str, body=None, if_match: str | None = None):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if if_match:
        headers["If-Match"] = if_match
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
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


def plan_body(nip: str, year: int, supports: str | None = None) -> dict:
    """A JA_JF plan; ``supports`` is the rater's result its main result supports (the cascade, intervensi)."""
    return {
        "nip": nip, "year": year, "approach": "quantitative", "model": "JA_JF",
        "results": [
            {"kind": "main", "text": "Terlaksananya pelayanan kesehatan dasar yang bermutu", "supports_result_id": supports,
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
        # If-Match: * -- the seed sets the directory to this whatever an earlier run left (an update needs If-Match)
        status, body = call("PUT", f"{PLAN}/api/v1/employees/{nip}", admin,
                            {"name": name, "unit_id": unit, "rater_nip": rater_nip, "position": position, "email": email},
                            if_match="*")
        if status != 200:
            sys.exit(f"seeding employee {nip} failed: {status} {body}")
    year = datetime.now(WIB).year
    people = {nip: (name, unit, rater_nip) for nip, name, unit, rater_nip, _ in rows}
    tokens = {nip: mint_token(settings, sub=nip, name=people[nip][0], unit=people[nip][1],
                              roles=["employee", "supervisor", "unit_head"] if nip in HEADS else
                              (["employee", "supervisor"] if nip in RATERS else ["employee"]))
              for nip in people}
    staff = [nip for nip, (_, _, rater_nip) in people.items() if rater_nip]
    statuses = {nip: ("approved" if i % 5 not in (3, 4) else ("submitted" if i % 5 == 3 else "draft")) for i, nip in enumerate(staff)}
    statuses[DEMO_USERS["employee"]["nip"]] = "approved"
    statuses[staff[-1]] = "returned"
    plans = {}
    # The cascade runs top-down: raters' plans are approved before their staff's plans name a result to support.
    for nip in sorted(staff, key=lambda n: n not in RATERS):
        rater_plan = plans.get(people[nip][2])
        supports = next((r["result_id"] for r in rater_plan["results"] if r["kind"] == "main"), None) if rater_plan else None
        plans[nip] = ensure_plan(nip, people[nip][2], year, statuses[nip], tokens, supports)
    approved = [nip for nip in staff if plans[nip]["status"] == "approved"]
    counts = {s_: sum(1 for p in plans.values() if p["status"] == s_) for s_ in ("approved", "submitted", "draft")}
    print(f"[kinerja] plans: {counts['approved']} approved, {counts['submitted']} submitted, {counts['draft']} draft "
          f"(one of them returned with a reason)", flush=True)

    logged = sum(seed_activities(nip, people[nip][2], plans[nip], tokens) for nip in approved)
    print(f"[kinerja] activities: {logged} entries over this month's working days", flush=True)
    closed = seed_evaluations(approved, people, plans, tokens)
    print(f"[kinerja] seeded {len(UNITS)} units, {len(rows)} employees; {closed} evaluations of the current period closed",
          flush=True)
    seed_action_plans(settings)


HEADS = {"197205101998031002", "197106121997031005", "197001011995031001"}
RATERS = {"198003152005012003"}


def ensure_plan(nip: str, rater_nip: str, year: int, status: str, tokens: dict, supports: str | None) -> dict:
    """The employee's plan for the year, brought once to the wanted status."""
    me, rater = tokens[nip], tokens[rater_nip]
    code, existing = call("GET", f"{PLAN}/api/v1/plans?nip={nip}&year={year}", me)
    if code == 200 and existing["items"]:
        return existing["items"][0]
    code, plan = call("POST", f"{PLAN}/api/v1/plans", me, plan_body(nip, year, supports))
    if code != 201:
        sys.exit(f"seeding the plan of {nip} failed: {code} {plan}")
    if status == "draft":
        return plan
    plan = expect(call("POST", f"{PLAN}/api/v1/plans/{plan['id']}/submit", me), f"submitting {nip}'s plan")
    if status == "approved":
        plan = expect(call("POST", f"{PLAN}/api/v1/plans/{plan['id']}/approve", rater), f"approving {nip}'s plan")
    elif status == "returned":
        plan = expect(call("POST", f"{PLAN}/api/v1/plans/{plan['id']}/return", rater,
                           {"reason": "Indikator kualitas belum terukur; tambahkan target persentase."}), f"returning {nip}'s plan")
    return plan


def expect(answer, what: str):
    code, body = answer
    if code not in (200, 201, 207):
        sys.exit(f"{what} failed: {code} {body}")
    return body


def wait_for(check, what: str, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    sys.exit(f"timed out waiting for {what}: is the service's worker running? (`make status`, `make logs`)")


def seed_activities(nip: str, rater_nip: str, plan: dict, tokens: dict) -> int:
    """One to two entries per working day of this month so far (up to yesterday), through the batch endpoint."""
    me = tokens[nip]
    indicators = [i["indicator_id"] for r in plan["results"] for i in r["indicators"]]
    wait_for(lambda: (lambda a: a[0] == 200 and any(i["indicator_id"] in indicators for i in a[1]["items"]))(
        call("GET", f"{ACTIVITY}/api/v1/indicators?nip={nip}", me)), "activity-service to learn the approved plans")
    today = datetime.now(WIB).date()
    days = [today.replace(day=d) for d in range(1, today.day) if today.replace(day=d).weekday() < 5]
    items = []
    for day in days:
        for slot, (start, end, what, qty) in enumerate([("08:00", "10:00", "Melayani pasien poli umum", 14),
                                                         ("13:00", "14:30", "Menyusun laporan harian pelayanan", 1)]):
            if slot == 1 and day.day % 2:
                continue
            items.append({"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"kinerja-seed/{nip}/{day}/{slot}")),
                          "date": day.isoformat(), "start_time": start, "end_time": end, "indicator_id": indicators[slot * 2 % len(indicators)],
                          "description": what, "quantity": qty, "quantity_unit": "pasien" if slot == 0 else "laporan",
                          "evidence": [{"url": f"https://arsip.binjaikota.go.id/kinerja/{nip}/{day}"}]})
    for start in range(0, len(items), 50):
        expect(call("POST", f"{ACTIVITY}/api/v1/activities/batch", me, {"items": items[start:start + 50]}), f"logging {nip}'s activities")
    # The rater verifies all but the last few days' entries.
    to_verify = [{"id": it["id"], "decision": "accepted"} for it in items if date.fromisoformat(it["date"]) < today - timedelta(days=3)]
    for start in range(0, len(to_verify), 200):
        expect(call("POST", f"{ACTIVITY}/api/v1/activities/verify", tokens[rater_nip], {"items": to_verify[start:start + 200]}),
               f"verifying {nip}'s activities")
    return len(items)


def seed_evaluations(approved: list[str], people: dict, plans: dict, tokens: dict) -> int:
    """Close the current period's evaluation for the demo unit's staff except the demo employee."""
    closed = 0
    demo = DEMO_USERS["employee"]["nip"]
    ratings = [("above", "above"), ("meets", "meets"), ("above", "meets"), ("meets", "above"), ("below", "meets")]
    for i, nip in enumerate(n for n in approved if people[n][1] == "dinkes-yankes" and n != demo):
        rater = tokens[people[nip][2]]
        evaluation = wait_for(lambda: next(iter(
            e for e in (call("GET", f"{EVALUATION}/api/v1/evaluations?nip={nip}", rater)[1] or {}).get("items", [])
            if e["plan_id"] == plans[nip]["id"]), None), "evaluation-service to open the evaluations")
        if evaluation["status"] == "closed":
            closed += 1
            continue
        results, behaviour = ratings[i % len(ratings)]
        if evaluation["status"] == "open":
            expect(call("POST", f"{EVALUATION}/api/v1/evaluations/{evaluation['id']}/submit", rater,
                        {"results_rating": results, "behaviour_rating": behaviour,
                         "rating_note": "Berdasarkan bukti dukung kegiatan harian bulan ini"}), f"submitting {nip}'s evaluation")
        expect(call("POST", f"{EVALUATION}/api/v1/evaluations/{evaluation['id']}/close", rater), f"closing {nip}'s evaluation")
        closed += 1
    return closed



# -- action plans (rencana aksi) ------------------------------------------------------------------------

QUARTER_NAMES = {"Q1": "I", "Q2": "II", "Q3": "III", "Q4": "IV"}


def action_texts(indicator: dict, quarter: str) -> tuple[str, float | None]:
    """What the employee will do for an indicator in a quarter, and the action's own target (in the indicator's unit):
    a quarter's share of a count, the level itself for quality, time and cost."""
    name = QUARTER_NAMES[quarter[5:]]
    target = indicator.get("target_value")
    if target is None:
        return f"{indicator['text']} (triwulan {name})", None
    if indicator.get("aspect") == "quantity":
        return f"{indicator['text']}: capaian triwulan {name}", round(float(target) / 4, 2)
    return f"Menjaga {indicator['text'][:1].lower()}{indicator['text'][1:]} pada triwulan {name}", float(target)


def seed_action_plans(settings) -> int:
    """Agreed action plans for the current year's approved plans, whatever plans exist: per indicator one action per
    quarter of the plan's span, proposed by the employee and agreed by the rater. Idempotent: a plan whose action
    plans were agreed once is left as it is; one left half-way by an earlier run is finished."""
    year = datetime.now(WIB).year
    admin = token_for(settings, DEMO_USERS["admin"])
    plans, cursor = [], None
    while True:
        page = expect(call("GET", f"{PLAN}/api/v1/plans?status=approved&year={year}&limit=200"
                                  + (f"&cursor={cursor}" if cursor else ""), admin), "listing the approved plans")
        plans += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    agreed = 0
    for plan in plans:
        owner = mint_token(settings, sub=plan["nip"], roles=["employee"])
        rater = mint_token(settings, sub=plan["rater_nip"], roles=["employee", "supervisor"]) if plan["rater_nip"] else admin
        base = f"{PLAN}/api/v1/plans/{plan['id']}"
        state = expect(call("GET", f"{base}/action-plan", owner), f"reading {plan['nip']}'s action plans")
        if state["agreed_version"]:
            agreed += 1
            continue
        if state["status"] == "draft" and not state["actions"]:
            for result in plan["results"]:
                for indicator in result["indicators"]:
                    for quarter in state["periods"]["quarters"]:
                        text, target = action_texts(indicator, quarter)
                        expect(call("POST", f"{base}/actions", owner, {
                            "indicator_id": indicator["indicator_id"], "period": quarter, "text": text,
                            "target_value": target}), f"proposing {plan['nip']}'s actions")
        if state["status"] == "draft":
            expect(call("POST", f"{base}/action-plan/submit", owner), f"submitting {plan['nip']}'s action plans")
        expect(call("POST", f"{base}/action-plan/agree", rater), f"agreeing {plan['nip']}'s action plans")
        agreed += 1
    print(f"[kinerja] action plans: {agreed} of {len(plans)} approved plans have agreed action plans (rencana aksi)",
          flush=True)
    return agreed


if __name__ == "__main__":
    main()
