"""Request and response schemas of plans (SKP): content, drafts, the status machine, amendments, revisions,
the cascade, supportable results and completion monitoring; they generate the OpenAPI document."""

import marshmallow as ma
from marshmallow import validate as v

from kinerja_shared.numbers import MAX_TARGET_VALUE, MAX_VERSION, TARGET_PLACES
from kinerja_shared.web.fields import BoundedNumber
from kinerja_shared.web.pagination import PageArgs

from .domain import (
    AMENDMENT_STATUSES,
    APPROACHES,
    ASPECTS,
    BEHAVIOUR_VALUES,
    MAX_BULK_APPROVE_ITEMS,
    MEASURES,
    MODELS,
    PERSPECTIVES,
    RESULT_KINDS,
    REVISION_KINDS,
    STATUSES,
)
from .schemas import NIP, NIP_ERROR, NIP_PATTERN, YEAR, nip_field

# -- plan content ---------------------------------------------------------------------------------


class IndicatorIn(ma.Schema):
    indicator_id = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(min=1, max=64),
        metadata={"description": "Keep the id when editing; a new indicator gets one"},
    )
    aspect = ma.fields.String(required=True, validate=v.OneOf(ASPECTS))
    text = ma.fields.String(required=True, validate=v.Length(min=1, max=2000))
    target_value = BoundedNumber(
        minimum=0,
        maximum=MAX_TARGET_VALUE,
        places=TARGET_PLACES,
        load_default=None,
        allow_none=True,
        metadata={
            "description": "Required for a quantitative plan; none for a qualitative one. "
            "A year's target for one person (money in thousands of rupiah)"
        },
    )
    target_unit = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=50))
    measure = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.OneOf(MEASURES),
        metadata={
            "description": "How realisation is measured, suiting the aspect: quantity sum; quality latest or average "
            "(a "
            "measured level, e.g. 100 %); time duration (time taken, lower is better) or deadline (on time "
            "by deadline_day); cost spent (against the budget, lower is better). null: the aspect's default "
            "(sum, average, duration, spent)"
        },
    )
    deadline_day = ma.fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        validate=v.Range(min=1, max=31),
        metadata={
            "description": "measure deadline only: the day of the month each delivery is due (e.g. 10: by the 10th)"
        },
    )


class ResultIn(ma.Schema):
    result_id = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(min=1, max=64))
    kind = ma.fields.String(
        required=True, validate=v.OneOf(RESULT_KINDS), metadata={"description": "main (utama) or additional (tambahan)"}
    )
    text = ma.fields.String(required=True, validate=v.Length(min=1, max=2000))
    perspective = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.OneOf(PERSPECTIVES),
        metadata={"description": "JPT only: the perspective of the result"},
    )
    supports_result_id = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(max=64),
        metadata={
            "description": "JA_JF cascade: the result of the rater's approved plan this one supports (intervensi)"
        },
    )
    indicators = ma.fields.List(ma.fields.Nested(IndicatorIn), required=True, validate=v.Length(min=1, max=20))


class BehaviourIn(ma.Schema):
    value = ma.fields.String(
        required=True, validate=v.OneOf(BEHAVIOUR_VALUES), metadata={"description": "One of the seven BerAKHLAK values"}
    )
    expectation = ma.fields.String(
        load_default="", validate=v.Length(max=2000), metadata={"description": "ekspektasi khusus pimpinan"}
    )


class AttachmentsIn(ma.Schema):
    resources = ma.fields.String(validate=v.Length(max=5000), metadata={"description": "dukungan sumber daya"})
    accountability = ma.fields.String(validate=v.Length(max=5000), metadata={"description": "skema pertanggungjawaban"})
    consequences = ma.fields.String(validate=v.Length(max=5000), metadata={"description": "konsekuensi"})


