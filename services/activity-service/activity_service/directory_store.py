"""The directory read model's SQL: employees, their raters and units (who may see whose entries: access.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Connection

from kinerja_shared.acting_heads import acting_units

from .models import acting_heads, employee_ancestors, employees


def employee(conn: Connection, nip: str):
    return conn.execute(select(employees).where(employees.c.nip == nip)).first()


def employees_by_nip(conn: Connection, nips: set[str]) -> dict:
    """The directory rows of ``nips``, by NIP (one statement)."""
    return {r.nip: r for r in conn.execute(select(employees).where(employees.c.nip.in_(nips)))}


def rater_of(conn: Connection, nip: str) -> str | None:
    return conn.execute(select(employees.c.rater_nip).where(employees.c.nip == nip)).scalar()


def acting_for(conn: Connection, nip: str, today: date) -> list[str]:
    """The units ``nip`` acts for (Plt./Plh.) on ``today``."""
    return acting_units(conn, acting_heads, nip, today)


def subtree_clause(units: list[str]):
    """employees rows in the subtree of any of ``units`` (an indexed read of ``employee_ancestors``)."""
    if not units:
        return None
    return employees.c.nip.in_(select(employee_ancestors.c.nip).where(employee_ancestors.c.ancestor_id.in_(units)))


def unit_path_of(conn: Connection, unit_id: str) -> str | None:
    """The unit path of a member of ``unit_id``'s subtree (where the unit sits in the tree), or None."""
    return conn.execute(select(employees.c.unit_path).where(subtree_clause([unit_id])).limit(1)).scalar()


def staff(conn: Connection, *, unit_id: str | None = None, rater_nip: str | None = None) -> list:
    """The active employees of a unit's subtree, or those ``rater_nip`` rates: nip, name, unit_id."""
    people = select(employees.c.nip, employees.c.name, employees.c.unit_id).where(employees.c.active.is_(True))
    people = people.where(subtree_clause([unit_id])) if unit_id else people.where(employees.c.rater_nip == rater_nip)
    return conn.execute(people.order_by(employees.c.unit_id, employees.c.nip)).all()
