"""Request and response schemas (marshmallow) of activity-service; they generate the OpenAPI document."""

import uuid

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import validate as v

from kinerja_shared.numbers import MAX_ENTRY_QUANTITY, MAX_VERSION, QUANTITY_PLACES
from kinerja_shared.web.fields import BoundedNumber
from kinerja_shared.web.pagination import PageArgs

from .domain import DECISIONS, MAX_BATCH_ITEMS, MAX_EVIDENCE_ITEMS, STATUSES

NIP_RE = r"^[0-9]{18}$"
NIP = ma.fields.String(
    validate=v.Regexp(NIP_RE, error="must be exactly 18 digits"),
    metadata={"description": "18-digit NIP", "example": "198503302010011002"},
)
QUANTITY_DOC = (
    "Quantity realised in this entry, in the indicator's unit. At most what one person can do in one entry's "
    "time: log a larger count over several entries (money in thousands or millions of rupiah)"
)


def quantity_field(**kwargs) -> BoundedNumber:
    return BoundedNumber(
        minimum=0, maximum=MAX_ENTRY_QUANTITY, places=QUANTITY_PLACES, metadata={"description": QUANTITY_DOC}, **kwargs
    )


HHMM = dict(validate=v.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", error="must be a time of day HH:MM (00:00 to 23:59)"))


class ClientId(ma.fields.String):
    """A UUID chosen by the client (so an offline retry cannot create a second entry)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return str(uuid.UUID(text))
        except ValueError:
            raise ma.ValidationError("must be a UUID") from None


class EvidenceLinkIn(ma.Schema):
    kind = ma.fields.String(
        load_default="link",
        validate=v.OneOf(["link"]),
        metadata={"description": "Only links here; files are uploaded to /activities/{id}/evidence"},
    )
    url = ma.fields.String(
        required=True, validate=v.Length(min=1, max=2000), metadata={"example": "https://drive.example.go.id/doc/123"}
    )
    name = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=200))


class ActivityIn(ma.Schema):
    id = ClientId(
        load_default=None,
        metadata={
            "description": "Optional client-chosen UUID: sending the same entry again returns "
            "the first answer instead of a second entry"
        },
    )
    date = ma.fields.Date(
        required=True,
        metadata={"description": "Local date (Asia/Jakarta by default); not in the future, not before the edit window"},
    )
    start_time = ma.fields.String(required=True, metadata={"example": "08:00"}, **HHMM)
    end_time = ma.fields.String(
        required=True, metadata={"example": "09:30", "description": "After start_time, same day"}, **HHMM
    )
    indicator_id = ma.fields.String(
        load_default=None,
        validate=v.Length(min=1, max=64),
        metadata={
            "description": "An indicator of the caller's approved plan in force on date; "
            "required unless action_id is sent (then the action's)"
        },
    )
    action_id = ma.fields.String(
        allow_none=True,
        validate=v.Length(min=1, max=64),
        metadata={
            "description": "Optional: an action (rencana aksi) of the caller's agreed action "
            "plans whose month or quarter contains date; the entry's "
            "indicator becomes the action's"
        },
    )
    description = ma.fields.String(
        required=True, validate=v.Length(min=1, max=4000), metadata={"description": "What was done (kegiatan)"}
    )
    quantity = quantity_field(required=True)
    quantity_unit = ma.fields.String(
        load_default=None, allow_none=True, validate=v.Length(max=50), metadata={"example": "dokumen"}
    )
    evidence = ma.fields.List(
        ma.fields.Nested(EvidenceLinkIn),
        load_default=list,
        validate=v.Length(max=MAX_EVIDENCE_ITEMS),
        metadata={"description": "Evidence links (bukti dukung)"},
    )

    @ma.validates_schema(skip_on_field_errors=False)
    def _indicator_or_action(self, data, **_):
        if not data.get("indicator_id") and not data.get("action_id"):
            raise ma.ValidationError("is required unless action_id names an agreed action", "indicator_id")


class ActivityPatch(ma.Schema):
    date = ma.fields.Date()
    start_time = ma.fields.String(**HHMM)
    end_time = ma.fields.String(**HHMM)
    indicator_id = ma.fields.String(validate=v.Length(min=1, max=64))
    action_id = ma.fields.String(
        allow_none=True,
        validate=v.Length(min=1, max=64),
        metadata={"description": "An agreed action of yours (its indicator becomes the entry's); null: no action"},
    )
    description = ma.fields.String(validate=v.Length(min=1, max=4000))
    quantity = quantity_field()
    quantity_unit = ma.fields.String(allow_none=True, validate=v.Length(max=50))
    evidence = ma.fields.List(
        ma.fields.Nested(EvidenceLinkIn),
        validate=v.Length(max=MAX_EVIDENCE_ITEMS),
        metadata={"description": "Replaces the links; uploaded files stay"},
    )


class EvidenceOut(ma.Schema):
    kind = ma.fields.String(metadata={"description": "link or file"})
    url = ma.fields.String(allow_none=True)
    file_id = ma.fields.String(allow_none=True)
    name = ma.fields.String(allow_none=True)
    sha256 = ma.fields.String(allow_none=True)
    content_type = ma.fields.String(allow_none=True)
    size = ma.fields.Integer(allow_none=True)
    download = ma.fields.String(allow_none=True, metadata={"description": "Where an uploaded file is served"})


class ActivityOut(ma.Schema):
    id = ma.fields.String()
    nip = ma.fields.String()
    rater_nip = ma.fields.String(allow_none=True)
    unit_id = ma.fields.String()
    plan_id = ma.fields.String()
    result_id = ma.fields.String()
    indicator_id = ma.fields.String()
    action_id = ma.fields.String(
        allow_none=True, metadata={"description": "The action (rencana aksi) the entry advances"}
    )
    date = ma.fields.Date()
    start_time = ma.fields.String()
    end_time = ma.fields.String()
    minutes = ma.fields.Integer()
    description = ma.fields.String()
    quantity = ma.fields.Float(
        allow_none=True,
        metadata={
            "description": "null only when the stored value is not a finite number (stored before the bounds existed)"
        },
    )
    quantity_unit = ma.fields.String(allow_none=True)
    evidence = ma.fields.List(ma.fields.Nested(EvidenceOut))
    status = ma.fields.String(metadata={"description": "pending, accepted, rejected, withdrawn, annulled"})
    verification_reason = ma.fields.String(allow_none=True)
    verified_by = ma.fields.String(allow_none=True)
    verified_at = ma.fields.DateTime(allow_none=True)
    version = ma.fields.Integer()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class ActivityPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ActivityOut))
    next_cursor = ma.fields.String(allow_none=True)


class ActivityQuery(PageArgs):
    nip = NIP
    unit_id = ma.fields.String(
        validate=v.Length(min=1, max=64), metadata={"description": "The unit or any of its sub-units"}
    )
    date_from = ma.fields.Date()
    date_to = ma.fields.Date()
    month = ma.fields.String(validate=v.Regexp(r"^[0-9]{4}-(0[1-9]|1[0-2])$", error="must be YYYY-MM"))
    status = ma.fields.String(validate=v.OneOf(STATUSES))
    indicator_id = ma.fields.String(validate=v.Length(min=1, max=64))


class LenientItem(ma.fields.Nested):
    """Documented as the nested schema, but loaded as it came: each item is checked alone."""

    def _deserialize(self, value, attr, data, **kwargs):
        return value


class BatchIn(ma.Schema):
    items = ma.fields.List(
        LenientItem(ActivityIn),
        required=True,
        validate=v.Length(min=1, max=MAX_BATCH_ITEMS),
        metadata={
            "description": f"Entries logged offline (at most {MAX_BATCH_ITEMS}); each is accepted or refused on its own"
        },
    )


class ItemProblem(ma.Schema):
    title = ma.fields.String()
    detail = ma.fields.String()
    errors = ma.fields.List(ma.fields.Dict())
    clashing_activity_id = ma.fields.String(allow_none=True)
    current_version = ma.fields.Integer(allow_none=True, metadata={"description": "With 412: the entry's version now"})


class BatchItemOut(ma.Schema):
    index = ma.fields.Integer()
    id = ma.fields.String(allow_none=True)
    status = ma.fields.Integer(metadata={"description": "201 stored (replayed: true when it already was), 4xx refused"})
    replayed = ma.fields.Boolean()
    activity = ma.fields.Nested(ActivityOut, allow_none=True)
    problem = ma.fields.Nested(ItemProblem, allow_none=True)


class BatchOut(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(BatchItemOut))
    stored = ma.fields.Integer()
    failed = ma.fields.Integer()


class WithdrawIn(ma.Schema):
    reason = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=2000))


class VerifyIn(ma.Schema):
    decision = ma.fields.String(required=True, validate=v.OneOf(DECISIONS))
    reason = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(max=2000),
        metadata={"description": "Required when rejecting"},
    )


class BulkVerifyItem(VerifyIn):
    id = ma.fields.String(required=True, validate=v.Length(min=1, max=64))
    version = ma.fields.Integer(
        load_default=None,
        allow_none=True,
        validate=v.Range(min=1, max=MAX_VERSION),
        metadata={
            "description": "The entry's version you read (the list gives it): an entry "
            "changed since is refused with 412 and not verified"
        },
    )


class BulkVerifyIn(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(BulkVerifyItem), required=True, validate=v.Length(min=1, max=500))


class BulkVerifyItemOut(ma.Schema):
    index = ma.fields.Integer()
    id = ma.fields.String()
    status = ma.fields.Integer(metadata={"description": "200 verified, 4xx refused"})
    activity = ma.fields.Nested(ActivityOut, allow_none=True)
    problem = ma.fields.Nested(ItemProblem, allow_none=True)


class BulkVerifyOut(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(BulkVerifyItemOut))
    verified = ma.fields.Integer()
    failed = ma.fields.Integer()


class EvidenceUpload(ma.Schema):
    file = Upload(
        required=True,
        metadata={"description": "PDF, JPEG or PNG (ACTIVITY_EVIDENCE_TYPES), at most ACTIVITY_EVIDENCE_MAX_BYTES"},
    )


class IndicatorQuery(ma.Schema):
    nip = NIP
    date = ma.fields.Date(metadata={"description": "Default: today (local)"})


class IndicatorOut(ma.Schema):
    plan_id = ma.fields.String()
    revision = ma.fields.Integer()
    period_start = ma.fields.Date()
    period_end = ma.fields.Date()
    result_id = ma.fields.String()
    result_kind = ma.fields.String()
    result_text = ma.fields.String()
    indicator_id = ma.fields.String()
    aspect = ma.fields.String()
    text = ma.fields.String()
    target_value = ma.fields.Float(allow_none=True)
    target_unit = ma.fields.String(
        allow_none=True,
        metadata={"description": "The unit every entry against this indicator is logged in (quantity_unit)"},
    )
    measure = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "How realisation is measured: sum | latest | average | duration | deadline | spent (null: "
            "the "
            "aspect's default)"
        },
    )
    deadline_day = ma.fields.Integer(
        allow_none=True, metadata={"description": "measure deadline: due by this day of the month"}
    )


class IndicatorList(ma.Schema):
    nip = ma.fields.String()
    date = ma.fields.Date()
    items = ma.fields.List(ma.fields.Nested(IndicatorOut))


class MonthlyQuery(ma.Schema):
    nip = NIP
    month = ma.fields.String(required=True, validate=v.Regexp(r"^[0-9]{4}-(0[1-9]|1[0-2])$", error="must be YYYY-MM"))


class Bucket(ma.Schema):
    minutes = ma.fields.Integer()
    entries = ma.fields.Integer()
    quantity = ma.fields.Float(
        metadata={"description": "Sum of the entries' quantities (those counted: see quantity_excluded)"}
    )
    quantity_excluded = ma.fields.Integer(
        metadata={
            "description": "Entries whose stored quantity is not a finite number within the per-entry maximum (stored "
            "before "
            "the bound existed): counted in entries and minutes, left out of quantity"
        }
    )


class IndicatorSummary(ma.Schema):
    indicator_id = ma.fields.String()
    plan_id = ma.fields.String(allow_none=True)
    result_id = ma.fields.String(allow_none=True)
    text = ma.fields.String(allow_none=True)
    target_value = ma.fields.Float(allow_none=True)
    target_unit = ma.fields.String(allow_none=True)
    quantity_unit = ma.fields.String(allow_none=True)
    verified = ma.fields.Nested(Bucket)
    pending = ma.fields.Nested(Bucket)
    rejected = ma.fields.Nested(Bucket)


class MonthlySummaryOut(ma.Schema):
    nip = ma.fields.String()
    month = ma.fields.String()
    working_days = ma.fields.Integer(metadata={"description": "Working days of the month in the calendar"})
    days_logged = ma.fields.Integer(metadata={"description": "Days with at least one entry that is not withdrawn"})
    totals = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Nested(Bucket),
        metadata={"description": "verified, pending, rejected"},
    )
    indicators = ma.fields.List(ma.fields.Nested(IndicatorSummary))
    actions = ma.fields.List(
        ma.fields.Nested(lambda: ActionSummary()),
        metadata={
            "description": "Per action (rencana aksi): the agreed actions planned for the month "
            "or its quarter and any the entries name, with their targets"
        },
    )
    results = ma.fields.List(
        ma.fields.Nested(lambda: ResultSummary()), metadata={"description": "Per result of the plan"}
    )


class ActionSummary(ma.Schema):
    action_id = ma.fields.String()
    plan_id = ma.fields.String(allow_none=True)
    result_id = ma.fields.String(allow_none=True)
    indicator_id = ma.fields.String(allow_none=True)
    period = ma.fields.String(allow_none=True, metadata={"description": "YYYY-MM or YYYY-Qn"})
    text = ma.fields.String(allow_none=True)
    target_value = ma.fields.Float(allow_none=True)
    target_unit = ma.fields.String(allow_none=True)
    agreed = ma.fields.Boolean(metadata={"description": "false: the action is no longer in the agreed set in force"})
    verified = ma.fields.Nested(Bucket)
    pending = ma.fields.Nested(Bucket)
    rejected = ma.fields.Nested(Bucket)


class ResultSummary(ma.Schema):
    plan_id = ma.fields.String(allow_none=True)
    result_id = ma.fields.String(allow_none=True)
    text = ma.fields.String(allow_none=True)
    verified = ma.fields.Nested(Bucket)
    pending = ma.fields.Nested(Bucket)
    rejected = ma.fields.Nested(Bucket)


class DailyQuery(ma.Schema):
    date = ma.fields.Date(required=True)
    unit_id = ma.fields.String(
        validate=v.Length(min=1, max=64),
        metadata={"description": "The unit (with its sub-units); omitted: the employees the caller rates"},
    )


class EmployeeRef(ma.Schema):
    nip = ma.fields.String()
    name = ma.fields.String()
    unit_id = ma.fields.String()


class DailyUnitOut(ma.Schema):
    date = ma.fields.Date()
    unit_id = ma.fields.String(allow_none=True)
    working_day = ma.fields.Boolean()
    holiday = ma.fields.String(allow_none=True)
    expected = ma.fields.Integer(metadata={"description": "Active employees in scope"})
    logged = ma.fields.Integer()
    missing = ma.fields.List(
        ma.fields.Nested(EmployeeRef), metadata={"description": "Who logged nothing (empty when not a working day)"}
    )


def _repair_reason():
    return ma.fields.String(
        required=True,
        validate=v.Length(min=1, max=2000),
        metadata={"description": "Why the verified entry is repaired (audit trail and event)"},
    )


class CorrectIn(ma.Schema):
    """A correction of a verified entry: the reason and at least one field to change."""

    reason = _repair_reason()
    quantity = quantity_field()
    quantity_unit = ma.fields.String(allow_none=True, validate=v.Length(max=50))
    description = ma.fields.String(validate=v.Length(min=1, max=4000))
    indicator_id = ma.fields.String(
        validate=v.Length(min=1, max=64),
        metadata={"description": "An indicator of the employee's plan in force on the entry's date"},
    )
    action_id = ma.fields.String(
        allow_none=True,
        validate=v.Length(min=1, max=64),
        metadata={
            "description": "An agreed action of the employee's whose period contains the "
            "entry's date (its indicator becomes the entry's); null: none"
        },
    )


class AnnulIn(ma.Schema):
    reason = _repair_reason()
