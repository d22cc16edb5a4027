#!/usr/bin/env python3
"""Benchmark (issue 22): costs that stay flat as the directory and the units grow, in evaluation-service.

A directory of 10,000 units (100 OPDs of 100 units each) and three measured OPDs of 100, 1,000 and 5,000
employees (spread over their 99 sub-units), each with an approved plan, a year of activities (one a working day
each) and a closed evaluation of the current quarter, loaded set-based straight into the read model
(INSERT ... SELECT generate_series; not through HTTP). Then, through the real app served by gunicorn
(``evaluation-service web``: kinerja_shared's gunicorn settings, as bench/run.py serves it) with wrk at 8
clients: the unit dashboard and the distribution, p50/p99, requests/s and web CPU ms per request, per unit
size, plus the SQL statements per request (counted in-process); and the access check (a unit's subtree)
with 10,000 units against 100. The dashboard is cached on its subtree's change stamps, so it is measured twice:
as is (nothing written: every request after each worker's first is served from the cache) and while one
ActivityLogged a second (``--writes-per-s``) for a random employee of the measured unit is consumed through the
service's own handlers (each one invalidates the unit's answer: the honest figure for a unit logging all day).

    .venv/bin/python bench/units_growth.py [--duration 10] [--clients 8] [--sizes 100,1000,5000]

It starts its own PostgreSQL (or uses DATABASE_URL's server, on 127.0.0.1 only) in a database of its own.
Results: bench/results/units_growth-<UTC>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path

import bench_db
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from evaluation_service import directory_queries, domain, handlers
from evaluation_service.service import SPEC
from evaluation_service.use_cases import dashboard
from kinerja_shared.auth import mint_token
from kinerja_shared.clock import system_clock
from kinerja_shared.config import Settings
from kinerja_shared.events import make_event
from kinerja_shared.processes import ManagedProcess, wait_ready
from kinerja_shared.testing.directory import recorded_statements
from kinerja_shared.testing.plugin import ServiceHarness

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PER_OPD = 100  # units per OPD (the OPD and its 99 sub-units)
PORT = 18093
SECRET = "units-growth-bench-secret-0123456789abcdef"


def head_of(size: int) -> str:
    return f"1970010119950{size:05d}"[:18]


# -- the set-based loader ------------------------------------------------------------------------------

LOAD = [
    # 10,000 units: opd-00000 .. opd-00099, each with sub-units opd-NNNNN-sMMM (path: [opd, sub])
    """INSERT INTO units (id, name, path, head_nip, updated_at)
       SELECT CASE WHEN g % :per = 0 THEN o ELSE o || '-s' || lpad((g % :per)::text, 3, '0') END,
              'Unit ' || g,
              CASE WHEN g % :per = 0 THEN json_build_array(o)
                   ELSE json_build_array(o, o || '-s' || lpad((g % :per)::text, 3, '0')) END,
              NULL, now()
       FROM generate_series(0, :units - 1) g, LATERAL (SELECT 'opd-' || lpad((g / :per)::text, 5, '0') AS o) x""",
    # the closure of every unit's path (what the migration and the event handlers keep)
    """INSERT INTO unit_ancestors (ancestor_id, unit_id)
       SELECT a, u.id FROM units u, LATERAL json_array_elements_text(u.path) a""",
]

PEOPLE = [
    # the measured OPD's head, then ``size`` employees spread over its sub-units
    """INSERT INTO employees (nip, name, position, unit_id, unit_path, rater_nip, rater_superior_nip, is_unit_head,
                             functional_coefficient, active, updated_at)
       VALUES ((:head)::text, 'Kepala', 'Kepala Dinas', (:opd)::text, json_build_array((:opd)::text), NULL, NULL,
               true, NULL, true, now())""",
    """UPDATE units SET head_nip = (:head)::text WHERE id = (:opd)::text""",
    """INSERT INTO employees (nip, name, position, unit_id, unit_path, rater_nip, rater_superior_nip, is_unit_head,
                             functional_coefficient, active, updated_at)
       SELECT (:prefix)::text || lpad(g::text, 6, '0'), 'Pegawai ' || g, 'Analis', s,
              json_build_array((:opd)::text, s), (:head)::text, NULL,
              false, CASE WHEN g % 3 = 0 THEN 12.5 END, true, now()
       FROM generate_series(1, :size) g,
            LATERAL (SELECT (:opd)::text || '-s' || lpad((1 + g % 99)::text, 3, '0') AS s) x""",
    """INSERT INTO plans (id, nip, rater_nip, rater_superior_nip, unit_id, year, period_start, period_end, approach,
                         model, revision, results, behaviours, position, functional_coefficient, approved_at,
                         updated_at)
       SELECT 'plan-' || e.nip, e.nip, (:head)::text, NULL, e.unit_id, :year, make_date(:year, 1, 1),
              make_date(:year, 12, 31), 'quantitative', 'JA_JF', 1,
              (SELECT json_agg(json_build_object('result_id', 'r' || k, 'kind',
                        CASE WHEN k < 2 THEN 'main' ELSE 'additional' END, 'text', 'Hasil ' || k,
                        'indicators', json_build_array(json_build_object('indicator_id', 'i' || k,
                        'aspect', 'quantity', 'text', 'Indikator ' || k, 'target_value', 240, 'target_unit', 'doc'))))
                 FROM generate_series(0, 2) k),
              '[]'::json, 'Analis', NULL, now(), now()
       FROM employees e WHERE e.unit_id LIKE (:opd)::text || '-s%'""",
    # a year of activities: one a working day per employee, to today
    """INSERT INTO activities (id, nip, plan_id, result_id, indicator_id, date, minutes, quantity, status, version,
                              updated_at)
       SELECT 'a-' || e.nip || '-' || d::date, e.nip, 'plan-' || e.nip, 'r0', 'i' || (abs(hashtext(e.nip || d)) % 3),
              d::date, 60, 1, CASE WHEN abs(hashtext(d::text || e.nip)) % 10 = 0 THEN 'pending' ELSE 'accepted' END,
              1, now()
       FROM employees e, generate_series(make_date(:year, 1, 1), (:today)::date, interval '1 day') d
       WHERE e.unit_id LIKE (:opd)::text || '-s%' AND extract(isodow FROM d) < 6""",
]


def load(engine: Engine, sizes: list[int], units: int, year: int, today) -> dict:
    started = time.perf_counter()
    with engine.begin() as conn:
        for sql in LOAD:
            conn.execute(text(sql), {"per": PER_OPD, "units": units})
        for k, size in enumerate(sizes):
            opd = f"opd-{k:05d}"
            params = {"opd": opd, "head": head_of(size), "size": size, "prefix": f"19900101{k:04d}", "year": year}
            for sql in PEOPLE:
                conn.execute(text(sql), {**params, "today": today})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))  # the steady state: no autovacuum of the load during the runs
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in ("units", "employees")}
        counts["activities"] = conn.execute(text("SELECT count(*) FROM activities")).scalar()
    counts["load_s"] = round(time.perf_counter() - started, 1)
    return counts


def close_quarter(engine: Engine, period) -> int:
    """Open the quarter's evaluations (the service's own code) and close them with a spread of predicates."""
    with engine.begin() as conn:
        opened = handlers.open_period(conn, period)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE evaluations SET status='closed', "
            "predicate = (ARRAY['SANGAT_BAIK','BAIK','BAIK','BUTUH_PERBAIKAN','KURANG'])[1 + (abs(hashtext(nip)) %% 5)]"
        )
    return len(opened)


# -- measuring -----------------------------------------------------------------------------------------


def statements_per_request(h: ServiceHarness, url: str, headers: dict, writer=None) -> dict:
    """The statements one request sends (in-process, the same app and engine factory), and its status; with
    ``writer``, also those of the request after a write into the unit and of a first (cold) one."""
    sent: list[str] = []

    def record(conn, cursor, statement, *args):
        sent.append(statement)

    def count(name: str) -> dict:
        sent.clear()
        event.listen(Engine, "before_cursor_execute", record)
        started = time.process_time()
        try:
            response = h.client.get(url, headers=headers)
        finally:
            event.remove(Engine, "before_cursor_execute", record)
        assert response.status_code == 200, (url, response.status_code, response.get_json(silent=True))
        return {name: len(sent), f"{name}_web_cpu_ms": round((time.process_time() - started) * 1000, 1)}

    h.client.get(url, headers=headers)  # warm: compiled caches, the pool
    out = {**count("statements"), "unit_reads_without_where": sum(1 for s in sent if _lists_units(s))}
    if writer is not None:
        after = []
        for _ in range(5):  # the median of five: one write, then one view
            writer()
            after.append(count("statements_after_a_write"))
        out.update(sorted(after, key=lambda x: x["statements_after_a_write_web_cpu_ms"])[2])
        dashboard._ANSWERS.clear(), dashboard._PARTS.clear(), dashboard._SUMMARIES.clear()
        out.update(count("statements_first_view"))
    return out


# An hour's entry as activity-service publishes it (ActivityLogged v1), awaiting verification
ENTRY = dict(start_time="08:00", end_time="09:00", minutes=60, description="menyusun dokumen", quantity=1)
ENTRY.update(quantity_unit="dokumen", evidence=[], status="pending", version=1)


def activity_writer(h: ServiceHarness, k: int, size: int, day) -> Callable[[], None]:
    """One ActivityLogged for a random employee of the measured unit, consumed by the service's handlers (inbox,
    the consumer's transaction): what a unit logging all day does to its dashboard's cache."""
    rng = random.Random(k)

    def write() -> None:
        nip = f"19900101{k:04d}{rng.randint(1, size):06d}"
        activity_id = uuid.uuid4().hex[:12]
        data = dict(ENTRY, activity_id=activity_id, nip=nip, rater_nip=head_of(size), unit_id=f"opd-{k:05d}")
        data.update(plan_id=f"plan-{nip}", result_id="r0", indicator_id="i0", date=str(day))
        h.handle(
            make_event(
                "ActivityLogged", source_service="activity-service", subject=activity_id, partitionkey=nip, data=data
            )
        )

    return write


@contextmanager
def writing(write, per_second: float):
    """``write()`` ``per_second`` times a second in a thread while the block runs; yields the count so far."""
    done, stop = [0], threading.Event()

    def loop() -> None:
        while not stop.wait(1.0 / per_second):
            write()
            done[0] += 1

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield done
    finally:
        stop.set()
        thread.join()


def _lists_units(statement: str) -> bool:
    flat = " ".join(statement.split())
    return bool(re.search(r"FROM units\b", flat)) and "WHERE" not in flat


def access_cost(admin_url: str, big_engine: Engine, calls: int = 300) -> dict:
    """A unit's subtree (the scope of every unit check) with the 10,000-unit directory and with 100 units."""
    small_url = bench_db.new_database(admin_url, "bench_units_small")
    small_settings = Settings.from_env(SPEC.name, dict(os.environ, DATABASE_URL=small_url, LOG_LEVEL="WARNING"))
    small = ServiceHarness(SPEC, small_settings)
    try:
        with small.engine.begin() as conn:
            for sql in LOAD:
                conn.execute(text(sql), {"per": PER_OPD, "units": 100})
            conn.execute(text("ANALYZE"))
        out = {}
        for label, engine in (("units_10000", big_engine), ("units_100", small.engine)):
            with engine.connect() as conn, recorded_statements(engine) as rows_read:
                found = directory_queries.subtree(conn, {"opd-00000"})
            with engine.connect() as conn:
                started = time.perf_counter()
                for _ in range(calls):
                    directory_queries.subtree(conn, {"opd-00000"})
                per_call = (time.perf_counter() - started) / calls
                plan = conn.execute(
                    text("EXPLAIN SELECT unit_id FROM unit_ancestors WHERE ancestor_id IN ('opd-00000')")
                ).scalars()
            out[label] = {
                "subtree_units": len(found),
                "statements": len(rows_read),
                "ms_per_check": round(per_call * 1000, 3),
                "plan": " | ".join(plan),
            }
        out["ratio_10000_vs_100"] = round(out["units_10000"]["ms_per_check"] / out["units_100"]["ms_per_check"], 2)
        out["before_issue_22"] = {
            label: _old_scan(engine, min(calls, 50))
            for label, engine in (("units_10000", big_engine), ("units_100", small.engine))
        }
        return out
    finally:
        small.close()


