"""HTTP API of the performance dialogue (dialog kinerja): /api/v1/dialogues.

A dialogue belongs to one plan (the employee's and their rater's, from the plans read model), one
stage (``planning`` or ``evaluation``) and one period; either party records it and the other
confirms it (dialogues.py has the rules). Access follows the evaluations': the employee and the
rater write; the rater's superior, the head or acting head of the unit (or a unit above) and
admins read; anyone else gets 404, as if it did not exist. Every change is audited and publishes
PerformanceDialogueRecorded (its ``version`` grows with every change: the latest one wins).
"""
from __future__ import annotations

import uuid

from flask_smorest import Blueprint
from sqlalchemy import select, update

from kinerja_shared import audit
from kinerja_shared.db import utcnow
from kinerja_shared.events import make_event
from kinerja_shared.outbox import publish
from kinerja_shared.web.app_factory import current_principal, runtime
from kinerja_shared.web.docs import errors as _errors
from kinerja_shared.web.etag import check_if_match, etag_for, if_match_documented, require_if_match
from kinerja_shared.web.pagination import encode_cursor
from kinerja_shared.web.problems import Conflict, Forbidden, NotFound, field_error

from . import dialogue_messages  # noqa: F401  (the texts in Bahasa Indonesia)
from . import dialogue_store as store
from . import dialogues as rules
from . import domain
from .api import _jsonable, _scheme_of, _snapshot, _time_cursor, _today, _unit_scope
from .dialogue_schemas import (DialogueCorrectionIn, DialogueDetail, DialogueIn, DialogueOut, DialoguePage,
                               DialoguePatch, DialogueQuery)
from .dialogue_tables import dialogue_revisions, dialogues
from .models import evaluations, plans

dialogues_blp = Blueprint("dialogues", __name__, url_prefix="/api/v1/dialogues",
                          description="The performance dialogue (dialog kinerja) between an employee and the rater, "
                                      "when planning and when evaluating: recorded by one, confirmed by the other.")

CONTENT = ("held_on", "participants", "topics", "follow_ups")


# -- access and views ------------------------------------------------------------------------------

def _may_read(conn, row, p) -> bool:
    if p.is_admin or p.sub in (row.nip, row.rater_nip, row.rater_superior_nip):
        return True
    return row.unit_id in _unit_scope(conn, p)


def _readable(conn, dialogue_id: str, for_update: bool = False):
    row = store.load(conn, dialogue_id, for_update)
    if row is None or not _may_read(conn, row, current_principal()):
        raise NotFound(f"dialogue {dialogue_id} does not exist")
    return row


def _party(row, p) -> str:
    party = rules.party_of(p.sub, row.nip, row.rater_nip)
    if party is None:
        raise Forbidden("Only the employee and their rater may record, edit or confirm their dialogue; others may read it.")
    return party


def _awaiting(row) -> str | None:
    if row.confirmed_by_employee_at is None:
        return row.nip
    if row.confirmed_by_rater_at is None:
        return row.rater_nip
    return None


def _out(conn, row, names: dict | None = None) -> dict:
    names = names if names is not None else store.names(conn, row.participants)
    roles = {row.nip: rules.EMPLOYEE, row.rater_nip: rules.RATER}
    out = dict(row._mapping)
    out.pop("rater_superior_nip", None)
    out["participants"] = [{"nip": n, "name": names.get(n), "role": roles.get(n, "other")} for n in row.participants]
    out["awaiting"] = _awaiting(row)
    return out


def _event(row, action: str, actor: str) -> dict:
    """PerformanceDialogueRecorded v1 (keyed by the employee's NIP); ``action`` and ``actor`` say what happened."""
    iso = lambda value: value.isoformat().replace("+00:00", "Z") if value is not None else None  # noqa: E731
    return make_event("PerformanceDialogueRecorded", source_service="evaluation-service", subject=row.id,
                      partitionkey=row.nip, data={
        "dialogue_id": row.id, "plan_id": row.plan_id, "nip": row.nip, "rater_nip": row.rater_nip,
        "unit_id": row.unit_id, "evaluation_id": row.evaluation_id, "stage": row.stage, "period_id": row.period_id,
        "held_on": row.held_on.isoformat(), "participants": list(row.participants), "topics": row.topics,
        "follow_ups": row.follow_ups, "confirmed_by_employee_at": iso(row.confirmed_by_employee_at),
        "confirmed_by_rater_at": iso(row.confirmed_by_rater_at), "status": row.status, "version": row.version,
        "revision": row.revision, "recorded_by": row.recorded_by, "action": action, "actor": actor})


