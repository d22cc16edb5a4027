"""HTTP API of the employee's realisation and the rater's draft, under /api/v1/evaluations/{id}.

Who may do what (by relation, as in api.py; who may not see the evaluation gets 404):

| operation | who |
|---|---|
| GET .../realisation, GET .../realisation/evidence/{file_id} | whoever may read the evaluation (employee, rater, rater's superior, heads above, admin) |
| PUT .../realisation, POST .../realisation/submit, evidence upload and removal | the employee |
| POST .../realisation/return | the rater |
| PUT .../draft (the rater's form as a draft) | the rater |

The realisation's ETag is ``"realisation-<evaluation id>.<version>"`` (version 0 before anything is
saved); the draft uses the evaluation's own ETag.
"""  # noqa: E501

from __future__ import annotations

from functools import partial

from flask_smorest import Blueprint

from kinerja_shared import evidence as shared_evidence
from kinerja_shared.errors import NotFound
from kinerja_shared.web.app_factory import current_principal, runtime, unit_of_work
from kinerja_shared.web.docs import errors as _errors
from kinerja_shared.web.etag import check_if_match, etag_for, if_match_documented, require_if_match

from . import api as evaluations_api
from .config import current_config
from .realisation_schemas import EvidenceFileUpload, EvidenceItemOut, RealisationIn, RealisationOut, ReturnIn
from .schemas import DraftIn, EvaluationOut
from .use_cases import realisation

realisation_blp = Blueprint(
    "realisation",
    __name__,
    url_prefix="/api/v1/evaluations",
    description="The employee's realisation of a period (per result: realisation, narrative, "
    "evidence) and the rater's draft of the form.",
)


def _version_check(evaluation_id: str, required: bool = False):
    """The route's If-Match check of the realisation, for the use case to call with the version it read."""
    return partial(require_if_match if required else check_if_match, realisation.tag(evaluation_id))


def _answer(answer: realisation.Answer, status: int = 200):
    return answer.body, status, {"ETag": etag_for(realisation.tag(answer.body["evaluation_id"]), answer.version)}


# -- the form's view of it (api.py's GET /evaluations/{id} and submit) --------------------------------


def for_form(conn, row, results: list[dict]) -> dict:
    """Put the employee's realisation beside each result of the rater's form; return the form's summary."""
    return realisation.form_summary(conn, row, results, config=current_config(), today=runtime().today())


require_feedback = realisation.require_feedback


# -- the employee -----------------------------------------------------------------------------------


@realisation_blp.route("/<evaluation_id>/realisation")
@realisation_blp.response(200, RealisationOut)
@_errors(realisation_blp, (404, "No such evaluation"))
def get_realisation(evaluation_id):
    """The employee's realisation of the period: per result the system's figures, the realisation (prefilled
    from the verified activities until the employee saves one), the narrative and the evidence; the
    evidence of the period's verified activities to pick from; the status, the deadlines (the employee's and
    the rater's, KINERJA_REALISATION_DEADLINE_DAYS / KINERJA_EVALUATION_DEADLINE_DAYS working days after the
    period ends) and whether the caller may edit it. Sends an ETag for If-Match on the writes."""
    with evaluations_api._snapshot() as conn:
        answer = realisation.get_realisation(
            conn, current_principal(), evaluation_id, config=current_config(), today=runtime().today()
        )
    return _answer(answer)


@realisation_blp.route("/<evaluation_id>/realisation", methods=["PUT"])
@realisation_blp.arguments(RealisationIn)
@realisation_blp.response(200, RealisationOut)
@_errors(
    realisation_blp,
    (404, "No such evaluation"),
    (409, "Submitted (locked) or already evaluated"),
    (422, "Not a result of the plan, a text too long, a bad link, or evidence that is not yours"),
)
@if_match_documented(realisation_blp)
def save_realisation(body, evaluation_id):
    """Save the employee's realisation as a draft (the employee): per result the realisation, the narrative
    and the evidence — links (http/https) and evidence picked from their verified activities of the period
    (``kind: activity`` with ``activity_id`` and its ``file_id`` or ``url``). Uploaded files stay as they are.
    A submitted realisation is locked until the rater returns it."""
    with unit_of_work() as uow:
        answer = realisation.save_realisation(
            uow,
            current_principal(),
            evaluation_id,
            body["results"],
            config=current_config(),
            check_version=_version_check(evaluation_id, required=True),
        )
    return _answer(answer)


@realisation_blp.route("/<evaluation_id>/realisation/submit", methods=["POST"])
@realisation_blp.response(200, RealisationOut)
@_errors(
    realisation_blp,
    (404, "No such evaluation"),
    (409, "Nothing saved yet, or already evaluated"),
    (412, "Stale If-Match"),
)
def submit_realisation(evaluation_id):
    """Submit the employee's realisation (the employee): it is locked from now on, unless the rater returns
    it. Submitting again what is already submitted changes nothing and publishes nothing. Publishes
    RealisationSubmitted (the rater is notified)."""
    with unit_of_work() as uow:
        answer = realisation.submit_realisation(
            uow,
            current_principal(),
            evaluation_id,
            config=current_config(),
            check_version=_version_check(evaluation_id),
        )
    return _answer(answer)


