"""HTTP API of evaluation-service: /api/v1/evaluations, /api/v1/feedback, /api/v1/unit-performance, /api/v1/periods.

Access is by relation, checked from this service's read models (the directory), never from a
token's role or unit claims: a token proves who the caller is, and the ``admin`` role. The
employee sees their own evaluations and feedback; the rater (and the rater's superior) those of
the people they rate, and only the rater fills in, submits and closes; the head of a unit — the
definitive head (EmployeeUpserted) or an acting head (Plt./Plh., UnitHeadAssigned) whose span
holds today — sees its subtree (by the units' paths) and calibrates; a unit's organisational
predicate is set from above (the head or acting head of the parent unit; for a top-level unit an
admin acting for the PPK), never by its own head; an admin sees all, reopens and overrides.
Who may not see an evaluation gets 404, as if it did not exist.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from flask import request
from flask_smorest import Blueprint
from sqlalchemy import and_, case, func, or_, select, update

from kinerja_shared import audit
from kinerja_shared.acting_heads import in_force
from kinerja_shared.db import upsert, utcnow
from kinerja_shared.numbers import MAX_ENTRY_QUANTITY, finite
from kinerja_shared.outbox import publish
from kinerja_shared.web import downloads
from kinerja_shared.web.app_factory import current_principal, runtime
from kinerja_shared.web.etag import check_if_match, etag_for
from kinerja_shared.web.pagination import decode_cursor, encode_cursor
from kinerja_shared.web.problems import Conflict, Forbidden, NotFound, field_error
from kinerja_shared.web.docs import errors as _errors

from . import action_realisation, dialogue_store, domain, events, handlers
from .realisation_queries import period_measurements
from .config import current_config
from .models import (acting_heads, activities, calibrations, credit_assessments, employees, evaluation_revisions,
                     evaluations, feedback, period_schemes, plans, unit_predicates, units)
from .schemas import (CreditPointsOut, CreditPointsQuery, DashboardOut, DistributionOut, EvaluationDetail, EvaluationOut, EvaluationPage, EvaluationQuery,
                      ExportArgs, ExportOut, FeedbackIn, FeedbackOut, FeedbackPage, FeedbackQuery, FinaliseIn,
                      OpenPeriodIn, OpenPeriodOut, OptionalPeriodArg, PeriodArg, PeriodsOut, PeriodsQuery, ReopenIn,
                      RevisionList, SchemeIn, SubmitIn, UnitPredicateIn, UnitPredicateOut)

evaluations_blp = Blueprint("evaluations", __name__, url_prefix="/api/v1/evaluations",
                            description="Periodic and annual evaluations: the rater's form, submit, close, reopen.")
feedback_blp = Blueprint("feedback", __name__, url_prefix="/api/v1/feedback",
                         description="Continuous feedback (umpan balik berkelanjutan) from the rater.")
units_blp = Blueprint("units", __name__, url_prefix="/api/v1/unit-performance",
                      description="Per unit: organisational predicate, distribution (SE 03/2023), calibration, export, dashboard.")
periods_blp = Blueprint("periods", __name__, url_prefix="/api/v1/periods",
                        description="Evaluation periods: the year's scheme (monthly or quarterly) and opening a period.")



def _settings():
    return runtime().settings


def _snapshot():
    """A read-only connection whose statements all see one snapshot (REPEATABLE READ on PostgreSQL),
    so a view built from several queries is consistent while the consumer commits."""
    conn = runtime().engine.connect()
    if conn.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def _period(period_id: str, field: str = "period_id") -> domain.Period:
    try:
        return domain.parse_period(period_id)
    except domain.DomainError as exc:
        raise field_error(field, exc.message) from None


def _scheme_of(conn, year: int) -> tuple[str, bool]:
    """The year's scheme and whether it is fixed already (without fixing it)."""
    row = conn.execute(select(period_schemes.c.scheme).where(period_schemes.c.year == year)).first()
    return (row.scheme, True) if row else (_settings().period_scheme, False)


def _check_period_in_scheme(conn, period: domain.Period) -> None:
    if period.kind == domain.ANNUAL:
        return
    scheme, _ = _scheme_of(conn, period.year)
    if period.kind != scheme:
        raise field_error("period_id", f"{period.year} is evaluated in {scheme} periods, so {period.id} is not one of them")


# -- access ----------------------------------------------------------------------------------

def _today() -> date:
    return handlers.today_local(_settings())


def _acting_today(today: date):
    """An acting head's assignment that is active and whose span (both ends included) holds ``today``."""
    return in_force(acting_heads, today)


def _headed_roots(conn, p) -> set[str]:
    """Units the caller heads, from the directory only: as the definitive head (EmployeeUpserted.is_unit_head)
    or as an acting head (Plt./Plh., UnitHeadAssigned) on today's local date. A token's unit_head role or
    unit claim never counts (an IdP's roles lag the HR records: a head moved away keeps them for a while)."""
    roots = {r.id for r in conn.execute(select(units.c.id).where(units.c.head_nip == p.sub))}
    roots |= {r.unit_id for r in conn.execute(select(acting_heads.c.unit_id).where(
        acting_heads.c.nip == p.sub, _acting_today(_today())))}
    return roots


def _heads_of(conn, unit_id: str) -> list[dict]:
    """Who heads ``unit_id`` today: its definitive head and its acting heads (Plt./Plh.)."""
    found = []
    unit = conn.execute(select(units.c.head_nip).where(units.c.id == unit_id)).first()
    if unit is not None and unit.head_nip:
        found.append({"nip": unit.head_nip, "kind": "head", "valid_to": None, "decree_number": None})
    for a in conn.execute(select(acting_heads).where(acting_heads.c.unit_id == unit_id, _acting_today(_today()))
                          .order_by(acting_heads.c.valid_from, acting_heads.c.assignment_id)):
        found.append({"nip": a.nip, "kind": a.kind, "valid_to": a.valid_to.isoformat() if a.valid_to else None,
                      "decree_number": a.decree_number})
    return found


PARENT_HEAD, PPK_ADMIN = "parent_head", "ppk_admin"


def _predicate_authority(conn, unit_id: str, p) -> dict:
    """Who may set ``unit_id``'s organisational predicate, and whether the caller may (SE MenPANRB 03/2023:
    it is set from above). A sub-unit's: the head or an acting head of its parent unit. A top-level
    unit's (an OPD): the PPK, through an admin. Never the unit's own head, whose own results rating
    follows from it. ``reason`` says why the caller may not (None when they may)."""
    unit = conn.execute(select(units.c.path).where(units.c.id == unit_id)).first()
    path = list(unit.path or []) if unit is not None else [unit_id]
    parent = path[-2] if len(path) > 1 else None
    own = _heads_of(conn, unit_id)
    if parent is None:
        rule, holders = PPK_ADMIN, []
        allowed, basis = p.is_admin, PPK_ADMIN if p.is_admin else None
        who = "the PPK, through an admin (BKPSDM), as it is a top-level unit (OPD)"
    else:
        rule, holders = PARENT_HEAD, _heads_of(conn, parent)
        mine = [h for h in holders if h["nip"] == p.sub]
        allowed = bool(mine)
        basis = (PARENT_HEAD if any(h["kind"] == "head" for h in mine) else "acting_parent_head") if mine else None
        who = f"the head or acting head of unit {parent}, the unit above it"
    reason = None
    if any(h["nip"] == p.sub for h in own):
        allowed, basis = False, None
        reason = (f"The head of unit {unit_id} may not set its own organisational predicate (it becomes their own "
                  f"results rating); it is set by {who}.")
    elif not allowed:
        reason = f"Only {who} may set the organisational predicate of unit {unit_id}."
    return {"unit_id": unit_id, "rule": rule, "parent_unit_id": parent, "set_by": holders, "may_set": allowed,
            "authority": basis, "reason": reason}


def _subtree(conn, roots: set[str]) -> set[str]:
    if not roots:
        return set()
    found = set(roots)
    for row in conn.execute(select(units.c.id, units.c.path)):
        if roots.intersection(row.path or []):
            found.add(row.id)
    return found


