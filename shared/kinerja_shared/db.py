"""Database plumbing every service shares: engines, the platform tables, small helpers.

Each service owns one database. Besides its own tables it holds four platform tables
defined here once: ``outbox`` (events waiting for Kafka), ``processed_events`` (the
consumer inbox that makes handlers idempotent), ``idempotency_keys`` (replayed POSTs)
and ``audit_log`` (who changed what, when, why).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    any_,
    bindparam,
    create_engine,
    event,
    func,
)
from sqlalchemy.engine import Connection, Engine

from .strict_json import dumps as strict_dumps

# BIGINT in PostgreSQL, INTEGER (the rowid alias, so autoincrement works) in SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on both PostgreSQL and SQLite.

    ``TIMESTAMP WITH TIME ZONE`` on PostgreSQL. SQLite has no such type: SQLAlchemy stores the
    wall-clock text and drops the offset, and reads back naive datetimes, which cannot be
    compared with aware ones (a TypeError). So every value is converted to UTC before it is
    written (a naive one is taken as UTC) and comes back aware, in UTC, on both databases;
    stored texts then sort and compare as instants.
    """

    impl = DateTime
    cache_ok = True

    def __init__(self):
        super().__init__(timezone=True)

    def process_bind_param(self, value, dialect):
        return _in_utc(value)

    def process_result_value(self, value, dialect):
        return _in_utc(value)


def _in_utc(value):
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


def new_metadata() -> MetaData:
    """A MetaData holding copies of the platform tables; a service adds its own tables to it."""
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    for table in PLATFORM_METADATA.tables.values():
        table.to_metadata(metadata)
    return metadata


PLATFORM_METADATA = MetaData(naming_convention=NAMING_CONVENTION)

