"""Section ``e2e`` (issue 22): event latency against offered load, as a curve.

The whole system runs (four webs, four workers, PostgreSQL, the broker and wrk on the same machine).

1. **Search.** wrk offers POST one activity at a stepped rate, open loop (``lua/paced.lua`` sends on a
   fixed schedule over 64 connections, whatever each request's latency), a few seconds a step, while a
   sampler reads every second how many outbox rows are pending (the relay's backlog) and how many
   events of the step each consumer has not applied yet. A step is *sustainable* when wrk reached
   >= 85 % of the offered rate and none of the three backlogs grows (least-squares slope over the
   step's second half <= 5 % of the rate). Rates grow by 1.5x from 40 req/s until a step fails (or
   halve until one holds), then two bisection steps narrow the boundary. The sustainable maximum is
   the best achieved rate of a sustainable step.
2. **Curve.** 25, 50, 75 and 90 % of that maximum are each offered and held (20 s; 8 s with --quick):
   offered and achieved req/s, POST p50/p90/p99 (wrk), and for both consumers the event latency
   p50/p90/p99 = ``processed_events.processed_at`` - ``outbox.created_at`` (same PostgreSQL clock),
   events seen vs sent, and its split: relay (``outbox.published_at`` - ``created_at``) and consumer
   (``processed_at`` - ``published_at``).

``results["e2e"]`` keeps the keys of the former single "half load" measurement (``target_rps``,
``achieved_rps``, ``events``, ``evaluation-service``, ``notification-service``), filled from the 50 %
level, so the targets, the history table and bench/capacity.py read it as before.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from bench_common import LUA, log, percentiles

CONSUMERS = ("evaluation-service", "notification-service")
LEVELS = (0.25, 0.5, 0.75, 0.9)
CLIENTS = 64  # connections: enough that the schedule, not the request time, sets the rate


class LagSampler(threading.Thread):
    """Every second: pending outbox rows, and per consumer the events created since ``since`` not yet applied."""

    def __init__(self, system, since: datetime):
        super().__init__(daemon=True)
        self.system, self.since = system, since
        self.samples: list[tuple[float, int, int, int]] = []  # (s, relay pending, evaluation lag, notification lag)
        self.halt = threading.Event()

    def run(self) -> None:
        t0 = time.monotonic()
        while not self.halt.is_set():
            try:
                self.samples.append((round(time.monotonic() - t0, 2), *self.read()))
            except Exception:  # noqa: BLE001 - a missed sample is not worth failing the run
                pass
            self.halt.wait(1.0)

    def read(self) -> tuple[int, int, int]:
        s = self.system
        created = s.scalar(
            "activity-service",
            "SELECT count(*) FROM outbox WHERE event_type = 'ActivityLogged' AND created_at >= :t",
            t=self.since,
        )
        pending = s.scalar("activity-service", "SELECT count(*) FROM outbox WHERE status = 'pending'")
        lags = [
            created
            - s.scalar(
                service,
                "SELECT count(*) FROM processed_events WHERE event_type = 'ActivityLogged' AND processed_at >= :t",
                t=self.since,
            )
            for service in CONSUMERS
        ]
        return pending, max(0, lags[0]), max(0, lags[1])


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope (per second) of (t, value) points; 0 for fewer than two."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mt = sum(t for t, _ in points) / n
    mv = sum(v for _, v in points) / n
    den = sum((t - mt) ** 2 for t, _ in points)
    return sum((t - mt) * (v - mv) for t, v in points) / den if den else 0.0


def paced(bench, rate: float):
    script = bench.work / f"post_one_paced_{rate:.1f}.lua"
    script.write_text(f'dofile("{LUA / "post_one.lua"}")\ndofile("{LUA / "paced.lua"}")\nRATE = {rate:.3f}\n')
    return script


def hold(bench, rate: float, seconds: float, label: str) -> tuple[dict, list, datetime, datetime]:
    t0 = datetime.now(UTC)
    sampler = LagSampler(bench.system, t0)
    sampler.start()
    try:
        r = bench.pool_run(
            bench.single, "activity-service", "post_one.lua", CLIENTS, seconds, label, lua=paced(bench, rate)
        )
    finally:
        sampler.halt.set()
        sampler.join(timeout=10)
    t1 = datetime.now(UTC)
    r["offered_rps"] = round(rate, 1)
    return r, sampler.samples, t0, t1


def verdict(r: dict, samples: list, seconds: float) -> dict:
    rate = max(r["req_per_s"], 1.0)
    late = [s for s in samples if s[0] >= seconds / 2] or samples
    slopes = {
        name: round(slope([(s[0], s[i]) for s in late]), 1)
        for i, name in ((1, "relay_pending"), (2, "evaluation_lag"), (3, "notification_lag"))
    }
    reached = r["req_per_s"] >= 0.85 * r["offered_rps"]
    bounded = all(v <= 0.05 * rate + 2 for v in slopes.values())
    return {
        "offered_rps": r["offered_rps"],
        "achieved_rps": r["req_per_s"],
        "post_p50_ms": r["p50_ms"],
        "post_p99_ms": r["p99_ms"],
        "backlog_slopes_per_s": slopes,
        "last_sample": list(samples[-1]) if samples else None,
        "reached": reached,
        "sustainable": reached and bounded,
    }


def counts(bench) -> tuple[int, int, list[int]]:
    """Pending outbox rows, ActivityLogged rows published, and ActivityLogged events each consumer applied."""
    system = bench.system
    pending = system.scalar("activity-service", "SELECT count(*) FROM outbox WHERE status = 'pending'")
    published = system.scalar(
        "activity-service", "SELECT count(*) FROM outbox WHERE event_type = 'ActivityLogged' AND status = 'published'"
    )
    done = [
        system.scalar(s, "SELECT count(*) FROM processed_events WHERE event_type = 'ActivityLogged'") for s in CONSUMERS
    ]
    return pending, published, done


def settle(bench, timeout: float = 60.0) -> None:
    """Wait until the relay's backlog is empty and both consumers applied everything published since the
    section began (rows the HTTP sections left were marked published without reaching the broker)."""
    published0, done0 = bench.e2e_base
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending, published, done = counts(bench)
        if pending == 0 and all(d - d0 >= published - published0 for d, d0 in zip(done, done0)):
            return
        bench.system.ensure_alive(bench.results["notes"])
        time.sleep(0.5)
    log("e2e: the system did not settle within the time box; going on")


def search(bench) -> tuple[float, list]:
    seconds = 5.0 if bench.quick else 10.0
    steps: list[dict] = []
    good, bad = None, None
    rate = 40.0
    while 2.0 <= rate <= 3000:
        r, samples, _, _ = hold(bench, rate, seconds, f"search {rate:.0f} req/s")
        v = verdict(r, samples, seconds)
        steps.append(v)
        log(
            f"search: offered {rate:.0f}, achieved {r['req_per_s']} req/s, POST p99 {r['p99_ms']} ms, "
            f"backlog slopes {v['backlog_slopes_per_s']} -> {'ok' if v['sustainable'] else 'NOT sustainable'}"
        )
        settle(bench)
        if v["sustainable"]:
            good = v
            if bad is not None:
                break
            rate *= 1.5
        else:
            bad = rate
            if good is not None:
                break
            rate /= 2  # not even the first step held: go down until one does
    for _ in range(2 if bad and good else 0):
        rate = (good["offered_rps"] + bad) / 2
        r, samples, _, _ = hold(bench, rate, seconds, f"bisect {rate:.0f} req/s")
        v = verdict(r, samples, seconds)
        steps.append(v)
        log(f"bisect: offered {rate:.0f}, achieved {r['req_per_s']} -> {'ok' if v['sustainable'] else 'NOT'}")
        settle(bench)
        if v["sustainable"]:
            good = v
        else:
            bad = rate
    best = max((s["achieved_rps"] for s in steps if s["sustainable"]), default=None)
    if best is None:
        best = steps[-1]["achieved_rps"]
        bench.results["notes"].append("e2e: no step of the search was sustainable; levels are fractions of the last")
    return best, steps


def event_latencies(bench, t0: datetime, t1: datetime) -> dict:
    """Latency of every ActivityLogged event created in [t0, t1], and its relay / consumer split."""
    rows = bench.system.sql(
        "activity-service",
        "SELECT event_id, created_at FROM outbox WHERE event_type = 'ActivityLogged' "
        "AND created_at >= :a AND created_at <= :b",
        a=t0,
        b=t1,
    )
    created = {row[0]: row[1] for row in rows}
    ids = list(created)
    out: dict = {"events": len(ids)}
    published: dict = {}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        published = dict(
            bench.system.sql(
                "activity-service",
                "SELECT event_id, published_at FROM outbox WHERE event_id = ANY(:ids) AND published_at IS NOT NULL",
                ids=ids,
            )
        )
        if len(published) >= len(ids):
            break
        time.sleep(0.5)
    out["relay"] = percentiles(sorted((published[i] - created[i]).total_seconds() * 1000 for i in published))
    for service in CONSUMERS:
        seen: dict = {}
        while time.monotonic() < deadline:
            seen = dict(
                bench.system.sql(
                    service,
                    "SELECT event_id, processed_at FROM processed_events WHERE event_id = ANY(:ids)",
                    ids=ids,
                )
            )
            if len(seen) >= len(ids):
                break
            bench.system.ensure_alive(bench.results["notes"])
            time.sleep(1)
        lat = sorted((seen[i] - created[i]).total_seconds() * 1000 for i in ids if i in seen)
        after = sorted((seen[i] - published[i]).total_seconds() * 1000 for i in ids if i in seen and i in published)
        out[service] = {
            "processed": len(lat),
            "missing": len(ids) - len(lat),
            **percentiles(lat),
            "from_publication": percentiles(after),
        }
    return out


def warm_up(bench) -> None:
    """One entry through relay and both consumers, so the first level does not pay the workers' start."""
    import requests

    nip, body = bench.single.entry(bench.single.next)
    bench.single.next += 1
    r = requests.post(
        bench.system.urls["activity-service"] + "/api/v1/activities",
        json=body,
        timeout=30,
        headers={"Authorization": f"Bearer {bench.org.employee_token(nip)}"},
    )
    if r.status_code != 201:
        raise RuntimeError(f"e2e warm-up POST failed: {r.status_code} {r.text[:300]}")
    settle(bench, timeout=90)


