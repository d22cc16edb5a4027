"""What every way of drafting a plan shares: ids for results and indicators, the content as stored, a new
plan's row, and the content's rules (structure and cascade) checked against the directory and the rater's plan."""

from __future__ import annotations

import uuid

from kinerja_shared.errors import Conflict, field_error

from .. import domain, plans_store, store
from ..refusals import violations


def short_id() -> str:
    return uuid.uuid4().hex[:12]


def with_ids(results: list[dict], *, fresh: bool = False, keep_cascade: bool = True) -> list[dict]:
    """Results and indicators with their ids: kept when given (edits), new ones otherwise (or always, ``fresh``)."""
    out = []
    for result in results:
        r = {k: result.get(k) for k in ("result_id", "kind", "text", "perspective", "supports_result_id")}
        r["result_id"] = short_id() if fresh or not r["result_id"] else r["result_id"]
        if not keep_cascade:
            r["supports_result_id"] = None
        r["indicators"] = [
            {
                **{
                    k: i.get(k)
                    for k in (
                        "indicator_id",
                        "aspect",
                        "text",
                        "target_value",
                        "target_unit",
                        "measure",
                        "deadline_day",
                    )
                },
                "indicator_id": short_id() if fresh or not i.get("indicator_id") else i["indicator_id"],
            }
            for i in result["indicators"]
        ]
        out.append(r)
    return out


def content(results, behaviours, attachments) -> dict:
    """A plan's (or template's, amendment's) content as stored."""
    return {
        "results": results,
        "behaviours": [{"value": b["value"], "expectation": b.get("expectation") or ""} for b in behaviours],
        "attachments": dict(attachments or {}),
    }


def check_content(
    conn,
    *,
    year: int,
    rater_nip: str | None,
    approach: str,
    model: str,
    results: list[dict],
    behaviours: list[dict],
    require_cascade: bool,
) -> None:
    """The structure rules and the cascade (against the rater's approved plan of the year): 422 with every field."""
    problems = domain.plan_content_problems(approach, model, results, behaviours)
    rp = store.rater_plan(conn, rater_nip, year)
    problems += domain.cascade_problems(
        model,
        results,
        rater_nip=rater_nip,
        rater_plan_id=rp.id if rp else None,
        rater_results={r["result_id"]: r for r in rp.content["results"]} if rp else None,
        year=year,
        require=require_cascade,
    )
    if problems:
        raise violations(problems)


def check_plan(conn, plan, *, require_cascade: bool = True) -> None:
    """A stored plan's content still keeps the rules (on submission and approval)."""
    check_content(
        conn,
        year=plan.year,
        rater_nip=plan.rater_nip,
        approach=plan.approach,
        model=plan.model,
        results=plan.content["results"],
        behaviours=plan.content["behaviours"],
        require_cascade=require_cascade,
    )


def active_employee(conn, nip: str, field: str = "nip"):
    emp = plans_store.employee(conn, nip)
    if emp is None:
        raise field_error(field, f"{nip} is not in the org directory; ask BKPSDM to import it")
    if not emp.active:
        raise field_error(field, f"{nip} is not an active employee")
    return emp


def no_open_plan(conn, nip: str, year: int) -> None:
    existing = store.open_plan(conn, nip, year)
    if existing is not None:
        raise Conflict(
            f"{nip} already has a plan for {year} ({existing.id}, {existing.status}); edit or amend it instead",
            title="A plan for this year exists",
            plan_id=existing.id,
            current_status=existing.status,
        )


def new_plan_row(
    emp,
    *,
    year: int,
    span: domain.Span,
    approach: str,
    model: str,
    content: dict,
    now,
    template_id: str | None = None,
    copied_from: str | None = None,
) -> dict:
    return dict(
        id=str(uuid.uuid4()),
        nip=emp.nip,
        year=year,
        period_start=span.start,
        period_end=span.end,
        approach=approach,
        model=model,
        status=domain.DRAFT,
        rater_nip=emp.rater_nip,
        rater_superior_nip=emp.rater_superior_nip,
        unit_id=emp.unit_id,
        content=content,
        revision=1,
        version=1,
        return_reason=None,
        created_at=now,
        updated_at=now,
        submitted_at=None,
        approved_at=None,
        position=emp.position,
        functional_coefficient=emp.functional_coefficient,
        approved_by=None,
        closed_at=None,
        closed_reason=None,
        template_id=template_id,
        copied_from_plan_id=copied_from,
    )
