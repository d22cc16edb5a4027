"""HTTP API of the org directory: /api/v1/units, /api/v1/employees, /api/v1/directory/imports.

Reading the directory is open to every signed-in caller (it is the org chart people pick
raters and units from); changing it is for admins (BKPSDM). Every write goes through the same
checks as the import (importer.check) and the same writer (store.apply_directory), so a unit or
an employee changed by hand behaves exactly like one changed by a file.
"""
from __future__ import annotations

from flask import request
from flask_smorest import Blueprint
from sqlalchemy import func, or_, select

from kinerja_shared.web.app_factory import current_principal, runtime
from kinerja_shared.web.etag import etag_for, if_match_documented, require_if_match
from kinerja_shared.web.pagination import decode_cursor, encode_cursor
from kinerja_shared.web.problems import Conflict, NotFound, Problem, field_error

from . import domain, importer, store
from .config import current_config
from .models import acting_heads, employees
from .models import units as units_tbl
from .schemas import (ActingHeadIn, ActingHeadList, ActingHeadOut, ActingHeadPatch, RevokeQuery, EmployeeHistory, EmployeeIn, EmployeeOut, EmployeePage, EmployeeQuery, ImportQuery, ImportReport,
                      UnitIn, UnitOut, UnitPage, UnitQuery, UnitTree, UnitTreeQuery)
from .web import errors, require_admin, violations

units_blp = Blueprint("units", __name__, url_prefix="/api/v1/units", description="Units (OPD and sub-units) as a tree.")
employees_blp = Blueprint("employees", __name__, url_prefix="/api/v1/employees",
                          description="The org directory: employees, their raters, and the history of transfers and rater changes.")
directory_blp = Blueprint("directory", __name__, url_prefix="/api/v1/directory",
                          description="Import of the org directory from the HR master's export (CSV or JSON).")


def _cursor(args) -> str | None:
    return decode_cursor(args["cursor"]) if args.get("cursor") else None


def _page(rows, limit: int, key) -> tuple[list, str | None]:
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor(key(rows[-1])) if more and rows else None)


def _row_errors(plan_errors) -> list[tuple[str, str]]:
    return [(e.field, e.message) for e in plan_errors]


# -- units ---------------------------------------------------------------------------------------

@units_blp.route("")
@units_blp.arguments(UnitQuery, location="query")
@units_blp.response(200, UnitPage)
@errors(units_blp, (422, "Bad filter or cursor"))
def list_units(args):
    """List units by id, optionally the children of one unit or a whole subtree."""
    query = select(units_tbl).order_by(units_tbl.c.id)
    if args.get("parent_id"):
        query = query.where(units_tbl.c.parent_id == args["parent_id"])
    if _cursor(args):
        query = query.where(units_tbl.c.id > _cursor(args))
    with runtime().engine.connect() as conn:
        if args.get("root"):
            query = query.where(units_tbl.c.id.in_(sorted(store.subtree(conn, {args["root"]}))))
        rows = conn.execute(query.limit(args["limit"] + 1)).all()
    rows, cursor = _page(rows, args["limit"], lambda r: r.id)
    return {"items": [dict(r._mapping) for r in rows], "next_cursor": cursor}


@units_blp.route("/tree")
@units_blp.arguments(UnitTreeQuery, location="query")
@units_blp.response(200, UnitTree)
@errors(units_blp, (404, "No such root unit"), (422, "Bad query"))
def unit_tree(args):
    """The unit tree (OPD and their sub-units), nested, with the number of active employees in each unit."""
    with runtime().engine.connect() as conn:
        rows = store.all_units(conn)
        counts = dict(conn.execute(select(employees.c.unit_id, func.count()).where(employees.c.active.is_(True))
                                   .group_by(employees.c.unit_id)).all())
    root = args.get("root")
    if root and root not in rows:
        raise NotFound(f"unit {root} does not exist")
    children: dict[str | None, list] = {}
    for unit in sorted(rows.values(), key=lambda u: u.id):
        parent = unit.parent_id if unit.parent_id in rows else None
        children.setdefault(parent, []).append(unit)

    def node(unit, depth=0) -> dict:
        kids = [node(c, depth + 1) for c in children.get(unit.id, [])] if depth < 50 else []
        return {"id": unit.id, "name": unit.name, "head_nip": unit.head_nip, "employees": counts.get(unit.id, 0), "children": kids}

    tops = [rows[root]] if root else children.get(None, [])
    return {"items": [node(u) for u in tops]}


