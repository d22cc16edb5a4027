"""Use cases of the performance dialogue (dialog kinerja): record, list, read, edit, confirm, correct.

A dialogue belongs to one plan (the employee's and their rater's, from the plans read model), one stage
(``planning`` or ``evaluation``) and one period; either party records it and the other confirms it
(dialogues.py has the rules, access.py who may, dialogue_store.py the SQL). Every change is audited and
publishes PerformanceDialogueRecorded (its ``version`` grows with every change: the latest one wins).
"""

from __future__ import annotations

import uuid
from datetime import date

from kinerja_shared.errors import Conflict, InvalidField
from kinerja_shared.events import make_event

from .. import access, domain
from .. import dialogue_store as store
from .. import dialogues as rules
from .answers import Answer, VersionCheck, checked

CONTENT = ("held_on", "participants", "topics", "follow_ups")


def _evaluations():
    from .. import api  # the evaluations' helpers: the year's period scheme, JSON-safe audit values

    return api


def _awaiting(row) -> str | None:
    if row.confirmed_by_employee_at is None:
        return row.nip
    if row.confirmed_by_rater_at is None:
        return row.rater_nip
    return None


def view(conn, row, names: dict | None = None) -> dict:
    """A dialogue as the API shows it: the participants with their names and roles, whom it waits for."""
    names = names if names is not None else store.names(conn, row.participants)
    roles = {row.nip: rules.EMPLOYEE, row.rater_nip: rules.RATER}
    out = dict(row._mapping)
    out.pop("rater_superior_nip", None)
    out["participants"] = [{"nip": n, "name": names.get(n), "role": roles.get(n, "other")} for n in row.participants]
    out["awaiting"] = _awaiting(row)
    return out


def event(row, action: str, actor: str) -> dict:
    """PerformanceDialogueRecorded v1 (keyed by the employee's NIP); ``action`` and ``actor`` say what happened."""
    iso = lambda value: value.isoformat().replace("+00:00", "Z") if value is not None else None  # noqa: E731
    return make_event(
        "PerformanceDialogueRecorded",
        source_service="evaluation-service",
        subject=row.id,
        partitionkey=row.nip,
        data={
            "dialogue_id": row.id,
            "plan_id": row.plan_id,
            "nip": row.nip,
            "rater_nip": row.rater_nip,
            "unit_id": row.unit_id,
            "evaluation_id": row.evaluation_id,
            "stage": row.stage,
            "period_id": row.period_id,
            "held_on": row.held_on.isoformat(),
            "participants": list(row.participants),
            "topics": row.topics,
            "follow_ups": row.follow_ups,
            "confirmed_by_employee_at": iso(row.confirmed_by_employee_at),
            "confirmed_by_rater_at": iso(row.confirmed_by_rater_at),
            "status": row.status,
            "version": row.version,
            "revision": row.revision,
            "recorded_by": row.recorded_by,
            "action": action,
            "actor": actor,
        },
    )


def _rule(fn, *args):
    try:
        return fn(*args)
    except domain.DomainError as exc:
        raise InvalidField(exc.field, exc.message) from None


def _checked_participants(conn, nip: str, rater_nip: str, others) -> list[str]:
    found = _rule(rules.participants, nip, rater_nip, others)
    unknown = store.unknown_nips(conn, found[2:])
    if unknown:
        raise InvalidField("participants", f"{unknown[0]} is not an employee in the directory")
    return found


def _content(conn, plan, stage: str, evaluation, values: dict, today: date, own_id: str | None = None) -> dict:
    """The checked content and its period: the date's rules, the participants, a free (plan, stage, period)."""
    if evaluation is not None:
        period = domain.Period(
            evaluation.period_id, evaluation.period_kind, evaluation.period_start, evaluation.period_end
        )
        _rule(rules.check_held_on, values["held_on"], today, plan.period_start, plan.period_end, period)
    else:
        _rule(rules.check_held_on, values["held_on"], today, plan.period_start, plan.period_end)
        period = rules.planning_period(
            values["held_on"], plan.period_start, plan.period_end, _evaluations()._scheme_of(conn, plan.year)[0]
        )
    found = store.existing(conn, plan.id, stage, period.id)
    if found is not None and found.id != own_id:
        raise Conflict(
            f"The {stage} dialogue of plan {plan.id} for {period.id} is recorded already ({found.id}); "
            "edit or correct that one.",
            title="Dialogue recorded already",
            current_status="exists",
            dialogue_id=found.id,
        )
    topics = values["topics"].strip()
    if not topics:
        raise InvalidField("topics", "must say what was discussed")
    follow_ups = (values.get("follow_ups") or "").strip() or None
    return {
        "held_on": values["held_on"],
        "period_id": period.id,
        "topics": topics,
        "follow_ups": follow_ups,
        "participants": _checked_participants(conn, plan.nip, plan.rater_nip, values.get("participants")),
    }


