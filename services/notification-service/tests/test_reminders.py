"""Reminders under a controllable clock (WIB): the right people, at the right time, once a day however many workers."""

from __future__ import annotations

import threading
from datetime import datetime

from kinerja_shared.clock import ManualClock
from kinerja_shared.events import make_event, validate_event
from kinerja_shared.runtime import Runtime
from notification_service import reminders
from notification_service.config import NotifySettings
from notification_service.service import SPEC


def _people(h, ev, helpers, today="2026-03-10"):
    """EMPLOYEE and COLLEAGUE have approved plans; COLLEAGUE logged today; OTHER_UNIT has no plan."""
    for nip, name in (
        (helpers.RATER, "Rahmat"),
        (helpers.EMPLOYEE, "Siti"),
        (helpers.COLLEAGUE, "Budi"),
        (helpers.OTHER_UNIT, "Dewi"),
    ):
        helpers.handle(h, ev.employee(nip, name))
    helpers.handle(h, ev.plan_approved(helpers.EMPLOYEE))
    helpers.handle(h, ev.plan_approved(helpers.COLLEAGUE))
    helpers.handle(h, ev.activity_logged(helpers.COLLEAGUE, day=today, logged_at=f"{today}T02:00:00.000Z"))


def _reminded(h, reminder):
    return sorted(
        r["recipient_nip"] for r in h.rows("SELECT recipient_nip FROM notifications WHERE category = :c", c=reminder)
    )


