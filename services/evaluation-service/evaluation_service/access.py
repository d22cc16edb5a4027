"""Who may do what in evaluation-service: every access check, called by the use cases."""


# -- realisation, dialogues and documents ------------------------------------------------------------
# The units a head reads and who reads an employee's credit points are the evaluations' rules (api.py's
# _unit_scope and _may_read_employee); these name who may act on a realisation, a dialogue, a document.

from kinerja_shared.errors import Forbidden, InvalidField, NotFound  # noqa: E402

from . import dialogue_store, realisation_store  # noqa: E402
from . import dialogues as dialogue_rules  # noqa: E402


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
    if actor.sub != row.rater_nip:
        raise Forbidden(f"Only the evaluation's rater (pejabat penilai) may {what}.")


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
        raise Forbidden("Only the employee and their rater may record, edit or confirm their dialogue; "
                        "others may read it.")
    return party


def unit_reader(conn, actor, unit_id: str, what: str) -> None:
    """The head (or acting head) of the unit or of a unit above it, by the directory, or an admin."""
    if not actor.is_admin and unit_id not in headed_units(conn, actor):
        raise Forbidden(f"Only the head of unit {unit_id} (or of a unit above it) or an admin may {what}.")


def credit_reader(conn, actor, nip: str, emp) -> None:
    """Who reads an employee's credit points (and their PAK)."""
    if not _evaluations()._may_read_employee(conn, nip, emp, actor):
        raise Forbidden(f"Only {nip}, their rater, the head of their unit (or of a unit above it) or an admin may "
                        "read their credit points.")


def document_jobs_admin(actor) -> None:
    if not actor.is_admin:
        raise Forbidden("Only an admin may generate a unit's documents in bulk.")
