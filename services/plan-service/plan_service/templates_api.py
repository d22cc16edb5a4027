"""HTTP API of plan templates per position: /api/v1/plan-templates, and their bulk assignment to a unit.

Templates are managed by admins and readable by everyone signed in. Assigning one to a unit
(admins, or the head of that unit) drafts a plan from it for every active employee of the
unit who has no plan in force for the year yet: one request, one transaction, one multi-row
insert, a report per employee.
"""
from __future__ import annotations

import uuid
from datetime import date

from flask_smorest import Blueprint
from sqlalchemy import select, text, update

from kinerja_shared.db import utcnow
from kinerja_shared.web.app_factory import current_principal, runtime
from kinerja_shared.web.etag import etag_for, if_match_documented, require_if_match
from kinerja_shared.web.pagination import decode_cursor, encode_cursor
from kinerja_shared.web.problems import Forbidden, NotFound, field_error

from . import domain, store
from .models import plan_templates, plans
from .plans_api import _content, _new_plan_row, with_ids
from .schemas import AssignIn, AssignOut, TemplateIn, TemplateOut, TemplatePage, TemplateQuery
from .web import errors, headed_units, require_admin, violations

templates_blp = Blueprint("plan_templates", __name__, url_prefix="/api/v1/plan-templates",
                          description="Plan templates per position (jabatan), assigned in bulk to every employee of a unit.")


def template_out(row) -> dict:
    out = dict(row._mapping)
    content = out.pop("content")
    out.update(results=content["results"], behaviours=content["behaviours"], attachments=content.get("attachments") or {})
    return out


def _check_template(body: dict) -> list[dict]:
    results = with_ids(body["results"])
    problems = domain.plan_content_problems(body["approach"], body["model"], results, body["behaviours"])
    problems += [(f"results.{i}.supports_result_id", "a template cannot name a cascade link: each employee links "
                                                      "their own results to their rater's plan")
                 for i, r in enumerate(results) if r.get("supports_result_id")]
    if problems:
        raise violations(problems)
    return results


def _load(conn, template_id: str, *, for_update: bool = False):
    query = select(plan_templates).where(plan_templates.c.id == template_id)
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"plan template {template_id} does not exist")
    return row


def _snapshot(row) -> dict:
    m = dict(row._mapping)
    return {k: m[k] for k in ("name", "position", "description", "approach", "model", "content", "version")}


@templates_blp.route("", methods=["POST"])
@templates_blp.arguments(TemplateIn)
@templates_blp.response(201, TemplateOut)
@errors(templates_blp, (422, "Invalid template content"))
def create_template(body):
    """Create a plan template for a position (admin)."""
    require_admin("manage plan templates")
    results = _check_template(body)
    now = utcnow()
    values = dict(id=str(uuid.uuid4()), name=body["name"], position=body["position"], description=body["description"],
                  approach=body["approach"], model=body["model"],
                  content=_content(results, body["behaviours"], body["attachments"]), version=1,
                  created_by=current_principal().sub, created_at=now, updated_at=now)
    with runtime().engine.begin() as conn:
        conn.execute(plan_templates.insert().values(**values))
        row = _load(conn, values["id"])
        store.audit_many(conn, current_principal(), [{"action": "template.created", "entity_type": "plan_template",
                                                      "entity_id": row.id, "before": None, "after": _snapshot(row)}])
    return template_out(row), 201, {"ETag": etag_for(row.id, 1), "Location": f"/api/v1/plan-templates/{row.id}"}


@templates_blp.route("")
@templates_blp.arguments(TemplateQuery, location="query")
@templates_blp.response(200, TemplatePage)
@errors(templates_blp, (422, "Bad filter or cursor"))
def list_templates(args):
    """List plan templates, optionally for one position."""
    query = select(plan_templates).order_by(plan_templates.c.id)
    if args.get("position"):
        query = query.where(plan_templates.c.position == args["position"])
    if args.get("cursor"):
        query = query.where(plan_templates.c.id > decode_cursor(args["cursor"]))
    with runtime().engine.connect() as conn:
        rows = conn.execute(query.limit(args["limit"] + 1)).all()
    more = len(rows) > args["limit"]
    rows = rows[: args["limit"]]
    return {"items": [template_out(r) for r in rows], "next_cursor": encode_cursor(rows[-1].id) if more and rows else None}


@templates_blp.route("/<template_id>")
@templates_blp.response(200, TemplateOut)
@errors(templates_blp, (404, "No such template"))
def get_template(template_id):
    """Read one plan template."""
    with runtime().engine.connect() as conn:
        row = _load(conn, template_id)
    return template_out(row), 200, {"ETag": etag_for(row.id, row.version)}


@templates_blp.route("/<template_id>", methods=["PUT"])
@templates_blp.arguments(TemplateIn)
@templates_blp.response(200, TemplateOut)
@errors(templates_blp, (404, "No such template"), (422, "Invalid template content"))
@if_match_documented(templates_blp)
def replace_template(body, template_id):
    """Replace a plan template (admin). Plans drafted from it earlier do not change."""
    require_admin("manage plan templates")
    results = _check_template(body)
    with runtime().engine.begin() as conn:
        before = _load(conn, template_id, for_update=True)
        require_if_match(template_id, before.version)
        conn.execute(update(plan_templates).where(plan_templates.c.id == template_id).values(
            name=body["name"], position=body["position"], description=body["description"], approach=body["approach"],
            model=body["model"], content=_content(results, body["behaviours"], body["attachments"]),
            version=before.version + 1, updated_at=utcnow()))
        row = _load(conn, template_id)
        store.audit_many(conn, current_principal(), [{"action": "template.updated", "entity_type": "plan_template",
                                                      "entity_id": template_id, "before": _snapshot(before),
                                                      "after": _snapshot(row)}])
    return template_out(row), 200, {"ETag": etag_for(row.id, row.version)}


