"""Optimistic concurrency: ``ETag`` on reads, ``If-Match`` on updates (412 when stale)."""
from __future__ import annotations

from flask import request

from .problems import PreconditionFailed, Problem


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


def require_if_match(entity_id: str, version: int) -> None:
    """``If-Match`` is required: 428 without it (naming the header), 412 when stale (``check_if_match``)."""
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        raise Problem(f"Send If-Match with the ETag you read (current: {etag_for(entity_id, version)}), so that two "
                      "people cannot overwrite each other's change.", status=428, title="Precondition Required",
                      errors=[{"field": "If-Match", "message": "is required"}], current_version=version)
    check_if_match(entity_id, version)
