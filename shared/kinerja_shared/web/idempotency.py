"""``Idempotency-Key`` on POST: a retried request returns the first response, with no second effect.

The key is scoped to the caller (the token's ``sub``). A repeat of a finished request gets
the stored response with ``Idempotent-Replayed: true``; a repeat while the first is still
running gets 409 (or, once it finished, its stored response); the same key with a different
body gets 422. A request that ended in a 5xx stores nothing, so the client may retry.

Two ways to keep those guarantees:

- **Claim first** (any POST): before the view, the key is claimed in its own transaction
  (state ``processing``); after the view, the response is stored (or the key released after
  a 5xx). Three transactions per request. A claim still ``processing`` after
  ``IDEMPOTENCY_LEASE_SECONDS`` (longer than gunicorn lets a request run) belongs to a request
  that died without an answer (its worker was killed, or its database went away before the
  answer was stored): a retry takes it over and runs again, like a retry after a 5xx does.
- **In the effect's transaction** (views marked with :func:`in_transaction`, the hot paths):
  before the view only the header is checked. The view calls :func:`replay` in its own
  transaction — after whatever lock serialises the caller's writes — to answer a repeat
  from the stored response, and stores the key with its response in the same transaction
  as its effect (:func:`key_row` for a statement of its own making, or :func:`store`). The
  key's unique index stops a concurrent duplicate that slipped past :func:`replay`: its
  insert fails, its whole transaction (the effect too) rolls back, and it is answered 409.
  A response the view did not store (a 4xx raised before or inside it) is stored after the
  view, like the claim-first path does.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, timedelta

from flask import Response, current_app, g, request
from sqlalchemy import and_, bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from ..db import IDEMPOTENCY_KEYS, utcnow
from .problems import Conflict, Unprocessable, field_error

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADERS = ("Content-Type", "Location", "ETag")
_MARK = "idempotency_in_transaction"


@dataclass(frozen=True)
class Pending:
    """A key sent to an :func:`in_transaction` view, not yet looked up or stored."""

    principal: str
    key: str
    path: str
    fingerprint: str


def in_transaction(view):
    """Mark a POST view that looks up and stores its Idempotency-Key inside its own transaction."""
    setattr(view, _MARK, True)
    return view


def _where(principal: str, key: str):
    return and_(IDEMPOTENCY_KEYS.c.principal == principal, IDEMPOTENCY_KEYS.c.idempotency_key == key)


_LOOKUP = select(IDEMPOTENCY_KEYS).where(_where(bindparam("principal"), bindparam("key")))


def _header_key() -> str | None:
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None:
        return None
    key = key.strip()
    if not key or len(key) > 255:
        raise field_error(HEADER, "must be 1 to 255 characters", status=400)
    return key


def _fingerprint() -> str:
    return hashlib.sha256(request.get_data() or b"").hexdigest()


def _answer(row, path: str, fingerprint: str) -> Response:
    """The answer to a repeated key: 422 (another request), 409 (still running) or the stored response."""
    if row.path != path or row.fingerprint != fingerprint:
        raise Unprocessable(
            "This Idempotency-Key was already used for a different request.",
            title="Idempotency-Key reused",
            errors=[{"field": HEADER, "message": "already used for a different request"}],
        )
    if row.state == "processing":
        raise Conflict(
            "A request with this Idempotency-Key is still being processed.",
            title="Idempotency-Key busy",
            headers={"Retry-After": "1"},
        )
    response = Response(row.response_body, status=row.status_code)
    for name, value in (row.response_headers or {}).items():
        response.headers[name] = value
    response.headers["Idempotent-Replayed"] = "true"
    g.idempotency_replayed = True
    return response


def claim(engine, principal: str) -> Response | None:
    """Before the view: claim the key, or return the stored response of an earlier request.

    For an :func:`in_transaction` view only the header is checked here (no database work).
    """
    key = _header_key()
    if key is None:
        return None
    fingerprint = _fingerprint()
    path = request.path[:500]
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if view is not None and getattr(view, _MARK, False):
        g.idempotency_pending = Pending(principal, key, path, fingerprint)
        return None
    try:
        with engine.begin() as conn:
            conn.execute(
                IDEMPOTENCY_KEYS.insert().values(
                    principal=principal,
                    idempotency_key=key,
                    method=request.method,
                    path=path,
                    fingerprint=fingerprint,
                    state="processing",
                    created_at=utcnow(),
                )
            )
    except IntegrityError:
        with engine.connect() as conn:
            row = conn.execute(select(IDEMPOTENCY_KEYS).where(_where(principal, key))).first()
        if row is None:  # released between our insert and select: let the client retry
            raise Conflict(
                "A request with this Idempotency-Key just failed; retry it.", title="Idempotency-Key busy"
            ) from None
        if not (
            row.state == "processing"
            and row.path == path
            and row.fingerprint == fingerprint
            and _take_over(engine, row)
        ):
            return _answer(row, path, fingerprint)
    g.idempotency_claim = (principal, key)
    return None


def _take_over(engine, row) -> bool:
    """Claim a key whose request died without an answer: still ``processing`` after the lease."""
    lease = current_app.extensions["kinerja"].settings.idempotency_lease_seconds
    claimed_at = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    if utcnow() - claimed_at < timedelta(seconds=lease):
        return False
    with engine.begin() as conn:  # only one retry wins the claim
        taken = conn.execute(
            update(IDEMPOTENCY_KEYS)
            .where(
                _where(row.principal, row.idempotency_key),
                IDEMPOTENCY_KEYS.c.state == "processing",
                IDEMPOTENCY_KEYS.c.created_at == row.created_at,
            )
            .values(created_at=utcnow())
        )
    return taken.rowcount == 1


def pending() -> Pending | None:
    """The key sent to this :func:`in_transaction` view, while it is neither answered nor stored."""
    return g.get("idempotency_pending")


def replay(conn) -> Response | None:
    """In an :func:`in_transaction` view's transaction: the stored response of a repeat, or None.

    Raises 422 for a key used for another request and 409 for one still running. Call it after
    the lock that serialises the caller's writes, so a request that committed meanwhile is seen.
    """
    key = pending()
    if key is None:
        return None
    return replay_row(conn.execute(_LOOKUP, {"principal": key.principal, "key": key.key}).first())


def replay_row(row) -> Response | None:
    """Like :func:`replay`, for a caller that read the key's row (``path``, ``fingerprint``, ``state``,
    ``status_code``, ``response_body``, ``response_headers``; None: not stored) in a statement of its own."""
    key = pending()
    if key is None or row is None:
        return None
    g.pop("idempotency_pending", None)
    return _answer(row, key.path, key.fingerprint)


def _row(pending: Pending, response: Response) -> dict:
    headers = {h: response.headers[h] for h in REPLAYED_HEADERS if h in response.headers}
    return dict(
        principal=pending.principal,
        idempotency_key=pending.key,
        method="POST",
        path=pending.path,
        fingerprint=pending.fingerprint,
        state="done",
        status_code=response.status_code,
        response_body=response.get_data(as_text=True),
        response_headers=headers,
        created_at=utcnow(),
    )


def key_row(response: Response) -> dict | None:
    """The ``idempotency_keys`` row that stores ``response`` for the pending key (None: no key sent).

    The caller inserts it in the transaction of its effect and then calls :func:`stored`.
    """
    pending: Pending | None = g.get("idempotency_pending")
    return _row(pending, response) if pending is not None else None


def stored() -> None:
    """The view inserted :func:`key_row` in its transaction: nothing is left to store after it."""
    g.pop("idempotency_pending", None)


def store(conn, response: Response) -> None:
    """Store the pending key with ``response`` in the caller's transaction (a duplicate key fails it: 409)."""
    row = key_row(response)
    if row is not None:
        try:  # a failed statement aborts the transaction: the Conflict then rolls back the effect too
            conn.execute(IDEMPOTENCY_KEYS.insert(), row)
        except IntegrityError:
            raise Conflict(
                "A request with this Idempotency-Key is still being processed.",
                title="Idempotency-Key busy",
                headers={"Retry-After": "1"},
            ) from None
        stored()


