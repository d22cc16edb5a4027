"""plan-service tables (SQLAlchemy Core) plus the platform tables from kinerja_shared."""

from sqlalchemy import JSON, Boolean, Column, Date, Float, Index, Integer, PrimaryKeyConstraint, String, Table, Text

from kinerja_shared.db import BigId, UTCDateTime, new_metadata
from kinerja_shared.documents.registry import documents_table
from kinerja_shared.unit_tree import unit_ancestors_table

metadata = new_metadata()

units = Table(
    "units",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("parent_id", String(64), index=True),
    Column("path", JSON, nullable=False),  # ids from the root OPD down to this unit
    Column("head_nip", String(18)),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# the closure of the units' paths: a subtree in one indexed read (kinerja_shared.unit_tree)
unit_ancestors = unit_ancestors_table(metadata)

employees = Table(
    "employees",
    metadata,
    Column("nip", String(18), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("position", String(200)),
    Column("rank", String(100)),
    Column("grade", String(20)),
    Column("unit_id", String(64), nullable=False, index=True),
    Column("rater_nip", String(18), index=True),
    Column("rater_superior_nip", String(18)),
    Column("email", String(254)),
    Column("phone", String(32)),
    Column("functional_coefficient", Float),  # deprecated: evaluation-service prefers functional_level
    Column("functional_level", String(2)),  # jenjang code (kinerja_shared.functional_levels.CODES)
    Column("siasn_pns_id", String(64)),  # BKN SIASN's own id of the PNS (pnsDinilaiId), from the import
    Column("rank_code", String(8)),  # SIASN's golongan reference code, from the import
    Column("active", Boolean, nullable=False, default=True),
    Column("version", Integer, nullable=False, default=1),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# Acting heads (Plt., Plh.): an employee with the head's rights in a unit (and below it) for a span of
# dates, both ends included; valid_to null: until revoked. units.head_nip stays the definitive head.
acting_heads = Table(
    "acting_heads",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("unit_id", String(64), nullable=False),
    Column("nip", String(18), nullable=False, index=True),
    Column("kind", String(8), nullable=False),  # plt, plh
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    Column("decree_number", String(100)),
    Column("reason", Text),
    Column("status", String(16), nullable=False),  # active, revoked
    Column("version", Integer, nullable=False, default=1),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("revoked_by", String(64)),
    Column("revoked_at", UTCDateTime()),
    Column("revoke_reason", Text),
    Index("ix_acting_heads_unit", "unit_id", "valid_from"),
)

# A change of unit (transfer, mutasi) or of rater, with the date it takes effect.
employee_changes = Table(
    "employee_changes",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("nip", String(18), nullable=False),
    Column("field", String(32), nullable=False),  # unit_id, rater_nip, rater_superior_nip
    Column("old_value", String(64)),
    Column("new_value", String(64)),
    Column("effective_date", Date, nullable=False),
    Column("reason", Text),
    Column("source", String(16), nullable=False),  # api, import
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Index("ix_employee_changes_nip", "nip", "effective_date"),
)

plans = Table(
    "plans",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("nip", String(18), nullable=False),
    Column("year", Integer, nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("approach", String(16), nullable=False),
    Column("model", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("rater_nip", String(18)),
    Column("rater_superior_nip", String(18)),
    Column("unit_id", String(64), nullable=False),
    Column("content", JSON, nullable=False),  # results (with indicators), behaviours, attachments
    Column("revision", Integer, nullable=False, default=1),
    Column("version", Integer, nullable=False, default=1),
    Column("return_reason", Text),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("submitted_at", UTCDateTime()),
    Column("approved_at", UTCDateTime()),
    Column("position", String(200)),  # the post the plan is for (from the directory)
    Column("functional_coefficient", Float),
    Column("approved_by", String(64)),
    Column("closed_at", UTCDateTime()),
    Column("closed_reason", Text),
    Column("template_id", String(36)),
    Column("copied_from_plan_id", String(36)),
    Index("ix_plans_nip_year", "nip", "year"),
    Index("ix_plans_rater_status", "rater_nip", "status"),
    Index("ix_plans_unit_year", "unit_id", "year"),
)
# one plan in force (draft, submitted or approved) per employee and year; closed ones are history
OPEN_PLAN = plans.c.status != "closed"
Index(
    "uq_plans_open_nip_year", plans.c.nip, plans.c.year, unique=True, postgresql_where=OPEN_PLAN, sqlite_where=OPEN_PLAN
)

# Every approved revision of a plan, kept whole: 1 at approval, then one per amendment,
# rater change or transfer.
plan_revisions = Table(
    "plan_revisions",
    metadata,
    Column("plan_id", String(36), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("kind", String(16), nullable=False),  # approval, amendment, rater_change, transfer
    Column("reason", Text),
    Column("status", String(16), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("approach", String(16), nullable=False),
    Column("model", String(8), nullable=False),
    Column("rater_nip", String(18)),
    Column("rater_superior_nip", String(18)),
    Column("unit_id", String(64), nullable=False),
    Column("content", JSON, nullable=False),
    Column("amendment_id", String(36)),
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
    PrimaryKeyConstraint("plan_id", "revision"),
)

# A proposed change of an approved plan: the employee or the rater proposes, the rater decides.
plan_amendments = Table(
    "plan_amendments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("plan_id", String(36), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("base_revision", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("approach", String(16), nullable=False),
    Column("model", String(8), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("content", JSON, nullable=False),
    Column("proposed_by", String(64), nullable=False),
    Column("proposed_at", UTCDateTime(), nullable=False),
    Column("decided_by", String(64)),
    Column("decided_at", UTCDateTime()),
    Column("decision_reason", Text),
    Column("resulting_revision", Integer),
    Column("version", Integer, nullable=False, default=1),
)
# at most one pending amendment per plan
PENDING_AMENDMENT = plan_amendments.c.status == "proposed"
Index(
    "uq_plan_amendments_pending",
    plan_amendments.c.plan_id,
    unique=True,
    postgresql_where=PENDING_AMENDMENT,
    sqlite_where=PENDING_AMENDMENT,
)

# Plan templates per position, assigned in bulk to the employees of a unit.
plan_templates = Table(
    "plan_templates",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("position", String(200), nullable=False, index=True),
    Column("description", Text),
    Column("approach", String(16), nullable=False),
    Column("model", String(8), nullable=False),
    Column("content", JSON, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# -- action plans (rencana aksi): per approved plan, the actions per month or quarter --------------

# The state of a plan's set of actions: draft -> submitted -> agreed (version n), or back to draft with the
# rater's reason; an amendment of an agreed set takes it back to draft with its reason (the agreed version
# stays in force, in action_plan_versions, until the amended set is agreed).
action_plans = Table(
    "action_plans",
    metadata,
    Column("plan_id", String(36), primary_key=True),
    Column("status", String(16), nullable=False),  # draft, submitted, agreed
    Column("agreed_version", Integer, nullable=False, default=0),  # 0: never agreed
    Column("version", Integer, nullable=False, default=1),  # the ETag's version: + 1 on every change
    Column("amendment_reason", Text),  # while an amendment of an agreed set is open
    Column("return_reason", Text),
    Column("submitted_at", UTCDateTime()),
    Column("agreed_at", UTCDateTime()),
    Column("agreed_by", String(64)),
    Column("dropped", JSON),  # the actions the last plan amendment dropped (shown to the employee), or null
    Column("updated_at", UTCDateTime(), nullable=False),
)

# The working set: what the employee edits (a copy of the agreed set while an amendment is open).
plan_actions = Table(
    "plan_actions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("plan_id", String(36), nullable=False),
    Column("result_id", String(64), nullable=False),
    Column("indicator_id", String(64), nullable=False),
    Column("period", String(7), nullable=False),  # YYYY-MM or YYYY-Qn
    Column("text", Text, nullable=False),
    Column("target_value", Float),
    Column("target_unit", String(50)),
    Column("version", Integer, nullable=False, default=1),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_plan_actions_plan_period", "plan_id", "period", "id"),
)

# Every agreed set, whole (what ActionPlanAgreed carried): the history of a plan's action plans.
action_plan_versions = Table(
    "action_plan_versions",
    metadata,
    Column("plan_id", String(36), nullable=False),
    Column("version", Integer, nullable=False),
    Column("kind", String(16), nullable=False),  # agreement, plan_amendment
    Column("plan_revision", Integer, nullable=False),
    Column("actions", JSON, nullable=False),
    Column("dropped", JSON),
    Column("amendment_reason", Text),
    Column("agreed_by", String(64)),
    Column("agreed_at", UTCDateTime(), nullable=False),
    PrimaryKeyConstraint("plan_id", "version"),
)

# The register of issued SKP documents (PDF), issue 17 (kinerja_shared.documents.registry).
documents = documents_table(metadata)
