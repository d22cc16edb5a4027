"""The org directory's use cases: units (the tree of OPD and sub-units) and employees, their transfers (mutasi)
and rater changes.

Reading is open to every signed-in caller (the org chart people pick raters and units from); changing is for
admins (access.may_change_directory). Every write goes through the same checks as the import (importer.check,
against the stored directory: use_cases.imports.checked_change) and the same writer (store.apply_directory), so a
unit or an employee changed by hand behaves exactly like one changed by a file: a change of unit is a transfer
that closes the plans of the old post, a change of rater hands the plans in force to the new rater.
"""

from __future__ import annotations

from kinerja_shared.errors import NotFound, field_error
from kinerja_shared.web.pagination import decode_cursor, encode_cursor

from .. import access, directory_store, domain, importer, relations_store, store
from .imports import checked_change
from .refusals import VersionCheck, violations


def page(rows: list, limit: int, key) -> dict:
    """A page of ``limit`` rows (``rows`` holds one more when another page follows) and the next cursor."""
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = encode_cursor(key(rows[-1])) if more and rows else None
    return {"items": [dict(r._mapping) for r in rows], "next_cursor": cursor}


def _after(args: dict) -> str | None:
    return decode_cursor(args["cursor"]) if args.get("cursor") else None


# -- units ---------------------------------------------------------------------------------------


def list_units(uow, actor, args: dict) -> dict:
    """Units by id, optionally the children of one unit (``parent_id``) or a whole subtree (``root``)."""
    conn = uow.conn
    subtree = relations_store.subtree(conn, {args["root"]}) if args.get("root") else None
    rows = directory_store.list_units(
        conn, parent_id=args.get("parent_id"), unit_ids=subtree, after=_after(args), limit=args["limit"] + 1
    )
    return page(rows, args["limit"], lambda r: r.id)


def unit_tree(uow, actor, root: str | None = None) -> dict:
    """The unit tree, nested, with the number of active employees in each unit (from ``root`` when given)."""
    conn = uow.conn
    rows = relations_store.units_by_id(conn, relations_store.subtree(conn, {root})) if root else None
    rows = rows if rows is not None else relations_store.all_units(conn)
    counts = directory_store.active_employees_by_unit(uow.conn)
    if root and root not in rows:
        raise NotFound(f"unit {root} does not exist")
    children: dict[str | None, list] = {}
    for unit in sorted(rows.values(), key=lambda u: u.id):
        children.setdefault(unit.parent_id if unit.parent_id in rows else None, []).append(unit)

    def node(unit, depth=0) -> dict:
        kids = [node(c, depth + 1) for c in children.get(unit.id, [])] if depth < 50 else []
        return {
            "id": unit.id,
            "name": unit.name,
            "head_nip": unit.head_nip,
            "employees": counts.get(unit.id, 0),
            "children": kids,
        }

    return {"items": [node(u) for u in ([rows[root]] if root else children.get(None, []))]}


def get_unit(uow, actor, unit_id: str) -> dict:
    row = directory_store.load_unit(uow.conn, unit_id)
    if row is None:
        raise NotFound(f"unit {unit_id} does not exist")
    return dict(row._mapping)


def put_unit(uow, actor, unit_id: str, body: dict) -> dict:
    """Create or update a unit (admin). The parent must exist; the path of the unit and of every unit below it is
    computed; a new head or path republishes EmployeeUpserted for the people concerned."""
    access.may_change_directory(actor)
    problem = domain.unit_id_problem(unit_id)
    if problem:
        raise field_error("unit_id", problem)
    today = uow.today()
    parsed = importer.Parsed("api", units=[importer.Row("units", 0, None, {"id": unit_id, **body})])
    plan = importer.check(
        parsed,
        existing_units=store.existing_units(uow.conn),
        existing_employees={},
        default_effective=today,
        today=today,
    )
    if plan.errors:
        raise violations([(e.field, e.message) for e in plan.errors])
    store.apply_directory(uow.conn, actor, plan, source="api", reason=None)
    return get_unit(uow, actor, unit_id)


# -- employees -------------------------------------------------------------------------------------


def list_employees(uow, actor, args: dict) -> dict:
    """Employees by NIP, filtered by unit (and its subunits), rater, position, active, or a name/NIP search."""
    conn = uow.conn
    unit_ids = None
    if args.get("unit_id"):
        unit_ids = relations_store.subtree(conn, {args["unit_id"]}) if args["include_subunits"] else {args["unit_id"]}
    filters = {name: args[name] for name in ("rater_nip", "position", "active") if args.get(name) is not None}
    rows = directory_store.list_employees(
        conn, filters, query_text=args.get("q"), unit_ids=unit_ids, after=_after(args), limit=args["limit"] + 1
    )
    return page(rows, args["limit"], lambda r: r.nip)


def get_employee(uow, actor, nip: str) -> dict:
    """One employee of the directory (its ``version`` is the ETag's)."""
    row = directory_store.load_employee(uow.conn, nip)
    if row is None:
        raise NotFound(f"employee {nip} is not in the org directory")
    return dict(row._mapping)


def put_employee(uow, actor, nip: str, body: dict, *, check_version: VersionCheck | None = None) -> dict:
    """Create or update an employee (admin); EmployeeUpserted when anything changed.

    A change of unit is a transfer (mutasi) recorded with its ``effective_date`` (default today): the plans of the
    old post close the day before. A change of rater is recorded likewise and hands the plans in force to the new
    rater. ``check_version`` checks the caller's If-Match when the employee exists.
    """
    access.may_change_directory(actor)
    problem = domain.nip_problem(nip)
    if problem:
        raise field_error("nip", problem)
    fields = dict(body)
    effective = fields.pop("effective_date", None) or uow.today()
    reason = fields.pop("change_reason", None)
    current = directory_store.lock_employee_version(uow.conn, nip)
    if current is not None and check_version is not None:
        check_version(nip, current.version)
    parsed = importer.Parsed("api", employees=[importer.Row("employees", 0, None, {"nip": nip, **fields})])
    plan = checked_change(uow.conn, parsed, default_effective=effective, today=uow.today())
    if plan.errors:
        raise violations([(e.field, e.message) for e in plan.errors])
    store.apply_directory(uow.conn, actor, plan, source="api", reason=reason)
    return get_employee(uow, actor, nip)


def employee_history(uow, actor, nip: str) -> dict:
    """The employee's transfers and rater changes, each with its effective date, oldest first."""
    get_employee(uow, actor, nip)
    return {"items": directory_store.employee_history(uow.conn, nip)}
