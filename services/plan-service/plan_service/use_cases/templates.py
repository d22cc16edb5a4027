"""Use cases of plan templates per position (jabatan): manage them (admins), read them (everyone signed in),
and assign one to a unit: a draft for every active employee of it without a plan in force for the year."""

from __future__ import annotations

import uuid
from datetime import date

from kinerja_shared.errors import NotFound, field_error

from .. import access, directory_store, domain, plans_store, relations_store, store, templates_store
from ..refusals import violations
from .plan_content import content, new_plan_row, with_ids
from .plans import VersionCheck, checked_version

WHAT = "manage plan templates"


def template_of(conn, template_id: str, *, for_update: bool = False):
    row = templates_store.load(conn, template_id, for_update=for_update)
    if row is None:
        raise NotFound(f"plan template {template_id} does not exist")
    return row


def _checked_results(body: dict) -> list[dict]:
    results = with_ids(body["results"])
    problems = domain.plan_content_problems(body["approach"], body["model"], results, body["behaviours"])
    problems += [
        (
            f"results.{i}.supports_result_id",
            "a template cannot name a cascade link: each employee links their own results to their rater's plan",
        )
        for i, r in enumerate(results)
        if r.get("supports_result_id")
    ]
    if problems:
        raise violations(problems)
    return results


def _snapshot(row) -> dict:
    m = dict(row._mapping)
    return {k: m[k] for k in ("name", "position", "description", "approach", "model", "content", "version")}


def _fields(body: dict, results: list[dict]) -> dict:
    return dict(
        name=body["name"],
        position=body["position"],
        description=body["description"],
        approach=body["approach"],
        model=body["model"],
        content=content(results, body["behaviours"], body["attachments"]),
    )


def _audit(uow, actor, action: str, template_id: str, before, after, reason: str | None = None) -> None:
    uow.audit(
        actor=actor,
        action=action,
        entity_type="plan_template",
        entity_id=template_id,
        before=before,
        after=after,
        reason=reason,
    )


def create_template(uow, actor, body: dict):
    """A new template for a position (admin)."""
    access.require_admin(actor, WHAT)
    results = _checked_results(body)
    now = uow.now()
    values = dict(
        id=str(uuid.uuid4()), **_fields(body, results), version=1, created_by=actor.sub, created_at=now, updated_at=now
    )
    templates_store.insert(uow.conn, values)
    row = template_of(uow.conn, values["id"])
    _audit(uow, actor, "template.created", row.id, None, _snapshot(row))
    return row


def replace_template(uow, actor, template_id: str, body: dict, *, check_version: VersionCheck = None):
    """Replace a template (admin); plans drafted from it earlier do not change."""
    access.require_admin(actor, WHAT)
    results = _checked_results(body)
    before = template_of(uow.conn, template_id, for_update=True)
    checked_version(check_version, template_id, before.version)
    templates_store.update_template(
        uow.conn, template_id, **_fields(body, results), version=before.version + 1, updated_at=uow.now()
    )
    row = template_of(uow.conn, template_id)
    _audit(uow, actor, "template.updated", template_id, _snapshot(before), _snapshot(row))
    return row


def delete_template(uow, actor, template_id: str, *, check_version: VersionCheck = None) -> None:
    """Delete a template (admin); plans drafted from it keep their content."""
    access.require_admin(actor, WHAT)
    before = template_of(uow.conn, template_id, for_update=True)
    checked_version(check_version, template_id, before.version)
    templates_store.delete(uow.conn, template_id)
    _audit(uow, actor, "template.deleted", template_id, _snapshot(before), None)


def list_templates(uow, actor, *, position: str | None, after: str | None, limit: int) -> tuple[list, bool]:
    """Templates by id (of one position): (rows, whether more follow)."""
    rows = templates_store.page(uow.conn, position=position, after=after, limit=limit + 1)
    return rows[:limit], len(rows) > limit


def get_template(uow, actor, template_id: str):
    return template_of(uow.conn, template_id)


def assign_template(uow, actor, template_id: str, body: dict) -> dict:
    """Draft a plan from the template for every active employee of a unit (admin, or the unit's head); those
    with a plan in force for the year are skipped. A report per employee; one multi-row insert."""
    conn, year, unit_id = uow.conn, body["year"], body["unit_id"]
    template = template_of(conn, template_id)
    if not relations_store.unit_exists(conn, unit_id):
        raise field_error("unit_id", f"unit {unit_id} does not exist")
    access.may_assign_template(conn, actor, unit_id, today=uow.today())
    scope = relations_store.subtree(conn, {unit_id}) if body["include_subunits"] else {unit_id}
    people = directory_store.employees_in(conn, scope)
    if body["only_matching_position"]:
        wanted = template.position.strip().lower()
        people = [e for e in people if (e.position or "").strip().lower() == wanted]
    rows, items = _drafts(conn, template, people, year, uow.now())
    inserted = plans_store.insert_plans_ignoring_open(conn, rows) if rows else set()
    for item in items:
        if item["outcome"] == "created" and item["plan_id"] not in inserted:
            item.update(outcome="skipped", plan_id=None, reason=f"a plan for {year} was drafted meanwhile")
    reason = f"template {template.id} ({template.name}) assigned to unit {unit_id}"
    for r in rows:
        if r["id"] in inserted:
            uow.audit(
                actor=actor,
                action="plan.created",
                entity_type="plan",
                entity_id=r["id"],
                before=None,
                reason=reason,
                after={
                    **{
                        k: r[k]
                        for k in (
                            "nip",
                            "year",
                            "status",
                            "period_start",
                            "period_end",
                            "rater_nip",
                            "unit_id",
                            "approach",
                            "model",
                            "template_id",
                        )
                    },
                    "template_version": template.version,
                },
            )
    _audit(
        uow,
        actor,
        "template.assigned",
        template.id,
        None,
        {
            "unit_id": unit_id,
            "year": year,
            "include_subunits": body["include_subunits"],
            "created": len(inserted),
            "skipped": len(items) - len(inserted),
        },
        reason,
    )
    created = sum(1 for i in items if i["outcome"] == "created")
    return {
        "template_id": template.id,
        "unit_id": unit_id,
        "year": year,
        "created": created,
        "skipped": len(items) - created,
        "items": items,
    }


def _drafts(conn, template, people: list, year: int, now) -> tuple[list[dict], list[dict]]:
    """The new drafts' rows and the report's items (skipped: a plan in force for the year exists)."""
    nips = [e.nip for e in people]
    existing = plans_store.plans_of_year(conn, year, nips) if nips else {}
    since = store.new_post_since_many(conn, nips, year) if nips else {}
    rows, items = [], []
    for emp in people:
        if emp.nip in existing:
            plan = existing[emp.nip]
            items.append(
                {
                    "nip": emp.nip,
                    "name": emp.name,
                    "outcome": "skipped",
                    "plan_id": plan.id,
                    "reason": f"already has a {plan.status} plan for {year}",
                }
            )
            continue
        span = domain.Span(since.get(emp.nip) or date(year, 1, 1), date(year, 12, 31))
        results = with_ids(template.content["results"], fresh=True, keep_cascade=False)
        drafted = content(results, template.content["behaviours"], template.content.get("attachments"))
        row = new_plan_row(
            emp,
            year=year,
            span=span,
            approach=template.approach,
            model=template.model,
            content=drafted,
            now=now,
            template_id=template.id,
        )
        rows.append(row)
        items.append({"nip": emp.nip, "name": emp.name, "outcome": "created", "plan_id": row["id"], "reason": None})
    return rows, items
