"""Events evaluation-service consumes, one handler each, and the opening of evaluations.

Every handler runs inside the consumer's transaction (with the inbox row that makes it
idempotent) and may publish through the outbox in the same transaction.

- ``PlanApproved`` / ``PlanAmended`` → the plan read model (results, indicators, rater, unit),
  then the evaluation of the period that holds today's local date opens, if the plan's span
  holds it (``EvaluationOpened``); at most one evaluation per plan and period.
- ``EmployeeUpserted`` → the employee and unit read models (rater, unit path, unit head,
  functional level, the legacy functional coefficient).
- ``ActionPlanAgreed`` → the agreed action plans (rencana aksi) of each plan: the highest version wins.
- ``UnitHeadAssigned`` → the acting heads (Plt./Plh.) read model: the latest version of each
  assignment wins, so a late or repeated copy changes nothing.
- ``ActivityLogged`` / ``Updated`` / ``Withdrawn`` / ``Verified`` / ``Corrected`` / ``Annulled`` → one
  activity fact per activity (date, indicator, minutes, quantity, status; an annulled one is kept as
  withdrawn): the realisation of evaluations.

The period clock (``period_clock``, a worker background job) opens each new period's
evaluations for every approved plan whose span holds today.
"""
from __future__ import annotations

import logging
import threading
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select, update
from sqlalchemy.engine import Connection, Engine

from kinerja_shared import acting_heads as shared_acting_heads
from kinerja_shared import audit
from kinerja_shared.config import Settings
from kinerja_shared.context import current_correlation_id
from kinerja_shared.consumer import current_scope
from kinerja_shared.db import AUDIT_LOG, insert_ignore, insert_ignore_statement, is_postgres, upsert, utcnow
from kinerja_shared.events import Event
from kinerja_shared.outbox import publish

from . import domain, events
from kinerja_shared.agreed_actions import on_action_plan_agreed

from .models import (acting_heads, action_sets, activities, agreed_actions, employees, evaluations, feedback, period_schemes,
                     plans, units)

log = logging.getLogger(__name__)
SERVICE = "evaluation-service"
SYSTEM_ACTOR = "evaluation-service"

# Handlers read the worker's settings (period scheme, time zone) from the consumer's context.
from kinerja_shared.context import current_settings  # noqa: E402


def today_local(settings: Settings) -> date:
    """Today's date where the employees work (KINERJA_TIMEZONE, Asia/Jakarta by default)."""
    return datetime.now(ZoneInfo(settings.timezone)).date()


# -- periods and opening -----------------------------------------------------------------------

def scheme_for(conn: Connection, year: int, default: str, actor: str = SYSTEM_ACTOR) -> str:
    """The year's period scheme; the first use fixes it (from EVALUATION_PERIOD_SCHEME) so a
    year never mixes monthly and quarterly periods."""
    row = conn.execute(select(period_schemes.c.scheme).where(period_schemes.c.year == year)).first()
    if row is not None:
        return row.scheme
    insert_ignore(conn, period_schemes, {"year": year, "scheme": default, "set_by": actor, "set_at": utcnow()})
    return conn.execute(select(period_schemes.c.scheme).where(period_schemes.c.year == year)).scalar_one()


def _insert_returning(conn: Connection, rows: list[dict]) -> set[str]:
    """INSERT evaluations ... ON CONFLICT DO NOTHING RETURNING id (one batched statement): the ids created."""
    if not rows:
        return set()
    if is_postgres(conn):
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(evaluations).on_conflict_do_nothing().returning(evaluations.c.id)
    return {r.id for r in conn.execute(stmt, rows)}


def _audit_opened(conn: Connection, rows, actor: str) -> None:
    """One audit row per opened evaluation, written in one batch (audit.record writes one at a time)."""
    now = utcnow()
    cid = current_correlation_id()
    conn.execute(AUDIT_LOG.insert(), [dict(
        occurred_at=now, actor=actor, actor_roles="", action="evaluation.opened", entity_type="evaluation",
        entity_id=row.id, before=None, reason=None, correlation_id=cid,
        after={"nip": row.nip, "plan_id": row.plan_id, "period_id": row.period_id, "status": row.status})
        for row in rows])


def _new_row(plan, period: domain.Period, now) -> dict:
    return dict(
        id=str(uuid.uuid4()), nip=plan.nip, plan_id=plan.id, plan_revision=plan.revision, rater_nip=plan.rater_nip,
        rater_superior_nip=plan.rater_superior_nip, unit_id=plan.unit_id, period_id=period.id,
        period_kind=period.kind, period_start=period.start, period_end=period.end, year=period.year,
        status=domain.OPEN, revision=1, version=1, form={"results": [], "behaviours": []}, results_rating=None,
        behaviour_rating=None, predicate=None, suggested_rating=None, rating_note=None, credit_points=None,
        reopen_reason=None, opened_at=now, submitted_at=None, closed_at=None, closed_by=None, updated_at=now,
    )


