"""Storage of action plans (rencana aksi) with SQLAlchemy Core: the set's state, its working actions, the
agreed versions. Called inside the HTTP layer's transaction (the change, its audit rows and its event commit
together)."""
from __future__ import annotations

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.engine import Connection

from kinerja_shared.outbox import publish

from . import action_plans as ap
from . import events, store
from .models import action_plan_versions, action_plans, plan_actions

# The reason of an agreed version made by a plan amendment (shown to the employee and the rater as it is).
DROPPED_REASON = ("Perubahan SKP (revisi {revision}): aksi pada hasil kerja atau indikator yang dihapus tidak berlaku "
                  "lagi")
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
        conn.execute(action_plans.insert().values(plan_id=plan_id, status=ap.DRAFT, agreed_version=0, version=1,
                                                  updated_at=now))
        row = load_state(conn, plan_id, for_update=True)
    return row


def bump_state(conn: Connection, state, now, **values):
    conn.execute(update(action_plans).where(action_plans.c.plan_id == state.plan_id)
                 .values(version=state.version + 1, updated_at=now, **values))
    return load_state(conn, state.plan_id)


def working_set(conn: Connection, plan_id: str, *, period: str | None = None, result_id: str | None = None,
                after: str | None = None, limit: int | None = None) -> list:
    query = select(plan_actions).where(plan_actions.c.plan_id == plan_id)
    if period:
        query = query.where(plan_actions.c.period == period)
    if result_id:
        query = query.where(plan_actions.c.result_id == result_id)
    if after:
        last_period, _, last_id = after.partition("|")
        query = query.where(or_(plan_actions.c.period > last_period,
                                and_(plan_actions.c.period == last_period, plan_actions.c.id > last_id)))
    query = query.order_by(plan_actions.c.period, plan_actions.c.id)
    if limit:
        query = query.limit(limit)
    return conn.execute(query).all()


def count_actions(conn: Connection, plan_id: str) -> int:
    return conn.execute(select(func.count()).select_from(plan_actions).where(plan_actions.c.plan_id == plan_id)).scalar()


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
    return conn.execute(select(action_plan_versions).where(action_plan_versions.c.plan_id == plan_id)
                        .order_by(action_plan_versions.c.version)).all()


def agreed(conn: Connection, plan_id: str, version: int):
    if not version:
        return None
    return conn.execute(select(action_plan_versions).where(action_plan_versions.c.plan_id == plan_id,
                                                           action_plan_versions.c.version == version)).first()


def record_agreement(conn: Connection, plan, state, actions: list[dict], *, kind: str, actor: str, now,
                     amendment_reason: str | None, dropped: list[dict] | None = None, keep_open: bool = False):
    """A new agreed version of the set: kept whole, published as ActionPlanAgreed; the state says agreed (unless
    ``keep_open``: an amendment of the set being prepared stays open, on top of the new version)."""
    version = state.agreed_version + 1
    conn.execute(action_plan_versions.insert().values(
        plan_id=plan.id, version=version, kind=kind, plan_revision=plan.revision, actions=actions, dropped=dropped,
        amendment_reason=amendment_reason, agreed_by=actor, agreed_at=now))
    values = dict(agreed_version=version, agreed_at=now, agreed_by=actor, dropped=dropped)
    if not keep_open:
        values.update(status=ap.AGREED, amendment_reason=None, return_reason=None)
    updated = bump_state(conn, state, now, **values)
    publish(conn, events.action_plan_agreed(plan, actions, version=version, agreed_at=now, agreed_by=store.as_nip(actor),
                                            amendment_reason=amendment_reason))
    return updated


def on_plan_amended(conn: Connection, plan, *, actor, now) -> list[dict]:
    """A new revision of an approved plan: the actions whose result or indicator it removed (or whose period left its
    span) leave the working set; an agreed set is agreed again without them (version + 1, kind plan_amendment).
    Returns the dropped actions (empty: nothing changed)."""
    state = load_state(conn, plan.id, for_update=True)
    if state is None:
        return []
    working = [action_dict(r) for r in working_set(conn, plan.id)]
    _, dropped_working = ap.split_by_plan(plan.content, plan.period_start, plan.period_end, working)
    delete_actions(conn, plan.id, [a["action_id"] for a in dropped_working])
    current = agreed(conn, plan.id, state.agreed_version)
    dropped = list(dropped_working)
    if current is not None:
        kept, dropped_agreed = ap.split_by_plan(plan.content, plan.period_start, plan.period_end, current.actions)
        known = {a["action_id"] for a in dropped}
        dropped += [a for a in dropped_agreed if a["action_id"] not in known]
        if dropped_agreed:
            record_agreement(conn, plan, state, kept, kind="plan_amendment", actor=actor.sub, now=now,
                             amendment_reason=DROPPED_REASON.format(revision=plan.revision), dropped=dropped,
                             keep_open=state.status != ap.AGREED)
        elif dropped:
            bump_state(conn, state, now, dropped=dropped)
    elif dropped:
        bump_state(conn, state, now, dropped=dropped)
    if dropped:
        store.audit_many(conn, actor, [{"action": "action_plan.dropped", "entity_type": "plan", "entity_id": plan.id,
                                        "before": {"actions": dropped}, "after": {"plan_revision": plan.revision},
                                        "reason": "plan amendment removed their result or indicator"}])
    return dropped
