#!/usr/bin/env python3
"""Benchmark (issue 17): a unit's 1,000 closed evaluations rendered as one ZIP by the bulk document job.

The read models are filled directly (1,000 employees in 10 sub-units, approved plans of three results, a
quarter of verified activities each); the quarter's evaluations are opened by the handlers and closed with a
spread of predicates. An admin then queues the job over HTTP (the Flask app in-process) and the worker's step
(``document_jobs.run_pending``, what ``evaluation-service worker`` runs) renders it, against PostgreSQL (its own,
or DATABASE_URL). Recorded: the job's wall time, documents per second, the time per document, the ZIP's and a
PDF's size, the register's rows, the worker's peak memory and the load average. Results go to bench/results/.

    .venv/bin/python bench/document_bulk.py            # 1,000 evaluations
    .venv/bin/python bench/document_bulk.py --n 100    # a smaller unit
"""

import argparse
import io
import json
import os
import random
import resource
import time
import uuid
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench_db import PG_SETTINGS
from sqlalchemy import create_engine, insert, text

from evaluation_service import document_jobs, domain, handlers
from evaluation_service.models import activities, employees, plans, units
from evaluation_service.service import SPEC
from kinerja_shared import unit_tree
from kinerja_shared.clock import system_clock
from kinerja_shared.config import Settings
from kinerja_shared.db import utcnow
from kinerja_shared.testing.plugin import ServiceHarness
from kinerja_shared.testing.servers import start_local_postgres

HEAD, ADMIN = "197001011995011003", "196501011990011004"
BEHAVIOURS = [
    {"value": v, "expectation": f"Ekspektasi khusus pimpinan untuk nilai {v}"} for v in domain.BEHAVIOUR_VALUES
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="closed evaluations in the unit (default 1000)")
    args = parser.parse_args()
    pg = None
    admin_url = os.environ.get("DATABASE_URL")
    if not admin_url:
        pg = start_local_postgres(PG_SETTINGS)
        admin_url = pg.url
    admin_url = Settings.from_env("bench", {"DATABASE_URL": admin_url}).database_url
    db = f"bench_docs_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db}"'))
    settings = Settings.from_env(
        SPEC.name, dict(os.environ, DATABASE_URL=admin_url.rsplit("/", 1)[0] + "/" + db, LOG_LEVEL="WARNING")
    )
    h = ServiceHarness(SPEC, settings)
    results = {"benchmark": "document_bulk", "evaluations": args.n}
    try:
        run(h, args.n, results)
    finally:
        h.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        if pg is not None:
            pg.stop()
    results["machine"] = {"nproc": os.cpu_count(), "loadavg_after": [round(x, 2) for x in os.getloadavg()]}
    results["at"] = datetime.now(UTC).isoformat(timespec="seconds")
    out = Path(__file__).resolve().parent / "results" / f"document_bulk-{datetime.now(UTC):%Y-%m-%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


