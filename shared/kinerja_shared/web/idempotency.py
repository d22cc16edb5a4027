"""``Idempotency-Key`` on POST: a retried request returns the first response, with no second effect.

The key is scoped to the caller (the token's ``sub``). The first request claims the key
(state ``processing``), runs, and stores its response; a repeat gets that stored response
with ``Idempotent-Replayed: true``. A repeat while the first is still running gets 409; the
same key with a different body gets 422. A request that ended in a 5xx releases the key so
the client may retry.
"""
from __future__ import annotations

import hashlib
import json

from flask import Response, g, request
from sqlalchemy import and_, delete, select, update
from sqlalchemy.exc import IntegrityError

from ..db import IDEMPOTENCY_KEYS, utcnow
from .problems import Conflict, Unprocessable, field_error

HEADER = "Idempotency-Key"
REPLAYED_HEADERS = ("Content-Type", "Location", "ETag")


def _where(principal: str, key: str):
    return and_(IDEMPOTENCY_KEYS.c.principal == principal, IDEMPOTENCY_KEYS.c.idempotency_key == key)


def claim(engine, principal: str) -> Response | None:
    """Before the view: claim the key, or return the stored response of an earlier request."""
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None:
        return None
    key = key.strip()
    if not key or len(key) > 255:
        raise field_error(HEADER, "must be 1 to 255 characters", status=400)
    fingerprint = hashlib.sha256(request.get_data() or b"").hexdigest()
    try:
        with engine.begin() as conn:
            conn.execute(
                IDEMPOTENCY_KEYS.insert().values(
                    principal=principal, idempotency_key=key, method=request.method, path=request.path[:500],
                    fingerprint=fingerprint, state="processing", created_at=utcnow(),
                )
            )
    except IntegrityError:
        with engine.connect() as conn:
            row = conn.execute(select(IDEMPOTENCY_KEYS).where(_where(principal, key))).first()
        if row is None:  # released between our insert and select: let the client retry
            raise Conflict("A request with this Idempotency-Key just failed; retry it.", title="Idempotency-Key busy")
        if row.path != request.path[:500] or row.fingerprint != fingerprint:
            raise Unprocessable("This Idempotency-Key was already used for a different request.",
                                title="Idempotency-Key reused", errors=[{"field": HEADER, "message": "already used for a different request"}])
        if row.state == "processing":
            raise Conflict("A request with this Idempotency-Key is still being processed.", title="Idempotency-Key busy",
                           headers={"Retry-After": "1"})
        response = Response(row.response_body, status=row.status_code)
        for name, value in (row.response_headers or {}).items():
            response.headers[name] = value
        response.headers["Idempotent-Replayed"] = "true"
        g.idempotency_replayed = True
        return response
    g.idempotency_claim = (principal, key)
    return None


def complete(engine, response: Response) -> Response:
    """After the view: store the response for replays, or release the key after a 5xx."""
    claim_ = g.pop("idempotency_claim", None)
    if claim_ is None:
        return response
    principal, key = claim_
    with engine.begin() as conn:
        if response.status_code >= 500:
            conn.execute(delete(IDEMPOTENCY_KEYS).where(_where(principal, key)))
        else:
            headers = {h: response.headers[h] for h in REPLAYED_HEADERS if h in response.headers}
            conn.execute(
                update(IDEMPOTENCY_KEYS).where(_where(principal, key)).values(
                    state="done", status_code=response.status_code, response_body=response.get_data(as_text=True),
                    response_headers=headers,
                )
            )
    return response


def release(engine) -> None:
    """On an exception that never produced a response: free the key."""
    claim_ = g.pop("idempotency_claim", None)
    if claim_ is not None:
        try:
            with engine.begin() as conn:
                conn.execute(delete(IDEMPOTENCY_KEYS).where(_where(*claim_)))
        except Exception:
            pass
