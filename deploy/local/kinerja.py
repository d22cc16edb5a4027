#!/usr/bin/env python3
"""kinerja.py: run the whole Kinerja system on this machine, on its embedded defaults.

    python deploy/local/kinerja.py up       start Kafka, migrate, start 4 x (web + worker) and the gateway, seed, print URLs and tokens
    python deploy/local/kinerja.py down     stop every process it started (and the local Kafka)
    python deploy/local/kinerja.py status   what runs, with pids and readiness
    python deploy/local/kinerja.py logs     follow the logs of every process in one stream
    python deploy/local/kinerja.py tokens   print development tokens for the demo users

Run it through `make run` / `make stop` / `make status` / `make logs`, which create the
virtual environment first. Everything lives under .run/local/ (SQLite files, logs, pids).
Set DATABASE_URL_TEMPLATE (e.g. postgresql://kinerja@127.0.0.1/kinerja_{service}) to use
PostgreSQL instead of SQLite: {service} becomes plan, activity, evaluation or notification.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE = ROOT / ".run" / "local"
PIDS = STATE / "pids.json"
LOGS = STATE / "logs"
BIN = Path(sys.executable).parent
KAFKA_PORT = int(os.environ.get("KINERJA_KAFKA_PORT", "19092"))
GATEWAY_PORT = int(os.environ.get("KINERJA_GATEWAY_PORT", "8000"))


def say(message: str) -> None:
    print(f"[kinerja] {message}", flush=True)


def fail(message: str) -> None:
    print(f"[kinerja] ERROR: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def port_busy(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def load_pids() -> dict:
    try:
        return json.loads(PIDS.read_text())
    except (OSError, ValueError):
        return {}


def service_env(service: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("KINERJA_DATA_DIR", str(STATE / "data"))
    env.setdefault("KAFKA_BOOTSTRAP_SERVERS", f"127.0.0.1:{KAFKA_PORT}")
    env.setdefault("WEB_CONCURRENCY", "2")
    template = os.environ.get("DATABASE_URL_TEMPLATE")
    if template:
        env["DATABASE_URL"] = template.format(service=service.removesuffix("-service"))
    else:
        env.pop("DATABASE_URL", None)
    return env


def gateway_env() -> dict[str, str]:
    """The gateway in front of the local services; development sign-in is on unless set otherwise."""
    from kinerja_shared.processes import SERVICES

    env = dict(os.environ)
    env.setdefault("KINERJA_DEV_SIGNIN", "true")
    for service, port in SERVICES.items():
        env.setdefault(service.removesuffix("-service").upper() + "_SERVICE_URL", f"http://127.0.0.1:{port}")
    return env


def cmd_up(args) -> None:
    from kinerja_shared.processes import SERVICES, ManagedProcess, migrate, pid_alive, service_processes, wait_ready

    running = {name: pid for name, pid in load_pids().items() if pid_alive(pid)}
    if running:
        say(f"already running ({len(running)} processes); `make status` shows them, `make stop` stops them")
        if not args.no_seed:
            seed()
        print_access()
        return
    if not shutil.which("java"):
        fail("Java 17+ is needed for the local Kafka broker: install it (Debian: apt-get install openjdk-17-jre-headless) and retry")
    busy = [p for p in [GATEWAY_PORT, *SERVICES.values()] if port_busy(p)]
    if busy:
        fail(f"port(s) {', '.join(map(str, busy))} are in use by another program; stop it or free the port(s) and retry")
    STATE.mkdir(parents=True, exist_ok=True)

    say("starting the local Kafka broker (first run downloads the jars from Maven Central, about 30 s)")
    kafka = subprocess.run(["bash", str(ROOT / "deploy/kafka/kafka.sh"), "start", "--port", str(KAFKA_PORT)], text=True,
                           capture_output=True)
    if kafka.returncode != 0:
        fail(f"Kafka did not start:\n{kafka.stdout[-2000:]}{kafka.stderr[-2000:]}")
    say(f"Kafka ready on 127.0.0.1:{KAFKA_PORT}")

    pids = {}
    for service, port in SERVICES.items():
        env = service_env(service)
        say(f"{service}: migrating the database")
        migrate(BIN, service, env, LOGS / f"{service}.migrate.log")
        say(f"{service}: creating topics")
        subprocess.run([str(BIN / service), "topics"], env=env, check=True, capture_output=True, timeout=180)
        for process in service_processes(BIN, service, port, env, LOGS):
            process.start()
            pids[process.name] = process.pid
        PIDS.write_text(json.dumps(pids, indent=2))
    for service, port in SERVICES.items():
        try:
            wait_ready(f"http://127.0.0.1:{port}", timeout=90)
        except TimeoutError as exc:
            fail(f"{service} did not become ready: {exc}; see {LOGS}/{service}.web.log")
        say(f"{service}: ready on http://127.0.0.1:{port}")
    gateway = ManagedProcess("gateway", [str(BIN / "python"), str(ROOT / "deploy/gateway/gateway.py"), "--bind",
                                         f"127.0.0.1:{GATEWAY_PORT}"], gateway_env(), LOGS / "gateway.log").start()
    pids[gateway.name] = gateway.pid
    PIDS.write_text(json.dumps(pids, indent=2))
    try:
        wait_ready(f"http://127.0.0.1:{GATEWAY_PORT}", timeout=30, path="/healthz")
    except TimeoutError as exc:
        fail(f"the gateway did not start: {exc}; see {LOGS}/gateway.log")
    say(f"gateway (web console): ready on http://127.0.0.1:{GATEWAY_PORT}")
    if not args.no_seed:
        seed()
    print_access()


def seed() -> None:
    say("seeding the demo organisation, Kota Binjai (safe to repeat)")
    if subprocess.run([str(BIN / "python"), str(ROOT / "deploy/local/seed.py")]).returncode != 0:
        fail(f"seeding failed (see above); the services keep running: fix and rerun `make run`, or see {LOGS.relative_to(ROOT)}/")


def print_access() -> None:
    from kinerja_shared.processes import SERVICES

    print()
    print(f"  {'web console':22s} http://127.0.0.1:{GATEWAY_PORT}/   (sign in as a demo user; the APIs under /api/v1/)")
    for service, port in SERVICES.items():
        print(f"  {service:22s} http://127.0.0.1:{port}/docs   (OpenAPI: /openapi.json)")
    print()
    cmd_tokens(None)
    print(f"\n  logs: make logs    status: make status    stop: make stop    state: {STATE.relative_to(ROOT)}/")


def cmd_tokens(_args) -> None:
    sys.path.insert(0, str(ROOT / "deploy/local"))
    from seed import DEMO_USERS

    from kinerja_shared.auth import mint_token
    from kinerja_shared.config import Settings

    settings = Settings.from_env("local-runner")
    print("  Development tokens (valid 8 hours; export one and call the APIs with  -H \"Authorization: Bearer $TOKEN\"):")
    for role, user in DEMO_USERS.items():
        token = mint_token(settings, sub=user["nip"], name=user["name"], unit=user["unit"], roles=user["roles"])
        print(f"  {role.upper()}_TOKEN={token}    # {user['name']} ({user['nip']})")


def cmd_down(_args) -> None:
    from kinerja_shared.processes import ManagedProcess

    pids = load_pids()
    for name, pid in pids.items():
        ManagedProcess(name, [], {}, LOGS / "unused", pid=pid).stop()
        say(f"stopped {name}")
    if PIDS.exists():
        PIDS.unlink()
    subprocess.run(["bash", str(ROOT / "deploy/kafka/kafka.sh"), "stop"], check=False)
    say("everything is stopped")


def cmd_reset(args) -> None:
    """Training mode (Mode Latihan): back to the freshly seeded Kota Binjai demo, for the next workshop."""
    if os.environ.get("DATABASE_URL_TEMPLATE"):
        fail("reset only wipes the local SQLite files; with DATABASE_URL_TEMPLATE drop and recreate the "
             "kinerja_<service> databases yourself, then run `make run`")
    cmd_down(args)
    shutil.rmtree(STATE / "data", ignore_errors=True)
    subprocess.run(["bash", str(ROOT / "deploy/kafka/kafka.sh"), "wipe"], check=False)
    say("demo data and the broker's log are wiped; starting again with fresh Kota Binjai data")
    args.no_seed = False
    cmd_up(args)


def cmd_status(_args) -> None:
    from kinerja_shared.processes import SERVICES, pid_alive, wait_ready

    pids = load_pids()
    if not pids:
        say("not running (`make run` starts it)")
    for name, pid in pids.items():
        print(f"  {name:30s} pid {pid:<8} {'running' if pid_alive(pid) else 'STOPPED'}")
    for service, port in SERVICES.items():
        try:
            ready = wait_ready(f"http://127.0.0.1:{port}", timeout=1)
            print(f"  {service:30s} ready  {ready.get('checks')}")
        except TimeoutError as exc:
            print(f"  {service:30s} NOT READY ({str(exc)[-120:]})")
    try:
        wait_ready(f"http://127.0.0.1:{GATEWAY_PORT}", timeout=1, path="/healthz")
        print(f"  {'gateway':30s} ready  http://127.0.0.1:{GATEWAY_PORT}/")
    except TimeoutError:
        print(f"  {'gateway':30s} NOT READY")
    subprocess.run(["bash", str(ROOT / "deploy/kafka/kafka.sh"), "status"], check=False)


def cmd_logs(_args) -> None:
    files = sorted(LOGS.glob("*.log"))
    if not files:
        fail("no logs yet: start the system with `make run`")
    os.execvp("tail", ["tail", "-n", "20", "-F", *map(str, files)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start everything (safe to run twice)")
    up.add_argument("--no-seed", action="store_true", help="do not load the Kota Binjai demo data")
    up.set_defaults(fn=cmd_up)
    sub.add_parser("down", help="stop everything this runner started").set_defaults(fn=cmd_down)
    sub.add_parser("reset", help="training mode: stop, wipe the demo data and the local broker, start and seed again"
                   ).set_defaults(fn=cmd_reset)
    sub.add_parser("status", help="show processes and readiness").set_defaults(fn=cmd_status)
    sub.add_parser("logs", help="follow all logs").set_defaults(fn=cmd_logs)
    sub.add_parser("tokens", help="print development tokens for the demo users").set_defaults(fn=cmd_tokens)
    args = parser.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
