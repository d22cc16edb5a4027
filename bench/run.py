#!/usr/bin/env python3
"""Kinerja benchmark suite (issue 8): the whole system on PostgreSQL and Kafka, measured with wrk.

One command, from a clean clone with the .venv installed (``make install``):

    .venv/bin/python bench/run.py            # the full suite (about 12-14 minutes)
    .venv/bin/python bench/run.py --quick    # shorter runs and a smaller backlog (about 6 minutes)

What it does, in order (each step can be picked with ``--only``):

1. starts its own PostgreSQL (initdb/pg_ctl) and a single-node Kafka (deploy/kafka/kafka.sh),
   or uses DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS when set (127.0.0.1 only);
2. starts plan-, activity-, evaluation- and notification-service as real processes
   (``<svc> migrate``, ``<svc> web`` with WEB_CONCURRENCY=2 sync workers, ``<svc> worker``) and
   seeds units, employees and approved plans through the HTTP APIs;
3. starts the bare baseline (bench/baseline_app.py: Flask + SQLAlchemy ORM + marshmallow, one-row
   insert) under the same gunicorn settings, on a database of its own;
4. ``post``: POST one activity vs the baseline, interleaved A B A B (>= 3 pairs at 32 clients),
   each pair beside a CPU-speed probe, plus 8 and 64 clients; ``batch``: batches of 50;
   ``list``: one employee's month (~100 entries); ``dashboard``: a unit head's dashboard;
5. ``pgbench``: one-row insert on the same PostgreSQL; ``kafka``: kafka-python's raw producer
   and consumer on the same broker;
6. ``e2e`` (latency_curve.py): the whole system's sustainable POST rate, then event latency at 25, 50,
   75 and 90 % of it, from the activity's commit (its outbox row) to its effect in
   evaluation-service's and notification-service's databases;
7. ``backlog``: 100,000 events in activity-service's outbox, then the relay's and each
   consumer's drain rate;
8. ``growth`` (activity_growth.py): one copy of activity-service's database per table size, each with a
   web of its own, filled by a set-based loader; POST and list p99 per size, and batches on a fresh
   install's copy against the filled table, all in interleaved pairs;
9. RSS of every web and worker process, idle and under load (sampled from /proc all along).

Results go to bench/results/<UTC date-time>.json, PNG charts beside it (charts.py) and the tables in
bench/README.md. Every
process, server and temporary folder the run started is stopped or removed at the end, also
on Ctrl-C. Loads only ever target 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import activity_growth
import charts
import latency_curve
from bench_common import log
from bench_db import PG_SETTINGS

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LUA = BENCH / "lua"
RESULTS = BENCH / "results"
README = BENCH / "README.md"
SECTIONS = ("post", "batch", "list", "pgbench", "kafka", "e2e", "dashboard", "profile", "backlog", "growth")
RUN_FILE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{6}Z\.json$")  # this suite's result files
DEFAULT_SECTIONS = tuple(s for s in SECTIONS if s != "profile")  # profile: with --profile
ADMIN = "197001011995031001"
BEHAVIOURS = [
    {"value": v, "expectation": "Sesuai ekspektasi pimpinan"}
    for v in ("service", "accountable", "competent", "harmonious", "loyal", "adaptive", "collaborative")
]
TZ = ZoneInfo("Asia/Jakarta")
PER_RATER = 10  # employees per sub-unit (one rater, the unit head, each)
BATCH = 50

TARGETS = {  # issue 8, "Targets on the 2-core build machine"
    "post_ratio_vs_baseline": (">=", 1.0, "POST one activity: req/s at 32 clients / bare baseline's (median of pairs)"),
    "post_p99_ms_32": ("<=", 100.0, "POST one activity: p99 at 32 clients (ms)"),
    "batch_activities_per_s": (">=", 3000.0, "batch endpoint: activities/s in batches of 50 (best client count)"),
    "list_p99_ms_32": ("<=", 100.0, "a month's list for one employee (~100 entries): p99 at 32 clients (ms)"),
    "e2e_p50_ms": ("<=", 100.0, "event latency at 50 % of the sustainable maximum: p50 (ms, worse consumer)"),
    "e2e_p99_ms": ("<=", 500.0, "event latency at 50 % of the sustainable maximum: p99 (ms, worse consumer)"),
    "relay_events_per_s": (">=", 5000.0, "backlog drain: outbox relay (events/s)"),
    "consumer_events_per_s": (">=", 1000.0, "backlog drain: each consumer process (events/s, slower of the two)"),
    "growth_post_p99_ratio": (
        "<=",
        1.2,
        "growth: POST p99, largest table vs smallest (32 clients, worse direction)",
    ),
    "growth_list_p99_ratio": (
        "<=",
        1.2,
        "growth: month list p99, largest table vs smallest (32 clients, worse direction)",
    ),
    "batch_empty_vs_filled": (
        "<=",
        1.2,
        "batch: PostgreSQL CPU per batch, empty vs filled table (worst of clients, direction)",
    ),
    "max_rss_mb_under_load": ("<", 150.0, "memory: largest RSS of any web or worker process under load (MB)"),
}


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def cpu_probe(n: int = 2_000_000) -> float:
    """A fixed pure-Python loop; returns millions of loop iterations per second (higher = faster CPU now)."""
    start = time.perf_counter()
    total = 0
    for i in range(n):
        total += i * i
    return round(n / (time.perf_counter() - start) / 1e6, 2)


def machine() -> dict:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    except (OSError, AttributeError):
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "loadavg_at_start": loadavg(),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


# -- tools ----------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk is missing: apt-get install -y wrk")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env)
        found = shutil.which("wrk")
        if found:
            return found
    sys.exit(
        "bench: the load generator wrk is not installed and could not be installed here.\n"
        "Install it (Debian/Ubuntu: sudo apt-get install -y wrk; macOS: brew install wrk) and run again."
    )


def tool_version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=20)
        return (out.stdout + out.stderr).strip().splitlines()[0]
    except Exception as exc:  # noqa: BLE001
        return f"unknown ({exc})"


# -- process groups and memory -------------------------------------------------------------------


def group_members(pgid: int) -> list[int]:
    """Pids whose process group is ``pgid`` (a ManagedProcess is a session leader: pgid = its pid)."""
    pids = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] != "Z":
            pids.append(int(entry.name))
    return pids


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def ticks_by_pid(pids: list[int]) -> dict[int, int]:
    return {pid: cpu_ticks([pid]) for pid in pids}


def children_of(parent: int) -> list[int]:
    pids = [parent]
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rfind(")") + 2 :].split()[1]) == parent:
                pids.append(int(entry.name))
    return pids


def wait_idle(pgid: int, timeout: float = 90.0) -> float:
    """Wait until a process group stops using CPU (requests queued when wrk stopped are served first)."""
    start = time.monotonic()
    pids = group_members(pgid)
    last = cpu_ticks(pids)
    while time.monotonic() - start < timeout:
        time.sleep(0.5)
        now = cpu_ticks(pids)
        if now - last <= 2:  # at most 20 ms of CPU in half a second
            break
        last = now
    return round(time.monotonic() - start, 1)


def rss_mb(pid: int) -> float | None:
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


class MemorySampler:
    """Samples the RSS of every managed process every ``interval`` s, keeping the maximum per phase."""

    def __init__(self, processes: dict, interval: float = 1.0):
        self.processes = processes  # name -> ManagedProcess (read live: processes restart)
        self.interval = interval
        self.phase: str | None = None
        self.maxima: dict[str, dict[str, float]] = {"idle": {}, "load": {}}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def sample(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for name, proc in list(self.processes.items()):
            if proc.pid is None or not proc.alive:
                continue
            for pid in group_members(proc.pid):
                value = rss_mb(pid)
                if value is None:
                    continue
                if name.endswith(".web"):
                    label = f"{name} (master)" if pid == proc.pid else f"{name} (worker)"
                else:
                    label = name
                out[label] = max(out.get(label, 0.0), value)
        return out

    def record(self, phase: str) -> None:
        for label, value in self.sample().items():
            bucket = self.maxima[phase]
            bucket[label] = round(max(bucket.get(label, 0.0), value), 1)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            if self.phase:
                try:
                    self.record(self.phase)
                except Exception:  # noqa: BLE001 - a vanished pid must not stop the sampler
                    pass


# -- servers ----------------------------------------------------------------------------------------


def local_host(host: str | None) -> bool:
    return host in ("127.0.0.1", "localhost", "::1")


class Infra:
    """PostgreSQL and Kafka: started here (and stopped at the end), or taken from the environment."""

    def __init__(self, work: Path):
        self.work = work
        self.pg = None
        self.kafka = None
        self.admin_url = ""
        self.bootstrap = ""
        self.pg_bindir: Path | None = None
        self.databases: list[str] = []

    def start(self) -> None:
        from kinerja_shared.config import Settings
        from kinerja_shared.testing import servers

        url = os.environ.get("DATABASE_URL")
        if url:
            self.admin_url = Settings.from_env("bench", {"DATABASE_URL": url}).database_url
            host = urlsplit(self.admin_url.replace("+psycopg", "")).hostname
            if not local_host(host):
                sys.exit(
                    f"bench: DATABASE_URL points at {host}; loads only ever target 127.0.0.1. Unset it to let the "
                    "bench start its own PostgreSQL."
                )
            log(f"PostgreSQL from DATABASE_URL ({host})")
        else:
            log(f"starting PostgreSQL (initdb + pg_ctl; {PG_SETTINGS})")
            self.pg = servers.start_local_postgres(PG_SETTINGS)
            self.admin_url = self.pg.url
            self.pg_bindir = self.pg.bindir
        boot = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
        if boot:
            hosts = {h.rsplit(":", 1)[0].strip("[]") for h in boot.split(",")}
            if not all(local_host(h) for h in hosts):
                sys.exit(f"bench: KAFKA_BOOTSTRAP_SERVERS points at {boot}; loads only ever target 127.0.0.1.")
            self.bootstrap = boot
            log(f"Kafka from KAFKA_BOOTSTRAP_SERVERS ({boot})")
        else:
            log("starting Kafka (deploy/kafka/kafka.sh, single node)")
            self.kafka = servers.start_local_kafka(ROOT)
            self.bootstrap = self.kafka.bootstrap
        log(f"PostgreSQL {self.admin_url.split('@')[-1]}, Kafka {self.bootstrap}")

    def new_database(self, name: str) -> str:
        from sqlalchemy import create_engine, text

        db = f"kb_{name}_{uuid.uuid4().hex[:8]}"
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{db}"'))
        engine.dispose()
        self.databases.append(db)
        return self.admin_url.rsplit("/", 1)[0] + "/" + db

    def pg_version(self) -> str:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.admin_url)
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar()
        engine.dispose()
        return version

    def stop(self) -> None:
        if self.kafka is not None:
            try:
                self.kafka.stop()
            except Exception as exc:  # noqa: BLE001
                log(f"stopping Kafka: {exc}")
            shutil.rmtree(self.kafka.data_dir, ignore_errors=True)
            self.kafka = None
        if self.pg is not None:
            try:
                self.pg.stop()
            except Exception as exc:  # noqa: BLE001
                log(f"stopping PostgreSQL: {exc}")
            shutil.rmtree(self.pg.data_dir.parent, ignore_errors=True)
            self.pg = None
        elif self.databases:  # a server we did not start: drop what we created
            from sqlalchemy import create_engine, text

            try:
                engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
                with engine.connect() as conn:
                    for db in self.databases:
                        conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
                engine.dispose()
            except Exception as exc:  # noqa: BLE001
                log(f"dropping bench databases: {exc}")


# -- the system ---------------------------------------------------------------------------------------


class System:
    """The four services (web + worker each) and the baseline, as real processes."""

    def __init__(self, infra: Infra, work: Path):
        from kinerja_shared.processes import SERVICES

        self.infra = infra
        self.work = work
        self.log_dir = work / "logs"
        self.bin_dir = Path(sys.executable).parent
        missing = [s for s in SERVICES if not (self.bin_dir / s).exists()]
        if missing:
            sys.exit(
                f"bench: {', '.join(missing)} not found next to {sys.executable}; run it with the project's "
                ".venv/bin/python after `make install`."
            )
        self.prefix = f"bench{uuid.uuid4().hex[:6]}."
        self.envs: dict[str, dict] = {}
        self.db_urls: dict[str, str] = {}
        self.urls: dict[str, str] = {}
        self.processes: dict = {}
        self.engines: dict = {}
        self.settings = None
        self.paused: set[str] = set()  # services whose worker the bench stopped on purpose
        self.restarts: dict[str, int] = {}

    def env(self, service: str, database_url: str) -> dict:
        env = dict(os.environ)
        env.update(
            KINERJA_ENV="development",
            DATABASE_URL=database_url,
            KAFKA_BOOTSTRAP_SERVERS=self.infra.bootstrap,
            KAFKA_TOPIC_PREFIX=self.prefix,
            KAFKA_TOPIC_PARTITIONS="3",
            WEB_CONCURRENCY="2",
            LOG_LEVEL="INFO",
            KINERJA_DATA_DIR=str(self.work / "data"),
            ACTIVITY_EVIDENCE_DIR=str(self.work / "evidence"),
            NOTIFICATION_REMINDERS="false",  # no wall-clock reminders firing in the middle of a measurement
            KAFKA_CLIENT_TIMEOUT_MS="30000",  # a busy shared machine: topic creation at start can take >10 s
        )
        return env

    def start(self) -> None:
        from kinerja_shared.config import Settings
        from kinerja_shared.db import make_engine
        from kinerja_shared.processes import SERVICES, migrate, service_processes
        from kinerja_shared.testing.servers import free_port

        for service in SERVICES:
            short = service.split("-")[0]
            self.db_urls[service] = self.infra.new_database(short)
            self.envs[service] = self.env(service, self.db_urls[service])
        self.settings = Settings.from_env("activity-service", self.envs["activity-service"])
        log("migrating the four databases")
        with ThreadPoolExecutor(len(SERVICES)) as pool:
            list(
                pool.map(lambda s: migrate(self.bin_dir, s, self.envs[s], self.log_dir / f"{s}.migrate.log"), SERVICES)
            )
        for service in SERVICES:
            port = free_port()
            for process in service_processes(self.bin_dir, service, port, self.envs[service], self.log_dir):
                self.processes[process.name] = process.start()
            self.urls[service] = f"http://127.0.0.1:{port}"
            self.engines[service] = make_engine(self.db_urls[service], pool_size=2)
        # the baseline: its own database, the same gunicorn settings
        from kinerja_shared.processes import ManagedProcess

        self.db_urls["baseline"] = self.infra.new_database("baseline")
        env = {**self.envs["activity-service"], "BASELINE_DATABASE_URL": self.db_urls["baseline"]}
        result = subprocess.run(
            [sys.executable, str(BENCH / "baseline_app.py"), "init"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"baseline init failed: {result.stderr[-2000:]}")
        port = free_port()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(BENCH / "baseline_gunicorn.conf.py"),
            "--chdir",
            str(BENCH),
            "--bind",
            f"127.0.0.1:{port}",
            "baseline_app:app",
        ]
        self.processes["baseline.web"] = ManagedProcess(
            "baseline.web", argv, env, self.log_dir / "baseline.web.log"
        ).start()
        self.urls["baseline"] = f"http://127.0.0.1:{port}"
        self.engines["baseline"] = make_engine(self.db_urls["baseline"], pool_size=2)
        self.wait_ready()

    def wait_ready(self) -> None:
        from kinerja_shared.processes import wait_ready

        for name, url in self.urls.items():
            try:
                wait_ready(url, timeout=120)
            except TimeoutError:
                raise RuntimeError(f"{name} did not become ready:\n{self.tail(name)}") from None
        log("all services and the baseline answer /readyz")

    def tail(self, name: str, chars: int = 3000) -> str:
        out = []
        for p in self.processes.values():
            if p.name.startswith(name):
                out.append(f"--- {p.name}\n" + p.log_path.read_text(errors="replace")[-chars:])
        return "\n".join(out)

    def worker(self, service: str):
        return self.processes[f"{service}.worker"]

    def stop_worker(self, service: str) -> None:
        self.paused.add(service)
        self.worker(service).stop()

    def start_worker(self, service: str) -> None:
        self.paused.discard(service)
        proc = self.worker(service)
        if not proc.alive:
            proc.start()

    def ensure_alive(self, notes: list) -> None:
        """A web that died stops the run; a worker that died (e.g. a broker timeout at start) is started again."""
        for name, proc in self.processes.items():
            if proc.alive:
                continue
            if name.endswith(".web"):
                raise RuntimeError(f"{name} is not running:\n{self.tail(name)}")
            service = name.rsplit(".", 1)[0]
            if service in self.paused:
                continue
            self.restarts[name] = self.restarts.get(name, 0) + 1
            if self.restarts[name] > 3:
                raise RuntimeError(f"{name} keeps dying:\n{self.tail(name)}")
            notes.append(f"{name} had exited ({self.tail(name, 300).strip().splitlines()[-1][:200]}); restarted")
            log(f"{name} had exited; starting it again")
            proc.start()

    def sql(self, service: str, statement: str, **params):
        from sqlalchemy import text

        with self.engines[service].begin() as conn:
            result = conn.execute(text(statement), params)
            return result.all() if result.returns_rows else result.rowcount

    def scalar(self, service: str, statement: str, **params):
        rows = self.sql(service, statement, **params)
        return rows[0][0] if rows else None

    def token(self, nip: str, *roles: str, unit: str | None = None) -> str:
        from kinerja_shared.auth import mint_token

        return mint_token(self.settings, sub=nip, roles=list(roles) or ["employee"], unit=unit, ttl_seconds=6 * 3600)

    def stop(self) -> None:
        for engine in self.engines.values():
            engine.dispose()
        procs = list(self.processes.values())
        with ThreadPoolExecutor(max(1, len(procs))) as pool:
            list(pool.map(lambda p: p.stop(), procs))
        left = [p.name for p in procs if p.alive]
        if left:
            for p in procs:
                p.signal(signal.SIGKILL)
            log(f"killed processes that did not stop: {left}")


# -- the organisation --------------------------------------------------------------------------------


def make_nip(born: date, gender: int, serial: int = 1) -> str:
    return f"{born:%Y%m%d}201503{gender}{serial:03d}"


class Org:
    """Sub-units of PER_RATER employees each, one rater (the unit head) per sub-unit, under one OPD."""

    def __init__(self, system: System, employees: int):
        self.system = system
        self.today = datetime.now(TZ).date()
        self.year = self.today.year
        self.groups = max(1, math.ceil(employees / PER_RATER))
        self.top = "bench-opd"
        self.top_head = make_nip(date(1968, 1, 1), 1)
        self.raters = [make_nip(date(1970, 1, 1) + timedelta(days=g), 2) for g in range(self.groups)]
        self.units = [f"bench-u{g:03d}" for g in range(self.groups)]
        self.people = [make_nip(date(1985, 1, 1) + timedelta(days=i), 1) for i in range(employees)]
        self.unit_of = {nip: self.units[i // PER_RATER] for i, nip in enumerate(self.people)}
        self.rater_of = {nip: self.raters[i // PER_RATER] for i, nip in enumerate(self.people)}
        self.plan: dict[str, dict] = {}  # nip -> {plan_id, result_id, indicator_id}
        self.notes: list[str] = []
        self.tokens: dict[str, str] = {}

    def _session(self):
        import requests

        local = threading.local()

        def get():
            if not hasattr(local, "s"):
                local.s = requests.Session()
            return local.s

        return get

    def seed(self, threads: int = 12) -> dict:
        system = self.system
        base = system.urls["plan-service"]
        admin = {"Authorization": "Bearer " + system.token(ADMIN, "admin")}
        session = self._session()

        def call(method: str, path: str, headers: dict, body: dict, expect=(200, 201)) -> dict:
            for attempt in range(5):
                r = session().request(method, base + path, headers=headers, json=body, timeout=60)
                if r.status_code in expect:
                    return r.json()
                if r.status_code >= 500 or r.status_code == 409:
                    time.sleep(0.5 * (attempt + 1))
                    continue
                break
            raise RuntimeError(f"{method} {path} -> {r.status_code}: {r.text[:500]}")

        started = time.monotonic()
        overwrite = {**admin, "If-Match": "*"}  # an employee PUT that updates needs If-Match: the directory is ours
        call("PUT", f"/api/v1/units/{self.top}", admin, {"name": "OPD Benchmark", "head_nip": self.top_head})
        call("PUT", f"/api/v1/employees/{self.top_head}", overwrite, {"name": "Kepala OPD", "unit_id": self.top})
        with ThreadPoolExecutor(threads) as pool:
            list(
                pool.map(
                    lambda g: call(
                        "PUT",
                        f"/api/v1/units/{self.units[g]}",
                        admin,
                        {"name": f"Bidang {g}", "parent_id": self.top, "head_nip": self.raters[g]},
                    ),
                    range(self.groups),
                )
            )
            list(
                pool.map(
                    lambda g: call(
                        "PUT",
                        f"/api/v1/employees/{self.raters[g]}",
                        overwrite,
                        {
                            "name": f"Penilai {g}",
                            "unit_id": self.units[g],
                            "rater_nip": self.top_head,
                            "email": f"penilai{g}@binjaikota.go.id",
                        },
                    ),
                    range(self.groups),
                )
            )
            list(
                pool.map(
                    lambda i: call(
                        "PUT",
                        f"/api/v1/employees/{self.people[i]}",
                        overwrite,
                        {
                            "name": f"Pegawai {i}",
                            "unit_id": self.unit_of[self.people[i]],
                            "rater_nip": self.rater_of[self.people[i]],
                            "email": f"pegawai{i}@binjaikota.go.id",
                        },
                    ),
                    range(len(self.people)),
                )
            )
        directory_s = time.monotonic() - started

        def plan(nip: str) -> None:
            me = {"Authorization": "Bearer " + self.employee_token(nip)}
            rater = {
                "Authorization": "Bearer "
                + system.token(self.rater_of[nip], "supervisor", "unit_head", unit=self.unit_of[nip])
            }
            body = {
                "year": self.year,
                "approach": "quantitative",
                "model": "JA_JF",
                "behaviours": BEHAVIOURS,
                "results": [
                    {
                        "kind": "main",
                        "text": "Laporan pelayanan tersusun",
                        "indicators": [
                            {
                                "aspect": "quantity",
                                "text": "Jumlah laporan",
                                "target_value": 200,
                                "target_unit": "laporan",
                            }
                        ],
                    }
                ],
            }
            created = call("POST", "/api/v1/plans", me, body, expect=(201,))
            call("POST", f"/api/v1/plans/{created['id']}/submit", me, None)
            approved = call("POST", f"/api/v1/plans/{created['id']}/approve", rater, None)
            result = approved["results"][0]
            self.plan[nip] = {
                "plan_id": approved["id"],
                "result_id": result["result_id"],
                "indicator_id": result["indicators"][0]["indicator_id"],
            }

        plans_started = time.monotonic()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(plan, self.people))
        plans_s = time.monotonic() - plans_started
        log(
            f"seeded {len(self.people)} employees in {self.groups} units and their approved plans "
            f"({directory_s:.0f} s directory, {plans_s:.0f} s plans)"
        )
        return {
            "employees": len(self.people),
            "units": self.groups + 1,
            "directory_seconds": round(directory_s, 1),
            "plans_seconds": round(plans_s, 1),
            "plans_per_s_create_submit_approve": round(len(self.people) / plans_s, 1) if plans_s else None,
        }

    def employee_token(self, nip: str) -> str:
        if nip not in self.tokens:
            self.tokens[nip] = self.system.token(nip, "employee", unit=self.unit_of.get(nip))
        return self.tokens[nip]

    def wait_read_models(self, timeout: float = 180) -> dict:
        """Until activity-service knows every plan's indicator and the other two consumed every PlanApproved."""
        want = len(self.people)
        deadline = time.monotonic() + timeout
        state = {}
        while time.monotonic() < deadline:
            state = {
                "activity_plans": self.system.scalar(
                    "activity-service", "SELECT count(DISTINCT nip) FROM plan_indicators"
                ),
                "evaluation_plans": self.system.scalar(
                    "evaluation-service", "SELECT count(*) FROM processed_events WHERE event_type = 'PlanApproved'"
                ),
                "notification_plans": self.system.scalar(
                    "notification-service", "SELECT count(*) FROM processed_events WHERE event_type = 'PlanApproved'"
                ),
            }
            if all(v >= want for v in state.values()):
                return state
            self.system.ensure_alive(self.notes)
            time.sleep(1)
        raise RuntimeError(f"the read models did not learn the {want} plans within {timeout}s: {state}")

    def log_days(self) -> list[date]:
        """Dates an entry may have today: the edit window (default close day 5), not before the plan year."""
        from activity_service.domain import edit_window_start

        first = max(edit_window_start(self.today, 5), date(self.year, 1, 1))
        return [first + timedelta(days=i) for i in range((self.today - first).days + 1)]


