"""Per unit: the organisational predicate, the SE 03/2023 distribution, the calibration, the export for payroll
and BKN, and the unit head's dashboard."""

from __future__ import annotations

from kinerja_shared.errors import Conflict, InvalidField
from kinerja_shared.numbers import finite

from .. import access, domain, evaluations_store, events
from .. import directory_queries as directory
from .. import units_queries as queries
from .. import units_store as store
from ..evaluation_views import jsonable, parse_period
from . import periods


def distribution(uow, actor, unit_id: str, period: domain.Period, rounding: str) -> dict:
    """The distribution of the predicates of the unit's subtree in ``period`` against the rules of its
    organisational predicate, with the calibration (``stale`` when an evaluation changed since) and who may
    set the predicate; ``_predicates`` holds the (nip, predicate) list a calibration records."""
    conn = uow.conn
    rows = queries.predicates(conn, period.id, directory.subtree(conn, {unit_id}))
    org = evaluations_store.org_predicate(conn, unit_id, period.id)
    dist = domain.check_distribution(org, [r.predicate for r in rows if r.predicate], rounding)
    calibration = queries.calibration(conn, unit_id, period.id)
    current = sorted(({"nip": r.nip, "predicate": r.predicate} for r in rows if r.predicate), key=lambda x: x["nip"])
    final = None
    if calibration is not None:
        # stale: an evaluation changed after finalising (an admin reopened and the rater corrected it)
        final = {**dict(calibration._mapping), "stale": calibration.predicates != current}
    return {
        **dist.as_dict(),
        "unit_id": unit_id,
        "period": period.as_dict(),
        "pending": sum(1 for r in rows if not r.predicate),
        "rounding": domain.ROUNDING_TEXT[rounding],
        "predicate_authority": access.predicate_authority(uow, actor, unit_id),
        "calibration": final,
        "_predicates": current,
    }


def set_unit_predicate(uow, actor, unit_id: str, period_id: str, body: dict, *, default_scheme: str) -> dict:
    """Record the unit's organisational predicate for a period, set from above (``access.predicate_authority``),
    with its basis. Audited; publishes UnitPredicateSet."""
    period = parse_period(period_id)
    basis = body["basis"].strip()
    if not basis:
        raise InvalidField("basis", "must say why the unit has this predicate")
    authority = access.require_predicate_authority(uow, actor, unit_id)
    periods.check_period_in_scheme(uow, period, default_scheme)
    if queries.calibration(uow.conn, unit_id, period.id) is not None:
        raise Conflict(
            f"The calibration of unit {unit_id} for {period.id} is final; its predicate cannot change.",
            title="Calibration is final",
            current_status="finalised",
        )
    before = queries.unit_predicate(uow.conn, unit_id, period.id)
    row = dict(
        unit_id=unit_id,
        period_id=period.id,
        predicate=body["predicate"],
        set_by=actor.sub,
        set_at=uow.now(),
        basis=basis,
        document_number=(body.get("document_number") or "").strip() or None,
        authority=authority["authority"],
    )
    stored = store.save_unit_predicate(uow.conn, row)
    uow.audit(
        actor=actor,
        action="unit_predicate.set",
        entity_type="unit",
        entity_id=unit_id,
        before=jsonable(dict(before._mapping)) if before else None,
        after=jsonable(row),
        reason=basis,
    )
    uow.publish(events.unit_predicate_set(stored, period.as_dict()))
    return {**row, "period": period.as_dict()}


def get_distribution(uow, actor, unit_id: str, period_id: str, *, rounding: str) -> dict:
    """The unit's distribution in a period (the head of the unit or above, or an admin)."""
    period = parse_period(period_id)
    access.require_unit(uow, actor, unit_id, "see its distribution")
    body = distribution(uow, actor, unit_id, period, rounding)
    body.pop("_predicates")
    return body


