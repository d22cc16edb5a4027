"""Section ``growth`` (issue 22): costs that must stay flat as activity-service's tables grow.

- **Batch from an empty table and from a filled one, interleaved.** Before any other section writes an
  activity, ``keep_empty_install`` copies the fresh install's database (no entry; its ``activities`` table
  never analysed: the January peak of a new year). After the sizes are measured, batches of 50 run at every
  client count in interleaved pairs (empty, filled, then filled, empty, ...): "filled" on the service's own
  database (the first size), "empty" each time on a new copy of the fresh install with a new web, so its
  statements are prepared and planned on an empty table. The figure is the median over the pairs of
  empty / filled PostgreSQL CPU ms per batch, and of activities/s (target: within +-20 %).
- **One database per size, side by side.** At the start of the section activity-service's database is
  copied (``CREATE DATABASE ... TEMPLATE``: its read models, plans and the entries so far) once for each
  size of ``--growth-rows`` after the first, and each copy is served by a web of its own (the same
  command and gunicorn settings as the service's; no worker, as activity-service's own worker is paused
  during the HTTP sections too). The sizes are then measured in interleaved pairs (A B, B A, ...), so a
  change of the shared machine's speed during the run falls on every size alike instead of on the last.
- **A set-based loader** fills ``activities`` straight in each database (``INSERT ... SELECT`` over
  ``generate_series``, about a million rows per transaction, the generated employees split over one
  connection per core, never through HTTP) to its size, together with what a real entry leaves for good:
  its ``audit_log`` row (``activity.logged``). Outbox rows and Idempotency-Key answers are not loaded:
  retention (``kinerja_shared.retention``) deletes them after days, so a year's table does not hold
  them. Rows belong to many generated employees (8 entries a working day in 30-minute slots, spread over
  the year so far) and to the seeded employees on the days before the open edit window (so the bench's
  own POSTs never clash with them, and the list's reader has a year of history). After each load
  ``VACUUM (ANALYZE)`` runs on both tables, as autovacuum would after an insert-only load of that size
  (PostgreSQL 13+ vacuums and analyses on inserts), so the statistics are those a live system has.
- In each pair: POST one activity and the month list at 32 clients against every size (the Lua scripts
  of sections post and list); target: the median over the pairs of p99 at the largest size / p99 at the
  smallest within 20 %.
"""

from __future__ import annotations

import math
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import service_copies
from bench_common import LUA, log

CLIENTS = 32
SLOTS = 24  # 30-minute slots a day, 07:00 onwards, each entry 25 minutes (no overlap)
PER_DAY = 8  # entries a generated employee logs on a working day
CHUNK = 1_000_000  # rows per transaction of the loader
LOADERS = max(1, min(4, os.cpu_count() or 1))  # connections filling a database side by side

EMPLOYEE_COLUMNS = "e, nip, rater_nip, unit_id, plan_id, result_id, indicator_id"
GENERATED = """
SELECT e, '1980010120' || lpad(e::text, 8, '0'), '1970010120' || lpad((e / 10)::text, 8, '0'),
       'gen-unit-' || (e / 10), 'gen-plan-' || e, 'gen-result-' || e, 'gen-indicator-' || e
FROM generate_series(:e0, :e1 - 1) AS e
"""
SEEDED = """
SELECT (o - 1)::int, nip, rater_nip, unit_id, plan_id, result_id, indicator_id
FROM unnest(CAST(:nips AS text[]), CAST(:raters AS text[]), CAST(:units AS text[]), CAST(:plans AS text[]),
            CAST(:results AS text[]), CAST(:indicators AS text[]))
     WITH ORDINALITY AS t(nip, rater_nip, unit_id, plan_id, result_id, indicator_id, o)
"""
LOAD = """
WITH emp ({employee_columns}) AS ({employees}),
rows AS (
    SELECT md5('growth-' || emp.nip || '-' || k)::uuid::text AS id, emp.nip, emp.rater_nip, emp.unit_id,
           emp.plan_id, emp.result_id, emp.indicator_id,
           (CAST(:days AS date[]))[1 + k % :ndays] AS day, 420 + ((k / :ndays) % {slots}) * 30 AS start_min, k
    FROM emp, generate_series(:k0, :k1 - 1) AS k
),
inserted AS (
    INSERT INTO activities (id, nip, rater_nip, unit_id, plan_id, result_id, indicator_id, date, start_min, end_min,
                            minutes, description, quantity, quantity_unit, evidence, status, verified_by,
                            verified_at, version, request_hash, created_at, updated_at)
    SELECT id, nip, rater_nip, unit_id, plan_id, result_id, indicator_id, day, start_min, start_min + 25, 25,
           'Menyusun laporan pelayanan publik', 1, 'laporan',
           CAST('[{{"kind": "link", "url": "https://drive.binjaikota.go.id/laporan/1"}}]' AS json),
           CASE WHEN k % 20 = 0 THEN 'pending' WHEN k % 50 = 1 THEN 'rejected' ELSE 'accepted' END,
           CASE WHEN k % 20 = 0 THEN NULL ELSE rater_nip END,
           CASE WHEN k % 20 = 0 THEN NULL ELSE day + interval '3 days' END,
           CASE WHEN k % 20 = 0 THEN 1 ELSE 2 END, md5(id), day + interval '10 hours', day + interval '10 hours'
    FROM rows
    RETURNING id, nip, date, start_min, end_min, status, created_at
)
INSERT INTO audit_log (occurred_at, actor, actor_roles, action, entity_type, entity_id, after)
SELECT created_at, nip, 'employee', 'activity.logged', 'activity', id,
       json_build_object('id', id, 'nip', nip, 'date', date, 'start_min', start_min, 'end_min', end_min,
                         'minutes', 25, 'description', 'Menyusun laporan pelayanan publik', 'status', 'pending',
                         'version', 1)
FROM inserted
"""


