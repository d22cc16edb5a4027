"""JWT bearer authentication: RS256 (PEM or JWKS) in production, HS256 for development.

Claims: ``sub`` (the NIP), ``name``, ``unit``, ``roles`` (employee, supervisor, unit_head,
admin); an identity provider that puts them elsewhere (Keycloak: ``nip`` as a user-attribute
claim, roles in ``realm_access.roles`` or ``resource_access.<client>.roles``) is read through
JWT_NIP_CLAIM, JWT_NAME_CLAIM, JWT_UNIT_CLAIM and JWT_ROLES_CLAIM (dotted paths). With a JWKS URL
the keys are cached by ``kid``; a token with an unknown ``kid`` (a rotated realm key) fetches the
set again, at most once per JWT_JWKS_REFRESH_SECONDS, and the set is re-read at least every
JWT_JWKS_CACHE_SECONDS, so a key the provider drops stops being accepted. Expired, not-yet-valid, unsigned
(``alg=none``), wrongly signed, wrong issuer or audience: all rejected. Only the one configured algorithm is
accepted, so an HS256 token signed with the RS256 public key is refused too. Clock skew is bounded by
JWT_LEEWAY_SECONDS.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt

from .config import Settings

ROLES = ("employee", "supervisor", "unit_head", "admin")


class AuthError(Exception):
    """The token is missing or not acceptable; the message is safe to show the client."""


@dataclass(frozen=True)
class Principal:
    sub: str
    name: str
    unit: str | None
    roles: frozenset[str]

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles


class TokenVerifier:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.algorithm = settings.jwt_algorithm
        # cache_keys=False: PyJWKClient's per-kid cache never forgets a key the provider has dropped;
        # the key set cache (lifespan) and the refresh on an unknown kid (cooldown) do.
        self._jwks = (
            jwt.PyJWKClient(
                settings.jwt_jwks_url,
                cache_keys=False,
                cache_jwk_set=True,
                lifespan=settings.jwt_jwks_cache_seconds,
                cooldown_duration=settings.jwt_jwks_refresh_seconds,
                timeout=10,
            )
            if settings.jwt_jwks_url
            else None
        )
        self._key = settings.jwt_public_key if settings.jwt_public_key else settings.jwt_secret
        if self._key and self.algorithm == "RS256":  # parse the PEM once, not on every request
            try:
                self._key = jwt.get_algorithm_by_name("RS256").prepare_key(self._key)
            except (ValueError, TypeError, jwt.InvalidKeyError):
                pass  # refused per token, as before ("token is invalid")
        self._accepted: dict[str, tuple[Principal, float, float, float]] = {}

    def verify(self, token: str) -> Principal:
        """The token's principal, or AuthError.

        A token that passed every check is remembered (up to ``CACHE_SIZE`` tokens, each for at most
        ``CACHE_SECONDS``): a client sends the same token on every request, and checking its
        signature and claims again cost more than many endpoints' own work. A remembered token is
        still refused once it expires (or before it becomes valid), with the same leeway.
        """
        now = time.time()
        hit = self._accepted.get(token)
        if hit is not None:
            principal, not_before, expires, remembered_until, keys_version = hit
            if not_before <= now < expires and now < remembered_until and keys_version == self._keys_version():
                return principal
            self._accepted.pop(token, None)
        principal, claims = self._verify(token)
        leeway = self.settings.jwt_leeway_seconds
        starts = [float(claims[k]) for k in ("nbf", "iat") if isinstance(claims.get(k), (int, float))]
        if len(self._accepted) >= self.CACHE_SIZE:
            self._accepted.clear()
        self._accepted[token] = (
            principal,
            max(starts, default=float("-inf")) - leeway,
            float(claims["exp"]) + leeway,
            now + self.CACHE_SECONDS,
            self._keys_version(),
        )
        return principal

    def _keys_version(self) -> float | None:
        """Changes whenever the JWKS is fetched again: tokens remembered before are checked anew."""
        return self._jwks._last_successful_fetch if self._jwks is not None else None

    CACHE_SIZE = 10_000
    CACHE_SECONDS = 60.0

    def _verify(self, token: str) -> tuple[Principal, dict]:
        try:
            key = self._jwks.get_signing_key_from_jwt(token).key if self._jwks else self._key
            options = {"require": ["exp"], "verify_aud": self.settings.jwt_audience is not None}
            claims = jwt.decode(
                token,
                key,
                algorithms=[self.algorithm],
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                leeway=self.settings.jwt_leeway_seconds,
                options=options,
            )
        except jwt.ExpiredSignatureError:
            raise AuthError("token has expired") from None
        except jwt.ImmatureSignatureError:
            raise AuthError("token is not valid yet") from None
        except jwt.InvalidAudienceError:
            raise AuthError("token audience is not accepted") from None
        except jwt.InvalidIssuerError:
            raise AuthError("token issuer is not accepted") from None
        except jwt.InvalidAlgorithmError:
            raise AuthError(f"token algorithm is not accepted (expected {self.algorithm})") from None
        except jwt.PyJWKClientError:
            raise AuthError("token signing key is unknown") from None
        except jwt.InvalidTokenError as exc:
            raise AuthError(f"token is invalid: {exc}") from None
        s = self.settings
        roles = claim(claims, s.jwt_roles_claim) or []
        if isinstance(roles, str):
            roles = [roles]
        if not isinstance(roles, list):
            raise AuthError(f"token roles must be a list of {', '.join(ROLES)}")
        if s.jwt_roles_claim == "roles":
            if any(r not in ROLES for r in roles):
                raise AuthError(f"token roles must be a list of {', '.join(ROLES)}")
        else:  # a provider's role list (realm_access.roles) also holds its own roles: keep ours
            roles = [r for r in roles if r in ROLES]
        nip = claim(claims, s.jwt_nip_claim)
        if nip is None or isinstance(nip, (dict, list, bool)) or str(nip).strip() == "":
            raise AuthError(f'token has no "{s.jwt_nip_claim}" claim (the NIP)')
        sub = str(nip)
        unit = claim(claims, s.jwt_unit_claim)
        name = claim(claims, s.jwt_name_claim)
        return Principal(
            sub=sub, name=str(name or sub), unit=unit if isinstance(unit, str) else None, roles=frozenset(roles)
        ), claims


def claim(claims: dict, path: str):
    """The value at a claim name or dotted path (``realm_access.roles``), or None."""
    value = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def mint_token(
    settings: Settings,
    *,
    sub: str,
    name: str | None = None,
    unit: str | None = None,
    roles: list[str] | tuple[str, ...] = ("employee",),
    ttl_seconds: int = 8 * 3600,
    extra: dict | None = None,
) -> str:
    """Mint a token with the development secret (HS256) or, when set, the RS256 private key."""
    now = int(time.time())
    claims = {
        "sub": sub,
        "name": name or sub,
        "unit": unit,
        "roles": list(roles),
        "iat": now,
        "nbf": now,
        "exp": now + ttl_seconds,
    }
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    if settings.jwt_audience:
        claims["aud"] = settings.jwt_audience
    claims.update(extra or {})
    if settings.jwt_algorithm == "RS256":
        if not settings.jwt_private_key:
            raise AuthError("minting RS256 tokens needs JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE")
        return jwt.encode(claims, settings.jwt_private_key, algorithm="RS256")
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")
