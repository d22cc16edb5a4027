"""Use cases of what a directory change does to the plans in force: a transfer closes them (close), a new
rater takes them over. Called by the directory's writer (store.apply_directory) in its transaction; set-based,
so a mass transfer of a thousand employees is a handful of statements."""

from __future__ import annotations

from datetime import date

from .. import domain, events, store


def _audit(uow, actor, action: str, row, new, reason: str, **after) -> None:
    uow.audit(
        actor=actor,
        action=action,
        entity_type="plan",
        entity_id=row.id,
        reason=reason,
        before=store.plan_snapshot(row),
        after={**store.plan_snapshot(new), **after},
    )


def close_for_transfers(uow, actor, transfers: dict[str, tuple[date, str]]) -> list[str]:
    """Transfers end the plans of the old posts: status closed, span end the day before each transfer.

    ``transfers`` maps NIP → (effective date, reason). An approved plan gets a new revision with its
    shortened span, published as PlanAmended (status closed), so activity and evaluation stop at the old
    post's last day; pending amendments are cancelled. Returns the plan ids closed.
    """
    conn, now = uow.conn, uow.now()
    rows = store.plans_in_force(conn, transfers)
    values = {}
    for row in rows:
        effective, reason = transfers[row.nip]
        values[row.id] = dict(
            status=domain.next_status("close", row.status),
            period_end=domain.closing_end(row.period_start, row.period_end, effective),
            closed_at=now,
            closed_reason=reason,
            version=row.version + 1,
            updated_at=now,
            revision=row.revision + (1 if row.status == domain.APPROVED else 0),
        )
    after = store.update_plans(conn, values)
    cancelled = store.cancel_pending_amendments(
        conn, {row.id: f"the plan was closed: {transfers[row.nip][1]}" for row in rows}, actor.sub, now
    )
    revisions = []
    for row in rows:
        reason, new = transfers[row.nip][1], after[row.id]
        if row.status == domain.APPROVED:
            revisions.append(store.revision_row(new, kind="transfer", reason=reason, actor=actor.sub, now=now))
            uow.publish(events.plan_amended(new, reason=reason, kind="transfer", amended_at=now, amended_by=actor.sub))
        _audit(uow, actor, "plan.closed", row, new, reason, cancelled_amendments=cancelled.get(row.id, []))
    store.insert_revisions(conn, revisions)
    return [row.id for row in rows]


def retarget_plans(uow, actor, changes: dict[str, tuple[str | None, str | None, date, str]]) -> list[str]:
    """New raters (or raters' superiors) take over the plans still in force.

    ``changes`` maps NIP → (rater, rater's superior, effective date, reason). An approved plan gets a new
    revision naming the new rater (PlanAmended); a submitted one is announced again (PlanSubmitted), so the
    new rater finds it waiting. Returns the plan ids handed over.
    """
    conn, now = uow.conn, uow.now()
    by_nip = {nip: (effective, reason) for nip, (_, _, effective, reason) in changes.items()}
    rows = [
        r
        for r in store.plans_in_force(conn, by_nip)
        if (r.rater_nip, r.rater_superior_nip) != (changes[r.nip][0], changes[r.nip][1])
    ]
    values = {
        row.id: dict(
            rater_nip=changes[row.nip][0],
            rater_superior_nip=changes[row.nip][1],
            version=row.version + 1,
            updated_at=now,
            revision=row.revision + (1 if row.status == domain.APPROVED else 0),
        )
        for row in rows
    }
    after = store.update_plans(conn, values)
    revisions = []
    for row in rows:
        reason, new = changes[row.nip][3], after[row.id]
        if row.status == domain.APPROVED:
            revisions.append(store.revision_row(new, kind="rater_change", reason=reason, actor=actor.sub, now=now))
            uow.publish(
                events.plan_amended(new, reason=reason, kind="rater_change", amended_at=now, amended_by=actor.sub)
            )
        elif row.status == domain.SUBMITTED:
            uow.publish(events.for_transition("submit", new))
        _audit(uow, actor, "plan.rater_changed", row, new, reason)
    store.insert_revisions(conn, revisions)
    return [row.id for row in rows]
