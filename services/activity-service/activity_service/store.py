"""The SQL of activity-service (SQLAlchemy Core), kept to few round trips on the logging path.

Logging one entry (``POST /activities``) is one transaction of two statements (with or without an
``Idempotency-Key``); every statement is built once:

1. ``logging_context``: takes the employee's transaction-scoped advisory lock (PostgreSQL)
   and reads the employee, the candidate indicators and (with a key) the key's stored answer
   in the same statement;
2. ``log_one``: ``INSERT ... SELECT ... WHERE NOT EXISTS (that id) AND NOT EXISTS (an
   overlapping entry) RETURNING id``, with data-modifying CTEs that insert the audit row, the
   outbox event and the key with its answer only when the entry went in. It runs after the
   lock, so its snapshot sees every entry committed by the employee's earlier requests: no two
   overlapping entries can commit.

A batch reads, under the same lock, the entries of its days and the client ids already
stored (``occupied``, ``get_activities``), decides in Python, and writes with three
multi-row inserts (entries, audit rows, events).
"""
from __future__ import annotations

import zlib
from datetime import date
from functools import lru_cache
from types import SimpleNamespace

from sqlalchemy import BigInteger, Date, Integer, String, and_, any_, bindparam, exists, func, insert, literal, literal_column, or_, select, true, update
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.engine import Connection

from kinerja_shared.acting_heads import acting_units, in_force
from kinerja_shared.db import AUDIT_LOG, IDEMPOTENCY_KEYS, OUTBOX, is_postgres
from kinerja_shared.outbox import publish

from .domain import OCCUPYING, IndicatorInForce
from .models import acting_heads, activities, employees, plan_indicators, plans


def employee_lock_key(nip: str) -> int:
    """The advisory-lock key of an employee: the NIP itself (18 digits fit a bigint)."""
    if nip.isdigit() and len(nip) <= 18:
        return int(nip)
    return zlib.crc32(nip.encode())


# -- the logging path --------------------------------------------------------------------------

_KEY_ANSWER = ("path", "fingerprint", "state", "status_code", "response_body", "response_headers")


def _logging_context_query(lock: bool, with_key: bool = False):
    if lock:  # PostgreSQL only: the ids as one array parameter (an expanding IN re-renders the SQL on every call)
        base = select(func.pg_advisory_xact_lock(bindparam("lock_key", type_=BigInteger())).label("locked")).subquery("l")
        ids_match = plan_indicators.c.indicator_id == any_(bindparam("ids", type_=ARRAY(String())))
    else:
        base = select(literal(1).label("locked")).subquery("l")
        ids_match = plan_indicators.c.indicator_id.in_(bindparam("ids", expanding=True))
    ind = (
        select(plan_indicators.c.plan_id, plan_indicators.c.result_id, plan_indicators.c.indicator_id,
               plan_indicators.c.target_unit, plans.c.period_start, plans.c.period_end, plans.c.revision, plans.c.rater_nip.label("plan_rater_nip"),
               plans.c.unit_id.label("plan_unit_id"))
        .join(plans, plans.c.plan_id == plan_indicators.c.plan_id)
        .where(plan_indicators.c.nip == bindparam("nip"), ids_match)
        .subquery("i")
    )
    emp = select(employees).where(employees.c.nip == bindparam("nip")).subquery("e")
    joined = base.outerjoin(emp, true()).outerjoin(ind, true())
    columns = [base.c.locked, emp.c.nip.label("emp_nip"), emp.c.rater_nip.label("emp_rater_nip"),
               emp.c.unit_id.label("emp_unit_id"), emp.c.active.label("emp_active"), ind]
    if with_key:
        key = (select(*[IDEMPOTENCY_KEYS.c[c].label(f"key_{c}") for c in _KEY_ANSWER])
               .where(IDEMPOTENCY_KEYS.c.principal == bindparam("key_principal"),
                      IDEMPOTENCY_KEYS.c.idempotency_key == bindparam("key_key"))
               .subquery("k"))
        joined = joined.outerjoin(key, true())
        columns.append(key)
    return select(*columns).select_from(joined)


