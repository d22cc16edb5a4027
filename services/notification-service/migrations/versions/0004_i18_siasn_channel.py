"""the SIASN channel: records sent to BKN, and what the directory says about SIASN identity

Revision ID: 0004_i18_siasn
Revises: 0003
Create Date: 2026-12-07 10:40:00
"""

import sqlalchemy as sa
from alembic import op

import kinerja_shared.db

revision = "0004_i18_siasn"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("functional_level", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("siasn_pns_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("rank_code", sa.String(length=8), nullable=True))
    op.create_table(
        "siasn_records",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("evaluation_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("rater_nip", sa.String(length=18), nullable=True),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("evaluation", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("siasn_id", sa.String(length=64), nullable=True),
        sa.Column("sent_revision", sa.Integer(), nullable=True),
        sa.Column("document", sa.String(length=16), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.Column("sent_at", kinerja_shared.db.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_siasn_records")),
        sa.UniqueConstraint("evaluation_id", "kind", name="uq_siasn_records_evaluation_kind"),
    )
    op.create_index("ix_siasn_records_status_next", "siasn_records", ["status", "next_attempt_at"], unique=False)
    op.create_index("ix_siasn_records_unit_year", "siasn_records", ["unit_id", "year"], unique=False)
    op.create_index("ix_siasn_records_nip", "siasn_records", ["nip"], unique=False)
    op.create_index("ix_siasn_records_rater", "siasn_records", ["rater_nip"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_siasn_records_rater", table_name="siasn_records")
    op.drop_index("ix_siasn_records_nip", table_name="siasn_records")
    op.drop_index("ix_siasn_records_unit_year", table_name="siasn_records")
    op.drop_index("ix_siasn_records_status_next", table_name="siasn_records")
    op.drop_table("siasn_records")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("rank_code")
        batch_op.drop_column("siasn_pns_id")
        batch_op.drop_column("functional_level")
        batch_op.drop_column("position")
