"""Issue 9, JWT: every refused token is a 401 problem+json from a real gunicorn process (RS256, issuer, audience),
and clock skew is bounded by JWT_LEEWAY_SECONDS (read from the service's settings, not assumed).

shared/tests/test_auth.py checks TokenVerifier alone; this checks the whole path a client sees.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kinerja_shared.config import Settings

from . import seeds
from .live import LiveService

ISSUER, AUDIENCE = "https://sso.binjaikota.go.id", "kinerja"
ENDPOINT = "/api/v1/notifications/unread-count"


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.fixture(scope="module")
def keys():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@pytest.fixture(scope="module")
def web(kafka_bootstrap, new_database, tmp_path_factory, keys):
    live = LiveService(
        "notification-service",
        kafka_bootstrap,
        new_database("notification-service"),
        tmp_path_factory.mktemp("jwt"),
        worker=False,
        JWT_PUBLIC_KEY=keys[1],
        JWT_ISSUER=ISSUER,
        JWT_AUDIENCE=AUDIENCE,
    )
    live.settings = Settings.from_env("notification-service", live.env)
    yield live
    live.stop()


def claims(**over) -> dict:
    now = int(time.time())
    c = {
        "sub": seeds.EMPLOYEE,
        "name": "Andi",
        "unit": seeds.UNIT,
        "roles": ["employee"],
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }
    c.update(over)
    return c


def call(web, token: str) -> requests.Response:
    return requests.get(
        web.url + ENDPOINT, headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"}, timeout=15
    )


def test_a_good_rs256_token_is_accepted(web, keys):
    response = call(web, jwt.encode(claims(), keys[0], algorithm="RS256"))
    assert response.status_code == 200, response.text


def refused_tokens(private: str, public: str) -> dict[str, str]:
    now = int(time.time())
    good = jwt.encode(claims(), private, algorithm="RS256")
    header, payload, signature = good.split(".")
    hs_header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    hs_payload = b64(json.dumps(claims(roles=["admin"])).encode())
    confused = hmac.new(public.encode(), f"{hs_header}.{hs_payload}".encode(), hashlib.sha256).digest()
    return {
        "expired": jwt.encode(claims(iat=now - 7200, nbf=now - 7200, exp=now - 3600), private, algorithm="RS256"),
        "not yet valid": jwt.encode(claims(nbf=now + 3600, exp=now + 7200), private, algorithm="RS256"),
        "wrong issuer": jwt.encode(claims(iss="https://evil.example"), private, algorithm="RS256"),
        "wrong audience": jwt.encode(claims(aud="another-app"), private, algorithm="RS256"),
        "no audience": jwt.encode({k: v for k, v in claims().items() if k != "aud"}, private, algorithm="RS256"),
        "alg=none": f"{b64(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())}.{hs_payload}.",
        "HS256 keyed with the RS256 public key": f"{hs_header}.{hs_payload}.{b64(confused)}",
        "tampered payload": f"{header}.{b64(json.dumps(claims(roles=['admin'])).encode())}.{signature}",
        "signed by another key": jwt.encode(
            claims(), rsa.generate_private_key(public_exponent=65537, key_size=2048), algorithm="RS256"
        ),
        "not a JWT": "definitely-not-a-token",
    }


def test_every_bad_token_is_a_401_problem_over_http(web, keys):
    wrong = {}
    for what, token in refused_tokens(*keys).items():
        response = call(web, token)
        body = (
            response.json() if response.headers.get("Content-Type", "").startswith("application/problem+json") else None
        )
        if response.status_code != 401 or body is None or body.get("status") != 401:
            wrong[what] = (response.status_code, response.headers.get("Content-Type"), response.text[:200])
        elif "Bearer" not in response.headers.get("WWW-Authenticate", ""):
            wrong[what] = "no WWW-Authenticate: Bearer"
    assert not wrong, wrong
    missing = requests.get(web.url + ENDPOINT, timeout=15)
    assert missing.status_code == 401 and missing.headers["Content-Type"].startswith("application/problem+json")


def test_clock_skew_is_bounded_by_the_leeway_setting(web, keys):
    leeway = web.settings.jwt_leeway_seconds
    assert 0 < leeway <= 300, "JWT_LEEWAY_SECONDS is bounded by the settings' validation"
    now = int(time.time())
    # An issuer whose clock runs ahead by a little less than the leeway: accepted.
    ahead = jwt.encode(claims(iat=now + leeway - 10, nbf=now + leeway - 10, exp=now + 900), keys[0], algorithm="RS256")
    assert call(web, ahead).status_code == 200
    # Ten minutes ahead: refused, as is a token that expired just beyond the leeway.
    far = jwt.encode(claims(iat=now + 600, nbf=now + 600, exp=now + 1200), keys[0], algorithm="RS256")
    response = call(web, far)
    assert response.status_code == 401 and "not valid yet" in response.json()["detail"]
    stale = jwt.encode(claims(iat=now - 900, nbf=now - 900, exp=now - leeway - 10), keys[0], algorithm="RS256")
    assert call(web, stale).status_code == 401
    # Just expired, within the leeway: still accepted (a client's clock a few seconds behind).
    late = jwt.encode(claims(iat=now - 900, nbf=now - 900, exp=now - max(1, leeway - 10)), keys[0], algorithm="RS256")
    assert call(web, late).status_code == 200
