"""realisation_states read model (RealisationSubmitted), for the employee's realisation reminder (issue 15)

Revision ID: 0004_i15_realisation
Revises: 0004_i18_siasn
Create Date: 2026-12-07 10:45:00
"""

import sqlalchemy as sa
from alembic import op

import kinerja_shared.db

revision = "0004_i15_realisation"
down_revision = "0004_i18_siasn"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "realisation_states",
        sa.Column("evaluation_id", sa.String(length=64), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("rater_nip", sa.String(length=18), nullable=True),
        sa.Column("submitted_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("evaluation_id", name=op.f("pk_realisation_states")),
    )


def downgrade() -> None:
    op.drop_table("realisation_states")
