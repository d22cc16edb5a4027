"""performance dialogues (dialog kinerja) and their confirmed revisions

Revision ID: 0003_dialogues
Revises: 0002
Create Date: 2026-12-07 10:40:00
"""

import sqlalchemy as sa
from alembic import op

import kinerja_shared.db

revision = "0003_dialogues"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dialogues",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("plan_id", sa.String(length=64), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("rater_nip", sa.String(length=18), nullable=False),
        sa.Column("rater_superior_nip", sa.String(length=18), nullable=True),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("period_id", sa.String(length=16), nullable=False),
        sa.Column("evaluation_id", sa.String(length=36), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("follow_ups", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(length=18), nullable=False),
        sa.Column("recorded_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.Column("confirmed_by_employee_at", kinerja_shared.db.UTCDateTime(), nullable=True),
        sa.Column("confirmed_by_rater_at", kinerja_shared.db.UTCDateTime(), nullable=True),
        sa.Column("correction_reason", sa.Text(), nullable=True),
        sa.Column("updated_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialogues")),
        sa.UniqueConstraint("plan_id", "stage", "period_id", name="uq_dialogues_plan_stage_period"),
    )
    with op.batch_alter_table("dialogues", schema=None) as batch_op:
        batch_op.create_index("ix_dialogues_nip_period", ["nip", "period_id"], unique=False)
        batch_op.create_index("ix_dialogues_period_unit_status", ["period_id", "unit_id", "status"], unique=False)
        batch_op.create_index("ix_dialogues_recorded", ["recorded_at", "id"], unique=False)

    op.create_table(
        "dialogue_revisions",
        sa.Column("dialogue_id", sa.String(length=36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("superseded_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.Column("superseded_by", sa.String(length=18), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("dialogue_id", "revision", name=op.f("pk_dialogue_revisions")),
    )


def downgrade() -> None:
    op.drop_table("dialogue_revisions")
    with op.batch_alter_table("dialogues", schema=None) as batch_op:
        batch_op.drop_index("ix_dialogues_recorded")
        batch_op.drop_index("ix_dialogues_period_unit_status")
        batch_op.drop_index("ix_dialogues_nip_period")
    op.drop_table("dialogues")