def seed(h, n: int, results: dict) -> domain.Period:
    today = system_clock(h.settings).today()
    year, now = today.year, utcnow()
    subs = [f"opd-b{k}" for k in range(10)]
    with h.engine.begin() as conn:
        conn.execute(
            insert(units),
            [{"id": "opd", "name": "Dinas Bench", "path": ["opd"], "head_nip": HEAD, "updated_at": now}]
            + [{"id": s, "name": f"Bidang {s}", "path": ["opd", s], "head_nip": None, "updated_at": now} for s in subs],
        )
        unit_tree.fill(conn)  # the units' closure (a subtree's read)
        emps, pls = (
            [
                dict(
                    nip=HEAD,
                    name="Kepala Dinas",
                    position="Kepala Dinas",
                    unit_id="opd",
                    unit_path=["opd"],
                    rater_nip=None,
                    rater_superior_nip=None,
                    is_unit_head=True,
                    functional_coefficient=None,
                    active=True,
                    updated_at=now,
                )
            ],
            [],
        )
        for i in range(n):
            nip, unit = f"19900101201501{i:04d}", subs[i % 10]
            emps.append(
                dict(
                    nip=nip,
                    name=f"Pegawai Bench {i}",
                    position="Analis Kebijakan Ahli Pertama",
                    unit_id=unit,
                    unit_path=["opd", unit],
                    rater_nip=HEAD,
                    rater_superior_nip=None,
                    is_unit_head=False,
                    functional_coefficient=None,
                    functional_level="PT" if i % 3 == 0 else None,
                    active=True,
                    updated_at=now,
                )
            )
            pls.append(
                dict(
                    id=f"plan-{i}",
                    nip=nip,
                    rater_nip=HEAD,
                    rater_superior_nip=None,
                    unit_id=unit,
                    year=year,
                    period_start=date(year, 1, 1),
                    period_end=date(year, 12, 31),
                    approach="quantitative",
                    model="JA_JF",
                    revision=1,
                    behaviours=BEHAVIOURS,
                    position=None,
                    functional_coefficient=None,
                    approved_at=now,
                    updated_at=now,
                    results=[
                        {
                            "result_id": f"r{k}",
                            "kind": "main" if k < 2 else "additional",
                            "text": f"Rencana hasil kerja {k + 1} tersusun dan dilaporkan tepat waktu",
                            "indicators": [
                                {
                                    "indicator_id": f"i{k}",
                                    "aspect": "quantity",
                                    "text": "Jumlah dokumen yang diselesaikan",
                                    "target_value": 240,
                                    "target_unit": "dokumen",
                                }
                            ],
                        }
                        for k in range(3)
                    ],
                )
            )
        conn.execute(insert(employees), emps)
        conn.execute(insert(plans), pls)
    period = domain.period_containing(today, "quarterly")
    rnd, acts, day = random.Random(1), [], period.start
    while day <= min(today, period.end):
        if day.weekday() < 5 and day.day % 3 == 0:
            for i in range(n):
                acts.append(
                    dict(
                        id=f"a{i}-{day}",
                        nip=emps[i + 1]["nip"],
                        plan_id=f"plan-{i}",
                        result_id="r0",
                        indicator_id=f"i{rnd.randrange(3)}",
                        date=day,
                        minutes=60,
                        quantity=1,
                        status="accepted",
                        version=1,
                        updated_at=now,
                    )
                )
        day += timedelta(days=1)
    with h.engine.begin() as conn:
        for k in range(0, len(acts), 20000):
            conn.execute(insert(activities), acts[k : k + 20000])
        handlers.open_period(conn, period)
        conn.exec_driver_sql(
            "UPDATE evaluations SET status = 'closed', results_rating = 'meets', behaviour_rating = 'meets', "
            "predicate = (ARRAY['SANGAT_BAIK','BAIK','BAIK','BUTUH_PERBAIKAN','KURANG'])"
            "[1 + (abs(hashtext(nip)) %% 5)], "
            'form = \'{"results": [{"result_id": "r0", "realisation": "Tersusun sesuai bukti dukung", '
            '"feedback": "Pertahankan"}], "behaviours": []}\', '
            f"submitted_at = now(), closed_at = now(), closed_by = '{HEAD}'"
        )
    results["activities"] = len(acts)
    return period


def run(h, n: int, results: dict) -> None:
    t = time.perf_counter()
    period = seed(h, n, results)
    results["setup_s"] = round(time.perf_counter() - t, 1)
    r = h.client.post(
        "/api/v1/unit-performance/opd/document-jobs", json={"period_id": period.id}, headers=h.token(ADMIN, "admin")
    )
    assert r.status_code == 202, r.get_json()
    job = r.get_json()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu = time.process_time()
    t = time.perf_counter()
    assert document_jobs.run_pending(h.engine, h.settings) == 1
    wall = time.perf_counter() - t
    cpu = time.process_time() - cpu
    done = h.client.get(job["url"], headers=h.token(ADMIN, "admin")).get_json()
    assert (done["status"], done["done"], done["total"]) == ("done", n, n), done
    z = h.client.get(done["download_url"], headers=h.token(ADMIN, "admin"))
    archive = zipfile.ZipFile(io.BytesIO(z.data))
    pdfs = [i for i in archive.infolist() if i.filename.endswith(".pdf")]
    with h.engine.connect() as conn:
        registered = conn.execute(text("SELECT count(*) FROM documents")).scalar_one()
    results.update(
        {
            "job_wall_s": round(wall, 1),
            "job_cpu_s": round(cpu, 1),
            "documents_per_s": round(n / wall, 1),
            "ms_per_document": round(wall * 1000 / n, 1),
            "zip_bytes": len(z.data),
            "pdfs_in_zip": len(pdfs),
            "pdf_bytes_median": sorted(i.file_size for i in pdfs)[len(pdfs) // 2],
            "registered_documents": registered,
            "peak_rss_mb": round(max(rss_before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024, 1),
        }
    )
    print(f"{n} documents in {wall:.1f}s ({n / wall:.1f}/s), ZIP {len(z.data) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