def _refuse_calibration(unit_id: str, period: domain.Period, dist: dict, reason: str | None) -> None:
    if dist["organisational_predicate"] is None:
        raise Conflict(
            f"Set the organisational predicate of unit {unit_id} for {period.id} first.",
            title="No organisational predicate",
            current_status="no_predicate",
        )
    if dist["total"] == 0:
        raise Conflict(
            f"No evaluation of unit {unit_id} has a predicate for {period.id} yet.",
            title="Nothing to calibrate",
            current_status="empty",
        )
    if dist["pending"]:
        raise Conflict(
            f"{dist['pending']} evaluation(s) of unit {unit_id} for {period.id} are still open.",
            title="Evaluations still open",
            current_status="pending",
            pending=dist["pending"],
        )
    if dist["violations"] and not reason:
        raise Conflict(
            "The distribution breaks "
            + "; ".join(v["message"] for v in dist["violations"])
            + ". Change predicates, or an admin may override with override_reason.",
            title="Distribution rule violated",
            current_status="violated",
            violations=dist["violations"],
        )


def finalise_calibration(
    uow, actor, unit_id: str, period_id: str, override_reason: str | None, *, rounding: str
) -> dict:
    """Finalise the unit's employee predicates for a period; refused while a rule is broken (unless an admin
    overrides with a reason), evaluations are open or the organisational predicate is missing.
    Publishes CalibrationFinalised."""
    period = parse_period(period_id)
    reason = (override_reason or "").strip() or None
    access.require_calibrator(uow, actor, unit_id, reason)
    dist = distribution(uow, actor, unit_id, period, rounding)
    _refuse_calibration(unit_id, period, dist, reason)
    before = dist["calibration"]
    row = dict(
        unit_id=unit_id,
        period_id=period.id,
        organisational_predicate=dist["organisational_predicate"],
        distribution=dict(dist["counts"]),
        violations=dist["violations"],
        predicates=dist["_predicates"],
        override_reason=reason,
        finalised_by=actor.sub,
        finalised_at=uow.now(),
    )
    stored = store.save_calibration(uow.conn, row)
    uow.audit(
        actor=actor,
        action="calibration.finalise",
        entity_type="unit",
        entity_id=unit_id,
        before=jsonable(before) if before else None,
        after={
            "period_id": period.id,
            "distribution": row["distribution"],
            "violations": [v["code"] for v in row["violations"]],
        },
        reason=reason,
    )
    uow.publish(events.calibration_finalised(stored, period.as_dict()))
    out = distribution(uow, actor, unit_id, period, rounding)
    out.pop("_predicates")
    return out


def export_predicates(uow, actor, unit_id: str, period_id: str) -> dict:
    """The period's closed evaluations of the unit's subtree for payroll (TPP) and BKN."""
    period = parse_period(period_id)
    conn = uow.conn
    access.require_unit(uow, actor, unit_id, "export its predicates")
    rows = queries.export_rows(conn, period.id, directory.subtree(conn, {unit_id}))
    calibrated = queries.calibration(conn, unit_id, period.id) is not None
    items = [
        {
            "nip": r.nip,
            "name": r.name,
            "unit_id": r.unit_id,
            "period_id": r.period_id,
            "period_kind": r.period_kind,
            "period_start": r.period_start,
            "period_end": r.period_end,
            "rater_nip": r.rater_nip,
            "results_rating": r.results_rating,
            "behaviour_rating": r.behaviour_rating,
            "predicate": r.predicate,
            "predicate_name": domain.PREDICATE_NAMES_ID.get(r.predicate),
            "credit_points": finite(r.credit_points),
            "revision": r.revision,
            "closed_at": r.closed_at,
            "calibrated": calibrated,
        }
        for r in rows
    ]
    return {
        "unit_id": unit_id,
        "period": period.as_dict(),
        "organisational_predicate": evaluations_store.org_predicate(conn, unit_id, period.id),
        "calibrated": calibrated,
        "items": items,
    }


from .dashboard import dashboard_answer, unit_dashboard  # noqa: E402,F401  (the unit head's dashboard)
