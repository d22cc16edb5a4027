#!/usr/bin/env python3
"""Seed the demo organisation, Kota Binjai, through the services' public APIs (idempotent).

- two agencies (Dinas Kesehatan, Dinas Pendidikan) with sub-units, their heads, raters and about
  twenty employees with valid NIPs;
- plans in every status: approved (the demo employee's and most staff's), submitted, draft, and
  one returned with the rater's reason; every plan uses the four indicator aspects with realistic
  targets (patients served, "100 %" complete medical records on average, the monthly report "by the
  10th of each month", a consumables budget);
- a working office (``seed_working_office``): most people log most working days of the current
  period, each with a habit of their own (ahead of target, on target, behind, a late monthly
  report), all but the last three working days verified; the months before the period are summarised one entry per
  indicator and month, so the year's quantities and spending add up;
- the current period evaluated for part of the demo unit: the rater follows the suggestion, a few
  closed, the rest submitted or open (``seed_evaluations``), then the figures a unit head sees are
  printed (``report``).

Entries dated before activity-service's edit window (the previous month closes on
ACTIVITY_EDIT_WINDOW_CLOSE_DAY) cannot be logged through the API. When ACTIVITY_DATABASE_URL names
activity-service's database (``make run`` sets it), the seed writes them with activity-service's own
code instead (row, audit rows, and an ActivityLogged event carrying the verified state through its outbox,
as if logged and verified on their days); without it, only the edit window's days are seeded.
- the employees' realisations of the current period: most staff with an open evaluation submitted theirs
  (narrative, a link and evidence picked from verified activities), a third of those rated with feedback
  per result (seed_realisations, at the end).
- agreed action plans (rencana aksi) for every approved plan of the year: per indicator, one action per quarter
  (``seed_action_plans``, works from whatever approved plans exist).

Every step is safe to repeat: plans are created only when none exist for the year, activities
carry ids derived from the employee, day and slot, and only open evaluations are closed.
"""

from __future__ import annotations

import calendar
import json
import os
import random
import re
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kinerja_shared.auth import mint_token
from kinerja_shared.calendar import MONTHS_ID
from kinerja_shared.config import Settings
from kinerja_shared.processes import SERVICES

PLAN = os.environ.get("PLAN_SERVICE_URL", f"http://127.0.0.1:{SERVICES['plan-service']}")
ACTIVITY = os.environ.get("ACTIVITY_SERVICE_URL", f"http://127.0.0.1:{SERVICES['activity-service']}")
EVALUATION = os.environ.get("EVALUATION_SERVICE_URL", f"http://127.0.0.1:{SERVICES['evaluation-service']}")
WIB = ZoneInfo(os.environ.get("KINERJA_TIMEZONE", "Asia/Jakarta"))

