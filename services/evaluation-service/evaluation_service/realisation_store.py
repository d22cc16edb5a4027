"""SQL of the employee's realisation: the self-assessment rows, their uploaded files, and the
activities' evidence read model (filled from ActivityLogged / Updated / Corrected)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from kinerja_shared.bulk_insert import insert_rows
from kinerja_shared.consumer import current_scope
from kinerja_shared.db import insert_ignore, upsert, utcnow

from .models import activities, evaluations
from .realisation_tables import activity_evidence, realisation_files, self_assessments


def load(conn: Connection, evaluation_id: str, for_update: bool = False):
    query = select(self_assessments).where(self_assessments.c.evaluation_id == evaluation_id)
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def save(conn: Connection, evaluation_id: str, nip: str, current, **values) -> object:
    """Insert or update the row (version + 1); return it as stored."""
    now = utcnow()
    if current is None:
        conn.execute(
            self_assessments.insert().values(
                evaluation_id=evaluation_id, nip=nip, version=1, created_at=now, updated_at=now, **values
            )
        )
    else:
        conn.execute(
            update(self_assessments)
            .where(self_assessments.c.evaluation_id == evaluation_id)
            .values(version=current.version + 1, updated_at=now, **values)
        )
    return load(conn, evaluation_id)


def statuses(conn: Connection, evaluation_ids: list[str]) -> dict[str, str]:
    if not evaluation_ids:
        return {}
    return dict(
        conn.execute(
            select(self_assessments.c.evaluation_id, self_assessments.c.status).where(
                self_assessments.c.evaluation_id.in_(evaluation_ids)
            )
        ).all()
    )


def verified_evidence(conn: Connection, plan_id: str, start: date, end: date) -> list:
    """The evidence of the plan's verified (accepted) activities dated in the period, latest first."""
    return conn.execute(
        select(
            activity_evidence.c.activity_id,
            activity_evidence.c.date,
            activity_evidence.c.description,
            activity_evidence.c.evidence,
            activities.c.result_id,
            activities.c.indicator_id,
            activities.c.quantity,
        )
        .select_from(activity_evidence.join(activities, activities.c.id == activity_evidence.c.activity_id))
        .where(
            activities.c.plan_id == plan_id,
            activities.c.status == "accepted",
            activities.c.date >= start,
            activities.c.date <= end,
        )
        .order_by(activities.c.date.desc(), activity_evidence.c.activity_id)
        .limit(500)
    ).all()


def evaluation(conn: Connection, evaluation_id: str, for_update: bool = False):
    """The evaluation row (locked on PostgreSQL when asked); None when there is none."""
    query = select(evaluations).where(evaluations.c.id == evaluation_id)
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def save_form_draft(conn: Connection, evaluation_id: str, form: dict, version: int, now):
    """The rater's form saved as a draft on the evaluation (its version moves on); the row as stored."""
    conn.execute(
        update(evaluations).where(evaluations.c.id == evaluation_id).values(form=form, version=version, updated_at=now)
    )
    return conn.execute(select(evaluations).where(evaluations.c.id == evaluation_id)).first()


# -- uploaded files -----------------------------------------------------------------------------


def add_file(conn: Connection, **values) -> None:
    conn.execute(realisation_files.insert().values(**values))


def file_row(conn: Connection, evaluation_id: str, file_id: str):
    return conn.execute(
        select(realisation_files).where(
            realisation_files.c.id == file_id,
            realisation_files.c.evaluation_id == evaluation_id,
            realisation_files.c.removed_at.is_(None),
        )
    ).first()


def remove_file(conn: Connection, file_id: str) -> None:
    conn.execute(update(realisation_files).where(realisation_files.c.id == file_id).values(removed_at=utcnow()))


# -- the activities' evidence (read model) -------------------------------------------------------


def _evidence_row(data: dict, items: list[dict]) -> dict:
    return dict(
        activity_id=data["activity_id"],
        nip=data["nip"],
        plan_id=data.get("plan_id"),
        result_id=data.get("result_id"),
        indicator_id=data.get("indicator_id"),
        date=date.fromisoformat(data["date"]),
        description=(data.get("description") or "")[:2000] or None,
        evidence=[
            {k: e.get(k) for k in ("kind", "url", "file_id", "name", "sha256") if e.get(k) is not None} for e in items
        ],
        version=data.get("version"),
        updated_at=utcnow(),
    )


def _items(data: dict) -> list[dict]:
    return [e for e in data.get("evidence") or [] if isinstance(e, dict) and e.get("kind") in ("link", "file")]


_LOGGED = "evaluation.activity_evidence.logged"


def record_logged_evidence(conn: Connection, data: dict) -> None:
    """ActivityLogged: the activity's first evidence, once (a later copy changes nothing). In a consumer
    transaction the poll's rows are written together at the commit, in one statement."""
    items = _items(data)
    if not items:
        return
    row = _evidence_row(data, items)
    scope = current_scope()
    if scope is None:
        insert_ignore(conn, activity_evidence, row)
        return
    scope.memos.setdefault(_LOGGED, {}).setdefault(row["activity_id"], row)
    scope.before_commit(_LOGGED, lambda: _write_logged(conn))


def _write_logged(conn: Connection) -> None:
    scope = current_scope()
    rows = scope.memos.pop(_LOGGED, None) if scope is not None else None
    if rows:
        insert_rows(conn, activity_evidence, list(rows.values()), on_conflict_do_nothing=True)


def record_activity_evidence(conn: Connection, data: dict) -> None:
    """ActivityUpdated / Corrected: the activity's evidence as the event says (an older version never wins;
    none: no row)."""
    _write_logged(conn)  # an activity logged earlier in the same poll is read like any other
    activity_id = data["activity_id"]
    current = conn.execute(
        select(activity_evidence.c.version).where(activity_evidence.c.activity_id == activity_id)
    ).first()
    incoming = data.get("version")
    if current is not None and current.version is not None and incoming is not None and incoming < current.version:
        return
    items = _items(data)
    if not items:
        if current is not None:
            conn.execute(delete(activity_evidence).where(activity_evidence.c.activity_id == activity_id))
        return
    upsert(conn, activity_evidence, _evidence_row(data, items), ["activity_id"])
