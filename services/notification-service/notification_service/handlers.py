"""Events notification-service consumes: one handler per event type, run by the shared consumer.

Each handler runs in the consumer's transaction, after the inbox row ``(consumer group,
event id)``: a redelivered event stops there. The handlers are idempotent on their own too:
read models are upserts, single items have a unique key per (category, event, recipient),
digests count each member once.

Who hears what (texts in templates/id/*.txt):

| event | who | category |
|---|---|---|
| EmployeeUpserted | (the contact directory) | - |
| UnitHeadAssigned | (the acting heads, Plt./Plh., of a unit for a span of dates) | - |
| PlanSubmitted | the rater | plan_submitted |
| PlanApproved | the employee | plan_approved |
| PlanReturned | the employee, with the reason | plan_returned |
| ActivityLogged (pending) | the rater: ONE item per local date, counting entries | activity_digest |
| ActivityVerified (rejected) | the employee, with the reason | activity_rejected |
| ActivityCorrected / ActivityAnnulled | the employee, with who and why (and the changes) | activity_corrected |
| EvaluationOpened | the rater: ONE item per period, counting evaluations | evaluation_opened |
| EvaluationClosed | the employee, with the predicate; the SIASN records (siasn.py) | evaluation_closed |
| RealisationSubmitted | the rater: the employee's realisation is in, ready for the evaluation | realisation_submitted |
| FeedbackGiven | the employee | feedback_given |
| PerformanceDialogueRecorded | the party whose confirmation it awaits (the employee or the rater) | dialogue_awaiting_confirmation |
| CalibrationFinalised | every contact of the unit and its sub-units, every NIP rated, and the unit's acting head on the day it was finalised | calibration_finalised |

Every event of the consumed topics, handled here or not, is also offered to the webhook
subscriptions that want its type.
"""  # noqa: E501

from __future__ import annotations

from datetime import date, datetime

from kinerja_shared.acting_heads import acting_heads_of
from kinerja_shared.acting_heads import on_unit_head_assigned as unit_head_assigned_into
from kinerja_shared.consumer import current_scope
from kinerja_shared.context import joined_unit_of_work
from kinerja_shared.db import utcnow
from kinerja_shared.events.catalog import CATALOG

from . import config, dialogues, domain, inbox, siasn, webhooks
from . import read_models_store as store
from .models import acting_heads
from .use_cases import notifications

CONSUMES = ["kinerja.plan.events", "kinerja.activity.events", "kinerja.evaluation.events"]


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _instant(value: str | None, default: str) -> datetime:
    return datetime.fromisoformat((value or default).replace("Z", "+00:00"))


def _single(conn, event, recipient: str | None, category: str, params: dict, link: str | None) -> int | None:
    """The one item ``event`` causes for ``recipient`` (use_cases.notifications), in the consumer's transaction."""
    with joined_unit_of_work(conn) as uow:
        return notifications.notify_of_event(uow, config.for_handlers(), event, recipient, category, params, link)


def _digest(conn, **member) -> None:
    """Count a member into an aggregated item (use_cases.notifications), in the consumer's transaction."""
    with joined_unit_of_work(conn) as uow:
        notifications.count_into_digest(uow, config.for_handlers(), **member)


# -- the directory -------------------------------------------------------------------------


def on_employee_upserted(conn, event) -> None:
    d = event.data
    path = list(d["unit_path"]) or [d["unit_id"]]
    store.save_contact(
        conn,
        dict(
            nip=d["nip"],
            name=d["name"],
            email=d.get("email"),
            unit_id=d["unit_id"],
            unit_name=d.get("unit_name"),
            unit_path=path,
            unit_path_key="/" + "/".join(path) + "/",
            rater_nip=d.get("rater_nip"),
            is_unit_head=bool(d.get("is_unit_head")),
            active=bool(d.get("active", True)),
            position=d.get("position"),
            functional_level=d.get("functional_level"),
            siasn_pns_id=d.get("siasn_pns_id"),
            rank_code=d.get("rank_code"),
            updated_at=utcnow(),
        ),
    )


