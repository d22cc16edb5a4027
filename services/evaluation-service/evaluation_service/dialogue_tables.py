"""evaluation-service tables of the performance dialogue (dialog kinerja), on the service's metadata.

``dialogues``: one record per plan, stage and period, with who took part, the topics, the agreed
follow-ups and each party's confirmation. ``dialogue_revisions``: a confirmed dialogue as it was
before a correction made it a new revision (the history).
"""

from sqlalchemy import JSON, Column, Date, Index, Integer, String, Table, Text, UniqueConstraint

from kinerja_shared.db import UTCDateTime

from .models import metadata

dialogues = Table(
    "dialogues",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("plan_id", String(64), nullable=False),
    Column("nip", String(18), nullable=False),
    Column("rater_nip", String(18), nullable=False),
    Column("rater_superior_nip", String(18)),
    Column("unit_id", String(64), nullable=False),
    Column("stage", String(16), nullable=False),  # planning | evaluation
    Column("period_id", String(16), nullable=False),
    Column("evaluation_id", String(36)),  # the evaluation it belongs to (stage evaluation)
    Column("held_on", Date, nullable=False),
    Column("participants", JSON, nullable=False),  # NIPs: the employee, the rater, then the others
    Column("topics", Text, nullable=False),
    Column("follow_ups", Text),
    Column("status", String(16), nullable=False),  # recorded | confirmed
    Column("revision", Integer, nullable=False, default=1),  # +1 for each correction after both confirmed
    Column("version", Integer, nullable=False, default=1),  # +1 for every change (ETag, the event's version)
    Column("recorded_by", String(18), nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Column("confirmed_by_employee_at", UTCDateTime()),
    Column("confirmed_by_rater_at", UTCDateTime()),
    Column("correction_reason", Text),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("plan_id", "stage", "period_id", name="uq_dialogues_plan_stage_period"),
    Index("ix_dialogues_period_unit_status", "period_id", "unit_id", "status"),
    Index("ix_dialogues_nip_period", "nip", "period_id"),
    Index("ix_dialogues_recorded", "recorded_at", "id"),
)

dialogue_revisions = Table(
    "dialogue_revisions",
    metadata,
    Column("dialogue_id", String(36), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("snapshot", JSON, nullable=False),  # the confirmed dialogue as it was
    Column("superseded_at", UTCDateTime(), nullable=False),
    Column("superseded_by", String(18), nullable=False),
    Column("reason", Text, nullable=False),
)