def parse_sizes(text: str) -> list[int]:
    sizes = sorted({int(x.replace("_", "")) for x in text.split(",") if x.strip()})
    if not sizes or sizes[0] < 1:
        raise ValueError("--growth-rows takes positive row counts, e.g. 100000,10000000")
    return sizes


def working_days(first: date, last: date) -> list[date]:
    days = (first + timedelta(days=i) for i in range((last - first).days + 1))
    return [d for d in days if d.weekday() < 5]


class Loader:
    """Fills one database's activities (and audit_log) to a total size; remembers how far each employee got."""

    def __init__(self, bench, largest: int, engine, name: str):
        org = bench.org
        self.bench = bench
        self.engine = engine
        self.name = name
        self.gen_days = working_days(date(org.year, 1, 1), org.today)
        first_open = min(bench.single.days + bench.batch_pool.days + bench.reader_pool.days)
        self.seed_days = working_days(date(org.year, 1, 1), first_open - timedelta(days=1))
        self.seeded = list(org.people)
        # enough generated employees that nobody logs more than PER_DAY entries a working day at the largest size
        self.employees = max(5000, math.ceil(largest / (len(self.gen_days) * PER_DAY)))
        self.k = 0  # next entry index of every employee (generated and seeded alike)

    def count(self, table: str = "activities") -> int:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()

    def seeded_sql(self) -> tuple[str, dict]:
        org = self.bench.org
        return SEEDED, {
            "nips": self.seeded,
            "raters": [org.rater_of[n] for n in self.seeded],
            "units": [org.unit_of[n] for n in self.seeded],
            "plans": [org.plan[n]["plan_id"] for n in self.seeded],
            "results": [org.plan[n]["result_id"] for n in self.seeded],
            "indicators": [org.plan[n]["indicator_id"] for n in self.seeded],
        }

    def parts(self, k0: int, k1: int) -> list[tuple[str, dict, list[date]]]:
        """The statements of one chunk: the generated employees in LOADERS slices, then the seeded ones."""
        out = []
        if k0 < len(self.gen_days) * SLOTS:
            cuts = [round(self.employees * i / LOADERS) for i in range(LOADERS + 1)]
            out += [(GENERATED, {"e0": a, "e1": b}, self.gen_days) for a, b in zip(cuts, cuts[1:]) if b > a]
        if self.seed_days and k0 < len(self.seed_days) * SLOTS:  # else a seeded employee's days are full
            out.append((*self.seeded_sql(), self.seed_days))
        return [
            (employees, {**params, "days": days, "ndays": len(days), "k0": k0, "k1": min(k1, len(days) * SLOTS)})
            for employees, params, days in out
        ]

    def run_part(self, part: tuple[str, dict]) -> int:
        from sqlalchemy import text

        employees, params = part
        sql = LOAD.format(employee_columns=EMPLOYEE_COLUMNS, employees=employees, slots=SLOTS)
        with self.engine.begin() as conn:
            return conn.execute(text(sql), params).rowcount

    def fill(self, total: int) -> dict:
        """Insert until activities holds about ``total`` rows (LOADERS connections side by side, each on its own
        employees, so no two of them ever touch one employee's day); then VACUUM (ANALYZE) as autovacuum would."""
        from sqlalchemy import text

        have = self.count()
        groups = self.employees + (len(self.seeded) if self.seed_days else 0)
        k_end = self.k + math.ceil(max(0, total - have) / groups)
        step = max(1, CHUNK // groups)
        started, inserted = time.monotonic(), 0
        with ThreadPoolExecutor(LOADERS) as pool:
            while self.k < k_end:
                k1 = min(k_end, self.k + step)
                inserted += sum(pool.map(self.run_part, self.parts(self.k, k1)))
                self.k = k1
                log(f"growth: {self.name}: loaded {inserted:,} rows ({time.monotonic() - started:.0f} s)")
        load_s = time.monotonic() - started
        started = time.monotonic()
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE) activities"))
            conn.execute(text("VACUUM (ANALYZE) audit_log"))
            sizes = conn.execute(
                text(
                    "SELECT pg_total_relation_size('activities'), pg_total_relation_size('audit_log'),"
                    " (SELECT count(*) FROM activities), (SELECT count(*) FROM audit_log)"
                )
            ).one()
        out = {
            "target_rows": total,
            "database": self.name,
            "activities": sizes[2],
            "audit_rows": sizes[3],
            "inserted": inserted,
            "load_s": round(load_s, 1),
            "loaders": LOADERS,
            "rows_per_s": round(inserted / load_s, 1) if load_s else None,
            "vacuum_analyze_s": round(time.monotonic() - started, 1),
            "activities_mb": round(sizes[0] / 2**20, 1),
            "audit_log_mb": round(sizes[1] / 2**20, 1),
            "employees_generated": self.employees,
            "entries_per_employee": self.k,
        }
        log(
            f"growth: {self.name}: {out['activities']:,} activities ({out['activities_mb']:,} MB with indexes), "
            f"{out['audit_rows']:,} audit rows; load {out['load_s']} s, VACUUM ANALYZE {out['vacuum_analyze_s']} s"
        )
        return out


