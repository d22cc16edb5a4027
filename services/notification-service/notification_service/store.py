"""The SQL every feature of this service shares: claiming one due row across workers, inserting a row
unless it exists, and newest-first pages keyed by a BIGINT id (the inbox, the webhook delivery log,
the SIASN records)."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from kinerja_shared.db import dialect_insert, is_postgres


def claim(conn: Connection, query, of=None):
    """The first row of ``query`` (a SELECT of due rows, ordered), locked for this transaction; rows other
    workers hold are skipped (PostgreSQL ``FOR UPDATE SKIP LOCKED``, ``of`` the tables to lock)."""
    if is_postgres(conn):
        query = (
            query.with_for_update(skip_locked=True, of=of)
            if of is not None
            else query.with_for_update(skip_locked=True)
        )
    return conn.execute(query).first()


def for_update(conn: Connection, query):
    """``query`` locking its rows on PostgreSQL (SQLite locks the whole database anyway)."""
    return query.with_for_update() if is_postgres(conn) else query


def insert_new(conn: Connection, table, values: dict) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when the row was inserted.

    Unlike kinerja_shared.db.insert_ignore this asks SQLAlchemy to keep the row count
    (``preserve_rowcount``): without it an INSERT's rowcount read -1 on psycopg 3 in some
    transactions, which would make a new row look like a duplicate.
    """
    stmt = dialect_insert(conn)(table).values(**values).on_conflict_do_nothing()
    return conn.execute(stmt.execution_options(preserve_rowcount=True)).rowcount == 1


def newest_first(conn: Connection, query, id_column, limit: int, before_id: int | None) -> list:
    """Up to ``limit + 1`` rows of ``query`` by ``id_column`` descending, below ``before_id`` when given."""
    query = query.order_by(id_column.desc()).limit(limit + 1)
    if before_id is not None:
        query = query.where(id_column < before_id)
    return conn.execute(query).all()
