"""The browser tests' system: the eight service processes (like tests/e2e), the gateway on one
origin, the Kota Binjai demo data, and headless Chromium driven by Playwright scripts in Node.

One system serves the whole tests/web session. Each test runs one script of web/tests/ with
``node`` (see ``run_script``); the script prints one JSON line of findings that the test checks,
often against the services' APIs as well.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import requests

from kinerja_shared.processes import ManagedProcess, wait_ready
from kinerja_shared.testing import stop_together
from kinerja_shared.testing.servers import free_port
from tests.e2e.conftest import System
from tests.siasn.contract_server import ContractServer

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

sys.path.insert(0, str(ROOT / "deploy" / "local"))
from seed import DEMO_USERS  # noqa: E402

sys.path.pop(0)


# The console keeps a Server-Sent Events stream open on notification-service (up to
# NOTIFICATION_SSE_LIFETIME_SECONDS, 25 s; a heartbeat every 15 s), which gunicorn's graceful stop waits
# for (GUNICORN_GRACEFUL_TIMEOUT, 20 s in production) after the browser is gone: a teardown stopped 20 s
# on it. The browser tests' services get a short grace; nothing is in flight when they stop.
BROWSER_SERVICE_ENV = {"GUNICORN_GRACEFUL_TIMEOUT": "2"}


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, with how to fix it; None when they can."""
    if not shutil.which("node"):
        return "Node.js is missing: install it (Debian: apt-get install nodejs npm)"
    if not Path(CHROMIUM).exists():
        return f"Chromium is missing at {CHROMIUM}: install it (Debian: apt-get install chromium) or set CHROMIUM"
    if not (WEB / "node_modules" / "playwright-core").is_dir():
        return "playwright-core is missing: run `npm ci --prefix web` (it downloads no browser)"
    return None


class WebSystem:
    """The services, the gateway in front of them, and the demo data."""

    def __init__(self, system: System, log_dir: Path):
        self.system = system
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        env = dict(
            os.environ,
            KINERJA_ENV="test",
            KINERJA_DEV_SIGNIN="true",
            **{f"{s.removesuffix('-service').upper()}_SERVICE_URL": u for s, u in system.urls.items()},
        )
        self.env = env
        self.gateway = ManagedProcess(
            "gateway",
            [sys.executable, str(ROOT / "deploy/gateway/gateway.py"), "--bind", f"127.0.0.1:{port}", "--dev-signin"],
            env,
            log_dir / "gateway.log",
        ).start()
        wait_ready(self.url, timeout=30, path="/healthz")
        self.seed_env = {**env, **system_env(system)}
        seeded = subprocess.run(
            [sys.executable, str(ROOT / "deploy/local/seed.py")],
            env=self.seed_env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert seeded.returncode == 0, f"seeding failed:\n{seeded.stdout[-3000:]}\n{seeded.stderr[-3000:]}"
        self.users = DEMO_USERS

    def headers(self, role: str) -> dict:
        user = self.users[role]
        return self.system.headers(user["nip"], *user["roles"], unit=user["unit"])

    def api(self, method: str, path: str, role: str, **kwargs) -> requests.Response:
        """Call the services through the gateway, as one of the demo users."""
        return requests.request(method, self.url + path, headers=self.headers(role), timeout=30, **kwargs)

    def another_gateway(self, web_root: Path, log_dir: Path) -> tuple[ManagedProcess, str]:
        """A second gateway on the same services serving another web root (e.g. a copy a test changes)."""
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        gateway = ManagedProcess(
            "gateway-copy",
            [
                sys.executable,
                str(ROOT / "deploy/gateway/gateway.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--dev-signin",
                "--web-root",
                str(web_root),
            ],
            self.env,
            log_dir / "gateway-copy.log",
        ).start()
        wait_ready(url, timeout=30, path="/healthz")
        return gateway, url

    def run_script(self, name: str, timeout: float = 240, **env) -> dict:
        """Run web/tests/<name> with node against the gateway; return the JSON it printed last."""
        why = browser_missing()
        if why:
            pytest.fail(f"the browser tests cannot run: {why}")
        env = {"BASE_URL": self.url, **env}
        full = dict(
            os.environ,
            CHROMIUM=CHROMIUM,
            SCREENSHOT_DIR=str(SCREENSHOTS),
            DEMO_USERS=json.dumps(self.users),
            **{k: str(v) for k, v in env.items()},
        )
        result = subprocess.run(
            ["node", str(WEB / "tests" / name)], cwd=WEB, env=full, capture_output=True, text=True, timeout=timeout
        )
        output = [line for line in result.stdout.splitlines() if line.startswith("{")]
        assert result.returncode == 0, (
            f"{name} failed (exit {result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
        return json.loads(output[-1]) if output else {}

    def stop(self) -> None:
        self.gateway.stop()


def system_env(system: System) -> dict:
    return {
        "PLAN_SERVICE_URL": system.urls["plan-service"],
        "ACTIVITY_SERVICE_URL": system.urls["activity-service"],
        "EVALUATION_SERVICE_URL": system.urls["evaluation-service"],
        "NOTIFICATION_SERVICE_URL": system.urls["notification-service"],
        # the seed writes the entries before the edit window with activity-service's code, as `make run` does
        "ACTIVITY_DATABASE_URL": system.database_urls["activity-service"],
    }


@pytest.fixture(scope="session")
def web_system(kafka_bootstrap, new_database):
    log_dir = Path(tempfile.mkdtemp(prefix="kinerja-web-logs-"))
    siasn = ContractServer()  # the SIASN channel delivers to the contract server (issue 18)
    system = System(
        kafka_bootstrap,
        new_database,
        log_dir,
        SIASN_POLL_SECONDS="0.2",
        SIASN_TIMEOUT_SECONDS="2",
        **siasn.env(),
        **BROWSER_SERVICE_ENV,
    )
    web = None
    try:
        web = WebSystem(system, log_dir)
        web.siasn = siasn
        yield web
    finally:  # the gateway and the eight service processes stop side by side, each with its own grace
        stop_together([*([web.gateway] if web else []), *system.processes.values()])
        siasn.close()
