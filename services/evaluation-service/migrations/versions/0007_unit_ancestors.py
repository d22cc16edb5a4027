"""unit_ancestors (issue 22): the closure of the units' paths, so a unit's subtree is one indexed read

Read by the heads' scope (access.unit_scope), the dashboard, the distribution, the export, the bulk documents.

Revision ID: 0007_unit_ancestors
Revises: 0006_documents
Create Date: 2026-12-07 17:00:00
"""

from alembic import op

from kinerja_shared import unit_tree

revision = "0007_unit_ancestors"
down_revision = "0006_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    unit_tree.create_table(op)
    unit_tree.fill(op.get_bind())


def downgrade() -> None:
    unit_tree.drop_table(op)