def complete(engine, response: Response) -> Response:
    """After the view: store the response for replays, or release the key after a 5xx.

    If the database went away after the view, the answer still goes out (never a 500 in its
    place); a claim left ``processing`` is taken over by a retry after the lease.
    """
    try:
        return _complete(engine, response)
    except (OperationalError, InterfaceError, PoolTimeout) as exc:
        log.warning("Idempotency-Key answer not stored: database unavailable", extra={"error": str(exc)[:300]})
        return response


def _complete(engine, response: Response) -> Response:
    pending: Pending | None = g.pop("idempotency_pending", None)
    if pending is not None:  # an in_transaction view that did not store its answer (a 4xx): store it now
        if response.status_code < 500:
            try:
                with engine.begin() as conn:
                    conn.execute(IDEMPOTENCY_KEYS.insert(), _row(pending, response))
            except IntegrityError:
                pass  # a concurrent twin stored its answer first: that one stays
        return response
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
                update(IDEMPOTENCY_KEYS)
                .where(_where(principal, key))
                .values(
                    state="done",
                    status_code=response.status_code,
                    response_body=response.get_data(as_text=True),
                    response_headers=headers,
                )
            )
    return response


def release(engine) -> None:
    """On an exception that never produced a response: free the key."""
    g.pop("idempotency_pending", None)
    claim_ = g.pop("idempotency_claim", None)
    if claim_ is not None:
        try:
            with engine.begin() as conn:
                conn.execute(delete(IDEMPOTENCY_KEYS).where(_where(*claim_)))
        except Exception:
            pass


def keep(uow, response: Response) -> Response:
    """Store ``response`` for the pending Idempotency-Key inside ``uow``'s transaction (an
    :func:`in_transaction` view's answer): it commits with the change, or neither does."""
    if pending() is not None:
        uow.before_commit(lambda conn: store(conn, response))
    return response
