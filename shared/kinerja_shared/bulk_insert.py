"""Many rows into one table in one statement whose text does not depend on how many rows there are.

SQLAlchemy sends a multi-row insert either as one ``INSERT ... VALUES (...), (...)`` with a parameter per
cell (a batch of 50 entries: 1,250 parameters and a statement text that changes with the row count), or as
an executemany (one execution per row). psycopg converts a query of more than 50 parameters again on every
call (a regular expression over the whole text: about 5 ms for a batch of 50 entries, measured in-process), and
PostgreSQL parses and plans a statement that is never the same; an executemany costs a round of parameter
adaptation and a server execution per row.

On PostgreSQL :func:`insert_rows` sends the rows as one JSON array instead:

    INSERT INTO t (c1, c2, ...) SELECT r.c1, r.c2, ... FROM json_populate_recordset(NULL::t, :rows)
        WITH ORDINALITY AS r ORDER BY r.ordinality [ON CONFLICT DO NOTHING] [RETURNING ...]

one parameter, one statement text per (table, columns, options): psycopg caches its conversion and prepares
it, PostgreSQL parses it once per connection. The rows go in in the given order (``ORDER BY ordinality``: an
outbox's ids, hence its events' order, follow the list). Columns left out of the rows get their defaults: the
Python-side ones (``Column(default=...)``) filled in here, as ``table.insert()`` would, the server's by the server.

Values are encoded as a SQL bind would give them: a ``TypeDecorator``'s ``process_bind_param`` first (e.g.
``UTCDateTime`` converts to UTC), dates and times as ISO 8601 text, JSON columns nested as JSON. One
difference from a per-row insert: a JSON column given ``None`` is SQL NULL here, where SQLAlchemy's ``JSON``
writes the JSON value ``null``; both read back as ``None``.

Elsewhere (SQLite), and for fewer than two rows, the rows go through the dialect's ``insert()`` as before.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Table, TypeDecorator, bindparam, text
from sqlalchemy.engine import Connection, CursorResult

from .db import dialect_insert, is_postgres

_STATEMENTS: dict[tuple, object] = {}


def insert_rows(
    conn: Connection, table: Table, rows: list[dict], *, on_conflict_do_nothing: bool = False, returning=()
) -> CursorResult | None:
    """Insert ``rows`` (dicts with the same keys) into ``table``; the result (for ``returning`` columns), or
    None without rows. ``on_conflict_do_nothing``: a row refused by a unique (on PostgreSQL also an exclusion)
    constraint is left out, and is missing from ``returning``'s rows."""
    if not rows:
        return None
    if not is_postgres(conn) or len(rows) < 2:
        statement = dialect_insert(conn)(table)
        if on_conflict_do_nothing:
            statement = statement.on_conflict_do_nothing()
        if returning:
            statement = statement.returning(*returning)
        return conn.execute(statement, rows[0] if len(rows) == 1 else rows)
    keys = tuple(rows[0])
    if any(len(r) != len(keys) or any(c not in r for c in keys) for r in rows):
        raise ValueError(f"insert_rows: every row into {table.name} must have the same keys")
    rows = _with_defaults(table, keys, rows)
    columns = tuple(rows[0])
    statement = _statement(conn, table, columns, on_conflict_do_nothing, tuple(returning))
    return conn.execute(statement, {"rows": _encode(conn, table, columns, rows)})


def _with_defaults(table: Table, keys: tuple, rows: list[dict]) -> list[dict]:
    """The rows with the Python-side defaults (``Column(default=...)``) of the columns they leave out, as
    ``table.insert()`` fills them in (a callable once per row); server-side defaults are left to the server."""
    fills = {}
    for column in table.c:
        default = column.default
        if column.name in keys or default is None:
            continue
        if default.is_scalar:
            fills[column.name] = lambda d=default: d.arg
        elif default.is_callable:
            fills[column.name] = lambda d=default: d.arg(None)
        else:
            raise ValueError(f"insert_rows: the default of {table.name}.{column.name} is not a value or a callable")
    if not fills:
        return rows
    return [{**r, **{name: fill() for name, fill in fills.items()}} for r in rows]


def _statement(conn: Connection, table: Table, columns: tuple, on_conflict: bool, returning: tuple):
    key = (table, columns, on_conflict, tuple(c.name for c in returning))
    found = _STATEMENTS.get(key)
    if found is None:
        quote = conn.dialect.identifier_preparer.quote
        name = conn.dialect.identifier_preparer.format_table(table)
        names = ", ".join(quote(c) for c in columns)
        picked = ", ".join(f"r.{quote(c)}" for c in columns)
        sql = (
            f"INSERT INTO {name} ({names}) SELECT {picked} FROM json_populate_recordset(NULL::{name}, "
            f"CAST(:rows AS json)) WITH ORDINALITY AS r ORDER BY r.ordinality"
        )
        if on_conflict:
            sql += " ON CONFLICT DO NOTHING"
        if returning:
            sql += " RETURNING " + ", ".join(quote(c.name) for c in returning)
        found = text(sql).bindparams(bindparam("rows"))
        if returning:
            found = found.columns(*returning)
        _STATEMENTS[key] = found
    return found


def _encode(conn: Connection, table: Table, columns: tuple, rows: list[dict]) -> str:
    decorated = [(c, table.c[c].type) for c in columns if isinstance(table.c[c].type, TypeDecorator)]
    if decorated:
        rows = [{**r, **{c: kind.process_bind_param(r[c], conn.dialect) for c, kind in decorated}} for r in rows]
    return json.dumps(rows, default=_scalar, allow_nan=False, ensure_ascii=False)


def _scalar(value):
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"insert_rows cannot encode a {type(value).__name__}")
