#!/usr/bin/env python3
"""Benchmark: Lighthouse on the logging screen of the installed console, on a throttled phone (issue 20).

Starts the system the browser tests use (the four services' processes, the development gateway on
one origin, the Kota Binjai demo data), signs in as the demo employee in Debian's Chromium, opens
#/catat once (the service worker installs and the indicator list loads), then runs Lighthouse
(npm `lighthouse`, pinned in web/package.json) on that screen with its default mobile profile:
simulated slow 4G (150 ms RTT, 1.6 Mbit/s) and a 4x slower CPU on a phone's screen. Records the
performance, accessibility and best-practices scores, FCP/LCP/TBT/Speed Index/TTI/CLS, and whether
Chromium finds the app installable (manifest, icons, service worker), with the service worker's
size, in bench/results/lighthouse-<UTC time>.json; the history of every run is the table in
bench/README.md ("Lighthouse: the logging screen on a phone"), rebuilt from those files.

    .venv/bin/python bench/lighthouse_logging.py            # needs DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS
    .venv/bin/python bench/lighthouse_logging.py --render   # rebuild the README table only

It needs what the browser tests need: node, Debian's chromium (CHROMIUM), `npm ci --prefix web`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
README = ROOT / "bench" / "README.md"
BEGIN, END = "<!-- lighthouse:begin -->", "<!-- lighthouse:end -->"


def run_once() -> dict:
    sys.path.insert(0, str(ROOT))
    import requests

    from kinerja_shared.testing.plugin import DatabaseFactory
    from kinerja_shared.testing.servers import free_port
    from tests.e2e.conftest import System
    from tests.web.conftest import CHROMIUM, WebSystem, browser_missing

    why = browser_missing()
    if why:
        raise SystemExit(f"lighthouse cannot run: {why}")
    admin_url, kafka = os.environ.get("DATABASE_URL"), os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if not admin_url or not kafka:
        raise SystemExit("set DATABASE_URL (PostgreSQL) and KAFKA_BOOTSTRAP_SERVERS (Kafka) as for the tests")
    from kinerja_shared.config import Settings

    databases = DatabaseFactory(Settings.from_env("bench", {"DATABASE_URL": admin_url}).database_url)
    log_dir = Path(tempfile.mkdtemp(prefix="kinerja-lighthouse-logs-"))
    system = System(kafka, databases, log_dir)
    web = None
    try:
        web = WebSystem(system, log_dir)
        env = dict(os.environ, BASE_URL=web.url, CHROMIUM=CHROMIUM, DEBUG_PORT=str(free_port()))
        done = subprocess.run(
            ["node", str(ROOT / "bench" / "lighthouse_logging.mjs")],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode != 0 or not lines:
            raise SystemExit(
                f"lighthouse failed (exit {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            )
        result = json.loads(lines[-1])
        worker = requests.get(web.url + "/sw.js", timeout=10).content
        result["service_worker_bytes"] = {"raw": len(worker), "gzip": len(gzip.compress(worker, 6))}
        result["load_average"] = list(os.getloadavg())
        return result
    finally:
        if web:
            web.stop()
        system.stop()
        databases.drop_all()


def history() -> list[dict]:
    runs = []
    for path in sorted(RESULTS.glob("lighthouse-*.json")):
        runs.append({"file": path.name, **json.loads(path.read_text())})
    return runs


def table(runs: list[dict]) -> str:
    rows = [
        "| run (UTC) | performance | accessibility | best practices | installable | FCP ms | LCP ms | TBT ms | CLS "
        "| service worker (gzip) | load avg |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        s, m = r["scores"], r["metrics_ms"]
        rows.append(
            f"| {r['when']} | {s['performance']} | {s['accessibility']} | {s['best_practices']} "
            f"| {'yes' if r['installable'] else 'no: ' + ', '.join(r['installability_errors'])}"
            f" | {m['fcp']} | {m['lcp']} "
            f"| {m['tbt']} | {r['cls']:.3f}"
            f" | {r['service_worker_bytes']['raw']} B ({r['service_worker_bytes']['gzip']} B) "
            f"| {r['load_average'][0]:.2f} |"
        )
    return "\n".join(rows)


def render() -> None:
    text = README.read_text()
    runs = history()
    block = (
        f"{BEGIN}\nLighthouse {runs[-1]['lighthouse'] if runs else '-'}, mobile profile, simulated throttling; "
        f"each row one run of `bench/lighthouse_logging.py` (bench/results/lighthouse-*.json). The installed app "
        f"(service worker warm, signed in) opening #/catat. Lighthouse's CPU model scales what it measures on this "
        f"machine: with a load average far above its 2 cores (the last column), total blocking time and so the "
        f"performance score say more about the neighbours than about the console; compare runs at a similar load.\n\n"
        f"{table(runs)}\n{END}"
    )
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n## Lighthouse: the logging screen on a phone (issue 20)\n\n" + block + "\n"
    README.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--render", action="store_true", help="only rebuild the README table from bench/results")
    args = parser.parse_args()
    if not args.render:
        when = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
        result = {"when": when, **run_once()}
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"lighthouse-{when}.json").write_text(json.dumps(result, indent=2) + "\n")
        print(json.dumps(result["scores"]), "installable:", result["installable"])
    render()


if __name__ == "__main__":
    main()