# -- wrk -------------------------------------------------------------------------------------------------


class Pool:
    """Employees whose free 1-minute slots a wrk script hands out, with the next unused slot index."""

    def __init__(self, name: str, org: Org, nips: list[str], days: list[date]):
        self.name = name
        self.org = org
        self.nips = nips
        self.days = days
        self.next = 0

    @property
    def capacity(self) -> int:
        return len(self.nips) * len(self.days) * 1439

    def write(self, path: Path, runid: int, base: int | None = None) -> Path:
        lines = [f"{self.next if base is None else base} {runid} {','.join(d.isoformat() for d in self.days)}"]
        for nip in self.nips:
            lines.append(f"{self.org.employee_token(nip)} {self.org.plan[nip]['indicator_id']} {nip}")
        path.write_text("\n".join(lines) + "\n")
        return path

    def entry(self, k: int) -> tuple[str, dict]:
        """The same slot mapping as lua/common.lua's entry()."""
        e, j = k % len(self.nips), k // len(self.nips)
        d, m = j % len(self.days), (j // len(self.days)) % 1439
        nip = self.nips[e]
        return nip, {
            "id": str(uuid.uuid4()),
            "date": self.days[d].isoformat(),
            "start_time": f"{m // 60:02d}:{m % 60:02d}",
            "end_time": f"{(m + 1) // 60:02d}:{(m + 1) % 60:02d}",
            "indicator_id": self.org.plan[nip]["indicator_id"],
            "description": "Menyusun laporan pelayanan publik",
            "quantity": 1,
            "quantity_unit": "laporan",
            "evidence": [{"url": "https://drive.binjaikota.go.id/laporan/1"}],
        }


class Wrk:
    def __init__(self, binary: str, work: Path, sampler: MemorySampler):
        self.binary = binary
        self.work = work
        self.sampler = sampler
        self.pgid_of = None  # url -> the web's process group, to wait for it to go idle after a run
        self.postgres_pids = None  # () -> pids of the PostgreSQL server (postmaster and backends), when ours
        self.log_of = None  # url -> the web's log file (gunicorn's access log: one line per request served)

    def run(self, url: str, script: Path, clients: int, duration: float, args: list[str], label: str) -> dict:
        argv = [
            self.binary,
            "-t1",
            f"-c{clients}",
            f"-d{max(1, int(round(duration)))}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
            "--",
            *args,
        ]
        before_load = loadavg()
        groups = {}
        if self.pgid_of:
            groups["web"] = lambda: group_members(self.pgid_of(url))
        if self.postgres_pids:
            groups["postgres"] = self.postgres_pids
        cpu_before = {name: ticks_by_pid(pids()) for name, pids in groups.items()}
        log_path = self.log_of(url) if self.log_of else None
        log_offset = log_path.stat().st_size if log_path and log_path.exists() else 0
        wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.sampler.phase = "load"
        started = time.time()
        try:
            out = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 120)
            settle = wait_idle(self.pgid_of(url)) if self.pgid_of else None
        finally:
            self.sampler.phase = None
        wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        served = None
        if log_path and log_path.exists():
            with open(log_path, "rb") as f:
                f.seek(log_offset)
                served = f.read().count(b'"gunicorn.access"')
        tick_ms = 1000.0 / os.sysconf("SC_CLK_TCK")
        cpu_ms = {
            name: sum(t - cpu_before[name].get(pid, 0) for pid, t in ticks_by_pid(pids()).items()) * tick_ms
            for name, pids in groups.items()
        }
        cpu_ms["wrk"] = ((wrk_after.ru_utime + wrk_after.ru_stime) - (wrk_before.ru_utime + wrk_before.ru_stime)) * 1000
        line = next((text for text in out.stdout.splitlines() if text.startswith("BENCHJSON ")), None)
        if line is None:
            raise RuntimeError(
                f"wrk {label} printed no result (rc {out.returncode}):\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}"
            )
        raw = json.loads(line.split(" ", 1)[1])
        seconds = raw["duration_us"] / 1e6
        return {
            "label": label,
            "clients": clients,
            "duration_s": round(seconds, 2),
            "requests": raw["requests"],
            "req_per_s": round(raw["requests"] / seconds, 1) if seconds else 0.0,
            "p50_ms": round(raw["p50_us"] / 1000, 2),
            "p90_ms": round(raw["p90_us"] / 1000, 2),
            "p99_ms": round(raw["p99_us"] / 1000, 2),
            "max_ms": round(raw["max_us"] / 1000, 2),
            "mean_ms": round(raw["mean_us"] / 1000, 2),
            "non_2xx": raw["err_status"],
            "socket_errors": raw["err_connect"] + raw["err_read"] + raw["err_write"] + raw["err_timeout"],
            "generated": raw["generated"],
            "loadavg_before": before_load,
            "started_at": started,
            "drain_after_s": settle,
            # requests the web served (access log), including those it served after wrk stopped (the drain)
            "served_incl_drain": served,
            "cpu_ms_per_request": {
                name: round(ms / (served or raw["requests"]), 2) if (served or raw["requests"]) else None
                for name, ms in cpu_ms.items()
            },
        }