# Built once: constructing Core statements costs more CPU than executing them on this path.
_CONTEXT = {(lock, with_key): _logging_context_query(lock, with_key) for lock in (True, False) for with_key in (True, False)}


def logging_context(conn: Connection, nip: str, indicator_ids: set[str], *, lock: bool = True, key=None):
    """Lock the employee's entries (PostgreSQL) and read the employee and the indicators they may use.

    Returns (employee row or None, [IndicatorInForce]) in one round trip — and, with ``key`` (an
    ``idempotency.Pending``), a third item: the key's stored answer or None. Read in the same
    statement as the lock, the key row is the one committed before the statement began: a
    duplicate that commits while this one waits for the lock is not seen here, and its unique
    key then fails this transaction (409) before anything of it commits.
    """
    params = {"nip": nip, "ids": sorted(indicator_ids)}
    if key is not None:
        params.update(key_principal=key.principal, key_key=key.key)
    lock = lock and is_postgres(conn)
    if lock:
        params["lock_key"] = employee_lock_key(nip)
    rows = conn.execute(_CONTEXT[(lock, key is not None)], params).all()
    employee = None
    candidates = []
    stored_key = None
    if key is not None and rows and rows[0].key_state is not None:
        stored_key = SimpleNamespace(**{c: getattr(rows[0], f"key_{c}") for c in _KEY_ANSWER})
    for r in rows:
        if r.emp_nip is not None and employee is None:
            employee = {"nip": r.emp_nip, "rater_nip": r.emp_rater_nip, "unit_id": r.emp_unit_id, "active": r.emp_active}
        if r.plan_id is not None:
            candidates.append(IndicatorInForce(
                plan_id=r.plan_id, result_id=r.result_id, indicator_id=r.indicator_id, period_start=r.period_start,
                period_end=r.period_end, revision=r.revision, rater_nip=r.plan_rater_nip, unit_id=r.plan_unit_id,
                target_unit=r.target_unit))
    if key is not None:
        return employee, candidates, stored_key
    return employee, candidates


def lock_employee(conn: Connection, nip: str) -> None:
    if is_postgres(conn):
        conn.execute(select(func.pg_advisory_xact_lock(employee_lock_key(nip))))


def _overlapping(nip: str, day: date, start: int, end: int, exclude_id: str | None = None):
    clause = and_(
        activities.c.nip == nip, activities.c.date == day, activities.c.status.in_(OCCUPYING),
        activities.c.start_min < end, activities.c.end_min > start,
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
        activities.c.nip == p["nip"], activities.c.date == p["date"],
        activities.c.status.in_([_sql_constant(status, activities.c.status.type) for status in OCCUPYING]),
        activities.c.start_min < p["end_min"], activities.c.end_min > p["start_min"],
    )
    values = select(*[p[c].label(c) for c in columns]).where(
        ~exists(select(activities.c.id).where(activities.c.id == p["id"])),
        ~exists(select(activities.c.id).where(overlapping)),
    )
    return columns, insert(activities).from_select(columns, values).returning(activities.c.id)


_INSERT_COLUMNS, _INSERT = _insert_query()


def insert_activity(conn: Connection, row: dict) -> bool:
    """Insert the entry unless it overlaps another or its id exists; True when inserted.

    Plain Core ``insert().from_select()``, built once (the dialects' ON CONFLICT statements are
    not cached by SQLAlchemy 2.0). A client id taken concurrently by another employee still
    fails on the primary key (a 409).
    """
    return conn.execute(_INSERT, {f"v_{c}": row[c] for c in _INSERT_COLUMNS}).first() is not None


def _log_one_query(with_key: bool):
    """PostgreSQL: the entry (checked as in ``insert_activity``) and, only when it went in, its
    audit row, its outbox row and (``with_key``) its Idempotency-Key row, in one statement."""
    entry = _INSERT.cte("a")

    def insert_after_entry(table, prefix: str, columns: tuple[str, ...]):
        constants = _LOG_ONE_CONSTANTS[prefix]
        values = [_sql_constant(constants[c], table.c[c].type).label(c) if c in constants else
                  bindparam(f"{prefix}_{c}", type_=table.c[c].type).label(c) for c in columns]
        return insert(table).from_select(columns, select(*values).select_from(entry)).cte(f"{prefix}_ins")

    ctes = [insert_after_entry(AUDIT_LOG, "au", _AUDIT_COLUMNS), insert_after_entry(OUTBOX, "ob", _OUTBOX_COLUMNS)]
    if with_key:
        ctes.append(insert_after_entry(IDEMPOTENCY_KEYS, "ik", _KEY_COLUMNS))
    return select(entry.c.id).add_cte(*ctes)


