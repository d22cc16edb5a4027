"""A unit's subtree at a cost independent of the directory's size: the closure table ``unit_ancestors``.

A unit row carries ``path``, the ids from the root OPD (perangkat daerah) down to the unit itself. The
closure holds one row (ancestor_id, unit_id) per id of that path, so "the units under X" is one indexed
read of the rows whose ancestor_id is X: its cost grows with X's own subtree, not with the directory
(10,000 units or 10). It is derived from each unit's stored path alone, so it answers exactly what
scanning every unit's path answered (``roots`` plus every unit whose path names one of them).

A service keeping units creates the table in a migration (``create_table`` + ``fill``), calls
``set_paths`` wherever it writes a unit's path (the directory's writes, the read model's event handlers;
idempotent: the unit's rows are replaced) and lists the table among its read models when the units are
one (a rebuild empties both and the replayed handlers fill both).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Column, Index, MetaData, String, Table, delete, select
from sqlalchemy.engine import Connection

TABLE_NAME = "unit_ancestors"
CHUNK = 500  # ids per IN list / rows per insert (SQLite's bound-parameter limit)


def unit_ancestors_table(metadata: MetaData) -> Table:
    """(ancestor_id, unit_id): ``unit_id``'s path names ``ancestor_id`` (the unit itself included)."""
    return Table(
        TABLE_NAME,
        metadata,
        Column("ancestor_id", String(64), primary_key=True),
        Column("unit_id", String(64), primary_key=True),
        Index("ix_unit_ancestors_unit_id", "unit_id"),
    )


def closure_rows(paths: Mapping[str, Iterable[str] | None]) -> list[dict]:
    return [
        {"ancestor_id": ancestor, "unit_id": unit_id}
        for unit_id, path in paths.items()
        for ancestor in dict.fromkeys(path or [])
    ]


def set_paths(conn: Connection, table: Table, paths: Mapping[str, Iterable[str] | None]) -> None:
    """Replace the closure rows of the units in ``paths`` ({unit_id: its path}) by those of these paths."""
    ids = sorted(paths)
    for i in range(0, len(ids), CHUNK):
        conn.execute(delete(table).where(table.c.unit_id.in_(ids[i : i + CHUNK])))
    rows = closure_rows(paths)
    for i in range(0, len(rows), CHUNK):
        conn.execute(table.insert(), rows[i : i + CHUNK])


def subtree(conn: Connection, table: Table, roots: set[str]) -> set[str]:
    """``roots`` and every unit whose path names one of them: one indexed read of the subtree's rows."""
    if not roots:
        return set()
    found = set(roots)
    ordered = sorted(roots)
    for i in range(0, len(ordered), CHUNK):
        query = select(table.c.unit_id).where(table.c.ancestor_id.in_(ordered[i : i + CHUNK]))
        found.update(conn.execute(query).scalars())
    return found


def create_table(op) -> None:
    """The migration step: the table and its index (alembic's ``op``)."""
    import sqlalchemy as sa

    op.create_table(
        TABLE_NAME,
        sa.Column("ancestor_id", sa.String(64), primary_key=True),
        sa.Column("unit_id", sa.String(64), primary_key=True),
    )
    op.create_index("ix_unit_ancestors_unit_id", TABLE_NAME, ["unit_id"])


def fill(conn: Connection) -> None:
    """The migration step for existing rows: the closure of every stored unit (read in one pass)."""
    import sqlalchemy as sa

    units = sa.table("units", sa.column("id", sa.String), sa.column("path", sa.JSON))
    table = unit_ancestors_table(MetaData())
    rows = closure_rows({r.id: r.path for r in conn.execute(select(units.c.id, units.c.path))})
    for i in range(0, len(rows), CHUNK):
        conn.execute(table.insert(), rows[i : i + CHUNK])


def drop_table(op) -> None:
    op.drop_index("ix_unit_ancestors_unit_id", table_name=TABLE_NAME)
    op.drop_table(TABLE_NAME)
