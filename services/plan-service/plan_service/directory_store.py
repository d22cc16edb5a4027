"""The org directory's reads with SQLAlchemy Core: units, employees, acting heads (Plt., Plh.), rater chains.

The writes of the directory (units, employees, their history, the plans a transfer closes, acting heads) are
store.apply_directory and store.save_acting; the use cases (use_cases/directory.py, acting_heads.py, imports.py)
call both inside their unit of work.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection

from .models import acting_heads, employee_changes, employees, units

BATCH = 5000


# -- units ---------------------------------------------------------------------------------------


def load_unit(conn: Connection, unit_id: str):
    return conn.execute(select(units).where(units.c.id == unit_id)).first()


def list_units(
    conn: Connection, *, parent_id: str | None, unit_ids: set[str] | None, after: str | None, limit: int
) -> list:
    """Units by id: the children of ``parent_id``, those in ``unit_ids`` (a subtree), after the cursor."""
    query = select(units).order_by(units.c.id)
    if parent_id:
        query = query.where(units.c.parent_id == parent_id)
    if after:
        query = query.where(units.c.id > after)
    if unit_ids is not None:
        query = query.where(units.c.id.in_(sorted(unit_ids)))
    return conn.execute(query.limit(limit)).all()


def active_employees_by_unit(conn: Connection) -> dict[str, int]:
    return dict(
        conn.execute(
            select(employees.c.unit_id, func.count()).where(employees.c.active.is_(True)).group_by(employees.c.unit_id)
        ).all()
    )


# -- employees -----------------------------------------------------------------------------------


def load_employee(conn: Connection, nip: str):
    return conn.execute(select(employees).where(employees.c.nip == nip)).first()


def lock_employee_version(conn: Connection, nip: str):
    """The employee's version, the row locked (PostgreSQL) until the transaction ends; None: not stored."""
    query = select(employees.c.version).where(employees.c.nip == nip)
    return conn.execute(query.with_for_update() if conn.dialect.name == "postgresql" else query).first()


def employee_name(conn: Connection, nip: str) -> str | None:
    return conn.execute(select(employees.c.name).where(employees.c.nip == nip)).scalar()


def employee_activity(conn: Connection, nip: str) -> dict | None:
    """{"active": ...} of the stored employee, None when the directory does not hold them."""
    row = conn.execute(select(employees.c.active).where(employees.c.nip == nip)).first()
    return dict(row._mapping) if row else None


def list_employees(
    conn: Connection, filters: dict, *, query_text: str | None, unit_ids: set[str] | None, after: str | None, limit: int
) -> list:
    """Employees by NIP: ``filters`` by column (rater_nip, position, active), a name/NIP search, a set of units."""
    query = select(employees).order_by(employees.c.nip)
    for name, value in filters.items():
        query = query.where(employees.c[name] == value)
    if query_text:
        query = query.where(
            or_(
                employees.c.name.icontains(query_text, autoescape=True),
                employees.c.nip.contains(query_text, autoescape=True),
            )
        )
    if after:
        query = query.where(employees.c.nip > after)
    if unit_ids is not None:
        query = query.where(employees.c.unit_id.in_(sorted(unit_ids)))
    return conn.execute(query.limit(limit)).all()


def rater_chains(conn: Connection, nips: set[str]) -> dict[str, str | None]:
    """NIP -> rater NIP of the stored employees in ``nips`` and of every rater above them, up to the top."""
    links: dict[str, str | None] = {}
    asked: set[str] = set()
    todo = set(nips)
    while todo:
        asked |= todo
        ordered = sorted(todo)
        todo = set()
        for i in range(0, len(ordered), BATCH):
            for r in conn.execute(
                select(employees.c.nip, employees.c.rater_nip).where(employees.c.nip.in_(ordered[i : i + BATCH]))
            ):
                links[r.nip] = r.rater_nip
                if r.rater_nip and r.rater_nip not in asked:
                    todo.add(r.rater_nip)
    return links


# -- acting heads (Plt., Plh.) ---------------------------------------------------------------------


def load_assignment(conn: Connection, unit_id: str, assignment_id: str):
    return conn.execute(
        select(acting_heads).where(acting_heads.c.id == assignment_id, acting_heads.c.unit_id == unit_id)
    ).first()


def unit_assignments(conn: Connection, unit_id: str) -> list:
    """Every acting head of the unit, revoked ones included, by first day."""
    return conn.execute(
        select(acting_heads)
        .where(acting_heads.c.unit_id == unit_id)
        .order_by(acting_heads.c.valid_from, acting_heads.c.id)
    ).all()


# -- employees' history and the people of units ----------------------------------------------


def employee_history(conn: Connection, nip: str) -> list[dict]:
    rows = conn.execute(
        select(employee_changes)
        .where(employee_changes.c.nip == nip)
        .order_by(employee_changes.c.effective_date, employee_changes.c.id)
    )
    return [dict(r._mapping) for r in rows]


def employees_in(conn: Connection, unit_ids: set[str], *, active_only: bool = True) -> list:
    query = select(employees).where(employees.c.unit_id.in_(sorted(unit_ids)))
    if active_only:
        query = query.where(employees.c.active.is_(True))
    return conn.execute(query.order_by(employees.c.unit_id, employees.c.nip)).all()
