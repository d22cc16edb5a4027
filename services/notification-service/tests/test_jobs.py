"""The worker's loops as ``PeriodicJob``s: one round with ``run_once``, or rounds on a ``ManualClock`` that
moves instead of sleeping (an in-memory database: no worker thread, no broker)."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

from sqlalchemy import select

from kinerja_shared.events import make_event
from kinerja_shared.events.envelope import Event, validate_event
from kinerja_shared.jobs import PeriodicJob
from kinerja_shared.testing.memory import memory_runtime
from notification_service import handlers, mailer, read_models_store, reminders, siasn, webhooks, webhooks_store
from notification_service.models import email_queue, reminders_sent
from notification_service.service import SPEC

EMPLOYEE = "198503302010011002"
AT_1531_WIB = datetime.fromisoformat("2026-03-10T15:31:00+07:00")  # a Tuesday, after the 15:30 reminder


def with_approved_plan(rt, nip=EMPLOYEE, email=None):
    event = make_event(
        "EmployeeUpserted",
        source_service="plan-service",
        subject=nip,
        partitionkey=nip,
        data={
            "nip": nip,
            "name": "Siti",
            "position": None,
            "rank": None,
            "grade": None,
            "unit_id": "opd-1",
            "unit_name": "OPD",
            "unit_path": ["opd-1"],
            "rater_nip": None,
            "rater_superior_nip": None,
            "is_unit_head": False,
            "email": email,
            "phone": None,
            "functional_level": None,
            "active": True,
            "siasn_pns_id": None,
            "rank_code": None,
        },
    )
    with rt.unit_of_work() as uow:
        handlers.on_employee_upserted(uow.conn, Event(validate_event(event)))
        read_models_store.save_plan_state(
            uow.conn,
            dict(
                plan_id="p1",
                nip=nip,
                rater_nip=None,
                year=2026,
                status="approved",
                period_start=date(2026, 1, 1),
                period_end=date(2026, 12, 31),
                updated_at=rt.clock.now(),
            ),
        )


def reminded(rt) -> list:
    with rt.engine.connect() as conn:
        return [r.local_date for r in conn.execute(select(reminders_sent).order_by(reminders_sent.c.local_date))]


def test_the_worker_runs_the_four_loops_as_periodic_jobs():
    assert [job.name for job in SPEC.background if isinstance(job, PeriodicJob)] == [
        "e-mail-sender",
        "webhook-dispatcher",
        "reminder-scheduler",
        "siasn-sender",
    ]


def test_the_reminder_job_reminds_once_a_day_on_the_runtimes_clock():
    rt = memory_runtime(SPEC, now=AT_1531_WIB)
    with_approved_plan(rt)
    assert reminders.JOB.run_once(rt) == 1
    assert reminders.JOB.run_once(rt) == 0  # the same day: nothing more
    stop = threading.Event()
    assert reminders.JOB.run(rt, stop, max_rounds=5) == 5  # five rounds, the clock moved 5 x the poll interval
    assert rt.clock.now() == AT_1531_WIB + timedelta(seconds=5 * rt.config.reminder_poll_seconds)
    assert reminded(rt) == [date(2026, 3, 10)]
    rt.clock.advance(days=1)  # Wednesday, 15:3x
    assert reminders.JOB.run_once(rt) == 1
    assert reminded(rt) == [date(2026, 3, 10), date(2026, 3, 11)]


def test_the_reminder_job_does_nothing_when_reminders_are_off():
    rt = memory_runtime(SPEC, now=AT_1531_WIB, env={"NOTIFICATION_REMINDERS": "false"})
    with_approved_plan(rt)
    assert reminders.JOB.run_once(rt) == 0 and reminded(rt) == []


def test_without_smtp_the_mail_job_skips_what_is_due():
    rt = memory_runtime(SPEC, now=AT_1531_WIB, env={"SMTP_HOST": ""})
    with_approved_plan(rt, email="siti@example.test")
    assert reminders.JOB.run_once(rt) == 1  # the reminder's item queues an e-mail: she wants e-mail for it
    assert mailer.JOB.run_once(rt) == 0
    with rt.engine.connect() as conn:
        [row] = conn.execute(select(email_queue)).all()
    assert row.status == "skipped" and "SMTP_HOST" in row.last_error


def test_the_webhook_job_attempts_due_deliveries_on_the_runtimes_clock():
    rt = memory_runtime(SPEC, now=AT_1531_WIB)
    assert webhooks.JOB.run_once(rt) == 0
    with rt.unit_of_work() as uow:
        webhooks_store.insert_subscription(
            uow.conn,
            dict(
                id="s1",
                url="https://nowhere.example.test/hook",
                event_types=["*"],
                secret=rt.config.webhook_secrets.encrypt("a-long-enough-shared-secret"),
                secret_hint="cret",
                description=None,
                status="active",
                consecutive_failures=0,
                disabled_at=None,
                disabled_reason=None,
                created_by="admin",
                version=1,
                created_at=rt.clock.now(),
                updated_at=rt.clock.now(),
            ),
        )
        webhooks.fan_out(
            uow.conn,
            Event(
                validate_event(
                    make_event(
                        "FeedbackGiven",
                        source_service="evaluation-service",
                        subject="f1",
                        partitionkey=EMPLOYEE,
                        data={"feedback_id": "f1", "nip": EMPLOYEE, "rater_nip": None, "text": "Rapi"},
                    )
                )
            ),
            now=rt.clock.now(),
        )
    assert webhooks.JOB.run_once(rt) == 1  # the name does not resolve: retried later
    assert webhooks.JOB.run_once(rt) == 0  # not due again yet: the clock has not moved
    rt.clock.advance(hours=1)
    assert webhooks.JOB.run_once(rt) == 1
    with rt.unit_of_work() as uow:
        [delivery] = uow.conn.execute(webhooks_store.deliveries_of("s1", None)).all()
        attempts = webhooks_store.attempts(uow.conn, delivery.id)
    assert delivery.attempts == 2 and delivery.status == "pending"
    assert [a.attempted_at for a in attempts] == [AT_1531_WIB, AT_1531_WIB + timedelta(hours=1)]


def test_the_siasn_job_sends_nothing_without_a_siasn_address():
    rt = memory_runtime(SPEC, now=AT_1531_WIB)
    assert not rt.config.siasn.sending and siasn.JOB.run_once(rt) == 0