def _rule(fn, *args):
    try:
        return fn(*args)
    except domain.DomainError as exc:
        raise field_error(exc.field, exc.message) from None


def _checked_participants(conn, nip: str, rater_nip: str, others) -> list[str]:
    found = _rule(rules.participants, nip, rater_nip, others)
    unknown = store.unknown_nips(conn, found[2:])
    if unknown:
        raise field_error("participants", f"{unknown[0]} is not an employee in the directory")
    return found


def _period_of_evaluation(ev) -> domain.Period:
    return domain.Period(ev.period_id, ev.period_kind, ev.period_start, ev.period_end)


def _content(conn, plan, stage: str, evaluation, values: dict, own_id: str | None = None) -> dict:
    """The checked content and its period: the date's rules, the participants, a free (plan, stage, period)."""
    if evaluation is not None:
        period = _period_of_evaluation(evaluation)
        _rule(rules.check_held_on, values["held_on"], _today(), plan.period_start, plan.period_end, period)
    else:
        _rule(rules.check_held_on, values["held_on"], _today(), plan.period_start, plan.period_end)
        period = rules.planning_period(values["held_on"], plan.period_start, plan.period_end,
                                       _scheme_of(conn, plan.year)[0])
    found = store.existing(conn, plan.id, stage, period.id)
    if found is not None and found.id != own_id:
        raise Conflict(f"The {stage} dialogue of plan {plan.id} for {period.id} is recorded already ({found.id}); "
                       "edit or correct that one.", title="Dialogue recorded already", current_status="exists",
                       dialogue_id=found.id)
    topics = values["topics"].strip()
    if not topics:
        raise field_error("topics", "must say what was discussed")
    follow_ups = (values.get("follow_ups") or "").strip() or None
    return {"held_on": values["held_on"], "period_id": period.id, "topics": topics, "follow_ups": follow_ups,
            "participants": _checked_participants(conn, plan.nip, plan.rater_nip, values.get("participants"))}


def _stamps(confirmations: rules.Confirmations, row, now) -> dict:
    """confirmed_by_*_at for ``confirmations``: a standing confirmation keeps its time, a new one is ``now``."""
    def stamp(confirmed: bool, before):
        return (before or now) if confirmed else None
    return {"confirmed_by_employee_at": stamp(confirmations.employee, row.confirmed_by_employee_at if row else None),
            "confirmed_by_rater_at": stamp(confirmations.rater, row.confirmed_by_rater_at if row else None),
            "status": confirmations.status}


def _confirmations(row) -> rules.Confirmations:
    return rules.Confirmations(row.confirmed_by_employee_at is not None, row.confirmed_by_rater_at is not None)


def _plan_of(conn, row):
    return conn.execute(select(plans).where(plans.c.id == row.plan_id)).first()


def _evaluation_of(conn, row):
    if row.evaluation_id is None:
        return None
    return conn.execute(select(evaluations).where(evaluations.c.id == row.evaluation_id)).first()


def _write(conn, dialogue_id: str, values: dict, action: str, p, before: dict | None, reason: str | None = None):
    conn.execute(update(dialogues).where(dialogues.c.id == dialogue_id).values(**values))
    updated = store.load(conn, dialogue_id)
    audit.record(conn, actor=p, action=f"dialogue.{action}", entity_type="dialogue", entity_id=dialogue_id,
                 before=before, after=_jsonable(dict(updated._mapping)), reason=reason)
    publish(conn, _event(updated, action, p.sub))
    return updated


# -- endpoints -------------------------------------------------------------------------------------

@dialogues_blp.route("", methods=["POST"])
@dialogues_blp.arguments(DialogueIn)
@dialogues_blp.response(201, DialogueOut)
@_errors(dialogues_blp, (403, "Not the plan's employee or rater"), (409, "Recorded already for the plan, stage and period"),
         (422, "Invalid dialogue: unknown plan or evaluation, a date in the future or far from the plan, unknown participants"))