def _unit_scope(conn, p) -> set[str]:
    return _subtree(conn, _headed_roots(conn, p))


def _may_read(conn, row, p) -> bool:
    if p.is_admin or p.sub in (row.nip, row.rater_nip, row.rater_superior_nip):
        return True
    return row.unit_id in _unit_scope(conn, p)


def _require_unit(conn, unit_id: str, what: str) -> None:
    """The head (or acting head) of the unit or of a unit above it, by the directory, or an admin."""
    p = current_principal()
    if not p.is_admin and unit_id not in _unit_scope(conn, p):
        raise Forbidden(f"Only the head of unit {unit_id} (or of a unit above it) or an admin may {what}.")


# -- evaluations: rows and views -------------------------------------------------------------

def _period_of(row) -> domain.Period:
    return domain.Period(row.period_id, row.period_kind, row.period_start, row.period_end)


def _eval_out(row) -> dict:
    out = dict(row._mapping)
    out["credit_points"] = finite(out.get("credit_points"))
    out["period"] = _period_of(row).as_dict()
    for name in ("period_id", "period_kind", "period_start", "period_end", "year"):
        out.pop(name, None)
    return out


def _load(conn, evaluation_id: str, for_update: bool = False):
    query = select(evaluations).where(evaluations.c.id == evaluation_id)
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"evaluation {evaluation_id} does not exist")
    return row


def _readable(conn, evaluation_id: str, for_update: bool = False):
    row = _load(conn, evaluation_id, for_update)
    if not _may_read(conn, row, current_principal()):
        raise NotFound(f"evaluation {evaluation_id} does not exist")
    return row


def _plan(conn, plan_id: str):
    plan = conn.execute(select(plans).where(plans.c.id == plan_id)).first()
    if plan is None:  # cannot happen: evaluations open from the plan read model
        raise Conflict(f"plan {plan_id} of this evaluation is not known here yet", current_status="plan_missing")
    return plan


def _activity_sums(conn, plan_ids: list[str], period: domain.Period):
    """Per (plan, indicator, status): quantity and minutes in the period and from the plan's start to its end."""
    in_period = activities.c.date >= period.start
    # Only quantities within the per-entry bounds are added up: one stored before them (1e308, Infinity, NaN)
    # would overflow the sum; those are counted instead (x_to_date). PostgreSQL orders NaN above every number.
    usable = activities.c.quantity.between(0, MAX_ENTRY_QUANTITY)
    return conn.execute(
        select(activities.c.plan_id, activities.c.indicator_id, activities.c.status,
               func.sum(case((and_(in_period, usable), activities.c.quantity), else_=0.0)).label("q_in"),
               func.sum(case((usable, activities.c.quantity), else_=0.0)).label("q_to_date"),
               func.sum(case((usable, 0), else_=1)).label("x_to_date"),
               func.sum(case((in_period, activities.c.minutes), else_=0)).label("m_in"),
               func.sum(case((in_period, 1), else_=0)).label("n_in"))
        .where(activities.c.plan_id.in_(plan_ids), activities.c.date <= period.end, activities.c.status != "withdrawn")
        .group_by(activities.c.plan_id, activities.c.indicator_id, activities.c.status)
    ).all()


def _results_view(plan, period: domain.Period, sums, form: dict, continuous: list[dict],
                  measurements: dict | None = None) -> list[dict]:
    """The plan's results with their indicators' realisation (by each indicator's aspect and measure), the
    form's entries and the continuous feedback."""
    by_indicator: dict[str, dict] = {}
    for s in sums:
        if s.plan_id != plan.id:
            continue
        entry = by_indicator.setdefault(s.indicator_id, {"q_in": 0.0, "q_to_date": 0.0, "m_in": 0, "pending": 0,
                                                          "excluded": 0, "n_in": 0})
        if s.status == "accepted":
            entry["q_in"] += finite(s.q_in) or 0.0
            entry["q_to_date"] += finite(s.q_to_date) or 0.0
            entry["excluded"] += int(s.x_to_date or 0)
            entry["m_in"] += int(s.m_in or 0)
            entry["n_in"] += int(s.n_in or 0)
        elif s.status == "pending":
            entry["pending"] += int(s.n_in or 0)
    form_results = {r["result_id"]: r for r in (form or {}).get("results", [])}
    measurements = measurements or {}
    out = []
    for result in plan.results:
        indicators, realised = [], []
        for ind in result.get("indicators", []):
            sums_ = by_indicator.get(ind["indicator_id"], {"q_in": 0.0, "q_to_date": 0.0, "m_in": 0, "pending": 0,
                                                           "excluded": 0, "n_in": 0})
            facts = domain.IndicatorFacts(
                realised_in_period=sums_["q_in"], realised_to_date=sums_["q_to_date"], verified_in_period=sums_["n_in"],
                pending_in_period=sums_["pending"], quantity_excluded=sums_["excluded"],
                measurements=tuple(measurements.get((plan.id, ind["indicator_id"]), ())))
            r = domain.realise(ind, facts, plan.period_start, plan.period_end, period.end)
            realised.append(r)
            indicators.append({**r.as_dict(), "text": ind.get("text"), "target_unit": ind.get("target_unit"),
                               "minutes_in_period": sums_["m_in"], "pending_in_period": sums_["pending"]})
        overall = domain.result_realisation(realised)
        computed = domain.assessment_from_percent(overall.percent)
        entry = form_results.get(result["result_id"], {})
        out.append({
            "result_id": result["result_id"], "kind": result.get("kind"), "text": result.get("text"),
            "perspective": result.get("perspective"), "indicators": indicators, "percent": overall.percent,
            "level": overall.level, "computed_assessment": computed, "assessment": entry.get("assessment") or computed,
            "form": {"realisation": entry.get("realisation"), "feedback": entry.get("feedback"),
                     "assessment": entry.get("assessment")},
            "continuous_feedback": [f for f in continuous if f["result_id"] == result["result_id"]],
        })
    return out


def _head_of(conn, row) -> str | None:
    """The unit the employee heads, when it is the evaluation's unit."""
    unit = conn.execute(select(units.c.head_nip).where(units.c.id == row.unit_id)).first()
    return row.unit_id if unit is not None and unit.head_nip == row.nip else None


def _org_predicate(conn, unit_id: str, period_id: str) -> str | None:
    found = conn.execute(select(unit_predicates.c.predicate).where(
        unit_predicates.c.unit_id == unit_id, unit_predicates.c.period_id == period_id)).first()
    return found.predicate if found else None


def _suggestion(conn, row, results_view: list[dict]) -> domain.Suggestion:
    assessed = [domain.ResultAssessment(r["result_id"], r["kind"], r["assessment"],
                                        "rater" if r["form"]["assessment"] else "realisation", r["text"], r["level"])
                for r in results_view]
    head_of = _head_of(conn, row)
    org = _org_predicate(conn, row.unit_id, row.period_id) if head_of else None
    qualitative = _plan(conn, row.plan_id).approach == "qualitative"
    return domain.suggest_results_rating(assessed, unit_head_of=head_of, org_predicate=org, qualitative=qualitative)


def _feedback_for(conn, row) -> list[dict]:
    if row.period_kind == domain.ANNUAL:
        where = [feedback.c.nip == row.nip, feedback.c.period_id.like(f"{row.year:04d}-%")]
    else:
        where = [feedback.c.evaluation_id == row.id]
    return [dict(f._mapping) for f in conn.execute(select(feedback).where(*where).order_by(feedback.c.given_at))]


