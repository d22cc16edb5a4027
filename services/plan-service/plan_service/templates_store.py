"""The SQL of plan templates (SQLAlchemy Core), called by the use cases on ``uow.conn``."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from .models import plan_templates


def load(conn: Connection, template_id: str, *, for_update: bool = False):
    query = select(plan_templates).where(plan_templates.c.id == template_id)
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def insert(conn: Connection, values: dict) -> None:
    conn.execute(plan_templates.insert().values(**values))


def update_template(conn: Connection, template_id: str, **values) -> None:
    conn.execute(update(plan_templates).where(plan_templates.c.id == template_id).values(**values))


def delete(conn: Connection, template_id: str) -> None:
    conn.execute(plan_templates.delete().where(plan_templates.c.id == template_id))


def page(conn: Connection, *, position: str | None, after: str | None, limit: int) -> list:
    """Templates by id (of one ``position``), after the id ``after``; at most ``limit``."""
    query = select(plan_templates).order_by(plan_templates.c.id)
    if position:
        query = query.where(plan_templates.c.position == position)
    if after:
        query = query.where(plan_templates.c.id > after)
    return conn.execute(query.limit(limit)).all()
