"""Issue 21, the console against a real Keycloak (Debian's Chromium through playwright-core):
sign-in with a password through the realm's login page (authorization code + PKCE), the token's
NIP and a real service accepting it through the gateway, renewal before expiry, the Indonesian
message when the session ends at the provider, and sign-out ending the provider's session.

The gateway serves the console as `make run AUTH=keycloak` does (deploy/local/kinerja.py:
config.js naming the realm, no development sign-in) in front of a real notification-service
process that verifies the realm's tokens through its JWKS.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kinerja_shared.processes import ManagedProcess, wait_ready
from kinerja_shared.testing.servers import free_port

from tests.security.live import LiveService
from tests.web.conftest import CHROMIUM, WEB, browser_missing

from .conftest import ADMIN_PASSWORD, PASSWORDS, ROOT

sys.path.insert(0, str(ROOT / "deploy" / "local"))
import kinerja  # noqa: E402

# the session's Keycloak starts within the first test: its wait counts towards that test's timeout
pytestmark = pytest.mark.timeout(900)

EMPLOYEE = "199208172019031004"
LIFESPAN = 20  # seconds: the console renews at three quarters of it


@pytest.fixture
def console(keycloak, kafka_bootstrap, new_database, tmp_path):
    why = browser_missing()
    if why:
        pytest.skip(why)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    admin = keycloak.admin()
    base = f"{keycloak.url}/admin/realms/binjai"
    client = admin.get(f"{base}/clients", params={"clientId": "kinerja-console"}, timeout=30).json()[0]
    client["redirectUris"] = sorted(set(client["redirectUris"]) | {url + "/*"})
    client["attributes"]["access.token.lifespan"] = str(LIFESPAN)
    assert admin.put(f"{base}/clients/{client['id']}", json=client, timeout=30).status_code == 204
    service = LiveService("notification-service", kafka_bootstrap, new_database("notification-service"), tmp_path / "svc",
                          worker=False, **keycloak.service_env())
    web_root = kinerja.console_for_keycloak(tmp_path / "web", keycloak.issuer())
    env = dict(os.environ, KINERJA_ENV="test", KINERJA_DEV_SIGNIN="false", GATEWAY_WEB_ROOT=str(web_root),
               NOTIFICATION_SERVICE_URL=service.url)
    gateway = ManagedProcess("gateway", [sys.executable, str(ROOT / "deploy/gateway/gateway.py"), "--bind",
                                         f"127.0.0.1:{port}"], env, tmp_path / "gateway.log").start()
    try:
        wait_ready(url, timeout=30, path="/healthz")
        user_id = admin.get(f"{base}/users", params={"username": EMPLOYEE, "exact": "true"}, timeout=30).json()[0]["id"]
        yield url, f"{base}/users/{user_id}/logout"
    finally:
        gateway.stop()
        service.stop()


def test_the_console_signs_in_renews_ends_and_signs_out_through_keycloak(console, keycloak):
    url, logout_url = console
    env = dict(os.environ, BASE_URL=url, CHROMIUM=CHROMIUM, KC_USER=EMPLOYEE, KC_PASSWORD=PASSWORDS["employee"],
               KC_LOGOUT_URL=logout_url, KC_ADMIN_TOKEN_URL=f"{keycloak.url}/realms/master/protocol/openid-connect/token",
               KC_ADMIN_PASSWORD=ADMIN_PASSWORD)
    result = subprocess.run(["node", str(WEB / "tests" / "keycloak_signin.mjs")], cwd=WEB, env=env, capture_output=True,
                            text=True, timeout=280)
    assert result.returncode == 0, f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    found = json.loads([line for line in result.stdout.splitlines() if line.startswith("{")][-1])
    assert found["devSignInOffered"] == 0
    assert found["loginPage"].endswith("/realms/binjai/protocol/openid-connect/auth")
    assert (found["who"], found["nip"], found["api"]) == ("Andi Pratama", EMPLOYEE, 200)
    assert found["renewedBeforeExpiry"] and found["renewedApi"] == 200
    assert found["adminLogout"] == 204
    assert found["sessionEndedText"] == "Sesi Anda telah berakhir. Silakan masuk kembali."
    assert found["afterSignOut"] is None and found["passwordAskedAgain"]
    assert found["errors"] == []
