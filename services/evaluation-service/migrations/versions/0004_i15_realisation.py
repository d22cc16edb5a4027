"""the employee's realisation (self_assessments) and the activities' evidence read model (issue 15)

Revision ID: 0003_i15_realisation
Revises: 0003_dialogues
Create Date: 2026-12-07 10:40:00
"""

import sqlalchemy as sa
from alembic import op

import kinerja_shared.db

revision = "0003_i15_realisation"
down_revision = "0003_dialogues"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "self_assessments",
        sa.Column("evaluation_id", sa.String(length=36), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("submitted_at", kinerja_shared.db.UTCDateTime(), nullable=True),
        sa.Column("returned_at", kinerja_shared.db.UTCDateTime(), nullable=True),
        sa.Column("returned_by", sa.String(length=64), nullable=True),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.Column("created_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("evaluation_id", name=op.f("pk_self_assessments")),
    )
    with op.batch_alter_table("self_assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_self_assessments_nip"), ["nip"], unique=False)

    op.create_table(
        "activity_evidence",
        sa.Column("activity_id", sa.String(length=64), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("plan_id", sa.String(length=64), nullable=True),
        sa.Column("result_id", sa.String(length=64), nullable=True),
        sa.Column("indicator_id", sa.String(length=64), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("updated_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("activity_id", name=op.f("pk_activity_evidence")),
    )
    with op.batch_alter_table("activity_evidence", schema=None) as batch_op:
        batch_op.create_index("ix_activity_evidence_plan_date", ["plan_id", "date"], unique=False)

    op.create_table(
        "realisation_files",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("evaluation_id", sa.String(length=36), nullable=False),
        sa.Column("result_id", sa.String(length=64), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("original_name", sa.String(length=200), nullable=False),
        sa.Column("stored_name", sa.String(length=100), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.Column("removed_at", kinerja_shared.db.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_realisation_files")),
    )
    with op.batch_alter_table("realisation_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_realisation_files_evaluation_id"), ["evaluation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("realisation_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_realisation_files_evaluation_id"))
    op.drop_table("realisation_files")
    with op.batch_alter_table("activity_evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_evidence_plan_date")
    op.drop_table("activity_evidence")
    with op.batch_alter_table("self_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_self_assessments_nip"))
    op.drop_table("self_assessments")
