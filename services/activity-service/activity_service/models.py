"""activity-service tables (SQLAlchemy Core) plus the platform tables from kinerja_shared.

Two kinds of tables: the service's own (``activities``, ``evidence_files``) and the read
models kept from plan-service's events (``employees``, ``plans``, ``plan_indicators``,
``acting_heads``, ``agreed_actions``, ``action_sets``);
nothing here is ever read from plan-service directly.
"""

from sqlalchemy import JSON, Boolean, Column, Date, Float, Index, Integer, String, Table, Text

from kinerja_shared.acting_heads import acting_heads_table
from kinerja_shared.agreed_actions import agreed_actions_tables
from kinerja_shared.db import BigId, UTCDateTime, new_metadata

metadata = new_metadata()

# -- read models (from kinerja.plan.events) -------------------------------------------------

employees = Table(  # EmployeeUpserted: who rates whom, and where in the unit tree
    "employees",
    metadata,
    Column("nip", String(18), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("unit_id", String(64), nullable=False, index=True),
    # "/<root OPD>/<sub-unit>/.../<unit>/": a unit head's subtree is unit_path LIKE '%/<unit>/%'
    Column("unit_path", String(1000), nullable=False),
    Column("rater_nip", String(18), index=True),
    Column("rater_superior_nip", String(18)),
    Column("is_unit_head", Boolean, nullable=False, default=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("source_time", String(40), nullable=False),  # the event's time: an older event never overwrites a newer one
    Column("updated_at", UTCDateTime(), nullable=False),
)

employee_ancestors = Table(  # derived from employees.unit_path: one row per unit on the employee's path
    # "the employees of unit X's subtree" is one indexed read of the rows whose ancestor_id is X: its cost grows
    # with X's subtree, not with the directory (employees.unit_path LIKE '%/X/%' read every employee)
    "employee_ancestors",
    metadata,
    Column("ancestor_id", String(64), primary_key=True),
    Column("nip", String(18), primary_key=True),
    Index("ix_employee_ancestors_nip", "nip"),
)

plans = Table(  # PlanApproved / PlanAmended: the approved plan and its span
    "plans",
    metadata,
    Column("plan_id", String(64), primary_key=True),
    Column("nip", String(18), nullable=False, index=True),
    Column("rater_nip", String(18)),
    Column("unit_id", String(64), nullable=False),
    Column("year", Integer, nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

plan_indicators = Table(  # the indicators an employee may log against, replaced on every revision
    "plan_indicators",
    metadata,
    Column("plan_id", String(64), primary_key=True),
    Column("indicator_id", String(64), primary_key=True),
    Column("nip", String(18), nullable=False),
    Column("result_id", String(64), nullable=False),
    Column("result_kind", String(16), nullable=False),
    Column("result_text", Text, nullable=False),
    Column("aspect", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("target_value", Float),
    Column("target_unit", String(50)),
    Column("measure", String(16)),  # sum | latest | average | duration | deadline | spent | None (the aspect's default)
    Column("deadline_day", Integer),  # measure deadline: the day of the month deliveries are due
    Index("ix_plan_indicators_nip_indicator", "nip", "indicator_id"),
)

# ActionPlanAgreed: the actions (rencana aksi) of each plan's agreed set in force, and its version (the highest wins)
agreed_actions, action_sets = agreed_actions_tables(metadata)

# UnitHeadAssigned: acting heads (Plt./Plh.) of a unit for a span of dates (kinerja_shared.acting_heads)
acting_heads = acting_heads_table(metadata)

# -- the service's own data ------------------------------------------------------------------

activities = Table(
    "activities",
    metadata,
    Column("id", String(64), primary_key=True),  # a UUID, possibly chosen by the (offline) client
    Column("nip", String(18), nullable=False),
    Column("rater_nip", String(18)),  # the rater when logged (the employee read model decides who verifies)
    Column("unit_id", String(64), nullable=False),
    Column("plan_id", String(64), nullable=False),
    Column("result_id", String(64), nullable=False),
    Column("indicator_id", String(64), nullable=False),
    Column("action_id", String(64)),  # the agreed action (rencana aksi) the entry advances, if any
    Column("date", Date, nullable=False),  # local date (KINERJA_TIMEZONE, Asia/Jakarta by default)
    Column("start_min", Integer, nullable=False),  # minutes after local midnight
    Column("end_min", Integer, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("description", Text, nullable=False),
    Column("quantity", Float, nullable=False),
    Column("quantity_unit", String(50)),
    Column("evidence", JSON, nullable=False),  # [{kind: link, url} | {kind: file, file_id, name, sha256, ...}]
    Column("status", String(16), nullable=False),  # pending, accepted, rejected, withdrawn
    Column("verification_reason", Text),
    Column("verified_by", String(18)),
    Column("verified_at", UTCDateTime()),
    Column("version", Integer, nullable=False),
    Column("request_hash", String(64), nullable=False),  # fingerprint of the first POST body (client-id retries)
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_activities_nip_date", "nip", "date", "start_min"),
    Index("ix_activities_rater_status", "rater_nip", "status"),
)

evidence_files = Table(
    "evidence_files",
    metadata,
    Column("id", String(32), primary_key=True),  # also the stored file's name (plus extension)
    Column("activity_id", String(64), nullable=False, index=True),
    Column("nip", String(18), nullable=False),
    Column("original_name", String(200), nullable=False),
    Column("stored_name", String(100), nullable=False),  # relative to ACTIVITY_EVIDENCE_DIR
    Column("content_type", String(100), nullable=False),
    Column("size", BigId, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_by", String(64), nullable=False),
    Column("uploaded_at", UTCDateTime(), nullable=False),
    Column("removed_at", UTCDateTime()),
)
