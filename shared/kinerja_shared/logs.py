"""JSON logs, one object per line, each carrying the correlation id in force.

Every line is redacted before it is written (docs/operations.md, "Logs"): the values of secret settings
(``*SECRET*``, ``*PASSWORD*``, ``*PRIVATE_KEY*``, ``*TOKEN*`` and the password inside ``DATABASE_URL``),
anything shaped like a JWT or following ``Bearer``, the values of extra fields named like a secret, and
e-mail addresses (kept as ``a***@domain``, enough to tell a mail domain's trouble) never reach the log.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from pythonjsonlogger.json import JsonFormatter

from .context import current_correlation_id

_configured = False

REDACTED = "[redacted]"
SECRET_NAME = re.compile(r"secret|password|passwd|private_key|token|authorization|api_key|signature", re.I)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")
_EMAIL = re.compile(r"\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\b")


def secret_values(env: Mapping[str, str]) -> list[str]:
    """The values of the settings that are secrets (longest first), to be cut out of every log line."""
    values = [v.strip() for k, v in env.items() if SECRET_NAME.search(k) and v and len(v.strip()) >= 4]
    for name in ("DATABASE_URL",):
        try:
            password = urlsplit(env.get(name) or "").password
        except ValueError:
            password = None
        if password and len(password) >= 4:
            values.append(password)
    return sorted(set(values), key=len, reverse=True)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` without secret values, tokens and full e-mail addresses."""
    for value in secrets:
        if value in text:
            text = text.replace(value, REDACTED)
    text = _JWT.sub(REDACTED, text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)


class RedactingJsonFormatter(JsonFormatter):
    """The JSON line with extra fields named like secrets blanked, then every secret value and e-mail cut out."""

    def __init__(self, *args, secrets: Iterable[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.secrets = list(secrets)

    def add_fields(self, log_data, record, message_dict) -> None:
        super().add_fields(log_data, record, message_dict)
        for key in list(log_data):
            if SECRET_NAME.search(str(key)) and log_data[key] not in (None, ""):
                log_data[key] = REDACTED

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


class _ContextFilter(logging.Filter):
    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlationid = current_correlation_id()
        record.service = self.service
        return True


def configure_logging(service: str, level: str = "INFO") -> None:
    """Route every logger to stderr as JSON. Safe to call more than once."""
    global _configured
    root = logging.getLogger()
    root.setLevel(level)
    if _configured:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        RedactingJsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(service)s %(correlationid)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            secrets=secret_values(os.environ),
        )
    )
    handler.addFilter(_ContextFilter(service))
    root.handlers[:] = [handler]
    for noisy in ("kafka", "kafka.conn", "kafka.client", "kafka.coordinator", "kafka.consumer", "kafka.producer"):
        logging.getLogger(noisy).setLevel(logging.WARNING if level != "DEBUG" else logging.INFO)
    _configured = True
