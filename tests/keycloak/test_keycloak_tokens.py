"""Issue 21: the services accept tokens a real Keycloak issues (RS256 through the realm's JWKS URL,
the NIP from the ``nip`` claim, roles from the realm's client roles) and refuse, 401 problem+json,
tokens from another realm, for another audience, expired, or signed by a key the realm has dropped;
a rotated realm key is picked up without a restart.

The service is notification-service in-process (the harness: its own PostgreSQL database and Kafka
topic prefix): GET /api/v1/notifications/preferences answers with the caller's NIP, GET /api/v1/webhooks only
for admins.
"""

from __future__ import annotations

import time

import jwt
import pytest

from notification_service.service import SPEC

from .conftest import PASSWORDS

# the session's Keycloak starts within the first test: its wait counts towards that test's timeout
pytestmark = pytest.mark.timeout(900)

EMPLOYEE, ADMIN = "199208172019031004", "197001011995031001"  # deploy/local/seed.py DEMO_USERS


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + token}


def refused(response, detail: str | None = None) -> None:
    assert response.status_code == 401, (response.status_code, response.get_json(silent=True))
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 401
    if detail:
        assert detail in body["detail"], body


@pytest.fixture
def service(service_factory, keycloak):
    return service_factory(SPEC, **keycloak.service_env())