def on_employee_upserted_for_siasn(conn, event) -> None:
    """The directory, and the SIASN records that waited for it (needs_data) built again."""
    on_employee_upserted(conn, event)
    siasn.on_directory_changed(conn, event.data["nip"])


# -- plans ---------------------------------------------------------------------------------


def _track_plan(conn, d: dict, status: str) -> None:
    known = store.plan_state(conn, d["plan_id"])
    year = d.get("year") or (known.year if known else None) or utcnow().year
    store.save_plan_state(
        conn,
        dict(
            plan_id=d["plan_id"],
            nip=d["nip"],
            rater_nip=d.get("rater_nip"),
            year=year,
            status=status,
            period_start=_date(d.get("period_start")) or (known.period_start if known else None),
            period_end=_date(d.get("period_end")) or (known.period_end if known else None),
            updated_at=utcnow(),
        ),
    )


def on_plan_submitted(conn, event) -> None:
    d = event.data
    _track_plan(conn, d, "submitted")
    _single(
        conn,
        event,
        d.get("rater_nip"),
        domain.PLAN_SUBMITTED,
        {
            "employee_name": inbox.name_of(conn, d["nip"]),
            "employee_nip": d["nip"],
            "year": d["year"],
            "plan_id": d["plan_id"],
        },
        f"/plans/{d['plan_id']}",
    )


def on_plan_approved(conn, event) -> None:
    d = event.data
    _track_plan(conn, d, "approved")
    _single(
        conn,
        event,
        d["nip"],
        domain.PLAN_APPROVED,
        {
            "year": d["year"],
            "rater_name": inbox.name_of(conn, d.get("approved_by") or d.get("rater_nip")),
            "plan_id": d["plan_id"],
        },
        f"/plans/{d['plan_id']}",
    )


def on_plan_returned(conn, event) -> None:
    d = event.data
    _track_plan(conn, d, "returned")
    year = getattr(store.plan_state(conn, d["plan_id"]), "year", None)
    _single(
        conn,
        event,
        d["nip"],
        domain.PLAN_RETURNED,
        {
            "year": d.get("year") or year,
            "reason": d["reason"],
            "rater_name": inbox.name_of(conn, d.get("rater_nip")),
            "plan_id": d["plan_id"],
        },
        f"/plans/{d['plan_id']}",
    )


def on_plan_amended(conn, event) -> None:
    _track_plan(conn, event.data, "approved")


# -- activities ----------------------------------------------------------------------------

_TRACKED = "notification.activity_states"
_KEEP = store.ACTIVITY_KEEP


def _write_tracked(conn) -> None:
    """Write the activity states tracked so far in this consumer transaction, in one statement."""
    scope = current_scope()
    rows = scope.memos.pop(_TRACKED, None) if scope is not None else None
    if rows:
        store.save_activity_states(conn, [rows[k] for k in sorted(rows)])


def _track_activity(conn, d: dict, status: str) -> None:
    """The activity's state; a rater or description the event lacks keeps the stored one.

    In a consumer transaction the poll's states are merged per activity (a later event wins, a
    NULL rater or description keeps the earlier one, as successive upserts would) and written
    with one statement: before the first read of a state in the transaction and at the commit.
    """
    values = dict(
        activity_id=d["activity_id"],
        nip=d["nip"],
        rater_nip=d.get("rater_nip") or None,
        day=_date(d["date"]),
        description=(d.get("description") or "")[:500] or None,
        status=status,
        updated_at=utcnow(),
    )
    scope = current_scope()
    if scope is None:
        store.save_activity_state(conn, values)
        return
    rows = scope.memos.setdefault(_TRACKED, {})
    earlier = rows.get(values["activity_id"])
    if earlier is not None:
        values.update({k: earlier[k] for k in _KEEP if values[k] is None})
    rows[values["activity_id"]] = values
    scope.before_commit(_TRACKED, lambda: _write_tracked(conn))


