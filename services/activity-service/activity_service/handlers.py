"""Events activity-service consumes (from kinerja.plan.events) into its read models.

One handler per event type, each called inside the consumer's transaction (the inbox row
and the effect commit together). Consumers tolerate unknown fields; an older event (a
lower plan revision, an earlier employee change) never overwrites a newer state, so a
replayed dead letter cannot roll the read model back.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from kinerja_shared.acting_heads import on_unit_head_assigned
from kinerja_shared.db import insert_ignore, utcnow
from kinerja_shared.events import Event

from .action_links import on_action_plan_agreed

from .models import acting_heads, employees, plan_indicators, plans

PLAN_TOPIC = "kinerja.plan.events"


def unit_path_text(path: list[str]) -> str:
    """['opd', 'sub'] -> '/opd/sub/' (what the unit-head subtree filter matches on)."""
    return "/" + "".join(f"{unit}/" for unit in path)


def on_employee_upserted(conn: Connection, event: Event) -> None:
    """Keep who the employee is, where in the unit tree, and who rates them."""
    d = event.data
    path = list(d.get("unit_path") or [])
    if not path or path[-1] != d["unit_id"]:
        path.append(d["unit_id"])
    row = dict(nip=d["nip"], name=d["name"], unit_id=d["unit_id"], unit_path=unit_path_text(path),
               rater_nip=d.get("rater_nip"), rater_superior_nip=d.get("rater_superior_nip"),
               is_unit_head=bool(d.get("is_unit_head")), active=bool(d.get("active", True)),
               source_time=event["time"], updated_at=utcnow())
    if not insert_ignore(conn, employees, row):
        conn.execute(update(employees).where(employees.c.nip == d["nip"], employees.c.source_time <= event["time"])
                     .values(**{k: v for k, v in row.items() if k != "nip"}))


def on_plan_approved(conn: Connection, event: Event) -> None:
    """An approved plan (or a new revision of it): its span and the indicators that may be logged against."""
    d = event.data
    current = conn.execute(select(plans.c.revision).where(plans.c.plan_id == d["plan_id"])).scalar()
    if current is not None and current > d["revision"]:
        return  # an older revision arriving late
    row = dict(plan_id=d["plan_id"], nip=d["nip"], rater_nip=d.get("rater_nip"), unit_id=d["unit_id"], year=d["year"],
               period_start=date.fromisoformat(d["period_start"]), period_end=date.fromisoformat(d["period_end"]),
               revision=d["revision"], updated_at=utcnow())
    if current is None:
        conn.execute(plans.insert().values(**row))
    else:
        conn.execute(update(plans).where(plans.c.plan_id == d["plan_id"]).values(**row))
    conn.execute(delete(plan_indicators).where(plan_indicators.c.plan_id == d["plan_id"]))
    indicators = [
        dict(plan_id=d["plan_id"], indicator_id=i["indicator_id"], nip=d["nip"], result_id=r["result_id"],
             result_kind=r["kind"], result_text=r["text"], aspect=i["aspect"], text=i["text"],
             target_value=i.get("target_value"), target_unit=i.get("target_unit"), measure=i.get("measure"),
             deadline_day=i.get("deadline_day"))
        for r in d["results"] for i in r["indicators"]
    ]
    # An indicator id repeated across results would break the key; the first one wins.
    unique = list({i["indicator_id"]: i for i in reversed(indicators)}.values())
    if unique:
        conn.execute(plan_indicators.insert(), unique)


def on_plan_amended(conn: Connection, event: Event) -> None:
    """An amendment replaces the plan's indicators (and possibly its span) with the new revision's."""
    on_plan_approved(conn, event)


HANDLERS = {
    "EmployeeUpserted": on_employee_upserted,
    "PlanApproved": on_plan_approved,
    "PlanAmended": on_plan_amended,
    "UnitHeadAssigned": on_unit_head_assigned(acting_heads),  # acting heads (Plt./Plh.): the latest version wins
    "ActionPlanAgreed": on_action_plan_agreed,  # the agreed action plans (rencana aksi): the highest version wins
}
CONSUMES: list[str] = [PLAN_TOPIC]
