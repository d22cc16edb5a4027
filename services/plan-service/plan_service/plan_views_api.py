"""HTTP API of the views over many plans: the cascade (Matriks Peran Hasil), what a new plan can support, and
completion monitoring (/api/v1/plans/{plan_id}/cascade, /supportable-results, /completion)."""

from __future__ import annotations

from kinerja_shared.web.app_factory import current_principal, runtime, unit_of_work
from kinerja_shared.web.pagination import decode_cursor, encode_cursor

from .plans_api import NOT_FOUND, plans_blp
from .plans_schemas import CascadeOut, CascadeQuery, CompletionOut, CompletionQuery, SupportableOut, SupportableQuery
from .use_cases import plan_queries
from .web import errors


@plans_blp.route("/<plan_id>/cascade")
@plans_blp.arguments(CascadeQuery, location="query")
@plans_blp.response(200, CascadeOut)
@errors(plans_blp, NOT_FOUND, (422, "Unknown result_id or bad depth"))
def cascade(args, plan_id):
    """For each result of the plan (or one, ``result_id``), the subordinates' results that support it,
    down the tree (BKN's Matriks Peran Hasil): the plans rated by the plan's owner for the same
    year whose results name it in ``supports_result_id``, then theirs, ``depth`` levels down."""
    with unit_of_work() as uow:
        return plan_queries.cascade(
            uow,
            current_principal(),
            plan_id,
            result_id=args.get("result_id"),
            depth=args["depth"],
            include_unapproved=args["include_unapproved"],
        )


@plans_blp.route("/supportable-results")
@plans_blp.arguments(SupportableQuery, location="query")
@plans_blp.response(200, SupportableOut)
@errors(plans_blp, (404, "No such employee"), (422, "Bad NIP or year"))
def supportable_results(args):
    """The results of the employee's rater's approved plan for the year: what each main result of a
    JA_JF plan names in ``supports_result_id`` (intervensi, the cascade), so an employee can draft
    without reading the rater's whole plan. For the employee, their rater and rater's superior,
    the head of their unit (or above) and admins. Empty, with ``detail``, while the rater has no
    approved plan (then results need not name one)."""
    with unit_of_work() as uow:
        return plan_queries.supportable_results(uow, current_principal(), nip=args.get("nip"), year=args.get("year"))


@plans_blp.route("/completion")
@plans_blp.arguments(CompletionQuery, location="query")
@plans_blp.response(200, CompletionOut)
@errors(plans_blp, (404, "No such unit"), (422, "Bad filter or cursor"))
def completion(args):
    """Who has no approved plan for the year yet, against the deadline (PLAN_DEADLINE, default 31 January).

    For the head of a unit (its whole subtree) and admins (any unit, or everyone). Counts the
    active employees, the approved plans (and those approved after the deadline), and lists the
    missing ones with the status of the plan they have, if any.
    """
    after = decode_cursor(args["cursor"]) if args.get("cursor") else None
    with unit_of_work() as uow:
        body = plan_queries.completion(
            uow,
            current_principal(),
            runtime().config,
            unit_id=args.get("unit_id"),
            year=args.get("year"),
            after=after,
            limit=args["limit"],
        )
    next_after = body.pop("next_after")
    return {**body, "next_cursor": encode_cursor(next_after) if next_after else None}