def make_twins(bench, sizes: list[int]) -> list[str]:
    """A copy of activity-service's database for each size after the first, each served by a web of its own;
    returns the name every size is served under (``bench.system.urls``, ``engines``): the service's own first."""
    copies = service_copies.copy_service_database(bench, [str(total) for total in sizes[1:]])
    names = [service_copies.SERVICE]
    for total, database in zip(sizes[1:], copies):
        names.append(f"{service_copies.SERVICE}@{total}")
        service_copies.serve(bench, names[-1], database, pool_size=LOADERS)
    return names


def keep_empty_install(bench) -> None:
    """Before any other section writes an activity: keep a copy of the fresh install's database (no entry, its
    activities table never analysed: a new year's January) as the template of every "empty" batch run."""
    rows = bench.count(service_copies.SERVICE)
    (bench.empty_install,) = service_copies.copy_service_database(bench, ["empty_install"])
    log(f"== growth (first part): the fresh install's database ({rows} activities) kept as {bench.empty_install}")


def batch_pairs(bench) -> None:
    """Batches of 50 from an empty table and from the filled one, interleaved (empty, filled, then filled, empty,
    ...) at every client count. Each empty run gets a new copy of the fresh install and a new web, so its
    statements are prepared and planned while its table is empty, as on a new year's first morning."""
    out = bench.results["growth"]
    empty_runs, filled_runs = [], []
    filled_before = bench.count(service_copies.SERVICE)
    for pair in range(bench.pairs):
        for clients in bench.clients:
            for kind in ("empty", "filled") if pair % 2 == 0 else ("filled", "empty"):
                if kind == "filled":
                    (r,) = bench.batch_runs(f"batch filled p{pair}", counts=[clients])
                    filled_runs.append({**r, "pair": pair})
                    continue
                name = f"{service_copies.SERVICE}@empty"
                database = service_copies.copy_database(
                    bench, bench.empty_install, f"{bench.empty_install}_{pair}_{clients}"
                )
                service_copies.serve(bench, name, database)
                slots = bench.batch_pool.next  # the copy is dropped after the run: its slots are free again
                try:
                    (r,) = bench.batch_runs(f"batch empty p{pair}", target=name, counts=[clients])
                    r["activities_before"] = 0
                    empty_runs.append({**r, "pair": pair})
                finally:
                    bench.batch_pool.next = slots
                    service_copies.retire(bench, name)
    out["batch_empty"] = {"activities_before": 0, "runs": empty_runs}
    out["batch_filled"] = {"activities_before": filled_before, "runs": filled_runs}
    ratios = []
    for clients in bench.clients:
        empty = [r for r in empty_runs if r["clients"] == clients]
        filled = [r for r in filled_runs if r["clients"] == clients]
        pg = [(per_batch(e)[0], per_batch(f)[0]) for e, f in zip(empty, filled)]
        act = [(e["activities_per_s"], f["activities_per_s"]) for e, f in zip(empty, filled)]
        ratios.append(
            {
                "clients": clients,
                "pg_cpu_ms_per_batch": [median_or_none([e for e, _ in pg]), median_or_none([f for _, f in pg])],
                "pg_cpu_pair_ratios": [round(e / f, 2) for e, f in pg if e and f],
                "pg_cpu_ratio_empty_over_filled": median_or_none([round(e / f, 2) for e, f in pg if e and f]),
                "activities_per_s": [median_or_none([e for e, _ in act]), median_or_none([f for _, f in act])],
                "activities_per_s_ratio_empty_over_filled": median_or_none([round(e / f, 2) for e, f in act if f]),
            }
        )
    out["batch_ratios"] = ratios
    shown = [(r["clients"], r["pg_cpu_ratio_empty_over_filled"], r["pg_cpu_pair_ratios"]) for r in ratios]
    log(f"growth: batch PostgreSQL CPU per batch, empty / filled (median, pairs), by clients: {shown}")