def _stamps(confirmations: rules.Confirmations, row, now) -> dict:
    """confirmed_by_*_at for ``confirmations``: a standing confirmation keeps its time, a new one is ``now``."""

    def stamp(confirmed: bool, before):
        return (before or now) if confirmed else None

    return {
        "confirmed_by_employee_at": stamp(confirmations.employee, row.confirmed_by_employee_at if row else None),
        "confirmed_by_rater_at": stamp(confirmations.rater, row.confirmed_by_rater_at if row else None),
        "status": confirmations.status,
    }


def _changed(uow, row, body: dict, party: str) -> dict:
    merged = {name: body[name] if name in body else row._mapping[name] for name in CONTENT}
    if "participants" not in body:
        merged["participants"] = row.participants
    plan = store.plan(uow.conn, row.plan_id)
    if plan is None:  # cannot happen: plans are never removed from the read model
        raise Conflict(f"plan {row.plan_id} of this dialogue is not known here any more", current_status="plan_missing")
    content = _content(
        uow.conn, plan, row.stage, store.evaluation(uow.conn, row.evaluation_id), merged, uow.today(), own_id=row.id
    )
    now = uow.now()
    return {**content, "version": row.version + 1, "updated_at": now, **_stamps(rules.recorded_by(party), row, now)}


def _write(
    uow, actor, dialogue_id: str, values: dict, action: str, before: dict | None, reason: str | None = None
) -> Answer:
    updated = store.update_dialogue(uow.conn, dialogue_id, values)
    uow.audit(
        actor=actor,
        action=f"dialogue.{action}",
        entity_type="dialogue",
        entity_id=dialogue_id,
        before=before,
        after=_evaluations()._jsonable(dict(updated._mapping)),
        reason=reason,
    )
    uow.publish(event(updated, action, actor.sub))
    return Answer(view(uow.conn, updated), updated.version)


def _before(row) -> dict:
    return _evaluations()._jsonable(dict(row._mapping))


# -- commands ---------------------------------------------------------------------------------------


def record_dialogue(uow, actor, body: dict) -> Answer:
    """Record a dialogue (the plan's employee or its rater): confirmed by the recorder, waiting for the other."""
    conn = uow.conn
    plan = access.dialogue_plan(conn, actor, body["plan_id"])
    party = access.dialogue_party(actor, plan.nip, plan.rater_nip)
    evaluation = None
    if body["stage"] == rules.EVALUATION:
        if not body.get("evaluation_id"):
            raise InvalidField("evaluation_id", "is required for a dialogue of stage evaluation")
        evaluation = store.evaluation(conn, body["evaluation_id"], plan.id)
        if evaluation is None:
            raise InvalidField("evaluation_id", f"{body['evaluation_id']} is not an evaluation of plan {plan.id}")
    elif body.get("evaluation_id"):
        raise InvalidField("evaluation_id", "only a dialogue of stage evaluation belongs to an evaluation")
    content = _content(conn, plan, body["stage"], evaluation, body, uow.today())
    now = uow.now()
    row = dict(
        id=str(uuid.uuid4()),
        plan_id=plan.id,
        nip=plan.nip,
        rater_nip=plan.rater_nip,
        rater_superior_nip=plan.rater_superior_nip,
        unit_id=plan.unit_id,
        stage=body["stage"],
        evaluation_id=evaluation.id if evaluation is not None else None,
        **content,
        revision=1,
        version=1,
        recorded_by=actor.sub,
        recorded_at=now,
        correction_reason=None,
        updated_at=now,
        **_stamps(rules.recorded_by(party), None, now),
    )
    created = store.insert(conn, row)
    uow.audit(
        actor=actor,
        action="dialogue.recorded",
        entity_type="dialogue",
        entity_id=row["id"],
        after=_evaluations()._jsonable(row),
    )
    uow.publish(event(created, "recorded", actor.sub))
    return Answer(view(conn, created), created.version)


