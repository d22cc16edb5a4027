"""Issue 21, the console against a real Keycloak (Debian's Chromium through playwright-core):
sign-in with a password through the realm's login page (authorization code + PKCE), the token's
NIP and a real service accepting it through the gateway, renewal before expiry, the Indonesian
message when the session ends at the provider, and sign-out ending the provider's session.

The gateway serves the console as `make run AUTH=keycloak` does (deploy/local/kinerja.py:
config.js naming the realm, no development sign-in) in front of a real notification-service
process that verifies the realm's tokens through its JWKS.
"""

from __future__ import annotations

import pytest

from tests.security.live import LiveService
from tests.web.conftest import BROWSER_SERVICE_ENV, browser_missing

from .conftest import ADMIN_PASSWORD, PASSWORDS, console_gateway, run_console_script

# the session's Keycloak starts within the first test: its wait counts towards that test's timeout
pytestmark = pytest.mark.timeout(900)

EMPLOYEE = "199208172019031004"
LIFESPAN = 20  # seconds: the console renews at three quarters of it


@pytest.fixture
def console(keycloak, kafka_bootstrap, new_database, tmp_path):
    why = browser_missing()
    if why:
        pytest.skip(why)
    service = LiveService(
        "notification-service",
        kafka_bootstrap,
        new_database("notification-service"),
        tmp_path / "svc",
        worker=False,
        **keycloak.service_env(),
        **BROWSER_SERVICE_ENV,
    )
    try:
        with console_gateway(keycloak, tmp_path, {"notification-service": service.url}, token_lifespan=LIFESPAN) as url:
            admin = keycloak.admin()
            base = f"{keycloak.url}/admin/realms/binjai"
            user_id = admin.get(f"{base}/users", params={"username": EMPLOYEE, "exact": "true"}, timeout=30).json()[0][
                "id"
            ]
            yield url, f"{base}/users/{user_id}/logout"
    finally:
        service.stop()


def test_the_console_signs_in_renews_ends_and_signs_out_through_keycloak(console, keycloak):
    url, logout_url = console
    found = run_console_script(
        "keycloak_signin.mjs",
        url,
        KC_USER=EMPLOYEE,
        KC_PASSWORD=PASSWORDS["employee"],
        KC_LOGOUT_URL=logout_url,
        KC_ADMIN_PASSWORD=ADMIN_PASSWORD,
        KC_ADMIN_TOKEN_URL=f"{keycloak.url}/realms/master/protocol/openid-connect/token",
    )
    assert found["devSignInOffered"] == 0
    assert found["loginPage"].endswith("/realms/binjai/protocol/openid-connect/auth")
    assert (found["who"], found["nip"], found["api"]) == ("Andi Pratama", EMPLOYEE, 200)
    assert found["renewedBeforeExpiry"] and found["renewedApi"] == 200
    assert found["adminLogout"] == 204
    assert found["sessionEndedText"] == "Sesi Anda telah berakhir. Silakan masuk kembali."
    assert found["afterSignOut"] is None and found["passwordAskedAgain"]
    assert found["errors"] == []