def _detail(conn, row) -> dict:
    plan = _plan(conn, row.plan_id)
    period = _period_of(row)
    sums = _activity_sums(conn, [plan.id], period)
    continuous = _feedback_for(conn, row)
    results = _results_view(plan, period, sums, row.form, continuous, period_measurements(conn, [plan], period))
    action_realisation.attach(conn, plan.id, period, results)
    emp = conn.execute(select(employees).where(employees.c.nip == row.nip)).first()
    form_behaviours = {b["value"]: b for b in (row.form or {}).get("behaviours", [])}
    counts = {"pending": 0, "accepted": 0, "rejected": 0}
    for s in sums:
        if s.status in counts:
            counts[s.status] += int(s.n_in or 0)
    recent = conn.execute(
        select(activities.c.id, activities.c.date, activities.c.result_id, activities.c.indicator_id, activities.c.action_id,
               activities.c.minutes,
               activities.c.quantity, activities.c.status)
        .where(activities.c.plan_id == plan.id, activities.c.date >= period.start, activities.c.date <= period.end,
               activities.c.status != "withdrawn")
        .order_by(activities.c.date.desc(), activities.c.id).limit(200)).all()
    periodic = []
    if row.period_kind == domain.ANNUAL:
        periodic = [_eval_out(r) for r in conn.execute(
            select(evaluations).where(evaluations.c.nip == row.nip, evaluations.c.year == row.year,
                                      evaluations.c.period_kind != domain.ANNUAL).order_by(evaluations.c.period_start))]
    revisions = conn.execute(select(func.count()).select_from(evaluation_revisions)
                             .where(evaluation_revisions.c.evaluation_id == row.id)).scalar_one()
    return {
        **_eval_out(row),
        "employee": {"name": emp.name if emp else None, "position": (emp.position if emp else None) or plan.position,
                     **_coefficient(emp, plan).as_dict(), "functional_coefficient": _coefficient(emp, plan).value,
                     "is_unit_head": bool(_head_of(conn, row))},
        "plan": {"approach": plan.approach, "model": plan.model, "revision": plan.revision,
                 "period_start": plan.period_start.isoformat(), "period_end": plan.period_end.isoformat()},
        "results": results,
        "behaviours": [{"value": b["value"], "expectation": b.get("expectation", ""),
                        "feedback": form_behaviours.get(b["value"], {}).get("feedback"),
                        "continuous_feedback": [f for f in continuous if f["behaviour_value"] == b["value"]]}
                       for b in plan.behaviours],
        "suggestion": _suggestion(conn, row, results).as_dict(),
        "organisational_predicate": _org_predicate(conn, row.unit_id, row.period_id),
        "pending": {"activities_pending": counts["pending"], "activities_accepted": counts["accepted"],
                    "activities_rejected": counts["rejected"], "activities_total": sum(counts.values())},
        "activities": [{**a._mapping, "quantity": finite(a.quantity)} for a in recent],
        "feedback": continuous,
        "periodic": periodic,
        "revisions": revisions,
        "dialogue_follow_ups": dialogue_store.follow_ups_for(conn, row),
        "self_assessment": realisation_api.for_form(conn, row, results),   # and each result's "employee"
    }


from . import realisation_api  # noqa: E402  (the employee's realisation beside the form; it builds on this module)


def _coefficient(emp, plan=None) -> domain.Coefficient:
    """The employee's yearly coefficient: from their functional level (the directory's jenjang); only without a
    level the legacy typed-in coefficient (the directory's, else the plan's); none when absent or outside the bounds."""
    legacy = emp.functional_coefficient if emp is not None and emp.functional_coefficient is not None else (
        plan.functional_coefficient if plan is not None else None)
    return domain.yearly_coefficient(emp.functional_level if emp is not None else None, legacy)


# -- evaluations: endpoints ------------------------------------------------------------------

@evaluations_blp.route("")
@evaluations_blp.arguments(EvaluationQuery, location="query")
@evaluations_blp.response(200, EvaluationPage)
@_errors(evaluations_blp, (400, "Bad cursor"), (422, "Bad filter"))
def list_evaluations(args):
    """List the evaluations the caller may see, newest first.

    Filters: ``nip``, ``rater_nip``, ``unit_id`` (the unit and its sub-units), ``period_id``,
    ``status``, ``year``. Pages with ``limit`` and ``cursor`` (``next_cursor`` of the previous page).
    """
    p = current_principal()
    query = select(evaluations).order_by(evaluations.c.opened_at.desc(), evaluations.c.id.desc())
    for name in ("nip", "rater_nip", "period_id", "status", "year"):
        if args.get(name) is not None:
            query = query.where(evaluations.c[name] == args[name])
    with runtime().engine.connect() as conn:
        if args.get("unit_id"):
            query = query.where(evaluations.c.unit_id.in_(_subtree(conn, {args["unit_id"]})))
        if not p.is_admin:
            scope = [evaluations.c.nip == p.sub, evaluations.c.rater_nip == p.sub,
                     evaluations.c.rater_superior_nip == p.sub]
            unit_scope = _unit_scope(conn, p)
            if unit_scope:
                scope.append(evaluations.c.unit_id.in_(unit_scope))
            query = query.where(or_(*scope))
        if args.get("cursor"):
            opened, last_id = _time_cursor(args["cursor"])
            query = query.where(or_(evaluations.c.opened_at < opened,
                                    (evaluations.c.opened_at == opened) & (evaluations.c.id < last_id)))
        rows = conn.execute(query.limit(args["limit"] + 1)).all()
    more = len(rows) > args["limit"]
    rows = rows[: args["limit"]]
    cursor = encode_cursor(f"{rows[-1].opened_at.isoformat()}|{rows[-1].id}") if more else None
    return {"items": [_eval_out(r) for r in rows], "next_cursor": cursor}


def _time_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        stamp, _, last_id = decode_cursor(cursor).partition("|")
        return datetime.fromisoformat(stamp), last_id
    except Exception:
        raise field_error("cursor", "is not one this service gave out", status=400) from None


@evaluations_blp.route("/<evaluation_id>")
@evaluations_blp.response(200, EvaluationDetail)
@_errors(evaluations_blp, (404, "No such evaluation"))
def get_evaluation(evaluation_id):
    """Read one evaluation form: the plan's results with realisation from verified activities
    (% of target and of what was expected by the period's end), the pending verifications,
    the period's activities, the continuous feedback given since the last form, the
    results-rating suggestion with its reasoning, and for an annual evaluation the year's
    periodic ones. Sends an ETag for If-Match on submit, close and reopen."""
    with _snapshot() as conn:
        row = _readable(conn, evaluation_id)
        body = _detail(conn, row)
    return body, 200, {"ETag": etag_for(evaluation_id, row.version)}


def _transition(conn, row, action: str) -> str:
    try:
        return domain.next_status(action, row.status)
    except domain.TransitionError as exc:
        raise Conflict(str(exc), title="Status does not allow this", current_status=row.status) from None


def _rater_only(row, p, what: str) -> None:
    if p.sub != row.rater_nip:
        raise Forbidden(f"Only the evaluation's rater (pejabat penilai) may {what}.")


@evaluations_blp.route("/<evaluation_id>/submit", methods=["POST"])
@evaluations_blp.arguments(SubmitIn)
@evaluations_blp.response(200, EvaluationOut)
@_errors(evaluations_blp, (404, "No such evaluation"), (409, "Status does not allow submitting"),
         (412, "Stale If-Match"), (422, "Invalid form, or a rating that differs from the suggestion without a note"))
