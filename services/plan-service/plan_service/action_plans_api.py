"""HTTP API of action plans (rencana aksi): /api/v1/plans/{plan_id}/actions, /api/v1/plans/{plan_id}/action-plan
and /api/v1/plans/action-plans (the sets a caller may see, e.g. a rater's to agree).

Access, by the plan (access.py): its owner proposes (adds, edits, removes actions while the set is a draft;
submits; opens an amendment of the agreed set); its rater agrees or returns the submitted set; the rater's
superior and the heads of the plan's unit and the units above it read; an admin does all. A plan the caller may
not read is a 404, an action they may not take a 403. Each route calls one use case (use_cases/action_plans.py).
"""

from __future__ import annotations

from flask_smorest import Blueprint

from kinerja_shared.web.app_factory import current_principal, unit_of_work
from kinerja_shared.web.etag import check_if_match, etag_for, if_match_documented, require_if_match

from . import action_plans_messages  # noqa: F401  (the texts in Bahasa Indonesia)
from .action_plans_schemas import (
    ActionIn,
    ActionOut,
    ActionPage,
    ActionPatch,
    ActionPlanAmendIn,
    ActionPlanOut,
    ActionPlanPage,
    ActionPlanQuery,
    ActionPlanReturnIn,
    ActionPlanVersionList,
    ActionQuery,
)
from .use_cases import action_plans as use_cases
from .web import errors

action_plans_blp = Blueprint(
    "action_plans",
    __name__,
    url_prefix="/api/v1",
    description="Action plans (rencana aksi): per approved plan, result and month or quarter, "
    "the actions the employee will take; proposed by the employee, agreed by the "
    "rater, changed by recorded amendments (ActionPlanAgreed).",
)

NOT_FOUND = (404, "No such plan or action (or not visible to you)")
STALE = (412, "Stale If-Match")
NOT_APPROVED = (409, "The plan is not approved, or the set's status does not allow this")


def _set_answer(out: dict):
    return out, 200, {"ETag": etag_for(use_cases.etag_id(out["plan_id"]), out["version"])}


def _action_answer(out: dict, status: int = 200, **headers):
    return out, status, {"ETag": etag_for(out["action_id"], out["version"]), **headers}


# -- reading -----------------------------------------------------------------------------------


@action_plans_blp.route("/plans/<plan_id>/action-plan")
@action_plans_blp.response(200, ActionPlanOut)
@errors(action_plans_blp, NOT_FOUND)
def get_action_plan(plan_id):
    """The plan's action plans: status, the working set, the agreed set in force, the plan's months and quarters,
    and the actions a plan amendment dropped (readers of the plan)."""
    with unit_of_work() as uow:
        return _set_answer(use_cases.get_action_plan(uow, current_principal(), plan_id))


@action_plans_blp.route("/plans/<plan_id>/actions")
@action_plans_blp.arguments(ActionQuery, location="query")
@action_plans_blp.response(200, ActionPage)
@errors(action_plans_blp, NOT_FOUND, (422, "Bad filter or cursor"))
def list_actions(args, plan_id):
    """The plan's actions by period, paged: the working set (default) or the agreed set in force (``set=agreed``);
    filter by ``period`` (YYYY-MM or YYYY-Qn) and ``result_id``."""
    with unit_of_work() as uow:
        return use_cases.list_actions(uow, current_principal(), plan_id, args)


@action_plans_blp.route("/plans/<plan_id>/actions/<action_id>")
@action_plans_blp.response(200, ActionOut)
@errors(action_plans_blp, NOT_FOUND)
def get_action(plan_id, action_id):
    """One action of the working set, with its ETag."""
    with unit_of_work() as uow:
        return _action_answer(use_cases.get_action(uow, current_principal(), plan_id, action_id))


@action_plans_blp.route("/plans/<plan_id>/action-plan/versions")
@action_plans_blp.response(200, ActionPlanVersionList)
@errors(action_plans_blp, NOT_FOUND)
def list_versions(plan_id):
    """Every agreed set of the plan, whole, oldest first: the history of its action plans and their amendments."""
    with unit_of_work() as uow:
        return use_cases.list_versions(uow, current_principal(), plan_id)


@action_plans_blp.route("/plans/action-plans")
@action_plans_blp.arguments(ActionPlanQuery, location="query")
@action_plans_blp.response(200, ActionPlanPage)
@errors(action_plans_blp, (422, "Bad filter or cursor"))
def list_action_plans(args):
    """The action plans the caller may see (a rater: ``?rater_nip=<own NIP>&status=submitted`` is what awaits
    agreement), by plan; filter by status, year, nip, rater."""
    with unit_of_work() as uow:
        return use_cases.list_action_plans(uow, current_principal(), args)


