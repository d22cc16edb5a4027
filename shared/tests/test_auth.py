"""JWT verification: what is accepted and everything that must be refused (pure unit tests)."""

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kinerja_shared.auth import AuthError, TokenVerifier, mint_token
from kinerja_shared.config import ConfigError, Settings

NIP = "199001012015011001"


@pytest.fixture(scope="module")
def rsa_keys():
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


def dev_settings(**env):
    return Settings.from_env("test", env)


def claims(**over):
    now = int(time.time())
    c = {"sub": NIP, "name": "Ani", "unit": "dinkes", "roles": ["employee"], "iat": now, "exp": now + 600}
    c.update(over)
    return c


def test_a_minted_development_token_is_accepted():
    s = dev_settings()
    p = TokenVerifier(s).verify(mint_token(s, sub=NIP, name="Ani", unit="dinkes", roles=["employee", "supervisor"]))
    assert (p.sub, p.name, p.unit, p.roles) == (NIP, "Ani", "dinkes", frozenset({"employee", "supervisor"}))


def test_expired_token_is_refused():
    s = dev_settings()
    token = jwt.encode(claims(exp=int(time.time()) - 3600), s.jwt_secret, algorithm="HS256")
    with pytest.raises(AuthError, match="expired"):
        TokenVerifier(s).verify(token)


def test_expiry_within_the_leeway_is_accepted_and_just_past_it_refused():
    s = dev_settings(JWT_LEEWAY_SECONDS="30")
    ok = jwt.encode(claims(exp=int(time.time()) - 10), s.jwt_secret, algorithm="HS256")
    TokenVerifier(s).verify(ok)
    late = jwt.encode(claims(exp=int(time.time()) - 60), s.jwt_secret, algorithm="HS256")
    with pytest.raises(AuthError):
        TokenVerifier(s).verify(late)


def test_a_token_accepted_before_is_still_refused_once_it_expires():
    """Accepted tokens are remembered (the same token comes with every request), but not past their expiry."""
    s = dev_settings(JWT_LEEWAY_SECONDS="0")
    verifier = TokenVerifier(s)
    token = jwt.encode(claims(exp=int(time.time()) + 2), s.jwt_secret, algorithm="HS256")
    assert verifier.verify(token).sub == NIP
    assert verifier.verify(token).sub == NIP
    time.sleep(max(0.0, jwt.decode(token, options={"verify_signature": False})["exp"] - time.time()) + 0.05)
    with pytest.raises(AuthError, match="expired"):
        verifier.verify(token)
    with pytest.raises(AuthError, match="invalid"):  # a remembered token does not vouch for a forged twin
        verifier.verify(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))


def test_not_yet_valid_token_is_refused():
    s = dev_settings()
    token = jwt.encode(claims(nbf=int(time.time()) + 3600), s.jwt_secret, algorithm="HS256")
    with pytest.raises(AuthError, match="not valid yet"):
        TokenVerifier(s).verify(token)


def test_wrong_signature_is_refused():
    s = dev_settings()
    token = jwt.encode(claims(), "another-secret-that-is-long-enough-to-sign-with", algorithm="HS256")
    with pytest.raises(AuthError, match="invalid"):
        TokenVerifier(s).verify(token)


def _unsigned(payload: dict) -> str:
    def b64(d):
        return base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")

    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(payload)}."


def test_alg_none_is_refused():
    with pytest.raises(AuthError):
        TokenVerifier(dev_settings()).verify(_unsigned(claims(roles=["admin"])))


def test_tampered_payload_is_refused():
    s = dev_settings()
    header, payload, sig = mint_token(s, sub=NIP, roles=["employee"]).split(".")
    forged = base64.urlsafe_b64encode(json.dumps(claims(roles=["admin"])).encode()).decode().rstrip("=")
    with pytest.raises(AuthError):
        TokenVerifier(s).verify(f"{header}.{forged}.{sig}")


def test_missing_exp_is_refused():
    s = dev_settings()
    c = claims()
    c.pop("exp")
    with pytest.raises(AuthError):
        TokenVerifier(s).verify(jwt.encode(c, s.jwt_secret, algorithm="HS256"))


def test_unknown_role_is_refused():
    s = dev_settings()
    with pytest.raises(AuthError, match="roles"):
        TokenVerifier(s).verify(jwt.encode(claims(roles=["superuser"]), s.jwt_secret, algorithm="HS256"))


def test_rs256_with_public_key_accepts_its_tokens_and_refuses_hs256_signed_with_the_public_key(rsa_keys):
    private, public = rsa_keys
    s = dev_settings(
        JWT_PUBLIC_KEY=public,
        JWT_PRIVATE_KEY=private,
        JWT_ISSUER="https://sso.binjaikota.go.id",
        JWT_AUDIENCE="kinerja",
    )
    verifier = TokenVerifier(s)
    assert verifier.verify(mint_token(s, sub=NIP, roles=["admin"])).is_admin
    # The classic key-confusion attack: HS256 keyed with the RSA public key.
    import hashlib
    import hmac

    def b64(b):
        return base64.urlsafe_b64encode(b).decode().rstrip("=")

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps(claims(iss="https://sso.binjaikota.go.id", aud="kinerja", roles=["admin"])).encode())
    sig = b64(hmac.new(public.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest())
    with pytest.raises(AuthError, match="algorithm"):
        verifier.verify(f"{header}.{payload}.{sig}")


def test_wrong_issuer_and_audience_are_refused(rsa_keys):
    private, public = rsa_keys
    s = dev_settings(JWT_PUBLIC_KEY=public, JWT_ISSUER="https://sso.binjaikota.go.id", JWT_AUDIENCE="kinerja")
    verifier = TokenVerifier(s)
    with pytest.raises(AuthError, match="issuer"):
        verifier.verify(jwt.encode(claims(iss="https://evil.example", aud="kinerja"), private, algorithm="RS256"))
    with pytest.raises(AuthError, match="audience"):
        verifier.verify(jwt.encode(claims(iss="https://sso.binjaikota.go.id", aud="other"), private, algorithm="RS256"))


def test_production_refuses_the_development_secret():
    with pytest.raises(ConfigError, match="JWT_PUBLIC_KEY"):
        Settings.from_env("test", {"KINERJA_ENV": "production"})
    with pytest.raises(ConfigError, match="RS256"):
        Settings.from_env("test", {"KINERJA_ENV": "production", "JWT_SECRET": "x" * 40})


def test_not_before_within_the_leeway_is_accepted_and_beyond_it_refused():
    s = dev_settings(JWT_LEEWAY_SECONDS="30")
    now = int(time.time())
    TokenVerifier(s).verify(jwt.encode(claims(nbf=now + 20, iat=now + 20), s.jwt_secret, algorithm="HS256"))
    with pytest.raises(AuthError, match="not valid yet"):
        TokenVerifier(s).verify(jwt.encode(claims(nbf=now + 600, iat=now + 600), s.jwt_secret, algorithm="HS256"))
