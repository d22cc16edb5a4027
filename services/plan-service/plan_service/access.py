"""Who may do what in plan-service: every access check, called by the use cases."""
from __future__ import annotations

from datetime import date

from kinerja_shared.errors import Forbidden, NotFound

from . import store


# -- directory and action plans

def may_change_directory(actor, what: str = "change the org directory") -> None:
    """Reading the directory is open to every signed-in caller; changing it is for admins (BKPSDM)."""
    if not actor.is_admin:
        raise Forbidden(f"Only an admin (BKPSDM) may {what}.")


def headed_units_of(conn, actor, today: date) -> set[str]:
    """The units (with their subtrees) ``actor`` heads on ``today`` by the directory (definitive or acting head)."""
    return store.subtree(conn, store.headed_roots(conn, actor, today))


def plan_of_action_plans(conn, actor, plan_id: str, today: date, *, for_update: bool = False):
    """The plan whose action plans ``actor`` reads or changes, and their relation to it: its owner, rater, the rater's
    superior, a head of its unit or a unit above it, an admin. A plan they may not read is a 404 (not a 403)."""
    plan = store.load_plan(conn, plan_id, for_update=for_update)
    rel = store.relation(actor, plan, headed_units_of(conn, actor, today)) if plan is not None else None
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
    return store.visible_clause(actor, headed_units_of(conn, actor, today))