@units_blp.route("/<unit_id>")
@units_blp.response(200, UnitOut)
@errors(units_blp, (404, "No such unit"))
def get_unit(unit_id):
    """Read one unit."""
    with runtime().engine.connect() as conn:
        row = conn.execute(select(units_tbl).where(units_tbl.c.id == unit_id)).first()
    if row is None:
        raise NotFound(f"unit {unit_id} does not exist")
    return dict(row._mapping)


@units_blp.route("/<unit_id>", methods=["PUT"])
@units_blp.arguments(UnitIn)
@units_blp.response(200, UnitOut)
@errors(units_blp, (422, "Invalid unit id or NIP, unknown parent, or a cycle in the tree"))
def put_unit(body, unit_id):
    """Create or update a unit (admin). The parent must exist; the path of the unit and of every unit
    below it is computed; a new head or path republishes EmployeeUpserted for the people concerned."""
    require_admin()
    problem = domain.unit_id_problem(unit_id)
    if problem:
        raise field_error("unit_id", problem)
    today = current_config().today()
    with runtime().engine.begin() as conn:
        parsed = importer.Parsed("api", units=[importer.Row("units", 0, None, {"id": unit_id, **body})])
        plan = importer.check(parsed, existing_units=store.existing_units(conn), existing_employees={},
                              default_effective=today, today=today)
        if plan.errors:
            raise violations(_row_errors(plan.errors))
        store.apply_directory(conn, current_principal(), plan, source="api", reason=None)
        row = conn.execute(select(units_tbl).where(units_tbl.c.id == unit_id)).first()
    return dict(row._mapping)


# -- acting heads (Plt., Plh.) ---------------------------------------------------------------------

def _unit_or_404(conn, unit_id: str, *, lock: bool = False):
    row = store.lock_unit(conn, unit_id) if lock else conn.execute(select(units_tbl).where(units_tbl.c.id == unit_id)).first()
    if row is None:
        raise NotFound(f"unit {unit_id} does not exist")
    return row


def _assignment_or_404(conn, unit_id: str, assignment_id: str):
    row = conn.execute(select(acting_heads).where(acting_heads.c.id == assignment_id,
                                                  acting_heads.c.unit_id == unit_id)).first()
    if row is None:
        raise NotFound(f"unit {unit_id} has no acting head {assignment_id}")
    return row


def _acting_out(conn, row) -> dict:
    name = conn.execute(select(employees.c.name).where(employees.c.nip == row.nip)).scalar()
    return {**dict(row._mapping), "name": name, "acting_today": domain.acting_on(row, current_config().today())}


def _acting_check(conn, unit, new: dict, *, exclude: str | None = None) -> None:
    """422 naming the field when ``new`` breaks a rule (span, employee, Plt./Plh., overlap)."""
    problems = domain.acting_span_problems(new["valid_from"], new.get("valid_to"), current_config().today())
    if not problems:
        person = conn.execute(select(employees.c.active).where(employees.c.nip == new["nip"])).first()
        others = [a for a in store.active_assignments(conn, {unit.id}) if a["id"] != exclude]
        problems = domain.acting_problems({**new, "unit_id": unit.id}, unit_head=unit.head_nip,
                                          employee=dict(person._mapping) if person else None, others=others)
    if problems:
        raise violations(problems)


@units_blp.route("/<unit_id>/acting-heads")
@units_blp.response(200, ActingHeadList)
@errors(units_blp, (404, "No such unit"))
def list_acting_heads(unit_id):
    """The unit's acting heads (Plt., Plh.), past, present and future, revoked ones included, by first day."""
    with runtime().engine.connect() as conn:
        _unit_or_404(conn, unit_id)
        rows = conn.execute(select(acting_heads).where(acting_heads.c.unit_id == unit_id)
                            .order_by(acting_heads.c.valid_from, acting_heads.c.id)).all()
        return {"items": [_acting_out(conn, r) for r in rows]}


@units_blp.route("/<unit_id>/acting-heads", methods=["POST"])
@units_blp.arguments(ActingHeadIn)
@units_blp.response(201, ActingHeadOut)
@errors(units_blp, (404, "No such unit"),
        (422, "Unknown or inactive employee, a bad span, a Plt. of a unit with a definitive head, or an overlap"))