def submit_evaluation(body, evaluation_id):
    """Submit the form (the rater): per result the realisation and feedback based on evidence
    (and optionally the rater's assessment of it), feedback per BerAKHLAK value, and the two
    ratings. The predicate follows from the matrix and cannot be sent. A results rating other
    than the service's suggestion needs a ``rating_note``. open/submitted → submitted;
    publishes EvaluationSubmitted."""
    p = current_principal()
    now = utcnow()
    with runtime().engine.begin() as conn:
        row = _readable(conn, evaluation_id, for_update=True)
        _rater_only(row, p, "fill in and submit the form")
        check_if_match(evaluation_id, row.version)
        status = _transition(conn, row, "submit")
        plan = _plan(conn, row.plan_id)
        try:
            domain.check_form([r["result_id"] for r in plan.results], body["results"], body["behaviours"])
        except domain.DomainError as exc:
            raise field_error(exc.field, exc.message) from None
        realisation_api.require_feedback(conn, row, plan, body["results"])
        form = {"results": body["results"], "behaviours": body["behaviours"]}
        period = _period_of(row)
        results = _results_view(plan, period, _activity_sums(conn, [plan.id], period), form, [],
                                period_measurements(conn, [plan], period))
        suggestion = _suggestion(conn, row, results)
        note = (body.get("rating_note") or "").strip() or None
        if suggestion.rating and body["results_rating"] != suggestion.rating and not note:
            raise field_error("rating_note", f"the suggested results rating is {suggestion.rating} "
                                             f"({' '.join(suggestion.reasoning)}); say why you chose {body['results_rating']}")
        predicate = domain.predicate_for(body["results_rating"], body["behaviour_rating"])
        values = dict(status=status, form=form, results_rating=body["results_rating"],
                      behaviour_rating=body["behaviour_rating"], predicate=predicate, suggested_rating=suggestion.rating,
                      rating_note=note, submitted_at=now, version=row.version + 1, updated_at=now)
        conn.execute(update(evaluations).where(evaluations.c.id == evaluation_id).values(**values))
        audit.record(conn, actor=p, action="evaluation.submit", entity_type="evaluation", entity_id=evaluation_id,
                     before={"status": row.status, "results_rating": row.results_rating,
                             "behaviour_rating": row.behaviour_rating, "predicate": row.predicate},
                     after={k: values[k] for k in ("status", "results_rating", "behaviour_rating", "predicate",
                                                   "suggested_rating", "rating_note")}, reason=note)
        updated = _load(conn, evaluation_id)
        publish(conn, events.evaluation_submitted(updated))
    return _eval_out(updated), 200, {"ETag": etag_for(evaluation_id, updated.version)}


@evaluations_blp.route("/<evaluation_id>/close", methods=["POST"])
@evaluations_blp.response(200, EvaluationOut)
@_errors(evaluations_blp, (404, "No such evaluation"), (409, "Status does not allow closing"), (412, "Stale If-Match"))
def close_evaluation(evaluation_id):
    """Close a submitted evaluation (the rater): it is fixed from now on. Computes the credit
    points for functionals (predicate share × yearly coefficient × months/12) and publishes
    EvaluationClosed with the employee, unit, rater, period, both ratings and the predicate."""
    p = current_principal()
    now = utcnow()
    with runtime().engine.begin() as conn:
        row = _readable(conn, evaluation_id, for_update=True)
        _rater_only(row, p, "close the evaluation")
        check_if_match(evaluation_id, row.version)
        status = _transition(conn, row, "close")
        plan = _plan(conn, row.plan_id)
        emp = conn.execute(select(employees).where(employees.c.nip == row.nip)).first()
        months = domain.months_evaluated(_period_of(row), plan.period_start, plan.period_end)
        coefficient = _coefficient(emp, plan)
        credit = domain.credit_points(row.predicate, coefficient.value, months)
        values = dict(status=status, credit_points=credit, closed_at=now, closed_by=p.sub, version=row.version + 1,
                      updated_at=now)
        conn.execute(update(evaluations).where(evaluations.c.id == evaluation_id).values(**values))
        audit.record(conn, actor=p, action="evaluation.close", entity_type="evaluation", entity_id=evaluation_id,
                     before={"status": row.status}, after={"status": status, "predicate": row.predicate,
                                                           "credit_points": credit, **coefficient.as_dict()})
        updated = _load(conn, evaluation_id)
        if row.period_kind == domain.ANNUAL and coefficient.value is not None:
            _record_credit_assessment(conn, updated, emp, coefficient, p)
        publish(conn, events.evaluation_closed(updated))
    return _eval_out(updated), 200, {"ETag": etag_for(evaluation_id, updated.version)}


@evaluations_blp.route("/<evaluation_id>/reopen", methods=["POST"])
@evaluations_blp.arguments(ReopenIn)
@evaluations_blp.response(200, EvaluationOut)
@_errors(evaluations_blp, (404, "No such evaluation"), (409, "Only a closed evaluation can be reopened"),
         (412, "Stale If-Match"), (422, "Reason missing"))
def reopen_evaluation(body, evaluation_id):
    """Reopen a closed evaluation (admin), with the reason: the closed state is kept as a
    revision (GET .../revisions), the evaluation becomes revision n+1 and open again with its
    form as it was, for the rater to correct and submit. Publishes EvaluationReopened."""
    p = current_principal()
    now = utcnow()
    with runtime().engine.begin() as conn:
        row = _readable(conn, evaluation_id, for_update=True)
        if not p.is_admin:
            raise Forbidden("Only an admin (BKPSDM) may reopen a closed evaluation.")
        check_if_match(evaluation_id, row.version)
        status = _transition(conn, row, "reopen")
        snapshot = _eval_out(row)
        conn.execute(evaluation_revisions.insert().values(
            evaluation_id=evaluation_id, revision=row.revision, snapshot=_jsonable(snapshot), superseded_at=now,
            superseded_by=p.sub, reason=body["reason"]))
        values = dict(status=status, revision=row.revision + 1, version=row.version + 1, predicate=None,
                      credit_points=None, submitted_at=None, closed_at=None, closed_by=None,
                      reopen_reason=body["reason"], updated_at=now)
        conn.execute(update(evaluations).where(evaluations.c.id == evaluation_id).values(**values))
        audit.record(conn, actor=p, action="evaluation.reopen", entity_type="evaluation", entity_id=evaluation_id,
                     before=_jsonable(snapshot), after={"status": status, "revision": row.revision + 1},
                     reason=body["reason"])
        updated = _load(conn, evaluation_id)
        publish(conn, events.evaluation_reopened(updated, body["reason"], p.sub))
    return _eval_out(updated), 200, {"ETag": etag_for(evaluation_id, updated.version)}


@evaluations_blp.route("/<evaluation_id>/revisions")
@evaluations_blp.response(200, RevisionList)
@_errors(evaluations_blp, (404, "No such evaluation"))
def list_revisions(evaluation_id):
    """The earlier, superseded revisions of an evaluation, oldest first, each with who reopened it and why."""
    with runtime().engine.connect() as conn:
        _readable(conn, evaluation_id)
        rows = conn.execute(select(evaluation_revisions).where(evaluation_revisions.c.evaluation_id == evaluation_id)
                            .order_by(evaluation_revisions.c.revision)).all()
    return {"items": [dict(r._mapping) for r in rows]}


def _jsonable(value):
    import json

    return json.loads(json.dumps(value, default=str))


# -- credit points (angka kredit) and the PAK record ------------------------------------------------

CREDIT_RULE = "share of the predicate × yearly coefficient of the level × months / 12, rounded half up to two decimals"


def _may_read_employee(conn, nip: str, emp, p) -> bool:
    """The employee, their rater or rater's superior, the head (or acting head) of their unit or a unit above, an admin."""
    if p.is_admin or p.sub == nip:
        return True
    if emp is not None and p.sub in (emp.rater_nip, emp.rater_superior_nip):
        return True
    rated = conn.execute(select(evaluations.c.id).where(
        evaluations.c.nip == nip, or_(evaluations.c.rater_nip == p.sub, evaluations.c.rater_superior_nip == p.sub))
        .limit(1)).first()
    if rated is not None:
        return True
    scope = _unit_scope(conn, p)
    if not scope:
        return False
    if emp is not None and emp.unit_id in scope:
        return True
    return conn.execute(select(evaluations.c.id).where(evaluations.c.nip == nip, evaluations.c.unit_id.in_(scope))
                        .limit(1)).first() is not None


def _coefficient_note(nip: str, coefficient: domain.Coefficient) -> str | None:
    if coefficient.source == domain.FROM_LEGACY_COEFFICIENT:
        return (f"No functional level (jenjang) is known for {nip}: the credit points use the old typed-in "
                f"coefficient {coefficient.value:g} until the directory gives the level.")
    if coefficient.source is None:
        return f"{nip} has no functional level (jenjang) in the directory: no credit points."
    return None