@templates_blp.route("/<template_id>", methods=["DELETE"])
@templates_blp.response(204)
@errors(templates_blp, (404, "No such template"))
@if_match_documented(templates_blp)
def delete_template(template_id):
    """Delete a plan template (admin). Plans drafted from it keep their content."""
    require_admin("manage plan templates")
    with runtime().engine.begin() as conn:
        before = _load(conn, template_id, for_update=True)
        require_if_match(template_id, before.version)
        conn.execute(plan_templates.delete().where(plan_templates.c.id == template_id))
        store.audit_many(conn, current_principal(), [{"action": "template.deleted", "entity_type": "plan_template",
                                                      "entity_id": template_id, "before": _snapshot(before), "after": None}])
    return None


def _insert_ignoring_open(conn, rows: list[dict]) -> set[str]:
    """Insert the drafts with one executemany; a plan another request created meanwhile wins (skipped).

    Returns the ids actually inserted (ON CONFLICT DO NOTHING on the one-plan-per-year index).
    """
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(plans).on_conflict_do_nothing(index_elements=["nip", "year"], index_where=text("status <> 'closed'"))
    conn.execute(stmt, rows)
    ids = [r["id"] for r in rows]
    return {r.id for r in conn.execute(select(plans.c.id).where(plans.c.id.in_(ids)))}


@templates_blp.route("/<template_id>/assign", methods=["POST"])
@templates_blp.arguments(AssignIn)
@templates_blp.response(200, AssignOut)
@errors(templates_blp, (404, "No such template"), (422, "Unknown unit, or a year out of range"))
def assign_template(body, template_id):
    """Draft a plan from the template for every active employee of a unit (admin, or the unit's head).

    Employees who already have a plan in force for the year are skipped; each one is reported
    (``created`` with the new draft's id, or ``skipped`` with the reason). Each draft gets its
    own result and indicator ids, the employee's rater and unit, and the whole year (or from the
    employee's transfer on). One transaction.
    """
    p = current_principal()
    year = body["year"]
    now = utcnow()
    with runtime().engine.begin() as conn:
        template = _load(conn, template_id)
        unit_rows = store.all_units(conn)
        if body["unit_id"] not in unit_rows:
            raise field_error("unit_id", f"unit {body['unit_id']} does not exist")
        if not p.is_admin and body["unit_id"] not in headed_units(conn):
            raise Forbidden("Only an admin or the head of this unit (or of a unit above it) may assign templates to it.")
        scope = store.subtree(conn, {body["unit_id"]}, unit_rows) if body["include_subunits"] else {body["unit_id"]}
        people = store.employees_in(conn, scope)
        if body["only_matching_position"]:
            wanted = template.position.strip().lower()
            people = [e for e in people if (e.position or "").strip().lower() == wanted]
        nips = [e.nip for e in people]
        existing = {r.nip: r for r in conn.execute(select(plans.c.nip, plans.c.id, plans.c.status).where(
            plans.c.year == year, plans.c.status != domain.CLOSED, plans.c.nip.in_(nips)))} if nips else {}
        since = store.new_post_since_many(conn, nips, year) if nips else {}
        content = template.content
        rows, items = [], []
        for emp in people:
            if emp.nip in existing:
                plan = existing[emp.nip]
                items.append({"nip": emp.nip, "name": emp.name, "outcome": "skipped", "plan_id": plan.id,
                              "reason": f"already has a {plan.status} plan for {year}"})
                continue
            span = domain.Span(since.get(emp.nip) or date(year, 1, 1), date(year, 12, 31))
            results = with_ids(content["results"], fresh=True, keep_cascade=False)
            row = _new_plan_row(emp, year=year, span=span, approach=template.approach, model=template.model,
                                content=_content(results, content["behaviours"], content.get("attachments")), now=now,
                                template_id=template.id)
            rows.append(row)
            items.append({"nip": emp.nip, "name": emp.name, "outcome": "created", "plan_id": row["id"], "reason": None})
        inserted = _insert_ignoring_open(conn, rows) if rows else set()
        for item in items:
            if item["outcome"] == "created" and item["plan_id"] not in inserted:
                item.update(outcome="skipped", plan_id=None, reason=f"a plan for {year} was drafted meanwhile")
        reason = f"template {template.id} ({template.name}) assigned to unit {body['unit_id']}"
        store.audit_many(conn, p, [
            {"action": "plan.created", "entity_type": "plan", "entity_id": r["id"], "before": None, "reason": reason,
             "after": {**{k: r[k] for k in ("nip", "year", "status", "period_start", "period_end", "rater_nip", "unit_id",
                                            "approach", "model", "template_id")}, "template_version": template.version}}
            for r in rows if r["id"] in inserted
        ] + [{"action": "template.assigned", "entity_type": "plan_template", "entity_id": template.id, "before": None,
              "after": {"unit_id": body["unit_id"], "year": year, "include_subunits": body["include_subunits"],
                        "created": len(inserted), "skipped": len(items) - len(inserted)}, "reason": reason}])
    created = sum(1 for i in items if i["outcome"] == "created")
    return {"template_id": template.id, "unit_id": body["unit_id"], "year": year, "created": created,
            "skipped": len(items) - created, "items": items}
