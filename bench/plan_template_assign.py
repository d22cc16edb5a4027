#!/usr/bin/env python3
"""Benchmark: assign a plan template to a unit of 1,000 employees in one request (plan season).

Starts its own PostgreSQL (or uses DATABASE_URL) and plan-service's `web` process (gunicorn, 2 sync
workers, as deployed), imports a unit of N employees through the directory import, creates a
template, and times `POST /api/v1/plan-templates/{id}/assign` for fresh units, several rounds.
Kafka is not needed: the request only writes the outbox. Results go to bench/results/.

    .venv/bin/python bench/plan_template_assign.py [--employees 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import requests
from bench_db import PG_SETTINGS
from sqlalchemy import create_engine, text

from kinerja_shared.auth import mint_token
from kinerja_shared.config import Settings
from kinerja_shared.processes import migrate, service_processes, wait_ready
from kinerja_shared.testing.servers import free_port, start_local_postgres

ROOT = Path(__file__).resolve().parents[1]
ADMIN = "197001011995031001"
BEHAVIOURS = [
    {"value": v, "expectation": "Sesuai ekspektasi pimpinan"}
    for v in ("service", "accountable", "competent", "harmonious", "loyal", "adaptive", "collaborative")
]


def nip(i: int) -> str:
    return f"19{80 + i % 20:02d}01{1 + i // 1000:02d}{2010 + i % 10}01{1 + i % 2}{i % 1000:03d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=1000, help="employees per unit (default 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="fresh units to assign to (default 3)")
    args = parser.parse_args()

    pg = None
    admin_url = os.environ.get("DATABASE_URL")
    if not admin_url:
        pg = start_local_postgres(PG_SETTINGS)
        admin_url = pg.url
    admin_url = Settings.from_env("bench", {"DATABASE_URL": admin_url}).database_url
    db = f"bench_plan_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db}"'))
    env = dict(
        os.environ,
        DATABASE_URL=admin_url.rsplit("/", 1)[0] + "/" + db,
        WEB_CONCURRENCY="2",
        LOG_LEVEL="WARNING",
        KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:1",
        GUNICORN_ACCESS_LOG="/dev/null",
    )
    logs = Path(tempfile.mkdtemp(prefix="kinerja-bench-"))
    bin_dir = Path(sys.executable).parent
    migrate(bin_dir, "plan-service", env, logs / "migrate.log")
    port = free_port()
    web = service_processes(bin_dir, "plan-service", port, env, logs)[0].start()
    base = f"http://127.0.0.1:{port}"
    timings = []
    try:
        wait_ready(base, timeout=60, path="/healthz")
        settings = Settings.from_env("bench", {})
        headers = {"Authorization": "Bearer " + mint_token(settings, sub=ADMIN, roles=["admin"], ttl_seconds=3600)}
        year = datetime.now().year
        template = requests.post(
            f"{base}/api/v1/plan-templates",
            headers=headers,
            timeout=60,
            json={
                "name": "Pelaksana pelayanan",
                "position": "Pelaksana",
                "approach": "quantitative",
                "model": "JA_JF",
                "behaviours": BEHAVIOURS,
                "results": [
                    {
                        "kind": "main",
                        "text": "Pelayanan administrasi terlaksana",
                        "indicators": [
                            {
                                "aspect": "quantity",
                                "text": "Berkas dilayani",
                                "target_value": 1200,
                                "target_unit": "berkas",
                            }
                        ],
                    }
                ],
            },
        )
        template.raise_for_status()
        template_id = template.json()["id"]
        for round_ in range(args.rounds):
            unit = f"bench-unit-{round_}"
            employees = [
                {
                    "nip": nip(round_ * args.employees + i),
                    "name": f"Pegawai {i}",
                    "unit_id": unit,
                    "position": "Pelaksana",
                }
                for i in range(args.employees)
            ]
            imported = requests.post(
                f"{base}/api/v1/directory/imports?dry_run=false",
                headers=headers,
                timeout=300,
                json={"units": [{"id": unit, "name": f"Unit {round_}"}], "employees": employees},
            )
            imported.raise_for_status()
            started = time.perf_counter()
            r = requests.post(
                f"{base}/api/v1/plan-templates/{template_id}/assign",
                headers=headers,
                timeout=300,
                json={"unit_id": unit, "year": year},
            )
            elapsed = time.perf_counter() - started
            r.raise_for_status()
            created = sum(1 for item in r.json()["items"] if item["outcome"] == "created")
            assert created == args.employees, f"expected {args.employees} drafts, got {created}"
            timings.append(elapsed)
            print(f"round {round_ + 1}: {args.employees} drafts in {elapsed:.2f} s", flush=True)
    finally:
        web.stop()
        if pg is not None:
            pg.stop()
    result = {
        "benchmark": "plan_template_assign",
        "employees": args.employees,
        "rounds": args.rounds,
        "seconds": [round(t, 3) for t in timings],
        "median_seconds": round(statistics.median(timings), 3),
        "drafts_per_second": round(args.employees / statistics.median(timings), 1),
        "machine": {"nproc": os.cpu_count(), "loadavg": os.getloadavg()},
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    out = ROOT / "bench" / "results" / f"plan_template_assign-{datetime.now(UTC):%Y-%m-%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
