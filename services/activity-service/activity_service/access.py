"""Who may do what with whose entries: every access check of activity-service, called by the use cases.

The relations come from the directory read model only (``directory_store``): the employee themself,
their rater (current, else the one recorded on the entry), the head of a unit above them (definitively,
or as acting head, Plt./Plh., on the day), their rater's superior (atasan pejabat penilai), an admin.
A token's unit or role claims never widen what a caller sees. A caller who may not see an entry gets
404 (its existence is not told); one who sees it but may not change it gets 403.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Connection

from kinerja_shared.errors import Forbidden, NotFound

from . import directory_store, store


def head_units(conn: Connection, nip: str, caller_row, today: date) -> list[str]:
    """Units whose subtree the caller heads, from the directory only: the read model's is_unit_head (their
    own unit) and the units they act for (Plt./Plh.) on ``today``. A token's unit or role claims never count."""
    units = []
    if caller_row is not None and caller_row.is_unit_head:
        units.append(caller_row.unit_id)
    units.extend(u for u in directory_store.acting_for(conn, nip, today) if u not in units)
    return units


def in_subtree(unit_path: str | None, units: list[str]) -> bool:
    return bool(unit_path) and any(f"/{u}/" in unit_path for u in units)


def relation_to(conn: Connection, principal, nip: str, recorded_rater: str | None = None, *, today: date) -> dict:
    """How the caller relates to employee ``nip``: self, rater (current, else the one recorded), head, the
    rater's superior named in the directory, admin. Headship is the directory's (acting heads on ``today``).

    One query reads both the caller's and the employee's read-model rows.
    """
    rows = directory_store.employees_by_nip(conn, {principal.sub, nip})
    target = rows.get(nip)
    units = head_units(conn, principal.sub, rows.get(principal.sub), today)
    rel = relation_in(principal, nip, recorded_rater, target, units)
    # the rater's superior (atasan pejabat penilai) named in the directory reads the entry, as in plan-service
    rel["superior"] = (
        target is not None and target.rater_superior_nip is not None and target.rater_superior_nip == principal.sub
    )
    return rel


def relation_in(principal, nip: str, recorded_rater: str | None, target, units: list[str]) -> dict:
    """The relation, from the employee's directory row already read and the units the caller heads."""
    rater = target.rater_nip if target is not None and target.rater_nip else recorded_rater
    return {
        "self": principal.sub == nip,
        "rater": rater is not None and rater == principal.sub,
        "recorded_rater": recorded_rater is not None and recorded_rater == principal.sub,
        "head": in_subtree(target.unit_path if target is not None else None, units),
        "superior": False,
        "admin": principal.is_admin,
        "employee": target,
    }


def may_see(rel: dict) -> bool:
    return rel["self"] or rel["rater"] or rel["recorded_rater"] or rel["head"] or rel.get("superior") or rel["admin"]


def rater_superior(conn: Connection, target, recorded_rater: str | None = None) -> str | None:
    """The employee's rater's superior (atasan pejabat penilai): the directory's ``rater_superior_nip``,
    else the rater's own rater (as plan-service's directory fills it); the rater is the current one,
    else the one recorded on the entry."""
    if target is not None and target.rater_superior_nip:
        return target.rater_superior_nip
    rater = target.rater_nip if target is not None and target.rater_nip else recorded_rater
    if rater is None:
        return None
    return directory_store.rater_of(conn, rater)


def may_repair(conn: Connection, principal, rel: dict, recorded_rater: str | None) -> bool:
    """Who may correct or annul a verified entry: an admin, or the employee's rater's superior
    (never the employee, nor the rater who verified it)."""
    if rel["admin"]:
        return True
    superior = rater_superior(conn, rel["employee"], recorded_rater)
    return superior is not None and superior == principal.sub and not rel["self"]


# -- the checks the use cases call ------------------------------------------------------------------


def visible_activity(conn: Connection, principal, activity_id: str, *, today: date, for_update: bool = False):
    """The entry and the caller's relation to its employee; 404 when it does not exist or is not visible."""
    row = store.get_activity(conn, activity_id, for_update=for_update)
    if row is None:
        raise NotFound(f"activity {activity_id} does not exist")
    rel = relation_to(conn, principal, row.nip, row.rater_nip, today=today)
    if not may_see(rel):
        raise NotFound(f"activity {activity_id} does not exist")
    return row, rel


def owner_only(rel: dict, what: str) -> None:
    if not rel["self"]:
        raise Forbidden(f"Only the employee who logged an activity may {what} it.")


def rater_only(rel: dict) -> None:
    if not rel["rater"]:
        raise Forbidden("Only the employee's rater (pejabat penilai) may verify this activity.")


def repairable_activity(conn: Connection, principal, activity_id: str, *, today: date):
    """The locked entry, if the caller may repair it: 404 when they may not even see it, 403 when they see it."""
    row = store.get_activity(conn, activity_id, for_update=True)
    if row is None:
        raise NotFound(f"activity {activity_id} does not exist")
    rel = relation_to(conn, principal, row.nip, row.rater_nip, today=today)
    if not may_repair(conn, principal, rel, row.rater_nip):
        if not may_see(rel):
            raise NotFound(f"activity {activity_id} does not exist")
        raise Forbidden(
            "Only an admin or the employee's rater's superior (atasan pejabat penilai) may correct "
            "or annul a verified activity."
        )
    return row


def require_sees_employee(conn: Connection, principal, nip: str, *, today: date) -> dict:
    rel = relation_to(conn, principal, nip, today=today)
    if not may_see(rel):
        raise Forbidden(f"You may not see employee {nip}'s activities.")
    return rel


def require_heads_unit(conn: Connection, principal, unit_id: str, *, today: date) -> None:
    """The caller heads ``unit_id`` or a unit above it (in the directory, or acting today), or is an admin."""
    if principal.is_admin:
        return
    units = head_units(conn, principal.sub, directory_store.employee(conn, principal.sub), today)
    member = directory_store.unit_path_of(conn, unit_id)
    ancestors = _ancestors(member, unit_id) if member else [unit_id]
    if not any(u in ancestors for u in units):
        raise Forbidden(f"Only the head of unit {unit_id} (or of a unit above it) or an admin may see this.")


def _ancestors(unit_path: str, unit_id: str) -> list[str]:
    """'/opd/sub/x/' and 'sub' -> ['opd', 'sub']: the unit and the units above it."""
    parts = [p for p in unit_path.split("/") if p]
    return parts[: parts.index(unit_id) + 1] if unit_id in parts else [unit_id]
