#!/usr/bin/env python3
"""kinerja.py: run the whole Kinerja system on this machine, on its embedded defaults.

    python deploy/local/kinerja.py up       start Kafka, migrate, start 4 x (web + worker) and the gateway, seed,
                                            print URLs and tokens
    python deploy/local/kinerja.py down     stop every process it started (and the local Kafka)
    python deploy/local/kinerja.py status   what runs, with pids and readiness
    python deploy/local/kinerja.py logs     follow the logs of every process in one stream
    python deploy/local/kinerja.py tokens   print development tokens for the demo users

Run it through `make run` / `make stop` / `make status` / `make logs`, which create the
virtual environment first. `make run AUTH=keycloak` (or `up --auth keycloak`, or KINERJA_AUTH=keycloak)
signs in through a local Keycloak (deploy/keycloak/keycloak.sh, the Kota Binjai realm) instead of
the development sign-in: the services verify its tokens through the realm's JWKS and the console
signs in with authorization code + PKCE; the demo users' passwords are printed. Everything lives under
.run/local/ (SQLite files, logs, pids).
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE = ROOT / ".run" / "local"
PIDS = STATE / "pids.json"
LOGS = STATE / "logs"
BIN = Path(sys.executable).parent
KAFKA_PORT = int(os.environ.get("KINERJA_KAFKA_PORT", "19092"))
GATEWAY_PORT = int(os.environ.get("KINERJA_GATEWAY_PORT", "8000"))
KEYCLOAK_PORT = int(os.environ.get("KINERJA_KEYCLOAK_PORT", "18080"))
SIASN_PORT = int(os.environ.get("KINERJA_SIASN_PORT", "8090"))
SIASN_FILE = STATE / "siasn"  # "contract" while the SIASN channel sends to the local contract server
KEYCLOAK_DIR = ROOT / ".run" / "keycloak"
KEYCLOAK_REALM = "binjai"
AUTH_FILE = STATE / "auth"
# deploy/keycloak/realm-binjai.json: user name = NIP, these passwords (development only)
KEYCLOAK_PASSWORDS = {
    "admin": "kinerja-admin",
    "unit_head": "kinerja-unit-head",
    "rater": "kinerja-rater",
    "employee": "kinerja-employee",
}


def keycloak_issuer() -> str:
    return f"http://127.0.0.1:{KEYCLOAK_PORT}/realms/{KEYCLOAK_REALM}"


def keycloak_env() -> dict[str, str]:
    """What the web processes need to verify the local realm's tokens (docs/operations.md)."""
    return {
        "JWT_JWKS_URL": keycloak_issuer() + "/protocol/openid-connect/certs",
        "JWT_ISSUER": keycloak_issuer(),
        "JWT_AUDIENCE": "kinerja-api",
        "JWT_NIP_CLAIM": "nip",
        "JWT_ROLES_CLAIM": "roles",
        "JWT_SECRET": "",
    }


def running_auth() -> str:
    try:
        return AUTH_FILE.read_text().strip() or "dev"
    except OSError:
        return "dev"


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


def siasn_env() -> dict[str, str]:
    """With ``make run SIASN=contract``: notification-service's SIASN channel sends to the local contract server
    (tests/siasn/contract_server.py, a stand-in of BKN's web services; never used in production)."""
    if not SIASN_FILE.exists():
        return {}
    sys.path.insert(0, str(ROOT))
    try:
        from tests.siasn.contract_server import channel_env
    finally:
        sys.path.pop(0)
    return {**channel_env(f"http://127.0.0.1:{SIASN_PORT}"), "SIASN_POLL_SECONDS": "1"}


def service_env(service: str) -> dict[str, str]:
    env = dict(os.environ)
    if service == "notification-service":
        env.update(siasn_env())
    env.setdefault("KINERJA_DATA_DIR", str(STATE / "data"))
    env.setdefault("KAFKA_BOOTSTRAP_SERVERS", f"127.0.0.1:{KAFKA_PORT}")
    env.setdefault("WEB_CONCURRENCY", "2")
    template = os.environ.get("DATABASE_URL_TEMPLATE")
    if template:
        env["DATABASE_URL"] = template.format(service=service.removesuffix("-service"))
    else:
        env.pop("DATABASE_URL", None)
    return env


