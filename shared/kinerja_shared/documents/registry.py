"""The register of issued documents (one ``documents`` table in each issuing service's database).

A document is identified by its type and subject (a plan, an evaluation, a unit's period, an employee's
year) and a revision. Issuing one (``issue``) gives it its verification code the first time and renders it
with that code; later downloads render the same data with the same code, so they are the same bytes with
the same SHA-256 and answer from the same row. When the data printed changed without a new revision (the
directory corrected a name), the old row becomes ``superseded`` (by the new code) and a new row is written:
rows are never deleted, so every printed copy can still be checked.

The status a verifier sees (``status_of``): ``revoked`` or ``superseded`` as stored; else ``superseded`` when
a later revision of the same subject was issued here or the service says its subject moved on (a plan
amended, an evaluation reopened: the ``state`` callback), else ``valid``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, Index, Integer, String, Table, Text, func, select, text, update

from ..db import UTCDateTime, utcnow
from .codes import new_code
from .render import sha256

VALID, SUPERSEDED, REVOKED = "valid", "superseded", "revoked"
STATUS_TEXT_ID = {
    VALID: "Sah: dokumen ini adalah revisi yang berlaku",
    SUPERSEDED: "Digantikan oleh revisi yang lebih baru",
    REVOKED: "Dicabut",
}


def documents_table(metadata) -> Table:
    """The ``documents`` table, added to a service's metadata (its migration 000N_documents creates it)."""
    return Table(
        "documents",
        metadata,
        Column("code", String(16), primary_key=True),
        Column("doc_type", String(40), nullable=False),
        Column("subject", String(200), nullable=False),  # plan id, evaluation id, "unit/period", "nip/year"
        Column("revision", Integer, nullable=False),
        Column("sha256", String(64), nullable=False),
        Column("issued_at", UTCDateTime(), nullable=False),
        Column("status", String(16), nullable=False),  # valid, superseded, revoked
        Column("superseded_by", String(16)),
        Column("status_reason", Text),
        Column("title", String(200), nullable=False),  # "Sasaran Kinerja Pegawai" ...
        Column("employee_name", String(200)),
        Column("nip", String(18)),
        Column("period", String(100), nullable=False),  # as printed: "Tahun 2026", "Triwulan I 2026" ...
        Column("size_bytes", Integer, nullable=False),
        Index("ix_documents_subject", "doc_type", "subject", "revision"),
    )


@dataclass(frozen=True)
class Facts:
    """What the verify answer tells about a document (stored with its row, printed on it)."""

    title: str
    period: str
    employee_name: str | None = None
    nip: str | None = None


@dataclass(frozen=True)
class Issued:
    code: str
    pdf: bytes
    sha256: str
    new: bool = False  # a code given out by this call (the caller may audit it)


def _lock(conn, doc_type: str, subject: str) -> None:
    """One issuer at a time per subject (PostgreSQL: a transaction-scoped advisory lock), so two first
    downloads at once do not give the same document two codes."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"documents:{doc_type}:{subject}"})


def issue(
    conn,
    table: Table,
    *,
    prefix: str,
    doc_type: str,
    subject: str,
    revision: int | None,
    facts: Facts,
    render: Callable[[str], bytes],
    status: str = VALID,
    now: datetime | None = None,
) -> Issued:
    """The document's bytes, rendered by ``render(code)``, and its row (written or reused).

    ``revision``: the subject's own revision (a plan's, an evaluation's); None: the register numbers the
    revisions itself, a new one whenever the rendered bytes differ from the latest (a unit's decision, a PAK).
    ``status``: ``superseded`` for a document of an older revision issued only now (a plan's earlier revision)."""
    _lock(conn, doc_type, subject)
    # the row this document was last issued under: not replaced by a re-issue (superseded_by empty)
    query = select(table).where(
        table.c.doc_type == doc_type, table.c.subject == subject, table.c.superseded_by.is_(None)
    )
    if revision is not None:
        query = query.where(table.c.revision == revision)
    current = conn.execute(query.order_by(table.c.revision.desc(), table.c.issued_at.desc()).limit(1)).first()
    if current is not None:
        pdf = render(current.code)
        digest = sha256(pdf)
        if digest == current.sha256:
            return Issued(current.code, pdf, digest)
    code = new_code(prefix)
    pdf = render(code)
    digest = sha256(pdf)
    if revision is None:
        revision = (current.revision + 1) if current is not None else 1
    if current is not None:
        conn.execute(
            update(table)
            .where(table.c.code == current.code)
            .values(
                status=SUPERSEDED, superseded_by=code, status_reason="Data yang dicetak berubah; diterbitkan ulang."
            )
        )
    conn.execute(
        table.insert().values(
            code=code,
            doc_type=doc_type,
            subject=subject,
            revision=revision,
            sha256=digest,
            issued_at=now or utcnow(),
            status=status,
            superseded_by=None,
            status_reason=None,
            title=facts.title,
            employee_name=facts.employee_name,
            nip=facts.nip,
            period=facts.period,
            size_bytes=len(pdf),
        )
    )
    return Issued(code, pdf, digest, new=True)


StateFn = Callable[[object, object], "tuple[str, str | None] | None"]


def status_of(conn, table: Table, row, state: StateFn | None = None) -> tuple[str, str | None]:
    """(status, reason) of a register row as a verifier sees it now."""
    if row.status != VALID:
        return row.status, row.status_reason
    later = conn.execute(
        select(func.max(table.c.revision)).where(table.c.doc_type == row.doc_type, table.c.subject == row.subject)
    ).scalar()
    if later is not None and later > row.revision:
        return SUPERSEDED, f"Revisi {later} telah diterbitkan."
    if state is not None:
        found = state(conn, row)
        if found is not None:
            return found
    return VALID, None


def find(conn, table: Table, code: str):
    return conn.execute(select(table).where(table.c.code == code)).first()


def latest_code(conn, table: Table, doc_type: str, subject: str) -> str | None:
    """The newest code issued for the subject (e.g. to show the superseding one)."""
    row = conn.execute(
        select(table.c.code)
        .where(table.c.doc_type == doc_type, table.c.subject == subject)
        .order_by(table.c.revision.desc(), table.c.issued_at.desc())
        .limit(1)
    ).first()
    return row.code if row else None


def create_documents_table(op) -> None:
    """The migration step of an issuing service (its 000N_documents.py): the ``documents`` table as above."""
    import sqlalchemy as sa

    op.create_table(
        "documents",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("doc_type", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("superseded_by", sa.String(length=16), nullable=True),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("employee_name", sa.String(length=200), nullable=True),
        sa.Column("nip", sa.String(length=18), nullable=True),
        sa.Column("period", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_documents")),
    )
    op.create_index("ix_documents_subject", "documents", ["doc_type", "subject", "revision"], unique=False)
