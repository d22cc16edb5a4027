"""The org directory's import from the HR master's export (CSV or JSON): a dry run that says what would change,
or the change itself in one transaction (admin).

With ``dry_run`` every row is checked and the report says what would be created, updated or left unchanged and
lists every bad row with its line and reason; nothing is written. Without it a file with any bad row is refused
(422, the same list); otherwise everything is written: an upsert by NIP and unit id (the same file again changes
nothing), EmployeeUpserted per created or changed employee, UnitHeadAssigned per created or changed acting head,
transfers and rater changes acting on the plans as a change by hand does (use_cases.directory.put_employee).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from kinerja_shared.errors import Unprocessable, field_error

from .. import access, directory_store, importer, store

Upload = tuple[bytes, "str | None", str]  # the file's bytes, its name (multipart), its content type


def checked_change(
    conn, parsed: importer.Parsed, *, default_effective: date, today: date, lock: bool = False
) -> importer.ImportPlan:
    """importer.check against the stored directory, rater chains included (cycles through stored employees), and
    the stored acting heads of the units the file's acting heads name (``lock``: those units locked)."""
    nips = importer.referenced_nips(parsed)
    acting_units = {
        r.values["unit_id"].strip() for r in parsed.acting_heads if isinstance(r.values.get("unit_id"), str)
    }
    if lock:
        for unit_id in sorted(acting_units):
            store.lock_unit(conn, unit_id)
    return importer.check(
        parsed,
        existing_units=store.existing_units(conn),
        existing_employees=store.existing_employees(conn, nips),
        default_effective=default_effective,
        today=today,
        stored_raters=directory_store.rater_chains(conn, nips),
        stored_acting=store.active_assignments(conn, acting_units),
    )


def read_file(data: bytes, *, filename: str | None, content_type: str) -> importer.Parsed:
    """The export's rows by section; a file that cannot be read, or holds nothing, is a 422 naming the field."""
    try:
        parsed = importer.parse(data, filename=filename, content_type=content_type)
    except importer.ImportFileError as exc:
        raise field_error(exc.field, exc.message) from None
    if not parsed.units and not parsed.employees and not parsed.acting_heads and not parsed.errors:
        raise field_error("file", "holds no units and no employees")
    return parsed


def report_of(parsed: importer.Parsed, plan: importer.ImportPlan, *, dry_run: bool) -> dict:
    changes = (
        [
            {"section": "units", "key": u.id, "line": u.line, "action": u.action, "changed": u.changed}
            for u in plan.changed_units
        ]
        + [
            {"section": "employees", "key": e.nip, "line": e.line, "action": e.action, "changed": e.changed}
            for e in plan.changed_employees
        ]
        + [
            {"section": "acting_heads", "key": a.key, "line": a.line, "action": a.action, "changed": a.changed}
            for a in plan.changed_acting_heads
        ]
    )
    return {
        "dry_run": dry_run,
        "applied": False,
        "valid": not plan.errors,
        "format": parsed.format,
        "summary": plan.summary(),
        "errors": [e.as_dict() for e in plan.errors],
        "changes": changes,
        "ignored_columns": plan.ignored_columns,
        "events_published": 0,
        "plans_closed": [],
        "plans_retargeted": [],
    }


def import_directory(
    uow,
    actor,
    upload: Callable[[], Upload],
    *,
    dry_run: bool = True,
    effective_date: date | None = None,
    reason: str | None = None,
) -> dict:
    """Check (``dry_run``) or import the export; the report of what changes (or would), every bad row listed.

    ``upload`` gives (bytes, file name, content type); it is read once the caller may import (a caller who may
    not is refused before their file is looked at)."""
    access.may_change_directory(actor, "import the org directory")
    data, filename, content_type = upload()
    parsed = read_file(data, filename=filename, content_type=content_type)
    today = uow.today()
    plan = checked_change(uow.conn, parsed, default_effective=effective_date or today, today=today, lock=not dry_run)
    report = report_of(parsed, plan, dry_run=dry_run)
    if dry_run:
        return report
    if plan.errors:
        raise Unprocessable(
            f"{len(plan.errors)} problem(s) in the file; nothing was imported. "
            + "; ".join(f"line {e.line}: {e.field}: {e.message}" for e in plan.errors[:5]),
            title="Validation failed",
            errors=report["errors"],
            summary=report["summary"],
        )
    reason = reason or f"directory import ({parsed.format}{', ' + filename if filename else ''})"
    result = store.apply_directory(uow.conn, actor, plan, source="import", reason=reason)
    uow.audit(
        actor=actor,
        action="directory.imported",
        entity_type="directory_import",
        entity_id=(filename or parsed.format)[:64],
        before=None,
        after={
            "summary": report["summary"],
            "plans_closed": result["plans_closed"],
            "plans_retargeted": result["plans_retargeted"],
        },
        reason=reason,
    )
    report.update(applied=True, **result)
    return report