def on_activity_logged(conn, event) -> None:
    d = event.data
    _track_activity(conn, d, d["status"])
    if d["status"] != "pending":
        return
    rater = d.get("rater_nip") or getattr(inbox.contact(conn, d["nip"]), "rater_nip", None)
    if not rater:
        return
    cfg = config.for_handlers()
    day = domain.local_date(_instant(d.get("logged_at"), event["time"]), cfg.timezone)
    _digest(
        conn,
        recipient=rater,
        category=domain.ACTIVITY_DIGEST,
        scope=day.isoformat(),
        member_id=d["activity_id"],
        member_nip=d["nip"],
        params={"date": day.isoformat()},
        cause=inbox.Cause.of(event),
        link=f"/activities?status=pending&logged_on={day.isoformat()}",
        email_not_before=domain.at_local(day, cfg.digest_email_time, cfg.timezone),
    )


def on_activity_updated(conn, event) -> None:
    _track_activity(conn, event.data, event.data["status"])


def on_activity_withdrawn(conn, event) -> None:
    d = event.data
    _write_tracked(conn)  # an entry logged earlier in the same poll is withdrawn like any other
    store.withdraw_activity(conn, d["activity_id"], utcnow())


def _known_description(conn, activity_id: str) -> str | None:
    _write_tracked(conn)  # an entry logged earlier in the same poll is read like any other
    return store.activity_description(conn, activity_id)


def _track_verified(conn, event) -> str | None:
    """The verified entry's state (the event has no description: the stored one stays); that description."""
    d = event.data
    known = _known_description(conn, d["activity_id"])
    _track_activity(conn, {**d, "description": known}, d["decision"])
    return known


def _track_annulled(conn, event) -> str | None:
    """An annulled entry counts nowhere: kept as withdrawn (as the reminders read it); its description."""
    known = _known_description(conn, event.data["activity_id"])
    store.withdraw_activity(conn, event.data["activity_id"], utcnow())
    return known


def on_activity_verified(conn, event) -> None:
    d = event.data
    known = _track_verified(conn, event)
    if d["decision"] != "rejected":
        return
    _single(
        conn,
        event,
        d["nip"],
        domain.ACTIVITY_REJECTED,
        {
            "date": d["date"],
            "reason": d.get("reason") or "-",
            "description": known,
            "rater_name": inbox.name_of(conn, d.get("rater_nip")),
            "activity_id": d["activity_id"],
        },
        f"/activities/{d['activity_id']}",
    )


def _shown(value) -> str:
    """A changed value as the employee reads it: 9.0 as 9, nothing as '-'."""
    if value is None or value == "":
        return "-"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _tell_repair(conn, event, *, annulled: bool, by: str | None, description: str | None, changes: dict) -> None:
    d = event.data
    _single(
        conn,
        event,
        d["nip"],
        domain.ACTIVITY_CORRECTED,
        {
            "date": d["date"],
            "annulled": annulled,
            "actor_name": inbox.name_of(conn, by),
            "reason": d["reason"],
            "description": description,
            "activity_id": d["activity_id"],
            "changes": [
                {"field": k, "before": _shown(v.get("before")), "after": _shown(v.get("after"))}
                for k, v in changes.items()
            ],
        },
        f"/activities/{d['activity_id']}",
    )


def on_activity_corrected(conn, event) -> None:
    """A verified entry corrected (admin or the rater's superior): its new state, and the employee hears why."""
    d = event.data
    _track_activity(conn, d, d["status"])
    _tell_repair(
        conn,
        event,
        annulled=False,
        by=d.get("corrected_by"),
        description=d.get("description"),
        changes=d.get("changes") or {},
    )


def on_activity_annulled(conn, event) -> None:
    """A verified entry annulled: it counts nowhere (kept as withdrawn, like the reminders read it)."""
    known = _track_annulled(conn, event)
    _tell_repair(conn, event, annulled=True, by=event.data.get("annulled_by"), description=known, changes={})


# -- evaluations ---------------------------------------------------------------------------