def _two_workers(h, instant: str, rounds: int = 8) -> None:
    """Two workers' reminder jobs racing, ``rounds`` rounds each, on their own clocks from ``instant``: each
    round moves a clock by the poll interval (NOTIFICATION_REMINDER_POLL_SECONDS) instead of sleeping."""
    cfg = NotifySettings.from_settings(h.settings)
    start = datetime.fromisoformat(instant)
    runtimes = [
        Runtime(spec=SPEC, settings=h.settings, engine=h.engine, config=cfg, clock=ManualClock(start)) for _ in range(2)
    ]
    stop = threading.Event()
    threads = [threading.Thread(target=reminders.JOB.run, args=(rt, stop, rounds)) for rt in runtimes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(rt.clock.now() > start for rt in runtimes)


def test_two_workers_and_a_restart_remind_each_person_once_a_day(service_factory, ev, helpers, monkeypatch):
    monkeypatch.delenv("SMTP_HOST", raising=False)
    h = service_factory(SPEC)
    _people(h, ev, helpers)

    _two_workers(h, "2026-03-10T15:31:00+07:00")  # several scheduler rounds in each worker
    assert _reminded(h, "reminder_activity_missing") == [helpers.EMPLOYEE]
    assert h.rows("SELECT nip, reminder, local_date FROM reminders_sent") == [
        {"nip": helpers.EMPLOYEE, "reminder": "reminder_activity_missing", "local_date": datetime(2026, 3, 10).date()}
    ]
    [item] = helpers.inbox(h, helpers.EMPLOYEE, category="reminder_activity_missing")
    assert item["title"] == "Pengingat: Anda belum mencatat kegiatan harian hari ini"
    assert "10 Maret 2026" in item["body"] and item["cause_event_id"] is None and item["correlation_id"]
    delivered = [
        e
        for e in h.outbox()
        if e["type"] == "NotificationDelivered" and e["data"]["category"] == "reminder_activity_missing"
    ]
    assert len(delivered) == 1 and delivered[0]["correlationid"] == item["correlation_id"]

    # Restarted the same day (later in the afternoon): nothing more.
    _two_workers(h, "2026-03-10T17:45:00+07:00")
    assert _reminded(h, "reminder_activity_missing") == [helpers.EMPLOYEE]

    # The next working day: once more, for the one who still has not logged.
    helpers.handle(h, ev.activity_logged(helpers.COLLEAGUE, day="2026-03-11", logged_at="2026-03-11T02:00:00.000Z"))
    _two_workers(h, "2026-03-11T15:40:00+07:00")
    assert h.scalar("SELECT count(*) FROM reminders_sent") == 2
    assert _reminded(h, "reminder_activity_missing") == [helpers.EMPLOYEE, helpers.EMPLOYEE]


def test_the_schedule_in_local_time(service_factory, ev, helpers):
    h = service_factory(SPEC)
    _people(h, ev, helpers)
    cfg = NotifySettings.from_settings(h.settings)

    def at(instant):
        return reminders.run_due(h.engine, cfg, datetime.fromisoformat(instant))

    assert at("2026-03-10T15:29:00+07:00") == 0  # before 15:30 WIB
    assert at("2026-03-10T08:31:00+00:00") == 1  # 15:31 WIB, given in UTC
    assert at("2026-03-10T16:00:00+07:00") == 0  # the same day again: nothing
    assert at("2026-03-14T15:31:00+07:00") == 0  # Saturday
    assert at("2026-03-13T20:00:00+07:00") == 0  # Friday, past the catch-up window
    assert at("2026-03-13T16:00:00+07:00") == 2  # Friday: Siti and Budi (nothing logged on the 13th)


def test_plan_and_evaluation_reminders(service_factory, ev, helpers):
    h = service_factory(SPEC, KINERJA_HOLIDAYS="2026-03-27")
    R, E, C, X = helpers.RATER, helpers.EMPLOYEE, helpers.COLLEAGUE, helpers.OTHER_UNIT
    for nip, name in ((R, "Rahmat"), (E, "Siti"), (C, "Budi"), (X, "Dewi")):
        helpers.handle(h, ev.employee(nip, name, rater=None if nip == R else R))
    helpers.handle(h, ev.plan_approved(E))
    helpers.handle(h, ev.plan_submitted(C))
    cfg = NotifySettings.from_settings(h.settings)

    assert reminders.run_due(h.engine, cfg, datetime.fromisoformat("2026-01-20T09:05:00+07:00")) == 0  # 11 days ahead
    sent = reminders.run_due(h.engine, cfg, datetime.fromisoformat("2026-01-26T09:05:00+07:00"))
    assert _reminded(h, "reminder_plan_deadline") == sorted([R, C, X])  # everyone without an approved plan
    assert _reminded(h, "reminder_plan_approval") == [R]  # Budi's plan waits for the rater
    assert sent == 4
    budi = helpers.inbox(h, C, category="reminder_plan_deadline")[0]
    assert "sudah diajukan" in budi["body"] and "31 Januari 2026" in budi["body"]
    rater = helpers.inbox(h, R, category="reminder_plan_approval")[0]
    assert rater["title"] == "Pengingat: 1 SKP menunggu persetujuan Anda"

    helpers.handle(h, ev.evaluation_opened(E))
    helpers.handle(h, ev.evaluation_opened(C))
    closed = ev.evaluation_opened(X)
    helpers.handle(h, closed)
    helpers.handle(h, ev.evaluation_closed(X, evaluation_id=closed["data"]["evaluation_id"]))
    assert reminders.run_due(h.engine, cfg, datetime.fromisoformat("2026-03-25T09:30:00+07:00")) == 0  # 6 days ahead
    assert reminders.run_due(h.engine, cfg, datetime.fromisoformat("2026-03-27T09:30:00+07:00")) == 0  # a holiday
    assert reminders.run_due(h.engine, cfg, datetime.fromisoformat("2026-03-26T09:30:00+07:00")) == 1
    assert _reminded(h, "reminder_evaluation_pending") == [R]
    [item] = helpers.inbox(h, R, category="reminder_evaluation_pending")
    assert item["title"] == "Pengingat: 2 penilaian kinerja belum Anda selesaikan" and "2026-Q1" in item["body"]


def test_realisation_reminders_and_the_rater_hears_of_a_submitted_one(service_factory, ev, helpers):
    """Q1 2026 ends on Tuesday 31 March; with a holiday on 3 April the employee's deadline (5 working days) is
    8 April and the rater's (10) 15 April. Siti and Budi have open evaluations; Siti submits her realisation."""
    h = service_factory(SPEC, KINERJA_HOLIDAYS="2026-04-03")
    R, E, C = helpers.RATER, helpers.EMPLOYEE, helpers.COLLEAGUE
    for nip, name in ((R, "Rahmat"), (E, "Siti"), (C, "Budi")):
        helpers.handle(h, ev.employee(nip, name, rater=None if nip == R else R))
    siti = ev.evaluation_opened(E)
    helpers.handle(h, siti)
    helpers.handle(h, ev.evaluation_opened(C))
    cfg = NotifySettings.from_settings(h.settings)

    assert (
        reminders.run_due(h.engine, cfg, datetime.fromisoformat("2026-04-02T09:30:00+07:00")) == 1
    )  # the rater's only
    assert _reminded(h, "reminder_realisation_due") == []  # 6 days before the 8th
    [pending] = helpers.inbox(h, R, category="reminder_evaluation_pending")
    assert "paling lambat 15 April 2026" in pending["body"]  # the rater's deadline

    submitted = make_event(
        "RealisationSubmitted",
        source_service="evaluation-service",
        subject=siti["data"]["evaluation_id"],
        partitionkey=E,
        data={
            "evaluation_id": siti["data"]["evaluation_id"],
            "plan_id": "p1",
            "nip": E,
            "rater_nip": R,
            "unit_id": "opd-1.bidang-a",
            "period_id": "2026-Q1",
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "submitted_at": "2026-04-03T02:00:00.000Z",
            "results": [
                {"result_id": "r1", "realisation": "12 dokumen", "narrative": "Selesai.", "evidence_count": 2},
                {"result_id": "r2", "realisation": None, "narrative": None, "evidence_count": 1},
            ],
        },
    )
    helpers.handle(h, validate_event(submitted))
    helpers.handle(h, submitted)  # a redelivery adds nothing
    [item] = helpers.inbox(h, R, category="realisation_submitted")
    assert item["title"] == "Siti telah menyampaikan realisasi kinerja periode 2026-Q1"
    assert "2 hasil kerja beserta 3 bukti dukung" in item["body"] and "15 April 2026" in item["body"]
    assert item["link"] == f"/evaluations/{siti['data']['evaluation_id']}"

    # in the 5 days before the deadline (the 3rd is a holiday, so from Monday the 6th): Budi, who has not submitted,
    # is reminded once a day; Siti is not
    assert reminders.run_due(h.engine, cfg, datetime.fromisoformat("2026-04-06T09:30:00+07:00")) == 2
    assert _reminded(h, "reminder_realisation_due") == [C]
    [budi] = helpers.inbox(h, C, category="reminder_realisation_due")
    assert budi["title"] == "Pengingat: sampaikan realisasi kinerja Anda paling lambat 8 April 2026"
    assert "2026-Q1" in budi["body"] and budi["link"].endswith("/realisation")
    assert reminders.run_due(h.engine, cfg, datetime.fromisoformat("2026-04-06T10:00:00+07:00")) == 0  # same day
    assert reminders.run_due(h.engine, cfg, datetime.fromisoformat("2026-04-08T09:30:00+07:00")) == 2  # the deadline
    assert (
        reminders.run_due(h.engine, cfg, datetime.fromisoformat("2026-04-09T09:30:00+07:00")) == 1
    )  # past it: rater only
    assert _reminded(h, "reminder_realisation_due") == [C, C]


def test_schedulers_racing_at_the_same_instant_send_once(service_factory, ev, helpers):
    import threading

    from kinerja_shared.db import make_engine

    h = service_factory(SPEC)
    _people(h, ev, helpers)
    for i in range(20):  # twenty more people with a plan and nothing logged
        nip = f"19900101201501{1000 + i}"
        helpers.handle(h, ev.employee(nip, f"Pegawai {i}"))
        helpers.handle(h, ev.plan_approved(nip))
    cfg = NotifySettings.from_settings(h.settings)
    now = datetime.fromisoformat("2026-03-10T15:45:00+07:00")
    barrier = threading.Barrier(4)
    results, errors = [], []

    def scheduler():
        engine = make_engine(h.settings.database_url)
        try:
            barrier.wait()
            results.append(reminders.run_due(engine, cfg, now))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and sum(results) == 21
    assert h.scalar("SELECT count(*) FROM notifications WHERE category = 'reminder_activity_missing'") == 21
    assert h.scalar("SELECT count(*) FROM reminders_sent") == 21
