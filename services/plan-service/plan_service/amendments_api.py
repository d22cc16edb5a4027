"""HTTP API of amendments and revisions of an approved plan: /api/v1/plans/{plan_id}/amendments, .../revisions.

Routes parse, call use_cases.amendments or use_cases.plan_queries in a unit of work, and serialise.
"""

from __future__ import annotations

from kinerja_shared.web.app_factory import current_principal, unit_of_work
from kinerja_shared.web.etag import check_if_match

from .plans_api import NOT_FOUND, STALE, plan_out, plans_blp
from .plans_schemas import AmendmentIn, AmendmentList, AmendmentOut, DecisionIn, RejectIn, RevisionList, RevisionOut
from .use_cases import amendments, plan_queries
from .web import created, errors, etag, flattened

NO_AMENDMENT = (404, "No such plan or amendment")
revision_out = flattened


def amendment_out(row, plan=None) -> dict:
    return {**flattened(row), "plan": plan_out(plan) if plan is not None else None}


@plans_blp.route("/<plan_id>/amendments", methods=["POST"])
@plans_blp.arguments(AmendmentIn)
@plans_blp.response(201, AmendmentOut)
@errors(
    plans_blp,
    NOT_FOUND,
    (409, "The plan is not approved, or an amendment is already pending"),
    STALE,
    (422, "Invalid content, span or cascade link; reason missing"),
)
def propose_amendment(body, plan_id):
    """Propose an amendment of an approved plan, with a reason (its owner or its rater).

    The body is the whole new content (as for a draft); an empty span keeps the plan's span.
    Keep the ids of results and indicators that stay, so activities logged against them stay linked.
    The plan keeps its current revision in force until the rater approves.
    """
    with unit_of_work() as uow:
        row = amendments.propose_amendment(uow, current_principal(), plan_id, body, check_version=check_if_match)
    return amendment_out(row), 201, created(row, f"/api/v1/plans/{plan_id}/amendments/{row.id}")


@plans_blp.route("/<plan_id>/amendments")
@plans_blp.response(200, AmendmentList)
@errors(plans_blp, NOT_FOUND)
def list_amendments(plan_id):
    """The plan's amendments, oldest first (proposed, approved, rejected, withdrawn, cancelled)."""
    with unit_of_work() as uow:
        rows = plan_queries.list_amendments(uow, current_principal(), plan_id)
    return {"items": [amendment_out(r) for r in rows]}


@plans_blp.route("/<plan_id>/amendments/<amendment_id>")
@plans_blp.response(200, AmendmentOut)
@errors(plans_blp, NO_AMENDMENT)
def get_amendment(plan_id, amendment_id):
    """One amendment with its proposed content."""
    with unit_of_work() as uow:
        row = plan_queries.get_amendment(uow, current_principal(), plan_id, amendment_id)
    return amendment_out(row), 200, etag(row)


@plans_blp.route("/<plan_id>/amendments/<amendment_id>/approve", methods=["POST"])
@plans_blp.arguments(DecisionIn)
@plans_blp.response(200, AmendmentOut)
@errors(
    plans_blp,
    NO_AMENDMENT,
    (409, "The amendment is not pending, or the plan is no longer approved"),
    STALE,
    (422, "The new content breaks the cascade"),
)
def approve_amendment(body, plan_id, amendment_id):
    """Approve a pending amendment (the rater): the plan takes the new content as revision + 1.

    Every revision stays viewable under /revisions; publishes PlanAmended with the whole new
    revision and the reason.
    """
    with unit_of_work() as uow:
        row, plan = amendments.approve_amendment(
            uow, current_principal(), plan_id, amendment_id, body.get("reason"), check_version=check_if_match
        )
    return amendment_out(row, plan), 200, etag(row)


@plans_blp.route("/<plan_id>/amendments/<amendment_id>/reject", methods=["POST"])
@plans_blp.arguments(RejectIn)
@plans_blp.response(200, AmendmentOut)
@errors(plans_blp, NO_AMENDMENT, (409, "The amendment is not pending"), STALE, (422, "Reason missing"))
def reject_amendment(body, plan_id, amendment_id):
    """Reject a pending amendment with a reason (the rater); the plan stays as it is."""
    with unit_of_work() as uow:
        row = amendments.reject_amendment(
            uow, current_principal(), plan_id, amendment_id, body["reason"], check_version=check_if_match
        )
    return amendment_out(row), 200, etag(row)


@plans_blp.route("/<plan_id>/amendments/<amendment_id>/withdraw", methods=["POST"])
@plans_blp.arguments(DecisionIn)
@plans_blp.response(200, AmendmentOut)
@errors(plans_blp, NO_AMENDMENT, (409, "The amendment is not pending"), STALE, (422, "Bad reason"))
def withdraw_amendment(body, plan_id, amendment_id):
    """Withdraw a pending amendment (who proposed it, or the plan's owner)."""
    with unit_of_work() as uow:
        row = amendments.withdraw_amendment(
            uow, current_principal(), plan_id, amendment_id, body.get("reason"), check_version=check_if_match
        )
    return amendment_out(row), 200, etag(row)


@plans_blp.route("/<plan_id>/revisions")
@plans_blp.response(200, RevisionList)
@errors(plans_blp, NOT_FOUND)
def list_revisions(plan_id):
    """Every approved revision of the plan, whole, oldest first (approval, amendments, rater changes, transfer)."""
    with unit_of_work() as uow:
        rows = plan_queries.list_revisions(uow, current_principal(), plan_id)
    return {"items": [revision_out(r) for r in rows]}


@plans_blp.route("/<plan_id>/revisions/<int:revision>")
@plans_blp.response(200, RevisionOut)
@errors(plans_blp, (404, "No such plan or revision"))
def get_revision(plan_id, revision):
    """One revision of the plan, whole."""
    with unit_of_work() as uow:
        row = plan_queries.get_revision(uow, current_principal(), plan_id, revision)
    return revision_out(row)
