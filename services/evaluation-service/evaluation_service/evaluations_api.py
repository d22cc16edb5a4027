"""HTTP API of the evaluations: /api/v1/evaluations (list, the form, submit, close, reopen, revisions, credit points).

Routes parse, open the unit of work, call one use case (use_cases/evaluations.py, use_cases/credit_points.py) and
serialise; who may do what is access.py's.
"""

from __future__ import annotations

from flask_smorest import Blueprint

from kinerja_shared.web.docs import errors as _errors
from kinerja_shared.web.etag import etag_for

from .schemas import (
    CreditPointsOut,
    CreditPointsQuery,
    EvaluationDetail,
    EvaluationOut,
    EvaluationPage,
    EvaluationQuery,
    ReopenIn,
    RevisionList,
    SubmitIn,
)
from .use_cases import credit_points as credit_use_cases
from .use_cases import evaluations as use_cases
from .web_context import current_principal, evaluation_answer, reading, unit_of_work, version_check

evaluations_blp = Blueprint(
    "evaluations",
    __name__,
    url_prefix="/api/v1/evaluations",
    description="Periodic and annual evaluations: the rater's form, submit, close, reopen.",
)


@evaluations_blp.route("")
@evaluations_blp.arguments(EvaluationQuery, location="query")
@evaluations_blp.response(200, EvaluationPage)
@_errors(evaluations_blp, (400, "Bad cursor"), (422, "Bad filter"))
def list_evaluations(args):
    """List the evaluations the caller may see, newest first.

    Filters: ``nip``, ``rater_nip``, ``unit_id`` (the unit and its sub-units), ``period_id``,
    ``status``, ``year``. Pages with ``limit`` and ``cursor`` (``next_cursor`` of the previous page).
    """
    with reading() as uow:
        return use_cases.list_evaluations(uow, current_principal(), args)


@evaluations_blp.route("/<evaluation_id>")
@evaluations_blp.response(200, EvaluationDetail)
@_errors(evaluations_blp, (404, "No such evaluation"))
def get_evaluation(evaluation_id):
    """Read one evaluation form: the plan's results with realisation from verified activities
    (% of target and of what was expected by the period's end), the pending verifications,
    the period's activities, the continuous feedback given since the last form, the
    results-rating suggestion with its reasoning, and for an annual evaluation the year's
    periodic ones. Sends an ETag for If-Match on submit, close and reopen."""
    from .realisation_api import for_form  # the employee's realisation beside each result

    with reading() as uow:
        row, body = use_cases.get_evaluation(uow, current_principal(), evaluation_id, self_assessment=for_form)
    return body, 200, {"ETag": etag_for(evaluation_id, row.version)}


@evaluations_blp.route("/<evaluation_id>/submit", methods=["POST"])
@evaluations_blp.arguments(SubmitIn)
@evaluations_blp.response(200, EvaluationOut)
@_errors(
    evaluations_blp,
    (404, "No such evaluation"),
    (409, "Status does not allow submitting"),
    (412, "Stale If-Match"),
    (422, "Invalid form, or a rating that differs from the suggestion without a note"),
)
def submit_evaluation(body, evaluation_id):
    """Submit the form (the rater): per result the realisation and feedback based on evidence
    (and optionally the rater's assessment of it), feedback per BerAKHLAK value, and the two
    ratings. The predicate follows from the matrix and cannot be sent. A results rating other
    than the service's suggestion needs a ``rating_note``. open/submitted → submitted;
    publishes EvaluationSubmitted."""
    with unit_of_work() as uow:
        row = use_cases.submit_evaluation(
            uow, current_principal(), evaluation_id, body, check_version=version_check(evaluation_id)
        )
    return evaluation_answer(row)


@evaluations_blp.route("/<evaluation_id>/close", methods=["POST"])
@evaluations_blp.response(200, EvaluationOut)
@_errors(evaluations_blp, (404, "No such evaluation"), (409, "Status does not allow closing"), (412, "Stale If-Match"))
def close_evaluation(evaluation_id):
    """Close a submitted evaluation (the rater): it is fixed from now on. Computes the credit
    points for functionals (predicate share × yearly coefficient × months/12) and publishes
    EvaluationClosed with the employee, unit, rater, period, both ratings and the predicate."""
    with unit_of_work() as uow:
        row = use_cases.close_evaluation(
            uow, current_principal(), evaluation_id, check_version=version_check(evaluation_id)
        )
    return evaluation_answer(row)


@evaluations_blp.route("/<evaluation_id>/reopen", methods=["POST"])
@evaluations_blp.arguments(ReopenIn)
@evaluations_blp.response(200, EvaluationOut)
@_errors(
    evaluations_blp,
    (404, "No such evaluation"),
    (409, "Only a closed evaluation can be reopened"),
    (412, "Stale If-Match"),
    (422, "Reason missing"),
)
def reopen_evaluation(body, evaluation_id):
    """Reopen a closed evaluation (admin), with the reason: the closed state is kept as a
    revision (GET .../revisions), the evaluation becomes revision n+1 and open again with its
    form as it was, for the rater to correct and submit. Publishes EvaluationReopened."""
    with unit_of_work() as uow:
        row = use_cases.reopen_evaluation(
            uow, current_principal(), evaluation_id, body["reason"], check_version=version_check(evaluation_id)
        )
    return evaluation_answer(row)


@evaluations_blp.route("/<evaluation_id>/revisions")
@evaluations_blp.response(200, RevisionList)
@_errors(evaluations_blp, (404, "No such evaluation"))
def list_revisions(evaluation_id):
    """The earlier, superseded revisions of an evaluation, oldest first, each with who reopened it and why."""
    with reading() as uow:
        return use_cases.list_revisions(uow, current_principal(), evaluation_id)


@evaluations_blp.route("/credit-points")
@evaluations_blp.arguments(CreditPointsQuery, location="query")
@evaluations_blp.response(200, CreditPointsOut)
@_errors(
    evaluations_blp,
    (403, "Not the employee, their rater, a head above them or an admin"),
    (404, "No such employee"),
    (422, "Bad NIP or year"),
)
def credit_points(args):
    """An employee's credit points (angka kredit) of a year: each periodic evaluation with its predicate,
    months and figure (closed ones), their total, the annual evaluation, and the PAK record (penetapan
    angka kredit) written when the annual evaluation closed (null before).

    The yearly coefficient comes from the employee's functional level (jenjang) in the directory
    (kinerja_shared.functional_levels: Ahli Pertama 12.5 ... Ahli Utama 50, Pemula 3.75 ... Penyelia 25);
    only without a level the old typed-in coefficient counts, and ``coefficient_note`` says so.
    Each figure = share (Sangat Baik 150 %, Baik 100 %, Butuh Perbaikan 75 %, Kurang 50 %, Sangat
    Kurang 25 %) × coefficient × months / 12, rounded half up to two decimals (2 months at Baik for an
    Ahli Pertama = 2.08); the total adds the closed periods' figures. The employee, their rater (or
    rater's superior), the head or acting head of their unit or a unit above, and admins may read it."""
    with reading() as uow:
        return credit_use_cases.get_credit_points(uow, current_principal(), args["nip"], args["year"])
