"""acting heads (Plt./Plh.) read model, from plan-service's UnitHeadAssigned events

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 08:30:00
"""

import sqlalchemy as sa
from alembic import op

import kinerja_shared.db

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "acting_heads",
        sa.Column("assignment_id", sa.String(length=64), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("decree_number", sa.String(length=200), nullable=True),
        sa.Column("updated_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("assignment_id", name=op.f("pk_acting_heads")),
    )
    op.create_index("ix_acting_heads_nip", "acting_heads", ["nip"], unique=False)
    op.create_index("ix_acting_heads_unit", "acting_heads", ["unit_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_acting_heads_unit", table_name="acting_heads")
    op.drop_index("ix_acting_heads_nip", table_name="acting_heads")
    op.drop_table("acting_heads")
