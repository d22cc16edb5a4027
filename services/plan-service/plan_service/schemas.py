"""Request and response schemas (marshmallow) of plan-service; they generate the OpenAPI document."""
import marshmallow as ma
from marshmallow import validate as v

from kinerja_shared.numbers import COEFFICIENT_PLACES, MAX_FUNCTIONAL_COEFFICIENT, MAX_TARGET_VALUE, MAX_VERSION, TARGET_PLACES
from kinerja_shared.web.fields import BoundedNumber
from kinerja_shared.i18n import LocalizedString
from kinerja_shared.web.pagination import PageArgs

from kinerja_shared.functional_levels import CODES as FUNCTIONAL_LEVEL_CODES

from .domain import (ACTING_KINDS, MAX_BULK_APPROVE_ITEMS, AMENDMENT_STATUSES, APPROACHES, ASPECTS, BEHAVIOUR_VALUES, MEASURES, MODELS, PERSPECTIVES, RESULT_KINDS,
                     REVISION_KINDS, STATUSES)

NIP_PATTERN = r"^[0-9]{18}$"
NIP_ERROR = "must be exactly 18 digits"


def nip_field(description: str = "18-digit NIP", **kw):
    return ma.fields.String(validate=v.Regexp(NIP_PATTERN, error=NIP_ERROR),
                            metadata={"description": description, "example": "198503302010011002"}, **kw)


NIP = nip_field()
YEAR = dict(validate=v.Range(min=2020, max=2100))


# -- units ----------------------------------------------------------------------------------------

class UnitIn(ma.Schema):
    name = ma.fields.String(required=True, validate=v.Length(min=1, max=200))
    parent_id = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=64),
                                 metadata={"description": "The parent unit (an OPD for a sub-unit); empty for an OPD"})
    head_nip = ma.fields.String(load_default=None, allow_none=True, validate=v.Regexp(NIP_PATTERN, error=NIP_ERROR),
                                metadata={"description": "NIP of the unit's head (pimpinan unit kerja)"})


class UnitOut(ma.Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    parent_id = ma.fields.String(allow_none=True)
    path = ma.fields.List(ma.fields.String(), metadata={"description": "Unit ids from the root OPD down to this unit"})
    head_nip = ma.fields.String(allow_none=True)
    updated_at = ma.fields.DateTime()


class UnitPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(UnitOut))
    next_cursor = ma.fields.String(allow_none=True)


class UnitQuery(PageArgs):
    parent_id = ma.fields.String(validate=v.Length(max=64), metadata={"description": "Only the direct children of this unit"})
    root = ma.fields.String(validate=v.Length(max=64), metadata={"description": "Only this unit and every unit below it"})


class UnitTreeQuery(ma.Schema):
    root = ma.fields.String(validate=v.Length(max=64), metadata={"description": "The subtree of this unit (default: all OPDs)"})


