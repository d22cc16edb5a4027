"""Request and response schemas (marshmallow) of evaluation-service; they generate the OpenAPI document."""

import marshmallow as ma
from marshmallow import validate as v

from kinerja_shared.i18n import LocalizedString
from kinerja_shared.web.pagination import PageArgs

from .domain import BEHAVIOUR_VALUES, PERIOD_KINDS, PREDICATES, RATINGS, STATUSES
from .realisation_schemas import EmployeeResultOut, SelfAssessmentSummaryOut

NIP_RE = v.Regexp(r"^[0-9]{18}$", error="must be exactly 18 digits")
PERIOD_ID = v.Regexp(r"^[0-9]{4}-(Q[1-4]|0[1-9]|1[0-2]|Y)$", error="must look like 2026-Q4, 2026-11 or 2026-Y")
NIP = ma.fields.String(validate=NIP_RE, metadata={"description": "18-digit NIP", "example": "198503302010011002"})
RATING_DOC = "above (Di Atas Ekspektasi), meets (Sesuai Ekspektasi) or below (Di Bawah Ekspektasi)"


# -- shared pieces ----------------------------------------------------------------------------


class PeriodOut(ma.Schema):
    id = ma.fields.String(metadata={"example": "2026-Q4"})
    kind = ma.fields.String(metadata={"description": ", ".join(PERIOD_KINDS)})
    start = ma.fields.String(metadata={"format": "date", "example": "2026-10-01"})
    end = ma.fields.String(metadata={"format": "date", "example": "2026-12-31"})


class FeedbackOut(ma.Schema):
    id = ma.fields.String()
    nip = ma.fields.String()
    rater_nip = ma.fields.String()
    plan_id = ma.fields.String(allow_none=True)
    period_id = ma.fields.String(allow_none=True)
    evaluation_id = ma.fields.String(allow_none=True, metadata={"description": "The evaluation form it shows on"})
    result_id = ma.fields.String(allow_none=True)
    behaviour_value = ma.fields.String(allow_none=True)
    text = ma.fields.String()
    given_at = ma.fields.DateTime()


# -- evaluations ----------------------------------------------------------------------------------


class EvaluationOut(ma.Schema):
    id = ma.fields.String()
    nip = ma.fields.String()
    plan_id = ma.fields.String()
    plan_revision = ma.fields.Integer()
    rater_nip = ma.fields.String(allow_none=True)
    rater_superior_nip = ma.fields.String(allow_none=True)
    unit_id = ma.fields.String()
    period = ma.fields.Nested(PeriodOut)
    status = ma.fields.String(metadata={"description": "open, submitted, closed"})
    revision = ma.fields.Integer(metadata={"description": "1, then +1 each time an admin reopens it"})
    version = ma.fields.Integer(metadata={"description": "The ETag's version (If-Match)"})
    results_rating = ma.fields.String(allow_none=True, metadata={"description": RATING_DOC})
    behaviour_rating = ma.fields.String(allow_none=True, metadata={"description": RATING_DOC})
    predicate = ma.fields.String(allow_none=True, metadata={"description": "From the matrix: " + ", ".join(PREDICATES)})
    suggested_rating = ma.fields.String(
        allow_none=True, metadata={"description": "The service's results-rating suggestion at submission"}
    )
    rating_note = ma.fields.String(allow_none=True)
    credit_points = ma.fields.Float(allow_none=True, metadata={"description": "Angka kredit, functionals only"})
    form = ma.fields.Dict(
        metadata={
            "description": "The rater's form: results [{result_id, realisation, feedback, assessment}], behaviours "
            "[{value, feedback}]"
        }
    )
    reopen_reason = ma.fields.String(allow_none=True)
    opened_at = ma.fields.DateTime()
    submitted_at = ma.fields.DateTime(allow_none=True)
    closed_at = ma.fields.DateTime(allow_none=True)
    closed_by = ma.fields.String(allow_none=True)
    updated_at = ma.fields.DateTime()


class EvaluationPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(EvaluationOut))
    next_cursor = ma.fields.String(allow_none=True)


class EvaluationQuery(PageArgs):
    nip = NIP
    rater_nip = ma.fields.String(validate=NIP_RE)
    unit_id = ma.fields.String(validate=v.Length(min=1, max=64), metadata={"description": "The unit and its sub-units"})
    period_id = ma.fields.String(validate=PERIOD_ID)
    status = ma.fields.String(validate=v.OneOf(STATUSES))
    year = ma.fields.Integer(validate=v.Range(min=2000, max=2100))


class IndicatorRealisationOut(ma.Schema):
    indicator_id = ma.fields.String()
    aspect = ma.fields.String()
    text = ma.fields.String()
    target_value = ma.fields.Float(allow_none=True)
    target_unit = ma.fields.String(allow_none=True)
    realised_in_period = ma.fields.Float(metadata={"description": "Verified (accepted) quantity within the period"})
    realised_to_date = ma.fields.Float(
        metadata={"description": "Verified quantity from the plan's start to the period's end"}
    )
    expected_to_date = ma.fields.Float(
        allow_none=True,
        metadata={
            "description": "sum and spent: the target (budget) for the months from the plan's start to the period's end"
        },
    )
    percent_of_target = ma.fields.Float(
        allow_none=True, metadata={"description": "Achievement against the plan's whole target"}
    )
    percent_of_expected = ma.fields.Float(
        allow_none=True,
        metadata={
            "description": "Achievement by the indicator's measure (drives its level): sum: verified to date / "
            "expected; "
            "latest, average: measured level / target level; duration, spent: (2 × target − realised) / target "
            "(lower is better); deadline: share of deliveries on time"
        },
    )
    measure = ma.fields.String(
        metadata={
            "description": "sum | latest | average | duration | deadline | spent (the "
            "aspect's default when the plan names none)"
        }
    )
    deadline_day = ma.fields.Integer(
        allow_none=True, metadata={"description": "deadline: the day of the month deliveries are due"}
    )
    measured_value = ma.fields.Float(
        allow_none=True,
        metadata={
            "description": "The figure compared with the target: the sum, the latest or average level, the average "
            "duration, the "
            "share on time (%) or the amount spent"
        },
    )
    measurements = ma.fields.Integer(metadata={"description": "Verified entries in the period"})
    level = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "above | meets | below | no_data (nothing verified in the period) | null (no numeric "
            "target: the "
            "rater assesses from the evidence)"
        },
    )
    reasoning = LocalizedString(
        metadata={
            "description": "How the level follows from the rule of the indicator's aspect "
            "(Accept-Language; Indonesian by default)"
        }
    )
    details = ma.fields.Dict(metadata={"description": "deadline: on_time, late, deliveries"})
    minutes_in_period = ma.fields.Integer()
    pending_in_period = ma.fields.Integer(metadata={"description": "Activities awaiting verification"})
    target_usable = ma.fields.Boolean(
        allow_none=True,
        metadata={
            "description": "null without a numeric target; false when the stored target is outside the bounds (not "
            "finite, "
            "below 0.01 or above the maximum of a target): no percentage is computed against it"
        },
    )
    quantity_excluded = ma.fields.Integer(
        metadata={
            "description": "Verified entries left out of the realisation: their stored quantity is not a finite "
            "number within "
            "the per-entry maximum (stored before the bound existed)"
        }
    )


class ResultFormOut(ma.Schema):
    realisation = ma.fields.String(allow_none=True)
    feedback = ma.fields.String(allow_none=True)
    assessment = ma.fields.String(allow_none=True)


