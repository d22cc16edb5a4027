"""Newest-first pages keyed by a BIGINT id: the inbox, the webhook delivery log, the SIASN records."""

from __future__ import annotations

from collections.abc import Callable

from kinerja_shared.errors import NotFound
from kinerja_shared.web.pagination import encode_cursor, int_cursor
from kinerja_shared.web.problems import field_error

from . import store

MAX_ID = 2**63 - 1  # BIGINT: a larger id in a path or cursor is no row, not a database error


def id_cursor(cursor: str | None) -> int | None:
    value = int_cursor(cursor)
    if value is not None and not 0 <= value <= MAX_ID:
        raise field_error("cursor", "is not one this service gave out", status=400)
    return value


def existing_id(value: int, what: str) -> int:
    """``value`` as an id that may exist: above BIGINT it is no row (404), never a database error."""
    if value > MAX_ID:
        raise NotFound(f"{what} {value} does not exist")
    return value


def newest_first(conn, query, id_column, args: dict, item: Callable = lambda r: dict(r._mapping)) -> dict:
    """``{items, next_cursor}``: up to ``args['limit']`` rows of ``query`` by ``id_column`` descending, after
    ``args['cursor']``."""
    rows = store.newest_first(conn, query, id_column, args["limit"], id_cursor(args.get("cursor")))
    more = len(rows) > args["limit"]
    rows = rows[: args["limit"]]
    return {"items": [item(r) for r in rows], "next_cursor": encode_cursor(rows[-1].id) if more and rows else None}
