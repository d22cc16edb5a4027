"""The SQL of the reminders: who is due for one (the read models) and the once-a-day rows."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Connection

from .models import activity_states, contacts, evaluation_states, plan_states, realisation_states, reminders_sent
from .store import insert_new


def sent_on(conn: Connection, reminder: str, day: date) -> set[str]:
    return {
        r.nip
        for r in conn.execute(
            select(reminders_sent.c.nip).where(
                reminders_sent.c.reminder == reminder, reminders_sent.c.local_date == day
            )
        )
    }


def mark_sent(conn: Connection, nip: str, reminder: str, day: date, now: datetime) -> bool:
    """The once-a-day row; False when another worker wrote it first."""
    return insert_new(conn, reminders_sent, dict(nip=nip, reminder=reminder, local_date=day, sent_at=now))


def link_notification(conn: Connection, nip: str, reminder: str, day: date, notification_id: int | None) -> None:
    conn.execute(
        update(reminders_sent)
        .where(reminders_sent.c.nip == nip, reminders_sent.c.reminder == reminder, reminders_sent.c.local_date == day)
        .values(notification_id=notification_id)
    )


def active_contacts(conn: Connection) -> set[str]:
    return {r.nip for r in conn.execute(select(contacts.c.nip).where(contacts.c.active.is_(True)))}


def with_approved_plan(conn: Connection, day: date) -> set[str]:
    return {
        r.nip
        for r in conn.execute(
            select(plan_states.c.nip).where(
                plan_states.c.status == "approved",
                plan_states.c.year == day.year,
                or_(plan_states.c.period_start.is_(None), plan_states.c.period_start <= day),
                or_(plan_states.c.period_end.is_(None), plan_states.c.period_end >= day),
            )
        )
    }


def logged_on(conn: Connection, day: date) -> set[str]:
    return {
        r.nip
        for r in conn.execute(
            select(activity_states.c.nip).where(activity_states.c.day == day, activity_states.c.status != "withdrawn")
        )
    }


def plans_of_year(conn: Connection, year: int) -> list:
    return conn.execute(select(plan_states).where(plan_states.c.year == year)).all()


def open_evaluations_with_rater(conn: Connection) -> list:
    return conn.execute(
        select(evaluation_states).where(
            and_(evaluation_states.c.status == "open", evaluation_states.c.rater_nip.is_not(None))
        )
    ).all()


def open_periodic_without_realisation(conn: Connection) -> list:
    return conn.execute(
        select(evaluation_states).where(
            evaluation_states.c.status == "open",
            ~evaluation_states.c.period_id.like("%-Y"),
            ~evaluation_states.c.evaluation_id.in_(select(realisation_states.c.evaluation_id)),
        )
    ).all()
