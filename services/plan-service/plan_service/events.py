"""The events plan-service publishes, built from its rows (event-carried state transfer)."""
from __future__ import annotations

from kinerja_shared.events import make_event

SOURCE = "plan-service"


def _iso(value):
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def employee_upserted(row: dict, unit) -> dict:
    return make_event(
        "EmployeeUpserted", source_service=SOURCE, subject=row["nip"], partitionkey=row["nip"],
        data={
            "nip": row["nip"], "name": row["name"], "position": row.get("position"), "rank": row.get("rank"),
            "grade": row.get("grade"), "unit_id": row["unit_id"], "unit_name": unit.name, "unit_path": list(unit.path),
            "rater_nip": row.get("rater_nip"), "rater_superior_nip": row.get("rater_superior_nip"),
            "is_unit_head": unit.head_nip == row["nip"], "email": row.get("email"), "phone": row.get("phone"),
            "functional_coefficient": row.get("functional_coefficient"), "active": bool(row.get("active", True)),
        },
    )


def plan_data(plan) -> dict:
    content = plan.content
    return {
        "plan_id": plan.id, "nip": plan.nip, "rater_nip": plan.rater_nip, "rater_superior_nip": plan.rater_superior_nip,
        "unit_id": plan.unit_id, "year": plan.year, "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(), "approach": plan.approach, "model": plan.model,
        "revision": plan.revision, "results": content["results"], "behaviours": content["behaviours"],
        "attachments": content.get("attachments", {}),
    }


def for_transition(action: str, plan) -> dict:
    """The event a status change publishes: submit → PlanSubmitted, approve → PlanApproved, return → PlanReturned."""
    common = dict(source_service=SOURCE, subject=plan.id, partitionkey=plan.nip)
    if action == "submit":
        return make_event("PlanSubmitted", **common, data={
            "plan_id": plan.id, "nip": plan.nip, "rater_nip": plan.rater_nip, "unit_id": plan.unit_id, "year": plan.year,
            "submitted_at": _iso(plan.submitted_at)})
    if action == "approve":
        return make_event("PlanApproved", **common, data={**plan_data(plan), "approved_at": _iso(plan.approved_at)})
    if action == "return":
        return make_event("PlanReturned", **common, data={
            "plan_id": plan.id, "nip": plan.nip, "rater_nip": plan.rater_nip, "unit_id": plan.unit_id, "year": plan.year,
            "reason": plan.return_reason, "returned_at": _iso(plan.updated_at)})
    raise ValueError(action)
