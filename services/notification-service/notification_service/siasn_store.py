"""The SQL of the SIASN channel: the records owed to SIASN (``siasn_records``) and the directory they are
built from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.engine import Connection

from .models import contacts, siasn_records
from .store import claim, for_update

records = siasn_records


def contact(conn: Connection, nip: str):
    return conn.execute(select(contacts).where(contacts.c.nip == nip)).first()


def record(conn: Connection, record_id: int, *, lock: bool = False):
    query = select(records).where(records.c.id == record_id)
    return conn.execute(for_update(conn, query) if lock else query).first()


def record_of(conn: Connection, evaluation_id: str, kind: str):
    return conn.execute(select(records).where(records.c.evaluation_id == evaluation_id, records.c.kind == kind)).first()


def insert(conn: Connection, values: dict) -> None:
    conn.execute(records.insert().values(**values))


def change(conn: Connection, record_id: int, values: dict) -> None:
    conn.execute(update(records).where(records.c.id == record_id).values(**values))


def reopen(conn: Connection, evaluation_id: str, revision: int, now: datetime, status: str) -> None:
    """The records of older revisions of the evaluation wait (``status``)."""
    conn.execute(
        update(records)
        .where(records.c.evaluation_id == evaluation_id, records.c.revision < revision)
        .values(status=status, updated_at=now)
    )


def waiting_for(conn: Connection, nip: str, status: str) -> list:
    """Records in ``status`` whose employee or rater is ``nip``."""
    return conn.execute(
        select(records).where(records.c.status == status, or_(records.c.nip == nip, records.c.rater_nip == nip))
    ).all()


def claim_due(conn: Connection, now: datetime, status: str):
    return claim(
        conn,
        select(records)
        .where(records.c.status == status, records.c.next_attempt_at <= now)
        .order_by(records.c.next_attempt_at, records.c.id)
        .limit(1),
    )


def finish_attempt(conn: Connection, row, status: str, values: dict) -> int:
    """The outcome of the attempt ``row`` claimed, unless the record moved on meanwhile; rows changed."""
    mine = and_(
        records.c.id == row.id,
        records.c.attempts == row.attempts,
        records.c.revision == row.revision,
        records.c.status == status,
    )
    return conn.execute(update(records).where(mine).values(**values)).rowcount


def listing(filters: dict):
    """The SELECT of the records matching ``filters`` (column: value; paged by ``store.newest_first``)."""
    query = select(records)
    for name, value in filters.items():
        query = query.where(records.c[name] == value)
    return query


def per_unit(conn: Connection, year: int, unit_id: str | None, groups: dict[str, tuple[str, ...]]) -> list:
    """Per unit of ``year``: for each name of ``groups``, how many records are in its statuses."""
    c = records.c
    counts = [func.sum(case((c.status.in_(statuses), 1), else_=0)).label(name) for name, statuses in groups.items()]
    query = select(c.unit_id, *counts).where(c.year == year).group_by(c.unit_id).order_by(c.unit_id)
    if unit_id:
        query = query.where(c.unit_id == unit_id)
    return conn.execute(query).all()


def of_unit_period(conn: Connection, unit_id: str, period_id: str) -> list:
    return conn.execute(
        select(records)
        .where(records.c.unit_id == unit_id, records.c.period_id == period_id)
        .order_by(records.c.nip, records.c.kind)
    ).all()
