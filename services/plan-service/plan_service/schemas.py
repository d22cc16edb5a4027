"""Request and response schemas (marshmallow) of plan-service; they generate the OpenAPI document."""
import marshmallow as ma
from marshmallow import validate as v

from kinerja_shared.web.pagination import PageArgs

from .domain import APPROACHES, ASPECTS, BEHAVIOUR_VALUES, MODELS, PERSPECTIVES, RESULT_KINDS, STATUSES

NIP = ma.fields.String(validate=v.Regexp(r"^[0-9]{18}$", error="must be exactly 18 digits"),
                       metadata={"description": "18-digit NIP", "example": "198503302010011002"})


class UnitIn(ma.Schema):
    name = ma.fields.String(required=True, validate=v.Length(min=1, max=200))
    parent_id = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=64))
    head_nip = ma.fields.String(load_default=None, allow_none=True, validate=v.Regexp(r"^[0-9]{18}$"))


class UnitOut(ma.Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    parent_id = ma.fields.String(allow_none=True)
    path = ma.fields.List(ma.fields.String())
    head_nip = ma.fields.String(allow_none=True)


class EmployeeIn(ma.Schema):
    name = ma.fields.String(required=True, validate=v.Length(min=1, max=200))
    position = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=200))
    rank = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=100))
    grade = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=20))
    unit_id = ma.fields.String(required=True, validate=v.Length(min=1, max=64))
    rater_nip = ma.fields.String(load_default=None, allow_none=True, validate=v.Regexp(r"^[0-9]{18}$", error="must be exactly 18 digits"))
    rater_superior_nip = ma.fields.String(load_default=None, allow_none=True, validate=v.Regexp(r"^[0-9]{18}$", error="must be exactly 18 digits"))
    email = ma.fields.Email(load_default=None, allow_none=True)
    phone = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=32))
    functional_coefficient = ma.fields.Float(load_default=None, allow_none=True, validate=v.Range(min=0, max=1000),
                                             metadata={"description": "Yearly credit-point coefficient (koefisien) for functionals"})
    active = ma.fields.Boolean(load_default=True)


class EmployeeOut(EmployeeIn):
    nip = ma.fields.String()
    version = ma.fields.Integer()


class IndicatorIn(ma.Schema):
    indicator_id = ma.fields.String(load_default=None, validate=v.Length(min=1, max=64))
    aspect = ma.fields.String(required=True, validate=v.OneOf(ASPECTS))
    text = ma.fields.String(required=True, validate=v.Length(min=1, max=2000))
    target_value = ma.fields.Float(load_default=None, allow_none=True, validate=v.Range(min=0))
    target_unit = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=50))


class ResultIn(ma.Schema):
    result_id = ma.fields.String(load_default=None, validate=v.Length(min=1, max=64))
    kind = ma.fields.String(required=True, validate=v.OneOf(RESULT_KINDS), metadata={"description": "main (utama) or additional (tambahan)"})
    text = ma.fields.String(required=True, validate=v.Length(min=1, max=2000))
    perspective = ma.fields.String(load_default=None, allow_none=True, validate=v.OneOf(PERSPECTIVES))
    supports_result_id = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=64),
                                          metadata={"description": "JA_JF cascade: the rater's result this one supports (intervensi)"})
    indicators = ma.fields.List(ma.fields.Nested(IndicatorIn), required=True, validate=v.Length(min=1, max=20))


class BehaviourIn(ma.Schema):
    value = ma.fields.String(required=True, validate=v.OneOf(BEHAVIOUR_VALUES))
    expectation = ma.fields.String(load_default="", validate=v.Length(max=2000),
                                   metadata={"description": "ekspektasi khusus pimpinan"})


class PlanIn(ma.Schema):
    nip = NIP
    year = ma.fields.Integer(required=True, validate=v.Range(min=2020, max=2100))
    period_start = ma.fields.Date(load_default=None, allow_none=True)
    period_end = ma.fields.Date(load_default=None, allow_none=True)
    approach = ma.fields.String(required=True, validate=v.OneOf(APPROACHES))
    model = ma.fields.String(required=True, validate=v.OneOf(MODELS))
    results = ma.fields.List(ma.fields.Nested(ResultIn), required=True, validate=v.Length(min=1, max=50))
    behaviours = ma.fields.List(ma.fields.Nested(BehaviourIn), required=True, validate=v.Length(equal=7))
    attachments = ma.fields.Dict(keys=ma.fields.String(validate=v.OneOf(["resources", "accountability", "consequences"])),
                                 values=ma.fields.String(validate=v.Length(max=5000)), load_default=dict)


class PlanOut(ma.Schema):
    id = ma.fields.String()
    nip = ma.fields.String()
    year = ma.fields.Integer()
    period_start = ma.fields.Date()
    period_end = ma.fields.Date()
    approach = ma.fields.String()
    model = ma.fields.String()
    status = ma.fields.String(metadata={"description": "draft, submitted, approved (BKN: Draft, Diajukan, Disetujui)"})
    rater_nip = ma.fields.String(allow_none=True)
    rater_superior_nip = ma.fields.String(allow_none=True)
    unit_id = ma.fields.String()
    results = ma.fields.List(ma.fields.Dict())
    behaviours = ma.fields.List(ma.fields.Dict())
    attachments = ma.fields.Dict()
    revision = ma.fields.Integer()
    version = ma.fields.Integer()
    return_reason = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    submitted_at = ma.fields.DateTime(allow_none=True)
    approved_at = ma.fields.DateTime(allow_none=True)


class PlanPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PlanOut))
    next_cursor = ma.fields.String(allow_none=True)


class PlanQuery(PageArgs):
    nip = NIP
    rater_nip = ma.fields.String(validate=v.Regexp(r"^[0-9]{18}$"))
    unit_id = ma.fields.String(validate=v.Length(max=64))
    status = ma.fields.String(validate=v.OneOf(STATUSES))
    year = ma.fields.Integer(validate=v.Range(min=2020, max=2100))


class ReturnIn(ma.Schema):
    reason = ma.fields.String(required=True, validate=v.Length(min=1, max=2000),
                              metadata={"description": "Why the rater returns the plan to the employee"})
