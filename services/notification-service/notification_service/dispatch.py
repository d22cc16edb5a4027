"""What the worker's outbound channels share (webhooks.py, mailer.py, siasn.py): the polling loop of a
background job and the claim of one due row across several workers."""
from __future__ import annotations

import logging
import threading
from typing import Callable

from sqlalchemy.engine import Connection

from kinerja_shared.db import is_postgres

log = logging.getLogger(__name__)


def claim(conn: Connection, query, of=None):
    """The first row of ``query`` (a SELECT of due rows, ordered), locked for this transaction; rows other
    workers hold are skipped (PostgreSQL ``FOR UPDATE SKIP LOCKED``, ``of`` the tables to lock)."""
    if is_postgres(conn):
        query = query.with_for_update(skip_locked=True, of=of) if of is not None else \
            query.with_for_update(skip_locked=True)
    return conn.execute(query).first()


def poll(job: str, step: Callable[[], object], poll_seconds: float, stop: threading.Event) -> None:
    """Run ``step`` every ``poll_seconds`` until ``stop`` is set; when it raises (the database is down),
    back off (doubling, at most 10 s) and keep trying."""
    backoff = poll_seconds
    while not stop.is_set():
        try:
            step()
            backoff = poll_seconds
        except Exception as exc:  # database down: keep trying
            log.warning(f"{job} is backing off", extra={"error": repr(exc)})
            backoff = min(max(backoff * 2, 0.5), 10.0)
        stop.wait(backoff)