class ResultOut(ma.Schema):
    result_id = ma.fields.String()
    kind = ma.fields.String()
    text = ma.fields.String()
    perspective = ma.fields.String(allow_none=True)
    indicators = ma.fields.List(ma.fields.Nested(IndicatorRealisationOut))
    percent = ma.fields.Float(
        allow_none=True, metadata={"description": "Mean percent of expectation of its indicators"}
    )
    level = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "above | meets | below | no_data (nothing verified in the period) | null (no numeric target)"
        },
    )
    computed_assessment = ma.fields.String(allow_none=True, metadata={"description": "From the realisation"})
    assessment = ma.fields.String(allow_none=True, metadata={"description": "The rater's, else the computed one"})
    form = ma.fields.Nested(ResultFormOut)
    employee = ma.fields.Nested(
        EmployeeResultOut,
        allow_none=True,
        metadata={
            "description": "The employee's realisation of this result: realisation, narrative, evidence (null: none "
            "saved)"
        },
    )
    continuous_feedback = ma.fields.List(ma.fields.Nested(FeedbackOut))
    actions = ma.fields.List(
        ma.fields.Nested(lambda: ActionRealisationOut()),
        metadata={
            "description": "The result's agreed actions (rencana aksi) of the period, each with "
            "its target and verified realisation"
        },
    )


class ActionRealisationOut(ma.Schema):
    action_id = ma.fields.String()
    indicator_id = ma.fields.String()
    period = ma.fields.String(metadata={"description": "YYYY-MM or YYYY-Qn"})
    text = ma.fields.String()
    target_value = ma.fields.Float(allow_none=True)
    target_unit = ma.fields.String(allow_none=True)
    realised = ma.fields.Float(metadata={"description": "Verified (accepted) quantity logged against the action"})
    pending_entries = ma.fields.Integer(metadata={"description": "Entries against it awaiting verification"})
    percent = ma.fields.Float(
        allow_none=True, metadata={"description": "realised / target x 100; none without a target"}
    )


class BehaviourOut(ma.Schema):
    value = ma.fields.String()
    expectation = ma.fields.String()
    feedback = ma.fields.String(allow_none=True)
    continuous_feedback = ma.fields.List(ma.fields.Nested(FeedbackOut))


class SuggestionOut(ma.Schema):
    rating = ma.fields.String(allow_none=True)
    reasoning = ma.fields.List(
        LocalizedString(), metadata={"description": "Follows Accept-Language (Indonesian by default)"}
    )
    counts = ma.fields.Dict()


class ActivityOut(ma.Schema):
    id = ma.fields.String()
    date = ma.fields.Date()
    result_id = ma.fields.String(allow_none=True)
    indicator_id = ma.fields.String()
    action_id = ma.fields.String(allow_none=True, metadata={"description": "The action (rencana aksi) it advances"})
    minutes = ma.fields.Integer()
    quantity = ma.fields.Float()
    status = ma.fields.String()


class PendingOut(ma.Schema):
    activities_pending = ma.fields.Integer(metadata={"description": "Logged, awaiting the rater's verification"})
    activities_accepted = ma.fields.Integer()
    activities_rejected = ma.fields.Integer()
    activities_total = ma.fields.Integer(metadata={"description": "In the period, not withdrawn"})


class EvaluationDetail(EvaluationOut):
    employee = ma.fields.Dict(
        metadata={
            "description": "name, position, is_unit_head, functional_level (jenjang), "
            "functional_level_name, siasn_koefisien_id, coefficient, "
            "coefficient_source (functional_level, or functional_coefficient: the "
            "old typed-in one, only without a level), functional_coefficient (the "
            "coefficient used)"
        }
    )
    plan = ma.fields.Dict(metadata={"description": "approach, model, revision, period_start, period_end"})
    results = ma.fields.List(ma.fields.Nested(ResultOut))
    behaviours = ma.fields.List(ma.fields.Nested(BehaviourOut))
    suggestion = ma.fields.Nested(SuggestionOut)
    organisational_predicate = ma.fields.String(allow_none=True)
    pending = ma.fields.Nested(PendingOut)
    activities = ma.fields.List(
        ma.fields.Nested(ActivityOut), metadata={"description": "The period's activities (latest 200)"}
    )
    feedback = ma.fields.List(
        ma.fields.Nested(FeedbackOut), metadata={"description": "Continuous feedback shown on this form"}
    )
    periodic = ma.fields.List(
        ma.fields.Nested(EvaluationOut), metadata={"description": "Annual only: the year's periodic evaluations"}
    )
    revisions = ma.fields.Integer(metadata={"description": "Earlier revisions kept (GET .../revisions)"})
    dialogue_follow_ups = ma.fields.List(
        ma.fields.Dict(),
        metadata={
            "description": "The follow-ups agreed in the previous period's confirmed performance dialogues (dialog "
            "kinerja): "
            "dialogue_id, period_id, stage, held_on, topics, follow_ups, revision"
        },
    )
    self_assessment = ma.fields.Nested(
        SelfAssessmentSummaryOut,
        metadata={"description": "The employee's realisation: status, deadlines, and what the form says about it"},
    )


