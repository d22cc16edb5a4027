"""HTTP API of plan-service: /api/v1/units, /api/v1/employees, /api/v1/plans."""
from __future__ import annotations

import uuid

from flask_smorest import Blueprint
from sqlalchemy import or_, select, update

from kinerja_shared import audit
from kinerja_shared.db import upsert, utcnow
from kinerja_shared.outbox import publish
from kinerja_shared.web.app_factory import current_principal, runtime
from kinerja_shared.web.etag import check_if_match, etag_for
from kinerja_shared.web.pagination import encode_cursor
from kinerja_shared.web.problems import Conflict, Forbidden, NotFound, field_error

from . import domain, events
from .models import employees, plans
from .models import units as units_tbl
from .schemas import EmployeeIn, EmployeeOut, PlanIn, PlanOut, PlanPage, PlanQuery, ReturnIn, UnitIn, UnitOut

units_blp = Blueprint("units", __name__, url_prefix="/api/v1/units", description="Units (OPD and sub-units) as a tree.")
employees_blp = Blueprint("employees", __name__, url_prefix="/api/v1/employees", description="The org directory: employees and their raters.")
plans_blp = Blueprint("plans", __name__, url_prefix="/api/v1/plans", description="Performance plans (SKP) and their lifecycle.")

COMMON_ERRORS = ((401, "No or bad token"), (403, "Not allowed for this caller"))


def _errors(blp, *extra):
    def wrap(fn):
        for code, text in (*COMMON_ERRORS, *extra):
            fn = blp.alt_response(code, description=text)(fn)
        return fn
    return wrap


def _require_admin():
    if not current_principal().is_admin:
        raise Forbidden("Only an admin (BKPSDM) may change the org directory.")


# -- units ---------------------------------------------------------------------------------

@units_blp.route("/<unit_id>", methods=["PUT"])
@units_blp.arguments(UnitIn)
@units_blp.response(200, UnitOut)
@_errors(units_blp, (422, "Invalid unit or unknown parent"))
def put_unit(body, unit_id):
    """Create or update a unit (admin). The parent must exist; the path is computed."""
    _require_admin()
    with runtime().engine.begin() as conn:
        path = [unit_id]
        if body["parent_id"]:
            parent = conn.execute(select(units_tbl.c.path).where(units_tbl.c.id == body["parent_id"])).first()
            if parent is None:
                raise field_error("parent_id", f"unit {body['parent_id']} does not exist")
            if unit_id in parent.path:
                raise field_error("parent_id", "would make the unit its own ancestor")
            path = [*parent.path, unit_id]
        before = conn.execute(select(units_tbl).where(units_tbl.c.id == unit_id)).first()
        row = dict(id=unit_id, name=body["name"], parent_id=body["parent_id"], path=path, head_nip=body["head_nip"], updated_at=utcnow())
        upsert(conn, units_tbl, row, ["id"])
        audit.record(conn, actor=current_principal(), action="unit.upserted", entity_type="unit", entity_id=unit_id,
                     before=dict(before._mapping) if before else None, after=row)
    return row


@units_blp.route("/<unit_id>")
@units_blp.response(200, UnitOut)
@_errors(units_blp, (404, "No such unit"))
def get_unit(unit_id):
    """Read one unit."""
    with runtime().engine.connect() as conn:
        row = conn.execute(select(units_tbl).where(units_tbl.c.id == unit_id)).first()
    if row is None:
        raise NotFound(f"unit {unit_id} does not exist")
    return dict(row._mapping)



# -- employees -----------------------------------------------------------------------------

@employees_blp.route("/<nip>", methods=["PUT"])
@employees_blp.arguments(EmployeeIn)
@employees_blp.response(200, EmployeeOut)
@_errors(employees_blp, (422, "Invalid NIP, unknown unit or rater"))
def put_employee(body, nip):
    """Create or update an employee (admin); publishes EmployeeUpserted."""
    _require_admin()
    problem = domain.nip_problem(nip)
    if problem:
        raise field_error("nip", problem)
    if body["rater_nip"] == nip:
        raise field_error("rater_nip", "an employee cannot rate themself")
    with runtime().engine.begin() as conn:
        unit = conn.execute(select(units_tbl).where(units_tbl.c.id == body["unit_id"])).first()
        if unit is None:
            raise field_error("unit_id", f"unit {body['unit_id']} does not exist")
        before = conn.execute(select(employees).where(employees.c.nip == nip)).first()
        version = (before.version + 1) if before else 1
        row = dict(nip=nip, **body, version=version, updated_at=utcnow())
        upsert(conn, employees, row, ["nip"])
        audit.record(conn, actor=current_principal(), action="employee.upserted", entity_type="employee", entity_id=nip,
                     before=dict(before._mapping) if before else None, after=row)
        publish(conn, events.employee_upserted(row, unit))
    return row, 200, {"ETag": etag_for(nip, version)}