def _credit_figures(conn, nip: str, year: int, emp) -> dict:
    """The year's evaluations of ``nip`` with their credit points, the total of the closed periodic ones and the annual one."""
    rows = conn.execute(
        select(evaluations, plans.c.period_start.label("plan_start"), plans.c.period_end.label("plan_end"),
               plans.c.functional_coefficient.label("plan_coefficient"))
        .select_from(evaluations.outerjoin(plans, plans.c.id == evaluations.c.plan_id))
        .where(evaluations.c.nip == nip, evaluations.c.year == year)
        .order_by(evaluations.c.period_start, evaluations.c.period_end, evaluations.c.id)).all()
    legacy = next((r.plan_coefficient for r in rows if r.plan_coefficient is not None), None)
    coefficient = domain.yearly_coefficient(emp.functional_level if emp is not None else None,
                                            emp.functional_coefficient if emp is not None and emp.functional_coefficient
                                            is not None else legacy)
    periods, annual = [], None
    for r in rows:
        closed = r.status == domain.CLOSED
        item = {"evaluation_id": r.id, "period": _period_of(r).as_dict(), "status": r.status, "revision": r.revision,
                "predicate": r.predicate, "predicate_name": domain.PREDICATE_NAMES_ID.get(r.predicate),
                "share_percent": int(domain.CREDIT_SHARE[r.predicate] * 100) if r.predicate in domain.CREDIT_SHARE else None,
                "months": domain.months_evaluated(_period_of(r), r.plan_start, r.plan_end) if r.plan_start else None,
                "credit_points": finite(r.credit_points) if closed else None}
        if r.period_kind == domain.ANNUAL:
            annual = item
        else:
            periods.append(item)
    total = domain.credit_total(p["credit_points"] for p in periods if p["status"] == domain.CLOSED)
    return {"coefficient": coefficient, "periods": periods, "annual": annual,
            "total": total if coefficient.value is not None else None}


def _record_credit_assessment(conn, annual, emp, coefficient: domain.Coefficient, p) -> None:
    """The PAK record of the annual evaluation's employee and year, written when it closes (a reopened and
    closed again one replaces it): the year's figures, the predicate's basis and who set it."""
    figures = _credit_figures(conn, annual.nip, annual.year, emp)
    org = _org_predicate(conn, annual.unit_id, annual.period_id) if _head_of(conn, annual) else None
    values = dict(
        nip=annual.nip, year=annual.year, evaluation_id=annual.id, revision=annual.revision,
        functional_level=coefficient.level, coefficient=coefficient.value, coefficient_source=coefficient.source,
        periods=_jsonable([x for x in figures["periods"] if x["status"] == domain.CLOSED]),
        periodic_total=figures["total"], annual_predicate=annual.predicate, annual_credit_points=finite(annual.credit_points),
        basis=_jsonable({"evaluation_id": annual.id, "revision": annual.revision, "results_rating": annual.results_rating,
                         "behaviour_rating": annual.behaviour_rating, "predicate": annual.predicate,
                         "predicate_name": domain.PREDICATE_NAMES_ID.get(annual.predicate), "rater_nip": annual.rater_nip,
                         "closed_by": annual.closed_by, "closed_at": annual.closed_at,
                         "organisational_predicate": org, "rule": CREDIT_RULE}),
        set_by=p.sub, set_at=utcnow())
    before = conn.execute(select(credit_assessments).where(credit_assessments.c.nip == annual.nip,
                                                           credit_assessments.c.year == annual.year)).first()
    upsert(conn, credit_assessments, values, ["nip", "year"])
    audit.record(conn, actor=p, action="credit_assessment.recorded", entity_type="credit_assessment",
                 entity_id=f"{annual.nip}-{annual.year}", before=_jsonable(dict(before._mapping)) if before else None,
                 after=_jsonable(values))


@evaluations_blp.route("/credit-points")
@evaluations_blp.arguments(CreditPointsQuery, location="query")
@evaluations_blp.response(200, CreditPointsOut)
@_errors(evaluations_blp, (403, "Not the employee, their rater, a head above them or an admin"),
         (404, "No such employee"), (422, "Bad NIP or year"))
def credit_points(args):
    """An employee's credit points (angka kredit) of a year: each periodic evaluation with its predicate,
    months and figure (closed ones), their total, the annual evaluation, and the PAK record (penetapan
    angka kredit) written when the annual evaluation closed (null before).

    The yearly coefficient comes from the employee's functional level (jenjang) in the directory
    (kinerja_shared.functional_levels: Ahli Pertama 12.5 ... Ahli Utama 50, Pemula 3.75 ... Penyelia 25);
    only without a level the old typed-in coefficient counts, and ``coefficient_note`` says so.
    Each figure = share (Sangat Baik 150 %, Baik 100 %, Butuh Perbaikan 75 %, Kurang 50 %, Sangat
    Kurang 25 %) × coefficient × months / 12, rounded half up to two decimals (2 months at Baik for an
    Ahli Pertama = 2.08); the total adds the closed periods' figures. The employee, their rater (or
    rater's superior), the head or acting head of their unit or a unit above, and admins may read it."""
    p = current_principal()
    nip, year = args["nip"], args["year"]
    with _snapshot() as conn:
        emp = conn.execute(select(employees).where(employees.c.nip == nip)).first()
        if not _may_read_employee(conn, nip, emp, p):
            raise Forbidden(f"Only {nip}, their rater, the head of their unit (or of a unit above it) or an admin may "
                            "read their credit points.")
        body = credit_body(conn, nip, year, emp)
        if emp is None and not body["periods"] and body["annual"] is None:
            raise NotFound(f"employee {nip} is not known here")
    return body


def credit_body(conn, nip: str, year: int, emp) -> dict:
    """The credit-points answer of ``nip`` and ``year`` with the PAK record (the endpoint's and the PAK document's)."""
    figures = _credit_figures(conn, nip, year, emp)
    pak = conn.execute(select(credit_assessments).where(credit_assessments.c.nip == nip,
                                                        credit_assessments.c.year == year)).first()
    coefficient = figures["coefficient"]
    return {"nip": nip, "year": year, "name": emp.name if emp else None, **coefficient.as_dict(),
            "coefficient_note": _coefficient_note(nip, coefficient), "rule": CREDIT_RULE,
            "periods": figures["periods"], "total": figures["total"], "annual": figures["annual"],
            "assessment": {**dict(pak._mapping), "coefficient": finite(pak.coefficient),
                           "periodic_total": finite(pak.periodic_total),
                           "annual_credit_points": finite(pak.annual_credit_points)} if pak else None}


# -- continuous feedback ---------------------------------------------------------------------

