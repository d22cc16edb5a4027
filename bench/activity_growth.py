"""Section ``growth`` (issue 22): costs that must stay flat as activity-service's tables grow.

- **Batch from an empty table, then from a filled one.** Before any other section writes an activity,
  ``batch_empty`` runs batches of 50 at every client count against the empty ``activities`` table of a
  fresh install (never analysed: the January peak of a new year). After the first fill the same runs
  are repeated; the ratio filled / empty of PostgreSQL CPU ms per batch and of activities/s is the figure
  (target: within +-20 %).
- **A set-based loader** fills ``activities`` straight in activity-service's database (``INSERT ...
  SELECT`` over ``generate_series``, chunks of about a million rows per transaction, never through
  HTTP) to each size of ``--growth-rows``, together with what a real entry leaves for good: its
  ``audit_log`` row (``activity.logged``). Outbox rows and Idempotency-Key answers are not loaded:
  retention (``kinerja_shared.retention``) deletes them after days, so a year's table does not hold
  them. Rows belong to many generated employees (8 entries a working day in 30-minute slots, spread over
  the year so far) and to the seeded employees on the days before the open edit window (so the bench's
  own POSTs never clash with them, and the list's reader has a year of history). After each load
  ``VACUUM (ANALYZE)`` runs on both tables, as autovacuum would after an insert-only load of that size
  (PostgreSQL 13+ vacuums and analyses on inserts), so the statistics are those a live system has.
- At each size: POST one activity and the month list at 32 clients (the Lua scripts of sections post
  and list); target: p99 at the largest size within 20 % of the smallest.
"""

from __future__ import annotations

import math
import time
from datetime import date, timedelta

from bench_common import LUA, log

CLIENTS = 32
SLOTS = 24  # 30-minute slots a day, 07:00 onwards, each entry 25 minutes (no overlap)
PER_DAY = 8  # entries a generated employee logs on a working day
CHUNK = 1_000_000  # rows per transaction of the loader

EMPLOYEE_COLUMNS = "e, nip, rater_nip, unit_id, plan_id, result_id, indicator_id"
GENERATED = """
SELECT e, '1980010120' || lpad(e::text, 8, '0'), '1970010120' || lpad((e / 10)::text, 8, '0'),
       'gen-unit-' || (e / 10), 'gen-plan-' || e, 'gen-result-' || e, 'gen-indicator-' || e
FROM generate_series(0, :employees - 1) AS e
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
    """Fills activities (and audit_log) to a total size; remembers how far each employee group got."""

    def __init__(self, bench, largest: int):
        org = bench.org
        self.bench = bench
        self.gen_days = working_days(date(org.year, 1, 1), org.today)
        first_open = min(bench.single.days + bench.batch_pool.days + bench.reader_pool.days)
        self.seed_days = working_days(date(org.year, 1, 1), first_open - timedelta(days=1))
        self.seeded = list(org.people)
        # enough generated employees that nobody logs more than PER_DAY entries a working day at the largest size
        self.employees = max(5000, math.ceil(largest / (len(self.gen_days) * PER_DAY)))
        self.k = 0  # next entry index of every employee (generated and seeded alike)

    def employees_sql(self, seeded: bool) -> tuple[str, dict]:
        if not seeded:
            return GENERATED, {"employees": self.employees}
        org = self.bench.org
        return SEEDED, {
            "nips": self.seeded,
            "raters": [org.rater_of[n] for n in self.seeded],
            "units": [org.unit_of[n] for n in self.seeded],
            "plans": [org.plan[n]["plan_id"] for n in self.seeded],
            "results": [org.plan[n]["result_id"] for n in self.seeded],
            "indicators": [org.plan[n]["indicator_id"] for n in self.seeded],
        }

    def fill(self, total: int) -> dict:
        """Insert until activities holds about ``total`` rows; then VACUUM (ANALYZE) as autovacuum would."""
        from sqlalchemy import text

        engine = self.bench.system.engines["activity-service"]
        have = self.bench.count("activity-service")
        groups = self.employees + (len(self.seeded) if self.seed_days else 0)
        k_end = self.k + math.ceil(max(0, total - have) / groups)
        step = max(1, CHUNK // groups)
        started, inserted = time.monotonic(), 0
        while self.k < k_end:
            k1 = min(k_end, self.k + step)
            for seeded in (False, True):
                days = self.seed_days if seeded else self.gen_days
                if not days or self.k >= len(days) * SLOTS:
                    continue  # a seeded employee's days before the window are full
                employees, params = self.employees_sql(seeded)
                sql = LOAD.format(employee_columns=EMPLOYEE_COLUMNS, employees=employees, slots=SLOTS)
                with engine.begin() as conn:
                    inserted += conn.execute(
                        text(sql),
                        {**params, "days": days, "ndays": len(days), "k0": self.k, "k1": min(k1, len(days) * SLOTS)},
                    ).rowcount
            self.k = k1
            log(f"growth: loaded {inserted:,} rows ({time.monotonic() - started:.0f} s)")
        load_s = time.monotonic() - started
        started = time.monotonic()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
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
            "activities": sizes[2],
            "audit_rows": sizes[3],
            "inserted": inserted,
            "load_s": round(load_s, 1),
            "rows_per_s": round(inserted / load_s, 1) if load_s else None,
            "vacuum_analyze_s": round(time.monotonic() - started, 1),
            "activities_mb": round(sizes[0] / 2**20, 1),
            "audit_log_mb": round(sizes[1] / 2**20, 1),
            "employees_generated": self.employees,
            "entries_per_employee": self.k,
        }
        log(
            f"growth: {out['activities']:,} activities ({out['activities_mb']:,} MB with indexes), "
            f"{out['audit_rows']:,} audit rows; load {out['load_s']} s, VACUUM ANALYZE {out['vacuum_analyze_s']} s"
        )
        return out


def batch_empty(bench) -> None:
    """Before any other section: batches of 50 against the fresh install's empty activities table."""
    rows = bench.count("activity-service")
    log(f"== growth (first part): batches from an empty table ({rows} activities)")
    runs = bench.batch_runs("batch empty")
    bench.results["growth"] = {"batch_empty": {"activities_before": rows, "runs": runs}}