def _old_scan(engine: Engine, calls: int) -> dict:
    """What a scope check cost before the closure: every unit's (id, path), filtered in Python."""
    with engine.connect() as conn:
        started = time.perf_counter()
        for _ in range(calls):
            rows = conn.execute(text("SELECT id, path FROM units")).all()
            found = {r.id for r in rows if "opd-00000" in (r.path or [])}
        per_call = (time.perf_counter() - started) / calls
    return {"rows_read": len(rows), "subtree_units": len(found), "ms_per_check": round(per_call * 1000, 3)}


def cpu_ms(pid: int | None, *, children: bool = False) -> float:
    """CPU (user + system), ms, of a process group's members, or (``children``) of a process and its children
    (PostgreSQL: the postmaster and its backends). 0 when ``pid`` is None."""
    total = 0
    for proc in Path("/proc").iterdir():
        if pid is None or not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if (int(proc.name) == pid or int(fields[1]) == pid) if children else int(fields[2]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total * 1000 / os.sysconf("SC_CLK_TCK")


def postmaster_pid(pg) -> int | None:
    """The pid of the PostgreSQL this run started (its CPU is measured), None for DATABASE_URL's server."""
    try:
        return int((pg.data_dir / "postmaster.pid").read_text().split()[0]) if pg is not None else None
    except (OSError, ValueError, IndexError):
        return None


def wait_idle(pid: int, postgres: int | None, timeout: float = 180.0) -> float:
    """Wait until the web's process group and PostgreSQL stop using CPU: requests wrk left queued are still
    served after it stops (a 5,000-employee dashboard takes seconds), and would be billed to the next run."""
    started = time.monotonic()

    def used() -> float:
        return cpu_ms(pid) + cpu_ms(postgres, children=True)

    last = used()
    while time.monotonic() - started < timeout:
        time.sleep(2.0)
        now = used()
        if now - last < 100:  # under 5 % of a core over two seconds
            break
        last = now
    return round(time.monotonic() - started, 1)


def _wrk(wrk: str, base: str, path: str, token: str, clients: int, duration: float):
    return subprocess.run(
        [
            wrk,
            "-t2",
            f"-c{clients}",
            f"-d{int(duration)}s",
            "--timeout",
            "60s",
            "--latency",
            "-s",
            str(BENCH / "lua" / "get.lua"),
            base,
        ]
        + ["--", path, token],
        capture_output=True,
        text=True,
        timeout=duration + 120,
    )


def wrk_run(wrk: str, base: str, path: str, token: str, clients: int, duration: float, web, postgres) -> dict:
    """wrk at ``clients`` for ``duration`` s, after 3 s of it unmeasured (each gunicorn worker's first view of a
    dashboard computes it whole: that cost is ``first_view_web_cpu_ms``, measured in-process)."""
    _wrk(wrk, base, path, token, clients, 3)
    waited = wait_idle(web.pid, postgres)
    load_before = os.getloadavg()[0]
    before, pg_before = cpu_ms(web.pid), cpu_ms(postgres, children=True)
    out = _wrk(wrk, base, path, token, clients, duration)
    web_cpu, pg_cpu = cpu_ms(web.pid) - before, cpu_ms(postgres, children=True) - pg_before
    found = re.search(r"BENCHJSON (\{.*\})", out.stdout)
    if not found:
        raise RuntimeError(f"wrk printed no result: {out.stdout[-1500:]} {out.stderr[-1500:]}")
    r = json.loads(found.group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out.stdout)
    seconds = r["duration_us"] / 1e6
    return {
        "requests": r["requests"],
        "rps": round(r["requests"] / seconds, 1),
        "p50_ms": round(r["p50_us"] / 1000, 1),
        "p99_ms": round(r["p99_us"] / 1000, 1),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "timeouts": r["err_timeout"],
        "web_cpu_ms_per_request": round(web_cpu / max(r["requests"], 1), 2),
        "postgres_cpu_ms_per_request": round(pg_cpu / max(r["requests"], 1), 2) if postgres else None,
        "loadavg_1m_before": round(load_before, 1),
        "waited_for_idle_web_s": waited,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of wrk per endpoint and size")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--sizes", default="100,1000,5000", help="employees of the measured units")
    parser.add_argument("--units", type=int, default=10_000, help="units in the directory")
    parser.add_argument("--writes-per-s", type=float, default=1.0, help="activities logged into the unit a second")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    wrk = shutil.which("wrk")
    if not wrk:
        sys.exit("units_growth: wrk is not installed (apt-get install -y wrk)")
    admin_url, pg = bench_db.postgres()
    env = dict(
        os.environ,
        DATABASE_URL=bench_db.new_database(admin_url, "bench_units"),
        LOG_LEVEL="WARNING",
        JWT_SECRET=SECRET,
        KINERJA_NATIONAL_HOLIDAYS="none",
    )
    settings = Settings.from_env(SPEC.name, env)
    h = ServiceHarness(SPEC, settings)
    results: dict = {
        "benchmark": "units_growth",
        "clients": args.clients,
        "duration_s": args.duration,
        "writes_per_s_while_writing": args.writes_per_s,
    }
    work = Path(tempfile.mkdtemp(prefix="units-growth-"))
    web = None
    try:
        today = system_clock(settings).today()
        period = domain.period_containing(today, "quarterly")
        results["loaded"] = load(h.engine, sizes, args.units, today.year, today)
        results["loaded"]["evaluations_closed"] = close_quarter(h.engine, period)
        print(f"loaded: {results['loaded']}", flush=True)
        results["access_check"] = access_cost(admin_url, h.engine)
        print(f"access check: {results['access_check']}", flush=True)
        web = ManagedProcess(
            "evaluation-service.web",
            [str(Path(sys.executable).parent / "evaluation-service"), "web", "--bind", f"127.0.0.1:{PORT}"],
            env,
            work / "web.log",
        ).start()
        base = f"http://127.0.0.1:{PORT}"
        wait_ready(base, timeout=60, path="/healthz")
        results["sizes"] = {}
        for k, size in enumerate(sizes):
            opd, head = f"opd-{k:05d}", head_of(size)
            token = mint_token(settings, sub=head, roles=["unit_head"], unit=opd, ttl_seconds=6 * 3600)
            headers = {"Authorization": f"Bearer {token}"}
            paths = {
                "dashboard": f"/api/v1/unit-performance/{opd}/dashboard?period_id={period.id}",
                "distribution": f"/api/v1/unit-performance/{opd}/distribution?period_id={period.id}",
            }
            entry = results["sizes"][str(size)] = {"unit_id": opd}
            write = activity_writer(h, k, size, today)
            paths["dashboard_while_writing"] = paths["dashboard"]
            for name, path in paths.items():
                measured = statements_per_request(h, path, headers, write if name == "dashboard" else None)
                rate = args.writes_per_s if name == "dashboard_while_writing" else 0
                with writing(write, rate) if rate else nullcontext([0]) as written:
                    measured.update(
                        wrk_run(wrk, base, path, token, args.clients, args.duration, web, postmaster_pid(pg))
                    )
                if rate:
                    measured["activities_logged_during_run"] = written[0]
                measured["web_cpu_ms_per_employee"] = round(measured["web_cpu_ms_per_request"] / size, 4)
                if measured["postgres_cpu_ms_per_request"] is not None:
                    measured["postgres_cpu_ms_per_employee"] = round(measured["postgres_cpu_ms_per_request"] / size, 4)
                entry[name] = measured
                print(f"{size:>5} employees {name:<24} {measured}", flush=True)
    finally:
        if web is not None:
            web.stop()
        h.close()
        if pg is not None:
            pg.stop()
        shutil.rmtree(work, ignore_errors=True)
    results["machine"] = {"nproc": os.cpu_count(), "loadavg": os.getloadavg(), "note": "shared, noisy machine"}
    results["at"] = datetime.now(UTC).isoformat(timespec="seconds")
    out = BENCH / "results" / f"units_growth-{datetime.now(UTC):%Y-%m-%dT%H%M%SZ}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
