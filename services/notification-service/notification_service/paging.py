"""Newest-first pages keyed by a BIGINT id: the inbox, the webhook delivery log, the SIASN records."""
from __future__ import annotations

from typing import Callable

from kinerja_shared.web.app_factory import runtime
from kinerja_shared.web.pagination import encode_cursor, int_cursor
from kinerja_shared.web.problems import field_error

MAX_ID = 2**63 - 1  # BIGINT: a larger id in a path or cursor is no row, not a database error


def id_cursor(cursor: str | None) -> int | None:
    value = int_cursor(cursor)
    if value is not None and not 0 <= value <= MAX_ID:
        raise field_error("cursor", "is not one this service gave out", status=400)
    return value


def newest_first(query, id_column, args: dict, item: Callable = lambda r: dict(r._mapping), before=None) -> dict:
    """``{items, next_cursor}``: up to ``args['limit']`` rows of ``query`` by ``id_column`` descending, after
    ``args['cursor']``; ``before(conn)`` runs first in the same connection (e.g. a 404 check)."""
    query = query.order_by(id_column.desc()).limit(args["limit"] + 1)
    if args.get("cursor"):
        query = query.where(id_column < id_cursor(args["cursor"]))
    with runtime().engine.connect() as conn:
        if before is not None:
            before(conn)
        rows = conn.execute(query).all()
    more = len(rows) > args["limit"]
    rows = rows[: args["limit"]]
    return {"items": [item(r) for r in rows], "next_cursor": encode_cursor(rows[-1].id) if more and rows else None}