def edit_dialogue(uow, actor, dialogue_id: str, body: dict, *, check_version: VersionCheck = None) -> Answer:
    """Edit a dialogue not yet confirmed by both: the editor's confirmation stands, the other's is asked again."""
    if not body:
        raise InvalidField("(body)", "send at least one of held_on, participants, topics, follow_ups")
    row = access.readable_dialogue(uow.conn, actor, dialogue_id, for_update=True)
    party = access.dialogue_party(actor, row.nip, row.rater_nip)
    if row.status == rules.CONFIRMED:
        raise Conflict(
            "Both confirmed this dialogue; a change is a correction (POST .../corrections) that both confirm again.",
            title="Dialogue confirmed",
            current_status=row.status,
        )
    checked(check_version, row.version)
    return _write(uow, actor, dialogue_id, _changed(uow, row, body, party), "edited", _before(row))


def confirm_dialogue(uow, actor, dialogue_id: str, *, check_version: VersionCheck = None) -> Answer:
    """Confirm the dialogue as recorded (the party it waits for). Both confirmed: ``confirmed``."""
    row = access.readable_dialogue(uow.conn, actor, dialogue_id, for_update=True)
    party = access.dialogue_party(actor, row.nip, row.rater_nip)
    checked(check_version, row.version)
    confirmations = rules.Confirmations(row.confirmed_by_employee_at is not None, row.confirmed_by_rater_at is not None)
    try:
        confirmations = confirmations.by(party)
    except rules.AlreadyConfirmed:
        raise Conflict(
            "You confirmed this dialogue already; it waits for the other party.",
            title="Confirmed already",
            current_status=row.status,
        ) from None
    now = uow.now()
    values = {**_stamps(confirmations, row, now), "version": row.version + 1, "updated_at": now}
    return _write(uow, actor, dialogue_id, values, "confirmed", _before(row))


def correct_dialogue(uow, actor, dialogue_id: str, body: dict, *, check_version: VersionCheck = None) -> Answer:
    """Correct a dialogue both confirmed, with the reason: the confirmed one is kept in the history, the
    dialogue becomes revision n+1, confirmed by the corrector and waiting for the other."""
    conn = uow.conn
    row = access.readable_dialogue(conn, actor, dialogue_id, for_update=True)
    party = access.dialogue_party(actor, row.nip, row.rater_nip)
    checked(check_version, row.version)
    if row.status != rules.CONFIRMED:
        raise Conflict(
            "This dialogue is not confirmed by both yet; edit it instead (PATCH).",
            title="Dialogue not confirmed yet",
            current_status=row.status,
        )
    snapshot = _evaluations()._jsonable(view(conn, row))
    store.keep_revision(
        conn,
        dialogue_id=dialogue_id,
        revision=row.revision,
        snapshot=snapshot,
        superseded_at=uow.now(),
        superseded_by=actor.sub,
        reason=body["reason"],
    )
    values = {
        **_changed(uow, row, {k: v for k, v in body.items() if k != "reason"}, party),
        "revision": row.revision + 1,
        "correction_reason": body["reason"],
    }
    return _write(uow, actor, dialogue_id, values, "corrected", snapshot, reason=body["reason"])


# -- queries ----------------------------------------------------------------------------------------


def list_dialogues(conn, actor, filters: dict, *, after: tuple | None, limit: int) -> tuple[list[dict], tuple | None]:
    """The dialogues the caller may read, newest recorded first, and the (recorded_at, id) the next page
    starts after (None on the last page)."""
    scope = None if actor.is_admin else store.scope(conn, actor.sub, access.headed_units(conn, actor))
    rows = store.page(conn, filters, scope, after, limit)
    more = len(rows) > limit
    rows = rows[:limit]
    names = store.names(conn, {n for r in rows for n in r.participants})
    return [view(conn, r, names) for r in rows], ((rows[-1].recorded_at, rows[-1].id) if more else None)


def get_dialogue(conn, actor, dialogue_id: str) -> Answer:
    """One dialogue with its history (earlier confirmed revisions)."""
    row = access.readable_dialogue(conn, actor, dialogue_id)
    return Answer({**view(conn, row), "history": store.history(conn, dialogue_id)}, row.version)