# The keys of kinerja_shared's audit.entry(), outbox.rows() and idempotency.key_row() dicts.
_AUDIT_COLUMNS = ("occurred_at", "actor", "actor_roles", "action", "entity_type", "entity_id", "before", "after", "reason",
                  "correlation_id")
_OUTBOX_COLUMNS = ("event_id", "topic", "partition_key", "event_type", "payload", "status", "attempts", "created_at")
_KEY_COLUMNS = ("principal", "idempotency_key", "method", "path", "fingerprint", "state", "status_code", "response_body",
                "response_headers", "created_at")
# Values that are the same for every logged entry, written into the statement: with at most 50
# parameters psycopg caches its conversion of the query (it re-parses a longer list every time).
_LOG_ONE_CONSTANTS = {"au": {"action": "activity.logged", "entity_type": "activity"},
                      "ob": {"status": "pending", "attempts": 0}, "ik": {"method": "POST", "state": "done"}}
_LOG_ONE = _log_one_query(with_key=False)
_LOG_ONE_WITH_KEY = _log_one_query(with_key=True)


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
    for prefix, values, columns in (("au", audit_row, _AUDIT_COLUMNS), ("ob", outbox_row, _OUTBOX_COLUMNS),
                                    ("ik", key_row, _KEY_COLUMNS)):
        if values is None:
            continue
        constants = _LOG_ONE_CONSTANTS[prefix]
        if any(values[c] != v for c, v in constants.items()):
            raise ValueError(f"log_one writes {constants} into {prefix} rows, got other values")
        params.update({f"{prefix}_{c}": values[c] for c in columns if c not in constants})
    return conn.execute(_LOG_ONE_WITH_KEY if key_row is not None else _LOG_ONE, params).first() is not None


def get_activities(conn: Connection, ids: list[str]) -> dict:
    """The stored entries among ``ids``, by id (one statement; empty without ids)."""
    if not ids:
        return {}
    return {r.id: r for r in conn.execute(_BY_IDS, {"ids": ids})}


def occupied(conn: Connection, nip: str, days: list[date]) -> list:
    """The employee's entries that occupy their time (pending, accepted) on ``days``: id, date, start_min, end_min."""
    if not days:
        return []
    return conn.execute(_OCCUPIED, {"nip": nip, "days": days}).all()


_BY_IDS = select(activities).where(activities.c.id.in_(bindparam("ids", expanding=True)))
_OCCUPIED = (
    select(activities.c.id, activities.c.date, activities.c.start_min, activities.c.end_min)
    .where(activities.c.nip == bindparam("nip"), activities.c.date.in_(bindparam("days", expanding=True)),
           activities.c.status.in_(OCCUPYING))
)


def insert_many(conn: Connection, rows: list[dict]) -> None:
    """Insert entries already checked under the employee's lock (``occupied``, ``get_activities``)."""
    if rows:
        conn.execute(activities.insert(), rows)


def find_overlap(conn: Connection, nip: str, day: date, start: int, end: int, exclude_id: str | None = None):
    """The first entry of the employee on ``day`` whose time range overlaps [start, end), or None."""
    return conn.execute(
        select(activities.c.id, activities.c.start_min, activities.c.end_min)
        .where(_overlapping(nip, day, start, end, exclude_id)).order_by(activities.c.start_min).limit(1)
    ).first()


def get_activity(conn: Connection, activity_id: str, *, for_update: bool = False):
    query = select(activities).where(activities.c.id == activity_id)
    if for_update and is_postgres(conn):
        query = query.with_for_update()
    return conn.execute(query).first()


def update_activity(conn: Connection, activity_id: str, values: dict):
    conn.execute(update(activities).where(activities.c.id == activity_id).values(**values))
    return get_activity(conn, activity_id)


