"""Periods: the year's scheme (monthly or quarterly), the periods list, and opening a period's evaluations —
by an admin (POST .../open), by a plan's approval (the event handlers) and by the period clock (a job)."""

from __future__ import annotations

import logging
import uuid

from kinerja_shared.errors import Conflict, InvalidField
from kinerja_shared.jobs import PeriodicJob

from .. import access, domain, events
from .. import directory_queries as directory
from .. import periods_store as store
from ..evaluation_views import parse_period

log = logging.getLogger(__name__)
SYSTEM_ACTOR = "evaluation-service"


# -- the year's scheme ---------------------------------------------------------------------------


def scheme_of(uow, year: int, default: str) -> tuple[str, bool]:
    """The year's scheme and whether it is fixed already (without fixing it)."""
    found = store.scheme(uow.conn, year)
    return (found, True) if found else (default, False)


def scheme_for(uow, year: int, default: str, actor: str = SYSTEM_ACTOR) -> str:
    """The year's period scheme; the first use fixes it (from EVALUATION_PERIOD_SCHEME) so a year never mixes
    monthly and quarterly periods."""
    return store.scheme(uow.conn, year) or store.fix_scheme(uow.conn, year, default, actor, uow.now())


def _not_in_scheme(period: domain.Period, scheme: str) -> InvalidField:
    return InvalidField(
        "period_id", f"{period.year} is evaluated in {scheme} periods, so {period.id} is not one of them"
    )


def check_period_in_scheme(uow, period: domain.Period, default: str) -> None:
    """A periodic period must be one of its year's scheme (422 naming ``period_id``)."""
    if period.kind == domain.ANNUAL:
        return
    scheme, _ = scheme_of(uow, period.year, default)
    if period.kind != scheme:
        raise _not_in_scheme(period, scheme)


def list_periods(uow, actor, year: int, *, default_scheme: str, rounding: str) -> dict:
    """The year's periods with the evaluations open/submitted/closed in each (within what the caller sees)."""
    scheme, fixed = scheme_of(uow, year, default_scheme)
    stats = store.period_stats(uow.conn, year, None if actor.is_admin else (actor.sub, access.unit_scope(uow, actor)))
    return {
        "year": year,
        "scheme": scheme,
        "scheme_fixed": fixed,
        "distribution_rounding": rounding,
        "distribution_rounding_text": domain.ROUNDING_TEXT[rounding],
        "periods": [
            {**period.as_dict(), **{s: stats.get(period.id, {}).get(s, 0) for s in domain.STATUSES}}
            for period in domain.periods_of_year(year, scheme)
        ],
    }


def set_scheme(uow, actor, year: int, scheme: str, *, default_scheme: str, rounding: str) -> dict:
    """Fix the year's scheme (admin), possible until the year's first periodic evaluation opens."""
    access.require_period_manager(actor)
    if not 2000 <= year <= 2100:
        raise InvalidField("year", "must be between 2000 and 2100")
    current, fixed = scheme_of(uow, year, default_scheme)
    opened = store.periodic_count(uow.conn, year)
    if opened and current != scheme:
        raise Conflict(
            f"{year} already has {opened} evaluation(s) in {current} periods.",
            title="Scheme is fixed",
            current_status=current,
        )
    store.save_scheme(uow.conn, year, scheme, actor.sub, uow.now())
    uow.audit(
        actor=actor,
        action="period_scheme.set",
        entity_type="year",
        entity_id=str(year),
        before={"scheme": current, "fixed": fixed},
        after={"scheme": scheme},
    )
    return list_periods(uow, actor, year, default_scheme=default_scheme, rounding=rounding)


# -- opening -----------------------------------------------------------------------------------------


