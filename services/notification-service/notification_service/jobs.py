"""What the worker's background jobs share (reminders, mailer, webhooks, siasn: each a
``kinerja_shared.jobs.PeriodicJob`` run on the runtime's clock): the scheduler's time."""

from __future__ import annotations

from datetime import datetime


def scheduler_now(rt) -> datetime:
    """The scheduler's time: NOTIFICATION_CLOCK when set (a fixed instant: tests and demos), else the runtime's
    clock."""
    fixed = getattr(rt.config, "clock", None)
    return fixed if fixed is not None else rt.clock.now()
