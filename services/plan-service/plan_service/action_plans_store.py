"""Storage of action plans (rencana aksi) with SQLAlchemy Core: the set's state, its working actions, the
agreed versions, the lists of sets. Called by use_cases/action_plans.py inside its unit of work (which writes the
audit rows and the events with the change)."""

from __future__ import annotations

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.engine import Connection

from . import action_plans as ap
from .models import action_plan_versions, action_plans, employees, plan_actions, plans

ACTION_FIELDS = ("result_id", "indicator_id", "period", "text", "target_value", "target_unit")


def action_dict(row) -> dict:
    m = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
    return {"action_id": m.get("action_id") or m["id"], **{k: m.get(k) for k in ACTION_FIELDS}}


def load_state(conn: Connection, plan_id: str, *, for_update: bool = False):
    query = select(action_plans).where(action_plans.c.plan_id == plan_id)
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def ensure_state(conn: Connection, plan_id: str, now):
    """The set's state row, created (draft, never agreed) on the first write."""
    row = load_state(conn, plan_id, for_update=True)
    if row is None:
        conn.execute(
            action_plans.insert().values(plan_id=plan_id, status=ap.DRAFT, agreed_version=0, version=1, updated_at=now)
        )
        row = load_state(conn, plan_id, for_update=True)
    return row


def bump_state(conn: Connection, state, now, **values):
    conn.execute(
        update(action_plans)
        .where(action_plans.c.plan_id == state.plan_id)
        .values(version=state.version + 1, updated_at=now, **values)
    )
    return load_state(conn, state.plan_id)


def working_set(
    conn: Connection,
    plan_id: str,
    *,
    period: str | None = None,
    result_id: str | None = None,
    after: str | None = None,
    limit: int | None = None,
) -> list:
    query = select(plan_actions).where(plan_actions.c.plan_id == plan_id)
    if period:
        query = query.where(plan_actions.c.period == period)
    if result_id:
        query = query.where(plan_actions.c.result_id == result_id)
    if after:
        last_period, _, last_id = after.partition("|")
        query = query.where(
            or_(
                plan_actions.c.period > last_period,
                and_(plan_actions.c.period == last_period, plan_actions.c.id > last_id),
            )
        )
    query = query.order_by(plan_actions.c.period, plan_actions.c.id)
    if limit:
        query = query.limit(limit)
    return conn.execute(query).all()


def count_actions(conn: Connection, plan_id: str) -> int:
    query = select(func.count()).select_from(plan_actions).where(plan_actions.c.plan_id == plan_id)
    return conn.execute(query).scalar()


def load_action(conn: Connection, plan_id: str, action_id: str, *, for_update: bool = False):
    query = select(plan_actions).where(plan_actions.c.plan_id == plan_id, plan_actions.c.id == action_id)
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def insert_action(conn: Connection, values: dict) -> None:
    conn.execute(plan_actions.insert().values(**values))


def update_action(conn: Connection, action_id: str, values: dict) -> None:
    conn.execute(update(plan_actions).where(plan_actions.c.id == action_id).values(**values))


def delete_actions(conn: Connection, plan_id: str, action_ids: list[str]) -> None:
    if action_ids:
        conn.execute(delete(plan_actions).where(plan_actions.c.plan_id == plan_id, plan_actions.c.id.in_(action_ids)))


def versions(conn: Connection, plan_id: str) -> list:
    return conn.execute(
        select(action_plan_versions)
        .where(action_plan_versions.c.plan_id == plan_id)
        .order_by(action_plan_versions.c.version)
    ).all()


def agreed(conn: Connection, plan_id: str, version: int):
    if not version:
        return None
    return conn.execute(
        select(action_plan_versions).where(
            action_plan_versions.c.plan_id == plan_id, action_plan_versions.c.version == version
        )
    ).first()


def record_agreement(
    conn: Connection,
    plan,
    state,
    actions: list[dict],
    *,
    kind: str,
    actor: str,
    now,
    amendment_reason: str | None,
    dropped: list[dict] | None = None,
    keep_open: bool = False,
):
    """A new agreed version of the set, kept whole; the state says agreed (unless ``keep_open``: an amendment of the
    set being prepared stays open, on top of the new version). Returns the state as it is now."""
    version = state.agreed_version + 1
    conn.execute(
        action_plan_versions.insert().values(
            plan_id=plan.id,
            version=version,
            kind=kind,
            plan_revision=plan.revision,
            actions=actions,
            dropped=dropped,
            amendment_reason=amendment_reason,
            agreed_by=actor,
            agreed_at=now,
        )
    )
    values = dict(agreed_version=version, agreed_at=now, agreed_by=actor, dropped=dropped)
    if not keep_open:
        values.update(status=ap.AGREED, amendment_reason=None, return_reason=None)
    return bump_state(conn, state, now, **values)


def summaries(conn: Connection, filters: dict, *, visible, after: str | None, limit: int) -> list:
    """The action plans by plan id with their owner's name and the number of working actions; ``filters``: status,
    year, nip, rater_nip; ``visible``: a clause on plans (None: all)."""
    count = (
        select(func.count())
        .select_from(plan_actions)
        .where(plan_actions.c.plan_id == action_plans.c.plan_id)
        .scalar_subquery()
    )
    query = (
        select(
            action_plans.c.plan_id,
            plans.c.nip,
            employees.c.name,
            plans.c.rater_nip,
            plans.c.year,
            action_plans.c.status,
            action_plans.c.agreed_version,
            action_plans.c.amendment_reason,
            action_plans.c.submitted_at,
            count.label("actions"),
        )
        .join(plans, plans.c.id == action_plans.c.plan_id)
        .outerjoin(employees, employees.c.nip == plans.c.nip)
        .order_by(action_plans.c.plan_id)
    )
    columns = {
        "status": action_plans.c.status,
        "year": plans.c.year,
        "nip": plans.c.nip,
        "rater_nip": plans.c.rater_nip,
    }
    for name, value in filters.items():
        query = query.where(columns[name] == value)
    if after:
        query = query.where(action_plans.c.plan_id > after)
    if visible is not None:
        query = query.where(visible)
    return conn.execute(query.limit(limit)).all()


def on_plan_amended(conn: Connection, plan, *, actor, now) -> list[dict]:
    """plans_api's call inside its own transaction: use_cases.action_plans.drop_invalid_actions in a unit of work
    joining it (the audit rows and ActionPlanAgreed written at once). Returns the dropped actions."""
    from kinerja_shared.uow import UnitOfWork

    from .use_cases.action_plans import drop_invalid_actions

    with UnitOfWork.joining(conn) as uow:
        return drop_invalid_actions(uow, actor, plan)
