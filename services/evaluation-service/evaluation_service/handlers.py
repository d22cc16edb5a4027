"""Events evaluation-service consumes, one handler each.

Every handler runs inside the consumer's transaction (with the inbox row that makes it
idempotent) and may publish through the outbox in the same transaction: the use cases run in
``joined_unit_of_work(conn)``.

- ``PlanApproved`` / ``PlanAmended`` → the plan read model (results, indicators, rater, unit),
  then the evaluation of the period that holds today's local date opens, if the plan's span
  holds it (``EvaluationOpened``); at most one evaluation per plan and period
  (``use_cases.read_models.plan_approved``).
- ``EmployeeUpserted`` → the employee and unit read models (rater, unit path, unit head,
  functional level, the legacy functional coefficient).
- ``ActionPlanAgreed`` → the agreed action plans (rencana aksi) of each plan: the highest version wins.
- ``UnitHeadAssigned`` → the acting heads (Plt./Plh.) read model: the latest version of each
  assignment wins, so a late or repeated copy changes nothing.
- ``ActivityLogged`` / ``Updated`` / ``Withdrawn`` / ``Verified`` / ``Corrected`` / ``Annulled`` → one
  activity fact per activity (date, indicator, minutes, quantity, status; an annulled one is kept as
  withdrawn): the realisation of evaluations.

The period clock (``use_cases.periods.PERIOD_CLOCK``, a worker background job) opens each new
period's evaluations for every approved plan whose span holds today.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.engine import Connection

from kinerja_shared import acting_heads as shared_acting_heads
from kinerja_shared.agreed_actions import on_action_plan_agreed
from kinerja_shared.consumer import current_scope
from kinerja_shared.context import current_settings, joined_unit_of_work
from kinerja_shared.db import utcnow
from kinerja_shared.events import Event
from kinerja_shared.uow import UnitOfWork

from . import domain
from . import read_models_store as store
from .models import acting_heads, action_sets, agreed_actions
from .use_cases import periods, read_models

log = logging.getLogger(__name__)
SERVICE = "evaluation-service"
SYSTEM_ACTOR = periods.SYSTEM_ACTOR


def open_period(
    conn: Connection, period: domain.Period, actor: str = SYSTEM_ACTOR, unit_ids: set[str] | None = None
) -> list:
    """Open ``period`` for every approved plan of its year that overlaps it, in the caller's transaction
    (``use_cases.periods.open_period_of_plans``; kept for the benchmarks)."""
    with UnitOfWork.joining(conn) as uow:
        return periods.open_period_of_plans(uow, period, actor, unit_ids)


# -- plan events -------------------------------------------------------------------------------


def on_plan_approved(conn: Connection, event: Event) -> None:
    with joined_unit_of_work(conn) as uow:
        read_models.plan_approved(
            uow, event.type, event.data, event.get("time"), default_scheme=current_settings().period_scheme
        )


def on_plan_amended(conn: Connection, event: Event) -> None:
    on_plan_approved(conn, event)  # the amended plan's current period opens like an approved one's


def _store_plan(conn: Connection, event: Event):
    with joined_unit_of_work(conn) as uow:
        return read_models.record_plan(uow, event.type, event.data, event.get("time"))


# -- the org directory -------------------------------------------------------------------------


def on_employee_upserted(conn: Connection, event: Event) -> None:
    with joined_unit_of_work(conn) as uow:
        read_models.record_employee(uow, event.data)


on_unit_head_assigned = shared_acting_heads.on_unit_head_assigned(acting_heads)  # the latest version wins


# -- activities ----------------------------------------------------------------------------------


def _activity_values(data: dict, status: str) -> dict:
    return dict(
        id=data["activity_id"],
        nip=data["nip"],
        plan_id=data.get("plan_id"),
        result_id=data.get("result_id"),
        indicator_id=data["indicator_id"],
        action_id=data.get("action_id"),
        date=date.fromisoformat(data["date"]),
        minutes=int(data.get("minutes") or 0),
        quantity=float(data.get("quantity") or 0),
        status=status,
        version=data.get("version"),
        updated_at=utcnow(),
    )


_LOGGED = "evaluation.activities.logged"


def _write_logged(conn: Connection) -> None:
    """Insert the activities logged so far in this consumer transaction, in one statement."""
    scope = current_scope()
    rows = scope.memos.pop(_LOGGED, None) if scope is not None else None
    if rows:
        store.add_activities(conn, list(rows.values()))


def _activity(conn: Connection, activity_id: str):
    _write_logged(conn)  # an entry logged earlier in the same poll is read like any other
    return store.activity(conn, activity_id)


def on_activity_logged(conn: Connection, event: Event) -> None:
    """The activity fact, once (a later copy changes nothing). In a consumer transaction the
    poll's new facts are written together, before the first read of a fact and at the commit."""
    values = _activity_values(event.data, event.data.get("status") or "pending")
    scope = current_scope()
    if scope is None:
        store.add_activity_once(conn, values)
        return
    scope.memos.setdefault(_LOGGED, {}).setdefault(values["id"], values)
    scope.before_commit(_LOGGED, lambda: _write_logged(conn))


def on_activity_updated(conn: Connection, event: Event) -> None:
    data = event.data
    current = _activity(conn, data["activity_id"])
    values = _activity_values(data, data.get("status") or "pending")
    if current is None:
        store.add_activity(conn, values)
        return
    if current.status == "withdrawn" or _stale(current, data):
        return
    values.pop("id")
    store.update_activity(conn, data["activity_id"], values)


def _stale(current, data: dict) -> bool:
    """An event older than what is stored (activity-service bumps ``version`` on every change)."""
    incoming = data.get("version")
    return current.version is not None and incoming is not None and incoming < current.version


def on_activity_withdrawn(conn: Connection, event: Event) -> None:
    data = event.data
    current = _activity(conn, data["activity_id"])
    if current is None:  # a tombstone, so a late copy cannot bring it back
        store.add_activity(conn, _activity_values({**data, "minutes": 0, "quantity": 0}, "withdrawn"))
        return
    values = {"status": "withdrawn", "updated_at": utcnow()}
    if data.get("version") is not None:
        values["version"] = max(data["version"], current.version or 0)
    store.update_activity(conn, data["activity_id"], values)


def on_activity_verified(conn: Connection, event: Event) -> None:
    data = event.data
    current = _activity(conn, data["activity_id"])
    if current is None:
        store.add_activity(conn, _activity_values(data, data["decision"]))
        return
    if current.status == "withdrawn" or _stale(current, data):
        return
    values = {
        "status": data["decision"],
        "minutes": int(data["minutes"]),
        "quantity": float(data["quantity"]),
        "updated_at": utcnow(),
    }
    for name in ("result_id", "plan_id", "version"):
        if data.get(name) is not None:
            values[name] = data[name]
    store.update_activity(conn, data["activity_id"], values)


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
