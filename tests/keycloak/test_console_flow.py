"""Issue 21, done when: against the real Keycloak, an employee signs in with a password, logs an
activity, the rater signs in and verifies it, and sign-out ends the session (Debian's Chromium
through playwright-core, web/tests/keycloak_flow.mjs).

The four services run as real processes (tests/e2e's System) verifying the realm's tokens only,
behind the gateway serving the console as `make run AUTH=keycloak` does. The demo directory and the
employee's approved plan are set up as deploy/local/seed.py does, with the realm users' own tokens
(user name = NIP, the development passwords).
"""

from __future__ import annotations

import sys
import time
import uuid
from datetime import datetime

import pytest
import requests

from tests.e2e.conftest import System
from tests.web.conftest import BROWSER_SERVICE_ENV, browser_missing

from .conftest import PASSWORDS, ROOT, console_gateway, run_console_script

sys.path.insert(0, str(ROOT / "deploy" / "local"))
import seed  # noqa: E402

sys.path.pop(0)

# the session's Keycloak starts within the first test: its wait counts towards that test's timeout
pytestmark = pytest.mark.timeout(900)

USERS = seed.DEMO_USERS


def set_up_directory_and_plan(system: System, keycloak, monkeypatch) -> dict[str, str]:
    """The demo units and people, and the employee's approved plan, through the APIs with realm tokens."""
    monkeypatch.setattr(seed, "PLAN", system.urls["plan-service"])
    tokens = {USERS[role]["nip"]: keycloak.password_token(USERS[role]["nip"], PASSWORDS[role]) for role in USERS}
    admin = tokens[USERS["admin"]["nip"]]
    for unit_id, name, parent, head_nip in seed.UNITS:
        assert (
            seed.call(
                "PUT",
                f"{seed.PLAN}/api/v1/units/{unit_id}",
                admin,
                {"name": name, "parent_id": parent, "head_nip": head_nip},
            )[0]
            == 200
        )
    for nip, name, unit, rater_nip, position in seed.employees():
        if nip in tokens:
            code, body = seed.call(
                "PUT",
                f"{seed.PLAN}/api/v1/employees/{nip}",
                admin,
                {"name": name, "unit_id": unit, "rater_nip": rater_nip, "position": position},
                if_match="*",
            )
            assert code == 200, body
    employee, rater = USERS["employee"]["nip"], USERS["rater"]["nip"]
    plan = seed.ensure_plan(employee, rater, datetime.now(seed.WIB).year, "approved", tokens, None)
    assert plan["status"] == "approved"
    indicators = {i["indicator_id"] for r in plan["results"] for i in r["indicators"]}
    deadline = time.monotonic() + 90  # activity-service learns the approved plan from its event
    while not indicators & {
        i["indicator_id"]
        for i in requests.get(
            f"{system.urls['activity-service']}/api/v1/indicators",
            params={"nip": employee},
            timeout=30,
            headers={"Authorization": "Bearer " + tokens[employee]},
        ).json()["items"]
    }:
        assert time.monotonic() < deadline, "activity-service never learned the approved plan"
        time.sleep(0.5)
    return tokens


@pytest.fixture
def flow(keycloak, kafka_bootstrap, new_database, tmp_path, monkeypatch):
    why = browser_missing()
    if why:
        pytest.skip(why)
    system = System(kafka_bootstrap, new_database, tmp_path, **keycloak.service_env(), **BROWSER_SERVICE_ENV)
    try:
        tokens = set_up_directory_and_plan(system, keycloak, monkeypatch)
        with console_gateway(keycloak, tmp_path, system.urls) as url:
            yield system, url, tokens
    finally:
        system.stop()


def test_an_employee_logs_an_activity_and_the_rater_accepts_it_signed_in_through_keycloak(flow, keycloak):
    system, url, tokens = flow
    employee, rater = USERS["employee"]["nip"], USERS["rater"]["nip"]
    stamp = uuid.uuid4().hex[:8]
    found = run_console_script(
        "keycloak_flow.mjs",
        url,
        KC_EMPLOYEE=employee,
        KC_EMPLOYEE_PASSWORD=PASSWORDS["employee"],
        KC_RATER=rater,
        KC_RATER_PASSWORD=PASSWORDS["rater"],
        RUN_STAMP=stamp,
    )
    login = "/realms/binjai/protocol/openid-connect/auth"
    assert found["loginPage"].endswith(login) and found["raterLoginPage"].endswith(login)
    assert (found["employeeWho"], found["raterWho"]) == (USERS["employee"]["name"], USERS["rater"]["name"])
    assert found["inboxNip"] == employee
    assert found["employeeTokenAfterSignOut"] is None and found["raterTokenAfterSignOut"] is None
    assert found["passwordAskedAgain"].endswith(login)

    # over the API, with a fresh realm token of the employee: the entry exists once, accepted by the rater
    token = keycloak.password_token(employee, PASSWORDS["employee"])
    listed = requests.get(
        f"{url}/api/v1/activities", params={"nip": employee}, timeout=30, headers={"Authorization": "Bearer " + token}
    ).json()["items"]
    assert [(a["id"], a["description"]) for a in listed] == [(found["entry"], f"Melayani pasien rawat jalan {stamp}")]
    assert (listed[0]["status"], listed[0]["verified_by"], listed[0]["nip"]) == ("accepted", rater, employee)
