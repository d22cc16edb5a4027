"""SIASN's web services over HTTP: the two tokens, saving a record, attaching a document.

Every call carries both tokens (SIASN.md): ``Authorization: Bearer <gateway token>`` (OAuth2
client credentials at the API gateway, HTTP Basic with the consumer key and secret) and
``Auth: bearer <SSO token>`` (the region's operator account at BKN's SSO, password grant).
Each token is kept in memory and renewed SIASN_TOKEN_REFRESH_SECONDS before it expires; a 401
from SIASN drops both so the next call fetches fresh ones. Secrets and tokens are never logged.

The standard library only (urllib): no new dependency.
"""

from __future__ import annotations

import base64
import json
import logging
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

from .siasn_config import SiasnSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reply:
    """An answer (status and JSON body), or no answer (status None: timeout, connection failure)."""

    status: int | None
    body: dict | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return (
            self.status is not None and 200 <= self.status < 300 and (self.body or {}).get("success", True) is not False
        )

    @property
    def retryable(self) -> bool:
        """A timeout, no connection, a 5xx, a 429 or a 401 (the tokens are renewed): try again later."""
        return self.status is None or self.status >= 500 or self.status in (401, 408, 429)

    @property
    def message(self) -> str:
        """SIASN's message (a refusal's reason) or what failed."""
        text = (self.body or {}).get("message") if isinstance(self.body, dict) else None
        if text:
            return str(text)[:2000]
        return self.error or f"HTTP {self.status}"


class TokenError(Exception):
    """A token endpoint refused or did not answer; the message says which, never a secret."""

    def __init__(self, message: str, retryable: bool = True):
        super().__init__(message)
        self.retryable = retryable


def _reason(exc: BaseException) -> str:
    if isinstance(exc, (TimeoutError, socket.timeout)) or "timed out" in str(exc):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError) or "refused" in str(exc).lower():
        return "connection refused"
    return "network error"


