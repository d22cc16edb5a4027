"""The SQL of the read models the event handlers keep: the contact directory and the plan, activity,
evaluation and realisation states (what the reminders and the texts read)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from kinerja_shared.db import dialect_insert, upsert

from .models import activity_states, contacts, evaluation_states, plan_states, realisation_states

ACTIVITY_KEEP = ("rater_nip", "description")  # a NULL in an event keeps the stored value
_UPSERT_MANY: dict[str, object] = {}


def save_contact(conn: Connection, values: dict) -> None:
    upsert(conn, contacts, values, ["nip"])


def unit_members(conn: Connection, unit_id: str) -> list:
    """The active contacts of a unit and its sub-units (nip, unit_id, unit_name)."""
    return conn.execute(
        select(contacts.c.nip, contacts.c.unit_id, contacts.c.unit_name).where(
            contacts.c.active.is_(True), contacts.c.unit_path_key.contains(f"/{unit_id}/", autoescape=True)
        )
    ).all()


def inactive_among(conn: Connection, nips) -> set[str]:
    return set(
        conn.execute(select(contacts.c.nip).where(contacts.c.nip.in_(nips), contacts.c.active.is_(False))).scalars()
    )


def plan_state(conn: Connection, plan_id: str):
    return conn.execute(select(plan_states).where(plan_states.c.plan_id == plan_id)).first()


def save_plan_state(conn: Connection, values: dict) -> None:
    upsert(conn, plan_states, values, ["plan_id"])


def save_activity_state(conn: Connection, values: dict) -> None:
    upsert(conn, activity_states, values, ["activity_id"], keep=ACTIVITY_KEEP)


def _upsert_many_statement(conn: Connection):
    """``INSERT INTO activity_states ... ON CONFLICT (activity_id) DO UPDATE ... RETURNING activity_id``.

    RETURNING makes SQLAlchemy send a list of rows as ONE multi-row statement (insertmanyvalues)
    instead of one execution per row."""
    stmt = _UPSERT_MANY.get(conn.dialect.name)
    if stmt is None:
        stmt = dialect_insert(conn)(activity_states)
        updates = {
            c.name: func.coalesce(stmt.excluded[c.name], c) if c.name in ACTIVITY_KEEP else stmt.excluded[c.name]
            for c in activity_states.c
            if c.name != "activity_id"
        }
        stmt = _UPSERT_MANY[conn.dialect.name] = stmt.on_conflict_do_update(
            index_elements=["activity_id"], set_=updates
        ).returning(activity_states.c.activity_id)
    return stmt


def save_activity_states(conn: Connection, rows: list[dict]) -> None:
    """Several activities' states in one statement."""
    conn.execute(_upsert_many_statement(conn), rows).all()


def withdraw_activity(conn: Connection, activity_id: str, now: datetime) -> None:
    conn.execute(
        update(activity_states)
        .where(activity_states.c.activity_id == activity_id)
        .values(status="withdrawn", updated_at=now)
    )


def activity_description(conn: Connection, activity_id: str) -> str | None:
    return conn.execute(
        select(activity_states.c.description).where(activity_states.c.activity_id == activity_id)
    ).scalar()


def save_evaluation_state(conn: Connection, values: dict) -> None:
    upsert(conn, evaluation_states, values, ["evaluation_id"])


def save_realisation_state(conn: Connection, values: dict) -> None:
    upsert(conn, realisation_states, values, ["evaluation_id"])
