"""acting heads (UnitHeadAssigned), functional levels, the organisational predicate's basis, PAK records

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
    with op.batch_alter_table("acting_heads", schema=None) as batch_op:
        batch_op.create_index("ix_acting_heads_nip", ["nip"], unique=False)
        batch_op.create_index("ix_acting_heads_unit", ["unit_id"], unique=False)

    op.create_table(
        "credit_assessments",
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.String(length=36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("functional_level", sa.String(length=2), nullable=True),
        sa.Column("coefficient", sa.Float(), nullable=True),
        sa.Column("coefficient_source", sa.String(length=32), nullable=True),
        sa.Column("periods", sa.JSON(), nullable=False),
        sa.Column("periodic_total", sa.Float(), nullable=True),
        sa.Column("annual_predicate", sa.String(length=16), nullable=True),
        sa.Column("annual_credit_points", sa.Float(), nullable=True),
        sa.Column("basis", sa.JSON(), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("set_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("nip", "year", name=op.f("pk_credit_assessments")),
    )
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("functional_level", sa.String(length=2), nullable=True))
    with op.batch_alter_table("unit_predicates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("basis", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("document_number", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("authority", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("unit_predicates", schema=None) as batch_op:
        batch_op.drop_column("authority")
        batch_op.drop_column("document_number")
        batch_op.drop_column("basis")
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.drop_column("functional_level")
    op.drop_table("credit_assessments")
    with op.batch_alter_table("acting_heads", schema=None) as batch_op:
        batch_op.drop_index("ix_acting_heads_unit")
        batch_op.drop_index("ix_acting_heads_nip")
    op.drop_table("acting_heads")
