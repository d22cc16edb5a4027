"""Who may do what in plan-service: every check the use cases make (Forbidden 403, NotFound 404).

Access by relation, from this service's own data (never a token's claims):
- the owner (the plan's NIP) reads their plans and edits, submits their drafts;
- the named rater reads the plans they rate, approves or returns them, decides amendments;
- the rater's superior reads them;
- the head of a unit by the directory (units.head_nip, or an acting head, Plt./Plh., whose span
  includes today) reads the plans of that unit and every unit below it;
- an admin does all.
A plan the caller may not read is NotFound (its existence is not disclosed); one they may read
but not act on is Forbidden.
"""

from __future__ import annotations

from datetime import date

from kinerja_shared.errors import Forbidden, NotFound

from . import relations_store, store

# -- the caller and the directory (shared by every area) -----------------------------------------------


def require_admin(actor, what: str = "change the org directory") -> None:
    if not actor.is_admin:
        raise Forbidden(f"Only an admin (BKPSDM) may {what}.")


def headed_units(conn, actor, today: date) -> set[str]:
    """The units (with their subtrees) the caller heads on ``today`` by the directory (definitive or acting heads)."""
    return relations_store.subtree(conn, relations_store.headed_roots(conn, actor, today))


# -- plans -----------------------------------------------------------------------------------------------


def readable_plan(conn, actor, plan_id: str, *, today: date, for_update: bool = False, headed: set[str] | None = None):
    """The plan and the caller's relation to it; NotFound when it does not exist or the caller may not read it."""
    row = store.load_plan(conn, plan_id, for_update=for_update)
    if row is None:
        raise NotFound(f"plan {plan_id} does not exist")
    rel = relations_store.relation(actor, row, headed_units(conn, actor, today) if headed is None else headed)
    if not rel.may_read:
        raise NotFound(f"plan {plan_id} does not exist")
    return row, rel


def may_draft_for(actor, nip: str) -> None:
    if nip != actor.sub and not actor.is_admin:
        raise Forbidden("You may draft only your own plan.")


def may_copy_into(actor, nip: str) -> None:
    if nip != actor.sub and not actor.is_admin:
        raise Forbidden("You may copy a plan only into your own new draft.")


def may_edit(rel) -> None:
    if not (rel.owner or rel.admin):
        raise Forbidden("Only the plan's owner edits a draft.")


def may_submit(rel) -> None:
    if not (rel.owner or rel.admin):
        raise Forbidden("Only the plan's owner may submit it.")


def may_decide(rel) -> None:
    if not (rel.rater or rel.admin):
        raise Forbidden("Only the plan's rater (pejabat penilai) may do this.")


def may_propose_amendment(rel) -> None:
    if not (rel.owner or rel.rater or rel.admin):
        raise Forbidden("Only the plan's owner or rater may propose an amendment.")


def may_withdraw_amendment(actor, amendment, rel) -> None:
    if not (amendment.proposed_by == actor.sub or rel.owner or rel.admin):
        raise Forbidden("Only who proposed the amendment, the plan's owner or an admin may withdraw it.")


def may_see_supportable(actor, person, headed: set[str]) -> None:
    """The results an employee's plan can support: the employee, their raters, the head of their unit, admins."""
    if not (
        actor.is_admin
        or actor.sub in (person.nip, person.rater_nip, person.rater_superior_nip)
        or person.unit_id in headed
    ):
        raise Forbidden("Only the employee, their rater, the head of their unit or an admin may see this.")


def completion_scope(conn, actor, unit_id: str | None, *, today: date) -> set[str] | None:
    """The units whose completion the caller monitors (None: everyone, for an admin without a unit)."""
    if unit_id:
        if not relations_store.unit_exists(conn, unit_id):
            raise NotFound(f"unit {unit_id} does not exist")
        if not actor.is_admin and unit_id not in headed_units(conn, actor, today):
            raise Forbidden("Only the head of this unit (or of a unit above it) or an admin may monitor it.")
        return relations_store.subtree(conn, {unit_id})
    if actor.is_admin:
        return None
    scope = headed_units(conn, actor, today)
    if not scope:
        raise Forbidden("Completion monitoring is for unit heads and admins.")
    return scope


# -- templates -------------------------------------------------------------------------------------------


def may_assign_template(conn, actor, unit_id: str, *, today: date) -> None:
    if not actor.is_admin and unit_id not in headed_units(conn, actor, today):
        raise Forbidden("Only an admin or the head of this unit (or of a unit above it) may assign templates to it.")


# -- directory and action plans


def may_change_directory(actor, what: str = "change the org directory") -> None:
    """Reading the directory is open to every signed-in caller; changing it is for admins (BKPSDM)."""
    require_admin(actor, what)


def plan_of_action_plans(conn, actor, plan_id: str, today: date, *, for_update: bool = False):
    """The plan whose action plans ``actor`` reads or changes, and their relation to it: its owner, rater, the rater's
    superior, a head of its unit or a unit above it, an admin. A plan they may not read is a 404 (not a 403)."""
    plan = store.load_plan(conn, plan_id, for_update=for_update)
    rel = relations_store.relation(actor, plan, headed_units(conn, actor, today)) if plan is not None else None
    if rel is None or not rel.may_read:
        raise NotFound(f"plan {plan_id} does not exist")
    return plan, rel


def may_propose_actions(rel) -> None:
    if not (rel.owner or rel.admin):
        raise Forbidden("Only the plan's owner proposes its action plans.")


def may_agree_actions(rel) -> None:
    if not (rel.rater or rel.admin):
        raise Forbidden("Only the plan's rater (pejabat penilai) agrees or returns its action plans.")


def action_plans_visible_to(conn, actor, today: date):
    """A clause on plans: the action plans ``actor`` may list (None: all, for an admin)."""
    return relations_store.visible_clause(actor, headed_units(conn, actor, today))
