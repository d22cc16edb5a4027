"""Optimistic concurrency: ``ETag`` on reads, ``If-Match`` on updates (412 when stale)."""
from __future__ import annotations

from flask import request

from .problems import PreconditionFailed


def etag_for(entity_id: str, version: int) -> str:
    return f'"{entity_id}.{version}"'


def check_if_match(entity_id: str, version: int) -> None:
    """Raise 412 when the client sent If-Match and it is not the current version."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    if etag_for(entity_id, version) not in tags:
        raise PreconditionFailed(
            f"The resource changed since you read it (current version {version}); read it again and retry.",
            title="Stale If-Match", current_version=version,
        )


def with_etag(body: dict, entity_id: str, version: int):
    """A (body, status, headers) triple with the ETag header set."""
    return body, 200, {"ETag": etag_for(entity_id, version)}
