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
"""
from __future__ import annotations

from flask_smorest import Blueprint
from sqlalchemy import update

from kinerja_shared import audit
from kinerja_shared import evidence as shared_evidence
from kinerja_shared.db import utcnow
from kinerja_shared.outbox import publish
from kinerja_shared.web.app_factory import current_principal, runtime
from kinerja_shared.web.docs import errors as _errors
from kinerja_shared.web.etag import check_if_match, etag_for, if_match_documented, require_if_match
from kinerja_shared.web.problems import Conflict, Forbidden, NotFound, field_error

from . import api as evaluations_api
from . import domain, events, realisation_store
from . import self_assessment as rules
from .config import current_config
from .models import evaluations
from .realisation_schemas import EvidenceFileUpload, EvidenceItemOut, RealisationIn, RealisationOut, ReturnIn
from .schemas import DraftIn, EvaluationOut

realisation_blp = Blueprint("realisation", __name__, url_prefix="/api/v1/evaluations",
                            description="The employee's realisation of a period (per result: realisation, narrative, "
                                        "evidence) and the rater's draft of the form.")


def _tag(evaluation_id: str) -> str:
    return f"realisation-{evaluation_id}"


def _version(stored) -> int:
    return stored.version if stored is not None else 0


def _rule(fn, *args):
    try:
        return fn(*args)
    except rules.DomainError as exc:
        if exc.field is None:
            raise Conflict(exc.message, title="Status does not allow this") from None
        raise field_error(exc.field, exc.message, status=exc.status) from None


def _employee_only(row, what: str) -> None:
    if current_principal().sub != row.nip:
        raise Forbidden(f"Only the employee ({row.nip}) may {what} their realisation.")


def _rater_only(row, what: str) -> None:
    if current_principal().sub != row.rater_nip:
        raise Forbidden(f"Only the evaluation's rater (pejabat penilai) may {what}.")


def _download(evaluation_id: str, item: dict) -> dict:
    if item.get("kind") == rules.FILE:
        return {**item, "download": f"/api/v1/evaluations/{evaluation_id}/realisation/evidence/{item['file_id']}"}
    if item.get("kind") == rules.ACTIVITY and item.get("file_id"):
        return {**item, "download": f"/api/v1/activities/{item['activity_id']}/evidence/{item['file_id']}"}
    return item


def _figures(conn, row, plan) -> list[dict]:
    period = evaluations_api._period_of(row)
    return evaluations_api._results_view(plan, period, evaluations_api._activity_sums(conn, [plan.id], period),
                                         row.form, [])


def _picker(conn, row) -> tuple[list[dict], dict[str, list[dict]]]:
    rows = realisation_store.verified_evidence(conn, row.plan_id, row.period_start, row.period_end)
    picker = [{"activity_id": a.activity_id, "date": a.date, "description": a.description, "result_id": a.result_id,
               "indicator_id": a.indicator_id,
               "evidence": [_download(row.id, {**e, "kind": rules.ACTIVITY, "evidence_kind": e.get("kind"),
                                               "activity_id": a.activity_id}) for e in a.evidence or []]}
              for a in rows]
    return picker, {a.activity_id: list(a.evidence or []) for a in rows}


def _deadlines(row) -> dict:
    return current_config().deadlines.as_dict(row.period_end)


def _status(stored) -> str:
    return stored.status if stored is not None else rules.NOT_STARTED


def _overdue(row, stored) -> bool:
    deadline = current_config().deadlines.realisation(row.period_end)
    return _status(stored) != rules.SUBMITTED and evaluations_api._today() > deadline


def _view(conn, row, stored) -> dict:
    plan = evaluations_api._plan(conn, row.plan_id)
    saved = {r["result_id"]: r for r in (stored.results if stored is not None else [])}
    picker, _ = _picker(conn, row)
    results = []
    for r in _figures(conn, row, plan):
        prefill = rules.prefill_text(r["indicators"])
        mine = saved.get(r["result_id"])
        results.append({
            "result_id": r["result_id"], "kind": r["kind"], "text": r["text"],
            "indicators": [{k: i.get(k) for k in ("indicator_id", "text", "aspect", "target_value", "target_unit",
                                                  "realised_to_date", "percent_of_target")} for i in r["indicators"]],
            "prefill": prefill,
            "realisation": mine["realisation"] if mine is not None else prefill,
            "narrative": mine["narrative"] if mine is not None else None,
            "evidence": [_download(row.id, e) for e in (mine or {}).get("evidence", [])]})
    p = current_principal()
    may_edit = p.sub == row.nip and row.status == domain.OPEN and _status(stored) != rules.SUBMITTED
    return {"evaluation_id": row.id, "nip": row.nip, "rater_nip": row.rater_nip,
            "period": evaluations_api._period_of(row).as_dict(), "evaluation_status": row.status,
            "status": _status(stored), "version": _version(stored),
            "submitted_at": stored.submitted_at if stored else None, "returned_at": stored.returned_at if stored else None,
            "return_reason": stored.return_reason if stored else None, "deadlines": _deadlines(row),
            "overdue": _overdue(row, stored), "may_edit": may_edit, "results": results, "activity_evidence": picker}


def _answer(conn, row, stored, status: int = 200):
    return _view(conn, row, stored), status, {"ETag": etag_for(_tag(row.id), _version(stored))}


# -- the form's view of it (used by GET /evaluations/{id}) ------------------------------------------

def for_form(conn, row, results: list[dict]) -> dict:
    """Put the employee's realisation beside each result of the rater's form; return the form's summary."""
    stored = realisation_store.load(conn, row.id)
    saved = {r["result_id"]: r for r in (stored.results if stored is not None else [])}
    for r in results:
        mine = saved.get(r["result_id"])
        r["employee"] = None if mine is None else {
            "realisation": mine.get("realisation"), "narrative": mine.get("narrative"),
            "evidence": [_download(row.id, e) for e in mine.get("evidence") or []]}
    deadlines = current_config().deadlines
    deadline = deadlines.realisation(row.period_end)
    status = _status(stored)
    return {"status": status, "submitted_at": stored.submitted_at if stored else None,
            "return_reason": stored.return_reason if stored else None, "deadline": deadline.isoformat(),
            "evaluation_deadline": deadlines.evaluation(row.period_end).isoformat(),
            "overdue": _overdue(row, stored), "feedback_required": status == rules.SUBMITTED,
            "note": rules.status_note(status, deadline, evaluations_api._today())}


