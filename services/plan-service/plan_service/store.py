"""Storage of plan-service with SQLAlchemy Core: plan revisions, directory changes (the relations for access:
relations_store).

The HTTP layer (the *_api modules) calls these inside its transaction; each function that
changes state also writes its audit rows and its events (through the outbox) on the same
connection, so the change, its trail and its events commit together.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.engine import Connection

from kinerja_shared import audit
from kinerja_shared.db import utcnow
from kinerja_shared.outbox import publish

from . import domain, events
from .importer import ImportPlan
from .models import acting_heads, employee_changes, employees, plan_amendments, plan_revisions, plans, units
from .relations_store import set_unit_paths, units_by_id

NIP_RE = re.compile(r"^[0-9]{18}$")


def as_nip(sub: str | None) -> str | None:
    """The caller as a NIP for event fields that must hold one (an admin's sub may be another id)."""
    return sub if sub and NIP_RE.match(sub) else None


# -- audit, in batches ---------------------------------------------------------------------------


def audit_many(conn: Connection, actor, entries: list[dict]) -> None:
    """Insert audit rows (action, entity_type, entity_id, before, after, reason) in one statement:
    bulk operations write hundreds, through the common library's audit.entry / record_many."""
    audit.record_many(conn, [audit.entry(actor=actor, **e) for e in entries])


def plan_snapshot(row) -> dict:
    """What an audit row keeps of a plan: everything a reader needs to see the change."""
    m = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
    return {
        k: m.get(k)
        for k in (
            "status",
            "revision",
            "version",
            "rater_nip",
            "rater_superior_nip",
            "unit_id",
            "period_start",
            "period_end",
            "approach",
            "model",
            "content",
            "return_reason",
            "closed_reason",
        )
    }


# -- plans -----------------------------------------------------------------------------------------


def load_plan(conn: Connection, plan_id: str, *, for_update: bool = False):
    query = select(plans).where(plans.c.id == plan_id)
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def open_plan(conn: Connection, nip: str, year: int):
    return conn.execute(
        select(plans).where(plans.c.nip == nip, plans.c.year == year, plans.c.status != domain.CLOSED)
    ).first()


def new_post_since(conn: Connection, nip: str, year: int) -> date | None:
    """The effective date of the employee's last transfer in ``year``: a new post's plan starts there."""
    return conn.execute(
        select(func.max(employee_changes.c.effective_date)).where(
            employee_changes.c.nip == nip,
            employee_changes.c.field == "unit_id",
            employee_changes.c.effective_date >= date(year, 1, 1),
            employee_changes.c.effective_date <= date(year, 12, 31),
        )
    ).scalar()


def new_post_since_many(conn: Connection, nips: list[str], year: int) -> dict[str, date]:
    rows = conn.execute(
        select(employee_changes.c.nip, func.max(employee_changes.c.effective_date))
        .where(
            employee_changes.c.nip.in_(nips),
            employee_changes.c.field == "unit_id",
            employee_changes.c.effective_date >= date(year, 1, 1),
            employee_changes.c.effective_date <= date(year, 12, 31),
        )
        .group_by(employee_changes.c.nip)
    )
    return {nip: day for nip, day in rows}


def rater_plan(conn: Connection, rater_nip: str | None, year: int):
    """The rater's approved plan of that year: the results a JA_JF plan's results must support."""
    if not rater_nip:
        return None
    return conn.execute(
        select(plans).where(plans.c.nip == rater_nip, plans.c.year == year, plans.c.status == domain.APPROVED)
    ).first()


def revision_row(plan, *, kind: str, reason: str | None, actor: str, amendment_id: str | None = None, now=None) -> dict:
    return dict(
        plan_id=plan.id,
        revision=plan.revision,
        kind=kind,
        reason=reason,
        status=plan.status,
        period_start=plan.period_start,
        period_end=plan.period_end,
        approach=plan.approach,
        model=plan.model,
        rater_nip=plan.rater_nip,
        rater_superior_nip=plan.rater_superior_nip,
        unit_id=plan.unit_id,
        content=plan.content,
        amendment_id=amendment_id,
        recorded_by=actor,
        recorded_at=now or utcnow(),
    )


def insert_revisions(conn: Connection, rows: list[dict]) -> None:
    """Keep many revisions (rows of ``revision_row``) in one statement."""
    if rows:
        conn.execute(plan_revisions.insert(), rows)


def record_revision(
    conn: Connection, plan, *, kind: str, reason: str | None, actor: str, amendment_id: str | None = None, now=None
) -> None:
    """Keep the plan's current revision whole in plan_revisions (recorded ``now``: the unit of work's clock)."""
    conn.execute(
        plan_revisions.insert().values(
            **revision_row(plan, kind=kind, reason=reason, actor=actor, amendment_id=amendment_id, now=now)
        )
    )


def cancel_pending_amendments(conn: Connection, reasons: dict[str, str], actor: str, now=None) -> dict[str, list[str]]:
    """Cancel the proposed amendments of the plans in ``reasons`` (plan id → why); returns them per plan."""
    pending: dict[str, list[str]] = {}
    for chunk in _chunks(sorted(reasons)):
        for r in conn.execute(
            select(plan_amendments.c.id, plan_amendments.c.plan_id).where(
                plan_amendments.c.plan_id.in_(chunk), plan_amendments.c.status == domain.PROPOSED
            )
        ):
            pending.setdefault(r.plan_id, []).append(r.id)
    if pending:
        conn.execute(
            update(plan_amendments)
            .where(plan_amendments.c.id == bindparam("b_id"))
            .values(
                status=domain.CANCELLED,
                decided_by=actor,
                decided_at=now or utcnow(),
                decision_reason=bindparam("v_reason"),
                version=plan_amendments.c.version + 1,
            ),
            [{"b_id": a, "v_reason": reasons[plan_id]} for plan_id, ids in pending.items() for a in ids],
        )
    return pending


def _chunks(items: list, size: int = 5000):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def plans_in_force(conn: Connection, changes: dict[str, tuple[date, str]], *extra) -> list:
    """The plans not closed of the employees in ``changes`` (NIP → (effective date, reason)) that
    reach the effective date, locked in id order (so two imports cannot deadlock)."""
    found = []
    for chunk in _chunks(sorted(changes)):
        query = (
            select(plans).where(plans.c.nip.in_(chunk), plans.c.status != domain.CLOSED, *extra).order_by(plans.c.id)
        )
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        found += [r for r in conn.execute(query) if r.period_end >= changes[r.nip][0]]
    return found


def update_plans(conn: Connection, values_by_id: dict[str, dict]) -> dict:
    """One executemany UPDATE of many plans (same columns each), then the rows as they are now."""
    if not values_by_id:
        return {}
    columns = sorted(next(iter(values_by_id.values())))
    conn.execute(
        update(plans).where(plans.c.id == bindparam("b_id")).values(**{c: bindparam(f"v_{c}") for c in columns}),
        [{"b_id": plan_id, **{f"v_{c}": v[c] for c in columns}} for plan_id, v in values_by_id.items()],
    )
    after = {}
    for chunk in _chunks(sorted(values_by_id)):
        after.update({r.id: r for r in conn.execute(select(plans).where(plans.c.id.in_(chunk)))})
    return after


def close_for_transfers(conn: Connection, actor, transfers: dict[str, tuple[date, str]]) -> list[str]:
    """Transfers end the plans of the old posts (use_cases.plan_transfers.close_for_transfers, in the caller's
    transaction): the plan ids closed."""
    from kinerja_shared.uow import UnitOfWork

    from .use_cases import plan_transfers

    with UnitOfWork.joining(conn) as uow:
        return plan_transfers.close_for_transfers(uow, actor, transfers)


def retarget_plans(conn: Connection, actor, changes: dict[str, tuple[str | None, str | None, date, str]]) -> list[str]:
    """New raters take over the plans still in force (use_cases.plan_transfers.retarget_plans, in the caller's
    transaction): the plan ids handed over."""
    from kinerja_shared.uow import UnitOfWork

    from .use_cases import plan_transfers

    with UnitOfWork.joining(conn) as uow:
        return plan_transfers.retarget_plans(uow, actor, changes)


# -- the org directory ------------------------------------------------------------------------------


def existing_units(conn: Connection) -> dict[str, dict]:
    return {
        r.id: {"name": r.name, "parent_id": r.parent_id, "path": list(r.path or []), "head_nip": r.head_nip}
        for r in conn.execute(select(units))
    }


def existing_employees(conn: Connection, nips: set[str]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    ordered = sorted(nips)
    for i in range(0, len(ordered), 5000):
        for r in conn.execute(select(employees).where(employees.c.nip.in_(ordered[i : i + 5000]))):
            found[r.nip] = dict(r._mapping)
    return found


EMPLOYEE_COLUMNS = domain.EMPLOYEE_FIELDS


def apply_directory(conn: Connection, actor, plan: ImportPlan, *, source: str, reason: str | None) -> dict:
    """Carry out a checked directory change (one unit or employee from the API, or a whole import).

    Writes units and employees, the history of unit and rater changes with their effective
    dates, closes the plans of transferred employees, hands plans to new raters, publishes
    EmployeeUpserted for every employee whose published state changed, and audits each change.
    """
    now = utcnow()
    audit_rows: list[dict] = []
    changed_units = plan.changed_units
    for op in changed_units:
        values = dict(
            name=op.after["name"],
            parent_id=op.after["parent_id"],
            path=op.after["path"],
            head_nip=op.after["head_nip"],
            updated_at=now,
        )
        if op.action == "created":
            conn.execute(units.insert().values(id=op.id, **values))
        else:
            conn.execute(update(units).where(units.c.id == op.id).values(**values))
        audit_rows.append(
            {
                "action": f"unit.{op.action}",
                "entity_type": "unit",
                "entity_id": op.id,
                "before": op.before,
                "after": op.after,
                "reason": reason,
            }
        )

    set_unit_paths(conn, {op.id: op.after["path"] for op in changed_units})  # the closure (a subtree's read)
    created = [op for op in plan.employees if op.action == "created"]
    updated = [op for op in plan.employees if op.action == "updated"]
    if created:
        conn.execute(
            employees.insert(),
            [
                {**{c: op.after.get(c) for c in EMPLOYEE_COLUMNS}, "nip": op.nip, "version": 1, "updated_at": now}
                for op in created
            ],
        )
    if updated:
        stmt = (
            update(employees)
            .where(employees.c.nip == bindparam("b_nip"))
            .values(
                **{c: bindparam(f"v_{c}") for c in EMPLOYEE_COLUMNS}, version=bindparam("v_version"), updated_at=now
            )
        )
        conn.execute(
            stmt,
            [
                {
                    "b_nip": op.nip,
                    **{f"v_{c}": op.after.get(c) for c in EMPLOYEE_COLUMNS},
                    "v_version": op.before["version"] + 1,
                }
                for op in updated
            ],
        )
    history = [
        dict(
            nip=op.nip,
            field=f,
            old_value=op.before.get(f),
            new_value=op.after.get(f),
            effective_date=op.effective_date,
            reason=reason,
            source=source,
            recorded_by=actor.sub,
            recorded_at=now,
        )
        for op in updated
        for f in op.tracked_changes
    ]
    if history:
        conn.execute(employee_changes.insert(), history)

    transfers: dict[str, tuple[date, str]] = {}
    rater_changes: dict[str, tuple[str | None, str | None, date, str]] = {}
    for op in updated:
        if domain.is_transfer(op.before, op.after):
            why = reason or f"transfer from unit {op.before['unit_id']} to {op.after['unit_id']}"
            transfers[op.nip] = (op.effective_date, f"{why} (effective {op.effective_date.isoformat()})")
        elif {"rater_nip", "rater_superior_nip"} & set(op.changed):
            why = reason or f"rater changed from {op.before.get('rater_nip')} to {op.after.get('rater_nip')}"
            rater_changes[op.nip] = (
                op.after.get("rater_nip"),
                op.after.get("rater_superior_nip"),
                op.effective_date,
                f"{why} (effective {op.effective_date.isoformat()})",
            )
    closed = close_for_transfers(conn, actor, transfers)
    retargeted = retarget_plans(conn, actor, rater_changes)
    for op in created + updated:
        audit_rows.append(
            {
                "action": f"employee.{op.action}",
                "entity_type": "employee",
                "entity_id": op.nip,
                "before": op.before,
                "after": {**op.after, "effective_date": op.effective_date, "changed": op.changed},
                "reason": reason,
            }
        )

    # EmployeeUpserted: the changed employees, and those whose unit moved, was renamed or got another head.
    to_publish: dict[str, tuple[dict, date | None]] = {
        op.nip: (op.after, op.effective_date if op.tracked_changes else None) for op in created + updated
    }
    touched = {op.id for op in changed_units}
    heads = {n for op in changed_units for n in ((op.before or {}).get("head_nip"), op.after.get("head_nip")) if n}
    if touched or heads:
        query = select(employees).where(
            or_(employees.c.unit_id.in_(sorted(touched)), employees.c.nip.in_(sorted(heads)))
        )
        for r in conn.execute(query):
            to_publish.setdefault(r.nip, (dict(r._mapping), None))
    unit_rows = units_by_id(conn, {row["unit_id"] for row, _ in to_publish.values()})
    batch = [
        events.employee_upserted(row, unit_rows[row["unit_id"]], effective)
        for row, effective in to_publish.values()
        if row["unit_id"] in unit_rows
    ]
    publish(conn, *batch)
    audit_many(conn, actor, audit_rows)
    acting = plan.changed_acting_heads
    for op in acting:
        save_acting(conn, actor, op.before, op.after, action=op.action, reason=reason)
    return {"events_published": len(batch) + len(acting), "plans_closed": closed, "plans_retargeted": retargeted}


# -- acting heads (Plt., Plh.) ---------------------------------------------------------------------

ACTING_SNAPSHOT = ("unit_id", "nip", "kind", "valid_from", "valid_to", "decree_number", "reason", "status", "version")


def acting_snapshot(row) -> dict:
    m = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
    return {k: (m.get(k).isoformat() if hasattr(m.get(k), "isoformat") else m.get(k)) for k in ACTING_SNAPSHOT}


def active_assignments(conn: Connection, unit_ids: set[str], *, lock: bool = False) -> list[dict]:
    """The active acting heads of ``unit_ids`` (rows as dicts); ``lock``: locked until the transaction ends."""
    if not unit_ids:
        return []
    query = (
        select(acting_heads)
        .where(acting_heads.c.unit_id.in_(sorted(unit_ids)), acting_heads.c.status == domain.ACTIVE)
        .order_by(acting_heads.c.id)
    )
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return [dict(r._mapping) for r in conn.execute(query)]


def lock_unit(conn: Connection, unit_id: str):
    """The unit's row, locked (PostgreSQL) so two writers of its acting heads go one after the other."""
    query = select(units).where(units.c.id == unit_id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def save_acting(conn: Connection, actor, before: dict | None, after: dict, *, action: str, reason: str | None):
    """Write one acting head (created, updated or revoked): the row with version + 1, its audit row and
    UnitHeadAssigned through the outbox, on the caller's transaction. Returns the row as stored."""
    now = utcnow()
    if before is None:
        assignment_id = after.get("id") or str(uuid.uuid4())
        conn.execute(
            acting_heads.insert().values(
                id=assignment_id,
                **{
                    k: after.get(k)
                    for k in ("unit_id", "nip", "kind", "valid_from", "valid_to", "decree_number", "reason")
                },
                status=domain.ACTIVE,
                version=1,
                created_by=actor.sub,
                created_at=now,
                updated_at=now,
            )
        )
    else:
        assignment_id = before["id"]
        values = {k: after[k] for k in ("kind", "valid_from", "valid_to", "decree_number", "reason") if k in after}
        if action == "revoked":
            values.update(status=domain.REVOKED, revoked_by=actor.sub, revoked_at=now, revoke_reason=reason)
        conn.execute(
            update(acting_heads)
            .where(acting_heads.c.id == assignment_id)
            .values(**values, version=before["version"] + 1, updated_at=now)
        )
    row = conn.execute(select(acting_heads).where(acting_heads.c.id == assignment_id)).first()
    audit_many(
        conn,
        actor,
        [
            {
                "action": f"acting_head.{action}",
                "entity_type": "acting_head",
                "entity_id": assignment_id,
                "before": acting_snapshot(before) if before else None,
                "after": acting_snapshot(row),
                "reason": reason,
            }
        ],
    )
    publish(conn, events.unit_head_assigned(row))
    return row


def and_all(*clauses):
    clauses = [c for c in clauses if c is not None]
    return and_(*clauses) if clauses else None
