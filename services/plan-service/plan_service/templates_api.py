"""HTTP API of plan templates per position: /api/v1/plan-templates, and their bulk assignment to a unit.

Templates are managed by admins and readable by everyone signed in. Assigning one to a unit
(admins, or the head of that unit) drafts a plan from it for every active employee of the
unit who has no plan in force for the year yet: one request, one transaction, one multi-row
insert, a report per employee. The work is use_cases.templates'.
"""

from __future__ import annotations

from flask_smorest import Blueprint

from kinerja_shared.web.app_factory import current_principal, unit_of_work
from kinerja_shared.web.etag import if_match_documented, require_if_match
from kinerja_shared.web.pagination import decode_cursor, encode_cursor

from .templates_schemas import AssignIn, AssignOut, TemplateIn, TemplateOut, TemplatePage, TemplateQuery
from .use_cases import templates
from .web import created, errors, etag, flattened

templates_blp = Blueprint(
    "plan_templates",
    __name__,
    url_prefix="/api/v1/plan-templates",
    description="Plan templates per position (jabatan), assigned in bulk to every employee of a unit.",
)

NO_TEMPLATE = (404, "No such template")
template_out = flattened


@templates_blp.route("", methods=["POST"])
@templates_blp.arguments(TemplateIn)
@templates_blp.response(201, TemplateOut)
@errors(templates_blp, (422, "Invalid template content"))
def create_template(body):
    """Create a plan template for a position (admin)."""
    with unit_of_work() as uow:
        row = templates.create_template(uow, current_principal(), body)
    return template_out(row), 201, created(row, f"/api/v1/plan-templates/{row.id}")


@templates_blp.route("")
@templates_blp.arguments(TemplateQuery, location="query")
@templates_blp.response(200, TemplatePage)
@errors(templates_blp, (422, "Bad filter or cursor"))
def list_templates(args):
    """List plan templates, optionally for one position."""
    after = decode_cursor(args["cursor"]) if args.get("cursor") else None
    with unit_of_work() as uow:
        rows, more = templates.list_templates(
            uow, current_principal(), position=args.get("position"), after=after, limit=args["limit"]
        )
    return {
        "items": [template_out(r) for r in rows],
        "next_cursor": encode_cursor(rows[-1].id) if more and rows else None,
    }


@templates_blp.route("/<template_id>")
@templates_blp.response(200, TemplateOut)
@errors(templates_blp, NO_TEMPLATE)
def get_template(template_id):
    """Read one plan template."""
    with unit_of_work() as uow:
        row = templates.get_template(uow, current_principal(), template_id)
    return template_out(row), 200, etag(row)


@templates_blp.route("/<template_id>", methods=["PUT"])
@templates_blp.arguments(TemplateIn)
@templates_blp.response(200, TemplateOut)
@errors(templates_blp, NO_TEMPLATE, (422, "Invalid template content"))
@if_match_documented(templates_blp)
def replace_template(body, template_id):
    """Replace a plan template (admin). Plans drafted from it earlier do not change."""
    with unit_of_work() as uow:
        row = templates.replace_template(uow, current_principal(), template_id, body, check_version=require_if_match)
    return template_out(row), 200, etag(row)


@templates_blp.route("/<template_id>", methods=["DELETE"])
@templates_blp.response(204)
@errors(templates_blp, NO_TEMPLATE)
@if_match_documented(templates_blp)
def delete_template(template_id):
    """Delete a plan template (admin). Plans drafted from it keep their content."""
    with unit_of_work() as uow:
        templates.delete_template(uow, current_principal(), template_id, check_version=require_if_match)
    return None


@templates_blp.route("/<template_id>/assign", methods=["POST"])
@templates_blp.arguments(AssignIn)
@templates_blp.response(200, AssignOut)
@errors(templates_blp, NO_TEMPLATE, (422, "Unknown unit, or a year out of range"))
def assign_template(body, template_id):
    """Draft a plan from the template for every active employee of a unit (admin, or the unit's head).

    Employees who already have a plan in force for the year are skipped; each one is reported
    (``created`` with the new draft's id, or ``skipped`` with the reason). Each draft gets its
    own result and indicator ids, the employee's rater and unit, and the whole year (or from the
    employee's transfer on). One transaction.
    """
    with unit_of_work() as uow:
        return templates.assign_template(uow, current_principal(), template_id, body)