def level(bench, fraction: float, maximum: float) -> dict:
    rate = fraction * maximum
    seconds = 8.0 if bench.quick else 20.0
    r, samples, t0, t1 = hold(bench, rate, seconds, f"level {fraction:.0%}")
    lat = event_latencies(bench, t0, t1)
    out = {
        "fraction": fraction,
        "target_rps": round(rate, 1),
        "achieved_rps": r["req_per_s"],
        "post": {k: r[k] for k in ("p50_ms", "p90_ms", "p99_ms", "max_ms", "non_2xx", "socket_errors")},
        "backlog_samples": samples,
        "load": r,
        **lat,
    }
    ev, nt = lat["evaluation-service"], lat["notification-service"]
    log(
        f"level {fraction:.0%}: offered {rate:.0f}, achieved {r['req_per_s']} req/s; POST p50/p99 "
        f"{r['p50_ms']}/{r['p99_ms']} ms; evaluation {ev.get('p50_ms')}/{ev.get('p99_ms')} ms, notification "
        f"{nt.get('p50_ms')}/{nt.get('p99_ms')} ms; relay p50 {lat['relay'].get('p50_ms')} ms; "
        f"{ev['processed']}/{nt['processed']} of {lat['events']} events"
    )
    settle(bench)
    return out


def run(bench) -> None:
    """Section e2e: the search for the sustainable maximum, then the four levels."""
    skipped = bench._skip_pending_outbox()
    _, published, done = counts(bench)
    bench.e2e_base = (published, done)
    bench.system.start_worker("activity-service")
    warm_up(bench)
    maximum, steps = search(bench)
    log(f"e2e: sustainable maximum {maximum} req/s (whole system); holding {', '.join(f'{f:.0%}' for f in LEVELS)}")
    levels = [level(bench, fraction, maximum) for fraction in LEVELS]
    half = next(x for x in levels if x["fraction"] == 0.5)
    bench.results["e2e"] = {
        "max_sustainable_rps": maximum,
        "search": steps,
        "levels": levels,
        "clients": CLIENTS,
        "pending_events_skipped_before": skipped,
        # the former single measurement's keys, from the 50 % level
        "target_rps": half["target_rps"],
        "achieved_rps": half["achieved_rps"],
        "events": half["events"],
        "evaluation-service": half["evaluation-service"],
        "notification-service": half["notification-service"],
        "measured": "outbox row created_at (in the POST's transaction, just before its commit) to "
        "processed_events.processed_at (in the consumer's transaction, with the effect); split at outbox.published_at",
    }