class UnitNode(ma.Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    head_nip = ma.fields.String(allow_none=True)
    employees = ma.fields.Integer(metadata={"description": "Active employees placed directly in this unit"})
    children = ma.fields.List(ma.fields.Nested(lambda: UnitNode()))


class UnitTree(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(UnitNode))


# -- acting heads (Plt., Plh.) ---------------------------------------------------------------------

class ActingHeadPatch(ma.Schema):
    kind = ma.fields.String(validate=v.OneOf(ACTING_KINDS),
                            metadata={"description": "plt: Pelaksana Tugas (the post is vacant); plh: Pelaksana Harian "
                                                     "(the head is away; allowed while the unit has a definitive head)"})
    valid_from = ma.fields.Date(metadata={"description": "First day of the span (included)"})
    valid_to = ma.fields.Date(allow_none=True, metadata={"description": "Last day of the span (included); null: until revoked"})
    decree_number = ma.fields.String(allow_none=True, validate=v.Length(max=100),
                                     metadata={"description": "The decree (nomor surat perintah), if any"})
    reason = ma.fields.String(allow_none=True, validate=v.Length(max=2000), metadata={"description": "Why (audited)"})


class ActingHeadIn(ActingHeadPatch):
    nip = nip_field("The acting head: an active employee of the directory (of any unit)", required=True)
    kind = ma.fields.String(required=True, validate=v.OneOf(ACTING_KINDS), metadata=ActingHeadPatch._declared_fields["kind"].metadata)
    valid_from = ma.fields.Date(required=True, metadata={"description": "First day of the span (included)"})
    valid_to = ma.fields.Date(load_default=None, allow_none=True,
                              metadata={"description": "Last day of the span (included); null: until revoked"})


class ActingHeadOut(ma.Schema):
    id = ma.fields.String()
    unit_id = ma.fields.String()
    nip = ma.fields.String()
    name = ma.fields.String(allow_none=True, metadata={"description": "The acting head's name in the directory"})
    kind = ma.fields.String()
    valid_from = ma.fields.Date()
    valid_to = ma.fields.Date(allow_none=True)
    decree_number = ma.fields.String(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"description": "active or revoked"})
    acting_today = ma.fields.Boolean(metadata={"description": "Active and its span includes today: the head's rights now"})
    version = ma.fields.Integer(metadata={"description": "Changes with every write; the ETag"})
    created_by = ma.fields.String()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    revoked_by = ma.fields.String(allow_none=True)
    revoked_at = ma.fields.DateTime(allow_none=True)
    revoke_reason = ma.fields.String(allow_none=True)


class ActingHeadList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ActingHeadOut))


class RevokeQuery(ma.Schema):
    reason = ma.fields.String(load_default=None, validate=v.Length(max=2000),
                              metadata={"description": "Why the assignment ends early (audited)"})


# -- employees ------------------------------------------------------------------------------------

class EmployeeBase(ma.Schema):
    name = ma.fields.String(required=True, validate=v.Length(min=1, max=200))
    position = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=200),
                                metadata={"description": "Jabatan; plan templates are chosen by it"})
    rank = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=100), metadata={"description": "Pangkat"})
    grade = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=20), metadata={"description": "Golongan/ruang"})
    unit_id = ma.fields.String(required=True, validate=v.Length(min=1, max=64))
    rater_nip = nip_field(load_default=None, allow_none=True)
    rater_superior_nip = nip_field(load_default=None, allow_none=True)
    email = ma.fields.Email(load_default=None, allow_none=True, validate=v.Length(max=254))
    phone = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=32))
    functional_coefficient = BoundedNumber(minimum=0, maximum=MAX_FUNCTIONAL_COEFFICIENT, places=COEFFICIENT_PLACES,
                                           load_default=None, allow_none=True,
                                           metadata={"description": "Deprecated: use functional_level. Yearly "
                                                                    "credit-point coefficient (koefisien) for functionals "
                                                                    "(Ahli Utama, the highest, is 50)"})
    functional_level = ma.fields.String(load_default=None, allow_none=True, validate=v.OneOf(FUNCTIONAL_LEVEL_CODES),
                                        metadata={"description": "Functional level (jenjang) code: PT Ahli Pertama, MU Ahli "
                                                                 "Muda, MA Ahli Madya, UT Ahli Utama, PM Pemula, TR Terampil, "
                                                                 "MH Mahir, PY Penyelia; null for a non-functional post. "
                                                                 "The yearly credit-point coefficient follows from it"})
    siasn_pns_id = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=64),
                                    metadata={"description": "BKN SIASN's own id of the PNS (not the NIP)"})
    rank_code = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=8),
                                 metadata={"description": "SIASN's golongan (rank) reference code"})
    active = ma.fields.Boolean(load_default=True)


class EmployeeIn(EmployeeBase):
    effective_date = ma.fields.Date(load_default=None, allow_none=True,
                                    metadata={"description": "When a change of unit (transfer) or rater takes effect; default today"})
    change_reason = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=2000),
                                     metadata={"description": "Why (recorded in the history and the audit trail)"})


