#!/usr/bin/env python3
"""Benchmark: a unit of 1,000 employees with a year of activities in evaluation-service.

Records the time to open a period's evaluations, to render the unit dashboard, to compute the
distribution, to export, and to read one evaluation form, against PostgreSQL (its own, or
DATABASE_URL). The read model is filled directly (a year of verified activities for 1,000
people); requests go through the Flask app in-process. Results go to bench/results/.

    .venv/bin/python bench/evaluation_unit.py
"""

import json
import os
import random
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import bench_db
from sqlalchemy import insert

from evaluation_service import domain, handlers
from evaluation_service.models import activities, employees, plans, units
from evaluation_service.service import SPEC
from kinerja_shared import unit_tree
from kinerja_shared.clock import system_clock
from kinerja_shared.config import Settings
from kinerja_shared.db import utcnow
from kinerja_shared.testing.plugin import ServiceHarness

N = 1000
HEAD = "197001011995011003"


def main():
    admin_url, pg = bench_db.postgres()
    url = bench_db.new_database(admin_url, "bench_eval")
    settings = Settings.from_env(SPEC.name, dict(os.environ, DATABASE_URL=url, LOG_LEVEL="WARNING"))
    h = ServiceHarness(SPEC, settings)
    results = {"benchmark": "evaluation_unit", "employees": N}
    try:
        run(h, results)
    finally:
        h.close()
        if pg is not None:
            pg.stop()
    results["machine"] = {"nproc": os.cpu_count(), "loadavg": os.getloadavg()}
    results["at"] = datetime.now(UTC).isoformat(timespec="seconds")
    out = Path(__file__).resolve().parent / "results" / f"evaluation_unit-{datetime.now(UTC):%Y-%m-%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


def run(h, results):
    today = system_clock(h.settings).today()
    year = today.year
    now = utcnow()
    subs = [f"opd-b{k}" for k in range(10)]
    t0 = time.perf_counter()
    with h.engine.begin() as conn:
        conn.execute(
            insert(units),
            [{"id": "opd", "name": "OPD", "path": ["opd"], "head_nip": HEAD, "updated_at": now}]
            + [{"id": s, "name": s, "path": ["opd", s], "head_nip": None, "updated_at": now} for s in subs],
        )
        unit_tree.fill(conn)  # the units' closure (a subtree's read)
        emps, pls = [], []
        for i in range(N):
            n = f"{1990 + i % 10}0101{2015 + i % 5}01{1 + i % 2}{i:03d}"[:18]
            n = (f"19900101201501{i % 2 + 1}{i:03d}" + "000")[:18]
            n = f"199001012015011{i:03d}"
            unit = subs[i % 10]
            emps.append(
                dict(
                    nip=n,
                    name=f"P{i}",
                    position=None,
                    unit_id=unit,
                    unit_path=["opd", unit],
                    rater_nip=HEAD,
                    rater_superior_nip=None,
                    is_unit_head=False,
                    functional_coefficient=12.5 if i % 3 == 0 else None,
                    active=True,
                    updated_at=now,
                )
            )
            pls.append(
                dict(
                    id=f"plan-{i}",
                    nip=n,
                    rater_nip=HEAD,
                    rater_superior_nip=None,
                    unit_id=unit,
                    year=year,
                    period_start=date(year, 1, 1),
                    period_end=date(year, 12, 31),
                    approach="quantitative",
                    model="JA_JF",
                    revision=1,
                    behaviours=[],
                    position=None,
                    functional_coefficient=None,
                    approved_at=now,
                    updated_at=now,
                    results=[
                        {
                            "result_id": f"r{k}",
                            "kind": "main" if k < 2 else "additional",
                            "text": "x",
                            "indicators": [
                                {
                                    "indicator_id": f"i{k}",
                                    "aspect": "quantity",
                                    "text": "y",
                                    "target_value": 240,
                                    "target_unit": "doc",
                                }
                            ],
                        }
                        for k in range(3)
                    ],
                )
            )
        conn.execute(insert(employees), emps)
        conn.execute(insert(plans), pls)
    acts = []
    rnd = random.Random(1)
    day = date(year, 1, 1)
    while day <= today:
        if day.weekday() < 5:
            for i in range(N):
                acts.append(
                    dict(
                        id=f"a{i}-{day}",
                        nip=emps[i]["nip"],
                        plan_id=f"plan-{i}",
                        result_id="r0",
                        indicator_id=f"i{rnd.randrange(3)}",
                        date=day,
                        minutes=60,
                        quantity=1,
                        status="accepted" if rnd.random() < 0.9 else "pending",
                        version=1,
                        updated_at=now,
                    )
                )
        day += timedelta(days=1)
    with h.engine.begin() as conn:
        for k in range(0, len(acts), 20000):
            conn.execute(insert(activities), acts[k : k + 20000])
    results["activities"] = len(acts)
    print(f"setup: {len(acts)} activities in {time.perf_counter() - t0:.1f}s")

    period = domain.period_containing(today, "quarterly")
    t = time.perf_counter()
    with h.engine.begin() as conn:
        opened = handlers.open_period(conn, period)
    results["open_period_s"] = round(time.perf_counter() - t, 3)
    print(f"open {period.id} for {len(opened)} plans: {results['open_period_s']:.2f}s")
    t = time.perf_counter()
    with h.engine.begin() as conn:
        again = handlers.open_period(conn, period)
    results["open_again_s"] = round(time.perf_counter() - t, 3)
    print(f"open again (nothing to do): {len(again)} in {results['open_again_s']:.2f}s")

    # close them all with a spread of predicates (direct SQL), to have a distribution
    with h.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE evaluations SET status='closed', "
            "predicate = (ARRAY['SANGAT_BAIK','BAIK','BAIK','BUTUH_PERBAIKAN','KURANG'])[1 + (abs(hashtext(nip)) %% 5)]"
        )
    headers = h.token(HEAD, "unit_head", unit="opd")
    for name, url in [
        ("dashboard", "/api/v1/unit-performance/opd/dashboard"),
        ("distribution", f"/api/v1/unit-performance/opd/distribution?period_id={period.id}"),
        ("export json", f"/api/v1/unit-performance/opd/export?period_id={period.id}"),
        ("evaluation detail", f"/api/v1/evaluations/{opened[0].id}"),
        ("list 50", "/api/v1/evaluations?limit=50"),
    ]:
        times = []
        for _ in range(5):
            t = time.perf_counter()
            r = h.client.get(url, headers=headers)
            times.append(time.perf_counter() - t)
            assert r.status_code == 200, r.json
        results[name.replace(" ", "_") + "_median_ms"] = round(sorted(times)[2] * 1000, 1)
        print(f"{name}: median {sorted(times)[2] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