@employees_blp.route("/<nip>")
@employees_blp.response(200, EmployeeOut)
@_errors(employees_blp, (404, "No such employee"))
def get_employee(nip):
    """Read one employee of the directory."""
    with runtime().engine.connect() as conn:
        row = conn.execute(select(employees).where(employees.c.nip == nip)).first()
    if row is None:
        raise NotFound(f"employee {nip} is not in the org directory")
    return dict(row._mapping), 200, {"ETag": etag_for(nip, row.version)}


# -- plans ---------------------------------------------------------------------------------

def _plan_out(row) -> dict:
    out = dict(row._mapping)
    content = out.pop("content")
    out.update(results=content["results"], behaviours=content["behaviours"], attachments=content.get("attachments", {}))
    return out


def _load_plan(conn, plan_id: str, for_update: bool = False):
    query = select(plans).where(plans.c.id == plan_id)
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"plan {plan_id} does not exist")
    return row


def _unit_subtree_ids(conn, unit_id: str | None) -> set[str]:
    if not unit_id:
        return set()
    rows = conn.execute(select(units_tbl.c.id, units_tbl.c.path)).all()
    return {r.id for r in rows if unit_id in r.path}


def _may_read(conn, plan) -> bool:
    p = current_principal()
    if p.is_admin or p.sub in (plan.nip, plan.rater_nip, plan.rater_superior_nip):
        return True
    return p.has("unit_head") and plan.unit_id in _unit_subtree_ids(conn, p.unit)


@plans_blp.route("", methods=["POST"])
@plans_blp.arguments(PlanIn)
@plans_blp.response(201, PlanOut)
@_errors(plans_blp, (422, "Invalid plan content"))
def create_plan(body):
    """Draft a plan (SKP). An employee drafts their own; an admin may draft for anyone."""
    p = current_principal()
    nip = body.get("nip") or p.sub
    if nip != p.sub and not p.is_admin:
        raise Forbidden("You may draft only your own plan.")
    try:
        span = domain.plan_span(body["year"], body["period_start"], body["period_end"])
        domain.check_plan_content(body["approach"], body["model"], body["results"], body["behaviours"])
    except domain.DomainError as exc:
        raise field_error(exc.field, exc.message) from None
    results = []
    for result in body["results"]:
        result = dict(result, result_id=result["result_id"] or _short_id())
        result["indicators"] = [dict(i, indicator_id=i["indicator_id"] or _short_id()) for i in result["indicators"]]
        results.append(result)
    now = utcnow()
    with runtime().engine.begin() as conn:
        emp = conn.execute(select(employees).where(employees.c.nip == nip)).first()
        if emp is None:
            raise field_error("nip", f"{nip} is not in the org directory; ask BKPSDM to import it")
        row = dict(
            id=str(uuid.uuid4()), nip=nip, year=body["year"], period_start=span.start, period_end=span.end,
            approach=body["approach"], model=body["model"], status=domain.DRAFT, rater_nip=emp.rater_nip,
            rater_superior_nip=emp.rater_superior_nip, unit_id=emp.unit_id,
            content={"results": results, "behaviours": body["behaviours"], "attachments": body["attachments"]},
            revision=1, version=1, return_reason=None, created_at=now, updated_at=now, submitted_at=None, approved_at=None,
        )
        conn.execute(plans.insert().values(**row))
        audit.record(conn, actor=p, action="plan.created", entity_type="plan", entity_id=row["id"], after=row["content"])
        created = _load_plan(conn, row["id"])
    return _plan_out(created), 201, {"ETag": etag_for(row["id"], 1), "Location": f"/api/v1/plans/{row['id']}"}


