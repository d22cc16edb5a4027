"""Request and response schemas (marshmallow) of plan-service's org directory, and the fields every area shares
(NIP, year); the plans' are in plans_schemas, the templates' in templates_schemas. They generate the OpenAPI
document."""

import marshmallow as ma
from marshmallow import validate as v

from kinerja_shared.functional_levels import CODES as FUNCTIONAL_LEVEL_CODES
from kinerja_shared.i18n import LocalizedString
from kinerja_shared.numbers import COEFFICIENT_PLACES, MAX_FUNCTIONAL_COEFFICIENT
from kinerja_shared.web.fields import BoundedNumber
from kinerja_shared.web.pagination import PageArgs

from .domain import ACTING_KINDS

NIP_PATTERN = r"^[0-9]{18}$"
NIP_ERROR = "must be exactly 18 digits"


def nip_field(description: str = "18-digit NIP", **kw):
    return ma.fields.String(
        validate=v.Regexp(NIP_PATTERN, error=NIP_ERROR),
        metadata={"description": description, "example": "198503302010011002"},
        **kw,
    )


NIP = nip_field()
YEAR = dict(validate=v.Range(min=2020, max=2100))


# -- units ----------------------------------------------------------------------------------------


class UnitIn(ma.Schema):
    name = ma.fields.String(required=True, validate=v.Length(min=1, max=200))
    parent_id = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(max=64),
        metadata={"description": "The parent unit (an OPD for a sub-unit); empty for an OPD"},
    )
    head_nip = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Regexp(NIP_PATTERN, error=NIP_ERROR),
        metadata={"description": "NIP of the unit's head (pimpinan unit kerja)"},
    )


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
    parent_id = ma.fields.String(
        validate=v.Length(max=64), metadata={"description": "Only the direct children of this unit"}
    )
    root = ma.fields.String(
        validate=v.Length(max=64), metadata={"description": "Only this unit and every unit below it"}
    )


class UnitTreeQuery(ma.Schema):
    root = ma.fields.String(
        validate=v.Length(max=64), metadata={"description": "The subtree of this unit (default: all OPDs)"}
    )


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
    kind = ma.fields.String(
        validate=v.OneOf(ACTING_KINDS),
        metadata={
            "description": "plt: Pelaksana Tugas (the post is vacant); plh: Pelaksana Harian "
            "(the head is away; allowed while the unit has a definitive head)"
        },
    )
    valid_from = ma.fields.Date(metadata={"description": "First day of the span (included)"})
    valid_to = ma.fields.Date(
        allow_none=True, metadata={"description": "Last day of the span (included); null: until revoked"}
    )
    decree_number = ma.fields.String(
        allow_none=True,
        validate=v.Length(max=100),
        metadata={"description": "The decree (nomor surat perintah), if any"},
    )
    reason = ma.fields.String(allow_none=True, validate=v.Length(max=2000), metadata={"description": "Why (audited)"})


class ActingHeadIn(ActingHeadPatch):
    nip = nip_field("The acting head: an active employee of the directory (of any unit)", required=True)
    kind = ma.fields.String(
        required=True, validate=v.OneOf(ACTING_KINDS), metadata=ActingHeadPatch._declared_fields["kind"].metadata
    )
    valid_from = ma.fields.Date(required=True, metadata={"description": "First day of the span (included)"})
    valid_to = ma.fields.Date(
        load_default=None,
        allow_none=True,
        metadata={"description": "Last day of the span (included); null: until revoked"},
    )


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
    acting_today = ma.fields.Boolean(
        metadata={"description": "Active and its span includes today: the head's rights now"}
    )
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
    reason = ma.fields.String(
        load_default=None,
        validate=v.Length(max=2000),
        metadata={"description": "Why the assignment ends early (audited)"},
    )


# -- employees ------------------------------------------------------------------------------------


class EmployeeBase(ma.Schema):
    name = ma.fields.String(required=True, validate=v.Length(min=1, max=200))
    position = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(max=200),
        metadata={"description": "Jabatan; plan templates are chosen by it"},
    )
    rank = ma.fields.String(
        load_default=None, allow_none=True, validate=v.Length(max=100), metadata={"description": "Pangkat"}
    )
    grade = ma.fields.String(
        load_default=None, allow_none=True, validate=v.Length(max=20), metadata={"description": "Golongan/ruang"}
    )
    unit_id = ma.fields.String(required=True, validate=v.Length(min=1, max=64))
    rater_nip = nip_field(load_default=None, allow_none=True)
    rater_superior_nip = nip_field(load_default=None, allow_none=True)
    email = ma.fields.Email(load_default=None, allow_none=True, validate=v.Length(max=254))
    phone = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=32))
    functional_coefficient = BoundedNumber(
        minimum=0,
        maximum=MAX_FUNCTIONAL_COEFFICIENT,
        places=COEFFICIENT_PLACES,
        load_default=None,
        allow_none=True,
        metadata={
            "description": "Deprecated: use functional_level. Yearly "
            "credit-point coefficient (koefisien) for functionals "
            "(Ahli Utama, the highest, is 50)"
        },
    )
    functional_level = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.OneOf(FUNCTIONAL_LEVEL_CODES),
        metadata={
            "description": "Functional level (jenjang) code: PT Ahli Pertama, MU Ahli "
            "Muda, MA Ahli Madya, UT Ahli Utama, PM Pemula, TR Terampil, "
            "MH Mahir, PY Penyelia; null for a non-functional post. "
            "The yearly credit-point coefficient follows from it"
        },
    )
    siasn_pns_id = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(max=64),
        metadata={"description": "BKN SIASN's own id of the PNS (not the NIP)"},
    )
    rank_code = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(max=8),
        metadata={"description": "SIASN's golongan (rank) reference code"},
    )
    active = ma.fields.Boolean(load_default=True)


class EmployeeIn(EmployeeBase):
    effective_date = ma.fields.Date(
        load_default=None,
        allow_none=True,
        metadata={"description": "When a change of unit (transfer) or rater takes effect; default today"},
    )
    change_reason = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.Length(max=2000),
        metadata={"description": "Why (recorded in the history and the audit trail)"},
    )


class EmployeeOut(EmployeeBase):
    nip = ma.fields.String()
    version = ma.fields.Integer()
    updated_at = ma.fields.DateTime()


class EmployeePage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(EmployeeOut))
    next_cursor = ma.fields.String(allow_none=True)


class EmployeeQuery(PageArgs):
    unit_id = ma.fields.String(validate=v.Length(max=64))
    include_subunits = ma.fields.Boolean(
        load_default=False, metadata={"description": "With unit_id: every unit below it too"}
    )
    rater_nip = ma.fields.String(
        validate=v.Regexp(NIP_PATTERN, error=NIP_ERROR), metadata={"description": "The people this rater rates"}
    )
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
    dry_run = ma.fields.Boolean(
        load_default=True,
        metadata={
            "description": "true (the default): check and report, write nothing; false: apply (refused with 422 if "
            "any row is bad)"
        },
    )
    effective_date = ma.fields.Date(
        load_default=None,
        metadata={
            "description": "Effective date of the transfers and rater changes in the file (a row's effective_date "
            "wins); default today"
        },
    )
    reason = ma.fields.String(
        load_default=None, validate=v.Length(max=2000), metadata={"description": "Recorded with every change"}
    )


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