def _new_row(plan, period: domain.Period, now) -> dict:
    return dict(
        id=str(uuid.uuid4()),
        nip=plan.nip,
        plan_id=plan.id,
        plan_revision=plan.revision,
        rater_nip=plan.rater_nip,
        rater_superior_nip=plan.rater_superior_nip,
        unit_id=plan.unit_id,
        period_id=period.id,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        year=period.year,
        status=domain.OPEN,
        revision=1,
        version=1,
        form={"results": [], "behaviours": []},
        results_rating=None,
        behaviour_rating=None,
        predicate=None,
        suggested_rating=None,
        rating_note=None,
        credit_points=None,
        reopen_reason=None,
        opened_at=now,
        submitted_at=None,
        closed_at=None,
        closed_by=None,
        updated_at=now,
    )


def open_evaluations(uow, plan_rows, period: domain.Period, actor: str = SYSTEM_ACTOR) -> list:
    """Open ``period``'s evaluation for each plan whose span overlaps it (once per plan and period).

    Attaches the continuous feedback given since the employee's last form (it shows on the next form),
    audits, publishes EvaluationOpened for each one created, and returns the new rows.
    """
    now = uow.now()
    new = store.insert_evaluations(
        uow.conn,
        [_new_row(p, period, now) for p in plan_rows if domain.period_for_plan(period, p.period_start, p.period_end)],
    )
    if not new:
        return []
    if period.kind != domain.ANNUAL:
        store.attach_waiting_feedback(uow.conn, new)
    for row in new:
        uow.audit(
            actor=actor,
            action="evaluation.opened",
            entity_type="evaluation",
            entity_id=row.id,
            after={"nip": row.nip, "plan_id": row.plan_id, "period_id": row.period_id, "status": row.status},
        )
    uow.publish(*[events.evaluation_opened(row) for row in new])
    return new


def open_period_of_plans(
    uow, period: domain.Period, actor: str = SYSTEM_ACTOR, unit_ids: set[str] | None = None
) -> list:
    """Open ``period`` for every approved plan of its year that overlaps it (optionally within some units)."""
    return open_evaluations(uow, store.plans_to_open(uow.conn, period, unit_ids), period, actor)


def open_period(uow, actor, period_id: str, *, unit_id: str | None, default_scheme: str) -> dict:
    """Open a period's evaluations now (admin), optionally only within a unit's subtree; those already open
    are left alone. Publishes EvaluationOpened for each one opened."""
    access.require_period_opener(actor)
    period = parse_period(period_id)
    if period.kind != domain.ANNUAL:
        scheme = scheme_for(uow, period.year, default_scheme, actor=actor.sub)
        if period.kind != scheme:
            raise _not_in_scheme(period, scheme)
    unit_ids = directory.subtree(uow.conn, {unit_id}) if unit_id else None
    opened = open_period_of_plans(uow, period, actor=actor.sub, unit_ids=unit_ids)
    return {"period": period.as_dict(), "opened": len(opened)}


def open_current_period(uow, plan, default_scheme: str) -> list:
    """A newly approved (or amended) plan is evaluated from the period holding today, if its span holds today."""
    today = uow.today()
    if not plan.period_start <= today <= plan.period_end:
        return []
    period = domain.period_containing(today, scheme_for(uow, today.year, default_scheme))
    return open_evaluations(uow, [plan], period)


def open_due(uow, default_scheme: str) -> int:
    """One round of the period clock: open today's periodic period for every plan whose span holds today."""
    today = uow.today()
    period = domain.period_containing(today, scheme_for(uow, today.year, default_scheme))
    return len(open_evaluations(uow, store.plans_due(uow.conn, today, period), period))


def _period_clock_round(rt) -> int:
    with rt.unit_of_work() as uow:
        opened = open_due(uow, rt.settings.period_scheme)
    if opened:
        log.info("period clock opened evaluations", extra={"opened": opened})
    return opened


# The worker's period clock: at start and then every EVALUATION_PERIOD_CLOCK_SECONDS (300 by default).
PERIOD_CLOCK = PeriodicJob("period_clock", _period_clock_round, interval=lambda rt: rt.config.period_clock_seconds)