OUTBOX = Table(
    "outbox",
    PLATFORM_METADATA,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("topic", String(200), nullable=False),
    Column("partition_key", String(64), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("payload", Text, nullable=False),
    Column("status", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("published_at", UTCDateTime()),
    Index("ix_outbox_status_id", "status", "id"),
)
PROCESSED_EVENTS = Table(
    "processed_events",
    PLATFORM_METADATA,
    Column("consumer_group", String(100), primary_key=True),
    Column("event_id", String(36), primary_key=True),
    Column("event_type", String(64), nullable=False),
    Column("processed_at", UTCDateTime(), nullable=False, default=utcnow),
)
IDEMPOTENCY_KEYS = Table(
    "idempotency_keys",
    PLATFORM_METADATA,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("principal", String(64), nullable=False),
    Column("idempotency_key", String(255), nullable=False),
    Column("method", String(8), nullable=False),
    Column("path", String(500), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("state", String(16), nullable=False),
    Column("status_code", Integer),
    Column("response_body", Text),
    Column("response_headers", JSON),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    UniqueConstraint("principal", "idempotency_key", name="uq_idempotency_keys_principal_key"),
)
AUDIT_LOG = Table(
    "audit_log",
    PLATFORM_METADATA,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("occurred_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("actor", String(64), nullable=False),
    Column("actor_roles", String(200), nullable=False, default=""),
    Column("action", String(64), nullable=False),
    Column("entity_type", String(64), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Column("reason", Text),
    Column("correlation_id", String(64)),
    Index("ix_audit_log_entity", "entity_type", "entity_id"),
)


def make_engine(database_url: str, *, pool_size: int = 5, pre_ping: bool = False) -> Engine:
    """An engine for PostgreSQL (psycopg 3) or a SQLite file (created with its folder).

    No ``pool_pre_ping`` by default: it costs a ``SELECT 1`` round trip on every checkout (one
    per transaction: three of the fourteen round trips a keyed POST made). A connection that died (database
    restarted) still surfaces as ``OperationalError`` — a 503 problem in the web, a retry in the workers — and
    SQLAlchemy then discards every pooled connection opened before it, so the next request
    gets a fresh one. JSON columns are written as strict JSON (``strict_json.dumps``: no NaN/Infinity).

    PostgreSQL sessions run with ``plan_cache_mode=force_custom_plan``. psycopg prepares a statement on the
    server after 5 executions; PostgreSQL then switches a prepared statement to a *generic* plan when it looks
    no dearer than the custom ones, and keeps it until the table's statistics change. Planned while a table
    was empty (a fresh install, a new year), that generic plan is a sequential scan, and it stays one while
    the table fills between autovacuum's analyses: the batch's id lookup cost 1.5 s over 200,000 rows instead
    of 0.3 ms (``shared/tests/test_plan_cache.py``). A custom plan is made for the parameters and the table's
    current size on each execution (about 0.1 ms of planning), so a statement's cost does not depend on when
    it was first prepared; the parse is still saved.
    """
    if database_url.startswith("sqlite"):
        path = database_url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            database_url, connect_args={"timeout": 30, "check_same_thread": False}, json_serializer=strict_dumps
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=10,
        pool_pre_ping=pre_ping,
        pool_recycle=1800,
        json_serializer=strict_dumps,
        connect_args={"options": PG_SESSION_OPTIONS},
    )


PG_SESSION_OPTIONS = "-c plan_cache_mode=force_custom_plan"  # see make_engine


def is_postgres(conn_or_engine: Connection | Engine) -> bool:
    return conn_or_engine.dialect.name == "postgresql"


# Statements built once per (dialect, table, shape) and executed with the row as parameters:
# building an ``INSERT ... ON CONFLICT`` costs more than running it, and SQLAlchemy's
# compiled cache then serves every later call.
_STATEMENTS: dict[tuple, object] = {}


def in_list(column, name: str, postgres: bool, item_type):
    """``column IN (:name)`` for a list parameter. On PostgreSQL ``column = ANY(:name)`` with one array
    parameter: the statement's text does not change with the list's length (an expanding IN renders a new
    statement for every length, which psycopg and PostgreSQL then prepare separately, and psycopg re-parses
    past 50 parameters). Build it once per dialect (``postgres``) and keep it."""
    if postgres:
        from sqlalchemy.dialects.postgresql import ARRAY

        return column == any_(bindparam(name, type_=ARRAY(item_type)))
    return column.in_(bindparam(name, expanding=True))


def dialect_insert(conn: Connection):
    if is_postgres(conn):
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def insert_ignore_statement(conn: Connection, table: Table):
    """``INSERT INTO table ... ON CONFLICT DO NOTHING RETURNING <primary key columns>``, built once.

    Execute it with one row (a dict) or several (a list of dicts): the result holds the keys
    of the rows that were inserted (PostgreSQL and SQLite alike)."""
    cache_key = (conn.dialect.name, "insert_ignore", table)
    stmt = _STATEMENTS.get(cache_key)
    if stmt is None:
        stmt = _STATEMENTS[cache_key] = (
            dialect_insert(conn)(table).on_conflict_do_nothing().returning(*table.primary_key.columns)
        )
    return stmt


def insert_ignore(conn: Connection, table: Table, values: dict) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when the row was inserted."""
    # RETURNING says whether a row was inserted (rowcount is not reliable with implicit RETURNING).
    return conn.execute(insert_ignore_statement(conn, table), values).first() is not None


def upsert(conn: Connection, table: Table, values: dict, key: list[str], *, keep: tuple[str, ...] = ()) -> None:
    """INSERT ... ON CONFLICT (key) DO UPDATE with every other column.

    ``keep``: columns whose stored value stays when the new row has NULL there
    (``SET c = COALESCE(excluded.c, table.c)``), so a partial row never needs a read first.
    """
    columns = tuple(k for k in values if k not in key)
    cache_key = (conn.dialect.name, "upsert", table, tuple(key), columns, tuple(keep))
    stmt = _STATEMENTS.get(cache_key)
    if stmt is None:
        stmt = dialect_insert(conn)(table)
        updates = {k: func.coalesce(stmt.excluded[k], table.c[k]) if k in keep else stmt.excluded[k] for k in columns}
        stmt = (
            stmt.on_conflict_do_update(index_elements=key, set_=updates) if updates else stmt.on_conflict_do_nothing()
        )
        _STATEMENTS[cache_key] = stmt
    conn.execute(stmt, values)