def _track_evaluation(conn, d: dict, status: str) -> None:
    store.save_evaluation_state(
        conn,
        dict(
            evaluation_id=d["evaluation_id"],
            nip=d["nip"],
            rater_nip=d.get("rater_nip"),
            period_id=d["period"]["id"],
            period_end=_date(d["period"]["end"]),
            status=status,
            updated_at=utcnow(),
        ),
    )


def on_evaluation_opened(conn, event) -> None:
    d = event.data
    _track_evaluation(conn, d, "open")
    if not d.get("rater_nip"):
        return
    cfg = config.for_handlers()
    period = d["period"]
    _digest(
        conn,
        recipient=d["rater_nip"],
        category=domain.EVALUATION_OPENED,
        scope=period["id"],
        member_id=d["evaluation_id"],
        member_nip=d["nip"],
        params={"period_id": period["id"], "period_start": period["start"], "period_end": period["end"]},
        cause=inbox.Cause.of(event),
        link=f"/evaluations?period={period['id']}&status=open",
        email_not_before=cfg.now() + inbox.AGGREGATE_EMAIL_SETTLE,
    )


def on_evaluation_submitted(conn, event) -> None:
    _track_evaluation(conn, event.data, "submitted")


def on_evaluation_reopened(conn, event) -> None:
    _track_evaluation(conn, event.data, "open")
    siasn.on_evaluation_reopened(conn, event)


def on_evaluation_closed(conn, event) -> None:
    d = event.data
    _track_evaluation(conn, d, "closed")
    _single(
        conn,
        event,
        d["nip"],
        domain.EVALUATION_CLOSED,
        {
            "period_id": d["period"]["id"],
            "predicate": d["predicate"],
            "results_rating": d["results_rating"],
            "behaviour_rating": d["behaviour_rating"],
            "evaluation_id": d["evaluation_id"],
        },
        f"/evaluations/{d['evaluation_id']}",
    )
    siasn.on_evaluation_closed(conn, event)  # the SKP / periodic / credit-point records owed to BKN's SIASN


def on_feedback_given(conn, event) -> None:
    d = event.data
    _single(
        conn,
        event,
        d["nip"],
        domain.FEEDBACK_GIVEN,
        {"rater_name": inbox.name_of(conn, d.get("rater_nip")), "text": d["text"], "feedback_id": d["feedback_id"]},
        "/feedback",
    )


def on_calibration_finalised(conn, event) -> None:
    d = event.data
    unit_id = d["unit_id"]
    own = {p["nip"]: p["predicate"] for p in d["predicates"]}
    members = store.unit_members(conn, unit_id)
    unit_name = next((m.unit_name for m in members if m.unit_id == unit_id and m.unit_name), None) or unit_id
    # The unit's acting head (Plt./Plh.) on the day it was finalised hears it as its head does (a member of the unit).
    day = domain.local_date(_instant(d.get("finalised_at"), event["time"]), config.for_handlers().timezone)
    acting = acting_heads_of(conn, acting_heads, [unit_id], day)
    if acting:  # an acting head who has left the service (an inactive contact) hears nothing, as a member would not
        acting -= store.inactive_among(conn, acting)
    for nip in sorted({m.nip for m in members} | set(own) | acting):
        _single(
            conn,
            event,
            nip,
            domain.CALIBRATION_FINALISED,
            {
                "unit_id": unit_id,
                "unit_name": unit_name,
                "period_id": d["period"]["id"],
                "org_predicate": d["organisational_predicate"],
                "own_predicate": own.get(nip),
            },
            f"/units/{unit_id}/calibration/{d['period']['id']}",
        )


on_unit_head_assigned = unit_head_assigned_into(acting_heads)  # acting heads (Plt./Plh.): the latest version wins


def _track_realisation(conn, event) -> None:
    d = event.data
    store.save_realisation_state(
        conn,
        dict(
            evaluation_id=d["evaluation_id"],
            nip=d["nip"],
            rater_nip=d.get("rater_nip"),
            submitted_at=_instant(d.get("submitted_at"), event.get("time") or ""),
        ),
    )


