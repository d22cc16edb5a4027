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

The activity events' handlers are in activity_handlers.py, the performance dialogue's in dialogues.py.
"""  # noqa: E501

from __future__ import annotations

from datetime import date

from kinerja_shared.acting_heads import acting_heads_of
from kinerja_shared.acting_heads import on_unit_head_assigned as unit_head_assigned_into
from kinerja_shared.db import utcnow
from kinerja_shared.events.catalog import CATALOG

from . import activity_handlers, config, dialogues, domain, inbox, siasn, webhooks
from . import read_models_store as store
from .event_items import digest_member, event_date, event_instant, notify_one
from .models import acting_heads

CONSUMES = ["kinerja.plan.events", "kinerja.activity.events", "kinerja.evaluation.events"]


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
            period_start=event_date(d.get("period_start")) or (known.period_start if known else None),
            period_end=event_date(d.get("period_end")) or (known.period_end if known else None),
            updated_at=utcnow(),
        ),
    )


def on_plan_submitted(conn, event) -> None:
    d = event.data
    _track_plan(conn, d, "submitted")
    notify_one(
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
    notify_one(
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
    notify_one(
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


# -- evaluations ---------------------------------------------------------------------------


def _track_evaluation(conn, d: dict, status: str) -> None:
    store.save_evaluation_state(
        conn,
        dict(
            evaluation_id=d["evaluation_id"],
            nip=d["nip"],
            rater_nip=d.get("rater_nip"),
            period_id=d["period"]["id"],
            period_end=event_date(d["period"]["end"]),
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
    digest_member(
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
    notify_one(
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
    notify_one(
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
    day = domain.local_date(event_instant(d.get("finalised_at"), event["time"]), config.for_handlers().timezone)
    acting = acting_heads_of(conn, acting_heads, [unit_id], day)
    if acting:  # an acting head who has left the service (an inactive contact) hears nothing, as a member would not
        acting -= store.inactive_among(conn, acting)
    for nip in sorted({m.nip for m in members} | set(own) | acting):
        notify_one(
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
            submitted_at=event_instant(d.get("submitted_at"), event.get("time") or ""),
        ),
    )


def on_realisation_submitted(conn, event) -> None:
    d = event.data
    _track_realisation(conn, event)
    deadline = config.for_handlers().deadlines.evaluation(date.fromisoformat(d["period_end"]))
    notify_one(
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
    "ActivityLogged": activity_handlers.on_activity_logged,
    "ActivityUpdated": activity_handlers.on_activity_updated,
    "ActivityWithdrawn": activity_handlers.on_activity_withdrawn,
    "ActivityVerified": activity_handlers.on_activity_verified,
    "ActivityCorrected": activity_handlers.on_activity_corrected,
    "ActivityAnnulled": activity_handlers.on_activity_annulled,
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
    "ActivityLogged": _tracked(activity_handlers.track_activity),
    "ActivityUpdated": activity_handlers.on_activity_updated,
    "ActivityWithdrawn": activity_handlers.on_activity_withdrawn,
    "ActivityVerified": activity_handlers.track_verified,
    "ActivityCorrected": _tracked(activity_handlers.track_activity),
    "ActivityAnnulled": activity_handlers.track_annulled,
    "EvaluationOpened": _tracked(_track_evaluation, "open"),
    "EvaluationSubmitted": on_evaluation_submitted,
    "EvaluationReopened": _tracked(_track_evaluation, "open"),
    "EvaluationClosed": _tracked(_track_evaluation, "closed"),
    "RealisationSubmitted": _track_realisation,
}
