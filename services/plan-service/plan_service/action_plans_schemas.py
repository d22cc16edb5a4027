"""Request and response schemas of action plans (rencana aksi)."""

import marshmallow as ma
from marshmallow import validate as v

from kinerja_shared.numbers import MAX_TARGET_VALUE, TARGET_PLACES
from kinerja_shared.web.fields import BoundedNumber
from kinerja_shared.web.pagination import PageArgs

from .action_plans import MAX_TEXT, PERIOD_PATTERN, STATUSES
from .schemas import NIP, NIP_ERROR, NIP_PATTERN, YEAR

PERIOD = dict(
    validate=v.Regexp(PERIOD_PATTERN, error="must be a month YYYY-MM or a quarter YYYY-Qn"),
    metadata={"description": "The month (YYYY-MM) or quarter (YYYY-Qn) inside the plan's span", "example": "2026-03"},
)
ID = dict(validate=v.Length(min=1, max=64))


class ActionIn(ma.Schema):
    indicator_id = ma.fields.String(
        required=True,
        **ID,
        metadata={"description": "The indicator of the plan the action advances (its result follows)"},
    )
    result_id = ma.fields.String(
        load_default=None, allow_none=True, **ID, metadata={"description": "Optional: must be the indicator's result"}
    )
    period = ma.fields.String(required=True, **PERIOD)
    text = ma.fields.String(
        required=True,
        validate=v.Length(min=1, max=MAX_TEXT),
        metadata={"description": "What will be done (the action)"},
    )
    target_value = BoundedNumber(
        minimum=0,
        maximum=MAX_TARGET_VALUE,
        places=TARGET_PLACES,
        load_default=None,
        allow_none=True,
        metadata={"description": "The action's own small target; required when the indicator has a numeric target"},
    )
    target_unit = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(max=50),
        metadata={"description": "Must be the indicator's unit (default: it)"},
    )


class ActionPatch(ma.Schema):
    indicator_id = ma.fields.String(**ID)
    result_id = ma.fields.String(allow_none=True, **ID)
    period = ma.fields.String(**PERIOD)
    text = ma.fields.String(validate=v.Length(min=1, max=MAX_TEXT))
    target_value = BoundedNumber(minimum=0, maximum=MAX_TARGET_VALUE, places=TARGET_PLACES, allow_none=True)
    target_unit = ma.fields.String(allow_none=True, validate=v.Length(max=50))


class ActionOut(ma.Schema):
    action_id = ma.fields.String()
    plan_id = ma.fields.String()
    result_id = ma.fields.String()
    indicator_id = ma.fields.String()
    period = ma.fields.String()
    text = ma.fields.String()
    target_value = ma.fields.Float(allow_none=True)
    target_unit = ma.fields.String(allow_none=True)
    version = ma.fields.Integer(allow_none=True, metadata={"description": "The ETag's version (working set only)"})
    created_at = ma.fields.DateTime(allow_none=True)
    updated_at = ma.fields.DateTime(allow_none=True)


class ActionPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ActionOut))
    next_cursor = ma.fields.String(allow_none=True)


class ActionQuery(PageArgs):
    period = ma.fields.String(**PERIOD)
    result_id = ma.fields.String(**ID)
    set = ma.fields.String(
        load_default="working",
        validate=v.OneOf(("working", "agreed")),
        metadata={"description": "working: the set being edited (default); agreed: the set in force"},
    )


class ActionPlanOut(ma.Schema):
    plan_id = ma.fields.String()
    nip = ma.fields.String()
    rater_nip = ma.fields.String(allow_none=True)
    year = ma.fields.Integer()
    plan_status = ma.fields.String()
    plan_revision = ma.fields.Integer()
    status = ma.fields.String(metadata={"description": ", ".join(STATUSES)})
    version = ma.fields.Integer(metadata={"description": "The ETag's version of the set"})
    agreed_version = ma.fields.Integer(metadata={"description": "The agreed version in force (0: none yet)"})
    amending = ma.fields.Boolean(metadata={"description": "An amendment of the agreed set is being prepared"})
    amendment_reason = ma.fields.String(allow_none=True)
    return_reason = ma.fields.String(allow_none=True)
    submitted_at = ma.fields.DateTime(allow_none=True)
    agreed_at = ma.fields.DateTime(allow_none=True)
    agreed_by = ma.fields.String(allow_none=True)
    dropped = ma.fields.List(
        ma.fields.Dict(),
        metadata={
            "description": "Actions the last plan amendment made invalid (their result or indicator was removed)"
        },
    )
    periods = ma.fields.Dict(metadata={"description": "The months and quarters of the plan's span"})
    actions = ma.fields.List(ma.fields.Nested(ActionOut), metadata={"description": "The working set"})
    agreed_actions = ma.fields.List(ma.fields.Nested(ActionOut), metadata={"description": "The agreed set in force"})


class ActionPlanReturnIn(ma.Schema):
    reason = ma.fields.String(
        required=True,
        validate=v.Length(min=1, max=2000),
        metadata={"description": "Why the rater returns the proposed actions"},
    )


class ActionPlanAmendIn(ma.Schema):
    reason = ma.fields.String(
        required=True,
        validate=v.Length(min=1, max=2000),
        metadata={"description": "Why the agreed action plans change"},
    )


class ActionPlanVersionOut(ma.Schema):
    version = ma.fields.Integer()
    kind = ma.fields.String(metadata={"description": "agreement (by the rater) or plan_amendment (actions dropped)"})
    plan_revision = ma.fields.Integer()
    amendment_reason = ma.fields.String(allow_none=True)
    agreed_by = ma.fields.String(allow_none=True)
    agreed_at = ma.fields.DateTime()
    actions = ma.fields.List(ma.fields.Nested(ActionOut))
    dropped = ma.fields.List(ma.fields.Dict(), allow_none=True)


class ActionPlanVersionList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ActionPlanVersionOut))


class ActionPlanQuery(PageArgs):
    status = ma.fields.String(validate=v.OneOf(STATUSES))
    year = ma.fields.Integer(**YEAR)
    nip = NIP
    rater_nip = ma.fields.String(validate=v.Regexp(NIP_PATTERN, error=NIP_ERROR))


class ActionPlanSummary(ma.Schema):
    plan_id = ma.fields.String()
    nip = ma.fields.String()
    name = ma.fields.String(allow_none=True)
    rater_nip = ma.fields.String(allow_none=True)
    year = ma.fields.Integer()
    status = ma.fields.String()
    agreed_version = ma.fields.Integer()
    amendment_reason = ma.fields.String(allow_none=True)
    submitted_at = ma.fields.DateTime(allow_none=True)
    actions = ma.fields.Integer(metadata={"description": "Actions in the working set"})


class ActionPlanPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ActionPlanSummary))
    next_cursor = ma.fields.String(allow_none=True)