def require_feedback(conn, row, plan, form_results: list[dict]) -> None:
    """Once the employee has submitted, the rater's form needs feedback on every main result (422 naming it)."""
    stored = realisation_store.load(conn, row.id)
    if _status(stored) != rules.SUBMITTED:
        return
    main = [r["result_id"] for r in plan.results if r.get("kind") == "main"]
    missing = rules.missing_feedback(main, form_results)
    if missing:
        raise field_error("results", "the employee has submitted their realisation: give feedback on every main "
                                     f"result; missing for {', '.join(missing)}")


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
        row = evaluations_api._readable(conn, evaluation_id)
        return _answer(conn, row, realisation_store.load(conn, evaluation_id))


def _editable(conn, evaluation_id: str, what: str):
    row = evaluations_api._readable(conn, evaluation_id, for_update=True)
    _employee_only(row, what)
    stored = realisation_store.load(conn, evaluation_id, for_update=True)
    _rule(rules.may_edit, stored.status if stored else None, row.status)
    return row, stored


@realisation_blp.route("/<evaluation_id>/realisation", methods=["PUT"])
@realisation_blp.arguments(RealisationIn)
@realisation_blp.response(200, RealisationOut)
@_errors(realisation_blp, (404, "No such evaluation"), (409, "Submitted (locked) or already evaluated"),
         (422, "Not a result of the plan, a text too long, a bad link, or evidence that is not yours"))
