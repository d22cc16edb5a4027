"""Request and response schemas of the units endpoints (organisational predicate, distribution, calibration,
export, dashboard) and the periods endpoints; ``schemas`` re-exports them."""

import marshmallow as ma
from marshmallow import validate as v

from kinerja_shared.i18n import LocalizedString

from .domain import ORG_PREDICATES, SCHEMES
from .schemas import PERIOD_ID, PeriodOut  # (schemas re-exports this module at its end)

# -- units: organisational predicate, distribution, calibration, export, dashboard ----------------


class UnitPredicateIn(ma.Schema):
    predicate = ma.fields.String(
        required=True,
        validate=v.OneOf(ORG_PREDICATES),
        metadata={"description": "Organisational predicate: " + ", ".join(ORG_PREDICATES)},
    )
    basis = ma.fields.String(
        required=True,
        validate=v.Length(min=1, max=2000),
        metadata={
            "description": "Why the unit has this predicate (e.g. the unit's performance report); audited and published"
        },
    )
    document_number = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(max=200),
        metadata={"description": "The decision document's number, if any", "example": "800/123/BKPSDM/2026"},
    )


class UnitPredicateOut(ma.Schema):
    unit_id = ma.fields.String()
    period = ma.fields.Nested(PeriodOut)
    predicate = ma.fields.String()
    basis = ma.fields.String(allow_none=True)
    document_number = ma.fields.String(allow_none=True)
    authority = ma.fields.String(
        allow_none=True,
        metadata={"description": "On what footing the caller set it: parent_head, acting_parent_head or ppk_admin"},
    )
    set_by = ma.fields.String()
    set_at = ma.fields.DateTime()


class HeadOut(ma.Schema):
    nip = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "head (definitive), plt or plh (acting)"})
    valid_to = ma.fields.String(allow_none=True, metadata={"format": "date", "description": "Acting heads: last day"})
    decree_number = ma.fields.String(allow_none=True)


class PredicateAuthorityOut(ma.Schema):
    unit_id = ma.fields.String()
    rule = ma.fields.String(
        metadata={
            "description": "parent_head: the head or acting head of the parent unit sets it; "
            "ppk_admin: a top-level unit's is set by an admin for the PPK"
        }
    )
    parent_unit_id = ma.fields.String(allow_none=True)
    set_by = ma.fields.List(ma.fields.Nested(HeadOut), metadata={"description": "Who heads the parent unit today"})
    may_set = ma.fields.Boolean(metadata={"description": "Whether the caller may set it"})
    authority = ma.fields.String(allow_none=True)
    reason = LocalizedString(allow_none=True, metadata={"description": "Why the caller may not (null when they may)"})


class PeriodArg(ma.Schema):
    period_id = ma.fields.String(required=True, validate=PERIOD_ID)


class OptionalPeriodArg(ma.Schema):
    period_id = ma.fields.String(
        load_default=None, validate=PERIOD_ID, metadata={"description": "Default: the period that holds today"}
    )


class ExportArgs(PeriodArg):
    format = ma.fields.String(
        load_default=None,
        validate=v.OneOf(["json", "csv"]),
        metadata={"description": "json or csv (or send Accept: text/csv)"},
    )


class RuleOut(ma.Schema):
    code = ma.fields.String()
    rule = LocalizedString(metadata={"description": "Follows Accept-Language (Indonesian by default)"})
    predicates = ma.fields.List(ma.fields.String())
    kind = ma.fields.String()
    value = ma.fields.Integer()
    count = ma.fields.Integer()
    share = ma.fields.Float()
    limit = ma.fields.Integer(
        metadata={"description": "People allowed at most / required at least, by the rounding policy"}
    )
    exact = ma.fields.Float(
        allow_none=True,
        metadata={"description": "The percentage of the unit in people before rounding (70 % of 8 = 5.6)"},
    )
    ok = ma.fields.Boolean()
    message = LocalizedString(metadata={"description": "Follows Accept-Language (Indonesian by default)"})


class CalibrationOut(ma.Schema):
    organisational_predicate = ma.fields.String()
    distribution = ma.fields.Dict()
    violations = ma.fields.List(ma.fields.Nested(RuleOut))
    predicates = ma.fields.List(ma.fields.Dict())
    override_reason = ma.fields.String(allow_none=True)
    finalised_by = ma.fields.String()
    finalised_at = ma.fields.DateTime()
    stale = ma.fields.Boolean(metadata={"description": "A predicate changed since it was finalised; finalise again"})


