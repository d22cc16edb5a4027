"""HTTP API of continuous feedback: /api/v1/feedback (give, list); the rules are use_cases/feedback.py's."""

from __future__ import annotations

from flask_smorest import Blueprint

from kinerja_shared.web.docs import errors as _errors

from .schemas import FeedbackIn, FeedbackOut, FeedbackPage, FeedbackQuery
from .use_cases import feedback as use_cases
from .web_context import current_principal, default_scheme, reading, unit_of_work

feedback_blp = Blueprint(
    "feedback",
    __name__,
    url_prefix="/api/v1/feedback",
    description="Continuous feedback (umpan balik berkelanjutan) from the rater.",
)


@feedback_blp.route("", methods=["POST"])
@feedback_blp.arguments(FeedbackIn)
@feedback_blp.response(201, FeedbackOut)
@_errors(feedback_blp, (422, "Invalid feedback, unknown result"))
def give_feedback(body):
    """Give continuous feedback (the employee's rater), on a result, on a BerAKHLAK value, or in
    general. It shows on the employee's next evaluation form (the earliest one not closed yet,
    else the next one to open). Publishes FeedbackGiven."""
    with unit_of_work() as uow:
        created = use_cases.give_feedback(uow, current_principal(), body, default_scheme=default_scheme())
    return created, 201, {"Location": f"/api/v1/feedback?nip={body['nip']}"}


@feedback_blp.route("")
@feedback_blp.arguments(FeedbackQuery, location="query")
@feedback_blp.response(200, FeedbackPage)
@_errors(feedback_blp, (400, "Bad cursor"))
def list_feedback(args):
    """List continuous feedback, newest first: the employee sees their own, the rater what they
    gave, the unit head their subtree's, an admin all. Filters ``nip``, ``period_id``, ``evaluation_id``."""
    with reading() as uow:
        return use_cases.list_feedback(uow, current_principal(), args)