@feedback_blp.route("", methods=["POST"])
@feedback_blp.arguments(FeedbackIn)
@feedback_blp.response(201, FeedbackOut)
@_errors(feedback_blp, (422, "Invalid feedback, unknown result"))
def give_feedback(body):
    """Give continuous feedback (the employee's rater), on a result, on a BerAKHLAK value, or in
    general. It shows on the employee's next evaluation form (the earliest one not closed yet,
    else the next one to open). Publishes FeedbackGiven."""
    p = current_principal()
    settings = _settings()
    nip = body["nip"]
    if body["result_id"] and body["behaviour_value"]:
        raise field_error("behaviour_value", "give feedback on one result or one behaviour value, not both")
    with runtime().engine.begin() as conn:
        emp = conn.execute(select(employees).where(employees.c.nip == nip)).first()
        own_plans = conn.execute(select(plans).where(plans.c.nip == nip).order_by(plans.c.period_end.desc())).all()
        if not ((emp is not None and emp.rater_nip == p.sub) or any(pl.rater_nip == p.sub for pl in own_plans)):
            raise Forbidden(f"Only the rater of {nip} may give them continuous feedback.")
        today = handlers.today_local(settings)
        plan_id = None
        if body["result_id"]:
            holder = [pl for pl in own_plans if any(r["result_id"] == body["result_id"] for r in pl.results)]
            if not holder:
                raise field_error("result_id", f"{body['result_id']!r} is not a result of a plan of {nip}")
            plan_id = holder[0].id
        else:
            current = [pl for pl in own_plans if pl.period_start <= today <= pl.period_end] or own_plans
            plan_id = current[0].id if current else None
        scheme, _ = _scheme_of(conn, today.year)
        target = conn.execute(select(evaluations.c.id).where(
            evaluations.c.nip == nip, evaluations.c.status != domain.CLOSED, evaluations.c.period_kind != domain.ANNUAL)
            .order_by(evaluations.c.period_start).limit(1)).first()
        row = dict(id=str(uuid.uuid4()), nip=nip, rater_nip=p.sub, plan_id=plan_id,
                   period_id=domain.period_containing(today, scheme).id, evaluation_id=target.id if target else None,
                   result_id=body["result_id"], behaviour_value=body["behaviour_value"], text=body["text"],
                   given_at=utcnow())
        conn.execute(feedback.insert().values(**row))
        audit.record(conn, actor=p, action="feedback.given", entity_type="feedback", entity_id=row["id"], after=row)
        created = conn.execute(select(feedback).where(feedback.c.id == row["id"])).first()
        publish(conn, events.feedback_given(created))
    return dict(created._mapping), 201, {"Location": f"/api/v1/feedback?nip={nip}"}


@feedback_blp.route("")
@feedback_blp.arguments(FeedbackQuery, location="query")
@feedback_blp.response(200, FeedbackPage)
@_errors(feedback_blp, (400, "Bad cursor"))
def list_feedback(args):
    """List continuous feedback, newest first: the employee sees their own, the rater what they
    gave, the unit head their subtree's, an admin all. Filters ``nip``, ``period_id``, ``evaluation_id``."""
    p = current_principal()
    query = select(feedback).order_by(feedback.c.given_at.desc(), feedback.c.id.desc())
    for name in ("nip", "period_id", "evaluation_id"):
        if args.get(name):
            query = query.where(feedback.c[name] == args[name])
    with runtime().engine.connect() as conn:
        if not p.is_admin:
            scope = [feedback.c.nip == p.sub, feedback.c.rater_nip == p.sub]
            unit_scope = _unit_scope(conn, p)
            if unit_scope:
                scope.append(feedback.c.nip.in_(select(employees.c.nip).where(employees.c.unit_id.in_(unit_scope))))
            query = query.where(or_(*scope))
        if args.get("cursor"):
            given, last_id = _time_cursor(args["cursor"])
            query = query.where(or_(feedback.c.given_at < given, (feedback.c.given_at == given) & (feedback.c.id < last_id)))
        rows = conn.execute(query.limit(args["limit"] + 1)).all()
    more = len(rows) > args["limit"]
    rows = rows[: args["limit"]]
    cursor = encode_cursor(f"{rows[-1].given_at.isoformat()}|{rows[-1].id}") if more else None
    return {"items": [dict(r._mapping) for r in rows], "next_cursor": cursor}


# -- units: organisational predicate, distribution, calibration --------------------------------

def _distribution(conn, unit_id: str, period: domain.Period) -> dict:
    scope = _subtree(conn, {unit_id})
    rows = conn.execute(select(evaluations.c.nip, evaluations.c.predicate).where(
        evaluations.c.period_id == period.id, evaluations.c.unit_id.in_(scope))).all()
    org = _org_predicate(conn, unit_id, period.id)
    rounding = current_config().distribution_rounding
    dist = domain.check_distribution(org, [r.predicate for r in rows if r.predicate], rounding)
    calibration = conn.execute(select(calibrations).where(calibrations.c.unit_id == unit_id,
                                                          calibrations.c.period_id == period.id)).first()
    current = sorted(({"nip": r.nip, "predicate": r.predicate} for r in rows if r.predicate), key=lambda x: x["nip"])
    final = None
    if calibration is not None:
        # stale: an evaluation changed after finalising (an admin reopened and the rater corrected it)
        final = {**dict(calibration._mapping), "stale": calibration.predicates != current}
    return {**dist.as_dict(), "unit_id": unit_id, "period": period.as_dict(),
            "pending": sum(1 for r in rows if not r.predicate), "rounding": domain.ROUNDING_TEXT[rounding],
            "predicate_authority": _predicate_authority(conn, unit_id, current_principal()), "calibration": final,
            "_predicates": current}


@units_blp.route("/<unit_id>/predicates/<period_id>", methods=["PUT"])
@units_blp.arguments(UnitPredicateIn)
@units_blp.response(200, UnitPredicateOut)
@_errors(units_blp, (403, "Not the unit's authority: the head or acting head of the parent unit; for a top-level unit an "
                          "admin for the PPK; never the unit's own head"),
         (409, "The unit's calibration for the period is final"), (422, "Unknown predicate or period, basis missing"))
def set_unit_predicate(body, unit_id, period_id):
    """Record the unit's organisational predicate for a period: ISTIMEWA, BAIK, BUTUH_PERBAIKAN,
    KURANG or SANGAT_KURANG, with its ``basis`` (why; required) and optionally the decision's
    ``document_number``. Set from above (SE MenPANRB 03/2023): for a sub-unit by the head or an
    acting head (Plt./Plh., on today's date) of its parent unit; for a top-level unit (an OPD) by an
    admin acting for the PPK; never by the unit's own head, whose own results rating follows from it
    (403 naming the rule; GET .../distribution shows ``predicate_authority``). It selects the SE 03/2023
    rules the unit's employee predicates must keep. Audited; publishes UnitPredicateSet."""
    p = current_principal()
    period = _period(period_id)
    basis = body["basis"].strip()
    if not basis:
        raise field_error("basis", "must say why the unit has this predicate")
    with runtime().engine.begin() as conn:
        authority = _predicate_authority(conn, unit_id, p)
        if not authority["may_set"]:
            raise Forbidden(authority["reason"], title="Not the unit's predicate authority", rule=authority["rule"],
                            parent_unit_id=authority["parent_unit_id"],
                            set_by=[h["nip"] for h in authority["set_by"]])
        _check_period_in_scheme(conn, period)
        final = conn.execute(select(calibrations.c.finalised_at).where(
            calibrations.c.unit_id == unit_id, calibrations.c.period_id == period.id)).first()
        if final is not None:
            raise Conflict(f"The calibration of unit {unit_id} for {period.id} is final; its predicate cannot change.",
                           title="Calibration is final", current_status="finalised")
        before = conn.execute(select(unit_predicates).where(unit_predicates.c.unit_id == unit_id,
                                                            unit_predicates.c.period_id == period.id)).first()
        row = dict(unit_id=unit_id, period_id=period.id, predicate=body["predicate"], set_by=p.sub, set_at=utcnow(),
                   basis=basis, document_number=(body.get("document_number") or "").strip() or None,
                   authority=authority["authority"])
        upsert(conn, unit_predicates, row, ["unit_id", "period_id"])
        audit.record(conn, actor=p, action="unit_predicate.set", entity_type="unit", entity_id=unit_id,
                     before=_jsonable(dict(before._mapping)) if before else None, after=_jsonable(row), reason=basis)
        stored = conn.execute(select(unit_predicates).where(unit_predicates.c.unit_id == unit_id,
                                                            unit_predicates.c.period_id == period.id)).first()
        publish(conn, events.unit_predicate_set(stored, period.as_dict()))
    return {**row, "period": period.as_dict()}


@units_blp.route("/<unit_id>/distribution")
@units_blp.arguments(PeriodArg, location="query")
@units_blp.response(200, DistributionOut)
@_errors(units_blp, (422, "Bad period"))
def get_distribution(args, unit_id):
    """The distribution of the employee predicates (submitted or closed evaluations) of the unit
    and its sub-units in a period, against the SE 03/2023 rules of the unit's organisational
    predicate: every rule with its numbers, the violated ones listed, and the calibration if final."""
    period = _period(args["period_id"])
    with _snapshot() as conn:
        _require_unit(conn, unit_id, "see its distribution")
        body = _distribution(conn, unit_id, period)
    body.pop("_predicates")
    return body