class EmployeeOut(EmployeeBase):
    nip = ma.fields.String()
    version = ma.fields.Integer()
    updated_at = ma.fields.DateTime()


class EmployeePage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(EmployeeOut))
    next_cursor = ma.fields.String(allow_none=True)


class EmployeeQuery(PageArgs):
    unit_id = ma.fields.String(validate=v.Length(max=64))
    include_subunits = ma.fields.Boolean(load_default=False, metadata={"description": "With unit_id: every unit below it too"})
    rater_nip = ma.fields.String(validate=v.Regexp(NIP_PATTERN, error=NIP_ERROR), metadata={"description": "The people this rater rates"})
    position = ma.fields.String(validate=v.Length(max=200))
    active = ma.fields.Boolean()
    q = ma.fields.String(validate=v.Length(min=2, max=100), metadata={"description": "Part of the name or NIP"})


class EmployeeChangeOut(ma.Schema):
    id = ma.fields.Integer()
    nip = ma.fields.String()
    field = ma.fields.String(metadata={"description": "unit_id (a transfer), rater_nip or rater_superior_nip"})
    old_value = ma.fields.String(allow_none=True)
    new_value = ma.fields.String(allow_none=True)
    effective_date = ma.fields.Date()
    reason = ma.fields.String(allow_none=True)
    source = ma.fields.String(metadata={"description": "api or import"})
    recorded_by = ma.fields.String()
    recorded_at = ma.fields.DateTime()


class EmployeeHistory(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(EmployeeChangeOut))


# -- the directory import -------------------------------------------------------------------------

class ImportQuery(ma.Schema):
    dry_run = ma.fields.Boolean(load_default=True, metadata={
        "description": "true (the default): check and report, write nothing; false: apply (refused with 422 if any row is bad)"})
    effective_date = ma.fields.Date(load_default=None, metadata={
        "description": "Effective date of the transfers and rater changes in the file (a row's effective_date wins); default today"})
    reason = ma.fields.String(load_default=None, validate=v.Length(max=2000), metadata={"description": "Recorded with every change"})


class ImportRowError(ma.Schema):
    section = ma.fields.String(metadata={"description": "units, employees or acting_heads"})
    row = ma.fields.Integer(metadata={"description": "Position of the row within its section, from 0"})
    line = ma.fields.Integer(allow_none=True, metadata={"description": "Line in the file where the row starts"})
    field = ma.fields.String()
    message = LocalizedString(metadata={"description": "Follows Accept-Language (Indonesian by default)"})
    key = ma.fields.String(allow_none=True, metadata={"description": "The row's NIP or unit id"})


class ImportCounts(ma.Schema):
    created = ma.fields.Integer()
    updated = ma.fields.Integer()
    unchanged = ma.fields.Integer()


class ImportSummary(ma.Schema):
    units = ma.fields.Nested(ImportCounts)
    employees = ma.fields.Nested(ImportCounts)
    acting_heads = ma.fields.Nested(ImportCounts)


class ImportChange(ma.Schema):
    section = ma.fields.String()
    key = ma.fields.String()
    line = ma.fields.Integer(allow_none=True)
    action = ma.fields.String(metadata={"description": "created or updated"})
    changed = ma.fields.List(ma.fields.String())


class ImportReport(ma.Schema):
    dry_run = ma.fields.Boolean()
    applied = ma.fields.Boolean(metadata={"description": "true when the changes were written"})
    valid = ma.fields.Boolean(metadata={"description": "false when any row is bad (then nothing is written)"})
    format = ma.fields.String(metadata={"description": "csv or json"})
    summary = ma.fields.Nested(ImportSummary)
    errors = ma.fields.List(ma.fields.Nested(ImportRowError))
    changes = ma.fields.List(ma.fields.Nested(ImportChange))
    ignored_columns = ma.fields.List(ma.fields.String())
    events_published = ma.fields.Integer()
    plans_closed = ma.fields.List(ma.fields.String())
    plans_retargeted = ma.fields.List(ma.fields.String())


