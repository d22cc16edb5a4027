"""HTTP API of performance plans (SKP): /api/v1/plans and everything below it.

Routes parse, open the unit of work, call one use case (use_cases.plans, .amendments, .plan_queries) and
serialise; who may do what is access.py's (the plan's owner, rater, rater's superior, the head of a unit
above it by the directory, an admin). A plan the caller may not read answers 404 (its existence is not
disclosed); one they may read but not act on answers 403. Amendments and revisions: amendments_api;
the cascade, supportable results and completion monitoring: plan_views_api.
"""

from __future__ import annotations

from datetime import datetime

from flask_smorest import Blueprint

from kinerja_shared.web.app_factory import current_principal, runtime, unit_of_work
from kinerja_shared.web.etag import check_if_match, if_match_documented, require_if_match
from kinerja_shared.web.pagination import decode_cursor, encode_cursor
from kinerja_shared.web.problems import field_error

from . import access
from .plans_schemas import (
    BulkApproveIn,
    BulkApproveOut,
    CopyIn,
    PlanContentIn,
    PlanIn,
    PlanOut,
    PlanPage,
    PlanPatch,
    PlanQuery,
    ReturnIn,
)
from .use_cases import plan_queries, plans
from .web import created, errors, etag, flattened, headed_units, item_problem

plans_blp = Blueprint(
    "plans",
    __name__,
    url_prefix="/api/v1/plans",
    description="Performance plans (SKP): drafting, submission, approval, return, amendments and "
    "revisions, copies, bulk approval, the cascade (Matriks Peran Hasil) and completion "
    "monitoring.",
)

NOT_FOUND = (404, "No such plan (or not visible to you)")
STALE = (412, "Stale If-Match")
plan_out = flattened


def _visible(conn, plan_id: str, *, for_update: bool = False):
    """The plan and the caller's relation, or 404 (for blueprints still reading in a route)."""
    return access.readable_plan(
        conn, current_principal(), plan_id, today=runtime().today(), for_update=for_update, headed=headed_units(conn)
    )


def _answer(row, status: int = 200):
    if status == 201:
        return plan_out(row), 201, created(row, f"/api/v1/plans/{row.id}")
    return plan_out(row), status, etag(row)


# -- drafting ------------------------------------------------------------------------------------


@plans_blp.route("", methods=["POST"])
@plans_blp.arguments(PlanIn)
@plans_blp.response(201, PlanOut)
@errors(
    plans_blp,
    (409, "The employee already has a plan in force for that year"),
    (422, "Invalid plan content, span or cascade link"),
)
def create_plan(body):
    """Draft a plan (SKP). An employee drafts their own; an admin may draft for anyone.

    One plan in force (draft, submitted or approved) per employee and year; after a transfer
    the new post's plan starts on the transfer's effective date. A ``supports_result_id`` must
    name a result of the rater's approved plan for the year.
    """
    with unit_of_work() as uow:
        row = plans.create_plan(uow, current_principal(), body)
    return _answer(row, 201)


@plans_blp.route("/<plan_id>", methods=["PUT"])
@plans_blp.arguments(PlanContentIn)
@plans_blp.response(200, PlanOut)
@errors(plans_blp, NOT_FOUND, (409, "Not a draft"), (422, "Invalid plan content, span or cascade link"))
@if_match_documented(plans_blp)
def replace_plan(body, plan_id):
    """Replace a draft's content (its owner, or an admin). Send If-Match with the ETag you read."""
    with unit_of_work() as uow:
        row = plans.edit_plan(uow, current_principal(), plan_id, body, replace=True, check_version=require_if_match)
    return _answer(row)


@plans_blp.route("/<plan_id>", methods=["PATCH"])
@plans_blp.arguments(PlanPatch)
@plans_blp.response(200, PlanOut)
@errors(plans_blp, NOT_FOUND, (409, "Not a draft"), (422, "Invalid plan content, span or cascade link"))
@if_match_documented(plans_blp)
def patch_plan(body, plan_id):
    """Change some fields of a draft (its owner, or an admin); attachments merge by key. Send If-Match."""
    with unit_of_work() as uow:
        row = plans.edit_plan(uow, current_principal(), plan_id, body, replace=False, check_version=require_if_match)
    return _answer(row)


@plans_blp.route("/<plan_id>/copy", methods=["POST"])
@plans_blp.arguments(CopyIn)
@plans_blp.response(201, PlanOut)
@errors(
    plans_blp,
    NOT_FOUND,
    (409, "The employee already has a plan in force for that year"),
    (422, "Unknown or inactive employee, or a span outside the year"),
)
def copy_plan(body, plan_id):
    """Copy a plan (typically last year's) into a new draft for the given year (default: the next).

    Results, indicators, behaviours and attachments are copied with new ids; the cascade links
    are cleared (they named last year's rater plan); the rater and unit come from the directory.
    """
    with unit_of_work() as uow:
        row = plans.copy_plan(uow, current_principal(), plan_id, body)
    return _answer(row, 201)


