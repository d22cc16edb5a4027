"""deploy/keycloak/realm-binjai.json stays in step with the demo users, the console and `make run`
(no server needed: the tests beside this one check the same realm on a real Keycloak)."""

from __future__ import annotations

import json
import sys

from .conftest import PASSWORDS, REALM_FILE, ROOT

sys.path.insert(0, str(ROOT / "deploy" / "local"))
import kinerja  # noqa: E402  deploy/local/kinerja.py
from seed import DEMO_USERS  # noqa: E402

REALM = json.loads(REALM_FILE.read_text(encoding="utf-8"))


def clients() -> dict[str, dict]:
    return {c["clientId"]: c for c in REALM["clients"]}


def test_every_demo_user_signs_in_with_the_nip_unit_and_roles_of_the_dev_sign_in():
    users = {u["username"]: u for u in REALM["users"] if "serviceAccountClientId" not in u}
    assert set(users) == {u["nip"] for u in DEMO_USERS.values()}
    for role, demo in DEMO_USERS.items():
        user = users[demo["nip"]]
        assert user["attributes"] == {"nip": [demo["nip"]], "unit": [demo["unit"]]}
        assert sorted(user["clientRoles"]["kinerja-api"]) == sorted(demo["roles"])
        assert user["credentials"][0]["value"] == PASSWORDS[role] == kinerja.KEYCLOAK_PASSWORDS[role]
        assert user["firstName"] == demo["name"]


def test_the_console_is_a_public_pkce_client_redirecting_to_the_gateway():
    console = clients()["kinerja-console"]
    assert console["publicClient"] and console["standardFlowEnabled"] and not console["directAccessGrantsEnabled"]
    assert console["attributes"]["pkce.code.challenge.method"] == "S256"
    assert f"http://127.0.0.1:{kinerja.GATEWAY_PORT}/*" in console["redirectUris"]


def test_every_token_client_maps_nip_unit_roles_and_the_api_audience():
    for name in ("kinerja-console", "kinerja-service", "kinerja-test"):
        mappers = {m["protocolMapper"]: m["config"] for m in clients()[name]["protocolMappers"]}
        assert mappers["oidc-audience-mapper"]["included.client.audience"] == "kinerja-api", name
        assert mappers["oidc-usermodel-client-role-mapper"]["claim.name"] == "roles", name
        claims = {m["config"]["claim.name"] for m in clients()[name]["protocolMappers"] if "claim.name" in m["config"]}
        assert {"nip", "roles"} <= claims, name
    assert clients()["kinerja-service"]["serviceAccountsEnabled"] and not clients()["kinerja-service"]["publicClient"]


def test_users_cannot_edit_their_own_nip_or_unit():
    profile = json.loads(
        REALM["components"]["org.keycloak.userprofile.UserProfileProvider"][0]["config"]["kc.user.profile.config"][0]
    )
    edit = {a["name"]: a["permissions"]["edit"] for a in profile["attributes"]}
    assert edit["nip"] == edit["unit"] == ["admin"]


def test_make_run_points_the_services_at_the_realm():
    env = kinerja.keycloak_env()
    assert env["JWT_JWKS_URL"] == f"{kinerja.keycloak_issuer()}/protocol/openid-connect/certs"
    assert (env["JWT_AUDIENCE"], env["JWT_NIP_CLAIM"]) == ("kinerja-api", "nip")
    assert kinerja.keycloak_issuer().endswith("/realms/" + REALM["realm"])