DEMO_USERS = {
    "admin": {"nip": "197001011995031001", "name": "Rahmat Hidayat (BKPSDM)", "unit": "bkpsdm", "roles": ["admin"]},
    "unit_head": {
        "nip": "197205101998031002",
        "name": "dr. Sri Wahyuni (Kepala Dinas Kesehatan)",
        "unit": "dinkes",
        "roles": ["unit_head", "supervisor", "employee"],
    },
    "rater": {
        "nip": "198003152005012003",
        "name": "Nurhayati Siregar (Kepala Bidang Pelayanan)",
        "unit": "dinkes-yankes",
        "roles": ["supervisor", "employee"],
    },
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

BEHAVIOURS = [
    {"value": v, "expectation": e}
    for v, e in [
        ("service", "Melayani pasien dengan ramah dan tepat waktu"),
        ("accountable", "Melaporkan capaian setiap bulan dengan bukti dukung"),
        ("competent", "Mengikuti pelatihan teknis minimal sekali setahun"),
        ("harmonious", "Menjaga suasana kerja yang saling menghargai"),
        ("loyal", "Menjaga kerahasiaan data pasien"),
        ("adaptive", "Terbuka menggunakan aplikasi baru"),
        ("collaborative", "Aktif membantu rekan lintas bidang"),
    ]
]


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
    names = [
        "Siti Aminah",
        "Budi Santoso",
        "Dewi Lestari",
        "Rudi Hartono",
        "Fitri Handayani",
        "Agus Salim",
        "Wulan Sari",
        "Hendra Gunawan",
        "Maya Puspita",
        "Joko Susilo",
        "Rina Marlina",
        "Taufik Hidayat",
        "Yuli Astuti",
        "Dedi Kurniawan",
        "Lina Marpaung",
        "Irfan Nasution",
        "Sari Ginting",
        "Fajar Ramadhan",
        "Putri Sembiring",
        "Ahmad Lubis",
    ]
    for i, name in enumerate(names):
        gender = "2" if i % 2 == 0 else "1"
        born = f"19{85 + i % 10:02d}{(i % 12) + 1:02d}{(i % 27) + 1:02d}"
        nip = f"{born}20{10 + i % 10:02d}{(i % 12) + 1:02d}{gender}{i + 10:03d}"
        unit = ["dinkes-yankes", "dinkes-p2p", "disdik-sd"][i % 3]
        rater_nip = rater if unit == "dinkes-yankes" else (head if unit == "dinkes-p2p" else "197106121997031005")
        rows.append((nip, name, unit, rater_nip, "Pelaksana"))
    return rows


# The plan every demo employee has: the four aspects, as a Puskesmas or Bidang writes them.
PATIENTS_PER_YEAR = 2400  # quantity (sum): about ten a working day
RECORDS_TARGET = 100  # quality (average): complete medical records, %
REPORT_DEADLINE_DAY = 10  # time (deadline): the monthly report by the 10th
BUDGET_PER_YEAR = 36000  # cost (spent): consumables, thousands of rupiah (Rp 36 juta)


def plan_body(nip: str, year: int, supports: str | None = None) -> dict:
    """A JA_JF plan; ``supports`` is the rater's result its main result supports (the cascade, intervensi)."""
    return {
        "nip": nip,
        "year": year,
        "approach": "quantitative",
        "model": "JA_JF",
        "results": [
            {
                "kind": "main",
                "text": "Terlaksananya pelayanan kesehatan dasar yang bermutu",
                "supports_result_id": supports,
                "indicators": [
                    {
                        "aspect": "quantity",
                        "text": "Jumlah pasien yang dilayani",
                        "target_value": PATIENTS_PER_YEAR,
                        "target_unit": "pasien",
                        "measure": "sum",
                    },
                    {
                        "aspect": "quality",
                        "text": "Persentase rekam medis yang lengkap",
                        "target_value": RECORDS_TARGET,
                        "target_unit": "%",
                        "measure": "average",
                    },
                ],
            },
            {
                "kind": "main",
                "text": "Tersampaikannya laporan bulanan pelayanan tepat waktu",
                "supports_result_id": supports,
                "indicators": [
                    {
                        "aspect": "time",
                        "text": "Laporan bulanan disampaikan paling lambat tanggal 10 setiap bulan",
                        "target_value": 12,
                        "target_unit": "laporan",
                        "measure": "deadline",
                        "deadline_day": REPORT_DEADLINE_DAY,
                    }
                ],
            },
            {
                "kind": "additional",
                "text": "Terkendalinya belanja bahan habis pakai pelayanan",
                "indicators": [
                    {
                        "aspect": "cost",
                        "text": "Realisasi belanja bahan habis pakai dalam pagu",
                        "target_value": BUDGET_PER_YEAR,
                        "target_unit": "ribu rupiah",
                        "measure": "spent",
                    }
                ],
            },
        ],
        "behaviours": BEHAVIOURS,
        "attachments": {
            "resources": "Ruang layanan, SIMPUS",
            "accountability": "Laporan bulanan ke Kepala Bidang",
            "consequences": "Sesuai Peraturan Wali Kota tentang TPP",
        },
    }


def main() -> None:
    settings = Settings.from_env("seed")
    admin = token_for(settings, DEMO_USERS["admin"])
    for unit_id, name, parent, head_nip in UNITS:
        status, body = call(
            "PUT", f"{PLAN}/api/v1/units/{unit_id}", admin, {"name": name, "parent_id": parent, "head_nip": head_nip}
        )
        if status != 200:
            sys.exit(f"seeding unit {unit_id} failed: {status} {body}")
    rows = employees()
    for nip, name, unit, rater_nip, position in rows:
        email = (
            ".".join(re.findall(r"[a-z]+", name.split(" (")[0].lower().removeprefix("dr. ").removeprefix("drs. ")))
            + "@binjaikota.go.id"
        )
        # If-Match: * -- the seed sets the directory to this whatever an earlier run left (an update needs If-Match)
        # SIASN's PNS id and golongan code (issue 18: the SIASN channel needs them); the last staff member has none,
        # so the demo shows a record waiting for data ("Kiriman SIASN": kurang data)
        siasn = (
            {}
            if nip == rows[-1][0]
            else {
                "siasn_pns_id": f"DEMO{nip[-10:]}",
                "rank_code": "41" if rater_nip in (None, DEMO_USERS["unit_head"]["nip"]) else "32",
            }
        )
        status, body = call(
            "PUT",
            f"{PLAN}/api/v1/employees/{nip}",
            admin,
            {"name": name, "unit_id": unit, "rater_nip": rater_nip, "position": position, "email": email, **siasn},
            if_match="*",
        )
        if status != 200:
            sys.exit(f"seeding employee {nip} failed: {status} {body}")
    year = datetime.now(WIB).year
    people = {nip: (name, unit, rater_nip) for nip, name, unit, rater_nip, _ in rows}
    tokens = {
        nip: mint_token(
            settings,
            sub=nip,
            name=people[nip][0],
            unit=people[nip][1],
            roles=["employee", "supervisor", "unit_head"]
            if nip in HEADS
            else (["employee", "supervisor"] if nip in RATERS else ["employee"]),
        )
        for nip in people
    }
    staff = [nip for nip, (_, _, rater_nip) in people.items() if rater_nip]
    statuses = {
        nip: ("approved" if i % 5 not in (3, 4) else ("submitted" if i % 5 == 3 else "draft"))
        for i, nip in enumerate(staff)
    }
    statuses[DEMO_USERS["employee"]["nip"]] = "approved"
    statuses[staff[-1]] = "returned"
    plans = {}
    # The cascade runs top-down: raters' plans are approved before their staff's plans name a result to support.
    for nip in sorted(staff, key=lambda n: n not in RATERS):
        rater_plan = plans.get(people[nip][2])
        supports = (
            next((r["result_id"] for r in rater_plan["results"] if r["kind"] == "main"), None) if rater_plan else None
        )
        plans[nip] = ensure_plan(nip, people[nip][2], year, statuses[nip], tokens, supports)
    approved = [nip for nip in staff if plans[nip]["status"] == "approved"]
    counts = {s_: sum(1 for p in plans.values() if p["status"] == s_) for s_ in ("approved", "submitted", "draft")}
    print(
        f"[kinerja] plans: {counts['approved']} approved, {counts['submitted']} submitted, {counts['draft']} draft "
        f"(one of them returned with a reason)",
        flush=True,
    )

    period = current_period(admin)
    seed_working_office(approved, people, plans, tokens, period)
    wait_until_evaluated(admin, expected_logged_days(approved, plans, period))
    outcome = seed_evaluations(approved, people, plans, tokens)
    print(
        f"[kinerja] seeded {len(UNITS)} units, {len(rows)} employees; evaluations of {period['id']}: {dict(outcome)}",
        flush=True,
    )
    seed_realisations(approved, people, plans, tokens)
    seed_action_plans(settings)
    report(approved, plans, admin)


def current_period(admin: str) -> dict:
    """Today's periodic period (monthly or quarterly, as evaluation-service's scheme for the year says)."""
    today = datetime.now(WIB).date()
    periods = expect(call("GET", f"{EVALUATION}/api/v1/periods?year={today.year}", admin), "reading the periods")
    return next(
        p
        for p in periods["periods"]
        if p["kind"] != "annual" and date.fromisoformat(p["start"]) <= today <= date.fromisoformat(p["end"])
    )


def expected_logged_days(approved: list[str], plans: dict, period: dict) -> int:
    """Working days with an entry in the period so far (as the unit dashboard counts them), from the seeded habits;
    the edit window's only, when the earlier days cannot be written."""
    today = datetime.now(WIB).date()
    first = (
        date.fromisoformat(period["start"])
        if os.environ.get("ACTIVITY_DATABASE_URL")
        else max(date.fromisoformat(period["start"]), edit_window_start(today))
    )
    days = 0
    for i, nip in enumerate(approved):
        entries = office_entries(nip, HABITS[i % len(HABITS)], plans[nip], period, today)
        days += len(
            {
                e["date"]
                for e in entries
                if first <= date.fromisoformat(e["date"]) and date.fromisoformat(e["date"]).weekday() < 5
            }
        )
    return days


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
        plan = expect(
            call(
                "POST",
                f"{PLAN}/api/v1/plans/{plan['id']}/return",
                rater,
                {"reason": "Indikator kualitas belum terukur; tambahkan target persentase."},
            ),
            f"returning {nip}'s plan",
        )
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


# -- a working office: the current period's activities ---------------------------------------------

# Each person's habit: the share of the quantity expected by the period's end they have reached, the
# range of their medical-records audits (%), how many of the period's monthly reports were late, their
# spending against the budget for the months elapsed, and the share of working days they log.
PROFILES = {
    "ahead": dict(quantity=1.12, records=(100, 100), late=0, spend=0.92, logs=0.96),
    "steady": dict(quantity=1.06, records=(96, 99), late=0, spend=1.05, logs=0.92),
    "on_plan": dict(quantity=1.03, records=(100, 100), late=0, spend=1.03, logs=0.90),
    "behind": dict(quantity=0.85, records=(86, 95), late=1, spend=1.10, logs=0.72),
    "late": dict(quantity=1.07, records=(97, 100), late=1, spend=0.98, logs=0.88),
}
HABITS = [
    "steady",
    "ahead",
    "on_plan",
    "behind",
    "steady",
    "late",
    "ahead",
    "on_plan",
    "steady",
    "behind",
    "steady",
    "ahead",
]
SLOTS = {
    "patients": ("08:00", "11:30"),
    "records": ("13:00", "14:00"),
    "report": ("14:00", "14:30"),
    "spending": ("14:30", "15:00"),
}


def working_days(first: date, last: date) -> list[date]:
    return [
        first + timedelta(days=i) for i in range((last - first).days + 1) if (first + timedelta(days=i)).weekday() < 5
    ]


def months_touched(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1 if last >= first else 0


def split_exactly(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` as whole numbers that add up to it exactly."""
    out, done, cum, whole = [], 0, 0.0, sum(weights) or 1
    for w in weights:
        cum += w
        share = round(total * cum / whole)
        out.append(share - done)
        done = share
    return out


def edit_window_start(today: date) -> date:
    """As activity-service: the previous month stays open up to ACTIVITY_EDIT_WINDOW_CLOSE_DAY (5) of this one."""
    close_day = int(os.environ.get("ACTIVITY_EDIT_WINDOW_CLOSE_DAY", "5"))
    first = today.replace(day=1)
    if close_day > 0 and today.day <= close_day:
        return (first - timedelta(days=1)).replace(day=1)
    return first


def office_entries(nip: str, habit: str, plan: dict, period: dict, today: date) -> list[dict]:
    """The entries of one person with one habit, from the plan's start to yesterday: the current period day by
    day, the months before it one entry per indicator and month (so the year's sums and spending add up)."""
    p = PROFILES[habit]
    rng = random.Random(f"kinerja-seed/{nip}")
    by_aspect = {i["aspect"]: (r["result_id"], i) for r in plan["results"] for i in r["indicators"]}
    plan_start = date.fromisoformat(plan["period_start"])
    period_start, period_end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
    yesterday = today - timedelta(days=1)
    months_expected = months_touched(plan_start, period_end) / max(
        months_touched(plan_start, date.fromisoformat(plan["period_end"])), 1
    )
    days = working_days(max(period_start, plan_start), yesterday)
    diligent = nip == DEMO_USERS["employee"]["nip"]  # the demo employee logs every working day
    logged_days = [d for d in days if rng.random() < p["logs"] or diligent]
    before = [
        date(plan_start.year, m, 1)
        for m in range(plan_start.month, period_start.month)
        if period_start.year == plan_start.year
    ]
    items: list[dict] = []

    def add(day, slot, aspect, what, quantity):
        if aspect not in by_aspect or quantity is None:
            return
        result_id, indicator = by_aspect[aspect]
        start, end = SLOTS[slot]
        items.append(
            {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"kinerja-seed/{nip}/{day}/{slot}")),
                "date": day.isoformat(),
                "start_time": start,
                "end_time": end,
                "indicator_id": indicator["indicator_id"],
                "result_id": result_id,
                "description": what,
                "quantity": quantity,
                "quantity_unit": indicator["target_unit"],
                "evidence": [{"url": f"https://arsip.binjaikota.go.id/kinerja/{nip}/{day}/{slot}"}],
            }
        )

    def month_end_day(first):
        return working_days(first, first.replace(day=calendar.monthrange(first.year, first.month)[1]))[-1]

    # quantity (sum): the patients expected by the period's end times the habit, over the months before and
    # the days logged
    if "quantity" in by_aspect:
        target = by_aspect["quantity"][1]["target_value"]
        weights = [len(working_days(m, month_end_day(m))) for m in before] + [1] * len(logged_days)
        amounts = split_exactly(round(target * months_expected * p["quantity"]), weights)
        for m, n in zip(before, amounts):
            add(month_end_day(m), "patients", "quantity", f"Rekap pelayanan pasien bulan {MONTHS_ID[m.month - 1]}", n)
        for day, n in zip(logged_days, amounts[len(before) :]):
            add(day, "patients", "quantity", "Melayani pasien poli umum", n)
    # quality (average): a weekly audit of complete medical records, on the Fridays logged in the period
    low, high = p["records"]
    for day in logged_days:
        if day.weekday() == 4:
            add(day, "records", "quality", "Audit kelengkapan rekam medis pasien minggu ini", rng.randint(low, high))
    # time (deadline): the monthly report of the month before, late in the habit's last months of the period
    months = [date(plan_start.year, m, 1) for m in range(max(plan_start.month, 2), today.month + 1)]
    in_period = [m for m in months if period_start <= m <= period_end]
    due = [m for m in in_period if m.replace(day=15) <= yesterday]  # a late report (the 13th-15th) already delivered
    late_months = set(due[-p["late"] :]) if p["late"] and due else set()
    for m in months:
        wanted = rng.randint(13, 15) if m in late_months else rng.randint(5, 9)
        day = working_days(m.replace(day=wanted), m.replace(day=wanted) + timedelta(days=6))[0]
        if day <= yesterday and (day < period_start or day in logged_days or m in late_months):
            add(day, "report", "time", f"Menyampaikan laporan bulanan pelayanan bulan {MONTHS_ID[m.month - 2]}", 1)
    # cost (spent): consumables bought twice a month, against the budget for the months elapsed times the habit
    if "cost" in by_aspect:
        budget = by_aspect["cost"][1]["target_value"]
        buying = [d for d in logged_days if d.day in (5, 6, 7, 8, 20, 21, 22, 23)]
        buying = [d for i, d in enumerate(buying) if i == 0 or (d - buying[i - 1]).days > 3]
        amounts = split_exactly(round(budget * months_expected * p["spend"]), [2] * len(before) + [1] * len(buying))
        for m, amount in zip(before, amounts):
            add(
                month_end_day(m),
                "spending",
                "cost",
                f"Rekap belanja bahan habis pakai bulan {MONTHS_ID[m.month - 1]}",
                amount,
            )
        for day, amount in zip(buying, amounts[len(before) :]):
            add(day, "spending", "cost", "Belanja bahan habis pakai pelayanan", amount)
    return items


def seed_working_office(approved: list[str], people: dict, plans: dict, tokens: dict, period: dict) -> dict:
    """Every approved plan's entries (office_entries), each person with a habit of HABITS: the edit window's days
    through the batch endpoint, the rater verifying all but the last three working days'; earlier days written through
    activity-service's own code when ACTIVITY_DATABASE_URL is set (backfill)."""
    today = datetime.now(WIB).date()
    window = edit_window_start(today)
    habits, logged, written = {}, 0, 0
    for i, nip in enumerate(approved):
        habits[nip] = HABITS[i % len(HABITS)]
        plan, me, rater = plans[nip], tokens[nip], tokens[people[nip][2]]
        wait_for(
            lambda plan=plan, nip=nip, me=me: (
                lambda a: a[0] == 200 and any(i["plan_id"] == plan["id"] for i in a[1]["items"])
            )(call("GET", f"{ACTIVITY}/api/v1/indicators?nip={nip}", me)),
            "activity-service to learn the approved plans",
        )
        items = office_entries(nip, habits[nip], plan, period, today)
        recent = [
            {k: v for k, v in it.items() if k != "result_id"}
            for it in items
            if date.fromisoformat(it["date"]) >= window
        ]
        for start in range(0, len(recent), 50):
            expect(
                call("POST", f"{ACTIVITY}/api/v1/activities/batch", me, {"items": recent[start : start + 50]}),
                f"logging {nip}'s activities",
            )
        cutoff = working_days(today - timedelta(days=14), today - timedelta(days=1))[
            -3
        ]  # the last three working days wait
        to_verify = [
            {"id": it["id"], "decision": "accepted"} for it in recent if date.fromisoformat(it["date"]) < cutoff
        ]
        for start in range(0, len(to_verify), 200):
            expect(
                call("POST", f"{ACTIVITY}/api/v1/activities/verify", rater, {"items": to_verify[start : start + 200]}),
                f"verifying {nip}'s activities",
            )
        logged += len(recent)
        written += backfill([it for it in items if date.fromisoformat(it["date"]) < window], nip, people[nip][2], plan)
    print(
        f"[kinerja] activities: {logged} entries of the edit window logged, {written} earlier ones written"
        + ("" if os.environ.get("ACTIVITY_DATABASE_URL") else " (set ACTIVITY_DATABASE_URL for the earlier days)")
        + f"; habits: {dict(Counter(habits.values()))}",
        flush=True,
    )
    return habits


_ACTIVITY_ENGINE = None


def backfill(items: list[dict], nip: str, rater_nip: str, plan: dict) -> int:
    """Entries dated before the edit window, written as activity-service writes them (row, audit rows of the
    logging and the verification, and through its outbox one ActivityLogged carrying the verified state, so no
    one is notified of last months' entries), logged and verified on their own day.
    Skipped without ACTIVITY_DATABASE_URL; ids already stored are left alone (safe to repeat)."""
    global _ACTIVITY_ENGINE
    url = os.environ.get("ACTIVITY_DATABASE_URL")
    if not url or not items:
        return 0
    import hashlib

    from sqlalchemy import select

    from activity_service import events as activity_events
    from activity_service.models import activities
    from kinerja_shared import audit
    from kinerja_shared.db import make_engine
    from kinerja_shared.outbox import publish

    _ACTIVITY_ENGINE = _ACTIVITY_ENGINE or make_engine(
        Settings.from_env("activity-service", {"DATABASE_URL": url}).database_url
    )
    with _ACTIVITY_ENGINE.begin() as conn:
        known = set(
            conn.execute(select(activities.c.id).where(activities.c.id.in_([it["id"] for it in items]))).scalars()
        )
        rows, audits, out = [], [], []
        for it in items:
            if it["id"] in known:
                continue
            day = date.fromisoformat(it["date"])
            (sh, sm), (eh, em) = (map(int, it["start_time"].split(":")), map(int, it["end_time"].split(":")))
            logged_at = datetime.combine(day, datetime.min.time(), WIB).replace(hour=eh).astimezone(ZoneInfo("UTC"))
            row = dict(
                id=it["id"],
                nip=nip,
                rater_nip=rater_nip,
                unit_id=plan["unit_id"],
                plan_id=plan["id"],
                result_id=it["result_id"],
                indicator_id=it["indicator_id"],
                date=day,
                start_min=sh * 60 + sm,
                end_min=eh * 60 + em,
                minutes=(eh - sh) * 60 + em - sm,
                description=it["description"],
                quantity=float(it["quantity"]),
                quantity_unit=it["quantity_unit"],
                evidence=[{"kind": "link", "url": e["url"]} for e in it["evidence"]],
                status="pending",
                verification_reason=None,
                verified_by=None,
                verified_at=None,
                version=1,
                request_hash=hashlib.sha256(it["id"].encode()).hexdigest(),
                created_at=logged_at,
                updated_at=logged_at,
            )
            verified = {
                **row,
                "status": "accepted",
                "verified_by": rater_nip,
                "verified_at": logged_at + timedelta(hours=1),
                "version": 2,
                "updated_at": logged_at + timedelta(hours=1),
            }
            rows.append(verified)
            out.append(activity_events.activity_logged(verified))  # its state as verified: no notification flood
            audits += [
                audit.entry(
                    actor=nip,
                    action="activity.logged",
                    entity_type="activity",
                    entity_id=row["id"],
                    after=activity_events.activity_state(row),
                    reason="seed: before the edit window",
                ),
                audit.entry(
                    actor=rater_nip,
                    action="activity.verified",
                    entity_type="activity",
                    entity_id=row["id"],
                    after=activity_events.activity_state(verified),
                    reason="seed: before the edit window",
                ),
            ]
        if rows:
            conn.execute(activities.insert(), rows)
            audit.record_many(conn, audits)
            publish(conn, *out)
    return len(rows)


def seed_evaluations(approved: list[str], people: dict, plans: dict, tokens: dict) -> Counter:
    """The demo unit's raters evaluate the current period: they follow the suggestion (or rate "meets" where
    there is none), close every third, leave the rest submitted; the demo employee's stays open."""
    outcome = Counter()
    demo = DEMO_USERS["employee"]["nip"]
    for i, nip in enumerate(n for n in approved if people[n][1] == "dinkes-yankes" and n != demo):
        rater = tokens[people[nip][2]]

        def opened(nip=nip, rater=rater):
            items = (call("GET", f"{EVALUATION}/api/v1/evaluations?nip={nip}", rater)[1] or {}).get("items", [])
            return next((e for e in items if e["plan_id"] == plans[nip]["id"]), None)

        evaluation = wait_for(opened, "evaluation-service to open the evaluations")
        if evaluation["status"] == "open":
            detail = expect(
                call("GET", f"{EVALUATION}/api/v1/evaluations/{evaluation['id']}", rater), f"reading {nip}'s form"
            )
            results = (detail["suggestion"] or {}).get("rating") or "meets"
            behaviour = ["meets", "above", "meets", "meets"][i % 4]
            evaluation = expect(
                call(
                    "POST",
                    f"{EVALUATION}/api/v1/evaluations/{evaluation['id']}/submit",
                    rater,
                    {
                        "results_rating": results,
                        "behaviour_rating": behaviour,
                        "rating_note": "Berdasarkan bukti dukung kegiatan harian periode ini",
                    },
                ),
                f"submitting {nip}'s evaluation",
            )
        if evaluation["status"] == "submitted" and i % 3 == 0:
            evaluation = expect(
                call("POST", f"{EVALUATION}/api/v1/evaluations/{evaluation['id']}/close", rater),
                f"closing {nip}'s evaluation",
            )
        outcome[evaluation["status"]] += 1
    return outcome


def dashboards(admin: str) -> list[dict]:
    """The unit dashboards of the two agencies (today's period), as their heads see them."""
    out = []
    for unit in ("dinkes", "disdik"):
        code, body = call("GET", f"{EVALUATION}/api/v1/unit-performance/{unit}/dashboard", admin)
        if code == 200:
            out.append(body)
    return out


def wait_until_evaluated(admin: str, expected_days: int, timeout: float = 900) -> bool:
    """Wait until evaluation-service has consumed the seeded activities (the dashboards count every logged day)."""
    deadline, said = time.monotonic() + timeout, time.monotonic()
    while time.monotonic() < deadline:
        days = sum(u["activity_compliance"]["days_logged"] or 0 for u in dashboards(admin))
        if days >= expected_days:
            time.sleep(5)  # the verifications of the last entries follow them on the same partition
            return True
        if time.monotonic() - said > 30:
            print(f"[kinerja] evaluation-service has {days} of {expected_days} logged days so far…", flush=True)
            said = time.monotonic()
        time.sleep(2)
    print(
        "[kinerja] evaluation-service has not caught up with every activity yet; the figures below are partial",
        flush=True,
    )
    return False


def report(approved: list[str], plans: dict, admin: str) -> dict:
    """What the seeded office looks like to its heads: the results suggestions of the current period, the
    unit dashboards' realisation and logging compliance (printed, and returned); ``admin``: an admin's token."""
    suggestions = Counter()
    for nip in approved:
        items = (call("GET", f"{EVALUATION}/api/v1/evaluations?nip={nip}", admin)[1] or {}).get("items", [])
        for e in items:
            if e["plan_id"] == plans[nip]["id"] and e["period"]["kind"] != "annual":
                detail = call("GET", f"{EVALUATION}/api/v1/evaluations/{e['id']}", admin)[1]
                suggestions[(detail.get("suggestion") or {}).get("rating") or "none"] += 1
    figures = {"suggestions": dict(suggestions), "units": {}}
    for unit in dashboards(admin):
        c, r = unit["activity_compliance"], unit["realisation"]
        figures["units"][unit["unit_id"]] = {
            "period": unit["period"]["id"],
            "compliance": c["share"],
            "employees_logging": c["employees_logging"],
            "employees_with_plan": c["employees_with_plan"],
            "working_days": c["working_days"],
            "days_logged": c["days_logged"],
            "results": r["by_assessment"],
            "average_percent_of_expected": r["average_percent_of_expected"],
        }
    print(f"[kinerja] demo figures: {json.dumps(figures)}", flush=True)
    return figures


# -- the employees' realisations and the raters' feedback (issue 15) ---------------------------------------

NARRATIVES = [
    "Pelayanan berjalan sesuai jadwal; seluruh laporan harian disusun dan diarsipkan.",
    "Target pelayanan bulan ini tercapai; dua kegiatan tertunda karena rapat koordinasi dinas.",
    "Pelayanan dan pelaporan berjalan baik; bukti dukung terlampir dari kegiatan harian.",
]


def seed_realisations(approved: list[str], people: dict, plans: dict, tokens: dict) -> None:
    """For the current period: most staff whose evaluation is still open submit their realisation (per result the
    prefilled realisation, a narrative, a link and evidence picked from a verified activity); every third of those
    is then rated by the rater with feedback per result (submitted, not closed). The demo employee is left alone
    (the browser tests walk their realisation). Safe to repeat: a submitted realisation or evaluation is kept."""
    demo = DEMO_USERS["employee"]["nip"]
    submitted = rated = 0
    for i, nip in enumerate(n for n in approved if n != demo):
        me, rater = tokens[nip], tokens[people[nip][2]]
        code, page = call("GET", f"{EVALUATION}/api/v1/evaluations?nip={nip}&status=open", me)
        mine = [
            e
            for e in (page or {}).get("items", [])
            if code == 200 and e["plan_id"] == plans[nip]["id"] and e["period"]["kind"] != "annual"
        ]
        if not mine or i % 5 == 4:  # closed already, or one in five has not submitted yet
            continue
        evaluation = max(mine, key=lambda e: e["period"]["start"])
        url = f"{EVALUATION}/api/v1/evaluations/{evaluation['id']}"
        current = expect(call("GET", f"{url}/realisation", me), f"reading {nip}'s realisation")
        if current["status"] != "submitted":
            results = []
            for j, r in enumerate(current["results"]):
                picks = [
                    {
                        "kind": "activity",
                        "activity_id": a["activity_id"],
                        **({"file_id": e["file_id"]} if e.get("file_id") else {"url": e["url"]}),
                    }
                    for a in current["activity_evidence"]
                    if a.get("result_id") == r["result_id"]
                    for e in a["evidence"]
                ][:2]
                results.append(
                    {
                        "result_id": r["result_id"],
                        "realisation": r["realisation"],
                        "narrative": NARRATIVES[(i + j) % len(NARRATIVES)],
                        "evidence": [
                            {
                                "kind": "link",
                                "url": f"https://arsip.binjaikota.go.id/kinerja/{nip}/rekap",
                                "name": "Rekap kegiatan",
                            },
                            *picks,
                        ],
                    }
                )
            expect(
                call("PUT", f"{url}/realisation", me, {"results": results}, if_match="*"), f"saving {nip}'s realisation"
            )
            expect(call("POST", f"{url}/realisation/submit", me), f"submitting {nip}'s realisation")
        submitted += 1
        if i % 3 == 0:
            form = expect(call("GET", url, rater), f"reading {nip}'s evaluation form")
            suggested = (form.get("suggestion") or {}).get("rating") or "meets"
            expect(
                call(
                    "POST",
                    f"{url}/submit",
                    rater,
                    {
                        "results_rating": suggested,
                        "behaviour_rating": "meets",
                        "results": [
                            {
                                "result_id": r["result_id"],
                                "feedback": "Bukti dukung lengkap; pertahankan ketepatan waktu.",
                            }
                            for r in form["results"]
                        ],
                    },
                ),
                f"rating {nip}'s evaluation",
            )
            rated += 1
    print(
        f"[kinerja] realisations of the current period: {submitted} submitted by the employees, {rated} of them "
        "rated with feedback per result",
        flush=True,
    )


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
        page = expect(
            call(
                "GET",
                f"{PLAN}/api/v1/plans?status=approved&year={year}&limit=200" + (f"&cursor={cursor}" if cursor else ""),
                admin,
            ),
            "listing the approved plans",
        )
        plans += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    agreed = 0
    for plan in plans:
        owner = mint_token(settings, sub=plan["nip"], roles=["employee"])
        rater = (
            mint_token(settings, sub=plan["rater_nip"], roles=["employee", "supervisor"])
            if plan["rater_nip"]
            else admin
        )
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
                        expect(
                            call(
                                "POST",
                                f"{base}/actions",
                                owner,
                                {
                                    "indicator_id": indicator["indicator_id"],
                                    "period": quarter,
                                    "text": text,
                                    "target_value": target,
                                },
                            ),
                            f"proposing {plan['nip']}'s actions",
                        )
        if state["status"] == "draft":
            expect(call("POST", f"{base}/action-plan/submit", owner), f"submitting {plan['nip']}'s action plans")
        expect(call("POST", f"{base}/action-plan/agree", rater), f"agreeing {plan['nip']}'s action plans")
        agreed += 1
    print(
        f"[kinerja] action plans: {agreed} of {len(plans)} approved plans have agreed action plans (rencana aksi)",
        flush=True,
    )
    return agreed


if __name__ == "__main__":
    main()