class ResultFormIn(ma.Schema):
    result_id = ma.fields.String(required=True, validate=v.Length(min=1, max=64))
    realisation = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(max=5000),
        metadata={"description": "Realisation based on evidence (realisasi berdasarkan bukti dukung)"},
    )
    feedback = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(max=5000),
        metadata={"description": "Feedback based on evidence (umpan balik berdasarkan bukti dukung)"},
    )
    assessment = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.OneOf(RATINGS),
        metadata={"description": "The rater's assessment of this result; else computed from realisation"},
    )


class BehaviourFormIn(ma.Schema):
    value = ma.fields.String(required=True, validate=v.OneOf(BEHAVIOUR_VALUES))
    feedback = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=5000))


class SubmitIn(ma.Schema):
    results_rating = ma.fields.String(required=True, validate=v.OneOf(RATINGS), metadata={"description": RATING_DOC})
    behaviour_rating = ma.fields.String(required=True, validate=v.OneOf(RATINGS), metadata={"description": RATING_DOC})
    rating_note = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(max=5000),
        metadata={"description": "Required when results_rating differs from the suggestion"},
    )
    results = ma.fields.List(ma.fields.Nested(ResultFormIn), load_default=list, validate=v.Length(max=50))
    behaviours = ma.fields.List(ma.fields.Nested(BehaviourFormIn), load_default=list, validate=v.Length(max=7))


class DraftIn(ma.Schema):
    """The rater's form saved as a draft (PUT .../draft): the same fields as submitting, all optional."""

    results_rating = ma.fields.String(load_default=None, allow_none=True, validate=v.OneOf(RATINGS))
    behaviour_rating = ma.fields.String(load_default=None, allow_none=True, validate=v.OneOf(RATINGS))
    rating_note = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=5000))
    results = ma.fields.List(ma.fields.Nested(ResultFormIn), load_default=list, validate=v.Length(max=50))
    behaviours = ma.fields.List(ma.fields.Nested(BehaviourFormIn), load_default=list, validate=v.Length(max=7))


class ReopenIn(ma.Schema):
    reason = ma.fields.String(
        required=True,
        validate=v.Length(min=1, max=2000),
        metadata={"description": "Why the closed evaluation is corrected (audited)"},
    )


class RevisionOut(ma.Schema):
    revision = ma.fields.Integer()
    snapshot = ma.fields.Dict()
    superseded_at = ma.fields.DateTime()
    superseded_by = ma.fields.String()
    reason = ma.fields.String()


class RevisionList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RevisionOut))


class CreditPointsQuery(ma.Schema):
    nip = ma.fields.String(required=True, validate=NIP_RE, metadata={"description": "18-digit NIP"})
    year = ma.fields.Integer(required=True, validate=v.Range(min=2000, max=2100))


