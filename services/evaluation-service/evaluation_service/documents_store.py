"""The SQL of evaluation-service's documents: what they print besides the API's views (people's and units'
names), the subjects they are issued for, and whether a register row's subject moved on since."""

from __future__ import annotations

from sqlalchemy import select

from .models import credit_assessments, employees, evaluations, unit_predicates, units


def person(conn, nip: str | None):
    """Name, position and unit of an employee of the directory (None: unknown or no NIP)."""
    if not nip:
        return None
    return conn.execute(
        select(employees.c.name, employees.c.position, employees.c.unit_id).where(employees.c.nip == nip)
    ).first()


def unit_name(conn, unit_id: str | None) -> str | None:
    if not unit_id:
        return None
    row = conn.execute(select(units.c.name).where(units.c.id == unit_id)).first()
    return row.name if row else None


def names_of(conn, nips: list[str]) -> dict[str, str]:
    if not nips:
        return {}
    return dict(conn.execute(select(employees.c.nip, employees.c.name).where(employees.c.nip.in_(nips))).all())


def employee(conn, nip: str):
    return conn.execute(select(employees).where(employees.c.nip == nip)).first()


def unit_predicate(conn, unit_id: str, period_id: str):
    """The unit's organisational predicate decision for the period (None: not set)."""
    return conn.execute(
        select(unit_predicates).where(unit_predicates.c.unit_id == unit_id, unit_predicates.c.period_id == period_id)
    ).first()


# -- the subjects' state now (for the public verification) -------------------------------------------


def evaluation_revision(conn, evaluation_id: str):
    """(revision, status) of an evaluation now."""
    return conn.execute(
        select(evaluations.c.revision, evaluations.c.status).where(evaluations.c.id == evaluation_id)
    ).first()


def unit_predicate_set_at(conn, unit_id: str, period_id: str):
    found = conn.execute(
        select(unit_predicates.c.set_at).where(
            unit_predicates.c.unit_id == unit_id, unit_predicates.c.period_id == period_id
        )
    ).first()
    return found.set_at if found is not None else None


def credit_assessment_set_at(conn, nip: str, year: int):
    found = conn.execute(
        select(credit_assessments.c.set_at).where(credit_assessments.c.nip == nip, credit_assessments.c.year == year)
    ).first()
    return found.set_at if found is not None else None
