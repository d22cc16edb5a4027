"""What the consumed events do to this service's read models: a plan approved or amended (and the evaluation
of the period holding today that it opens), an employee of the directory. The handlers (handlers.py) run these
in the consumer's transaction (``joined_unit_of_work``)."""

from __future__ import annotations

import logging
from datetime import date, datetime

from .. import read_models_store as store
from . import periods

log = logging.getLogger(__name__)


def _parse_time(value):
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _plan_values(data: dict, event_time, now) -> dict:
    return dict(
        id=data["plan_id"],
        nip=data["nip"],
        rater_nip=data.get("rater_nip"),
        rater_superior_nip=data.get("rater_superior_nip"),
        unit_id=data["unit_id"],
        year=data["year"],
        period_start=date.fromisoformat(data["period_start"]),
        period_end=date.fromisoformat(data["period_end"]),
        approach=data["approach"],
        model=data["model"],
        revision=data["revision"],
        results=data["results"],
        behaviours=data["behaviours"],
        position=data.get("position"),
        functional_coefficient=data.get("functional_coefficient"),
        approved_at=_parse_time(data.get("approved_at")) or _parse_time(event_time),
        updated_at=now,
    )


def record_plan(uow, event_type: str, data: dict, event_time=None):
    """The plan read model from PlanApproved/PlanAmended (an older revision is ignored); evaluations still being
    filled in follow its current revision, rater and unit. The stored plan, or None when ignored."""
    current = store.plan_version(uow.conn, data["plan_id"])
    if current is not None and current.revision > data["revision"]:
        log.info("older plan revision ignored", extra={"plan_id": data["plan_id"], "revision": data["revision"]})
        return None
    values = _plan_values(data, event_time, uow.now())
    if current is not None and current.approved_at is not None and event_type == "PlanAmended":
        values["approved_at"] = current.approved_at
    return store.save_plan(uow.conn, values)


def plan_approved(uow, event_type: str, data: dict, event_time, *, default_scheme: str) -> list:
    """A plan approved or amended: stored, then the evaluation of the period holding today opens, if the plan's
    span holds today (EvaluationOpened); at most one evaluation per plan and period. The rows opened."""
    plan = record_plan(uow, event_type, data, event_time)
    return periods.open_current_period(uow, plan, default_scheme) if plan is not None else []


def record_employee(uow, data: dict) -> None:
    """The employee and unit read models from EmployeeUpserted (rater, unit path, unit head, functional level)."""
    now = uow.now()
    path = list(data.get("unit_path") or [data["unit_id"]])
    if not path or path[-1] != data["unit_id"]:
        path = [*path, data["unit_id"]]
    store.save_employee(
        uow.conn,
        dict(
            nip=data["nip"],
            name=data["name"],
            position=data.get("position"),
            unit_id=data["unit_id"],
            unit_path=path,
            rater_nip=data.get("rater_nip"),
            rater_superior_nip=data.get("rater_superior_nip"),
            is_unit_head=bool(data.get("is_unit_head")),
            functional_coefficient=data.get("functional_coefficient"),
            functional_level=data.get("functional_level"),
            active=bool(data.get("active", True)),
            updated_at=now,
        ),
    )
    for i, unit_id in enumerate(path[:-1]):  # ancestors become known by id (their names arrive with their people)
        store.know_unit(uow.conn, unit_id, path[: i + 1], now)
    # a head moved to another unit, or no longer a head, heads nothing else any more (the directory decides)
    store.heads_only(uow.conn, data["nip"], data["unit_id"], now)
    unit = store.unit(uow.conn, data["unit_id"])
    head = unit.head_nip if unit is not None else None
    if data.get("is_unit_head"):
        head = data["nip"]
    elif head == data["nip"]:
        head = None
    store.save_unit(
        uow.conn,
        {
            "id": data["unit_id"],
            "name": data.get("unit_name") or (unit.name if unit else None),
            "path": path,
            "head_nip": head,
            "updated_at": now,
        },
        unit.path if unit is not None else None,
    )
