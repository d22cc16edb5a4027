"""action plans (rencana aksi): the set per plan, its working actions, every agreed version

Revision ID: 0005_actions
Revises: 0004_i18_siasn
Create Date: 2026-12-07 10:40:00
"""

import sqlalchemy as sa
from alembic import op

import kinerja_shared.db

revision = "0005_actions"
down_revision = "0004_i18_siasn"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "action_plans",
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("agreed_version", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("amendment_reason", sa.Text(), nullable=True),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.Column("submitted_at", kinerja_shared.db.UTCDateTime(), nullable=True),
        sa.Column("agreed_at", kinerja_shared.db.UTCDateTime(), nullable=True),
        sa.Column("agreed_by", sa.String(length=64), nullable=True),
        sa.Column("dropped", sa.JSON(), nullable=True),
        sa.Column("updated_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_action_plans")),
    )
    op.create_table(
        "plan_actions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("result_id", sa.String(length=64), nullable=False),
        sa.Column("indicator_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("target_value", sa.Float(), nullable=True),
        sa.Column("target_unit", sa.String(length=50), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_actions")),
    )
    with op.batch_alter_table("plan_actions", schema=None) as batch_op:
        batch_op.create_index("ix_plan_actions_plan_period", ["plan_id", "period", "id"], unique=False)
    op.create_table(
        "action_plan_versions",
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("plan_revision", sa.Integer(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("dropped", sa.JSON(), nullable=True),
        sa.Column("amendment_reason", sa.Text(), nullable=True),
        sa.Column("agreed_by", sa.String(length=64), nullable=True),
        sa.Column("agreed_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("plan_id", "version", name=op.f("pk_action_plan_versions")),
    )


def downgrade() -> None:
    op.drop_table("action_plan_versions")
    with op.batch_alter_table("plan_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_actions_plan_period")
    op.drop_table("plan_actions")
    op.drop_table("action_plans")
