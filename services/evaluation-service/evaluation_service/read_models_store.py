"""The read models' SQL, written by the event handlers: the plans, the directory (employees and units) and the
activity facts."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from kinerja_shared import unit_tree
from kinerja_shared.bulk_insert import insert_rows
from kinerja_shared.db import insert_ignore, upsert

from . import domain
from .models import activities, employees, evaluations, plans, unit_ancestors, units

# -- plans ---------------------------------------------------------------------------------------------


def plan_version(conn: Connection, plan_id: str):
    """(revision, approved_at) of the stored plan, or None."""
    return conn.execute(select(plans.c.revision, plans.c.approved_at).where(plans.c.id == plan_id)).first()


def save_plan(conn: Connection, values: dict):
    """Store the plan; evaluations still being filled in follow its current revision, rater and unit."""
    upsert(conn, plans, values, ["id"])
    conn.execute(
        update(evaluations)
        .where(evaluations.c.plan_id == values["id"], evaluations.c.status != domain.CLOSED)
        .values(
            plan_revision=values["revision"],
            rater_nip=values["rater_nip"],
            rater_superior_nip=values["rater_superior_nip"],
            unit_id=values["unit_id"],
        )
    )
    return conn.execute(select(plans).where(plans.c.id == values["id"])).first()


# -- the directory -------------------------------------------------------------------------------------


def save_employee(conn: Connection, values: dict) -> None:
    upsert(conn, employees, values, ["nip"])


def know_unit(conn: Connection, unit_id: str, path: list[str], now) -> None:
    """An ancestor unit becomes known by id (its name arrives with its people)."""
    if insert_ignore(conn, units, {"id": unit_id, "name": None, "path": path, "head_nip": None, "updated_at": now}):
        unit_tree.set_paths(conn, unit_ancestors, {unit_id: path})


def heads_only(conn: Connection, nip: str, unit_id: str, now) -> None:
    """``nip`` heads no unit but ``unit_id`` any more (a head moved away, or no longer a head)."""
    conn.execute(
        update(units).where(units.c.head_nip == nip, units.c.id != unit_id).values(head_nip=None, updated_at=now)
    )


def unit(conn: Connection, unit_id: str):
    return conn.execute(select(units).where(units.c.id == unit_id)).first()


def save_unit(conn: Connection, values: dict, stored_path: list[str] | None) -> None:
    """Upsert the unit; its closure rows follow when its path is new or changed (``stored_path``: the row's)."""
    upsert(conn, units, values, ["id"])
    if values["path"] != stored_path:
        unit_tree.set_paths(conn, unit_ancestors, {values["id"]: values["path"]})


# -- activity facts ------------------------------------------------------------------------------------


def add_activities(conn: Connection, rows: list[dict]) -> None:
    """Insert activity facts (once each: a known id is left alone), in one statement."""
    insert_rows(conn, activities, rows, on_conflict_do_nothing=True)


def add_activity_once(conn: Connection, values: dict) -> None:
    insert_ignore(conn, activities, values)


def activity(conn: Connection, activity_id: str):
    return conn.execute(select(activities).where(activities.c.id == activity_id)).first()


def add_activity(conn: Connection, values: dict) -> None:
    conn.execute(activities.insert().values(**values))


def update_activity(conn: Connection, activity_id: str, values: dict) -> None:
    conn.execute(update(activities).where(activities.c.id == activity_id).values(**values))
