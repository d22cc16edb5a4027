"""indicators' measure and deadline_day in the plan read model (realisation per indicator aspect, issue 15)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 10:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan_indicators") as batch:
        batch.add_column(sa.Column("measure", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("deadline_day", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_indicators") as batch:
        batch.drop_column("deadline_day")
        batch.drop_column("measure")
