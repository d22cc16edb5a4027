"""Reminders, scheduled in local time (WIB by default), at most once per person per day.

The worker's ``scheduler`` job looks at the clock every NOTIFICATION_REMINDER_POLL_SECONDS. On a
working day, from each reminder's wall-clock time until NOTIFICATION_REMINDER_CATCH_UP_HOURS later:

| reminder | to | when |
|---|---|---|
| reminder_activity_missing | an employee with an approved plan and no activity logged today | NOTIFICATION_REMINDER_ACTIVITY_TIME (15:30) |
| reminder_plan_deadline | an employee whose plan of the year is not approved | NOTIFICATION_REMINDER_PLAN_TIME (09:00), the last NOTIFICATION_REMINDER_PLAN_LEAD_DAYS days before NOTIFICATION_PLAN_DEADLINE |
| reminder_plan_approval | a rater with submitted plans waiting | same as above |
| reminder_evaluation_pending | a rater with open evaluations | NOTIFICATION_REMINDER_EVALUATION_TIME (09:00), from NOTIFICATION_REMINDER_EVALUATION_LEAD_DAYS before the period ends, with the rater's deadline (KINERJA_EVALUATION_DEADLINE_DAYS working days after it) |
| reminder_realisation_due | an employee with an open periodic evaluation whose realisation is not submitted | same time, the last NOTIFICATION_REMINDER_REALISATION_LEAD_DAYS days before the deadline (KINERJA_REALISATION_DEADLINE_DAYS working days after the period ends) and on it |

"At most once per person per day" is a unique row ``(nip, reminder, local_date)`` in
``reminders_sent``, inserted in the same transaction as the notification: two workers that
fire at once, or a worker restarted the same day, find the row and send nothing more.

The clock is the runtime's (``jobs.scheduler_now``), or the fixed instant of NOTIFICATION_CLOCK
(tests and demos); ``run_due(engine, cfg, now=...)`` takes any instant. The worker runs ``JOB``
(a ``kinerja_shared.jobs.PeriodicJob``) every NOTIFICATION_REMINDER_POLL_SECONDS.
"""  # noqa: E501

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from kinerja_shared.clock import Clock, SystemClock
from kinerja_shared.jobs import PeriodicJob
from kinerja_shared.uow import UnitOfWork

from . import config, domain, jobs
from . import reminders_store as store
from .use_cases import notifications

log = logging.getLogger(__name__)


def run_due(engine: Engine, cfg: config.NotifySettings, now: datetime | None = None, clock: Clock | None = None) -> int:
    """Send every reminder due at ``now``; return how many were sent by this call (``clock``: the time the
    rows are written at; the machine's by default)."""
    clock = clock or SystemClock(cfg.timezone)
    now = now or cfg.now()
    local = now.astimezone(ZoneInfo(cfg.timezone))
    today = local.date()
    if not domain.is_working_day(today, cfg.working_days, cfg.holidays):
        return 0
    sent = 0
    if domain.due_window(local, cfg.reminder_activity_time, cfg.reminder_catch_up):
        sent += _send(engine, cfg, clock, domain.REMINDER_ACTIVITY_MISSING, today, _activity_missing(engine, today))
    if domain.due_window(local, cfg.reminder_plan_time, cfg.reminder_catch_up):
        deadline = domain.plan_deadline_near(today, cfg.plan_deadline, cfg.reminder_plan_lead_days)
        if deadline is not None:
            employees, raters = _plans_not_approved(engine, today.year, deadline)
            sent += _send(engine, cfg, clock, domain.REMINDER_PLAN_DEADLINE, today, employees)
            sent += _send(engine, cfg, clock, domain.REMINDER_PLAN_APPROVAL, today, raters)
    if domain.due_window(local, cfg.reminder_evaluation_time, cfg.reminder_catch_up):
        sent += _send(
            engine,
            cfg,
            clock,
            domain.REMINDER_EVALUATION_PENDING,
            today,
            _evaluations_pending(engine, today, cfg.reminder_evaluation_lead_days, cfg),
        )
        sent += _send(engine, cfg, clock, domain.REMINDER_REALISATION_DUE, today, _realisations_due(engine, today, cfg))
    return sent


