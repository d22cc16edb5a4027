"""unit_versions (issue 22): a change stamp per unit, so the unit dashboard is cached per subtree state

On PostgreSQL, statement-level triggers (with transition tables) on every table the unit dashboard reads
(units, unit_ancestors, employees, plans, activities, evaluations, calibrations, unit_predicates, dialogues)
set ``unit_versions.version`` to a fresh value of ``unit_version_seq`` for each unit the statement's rows
belong to, in the writing transaction: an activity or a dialogue counts for the units of its employee's plans
and of the employee; a closure row for its ancestor and its unit; the others for their ``unit_id`` (a unit
for its ``id``); a TRUNCATE for every unit. Only the units touched change: a write in one unit changes no
other unit's stamp (a unit's dashboard reads the stamps of its own subtree through unit_ancestors).
SQLite keeps no stamps (the table stays empty; its dashboard is computed on every request).

Revision ID: 0008_unit_versions
Revises: 0007_unit_ancestors
Create Date: 2026-12-07 20:00:00
"""

from alembic import op
from sqlalchemy import BigInteger, Column, PrimaryKeyConstraint, String

# One function per table, its queries static (PostgreSQL keeps their plans for the session: ~0.08 ms a write
# statement against ~0.17 with one generic function running format()ed queries). @ROWS@: the transition table.
TOUCH = """
CREATE FUNCTION kinerja_touch_units_@TABLE@() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids text[] := '{}';
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        ids := ARRAY(SELECT unit_id FROM unit_versions UNION SELECT id FROM units);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        ids := ids || ARRAY(@NEW@);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        ids := ids || ARRAY(@OLD@);
    END IF;
    INSERT INTO unit_versions (unit_id, version)
    SELECT u, nextval('unit_version_seq') FROM (SELECT DISTINCT u FROM unnest(ids) u WHERE u IS NOT NULL) x
    ORDER BY u
    ON CONFLICT (unit_id) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END
$$
"""

BY_UNIT_ID = "SELECT unit_id FROM @ROWS@"
BY_NIP = (
    "SELECT p.unit_id FROM plans p JOIN @ROWS@ r ON p.nip = r.nip "
    "UNION SELECT e.unit_id FROM employees e JOIN @ROWS@ r ON e.nip = r.nip"
)
# table -> the query giving the ids of the units the rows of the transition table @ROWS@ count for
UNITS_OF = {
    "units": "SELECT id FROM @ROWS@",
    "unit_ancestors": "SELECT ancestor_id FROM @ROWS@ UNION SELECT unit_id FROM @ROWS@",
    "employees": BY_UNIT_ID,
    "plans": BY_UNIT_ID,
    "evaluations": BY_UNIT_ID,
    "calibrations": BY_UNIT_ID,
    "unit_predicates": BY_UNIT_ID,
    "activities": BY_NIP,
    "dialogues": BY_NIP + " UNION SELECT unit_id FROM @ROWS@",
}
TRANSITIONS = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}


revision = "0008_unit_versions"
down_revision = "0007_unit_ancestors"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_versions",
        Column("unit_id", String(length=64), nullable=False),
        Column("version", BigInteger(), nullable=False),
        PrimaryKeyConstraint("unit_id", name=op.f("pk_unit_versions")),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE SEQUENCE unit_version_seq")
    for table, query in UNITS_OF.items():
        body = TOUCH.replace("@NEW@", query.replace("@ROWS@", "new_rows"))
        op.execute(body.replace("@OLD@", query.replace("@ROWS@", "old_rows")).replace("@TABLE@", table))
        for event, transition in TRANSITIONS.items():
            op.execute(
                f"CREATE TRIGGER {table}_touch_units_{event} AFTER {event.upper()} ON {table} {transition} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION kinerja_touch_units_{table}()"
            )
        op.execute(
            f"CREATE TRIGGER {table}_touch_units_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION kinerja_touch_units_{table}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in UNITS_OF:
            for event in (*TRANSITIONS, "truncate"):
                op.execute(f"DROP TRIGGER {table}_touch_units_{event} ON {table}")
            op.execute(f"DROP FUNCTION kinerja_touch_units_{table}()")
        op.execute("DROP SEQUENCE unit_version_seq")
    op.drop_table("unit_versions")
