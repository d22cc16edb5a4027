"""official documents (issue 17): the register of issued SKP PDFs

Revision ID: 0006_documents
Revises: 0005_actions
Create Date: 2026-12-07 10:40:00
"""

from alembic import op

from kinerja_shared.documents.registry import create_documents_table

revision = "0006_documents"
down_revision = "0005_actions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_documents_table(op)


def downgrade() -> None:
    op.drop_index("ix_documents_subject", table_name="documents")
    op.drop_table("documents")