@if_match_documented(realisation_blp)
def save_realisation(body, evaluation_id):
    """Save the employee's realisation as a draft (the employee): per result the realisation, the narrative
    and the evidence — links (http/https) and evidence picked from their verified activities of the period
    (``kind: activity`` with ``activity_id`` and its ``file_id`` or ``url``). Uploaded files stay as they are.
    A submitted realisation is locked until the rater returns it."""
    p = current_principal()
    with runtime().engine.begin() as conn:
        row, stored = _editable(conn, evaluation_id, "save")
        require_if_match(_tag(evaluation_id), _version(stored))
        plan = evaluations_api._plan(conn, row.plan_id)
        _, attached = _picker(conn, row)
        results = _rule(rules.check_results, [r["result_id"] for r in plan.results], body["results"], attached)
        results = _rule(rules.merge_files, results, stored.results if stored else [])
        saved = realisation_store.save(conn, evaluation_id, row.nip, stored, status=rules.DRAFT, results=results)
        audit.record(conn, actor=p, action="realisation.saved", entity_type="evaluation", entity_id=evaluation_id,
                     before={"status": _status(stored)}, after={"status": rules.DRAFT, "results": len(results)})
        return _answer(conn, row, saved)


@realisation_blp.route("/<evaluation_id>/realisation/submit", methods=["POST"])
@realisation_blp.response(200, RealisationOut)
@_errors(realisation_blp, (404, "No such evaluation"), (409, "Nothing saved yet, or already evaluated"),
         (412, "Stale If-Match"))
def submit_realisation(evaluation_id):
    """Submit the employee's realisation (the employee): it is locked from now on, unless the rater returns
    it. Submitting again what is already submitted changes nothing and publishes nothing. Publishes
    RealisationSubmitted (the rater is notified)."""
    p = current_principal()
    with runtime().engine.begin() as conn:
        row = evaluations_api._readable(conn, evaluation_id, for_update=True)
        _employee_only(row, "submit")
        stored = realisation_store.load(conn, evaluation_id, for_update=True)
        if stored is not None and stored.status == rules.SUBMITTED:
            return _answer(conn, row, stored)   # idempotent: already submitted
        _rule(rules.may_edit, stored.status if stored else None, row.status)
        check_if_match(_tag(evaluation_id), _version(stored))
        if stored is None:
            raise Conflict("Save your realisation first (PUT .../realisation), then submit it.",
                           title="Nothing to submit", current_status=rules.NOT_STARTED)
        now = utcnow()
        saved = realisation_store.save(conn, evaluation_id, row.nip, stored, status=rules.SUBMITTED, submitted_at=now)
        audit.record(conn, actor=p, action="realisation.submitted", entity_type="evaluation", entity_id=evaluation_id,
                     before={"status": stored.status}, after={"status": rules.SUBMITTED})
        publish(conn, events.realisation_submitted(row, saved))
        return _answer(conn, row, saved)


@realisation_blp.route("/<evaluation_id>/realisation/return", methods=["POST"])
@realisation_blp.arguments(ReturnIn)
@realisation_blp.response(200, RealisationOut)
@_errors(realisation_blp, (404, "No such evaluation"), (409, "Not submitted, or already evaluated"),
         (412, "Stale If-Match"), (422, "Reason missing"))
def return_realisation(body, evaluation_id):
    """Return the employee's submitted realisation for correction (the rater), with the reason: the employee
    may edit and submit it again."""
    p = current_principal()
    reason = body["reason"].strip()
    if not reason:
        raise field_error("reason", "must say what the employee should complete or correct")
    with runtime().engine.begin() as conn:
        row = evaluations_api._readable(conn, evaluation_id, for_update=True)
        _rater_only(row, "return the employee's realisation")
        stored = realisation_store.load(conn, evaluation_id, for_update=True)
        _rule(rules.may_return, stored.status if stored else None, row.status)
        check_if_match(_tag(evaluation_id), _version(stored))
        saved = realisation_store.save(conn, evaluation_id, row.nip, stored, status=rules.RETURNED, returned_at=utcnow(),
                                       returned_by=p.sub, return_reason=reason)
        audit.record(conn, actor=p, action="realisation.returned", entity_type="evaluation", entity_id=evaluation_id,
                     before={"status": stored.status}, after={"status": rules.RETURNED}, reason=reason)
        return _answer(conn, row, saved)


# -- uploaded evidence ------------------------------------------------------------------------------

