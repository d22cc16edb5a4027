"""The national capacity model of docs/capacity.md, computed from a recorded benchmark run.

The load assumptions are named constants (override them with flags); the per-core costs come
from a `bench/results/<date>.json` written by `bench/run.py` (the newest full run by default).
Every figure in the generated section shows the arithmetic that produced it, so the document
can be checked by hand and regenerated after each benchmark:

    .venv/bin/python bench/capacity.py                 # print the section for the newest full run
    .venv/bin/python bench/capacity.py --write         # replace the generated section of docs/capacity.md
    .venv/bin/python bench/capacity.py --results bench/results/<file>.json --entries-per-day 8
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from dataclasses import dataclass, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "capacity.md"
START, END = "<!-- capacity:start -->", "<!-- capacity:end -->"


@dataclass
class Load:
    """What the whole country does; every value is an assumption written down in docs/capacity.md."""

    asn: int = 4_700_000  # civil servants (ASN) nationally
    entries_per_day: float = 5  # activity entries per person per working day ("several")
    working_days: int = 245  # working days a year after national holidays and cuti bersama
    peak_share: float = 0.60  # share of a day's entries logged in the last two hours
    peak_hours: float = 2.0
    burst: float = 1.5  # busiest minute over the peak window's mean
    lists_per_entry: float = 0.5  # a month's list opened for every second entry logged
    verified_share_in_peak: float = 0.5  # share of the day's verifications done in the same window
    unit_heads: int = 235_000  # about 5 % of ASN head a unit
    dashboard_views_per_head_hour: float = 2
    consumer_groups: int = 2  # evaluation-service and notification-service read ActivityLogged
    external_groups: int = 2  # payroll and a regional dashboard, say
    event_kib: float = 1.0  # an ActivityLogged/ActivityVerified record (953 bytes measured)
    compression: float = 4.0  # zstd on JSON events
    replication: int = 3
    retention_days: int = 14
    utilisation: float = 0.6  # plan cores at 60 % busy at the peak
    partitions_headroom: float = 2.0  # partitions = 2x the consumer processes the peak needs
    activity_row_bytes: int = 420  # heap tuple + its share of indexes (estimate: 20 columns, 3 indexes)
    hot_months: int = 24  # months kept in PostgreSQL before archival


def newest_full_run() -> Path:
    runs = sorted(p for p in RESULTS.glob("20*.json"))
    for path in reversed(runs):
        if json.loads(path.read_text()).get("mode") == "full":
            return path
    if runs:
        return runs[-1]
    sys.exit("no benchmark results in bench/results/: run `make bench` first")


def _median_rps(runs: list[dict], label_part: str, clients: int = 32) -> float:
    chosen = [r for r in runs if label_part in r["label"] and r["clients"] == clients] or [
        r for r in runs if label_part in r["label"]
    ]
    return statistics.median(r["req_per_s"] for r in chosen)


def _median_cpu(runs: list[dict], label_part: str, clients: int = 32) -> tuple[float, float]:
    chosen = [r for r in runs if label_part in r["label"] and r["clients"] == clients and r.get("cpu_ms_per_request")]
    if not chosen:
        chosen = [r for r in runs if label_part in r["label"] and r.get("cpu_ms_per_request")]
    web = statistics.median(r["cpu_ms_per_request"]["web"] for r in chosen)
    pg = statistics.median(r["cpu_ms_per_request"]["postgres"] for r in chosen)
    return web, pg


def costs(result: dict) -> dict:
    """Per-request CPU (ms of one core) and per-process event rates from one benchmark run."""
    post_web, post_pg = _median_cpu(result["post"]["runs"], "candidate")
    batch_web, batch_pg = _median_cpu(result["batch"]["runs"], "batch")
    list_web, list_pg = _median_cpu(result["list"]["runs"], "list")
    dash_web, dash_pg = _median_cpu(result["dashboard"]["runs"], "dashboard")
    backlog = result["backlog"]
    workers = result["settings"].get("web_concurrency", 2)
    return {
        "per_worker_rps": {
            "post": _median_rps(result["post"]["runs"], "candidate") / workers,
            "list": _median_rps(result["list"]["runs"], "list") / workers,
            "dashboard": _median_rps(result["dashboard"]["runs"], "dashboard") / workers,
        },
        "post": (post_web, post_pg),
        "batch_per_entry": (batch_web / 50, batch_pg / 50),
        "list": (list_web, list_pg),
        "dashboard": (dash_web, dash_pg),
        "relay_eps": backlog["relay"]["events_per_s"],
        "consumer_eps": {svc: backlog[svc]["events_per_s"] for svc in ("evaluation-service", "notification-service")},
    }


def fmt(x: float, digits: int = 0) -> str:
    return f"{x:,.{digits}f}"


def model(load: Load, c: dict, source: str) -> str:
    out: list[str] = []
    w = out.append
    peak_s = load.peak_hours * 3600
    entries_day = load.asn * load.entries_per_day
    entries_peak = entries_day * load.peak_share / peak_s * load.burst
    lists = entries_peak * load.lists_per_entry
    verify_events = entries_day * load.verified_share_in_peak / peak_s * load.burst
    dashboards = load.unit_heads * load.dashboard_views_per_head_hour / 3600
    w(f"Computed by `bench/capacity.py` from `{source}`; every input is named in the first table.\n")
    w("### Inputs\n")
    w("| input | value |\n|---|---|")
    for f in fields(Load):
        w(f"| `{f.name}` | {getattr(load, f.name):,} |")
    w("")
    w("| measured on one core (median of the 32-client runs) | web CPU ms | PostgreSQL CPU ms |\n|---|---|---|")
    for key, label in (
        ("post", "POST one activity"),
        ("batch_per_entry", "one entry inside a batch of 50"),
        ("list", "a month's list (100 entries)"),
        ("dashboard", "unit dashboard"),
    ):
        web, pg = c[key]
        w(f"| {label} | {web:.2f} | {pg:.2f} |")
    w(
        f"\nOutbox relay: {fmt(c['relay_eps'])} events/s per process. Consumers: "
        + ", ".join(f"{svc} {fmt(eps)} events/s per process" for svc, eps in c["consumer_eps"].items())
        + ".\n"
    )

    w("### 1. The daily logging peak\n")
    w(f"- entries a working day: {load.asn:,} ASN × {load.entries_per_day} = **{fmt(entries_day)}**")
    w(
        f"- in the peak: {fmt(entries_day)} × {load.peak_share} / ({load.peak_hours} h × 3,600 s) × burst {load.burst}"
        f" = **{fmt(entries_peak)} entries/s** (all as single POSTs, the dearer path; a batch costs "
        f"{c['batch_per_entry'][0]:.2f} ms per entry against {c['post'][0]:.2f} ms)"
    )
    w(f"- month lists: {fmt(entries_peak)} × {load.lists_per_entry} = **{fmt(lists)} req/s**")
    w(
        f"- unit dashboards: {load.unit_heads:,} heads × {load.dashboard_views_per_head_hour} views/h / 3,600"
        f" = **{fmt(dashboards)} req/s**"
    )
    w(
        f"- verifications in the same window: {fmt(entries_day)} × {load.verified_share_in_peak} / {fmt(peak_s)} s ×"
        f" {load.burst} = {fmt(verify_events)} entries/s (in bulk requests of ~50: {fmt(verify_events / 50)} req/s)"
    )
    produced = entries_peak + verify_events
    w(
        f"- events produced (ActivityLogged + ActivityVerified): {fmt(entries_peak)} + {fmt(verify_events)} ="
        f" **{fmt(produced)} events/s**; read by {load.consumer_groups} internal and {load.external_groups} external"
        f" consumer groups: {fmt(produced * (load.consumer_groups + load.external_groups))} deliveries/s\n"
    )

    w("### 2. Web processes per service\n")
    w(
        f"Cores = rate × CPU ms / 1,000 / {load.utilisation} utilisation. A sync gunicorn worker also waits for"
        " PostgreSQL, so it serves fewer requests than a core's CPU allows: processes = rate / (req/s one worker"
        f" served at 32 clients × {load.utilisation}).\n"
    )
    w(
        "| activity-service work | rate /s | web ms | web cores | PostgreSQL ms | PostgreSQL cores |"
        "\n|---|---|---|---|---|---|"
    )
    rows = (
        ("POST one activity", entries_peak, c["post"]),
        ("month lists", lists, c["list"]),
        ("verifications (per entry, batch cost)", verify_events, c["batch_per_entry"]),
    )
    web_total = pg_total = 0.0
    for label, rate, (web, pg) in rows:
        wc, pc = rate * web / 1000 / load.utilisation, rate * pg / 1000 / load.utilisation
        web_total += wc
        pg_total += pc
        w(f"| {label} | {fmt(rate)} | {web:.2f} | {wc:.1f} | {pg:.2f} | {pc:.1f} |")
    w(f"| **activity-service** | | | **{web_total:.0f}** | | **{pg_total:.0f}** |")
    dash_web = dashboards * c["dashboard"][0] / 1000 / load.utilisation
    dash_pg = dashboards * c["dashboard"][1] / 1000 / load.utilisation
    w(
        f"| **evaluation-service** dashboards | {fmt(dashboards)} | {c['dashboard'][0]:.2f} | **{dash_web:.1f}** |"
        f" {c['dashboard'][1]:.2f} | **{dash_pg:.1f}** |\n"
    )
    per_worker = c["per_worker_rps"]
    processes = (
        entries_peak / per_worker["post"] + lists / per_worker["list"] + verify_events / 50 / per_worker["post"]
    ) / load.utilisation
    dash_processes = dashboards / per_worker["dashboard"] / load.utilisation
    w(
        f"One web worker served {fmt(per_worker['post'])} POSTs/s, {fmt(per_worker['list'])} month lists/s and"
        f" {fmt(per_worker['dashboard'])} dashboards/s in the run. activity-service: ({fmt(entries_peak)} /"
        f" {fmt(per_worker['post'])} + {fmt(lists)} / {fmt(per_worker['list'])} + {fmt(verify_events / 50)} bulk"
        f" requests / {fmt(per_worker['post'])}) / {load.utilisation} = **{math.ceil(processes)} web processes** on"
        f" **{math.ceil(web_total)} cores** at the peak (HPA between {max(2, math.ceil(processes / 10))} at night and"
        f" {math.ceil(processes * 1.2)} with 20 % spare); evaluation-service {max(2, math.ceil(dash_processes))}"
        f" processes; plan-service and notification-service serve"
        " reads outside this peak (plan season in January is a burst of drafts measured by"
        " `bench/plan_template_assign.py`) and stay at 2-4 each.\n"
    )

    w("### 3. Relay, partitions and consumer processes\n")
    relays = produced / c["relay_eps"]
    w(
        f"- outbox relays: {fmt(produced)} events/s / {fmt(c['relay_eps'])} per relay = **{math.ceil(relays)}** relay"
        " processes' worth; one relay per service holds the advisory lock, so activity-service's relay must"
        " keep up alone or be split by key range (see the notes below)"
    )
    for svc, eps in c["consumer_eps"].items():
        procs = produced / eps if eps else float("inf")
        w(f"- {svc}: {fmt(produced)} / {fmt(eps)} events/s = **{math.ceil(procs)} consumer processes**")
    need = max(produced / eps for eps in c["consumer_eps"].values() if eps)
    partitions = 2 ** math.ceil(math.log2(max(1, need * load.partitions_headroom)))
    w(
        f"- partitions of the activity topic: the largest group needs {math.ceil(need)} processes × headroom"
        f" {load.partitions_headroom} → **{partitions} partitions** (a power of two; a group cannot use more"
        " processes than partitions, and keys are NIPs so per-employee order holds); the plan and evaluation"
        " topics carry a few events per person per year: 12 partitions each is ample.\n"
    )

    w("### 4. PostgreSQL: rows, partitions, archival\n")
    rows_year = entries_day * load.working_days
    rows_month = rows_year / 12
    bytes_year = rows_year * load.activity_row_bytes
    w(
        f"- activity rows a year: {fmt(entries_day)} × {load.working_days} = **{fmt(rows_year)}**"
        f" ({fmt(rows_month)} a month)"
    )
    w(
        f"- size: × {load.activity_row_bytes} B (row + indexes) = **{bytes_year / 1e12:.2f} TB a year**,"
        f" {bytes_year / 12 / 1e9:.0f} GB a month; {load.hot_months} hot months ="
        f" {bytes_year * load.hot_months / 12 / 1e12:.2f} TB on primary storage, × 2 with a streaming replica"
    )
    w(
        f"- evaluation-service's read model keeps one fact per activity too ({fmt(rows_year)} rows), so the same"
        " partitioning applies; notification-service keeps one digest per rater and day, not one row per entry"
    )
    w(
        "- published outbox rows and processed-event (inbox) rows are housekeeping, not records: `<service> prune`"
        f" deletes them after {load.retention_days} days (the topic retention below), so they stay at about"
        f" {fmt(entries_day * load.retention_days * 2 / 1e6)} million rows per database however long the system runs\n"
    )

    w("### 5. Kafka retention and storage\n")
    day_events = entries_day * 2  # logged + verified
    day_bytes = day_events * load.event_kib * 1024
    stored = day_bytes / load.compression * load.replication * load.retention_days
    w(
        f"- events a working day: {fmt(entries_day)} logged + {fmt(entries_day)} verified = {fmt(day_events)}"
        f" × {load.event_kib} KiB = {day_bytes / 1e9:.0f} GB raw"
    )
    w(
        f"- on disk with a {load.retention_days}-day retention: / {load.compression}"
        f" (zstd) × {load.replication} replicas"
        f" × {load.retention_days} days = **{stored / 1e12:.2f} TB** across the cluster"
    )
    year = day_bytes / load.compression * load.replication * load.working_days
    w(
        f"- kept for ever (the deploy default today, `retention.ms=-1`, so a new consumer can rebuild its read model"
        f" from the first event): {day_bytes / 1e9:.0f}"
        f" GB / {load.compression} × {load.replication} × {load.working_days}"
        f" days = **{year / 1e12:.1f} TB more every year** — at national scale use tiered storage or the"
        f" {load.retention_days}-day retention with read models rebuilt from the services' own databases"
    )
    w(
        f"- peak ingress: {fmt(produced)} events/s × {load.event_kib} KiB"
        f" = {produced * load.event_kib / 1024:.1f} MiB/s"
        f" before compression, × {load.replication} for replication: a 3-broker cluster is far from its network limit"
    )
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__
    )
    parser.add_argument("--results", type=Path, help="a bench/results/<date>.json (default: the newest full run)")
    parser.add_argument("--write", action="store_true", help="replace the generated section of docs/capacity.md")
    for f in fields(Load):
        parser.add_argument(
            "--" + f.name.replace("_", "-"),
            type=type(f.default),
            default=f.default,
            help=f"load assumption (default {f.default})",
        )
    args = parser.parse_args(argv)
    path = args.results or newest_full_run()
    load = Load(**{f.name: getattr(args, f.name) for f in fields(Load)})
    section = model(
        load,
        costs(json.loads(path.read_text())),
        path.relative_to(ROOT).as_posix() if path.resolve().is_relative_to(ROOT) else path.name,
    )
    if not args.write:
        print(section)
        return 0
    text = DOC.read_text()
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    DOC.write_text(f"{head}{START}\n{section}{END}{tail}")
    print(f"updated {DOC.relative_to(ROOT)} from {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
