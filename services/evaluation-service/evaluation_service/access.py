"""Who may do what in evaluation-service, by relation, from this service's read models (the directory).

A token proves who the caller is and the ``admin`` role, never a unit or a headship: the employee
sees their own evaluations and feedback; the rater (and the rater's superior) those of the people
they rate, and only the rater fills in, submits and closes; the head of a unit — the definitive head
(EmployeeUpserted) or an acting head (Plt./Plh., UnitHeadAssigned) whose span holds today — sees its
subtree (by the units' paths) and calibrates; a unit's organisational predicate is set from above
(the head or acting head of the parent unit; for a top-level unit an admin acting for the PPK), never
by its own head; an admin sees all, reopens, overrides and manages periods. Who may not see an
evaluation gets 404, as if it did not exist.

Every function takes the unit of work (its connection and its clock's today) and the caller.
"""

from __future__ import annotations

from kinerja_shared.errors import Forbidden, InvalidField, NotFound

from . import dialogue_store, realisation_store
from . import dialogues as dialogue_rules
from . import directory_queries as directory
from . import evaluations_store as store

PARENT_HEAD, ACTING_PARENT_HEAD, PPK_ADMIN = "parent_head", "acting_parent_head", "ppk_admin"


# -- heads and scopes ----------------------------------------------------------------------------


def headed_roots(uow, actor) -> set[str]:
    """Units the caller heads, from the directory only: as the definitive head or as an acting head on
    today's local date. A token's unit_head role or unit claim never counts (an IdP's roles lag the HR
    records: a head moved away keeps them for a while)."""
    return directory.units_headed_by(uow.conn, actor.sub) | directory.units_acting_headed_by(
        uow.conn, actor.sub, uow.today()
    )


def unit_scope(uow, actor) -> set[str]:
    """The units the caller heads and every unit below them."""
    return directory.subtree(uow.conn, headed_roots(uow, actor))


def heads_of(uow, unit_id: str) -> list[dict]:
    """Who heads ``unit_id`` today: its definitive head and its acting heads (Plt./Plh.)."""
    found = []
    unit = directory.unit(uow.conn, unit_id)
    if unit is not None and unit.head_nip:
        found.append({"nip": unit.head_nip, "kind": "head", "valid_to": None, "decree_number": None})
    for a in directory.acting_heads_of(uow.conn, unit_id, uow.today()):
        found.append(
            {
                "nip": a.nip,
                "kind": a.kind,
                "valid_to": a.valid_to.isoformat() if a.valid_to else None,
                "decree_number": a.decree_number,
            }
        )
    return found


def require_unit(uow, actor, unit_id: str, what: str) -> None:
    """The head (or acting head) of the unit or of a unit above it, by the directory, or an admin."""
    if not actor.is_admin and unit_id not in unit_scope(uow, actor):
        raise Forbidden(f"Only the head of unit {unit_id} (or of a unit above it) or an admin may {what}.")


def require_admin(actor, message: str) -> None:
    if not actor.is_admin:
        raise Forbidden(message)


# -- evaluations -------------------------------------------------------------------------------------


def may_read(uow, actor, row) -> bool:
    if actor.is_admin or actor.sub in (row.nip, row.rater_nip, row.rater_superior_nip):
        return True
    return row.unit_id in unit_scope(uow, actor)


def readable(uow, actor, evaluation_id: str, for_update: bool = False):
    """The evaluation, when the caller may see it; 404 otherwise (as if it did not exist)."""
    row = store.load(uow.conn, evaluation_id, for_update)
    if row is None or not may_read(uow, actor, row):
        raise NotFound(f"evaluation {evaluation_id} does not exist")
    return row


def require_rater(actor, row, what: str) -> None:
    if actor.sub != row.rater_nip:
        raise Forbidden(f"Only the evaluation's rater (pejabat penilai) may {what}.")


def require_reopener(actor) -> None:
    require_admin(actor, "Only an admin (BKPSDM) may reopen a closed evaluation.")