# -- plan content ---------------------------------------------------------------------------------

class IndicatorIn(ma.Schema):
    indicator_id = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(min=1, max=64),
                                    metadata={"description": "Keep the id when editing; a new indicator gets one"})
    aspect = ma.fields.String(required=True, validate=v.OneOf(ASPECTS))
    text = ma.fields.String(required=True, validate=v.Length(min=1, max=2000))
    target_value = BoundedNumber(minimum=0, maximum=MAX_TARGET_VALUE, places=TARGET_PLACES, load_default=None, allow_none=True,
                                 metadata={"description": "Required for a quantitative plan; none for a qualitative one. "
                                                          "A year's target for one person (money in thousands of rupiah)"})
    target_unit = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=50))
    measure = ma.fields.String(load_default=None, allow_none=True, validate=v.OneOf(MEASURES), metadata={
        "description": "How realisation is measured, suiting the aspect: quantity sum; quality latest or average (a "
                       "measured level, e.g. 100 %); time duration (time taken, lower is better) or deadline (on time "
                       "by deadline_day); cost spent (against the budget, lower is better). null: the aspect's default "
                       "(sum, average, duration, spent)"})
    deadline_day = ma.fields.Integer(strict=True, load_default=None, allow_none=True, validate=v.Range(min=1, max=31), metadata={
        "description": "measure deadline only: the day of the month each delivery is due (e.g. 10: by the 10th)"})


class ResultIn(ma.Schema):
    result_id = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(min=1, max=64))
    kind = ma.fields.String(required=True, validate=v.OneOf(RESULT_KINDS), metadata={"description": "main (utama) or additional (tambahan)"})
    text = ma.fields.String(required=True, validate=v.Length(min=1, max=2000))
    perspective = ma.fields.String(load_default=None, allow_none=True, validate=v.OneOf(PERSPECTIVES),
                                   metadata={"description": "JPT only: the perspective of the result"})
    supports_result_id = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=64),
                                          metadata={"description": "JA_JF cascade: the result of the rater's approved plan "
                                                                   "this one supports (intervensi)"})
    indicators = ma.fields.List(ma.fields.Nested(IndicatorIn), required=True, validate=v.Length(min=1, max=20))


class BehaviourIn(ma.Schema):
    value = ma.fields.String(required=True, validate=v.OneOf(BEHAVIOUR_VALUES),
                             metadata={"description": "One of the seven BerAKHLAK values"})
    expectation = ma.fields.String(load_default="", validate=v.Length(max=2000),
                                   metadata={"description": "ekspektasi khusus pimpinan"})


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
    period_start = ma.fields.Date(load_default=None, allow_none=True, metadata={"description": "Default: 1 January (or the start of a new post)"})
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
    status = ma.fields.String(metadata={"description": "draft, submitted, approved, closed (BKN: Draft, Diajukan, Disetujui)"})
    rater_nip = ma.fields.String(allow_none=True)
    rater_superior_nip = ma.fields.String(allow_none=True)
    unit_id = ma.fields.String()
    position = ma.fields.String(allow_none=True)
    functional_coefficient = ma.fields.Float(allow_none=True)
    results = ma.fields.List(ma.fields.Dict())
    behaviours = ma.fields.List(ma.fields.Dict())
    attachments = ma.fields.Dict()
    revision = ma.fields.Integer(metadata={"description": "The approved revision in force (1 at approval, +1 per amendment)"})
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
    reason = ma.fields.String(required=True, validate=v.Length(min=1, max=2000),
                              metadata={"description": "Why the rater returns the plan to the employee"})


class CopyIn(ma.Schema):
    year = ma.fields.Integer(load_default=None, **YEAR, metadata={"description": "Default: the source plan's year + 1"})
    nip = nip_field("Whose new draft (default: the source's owner; someone else than yourself: admin only)",
                    load_default=None, allow_none=True)


