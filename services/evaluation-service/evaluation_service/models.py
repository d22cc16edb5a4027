"""evaluation-service tables (SQLAlchemy Core) plus the platform tables from kinerja_shared.

Read models (filled only by consumed events, never by the API): ``units``, ``employees``,
``acting_heads`` (UnitHeadAssigned), ``plans``, ``activities``. Own data: ``period_schemes``,
``evaluations`` (+ ``evaluation_revisions``), ``feedback``, ``unit_predicates``, ``calibrations``,
``credit_assessments`` (the PAK record per employee and year).
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from kinerja_shared.acting_heads import acting_heads_table
from kinerja_shared.agreed_actions import agreed_actions_tables
from kinerja_shared.db import UTCDateTime, new_metadata
from kinerja_shared.documents.registry import documents_table
from kinerja_shared.unit_tree import unit_ancestors_table

metadata = new_metadata()

# -- read models -----------------------------------------------------------------------------

units = Table(
    "units",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200)),
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
    Column("unit_id", String(64), nullable=False, index=True),
    Column("unit_path", JSON, nullable=False),
    Column("rater_nip", String(18), index=True),
    Column("rater_superior_nip", String(18)),
    Column("is_unit_head", Boolean, nullable=False, default=False),
    Column("functional_coefficient", Float),  # legacy: a typed-in yearly coefficient, used only without a level
    Column("functional_level", String(2)),  # jenjang code (kinerja_shared.functional_levels), functionals only
    Column("active", Boolean, nullable=False, default=True),
    Column("updated_at", UTCDateTime(), nullable=False),
)

acting_heads = acting_heads_table(metadata)  # UnitHeadAssigned: Plt./Plh. of a unit (kinerja_shared.acting_heads)
# ActionPlanAgreed: each plan's agreed action plans (rencana aksi) in force (kinerja_shared.agreed_actions)
agreed_actions, action_sets = agreed_actions_tables(metadata)

plans = Table(
    "plans",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("nip", String(18), nullable=False, index=True),
    Column("rater_nip", String(18), index=True),
    Column("rater_superior_nip", String(18)),
    Column("unit_id", String(64), nullable=False, index=True),
    Column("year", Integer, nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("approach", String(16), nullable=False),
    Column("model", String(8), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("results", JSON, nullable=False),  # results with their indicators, as approved/amended
    Column("behaviours", JSON, nullable=False),
    Column("position", String(200)),
    Column("functional_coefficient", Float),
    Column("approved_at", UTCDateTime()),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_plans_year_unit", "year", "unit_id"),
)

activities = Table(
    "activities",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("nip", String(18), nullable=False),
    Column("plan_id", String(64)),
    Column("result_id", String(64)),
    Column("indicator_id", String(64), nullable=False),
    Column("action_id", String(64)),  # the action (rencana aksi) the entry advances, if any
    Column("date", Date, nullable=False),
    Column("minutes", Integer, nullable=False, default=0),
    Column("quantity", Float, nullable=False, default=0),
    Column("status", String(16), nullable=False),  # pending, accepted, rejected, withdrawn
    Column("version", Integer),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_activities_plan_date", "plan_id", "date"),
    Index("ix_activities_nip_date", "nip", "date"),
)

# -- own data ----------------------------------------------------------------------------------

period_schemes = Table(
    "period_schemes",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("scheme", String(16), nullable=False),  # monthly | quarterly, fixed once a year's first period opens
    Column("set_by", String(64), nullable=False),
    Column("set_at", UTCDateTime(), nullable=False),
)

evaluations = Table(
    "evaluations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("nip", String(18), nullable=False),
    Column("plan_id", String(64), nullable=False),
    Column("plan_revision", Integer, nullable=False),
    Column("rater_nip", String(18)),
    Column("rater_superior_nip", String(18)),
    Column("unit_id", String(64), nullable=False),
    Column("period_id", String(16), nullable=False),
    Column("period_kind", String(16), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("year", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # open, submitted, closed
    Column("revision", Integer, nullable=False, default=1),
    Column("version", Integer, nullable=False, default=1),
    Column("form", JSON, nullable=False),  # {"results": [...], "behaviours": [...]}
    Column("results_rating", String(8)),
    Column("behaviour_rating", String(8)),
    Column("predicate", String(16)),  # derived from the matrix, never entered
    Column("suggested_rating", String(8)),
    Column("rating_note", Text),
    Column("credit_points", Float),
    Column("reopen_reason", Text),
    Column("opened_at", UTCDateTime(), nullable=False),
    Column("submitted_at", UTCDateTime()),
    Column("closed_at", UTCDateTime()),
    Column("closed_by", String(64)),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("plan_id", "period_id", name="uq_evaluations_plan_period"),
    Index("ix_evaluations_period_unit_status", "period_id", "unit_id", "status"),
    Index("ix_evaluations_nip_period", "nip", "period_id"),
    Index("ix_evaluations_rater_status", "rater_nip", "status"),
    Index("ix_evaluations_opened", "opened_at", "id"),
)

evaluation_revisions = Table(
    "evaluation_revisions",
    metadata,
    Column("evaluation_id", String(36), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("snapshot", JSON, nullable=False),  # the closed evaluation as it was
    Column("superseded_at", UTCDateTime(), nullable=False),
    Column("superseded_by", String(64), nullable=False),
    Column("reason", Text, nullable=False),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("nip", String(18), nullable=False),
    Column("rater_nip", String(18), nullable=False),
    Column("plan_id", String(64)),
    Column("period_id", String(16)),  # the periodic period in which it was given
    Column("evaluation_id", String(36), index=True),  # the next evaluation form it shows on
    Column("result_id", String(64)),
    Column("behaviour_value", String(16)),
    Column("text", Text, nullable=False),
    Column("given_at", UTCDateTime(), nullable=False),
    Index("ix_feedback_nip_given", "nip", "given_at"),
)

unit_predicates = Table(
    "unit_predicates",
    metadata,
    Column("unit_id", String(64), primary_key=True),
    Column("period_id", String(16), primary_key=True),
    Column("predicate", String(16), nullable=False),  # ISTIMEWA, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG
    Column("set_by", String(64), nullable=False),
    Column("set_at", UTCDateTime(), nullable=False),
    Column("basis", Text),  # why (required since issue 16; older rows have none)
    Column("document_number", String(200)),  # the decision document, if any
    Column("authority", String(32)),  # parent_head | acting_parent_head | ppk_admin
)

calibrations = Table(
    "calibrations",
    metadata,
    Column("unit_id", String(64), primary_key=True),
    Column("period_id", String(16), primary_key=True),
    Column("organisational_predicate", String(16), nullable=False),
    Column("distribution", JSON, nullable=False),
    Column("violations", JSON, nullable=False),
    Column("predicates", JSON, nullable=False),
    Column("override_reason", Text),
    Column("finalised_by", String(64), nullable=False),
    Column("finalised_at", UTCDateTime(), nullable=False),
)

# The change stamp of each unit's data (PostgreSQL only: written by the triggers of migration 0008 in the
# transaction of every write to a table the unit dashboard reads; never by the code). ``version`` is a fresh
# value of the sequence unit_version_seq at each change, so a unit's set of (unit_id, version) over its subtree
# names one state of its data: use_cases.dashboard caches the answer on it.
unit_versions = Table(
    "unit_versions",
    metadata,
    Column("unit_id", String(64), primary_key=True),
    Column("version", BigInteger, nullable=False),
)

credit_assessments = (
    Table(  # PAK (penetapan angka kredit): one per employee and year, written when the annual evaluation closes
        "credit_assessments",
        metadata,
        Column("nip", String(18), primary_key=True),
        Column("year", Integer, primary_key=True),
        Column("evaluation_id", String(36), nullable=False),  # the annual evaluation
        Column("revision", Integer, nullable=False),  # its revision (a reopened and closed one replaces the record)
        Column("functional_level", String(2)),
        Column("coefficient", Float),
        Column("coefficient_source", String(32)),
        Column("periods", JSON, nullable=False),  # [{period, predicate, months, credit_points, evaluation_id}]
        Column("periodic_total", Float),
        Column("annual_predicate", String(16)),
        Column("annual_credit_points", Float),
        Column("basis", JSON, nullable=False),  # results/behaviour rating, rater, who closed it and when
        Column("set_by", String(64), nullable=False),
        Column("set_at", UTCDateTime(), nullable=False),
    )
)

# -- official documents (issue 17) -----------------------------------------------------------------

documents = documents_table(metadata)  # the register of issued PDFs (kinerja_shared.documents.registry)

document_jobs = Table(  # an admin's bulk generation of a unit's evaluation documents for a period (one ZIP)
    "document_jobs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("unit_id", String(64), nullable=False),
    Column("period_id", String(16), nullable=False),
    Column("status", String(16), nullable=False),  # queued, running, done, failed
    Column("total", Integer),
    Column("done", Integer, nullable=False, default=0),
    Column("error", Text),
    Column("requested_by", String(64), nullable=False),
    Column("requested_at", UTCDateTime(), nullable=False),
    Column("started_at", UTCDateTime()),
    Column("finished_at", UTCDateTime()),
    Column("zip", LargeBinary),  # the result, once done
    Column("zip_sha256", String(64)),
    Index("ix_document_jobs_status", "status", "requested_at"),
)