class DistributionOut(ma.Schema):
    unit_id = ma.fields.String()
    period = ma.fields.Nested(PeriodOut)
    organisational_predicate = ma.fields.String(allow_none=True)
    total = ma.fields.Integer(metadata={"description": "Employees with a predicate (submitted or closed)"})
    pending = ma.fields.Integer(metadata={"description": "Evaluations still open (no predicate yet)"})
    counts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    shares = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float())
    rules = ma.fields.List(ma.fields.Nested(RuleOut))
    violations = ma.fields.List(ma.fields.Nested(RuleOut))
    ok = ma.fields.Boolean()
    rounding_policy = ma.fields.String(
        metadata={"description": "literal or nearest (EVALUATION_DISTRIBUTION_ROUNDING)"}
    )
    rounding = LocalizedString(metadata={"description": "How the percentages become people under the policy"})
    predicate_authority = ma.fields.Nested(PredicateAuthorityOut)
    calibration = ma.fields.Nested(CalibrationOut, allow_none=True)


class FinaliseIn(ma.Schema):
    override_reason = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(min=1, max=2000),
        metadata={"description": "Admin only: finalise despite violated rules, with the reason"},
    )


class ExportRow(ma.Schema):
    nip = ma.fields.String()
    name = ma.fields.String(allow_none=True)
    unit_id = ma.fields.String()
    period_id = ma.fields.String()
    period_kind = ma.fields.String()
    period_start = ma.fields.Date()
    period_end = ma.fields.Date()
    rater_nip = ma.fields.String(allow_none=True)
    results_rating = ma.fields.String()
    behaviour_rating = ma.fields.String()
    predicate = ma.fields.String()
    predicate_name = ma.fields.String()
    credit_points = ma.fields.Float(allow_none=True)
    revision = ma.fields.Integer()
    closed_at = ma.fields.DateTime()
    calibrated = ma.fields.Boolean()


class ExportOut(ma.Schema):
    unit_id = ma.fields.String()
    period = ma.fields.Nested(PeriodOut)
    organisational_predicate = ma.fields.String(allow_none=True)
    calibrated = ma.fields.Boolean()
    items = ma.fields.List(ma.fields.Nested(ExportRow))


class DashboardOut(ma.Schema):
    unit_id = ma.fields.String()
    unit_name = ma.fields.String(allow_none=True)
    units = ma.fields.Integer(metadata={"description": "Units in the subtree"})
    period = ma.fields.Nested(PeriodOut)
    employees = ma.fields.Integer()
    plans = ma.fields.Dict(metadata={"description": "approved, employees, share (%)"})
    activity_compliance = ma.fields.Dict(
        metadata={"description": "employees logging, days logged against working days"}
    )
    evaluations = ma.fields.Dict(metadata={"description": "open, submitted, closed, total"})
    predicates = ma.fields.Nested(DistributionOut)
    realisation = ma.fields.Dict(
        metadata={
            "description": "Aggregates (results by_assessment: above, meets, below, no_data, "
            "unassessed; average percent of target and of expectation; "
            "pending_verification: the period's entries awaiting the rater) and "
            "the results furthest behind"
        }
    )
    dialogues = ma.fields.Dict(
        metadata={
            "description": "Dialogues held (dialog kinerja): employees, held (employees with "
            "a dialogue confirmed by both in the period), share (%), "
            "awaiting_confirmation"
        }
    )


# -- periods --------------------------------------------------------------------------------------


class PeriodsQuery(ma.Schema):
    year = ma.fields.Integer(required=True, validate=v.Range(min=2000, max=2100))


class PeriodStats(PeriodOut):
    open = ma.fields.Integer()
    submitted = ma.fields.Integer()
    closed = ma.fields.Integer()


class PeriodsOut(ma.Schema):
    year = ma.fields.Integer()
    scheme = ma.fields.String(metadata={"description": "monthly or quarterly"})
    scheme_fixed = ma.fields.Boolean(metadata={"description": "True once the year's first evaluation opened"})
    distribution_rounding = ma.fields.String(
        metadata={
            "description": "literal or nearest: how the distribution's "
            "percentages become people (EVALUATION_DISTRIBUTION_ROUNDING)"
        }
    )
    distribution_rounding_text = LocalizedString(metadata={"description": "The policy in words"})
    periods = ma.fields.List(ma.fields.Nested(PeriodStats))


class SchemeIn(ma.Schema):
    scheme = ma.fields.String(required=True, validate=v.OneOf(SCHEMES))


class OpenPeriodIn(ma.Schema):
    unit_id = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(min=1, max=64),
        metadata={"description": "Only this unit and its sub-units"},
    )


class OpenPeriodOut(ma.Schema):
    period = ma.fields.Nested(PeriodOut)
    opened = ma.fields.Integer()
