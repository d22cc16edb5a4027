"""GET /api/v1/activities (the list), GET/PATCH /api/v1/activities/<id>, POST .../withdraw."""

from __future__ import annotations

from flask import current_app

from kinerja_shared.web.answer_json import answer_dumps as strict_dumps
from kinerja_shared.web.app_factory import current_principal, runtime, unit_of_work
from kinerja_shared.web.docs import errors as _errors
from kinerja_shared.web.etag import if_match_documented

from . import use_cases
from .api import activities_blp, headers, if_match, json_response, out, out_json, written
from .config import current_config
from .schemas import ActivityOut, ActivityPage, ActivityPatch, ActivityQuery, WithdrawIn


@activities_blp.route("")
@activities_blp.arguments(ActivityQuery(), location="query")
@activities_blp.response(200, ActivityPage)
@_errors(activities_blp, (400, "Bad cursor"), (422, "Bad filter"))
def list_activities(args):
    """List the entries the caller may see, newest first.

    Employees see their own, raters those of the employees they rate, unit heads those of
    their unit's subtree (the head in the directory, or its acting head, Plt./Plh., on the days of
    the assignment; a token's unit or role claims give nothing), admins all. Filters: nip, unit_id, date_from, date_to, month
    (YYYY-MM), status, indicator_id.
    """  # noqa: E501
    rt = runtime()
    # One read (the caller's scope is a subquery): in autocommit, without BEGIN and ROLLBACK round trips.
    with rt.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        page = use_cases.list_activities(conn, current_principal(), args, today=rt.today())
    if page.items_json is not None:  # PostgreSQL: the page came back as JSON text, used as it is
        cursor = strict_dumps(page.next_cursor)
        return current_app.response_class(
            f'{{"items":[{page.items_json}],"next_cursor":{cursor}}}', mimetype="application/json"
        )
    # Serialised once, straight to JSON (ActivityPage documents the shape).
    return json_response({"items": [out_json(r) for r in page.rows], "next_cursor": page.next_cursor})


@activities_blp.route("/<activity_id>")
@activities_blp.response(200, ActivityOut)
@_errors(activities_blp, (404, "No such activity (or not visible to the caller)"))
def get_activity(activity_id):
    """Read one entry, with its ETag (its owner, their rater, the unit head of their unit tree, or an admin)."""
    rt = runtime()
    with rt.engine.connect() as conn:
        row = use_cases.get_activity(conn, current_principal(), activity_id, today=rt.today())
    return out(row), 200, headers(row)


@activities_blp.route("/<activity_id>", methods=["PATCH"])
@activities_blp.arguments(ActivityPatch)
@activities_blp.response(200, ActivityOut)
@_errors(
    activities_blp,
    (404, "No such activity"),
    (409, "Verified or withdrawn (locked), or overlaps another entry"),
    (422, "A rule is broken (see POST)"),
)
@if_match_documented(activities_blp)
def edit_activity(body, activity_id):
    """Edit your own unverified entry (send If-Match with its ETag); publishes ActivityUpdated.

    Every rule of logging applies to the result; an entry dated before the edit window can
    no longer be changed, and a verified entry is locked.
    """
    with unit_of_work() as uow:
        updated = use_cases.edit_activity(
            uow, current_principal(), activity_id, body, current_config(), if_match=if_match(activity_id, required=True)
        )
    return written(updated)


@activities_blp.route("/<activity_id>/withdraw", methods=["POST"])
@activities_blp.arguments(WithdrawIn)
@activities_blp.response(200, ActivityOut)
@_errors(
    activities_blp,
    (404, "No such activity"),
    (409, "Verified or already withdrawn"),
    (412, "Stale If-Match"),
    (422, "Dated before the edit window"),
)
def withdraw_activity(body, activity_id):
    """Withdraw your own unverified entry; it then counts nowhere. Publishes ActivityWithdrawn."""
    with unit_of_work() as uow:
        updated = use_cases.withdraw_activity(
            uow, current_principal(), activity_id, body.get("reason"), current_config(), if_match=if_match(activity_id)
        )
    return written(updated)
