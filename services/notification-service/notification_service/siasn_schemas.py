"""Request and answer schemas of the SIASN channel's admin API (siasn_api.py)."""

import marshmallow as ma
from marshmallow import validate as v

from kinerja_shared.web.pagination import PageArgs

from .siasn import STATUSES
from .siasn_mapping import KINDS

_YEAR = dict(validate=v.Range(min=2000, max=2100))
_UNIT = dict(validate=v.Length(min=1, max=64))


class RecordQuery(PageArgs):
    status = ma.fields.String(validate=v.OneOf(STATUSES), metadata={"description": ", ".join(STATUSES)})
    unit_id = ma.fields.String(**_UNIT)
    year = ma.fields.Integer(**_YEAR)
    kind = ma.fields.String(validate=v.OneOf(KINDS), metadata={"description": "skp22, kinerjaperiodik, angkakredit"})
    nip = ma.fields.String(validate=v.Regexp(r"^[0-9]{18}$", error="must be exactly 18 digits"))


class RecordOut(ma.Schema):
    id = ma.fields.Integer()
    evaluation_id = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "The web service: skp22, kinerjaperiodik, angkakredit"})
    nip = ma.fields.String()
    rater_nip = ma.fields.String(allow_none=True)
    unit_id = ma.fields.String()
    year = ma.fields.Integer()
    period_id = ma.fields.String()
    revision = ma.fields.Integer(metadata={"description": "The evaluation's revision the record is built from"})
    status = ma.fields.String(metadata={"description": "needs_data, pending, sent, refused, failed, reopened"})
    missing = ma.fields.List(ma.fields.String(), metadata={"description": "needs_data: the fields the directory lacks"})
    siasn_id = ma.fields.String(allow_none=True, metadata={"description": "SIASN's id of the record (mapData)"})
    sent_revision = ma.fields.Integer(allow_none=True)
    document = ma.fields.String(
        allow_none=True,
        metadata={"description": "pending (not attached yet), uploaded, or null (no document for this kind)"},
    )
    attempts = ma.fields.Integer()
    next_attempt_at = ma.fields.DateTime()
    last_status_code = ma.fields.Integer(allow_none=True)
    last_error = ma.fields.String(
        allow_none=True, metadata={"description": "SIASN's message (a refusal) or what failed"}
    )
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    sent_at = ma.fields.DateTime(allow_none=True)


class RecordDetail(RecordOut):
    body = ma.fields.Dict(
        allow_none=True, metadata={"description": "Exactly what would be sent now (null: needs data)"}
    )


class RecordPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RecordOut))
    next_cursor = ma.fields.String(allow_none=True)


class ReportQuery(ma.Schema):
    year = ma.fields.Integer(required=True, **_YEAR)
    unit_id = ma.fields.String(**_UNIT)


class ReportRow(ma.Schema):
    unit_id = ma.fields.String()
    year = ma.fields.Integer()
    sent = ma.fields.Integer()
    waiting = ma.fields.Integer(metadata={"description": "pending (due or retrying) and reopened"})
    refused = ma.fields.Integer()
    failed = ma.fields.Integer()
    needs_data = ma.fields.Integer()


class Report(ma.Schema):
    year = ma.fields.Integer()
    units = ma.fields.List(ma.fields.Nested(ReportRow))


class ExportQuery(ma.Schema):
    unit_id = ma.fields.String(required=True, **_UNIT)
    period_id = ma.fields.String(
        required=True,
        validate=v.Regexp(
            r"^[0-9]{4}-(Y|Q[1-4]|0[1-9]|1[0-2])$", error="must be a period id such as 2026-Y, 2026-Q1 or 2026-03"
        ),
    )
