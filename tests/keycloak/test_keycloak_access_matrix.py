"""Issue 21: the access matrix (tests/security/access_matrix.csv) with tokens a real Keycloak issues.

Each relation of the matrix org (tests/security/seeds.py) becomes a user of the binjai realm with
its NIP and unit as attributes and its Kinerja roles as kinerja-api client roles; it signs in
with a password and every row of activity-service and notification-service is sent again with
that token, to a service that verifies the realm's tokens through its JWKS. The rows' data is set
up with minted tokens first (tests/security/test_access_matrix.py runs every service that way).
"""

from __future__ import annotations

import dataclasses
import time

import pytest

from activity_service.service import SPEC as ACTIVITY
from kinerja_shared.auth import TokenVerifier
from kinerja_shared.config import Settings
from notification_service.service import SPEC as NOTIFICATION
from tests.security import matrix_activity, matrix_notification
from tests.security.matrix import ACTORS, RELATIONS, Matrix, load_table
from tests.security.test_access_matrix import render

pytestmark = pytest.mark.timeout(900)

PASSWORD = "matrix-password"
SERVICES = {ACTIVITY.name: (ACTIVITY, matrix_activity), NOTIFICATION.name: (NOTIFICATION, matrix_notification)}


@pytest.fixture(scope="module")
def realm_tokens(keycloak):
    """A function: relation -> Authorization header with a token of the realm for that relation's
    actor, signed in again when the token is half-way through its 5 minutes."""
    admin = keycloak.admin()
    base = f"{keycloak.url}/admin/realms/binjai"
    api_client = admin.get(f"{base}/clients", params={"clientId": "kinerja-api"}, timeout=30).json()[0]["id"]
    roles = {r["name"]: r for r in admin.get(f"{base}/clients/{api_client}/roles", timeout=30).json()}
    for relation, actor in ACTORS.items():
        if actor is None:
            continue
        nip, actor_roles, unit = actor
        attributes = {"nip": [nip], **({"unit": [unit]} if unit else {})}
        created = admin.post(
            f"{base}/users",
            timeout=30,
            json={
                "username": nip,
                "enabled": True,
                "firstName": relation,
                "attributes": attributes,
                "credentials": [{"type": "password", "value": PASSWORD, "temporary": False}],
            },
        )
        assert created.status_code in (201, 409), created.text
        user_id = admin.get(f"{base}/users", params={"username": nip, "exact": "true"}, timeout=30).json()[0]["id"]
        mapped = admin.post(
            f"{base}/users/{user_id}/role-mappings/clients/{api_client}",
            timeout=30,
            json=[roles[r] for r in actor_roles],
        )
        assert mapped.status_code == 204, mapped.text
    issued = {"at": 0.0, "headers": {}}

    def fresh() -> dict[str, dict[str, str]]:
        if time.monotonic() - issued["at"] > 150:
            issued["headers"] = {
                rel: {"Authorization": "Bearer " + keycloak.password_token(a[0], PASSWORD)} if a else {}
                for rel, a in ACTORS.items()
            }
            issued["at"] = time.monotonic()
        return issued["headers"]

    return fresh


@pytest.fixture(scope="module")
def matrices(kafka_bootstrap, new_database, tmp_path_factory, keycloak, realm_tokens):
    started = {}
    for name, (spec, cases) in SERVICES.items():
        m = Matrix(spec, kafka_bootstrap, new_database, **cases.env(tmp_path_factory.mktemp(name)))
        m.cases = cases.CASES
        cases.setup(m)  # the rows, with minted tokens
        # from here on the service verifies the realm's tokens only, as in production
        runtime = m.h.app.extensions["kinerja"]
        env = {**m.h.settings.extra, **keycloak.service_env(), "KINERJA_ENV": "test"}
        runtime.verifier = TokenVerifier(
            dataclasses.replace(Settings.from_env(spec.name, env), database_url=m.h.settings.database_url)
        )
        started[name] = m
    yield started
    for m in started.values():
        m.close()


ROWS = [r for r in load_table() if r.service in SERVICES]


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.service}:{r.op}" for r in ROWS])
def test_every_relation_gets_the_tables_answer_with_keycloak_tokens(matrices, realm_tokens, row):
    m = matrices[row.service]
    m.tokens = dict(realm_tokens())
    got = {rel: m.cell(row, rel) for rel in RELATIONS}
    assert got == row.expected, "\n" + render(row, got)