@realisation_blp.route("/<evaluation_id>/realisation/results/<result_id>/evidence", methods=["POST"])
@realisation_blp.arguments(EvidenceFileUpload, location="files")
@realisation_blp.response(201, EvidenceItemOut)
@_errors(realisation_blp, (404, "No such evaluation or result"), (409, "Submitted (locked) or already evaluated"),
         (412, "Stale If-Match"), (413, "File too large"), (415, "Not an accepted type (checked by content)"),
         (422, "No file, a file name with a path in it, or too many evidence items"))
def upload_evidence(files, evaluation_id, result_id):
    """Upload an evidence file (bukti dukung) for one result of your realisation (the employee): PDF, JPEG or PNG
    (checked by content), at most EVALUATION_EVIDENCE_MAX_BYTES; stored under a generated name with its SHA-256,
    and served back only to those who may read the evaluation. Saves the realisation as a draft."""
    p = current_principal()
    cfg = current_config()
    upload = files["file"]
    try:
        name = shared_evidence.check_file_name(upload.filename)
    except shared_evidence.EvidenceError as exc:
        raise field_error(exc.field, exc.message, status=exc.status) from None
    engine = runtime().engine
    with engine.connect() as conn:   # fail fast, before reading the file
        row, _ = _editable(conn, evaluation_id, "add evidence to")
        if result_id not in [r["result_id"] for r in evaluations_api._plan(conn, row.plan_id).results]:
            raise NotFound(f"{result_id} is not a result of the plan of evaluation {evaluation_id}")
    try:
        spooled, content_type, extension = shared_evidence.receive(upload, cfg.evidence_dir, cfg.evidence_max_bytes,
                                                                   shared_evidence.DEFAULT_EVIDENCE_TYPES)
    except shared_evidence.EvidenceError as exc:
        raise field_error(exc.field, exc.message, status=exc.status) from None
    kept = None
    try:
        file_id = shared_evidence.new_file_id()
        stored_name = shared_evidence.stored_name(file_id, extension)
        kept = shared_evidence.keep(spooled, cfg.evidence_dir, stored_name)
        with engine.begin() as conn:
            row, stored = _editable(conn, evaluation_id, "add evidence to")
            check_if_match(_tag(evaluation_id), _version(stored))
            results = [dict(r) for r in (stored.results if stored else [])]
            entry = next((r for r in results if r["result_id"] == result_id), None)
            if entry is None:
                entry = {"result_id": result_id, "realisation": None, "narrative": None, "evidence": []}
                results.append(entry)
            if len(entry["evidence"]) >= rules.MAX_EVIDENCE:
                raise field_error("file", f"at most {rules.MAX_EVIDENCE} evidence items per result")
            item = {"kind": rules.FILE, "file_id": file_id, "name": name, "sha256": spooled.sha256,
                    "content_type": content_type, "size": spooled.size}
            entry["evidence"] = [*entry["evidence"], item]
            realisation_store.add_file(conn, id=file_id, evaluation_id=evaluation_id, result_id=result_id, nip=row.nip,
                                       original_name=name, stored_name=stored_name, content_type=content_type,
                                       size=spooled.size, sha256=spooled.sha256, uploaded_at=utcnow())
            saved = realisation_store.save(conn, evaluation_id, row.nip, stored, status=rules.DRAFT, results=results)
            audit.record(conn, actor=p, action="realisation.evidence_added", entity_type="evaluation",
                         entity_id=evaluation_id, after={"result_id": result_id, **item})
    except BaseException:
        shared_evidence.discard(kept or spooled.temp_path)
        raise
    out = _download(evaluation_id, item)
    return out, 201, {"ETag": etag_for(_tag(evaluation_id), saved.version), "Location": out["download"]}


@realisation_blp.route("/<evaluation_id>/realisation/evidence/<file_id>")
@realisation_blp.response(200, description="The file, as an attachment, with its recorded SHA-256 in X-Evidence-SHA256",
                          content_type="application/octet-stream")
