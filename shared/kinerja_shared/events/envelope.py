"""The CloudEvents 1.0 envelope (structured JSON mode) and its validation.

An event is a plain dict on the wire::

    {"specversion": "1.0", "id": "<uuid>", "source": "/kinerja/plan-service",
     "type": "PlanApproved", "time": "2026-01-31T02:00:00Z", "subject": "<aggregate id>",
     "dataschema": "urn:kinerja:event:PlanApproved:v1", "datacontenttype": "application/json",
     "correlationid": "<uuid>", "partitionkey": "<NIP>", "data": {...}}
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker

from ..context import current_correlation_id
from ..strict_json import dumps as strict_dumps
from .catalog import CATALOG

SPECVERSION = "1.0"
CONTENT_TYPE = "application/cloudevents+json"
REQUIRED = ("specversion", "id", "source", "type", "time", "subject", "dataschema", "data", "partitionkey")


class EventError(ValueError):
    """An event that cannot be accepted: the message says why (it goes into DLQ headers)."""


def dataschema_id(event_type: str, version: int) -> str:
    return f"urn:kinerja:event:{event_type}:v{version}"


def _parse_dataschema(value: str) -> tuple[str, int]:
    parts = str(value).split(":")
    if (
        len(parts) != 5
        or parts[:3] != ["urn", "kinerja", "event"]
        or not parts[4].startswith("v")
        or not parts[4][1:].isdigit()
    ):
        raise EventError(f"dataschema {value!r} is not of the form urn:kinerja:event:<Type>:v<N>")
    return parts[3], int(parts[4][1:])


@cache
def schema_validator(event_type: str, version: int) -> Draft202012Validator:
    name = f"{event_type}.v{version}.json"
    try:
        text = resources.files("kinerja_shared.events").joinpath("schemas", name).read_text()
    except FileNotFoundError:
        raise EventError(f"no schema {name} for event type {event_type} version {version}") from None
    schema = json.loads(text)
    return Draft202012Validator(schema, format_checker=FormatChecker())


_FORMATS = FormatChecker()


@cache
def fast_validator(event_type: str, version: int):
    """The same schema compiled by jsonschema-rs (Rust, ~35x faster): the hot path of every publish and
    every consumed event asks it first. Formats are checked by the very functions the Python validator
    uses, so both accept the same events; the Python validator explains a refusal (its message goes
    into the DLQ headers)."""
    return jsonschema_rs.validator_for(
        schema_validator(event_type, version).schema,
        validate_formats=True,
        formats={name: (lambda value, name=name: _FORMATS.conforms(value, name)) for name in ("date", "date-time")},
    )


def schema_document(event_type: str, version: int) -> dict:
    return schema_validator(event_type, version).schema


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def make_event(
    event_type: str,
    *,
    source_service: str,
    subject: str,
    partitionkey: str,
    data: dict[str, Any],
    version: int | None = None,
    correlationid: str | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    """Build an envelope. The correlation id defaults to the one of the request or event in hand."""
    if event_type not in CATALOG:
        raise EventError(f"unknown event type {event_type!r}")
    version = version or CATALOG[event_type].latest
    return {
        "specversion": SPECVERSION,
        "id": event_id or str(uuid.uuid4()),
        "source": f"/kinerja/{source_service}",
        "type": event_type,
        "time": utc_now_iso(),
        "subject": str(subject),
        "dataschema": dataschema_id(event_type, version),
        "datacontenttype": "application/json",
        "correlationid": correlationid or current_correlation_id() or str(uuid.uuid4()),
        "partitionkey": str(partitionkey),
        "data": data,
    }


def validate_event(event: dict[str, Any]) -> dict[str, Any]:
    """Check the envelope and the data against the type's schema; return the event or raise EventError."""
    if not isinstance(event, dict):
        raise EventError("event is not a JSON object")
    missing = [name for name in REQUIRED if name not in event or event[name] in (None, "")]
    if missing:
        raise EventError(f"envelope is missing {', '.join(missing)}")
    if event["specversion"] != SPECVERSION:
        raise EventError(f"specversion {event['specversion']!r} is not supported (expected 1.0)")
    try:
        uuid.UUID(str(event["id"]))
    except ValueError:
        raise EventError(f"id {event['id']!r} is not a UUID") from None
    event_type = event["type"]
    if event_type not in CATALOG:
        raise EventError(f"unknown event type {event_type!r}")
    schema_type, version = _parse_dataschema(event["dataschema"])
    if schema_type != event_type:
        raise EventError(f"dataschema names {schema_type} but type is {event_type}")
    if version not in CATALOG[event_type].versions:
        raise EventError(f"{event_type} version {version} is not in the catalog")
    if not isinstance(event["data"], dict):
        raise EventError("data is not a JSON object")
    if fast_validator(event_type, version).is_valid(event["data"]):
        return event
    errors = sorted(schema_validator(event_type, version).iter_errors(event["data"]), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.path) or "(root)"
        raise EventError(f"data does not match {event_type}.v{version}: at {where}: {first.message}")
    return event


class Event(dict):
    """A validated envelope with attribute access for the fields handlers use."""

    @property
    def id(self) -> str:
        return self["id"]

    @property
    def type(self) -> str:
        return self["type"]

    @property
    def data(self) -> dict[str, Any]:
        return self["data"]

    @property
    def subject(self) -> str:
        return self["subject"]

    @property
    def correlationid(self) -> str | None:
        return self.get("correlationid")

    @property
    def version(self) -> int:
        return _parse_dataschema(self["dataschema"])[1]


def parse_event(raw: bytes | str) -> Event:
    """Decode and validate an event read from Kafka; raise EventError with the reason."""
    try:
        decoded = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise EventError(f"value is not JSON: {exc}") from None
    return Event(validate_event(decoded))


def encode_event(event: dict[str, Any]) -> bytes:
    return strict_dumps(event, separators=(",", ":"), ensure_ascii=False).encode()


def kafka_headers(event: dict[str, Any]) -> list[tuple[str, bytes]]:
    return [
        ("content-type", CONTENT_TYPE.encode()),
        ("ce_id", str(event["id"]).encode()),
        ("ce_type", str(event["type"]).encode()),
    ]