@plans_blp.route("")
@plans_blp.arguments(PlanQuery, location="query")
@plans_blp.response(200, PlanPage)
@_errors(plans_blp)
def list_plans(args):
    """List plans the caller may see, filtered by nip, rater, unit, status, year; newest first."""
    p = current_principal()
    query = select(plans).order_by(plans.c.created_at.desc(), plans.c.id.desc())
    for name in ("nip", "rater_nip", "unit_id", "status", "year"):
        if args.get(name) is not None:
            query = query.where(plans.c[name] == args[name])
    with runtime().engine.connect() as conn:
        if not p.is_admin:
            scope = [plans.c.nip == p.sub, plans.c.rater_nip == p.sub, plans.c.rater_superior_nip == p.sub]
            if p.has("unit_head"):
                scope.append(plans.c.unit_id.in_(_unit_subtree_ids(conn, p.unit)))
            query = query.where(or_(*scope))
        if args.get("cursor"):
            from kinerja_shared.web.pagination import decode_cursor

            created, _, last_id = decode_cursor(args["cursor"]).partition("|")
            query = query.where(or_(plans.c.created_at < created, (plans.c.created_at == created) & (plans.c.id < last_id)))
        rows = conn.execute(query.limit(args["limit"] + 1)).all()
    more = len(rows) > args["limit"]
    rows = rows[: args["limit"]]
    cursor = encode_cursor(f"{rows[-1].created_at.isoformat()}|{rows[-1].id}") if more else None
    return {"items": [_plan_out(r) for r in rows], "next_cursor": cursor}


@plans_blp.route("/<plan_id>")
@plans_blp.response(200, PlanOut)
@_errors(plans_blp, (404, "No such plan"))
def get_plan(plan_id):
    """Read one plan (its owner, rater, rater's superior, the unit head of its unit tree, or an admin)."""
    with runtime().engine.connect() as conn:
        row = _load_plan(conn, plan_id)
        if not _may_read(conn, row):
            raise NotFound(f"plan {plan_id} does not exist")
    return _plan_out(row), 200, {"ETag": etag_for(plan_id, row.version)}


def _transition(plan_id: str, action: str, *, actor_check, reason: str | None = None, extra: dict | None = None):
    p = current_principal()
    now = utcnow()
    with runtime().engine.begin() as conn:
        row = _load_plan(conn, plan_id, for_update=True)
        if not _may_read(conn, row):
            raise NotFound(f"plan {plan_id} does not exist")
        actor_check(p, row)
        check_if_match(plan_id, row.version)
        try:
            status = domain.next_status(action, row.status)
        except domain.TransitionError as exc:
            raise Conflict(str(exc), title="Status does not allow this", current_status=row.status) from None
        values = dict(status=status, version=row.version + 1, updated_at=now, **(extra or {}))
        conn.execute(update(plans).where(plans.c.id == plan_id).values(**values))
        audit.record(conn, actor=p, action=f"plan.{action}", entity_type="plan", entity_id=plan_id,
                     before={"status": row.status}, after={"status": status}, reason=reason)
        updated = _load_plan(conn, plan_id)
        publish(conn, events.for_transition(action, updated))
    return _plan_out(updated), 200, {"ETag": etag_for(plan_id, updated.version)}


def _owner(p, row):
    if p.sub != row.nip and not p.is_admin:
        raise Forbidden("Only the plan's owner may submit it.")


def _rater(p, row):
    if p.sub != row.rater_nip and not p.is_admin:
        raise Forbidden("Only the plan's rater (pejabat penilai) may do this.")


@plans_blp.route("/<plan_id>/submit", methods=["POST"])
@plans_blp.response(200, PlanOut)
@_errors(plans_blp, (404, "No such plan"), (409, "Status does not allow submitting"), (412, "Stale If-Match"))
def submit_plan(plan_id):
    """Submit a draft to the rater (draft → submitted); publishes PlanSubmitted."""
    return _transition(plan_id, "submit", actor_check=_owner, extra={"submitted_at": utcnow()})


@plans_blp.route("/<plan_id>/approve", methods=["POST"])
@plans_blp.response(200, PlanOut)
@_errors(plans_blp, (404, "No such plan"), (409, "Status does not allow approving"), (412, "Stale If-Match"))
def approve_plan(plan_id):
    """Approve a submitted plan (the rater); publishes PlanApproved with the whole plan."""
    return _transition(plan_id, "approve", actor_check=_rater, extra={"approved_at": utcnow()})


@plans_blp.route("/<plan_id>/return", methods=["POST"])
@plans_blp.arguments(ReturnIn)
@plans_blp.response(200, PlanOut)
@_errors(plans_blp, (404, "No such plan"), (409, "Status does not allow returning"), (412, "Stale If-Match"), (422, "Reason missing"))
def return_plan(body, plan_id):
    """Return a submitted plan to draft with the rater's reason; publishes PlanReturned."""
    return _transition(plan_id, "return", actor_check=_rater, reason=body["reason"], extra={"return_reason": body["reason"]})


def _short_id() -> str:
    return uuid.uuid4().hex[:12]