def median_or_none(values: list):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


def per_batch(run: dict) -> tuple[float | None, float]:
    return (run.get("cpu_ms_per_request") or {}).get("postgres"), run["activities_per_s"]


KEEP = ("req_per_s", "p50_ms", "p90_ms", "p99_ms", "non_2xx", "socket_errors", "cpu_ms_per_request")


def measure_pairs(bench, names: list[str]) -> list[dict]:
    """POST and month list against every size, in interleaved pairs (A B, then B A, ...): one row per run."""
    path, token, entries = bench.reader_month()
    runs = []
    for pair in range(bench.pairs):
        order = names if pair % 2 == 0 else names[::-1]
        for kind in ("post", "list"):
            for name in order:
                if kind == "post":
                    r = bench.pool_run(
                        bench.single, name, "post_one.lua", CLIENTS, bench.duration, f"growth POST {name}"
                    )
                else:
                    r = bench.wrk.run(
                        bench.system.urls[name], LUA / "get.lua", CLIENTS, bench.duration, [path, token], "growth list"
                    )
                runs.append(
                    {"pair": pair, "kind": kind, "size": name, "list_entries": entries, **{k: r[k] for k in KEEP}}
                )
                log(
                    f"growth pair {pair}: {kind:4s} {name:28s} p99 {r['p99_ms']} ms ({r['req_per_s']} req/s), "
                    f"CPU ms/req {r['cpu_ms_per_request']}"
                )
                time.sleep(1)
    return runs


def median_of(runs: list[dict]) -> dict:
    """The median of each figure over a size's runs of one kind."""
    out = {k: round(statistics.median(r[k] for r in runs), 2) for k in KEEP if k != "cpu_ms_per_request"}
    cpu = {}
    for part in runs[0]["cpu_ms_per_request"]:
        values = [r["cpu_ms_per_request"].get(part) for r in runs]
        cpu[part] = round(statistics.median(values), 2) if None not in values else None
    out["cpu_ms_per_request"] = cpu
    return out