@_errors(realisation_blp, (404, "No such evaluation or file (or not visible to the caller)"))
def download_evidence(evaluation_id, file_id):
    """Download an evidence file of the employee's realisation (whoever may read the evaluation)."""
    cfg = current_config()
    with runtime().engine.connect() as conn:
        evaluations_api._readable(conn, evaluation_id)
        found = realisation_store.file_row(conn, evaluation_id, file_id)
    unknown = f"evaluation {evaluation_id} has no evidence file {file_id}"
    if found is None:
        raise NotFound(unknown)
    return shared_evidence.serve(cfg.evidence_dir, found, unknown)


@realisation_blp.route("/<evaluation_id>/realisation/evidence/<file_id>", methods=["DELETE"])
@realisation_blp.response(204)
@_errors(realisation_blp, (404, "No such evaluation or file"), (409, "Submitted (locked) or already evaluated"))
@if_match_documented(realisation_blp)
def remove_evidence(evaluation_id, file_id):
    """Remove an uploaded evidence file from your realisation (the employee)."""
    p = current_principal()
    cfg = current_config()
    with runtime().engine.begin() as conn:
        row, stored = _editable(conn, evaluation_id, "remove evidence from")
        require_if_match(_tag(evaluation_id), _version(stored))
        found = realisation_store.file_row(conn, evaluation_id, file_id)
        if found is None or stored is None:
            raise NotFound(f"evaluation {evaluation_id} has no evidence file {file_id}")
        results = [{**r, "evidence": [e for e in r.get("evidence") or [] if e.get("file_id") != file_id
                                      or e.get("kind") != rules.FILE]} for r in stored.results]
        realisation_store.remove_file(conn, file_id)
        saved = realisation_store.save(conn, evaluation_id, row.nip, stored, status=rules.DRAFT, results=results)
        audit.record(conn, actor=p, action="realisation.evidence_removed", entity_type="evaluation",
                     entity_id=evaluation_id, before={"file_id": file_id, "name": found.original_name,
                                                      "sha256": found.sha256})
    shared_evidence.remove_stored(cfg.evidence_dir, found.stored_name)
    return "", 204, {"ETag": etag_for(_tag(evaluation_id), saved.version)}


# -- the rater's draft ------------------------------------------------------------------------------

@realisation_blp.route("/<evaluation_id>/draft", methods=["PUT"])
@realisation_blp.arguments(DraftIn)
@realisation_blp.response(200, EvaluationOut)
@_errors(realisation_blp, (404, "No such evaluation"), (409, "Only an open evaluation has a draft"),
         (422, "Invalid form"))
@if_match_documented(realisation_blp)
def save_draft(body, evaluation_id):
    """Save the rater's form as a draft (the rater): per result the feedback (and realisation, assessment),
    per BerAKHLAK value the feedback, and the ratings chosen so far; nothing is required yet. The form
    (GET /evaluations/{id}) shows it back; submitting still sends the whole form. Uses the evaluation's ETag."""
    p = current_principal()
    with runtime().engine.begin() as conn:
        row = evaluations_api._readable(conn, evaluation_id, for_update=True)
        _rater_only(row, "fill in the form")
        require_if_match(evaluation_id, row.version)
        if row.status != domain.OPEN:
            raise Conflict(f"The evaluation is {row.status}; only an open one has a draft.",
                           title="Status does not allow this", current_status=row.status)
        plan = evaluations_api._plan(conn, row.plan_id)
        try:
            domain.check_form([r["result_id"] for r in plan.results], body["results"], body["behaviours"])
        except domain.DomainError as exc:
            raise field_error(exc.field, exc.message) from None
        form = {"results": body["results"], "behaviours": body["behaviours"],
                "draft": {k: body.get(k) for k in ("results_rating", "behaviour_rating", "rating_note")}}
        now = utcnow()
        conn.execute(update(evaluations).where(evaluations.c.id == evaluation_id)
                     .values(form=form, version=row.version + 1, updated_at=now))
        audit.record(conn, actor=p, action="evaluation.draft_saved", entity_type="evaluation", entity_id=evaluation_id,
                     after={"results": len(body["results"]), "behaviours": len(body["behaviours"])})
        updated = evaluations_api._load(conn, evaluation_id)
    return evaluations_api._eval_out(updated), 200, {"ETag": etag_for(evaluation_id, updated.version)}

