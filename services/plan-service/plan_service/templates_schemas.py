"""Request and response schemas of plan templates per position; they generate the OpenAPI document."""

import marshmallow as ma
from marshmallow import validate as v

from kinerja_shared.web.pagination import PageArgs

from .plans_schemas import AttachmentsIn, _content_fields
from .schemas import YEAR

# -- templates ------------------------------------------------------------------------------------


class TemplateIn(ma.Schema.from_dict(_content_fields(True))):
    name = ma.fields.String(required=True, validate=v.Length(min=1, max=200))
    position = ma.fields.String(
        required=True,
        validate=v.Length(min=1, max=200),
        metadata={"description": "The position (jabatan) the template is for"},
    )
    description = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=5000))
    attachments = ma.fields.Nested(AttachmentsIn, load_default=dict)


class TemplateOut(ma.Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    position = ma.fields.String()
    description = ma.fields.String(allow_none=True)
    approach = ma.fields.String()
    model = ma.fields.String()
    results = ma.fields.List(ma.fields.Dict())
    behaviours = ma.fields.List(ma.fields.Dict())
    attachments = ma.fields.Dict()
    version = ma.fields.Integer()
    created_by = ma.fields.String()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class TemplatePage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(TemplateOut))
    next_cursor = ma.fields.String(allow_none=True)


class TemplateQuery(PageArgs):
    position = ma.fields.String(validate=v.Length(max=200))


class AssignIn(ma.Schema):
    unit_id = ma.fields.String(required=True, validate=v.Length(min=1, max=64))
    year = ma.fields.Integer(required=True, **YEAR)
    include_subunits = ma.fields.Boolean(load_default=False, metadata={"description": "Also every unit below unit_id"})
    only_matching_position = ma.fields.Boolean(
        load_default=False, metadata={"description": "Only employees whose position is the template's"}
    )


class AssignItem(ma.Schema):
    nip = ma.fields.String()
    name = ma.fields.String()
    outcome = ma.fields.String(metadata={"description": "created or skipped"})
    plan_id = ma.fields.String(
        allow_none=True, metadata={"description": "The new draft, or the plan that made us skip"}
    )
    reason = ma.fields.String(allow_none=True)


class AssignOut(ma.Schema):
    template_id = ma.fields.String()
    unit_id = ma.fields.String()
    year = ma.fields.Integer()
    created = ma.fields.Integer()
    skipped = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(AssignItem))
