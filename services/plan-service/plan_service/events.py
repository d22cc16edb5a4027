"""The events plan-service publishes, built from its rows (event-carried state transfer).

| event | when | data |
|---|---|---|
| EmployeeUpserted | an employee is created or changed (API or import), or their unit's path/head changes | the employee, unit path, rater, contact, ``effective_date`` of a transfer or rater change |
| UnitHeadAssigned | an acting head (Plt., Plh.) assigned, changed or revoked (API or import); keyed by unit_id | the assignment, ``version`` +1 per change |
| PlanSubmitted | draft → submitted, and again when a submitted plan gets a new rater | plan id, NIP, rater, unit, year |
| PlanApproved | submitted → approved | the whole approved plan (revision 1) |
| PlanReturned | submitted → draft | plan id, NIP, rater, the reason |
| PlanAmended | a new revision of an approved plan: an approved amendment, a rater change, or a transfer that closes it | the whole new revision, ``reason``, ``kind``, ``status`` |
| ActionPlanAgreed | the rater agreed the action plans (rencana aksi) of a plan, or an amendment of them; a plan amendment dropped actions | the whole current set of actions, ``version`` |
"""  # noqa: E501

from __future__ import annotations

from kinerja_shared.events import make_event

SOURCE = "plan-service"


def _iso(value):
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def _get(row, name, default=None):
    if isinstance(row, dict):
        return row.get(name, default)
    return getattr(row, name, default)


def employee_upserted(row: dict, unit, effective_date=None) -> dict:
    data = {
        "nip": row["nip"],
        "name": row["name"],
        "position": row.get("position"),
        "rank": row.get("rank"),
        "grade": row.get("grade"),
        "unit_id": row["unit_id"],
        "unit_name": _get(unit, "name"),
        "unit_path": list(_get(unit, "path") or [row["unit_id"]]),
        "rater_nip": row.get("rater_nip"),
        "rater_superior_nip": row.get("rater_superior_nip"),
        "is_unit_head": _get(unit, "head_nip") == row["nip"],
        "email": row.get("email"),
        "phone": row.get("phone"),
        "functional_coefficient": row.get("functional_coefficient"),
        "functional_level": row.get("functional_level"),
        "siasn_pns_id": row.get("siasn_pns_id"),
        "rank_code": row.get("rank_code"),
        "active": bool(row.get("active", True)),
    }
    if effective_date is not None:
        data["effective_date"] = effective_date.isoformat()
    return make_event("EmployeeUpserted", source_service=SOURCE, subject=row["nip"], partitionkey=row["nip"], data=data)


def unit_head_assigned(row) -> dict:
    """An acting head's assignment as it is now (the latest version of an assignment_id wins)."""
    return make_event(
        "UnitHeadAssigned",
        source_service=SOURCE,
        subject=_get(row, "id"),
        partitionkey=_get(row, "unit_id"),
        data={
            "assignment_id": _get(row, "id"),
            "unit_id": _get(row, "unit_id"),
            "nip": _get(row, "nip"),
            "kind": _get(row, "kind"),
            "valid_from": _get(row, "valid_from").isoformat(),
            "valid_to": _get(row, "valid_to").isoformat() if _get(row, "valid_to") else None,
            "status": _get(row, "status"),
            "version": _get(row, "version"),
            "decree_number": _get(row, "decree_number"),
        },
    )


def plan_data(plan) -> dict:
    content = plan.content
    return {
        "plan_id": plan.id,
        "nip": plan.nip,
        "rater_nip": plan.rater_nip,
        "rater_superior_nip": plan.rater_superior_nip,
        "unit_id": plan.unit_id,
        "year": plan.year,
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "approach": plan.approach,
        "model": plan.model,
        "revision": plan.revision,
        "results": content["results"],
        "behaviours": content["behaviours"],
        "attachments": content.get("attachments", {}),
        "status": plan.status,
        "position": _get(plan, "position"),
        "functional_coefficient": _get(plan, "functional_coefficient"),
    }


def for_transition(action: str, plan) -> dict:
    """The event a status change publishes: submit → PlanSubmitted, approve → PlanApproved, return → PlanReturned."""
    common = dict(source_service=SOURCE, subject=plan.id, partitionkey=plan.nip)
    if action == "submit":
        return make_event(
            "PlanSubmitted",
            **common,
            data={
                "plan_id": plan.id,
                "nip": plan.nip,
                "rater_nip": plan.rater_nip,
                "unit_id": plan.unit_id,
                "year": plan.year,
                "submitted_at": _iso(plan.submitted_at),
                "period_start": plan.period_start.isoformat(),
                "period_end": plan.period_end.isoformat(),
            },
        )
    if action == "approve":
        return make_event(
            "PlanApproved",
            **common,
            data={**plan_data(plan), "approved_at": _iso(plan.approved_at), "approved_by": _get(plan, "approved_by")},
        )
    if action == "return":
        return make_event(
            "PlanReturned",
            **common,
            data={
                "plan_id": plan.id,
                "nip": plan.nip,
                "rater_nip": plan.rater_nip,
                "unit_id": plan.unit_id,
                "year": plan.year,
                "reason": plan.return_reason,
                "returned_at": _iso(plan.updated_at),
            },
        )
    raise ValueError(action)


def plan_amended(
    plan, *, reason: str, kind: str, amended_at, amended_by: str | None, amendment_id: str | None = None
) -> dict:
    """A new revision of an approved plan (amendment, rater change, or the closing of a transfer), whole."""
    return make_event(
        "PlanAmended",
        source_service=SOURCE,
        subject=plan.id,
        partitionkey=plan.nip,
        data={
            **plan_data(plan),
            "reason": reason,
            "kind": kind,
            "amended_at": _iso(amended_at),
            "amended_by": amended_by,
            "amendment_id": amendment_id,
            "approved_at": _iso(plan.approved_at),
            "closed_at": _iso(_get(plan, "closed_at")),
        },
    )


def action_plan_agreed(
    plan, actions: list[dict], *, version: int, agreed_at, agreed_by: str | None, amendment_reason: str | None
) -> dict:
    """The rater agreed the plan's action plans (rencana aksi), or an amendment of them: the whole current set."""
    return make_event(
        "ActionPlanAgreed",
        source_service=SOURCE,
        subject=plan.id,
        partitionkey=plan.nip,
        data={
            "plan_id": plan.id,
            "nip": plan.nip,
            "rater_nip": plan.rater_nip,
            "unit_id": plan.unit_id,
            "year": plan.year,
            "plan_revision": plan.revision,
            "version": version,
            "amendment_reason": amendment_reason,
            "agreed_at": _iso(agreed_at),
            "agreed_by": agreed_by,
            "actions": [
                {
                    k: a.get(k)
                    for k in ("action_id", "result_id", "indicator_id", "period", "text", "target_value", "target_unit")
                }
                for a in actions
            ],
        },
    )