def create_acting_head(body, unit_id):
    """Assign an acting head (admin): *Plt.* of a vacant post or *Plh.* while the head is away, from
    ``valid_from`` to ``valid_to`` (both included; null: until revoked). During the span the employee
    has the head's rights in the unit and every unit below it, and none after it. One unit has at
    most one active acting head on any day. Audited; publishes UnitHeadAssigned (version 1)."""
    require_admin()
    with runtime().engine.begin() as conn:
        unit = _unit_or_404(conn, unit_id, lock=True)
        _acting_check(conn, unit, body)
        row = store.save_acting(conn, current_principal(), None, {**body, "unit_id": unit_id}, action="created",
                                reason=body.get("reason"))
        out = _acting_out(conn, row)
    return out, 201, {"ETag": etag_for(row.id, row.version),
                      "Location": f"/api/v1/units/{unit_id}/acting-heads/{row.id}"}


@units_blp.route("/<unit_id>/acting-heads/<assignment_id>")
@units_blp.response(200, ActingHeadOut)
@errors(units_blp, (404, "No such unit or assignment"))
def get_acting_head(unit_id, assignment_id):
    """One acting head of the unit (ETag: the version, for If-Match on PATCH and DELETE)."""
    with runtime().engine.connect() as conn:
        row = _assignment_or_404(conn, unit_id, assignment_id)
        return _acting_out(conn, row), 200, {"ETag": etag_for(row.id, row.version)}


@units_blp.route("/<unit_id>/acting-heads/<assignment_id>", methods=["PATCH"])
@units_blp.arguments(ActingHeadPatch)
@units_blp.response(200, ActingHeadOut)
@errors(units_blp, (404, "No such unit or assignment"), (409, "The assignment is revoked"),
        (422, "A bad span, a Plt. of a unit with a definitive head, or an overlap"))
@if_match_documented(units_blp)
def patch_acting_head(body, unit_id, assignment_id):
    """Change an acting head's kind, span, decree or reason (admin; the person is fixed: another person
    is another assignment). The same rules as on creation; audited; publishes UnitHeadAssigned with
    the next version."""
    require_admin()
    with runtime().engine.begin() as conn:
        unit = _unit_or_404(conn, unit_id, lock=True)
        before = _assignment_or_404(conn, unit_id, assignment_id)
        require_if_match(assignment_id, before.version)
        if before.status != domain.ACTIVE:
            raise Conflict(f"acting head {assignment_id} is revoked; assign a new one", current_status=before.status)
        after = {**dict(before._mapping), **body}
        if all(after[k] == getattr(before, k) for k in body):
            row = before
        else:
            _acting_check(conn, unit, after, exclude=assignment_id)
            row = store.save_acting(conn, current_principal(), dict(before._mapping), after, action="updated",
                                    reason=body.get("reason", before.reason))
        out = _acting_out(conn, row)
    return out, 200, {"ETag": etag_for(row.id, row.version)}


@units_blp.route("/<unit_id>/acting-heads/<assignment_id>", methods=["DELETE"])
@units_blp.arguments(RevokeQuery, location="query")
@units_blp.response(200, ActingHeadOut)
@errors(units_blp, (404, "No such unit or assignment"), (409, "Already revoked"))
@if_match_documented(units_blp)
def revoke_acting_head(args, unit_id, assignment_id):
    """Revoke an acting head (admin): from now on the assignment gives no rights. The row stays, with
    status ``revoked`` (the history of who acted when); audited with ``reason``; publishes
    UnitHeadAssigned with status revoked and the next version."""
    require_admin()
    with runtime().engine.begin() as conn:
        _unit_or_404(conn, unit_id, lock=True)
        before = _assignment_or_404(conn, unit_id, assignment_id)
        require_if_match(assignment_id, before.version)
        if before.status != domain.ACTIVE:
            raise Conflict(f"acting head {assignment_id} is revoked already", current_status=before.status)
        row = store.save_acting(conn, current_principal(), dict(before._mapping), {}, action="revoked",
                                reason=args.get("reason"))
        out = _acting_out(conn, row)
    return out, 200, {"ETag": etag_for(row.id, row.version)}


# -- employees -----------------------------------------------------------------------------------

