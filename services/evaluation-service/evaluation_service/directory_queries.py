"""The directory as this service knows it (read models): units, their heads and acting heads, employees.

Read by ``access`` (who heads or rates what) and by the use cases; written by the event handlers
(``read_models_store``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Connection

from kinerja_shared import unit_tree
from kinerja_shared.acting_heads import in_force

from .models import acting_heads, employees, unit_ancestors, unit_versions, units


def units_headed_by(conn: Connection, nip: str) -> set[str]:
    """Units whose definitive head (EmployeeUpserted.is_unit_head) is ``nip``."""
    return {r.id for r in conn.execute(select(units.c.id).where(units.c.head_nip == nip))}


def units_acting_headed_by(conn: Connection, nip: str, today: date) -> set[str]:
    """Units ``nip`` heads as an acting head (Plt./Plh.) whose span (both ends included) holds ``today``."""
    return {
        r.unit_id
        for r in conn.execute(
            select(acting_heads.c.unit_id).where(acting_heads.c.nip == nip, in_force(acting_heads, today))
        )
    }


def unit(conn: Connection, unit_id: str):
    """The unit's row (id, name, path, head_nip), or None."""
    return conn.execute(select(units).where(units.c.id == unit_id)).first()


def acting_heads_of(conn: Connection, unit_id: str, today: date) -> list:
    """The acting heads (Plt./Plh.) of ``unit_id`` in force on ``today``, earliest first."""
    return conn.execute(
        select(acting_heads)
        .where(acting_heads.c.unit_id == unit_id, in_force(acting_heads, today))
        .order_by(acting_heads.c.valid_from, acting_heads.c.assignment_id)
    ).all()


def employee(conn: Connection, nip: str):
    return conn.execute(select(employees).where(employees.c.nip == nip)).first()


def active_staff_by_unit(conn: Connection, unit_ids: set[str]) -> dict[str, set[str]]:
    """unit id -> the NIPs of its active employees, for the units of ``unit_ids`` that have any."""
    found: dict[str, set[str]] = {}
    for r in conn.execute(
        select(employees.c.nip, employees.c.unit_id).where(
            employees.c.unit_id.in_(unit_ids), employees.c.active.is_(True)
        )
    ):
        found.setdefault(r.unit_id, set()).add(r.nip)
    return found


def employees_of_units(unit_ids: set[str]):
    """A sub-select of the NIPs of the employees of ``unit_ids`` (for a filter)."""
    return select(employees.c.nip).where(employees.c.unit_id.in_(unit_ids))


def subtree(conn: Connection, roots: set[str]) -> set[str]:
    """``roots`` and every unit below them (by the units' paths): the closure's rows of the subtree only."""
    return unit_tree.subtree(conn, unit_ancestors, roots)


def subtree_versions(conn: Connection, unit_id: str) -> tuple[tuple[str, int], ...]:
    """The change stamps (migration 0008) of ``unit_id`` and the units under it, by unit id: what the unit's
    dashboard is computed from changed iff this changed (a unit never written since has no stamp)."""
    subtree = select(unit_ancestors.c.unit_id).where(unit_ancestors.c.ancestor_id == unit_id)  # itself included
    return tuple(
        conn.execute(
            select(unit_versions.c.unit_id, unit_versions.c.version)
            .where(unit_versions.c.unit_id.in_(subtree))
            .order_by(unit_versions.c.unit_id)
        ).tuples()
    )
