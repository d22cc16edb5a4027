"""employee_ancestors: one row per unit on each employee's unit path, so a unit's subtree is an indexed read
(the head's view of the month list, a unit's staff) instead of a scan of every employee's unit_path

Revision ID: 0006_employee_ancestors
Revises: 0005_no_overlap
Create Date: 2026-12-07 17:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_employee_ancestors"
down_revision = "0005_no_overlap"
branch_labels = None
depends_on = None

_CHUNK = 500  # rows per insert (SQLite's bound-parameter limit)


def upgrade() -> None:
    table = op.create_table(
        "employee_ancestors",
        sa.Column("ancestor_id", sa.String(length=64), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.PrimaryKeyConstraint("ancestor_id", "nip", name=op.f("pk_employee_ancestors")),
    )
    op.create_index("ix_employee_ancestors_nip", "employee_ancestors", ["nip"], unique=False)
    # The rows of the employees already stored, from their unit paths ('/<opd>/.../<unit>/'), as
    # read_model_store.ancestor_rows writes them (spelled out here as it was when this revision was made).
    rows = [
        {"ancestor_id": unit, "nip": nip}
        for nip, path in op.get_bind().execute(sa.text("SELECT nip, unit_path FROM employees"))
        for unit in dict.fromkeys(p for p in (path or "").split("/") if p)
    ]
    for i in range(0, len(rows), _CHUNK):
        op.bulk_insert(table, rows[i : i + _CHUNK])


def downgrade() -> None:
    op.drop_index("ix_employee_ancestors_nip", table_name="employee_ancestors")
    op.drop_table("employee_ancestors")
