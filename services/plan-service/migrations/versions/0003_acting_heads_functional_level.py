"""acting heads (Plt./Plh.) and the employee's functional level (jenjang)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 08:30:00
"""

import sqlalchemy as sa
from alembic import op

import kinerja_shared.db

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "acting_heads",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("decree_number", sa.String(length=100), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.Column("revoked_by", sa.String(length=64), nullable=True),
        sa.Column("revoked_at", kinerja_shared.db.UTCDateTime(), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acting_heads")),
    )
    with op.batch_alter_table("acting_heads", schema=None) as batch_op:
        batch_op.create_index("ix_acting_heads_unit", ["unit_id", "valid_from"], unique=False)
        batch_op.create_index(batch_op.f("ix_acting_heads_nip"), ["nip"], unique=False)
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("functional_level", sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.drop_column("functional_level")
    with op.batch_alter_table("acting_heads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_acting_heads_nip"))
        batch_op.drop_index("ix_acting_heads_unit")
    op.drop_table("acting_heads")
