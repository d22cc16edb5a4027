"""HTTP API of the org directory: /api/v1/units, /api/v1/employees, /api/v1/directory/imports.

Each route parses, opens the unit of work, calls one use case (use_cases/directory.py, acting_heads.py,
imports.py: who may do what, the rules and the writes live there) and serialises (ETag, Location).
"""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint

from kinerja_shared.web.app_factory import current_principal, unit_of_work
from kinerja_shared.web.etag import etag_for, if_match_documented, require_if_match
from kinerja_shared.web.problems import Problem, field_error

from . import importer
from .schemas import (
    ActingHeadIn,
    ActingHeadList,
    ActingHeadOut,
    ActingHeadPatch,
    EmployeeHistory,
    EmployeeIn,
    EmployeeOut,
    EmployeePage,
    EmployeeQuery,
    ImportQuery,
    ImportReport,
    RevokeQuery,
    UnitIn,
    UnitOut,
    UnitPage,
    UnitQuery,
    UnitTree,
    UnitTreeQuery,
)
from .use_cases import acting_heads, directory, imports
from .web import errors

units_blp = Blueprint("units", __name__, url_prefix="/api/v1/units", description="Units (OPD and sub-units) as a tree.")
employees_blp = Blueprint(
    "employees",
    __name__,
    url_prefix="/api/v1/employees",
    description="The org directory: employees, their raters, and the history of transfers and rater changes.",
)
directory_blp = Blueprint(
    "directory",
    __name__,
    url_prefix="/api/v1/directory",
    description="Import of the org directory from the HR master's export (CSV or JSON).",
)


def _with_etag(out: dict, entity_id: str, status: int = 200, **headers):
    return out, status, {"ETag": etag_for(entity_id, out["version"]), **headers}


# -- units ---------------------------------------------------------------------------------------


@units_blp.route("")
@units_blp.arguments(UnitQuery, location="query")
@units_blp.response(200, UnitPage)
@errors(units_blp, (422, "Bad filter or cursor"))
def list_units(args):
    """List units by id, optionally the children of one unit or a whole subtree."""
    with unit_of_work() as uow:
        return directory.list_units(uow, current_principal(), args)


@units_blp.route("/tree")
@units_blp.arguments(UnitTreeQuery, location="query")
@units_blp.response(200, UnitTree)
@errors(units_blp, (404, "No such root unit"), (422, "Bad query"))
def unit_tree(args):
    """The unit tree (OPD and their sub-units), nested, with the number of active employees in each unit."""
    with unit_of_work() as uow:
        return directory.unit_tree(uow, current_principal(), args.get("root"))


@units_blp.route("/<unit_id>")
@units_blp.response(200, UnitOut)
@errors(units_blp, (404, "No such unit"))
def get_unit(unit_id):
    """Read one unit."""
    with unit_of_work() as uow:
        return directory.get_unit(uow, current_principal(), unit_id)


@units_blp.route("/<unit_id>", methods=["PUT"])
@units_blp.arguments(UnitIn)
@units_blp.response(200, UnitOut)
@errors(units_blp, (422, "Invalid unit id or NIP, unknown parent, or a cycle in the tree"))
def put_unit(body, unit_id):
    """Create or update a unit (admin). The parent must exist; the path of the unit and of every unit
    below it is computed; a new head or path republishes EmployeeUpserted for the people concerned."""
    with unit_of_work() as uow:
        return directory.put_unit(uow, current_principal(), unit_id, body)


# -- acting heads (Plt., Plh.) ---------------------------------------------------------------------


@units_blp.route("/<unit_id>/acting-heads")
@units_blp.response(200, ActingHeadList)
@errors(units_blp, (404, "No such unit"))
def list_acting_heads(unit_id):
    """The unit's acting heads (Plt., Plh.), past, present and future, revoked ones included, by first day."""
    with unit_of_work() as uow:
        return acting_heads.list_acting_heads(uow, current_principal(), unit_id)