def _send(
    engine: Engine,
    cfg: config.NotifySettings,
    clock: Clock,
    reminder: str,
    today: date,
    recipients: dict[str, tuple[dict, str]],
) -> int:
    """Notify each recipient once for (reminder, today); return how many were new."""
    if not recipients:
        return 0
    correlation_id = str(uuid.uuid4())  # one per reminder run: all its notifications trace back to it
    sent = 0
    with UnitOfWork(engine, clock=clock) as uow:
        already = store.sent_on(uow.conn, reminder, today)
        for nip in sorted(recipients):  # one order for every worker: no deadlock on the unique rows
            if nip in already:
                continue
            params, link = recipients[nip]
            if notifications.remind(
                uow, cfg, nip=nip, reminder=reminder, day=today, params=params, link=link, correlation_id=correlation_id
            ):
                sent += 1  # else another worker sent it
    if sent:
        log.info("reminders sent", extra={"reminder": reminder, "count": sent, "local_date": today.isoformat()})
    return sent


def _activity_missing(engine: Engine, today: date) -> dict:
    with engine.connect() as conn:
        people = (store.with_approved_plan(conn, today) & store.active_contacts(conn)) - store.logged_on(conn, today)
    return {nip: ({"date": today.isoformat()}, "/activities/new") for nip in people}


def _plans_not_approved(engine: Engine, year: int, deadline: date) -> tuple[dict, dict]:
    with engine.connect() as conn:
        rows = store.plans_of_year(conn, year)
        active = store.active_contacts(conn)
    status_of: dict[str, str] = {}
    waiting: dict[str, int] = defaultdict(int)
    for row in rows:
        if status_of.get(row.nip) != "approved":
            status_of[row.nip] = row.status
        if row.status == "submitted" and row.rater_nip:
            waiting[row.rater_nip] += 1
    employees = {
        nip: ({"year": year, "deadline": deadline.isoformat(), "status": status_of.get(nip, "none")}, "/plans")
        for nip in active
        if status_of.get(nip) != "approved"
    }
    raters = {
        nip: ({"year": year, "deadline": deadline.isoformat(), "count": count}, "/plans?status=submitted")
        for nip, count in waiting.items()
        if nip in active
    }
    return employees, raters


def _evaluations_pending(engine: Engine, today: date, lead_days: int, cfg: config.NotifySettings) -> dict:
    with engine.connect() as conn:
        rows = store.open_evaluations_with_rater(conn)
        active = store.active_contacts(conn)
    due: dict[str, list] = defaultdict(list)
    for row in rows:
        if row.rater_nip in active and domain.evaluation_due(today, row.period_end, lead_days):
            due[row.rater_nip].append(row)
    return {
        rater: (
            {
                "count": len(items),
                "period_ids": sorted({r.period_id for r in items}),
                "period_end": min(r.period_end for r in items).isoformat(),
                "deadline": cfg.deadlines.evaluation(min(r.period_end for r in items)).isoformat(),
            },
            "/evaluations?status=open",
        )
        for rater, items in due.items()
    }


def _realisations_due(engine: Engine, today: date, cfg: config.NotifySettings) -> dict:
    """Employees with an open periodic evaluation, no realisation submitted, in the days before its deadline."""
    with engine.connect() as conn:
        rows = store.open_periodic_without_realisation(conn)
        active = store.active_contacts(conn)
    due: dict[str, list] = defaultdict(list)
    for row in rows:
        deadline = cfg.deadlines.realisation(row.period_end)
        if row.nip in active and domain.realisation_due(today, deadline, cfg.reminder_realisation_lead_days):
            due[row.nip].append((deadline, row))
    return {
        nip: (
            {
                "period_ids": sorted({r.period_id for _, r in items}),
                "deadline": min(d for d, _ in items).isoformat(),
                "count": len(items),
            },
            f"/evaluations/{min(items, key=lambda x: x[0])[1].evaluation_id}/realisation",
        )
        for nip, items in due.items()
    }


def run_round(rt) -> int:
    """One round of the worker's reminder job: the reminders due now on the runtime's (or the fixed) clock."""
    if not rt.config.reminders_enabled:
        return 0  # NOTIFICATION_REMINDERS=false
    return run_due(rt.engine, rt.config, jobs.scheduler_now(rt), rt.clock)


JOB = PeriodicJob("reminder-scheduler", run_round, interval=lambda rt: rt.config.reminder_poll_seconds)
