"""The catalog: every event type, who produces it, on which topic, in which versions.

A breaking change to an event is a new version (a new schema file
``schemas/<Type>.v<N>.json``) published side by side with the old one.
"""

from __future__ import annotations

from dataclasses import dataclass

TOPICS = {
    "plan-service": "kinerja.plan.events",
    "activity-service": "kinerja.activity.events",
    "evaluation-service": "kinerja.evaluation.events",
    "notification-service": "kinerja.notification.events",
}


def topic_for_service(service_name: str) -> str:
    return TOPICS[service_name]


def dlq_topic(topic: str, consumer_group: str) -> str:
    return f"{topic}.{consumer_group}.dlq"


@dataclass(frozen=True)
class EventType:
    name: str
    producer: str
    versions: tuple[int, ...]
    description: str

    @property
    def topic(self) -> str:
        return TOPICS[self.producer]

    @property
    def latest(self) -> int:
        return max(self.versions)


def _t(name: str, producer: str, description: str, versions: tuple[int, ...] = (1,)) -> EventType:
    return EventType(name, producer, versions, description)


CATALOG: dict[str, EventType] = {
    t.name: t
    for t in (
        _t(
            "EmployeeUpserted",
            "plan-service",
            "An employee (pegawai) was created or changed in the org directory: unit path, rater, contact.",
        ),
        _t(
            "UnitHeadAssigned",
            "plan-service",
            "An acting head (Plt./Plh.) of a unit was assigned for a span of dates, "
            "changed or revoked: the head's rights in that unit during the span, none after it.",
        ),
        _t("PlanSubmitted", "plan-service", "An employee submitted their performance plan (SKP) to the rater."),
        _t("PlanApproved", "plan-service", "The rater approved a plan; carries the whole approved plan."),
        _t("PlanReturned", "plan-service", "The rater returned a submitted plan to draft, with reasons."),
        _t("PlanAmended", "plan-service", "An approved plan was amended; carries the whole new revision."),
        _t(
            "ActionPlanAgreed",
            "plan-service",
            "The rater agreed the action plans (rencana aksi) of an approved plan, "
            "or an amendment of them; carries the plan's whole current set of actions.",
        ),
        _t(
            "ActivityLogged",
            "activity-service",
            "An employee logged a daily activity (kegiatan harian) against an indicator.",
        ),
        _t("ActivityUpdated", "activity-service", "An unverified activity was edited; carries its new state."),
        _t("ActivityWithdrawn", "activity-service", "An unverified activity was withdrawn by the employee."),
        _t("ActivityVerified", "activity-service", "The rater accepted or rejected an activity."),
        _t(
            "ActivityCorrected",
            "activity-service",
            "An admin or the rater's superior corrected a verified activity "
            "(quantity, unit, description, indicator) with a reason; carries its new state and version.",
        ),
        _t(
            "ActivityAnnulled",
            "activity-service",
            "An admin or the rater's superior annulled a verified activity "
            "with a reason; it counts nowhere from then on.",
        ),
        _t("EvaluationOpened", "evaluation-service", "An evaluation opened for an approved plan in a period."),
        _t("EvaluationSubmitted", "evaluation-service", "The rater submitted an evaluation form."),
        _t(
            "EvaluationClosed",
            "evaluation-service",
            "An evaluation closed: both ratings, the predicate, period, unit, credit points.",
        ),
        _t(
            "EvaluationReopened",
            "evaluation-service",
            "An admin reopened a closed evaluation, creating a new revision.",
        ),
        _t(
            "RealisationSubmitted",
            "evaluation-service",
            "The employee submitted their realisation for a period "
            "(per result: realisation, narrative, evidence), ready for the rater.",
        ),
        _t(
            "PerformanceDialogueRecorded",
            "evaluation-service",
            "A performance dialogue (dialog kinerja) was recorded or confirmed by the employee or the rater.",
        ),
        _t("FeedbackGiven", "evaluation-service", "The rater gave continuous feedback (umpan balik berkelanjutan)."),
        _t(
            "UnitPredicateSet",
            "evaluation-service",
            "The organisational predicate of a unit was recorded for a period.",
        ),
        _t("CalibrationFinalised", "evaluation-service", "A unit's employee predicates for a period were finalised."),
        _t("NotificationDelivered", "notification-service", "A notification reached a person through a channel."),
    )
}
