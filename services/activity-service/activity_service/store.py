"""The SQL of the entries (SQLAlchemy Core), kept to few round trips on the logging path.

The other SQL of activity-service: ``directory_store`` (employees, units), ``list_queries`` (the month
list), ``summary_queries`` (summaries, indicators), ``evidence_store``, ``read_model_store`` (plan events).

Logging one entry (``POST /activities``) is one transaction of two statements (with or without an
``Idempotency-Key``); every statement is built once:

1. ``logging_context``: reads the employee, the candidate indicators and (with a key) the key's
   stored answer in one statement (no lock);
2. ``log_one``: on PostgreSQL ``INSERT ... ON CONFLICT DO NOTHING RETURNING id``, with data-modifying
   CTEs that insert the audit row, the outbox event and the key with its answer only when the entry
   went in. A taken id (primary key) or an overlap (the exclusion constraint
   ``ex_activities_no_overlap``: same nip and date, overlapping [start_min, end_min), pending or
   accepted; migration 0005) makes it insert nothing and abort nothing; the caller then looks up
   the stored entry or the clashing one (the 409 names it). Concurrent requests of one employee wait
   only for each other's conflicting rows, inside PostgreSQL. On SQLite the insert checks both with
   ``NOT EXISTS`` (SQLite serialises its writers). ``log_pending`` is the unit of work's fast path to
   it: the use case records the audit row and the event in the unit of work as every command does,
   and ``log_pending`` takes them (``uow.take_pending()``) into this one statement.

A batch reads the entries of its days and the client ids already stored (``occupied``,
``get_activities``), decides in Python, and writes with three multi-row inserts (entries here, with
``ON CONFLICT DO NOTHING RETURNING id`` on PostgreSQL: an entry committed by a concurrent request
since those reads refuses a row, which the batch reports as a 409; audit rows and events of the
inserted entries when its unit of work commits). An edit still takes the employee's advisory lock
(``lock_employee``) before its overlap check, so concurrent edits get the named 409; a POST racing
an edit is refused by the constraint (a 409 either way).
"""

from __future__ import annotations

import re
import zlib
from datetime import date
from types import SimpleNamespace