def open_evaluations(conn: Connection, plan_rows, period: domain.Period, actor: str = SYSTEM_ACTOR) -> list:
    """Open ``period``'s evaluation for each plan whose span overlaps it (once per plan and period).

    Publishes EvaluationOpened for each one created, attaches the continuous feedback given
    since the employee's last form (it shows on the next form), audits, and returns the new rows.
    """
    now = utcnow()
    rows = [_new_row(p, period, now) for p in plan_rows if domain.period_for_plan(period, p.period_start, p.period_end)]
    created = _insert_returning(conn, rows)
    if not created:
        return []
    new = conn.execute(select(evaluations).where(evaluations.c.id.in_(created)).order_by(evaluations.c.nip)).all()
    if period.kind != domain.ANNUAL:
        waiting = {r.nip for r in conn.execute(
            select(feedback.c.nip).where(feedback.c.evaluation_id.is_(None), feedback.c.nip.in_([r.nip for r in new]))
            .distinct())}
        for row in new:
            if row.nip in waiting:
                conn.execute(update(feedback).where(feedback.c.nip == row.nip, feedback.c.evaluation_id.is_(None))
                             .values(evaluation_id=row.id))
    if len(new) == 1:
        row = new[0]
        audit.record(conn, actor=actor, action="evaluation.opened", entity_type="evaluation", entity_id=row.id,
                     after={"nip": row.nip, "plan_id": row.plan_id, "period_id": row.period_id, "status": row.status})
    else:
        _audit_opened(conn, new, actor)
    publish(conn, *[events.evaluation_opened(row) for row in new])
    return new


def open_current_period(conn: Connection, plan, settings: Settings) -> list:
    """The walking skeleton's rule: a newly approved plan is evaluated from the period holding today."""
    today = today_local(settings)
    if not plan.period_start <= today <= plan.period_end:
        return []
    period = domain.period_containing(today, scheme_for(conn, today.year, settings.period_scheme))
    return open_evaluations(conn, [plan], period)


def _not_opened(period: domain.Period):
    """Plans without an evaluation in ``period`` yet (the unique key still guards against races)."""
    return ~exists().where(evaluations.c.plan_id == plans.c.id, evaluations.c.period_id == period.id)


def open_period(conn: Connection, period: domain.Period, actor: str = SYSTEM_ACTOR, unit_ids: set[str] | None = None) -> list:
    """Open ``period`` for every approved plan of its year that overlaps it (optionally within some units)."""
    query = select(plans).where(plans.c.year == period.year, plans.c.period_start <= period.end,
                                plans.c.period_end >= period.start, _not_opened(period))
    if unit_ids is not None:
        query = query.where(plans.c.unit_id.in_(unit_ids))
    plan_rows = conn.execute(query).all()
    return open_evaluations(conn, plan_rows, period, actor)


def open_due(engine: Engine, settings: Settings) -> int:
    """One tick of the period clock: open today's periodic period for every plan whose span holds today."""
    today = today_local(settings)
    with engine.begin() as conn:
        period = domain.period_containing(today, scheme_for(conn, today.year, settings.period_scheme))
        plan_rows = conn.execute(select(plans).where(plans.c.period_start <= today, plans.c.period_end >= today,
                                                     _not_opened(period))).all()
        return len(open_evaluations(conn, plan_rows, period))


def period_clock(settings: Settings, engine: Engine, stop: threading.Event) -> None:
    """Worker background job: at start and then every EVALUATION_PERIOD_CLOCK_SECONDS (300 by default)
    open the evaluations of the period holding today."""
    from .config import EvaluationConfig

    interval = EvaluationConfig.from_settings(settings).period_clock_seconds
    while not stop.is_set():
        try:
            opened = open_due(engine, settings)
            if opened:
                log.info("period clock opened evaluations", extra={"opened": opened})
        except Exception as exc:  # the database may be down: try again at the next tick
            log.warning("period clock failed", extra={"error": repr(exc)})
        stop.wait(interval)


# -- plan events -------------------------------------------------------------------------------

def _plan_values(data: dict, event: Event) -> dict:
    return dict(
        id=data["plan_id"], nip=data["nip"], rater_nip=data.get("rater_nip"),
        rater_superior_nip=data.get("rater_superior_nip"), unit_id=data["unit_id"], year=data["year"],
        period_start=date.fromisoformat(data["period_start"]), period_end=date.fromisoformat(data["period_end"]),
        approach=data["approach"], model=data["model"], revision=data["revision"], results=data["results"],
        behaviours=data["behaviours"], position=data.get("position"),
        functional_coefficient=data.get("functional_coefficient"),
        approved_at=_parse_time(data.get("approved_at")) or _parse_time(event.get("time")), updated_at=utcnow(),
    )