# -- relations: who may see and verify whose entries -------------------------------------------

def employee(conn: Connection, nip: str):
    return conn.execute(select(employees).where(employees.c.nip == nip)).first()


def head_units(conn: Connection, nip: str, caller_row, today: date) -> list[str]:
    """Units whose subtree the caller heads, from the directory only: the read model's is_unit_head (their
    own unit) and the units they act for (Plt./Plh.) on ``today``. A token's unit or role claims never count."""
    units = []
    if caller_row is not None and caller_row.is_unit_head:
        units.append(caller_row.unit_id)
    units.extend(u for u in acting_units(conn, acting_heads, nip, today) if u not in units)
    return units


def in_subtree(unit_path: str | None, units: list[str]) -> bool:
    return bool(unit_path) and any(f"/{u}/" in unit_path for u in units)


def subtree_clause(units: list[str]):
    """employees rows in the subtree of any of ``units``."""
    return or_(*[employees.c.unit_path.contains(f"/{u}/", autoescape=True) for u in units]) if units else None


def _has_unit(unit_path, marker, dialect: str):
    """``unit_path`` holds ``marker`` ('/<unit>/') as an exact substring (no LIKE wildcards), like ``subtree_clause``."""
    return (func.strpos if dialect == "postgresql" else func.instr)(unit_path, marker) > 0


def _visible_clause(dialect: str):
    """The entries the caller (parameter ``me``) may see: own, rated (recorded or current), and those of
    the subtree of a unit they head in the directory, definitively (is_unit_head) or as acting head
    (Plt./Plh.) on the local date ``today``. The caller's row and assignments are subqueries: no read of their own."""
    me_param = bindparam("me", type_=String())
    me, member = employees.alias("me"), employees.alias("member")
    headed = and_(me.c.nip == me_param, me.c.is_unit_head.is_(True),
                  _has_unit(member.c.unit_path, literal("/") + me.c.unit_id + literal("/"), dialect))
    acting, acted = acting_heads.alias("acting"), employees.alias("acted")
    acts_for = and_(acting.c.nip == me_param, in_force(acting, bindparam("today", type_=Date())),
                    _has_unit(acted.c.unit_path, literal("/") + acting.c.unit_id + literal("/"), dialect))
    return or_(
        activities.c.nip == me_param,
        activities.c.rater_nip == me_param,
        activities.c.nip.in_(select(employees.c.nip).where(employees.c.rater_nip == me_param)),
        activities.c.nip.in_(select(member.c.nip).join(me, headed)),
        activities.c.nip.in_(select(acted.c.nip).join(acting, acts_for)),
    )


@lru_cache(maxsize=512)
def list_query(dialect: str, filters: frozenset, scope: str | None):
    """The list statement for one shape of request, built once (construction and SQLAlchemy's cache
    key cost more than running it). ``filters`` names the filters present, ``scope`` is None (admin:
    everything) or "caller". Values are parameters: first/last (month), date_from, date_to, nip,
    status, indicator_id, unit_marker ('/<unit>/'), cursor_day, cursor_start, cursor_id, me, today
    (the local date acting-head spans are checked on), limit."""
    c = activities.c
    query = select(activities)
    if "month" in filters:
        query = query.where(c.date.between(bindparam("first", type_=c.date.type), bindparam("last", type_=c.date.type)))
    if "date_from" in filters:
        query = query.where(c.date >= bindparam("date_from", type_=c.date.type))
    if "date_to" in filters:
        query = query.where(c.date <= bindparam("date_to", type_=c.date.type))
    for name in ("nip", "status", "indicator_id"):
        if name in filters:
            query = query.where(c[name] == bindparam(name, type_=c[name].type))
    if "unit_id" in filters:
        marker = bindparam("unit_marker", type_=String())
        query = query.where(c.nip.in_(select(employees.c.nip).where(_has_unit(employees.c.unit_path, marker, dialect))))
    if "cursor" in filters:
        day, start, last_id = (bindparam("cursor_day", type_=c.date.type), bindparam("cursor_start", type_=c.start_min.type),
                               bindparam("cursor_id", type_=c.id.type))
        query = query.where(or_(c.date < day, and_(c.date == day, c.start_min < start),
                                and_(c.date == day, c.start_min == start, c.id < last_id)))
    if scope is not None:
        query = query.where(_visible_clause(dialect))
    return query.order_by(c.date.desc(), c.start_min.desc(), c.id.desc()).limit(bindparam("limit", type_=Integer()))