def _content_fields(required: bool) -> dict:
    extra = {"required": True} if required else {}
    return {
        "approach": ma.fields.String(validate=v.OneOf(APPROACHES), **extra),
        "model": ma.fields.String(validate=v.OneOf(MODELS), **extra),
        "results": ma.fields.List(ma.fields.Nested(ResultIn), validate=v.Length(min=1, max=50), **extra),
        "behaviours": ma.fields.List(ma.fields.Nested(BehaviourIn), validate=v.Length(equal=7), **extra),
    }


class PlanContentIn(ma.Schema.from_dict(_content_fields(True))):
    period_start = ma.fields.Date(
        load_default=None, allow_none=True, metadata={"description": "Default: 1 January (or the start of a new post)"}
    )
    period_end = ma.fields.Date(load_default=None, allow_none=True, metadata={"description": "Default: 31 December"})
    attachments = ma.fields.Nested(AttachmentsIn, load_default=dict)


class PlanIn(PlanContentIn):
    nip = NIP
    year = ma.fields.Integer(required=True, **YEAR)


class PlanPatch(ma.Schema.from_dict(_content_fields(False))):
    """Only the fields sent change; attachments merge by key."""

    period_start = ma.fields.Date(allow_none=True)
    period_end = ma.fields.Date(allow_none=True)
    attachments = ma.fields.Nested(AttachmentsIn)


class PlanOut(ma.Schema):
    id = ma.fields.String()
    nip = ma.fields.String()
    year = ma.fields.Integer()
    period_start = ma.fields.Date()
    period_end = ma.fields.Date()
    approach = ma.fields.String()
    model = ma.fields.String()
    status = ma.fields.String(
        metadata={"description": "draft, submitted, approved, closed (BKN: Draft, Diajukan, Disetujui)"}
    )
    rater_nip = ma.fields.String(allow_none=True)
    rater_superior_nip = ma.fields.String(allow_none=True)
    unit_id = ma.fields.String()
    position = ma.fields.String(allow_none=True)
    functional_coefficient = ma.fields.Float(allow_none=True)
    results = ma.fields.List(ma.fields.Dict())
    behaviours = ma.fields.List(ma.fields.Dict())
    attachments = ma.fields.Dict()
    revision = ma.fields.Integer(
        metadata={"description": "The approved revision in force (1 at approval, +1 per amendment)"}
    )
    version = ma.fields.Integer(metadata={"description": "Changes with every write; the ETag"})
    return_reason = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    submitted_at = ma.fields.DateTime(allow_none=True)
    approved_at = ma.fields.DateTime(allow_none=True)
    approved_by = ma.fields.String(allow_none=True)
    closed_at = ma.fields.DateTime(allow_none=True)
    closed_reason = ma.fields.String(allow_none=True)
    template_id = ma.fields.String(allow_none=True)
    copied_from_plan_id = ma.fields.String(allow_none=True)


class PlanPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PlanOut))
    next_cursor = ma.fields.String(allow_none=True)


class PlanQuery(PageArgs):
    nip = NIP
    rater_nip = ma.fields.String(validate=v.Regexp(NIP_PATTERN, error=NIP_ERROR))
    unit_id = ma.fields.String(validate=v.Length(max=64))
    status = ma.fields.String(validate=v.OneOf(STATUSES))
    year = ma.fields.Integer(**YEAR)


class ReturnIn(ma.Schema):
    reason = ma.fields.String(
        required=True,
        validate=v.Length(min=1, max=2000),
        metadata={"description": "Why the rater returns the plan to the employee"},
    )


class CopyIn(ma.Schema):
    year = ma.fields.Integer(load_default=None, **YEAR, metadata={"description": "Default: the source plan's year + 1"})
    nip = nip_field(
        "Whose new draft (default: the source's owner; someone else than yourself: admin only)",
        load_default=None,
        allow_none=True,
    )


# -- bulk approval --------------------------------------------------------------------------------