def test_a_password_sign_in_gives_a_token_the_service_accepts_as_that_nip(service, keycloak):
    token = keycloak.password_token(EMPLOYEE, PASSWORDS["employee"])
    assert jwt.get_unverified_header(token)["alg"] == "RS256"
    response = service.client.get("/api/v1/notifications/preferences", headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["nip"] == EMPLOYEE
    # the realm's roles reach the service: an employee is no admin, the BKPSDM admin is
    assert service.client.get("/api/v1/webhooks", headers=bearer(token)).status_code == 403
    admin = keycloak.password_token(ADMIN, PASSWORDS["admin"])
    assert service.client.get("/api/v1/webhooks", headers=bearer(admin)).status_code == 200


def test_roles_read_from_a_client_roles_path(service_factory, keycloak):
    """JWT_ROLES_CLAIM points into resource_access (Keycloak's own place for client roles)."""
    service = service_factory(SPEC, **keycloak.service_env(JWT_ROLES_CLAIM="resource_access.kinerja-api.roles"))
    admin = keycloak.password_token(ADMIN, PASSWORDS["admin"])
    assert service.client.get("/api/v1/webhooks", headers=bearer(admin)).status_code == 200
    employee = keycloak.password_token(EMPLOYEE, PASSWORDS["employee"])
    assert service.client.get("/api/v1/webhooks", headers=bearer(employee)).status_code == 403


def test_the_machine_to_machine_client_gets_a_token_the_service_accepts(service, keycloak):
    import requests

    response = requests.post(
        f"{keycloak.issuer()}/protocol/openid-connect/token",
        timeout=30,
        data={
            "grant_type": "client_credentials",
            "client_id": "kinerja-service",
            "client_secret": "kinerja-service-development-secret",
        },
    )
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    assert service.client.get("/api/v1/webhooks", headers=bearer(token)).status_code == 200


def test_a_token_from_another_realm_is_refused(service, keycloak):
    token = keycloak.password_token(EMPLOYEE, PASSWORDS["employee"], realm="other")
    refused(service.client.get("/api/v1/notifications/preferences", headers=bearer(token)))


def test_a_token_for_another_audience_is_refused(service, keycloak):
    admin = keycloak.admin()
    # no full scope and no "roles" scope: else Keycloak adds kinerja-api itself (the user holds its roles)
    client = {
        "clientId": "other-app",
        "publicClient": True,
        "directAccessGrantsEnabled": True,
        "fullScopeAllowed": False,
        "defaultClientScopes": ["basic", "profile"],
        "standardFlowEnabled": False,
        "protocolMappers": [
            {
                "name": "aud",
                "protocol": "openid-connect",
                "protocolMapper": "oidc-audience-mapper",
                "config": {"included.custom.audience": "other-api", "access.token.claim": "true"},
            },
            {
                "name": "nip",
                "protocol": "openid-connect",
                "protocolMapper": "oidc-usermodel-attribute-mapper",
                "config": {
                    "user.attribute": "nip",
                    "claim.name": "nip",
                    "jsonType.label": "String",
                    "access.token.claim": "true",
                },
            },
        ],
    }
    created = admin.post(f"{keycloak.url}/admin/realms/binjai/clients", json=client, timeout=30)
    assert created.status_code in (201, 409), created.text
    token = keycloak.password_token(EMPLOYEE, PASSWORDS["employee"], client="other-app")
    assert "kinerja-api" not in (jwt.decode(token, options={"verify_signature": False}).get("aud") or [])
    refused(service.client.get("/api/v1/notifications/preferences", headers=bearer(token)))


def test_an_expired_token_is_refused(service_factory, keycloak):
    service = service_factory(SPEC, **keycloak.service_env(JWT_LEEWAY_SECONDS="0"))
    admin = keycloak.admin()
    clients = admin.get(f"{keycloak.url}/admin/realms/binjai/clients", params={"clientId": "kinerja-test"}, timeout=30)
    test_client = clients.json()[0]
    test_client["attributes"]["access.token.lifespan"] = "2"
    # a short-lived copy of the test client: the others keep Keycloak's 5 minutes
    short = {k: v for k, v in test_client.items() if k not in ("id", "protocolMappers")}
    short["clientId"] = "kinerja-test-short"
    short["protocolMappers"] = [{k: v for k, v in m.items() if k != "id"} for m in test_client["protocolMappers"]]
    created = admin.post(f"{keycloak.url}/admin/realms/binjai/clients", json=short, timeout=30)
    assert created.status_code in (201, 409), created.text
    token = keycloak.password_token(EMPLOYEE, PASSWORDS["employee"], client="kinerja-test-short")
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    assert service.client.get("/api/v1/notifications/preferences", headers=bearer(token)).status_code == 200
    while time.time() < expires + 1:
        time.sleep(0.5)
    refused(service.client.get("/api/v1/notifications/preferences", headers=bearer(token)), "expired")


def _rsa_providers(admin, keycloak, realm: str) -> list[dict]:
    realm_id = admin.get(f"{keycloak.url}/admin/realms/{realm}", timeout=30).json()["id"]
    components = admin.get(
        f"{keycloak.url}/admin/realms/{realm}/components",
        params={"parent": realm_id, "type": "org.keycloak.keys.KeyProvider"},
        timeout=30,
    ).json()
    return realm_id, [c for c in components if c["providerId"] == "rsa-generated"]


def test_a_rotated_realm_key_is_picked_up_without_restart_and_the_dropped_key_is_refused(service_factory, keycloak):
    # a long refresh interval: the new kid is fetched once, because it is unknown, not because time passed
    service = service_factory(
        SPEC, **keycloak.service_env("rotation", JWT_JWKS_REFRESH_SECONDS="0", JWT_JWKS_CACHE_SECONDS="86400")
    )
    old = keycloak.password_token(EMPLOYEE, PASSWORDS["employee"], realm="rotation")
    assert service.client.get("/api/v1/notifications/preferences", headers=bearer(old)).status_code == 200

    admin = keycloak.admin()
    realm_id, old_providers = _rsa_providers(admin, keycloak, "rotation")
    added = admin.post(
        f"{keycloak.url}/admin/realms/rotation/components",
        timeout=30,
        json={
            "name": "rsa-rotated",
            "providerId": "rsa-generated",
            "providerType": "org.keycloak.keys.KeyProvider",
            "parentId": realm_id,
            "config": {
                "priority": ["500"],
                "keySize": ["2048"],
                "algorithm": ["RS256"],
                "enabled": ["true"],
                "active": ["true"],
            },
        },
    )
    assert added.status_code == 201, added.text
    for provider in old_providers:
        provider["config"]["enabled"] = ["false"]
        provider["config"]["active"] = ["false"]
        changed = admin.put(
            f"{keycloak.url}/admin/realms/rotation/components/{provider['id']}", json=provider, timeout=30
        )
        assert changed.status_code == 204, changed.text

    new = keycloak.password_token(EMPLOYEE, PASSWORDS["employee"], realm="rotation")
    assert jwt.get_unverified_header(new)["kid"] != jwt.get_unverified_header(old)["kid"]
    response = service.client.get("/api/v1/notifications/preferences", headers=bearer(new))
    assert response.status_code == 200, response.get_json()
    # the old key is gone from the realm's JWKS: its token, accepted a moment ago, is refused now
    refused(service.client.get("/api/v1/notifications/preferences", headers=bearer(old)))


def test_a_user_removed_from_a_role_loses_that_access_at_the_next_renewal(service, keycloak):
    import requests

    admin = keycloak.admin()
    base = f"{keycloak.url}/admin/realms/binjai"
    api_client = admin.get(f"{base}/clients", params={"clientId": "kinerja-api"}, timeout=30).json()[0]["id"]
    admin_role = admin.get(f"{base}/clients/{api_client}/roles/admin", timeout=30).json()
    nip = "198811112015031099"
    created = admin.post(
        f"{base}/users",
        timeout=30,
        json={
            "username": nip,
            "enabled": True,
            "firstName": "Admin Sementara",
            "attributes": {"nip": [nip]},
            "credentials": [{"type": "password", "value": "role-test", "temporary": False}],
        },
    )
    assert created.status_code == 201, created.text
    user_id = created.headers["Location"].rsplit("/", 1)[1]
    assert (
        admin.post(
            f"{base}/users/{user_id}/role-mappings/clients/{api_client}", json=[admin_role], timeout=30
        ).status_code
        == 204
    )
    token_url = f"{keycloak.issuer()}/protocol/openid-connect/token"
    signed_in = requests.post(
        token_url,
        timeout=30,
        data={"grant_type": "password", "client_id": "kinerja-test", "username": nip, "password": "role-test"},
    ).json()
    assert service.client.get("/api/v1/webhooks", headers=bearer(signed_in["access_token"])).status_code == 200

    removed = admin.delete(f"{base}/users/{user_id}/role-mappings/clients/{api_client}", json=[admin_role], timeout=30)
    assert removed.status_code == 204
    renewed = requests.post(
        token_url,
        timeout=30,
        data={"grant_type": "refresh_token", "client_id": "kinerja-test", "refresh_token": signed_in["refresh_token"]},
    )
    assert renewed.status_code == 200, renewed.text
    assert service.client.get("/api/v1/webhooks", headers=bearer(renewed.json()["access_token"])).status_code == 403
