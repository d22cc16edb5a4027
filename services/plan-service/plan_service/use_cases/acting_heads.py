"""Acting heads (Plt., Plh.) of a unit: assign, change, revoke (admin), and read them (every signed-in caller).

A *Plt.* stands in for a vacant post, a *Plh.* for a head who is away, from ``valid_from`` to ``valid_to`` (both
included; None: until revoked). During the span the employee has the head's rights in the unit and every unit
below it, and none after it; one unit has at most one active acting head on any day. Every write locks the unit
(two writers go one after the other), is audited and publishes UnitHeadAssigned with the assignment's version
(store.save_acting). A revoked assignment stays, as the history of who acted when.
"""

from __future__ import annotations

from kinerja_shared.errors import Conflict, NotFound

from .. import access, directory_store, domain, store
from .refusals import VersionCheck, violations


def _unit(conn, unit_id: str, *, lock: bool = False):
    row = store.lock_unit(conn, unit_id) if lock else directory_store.load_unit(conn, unit_id)
    if row is None:
        raise NotFound(f"unit {unit_id} does not exist")
    return row


def _assignment(conn, unit_id: str, assignment_id: str):
    row = directory_store.load_assignment(conn, unit_id, assignment_id)
    if row is None:
        raise NotFound(f"unit {unit_id} has no acting head {assignment_id}")
    return row


def _out(uow, row) -> dict:
    """The assignment as the API shows it: with the employee's name and whether it gives the head's rights today."""
    return {
        **dict(row._mapping),
        "name": directory_store.employee_name(uow.conn, row.nip),
        "acting_today": domain.acting_on(row, uow.today()),
    }


def _check(uow, unit, new: dict, *, exclude: str | None = None) -> None:
    """422 naming the field when ``new`` breaks a rule (span, employee, Plt./Plh., overlap)."""
    problems = domain.acting_span_problems(new["valid_from"], new.get("valid_to"), uow.today())
    if not problems:
        others = [a for a in store.active_assignments(uow.conn, {unit.id}) if a["id"] != exclude]
        problems = domain.acting_problems(
            {**new, "unit_id": unit.id},
            unit_head=unit.head_nip,
            employee=directory_store.employee_activity(uow.conn, new["nip"]),
            others=others,
        )
    if problems:
        raise violations(problems)


def list_acting_heads(uow, actor, unit_id: str) -> dict:
    """The unit's acting heads, past, present and future, revoked ones included, by first day."""
    _unit(uow.conn, unit_id)
    return {"items": [_out(uow, r) for r in directory_store.unit_assignments(uow.conn, unit_id)]}


def get_acting_head(uow, actor, unit_id: str, assignment_id: str) -> dict:
    """One acting head of the unit (its ``version`` is the ETag's)."""
    return _out(uow, _assignment(uow.conn, unit_id, assignment_id))


def assign_acting_head(uow, actor, unit_id: str, body: dict) -> dict:
    """Assign an acting head (admin): ``body`` holds nip, kind (plt, plh), valid_from, valid_to, decree_number,
    reason."""
    access.may_change_directory(actor)
    unit = _unit(uow.conn, unit_id, lock=True)
    _check(uow, unit, body)
    row = store.save_acting(
        uow.conn, actor, None, {**body, "unit_id": unit_id}, action="created", reason=body.get("reason")
    )
    return _out(uow, row)


def change_acting_head(
    uow, actor, unit_id: str, assignment_id: str, changes: dict, *, check_version: VersionCheck | None = None
) -> dict:
    """Change an acting head's kind, span, decree or reason (admin; the person is fixed: another person is another
    assignment). The same rules as on assignment; nothing written when nothing changes."""
    access.may_change_directory(actor)
    unit = _unit(uow.conn, unit_id, lock=True)
    before = _assignment(uow.conn, unit_id, assignment_id)
    if check_version is not None:
        check_version(assignment_id, before.version)
    if before.status != domain.ACTIVE:
        raise Conflict(f"acting head {assignment_id} is revoked; assign a new one", current_status=before.status)
    after = {**dict(before._mapping), **changes}
    if all(after[k] == getattr(before, k) for k in changes):
        return _out(uow, before)
    _check(uow, unit, after, exclude=assignment_id)
    row = store.save_acting(
        uow.conn, actor, dict(before._mapping), after, action="updated", reason=changes.get("reason", before.reason)
    )
    return _out(uow, row)


def revoke_acting_head(
    uow,
    actor,
    unit_id: str,
    assignment_id: str,
    *,
    reason: str | None = None,
    check_version: VersionCheck | None = None,
) -> dict:
    """Revoke an acting head (admin): from now on the assignment gives no rights; the row stays, revoked."""
    access.may_change_directory(actor)
    _unit(uow.conn, unit_id, lock=True)
    before = _assignment(uow.conn, unit_id, assignment_id)
    if check_version is not None:
        check_version(assignment_id, before.version)
    if before.status != domain.ACTIVE:
        raise Conflict(f"acting head {assignment_id} is revoked already", current_status=before.status)
    row = store.save_acting(uow.conn, actor, dict(before._mapping), {}, action="revoked", reason=reason)
    return _out(uow, row)
