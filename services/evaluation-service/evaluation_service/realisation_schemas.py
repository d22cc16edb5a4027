"""Schemas of the employee's realisation and the rater's draft (they generate the OpenAPI document)."""

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import validate as v

from .self_assessment import (
    ACTIVITY,
    LINK,
    MAX_EVIDENCE,
    MAX_LINK_NAME,
    MAX_NARRATIVE,
    MAX_REALISATION,
    NOT_STARTED,
    STATUSES,
)

STATUS_DOC = f"{NOT_STARTED} (nothing saved yet), " + ", ".join(STATUSES)


class EvidenceIn(ma.Schema):
    kind = ma.fields.String(
        required=True,
        validate=v.OneOf((LINK, ACTIVITY)),
        metadata={
            "description": "link: a URL (http or https); activity: evidence already attached to one of your verified "
            "activities of the period, named by activity_id and its file_id or url. Files are uploaded "
            "to .../realisation/results/{result_id}/evidence and kept by themselves."
        },
    )
    url = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=2000))
    name = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=MAX_LINK_NAME))
    activity_id = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(min=1, max=64))
    file_id = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(min=1, max=64))


class RealisationResultIn(ma.Schema):
    result_id = ma.fields.String(required=True, validate=v.Length(min=1, max=64))
    realisation = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(max=MAX_REALISATION),
        metadata={"description": "The realisation in the employee's words (prefilled)"},
    )
    narrative = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(max=MAX_NARRATIVE),
        metadata={"description": "A short narrative of what was done"},
    )
    evidence = ma.fields.List(ma.fields.Nested(EvidenceIn), load_default=list, validate=v.Length(max=MAX_EVIDENCE))


class RealisationIn(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(RealisationResultIn), required=True, validate=v.Length(max=50))


class ReturnIn(ma.Schema):
    reason = ma.fields.String(
        required=True,
        validate=v.Length(min=1, max=2000),
        metadata={"description": "What the employee should complete or correct"},
    )


class EvidenceFileUpload(ma.Schema):
    file = Upload(required=True, metadata={"description": "PDF, JPEG or PNG, at most EVALUATION_EVIDENCE_MAX_BYTES"})


class EvidenceItemOut(ma.Schema):
    kind = ma.fields.String(metadata={"description": "link, activity (picked from an activity) or file (uploaded)"})
    url = ma.fields.String(allow_none=True)
    name = ma.fields.String(allow_none=True)
    activity_id = ma.fields.String(allow_none=True)
    evidence_kind = ma.fields.String(allow_none=True, metadata={"description": "activity: link or file"})
    file_id = ma.fields.String(allow_none=True)
    sha256 = ma.fields.String(allow_none=True)
    content_type = ma.fields.String(allow_none=True)
    size = ma.fields.Integer(allow_none=True)
    download = ma.fields.String(allow_none=True, metadata={"description": "Where a file is downloaded"})


class EmployeeResultOut(ma.Schema):
    realisation = ma.fields.String(allow_none=True)
    narrative = ma.fields.String(allow_none=True)
    evidence = ma.fields.List(ma.fields.Nested(EvidenceItemOut))


class SelfAssessmentSummaryOut(ma.Schema):
    status = ma.fields.String(metadata={"description": STATUS_DOC})
    submitted_at = ma.fields.DateTime(allow_none=True)
    return_reason = ma.fields.String(allow_none=True)
    deadline = ma.fields.String(metadata={"format": "date", "description": "The employee's deadline"})
    evaluation_deadline = ma.fields.String(metadata={"format": "date", "description": "The rater's deadline"})
    overdue = ma.fields.Boolean(metadata={"description": "Not submitted and the employee's deadline has passed"})
    feedback_required = ma.fields.Boolean(
        metadata={"description": "Submitting the form needs feedback on every main result"}
    )
    note = ma.fields.String(metadata={"description": "What the form says about it, in Bahasa Indonesia"})


class IndicatorFigureOut(ma.Schema):
    indicator_id = ma.fields.String()
    text = ma.fields.String(allow_none=True)
    aspect = ma.fields.String(allow_none=True)
    target_value = ma.fields.Float(allow_none=True)
    target_unit = ma.fields.String(allow_none=True)
    realised_to_date = ma.fields.Float(allow_none=True)
    percent_of_target = ma.fields.Float(allow_none=True)


class RealisationResultOut(ma.Schema):
    result_id = ma.fields.String()
    kind = ma.fields.String()
    text = ma.fields.String()
    indicators = ma.fields.List(ma.fields.Nested(IndicatorFigureOut), metadata={"description": "The system's figures"})
    prefill = ma.fields.String(allow_none=True, metadata={"description": "The realisation from verified activities"})
    realisation = ma.fields.String(allow_none=True)
    narrative = ma.fields.String(allow_none=True)
    evidence = ma.fields.List(ma.fields.Nested(EvidenceItemOut))


class ActivityEvidenceOut(ma.Schema):
    activity_id = ma.fields.String()
    date = ma.fields.Date()
    description = ma.fields.String(allow_none=True)
    result_id = ma.fields.String(allow_none=True)
    indicator_id = ma.fields.String(allow_none=True)
    evidence = ma.fields.List(ma.fields.Nested(EvidenceItemOut))


class RealisationOut(ma.Schema):
    evaluation_id = ma.fields.String()
    nip = ma.fields.String()
    rater_nip = ma.fields.String(allow_none=True)
    period = ma.fields.Dict(metadata={"description": "id, kind, start, end"})
    evaluation_status = ma.fields.String()
    status = ma.fields.String(metadata={"description": STATUS_DOC})
    version = ma.fields.Integer()
    submitted_at = ma.fields.DateTime(allow_none=True)
    returned_at = ma.fields.DateTime(allow_none=True)
    return_reason = ma.fields.String(allow_none=True)
    deadlines = ma.fields.Dict(
        metadata={
            "description": "realisation and evaluation (dates), realisation_days, "
            "evaluation_days (KINERJA_*_DEADLINE_DAYS)"
        }
    )
    overdue = ma.fields.Boolean()
    may_edit = ma.fields.Boolean(metadata={"description": "The caller is the employee and may save or submit"})
    results = ma.fields.List(ma.fields.Nested(RealisationResultOut))
    activity_evidence = ma.fields.List(
        ma.fields.Nested(ActivityEvidenceOut),
        metadata={"description": "The evidence of the period's verified activities, to pick from"},
    )
