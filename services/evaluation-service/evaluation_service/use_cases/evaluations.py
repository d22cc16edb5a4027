"""The evaluations: list, read the form, submit, close, reopen, revisions.

Each command takes the unit of work, the caller and plain values; ``check_version(version)`` is the
caller's If-Match check (the route's), run once the row is locked. The lifecycle is ``domain.EVALUATION``.
"""

from __future__ import annotations

from collections.abc import Callable

from kinerja_shared.errors import Conflict, InvalidField
from kinerja_shared.numbers import finite

from .. import access, action_realisation, dialogue_store, domain, events
from .. import directory_queries as directory
from .. import evaluations_store as store
from ..evaluation_views import coefficient, eval_out, jsonable, next_cursor, period_of, results_view, time_cursor
from ..realisation_queries import period_measurements
from . import credit_points

VersionCheck = Callable[[int], None] | None
FILTERS = ("nip", "rater_nip", "period_id", "status", "year")


# -- reading -------------------------------------------------------------------------------------


def list_evaluations(uow, actor, args: dict) -> dict:
    """The evaluations the caller may see, newest first (filters of ``FILTERS``, ``unit_id`` with its
    sub-units, ``limit`` and ``cursor``)."""
    filters = {name: args[name] for name in FILTERS if args.get(name) is not None}
    unit_ids = directory.subtree(uow.conn, {args["unit_id"]}) if args.get("unit_id") else None
    scope = None if actor.is_admin else (actor.sub, access.unit_scope(uow, actor))
    after = time_cursor(args["cursor"]) if args.get("cursor") else None
    rows = store.page(uow.conn, filters, unit_ids=unit_ids, scope=scope, after=after, limit=args["limit"])
    rows, cursor = next_cursor(rows, args["limit"], "opened_at")
    return {"items": [eval_out(r) for r in rows], "next_cursor": cursor}


def get_evaluation(uow, actor, evaluation_id: str, *, self_assessment=None) -> tuple[object, dict]:
    """The evaluation's row and its form (``detail``); 404 for who may not see it."""
    row = access.readable(uow, actor, evaluation_id)
    return row, detail(uow, row, self_assessment=self_assessment)


def list_revisions(uow, actor, evaluation_id: str) -> dict:
    """The earlier, superseded revisions of an evaluation, oldest first."""
    access.readable(uow, actor, evaluation_id)
    return {"items": [dict(r._mapping) for r in store.revisions(uow.conn, evaluation_id)]}


def plan_of(uow, plan_id: str):
    plan = store.plan(uow.conn, plan_id)
    if plan is None:  # cannot happen: evaluations open from the plan read model
        raise Conflict(f"plan {plan_id} of this evaluation is not known here yet", current_status="plan_missing")
    return plan


def head_of(uow, row) -> str | None:
    """The unit the employee heads, when it is the evaluation's unit."""
    return row.unit_id if store.unit_head(uow.conn, row.unit_id) == row.nip else None


def suggestion(uow, row, results: list[dict]) -> domain.Suggestion:
    assessed = [
        domain.ResultAssessment(
            r["result_id"],
            r["kind"],
            r["assessment"],
            "rater" if r["form"]["assessment"] else "realisation",
            r["text"],
            r["level"],
        )
        for r in results
    ]
    unit = head_of(uow, row)
    org = store.org_predicate(uow.conn, row.unit_id, row.period_id) if unit else None
    qualitative = plan_of(uow, row.plan_id).approach == "qualitative"
    return domain.suggest_results_rating(assessed, unit_head_of=unit, org_predicate=org, qualitative=qualitative)


def _results(uow, plan, row, form: dict, continuous: list[dict]) -> list[dict]:
    period = period_of(row)
    return results_view(
        plan,
        period,
        store.activity_sums(uow.conn, [plan.id], period),
        form,
        continuous,
        period_measurements(uow.conn, [plan], period),
    )


def _pending(sums) -> dict:
    counts = {"pending": 0, "accepted": 0, "rejected": 0}
    for s in sums:
        if s.status in counts:
            counts[s.status] += int(s.n_in or 0)
    return {
        "activities_pending": counts["pending"],
        "activities_accepted": counts["accepted"],
        "activities_rejected": counts["rejected"],
        "activities_total": sum(counts.values()),
    }


