"""POST /api/v1/activities/<id>/correct and /annul: repairs of a verified entry (an admin or the rater's superior)."""

from __future__ import annotations

from kinerja_shared.web.app_factory import current_principal, unit_of_work
from kinerja_shared.web.docs import errors as _errors

from . import use_cases
from .api import activities_blp, if_match, written
from .schemas import ActivityOut, AnnulIn, CorrectIn


@activities_blp.route("/<activity_id>/correct", methods=["POST"])
@activities_blp.arguments(CorrectIn)
@activities_blp.response(200, ActivityOut)
@_errors(
    activities_blp,
    (403, "Not an admin nor the rater's superior"),
    (404, "No such activity"),
    (409, "Not verified (pending: the employee edits it), or annulled or withdrawn"),
    (412, "Stale If-Match"),
    (422, "No reason, nothing to change, or a rule is broken (quantity, indicator)"),
    (428, "If-Match missing"),
)
def correct_activity(body, activity_id):
    """Correct a verified entry (an admin or the employee's rater's superior); publishes ActivityCorrected.

    For a value the rater accepted by mistake (an absurd quantity, the wrong indicator): send
    the fields to change and the ``reason``, with ``If-Match`` (required). The status stays,
    the version goes up, the change is audited with its values before and after, and
    ActivityCorrected (the whole new state and the changes) brings every read model in line.
    Send an ``Idempotency-Key`` to make a retry safe.
    """
    with unit_of_work() as uow:
        updated = use_cases.correct_activity(
            uow, current_principal(), activity_id, body, if_match=if_match(activity_id, required=True)
        )
    return written(updated)


@activities_blp.route("/<activity_id>/annul", methods=["POST"])
@activities_blp.arguments(AnnulIn)
@activities_blp.response(200, ActivityOut)
@_errors(
    activities_blp,
    (403, "Not an admin nor the rater's superior"),
    (404, "No such activity"),
    (409, "Not verified, or already annulled or withdrawn"),
    (412, "Stale If-Match"),
    (422, "No reason"),
    (428, "If-Match missing"),
)
def annul_activity(body, activity_id):
    """Annul a verified entry (an admin or the employee's rater's superior); publishes ActivityAnnulled.

    The entry stays on record with status ``annulled`` and counts nowhere from then on
    (summaries, realisation, compliance); its time is free for a new entry. ``reason`` and
    ``If-Match`` are required; the annulment is audited.
    """
    with unit_of_work() as uow:
        updated = use_cases.annul_activity(
            uow, current_principal(), activity_id, body.get("reason"), if_match=if_match(activity_id, required=True)
        )
    return written(updated)
