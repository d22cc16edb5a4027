"""the employee's SIASN identity: BKN's own PNS id and the golongan (rank) reference code

Revision ID: 0004_i18_siasn
Revises: 0003
Create Date: 2026-12-07 10:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_i18_siasn"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("siasn_pns_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("rank_code", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.drop_column("rank_code")
        batch_op.drop_column("siasn_pns_id")
