"""official documents (issue 17): the register of issued SKP PDFs

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 10:40:00
"""
from alembic import op
from kinerja_shared.documents.registry import create_documents_table


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_documents_table(op)


def downgrade() -> None:
    op.drop_index('ix_documents_subject', table_name='documents')
    op.drop_table('documents')