def on_realisation_submitted(conn, event) -> None:
    d = event.data
    _track_realisation(conn, event)
    deadline = config.for_handlers().deadlines.evaluation(date.fromisoformat(d["period_end"]))
    _single(
        conn,
        event,
        d.get("rater_nip"),
        domain.REALISATION_SUBMITTED,
        {
            "employee_name": inbox.name_of(conn, d["nip"]),
            "employee_nip": d["nip"],
            "period_id": d.get("period_id") or f"{d['period_start']}..{d['period_end']}",
            "results": len(d["results"]),
            "evidence": sum(int(r.get("evidence_count") or 0) for r in d["results"]),
            "deadline": deadline.isoformat(),
            "evaluation_id": d["evaluation_id"],
        },
        f"/evaluations/{d['evaluation_id']}",
    )


RULES = {
    "EmployeeUpserted": on_employee_upserted_for_siasn,
    "UnitHeadAssigned": on_unit_head_assigned,
    "PlanSubmitted": on_plan_submitted,
    "PlanApproved": on_plan_approved,
    "PlanReturned": on_plan_returned,
    "PlanAmended": on_plan_amended,
    "ActivityLogged": on_activity_logged,
    "ActivityUpdated": on_activity_updated,
    "ActivityWithdrawn": on_activity_withdrawn,
    "ActivityVerified": on_activity_verified,
    "ActivityCorrected": on_activity_corrected,
    "ActivityAnnulled": on_activity_annulled,
    "EvaluationOpened": on_evaluation_opened,
    "EvaluationSubmitted": on_evaluation_submitted,
    "EvaluationReopened": on_evaluation_reopened,
    "EvaluationClosed": on_evaluation_closed,
    "FeedbackGiven": on_feedback_given,
    "CalibrationFinalised": on_calibration_finalised,
    "PerformanceDialogueRecorded": dialogues.on_performance_dialogue_recorded,
    "RealisationSubmitted": on_realisation_submitted,
}

# Event types a webhook subscription may ask for: everything on the topics this service reads.
WEBHOOK_EVENT_TYPES = sorted(name for name, t in CATALOG.items() if t.topic in CONSUMES)


def _handler(rule):
    def handle(conn, event) -> None:
        if rule is not None:
            rule(conn, event)
        webhooks.fan_out(conn, event)

    handle.__name__ = getattr(rule, "__name__", "relay_to_webhooks")
    return handle


HANDLERS = {name: _handler(RULES.get(name)) for name in WEBHOOK_EVENT_TYPES}


def _tracked(track, status: str | None = None):
    """A handler that only keeps a state (status from the event's data when ``status`` is None)."""

    def handle(conn, event) -> None:
        track(conn, event.data, status or event.data["status"])

    return handle


# `notification-service rebuild-read-models`: only what keeps the read models (contacts and the
# plan, activity and evaluation states) — no notification, digest, e-mail or webhook is made again.
READ_MODEL_HANDLERS = {
    "EmployeeUpserted": on_employee_upserted,
    "UnitHeadAssigned": on_unit_head_assigned,
    "PlanSubmitted": _tracked(_track_plan, "submitted"),
    "PlanApproved": _tracked(_track_plan, "approved"),
    "PlanReturned": _tracked(_track_plan, "returned"),
    "PlanAmended": on_plan_amended,
    "ActivityLogged": _tracked(_track_activity),
    "ActivityUpdated": on_activity_updated,
    "ActivityWithdrawn": on_activity_withdrawn,
    "ActivityVerified": _track_verified,
    "ActivityCorrected": _tracked(_track_activity),
    "ActivityAnnulled": _track_annulled,
    "EvaluationOpened": _tracked(_track_evaluation, "open"),
    "EvaluationSubmitted": on_evaluation_submitted,
    "EvaluationReopened": _tracked(_track_evaluation, "open"),
    "EvaluationClosed": _tracked(_track_evaluation, "closed"),
    "RealisationSubmitted": _track_realisation,
}