from sqlalchemy import (
    Date,
    String,
    and_,
    bindparam,
    exists,
    func,
    insert,
    literal,
    literal_column,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from kinerja_shared import outbox
from kinerja_shared.bulk_insert import insert_rows
from kinerja_shared.db import AUDIT_LOG, IDEMPOTENCY_KEYS, OUTBOX, in_list, is_postgres

from .domain import OCCUPYING, IndicatorInForce
from .models import activities, employees, plan_indicators, plans


def employee_lock_key(nip: str) -> int:
    """The advisory-lock key of an employee: the NIP itself (18 digits fit a bigint)."""
    if nip.isdigit() and len(nip) <= 18:
        return int(nip)
    return zlib.crc32(nip.encode())


# -- the logging path --------------------------------------------------------------------------

_KEY_ANSWER = ("path", "fingerprint", "state", "status_code", "response_body", "response_headers")


def _logging_context_query(postgres: bool, with_key: bool = False):
    base = select(literal(1).label("one")).subquery("l")
    ids_match = in_list(plan_indicators.c.indicator_id, "ids", postgres, String())
    ind = (
        select(
            plan_indicators.c.plan_id,
            plan_indicators.c.result_id,
            plan_indicators.c.indicator_id,
            plan_indicators.c.target_unit,
            plans.c.period_start,
            plans.c.period_end,
            plans.c.revision,
            plans.c.rater_nip.label("plan_rater_nip"),
            plans.c.unit_id.label("plan_unit_id"),
        )
        .join(plans, plans.c.plan_id == plan_indicators.c.plan_id)
        .where(plan_indicators.c.nip == bindparam("nip"), ids_match)
        .subquery("i")
    )
    emp = select(employees).where(employees.c.nip == bindparam("nip")).subquery("e")
    joined = base.outerjoin(emp, true()).outerjoin(ind, true())
    columns = [
        base.c.one,
        emp.c.nip.label("emp_nip"),
        emp.c.rater_nip.label("emp_rater_nip"),
        emp.c.unit_id.label("emp_unit_id"),
        emp.c.active.label("emp_active"),
        ind,
    ]
    if with_key:
        key = (
            select(*[IDEMPOTENCY_KEYS.c[c].label(f"key_{c}") for c in _KEY_ANSWER])
            .where(
                IDEMPOTENCY_KEYS.c.principal == bindparam("key_principal"),
                IDEMPOTENCY_KEYS.c.idempotency_key == bindparam("key_key"),
            )
            .subquery("k")
        )
        joined = joined.outerjoin(key, true())
        columns.append(key)
    return select(*columns).select_from(joined)


# Built once: constructing Core statements costs more CPU than executing them on this path.
_CONTEXT = {
    (postgres, with_key): _logging_context_query(postgres, with_key)
    for postgres in (True, False)
    for with_key in (True, False)
}


def logging_context(conn: Connection, nip: str, indicator_ids: set[str], *, key=None):
    """Read the employee and the indicators they may use (no lock: on PostgreSQL the exclusion constraint
    ``ex_activities_no_overlap`` keeps entries from overlapping, see :func:`log_one` and :func:`insert_many`).

    Returns (employee row or None, [IndicatorInForce]) in one round trip — and, with ``key`` (an
    ``idempotency.Pending``), a third item: the key's stored answer or None. The key row read is the one
    committed before the statement began: a duplicate committing meanwhile is not seen here, and its
    unique key then fails this transaction (409) before anything of it commits.
    """
    params = {"nip": nip, "ids": sorted(indicator_ids)}
    if key is not None:
        params.update(key_principal=key.principal, key_key=key.key)
    rows = conn.execute(_CONTEXT[(is_postgres(conn), key is not None)], params).all()
    employee = None
    candidates = []
    stored_key = None
    if key is not None and rows and rows[0].key_state is not None:
        stored_key = SimpleNamespace(**{c: getattr(rows[0], f"key_{c}") for c in _KEY_ANSWER})
    for r in rows:
        if r.emp_nip is not None and employee is None:
            employee = {
                "nip": r.emp_nip,
                "rater_nip": r.emp_rater_nip,
                "unit_id": r.emp_unit_id,
                "active": r.emp_active,
            }
        if r.plan_id is not None:
            candidates.append(
                IndicatorInForce(
                    plan_id=r.plan_id,
                    result_id=r.result_id,
                    indicator_id=r.indicator_id,
                    period_start=r.period_start,
                    period_end=r.period_end,
                    revision=r.revision,
                    rater_nip=r.plan_rater_nip,
                    unit_id=r.plan_unit_id,
                    target_unit=r.target_unit,
                )
            )
    if key is not None:
        return employee, candidates, stored_key
    return employee, candidates


def lock_employee(conn: Connection, nip: str) -> None:
    if is_postgres(conn):
        conn.execute(select(func.pg_advisory_xact_lock(employee_lock_key(nip))))


def _overlapping(nip: str, day: date, start: int, end: int, exclude_id: str | None = None):
    clause = and_(
        activities.c.nip == nip,
        activities.c.date == day,
        activities.c.status.in_(OCCUPYING),
        activities.c.start_min < end,
        activities.c.end_min > start,
    )
    if exclude_id is not None:
        clause = and_(clause, activities.c.id != exclude_id)
    return clause


def _sql_constant(value, type_):
    """A constant written into the SQL text (not a parameter); only for this module's own constants."""
    text_value = str(value) if isinstance(value, int) else "'" + str(value).replace("'", "''") + "'"
    return literal_column(text_value, type_)


def _insert_query():
    columns = [c.name for c in activities.c]
    p = {c: bindparam(f"v_{c}", type_=activities.c[c].type) for c in columns}
    overlapping = and_(
        activities.c.nip == p["nip"],
        activities.c.date == p["date"],
        activities.c.status.in_([_sql_constant(status, activities.c.status.type) for status in OCCUPYING]),
        activities.c.start_min < p["end_min"],
        activities.c.end_min > p["start_min"],
    )
    values = select(*[p[c].label(c) for c in columns])
    checked = values.where(
        ~exists(select(activities.c.id).where(activities.c.id == p["id"])),
        ~exists(select(activities.c.id).where(overlapping)),
    )
    plain = insert(activities).from_select(columns, values).returning(activities.c.id)
    return columns, insert(activities).from_select(columns, checked).returning(activities.c.id), plain


# _INSERT checks in SQL (SQLite); _PLAIN_INSERT leaves both to PostgreSQL's constraints (ON CONFLICT DO NOTHING).
_INSERT_COLUMNS, _INSERT, _PLAIN_INSERT = _insert_query()


def insert_activity(conn: Connection, row: dict) -> bool:
    """Insert the entry unless it overlaps another or its id exists; True when inserted.

    Plain Core ``insert().from_select()``, built once (the dialects' ON CONFLICT statements are
    not cached by SQLAlchemy 2.0). A client id taken concurrently by another employee still
    fails on the primary key (a 409).
    """
    return conn.execute(_INSERT, {f"v_{c}": row[c] for c in _INSERT_COLUMNS}).first() is not None


def _log_one_query(with_key: bool):
    """PostgreSQL: the entry (refused by the primary key or the exclusion constraint, see
    :func:`_on_conflict_do_nothing`) and, only when it went in, its audit row, its outbox row and
    (``with_key``) its Idempotency-Key row, in one statement."""
    entry = _PLAIN_INSERT.cte("a")

    def insert_after_entry(table, prefix: str, columns: tuple[str, ...]):
        constants = _LOG_ONE_CONSTANTS[prefix]
        values = [
            _sql_constant(constants[c], table.c[c].type).label(c)
            if c in constants
            else bindparam(f"{prefix}_{c}", type_=table.c[c].type).label(c)
            for c in columns
        ]
        return insert(table).from_select(columns, select(*values).select_from(entry)).cte(f"{prefix}_ins")

    ctes = [insert_after_entry(AUDIT_LOG, "au", _AUDIT_COLUMNS), insert_after_entry(OUTBOX, "ob", _OUTBOX_COLUMNS)]
    if with_key:
        ctes.append(insert_after_entry(IDEMPOTENCY_KEYS, "ik", _KEY_COLUMNS))
    return select(entry.c.id).add_cte(*ctes)


# The keys of kinerja_shared's audit.entry(), outbox.rows() and idempotency.key_row() dicts.
_AUDIT_COLUMNS = (
    "occurred_at",
    "actor",
    "actor_roles",
    "action",
    "entity_type",
    "entity_id",
    "before",
    "after",
    "reason",
    "correlation_id",
)
_OUTBOX_COLUMNS = ("event_id", "topic", "partition_key", "event_type", "payload", "status", "attempts", "created_at")
_KEY_COLUMNS = (
    "principal",
    "idempotency_key",
    "method",
    "path",
    "fingerprint",
    "state",
    "status_code",
    "response_body",
    "response_headers",
    "created_at",
)
# Values that are the same for every logged entry, written into the statement: with at most 50
# parameters psycopg caches its conversion of the query (it re-parses a longer list every time).
_LOG_ONE_CONSTANTS = {
    "au": {"action": "activity.logged", "entity_type": "activity"},
    "ob": {"status": "pending", "attempts": 0},
    "ik": {"method": "POST", "state": "done"},
}


def _on_conflict_do_nothing(statement):
    """PostgreSQL: ``statement`` (whose entry insert ends in ``RETURNING activities.id``) with the entry's insert
    doing nothing on a conflict, a taken id or the exclusion constraint ``ex_activities_no_overlap``, as a
    ``text()`` built once. SQLAlchemy 2.0 does not cache ``on_conflict_do_nothing()`` statements (it would
    compile them on every call); a text clause with typed parameters is cached."""
    compiled = statement.compile(dialect=postgresql.dialect(paramstyle="named"))
    returning = " RETURNING activities.id"
    if compiled.string.count(returning) != 1:
        raise AssertionError("the entry insert is expected to end in one RETURNING activities.id")
    sql = compiled.string.replace(returning, " ON CONFLICT DO NOTHING" + returning)
    sql = re.sub(r"(:\w+)::(\w+)", r"CAST(\1 AS \2)", sql)  # text() reads ":name::JSON" as no parameter
    binds = [bindparam(name, type_=b.type) for name, b in compiled.binds.items()]
    return text(sql).bindparams(*binds).columns(activities.c.id)


_LOG_ONE = _on_conflict_do_nothing(_log_one_query(with_key=False))
_LOG_ONE_WITH_KEY = _on_conflict_do_nothing(_log_one_query(with_key=True))


def log_one(conn: Connection, row: dict, audit_row: dict, outbox_row: dict, key_row: dict | None) -> bool:
    """Insert the entry with its audit row, its event and its Idempotency-Key row; True when inserted.

    One round trip on PostgreSQL (a statement built once, data-modifying CTEs that write the
    other rows only when the entry went in); separate statements elsewhere (SQLite).
    """
    if not is_postgres(conn):
        if not insert_activity(conn, row):
            return False
        conn.execute(AUDIT_LOG.insert(), audit_row)
        conn.execute(OUTBOX.insert(), outbox_row)
        if key_row is not None:
            conn.execute(IDEMPOTENCY_KEYS.insert(), key_row)
        return True
    params = {f"v_{c}": row[c] for c in _INSERT_COLUMNS}
    for prefix, values, columns in (
        ("au", audit_row, _AUDIT_COLUMNS),
        ("ob", outbox_row, _OUTBOX_COLUMNS),
        ("ik", key_row, _KEY_COLUMNS),
    ):
        if values is None:
            continue
        constants = _LOG_ONE_CONSTANTS[prefix]
        if any(values[c] != v for c, v in constants.items()):
            raise ValueError(f"log_one writes {constants} into {prefix} rows, got other values")
        params.update({f"{prefix}_{c}": values[c] for c in columns if c not in constants})
    return conn.execute(_LOG_ONE_WITH_KEY if key_row is not None else _LOG_ONE, params).first() is not None


def log_pending(uow, row: dict, key_row: dict | None) -> bool:
    """The unit of work's fast path for one new entry: the entry with the audit row and the event the use case
    recorded in ``uow`` (taken with ``take_pending``) and the Idempotency-Key row, in :func:`log_one`'s single
    statement; True when inserted. When it was not (the id is taken, the time overlaps), nothing was written:
    the rows are struck from ``uow.audited``/``uow.published`` and the before-commit hooks stay pending."""
    audit_rows, events, hooks = uow.take_pending()
    [audit_row], [event] = audit_rows, events
    inserted = log_one(uow.conn, row, audit_row, outbox.rows(event, validate=uow.validate_events)[0], key_row)
    if not inserted:
        uow.audited.remove(audit_row)
        uow.published.remove(event)
    for hook in hooks:
        uow.before_commit(hook)  # they run at the commit, after this statement
    return inserted


_KEY_LOOKUP = select(IDEMPOTENCY_KEYS).where(
    IDEMPOTENCY_KEYS.c.principal == bindparam("principal"), IDEMPOTENCY_KEYS.c.idempotency_key == bindparam("key")
)


def stored_key(conn: Connection, key):
    """The stored answer of an Idempotency-Key (an ``idempotency.Pending``: principal, key), or None."""
    return conn.execute(_KEY_LOOKUP, {"principal": key.principal, "key": key.key}).first()


def get_activities(conn: Connection, ids: list[str]) -> dict:
    """The stored entries among ``ids``, by id (one statement; empty without ids)."""
    if not ids:
        return {}
    return {r.id: r for r in conn.execute(_BY_IDS[is_postgres(conn)], {"ids": ids})}


def occupied(conn: Connection, nip: str, windows: list[tuple[date, int, int]]) -> list:
    """The employee's entries that occupy their time (pending, accepted) and may clash with one of ``windows``
    (day, start_min, end_min): id, date, start_min, end_min.

    On PostgreSQL exactly the entries overlapping a window are read, found through the exclusion constraint's
    GiST index (``ex_activities_no_overlap``), so a batch costs the same whether its days are empty or already
    hold hundreds of entries. On SQLite (the laptop default) the windows' days are read whole. Either way
    ``domain.Occupancy`` gives each new entry the same first clash: every entry overlapping it is read.
    """
    if not windows:
        return []
    if is_postgres(conn):
        days, starts, ends = (list(column) for column in zip(*windows))
        return conn.execute(_OVERLAPPING_WINDOWS, {"nip": nip, "days": days, "starts": starts, "ends": ends}).all()
    return conn.execute(_OCCUPIED_DAYS, {"nip": nip, "days": sorted({day for day, _, _ in windows})}).all()


_BY_IDS = {pg: select(activities).where(in_list(activities.c.id, "ids", pg, String())) for pg in (True, False)}
_OCCUPIED_DAYS = select(activities.c.id, activities.c.date, activities.c.start_min, activities.c.end_min).where(
    activities.c.nip == bindparam("nip"),
    in_list(activities.c.date, "days", False, Date()),
    activities.c.status.in_(OCCUPYING),
)
# The same expression and predicate as the exclusion constraint (migration 0005), so its index answers; one text
# whatever the batch's size (the windows go as three arrays).
_OVERLAPPING_WINDOWS = text(
    "SELECT DISTINCT a.id, a.date, a.start_min, a.end_min"
    " FROM unnest(CAST(:days AS date[]), CAST(:starts AS integer[]), CAST(:ends AS integer[])) AS w(day, s, e)"
    " JOIN activities AS a ON a.nip = :nip AND a.date = w.day"
    " AND int4range(a.start_min, a.end_min) && int4range(w.s, w.e)"
    " AND a.status IN (" + ", ".join(f"'{status}'" for status in OCCUPYING) + ")"
)


def insert_many(conn: Connection, rows: list[dict]) -> set[str]:
    """Insert entries already checked against ``occupied`` and ``get_activities``; the ids inserted.

    PostgreSQL: one ``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` (``kinerja_shared.bulk_insert``: the rows
    as one JSON parameter, one statement text for any batch); an entry committed by a
    concurrent request since those reads (its id, or an overlap: ``ex_activities_no_overlap``) leaves the
    row out. SQLite: every row goes in (a conflict fails the transaction)."""
    if not rows:
        return set()
    if not is_postgres(conn):
        conn.execute(activities.insert(), rows)
        return {r["id"] for r in rows}
    inserted = insert_rows(conn, activities, rows, on_conflict_do_nothing=True, returning=(activities.c.id,))
    return set(inserted.scalars())


def find_overlap(conn: Connection, nip: str, day: date, start: int, end: int, exclude_id: str | None = None):
    """The first entry of the employee on ``day`` whose time range overlaps [start, end), or None."""
    return conn.execute(
        select(activities.c.id, activities.c.start_min, activities.c.end_min)
        .where(_overlapping(nip, day, start, end, exclude_id))
        .order_by(activities.c.start_min)
        .limit(1)
    ).first()


def get_activity(conn: Connection, activity_id: str, *, for_update: bool = False):
    query = select(activities).where(activities.c.id == activity_id)
    if for_update and is_postgres(conn):
        query = query.with_for_update()
    return conn.execute(query).first()


def update_activity(conn: Connection, activity_id: str, values: dict):
    conn.execute(update(activities).where(activities.c.id == activity_id).values(**values))
    return get_activity(conn, activity_id)


def locked_activities(conn: Connection, ids: list[str]) -> dict:
    """The entries among ``ids``, by id, locked for update (PostgreSQL) in the order of their ids."""
    query = select(activities).where(activities.c.id.in_(ids)).order_by(activities.c.id)
    if is_postgres(conn):
        query = query.with_for_update()
    return {r.id: r for r in conn.execute(query)}