def relation_to(conn: Connection, principal, nip: str, recorded_rater: str | None = None, *, today: date) -> dict:
    """How the caller relates to employee ``nip``: self, rater (current, else the one recorded), head, the
    rater's superior named in the directory, admin. Headship is the directory's (acting heads on ``today``).

    One query reads both the caller's and the employee's read-model rows.
    """
    rows = {r.nip: r for r in conn.execute(select(employees).where(employees.c.nip.in_({principal.sub, nip})))}
    target = rows.get(nip)
    caller = rows.get(principal.sub)
    rater = (target.rater_nip if target is not None and target.rater_nip else recorded_rater)
    units = head_units(conn, principal.sub, caller, today)
    return {
        "self": principal.sub == nip,
        "rater": rater is not None and rater == principal.sub,
        "recorded_rater": recorded_rater is not None and recorded_rater == principal.sub,
        "head": in_subtree(target.unit_path if target is not None else None, units),
        # the rater's superior (atasan pejabat penilai) named in the directory reads the entry, as in plan-service
        "superior": target is not None and target.rater_superior_nip is not None and target.rater_superior_nip == principal.sub,
        "admin": principal.is_admin,
        "employee": target,
    }


def may_see(rel: dict) -> bool:
    return rel["self"] or rel["rater"] or rel["recorded_rater"] or rel["head"] or rel.get("superior") or rel["admin"]


def rater_superior(conn: Connection, target, recorded_rater: str | None = None) -> str | None:
    """The employee's rater's superior (atasan pejabat penilai): the directory's ``rater_superior_nip``,
    else the rater's own rater (as plan-service's directory fills it); the rater is the current one,
    else the one recorded on the entry."""
    if target is not None and target.rater_superior_nip:
        return target.rater_superior_nip
    rater = target.rater_nip if target is not None and target.rater_nip else recorded_rater
    if rater is None:
        return None
    return conn.execute(select(employees.c.rater_nip).where(employees.c.nip == rater)).scalar()


def may_repair(conn: Connection, principal, rel: dict, recorded_rater: str | None) -> bool:
    """Who may correct or annul a verified entry: an admin, or the employee's rater's superior
    (never the employee, nor the rater who verified it)."""
    if rel["admin"]:
        return True
    superior = rater_superior(conn, rel["employee"], recorded_rater)
    return superior is not None and superior == principal.sub and not rel["self"]


def repair_activity(conn: Connection, activity_id: str, values: dict, *, audit_row, event):
    """Store a correction or annulment of an entry, with its audit row and its event, in the caller's
    transaction: ``audit_row(updated)`` and ``event(updated)`` build them from the updated row."""
    updated = update_activity(conn, activity_id, values)
    conn.execute(AUDIT_LOG.insert(), audit_row(updated._mapping))
    publish(conn, event(updated._mapping))
    return updated


# -- the month list as JSON, built by PostgreSQL ------------------------------------------------------------
# The list's answer is 100 entries: fetching them as rows, turning each into a dict and encoding the
# dicts cost the web three times the CPU of the query. On PostgreSQL the statement returns the
# items already encoded (the same values as ``api._out_json``), the row count and the cursor.

def _sql_iso(ts: str) -> str:
    """A timestamptz as Python's ``datetime.isoformat()`` writes it (microseconds only when not zero)."""
    return f"replace(to_char({ts}, 'YYYY-MM-DD\"T\"HH24:MI:SS.USTZH:TZM'), '.000000', '')"


def _sql_hhmm(minutes: str) -> str:
    return f"lpad(({minutes} / 60)::text, 2, '0') || ':' || lpad(({minutes} % 60)::text, 2, '0')"