# -- bulk approval --------------------------------------------------------------------------------

class BulkApproveItem(ma.Schema):
    id = ma.fields.String(required=True, validate=v.Length(min=1, max=64))
    version = ma.fields.Integer(load_default=None, allow_none=True, validate=v.Range(min=1, max=MAX_VERSION),
                               metadata={"description": "Optional: the version read (412 if stale)"})


class BulkApproveIn(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(BulkApproveItem), required=True, validate=v.Length(min=1, max=MAX_BULK_APPROVE_ITEMS),
                          metadata={"description": f"At most {MAX_BULK_APPROVE_ITEMS} plans per request"})


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
    reason = ma.fields.String(required=True, validate=v.Length(min=1, max=2000), metadata={"description": "Why the plan changes"})


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
    result_id = ma.fields.String(validate=v.Length(min=1, max=64), metadata={"description": "Only this result of the plan"})
    depth = ma.fields.Integer(load_default=5, validate=v.Range(min=1, max=10), metadata={"description": "Levels down the tree"})
    include_unapproved = ma.fields.Boolean(load_default=False, metadata={
        "description": "Also drafts and submitted plans of the subordinates (default: approved only)"})


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
    results = ma.fields.List(ma.fields.Nested(CascadeNode), metadata={"description": "Each result of the plan with the "
                                                                                    "subordinates' results that support it"})


class SupportableQuery(ma.Schema):
    nip = ma.fields.String(validate=v.Regexp(r"^[0-9]{18}$", error="must be an 18-digit NIP"),
                           metadata={"description": "The employee drafting a plan (default: you)"})
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
    required = ma.fields.Boolean(metadata={"description": "True when the employee's main JA_JF results must each name "
                                                          "one of these in supports_result_id"})
    results = ma.fields.List(ma.fields.Nested(SupportableResult))
    detail = ma.fields.String(allow_none=True, metadata={"description": "Why the list is empty, when it is"})


class CompletionQuery(PageArgs):
    unit_id = ma.fields.String(validate=v.Length(max=64), metadata={"description": "Default: the unit you head (admin: everyone)"})
    year = ma.fields.Integer(**YEAR, metadata={"description": "Default: this year"})


class CompletionMissing(ma.Schema):
    nip = ma.fields.String()
    name = ma.fields.String()
    position = ma.fields.String(allow_none=True)
    unit_id = ma.fields.String()
    rater_nip = ma.fields.String(allow_none=True)
    plan_id = ma.fields.String(allow_none=True)
    plan_status = ma.fields.String(allow_none=True, metadata={"description": "None: no plan; draft or submitted: not yet approved"})


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
    items = ma.fields.List(ma.fields.Nested(CompletionMissing), metadata={"description": "Who has no approved plan (a page)"})
    next_cursor = ma.fields.String(allow_none=True)


# -- templates ------------------------------------------------------------------------------------

class TemplateIn(ma.Schema.from_dict(_content_fields(True))):
    name = ma.fields.String(required=True, validate=v.Length(min=1, max=200))
    position = ma.fields.String(required=True, validate=v.Length(min=1, max=200),
                                metadata={"description": "The position (jabatan) the template is for"})
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
    only_matching_position = ma.fields.Boolean(load_default=False, metadata={
        "description": "Only employees whose position is the template's"})


class AssignItem(ma.Schema):
    nip = ma.fields.String()
    name = ma.fields.String()
    outcome = ma.fields.String(metadata={"description": "created or skipped"})
    plan_id = ma.fields.String(allow_none=True, metadata={"description": "The new draft, or the plan that made us skip"})
    reason = ma.fields.String(allow_none=True)


class AssignOut(ma.Schema):
    template_id = ma.fields.String()
    unit_id = ma.fields.String()
    year = ma.fields.Integer()
    created = ma.fields.Integer()
    skipped = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(AssignItem))
