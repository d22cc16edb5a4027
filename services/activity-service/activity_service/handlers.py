"""Events activity-service consumes (from kinerja.plan.events) into its read models.

One handler per event type, each called inside the consumer's transaction (the inbox row
and the effect commit together). Consumers tolerate unknown fields; an older event (a
lower plan revision, an earlier employee change) never overwrites a newer state, so a
replayed dead letter cannot roll the read model back.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from kinerja_shared.acting_heads import on_unit_head_assigned
from kinerja_shared.context import joined_unit_of_work
from kinerja_shared.events import Event

from .action_links import on_action_plan_agreed
from .models import acting_heads
from .use_cases import read_models

PLAN_TOPIC = "kinerja.plan.events"


def on_employee_upserted(conn: Connection, event: Event) -> None:
    """Keep who the employee is, where in the unit tree, and who rates them."""
    with joined_unit_of_work(conn) as uow:
        read_models.record_employee(uow, event.data, event["time"])


def on_plan_approved(conn: Connection, event: Event) -> None:
    """An approved plan (or a new revision of it): its span and the indicators that may be logged against."""
    with joined_unit_of_work(conn) as uow:
        read_models.record_plan(uow, event.data)


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
