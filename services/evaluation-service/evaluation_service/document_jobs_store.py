"""The SQL of the bulk document jobs: queue, claim (several workers share the queue), progress, read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from . import domain
from .models import document_jobs, evaluations, units

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
JOB_COLUMNS = [c for c in document_jobs.c if c.name != "zip"]


def unit_known(conn, unit_id: str) -> bool:
    return conn.execute(select(units.c.id).where(units.c.id == unit_id)).first() is not None


def insert(conn, **values) -> None:
    conn.execute(document_jobs.insert().values(**values))


def job(conn, unit_id: str, job_id: str, *, with_zip: bool = False):
    """A job of the unit (without its ZIP unless asked); None when there is none."""
    columns = [*JOB_COLUMNS, document_jobs.c.zip] if with_zip else JOB_COLUMNS
    return conn.execute(
        select(*columns).where(document_jobs.c.id == job_id, document_jobs.c.unit_id == unit_id)
    ).first()


def claim(conn, now: datetime, stale_before: datetime):
    """The oldest queued job (or one left running since ``stale_before`` by a worker that stopped), now running
    (``FOR UPDATE SKIP LOCKED`` on PostgreSQL); None when there is none."""
    stale = (document_jobs.c.status == RUNNING) & (document_jobs.c.started_at < stale_before)
    query = (
        select(document_jobs.c.id)
        .where((document_jobs.c.status == QUEUED) | stale)
        .order_by(document_jobs.c.requested_at)
        .limit(1)
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    found = conn.execute(query).first()
    if found is None:
        return None
    conn.execute(update(document_jobs).where(document_jobs.c.id == found.id).values(status=RUNNING, started_at=now))
    return conn.execute(select(document_jobs).where(document_jobs.c.id == found.id)).first()


def progress(conn, job_id: str, **values) -> None:
    conn.execute(update(document_jobs).where(document_jobs.c.id == job_id).values(**values))


def closed_evaluations(conn, period_id: str, unit_ids: set[str]) -> list:
    """The closed evaluations of the units for the period, by NIP."""
    return conn.execute(
        select(evaluations)
        .where(
            evaluations.c.period_id == period_id,
            evaluations.c.unit_id.in_(unit_ids),
            evaluations.c.status == domain.CLOSED,
        )
        .order_by(evaluations.c.nip, evaluations.c.id)
    ).all()