@units_blp.route("/<unit_id>/acting-heads", methods=["POST"])
@units_blp.arguments(ActingHeadIn)
@units_blp.response(201, ActingHeadOut)
@errors(
    units_blp,
    (404, "No such unit"),
    (422, "Unknown or inactive employee, a bad span, a Plt. of a unit with a definitive head, or an overlap"),
)
def create_acting_head(body, unit_id):
    """Assign an acting head (admin): *Plt.* of a vacant post or *Plh.* while the head is away, from
    ``valid_from`` to ``valid_to`` (both included; null: until revoked). During the span the employee
    has the head's rights in the unit and every unit below it, and none after it. One unit has at
    most one active acting head on any day. Audited; publishes UnitHeadAssigned (version 1)."""
    with unit_of_work() as uow:
        out = acting_heads.assign_acting_head(uow, current_principal(), unit_id, body)
    return _with_etag(out, out["id"], 201, Location=f"/api/v1/units/{unit_id}/acting-heads/{out['id']}")


@units_blp.route("/<unit_id>/acting-heads/<assignment_id>")
@units_blp.response(200, ActingHeadOut)
@errors(units_blp, (404, "No such unit or assignment"))
def get_acting_head(unit_id, assignment_id):
    """One acting head of the unit (ETag: the version, for If-Match on PATCH and DELETE)."""
    with unit_of_work() as uow:
        return _with_etag(acting_heads.get_acting_head(uow, current_principal(), unit_id, assignment_id), assignment_id)


@units_blp.route("/<unit_id>/acting-heads/<assignment_id>", methods=["PATCH"])
@units_blp.arguments(ActingHeadPatch)
@units_blp.response(200, ActingHeadOut)
@errors(
    units_blp,
    (404, "No such unit or assignment"),
    (409, "The assignment is revoked"),
    (422, "A bad span, a Plt. of a unit with a definitive head, or an overlap"),
)
@if_match_documented(units_blp)
def patch_acting_head(body, unit_id, assignment_id):
    """Change an acting head's kind, span, decree or reason (admin; the person is fixed: another person
    is another assignment). The same rules as on creation; audited; publishes UnitHeadAssigned with
    the next version."""
    with unit_of_work() as uow:
        out = acting_heads.change_acting_head(
            uow, current_principal(), unit_id, assignment_id, body, check_version=require_if_match
        )
    return _with_etag(out, assignment_id)


@units_blp.route("/<unit_id>/acting-heads/<assignment_id>", methods=["DELETE"])
@units_blp.arguments(RevokeQuery, location="query")
@units_blp.response(200, ActingHeadOut)
@errors(units_blp, (404, "No such unit or assignment"), (409, "Already revoked"))
@if_match_documented(units_blp)
def revoke_acting_head(args, unit_id, assignment_id):
    """Revoke an acting head (admin): from now on the assignment gives no rights. The row stays, with
    status ``revoked`` (the history of who acted when); audited with ``reason``; publishes
    UnitHeadAssigned with status revoked and the next version."""
    with unit_of_work() as uow:
        out = acting_heads.revoke_acting_head(
            uow, current_principal(), unit_id, assignment_id, reason=args.get("reason"), check_version=require_if_match
        )
    return _with_etag(out, assignment_id)


# -- employees -----------------------------------------------------------------------------------


@employees_blp.route("")
@employees_blp.arguments(EmployeeQuery, location="query")
@employees_blp.response(200, EmployeePage)
@errors(employees_blp, (422, "Bad filter or cursor"))
def list_employees(args):
    """List employees by NIP, filtered by unit (and its subunits), rater, position, active, or a name/NIP search."""
    with unit_of_work() as uow:
        return directory.list_employees(uow, current_principal(), args)


@employees_blp.route("/<nip>")
@employees_blp.response(200, EmployeeOut)
@errors(employees_blp, (404, "No such employee"))
def get_employee(nip):
    """Read one employee of the directory (ETag: the version, for If-Match on PUT)."""
    with unit_of_work() as uow:
        return _with_etag(directory.get_employee(uow, current_principal(), nip), nip)


