"""Request and response schemas of the performance dialogue (dialog kinerja)."""

import marshmallow as ma
from marshmallow import validate as v

from kinerja_shared.web.pagination import PageArgs

from . import dialogues as rules
from .schemas import NIP, NIP_RE, PERIOD_ID

_PARTICIPANTS = (
    "NIPs of who else took part (from the directory); the employee and the rater always take part "
    f"and are added when missing; at most {rules.MAX_OTHERS} others"
)
_HELD_ON = (
    "The day it was held: not in the future, within the plan's span or two months of it, and for an "
    "evaluation's dialogue not before its period"
)


class _Content(ma.Schema):
    held_on = ma.fields.Date(metadata={"description": _HELD_ON, "example": "2026-03-28"})
    participants = ma.fields.List(
        ma.fields.String(validate=NIP_RE),
        validate=v.Length(max=rules.MAX_OTHERS + 2),
        metadata={"description": _PARTICIPANTS},
    )
    topics = ma.fields.String(
        validate=v.Length(min=1, max=rules.MAX_TOPICS), metadata={"description": "What was discussed (topik dialog)"}
    )
    follow_ups = ma.fields.String(
        allow_none=True,
        validate=v.Length(max=rules.MAX_FOLLOW_UPS),
        metadata={
            "description": "The agreed follow-ups (tindak lanjut); shown on the next "
            "period's evaluation form once confirmed by both"
        },
    )


class DialogueIn(_Content):
    plan_id = ma.fields.String(required=True, validate=v.Length(min=1, max=64))
    stage = ma.fields.String(
        required=True,
        validate=v.OneOf(rules.STAGES),
        metadata={"description": "planning (when the plan is set) or evaluation (of a period)"},
    )
    evaluation_id = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(min=1, max=36),
        metadata={"description": "Required for stage evaluation: the plan's evaluation whose period it belongs to"},
    )
    held_on = ma.fields.Date(required=True, metadata={"description": _HELD_ON, "example": "2026-03-28"})
    topics = ma.fields.String(
        required=True,
        validate=v.Length(min=1, max=rules.MAX_TOPICS),
        metadata={"description": "What was discussed (topik dialog)"},
    )


class DialoguePatch(_Content):
    """Any of the content's fields; the others stay."""


class DialogueCorrectionIn(_Content):
    reason = ma.fields.String(
        required=True,
        validate=v.Length(min=1, max=2000),
        metadata={"description": "Why the confirmed dialogue is corrected (kept in its history)"},
    )


class ParticipantOut(ma.Schema):
    nip = ma.fields.String()
    name = ma.fields.String(allow_none=True)
    role = ma.fields.String(metadata={"description": "employee, rater or other"})


class DialogueOut(ma.Schema):
    id = ma.fields.String()
    plan_id = ma.fields.String()
    nip = ma.fields.String(metadata={"description": "The employee"})
    rater_nip = ma.fields.String()
    unit_id = ma.fields.String()
    stage = ma.fields.String(metadata={"description": ", ".join(rules.STAGES)})
    period_id = ma.fields.String()
    evaluation_id = ma.fields.String(allow_none=True)
    held_on = ma.fields.Date()
    participants = ma.fields.List(ma.fields.Nested(ParticipantOut))
    topics = ma.fields.String()
    follow_ups = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"description": "recorded (waiting for a confirmation), confirmed (by both)"})
    awaiting = ma.fields.String(allow_none=True, metadata={"description": "The NIP whose confirmation is missing"})
    revision = ma.fields.Integer(metadata={"description": "1, then +1 for each correction after both confirmed"})
    version = ma.fields.Integer(metadata={"description": "The ETag's version (If-Match)"})
    recorded_by = ma.fields.String()
    recorded_at = ma.fields.DateTime()
    confirmed_by_employee_at = ma.fields.DateTime(allow_none=True)
    confirmed_by_rater_at = ma.fields.DateTime(allow_none=True)
    correction_reason = ma.fields.String(allow_none=True)
    updated_at = ma.fields.DateTime()


class DialogueRevisionOut(ma.Schema):
    revision = ma.fields.Integer()
    snapshot = ma.fields.Dict(metadata={"description": "The confirmed dialogue as it was"})
    superseded_at = ma.fields.DateTime()
    superseded_by = ma.fields.String()
    reason = ma.fields.String()


class DialogueDetail(DialogueOut):
    history = ma.fields.List(
        ma.fields.Nested(DialogueRevisionOut), metadata={"description": "Earlier confirmed revisions, oldest first"}
    )


class DialogueQuery(PageArgs):
    plan_id = ma.fields.String(validate=v.Length(min=1, max=64))
    period_id = ma.fields.String(validate=PERIOD_ID)
    stage = ma.fields.String(validate=v.OneOf(rules.STAGES))
    status = ma.fields.String(validate=v.OneOf(rules.STATUSES))
    nip = NIP
    evaluation_id = ma.fields.String(validate=v.Length(min=1, max=36))


class DialoguePage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(DialogueOut))
    next_cursor = ma.fields.String(allow_none=True)


class DialogueFollowUpOut(ma.Schema):
    dialogue_id = ma.fields.String()
    period_id = ma.fields.String()
    stage = ma.fields.String()
    held_on = ma.fields.String(metadata={"format": "date"})
    topics = ma.fields.String()
    follow_ups = ma.fields.String()
    revision = ma.fields.Integer()