def _request(method: str, url: str, *, headers: dict, data: bytes | None, timeout: float) -> Reply:
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310 - the configured SIASN URL
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        raw, status = exc.read(), exc.code
    except (urllib.error.URLError, OSError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        return Reply(None, None, _reason(reason if isinstance(reason, BaseException) else exc))
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = None
    return Reply(
        status,
        body if isinstance(body, dict) else None,
        None if body is not None or 200 <= status < 300 else f"HTTP {status}",
    )


class _Token:
    def __init__(self):
        self.value: str | None = None
        self.expires_at = 0.0


class Client:
    """One per worker process; thread-safe."""

    def __init__(self, settings: SiasnSettings, clock=time.monotonic):
        self.s = settings
        self.clock = clock
        self._lock = threading.Lock()
        self._gateway = _Token()
        self._sso = _Token()
        self.token_fetches = {"gateway": 0, "sso": 0}

    # -- tokens ------------------------------------------------------------------------------

    def _fetch(self, which: str, url: str, form: dict, headers: dict) -> tuple[str, float]:
        reply = _request(
            "POST",
            url,
            headers={"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded", **headers},
            data=urllib.parse.urlencode(form).encode(),
            timeout=self.s.timeout_seconds,
        )
        token = (reply.body or {}).get("access_token")
        if reply.status is None or reply.status >= 500:
            raise TokenError(f"the {which} token endpoint did not answer ({reply.message})")
        if reply.status != 200 or not isinstance(token, str):
            raise TokenError(
                f"the {which} token endpoint refused the credentials (HTTP {reply.status})", retryable=False
            )
        self.token_fetches[which] += 1
        try:
            lifetime = float((reply.body or {}).get("expires_in") or 300)
        except (TypeError, ValueError):
            lifetime = 300.0
        log.info("siasn token renewed", extra={"token": which, "expires_in_s": lifetime})
        return token, self.clock() + lifetime

    def _current(self, token: _Token, which: str, fetch) -> str:
        if token.value is None or self.clock() >= token.expires_at - self.s.refresh_margin_seconds:
            token.value, token.expires_at = fetch()
        return token.value

    def tokens(self) -> tuple[str, str]:
        """(gateway token, SSO token), each renewed before it expires."""
        s = self.s
        basic = base64.b64encode(f"{s.consumer_key}:{s.consumer_secret}".encode()).decode()
        with self._lock:
            gateway = self._current(
                self._gateway,
                "gateway",
                lambda: self._fetch(
                    "gateway", s.token_url, {"grant_type": "client_credentials"}, {"Authorization": f"Basic {basic}"}
                ),
            )
            sso = self._current(
                self._sso,
                "sso",
                lambda: self._fetch(
                    "sso",
                    s.sso_token_url,
                    {
                        "grant_type": "password",
                        "client_id": s.sso_client_id,
                        "username": s.sso_username,
                        "password": s.sso_password,
                    },
                    {},
                ),
            )
        return gateway, sso

    def forget_tokens(self) -> None:
        with self._lock:
            self._gateway.value = self._sso.value = None

    def _headers(self) -> dict:
        gateway, sso = self.tokens()
        return {"Authorization": f"Bearer {gateway}", "Auth": f"bearer {sso}", "Accept": "application/json"}

    def _call(self, method: str, path: str, data: bytes, content_type: str) -> Reply:
        reply = _request(
            method,
            self.s.base_url + path,
            headers={**self._headers(), "Content-Type": content_type},
            data=data,
            timeout=self.s.timeout_seconds,
        )
        if reply.status == 401:
            self.forget_tokens()
        return reply

    # -- records and documents ---------------------------------------------------------------

    def get(self, path: str) -> Reply:
        reply = _request(
            "GET", self.s.base_url + path, headers=self._headers(), data=None, timeout=self.s.timeout_seconds
        )
        if reply.status == 401:
            self.forget_tokens()
        return reply

    def save(self, path: str, body: dict) -> Reply:
        return self._call("POST", path, json.dumps(body, separators=(",", ":")).encode(), "application/json")

    def attach_document(self, record_id: str, ref: int, pdf: bytes, filename: str) -> Reply:
        """``POST /upload-dok-rw`` (multipart: file, id_riwayat, id_ref_dokumen)."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in (("id_riwayat", record_id), ("id_ref_dokumen", str(ref))):
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
            + pdf
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self._call("POST", "/upload-dok-rw", b"".join(parts), f"multipart/form-data; boundary={boundary}")


def saved_id(reply: Reply) -> str | None:
    """SIASN's id of the stored record from ``mapData`` (a string, or an object holding one id)."""
    data = (reply.body or {}).get("mapData")
    if isinstance(data, (str, int)) and str(data):
        return str(data)
    if isinstance(data, dict):
        for key in ("id", "rwSkp22Id", "rwKinerjaPeriodikId", "rwAngkaKreditId"):
            if data.get(key):
                return str(data[key])
        values = [v for v in data.values() if isinstance(v, (str, int))]
        if len(values) == 1:
            return str(values[0])
    return None


def fetch_document(settings: SiasnSettings, evaluation_id: str) -> bytes | None:
    """The evaluation's PDF from the documents endpoint with the channel's own token; None when there is
    none (404, or any failure: the record goes without it and the document stays pending)."""
    url = settings.document_url.replace("{evaluation_id}", urllib.parse.quote(evaluation_id, safe=""))
    headers = {"Accept": "application/pdf"}
    if settings.document_token:
        headers["Authorization"] = f"Bearer {settings.document_token}"
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=settings.timeout_seconds) as response:  # noqa: S310
            body = response.read()
    except urllib.error.HTTPError as exc:
        if exc.code != 404:
            log.warning("siasn document fetch failed", extra={"evaluation_id": evaluation_id, "status": exc.code})
        return None
    except (urllib.error.URLError, OSError) as exc:
        log.warning("siasn document fetch failed", extra={"evaluation_id": evaluation_id, "error": _reason(exc)})
        return None
    return body if body.startswith(b"%PDF") else None