@employees_blp.route("/<nip>", methods=["PUT"])
@employees_blp.arguments(EmployeeIn)
@employees_blp.response(200, EmployeeOut)
@errors(employees_blp, (422, "Invalid NIP, unknown unit or rater"))
@if_match_documented(employees_blp, when="when the employee exists (not to create one)")
def put_employee(body, nip):
    """Create or update an employee (admin); publishes EmployeeUpserted when anything changed.

    A change of unit is a transfer (mutasi): it is recorded in the employee's history with its
    ``effective_date``, the plans of the old post are closed (span ending the day before) and a
    new plan may be drafted for the new post. A change of rater is recorded likewise and hands
    the plans still in force to the new rater (a new revision of an approved plan). An empty
    ``rater_superior_nip`` is filled from the rater's own rater.
    """
    with unit_of_work() as uow:
        out = directory.put_employee(uow, current_principal(), nip, body, check_version=require_if_match)
    return _with_etag(out, nip)


@employees_blp.route("/<nip>/history")
@employees_blp.response(200, EmployeeHistory)
@errors(employees_blp, (404, "No such employee"))
def employee_history(nip):
    """The employee's transfers and rater changes, each with its effective date, oldest first."""
    with unit_of_work() as uow:
        return directory.employee_history(uow, current_principal(), nip)


# -- the import ----------------------------------------------------------------------------------

IMPORT_BODY = {
    "required": True,
    "description": "The HR master's export: a multipart upload (field ``file``, CSV or JSON), a JSON body "
    '({"units": [...], "employees": [...], "acting_heads": [...]} or a list of employees), '
    "or a text/csv body.",
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary", "description": "CSV (one employee per row) or JSON"}
                },
            }
        },
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "units": {
                        "type": "array",
                        "items": {"type": "object", "description": "id, name, parent_id, head_nip"},
                    },
                    "employees": {
                        "type": "array",
                        "items": {"type": "object", "description": ", ".join(importer.EMPLOYEE_COLUMNS)},
                    },
                    "acting_heads": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "description": "acting heads (Plt., Plh.): " + ", ".join(importer.ACTING_COLUMNS),
                        },
                    },
                },
            }
        },
        "text/csv": {
            "schema": {
                "type": "string",
                "description": "Header line: "
                + ",".join(importer.EMPLOYEE_COLUMNS)
                + " (optional: unit_name, parent_unit_id)",
            }
        },
    },
}


def _import_payload() -> tuple[bytes, str | None, str]:
    mimetype = request.mimetype or ""
    if mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise field_error("file", "send the export as the multipart field 'file'")
        return upload.read(), upload.filename, upload.mimetype or ""
    if mimetype == "application/json" or mimetype.endswith("+json"):
        return request.get_data(), None, "application/json"
    if mimetype in ("text/csv", "text/plain"):
        return request.get_data(), None, "text/csv"
    raise Problem(
        "Send the HR export as multipart/form-data (field 'file'), application/json or text/csv.",
        status=415,
        errors=[{"field": "file", "message": f"content type {mimetype or '(none)'} is not accepted"}],
    )


@directory_blp.route("/imports", methods=["POST"])
@directory_blp.arguments(ImportQuery, location="query")
@directory_blp.response(200, ImportReport)
@directory_blp.doc(requestBody=IMPORT_BODY)
@errors(
    directory_blp,
    (413, "File too large"),
    (415, "Not CSV, JSON or multipart"),
    (422, "Unreadable file; or, with dry_run=false, bad rows (every one listed with its line; nothing written)"),
)
def import_directory(args):
    """Import units and employees from the HR master's export (admin).

    With ``dry_run=true`` (the default) every row is checked and the report says what would be
    created, updated or left unchanged, and lists every bad row with its line and reason;
    nothing is written. With ``dry_run=false`` a file with any bad row is refused (422, the same
    list); otherwise everything is written in one transaction: an upsert by NIP and unit id, so
    importing the same file again changes nothing. Each created or changed employee publishes
    EmployeeUpserted; transfers and rater changes are recorded with their effective date and
    act on the plans as with PUT /employees/{nip}. A JSON file may carry an ``acting_heads`` section
    (unit_id, nip, kind, valid_from, valid_to, decree_number, reason), checked like POST
    /units/{unit_id}/acting-heads and matched by unit, NIP, kind and first day (each created or
    changed one publishes UnitHeadAssigned).
    """
    with unit_of_work() as uow:
        return imports.import_directory(
            uow,
            current_principal(),
            _import_payload,
            dry_run=args["dry_run"],
            effective_date=args["effective_date"],
            reason=args.get("reason"),
        )