def gateway_env(auth: str = "dev") -> dict[str, str]:
    """The gateway in front of the local services; development sign-in is on unless set otherwise
    (off with Keycloak: the console signs in through the realm, served from a copy of web/ whose
    config.js names it)."""
    from kinerja_shared.processes import SERVICES

    env = dict(os.environ)
    if auth == "keycloak":
        env["KINERJA_DEV_SIGNIN"] = "false"
        env["GATEWAY_WEB_ROOT"] = str(console_for_keycloak())
    env.setdefault("KINERJA_DEV_SIGNIN", "true")
    for service, port in SERVICES.items():
        env.setdefault(service.removesuffix("-service").upper() + "_SERVICE_URL", f"http://127.0.0.1:{port}")
    return env


def console_for_keycloak(target: Path | None = None, issuer: str | None = None) -> Path:
    """.run/local/web: the console's files with a config.js that signs in through the local realm."""
    target = target or STATE / "web"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for entry in (ROOT / "web").iterdir():
        if (
            entry.name in ("node_modules", "tests", "config.js")
            or entry.name.startswith(".")
            or entry.suffix == ".json"
        ):
            continue
        (shutil.copytree if entry.is_dir() else shutil.copy2)(entry, target / entry.name)
    oidc = {
        "issuer": issuer or keycloak_issuer(),
        "clientId": "kinerja-console",
        "scope": "openid profile",
        "nipClaim": "nip",
        "rolesClaim": "roles",
    }
    (target / "config.js").write_text(
        "// Generated by deploy/local/kinerja.py (make run AUTH=keycloak): sign in through the local Keycloak.\n"
        f"window.KINERJA_CONFIG = Object.assign({{ oidc: {json.dumps(oidc)}, trainingMode: false }}, "
        "window.KINERJA_CONFIG || {});\n"
    )
    return target


