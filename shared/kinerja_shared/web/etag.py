"""Optimistic concurrency: ``ETag`` on reads, ``If-Match`` on updates.

Every PATCH, PUT and DELETE of a versioned resource (one whose GET sends an ``ETag``) calls
``require_if_match``: without ``If-Match`` the answer is 428 Precondition Required naming the
header, with a stale one 412 Precondition Failed; so two editors can no longer overwrite each
other's change silently. ``If-Match: *`` is an explicit "whatever the current version is".
The state-changing POST actions (submit, close, verify...) call ``check_if_match``: a stale
``If-Match`` is 412, none is accepted (their state machine already refuses a repeated action).
Decorate a write that requires it with ``if_match_documented`` so its OpenAPI entry shows the
header and both answers.
"""

from __future__ import annotations

from flask import request

from .problems import PreconditionFailed, Problem

IF_MATCH = "If-Match"


def etag_for(entity_id: str, version: int) -> str:
    return f'"{entity_id}.{version}"'


def check_if_match(entity_id: str, version: int, *, required: bool = False) -> None:
    """Raise 412 when the client sent If-Match and it is not the current version (428 when absent and required)."""
    header = request.headers.get(IF_MATCH)
    if header is None or not header.strip():
        if required:
            raise Problem(
                f"Send {IF_MATCH} with the ETag of your last read of this resource (GET it first); "
                "without it a change made meanwhile by someone else would be overwritten.",
                status=428,
                title="If-Match required",
                current_version=version,
                errors=[
                    {"field": IF_MATCH, "location": "headers", "message": "required: the ETag of the version you read"}
                ],
            )
        return
    if header.strip() == "*":
        return
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    if etag_for(entity_id, version) not in tags:
        raise PreconditionFailed(
            f"The resource changed since you read it (current version {version}); read it again and retry.",
            title="Stale If-Match",
            current_version=version,
        )


def require_if_match(entity_id: str, version: int) -> None:
    """For PATCH/PUT/DELETE of an existing versioned resource: 428 without If-Match, 412 when stale."""
    check_if_match(entity_id, version, required=True)


def if_match_documented(blp, *, when: str = ""):
    """Document a write's ``If-Match`` header and its 412 and 428 answers (for ``require_if_match``).

    ``when``: when the header is needed, if not always (e.g. "when the employee exists" for a PUT that
    also creates); the header is then not marked required in the document.
    """
    description = "The ETag of the version you read (GET)" + (f"; required {when}" if when else "")
    parameter = {
        "in": "header",
        "name": IF_MATCH,
        "required": not when,
        "description": description,
        "schema": {"type": "string"},
    }

    def wrap(fn):
        fn = blp.doc(parameters=[parameter])(fn)
        fn = blp.alt_response(412, description="Stale If-Match: the resource changed since you read it")(fn)
        return blp.alt_response(428, description="If-Match missing: send the ETag you read")(fn)

    return wrap


def with_etag(body: dict, entity_id: str, version: int):
    """A (body, status, headers) triple with the ETag header set."""
    return body, 200, {"ETag": etag_for(entity_id, version)}
