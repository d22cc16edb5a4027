"""Who may do what to a plan, as plan-service stores it: the units a caller heads (in the directory, or as
acting head, Plt./Plh., on the day), a unit's subtree, the caller's relation to a plan and the plans a caller
may read as a clause. access.py asks these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from kinerja_shared import unit_tree

from . import domain
from .models import acting_heads, employees, plans, unit_ancestors, units

# -- relations: who may do what to a plan ---------------------------------------------------------


def all_units(conn: Connection) -> dict[str, object]:
    """Every unit by id (the whole tree's view only: a scope check reads ``subtree``)."""
    return {r.id: r for r in conn.execute(select(units))}


def units_by_id(conn: Connection, unit_ids: set[str]) -> dict[str, object]:
    """The rows of ``unit_ids`` (those that exist), by id."""
    ordered = sorted(unit_ids)
    found: dict[str, object] = {}
    for i in range(0, len(ordered), unit_tree.CHUNK):
        chunk = ordered[i : i + unit_tree.CHUNK]
        found.update({r.id: r for r in conn.execute(select(units).where(units.c.id.in_(chunk)))})
    return found


def unit_exists(conn: Connection, unit_id: str) -> bool:
    return conn.execute(select(units.c.id).where(units.c.id == unit_id)).first() is not None


def headed_roots(conn: Connection, principal, today: date) -> set[str]:
    """Units the caller heads on ``today``, by the directory alone (a token's ``unit``/``unit_head`` claims
    count for nothing: identity providers lag HR records, e.g. after a transfer).

    - the definitive head (units.head_nip) while the directory places them, active, in that unit or
      below it (a head transferred elsewhere whose unit still names them heads nothing);
    - an acting head (Plt., Plh.) while an active assignment's span includes ``today``.
    """
    me = conn.execute(select(employees.c.unit_id, employees.c.active).where(employees.c.nip == principal.sub)).first()
    if me is None or not me.active:
        return set()
    own_path = conn.execute(select(units.c.path).where(units.c.id == me.unit_id)).scalar() or [me.unit_id]
    roots = {
        r.id for r in conn.execute(select(units.c.id).where(units.c.head_nip == principal.sub)) if r.id in own_path
    }
    roots |= {
        r.unit_id
        for r in conn.execute(
            select(acting_heads).where(
                acting_heads.c.nip == principal.sub,
                acting_heads.c.status == domain.ACTIVE,
                acting_heads.c.valid_from <= today,
                or_(acting_heads.c.valid_to.is_(None), acting_heads.c.valid_to >= today),
            )
        )
    }
    return roots


def subtree(conn: Connection, roots: set[str]) -> set[str]:
    """Every unit under (and including) any of ``roots``: the closure's rows of the subtree, not every unit."""
    return unit_tree.subtree(conn, unit_ancestors, roots)


def set_unit_paths(conn: Connection, paths: dict[str, list[str]]) -> None:
    """Keep the closure in step with the units' paths just written ({unit_id: path})."""
    unit_tree.set_paths(conn, unit_ancestors, paths)


@dataclass(frozen=True)
class Relation:
    owner: bool = False
    rater: bool = False
    superior: bool = False
    head: bool = False
    admin: bool = False

    @property
    def may_read(self) -> bool:
        return any((self.owner, self.rater, self.superior, self.head, self.admin))


def relation(principal, plan, headed_units: set[str]) -> Relation:
    return Relation(
        owner=principal.sub == plan.nip,
        rater=bool(plan.rater_nip) and principal.sub == plan.rater_nip,
        superior=bool(plan.rater_superior_nip) and principal.sub == plan.rater_superior_nip,
        head=plan.unit_id in headed_units,
        admin=principal.is_admin,
    )


def visible_clause(principal, headed_units: set[str]):
    """A clause on plans: the rows the caller may read (None: all, for an admin)."""
    if principal.is_admin:
        return None
    scope = [
        plans.c.nip == principal.sub,
        plans.c.rater_nip == principal.sub,
        plans.c.rater_superior_nip == principal.sub,
    ]
    if headed_units:
        scope.append(plans.c.unit_id.in_(sorted(headed_units)))
    return or_(*scope)
