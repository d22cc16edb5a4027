"""plan-service tables (SQLAlchemy Core) plus the platform tables from kinerja_shared."""
from sqlalchemy import JSON, Boolean, Column, Date, Float, Index, Integer, String, Table, Text

from kinerja_shared.db import UTCDateTime, new_metadata

metadata = new_metadata()

units = Table(
    "units",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("parent_id", String(64), index=True),
    Column("path", JSON, nullable=False),  # ids from the root OPD down to this unit
    Column("head_nip", String(18)),
    Column("updated_at", UTCDateTime(), nullable=False),
)

employees = Table(
    "employees",
    metadata,
    Column("nip", String(18), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("position", String(200)),
    Column("rank", String(100)),
    Column("grade", String(20)),
    Column("unit_id", String(64), nullable=False, index=True),
    Column("rater_nip", String(18), index=True),
    Column("rater_superior_nip", String(18)),
    Column("email", String(254)),
    Column("phone", String(32)),
    Column("functional_coefficient", Float),
    Column("active", Boolean, nullable=False, default=True),
    Column("version", Integer, nullable=False, default=1),
    Column("updated_at", UTCDateTime(), nullable=False),
)

plans = Table(
    "plans",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("nip", String(18), nullable=False),
    Column("year", Integer, nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("approach", String(16), nullable=False),
    Column("model", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("rater_nip", String(18)),
    Column("rater_superior_nip", String(18)),
    Column("unit_id", String(64), nullable=False),
    Column("content", JSON, nullable=False),  # results (with indicators), behaviours, attachments
    Column("revision", Integer, nullable=False, default=1),
    Column("version", Integer, nullable=False, default=1),
    Column("return_reason", Text),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("submitted_at", UTCDateTime()),
    Column("approved_at", UTCDateTime()),
    Index("ix_plans_nip_year", "nip", "year"),
    Index("ix_plans_rater_status", "rater_nip", "status"),
)
