"""HTTP API of the performance dialogue (dialog kinerja): /api/v1/dialogues.

A dialogue belongs to one plan (the employee's and their rater's, from the plans read model), one
stage (``planning`` or ``evaluation``) and one period; either party records it and the other
confirms it (dialogues.py has the rules). Access follows the evaluations': the employee and the
rater write; the rater's superior, the head or acting head of the unit (or a unit above) and
admins read; anyone else gets 404, as if it did not exist. Every change is audited and publishes
PerformanceDialogueRecorded (its ``version`` grows with every change: the latest one wins).
"""

from __future__ import annotations

from functools import partial

from flask_smorest import Blueprint

from kinerja_shared.web.app_factory import current_principal, unit_of_work
from kinerja_shared.web.docs import errors as _errors
from kinerja_shared.web.etag import check_if_match, etag_for, if_match_documented, require_if_match
from kinerja_shared.web.pagination import encode_cursor

from . import dialogue_messages  # noqa: F401  (the texts in Bahasa Indonesia)
from .api import _snapshot, _time_cursor
from .dialogue_schemas import (
    DialogueCorrectionIn,
    DialogueDetail,
    DialogueIn,
    DialogueOut,
    DialoguePage,
    DialoguePatch,
    DialogueQuery,
)
from .use_cases import dialogues
from .use_cases.answers import Answer

dialogues_blp = Blueprint(
    "dialogues",
    __name__,
    url_prefix="/api/v1/dialogues",
    description="The performance dialogue (dialog kinerja) between an employee and the rater, "
    "when planning and when evaluating: recorded by one, confirmed by the other.",
)


def _answer(answer: Answer, status: int = 200, **headers):
    return answer.body, status, {"ETag": etag_for(answer.body["id"], answer.version), **headers}


# -- endpoints -------------------------------------------------------------------------------------


@dialogues_blp.route("", methods=["POST"])
@dialogues_blp.arguments(DialogueIn)
@dialogues_blp.response(201, DialogueOut)
@_errors(
    dialogues_blp,
    (403, "Not the plan's employee or rater"),
    (409, "Recorded already for the plan, stage and period"),
    (
        422,
        "Invalid dialogue: unknown plan or evaluation, a date in the future or far from the plan, unknown participants",
    ),
)
def record_dialogue(body):
    """Record a performance dialogue (the plan's employee or its rater): the date it was held, who
    took part (the employee and the rater always), the topics and the agreed follow-ups. Stage
    ``planning`` counts in the plan's period holding the date; stage ``evaluation`` names the
    plan's evaluation and counts in its period. One per plan, stage and period. The recorder has
    confirmed it; it waits for the other. Publishes PerformanceDialogueRecorded."""
    with unit_of_work() as uow:
        answer = dialogues.record_dialogue(uow, current_principal(), body)
    return _answer(answer, 201, Location=f"/api/v1/dialogues/{answer.body['id']}")


@dialogues_blp.route("")
@dialogues_blp.arguments(DialogueQuery, location="query")
@dialogues_blp.response(200, DialoguePage)
@_errors(dialogues_blp, (400, "Bad cursor"), (422, "Bad filter"))
def list_dialogues(args):
    """List the dialogues the caller may read, newest recorded first. Filters ``plan_id``,
    ``period_id``, ``stage``, ``status``, ``nip``, ``evaluation_id``; pages with ``limit`` and
    ``cursor`` (``next_cursor`` of the previous page)."""
    after = _time_cursor(args["cursor"]) if args.get("cursor") else None
    with _snapshot() as conn:
        items, next_after = dialogues.list_dialogues(conn, current_principal(), args, after=after, limit=args["limit"])
    cursor = encode_cursor(f"{next_after[0].isoformat()}|{next_after[1]}") if next_after else None
    return {"items": items, "next_cursor": cursor}


@dialogues_blp.route("/<dialogue_id>")
@dialogues_blp.response(200, DialogueDetail)
@_errors(dialogues_blp, (404, "No such dialogue"))
def get_dialogue(dialogue_id):
    """Read one dialogue with its history (earlier confirmed revisions). Sends an ETag for If-Match."""
    with _snapshot() as conn:
        return _answer(dialogues.get_dialogue(conn, current_principal(), dialogue_id))


@dialogues_blp.route("/<dialogue_id>", methods=["PATCH"])
@dialogues_blp.arguments(DialoguePatch)
@dialogues_blp.response(200, DialogueOut)
@_errors(
    dialogues_blp,
    (403, "Not the employee or the rater"),
    (404, "No such dialogue"),
    (409, "Confirmed by both (correct it instead)"),
    (422, "Invalid content"),
)
@if_match_documented(dialogues_blp)
def edit_dialogue(body, dialogue_id):
    """Edit a dialogue not yet confirmed by both (the employee or the rater; If-Match): the editor's
    confirmation stands and the other's is asked again. Publishes PerformanceDialogueRecorded."""
    with unit_of_work() as uow:
        answer = dialogues.edit_dialogue(
            uow, current_principal(), dialogue_id, body, check_version=partial(require_if_match, dialogue_id)
        )
    return _answer(answer)


@dialogues_blp.route("/<dialogue_id>/confirm", methods=["POST"])
@dialogues_blp.response(200, DialogueOut)
@_errors(
    dialogues_blp,
    (403, "Not the employee or the rater"),
    (404, "No such dialogue"),
    (409, "Confirmed by the caller already"),
    (412, "Stale If-Match"),
)
def confirm_dialogue(dialogue_id):
    """Confirm the dialogue as recorded (the party it waits for; If-Match with the ETag you read
    confirms that version only). Both confirmed: status ``confirmed``. Publishes
    PerformanceDialogueRecorded."""
    with unit_of_work() as uow:
        answer = dialogues.confirm_dialogue(
            uow, current_principal(), dialogue_id, check_version=partial(check_if_match, dialogue_id)
        )
    return _answer(answer)


@dialogues_blp.route("/<dialogue_id>/corrections", methods=["POST"])
@dialogues_blp.arguments(DialogueCorrectionIn)
@dialogues_blp.response(200, DialogueOut)
@_errors(
    dialogues_blp,
    (403, "Not the employee or the rater"),
    (404, "No such dialogue"),
    (409, "Not confirmed by both yet (edit it instead)"),
    (412, "Stale If-Match"),
    (422, "Invalid content"),
)
def correct_dialogue(body, dialogue_id):
    """Correct a dialogue both confirmed (the employee or the rater), with the reason: the confirmed
    one is kept in the history, the dialogue becomes revision n+1, confirmed by the corrector and
    waiting for the other. Publishes PerformanceDialogueRecorded."""
    with unit_of_work() as uow:
        answer = dialogues.correct_dialogue(
            uow, current_principal(), dialogue_id, body, check_version=partial(check_if_match, dialogue_id)
        )
    return _answer(answer)
