"""activities: no two entries of one employee that occupy their time (pending, accepted) overlap, enforced by
PostgreSQL (an exclusion constraint over nip, date and [start_min, end_min), btree_gist); SQLite keeps the
application's check (store.insert_activity, log_batch)

Revision ID: 0005_no_overlap
Revises: 0004_actions
Create Date: 2026-12-07 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_no_overlap"
down_revision = "0004_actions"
branch_labels = None
depends_on = None

# The statuses of domain.OCCUPYING, written here as they were when this revision was made.
_OVERLAPPING_PAIRS = """
SELECT a.id, b.id FROM activities a JOIN activities b
  ON a.nip = b.nip AND a.date = b.date AND a.id < b.id
 AND a.start_min < b.end_min AND b.start_min < a.end_min
WHERE a.status IN ('pending', 'accepted') AND b.status IN ('pending', 'accepted')
LIMIT 20
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # Every writer checked overlaps under the employee's advisory lock, so no overlapping pair should exist;
    # rows loaded by hand could still hold one. Deciding which entry of a pair is wrong is a human's call (the
    # rater's, the employee's): refuse to migrate and name them rather than drop or annul an entry silently.
    pairs = op.get_bind().execute(sa.text(_OVERLAPPING_PAIRS)).all()
    if pairs:
        raise RuntimeError(
            "activities holds overlapping entries (pending/accepted, same employee and date); withdraw or annul "
            "one of each pair, then migrate again: " + ", ".join(f"{a} & {b}" for a, b in pairs)
        )
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute(
        "ALTER TABLE activities ADD CONSTRAINT ex_activities_no_overlap EXCLUDE USING gist "
        "(nip WITH =, date WITH =, int4range(start_min, end_min) WITH &&) "
        "WHERE (status IN ('pending', 'accepted'))"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE activities DROP CONSTRAINT ex_activities_no_overlap")