def detail(uow, row, *, self_assessment=None) -> dict:
    """The form: the plan's results with realisation, pending verifications, the period's activities, the
    continuous feedback, the suggestion, the year's periodic ones (annual), the employee's realisation
    (``self_assessment(conn, row, results)``, given by the web layer)."""
    conn = uow.conn
    plan = plan_of(uow, row.plan_id)
    period = period_of(row)
    sums = store.activity_sums(conn, [plan.id], period)
    continuous = store.feedback_for(conn, row)
    results = results_view(plan, period, sums, row.form, continuous, period_measurements(conn, [plan], period))
    action_realisation.attach(conn, plan.id, period, results)
    emp = directory.employee(conn, row.nip)
    form_behaviours = {b["value"]: b for b in (row.form or {}).get("behaviours", [])}
    yearly = coefficient(emp, plan)
    periodic = (
        [eval_out(r) for r in store.periodic_of_year(conn, row.nip, row.year)]
        if row.period_kind == domain.ANNUAL
        else []
    )
    return {
        **eval_out(row),
        "employee": {
            "name": emp.name if emp else None,
            "position": (emp.position if emp else None) or plan.position,
            **yearly.as_dict(),
            "functional_coefficient": yearly.value,
            "is_unit_head": bool(head_of(uow, row)),
        },
        "plan": {
            "approach": plan.approach,
            "model": plan.model,
            "revision": plan.revision,
            "period_start": plan.period_start.isoformat(),
            "period_end": plan.period_end.isoformat(),
        },
        "results": results,
        "behaviours": [
            {
                "value": b["value"],
                "expectation": b.get("expectation", ""),
                "feedback": form_behaviours.get(b["value"], {}).get("feedback"),
                "continuous_feedback": [f for f in continuous if f["behaviour_value"] == b["value"]],
            }
            for b in plan.behaviours
        ],
        "suggestion": suggestion(uow, row, results).as_dict(),
        "organisational_predicate": store.org_predicate(conn, row.unit_id, row.period_id),
        "pending": _pending(sums),
        "activities": [
            {**a._mapping, "quantity": finite(a.quantity)} for a in store.recent_activities(conn, plan.id, period)
        ],
        "feedback": continuous,
        "periodic": periodic,
        "revisions": store.revision_count(conn, row.id),
        "dialogue_follow_ups": dialogue_store.follow_ups_for(conn, row),
        "self_assessment": self_assessment(conn, row, results) if self_assessment else None,
    }


# -- the lifecycle -----------------------------------------------------------------------------------


def _next(row, action: str) -> str:
    return domain.EVALUATION.next(action, row.status)


def _start(uow, actor, evaluation_id: str, action: str, allowed: Callable, check_version: VersionCheck):
    """The evaluation locked for ``action``: the caller may see it and ``allowed(row)`` (an access check) passes,
    the caller's If-Match holds, and the lifecycle allows the action. (row, the status after it)."""
    row = access.readable(uow, actor, evaluation_id, for_update=True)
    allowed(row)
    if check_version:
        check_version(row.version)
    return row, _next(row, action)


def _changed(uow, evaluation_id: str, values: dict):
    store.update_evaluation(uow.conn, evaluation_id, values)
    return store.load(uow.conn, evaluation_id)


