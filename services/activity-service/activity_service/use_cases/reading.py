"""Reading entries: one entry, the list the caller may see, and the indicators they may log against."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kinerja_shared.errors import field_error
from kinerja_shared.numbers import finite
from kinerja_shared.web.pagination import decode_cursor, encode_cursor

from .. import access, domain, list_queries, summary_queries
from .common import rules

FILTERS = ("month", "date_from", "date_to", "nip", "status", "indicator_id", "unit_id", "cursor")


@dataclass
class Page:
    """A page of entries: ``items_json`` (PostgreSQL: the items already encoded, joined by commas) or ``rows``."""

    next_cursor: str | None
    items_json: str | None = None
    rows: list | None = None


def get_activity(conn, actor, activity_id: str, *, today):
    """One entry the caller may see (its owner, their rater, the unit head of their unit tree, or an admin)."""
    row, _ = access.visible_activity(conn, actor, activity_id, today=today)
    return row


def _params(actor, args: dict, today) -> dict:
    """The list statement's parameters from the query's filters (and the caller's scope)."""
    params = {name: args[name] for name in ("nip", "status", "indicator_id", "date_from", "date_to") if args.get(name)}
    if args.get("month"):
        with rules():
            params["first"], params["last"] = domain.month_bounds(args["month"])
    if args.get("date_from") and args.get("date_to") and args["date_to"] < args["date_from"]:
        raise field_error("date_to", "must not be before date_from")
    if args.get("unit_id"):
        params["subtree_of"] = args["unit_id"]
    if args.get("cursor"):
        try:
            day, start, last_id = decode_cursor(args["cursor"]).split("|", 2)
            params.update(
                cursor_day=datetime.strptime(day, "%Y-%m-%d").date(), cursor_start=int(start), cursor_id=last_id
            )
        except ValueError:
            raise field_error("cursor", "is not one this service gave out", status=400) from None
    if not actor.is_admin:
        # the caller's units come from the directory in the same statement (acting heads: spans holding today)
        params["me"], params["today"] = actor.sub, today
    params["limit"] = args["limit"] + 1
    return params


def list_activities(conn, actor, args: dict, *, today) -> Page:
    """The entries the caller may see, newest first, one page (``args["limit"]``) after ``args["cursor"]``.

    Employees see their own, raters those of the employees they rate, unit heads those of their unit's
    subtree (the directory's head, or its acting head on ``today``), admins all. One read: the caller's
    scope is a subquery of the list statement.
    """
    params = _params(actor, args, today)
    filters = frozenset(n for n in FILTERS if args.get(n))
    limit = args["limit"]
    page = list_queries.list_page(conn, filters, None if actor.is_admin else "caller", params, limit)
    if page[0] == "json":
        _, items, found, last = page
        return Page(encode_cursor(last) if found > limit and last else None, items_json=items or "")
    rows = page[1]
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = encode_cursor(f"{rows[-1].date.isoformat()}|{rows[-1].start_min}|{rows[-1].id}") if more and rows else None
    return Page(cursor, rows=rows)


def list_indicators(conn, actor, nip: str, day, *, today) -> list[dict]:
    """The indicators of the approved plan(s) in force on ``day`` that employee ``nip`` may log against."""
    if nip != actor.sub:
        access.require_sees_employee(conn, actor, nip, today=today)
    rows = summary_queries.indicators_in_force(conn, nip, day)
    for row in rows:
        row["target_value"] = finite(row["target_value"])
    return rows
