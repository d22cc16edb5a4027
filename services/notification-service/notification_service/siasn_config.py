"""Settings of the SIASN channel (siasn.py), validated at start-up with the service's own.

| setting | default | meaning |
|---|---|---|
| SIASN_BASE_URL | (unset: records are kept and exported, nothing is sent) | SIASN's web services, e.g. ``https://apimws.bkn.go.id:8243/apisiasn/1.0`` |
| SIASN_TOKEN_URL | ``<scheme://host:port of SIASN_BASE_URL>/oauth2/token`` | the API gateway's OAuth2 token endpoint |
| SIASN_CONSUMER_KEY / SIASN_CONSUMER_SECRET | (required with SIASN_BASE_URL) | the region's gateway consumer key and secret (client credentials) |
| SIASN_SSO_TOKEN_URL | (required with SIASN_BASE_URL) | BKN SSO's OpenID Connect token endpoint |
| SIASN_SSO_CLIENT_ID | (required with SIASN_BASE_URL) | the SSO client of the region |
| SIASN_SSO_USERNAME / SIASN_SSO_PASSWORD | (required with SIASN_BASE_URL) | the region's operator account (password grant) |
| SIASN_TOKEN_REFRESH_SECONDS | 60 | a token is renewed this long before it expires |
| SIASN_TIMEOUT_SECONDS | 20 | HTTP timeout per call |
| SIASN_MAX_ATTEMPTS | 10 | tries (5xx, timeouts) before a record is ``failed`` |
| SIASN_BACKOFF_SECONDS | 30 | first retry delay; doubles per retry |
| SIASN_BACKOFF_MAX_SECONDS | 3600 | longest retry delay |
| SIASN_POLL_SECONDS | 2 | how often the worker looks for due records |
| SIASN_DOCUMENTS | false | upload the evaluation's PDF (id_ref_dokumen 873 SKP, 890 periodic) with the record |
| SIASN_DOCUMENT_URL | ``http://evaluation-service:8000/api/v1/evaluations/{evaluation_id}/document.pdf`` | where the PDF is fetched |
| SIASN_DOCUMENT_TOKEN | (none) | the channel's own bearer token for that fetch (a service account's token) |

The secrets (consumer secret, SSO password, document token) are never logged nor answered by the API.
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kinerja_shared.config import ConfigError
from kinerja_shared.config import env_bool as _bool
from kinerja_shared.config import env_get as _get
from kinerja_shared.config import env_int as _int

DEFAULT_DOCUMENT_URL = "http://evaluation-service:8000/api/v1/evaluations/{evaluation_id}/document.pdf"
REQUIRED_WITH_BASE = (
    "SIASN_CONSUMER_KEY",
    "SIASN_CONSUMER_SECRET",
    "SIASN_SSO_TOKEN_URL",
    "SIASN_SSO_CLIENT_ID",
    "SIASN_SSO_USERNAME",
    "SIASN_SSO_PASSWORD",
)


@dataclass(frozen=True)
class SiasnSettings:
    base_url: str | None = None
    token_url: str | None = None
    consumer_key: str | None = None
    consumer_secret: str | None = field(default=None, repr=False)
    sso_token_url: str | None = None
    sso_client_id: str | None = None
    sso_username: str | None = None
    sso_password: str | None = field(default=None, repr=False)
    refresh_margin_seconds: float = 60.0
    timeout_seconds: float = 20.0
    max_attempts: int = 10
    backoff_seconds: float = 30.0
    backoff_max_seconds: float = 3600.0
    poll_seconds: float = 2.0
    documents: bool = False
    document_url: str = DEFAULT_DOCUMENT_URL
    document_token: str | None = field(default=None, repr=False)

    @property
    def sending(self) -> bool:
        return self.base_url is not None

    @classmethod
    def from_env(cls, env: Mapping[str, str], production: bool, number) -> SiasnSettings:
        """``number(env, name, default, minimum)``: the service's float reader."""
        base = _url(env, "SIASN_BASE_URL", production)
        values = {name: _get(env, name) for name in REQUIRED_WITH_BASE}
        if base is not None:
            lacking = [name for name, value in values.items() if value is None]
            if lacking:
                raise ConfigError(f"{', '.join(lacking)} must be set with SIASN_BASE_URL")
        token_url = _url(env, "SIASN_TOKEN_URL", production)
        if base is not None and token_url is None:
            parts = urlsplit(base)
            token_url = f"{parts.scheme}://{parts.netloc}/oauth2/token"
        document_url = _get(env, "SIASN_DOCUMENT_URL") or DEFAULT_DOCUMENT_URL
        if "{evaluation_id}" not in document_url or not document_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"SIASN_DOCUMENT_URL must be an http(s) URL with {{evaluation_id}} in it, got {document_url!r}"
            )
        return cls(
            base_url=base.rstrip("/") if base else None,
            token_url=token_url,
            consumer_key=values["SIASN_CONSUMER_KEY"],
            consumer_secret=values["SIASN_CONSUMER_SECRET"],
            sso_token_url=_url(env, "SIASN_SSO_TOKEN_URL", production),
            sso_client_id=values["SIASN_SSO_CLIENT_ID"],
            sso_username=values["SIASN_SSO_USERNAME"],
            sso_password=values["SIASN_SSO_PASSWORD"],
            refresh_margin_seconds=number(env, "SIASN_TOKEN_REFRESH_SECONDS", 60.0, 0.0),
            timeout_seconds=number(env, "SIASN_TIMEOUT_SECONDS", 20.0, 0.1),
            max_attempts=_int(env, "SIASN_MAX_ATTEMPTS", 10, 1, 100),
            backoff_seconds=number(env, "SIASN_BACKOFF_SECONDS", 30.0, 0.01),
            backoff_max_seconds=number(env, "SIASN_BACKOFF_MAX_SECONDS", 3600.0, 0.01),
            poll_seconds=number(env, "SIASN_POLL_SECONDS", 2.0, 0.01),
            documents=_bool(env, "SIASN_DOCUMENTS", False),
            document_url=document_url,
            document_token=_get(env, "SIASN_DOCUMENT_TOKEN"),
        )


def _url(env, name: str, production: bool) -> str | None:
    raw = _get(env, name)
    if raw is None:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{name} must be an http(s) URL, got {raw!r}")
    if production and parts.scheme != "https":
        raise ConfigError(f"{name} must be https when KINERJA_ENV=production (tokens travel on it)")
    return raw