class BulkApproveItem(ma.Schema):
    id = ma.fields.String(required=True, validate=v.Length(min=1, max=64))
    version = ma.fields.Integer(
        load_default=None,
        allow_none=True,
        validate=v.Range(min=1, max=MAX_VERSION),
        metadata={"description": "Optional: the version read (412 if stale)"},
    )


class BulkApproveIn(ma.Schema):
    items = ma.fields.List(
        ma.fields.Nested(BulkApproveItem),
        required=True,
        validate=v.Length(min=1, max=MAX_BULK_APPROVE_ITEMS),
        metadata={"description": f"At most {MAX_BULK_APPROVE_ITEMS} plans per request"},
    )


class ItemProblem(ma.Schema):
    title = ma.fields.String()
    detail = ma.fields.String()
    errors = ma.fields.List(ma.fields.Dict())
    current_status = ma.fields.String()


class BulkApproveItemOut(ma.Schema):
    index = ma.fields.Integer()
    id = ma.fields.String()
    status = ma.fields.Integer(metadata={"description": "200 approved; 403, 404, 409, 412 or 422 refused"})
    plan = ma.fields.Nested(PlanOut, allow_none=True)
    problem = ma.fields.Nested(ItemProblem, allow_none=True)


class BulkApproveOut(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(BulkApproveItemOut))
    approved = ma.fields.Integer()
    failed = ma.fields.Integer()


# -- amendments and revisions ---------------------------------------------------------------------


class AmendmentIn(PlanContentIn):
    reason = ma.fields.String(
        required=True, validate=v.Length(min=1, max=2000), metadata={"description": "Why the plan changes"}
    )


class DecisionIn(ma.Schema):
    reason = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(min=1, max=2000))


class RejectIn(ma.Schema):
    reason = ma.fields.String(required=True, validate=v.Length(min=1, max=2000))


class AmendmentOut(ma.Schema):
    id = ma.fields.String()
    plan_id = ma.fields.String()
    status = ma.fields.String(metadata={"description": ", ".join(AMENDMENT_STATUSES)})
    base_revision = ma.fields.Integer()
    resulting_revision = ma.fields.Integer(allow_none=True)
    reason = ma.fields.String()
    approach = ma.fields.String()
    model = ma.fields.String()
    period_start = ma.fields.Date()
    period_end = ma.fields.Date()
    results = ma.fields.List(ma.fields.Dict())
    behaviours = ma.fields.List(ma.fields.Dict())
    attachments = ma.fields.Dict()
    proposed_by = ma.fields.String()
    proposed_at = ma.fields.DateTime()
    decided_by = ma.fields.String(allow_none=True)
    decided_at = ma.fields.DateTime(allow_none=True)
    decision_reason = ma.fields.String(allow_none=True)
    version = ma.fields.Integer()
    plan = ma.fields.Nested(PlanOut, allow_none=True, metadata={"description": "The amended plan (after an approval)"})


class AmendmentList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(AmendmentOut))


class RevisionOut(ma.Schema):
    plan_id = ma.fields.String()
    revision = ma.fields.Integer()
    kind = ma.fields.String(metadata={"description": ", ".join(REVISION_KINDS)})
    reason = ma.fields.String(allow_none=True)
    status = ma.fields.String()
    period_start = ma.fields.Date()
    period_end = ma.fields.Date()
    approach = ma.fields.String()
    model = ma.fields.String()
    rater_nip = ma.fields.String(allow_none=True)
    rater_superior_nip = ma.fields.String(allow_none=True)
    unit_id = ma.fields.String()
    results = ma.fields.List(ma.fields.Dict())
    behaviours = ma.fields.List(ma.fields.Dict())
    attachments = ma.fields.Dict()
    amendment_id = ma.fields.String(allow_none=True)
    recorded_by = ma.fields.String()
    recorded_at = ma.fields.DateTime()


class RevisionList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RevisionOut))


# -- cascade and completion -----------------------------------------------------------------------


