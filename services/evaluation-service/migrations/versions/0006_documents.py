"""official documents (issue 17): the register of issued PDFs and the bulk document jobs

Revision ID: 0006_documents
Revises: 0005_actions
Create Date: 2026-12-07 10:30:00
"""

import sqlalchemy as sa
from alembic import op

import kinerja_shared.db
from kinerja_shared.documents.registry import create_documents_table

revision = "0006_documents"
down_revision = "0005_actions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_documents_table(op)
    op.create_table(
        "document_jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("period_id", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("requested_at", kinerja_shared.db.UTCDateTime(), nullable=False),
        sa.Column("started_at", kinerja_shared.db.UTCDateTime(), nullable=True),
        sa.Column("finished_at", kinerja_shared.db.UTCDateTime(), nullable=True),
        sa.Column("zip", sa.LargeBinary(), nullable=True),
        sa.Column("zip_sha256", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_jobs")),
    )
    op.create_index("ix_document_jobs_status", "document_jobs", ["status", "requested_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_document_jobs_status", table_name="document_jobs")
    op.drop_table("document_jobs")
    op.drop_index("ix_documents_subject", table_name="documents")
    op.drop_table("documents")