# -- the suite ------------------------------------------------------------------------------------------


class Bench:
    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        self.duration = args.duration or (5.0 if self.quick else 10.0)
        self.clients = args.clients
        self.ab_clients = 32 if 32 in self.clients else self.clients[len(self.clients) // 2]
        self.pairs = args.pairs
        self.only = set(args.only or DEFAULT_SECTIONS) | ({"profile"} if args.profile else set())
        self.employees = args.employees or (120 if self.quick else 300)
        self.growth_rows = args.growth_rows or ([20_000, 200_000] if self.quick else [100_000, 10_000_000])
        self.backlog_events = args.backlog or (20_000 if self.quick else 100_000)
        self.drain_timebox = 20.0 if self.quick else 45.0
        self.work = Path(tempfile.mkdtemp(prefix="kinerja-bench-"))
        self.infra = Infra(self.work)
        self.system: System | None = None
        self.sampler: MemorySampler | None = None
        self.webs: dict = {}  # url -> the web serving it
        self.empty_install: str | None = None  # section growth: the fresh install's database, kept as a template
        self.results: dict = {
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "mode": "quick" if self.quick else "full",
            "machine": machine(),
            "settings": {
                "duration_s": self.duration,
                "clients": self.clients,
                "pairs": self.pairs,
                "employees": self.employees,
                "backlog_events": self.backlog_events,
                "growth_rows": self.growth_rows,
                "sections": [s for s in SECTIONS if s in self.only],
                "web_concurrency": 2,
                "worker_class": "sync",
                "postgres": PG_SETTINGS,  # when the bench starts its own (postgres_started_by_bench)
            },
            "notes": [],
        }

    # -- lifecycle --------------------------------------------------------------------------------
    def run(self) -> dict:
        wrk = ensure_wrk()
        self.results["versions"] = {"wrk": tool_version([wrk, "--version"])}
        started = time.monotonic()
        try:
            self.infra.start()
            self.results["versions"]["postgresql"] = self.infra.pg_version()
            self.results["versions"]["kafka_python"] = __import__("kafka").__version__
            self.results["postgres_started_by_bench"] = self.infra.pg is not None
            self.system = System(self.infra, self.work)
            self.sampler = MemorySampler(self.system.processes)
            self.system.start()
            self.sampler.start()
            self.wrk = Wrk(wrk, self.work, self.sampler)
            self.webs = {  # url -> the web serving it (section growth adds its copies' webs)
                url: self.system.processes[f"{'baseline' if name == 'baseline' else name}.web"]
                for name, url in self.system.urls.items()
            }
            self.wrk.pgid_of = lambda url: self.webs[url].pid
            self.wrk.log_of = lambda url: self.webs[url].log_path
            if self.infra.pg is not None:
                postmaster = int((self.infra.pg.data_dir / "postmaster.pid").read_text().split()[0])
                self.wrk.postgres_pids = lambda: children_of(postmaster)
            self.org = Org(self.system, self.employees)
            self.org.notes = self.results["notes"]
            self.results["seed"] = self.org.seed()
            self.results["seed"]["read_models"] = self.org.wait_read_models()
            self.make_pools()
            time.sleep(3)
            for _ in range(3):
                self.sampler.record("idle")
                time.sleep(1)
            # The HTTP sections measure the web tier: activity-service's worker (relay) pauses, so the
            # consumers of the other services do not compete for the two cores with wrk and the webs.
            self.system.stop_worker("activity-service")
            if "growth" in self.only:  # the fresh install is kept before anything writes an activity
                activity_growth.keep_empty_install(self)
            for section in SECTIONS:
                if section in self.only:
                    self.system.ensure_alive(self.results["notes"])
                    log(f"== {section}")
                    getattr(self, f"section_{section}")()
        finally:
            if self.sampler is not None:
                self.sampler.stop()
                self.results["memory_mb"] = self.sampler.maxima
            log("stopping everything the bench started")
            if self.system is not None:
                self.system.stop()
            self.infra.stop()
            if self.args.keep_logs:
                log(f"logs kept in {self.work / 'logs'}")
            else:
                shutil.rmtree(self.work, ignore_errors=True)
            self.results["elapsed_s"] = round(time.monotonic() - started, 1)
        return self.results

    def make_pools(self) -> None:
        people = self.org.people
        days = self.org.log_days()
        this_month = [d for d in days if d.month == self.org.today.month] or days
        self.reader = people[0]
        rest = people[2:]
        cut = int(len(rest) * 0.6)
        self.single = Pool("single", self.org, rest[:cut], days)
        self.batch_pool = Pool("batch", self.org, rest[cut:], days)
        self.baseline_pool = Pool("baseline", self.org, rest[:cut], days)
        self.reader_pool = Pool("reader", self.org, [self.reader], this_month)
        self.month = this_month[0].strftime("%Y-%m")
        self.results["pools"] = {
            "days_open_for_logging": len(days),
            "single_employees": len(self.single.nips),
            "batch_employees": len(self.batch_pool.nips),
            "single_capacity": self.single.capacity,
            "batch_capacity": self.batch_pool.capacity,
        }

    def pool_run(
        self, pool: Pool, target: str, script: str, clients: int, duration: float, label: str, lua: Path | None = None
    ) -> dict:
        runid = random.randint(10_000_000, 99_999_999)
        path = pool.write(self.work / f"pool-{pool.name}-{runid}.txt", runid)
        if pool.next * (BATCH if script == "post_batch.lua" else 1) > pool.capacity * 0.95:
            self.results["notes"].append(f"pool {pool.name} ran out of free slots; later runs may see 409s")
        url = self.system.urls[target]
        result = self.wrk.run(url, lua or (LUA / script), clients, duration, [str(path)], label)
        # post_one: one slot per request; post_batch: one batch index per request (50 slots of one employee)
        pool.next += result["generated"] + clients + 1
        result["per_request_items"] = BATCH if script == "post_batch.lua" else 1
        return result

    def count(self, service: str, table: str = "activities") -> int:
        return self.system.scalar(service, f"SELECT count(*) FROM {table}")

    # -- sections ------------------------------------------------------------------------------------
    def section_post(self) -> None:
        d = self.duration
        warm = 3.0 if self.quick else 4.0
        log("warm-up: candidate and baseline, 32 clients")
        self.pool_run(self.baseline_pool, "baseline", "post_one.lua", 32, warm, "warmup baseline")
        self.pool_run(self.single, "activity-service", "post_one.lua", 32, warm, "warmup candidate")
        runs = []

        def one(target: str, clients: int, pair: int | None) -> dict:
            service = "baseline" if target == "baseline" else "activity-service"
            pool = self.baseline_pool if target == "baseline" else self.single
            probe = cpu_probe()
            before = self.count(service)
            r = self.pool_run(pool, service, "post_one.lua", clients, d, f"{target} POST c={clients}")
            r.update(target=target, pair=pair, cpu_probe_mops=probe, rows_inserted=self.count(service) - before)
            log(
                f"{target:9s} c={clients:<3d} {r['req_per_s']:8.1f} req/s  p50 {r['p50_ms']:7.1f} ms"
                f"  p99 {r['p99_ms']:7.1f} ms"
                f"  non-2xx {r['non_2xx']}  rows {r['rows_inserted']}"
                f"  CPU ms/req {r['cpu_ms_per_request']}  probe {probe} Mops/s"
                f"  load {r['loadavg_before'][0]}"
            )
            runs.append(r)
            time.sleep(1)
            return r

        for pair in range(self.pairs):  # A B A B ... at the A/B client count
            one("baseline", self.ab_clients, pair)
            one("candidate", self.ab_clients, pair)
        for clients in self.clients:
            if clients != self.ab_clients:
                one("baseline", clients, None)
                one("candidate", clients, None)
        pairs = [
            (a, b)
            for a in runs
            for b in runs
            if a["pair"] is not None
            and a["pair"] == b["pair"]
            and a["target"] == "baseline"
            and b["target"] == "candidate"
        ]
        ratios = [round(b["req_per_s"] / a["req_per_s"], 3) for a, b in pairs if a["req_per_s"]]
        cand = [b for _, b in pairs]
        base = [a for a, _ in pairs]
        self.results["post"] = {
            "runs": runs,
            "ab_clients": self.ab_clients,
            "pair_ratios": ratios,
            "median_ratio": statistics.median(ratios) if ratios else None,
            "candidate_median_rps": statistics.median(r["req_per_s"] for r in cand),
            "baseline_median_rps": statistics.median(r["req_per_s"] for r in base),
            "candidate_median_p99_ms": statistics.median(r["p99_ms"] for r in cand),
            "baseline_median_p99_ms": statistics.median(r["p99_ms"] for r in base),
            "candidate_median_p50_ms": statistics.median(r["p50_ms"] for r in cand),
            "cpu_probe_mops": [r["cpu_probe_mops"] for r in runs],
        }
        self.results["post"]["candidate_max_rps"] = max(r["req_per_s"] for r in runs if r["target"] == "candidate")
        log(f"POST: candidate/baseline median ratio {self.results['post']['median_ratio']} (pairs {ratios})")

    def section_batch(self) -> None:
        runs = self.batch_runs("batch")
        self.results["batch"] = {"runs": runs, "best_activities_per_s": max(r["activities_per_s"] for r in runs)}

    def batch_runs(self, label: str, target: str = "activity-service", counts: list[int] | None = None) -> list[dict]:
        """Batches of 50 at each client count (sections batch and growth; growth's copies of the database are
        served under targets of their own)."""
        runs = []
        for clients in counts or self.clients:
            probe = cpu_probe()
            before = self.count(target)
            r = self.pool_run(self.batch_pool, target, "post_batch.lua", clients, self.duration, f"{label} c={clients}")
            r["rows_inserted"] = self.count(target) - before
            r["activities_per_s"] = round(r["req_per_s"] * BATCH, 1)
            r["cpu_probe_mops"] = probe
            log(
                f"{label:9s} c={clients:<3d} {r['req_per_s']:8.1f} req/s = {r['activities_per_s']:.0f} activities/s  "
                f"p50 {r['p50_ms']:.0f} ms  p99 {r['p99_ms']:.0f} ms  non-2xx {r['non_2xx']}  rows {r['rows_inserted']}"
                f"  CPU ms/batch {r['cpu_ms_per_request']}"
            )
            runs.append(r)
            time.sleep(1)
        return runs

    def section_list(self) -> None:
        path, token, entries = self.reader_month()
        runs = self.get_runs("activity-service", path, token, "list")
        self.results["list"] = {"path": path, "entries_per_response": entries, "runs": runs}

    def reader_month(self) -> tuple[str, str, int | None]:
        """The reader's month holds 100 entries (logged through the batch endpoint): the list's path and token."""
        import requests

        token = self.org.employee_token(self.reader)
        have = self.system.scalar(
            "activity-service",
            "SELECT count(*) FROM activities WHERE nip = :n AND date >= :d",
            n=self.reader,
            d=min(self.reader_pool.days),
        )
        k = 0
        while have < 100:
            items = []
            for _ in range(min(BATCH, 100 - have)):
                _, body = self.reader_pool.entry(self.reader_pool.next)
                self.reader_pool.next += 1
                items.append(body)
            r = requests.post(
                self.system.urls["activity-service"] + "/api/v1/activities/batch",
                headers={"Authorization": f"Bearer {token}"},
                json={"items": items},
                timeout=60,
            )
            if r.status_code != 207 or r.json()["failed"]:
                raise RuntimeError(f"seeding the reader's month failed: {r.status_code} {r.text[:500]}")
            have += r.json()["stored"]
            k += 1
        path = f"/api/v1/activities?nip={self.reader}&month={self.month}&limit=100"
        check = requests.get(
            self.system.urls["activity-service"] + path, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        entries = len(check.json()["items"]) if check.status_code == 200 else None
        self.list_request = (path, token)
        return path, token, entries

    def section_dashboard(self) -> None:
        unit = self.org.units[0]
        head = self.org.raters[0]
        token = self.system.token(head, "supervisor", "unit_head", unit=unit)
        path = f"/api/v1/unit-performance/{unit}/dashboard"
        import requests

        check = requests.get(
            self.system.urls["evaluation-service"] + path, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        if check.status_code != 200:
            self.results["dashboard"] = {"error": f"{check.status_code}: {check.text[:300]}"}
            log(f"dashboard: {check.status_code} {check.text[:300]}")
            return
        self.dashboard_request = (path, token)
        facts = self.system.scalar("evaluation-service", "SELECT count(*) FROM activities")
        runs = self.get_runs("evaluation-service", path, token, "dashboard")
        self.results["dashboard"] = {
            "path": path,
            "unit_employees": PER_RATER,
            "activity_facts_in_read_model": facts,
            "runs": runs,
        }

    def get_runs(self, service: str, path: str, token: str, name: str) -> list[dict]:
        """GET ``path`` of ``service`` with wrk at every client count (the probe beside each run): the runs."""
        runs = []
        for clients in self.clients:
            probe = cpu_probe()
            r = self.wrk.run(
                self.system.urls[service], LUA / "get.lua", clients, self.duration, [path, token], f"{name} c={clients}"
            )
            r["cpu_probe_mops"] = probe
            log(
                f"{name:<9} c={clients:<3d} {r['req_per_s']:8.1f} req/s  p50 {r['p50_ms']:.1f} ms"
                f"  p99 {r['p99_ms']:.1f} ms  non-2xx {r['non_2xx']}"
            )
            runs.append(r)
            time.sleep(1)
        return runs

    def web_workers(self, name: str) -> list[int]:
        proc = self.system.processes[name]
        return [pid for pid in group_members(proc.pid) if pid != proc.pid]

    def section_profile(self) -> None:
        """Where the CPU goes: py-spy on the web workers during one extra run of each endpoint at 32 clients."""
        binary = pyspy_binary()
        if not binary:
            self.results["profile"] = {"skipped": "py-spy not installed (.venv/bin/pip install py-spy)"}
            log("py-spy not installed: profile skipped")
            return
        self.system.stop_worker("activity-service")
        prof = Profiler(binary, self.work)
        secs = min(self.duration, 10.0)
        act, ev = self.system.urls["activity-service"], self.system.urls["evaluation-service"]
        cases = [
            (
                "POST one activity (candidate)",
                "activity-service.web",
                lambda: self.pool_run(self.single, "activity-service", "post_one.lua", 32, secs, "profile candidate"),
            ),
            (
                "POST one activity (baseline)",
                "baseline.web",
                lambda: self.pool_run(self.baseline_pool, "baseline", "post_one.lua", 32, secs, "profile baseline"),
            ),
            (
                "POST batch of 50",
                "activity-service.web",
                lambda: self.pool_run(self.batch_pool, "activity-service", "post_batch.lua", 32, secs, "profile batch"),
            ),
        ]
        if getattr(self, "list_request", None):
            cases.append(
                (
                    "GET a month (~100 entries)",
                    "activity-service.web",
                    lambda: self.wrk.run(act, LUA / "get.lua", 32, secs, list(self.list_request), "profile list"),
                )
            )
        if getattr(self, "dashboard_request", None):
            cases.append(
                (
                    "GET unit dashboard",
                    "evaluation-service.web",
                    lambda: self.wrk.run(
                        ev, LUA / "get.lua", 32, secs, list(self.dashboard_request), "profile dashboard"
                    ),
                )
            )
        out = {
            "tool": tool_version([binary, "--version"]),
            "how": "py-spy record --nonblocking --rate 100 on every gunicorn "
            "worker of the web, CPU samples only (idle excluded), one extra wrk run at 32 clients per endpoint",
        }
        for label, proc_name, run in cases:
            procs, paths = prof.start(label, self.web_workers(proc_name), secs - 1)
            r = run()
            summary = prof.finish(procs, paths)
            summary["req_per_s_while_profiled"] = r["req_per_s"]
            out[label] = summary
            top = ", ".join(f"{name} {pct}%" for name, pct in summary.get("by_library_pct", [])[:6])
            log(f"profile {label}: {top}")
        self.results["profile"] = out

    def profile_worker(self, service: str, seconds: float):
        binary = pyspy_binary()
        if not (self.args.profile and binary) or seconds < 2:
            return None
        return Profiler(binary, self.work).start(f"{service} worker", [self.system.worker(service).pid], seconds)

    def section_pgbench(self) -> None:
        binary = None
        if self.infra.pg_bindir and (self.infra.pg_bindir / "pgbench").exists():
            binary = str(self.infra.pg_bindir / "pgbench")
        binary = binary or shutil.which("pgbench")
        if not binary:
            self.results["pgbench"] = {
                "skipped": "pgbench not found (Debian: it comes with postgresql / postgresql-contrib)"
            }
            log("pgbench not found: skipped")
            return
        url = self.infra.new_database("pgbench")
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "CREATE TABLE bench_insert (id bigserial PRIMARY KEY, nip varchar(18) NOT NULL, day date NOT NULL,"
                    " minutes int NOT NULL, description text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
                )
            )
        engine.dispose()
        script = self.work / "pgbench-insert.sql"
        script.write_text(
            "INSERT INTO bench_insert (nip, day, minutes, description) "
            "VALUES ('199001012015031001', CURRENT_DATE, 45, 'Menyusun laporan pelayanan publik');\n"
        )
        parts = urlsplit(url.replace("+psycopg", ""))
        env = {**os.environ, "PGPASSWORD": parts.password or ""}
        runs = []
        for clients in (8, self.ab_clients):
            argv = [
                binary,
                "-n",
                "-c",
                str(clients),
                "-j",
                "2",
                "-T",
                str(int(self.duration)),
                "-M",
                "prepared",
                "-f",
                str(script),
                "-h",
                parts.hostname,
                "-p",
                str(parts.port or 5432),
                "-U",
                parts.username or "postgres",
                parts.path.lstrip("/"),
            ]
            before = loadavg()
            self.sampler.phase = "load"
            out = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=self.duration + 120)
            self.sampler.phase = None
            tps = re.search(r"tps = ([\d.]+)", out.stdout)
            lat = re.search(r"latency average = ([\d.]+) ms", out.stdout)
            runs.append(
                {
                    "clients": clients,
                    "tps": float(tps.group(1)) if tps else None,
                    "latency_avg_ms": float(lat.group(1)) if lat else None,
                    "loadavg_before": before,
                    "error": None if tps else (out.stdout + out.stderr)[-800:],
                }
            )
            log(f"pgbench   c={clients:<3d} {runs[-1]['tps']} inserts/s  avg latency {runs[-1]['latency_avg_ms']} ms")
        self.results["pgbench"] = {
            "runs": runs,
            "version": tool_version([binary, "--version"]),
            "server_settings": f"fsync=off, synchronous_commit=off, full_page_writes=off, {PG_SETTINGS}"
            if self.infra.pg is not None
            else "as configured (DATABASE_URL)",
        }

    def section_kafka(self) -> None:
        from kafka import KafkaConsumer, KafkaProducer
        from kafka.admin import KafkaAdminClient, NewTopic

        n = 20_000 if self.quick else 60_000
        box = 8.0 if self.quick else 15.0  # seconds of sending per producer variant at most
        topic = f"{self.system.prefix}raw"
        boot = self.infra.bootstrap.split(",")
        admin = KafkaAdminClient(bootstrap_servers=boot)
        try:
            admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)])
        finally:
            admin.close()
        sample = self.system.sql("activity-service", "SELECT payload FROM outbox ORDER BY id DESC LIMIT 1")
        payload = sample[0][0].encode() if sample else b"x" * 1100
        keys = [nip.encode() for nip in self.org.people]
        self.sampler.phase = "load"
        variants, total = {}, 0
        for name, extra in (
            ("relay settings (acks=all, idempotent, linger_ms=5)", {}),
            ("bigger batches (linger_ms=50, batch_size=512 KiB)", {"linger_ms": 50, "batch_size": 512 * 1024}),
        ):
            producer = KafkaProducer(
                bootstrap_servers=boot, acks="all", enable_idempotence=True, **{"linger_ms": 5, **extra}
            )
            start = time.perf_counter()
            sent = 0
            while sent < n and time.perf_counter() - start < box:
                for _ in range(1000):
                    producer.send(topic, value=payload, key=keys[sent % len(keys)])
                    sent += 1
            producer.flush()
            variants[name] = round(sent / (time.perf_counter() - start), 1)
            total += sent
            producer.close()
        n = total
        consumer = KafkaConsumer(
            topic,
            bootstrap_servers=boot,
            group_id=None,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            max_poll_records=500,
        )
        got, start, deadline = 0, None, time.monotonic() + (15 if self.quick else 30)
        while got < n and time.monotonic() < deadline:
            batch = consumer.poll(timeout_ms=500)
            if batch and start is None:
                start = time.perf_counter()
            got += sum(len(v) for v in batch.values())
        consume_s = time.perf_counter() - (start or time.perf_counter())
        consumer.close()
        self.sampler.phase = None
        self.results["kafka"] = {
            "messages": n,
            "payload_bytes": len(payload),
            "partitions": 3,
            "producer_msgs_per_s": next(iter(variants.values())),
            "consumer_msgs_per_s": round(got / consume_s, 1) if consume_s else None,
            "consumed": got,
            "producer_variants_msgs_per_s": variants,
            "producer_settings": "acks=all, idempotence, linger_ms=5 (as the relay)",
        }
        log(
            f"kafka raw: produce {self.results['kafka']['producer_msgs_per_s']}/s, consume "
            f"{self.results['kafka']['consumer_msgs_per_s']}/s ({len(payload)} B messages)"
        )

    def _skip_pending_outbox(self) -> int:
        """Events the HTTP sections left in activity-service's outbox would bury the next measurement:
        mark them sent."""
        return self.system.sql(
            "activity-service", "UPDATE outbox SET status = 'published', published_at = now() WHERE status = 'pending'"
        )

    def section_e2e(self) -> None:
        latency_curve.run(self)

    def section_growth(self) -> None:
        self.system.stop_worker("activity-service")  # the web tier alone, as the HTTP sections
        activity_growth.run(self)

    def section_backlog(self) -> None:
        from activity_service.events import activity_logged
        from kinerja_shared.outbox import publish

        n = self.backlog_events
        services = ("activity-service", "evaluation-service", "notification-service")
        for service in services:
            self.system.stop_worker(service)
        skipped = self._skip_pending_outbox()
        first_id = self.system.scalar("activity-service", "SELECT coalesce(max(id), 0) FROM outbox")
        days = self.single.days
        people = self.org.people[2:]
        now = datetime.now(UTC)
        log(f"backlog: writing {n} ActivityLogged events into activity-service's outbox (workers stopped)")
        started = time.perf_counter()
        engine = self.system.engines["activity-service"]
        chunk = 1000
        for offset in range(0, n, chunk):
            events = []
            for i in range(offset, min(n, offset + chunk)):
                nip = people[i % len(people)]
                day = days[(i // len(people)) % len(days)]
                m = (i // (len(people) * len(days))) % 1439
                plan = self.org.plan[nip]
                logged = datetime.combine(day, datetime.min.time(), TZ).astimezone(UTC) + timedelta(hours=10)
                row = dict(
                    id=str(uuid.uuid4()),
                    nip=nip,
                    rater_nip=self.org.rater_of[nip],
                    unit_id=self.org.unit_of[nip],
                    plan_id=plan["plan_id"],
                    result_id=plan["result_id"],
                    indicator_id=plan["indicator_id"],
                    date=day,
                    start_min=m,
                    end_min=m + 1,
                    minutes=1,
                    description="Menyusun laporan pelayanan publik",
                    quantity=1.0,
                    quantity_unit="laporan",
                    evidence=[{"kind": "link", "url": "https://drive.binjaikota.go.id/1"}],
                    status="pending",
                    version=1,
                    created_at=min(logged, now),
                )
                events.append(activity_logged(row))
            with engine.begin() as conn:
                publish(conn, *events, validate=offset == 0)
        insert_s = time.perf_counter() - started
        out: dict = {
            "events": n,
            "outbox_insert_rows_per_s": round(n / insert_s, 1),
            "pending_events_skipped_before": skipped,
        }
        log(f"backlog: {n} rows written in {insert_s:.1f} s; starting activity-service's worker (relay)")
        self.sampler.phase = "load"
        try:
            t0 = time.monotonic()
            self.system.start_worker("activity-service")
            relay_profile = None
            deadline = t0 + (60 if self.quick else 180)
            pending = n
            while time.monotonic() < deadline:
                pending = self.system.scalar(
                    "activity-service", "SELECT count(*) FROM outbox WHERE status = 'pending' AND id > :f", f=first_id
                )
                if pending == 0:
                    break
                self.system.ensure_alive(self.results["notes"])
                if relay_profile is None and pending < n:
                    relay_profile = self.profile_worker("activity-service", min(8.0, pending / 2000.0))
                time.sleep(0.5)
            wall = time.monotonic() - t0
            lo, hi, sent = self.system.sql(
                "activity-service",
                "SELECT min(published_at), max(published_at), count(*) "
                "FROM outbox WHERE id > :f AND status = 'published'",
                f=first_id,
            )[0]
            span = (hi - lo).total_seconds() if lo and hi else 0
            out["relay"] = {
                "published": sent,
                "pending_left": pending,
                "wall_seconds_incl_start": round(wall, 1),
                "events_per_s": round(sent / span, 1) if span >= 1 else (round(sent / wall, 1) if wall else None),
            }
            if relay_profile:
                out["relay"]["profile"] = Profiler.finish(*relay_profile)
            log(
                f"backlog relay: {sent} published, {out['relay']['events_per_s']} events/s "
                f"({wall:.1f} s including the worker's start)"
            )
            for service in ("evaluation-service", "notification-service"):
                before = self.system.scalar(service, "SELECT count(*) FROM processed_events")
                t_start = datetime.now(UTC)
                t0 = time.monotonic()
                self.system.start_worker(service)
                deadline = t0 + self.drain_timebox
                done = 0
                profile = None
                while time.monotonic() < deadline:
                    done = self.system.scalar(service, "SELECT count(*) FROM processed_events") - before
                    if done >= sent:
                        break
                    self.system.ensure_alive(self.results["notes"])
                    if profile is None and done > 0:
                        profile = self.profile_worker(service, min(15.0, deadline - time.monotonic() - 1))
                    time.sleep(1)
                lo, hi, count = self.system.sql(
                    service,
                    "SELECT min(processed_at), max(processed_at), count(*) "
                    "FROM processed_events WHERE processed_at >= :t",
                    t=t_start,
                )[0]
                span = (hi - lo).total_seconds() if lo and hi else 0
                out[service] = {
                    "processed": count,
                    "of": sent,
                    "timebox_s": self.drain_timebox,
                    "wall_seconds_incl_start": round(time.monotonic() - t0, 1),
                    "events_per_s": round(count / span, 1) if span else None,
                    "finished": count >= sent,
                }
                if profile:
                    out[service]["profile"] = Profiler.finish(*profile)
                log(f"backlog {service}: {count} of {sent} in the time box, {out[service]['events_per_s']} events/s")
                self.sampler.record("load")
                self.system.stop_worker(service)
        finally:
            self.sampler.phase = None
        self.results["backlog"] = out


# -- profiles (py-spy) ------------------------------------------------------------------------------------

CATEGORIES = [  # (label, path prefixes of a frame's file); the first match walking from the leaf up wins
    ("logging", ("logging/", "pythonjsonlogger/")),
    ("json (stdlib)", ("json/",)),
    ("psycopg (driver)", ("psycopg/", "psycopg_binary/", "psycopg_pool/")),
    ("SQLAlchemy", ("sqlalchemy/",)),
    ("marshmallow", ("marshmallow/",)),
    ("flask-smorest/webargs/apispec", ("flask_smorest/", "webargs/", "apispec/")),
    ("PyJWT/cryptography", ("jwt/", "cryptography/")),
    ("jsonschema", ("jsonschema/", "referencing/", "rpds/", "jsonschema_specifications/")),
    ("kafka-python", ("kafka/",)),
    ("prometheus_client", ("prometheus_client/",)),
    ("Flask/Werkzeug", ("flask/", "werkzeug/")),
    ("gunicorn", ("gunicorn/",)),
    ("kinerja_shared", ("kinerja_shared/",)),
    ("service code", ("plan_service/", "activity_service/", "evaluation_service/", "notification_service/")),
    ("bench baseline", ("baseline_app.py",)),
]


def _category(file: str) -> str | None:
    for label, prefixes in CATEGORIES:
        if any(file.startswith(k) or "/" + k in file for k in prefixes):
            return label
    return None


def _project(file: str) -> bool:
    return _category(file) in ("kinerja_shared", "service code", "bench baseline")


def _short(file: str) -> str:
    return "/".join(file.split("site-packages/")[-1].split("/")[-2:])


def pyspy_binary() -> str | None:
    local = Path(sys.executable).parent / "py-spy"
    return str(local) if local.exists() else shutil.which("py-spy")


def parse_frame(frame: str) -> tuple[str, str]:
    """'log_activity (activity_service/api.py:201)' -> ('log_activity', 'activity_service/api.py')."""
    m = re.match(r"^(.*) \((.*?)(?::\d+)?\)$", frame.strip())
    return (m.group(1), m.group(2)) if m else (frame.strip(), "")


def summarise_profile(paths: list[Path]) -> dict:
    """CPU samples from py-spy raw (collapsed) files: per library (leaf-most match) and the hottest functions."""
    by_category: dict[str, int] = {}
    inclusive: dict[str, int] = {}
    leaf: dict[str, int] = {}
    total = 0
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                continue
            n = int(count)
            frames = [parse_frame(f) for f in stack.split(";")]
            total += n
            category = "other (stdlib)"
            for _func, file in reversed(frames):
                hit = _category(file)
                if hit:
                    category = hit
                    break
            by_category[category] = by_category.get(category, 0) + n
            lf = frames[-1]
            leaf_key = f"{lf[0]} ({_short(lf[1])})"
            leaf[leaf_key] = leaf.get(leaf_key, 0) + n
            seen = set()
            for func, file in frames:
                if _project(file):
                    key = f"{func} ({_short(file)})"
                    if key not in seen:
                        seen.add(key)
                        inclusive[key] = inclusive.get(key, 0) + n
    if not total:
        return {"samples": 0}

    def top(d: dict, k: int) -> list:
        return [[name, round(100.0 * v / total, 1)] for name, v in sorted(d.items(), key=lambda kv: -kv[1])[:k]]

    return {
        "samples": total,
        "by_library_pct": top(by_category, 20),
        "hottest_leaf_functions_pct": top(leaf, 15),
        "project_functions_inclusive_pct": top(inclusive, 20),
    }


class Profiler:
    def __init__(self, binary: str, work: Path):
        self.binary = binary
        self.work = work

    def start(self, label: str, pids: list[int], seconds: float) -> tuple[list, list[Path]]:
        procs, paths = [], []
        for pid in pids:
            path = self.work / f"profile-{re.sub(r'[^a-z0-9]+', '-', label.lower())}-{pid}.txt"
            procs.append(
                subprocess.Popen(
                    [
                        self.binary,
                        "record",
                        "--pid",
                        str(pid),
                        "--duration",
                        str(max(1, int(seconds))),
                        "--rate",
                        "100",
                        "--nonblocking",
                        "--format",
                        "raw",
                        "--output",
                        str(path),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            paths.append(path)
        time.sleep(0.5)
        return procs, paths

    @staticmethod
    def finish(procs: list, paths: list[Path]) -> dict:
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return summarise_profile(paths)


# -- targets and the README ------------------------------------------------------------------------------


def measured(results: dict) -> dict:
    m: dict = {}
    post = results.get("post") or {}
    if post:
        m["post_ratio_vs_baseline"] = post.get("median_ratio")
        m["post_p99_ms_32"] = post.get("candidate_median_p99_ms")
    if results.get("batch"):
        m["batch_activities_per_s"] = results["batch"]["best_activities_per_s"]
    lst = results.get("list") or {}
    if lst.get("runs"):
        at = [r for r in lst["runs"] if r["clients"] == 32] or lst["runs"]
        m["list_p99_ms_32"] = at[0]["p99_ms"]
    e2e = results.get("e2e") or {}
    if e2e.get("evaluation-service") and e2e.get("notification-service"):
        m["e2e_p50_ms"] = max(e2e[s].get("p50_ms", math.inf) for s in ("evaluation-service", "notification-service"))
        m["e2e_p99_ms"] = max(e2e[s].get("p99_ms", math.inf) for s in ("evaluation-service", "notification-service"))
    backlog = results.get("backlog") or {}
    if backlog.get("relay"):
        m["relay_events_per_s"] = backlog["relay"]["events_per_s"]
    rates = [backlog[s]["events_per_s"] for s in ("evaluation-service", "notification-service") if backlog.get(s)]
    if rates:
        m["consumer_events_per_s"] = min(r or 0 for r in rates)
    m.update(activity_growth.measured(results))
    load = (results.get("memory_mb") or {}).get("load") or {}
    if load:
        m["max_rss_mb_under_load"] = max(v for k, v in load.items() if not k.startswith("baseline"))
    return m


def verdicts(results: dict) -> dict:
    out = {}
    for key, value in measured(results).items():
        op, goal, text = TARGETS[key]
        if value is None:
            ok = False
        elif op == ">=":
            ok = value >= goal
        elif op == "<=":
            ok = value <= goal
        else:
            ok = value < goal
        factor = None
        if value:
            factor = round(value / goal, 2) if op == ">=" else round(goal / value, 2)
        out[key] = {
            "target": f"{op} {goal:g}",
            "measured": value,
            "met": ok,
            "what": text,
            "measured_over_target": factor,
        }
    return out


def fmt(value, digits: int = 0) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def markdown(results: dict) -> str:
    mc = results["machine"]
    lines = [
        f"Run `{results['file']}` ({results['mode']}, {results['elapsed_s']:.0f} s): {mc['nproc']} CPUs "
        f"({mc['cpu_model']}), {mc['memory_gb']} GB RAM, load average at start {mc['loadavg_at_start']} "
        f"(a shared virtual machine: the CPU probe of each run shows its speed then), Python {mc['python']}, "
        f"PostgreSQL {results['versions'].get('postgresql')}, {results['versions'].get('wrk')}.",
        "",
    ]
    lines += ["| target (issue 8) | goal | measured | verdict |", "|---|---|---|---|"]
    for key, v in results["verdicts"].items():
        value = v["measured"]
        shown = fmt(
            value, 2 if key == "post_ratio_vs_baseline" else (1 if isinstance(value, float) and value < 1000 else 0)
        )
        by = ""
        if not v["met"] and value:
            goal = TARGETS[key][1]
            by = (
                f" (reaches {value / goal:.2f}× of the goal)"
                if TARGETS[key][0] == ">="
                else f" ({value / goal:.1f}× the limit)"
            )
        lines.append(f"| {v['what']} | {v['target']} | {shown} | {'met' if v['met'] else 'MISSED' + by} |")
    lines.append("")
    post = results.get("post")
    rows = []
    if post:
        for r in post["runs"]:
            rows.append(
                (f"POST one activity ({r['target']})" + (f", pair {r['pair'] + 1}" if r["pair"] is not None else ""), r)
            )
    for name, title in (
        ("batch", "POST batch of 50"),
        ("list", "GET a month (~100 entries)"),
        ("dashboard", "GET unit dashboard"),
    ):
        for r in (results.get(name) or {}).get("runs", []):
            rows.append((title, r))
    if rows:
        lines += [
            "| endpoint | clients | req/s | p50 ms | p99 ms | errors | CPU ms/req web | CPU ms/req PostgreSQL "
            "| CPU probe Mops/s | load avg (1 min) |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for title, r in rows:
            rps = fmt(r["req_per_s"], 1) + (
                f" ({fmt(r['activities_per_s'], 0)} act/s)" if "activities_per_s" in r else ""
            )
            cpu = r.get("cpu_ms_per_request") or {}
            lines.append(
                f"| {title} | {r['clients']} | {rps} | {fmt(r['p50_ms'], 1)} | {fmt(r['p99_ms'], 1)} | "
                f"{r['non_2xx'] + r['socket_errors']} | {fmt(cpu.get('web'), 1)} | {fmt(cpu.get('postgres'), 1)} | "
                f"{fmt(r.get('cpu_probe_mops'), 2)} | {r['loadavg_before'][0]} |"
            )
        lines.append("")
    if post:
        lines.append(
            f"POST at {post['ab_clients']} clients, medians of {len(post['pair_ratios'])} A/B pairs: candidate "
            f"{fmt(post['candidate_median_rps'], 1)} req/s vs baseline {fmt(post['baseline_median_rps'], 1)} req/s, "
            f"ratio {post['median_ratio']} (pairs: {', '.join(str(x) for x in post['pair_ratios'])})."
        )
        cpu = {}
        for target in ("candidate", "baseline"):
            for part in ("web", "postgres"):
                values = [
                    r["cpu_ms_per_request"][part]
                    for r in post["runs"]
                    if r["target"] == target and (r.get("cpu_ms_per_request") or {}).get(part)
                ]
                cpu[(target, part)] = statistics.median(values) if values else None
        if cpu[("candidate", "web")] and cpu[("baseline", "web")]:
            pg = ""
            if cpu[("candidate", "postgres")] and cpu[("baseline", "postgres")]:
                pg = (
                    f"; PostgreSQL {cpu[('candidate', 'postgres')]:.1f} vs {cpu[('baseline', 'postgres')]:.1f} ms "
                    f"({cpu[('candidate', 'postgres')] / cpu[('baseline', 'postgres')]:.1f}×)"
                )
            lines.append(
                f"CPU per request, median of all POST runs: web {cpu[('candidate', 'web')]:.1f} ms (candidate) vs "
                f"{cpu[('baseline', 'web')]:.1f} ms (baseline),"
                f" {cpu[('candidate', 'web')] / cpu[('baseline', 'web')]:.1f}×"
                f"{pg}. On 2 cores that caps the candidate near"
                f" {2000 / (cpu[('candidate', 'web')] + (cpu[('candidate', 'postgres')] or 0)):.0f} "
                f"req/s and the baseline near"
                f" {2000 / (cpu[('baseline', 'web')] + (cpu[('baseline', 'postgres')] or 0)):.0f} req/s "
                "at this run's CPU speed."
            )
    extra = []
    pg = results.get("pgbench") or {}
    for r in pg.get("runs", []):
        extra.append(
            f"pgbench one-row insert, {r['clients']} clients: {fmt(r['tps'], 0)} inserts/s "
            f"(avg {fmt(r['latency_avg_ms'], 2)} ms)"
        )
    if post and pg.get("runs"):
        at = [r for r in pg["runs"] if r["clients"] == post["ab_clients"]]
        if at and at[0]["tps"]:
            extra.append(
                f"baseline / pgbench at {post['ab_clients']} clients: "
                f"{post['baseline_median_rps'] / at[0]['tps'] * 100:.1f} %; candidate / pgbench: "
                f"{post['candidate_median_rps'] / at[0]['tps'] * 100:.1f} %"
            )
    k = results.get("kafka")
    if k:
        variants = "; ".join(
            f"{name}: {fmt(v, 0)} msgs/s" for name, v in k.get("producer_variants_msgs_per_s", {}).items()
        )
        extra.append(
            f"kafka-python raw against the same broker ({k['payload_bytes']} B messages, 3 partitions): producer "
            f"{variants or fmt(k['producer_msgs_per_s'], 0)}; consumer {fmt(k['consumer_msgs_per_s'], 0)} msgs/s"
        )
    extra.extend(latency_curve.bullet_lines(results))
    b = results.get("backlog")
    if b and b.get("relay"):
        extra.append(
            f"backlog of {b['events']:,}: relay {fmt(b['relay']['events_per_s'], 0)} events/s; "
            + "; ".join(
                f"{s} {fmt(b[s]['events_per_s'], 0)} events/s ({b[s]['processed']:,} in "
                f"{b[s]['wall_seconds_incl_start']} s{'' if b[s]['finished'] else ', time box'})"
                for s in ("evaluation-service", "notification-service")
                if b.get(s)
            )
        )
    seed = results.get("seed")
    if seed:
        extra.append(
            f"seeding through the APIs: {seed['employees']} employees, plans created+submitted+approved at "
            f"{seed['plans_per_s_create_submit_approve']} plans/s"
        )
    if extra:
        lines += ["- " + e for e in extra] + [""]
    lines += latency_curve.table_lines(results)
    lines += activity_growth.markdown_lines(results)
    lines += charts.markdown_lines([RESULTS / name for name in results.get("charts", [])], BENCH)
    profiles = []
    for label, summary in (results.get("profile") or {}).items():
        if isinstance(summary, dict) and summary.get("by_library_pct"):
            profiles.append((label + " (web workers)", summary))
    for key, label in (
        ("relay", "outbox relay"),
        ("evaluation-service", "evaluation consumer"),
        ("notification-service", "notification consumer"),
    ):
        summary = ((results.get("backlog") or {}).get(key) or {}).get("profile")
        if summary and summary.get("by_library_pct"):
            profiles.append((label + " (worker, backlog drain)", summary))
    if profiles:
        lines += [
            "Where the CPU goes (py-spy, share of CPU samples by the leaf-most library on the stack; hottest "
            "project functions inclusive):",
            "",
        ]
        for label, summary in profiles:
            libs = ", ".join(f"{n} {p}%" for n, p in summary["by_library_pct"][:7])
            funcs = ", ".join(
                f"`{n.split(' (')[0]}` {p}%"
                for n, p in [x for x in summary.get("project_functions_inclusive_pct", []) if x[1] < 75][:7]
            )
            lines.append(f"- {label}: {libs}." + (f" Inclusive: {funcs}." if funcs else ""))
        lines.append("")
    mem = results.get("memory_mb") or {}
    if mem.get("load") or mem.get("idle"):
        labels = sorted(set(mem.get("idle", {})) | set(mem.get("load", {})))
        lines += ["| process | RSS idle MB | RSS max under load MB |", "|---|---|---|"]
        for label in labels:
            lines.append(
                f"| {label} | {fmt(mem.get('idle', {}).get(label), 1)} | {fmt(mem.get('load', {}).get(label), 1)} |"
            )
        lines.append("")
    for note in results.get("notes", []):
        lines.append(f"Note: {note}")
    return "\n".join(lines).rstrip() + "\n"


def history_table() -> str:
    rows = [
        "| run | mode | load avg at start | POST ratio | POST p99 ms | batch act/s |"
        " list p99 ms | e2e p99 ms | relay ev/s | "
        "consumer ev/s | max RSS MB | e2e max req/s | batch empty/filled | growth POST / list |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for path in sorted(RESULTS.glob("*.json")):
        if not RUN_FILE.match(path.name):  # other benchmarks in bench/ write their own files here
            continue
        try:
            r = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if "machine" not in r or "loadavg_at_start" not in r["machine"]:
            continue
        m = {k: v["measured"] for k, v in r.get("verdicts", {}).items()}
        rows.append(
            f"| {path.name} | {r.get('mode')} | {r['machine']['loadavg_at_start'][0]}"
            f" | {fmt(m.get('post_ratio_vs_baseline'), 2)} "
            f"| {fmt(m.get('post_p99_ms_32'), 0)} | {fmt(m.get('batch_activities_per_s'), 0)}"
            f" | {fmt(m.get('list_p99_ms_32'), 0)} "
            f"| {fmt(m.get('e2e_p99_ms'), 0)} | {fmt(m.get('relay_events_per_s'), 0)}"
            f" | {fmt(m.get('consumer_events_per_s'), 0)} "
            f"| {fmt(m.get('max_rss_mb_under_load'), 0)} "
            f"| {fmt((r.get('e2e') or {}).get('max_sustainable_rps'), 0)} "
            f"| {fmt(m.get('batch_empty_vs_filled'), 2)} "
            f"| {fmt(m.get('growth_post_p99_ratio'), 2)} / {fmt(m.get('growth_list_p99_ratio'), 2)} |"
        )
    return "\n".join(rows) + "\n"


def draw_charts(results: dict, stem: str) -> None:
    """PNG charts beside the results file (bench/charts.py); their names go into results["charts"]."""
    try:
        paths = charts.draw(results, stem, RESULTS)
    except ImportError as exc:  # matplotlib is a dev tool (make install); the bench runs without it
        log(f"charts skipped: {exc}")
        return
    results["charts"] = [p.name for p in paths]
    for p in paths:
        log(f"chart: {p} ({p.stat().st_size // 1024} KB)")


def update_readme(results: dict) -> None:
    text = (
        README.read_text()
        if README.exists()
        else "# Benchmarks\n\n<!-- latest:start -->\n<!-- latest:end -->\n\n"
        "<!-- history:start -->\n<!-- history:end -->\n"
    )
    for name, body in (("latest", markdown(results)), ("history", history_table())):
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        if start in text and end in text:
            head, rest = text.split(start, 1)
            text = head + start + "\n" + body + end + rest.split(end, 1)[1]
        else:
            text += f"\n{start}\n{body}{end}\n"
    README.write_text(text)


# -- main -----------------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description=__doc__.split("\n\n")[0],
        epilog="Sections: " + ", ".join(SECTIONS) + ". Results: bench/results/<UTC>.json and bench/README.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="short runs (5 s), 120 employees, a 20,000-event backlog")
    parser.add_argument("--duration", type=float, default=None, help="seconds per load run (default 10, quick 5)")
    parser.add_argument("--clients", default="8,32,64", help="concurrent clients, comma-separated (default 8,32,64)")
    parser.add_argument("--pairs", type=int, default=3, help="baseline/candidate A-B pairs at 32 clients (default 3)")
    parser.add_argument("--only", default=None, help="comma-separated sections to run: " + ",".join(SECTIONS))
    parser.add_argument("--employees", type=int, default=None, help="employees to seed (default 300, quick 120)")
    parser.add_argument(
        "--backlog", type=int, default=None, help="events in the backlog drain (default 100000, quick 20000)"
    )
    parser.add_argument(
        "--growth-rows",
        default=None,
        help="section growth: activities table sizes, comma-separated (default 100000,10000000; quick 20000,200000)",
    )
    parser.add_argument(
        "--shared-buffers",
        default=None,
        metavar="SIZE",
        help="shared_buffers of the PostgreSQL the bench starts, e.g. 128MB (default "
        f"{PG_SETTINGS['shared_buffers']}: a quarter of this machine's memory, at most 8GB)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile with py-spy (if installed): the webs at 32 clients and the workers' drain",
    )
    parser.add_argument(
        "--keep-logs", action="store_true", help="keep the processes' logs (printed path) after the run"
    )
    parser.add_argument("--no-readme", action="store_true", help="write the JSON only, leave bench/README.md alone")
    parser.add_argument(
        "--render",
        metavar="RESULTS_JSON",
        default=None,
        help="run nothing: rebuild bench/README.md's tables from a recorded results file",
    )
    args = parser.parse_args(argv)
    try:
        args.clients = sorted({int(c) for c in args.clients.split(",") if c.strip()})
    except ValueError:
        parser.error("--clients takes numbers, e.g. 8,32,64")
    if not args.clients or min(args.clients) < 1:
        parser.error("--clients needs at least one positive number")
    if args.only:
        args.only = [s.strip() for s in args.only.split(",") if s.strip()]
        unknown = [s for s in args.only if s not in SECTIONS]
        if unknown:
            parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    if args.growth_rows:
        try:
            args.growth_rows = activity_growth.parse_sizes(args.growth_rows)
        except ValueError as exc:
            parser.error(str(exc))
    if args.pairs < 1:
        parser.error("--pairs must be at least 1")
    if args.shared_buffers:
        if not re.fullmatch(r"\d+(kB|MB|GB)", args.shared_buffers):
            parser.error("--shared-buffers takes a size in kB, MB or GB, e.g. 128MB")
        PG_SETTINGS["shared_buffers"] = args.shared_buffers  # read when the bench starts its PostgreSQL
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.render:
        results = json.loads(Path(args.render).read_text())
        results["verdicts"] = verdicts(results)
        draw_charts(results, Path(results.get("file") or args.render).stem)
        update_readme(results)
        print(markdown(results))
        return 0
    sys.path.insert(0, str(ROOT))

    def stop(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    bench = Bench(args)
    failed = None
    try:
        bench.run()
    except KeyboardInterrupt as exc:
        failed = f"interrupted ({exc})"
    except Exception as exc:  # noqa: BLE001 - record what was measured before the failure
        import traceback

        traceback.print_exc()
        failed = f"{type(exc).__name__}: {exc}"
    results = bench.results
    if failed:
        results["notes"].append(f"the run stopped early: {failed}")
    results["verdicts"] = verdicts(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    path = RESULTS / f"{stamp}.json"
    results["file"] = path.name
    draw_charts(results, stamp)
    results.setdefault("elapsed_s", 0.0)
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    if not args.no_readme:
        update_readme(results)
    print()
    print(markdown(results))
    log(f"results: {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