def _parse_time(value):
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _store_plan(conn: Connection, event: Event) -> object | None:
    data = event.data
    current = conn.execute(select(plans.c.revision, plans.c.approved_at).where(plans.c.id == data["plan_id"])).first()
    if current is not None and current.revision > data["revision"]:
        log.info("older plan revision ignored", extra={"plan_id": data["plan_id"], "revision": data["revision"]})
        return None
    values = _plan_values(data, event)
    if current is not None and current.approved_at is not None and event.type == "PlanAmended":
        values["approved_at"] = current.approved_at
    upsert(conn, plans, values, ["id"])
    # evaluations still being filled in follow the plan's current revision, rater and unit
    conn.execute(update(evaluations).where(evaluations.c.plan_id == values["id"], evaluations.c.status != domain.CLOSED)
                 .values(plan_revision=values["revision"], rater_nip=values["rater_nip"],
                         rater_superior_nip=values["rater_superior_nip"], unit_id=values["unit_id"]))
    return conn.execute(select(plans).where(plans.c.id == values["id"])).first()


def on_plan_approved(conn: Connection, event: Event) -> None:
    plan = _store_plan(conn, event)
    if plan is not None:
        open_current_period(conn, plan, current_settings())


def on_plan_amended(conn: Connection, event: Event) -> None:
    plan = _store_plan(conn, event)
    if plan is not None:
        open_current_period(conn, plan, current_settings())


# -- the org directory -------------------------------------------------------------------------

def on_employee_upserted(conn: Connection, event: Event) -> None:
    data = event.data
    now = utcnow()
    path = list(data.get("unit_path") or [data["unit_id"]])
    if not path or path[-1] != data["unit_id"]:
        path = [*path, data["unit_id"]]
    upsert(conn, employees, dict(
        nip=data["nip"], name=data["name"], position=data.get("position"), unit_id=data["unit_id"], unit_path=path,
        rater_nip=data.get("rater_nip"), rater_superior_nip=data.get("rater_superior_nip"),
        is_unit_head=bool(data.get("is_unit_head")), functional_coefficient=data.get("functional_coefficient"),
        functional_level=data.get("functional_level"), active=bool(data.get("active", True)), updated_at=now), ["nip"])
    for i, unit_id in enumerate(path[:-1]):  # ancestors become known by id (their names arrive with their people)
        insert_ignore(conn, units, {"id": unit_id, "name": None, "path": path[: i + 1], "head_nip": None, "updated_at": now})
    # a head moved to another unit, or no longer a head, heads nothing else any more (the directory decides)
    conn.execute(update(units).where(units.c.head_nip == data["nip"], units.c.id != data["unit_id"])
                 .values(head_nip=None, updated_at=now))
    unit = conn.execute(select(units).where(units.c.id == data["unit_id"])).first()
    head = unit.head_nip if unit is not None else None
    if data.get("is_unit_head"):
        head = data["nip"]
    elif head == data["nip"]:
        head = None
    upsert(conn, units, {"id": data["unit_id"], "name": data.get("unit_name") or (unit.name if unit else None),
                         "path": path, "head_nip": head, "updated_at": now}, ["id"])


on_unit_head_assigned = shared_acting_heads.on_unit_head_assigned(acting_heads)  # the latest version wins


# -- activities ----------------------------------------------------------------------------------

def _activity_values(data: dict, status: str) -> dict:
    return dict(
        id=data["activity_id"], nip=data["nip"], plan_id=data.get("plan_id"), result_id=data.get("result_id"),
        indicator_id=data["indicator_id"], action_id=data.get("action_id"), date=date.fromisoformat(data["date"]), minutes=int(data.get("minutes") or 0),
        quantity=float(data.get("quantity") or 0), status=status, version=data.get("version"), updated_at=utcnow(),
    )


_LOGGED = "evaluation.activities.logged"


def _write_logged(conn: Connection) -> None:
    """Insert the activities logged so far in this consumer transaction, in one statement."""
    scope = current_scope()
    rows = scope.memos.pop(_LOGGED, None) if scope is not None else None
    if rows:
        conn.execute(insert_ignore_statement(conn, activities), list(rows.values()))


def _activity(conn: Connection, activity_id: str):
    _write_logged(conn)  # an entry logged earlier in the same poll is read like any other
    return conn.execute(select(activities).where(activities.c.id == activity_id)).first()


