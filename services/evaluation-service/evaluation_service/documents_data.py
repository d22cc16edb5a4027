"""The data the evaluation-service documents print besides the API's views: people's and units' names (SQL)."""
from __future__ import annotations

from sqlalchemy import select

from . import api
from .models import employees, units


def _person(conn, nip: str | None):
    if not nip:
        return None
    return conn.execute(select(employees.c.name, employees.c.position, employees.c.unit_id)
                        .where(employees.c.nip == nip)).first()


def _unit_name(conn, unit_id: str | None) -> str | None:
    if not unit_id:
        return None
    row = conn.execute(select(units.c.name).where(units.c.id == unit_id)).first()
    return row.name if row else None


def evaluation_document(conn, row) -> tuple[dict, dict]:
    """The evaluation's view (as GET /evaluations/{id}) and the names the document prints."""
    detail = api._detail(conn, row)
    rater = _person(conn, row.rater_nip)
    closer = _person(conn, row.closed_by)
    names = {"unit_name": _unit_name(conn, row.unit_id),
             "rater_name": rater.name if rater else None, "rater_position": rater.position if rater else None,
             "rater_unit_name": _unit_name(conn, rater.unit_id) if rater else None,
             "closer_name": closer.name if closer else None}
    return detail, names


def unit_names(conn, unit_id: str, decision, dist: dict) -> dict:
    setter = _person(conn, decision.set_by)
    nips = [p["nip"] for p in (dist.get("calibration") or {}).get("predicates", [])]
    people = {r.nip: r.name for r in conn.execute(select(employees.c.nip, employees.c.name)
                                                  .where(employees.c.nip.in_(nips)))} if nips else {}
    return {"unit_name": _unit_name(conn, unit_id), "set_by_name": setter.name if setter else None, "people": people}


def pak_names(conn, nip: str, emp, pak: dict) -> dict:
    basis = pak.get("basis") or {}
    rater = _person(conn, basis.get("rater_nip"))
    setter = _person(conn, pak.get("set_by"))
    return {"position": emp.position if emp else None, "unit_name": _unit_name(conn, emp.unit_id) if emp else None,
            "rater_name": rater.name if rater else None, "set_by_name": setter.name if setter else None}
