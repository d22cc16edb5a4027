"""The SQL of the read models fed by plan-service's events: the directory (employees) and the approved plans
with their indicators."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from kinerja_shared.db import insert_ignore

from .models import employee_ancestors, employees, plan_indicators, plans


def upsert_employee(conn: Connection, row: dict, source_time: datetime) -> None:
    """Insert the employee, or update them unless the stored row comes from a later event; the employee's
    ``employee_ancestors`` rows follow the stored unit path."""
    if not insert_ignore(conn, employees, row):
        updated = conn.execute(
            update(employees)
            .where(employees.c.nip == row["nip"], employees.c.source_time <= source_time)
            .values(**{k: v for k, v in row.items() if k != "nip"})
        ).rowcount
        if not updated:
            return
        conn.execute(delete(employee_ancestors).where(employee_ancestors.c.nip == row["nip"]))
    conn.execute(employee_ancestors.insert(), ancestor_rows(row["nip"], row["unit_path"]))


def ancestor_rows(nip: str, unit_path: str) -> list[dict]:
    """The ``employee_ancestors`` rows of an employee whose unit path is ``unit_path`` ('/<opd>/.../<unit>/')."""
    return [{"ancestor_id": unit, "nip": nip} for unit in dict.fromkeys(p for p in unit_path.split("/") if p)]


def plan_revision(conn: Connection, plan_id: str) -> int | None:
    return conn.execute(select(plans.c.revision).where(plans.c.plan_id == plan_id)).scalar()


def replace_plan(conn: Connection, row: dict, indicators: list[dict], *, known: bool) -> None:
    """Store the plan (insert, or update when ``known``) and replace its indicators."""
    if known:
        conn.execute(update(plans).where(plans.c.plan_id == row["plan_id"]).values(**row))
    else:
        conn.execute(plans.insert().values(**row))
    conn.execute(delete(plan_indicators).where(plan_indicators.c.plan_id == row["plan_id"]))
    if indicators:
        conn.execute(plan_indicators.insert(), indicators)