def run(bench) -> None:
    """Section growth: one database per size, each filled; POST and list in interleaved pairs; then batches on
    the service's own database (the first size) interleaved with batches on fresh installs."""
    out = bench.results.setdefault("growth", {})
    bench.reader_month()  # the reader's month is logged before the copies, so every size lists the same entries
    names = make_twins(bench, bench.growth_rows)
    largest = max(bench.growth_rows)
    sizes = []
    for total, name in zip(bench.growth_rows, names):
        sizes.append(Loader(bench, largest, bench.system.engines[name], name).fill(total))
    runs = measure_pairs(bench, names)
    for state, name in zip(sizes, names):
        for kind in ("post", "list"):
            state[kind] = median_of([r for r in runs if r["size"] == name and r["kind"] == kind])
        state["list_entries"] = runs[0]["list_entries"]
    out["sizes"] = sizes
    out["pairs"] = runs
    out["how"] = __doc__.split("\n\n", 1)[1].strip()
    for key in ("post", "list"):
        ratios = []
        for pair in range(bench.pairs):
            p99 = {r["size"]: r["p99_ms"] for r in runs if r["pair"] == pair and r["kind"] == key}
            if len(names) > 1 and p99.get(names[0]):  # one size alone has no growth to show
                ratios.append(round(p99[names[-1]] / p99[names[0]], 2))
        out[f"{key}_p99_pair_ratios"] = ratios
        out[f"{key}_p99_ratio"] = round(statistics.median(ratios), 2) if ratios else None
    log(
        f"growth: p99 largest / smallest by pair: POST {out['post_p99_pair_ratios']}, "
        f"list {out['list_p99_pair_ratios']}"
    )
    if bench.empty_install:
        batch_pairs(bench)  # the service's own database, filled to the first size, against fresh installs


def measured(results: dict) -> dict:
    """The growth targets' figures, each as its worse direction (1.3 and 1/1.3 both miss +-20 %): p99 at the
    largest size vs the smallest, and the batch's PostgreSQL CPU per batch empty vs filled (worst client count)."""
    g = results.get("growth") or {}
    m = {}
    for key in ("post", "list"):
        if g.get(f"{key}_p99_ratio"):
            m[f"growth_{key}_p99_ratio"] = round(max(g[f"{key}_p99_ratio"], 1 / g[f"{key}_p99_ratio"]), 2)
    ratios = [r["pg_cpu_ratio_empty_over_filled"] for r in g.get("batch_ratios", [])]
    if any(ratios):
        m["batch_empty_vs_filled"] = round(max(max(r, 1 / r) for r in ratios if r), 2)
    return m


def pg_ms(run: dict):
    return (run.get("cpu_ms_per_request") or {}).get("postgres", "–")


def markdown_lines(results: dict) -> list[str]:
    g = results.get("growth") or {}
    lines = []
    if g.get("sizes"):
        lines += [
            "**Growth of the activities table** (set-based load, then VACUUM ANALYZE; 32 clients):",
            "",
            "| activities | audit rows | load s | MB (table + indexes) | POST p99 ms | POST req/s "
            "| POST PostgreSQL CPU ms/req | list p99 ms | list req/s | list PostgreSQL CPU ms/req |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for s in g["sizes"]:
            lines.append(
                f"| {s['activities']:,} | {s['audit_rows']:,} | {s['load_s']} | {s['activities_mb']:,} "
                f"| {s['post']['p99_ms']} | {s['post']['req_per_s']:,} | {pg_ms(s['post'])} "
                f"| {s['list']['p99_ms']} | {s['list']['req_per_s']:,} | {pg_ms(s['list'])} |"
            )
        how = (
            f"median of {len(g['post_p99_pair_ratios'])} interleaved pairs (POST {g['post_p99_pair_ratios']}, "
            f"list {g['list_p99_pair_ratios']}); each size's figures above are its medians"
            if g.get("post_p99_pair_ratios")
            else "one run per size, measured one after the other"
        )
        lines += [
            "",
            f"p99 largest / smallest: POST {g.get('post_p99_ratio')}x, "
            f"list {g.get('list_p99_ratio')}x (target: within 0.8-1.2×; {how}).",
            "",
        ]
    if g.get("batch_ratios"):
        lines += [
            "**Batch of 50 from an empty table vs a filled one** (target: ratio within 0.8-1.2; with pairs, "
            "the medians over the interleaved pairs and each pair's PostgreSQL CPU ratio):",
            "",
            "| clients | PostgreSQL CPU ms/batch empty / filled | ratio | pairs | activities/s empty / filled "
            "| ratio |",
            "|---|---|---|---|---|---|",
        ]
        for r in g["batch_ratios"]:
            pg, act = r["pg_cpu_ms_per_batch"], r["activities_per_s"]
            pairs = ", ".join(str(x) for x in r.get("pg_cpu_pair_ratios", [])) or "–"
            lines.append(
                f"| {r['clients']} | {pg[0]} / {pg[1]} | {r['pg_cpu_ratio_empty_over_filled']} | {pairs} "
                f"| {act[0]:,.0f} / {act[1]:,.0f} | {r['activities_per_s_ratio_empty_over_filled']} |"
            )
        lines.append("")
    return lines
