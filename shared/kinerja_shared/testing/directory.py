"""Test helpers for the cost of a unit-scope check: a large directory written straight into a service's
``units`` and ``unit_ancestors`` tables, and the SQL statements a block of code sends."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Table, event
from sqlalchemy.engine import Engine

from kinerja_shared import unit_tree


def wide_directory(count: int, *, per_opd: int = 100) -> dict[str, list[str]]:
    """``count`` units as {id: path}: OPDs ``opd-00000``.. with ``per_opd - 1`` sub-units each (two levels)."""
    paths: dict[str, list[str]] = {}
    for i in range(count):
        opd = f"opd-{i // per_opd:05d}"
        paths[f"{opd}-s{i % per_opd:03d}" if i % per_opd else opd] = (
            [opd, f"{opd}-s{i % per_opd:03d}"] if i % per_opd else [opd]
        )
    return paths


def add_units(engine: Engine, units: Table, ancestors: Table, paths: dict[str, list[str]], **extra) -> None:
    """Write the units of ``paths`` (named after their ids) and their closure rows, as the service would."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [{"id": u, "name": u, "path": p, "head_nip": None, "updated_at": now, **extra} for u, p in paths.items()]
    with engine.begin() as conn:
        for i in range(0, len(rows), unit_tree.CHUNK):
            conn.execute(units.insert(), rows[i : i + unit_tree.CHUNK])
        unit_tree.set_paths(conn, ancestors, paths)


@contextmanager
def recorded_statements(engine: Engine):
    """The SQL statements sent on ``engine`` inside the block (a list, filled as they run)."""
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)
