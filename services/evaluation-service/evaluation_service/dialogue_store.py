"""The SQL of the performance dialogue (dialog kinerja): load, list, history, and what other views read
(the previous period's follow-ups on an evaluation form, the dialogues held in a unit's period)."""

from __future__ import annotations

from sqlalchemy import func, or_, select, update

from . import dialogues as rules
from . import domain
from .dialogue_tables import dialogue_revisions, dialogues
from .models import employees, evaluations, plans


def load(conn, dialogue_id: str, for_update: bool = False):
    query = select(dialogues).where(dialogues.c.id == dialogue_id)
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def plan_for_dialogue(conn, plan_id: str):
    """The plan a dialogue is recorded for, locked on PostgreSQL (one per plan, stage and period, also under
    concurrency); None when the read model does not hold it."""
    query = select(plans).where(plans.c.id == plan_id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def plan(conn, plan_id: str):
    return conn.execute(select(plans).where(plans.c.id == plan_id)).first()


def evaluation(conn, evaluation_id: str | None, plan_id: str | None = None):
    """The evaluation a dialogue belongs to (of ``plan_id`` when given); None without one."""
    if evaluation_id is None:
        return None
    query = select(evaluations).where(evaluations.c.id == evaluation_id)
    if plan_id is not None:
        query = query.where(evaluations.c.plan_id == plan_id)
    return conn.execute(query).first()


def insert(conn, row: dict):
    conn.execute(dialogues.insert().values(**row))
    return load(conn, row["id"])


def update_dialogue(conn, dialogue_id: str, values: dict):
    conn.execute(update(dialogues).where(dialogues.c.id == dialogue_id).values(**values))
    return load(conn, dialogue_id)


def keep_revision(conn, **values) -> None:
    """The confirmed content a correction supersedes, kept in the history."""
    conn.execute(dialogue_revisions.insert().values(**values))


def existing(conn, plan_id: str, stage: str, period_id: str):
    return conn.execute(
        select(dialogues.c.id).where(
            dialogues.c.plan_id == plan_id, dialogues.c.stage == stage, dialogues.c.period_id == period_id
        )
    ).first()


def names(conn, nips) -> dict[str, str]:
    nips = list(nips)
    if not nips:
        return {}
    return dict(conn.execute(select(employees.c.nip, employees.c.name).where(employees.c.nip.in_(nips))).all())


def unknown_nips(conn, nips: list[str]) -> list[str]:
    """The NIPs the directory read model does not hold (active or not)."""
    known = set(names(conn, nips))
    return [n for n in nips if n not in known]


def history(conn, dialogue_id: str) -> list[dict]:
    rows = conn.execute(
        select(dialogue_revisions)
        .where(dialogue_revisions.c.dialogue_id == dialogue_id)
        .order_by(dialogue_revisions.c.revision)
    ).all()
    return [dict(r._mapping) for r in rows]


def page(conn, args: dict, scope_clauses: list | None, after: tuple | None, limit: int):
    """Dialogues newest first by their recording, filtered; ``scope_clauses`` (None: everything) limits
    them to those the caller may read; ``after`` = (recorded_at, id) of the previous page's last one."""
    query = select(dialogues).order_by(dialogues.c.recorded_at.desc(), dialogues.c.id.desc())
    for name in ("plan_id", "period_id", "stage", "status", "nip", "evaluation_id"):
        if args.get(name) is not None:
            query = query.where(dialogues.c[name] == args[name])
    if scope_clauses is not None:
        query = query.where(or_(*scope_clauses))
    if after is not None:
        recorded, last_id = after
        query = query.where(
            or_(dialogues.c.recorded_at < recorded, (dialogues.c.recorded_at == recorded) & (dialogues.c.id < last_id))
        )
    return conn.execute(query.limit(limit + 1)).all()


def scope(conn, nip: str, unit_scope: set[str]) -> list:
    """Who reads which dialogues: the parties, the rater's superior, the heads of the unit's subtree."""
    clauses = [dialogues.c.nip == nip, dialogues.c.rater_nip == nip, dialogues.c.rater_superior_nip == nip]
    if unit_scope:
        clauses.append(dialogues.c.unit_id.in_(unit_scope))
    return clauses


def follow_ups_for(conn, evaluation) -> list[dict]:
    """The confirmed dialogues of the previous period of the employee with agreed follow-ups: shown on the
    evaluation form of ``evaluation`` (the row), oldest first."""
    period = domain.Period(evaluation.period_id, evaluation.period_kind, evaluation.period_start, evaluation.period_end)
    previous = rules.previous_period(period)
    if previous is None:
        return []
    rows = conn.execute(
        select(dialogues)
        .where(
            dialogues.c.nip == evaluation.nip,
            dialogues.c.period_id == previous.id,
            dialogues.c.status == rules.CONFIRMED,
            dialogues.c.follow_ups.isnot(None),
        )
        .order_by(dialogues.c.held_on, dialogues.c.id)
    ).all()
    return [
        {
            "dialogue_id": r.id,
            "period_id": r.period_id,
            "stage": r.stage,
            "held_on": r.held_on.isoformat(),
            "topics": r.topics,
            "follow_ups": r.follow_ups,
            "revision": r.revision,
        }
        for r in rows
    ]


def held(conn, unit_ids: set[str], period_id: str, people: set[str]) -> dict:
    """The unit head's "dialogues held": of ``people`` (the subtree's employees), how many have a confirmed
    dialogue in the period."""
    held_by = (
        set(
            conn.execute(
                select(dialogues.c.nip)
                .where(
                    dialogues.c.period_id == period_id,
                    dialogues.c.status == rules.CONFIRMED,
                    or_(dialogues.c.unit_id.in_(unit_ids), dialogues.c.nip.in_(people)),
                )
                .distinct()
            ).scalars()
        )
        if people
        else set()
    )
    held_by &= people
    waiting = (
        conn.execute(
            select(func.count())
            .select_from(dialogues)
            .where(
                dialogues.c.period_id == period_id,
                dialogues.c.status == rules.RECORDED,
                dialogues.c.unit_id.in_(unit_ids),
            )
        ).scalar_one()
        if unit_ids
        else 0
    )
    return {
        "employees": len(people),
        "held": len(held_by),
        "awaiting_confirmation": waiting,
        "share": round(len(held_by) * 100 / len(people), 1) if people else None,
    }
