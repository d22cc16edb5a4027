"""The units' writes: the organisational predicate and the finalised calibration of a period."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from kinerja_shared.db import upsert

from .models import calibrations, unit_predicates
from .units_queries import calibration, unit_predicate


def save_unit_predicate(conn: Connection, row: dict):
    upsert(conn, unit_predicates, row, ["unit_id", "period_id"])
    return unit_predicate(conn, row["unit_id"], row["period_id"])


def save_calibration(conn: Connection, row: dict):
    upsert(conn, calibrations, row, ["unit_id", "period_id"])
    return calibration(conn, row["unit_id"], row["period_id"])
