"""JWT verification against a JWKS URL (issue 21): keys by kid, a rotated key fetched once, a key
dropped from the set refused, the fetch rate bounded, and the claim mapping of a Keycloak realm.

A local HTTP server plays the identity provider's JWKS endpoint and counts how often it is read.
tests/keycloak runs the same paths against a real Keycloak.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from kinerja_shared.auth import AuthError, TokenVerifier
from kinerja_shared.config import ConfigError, Settings

NIP = "199208172019031004"


class Provider:
    """An identity provider's JWKS endpoint with keys that can be added and dropped."""

    def __init__(self):
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.fetches = 0
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                provider.fetches += 1
                body = json.dumps(
                    {
                        "keys": [
                            {
                                **json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(k.public_key())),
                                "kid": kid,
                                "use": "sig",
                                "alg": "RS256",
                            }
                            for kid, k in provider.keys.items()
                        ]
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/certs"

    def add(self, kid: str) -> None:
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def token(self, kid: str, key: rsa.RSAPrivateKey | None = None, **claims) -> str:
        now = int(time.time())
        body = {
            "sub": "6f1c-keycloak-user-id",
            "nip": NIP,
            "name": "Andi Pratama",
            "unit": "dinkes-yankes",
            "realm_access": {"roles": ["default-roles-binjai", "offline_access", "employee"]},
            "resource_access": {"kinerja-api": {"roles": ["employee", "supervisor"]}},
            "iss": "https://sso.example/realms/binjai",
            "aud": ["kinerja-api", "account"],
            "iat": now,
            "exp": now + 300,
            **claims,
        }
        return jwt.encode(body, key or self.keys[kid], algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def provider():
    p = Provider()
    p.add("k1")
    yield p
    p.server.shutdown()


def verifier(provider, **env) -> TokenVerifier:
    return TokenVerifier(
        Settings.from_env(
            "test",
            {
                "JWT_JWKS_URL": provider.url,
                "JWT_ISSUER": "https://sso.example/realms/binjai",
                "JWT_AUDIENCE": "kinerja-api",
                "JWT_NIP_CLAIM": "nip",
                "JWT_ROLES_CLAIM": "realm_access.roles",
                **env,
            },
        )
    )


def test_keycloak_claims_map_to_the_principal(provider):
    p = verifier(provider).verify(provider.token("k1"))
    assert (p.sub, p.name, p.unit, p.roles) == (NIP, "Andi Pratama", "dinkes-yankes", frozenset({"employee"}))
    client_roles = verifier(provider, JWT_ROLES_CLAIM="resource_access.kinerja-api.roles").verify(provider.token("k1"))
    assert client_roles.roles == frozenset({"employee", "supervisor"})


def test_a_token_without_the_nip_claim_is_refused(provider):
    with pytest.raises(AuthError, match='no "nip" claim'):
        verifier(provider).verify(provider.token("k1", nip=None))


def test_a_rotated_key_is_fetched_once_and_a_dropped_key_is_refused_even_when_remembered(provider):
    v = verifier(provider, JWT_JWKS_REFRESH_SECONDS="0")
    old = provider.token("k1")
    assert v.verify(old).sub == NIP and provider.fetches == 1
    provider.add("k2")
    old_key = provider.keys.pop("k1")
    assert v.verify(provider.token("k2")).sub == NIP  # unknown kid: the set is read again
    assert provider.fetches == 2
    with pytest.raises(AuthError, match="signing key is unknown"):
        v.verify(old)  # accepted a moment ago, but its key is gone from the new set
    with pytest.raises(AuthError, match="signing key is unknown"):
        v.verify(provider.token("k1", key=old_key))


def test_unknown_kids_fetch_the_set_at_most_once_per_refresh_interval(provider):
    v = verifier(provider, JWT_JWKS_REFRESH_SECONDS="3600")
    v.verify(provider.token("k1"))
    forged = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for i in range(5):
        with pytest.raises(AuthError, match="signing key is unknown"):
            v.verify(provider.token(f"forged-{i}", key=forged))
    assert provider.fetches == 1  # the first fetch is within the interval: no second one


def test_the_claim_settings_are_checked():
    with pytest.raises(ConfigError, match="JWT_ROLES_CLAIM"):
        Settings.from_env("test", {"JWT_ROLES_CLAIM": "realm_access..roles"})
    with pytest.raises(ConfigError, match="JWT_JWKS_REFRESH_SECONDS"):
        Settings.from_env("test", {"JWT_JWKS_REFRESH_SECONDS": "-1"})