EVIDENCE_FIELDS = ("kind", "url", "file_id", "name", "sha256", "content_type", "size")  # + download (files)
_EVIDENCE_ARRAY = "ARRAY[" + ", ".join(f"'{k}'" for k in EVIDENCE_FIELDS) + "]"
# Each evidence item keeps the fields of EvidenceOut in their order; a file gains its download path.
# Links are stored as {kind, url[, name]}: already what EvidenceOut keeps, so an entry without files
# passes its evidence through as stored; only entries with a file take the item-by-item path.
_SQL_EVIDENCE = f"""CASE WHEN strpos(page.evidence::text, '"file"') = 0 THEN page.evidence ELSE (
  SELECT json_agg(coalesce((
    SELECT json_object_agg(f.key, f.value ORDER BY f.pos) FROM (
      SELECT j.key, j.value, array_position({_EVIDENCE_ARRAY}, j.key) AS pos FROM json_each(e.item) AS j
       WHERE j.key = ANY({_EVIDENCE_ARRAY})
      UNION ALL
      SELECT 'download', to_json('/api/v1/activities/' || page.id || '/evidence/' || (e.item ->> 'file_id')), 99
       WHERE e.item ->> 'kind' = 'file'
    ) AS f), '{{}}'::json) ORDER BY e.n)
  FROM json_array_elements(page.evidence) WITH ORDINALITY AS e(item, n)) END"""
# Strict JSON: a quantity stored before the bounds that is not a finite number (PostgreSQL's float8 holds NaN and
# ±Infinity, whose text is not JSON) is null, as api._out_json writes it.
_SQL_QUANTITY = ("(CASE WHEN page.quantity IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8) THEN 'null' "
                 "WHEN page.quantity = trunc(page.quantity) AND abs(page.quantity) < 1e15 "
                 "THEN trunc(page.quantity)::bigint::text || '.0' ELSE page.quantity::text END)::json")
_ITEM_FIELDS = (  # ActivityOut's fields, in order, as SQL over the page's columns
    ("id", "page.id"), ("nip", "page.nip"), ("rater_nip", "page.rater_nip"), ("unit_id", "page.unit_id"),
    ("plan_id", "page.plan_id"), ("result_id", "page.result_id"), ("indicator_id", "page.indicator_id"),
    ("action_id", "page.action_id"), ("date", "page.date"),
    ("start_time", _sql_hhmm("page.start_min")), ("end_time", _sql_hhmm("page.end_min")), ("minutes", "page.minutes"),
    ("description", "page.description"), ("quantity", _SQL_QUANTITY), ("quantity_unit", "page.quantity_unit"),
    ("evidence", _SQL_EVIDENCE), ("status", "page.status"), ("verification_reason", "page.verification_reason"),
    ("verified_by", "page.verified_by"), ("verified_at", _sql_iso("page.verified_at")), ("version", "page.version"),
    ("created_at", _sql_iso("page.created_at")), ("updated_at", _sql_iso("page.updated_at")),
)
# row_to_json of a one-row sub-select: compact text and a third less of the server's CPU than json_build_object.
_SQL_ITEM = "(SELECT row_to_json(item) FROM (SELECT " + ", ".join(f'{sql} AS "{name}"' for name, sql in _ITEM_FIELDS) + ") AS item)"


@lru_cache(maxsize=512)
def list_json_query(filters: frozenset, scope: str | None):
    """PostgreSQL only: :func:`list_query`'s page as one row (items: the JSON of the first ``page``
    entries joined by commas, rows: how many the inner query found (``limit`` = page + 1 means there
    are more), cursor: 'date|start_min|id' of the page's last entry)."""
    c = activities.c
    order = (c.date.desc(), c.start_min.desc(), c.id.desc())
    page = list_query("postgresql", filters, scope).add_columns(func.row_number().over(order_by=order).label("rn")).subquery("page")
    in_page = page.c.rn <= bindparam("page", type_=Integer())
    return select(
        func.string_agg(literal_column(f"({_SQL_ITEM})::text"), aggregate_order_by(literal_column("','"), page.c.rn))
        .filter(in_page).label("items"),
        func.count().label("rows"),
        func.max(literal_column("to_char(page.date, 'YYYY-MM-DD') || '|' || page.start_min || '|' || page.id"))
        .filter(page.c.rn == bindparam("page", type_=Integer())).label("cursor"),
    ).select_from(page)
