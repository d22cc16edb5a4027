"""Use cases of the employee's realisation (realisasi pegawai) and the rater's draft of the form.

The employee saves, uploads evidence, removes it and submits; the rater returns it with a reason and
saves the form as a draft; the form (GET /evaluations/{id}) shows the realisation beside each result
and, once submitted, needs the rater's feedback on every main result. The rules are self_assessment.py's;
who may act is access.py's; the SQL is realisation_store.py's. A write takes ``check_version(version)``: the
route's If-Match check against the version read inside the transaction (None: no check).

The realisation's ETag is ``"realisation-<evaluation id>.<version>"`` (version 0 before anything is saved).
"""

from __future__ import annotations

from datetime import date

from kinerja_shared.errors import Conflict, InvalidField, NotFound
from kinerja_shared.evidence import EvidenceError, StoredFile, check_file_name

from .. import access, domain, events, realisation_store
from .. import self_assessment as rules
from .answers import Answer, VersionCheck, checked


def tag(evaluation_id: str) -> str:
    return f"realisation-{evaluation_id}"


def version_of(stored) -> int:
    return stored.version if stored is not None else 0


def status_of(stored) -> str:
    return stored.status if stored is not None else rules.NOT_STARTED


def _evaluations():
    from .. import api  # the evaluations' views (api.py builds on this module for its form)

    return api


def _rule(fn, *args):
    try:
        return fn(*args)
    except rules.DomainError as exc:
        if exc.field is None:
            raise Conflict(exc.message, title="Status does not allow this") from None
        raise InvalidField(exc.field, exc.message, status=exc.status) from None


def download(evaluation_id: str, item: dict) -> dict:
    """An evidence item with the URL it is downloaded from (uploaded here, or attached to an activity)."""
    if item.get("kind") == rules.FILE:
        return {**item, "download": f"/api/v1/evaluations/{evaluation_id}/realisation/evidence/{item['file_id']}"}
    if item.get("kind") == rules.ACTIVITY and item.get("file_id"):
        return {**item, "download": f"/api/v1/activities/{item['activity_id']}/evidence/{item['file_id']}"}
    return item


def _picker(conn, row) -> tuple[list[dict], dict[str, list[dict]]]:
    rows = realisation_store.verified_evidence(conn, row.plan_id, row.period_start, row.period_end)
    picker = [
        {
            "activity_id": a.activity_id,
            "date": a.date,
            "description": a.description,
            "result_id": a.result_id,
            "indicator_id": a.indicator_id,
            "evidence": [
                download(
                    row.id, {**e, "kind": rules.ACTIVITY, "evidence_kind": e.get("kind"), "activity_id": a.activity_id}
                )
                for e in a.evidence or []
            ],
        }
        for a in rows
    ]
    return picker, {a.activity_id: list(a.evidence or []) for a in rows}


def _overdue(row, stored, config, today: date) -> bool:
    return status_of(stored) != rules.SUBMITTED and today > config.deadlines.realisation(row.period_end)


def _view(conn, actor, row, stored, config, today: date) -> Answer:
    api = _evaluations()
    plan = api._plan(conn, row.plan_id)
    period = api._period_of(row)
    saved = {r["result_id"]: r for r in (stored.results if stored is not None else [])}
    picker, _ = _picker(conn, row)
    results = []
    for r in api._results_view(plan, period, api._activity_sums(conn, [plan.id], period), row.form, []):
        prefill = rules.prefill_text(r["indicators"])
        mine = saved.get(r["result_id"])
        results.append(
            {
                "result_id": r["result_id"],
                "kind": r["kind"],
                "text": r["text"],
                "indicators": [
                    {
                        k: i.get(k)
                        for k in (
                            "indicator_id",
                            "text",
                            "aspect",
                            "target_value",
                            "target_unit",
                            "realised_to_date",
                            "percent_of_target",
                        )
                    }
                    for i in r["indicators"]
                ],
                "prefill": prefill,
                "realisation": mine["realisation"] if mine is not None else prefill,
                "narrative": mine["narrative"] if mine is not None else None,
                "evidence": [download(row.id, e) for e in (mine or {}).get("evidence", [])],
            }
        )
    may_edit = actor.sub == row.nip and row.status == domain.OPEN and status_of(stored) != rules.SUBMITTED
    body = {
        "evaluation_id": row.id,
        "nip": row.nip,
        "rater_nip": row.rater_nip,
        "period": period.as_dict(),
        "evaluation_status": row.status,
        "status": status_of(stored),
        "version": version_of(stored),
        "submitted_at": stored.submitted_at if stored else None,
        "returned_at": stored.returned_at if stored else None,
        "return_reason": stored.return_reason if stored else None,
        "deadlines": config.deadlines.as_dict(row.period_end),
        "overdue": _overdue(row, stored, config, today),
        "may_edit": may_edit,
        "results": results,
        "activity_evidence": picker,
    }
    return Answer(body, version_of(stored))


