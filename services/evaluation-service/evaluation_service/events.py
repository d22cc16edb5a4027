"""The events evaluation-service publishes, built from its rows (event-carried state transfer).

Evaluation events are keyed by the employee's NIP; unit events (UnitPredicateSet,
CalibrationFinalised) by the unit id, so all events about one unit stay ordered.
"""

from __future__ import annotations

import re

from kinerja_shared.events import make_event

SOURCE = "evaluation-service"
_NIP = re.compile(r"^[0-9]{18}$")


def _iso(value):
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def _nip_or_none(value) -> str | None:
    """Actors are NIPs in the events' schemas; a system actor (e.g. the period clock) is null."""
    return value if isinstance(value, str) and _NIP.match(value) else None


def period_data(row) -> dict:
    return {
        "id": row.period_id,
        "kind": row.period_kind,
        "start": row.period_start.isoformat(),
        "end": row.period_end.isoformat(),
    }


def _common(row) -> dict:
    return {
        "evaluation_id": row.id,
        "nip": row.nip,
        "rater_nip": row.rater_nip,
        "unit_id": row.unit_id,
        "plan_id": row.plan_id,
        "period": period_data(row),
        "revision": row.revision,
    }


def _event(event_type: str, row, data: dict) -> dict:
    return make_event(event_type, source_service=SOURCE, subject=row.id, partitionkey=row.nip, data=data)


def evaluation_opened(row) -> dict:
    return _event(
        "EvaluationOpened", row, {**_common(row), "plan_revision": row.plan_revision, "opened_at": _iso(row.opened_at)}
    )


def evaluation_submitted(row) -> dict:
    return _event(
        "EvaluationSubmitted",
        row,
        {
            **_common(row),
            "results_rating": row.results_rating,
            "behaviour_rating": row.behaviour_rating,
            "predicate": row.predicate,
            "suggested_results_rating": row.suggested_rating,
            "submitted_at": _iso(row.submitted_at),
        },
    )


def evaluation_closed(row) -> dict:
    """What payroll (TPP) and BKN need to act on alone: who, where, when, both ratings, the predicate."""
    return _event(
        "EvaluationClosed",
        row,
        {
            **_common(row),
            "results_rating": row.results_rating,
            "behaviour_rating": row.behaviour_rating,
            "predicate": row.predicate,
            "credit_points": row.credit_points,
            "closed_at": _iso(row.closed_at),
            "closed_by": _nip_or_none(row.closed_by),
        },
    )


def evaluation_reopened(row, reason: str, actor: str) -> dict:
    return _event(
        "EvaluationReopened",
        row,
        {**_common(row), "reason": reason, "reopened_by": _nip_or_none(actor), "reopened_at": _iso(row.updated_at)},
    )


def feedback_given(row) -> dict:
    return make_event(
        "FeedbackGiven",
        source_service=SOURCE,
        subject=row.id,
        partitionkey=row.nip,
        data={
            "feedback_id": row.id,
            "nip": row.nip,
            "rater_nip": row.rater_nip,
            "period_id": row.period_id,
            "result_id": row.result_id,
            "behaviour_value": row.behaviour_value,
            "text": row.text,
            "evaluation_id": row.evaluation_id,
            "given_at": _iso(row.given_at),
        },
    )


def unit_predicate_set(row, period: dict) -> dict:
    return make_event(
        "UnitPredicateSet",
        source_service=SOURCE,
        subject=row.unit_id,
        partitionkey=row.unit_id,
        data={
            "unit_id": row.unit_id,
            "period": period,
            "predicate": row.predicate,
            "set_by": _nip_or_none(row.set_by),
            "set_at": _iso(row.set_at),
            "basis": row.basis,
            "document_number": row.document_number,
            "authority": row.authority,
        },
    )


def calibration_finalised(row, period: dict) -> dict:
    return make_event(
        "CalibrationFinalised",
        source_service=SOURCE,
        subject=row.unit_id,
        partitionkey=row.unit_id,
        data={
            "unit_id": row.unit_id,
            "period": period,
            "organisational_predicate": row.organisational_predicate,
            "distribution": row.distribution,
            "override_reason": row.override_reason,
            "violations": row.violations,
            "finalised_by": _nip_or_none(row.finalised_by),
            "finalised_at": _iso(row.finalised_at),
            "predicates": row.predicates,
        },
    )


def realisation_submitted(row, saved) -> dict:
    """The employee's realisation of a period, submitted for the rater: per result its realisation, narrative
    and how much evidence it has (the evidence itself stays in the service; the form shows it)."""
    return _event(
        "RealisationSubmitted",
        row,
        {
            "evaluation_id": row.id,
            "plan_id": row.plan_id,
            "nip": row.nip,
            "rater_nip": row.rater_nip,
            "unit_id": row.unit_id,
            "period_id": row.period_id,
            "period_start": row.period_start.isoformat(),
            "period_end": row.period_end.isoformat(),
            "submitted_at": _iso(saved.submitted_at),
            "results": [
                {
                    "result_id": r["result_id"],
                    "realisation": r.get("realisation"),
                    "narrative": r.get("narrative"),
                    "evidence_count": len(r.get("evidence") or []),
                }
                for r in saved.results
            ],
        },
    )