# -- reading -------------------------------------------------------------------------------------


def _after(cursor: str | None) -> tuple[datetime, str] | None:
    if not cursor:
        return None
    created_at, _, last_id = decode_cursor(cursor).partition("|")
    try:
        return datetime.fromisoformat(created_at), last_id
    except ValueError:
        raise field_error("cursor", "is not one this service gave out", status=400) from None


@plans_blp.route("")
@plans_blp.arguments(PlanQuery, location="query")
@plans_blp.response(200, PlanPage)
@errors(plans_blp, (422, "Bad filter or cursor"))
def list_plans(args):
    """List plans the caller may see, filtered by nip, rater, unit, status, year; newest first."""
    after = _after(args.get("cursor"))
    with unit_of_work() as uow:
        rows, more = plan_queries.list_plans(uow, current_principal(), args, after=after, limit=args["limit"])
    cursor = encode_cursor(f"{rows[-1].created_at.isoformat()}|{rows[-1].id}") if more else None
    return {"items": [plan_out(r) for r in rows], "next_cursor": cursor}


@plans_blp.route("/<plan_id>")
@plans_blp.response(200, PlanOut)
@errors(plans_blp, NOT_FOUND)
def get_plan(plan_id):
    """Read one plan (its owner, rater, rater's superior, the head of a unit above it, or an admin)."""
    with unit_of_work() as uow:
        row = plan_queries.get_plan(uow, current_principal(), plan_id)
    return _answer(row)


# -- the status machine ----------------------------------------------------------------------------


@plans_blp.route("/<plan_id>/submit", methods=["POST"])
@plans_blp.response(200, PlanOut)
@errors(
    plans_blp,
    NOT_FOUND,
    (409, "Status does not allow submitting"),
    STALE,
    (422, "Content no longer valid, or a main JA_JF result supports no result of the rater's approved plan"),
)
def submit_plan(plan_id):
    """Submit a draft to the rater (draft → submitted); publishes PlanSubmitted.

    Once the rater's plan for the year is approved, every main result of a JA_JF plan must
    support one of its results (the cascade).
    """
    with unit_of_work() as uow:
        row = plans.submit_plan(uow, current_principal(), plan_id, check_version=check_if_match)
    return _answer(row)


@plans_blp.route("/<plan_id>/approve", methods=["POST"])
@plans_blp.response(200, PlanOut)
@errors(plans_blp, NOT_FOUND, (409, "Status does not allow approving"), STALE, (422, "Cascade link no longer valid"))
def approve_plan(plan_id):
    """Approve a submitted plan (the rater); keeps revision 1 and publishes PlanApproved with the whole plan."""
    with unit_of_work() as uow:
        row = plans.approve_plan(uow, current_principal(), plan_id, check_version=check_if_match)
    return _answer(row)


@plans_blp.route("/<plan_id>/return", methods=["POST"])
@plans_blp.arguments(ReturnIn)
@plans_blp.response(200, PlanOut)
@errors(plans_blp, NOT_FOUND, (409, "Status does not allow returning"), STALE, (422, "Reason missing"))
def return_plan(body, plan_id):
    """Return a submitted plan to draft with the rater's reason; publishes PlanReturned."""
    with unit_of_work() as uow:
        row = plans.return_plan(uow, current_principal(), plan_id, body["reason"], check_version=check_if_match)
    return _answer(row)


@plans_blp.route("/approve", methods=["POST"])
@plans_blp.arguments(BulkApproveIn)
@plans_blp.response(207, BulkApproveOut)
@errors(plans_blp, (422, "Malformed or too long list"))
def approve_bulk(body):
    """Approve many submitted plans at once (the rater); each succeeds or fails on its own (207).

    ``results`` has one item per request item, in order: ``status`` 200 with the approved
    ``plan``, or 403/404/409/412/422 with a ``problem``. One transaction; PlanApproved for each.
    """
    # at most domain.MAX_BULK_APPROVE_ITEMS: BulkApproveIn checks it, and documents it as maxItems
    with unit_of_work() as uow:
        answer = plans.approve_plans(uow, current_principal(), body["items"])
    for item in answer["results"]:
        item.update(
            plan=plan_out(item["plan"]) if item["plan"] is not None else None,
            problem=item_problem(item["problem"]) if item["problem"] is not None else None,
        )
    return answer, 207


from . import amendments_api, plan_views_api  # noqa: E402,F401  (their routes follow these on plans_blp)