class CascadeQuery(ma.Schema):
    result_id = ma.fields.String(
        validate=v.Length(min=1, max=64), metadata={"description": "Only this result of the plan"}
    )
    depth = ma.fields.Integer(
        load_default=5, validate=v.Range(min=1, max=10), metadata={"description": "Levels down the tree"}
    )
    include_unapproved = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Also drafts and submitted plans of the subordinates (default: approved only)"},
    )


class CascadeNode(ma.Schema):
    plan_id = ma.fields.String()
    nip = ma.fields.String()
    name = ma.fields.String(allow_none=True)
    position = ma.fields.String(allow_none=True)
    unit_id = ma.fields.String()
    status = ma.fields.String()
    result = ma.fields.Dict()
    supported_by = ma.fields.List(ma.fields.Nested(lambda: CascadeNode()))


class CascadeOut(ma.Schema):
    plan_id = ma.fields.String()
    nip = ma.fields.String()
    year = ma.fields.Integer()
    results = ma.fields.List(
        ma.fields.Nested(CascadeNode),
        metadata={"description": "Each result of the plan with the subordinates' results that support it"},
    )


class SupportableQuery(ma.Schema):
    nip = ma.fields.String(
        validate=v.Regexp(r"^[0-9]{18}$", error="must be an 18-digit NIP"),
        metadata={"description": "The employee drafting a plan (default: you)"},
    )
    year = ma.fields.Integer(**YEAR, metadata={"description": "Default: this year"})


class SupportableResult(ma.Schema):
    result_id = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "main (utama) or additional (tambahan)"})
    text = ma.fields.String()
    perspective = ma.fields.String(allow_none=True)
    indicators = ma.fields.List(ma.fields.Dict())


class SupportableOut(ma.Schema):
    nip = ma.fields.String()
    year = ma.fields.Integer()
    rater_nip = ma.fields.String(allow_none=True, metadata={"description": "The employee's rater in the directory"})
    rater_name = ma.fields.String(allow_none=True)
    plan_id = ma.fields.String(allow_none=True, metadata={"description": "The rater's approved plan, if any"})
    revision = ma.fields.Integer(allow_none=True)
    required = ma.fields.Boolean(
        metadata={
            "description": "True when the employee's main JA_JF results must each name "
            "one of these in supports_result_id"
        }
    )
    results = ma.fields.List(ma.fields.Nested(SupportableResult))
    detail = ma.fields.String(allow_none=True, metadata={"description": "Why the list is empty, when it is"})


class CompletionQuery(PageArgs):
    unit_id = ma.fields.String(
        validate=v.Length(max=64), metadata={"description": "Default: the unit you head (admin: everyone)"}
    )
    year = ma.fields.Integer(**YEAR, metadata={"description": "Default: this year"})


class CompletionMissing(ma.Schema):
    nip = ma.fields.String()
    name = ma.fields.String()
    position = ma.fields.String(allow_none=True)
    unit_id = ma.fields.String()
    rater_nip = ma.fields.String(allow_none=True)
    plan_id = ma.fields.String(allow_none=True)
    plan_status = ma.fields.String(
        allow_none=True, metadata={"description": "None: no plan; draft or submitted: not yet approved"}
    )


class CompletionOut(ma.Schema):
    unit_id = ma.fields.String(allow_none=True)
    year = ma.fields.Integer()
    deadline = ma.fields.Date()
    as_of = ma.fields.Date()
    overdue = ma.fields.Boolean(metadata={"description": "The deadline has passed: everyone listed is late"})
    employees = ma.fields.Integer()
    approved = ma.fields.Integer()
    approved_late = ma.fields.Integer(metadata={"description": "Approved after the deadline"})
    missing = ma.fields.Integer()
    items = ma.fields.List(
        ma.fields.Nested(CompletionMissing), metadata={"description": "Who has no approved plan (a page)"}
    )
    next_cursor = ma.fields.String(allow_none=True)