@units_blp.route("/<unit_id>/calibrations/<period_id>", methods=["POST"])
@units_blp.arguments(FinaliseIn)
@units_blp.response(200, DistributionOut)
@_errors(units_blp, (409, "A rule is violated, evaluations are still open, or no organisational predicate"),
         (422, "Bad period"))
def finalise_calibration(body, unit_id, period_id):
    """Finalise the unit's employee predicates for a period (the unit head or an admin). Refused
    (409, with the violations) while an SE 03/2023 rule is broken, unless an admin overrides with
    ``override_reason``; also refused while evaluations are still open or before the unit's
    organisational predicate is set. Publishes CalibrationFinalised."""
    p = current_principal()
    period = _period(period_id)
    reason = (body.get("override_reason") or "").strip() or None
    with runtime().engine.begin() as conn:
        _require_unit(conn, unit_id, "finalise its calibration")
        if reason and not p.is_admin:
            raise Forbidden("Only an admin may override the distribution rules.")
        dist = _distribution(conn, unit_id, period)
        if dist["organisational_predicate"] is None:
            raise Conflict(f"Set the organisational predicate of unit {unit_id} for {period.id} first.",
                           title="No organisational predicate", current_status="no_predicate")
        if dist["total"] == 0:
            raise Conflict(f"No evaluation of unit {unit_id} has a predicate for {period.id} yet.",
                           title="Nothing to calibrate", current_status="empty")
        if dist["pending"]:
            raise Conflict(f"{dist['pending']} evaluation(s) of unit {unit_id} for {period.id} are still open.",
                           title="Evaluations still open", current_status="pending", pending=dist["pending"])
        if dist["violations"] and not reason:
            raise Conflict("The distribution breaks " + "; ".join(v["message"] for v in dist["violations"])
                           + ". Change predicates, or an admin may override with override_reason.",
                           title="Distribution rule violated", current_status="violated",
                           violations=dist["violations"])
        before = dist["calibration"]
        row = dict(unit_id=unit_id, period_id=period.id, organisational_predicate=dist["organisational_predicate"],
                   distribution={k: v for k, v in dist["counts"].items()}, violations=dist["violations"],
                   predicates=dist["_predicates"], override_reason=reason, finalised_by=p.sub, finalised_at=utcnow())
        upsert(conn, calibrations, row, ["unit_id", "period_id"])
        audit.record(conn, actor=p, action="calibration.finalise", entity_type="unit", entity_id=unit_id,
                     before=_jsonable(before) if before else None,
                     after={"period_id": period.id, "distribution": row["distribution"],
                            "violations": [v["code"] for v in row["violations"]]}, reason=reason)
        stored = conn.execute(select(calibrations).where(calibrations.c.unit_id == unit_id,
                                                         calibrations.c.period_id == period.id)).first()
        publish(conn, events.calibration_finalised(stored, period.as_dict()))
        out = _distribution(conn, unit_id, period)
    out.pop("_predicates")
    return out


# -- units: export -----------------------------------------------------------------------------

EXPORT_COLUMNS = ("nip", "name", "unit_id", "period_id", "period_kind", "period_start", "period_end", "rater_nip",
                  "results_rating", "behaviour_rating", "predicate", "predicate_name", "credit_points", "revision",
                  "closed_at", "calibrated")


@units_blp.route("/<unit_id>/export")
@units_blp.arguments(ExportArgs, location="query")
@units_blp.response(200, ExportOut, content_type="application/json")
@units_blp.doc(responses={200: {"description": "The rows as JSON, or as CSV with format=csv or Accept: text/csv",
                                  "content": {"text/csv": {"schema": {"type": "string"}}}}})
@_errors(units_blp, (422, "Bad period or format"))
def export_predicates(args, unit_id):
    """Export the period's closed evaluations of the unit and its sub-units for payroll (TPP)
    and BKN: NIP, name, both ratings, the predicate, credit points; JSON or CSV."""
    period = _period(args["period_id"])
    fmt = args.get("format") or ("csv" if request.accept_mimetypes.best == "text/csv" else "json")
    with _snapshot() as conn:
        _require_unit(conn, unit_id, "export its predicates")
        scope = _subtree(conn, {unit_id})
        rows = conn.execute(
            select(evaluations, employees.c.name).select_from(
                evaluations.outerjoin(employees, employees.c.nip == evaluations.c.nip))
            .where(evaluations.c.period_id == period.id, evaluations.c.unit_id.in_(scope),
                   evaluations.c.status == domain.CLOSED)
            .order_by(evaluations.c.unit_id, evaluations.c.nip)).all()
        calibration = conn.execute(select(calibrations.c.finalised_at).where(
            calibrations.c.unit_id == unit_id, calibrations.c.period_id == period.id)).first()
        org = _org_predicate(conn, unit_id, period.id)
    items = [{
        "nip": r.nip, "name": r.name, "unit_id": r.unit_id, "period_id": r.period_id, "period_kind": r.period_kind,
        "period_start": r.period_start, "period_end": r.period_end, "rater_nip": r.rater_nip,
        "results_rating": r.results_rating, "behaviour_rating": r.behaviour_rating, "predicate": r.predicate,
        "predicate_name": domain.PREDICATE_NAMES_ID.get(r.predicate), "credit_points": finite(r.credit_points),
        "revision": r.revision, "closed_at": r.closed_at, "calibrated": calibration is not None,
    } for r in rows]
    if fmt == "csv":  # formula-like cells neutralised, the unit id kept inside the header's parameters
        body = downloads.csv_text(EXPORT_COLUMNS, ({k: _csv_value(item[k]) for k in EXPORT_COLUMNS} for item in items))
        return downloads.attachment(body, f"predicates-{unit_id}-{period.id}.csv", "text/csv")
    return {"unit_id": unit_id, "period": period.as_dict(), "organisational_predicate": org,
            "calibrated": calibration is not None, "items": items}


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


# -- units: dashboard --------------------------------------------------------------------------