def submit_evaluation(uow, actor, evaluation_id: str, body: dict, *, check_version: VersionCheck = None):
    """Submit the rater's form: open/submitted → submitted; the predicate follows from the matrix; a results
    rating other than the suggestion needs a ``rating_note``. Publishes EvaluationSubmitted."""
    row, status = _start(
        uow,
        actor,
        evaluation_id,
        "submit",
        lambda row: access.require_rater(actor, row, "fill in and submit the form"),
        check_version,
    )
    plan = plan_of(uow, row.plan_id)
    try:
        domain.check_form([r["result_id"] for r in plan.results], body["results"], body["behaviours"])
    except domain.DomainError as exc:
        raise InvalidField(exc.field, exc.message) from None
    from ..realisation_api import require_feedback  # the employee's realisation (realisation_api builds on this)

    require_feedback(uow.conn, row, plan, body["results"])
    form = {"results": body["results"], "behaviours": body["behaviours"]}
    suggested = suggestion(uow, row, _results(uow, plan, row, form, []))
    note = (body.get("rating_note") or "").strip() or None
    if suggested.rating and body["results_rating"] != suggested.rating and not note:
        raise InvalidField(
            "rating_note",
            f"the suggested results rating is {suggested.rating} "
            f"({' '.join(suggested.reasoning)}); "
            f"say why you chose {body['results_rating']}",
        )
    now = uow.now()
    values = dict(
        status=status,
        form=form,
        results_rating=body["results_rating"],
        behaviour_rating=body["behaviour_rating"],
        predicate=domain.predicate_for(body["results_rating"], body["behaviour_rating"]),
        suggested_rating=suggested.rating,
        rating_note=note,
        submitted_at=now,
        version=row.version + 1,
        updated_at=now,
    )
    updated = _changed(uow, evaluation_id, values)
    uow.audit(
        actor=actor,
        action="evaluation.submit",
        entity_type="evaluation",
        entity_id=evaluation_id,
        before={
            "status": row.status,
            "results_rating": row.results_rating,
            "behaviour_rating": row.behaviour_rating,
            "predicate": row.predicate,
        },
        after={
            k: values[k]
            for k in ("status", "results_rating", "behaviour_rating", "predicate", "suggested_rating", "rating_note")
        },
        reason=note,
    )
    uow.publish(events.evaluation_submitted(updated))
    return updated


def close_evaluation(uow, actor, evaluation_id: str, *, check_version: VersionCheck = None):
    """Close a submitted evaluation (the rater), with its credit points (functionals); an annual one records the
    PAK. Publishes EvaluationClosed."""
    row, status = _start(
        uow,
        actor,
        evaluation_id,
        "close",
        lambda row: access.require_rater(actor, row, "close the evaluation"),
        check_version,
    )
    plan = plan_of(uow, row.plan_id)
    emp = directory.employee(uow.conn, row.nip)
    yearly = coefficient(emp, plan)
    credit = domain.credit_points(
        row.predicate, yearly.value, domain.months_evaluated(period_of(row), plan.period_start, plan.period_end)
    )
    now = uow.now()
    updated = _changed(
        uow,
        evaluation_id,
        dict(
            status=status,
            credit_points=credit,
            closed_at=now,
            closed_by=actor.sub,
            version=row.version + 1,
            updated_at=now,
        ),
    )
    uow.audit(
        actor=actor,
        action="evaluation.close",
        entity_type="evaluation",
        entity_id=evaluation_id,
        before={"status": row.status},
        after={"status": status, "predicate": row.predicate, "credit_points": credit, **yearly.as_dict()},
    )
    if row.period_kind == domain.ANNUAL and yearly.value is not None:
        credit_points.record_credit_assessment(uow, actor, updated, emp, yearly, head_of=head_of(uow, updated))
    uow.publish(events.evaluation_closed(updated))
    return updated


def reopen_evaluation(uow, actor, evaluation_id: str, reason: str, *, check_version: VersionCheck = None):
    """Reopen a closed evaluation (admin), with the reason: the closed state is kept as a revision, the
    evaluation becomes revision n+1 and open again. Publishes EvaluationReopened."""
    row, status = _start(uow, actor, evaluation_id, "reopen", lambda row: access.require_reopener(actor), check_version)
    now = uow.now()
    snapshot = jsonable(eval_out(row))
    store.add_revision(
        uow.conn,
        dict(
            evaluation_id=evaluation_id,
            revision=row.revision,
            snapshot=snapshot,
            superseded_at=now,
            superseded_by=actor.sub,
            reason=reason,
        ),
    )
    updated = _changed(
        uow,
        evaluation_id,
        dict(
            status=status,
            revision=row.revision + 1,
            version=row.version + 1,
            predicate=None,
            credit_points=None,
            submitted_at=None,
            closed_at=None,
            closed_by=None,
            reopen_reason=reason,
            updated_at=now,
        ),
    )
    uow.audit(
        actor=actor,
        action="evaluation.reopen",
        entity_type="evaluation",
        entity_id=evaluation_id,
        before=snapshot,
        after={"status": status, "revision": row.revision + 1},
        reason=reason,
    )
    uow.publish(events.evaluation_reopened(updated, reason, actor.sub))
    return updated