class CreditPeriodOut(ma.Schema):
    evaluation_id = ma.fields.String()
    period = ma.fields.Nested(PeriodOut)
    status = ma.fields.String()
    revision = ma.fields.Integer()
    predicate = ma.fields.String(allow_none=True)
    predicate_name = ma.fields.String(allow_none=True)
    share_percent = ma.fields.Integer(allow_none=True, metadata={"description": "150, 100, 75, 50 or 25"})
    months = ma.fields.Integer(allow_none=True, metadata={"description": "Months of the plan's span in the period"})
    credit_points = ma.fields.Float(allow_none=True, metadata={"description": "Closed evaluations only"})


class CreditAssessmentOut(ma.Schema):
    nip = ma.fields.String()
    year = ma.fields.Integer()
    evaluation_id = ma.fields.String(metadata={"description": "The annual evaluation"})
    revision = ma.fields.Integer()
    functional_level = ma.fields.String(allow_none=True)
    coefficient = ma.fields.Float(allow_none=True)
    coefficient_source = ma.fields.String(allow_none=True)
    periods = ma.fields.List(ma.fields.Dict())
    periodic_total = ma.fields.Float(allow_none=True)
    annual_predicate = ma.fields.String(allow_none=True)
    annual_credit_points = ma.fields.Float(allow_none=True)
    basis = ma.fields.Dict(
        metadata={
            "description": "The annual predicate's basis: both ratings, rater, who closed it "
            "and when, the organisational predicate for a unit head, the rule"
        }
    )
    set_by = ma.fields.String()
    set_at = ma.fields.DateTime()


class CreditPointsOut(ma.Schema):
    nip = ma.fields.String()
    year = ma.fields.Integer()
    name = ma.fields.String(allow_none=True)
    functional_level = ma.fields.String(
        allow_none=True, metadata={"description": "Jenjang code: PT, MU, MA, UT, PM, TR, MH, PY"}
    )
    functional_level_name = ma.fields.String(allow_none=True)
    siasn_koefisien_id = ma.fields.Integer(allow_none=True)
    coefficient = ma.fields.Float(
        allow_none=True, metadata={"description": "Yearly coefficient (credit points at 100 %)"}
    )
    coefficient_source = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "functional_level; functional_coefficient (the old typed-in one, only without a level); null"
        },
    )
    coefficient_note = LocalizedString(allow_none=True)
    rule = LocalizedString()
    periods = ma.fields.List(ma.fields.Nested(CreditPeriodOut))
    total = ma.fields.Float(
        allow_none=True, metadata={"description": "Sum of the closed periodic evaluations' figures"}
    )
    annual = ma.fields.Nested(CreditPeriodOut, allow_none=True)
    assessment = ma.fields.Nested(
        CreditAssessmentOut,
        allow_none=True,
        metadata={"description": "The PAK record, written when the annual evaluation closes"},
    )


# -- feedback -------------------------------------------------------------------------------------


class FeedbackIn(ma.Schema):
    nip = ma.fields.String(required=True, validate=NIP_RE, metadata={"description": "The employee the feedback is for"})
    text = ma.fields.String(required=True, validate=v.Length(min=1, max=5000))
    result_id = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(min=1, max=64))
    behaviour_value = ma.fields.String(load_default=None, allow_none=True, validate=v.OneOf(BEHAVIOUR_VALUES))


class FeedbackQuery(PageArgs):
    nip = NIP
    period_id = ma.fields.String(validate=PERIOD_ID)
    evaluation_id = ma.fields.String(validate=v.Length(max=36))


class FeedbackPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(FeedbackOut))
    next_cursor = ma.fields.String(allow_none=True)


from .units_schemas import (  # noqa: E402,F401  (the units' and periods' schemas)
    CalibrationOut,
    DashboardOut,
    DistributionOut,
    ExportArgs,
    ExportOut,
    ExportRow,
    FinaliseIn,
    HeadOut,
    OpenPeriodIn,
    OpenPeriodOut,
    OptionalPeriodArg,
    PeriodArg,
    PeriodsOut,
    PeriodsQuery,
    PeriodStats,
    PredicateAuthorityOut,
    RuleOut,
    SchemeIn,
    UnitPredicateIn,
    UnitPredicateOut,
)