def start_keycloak() -> subprocess.Popen:
    say(
        f"starting Keycloak on 127.0.0.1:{KEYCLOAK_PORT} (first run downloads it from Maven Central, about 165 MB; "
        "it needs Java 21+)"
    )
    return subprocess.Popen(
        [
            "bash",
            str(ROOT / "deploy/keycloak/keycloak.sh"),
            "start",
            "--dir",
            str(KEYCLOAK_DIR),
            "--port",
            str(KEYCLOAK_PORT),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def services_ready(how: str) -> None:
    from kinerja_shared.processes import SERVICES, wait_ready

    for service, port in SERVICES.items():
        try:
            wait_ready(f"http://127.0.0.1:{port}", timeout=90)
        except TimeoutError as exc:
            fail(f"{service} did not become ready{how}: {exc}; see {LOGS}/{service}.web.log")
        say(f"{service}: ready on http://127.0.0.1:{port}{how}")


def cmd_up(args) -> None:
    from kinerja_shared.processes import SERVICES, ManagedProcess, migrate, pid_alive, service_processes, wait_ready

    auth = (getattr(args, "auth", None) or os.environ.get("KINERJA_AUTH") or "dev").lower()
    if auth not in ("dev", "keycloak"):
        fail(f"AUTH must be dev or keycloak, got {auth!r}")
    running = {name: pid for name, pid in load_pids().items() if pid_alive(pid)}
    if running:
        say(
            f"already running ({len(running)} processes, sign-in: {running_auth()}); `make status` shows them, "
            "`make stop` stops them"
        )
        if running_auth() != auth:
            say(f"it runs with AUTH={running_auth()}: `make stop` first to switch to AUTH={auth}")
        if not args.no_seed and running_auth() == "dev":
            seed()
        print_access()
        return
    if not shutil.which("java"):
        fail(
            "Java 17+ is needed for the local Kafka broker: install it"
            " (Debian: apt-get install openjdk-17-jre-headless) and retry"
        )
    busy = [p for p in [GATEWAY_PORT, *SERVICES.values()] if port_busy(p)]
    if busy:
        fail(
            f"port(s) {', '.join(map(str, busy))} are in use by another program; stop it or free the port(s) and retry"
        )
    STATE.mkdir(parents=True, exist_ok=True)

    siasn = (getattr(args, "siasn", None) or os.environ.get("KINERJA_SIASN") or "off").lower()
    if siasn not in ("off", "contract"):
        fail(f"SIASN must be off or contract, got {siasn!r}")
    keycloak = start_keycloak() if auth == "keycloak" else None
    pids = {}
    SIASN_FILE.unlink(missing_ok=True)
    if siasn == "contract":
        contract = ManagedProcess(
            "siasn-contract",
            [str(BIN / "python"), str(ROOT / "tests/siasn/contract_server.py"), "--port", str(SIASN_PORT)],
            dict(os.environ),
            LOGS / "siasn-contract.log",
        ).start()
        pids[contract.name] = contract.pid
        SIASN_FILE.write_text("contract")
        say(
            f"SIASN contract server on http://127.0.0.1:{SIASN_PORT}/apisiasn/1.0: closed evaluations flow to it "
            "(admin console: Kiriman SIASN)"
        )
    say("starting the local Kafka broker (first run downloads the jars from Maven Central, about 30 s)")
    kafka = subprocess.run(
        ["bash", str(ROOT / "deploy/kafka/kafka.sh"), "start", "--port", str(KAFKA_PORT)],
        text=True,
        capture_output=True,
    )
    if kafka.returncode != 0:
        fail(f"Kafka did not start:\n{kafka.stdout[-2000:]}{kafka.stderr[-2000:]}")
    say(f"Kafka ready on 127.0.0.1:{KAFKA_PORT}")

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
    services_ready("")
    if not args.no_seed:  # with development tokens, before the web processes switch to Keycloak's
        seed()
    if keycloak is not None:
        output, _ = keycloak.communicate()
        if keycloak.returncode != 0:
            fail(f"Keycloak did not start:\n{output[-3000:]}")
        say(f"Keycloak ready: {keycloak_issuer()} (admin console http://127.0.0.1:{KEYCLOAK_PORT}/admin, admin/admin)")
        for service, port in SERVICES.items():  # the web processes verify tokens: restart them on the realm's keys
            name = f"{service}.web"
            ManagedProcess(name, [], {}, LOGS / "unused", pid=pids[name]).stop()
            web = next(
                p
                for p in service_processes(BIN, service, port, {**service_env(service), **keycloak_env()}, LOGS)
                if p.name == name
            )
            web.start()
            pids[name] = web.pid
            PIDS.write_text(json.dumps(pids, indent=2))
        services_ready(" on the Keycloak realm's keys (JWKS)")
    AUTH_FILE.write_text(auth)
    gateway = ManagedProcess(
        "gateway",
        [str(BIN / "python"), str(ROOT / "deploy/gateway/gateway.py"), "--bind", f"127.0.0.1:{GATEWAY_PORT}"],
        gateway_env(auth),
        LOGS / "gateway.log",
    ).start()
    pids[gateway.name] = gateway.pid
    PIDS.write_text(json.dumps(pids, indent=2))
    try:
        wait_ready(f"http://127.0.0.1:{GATEWAY_PORT}", timeout=30, path="/healthz")
    except TimeoutError as exc:
        fail(f"the gateway did not start: {exc}; see {LOGS}/gateway.log")
    say(f"gateway (web console): ready on http://127.0.0.1:{GATEWAY_PORT}")
    print_access()


def seed() -> None:
    say("seeding the demo organisation, Kota Binjai (safe to repeat)")
    from kinerja_shared.config import Settings

    # the months before activity-service's edit window are written with its own code (seed.backfill)
    env = {
        **os.environ,
        "ACTIVITY_DATABASE_URL": Settings.from_env("activity-service", service_env("activity-service")).database_url,
    }
    if subprocess.run([str(BIN / "python"), str(ROOT / "deploy/local/seed.py")], env=env).returncode != 0:
        fail(
            "seeding failed (see above); the services keep running: fix and rerun `make run`,"
            f" or see {LOGS.relative_to(ROOT)}/"
        )


def print_access() -> None:
    from kinerja_shared.processes import SERVICES

    print()
    keycloak = running_auth() == "keycloak"
    how = "sign in through Keycloak with a password below" if keycloak else "sign in as a demo user"
    print(f"  {'web console':22s} http://127.0.0.1:{GATEWAY_PORT}/   ({how}; the APIs under /api/v1/)")
    for service, port in SERVICES.items():
        print(f"  {service:22s} http://127.0.0.1:{port}/docs   (OpenAPI: /openapi.json)")
    print()
    if keycloak:
        print_keycloak_users()
    else:
        cmd_tokens(None)
    print(f"\n  logs: make logs    status: make status    stop: make stop    state: {STATE.relative_to(ROOT)}/")


def print_keycloak_users() -> None:
    sys.path.insert(0, str(ROOT / "deploy/local"))
    from seed import DEMO_USERS

    print(f"  Keycloak realm {keycloak_issuer()}  (user name = NIP; development passwords):")
    for role, user in DEMO_USERS.items():
        print(f"  {role:10s} {user['nip']}  password {KEYCLOAK_PASSWORDS[role]:18s} # {user['name']}")
    token_url = keycloak_issuer() + "/protocol/openid-connect/token"
    print("  A token for curl (the test client allows the password grant):")
    print(
        f"  EMPLOYEE_TOKEN=$(curl -s -d grant_type=password -d client_id=kinerja-test -d username="
        f"{DEMO_USERS['employee']['nip']} -d password={KEYCLOAK_PASSWORDS['employee']} {token_url} | "
        "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')"
    )


def cmd_tokens(_args) -> None:
    if running_auth() == "keycloak":
        print_keycloak_users()
        return
    sys.path.insert(0, str(ROOT / "deploy/local"))
    from seed import DEMO_USERS

    from kinerja_shared.auth import mint_token
    from kinerja_shared.config import Settings

    settings = Settings.from_env("local-runner")
    print('  Development tokens (valid 8 hours; export one and call the APIs with  -H "Authorization: Bearer $TOKEN"):')
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
    if (KEYCLOAK_DIR / "keycloak.env").exists():
        subprocess.run(
            ["bash", str(ROOT / "deploy/keycloak/keycloak.sh"), "stop", "--dir", str(KEYCLOAK_DIR)], check=False
        )
    AUTH_FILE.unlink(missing_ok=True)
    SIASN_FILE.unlink(missing_ok=True)
    say("everything is stopped")


def cmd_reset(args) -> None:
    """Training mode (Mode Latihan): back to the freshly seeded Kota Binjai demo, for the next workshop."""
    if os.environ.get("DATABASE_URL_TEMPLATE"):
        fail(
            "reset only wipes the local SQLite files; with DATABASE_URL_TEMPLATE drop and recreate the "
            "kinerja_<service> databases yourself, then run `make run`"
        )
    args.auth = running_auth() if load_pids() else None  # the sign-in it ran with
    cmd_down(args)
    shutil.rmtree(STATE / "data", ignore_errors=True)
    subprocess.run(["bash", str(ROOT / "deploy/kafka/kafka.sh"), "wipe"], check=False)
    if (KEYCLOAK_DIR / "keycloak.env").exists():  # the realm back as deploy/keycloak/realm-binjai.json has it
        subprocess.run(
            ["bash", str(ROOT / "deploy/keycloak/keycloak.sh"), "wipe", "--dir", str(KEYCLOAK_DIR)], check=False
        )
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
    if running_auth() == "keycloak":
        subprocess.run(
            ["bash", str(ROOT / "deploy/keycloak/keycloak.sh"), "status", "--dir", str(KEYCLOAK_DIR)], check=False
        )


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
    up.add_argument(
        "--auth",
        choices=["dev", "keycloak"],
        help="sign-in: dev (default, KINERJA_AUTH) or keycloak (a local Keycloak, realm binjai)",
    )
    up.add_argument(
        "--siasn",
        choices=["off", "contract"],
        help="the SIASN channel: off (default, KINERJA_SIASN; records kept, not sent) or contract "
        "(sent to the local SIASN contract server of tests/siasn)",
    )
    up.set_defaults(fn=cmd_up)
    sub.add_parser("down", help="stop everything this runner started").set_defaults(fn=cmd_down)
    sub.add_parser(
        "reset", help="training mode: stop, wipe the demo data and the local broker, start and seed again"
    ).set_defaults(fn=cmd_reset)
    sub.add_parser("status", help="show processes and readiness").set_defaults(fn=cmd_status)
    sub.add_parser("logs", help="follow all logs").set_defaults(fn=cmd_logs)
    sub.add_parser("tokens", help="print development tokens for the demo users").set_defaults(fn=cmd_tokens)
    args = parser.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