@realisation_blp.route("/<evaluation_id>/realisation/return", methods=["POST"])
@realisation_blp.arguments(ReturnIn)
@realisation_blp.response(200, RealisationOut)
@_errors(
    realisation_blp,
    (404, "No such evaluation"),
    (409, "Not submitted, or already evaluated"),
    (412, "Stale If-Match"),
    (422, "Reason missing"),
)
def return_realisation(body, evaluation_id):
    """Return the employee's submitted realisation for correction (the rater), with the reason: the employee
    may edit and submit it again."""
    with unit_of_work() as uow:
        answer = realisation.return_realisation(
            uow,
            current_principal(),
            evaluation_id,
            body["reason"],
            config=current_config(),
            check_version=_version_check(evaluation_id),
        )
    return _answer(answer)


# -- uploaded evidence ------------------------------------------------------------------------------


@realisation_blp.route("/<evaluation_id>/realisation/results/<result_id>/evidence", methods=["POST"])
@realisation_blp.arguments(EvidenceFileUpload, location="files")
@realisation_blp.response(201, EvidenceItemOut)
@_errors(
    realisation_blp,
    (404, "No such evaluation or result"),
    (409, "Submitted (locked) or already evaluated"),
    (412, "Stale If-Match"),
    (413, "File too large"),
    (415, "Not an accepted type (checked by content)"),
    (422, "No file, a file name with a path in it, or too many evidence items"),
)
def upload_evidence(files, evaluation_id, result_id):
    """Upload an evidence file (bukti dukung) for one result of your realisation (the employee): PDF, JPEG or PNG
    (checked by content), at most EVALUATION_EVIDENCE_MAX_BYTES; stored under a generated name with its SHA-256,
    and served back only to those who may read the evaluation. Saves the realisation as a draft."""
    p, cfg, upload = current_principal(), current_config(), files["file"]
    with runtime().engine.connect() as conn:  # fail fast, before reading the file
        name = realisation.check_file_upload(conn, p, evaluation_id, result_id, upload.filename)

    def record(stored_file):
        with unit_of_work() as uow:
            return realisation.add_evidence_file(
                uow, p, evaluation_id, result_id, stored_file, check_version=_version_check(evaluation_id)
            )

    answer = shared_evidence.store_upload(
        upload, name, cfg.evidence_dir, cfg.evidence_max_bytes, shared_evidence.DEFAULT_EVIDENCE_TYPES, record
    )
    return (
        answer.body,
        201,
        {"ETag": etag_for(realisation.tag(evaluation_id), answer.version), "Location": answer.body["download"]},
    )


@realisation_blp.route("/<evaluation_id>/realisation/evidence/<file_id>")
@realisation_blp.response(
    200,
    description="The file, as an attachment, with its recorded SHA-256 in X-Evidence-SHA256",
    content_type="application/octet-stream",
)
@_errors(realisation_blp, (404, "No such evaluation or file (or not visible to the caller)"))
def download_evidence(evaluation_id, file_id):
    """Download an evidence file of the employee's realisation (whoever may read the evaluation)."""
    with runtime().engine.connect() as conn:
        found = realisation.evidence_file(conn, current_principal(), evaluation_id, file_id)
    unknown = f"evaluation {evaluation_id} has no evidence file {file_id}"
    if found is None:
        raise NotFound(unknown)
    return shared_evidence.serve(current_config().evidence_dir, found, unknown)


@realisation_blp.route("/<evaluation_id>/realisation/evidence/<file_id>", methods=["DELETE"])
@realisation_blp.response(204)
@_errors(realisation_blp, (404, "No such evaluation or file"), (409, "Submitted (locked) or already evaluated"))
@if_match_documented(realisation_blp)
def remove_evidence(evaluation_id, file_id):
    """Remove an uploaded evidence file from your realisation (the employee)."""
    with unit_of_work() as uow:
        answer = realisation.remove_evidence_file(
            uow, current_principal(), evaluation_id, file_id, check_version=_version_check(evaluation_id, required=True)
        )
    shared_evidence.remove_stored(current_config().evidence_dir, answer.body["stored_name"])
    return "", 204, {"ETag": etag_for(realisation.tag(evaluation_id), answer.version)}


# -- the rater's draft ------------------------------------------------------------------------------


@realisation_blp.route("/<evaluation_id>/draft", methods=["PUT"])
@realisation_blp.arguments(DraftIn)
@realisation_blp.response(200, EvaluationOut)
@_errors(
    realisation_blp, (404, "No such evaluation"), (409, "Only an open evaluation has a draft"), (422, "Invalid form")
)
@if_match_documented(realisation_blp)
def save_draft(body, evaluation_id):
    """Save the rater's form as a draft (the rater): per result the feedback (and realisation, assessment),
    per BerAKHLAK value the feedback, and the ratings chosen so far; nothing is required yet. The form
    (GET /evaluations/{id}) shows it back; submitting still sends the whole form. Uses the evaluation's ETag."""
    with unit_of_work() as uow:
        updated = realisation.save_rater_draft(
            uow, current_principal(), evaluation_id, body, check_version=partial(require_if_match, evaluation_id)
        )
    return evaluations_api._eval_out(updated), 200, {"ETag": etag_for(evaluation_id, updated.version)}