# -- proposing (the owner) ----------------------------------------------------------------------


@action_plans_blp.route("/plans/<plan_id>/actions", methods=["POST"])
@action_plans_blp.arguments(ActionIn)
@action_plans_blp.response(201, ActionOut)
@errors(
    action_plans_blp,
    NOT_FOUND,
    NOT_APPROVED,
    (
        422,
        "Unknown indicator, a result that is not the indicator's, a period outside the plan's span, a unit other "
        "than the indicator's, or a missing target",
    ),
)
def create_action(body, plan_id):
    """Add an action to the plan's proposed set (its owner, while the set is a draft)."""
    with unit_of_work() as uow:
        out = use_cases.add_action(uow, current_principal(), plan_id, body)
    return _action_answer(out, 201, Location=f"/api/v1/plans/{plan_id}/actions/{out['action_id']}")


@action_plans_blp.route("/plans/<plan_id>/actions/<action_id>", methods=["PATCH"])
@action_plans_blp.arguments(ActionPatch)
@action_plans_blp.response(200, ActionOut)
@errors(action_plans_blp, NOT_FOUND, NOT_APPROVED, (422, "A rule is broken (see POST)"))
@if_match_documented(action_plans_blp)
def edit_action(body, plan_id, action_id):
    """Change an action of the proposed set (its owner, while the set is a draft). Send If-Match."""
    with unit_of_work() as uow:
        out = use_cases.change_action(
            uow, current_principal(), plan_id, action_id, body, check_version=require_if_match
        )
    return _action_answer(out)


@action_plans_blp.route("/plans/<plan_id>/actions/<action_id>", methods=["DELETE"])
@action_plans_blp.response(204)
@errors(action_plans_blp, NOT_FOUND, NOT_APPROVED)
@if_match_documented(action_plans_blp)
def delete_action(plan_id, action_id):
    """Remove an action from the proposed set (its owner, while the set is a draft). Send If-Match."""
    with unit_of_work() as uow:
        use_cases.remove_action(uow, current_principal(), plan_id, action_id, check_version=require_if_match)
    return ""


@action_plans_blp.route("/plans/<plan_id>/action-plan/submit", methods=["POST"])
@action_plans_blp.response(200, ActionPlanOut)
@errors(action_plans_blp, NOT_FOUND, NOT_APPROVED, STALE, (422, "No action, or an action no longer fits the plan"))
def submit_action_plan(plan_id):
    """Propose the set to the rater (draft → submitted; its owner)."""
    with unit_of_work() as uow:
        return _set_answer(
            use_cases.submit_action_plan(uow, current_principal(), plan_id, check_version=check_if_match)
        )


# -- agreeing (the rater) ------------------------------------------------------------------------


@action_plans_blp.route("/plans/<plan_id>/action-plan/agree", methods=["POST"])
@action_plans_blp.response(200, ActionPlanOut)
@errors(action_plans_blp, NOT_FOUND, NOT_APPROVED, STALE, (422, "An action no longer fits the plan"))
def agree_action_plan(plan_id):
    """Agree the whole proposed set (the plan's rater): it becomes the agreed set in force (version + 1, the
    earlier one kept under /versions); publishes ActionPlanAgreed with the whole set."""
    with unit_of_work() as uow:
        return _set_answer(use_cases.agree_action_plan(uow, current_principal(), plan_id, check_version=check_if_match))


@action_plans_blp.route("/plans/<plan_id>/action-plan/return", methods=["POST"])
@action_plans_blp.arguments(ActionPlanReturnIn)
@action_plans_blp.response(200, ActionPlanOut)
@errors(action_plans_blp, NOT_FOUND, NOT_APPROVED, STALE, (422, "Reason missing"))
def return_action_plan(body, plan_id):
    """Return the proposed set to the employee with a reason (the plan's rater): submitted → draft."""
    with unit_of_work() as uow:
        return _set_answer(
            use_cases.return_action_plan(
                uow, current_principal(), plan_id, body["reason"], check_version=check_if_match
            )
        )


@action_plans_blp.route("/plans/<plan_id>/action-plan/amend", methods=["POST"])
@action_plans_blp.arguments(ActionPlanAmendIn)
@action_plans_blp.response(200, ActionPlanOut)
@errors(action_plans_blp, NOT_FOUND, NOT_APPROVED, STALE, (422, "Reason missing"))
def amend_action_plan(body, plan_id):
    """Open a recorded amendment of the agreed set, with its reason (its owner): the set is a draft again, to edit
    and propose; the agreed set stays in force until the rater agrees the amended one (version + 1)."""
    with unit_of_work() as uow:
        return _set_answer(
            use_cases.amend_action_plan(uow, current_principal(), plan_id, body["reason"], check_version=check_if_match)
        )
