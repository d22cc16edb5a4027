"""The SQL of evidence files (bukti dukung): the record of each stored file of an entry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from .models import evidence_files


def add_file(conn: Connection, **values) -> None:
    """Record a stored file (id, activity_id, nip, original_name, stored_name, content_type, size, sha256,
    uploaded_by, uploaded_at)."""
    conn.execute(evidence_files.insert().values(**values))


def evidence_file(conn: Connection, activity_id: str, file_id: str):
    """The entry's file ``file_id`` not removed, or None."""
    return conn.execute(
        select(evidence_files).where(
            evidence_files.c.id == file_id,
            evidence_files.c.activity_id == activity_id,
            evidence_files.c.removed_at.is_(None),
        )
    ).first()


def mark_removed(conn: Connection, file_id: str, when: datetime) -> None:
    conn.execute(update(evidence_files).where(evidence_files.c.id == file_id).values(removed_at=when))