@units_blp.route("/<unit_id>/dashboard")
@units_blp.arguments(OptionalPeriodArg, location="query")
@units_blp.response(200, DashboardOut)
@_errors(units_blp, (422, "Bad period"))
def unit_dashboard(args, unit_id):
    """The unit head's dashboard over the unit and its sub-units for a period (default: today's):
    share of employees with an approved plan, activity logging compliance (working days with an
    entry against the working days so far, by KINERJA_WORKING_DAYS and KINERJA_HOLIDAYS), evaluations open/submitted/closed, the predicate distribution, and the
    realisation against target per result (aggregates and the results furthest behind).
    Computed from the read models, so it reflects a new event as soon as it is consumed."""
    settings = _settings()
    with _snapshot() as conn:
        _require_unit(conn, unit_id, "see its dashboard")
        today = handlers.today_local(settings)
        if args.get("period_id"):
            period = _period(args["period_id"])
        else:
            period = domain.period_containing(today, _scheme_of(conn, today.year)[0])
        scope = _subtree(conn, {unit_id})
        unit = conn.execute(select(units.c.name).where(units.c.id == unit_id)).first()
        staff = {r.nip for r in conn.execute(select(employees.c.nip).where(employees.c.unit_id.in_(scope),
                                                                           employees.c.active.is_(True)))}
        plan_rows = conn.execute(select(plans).where(plans.c.unit_id.in_(scope), plans.c.year == period.year,
                                                     plans.c.period_start <= period.end,
                                                     plans.c.period_end >= period.start)).all()
        planned = {p.nip for p in plan_rows}
        people = staff | planned
        # activity logging compliance: working days (KINERJA_WORKING_DAYS, KINERJA_HOLIDAYS) with an entry
        working_days = current_config().calendar.working_days(period.start, min(today, period.end))
        working = len(working_days)
        logged = dict(conn.execute(
            select(activities.c.nip, func.count(func.distinct(activities.c.date)))
            .where(activities.c.nip.in_(planned), activities.c.date.in_(working_days),
                   activities.c.status != "withdrawn")
            .group_by(activities.c.nip)).all()) if planned and working_days else {}
        days_logged = sum(logged.values())
        logging = {r.nip for r in conn.execute(
            select(activities.c.nip).where(activities.c.nip.in_(planned), activities.c.date >= period.start,
                                           activities.c.date <= min(today, period.end), activities.c.status != "withdrawn")
            .distinct())} if planned else set()
        # evaluations by status
        by_status = dict(conn.execute(select(evaluations.c.status, func.count()).where(
            evaluations.c.period_id == period.id, evaluations.c.unit_id.in_(scope)).group_by(evaluations.c.status)).all())
        distribution = _distribution(conn, unit_id, period)
        distribution.pop("_predicates")
        # realisation per result
        sums = _activity_sums(conn, [p.id for p in plan_rows], period) if plan_rows else []
        dialogues_held = dialogue_store.held(conn, scope, period.id, people)
        measured = period_measurements(conn, plan_rows, period) if plan_rows else {}
    by_plan: dict[str, list] = {}
    for s in sums:
        by_plan.setdefault(s.plan_id, []).append(s)
    results, percents, expected = [], [], []
    bands = {"above": 0, "meets": 0, "below": 0, "no_data": 0, "unassessed": 0}
    for plan in plan_rows:
        for r in _results_view(plan, period, by_plan.get(plan.id, []), {}, [], measured):
            bands[r["computed_assessment"] or ("no_data" if r["level"] == domain.NO_DATA else "unassessed")] += 1
            targets = [i["percent_of_target"] for i in r["indicators"] if i["percent_of_target"] is not None]
            if targets:
                percents.append(sum(targets) / len(targets))
            if r["percent"] is not None:
                expected.append(r["percent"])
                results.append({"nip": plan.nip, "plan_id": plan.id, "result_id": r["result_id"], "kind": r["kind"],
                                "text": r["text"], "percent_of_expected": r["percent"],
                                "percent_of_target": round(sum(targets) / len(targets), 1) if targets else None})
    results.sort(key=lambda x: (x["percent_of_expected"], x["nip"]))
    return {
        "unit_id": unit_id, "unit_name": unit.name if unit else None, "units": len(scope), "period": period.as_dict(),
        "employees": len(people),
        "plans": {"approved": len(planned), "employees": len(people),
                  "share": round(len(planned) * 100 / len(people), 1) if people else None},
        "activity_compliance": {
            "employees_with_plan": len(planned), "employees_logging": len(logging),
            "working_days": working, "days_logged": days_logged,
            "share": round(days_logged * 100 / (working * len(planned)), 1) if working and planned else None},
        "evaluations": {"open": by_status.get("open", 0), "submitted": by_status.get("submitted", 0),
                        "closed": by_status.get("closed", 0), "total": sum(by_status.values())},
        "predicates": distribution,
        "dialogues": dialogues_held,
        "realisation": {
            "results": sum(bands.values()), "by_assessment": bands,
            "average_percent_of_target": round(sum(percents) / len(percents), 1) if percents else None,
            "average_percent_of_expected": round(sum(expected) / len(expected), 1) if expected else None,
            "pending_verification": sum(int(s.n_in or 0) for s in sums if s.status == "pending"),
            "furthest_behind": results[:20]},
    }


# -- periods -----------------------------------------------------------------------------------

def _periods_view(conn, year: int, p) -> dict:
    scheme, fixed = _scheme_of(conn, year)
    query = select(evaluations.c.period_id, evaluations.c.status, func.count()).where(evaluations.c.year == year)
    if not p.is_admin:
        scope = [evaluations.c.nip == p.sub, evaluations.c.rater_nip == p.sub]
        unit_scope = _unit_scope(conn, p)
        if unit_scope:
            scope.append(evaluations.c.unit_id.in_(unit_scope))
        query = query.where(or_(*scope))
    stats: dict[str, dict] = {}
    for period_id, status, n in conn.execute(query.group_by(evaluations.c.period_id, evaluations.c.status)).all():
        stats.setdefault(period_id, {})[status] = n
    rounding = current_config().distribution_rounding
    return {"year": year, "scheme": scheme, "scheme_fixed": fixed, "distribution_rounding": rounding,
            "distribution_rounding_text": domain.ROUNDING_TEXT[rounding], "periods": [
        {**period.as_dict(), **{s: stats.get(period.id, {}).get(s, 0) for s in domain.STATUSES}}
        for period in domain.periods_of_year(year, scheme)]}


@periods_blp.route("")
@periods_blp.arguments(PeriodsQuery, location="query")
@periods_blp.response(200, PeriodsOut)
@_errors(periods_blp, (422, "Bad year"))
def list_periods(args):
    """The year's periods under its scheme (monthly or quarterly) and the annual one, with the
    number of evaluations open, submitted and closed in each (within what the caller may see), and
    the deployment's distribution rounding policy (EVALUATION_DISTRIBUTION_ROUNDING) for everyone's help screens."""
    with runtime().engine.connect() as conn:
        return _periods_view(conn, args["year"], current_principal())


@periods_blp.route("/schemes/<int:year>", methods=["PUT"])
@periods_blp.arguments(SchemeIn)
@periods_blp.response(200, PeriodsOut)
@_errors(periods_blp, (409, "The year already has evaluations under the other scheme"), (422, "Bad scheme or year"))
def set_scheme(body, year):
    """Fix the year's period scheme (admin): monthly or quarterly. Possible until the year's
    first periodic evaluation opens; the default is EVALUATION_PERIOD_SCHEME."""
    p = current_principal()
    if not p.is_admin:
        raise Forbidden("Only an admin (BKPSDM) may manage periods.")
    if not 2000 <= year <= 2100:
        raise field_error("year", "must be between 2000 and 2100")
    with runtime().engine.begin() as conn:
        current, fixed = _scheme_of(conn, year)
        opened = conn.execute(select(func.count()).select_from(evaluations).where(
            evaluations.c.year == year, evaluations.c.period_kind != domain.ANNUAL)).scalar_one()
        if opened and current != body["scheme"]:
            raise Conflict(f"{year} already has {opened} evaluation(s) in {current} periods.",
                           title="Scheme is fixed", current_status=current)
        upsert(conn, period_schemes, {"year": year, "scheme": body["scheme"], "set_by": p.sub, "set_at": utcnow()},
               ["year"])
        audit.record(conn, actor=p, action="period_scheme.set", entity_type="year", entity_id=str(year),
                     before={"scheme": current, "fixed": fixed}, after={"scheme": body["scheme"]})
        return _periods_view(conn, year, p)


@periods_blp.route("/<period_id>/open", methods=["POST"])
@periods_blp.arguments(OpenPeriodIn)
@periods_blp.response(200, OpenPeriodOut)
@_errors(periods_blp, (422, "Bad period"))
def open_period(body, period_id):
    """Open a period's evaluations now (admin) for every approved plan overlapping it, optionally
    only within a unit's subtree; those already open are left alone. The period clock does this
    by itself for each new periodic period; use this for the annual evaluation (``2026-Y``) or to
    catch up. Publishes EvaluationOpened for each one opened."""
    p = current_principal()
    if not p.is_admin:
        raise Forbidden("Only an admin (BKPSDM) may open periods.")
    period = _period(period_id)
    with runtime().engine.begin() as conn:
        if period.kind != domain.ANNUAL:
            scheme = handlers.scheme_for(conn, period.year, _settings().period_scheme, actor=p.sub)
            if period.kind != scheme:
                raise field_error("period_id", f"{period.year} is evaluated in {scheme} periods, so {period.id} is not one of them")
        unit_ids = _subtree(conn, {body["unit_id"]}) if body.get("unit_id") else None
        opened = handlers.open_period(conn, period, actor=p.sub, unit_ids=unit_ids)
    return {"period": period.as_dict(), "opened": len(opened)}
