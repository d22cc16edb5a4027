"""A real Keycloak (deploy/keycloak/keycloak.sh) started once per test session.

The Kota Binjai realm (deploy/keycloak/realm-binjai.json) is imported with two copies under other
names: ``other`` (a second realm whose tokens Kinerja must refuse) and ``rotation`` (whose keys a
test rotates, so the realm the other tests use keeps its keys). Skipped, with the reason, only when
no Java 21+ exists (Keycloak 26 needs it); CI installs what it needs (.ci/run).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from kinerja_shared.processes import ManagedProcess, wait_ready

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "keycloak" / "keycloak.sh"
REALM_FILE = ROOT / "deploy" / "keycloak" / "realm-binjai.json"
ADMIN_PASSWORD = "admin-for-tests"
PASSWORDS = {
    "employee": "kinerja-employee",
    "rater": "kinerja-rater",
    "unit_head": "kinerja-unit-head",
    "admin": "kinerja-admin",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return port if port <= 60000 else free_port()


@dataclass
class Keycloak:
    url: str

    def issuer(self, realm: str = "binjai") -> str:
        return f"{self.url}/realms/{realm}"

    def jwks_url(self, realm: str = "binjai") -> str:
        return f"{self.issuer(realm)}/protocol/openid-connect/certs"

    def service_env(self, realm: str = "binjai", **over) -> dict[str, str]:
        """The settings a service needs to accept this realm's tokens (as docs/operations.md lists them)."""
        env = {
            "JWT_JWKS_URL": self.jwks_url(realm),
            "JWT_ISSUER": self.issuer(realm),
            "JWT_AUDIENCE": "kinerja-api",
            "JWT_NIP_CLAIM": "nip",
            "JWT_SECRET": "",
        }
        env.update(over)
        return env

    def password_token(self, user: str, password: str, *, realm: str = "binjai", client: str = "kinerja-test") -> str:
        response = requests.post(
            f"{self.issuer(realm)}/protocol/openid-connect/token",
            timeout=30,
            data={
                "grant_type": "password",
                "client_id": client,
                "username": user,
                "password": password,
                "scope": "openid",
            },
        )
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def admin(self) -> requests.Session:
        response = requests.post(
            f"{self.url}/realms/master/protocol/openid-connect/token",
            timeout=30,
            data={"grant_type": "password", "client_id": "admin-cli", "username": "admin", "password": ADMIN_PASSWORD},
        )
        assert response.status_code == 200, response.text
        session = requests.Session()
        session.headers["Authorization"] = "Bearer " + response.json()["access_token"]
        return session


@contextlib.contextmanager
def console_gateway(
    keycloak: Keycloak, work_dir: Path, service_urls: dict[str, str], *, token_lifespan: int | None = None
):
    """The gateway serving the console as `make run AUTH=keycloak` does (deploy/local/kinerja.py:
    config.js naming the realm, no development sign-in) in front of the given services
    (name -> URL); the realm's kinerja-console client accepts its URL as a redirect. Yields its URL."""
    sys.path.insert(0, str(ROOT / "deploy" / "local"))
    import kinerja  # noqa: PLC0415

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    admin = keycloak.admin()
    base = f"{keycloak.url}/admin/realms/binjai"
    client = admin.get(f"{base}/clients", params={"clientId": "kinerja-console"}, timeout=30).json()[0]
    client["redirectUris"] = sorted(set(client["redirectUris"]) | {url + "/*"})
    if token_lifespan is not None:
        client["attributes"]["access.token.lifespan"] = str(token_lifespan)
    assert admin.put(f"{base}/clients/{client['id']}", json=client, timeout=30).status_code == 204
    web_root = kinerja.console_for_keycloak(work_dir / "web", keycloak.issuer())
    env = dict(
        os.environ,
        KINERJA_ENV="test",
        KINERJA_DEV_SIGNIN="false",
        GATEWAY_WEB_ROOT=str(web_root),
        **{f"{s.removesuffix('-service').upper()}_SERVICE_URL": u for s, u in service_urls.items()},
    )
    gateway = ManagedProcess(
        "gateway",
        [sys.executable, str(ROOT / "deploy/gateway/gateway.py"), "--bind", f"127.0.0.1:{port}"],
        env,
        work_dir / "gateway.log",
    ).start()
    try:
        wait_ready(url, timeout=30, path="/healthz")
        yield url
    finally:
        gateway.stop()


