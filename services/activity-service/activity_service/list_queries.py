"""The month list of entries (``GET /api/v1/activities``): one statement per shape of request, built once.

On PostgreSQL the page comes back already encoded as JSON (``list_json_query``); elsewhere as rows.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Date, Integer, String, and_, bindparam, func, literal_column, or_, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from kinerja_shared.acting_heads import in_force

from .models import acting_heads, activities, employee_ancestors, employees


def _visible_clause(dialect: str):
    """The entries the caller (parameter ``me``) may see: own, rated (recorded or current), and those of
    the subtree of a unit they head in the directory, definitively (is_unit_head) or as acting head
    (Plt./Plh.) on the local date ``today``. The caller's row and assignments are subqueries: no read of their own.
    A subtree's members are an indexed read of ``employee_ancestors`` (its cost grows with the subtree, not
    with the directory)."""
    me_param = bindparam("me", type_=String())
    me, member = employees.alias("me"), employee_ancestors.alias("member")
    headed = and_(me.c.nip == me_param, me.c.is_unit_head.is_(True), member.c.ancestor_id == me.c.unit_id)
    acting, acted = acting_heads.alias("acting"), employee_ancestors.alias("acted")
    acts_for = and_(
        acting.c.nip == me_param,
        in_force(acting, bindparam("today", type_=Date())),
        acted.c.ancestor_id == acting.c.unit_id,
    )
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
    status, indicator_id, subtree_of (a unit id: its subtree's employees), cursor_day, cursor_start, cursor_id,
    me, today (the local date acting-head spans are checked on), limit."""
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
        subtree = select(employee_ancestors.c.nip).where(
            employee_ancestors.c.ancestor_id == bindparam("subtree_of", type_=String())
        )
        query = query.where(c.nip.in_(subtree))
    if "cursor" in filters:
        day = bindparam("cursor_day", type_=c.date.type)
        start, last_id = bindparam("cursor_start", type_=c.start_min.type), bindparam("cursor_id", type_=c.id.type)
        query = query.where(
            or_(
                c.date < day,
                and_(c.date == day, c.start_min < start),
                and_(c.date == day, c.start_min == start, c.id < last_id),
            )
        )
    if scope is not None:
        query = query.where(_visible_clause(dialect))
    return query.order_by(c.date.desc(), c.start_min.desc(), c.id.desc()).limit(bindparam("limit", type_=Integer()))


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
_SQL_QUANTITY = (
    "(CASE WHEN page.quantity IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8) THEN 'null' "
    "WHEN page.quantity = trunc(page.quantity) AND abs(page.quantity) < 1e15 "
    "THEN trunc(page.quantity)::bigint::text || '.0' ELSE page.quantity::text END)::json"
)
_ITEM_FIELDS = (  # ActivityOut's fields, in order, as SQL over the page's columns
    ("id", "page.id"),
    ("nip", "page.nip"),
    ("rater_nip", "page.rater_nip"),
    ("unit_id", "page.unit_id"),
    ("plan_id", "page.plan_id"),
    ("result_id", "page.result_id"),
    ("indicator_id", "page.indicator_id"),
    ("action_id", "page.action_id"),
    ("date", "page.date"),
    ("start_time", _sql_hhmm("page.start_min")),
    ("end_time", _sql_hhmm("page.end_min")),
    ("minutes", "page.minutes"),
    ("description", "page.description"),
    ("quantity", _SQL_QUANTITY),
    ("quantity_unit", "page.quantity_unit"),
    ("evidence", _SQL_EVIDENCE),
    ("status", "page.status"),
    ("verification_reason", "page.verification_reason"),
    ("verified_by", "page.verified_by"),
    ("verified_at", _sql_iso("page.verified_at")),
    ("version", "page.version"),
    ("created_at", _sql_iso("page.created_at")),
    ("updated_at", _sql_iso("page.updated_at")),
)
# row_to_json of a one-row sub-select: compact text and a third less of the server's CPU than json_build_object.
_SQL_ITEM = (
    "(SELECT row_to_json(item) FROM (SELECT "
    + ", ".join(f'{sql} AS "{name}"' for name, sql in _ITEM_FIELDS)
    + ") AS item)"
)


@lru_cache(maxsize=512)
def list_json_query(filters: frozenset, scope: str | None):
    """PostgreSQL only: :func:`list_query`'s page as one row (items: the JSON of the first ``page``
    entries joined by commas, rows: how many the inner query found (``limit`` = page + 1 means there
    are more), cursor: 'date|start_min|id' of the page's last entry)."""
    c = activities.c
    order = (c.date.desc(), c.start_min.desc(), c.id.desc())
    page = (
        list_query("postgresql", filters, scope)
        .add_columns(func.row_number().over(order_by=order).label("rn"))
        .subquery("page")
    )
    in_page = page.c.rn <= bindparam("page", type_=Integer())
    return select(
        func.string_agg(literal_column(f"({_SQL_ITEM})::text"), aggregate_order_by(literal_column("','"), page.c.rn))
        .filter(in_page)
        .label("items"),
        func.count().label("rows"),
        func.max(literal_column("to_char(page.date, 'YYYY-MM-DD') || '|' || page.start_min || '|' || page.id"))
        .filter(page.c.rn == bindparam("page", type_=Integer()))
        .label("cursor"),
    ).select_from(page)


def list_page(conn, filters: frozenset, scope: str | None, params: dict, page: int):
    """One page of the list: ("json", items, found, last) on PostgreSQL, ("rows", rows) elsewhere.

    ``params["limit"]`` is ``page + 1`` (one more tells whether there are more)."""
    if conn.dialect.name == "postgresql":  # the page comes back as JSON text: no rows, dicts or encoding here
        items, found, last = conn.execute(list_json_query(filters, scope), {**params, "page": page}).one()
        return "json", items, found, last
    return "rows", conn.execute(list_query(conn.dialect.name, filters, scope), params).all()
