"""action plans (rencana aksi): the agreed actions read model, and the action an activity fact advances

Revision ID: 0005_actions
Revises: 0003_i15_realisation
Create Date: 2026-12-07 11:00:00
"""

import sqlalchemy as sa
from alembic import op

import kinerja_shared.db

revision = "0005_actions"
down_revision = "0003_i15_realisation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agreed_actions",
        sa.Column("action_id", sa.String(length=64), nullable=False),
        sa.Column("plan_id", sa.String(length=64), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("result_id", sa.String(length=64), nullable=False),
        sa.Column("indicator_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("target_value", sa.Float(), nullable=True),
        sa.Column("target_unit", sa.String(length=50), nullable=True),
        sa.PrimaryKeyConstraint("action_id", name=op.f("pk_agreed_actions")),
    )
    with op.batch_alter_table("agreed_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreed_actions_plan_id"), ["plan_id"], unique=False)
    op.create_table(
        "action_sets",
        sa.Column("plan_id", sa.String(length=64), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_action_sets")),
    )
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("action_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_column("action_id")
    op.drop_table("action_sets")
    with op.batch_alter_table("agreed_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreed_actions_plan_id"))
    op.drop_table("agreed_actions")