def record_dialogue(body):
    """Record a performance dialogue (the plan's employee or its rater): the date it was held, who
    took part (the employee and the rater always), the topics and the agreed follow-ups. Stage
    ``planning`` counts in the plan's period holding the date; stage ``evaluation`` names the
    plan's evaluation and counts in its period. One per plan, stage and period. The recorder has
    confirmed it; it waits for the other. Publishes PerformanceDialogueRecorded."""
    p = current_principal()
    now = utcnow()
    with runtime().engine.begin() as conn:
        query = select(plans).where(plans.c.id == body["plan_id"])
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()  # one dialogue per plan, stage and period, also under concurrency
        plan = conn.execute(query).first()
        readable = plan is not None and (p.is_admin or p.sub in (plan.nip, plan.rater_nip, plan.rater_superior_nip)
                                         or plan.unit_id in _unit_scope(conn, p))
        if not readable:
            raise field_error("plan_id", f"{body['plan_id']} is not an approved plan you take part in")
        party = rules.party_of(p.sub, plan.nip, plan.rater_nip)
        if party is None:
            raise Forbidden("Only the employee and their rater may record, edit or confirm their dialogue; others may read it.")
        evaluation = None
        if body["stage"] == rules.EVALUATION:
            if not body.get("evaluation_id"):
                raise field_error("evaluation_id", "is required for a dialogue of stage evaluation")
            evaluation = conn.execute(select(evaluations).where(evaluations.c.id == body["evaluation_id"],
                                                                evaluations.c.plan_id == plan.id)).first()
            if evaluation is None:
                raise field_error("evaluation_id", f"{body['evaluation_id']} is not an evaluation of plan {plan.id}")
        elif body.get("evaluation_id"):
            raise field_error("evaluation_id", "only a dialogue of stage evaluation belongs to an evaluation")
        content = _content(conn, plan, body["stage"], evaluation, body)
        row = dict(id=str(uuid.uuid4()), plan_id=plan.id, nip=plan.nip, rater_nip=plan.rater_nip,
                   rater_superior_nip=plan.rater_superior_nip, unit_id=plan.unit_id, stage=body["stage"],
                   evaluation_id=evaluation.id if evaluation is not None else None, **content, revision=1, version=1,
                   recorded_by=p.sub, recorded_at=now, correction_reason=None, updated_at=now,
                   **_stamps(rules.recorded_by(party), None, now))
        conn.execute(dialogues.insert().values(**row))
        created = store.load(conn, row["id"])
        audit.record(conn, actor=p, action="dialogue.recorded", entity_type="dialogue", entity_id=row["id"],
                     after=_jsonable(row))
        publish(conn, _event(created, "recorded", p.sub))
        out = _out(conn, created)
    return out, 201, {"ETag": etag_for(created.id, created.version), "Location": f"/api/v1/dialogues/{created.id}"}


@dialogues_blp.route("")
@dialogues_blp.arguments(DialogueQuery, location="query")
@dialogues_blp.response(200, DialoguePage)
@_errors(dialogues_blp, (400, "Bad cursor"), (422, "Bad filter"))
def list_dialogues(args):
    """List the dialogues the caller may read, newest recorded first. Filters ``plan_id``,
    ``period_id``, ``stage``, ``status``, ``nip``, ``evaluation_id``; pages with ``limit`` and
    ``cursor`` (``next_cursor`` of the previous page)."""
    p = current_principal()
    after = _time_cursor(args["cursor"]) if args.get("cursor") else None
    with _snapshot() as conn:
        scope = None if p.is_admin else store.scope(conn, p.sub, _unit_scope(conn, p))
        rows = store.page(conn, args, scope, after, args["limit"])
        more = len(rows) > args["limit"]
        rows = rows[: args["limit"]]
        names = store.names(conn, {n for r in rows for n in r.participants})
        items = [_out(conn, r, names) for r in rows]
    cursor = encode_cursor(f"{rows[-1].recorded_at.isoformat()}|{rows[-1].id}") if more else None
    return {"items": items, "next_cursor": cursor}


@dialogues_blp.route("/<dialogue_id>")
@dialogues_blp.response(200, DialogueDetail)
@_errors(dialogues_blp, (404, "No such dialogue"))
def get_dialogue(dialogue_id):
    """Read one dialogue with its history (earlier confirmed revisions). Sends an ETag for If-Match."""
    with _snapshot() as conn:
        row = _readable(conn, dialogue_id)
        out = {**_out(conn, row), "history": store.history(conn, dialogue_id)}
    return out, 200, {"ETag": etag_for(dialogue_id, row.version)}


@dialogues_blp.route("/<dialogue_id>", methods=["PATCH"])
@dialogues_blp.arguments(DialoguePatch)
@dialogues_blp.response(200, DialogueOut)
@_errors(dialogues_blp, (403, "Not the employee or the rater"), (404, "No such dialogue"),
         (409, "Confirmed by both (correct it instead)"), (422, "Invalid content"))