# -- queries ----------------------------------------------------------------------------------------


def get_realisation(conn, actor, evaluation_id: str, *, config, today: date) -> Answer:
    """The employee's realisation of the period as the caller may read it (see GET .../realisation)."""
    row = access.readable_evaluation(conn, actor, evaluation_id)
    return _view(conn, actor, row, realisation_store.load(conn, evaluation_id), config, today)


def evidence_file(conn, actor, evaluation_id: str, file_id: str):
    """The row of an uploaded evidence file of an evaluation the caller may read (None: no such file)."""
    access.readable_evaluation(conn, actor, evaluation_id)
    return realisation_store.file_row(conn, evaluation_id, file_id)


def form_summary(conn, row, results: list[dict], *, config, today: date) -> dict:
    """Put the employee's realisation beside each result of the rater's form; return the form's summary."""
    stored = realisation_store.load(conn, row.id)
    saved = {r["result_id"]: r for r in (stored.results if stored is not None else [])}
    for r in results:
        mine = saved.get(r["result_id"])
        r["employee"] = (
            None
            if mine is None
            else {
                "realisation": mine.get("realisation"),
                "narrative": mine.get("narrative"),
                "evidence": [download(row.id, e) for e in mine.get("evidence") or []],
            }
        )
    deadline = config.deadlines.realisation(row.period_end)
    status = status_of(stored)
    return {
        "status": status,
        "submitted_at": stored.submitted_at if stored else None,
        "return_reason": stored.return_reason if stored else None,
        "deadline": deadline.isoformat(),
        "evaluation_deadline": config.deadlines.evaluation(row.period_end).isoformat(),
        "overdue": _overdue(row, stored, config, today),
        "feedback_required": status == rules.SUBMITTED,
        "note": rules.status_note(status, deadline, today),
    }


def require_feedback(conn, row, plan, form_results: list[dict]) -> None:
    """Once the employee has submitted, the rater's form needs feedback on every main result (422 naming it)."""
    if status_of(realisation_store.load(conn, row.id)) != rules.SUBMITTED:
        return
    main = [r["result_id"] for r in plan.results if r.get("kind") == "main"]
    missing = rules.missing_feedback(main, form_results)
    if missing:
        raise InvalidField(
            "results",
            "the employee has submitted their realisation: give feedback on every main "
            f"result; missing for {', '.join(missing)}",
        )


# -- the employee -----------------------------------------------------------------------------------


def _editable(conn, actor, evaluation_id: str, what: str):
    row = access.readable_evaluation(conn, actor, evaluation_id, for_update=True)
    access.employee_only(actor, row, what)
    stored = realisation_store.load(conn, evaluation_id, for_update=True)
    _rule(rules.may_edit, stored.status if stored else None, row.status)
    return row, stored


def save_realisation(
    uow, actor, evaluation_id: str, results: list[dict], *, config, check_version: VersionCheck = None
) -> Answer:
    """Save the employee's realisation as a draft: results checked against the plan and their verified
    activities' evidence; uploaded files stay as they are."""
    conn = uow.conn
    row, stored = _editable(conn, actor, evaluation_id, "save")
    checked(check_version, version_of(stored))
    plan = _evaluations()._plan(conn, row.plan_id)
    _, attached = _picker(conn, row)
    cleaned = _rule(rules.check_results, [r["result_id"] for r in plan.results], results, attached)
    cleaned = _rule(rules.merge_files, cleaned, stored.results if stored else [])
    saved = realisation_store.save(conn, evaluation_id, row.nip, stored, status=rules.DRAFT, results=cleaned)
    uow.audit(
        actor=actor,
        action="realisation.saved",
        entity_type="evaluation",
        entity_id=evaluation_id,
        before={"status": status_of(stored)},
        after={"status": rules.DRAFT, "results": len(cleaned)},
    )
    return _view(conn, actor, row, saved, config, uow.today())