@employees_blp.route("")
@employees_blp.arguments(EmployeeQuery, location="query")
@employees_blp.response(200, EmployeePage)
@errors(employees_blp, (422, "Bad filter or cursor"))
def list_employees(args):
    """List employees by NIP, filtered by unit (and its subunits), rater, position, active, or a name/NIP search."""
    query = select(employees).order_by(employees.c.nip)
    for name in ("rater_nip", "position", "active"):
        if args.get(name) is not None:
            query = query.where(employees.c[name] == args[name])
    if args.get("q"):
        query = query.where(or_(employees.c.name.icontains(args["q"], autoescape=True),
                                employees.c.nip.contains(args["q"], autoescape=True)))
    if _cursor(args):
        query = query.where(employees.c.nip > _cursor(args))
    with runtime().engine.connect() as conn:
        if args.get("unit_id"):
            wanted = store.subtree(conn, {args["unit_id"]}) if args["include_subunits"] else {args["unit_id"]}
            query = query.where(employees.c.unit_id.in_(sorted(wanted)))
        rows = conn.execute(query.limit(args["limit"] + 1)).all()
    rows, cursor = _page(rows, args["limit"], lambda r: r.nip)
    return {"items": [dict(r._mapping) for r in rows], "next_cursor": cursor}


@employees_blp.route("/<nip>")
@employees_blp.response(200, EmployeeOut)
@errors(employees_blp, (404, "No such employee"))
def get_employee(nip):
    """Read one employee of the directory (ETag: the version, for If-Match on PUT)."""
    with runtime().engine.connect() as conn:
        row = conn.execute(select(employees).where(employees.c.nip == nip)).first()
    if row is None:
        raise NotFound(f"employee {nip} is not in the org directory")
    return dict(row._mapping), 200, {"ETag": etag_for(nip, row.version)}


def _rater_chains(conn, nips: set[str]) -> dict[str, str | None]:
    """NIP -> rater NIP of the stored employees in ``nips`` and of every rater above them, up to the top."""
    links: dict[str, str | None] = {}
    asked: set[str] = set()
    todo = set(nips)
    while todo:
        asked |= todo
        ordered = sorted(todo)
        todo = set()
        for i in range(0, len(ordered), 5000):
            for r in conn.execute(select(employees.c.nip, employees.c.rater_nip)
                                  .where(employees.c.nip.in_(ordered[i:i + 5000]))):
                links[r.nip] = r.rater_nip
                if r.rater_nip and r.rater_nip not in asked:
                    todo.add(r.rater_nip)
    return links


def _check_employees(conn, parsed: importer.Parsed, *, default_effective, today, lock: bool = False) -> importer.ImportPlan:
    """importer.check against the stored directory, rater chains included (cycles through stored employees),
    and the stored acting heads of the units the file's acting heads name (``lock``: those units locked)."""
    nips = importer.referenced_nips(parsed)
    acting_units = {r.values["unit_id"].strip() for r in parsed.acting_heads if isinstance(r.values.get("unit_id"), str)}
    if lock:
        for unit_id in sorted(acting_units):
            store.lock_unit(conn, unit_id)
    return importer.check(parsed, existing_units=store.existing_units(conn),
                          existing_employees=store.existing_employees(conn, nips), default_effective=default_effective,
                          today=today, stored_raters=_rater_chains(conn, nips),
                          stored_acting=store.active_assignments(conn, acting_units))


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
    require_admin()
    problem = domain.nip_problem(nip)
    if problem:
        raise field_error("nip", problem)
    cfg = current_config()
    effective = body.pop("effective_date") or cfg.today()
    reason = body.pop("change_reason")
    with runtime().engine.begin() as conn:
        lock = select(employees.c.version).where(employees.c.nip == nip)
        current = conn.execute(lock.with_for_update() if conn.dialect.name == "postgresql" else lock).first()
        if current is not None:
            require_if_match(nip, current.version)
        parsed = importer.Parsed("api", employees=[importer.Row("employees", 0, None, {"nip": nip, **body})])
        plan = _check_employees(conn, parsed, default_effective=effective, today=cfg.today())
        if plan.errors:
            raise violations(_row_errors(plan.errors))
        store.apply_directory(conn, current_principal(), plan, source="api", reason=reason)
        row = conn.execute(select(employees).where(employees.c.nip == nip)).first()
    return dict(row._mapping), 200, {"ETag": etag_for(nip, row.version)}


