"""Tables of the employee's realisation (on models.metadata, so migrations and tests see them).

- ``self_assessments`` (own data): per evaluation the employee's realisation — per result the
  realisation, a narrative and the evidence (bukti dukung) — as a draft, submitted, or returned
  by the rater with a reason.
- ``activity_evidence`` (read model, from ActivityLogged/Updated/Corrected; a replay by
  ``rebuild-read-models`` refills it, the latest version winning): the evidence attached
  to each activity, so the employee can pick it for a result.
"""

from sqlalchemy import JSON, Column, Date, Index, Integer, String, Table, Text

from kinerja_shared.db import UTCDateTime

from .models import metadata

self_assessments = Table(
    "self_assessments",
    metadata,
    Column("evaluation_id", String(36), primary_key=True),
    Column("nip", String(18), nullable=False, index=True),
    Column("status", String(16), nullable=False),  # draft, submitted, returned
    Column("version", Integer, nullable=False),
    Column("results", JSON, nullable=False),  # [{result_id, realisation, narrative, evidence: [...]}]
    Column("submitted_at", UTCDateTime()),
    Column("returned_at", UTCDateTime()),
    Column("returned_by", String(64)),
    Column("return_reason", Text),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

activity_evidence = Table(
    "activity_evidence",
    metadata,
    Column("activity_id", String(64), primary_key=True),
    Column("nip", String(18), nullable=False),
    Column("plan_id", String(64)),
    Column("result_id", String(64)),
    Column("indicator_id", String(64)),
    Column("date", Date, nullable=False),
    Column("description", Text),
    Column("evidence", JSON, nullable=False),  # as in the event: [{kind: link, url} | {kind: file, file_id, name, ...}]
    Column("version", Integer),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_activity_evidence_plan_date", "plan_id", "date"),
)

realisation_files = Table(  # evidence files the employee uploaded for a result (kinerja_shared.evidence storage)
    "realisation_files",
    metadata,
    Column("id", String(32), primary_key=True),  # also the stored file's name (plus extension)
    Column("evaluation_id", String(36), nullable=False, index=True),
    Column("result_id", String(64), nullable=False),
    Column("nip", String(18), nullable=False),
    Column("original_name", String(200), nullable=False),
    Column("stored_name", String(100), nullable=False),  # relative to EVALUATION_EVIDENCE_DIR
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_at", UTCDateTime(), nullable=False),
    Column("removed_at", UTCDateTime()),
)