def submit_realisation(uow, actor, evaluation_id: str, *, config, check_version: VersionCheck = None) -> Answer:
    """Submit it (locked until the rater returns it); again: nothing changes. Publishes RealisationSubmitted."""
    conn = uow.conn
    row = access.readable_evaluation(conn, actor, evaluation_id, for_update=True)
    access.employee_only(actor, row, "submit")
    stored = realisation_store.load(conn, evaluation_id, for_update=True)
    if stored is not None and stored.status == rules.SUBMITTED:
        return _view(conn, actor, row, stored, config, uow.today())  # idempotent: already submitted
    _rule(rules.may_edit, stored.status if stored else None, row.status)
    checked(check_version, version_of(stored))
    if stored is None:
        raise Conflict(
            "Save your realisation first (PUT .../realisation), then submit it.",
            title="Nothing to submit",
            current_status=rules.NOT_STARTED,
        )
    saved = realisation_store.save(conn, evaluation_id, row.nip, stored, status=rules.SUBMITTED, submitted_at=uow.now())
    uow.audit(
        actor=actor,
        action="realisation.submitted",
        entity_type="evaluation",
        entity_id=evaluation_id,
        before={"status": stored.status},
        after={"status": rules.SUBMITTED},
    )
    uow.publish(events.realisation_submitted(row, saved))
    return _view(conn, actor, row, saved, config, uow.today())


def check_file_upload(conn, actor, evaluation_id: str, result_id: str, file_name: str | None) -> str:
    """Before an upload is read: its file name (returned, checked), the caller, the state, the result."""
    try:
        name = check_file_name(file_name)
    except EvidenceError as exc:
        raise InvalidField(exc.field, exc.message, status=exc.status) from None
    row, _ = _editable(conn, actor, evaluation_id, "add evidence to")
    if result_id not in [r["result_id"] for r in _evaluations()._plan(conn, row.plan_id).results]:
        raise NotFound(f"{result_id} is not a result of the plan of evaluation {evaluation_id}")
    return name


def add_evidence_file(
    uow, actor, evaluation_id: str, result_id: str, stored_file: StoredFile, *, check_version: VersionCheck = None
) -> Answer:
    """Record an uploaded evidence file (kept on disk already) on a result; saves the realisation as a draft.
    The answer is the evidence item with its download URL."""
    conn = uow.conn
    row, stored = _editable(conn, actor, evaluation_id, "add evidence to")
    checked(check_version, version_of(stored))
    results = [dict(r) for r in (stored.results if stored else [])]
    entry = next((r for r in results if r["result_id"] == result_id), None)
    if entry is None:
        entry = {"result_id": result_id, "realisation": None, "narrative": None, "evidence": []}
        results.append(entry)
    if len(entry["evidence"]) >= rules.MAX_EVIDENCE:
        raise InvalidField("file", f"at most {rules.MAX_EVIDENCE} evidence items per result")
    item = stored_file.item()
    entry["evidence"] = [*entry["evidence"], item]
    realisation_store.add_file(
        conn,
        id=stored_file.file_id,
        evaluation_id=evaluation_id,
        result_id=result_id,
        nip=row.nip,
        original_name=stored_file.name,
        stored_name=stored_file.stored_name,
        content_type=stored_file.content_type,
        size=stored_file.size,
        sha256=stored_file.sha256,
        uploaded_at=uow.now(),
    )
    saved = realisation_store.save(conn, evaluation_id, row.nip, stored, status=rules.DRAFT, results=results)
    uow.audit(
        actor=actor,
        action="realisation.evidence_added",
        entity_type="evaluation",
        entity_id=evaluation_id,
        after={"result_id": result_id, **item},
    )
    return Answer(download(evaluation_id, item), saved.version)