@if_match_documented(dialogues_blp)
def edit_dialogue(body, dialogue_id):
    """Edit a dialogue not yet confirmed by both (the employee or the rater; If-Match): the editor's
    confirmation stands and the other's is asked again. Publishes PerformanceDialogueRecorded."""
    p = current_principal()
    if not body:
        raise field_error("(body)", "send at least one of held_on, participants, topics, follow_ups")
    with runtime().engine.begin() as conn:
        row = _readable(conn, dialogue_id, for_update=True)
        party = _party(row, p)
        if row.status == rules.CONFIRMED:
            raise Conflict("Both confirmed this dialogue; a change is a correction (POST .../corrections) that both "
                           "confirm again.", title="Dialogue confirmed", current_status=row.status)
        require_if_match(dialogue_id, row.version)
        values = _changed(conn, row, body, party)
        updated = _write(conn, dialogue_id, values, "edited", p, _jsonable(dict(row._mapping)))
        out = _out(conn, updated)
    return out, 200, {"ETag": etag_for(dialogue_id, updated.version)}


def _changed(conn, row, body: dict, party: str) -> dict:
    merged = {name: body[name] if name in body else row._mapping[name] for name in CONTENT}
    if "participants" not in body:
        merged["participants"] = row.participants
    plan = _plan_of(conn, row)
    if plan is None:  # cannot happen: plans are never removed from the read model
        raise Conflict(f"plan {row.plan_id} of this dialogue is not known here any more", current_status="plan_missing")
    content = _content(conn, plan, row.stage, _evaluation_of(conn, row), merged, own_id=row.id)
    now = utcnow()
    return {**content, "version": row.version + 1, "updated_at": now, **_stamps(rules.recorded_by(party), row, now)}


@dialogues_blp.route("/<dialogue_id>/confirm", methods=["POST"])
@dialogues_blp.response(200, DialogueOut)
@_errors(dialogues_blp, (403, "Not the employee or the rater"), (404, "No such dialogue"),
         (409, "Confirmed by the caller already"), (412, "Stale If-Match"))
def confirm_dialogue(dialogue_id):
    """Confirm the dialogue as recorded (the party it waits for; If-Match with the ETag you read
    confirms that version only). Both confirmed: status ``confirmed``. Publishes
    PerformanceDialogueRecorded."""
    p = current_principal()
    with runtime().engine.begin() as conn:
        row = _readable(conn, dialogue_id, for_update=True)
        party = _party(row, p)
        check_if_match(dialogue_id, row.version)
        try:
            confirmations = _confirmations(row).by(party)
        except rules.AlreadyConfirmed:
            raise Conflict("You confirmed this dialogue already; it waits for the other party.",
                           title="Confirmed already", current_status=row.status) from None
        now = utcnow()
        values = {**_stamps(confirmations, row, now), "version": row.version + 1, "updated_at": now}
        updated = _write(conn, dialogue_id, values, "confirmed", p, _jsonable(dict(row._mapping)))
        out = _out(conn, updated)
    return out, 200, {"ETag": etag_for(dialogue_id, updated.version)}


@dialogues_blp.route("/<dialogue_id>/corrections", methods=["POST"])
@dialogues_blp.arguments(DialogueCorrectionIn)
@dialogues_blp.response(200, DialogueOut)
@_errors(dialogues_blp, (403, "Not the employee or the rater"), (404, "No such dialogue"),
         (409, "Not confirmed by both yet (edit it instead)"), (412, "Stale If-Match"), (422, "Invalid content"))
def correct_dialogue(body, dialogue_id):
    """Correct a dialogue both confirmed (the employee or the rater), with the reason: the confirmed
    one is kept in the history, the dialogue becomes revision n+1, confirmed by the corrector and
    waiting for the other. Publishes PerformanceDialogueRecorded."""
    p = current_principal()
    with runtime().engine.begin() as conn:
        row = _readable(conn, dialogue_id, for_update=True)
        party = _party(row, p)
        check_if_match(dialogue_id, row.version)
        if row.status != rules.CONFIRMED:
            raise Conflict("This dialogue is not confirmed by both yet; edit it instead (PATCH).",
                           title="Dialogue not confirmed yet", current_status=row.status)
        snapshot = _jsonable(_out(conn, row))
        conn.execute(dialogue_revisions.insert().values(dialogue_id=dialogue_id, revision=row.revision, snapshot=snapshot,
                                                        superseded_at=utcnow(), superseded_by=p.sub, reason=body["reason"]))
        values = {**_changed(conn, row, {k: v for k, v in body.items() if k != "reason"}, party),
                  "revision": row.revision + 1, "correction_reason": body["reason"]}
        updated = _write(conn, dialogue_id, values, "corrected", p, snapshot, reason=body["reason"])
        out = _out(conn, updated)
    return out, 200, {"ETag": etag_for(dialogue_id, updated.version)}