def run_console_script(name: str, url: str, timeout: float = 280, **env: str) -> dict:
    """Run web/tests/<name> with node against the console at `url`; return the JSON line it printed last."""
    from tests.web.conftest import CHROMIUM, WEB  # noqa: PLC0415

    full = dict(os.environ, BASE_URL=url, CHROMIUM=CHROMIUM, **env)
    result = subprocess.run(
        ["node", str(WEB / "tests" / name)], cwd=WEB, env=full, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{name} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return json.loads([line for line in result.stdout.splitlines() if line.startswith("{")][-1])


def _java_or_skip() -> None:
    found = subprocess.run(["bash", str(SCRIPT), "java"], capture_output=True, text=True)
    if found.returncode != 0:
        if os.environ.get("KINERJA_REQUIRE_KEYCLOAK"):  # CI (.ci/run): a missing JDK is a failure there
            pytest.fail("KINERJA_REQUIRE_KEYCLOAK is set but " + found.stderr.strip())
        pytest.skip("no Java 21+ for Keycloak 26: " + found.stderr.strip().replace("\n", " "))


def _java_found() -> bool:
    return subprocess.run(["bash", str(SCRIPT), "java"], capture_output=True).returncode == 0


class KeycloakStart:
    """``keycloak.sh start`` in a thread, begun as soon as the session's tests are collected (when one of
    them uses the ``keycloak`` fixture and a Java 21+ is there): its minute or two of start-up overlaps the
    tests that run before tests/keycloak, and the fixture waits for what is left of it. The same server,
    realms and wait as a start inside the fixture; stopped and removed when the session ends."""

    def __init__(self):
        self.data = Path(tempfile.mkdtemp(prefix="kinerja-keycloak-"))
        self.port = free_port()
        self.env = {**os.environ, "KEYCLOAK_ADMIN_PASSWORD": ADMIN_PASSWORD}
        self.began = time.monotonic()
        self.run: subprocess.CompletedProcess | None = None
        self.error: BaseException | None = None
        self.stopped = False
        self.thread = threading.Thread(target=self._start, name="keycloak-start", daemon=True)
        self.thread.start()

    def _start(self) -> None:
        try:
            realms = []
            binjai = json.loads(REALM_FILE.read_text(encoding="utf-8"))
            for name in ("other", "rotation"):
                copy = dict(binjai, realm=name, displayName=f"{name} (tests)")
                path = self.data / f"realm-{name}.json"
                path.write_text(json.dumps(copy), encoding="utf-8")
                realms += ["--realm", str(path)]
            # a generous wait: on a busy shared machine the first start (schema, three realms) takes minutes
            timeout = os.environ.get("KEYCLOAK_START_TIMEOUT", "480")
            self.run = subprocess.run(
                ["bash", str(SCRIPT), "start", "--dir", str(self.data / "server"), "--port", str(self.port)]
                + ["--timeout", timeout, *realms],
                capture_output=True,
                text=True,
                env=self.env,
            )
        except BaseException as exc:  # noqa: BLE001 - reported by wait()
            self.error = exc

    def wait(self) -> Keycloak:
        waited = time.monotonic()
        self.thread.join()
        if self.error is not None:
            raise RuntimeError(f"keycloak.sh start failed: {self.error!r}")
        if self.run is None or self.run.returncode != 0:
            out = (self.run.stdout, self.run.stderr) if self.run else ("", "")
            raise RuntimeError("keycloak.sh start failed:\n{}\n{}".format(*out))
        print(
            f"\nKeycloak ready in {time.monotonic() - self.began:.0f} s on port {self.port} "
            f"(started with the session; the tests waited {time.monotonic() - waited:.0f} s for it)"
        )
        return Keycloak(url=f"http://127.0.0.1:{self.port}")

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        server = ["bash", str(SCRIPT), "stop", "--dir", str(self.data / "server")]
        subprocess.run(server, capture_output=True, env=self.env)  # a start still waiting gives up
        self.thread.join(timeout=600)
        subprocess.run(server, capture_output=True, env=self.env)
        shutil.rmtree(self.data, ignore_errors=True)


_started: KeycloakStart | None = None


def pytest_collection_finish(session) -> None:
    """Begin Keycloak's start now when a collected test will use it (see KeycloakStart)."""
    global _started
    if session.config.option.collectonly or _started is not None:
        return
    if any("keycloak" in getattr(item, "fixturenames", ()) for item in session.items) and _java_found():
        _started = KeycloakStart()
        session.config.add_cleanup(_started.stop)


@pytest.fixture(scope="session")
def keycloak(pytestconfig) -> Keycloak:
    _java_or_skip()
    start = _started
    if start is None:  # not begun at collection (a test selected some other way): start it now
        start = KeycloakStart()
        pytestconfig.add_cleanup(start.stop)
    try:
        yield start.wait()
    finally:
        start.stop()