def bullet_lines(results: dict) -> list[str]:
    """A run before issue 22 measured once, at half the web-only maximum: its one line."""
    e2e = results.get("e2e")
    if e2e and e2e.get("evaluation-service") and not e2e.get("levels"):
        ev, nt = e2e["evaluation-service"], e2e["notification-service"]
        return [
            f"end-to-end at {e2e['achieved_rps']:,.0f} req/s (target {e2e['target_rps']:,.0f}, half the max): "
            f"evaluation p50 {ev.get('p50_ms')} / p99 {ev.get('p99_ms')} ms; notification p50 {nt.get('p50_ms')} / "
            f"p99 {nt.get('p99_ms')} ms; {e2e['events']} events, missing {ev['missing']} / {nt['missing']}",
        ]
    return []


def table_lines(results: dict) -> list[str]:
    e2e = results.get("e2e")
    if not e2e or not e2e.get("levels"):
        return []
    lines = [
        f"**Latency against load** (whole system on one machine; sustainable maximum "
        f"**{e2e['max_sustainable_rps']:,.0f} req/s** of POST one activity, found in {len(e2e['search'])} steps):",
        "",
        "| level | offered req/s | achieved req/s | POST p50/p90/p99 ms | evaluation p50/p90/p99 ms "
        "| notification p50/p90/p99 ms | relay p50/p99 ms | events seen / sent |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def trio(d: dict) -> str:
        return " / ".join(str(d.get(k, "–")) for k in ("p50_ms", "p90_ms", "p99_ms"))

    for x in e2e["levels"]:
        ev, nt = x["evaluation-service"], x["notification-service"]
        lines.append(
            f"| {x['fraction']:.0%} | {x['target_rps']:,.0f} | {x['achieved_rps']:,.0f} | {trio(x['post'])} "
            f"| {trio(ev)} | {trio(nt)} | {x['relay'].get('p50_ms', '–')} / {x['relay'].get('p99_ms', '–')} "
            f"| {ev['processed']:,} / {nt['processed']:,} of {x['events']:,} |"
        )
    lines.append("")
    return lines
