"""POST /api/v1/activities/<id>/verify and /verify (many at once): the rater's verification."""

from __future__ import annotations

from kinerja_shared import errors
from kinerja_shared.web.app_factory import current_principal, unit_of_work
from kinerja_shared.web.docs import errors as _errors

from . import use_cases
from .api import activities_blp, if_match, item_problem, out, written
from .schemas import ActivityOut, BulkVerifyIn, BulkVerifyOut, VerifyIn


@activities_blp.route("/<activity_id>/verify", methods=["POST"])
@activities_blp.arguments(VerifyIn)
@activities_blp.response(200, ActivityOut)
@_errors(
    activities_blp,
    (404, "No such activity"),
    (409, "Already verified or withdrawn"),
    (412, "Stale If-Match"),
    (422, "Rejected without a reason"),
)
def verify_activity(body, activity_id):
    """Accept an entry, or reject it with a reason (the employee's rater only); publishes ActivityVerified.

    A verified entry is locked: it can no longer be edited, withdrawn or verified again.
    """
    with unit_of_work() as uow:
        updated = use_cases.verify_activity(
            uow, current_principal(), activity_id, body["decision"], body.get("reason"), if_match=if_match(activity_id)
        )
    return written(updated)


@activities_blp.route("/verify", methods=["POST"])
@activities_blp.arguments(BulkVerifyIn)
@activities_blp.response(207, BulkVerifyOut)
@_errors(activities_blp, (422, "Malformed list of decisions"))
def verify_bulk(body):
    """Verify many entries at once (the rater); each decision succeeds or fails on its own (207).

    ``results`` has one item per decision, in order: ``status`` 200 with the verified
    ``activity``, or 403/404/409/412/422 with a ``problem``. Send each entry's ``version`` (from the
    list) so an entry the employee edited after you read it is refused (412), not accepted unseen.
    Publishes ActivityVerified for each.
    """
    with unit_of_work() as uow:
        outcomes = use_cases.verify_bulk(uow, current_principal(), body["items"])
    results = [
        {"index": index, "id": activity_id, "status": 200, "activity": out(value), "problem": None}
        if not isinstance(value, errors.DomainError)
        else {
            "index": index,
            "id": activity_id,
            "status": value.status,
            "activity": None,
            "problem": item_problem(value),
        }
        for index, activity_id, value in outcomes
    ]
    verified = sum(1 for r in results if r["status"] == 200)
    return {"results": results, "verified": verified, "failed": len(results) - verified}, 207