def may_read_employee(uow, actor, nip: str, emp) -> bool:
    """The employee, their rater or rater's superior, the head (or acting head) of their unit or a unit above,
    an admin."""
    if actor.is_admin or actor.sub == nip:
        return True
    if emp is not None and actor.sub in (emp.rater_nip, emp.rater_superior_nip):
        return True
    if store.rated_by(uow.conn, nip, actor.sub):
        return True
    scope = unit_scope(uow, actor)
    if not scope:
        return False
    if emp is not None and emp.unit_id in scope:
        return True
    return store.evaluated_in(uow.conn, nip, scope)


def require_employee_reader(uow, actor, nip: str, emp) -> None:
    if not may_read_employee(uow, actor, nip, emp):
        raise Forbidden(
            f"Only {nip}, their rater, the head of their unit (or of a unit above it) or an admin may "
            "read their credit points."
        )


# -- continuous feedback -----------------------------------------------------------------------------


def require_feedback_giver(actor, nip: str, emp, own_plans) -> None:
    """Only the employee's rater (by the directory, or by one of their plans) gives them feedback."""
    if not ((emp is not None and emp.rater_nip == actor.sub) or any(pl.rater_nip == actor.sub for pl in own_plans)):
        raise Forbidden(f"Only the rater of {nip} may give them continuous feedback.")


# -- the organisational predicate ------------------------------------------------------------------


def predicate_authority(uow, actor, unit_id: str) -> dict:
    """Who may set ``unit_id``'s organisational predicate, and whether the caller may (SE MenPANRB 03/2023:
    it is set from above). A sub-unit's: the head or an acting head of its parent unit. A top-level
    unit's (an OPD): the PPK, through an admin. Never the unit's own head, whose own results rating
    follows from it. ``reason`` says why the caller may not (None when they may)."""
    unit = directory.unit(uow.conn, unit_id)
    path = list(unit.path or []) if unit is not None else [unit_id]
    parent = path[-2] if len(path) > 1 else None
    own = heads_of(uow, unit_id)
    if parent is None:
        rule, holders = PPK_ADMIN, []
        allowed, basis = actor.is_admin, PPK_ADMIN if actor.is_admin else None
        who = "the PPK, through an admin (BKPSDM), as it is a top-level unit (OPD)"
    else:
        rule, holders = PARENT_HEAD, heads_of(uow, parent)
        mine = [h for h in holders if h["nip"] == actor.sub]
        allowed = bool(mine)
        basis = (PARENT_HEAD if any(h["kind"] == "head" for h in mine) else ACTING_PARENT_HEAD) if mine else None
        who = f"the head or acting head of unit {parent}, the unit above it"
    reason = None
    if any(h["nip"] == actor.sub for h in own):
        allowed, basis = False, None
        reason = (
            f"The head of unit {unit_id} may not set its own organisational predicate (it becomes their own "
            f"results rating); it is set by {who}."
        )
    elif not allowed:
        reason = f"Only {who} may set the organisational predicate of unit {unit_id}."
    return {
        "unit_id": unit_id,
        "rule": rule,
        "parent_unit_id": parent,
        "set_by": holders,
        "may_set": allowed,
        "authority": basis,
        "reason": reason,
    }


def require_predicate_authority(uow, actor, unit_id: str) -> dict:
    authority = predicate_authority(uow, actor, unit_id)
    if not authority["may_set"]:
        raise Forbidden(
            authority["reason"],
            title="Not the unit's predicate authority",
            rule=authority["rule"],
            parent_unit_id=authority["parent_unit_id"],
            set_by=[h["nip"] for h in authority["set_by"]],
        )
    return authority


def require_calibrator(uow, actor, unit_id: str, override_reason: str | None) -> None:
    """The head of the unit (or above) or an admin finalises; only an admin overrides the rules."""
    require_unit(uow, actor, unit_id, "finalise its calibration")
    if override_reason and not actor.is_admin:
        raise Forbidden("Only an admin may override the distribution rules.")