def on_activity_logged(conn: Connection, event: Event) -> None:
    """The activity fact, once (a later copy changes nothing). In a consumer transaction the
    poll's new facts are written together, before the first read of a fact and at the commit."""
    values = _activity_values(event.data, event.data.get("status") or "pending")
    scope = current_scope()
    if scope is None:
        insert_ignore(conn, activities, values)
        return
    scope.memos.setdefault(_LOGGED, {}).setdefault(values["id"], values)
    scope.before_commit(_LOGGED, lambda: _write_logged(conn))


def on_activity_updated(conn: Connection, event: Event) -> None:
    data = event.data
    current = _activity(conn, data["activity_id"])
    values = _activity_values(data, data.get("status") or "pending")
    if current is None:
        conn.execute(activities.insert().values(**values))
        return
    if current.status == "withdrawn" or _stale(current, data):
        return
    values.pop("id")
    conn.execute(update(activities).where(activities.c.id == data["activity_id"]).values(**values))


def _stale(current, data: dict) -> bool:
    """An event older than what is stored (activity-service bumps ``version`` on every change)."""
    incoming = data.get("version")
    return current.version is not None and incoming is not None and incoming < current.version


def on_activity_withdrawn(conn: Connection, event: Event) -> None:
    data = event.data
    current = _activity(conn, data["activity_id"])
    if current is None:  # a tombstone, so a late copy cannot bring it back
        conn.execute(activities.insert().values(**_activity_values({**data, "minutes": 0, "quantity": 0}, "withdrawn")))
        return
    values = {"status": "withdrawn", "updated_at": utcnow()}
    if data.get("version") is not None:
        values["version"] = max(data["version"], current.version or 0)
    conn.execute(update(activities).where(activities.c.id == data["activity_id"]).values(**values))


def on_activity_verified(conn: Connection, event: Event) -> None:
    data = event.data
    current = _activity(conn, data["activity_id"])
    if current is None:
        conn.execute(activities.insert().values(**_activity_values(data, data["decision"])))
        return
    if current.status == "withdrawn" or _stale(current, data):
        return
    values = {"status": data["decision"], "minutes": int(data["minutes"]), "quantity": float(data["quantity"]),
              "updated_at": utcnow()}
    for name in ("result_id", "plan_id", "version"):
        if data.get(name) is not None:
            values[name] = data[name]
    conn.execute(update(activities).where(activities.c.id == data["activity_id"]).values(**values))


def on_activity_corrected(conn: Connection, event: Event) -> None:
    """A verified entry corrected (an admin or the rater's superior): the event carries its whole new
    state at a higher version, so the fact is replaced like on an update (an older event never wins)."""
    on_activity_updated(conn, event)


def on_activity_annulled(conn: Connection, event: Event) -> None:
    """A verified entry annulled: it counts nowhere, like a withdrawn one (kept as ``withdrawn``, final;
    a tombstone when it was not known yet, so a late copy of its earlier events cannot bring it back)."""
    on_activity_withdrawn(conn, event)


def _with_evidence(handler):
    """The activity fact, then its evidence (the employee picks it for a result's realisation)."""
    from .realisation_store import record_activity_evidence, record_logged_evidence

    record = record_logged_evidence if handler is on_activity_logged else record_activity_evidence

    def handle(conn: Connection, event: Event) -> None:
        handler(conn, event)
        record(conn, event.data)
    handle.__name__ = handler.__name__
    return handle


HANDLERS = {
    "PlanApproved": on_plan_approved,
    "PlanAmended": on_plan_amended,
    "EmployeeUpserted": on_employee_upserted,
    "UnitHeadAssigned": on_unit_head_assigned,
    "ActivityLogged": _with_evidence(on_activity_logged),
    "ActivityUpdated": _with_evidence(on_activity_updated),
    "ActivityWithdrawn": on_activity_withdrawn,
    "ActivityVerified": on_activity_verified,
    "ActivityCorrected": _with_evidence(on_activity_corrected),
    "ActivityAnnulled": on_activity_annulled,
    "ActionPlanAgreed": on_action_plan_agreed(agreed_actions, action_sets),  # the highest version of a plan wins
}
CONSUMES: list[str] = ["kinerja.plan.events", "kinerja.activity.events"]


def _store_plan_only(conn: Connection, event: Event) -> None:
    _store_plan(conn, event)


# `evaluation-service rebuild-read-models`: the same handlers, but a replayed plan opens no evaluation
# (opening is the period clock's and the live event's work, already done).
READ_MODEL_HANDLERS = {**HANDLERS, "PlanApproved": _store_plan_only, "PlanAmended": _store_plan_only}
