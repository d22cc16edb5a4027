"""Acting heads (Plt./Plh.) as a read model: plan-service's ``UnitHeadAssigned`` events, kept per consumer.

An acting head has the head's rights in the unit (and every unit below it) on the days of the
span, both ends included, and none before or after it. Who heads a unit comes only from the
directory: a definitive head (``EmployeeUpserted.is_unit_head``) or an active assignment whose
span holds today (the service's timezone); never from a token's ``unit``/role claims.

A consuming service keeps the assignments in its own table (``acting_heads_table(metadata)``,
created by one of its migrations), registers ``on_unit_head_assigned(table)`` for
``UnitHeadAssigned`` and lists the table in ``ServiceSpec.read_models``. The latest version of
an assignment wins: a redelivered or late older version changes nothing.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, Index, Integer, MetaData, String, Table, and_, or_, select, update
from sqlalchemy.engine import Connection

from .db import UTCDateTime, insert_ignore, utcnow

TABLE_NAME = "acting_heads"


def acting_heads_table(metadata: MetaData) -> Table:
    """The read-model table of a service's acting-head assignments (one row per assignment id)."""
    return Table(
        TABLE_NAME,
        metadata,
        Column("assignment_id", String(64), primary_key=True),
        Column("unit_id", String(64), nullable=False),
        Column("nip", String(18), nullable=False),
        Column("kind", String(8), nullable=False),  # plt, plh
        Column("valid_from", Date, nullable=False),
        Column("valid_to", Date),  # the last day (included); NULL: until revoked
        Column("status", String(16), nullable=False),  # active, revoked
        Column("version", Integer, nullable=False),
        Column("decree_number", String(200)),
        Column("updated_at", UTCDateTime(), nullable=False),
        Index("ix_acting_heads_nip", "nip"),
        Index("ix_acting_heads_unit", "unit_id"),
    )


def on_unit_head_assigned(table: Table):
    """The consumer's handler for ``UnitHeadAssigned`` into ``table`` (the latest version wins)."""

    def handle(conn: Connection, event) -> None:
        d = event.data
        row = dict(
            assignment_id=d["assignment_id"],
            unit_id=d["unit_id"],
            nip=d["nip"],
            kind=d["kind"],
            valid_from=date.fromisoformat(d["valid_from"]),
            valid_to=date.fromisoformat(d["valid_to"]) if d.get("valid_to") else None,
            status=d["status"],
            version=int(d["version"]),
            decree_number=d.get("decree_number"),
            updated_at=utcnow(),
        )
        if not insert_ignore(conn, table, row):
            conn.execute(
                update(table)
                .where(table.c.assignment_id == row["assignment_id"], table.c.version < row["version"])
                .values(**{k: v for k, v in row.items() if k != "assignment_id"})
            )

    handle.__name__ = "on_unit_head_assigned"
    return handle


def in_force(table, day) -> object:
    """The clause: an assignment of ``table`` (a Table or an alias) that is active on ``day`` (a date or a bind
    parameter)."""
    return and_(
        table.c.status == "active", table.c.valid_from <= day, or_(table.c.valid_to.is_(None), table.c.valid_to >= day)
    )


def acting_units(conn: Connection, table: Table, nip: str, day: date) -> list[str]:
    """The units ``nip`` heads as Plt./Plh. on ``day`` (sorted, each once)."""
    return sorted(set(conn.execute(select(table.c.unit_id).where(table.c.nip == nip, in_force(table, day))).scalars()))


def acting_heads_of(conn: Connection, table: Table, unit_ids, day: date) -> set[str]:
    """The NIPs of the acting heads, on ``day``, of any of ``unit_ids``."""
    unit_ids = list(unit_ids)
    if not unit_ids:
        return set()
    return set(conn.execute(select(table.c.nip).where(table.c.unit_id.in_(unit_ids), in_force(table, day))).scalars())