@employees_blp.route("/<nip>/history")
@employees_blp.response(200, EmployeeHistory)
@errors(employees_blp, (404, "No such employee"))
def employee_history(nip):
    """The employee's transfers and rater changes, each with its effective date, oldest first."""
    with runtime().engine.connect() as conn:
        if conn.execute(select(employees.c.nip).where(employees.c.nip == nip)).first() is None:
            raise NotFound(f"employee {nip} is not in the org directory")
        return {"items": store.employee_history(conn, nip)}


# -- the import ----------------------------------------------------------------------------------

IMPORT_BODY = {
    "required": True,
    "description": "The HR master's export: a multipart upload (field ``file``, CSV or JSON), a JSON body "
                   '({"units": [...], "employees": [...], "acting_heads": [...]} or a list of employees), or a text/csv body.',
    "content": {
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary", "description": "CSV (one employee per row) or JSON"}}}},
        "application/json": {"schema": {"type": "object", "properties": {
            "units": {"type": "array", "items": {"type": "object", "description": "id, name, parent_id, head_nip"}},
            "employees": {"type": "array", "items": {"type": "object", "description": ", ".join(importer.EMPLOYEE_COLUMNS)}},
            "acting_heads": {"type": "array", "items": {"type": "object", "description": "acting heads (Plt., Plh.): "
                                                        + ", ".join(importer.ACTING_COLUMNS)}}}}},
        "text/csv": {"schema": {"type": "string", "description": "Header line: " + ",".join(importer.EMPLOYEE_COLUMNS)
                                                                    + " (optional: unit_name, parent_unit_id)"}},
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
    raise Problem("Send the HR export as multipart/form-data (field 'file'), application/json or text/csv.",
                  status=415, errors=[{"field": "file", "message": f"content type {mimetype or '(none)'} is not accepted"}])


@directory_blp.route("/imports", methods=["POST"])
@directory_blp.arguments(ImportQuery, location="query")
@directory_blp.response(200, ImportReport)
@directory_blp.doc(requestBody=IMPORT_BODY)
@errors(directory_blp, (413, "File too large"), (415, "Not CSV, JSON or multipart"),
        (422, "Unreadable file; or, with dry_run=false, bad rows (every one listed with its line; nothing written)"))
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
    require_admin("import the org directory")
    data, filename, content_type = _import_payload()
    try:
        parsed = importer.parse(data, filename=filename, content_type=content_type)
    except importer.ImportFileError as exc:
        raise field_error(exc.field, exc.message) from None
    if not parsed.units and not parsed.employees and not parsed.acting_heads and not parsed.errors:
        raise field_error("file", "holds no units and no employees")
    cfg = current_config()
    today = cfg.today()
    dry_run = args["dry_run"]
    engine = runtime().engine
    with (engine.connect() if dry_run else engine.begin()) as conn:
        plan = _check_employees(conn, parsed, default_effective=args["effective_date"] or today, today=today,
                                lock=not dry_run)
        report = {
            "dry_run": dry_run, "applied": False, "valid": not plan.errors, "format": parsed.format,
            "summary": plan.summary(), "errors": [e.as_dict() for e in plan.errors],
            "changes": [{"section": "units", "key": u.id, "line": u.line, "action": u.action, "changed": u.changed}
                        for u in plan.changed_units]
                       + [{"section": "employees", "key": e.nip, "line": e.line, "action": e.action, "changed": e.changed}
                          for e in plan.changed_employees]
                       + [{"section": "acting_heads", "key": a.key, "line": a.line, "action": a.action, "changed": a.changed}
                          for a in plan.changed_acting_heads],
            "ignored_columns": plan.ignored_columns, "events_published": 0, "plans_closed": [], "plans_retargeted": [],
        }
        if dry_run:
            return report
        if plan.errors:
            raise Problem(f"{len(plan.errors)} problem(s) in the file; nothing was imported. "
                          + "; ".join(f"line {e.line}: {e.field}: {e.message}" for e in plan.errors[:5]),
                          status=422, title="Validation failed", errors=report["errors"], summary=report["summary"])
        reason = args.get("reason") or f"directory import ({parsed.format}{', ' + filename if filename else ''})"
        result = store.apply_directory(conn, current_principal(), plan, source="import", reason=reason)
        store.audit_many(conn, current_principal(), [{
            "action": "directory.imported", "entity_type": "directory_import", "entity_id": (filename or parsed.format)[:64],
            "before": None, "after": {"summary": report["summary"], "plans_closed": result["plans_closed"],
                                      "plans_retargeted": result["plans_retargeted"]}, "reason": reason}])
    report.update(applied=True, **result)
    return report