def per_batch(run: dict) -> tuple[float | None, float]:
    return (run.get("cpu_ms_per_request") or {}).get("postgres"), run["activities_per_s"]


def measure_size(bench) -> dict:
    post = bench.pool_run(bench.single, "activity-service", "post_one.lua", CLIENTS, bench.duration, "growth POST")
    path, token, entries = bench.reader_month()
    lst = bench.wrk.run(
        bench.system.urls["activity-service"], LUA / "get.lua", CLIENTS, bench.duration, [path, token], "growth list"
    )
    keep = ("req_per_s", "p50_ms", "p90_ms", "p99_ms", "non_2xx", "socket_errors", "cpu_ms_per_request")
    out = {"post": {k: post[k] for k in keep}, "list": {k: lst[k] for k in keep}, "list_entries": entries}
    log(
        f"growth: POST p99 {post['p99_ms']} ms ({post['req_per_s']} req/s), list p99 {lst['p99_ms']} ms "
        f"({lst['req_per_s']} req/s)"
    )
    return out


def run(bench) -> None:
    """Section growth: fill to each size, measure POST and list; batches again after the first fill."""
    out = bench.results.setdefault("growth", {})
    loader = Loader(bench, max(bench.growth_rows))
    sizes = []
    for n, total in enumerate(bench.growth_rows):
        state = loader.fill(total)
        state.update(measure_size(bench))
        sizes.append(state)
        if n == 0 and out.get("batch_empty"):
            out["batch_filled"] = {
                "activities_before": bench.count("activity-service"),
                "runs": bench.batch_runs("batch filled"),
            }
    out["sizes"] = sizes
    out["how"] = __doc__.split("\n\n", 1)[1].strip()
    first, last = sizes[0], sizes[-1]
    for key in ("post", "list"):
        lo, hi = first[key]["p99_ms"], last[key]["p99_ms"]
        out[f"{key}_p99_ratio"] = round(hi / lo, 2) if lo else None
    if out.get("batch_filled"):
        ratios = []
        for empty, filled in zip(out["batch_empty"]["runs"], out["batch_filled"]["runs"]):
            (pg_e, act_e), (pg_f, act_f) = per_batch(empty), per_batch(filled)
            ratios.append(
                {
                    "clients": empty["clients"],
                    "pg_cpu_ms_per_batch": [pg_e, pg_f],
                    "pg_cpu_ratio_empty_over_filled": round(pg_e / pg_f, 2) if pg_e and pg_f else None,
                    "activities_per_s": [act_e, act_f],
                    "activities_per_s_ratio_empty_over_filled": round(act_e / act_f, 2) if act_f else None,
                }
            )
        out["batch_ratios"] = ratios
        shown = [(r["clients"], r["pg_cpu_ratio_empty_over_filled"]) for r in ratios]
        log(f"growth: batch PostgreSQL CPU per batch, empty / filled, by clients: {shown}")


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
        lines += [
            "",
            f"p99 largest / smallest: POST {g.get('post_p99_ratio')}x, "
            f"list {g.get('list_p99_ratio')}x (target: within 0.8-1.2×).",
            "",
        ]
    if g.get("batch_ratios"):
        lines += [
            "**Batch of 50 from an empty table vs a filled one** (target: ratio within 0.8-1.2):",
            "",
            "| clients | PostgreSQL CPU ms/batch empty / filled | ratio | activities/s empty / filled | ratio |",
            "|---|---|---|---|---|",
        ]
        for r in g["batch_ratios"]:
            pg, act = r["pg_cpu_ms_per_batch"], r["activities_per_s"]
            lines.append(
                f"| {r['clients']} | {pg[0]} / {pg[1]} | {r['pg_cpu_ratio_empty_over_filled']} "
                f"| {act[0]:,.0f} / {act[1]:,.0f} | {r['activities_per_s_ratio_empty_over_filled']} |"
            )
        lines.append("")
    return lines