# -- periods -------------------------------------------------------------------------------------------


def require_period_manager(actor) -> None:
    require_admin(actor, "Only an admin (BKPSDM) may manage periods.")


def require_period_opener(actor) -> None:
    require_admin(actor, "Only an admin (BKPSDM) may open periods.")


# -- realisation, dialogues and documents ------------------------------------------------------------
# The units a head reads and who reads an employee's credit points are the evaluations' rules (api.py's
# _unit_scope and _may_read_employee); these name who may act on a realisation, a dialogue, a document.


def _evaluations():
    from . import api  # api.py builds on the realisation (its form shows it): imported when first asked

    return api


def headed_units(conn, actor) -> set[str]:
    """The units the caller heads (or heads acting), with their sub-units."""
    return _evaluations()._unit_scope(conn, actor)


def may_see(conn, actor, row) -> bool:
    """An evaluation's or a dialogue's readers: the employee, the rater, the rater's superior, the heads of the
    unit's subtree, admins."""
    if actor.is_admin or actor.sub in (row.nip, row.rater_nip, row.rater_superior_nip):
        return True
    return row.unit_id in headed_units(conn, actor)


def readable_evaluation(conn, actor, evaluation_id: str, *, for_update: bool = False):
    """The evaluation row, if the caller may read it; else 404 as if it did not exist."""
    row = realisation_store.evaluation(conn, evaluation_id, for_update)
    if row is None or not may_see(conn, actor, row):
        raise NotFound(f"evaluation {evaluation_id} does not exist")
    return row


def employee_only(actor, row, what: str) -> None:
    """The employee's own realisation: only they save, upload, submit."""
    if actor.sub != row.nip:
        raise Forbidden(f"Only the employee ({row.nip}) may {what} their realisation.")


def rater_only(actor, row, what: str) -> None:
    """The evaluation's rater: returns the realisation, fills in the form."""
    require_rater(actor, row, what)


def readable_dialogue(conn, actor, dialogue_id: str, *, for_update: bool = False):
    row = dialogue_store.load(conn, dialogue_id, for_update)
    if row is None or not may_see(conn, actor, row):
        raise NotFound(f"dialogue {dialogue_id} does not exist")
    return row


def dialogue_plan(conn, actor, plan_id: str):
    """The plan a new dialogue belongs to, locked: one the caller reads (else 422 naming plan_id)."""
    plan = dialogue_store.plan_for_dialogue(conn, plan_id)
    if plan is None or not may_see(conn, actor, plan):
        raise InvalidField("plan_id", f"{plan_id} is not an approved plan you take part in")
    return plan


def dialogue_party(actor, nip: str, rater_nip: str) -> str:
    """Which party the caller is (employee or rater); others read only (403)."""
    party = dialogue_rules.party_of(actor.sub, nip, rater_nip)
    if party is None:
        raise Forbidden(
            "Only the employee and their rater may record, edit or confirm their dialogue; others may read it."
        )
    return party


def unit_reader(conn, actor, unit_id: str, what: str) -> None:
    """The head (or acting head) of the unit or of a unit above it, by the directory, or an admin."""
    if not actor.is_admin and unit_id not in headed_units(conn, actor):
        raise Forbidden(f"Only the head of unit {unit_id} (or of a unit above it) or an admin may {what}.")


def credit_reader(conn, actor, nip: str, emp) -> None:
    """Who reads an employee's credit points (and their PAK)."""
    if not _evaluations()._may_read_employee(conn, nip, emp, actor):
        raise Forbidden(
            f"Only {nip}, their rater, the head of their unit (or of a unit above it) or an admin may "
            "read their credit points."
        )


def document_jobs_admin(actor) -> None:
    if not actor.is_admin:
        raise Forbidden("Only an admin may generate a unit's documents in bulk.")