def remove_evidence_file(uow, actor, evaluation_id: str, file_id: str, *, check_version: VersionCheck = None) -> Answer:
    """Remove an uploaded evidence file from the realisation; the answer's body is the removed file's row
    (its stored name: the caller deletes the file once committed)."""
    conn = uow.conn
    row, stored = _editable(conn, actor, evaluation_id, "remove evidence from")
    checked(check_version, version_of(stored))
    found = realisation_store.file_row(conn, evaluation_id, file_id)
    if found is None or stored is None:
        raise NotFound(f"evaluation {evaluation_id} has no evidence file {file_id}")
    results = [
        {
            **r,
            "evidence": [
                e for e in r.get("evidence") or [] if e.get("file_id") != file_id or e.get("kind") != rules.FILE
            ],
        }
        for r in stored.results
    ]
    realisation_store.remove_file(conn, file_id)
    saved = realisation_store.save(conn, evaluation_id, row.nip, stored, status=rules.DRAFT, results=results)
    uow.audit(
        actor=actor,
        action="realisation.evidence_removed",
        entity_type="evaluation",
        entity_id=evaluation_id,
        before={"file_id": file_id, "name": found.original_name, "sha256": found.sha256},
    )
    return Answer(dict(found._mapping), saved.version)


# -- the rater --------------------------------------------------------------------------------------


def return_realisation(
    uow, actor, evaluation_id: str, reason: str, *, config, check_version: VersionCheck = None
) -> Answer:
    """Return the submitted realisation for correction, with the reason: the employee may edit it again."""
    reason = reason.strip()
    if not reason:
        raise InvalidField("reason", "must say what the employee should complete or correct")
    conn = uow.conn
    row = access.readable_evaluation(conn, actor, evaluation_id, for_update=True)
    access.rater_only(actor, row, "return the employee's realisation")
    stored = realisation_store.load(conn, evaluation_id, for_update=True)
    _rule(rules.may_return, stored.status if stored else None, row.status)
    checked(check_version, version_of(stored))
    saved = realisation_store.save(
        conn,
        evaluation_id,
        row.nip,
        stored,
        status=rules.RETURNED,
        returned_at=uow.now(),
        returned_by=actor.sub,
        return_reason=reason,
    )
    uow.audit(
        actor=actor,
        action="realisation.returned",
        entity_type="evaluation",
        entity_id=evaluation_id,
        before={"status": stored.status},
        after={"status": rules.RETURNED},
        reason=reason,
    )
    return _view(conn, actor, row, saved, config, uow.today())


def save_rater_draft(uow, actor, evaluation_id: str, body: dict, *, check_version: VersionCheck = None):
    """The rater's form as a draft: per result the feedback (and realisation, assessment), per BerAKHLAK value
    the feedback, the ratings so far; nothing is required yet. Returns the evaluation row as stored."""
    conn = uow.conn
    row = access.readable_evaluation(conn, actor, evaluation_id, for_update=True)
    access.rater_only(actor, row, "fill in the form")
    checked(check_version, row.version)
    if row.status != domain.OPEN:
        raise Conflict(
            f"The evaluation is {row.status}; only an open one has a draft.",
            title="Status does not allow this",
            current_status=row.status,
        )
    plan = _evaluations()._plan(conn, row.plan_id)
    try:
        domain.check_form([r["result_id"] for r in plan.results], body["results"], body["behaviours"])
    except domain.DomainError as exc:
        raise InvalidField(exc.field, exc.message) from None
    form = {
        "results": body["results"],
        "behaviours": body["behaviours"],
        "draft": {k: body.get(k) for k in ("results_rating", "behaviour_rating", "rating_note")},
    }
    updated = realisation_store.save_form_draft(conn, evaluation_id, form, row.version + 1, uow.now())
    uow.audit(
        actor=actor,
        action="evaluation.draft_saved",
        entity_type="evaluation",
        entity_id=evaluation_id,
        after={"results": len(body["results"]), "behaviours": len(body["behaviours"])},
    )
    return updated
