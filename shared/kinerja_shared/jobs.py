"""One runner for periodic jobs (reminders, digests, period opening, mailer, webhook and SIASN loops).

A job is a function of the runtime that does one round of work and returns how much it did::

    def send_reminders(rt: Runtime) -> int: ...
    JOBS = [PeriodicJob("reminders", send_reminders, interval=lambda rt: rt.config.reminder_poll_seconds)]

``ServiceSpec.background`` takes these jobs; the worker runs each in its thread with ``run``:
one round, then a wait on the runtime's clock (``interval`` seconds, shorter while a round was busy
if ``busy_interval`` is given), until stop. A round that raises is logged and retried after the
interval: a database or broker outage delays the job, it never kills it. Tests call
``job.run_once(rt)`` or drive ``run`` with a ``ManualClock`` instead of sleeping.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

Interval = float | Callable[[object], float]


@dataclass
class PeriodicJob:
    name: str
    round: Callable[[object], object]  # fn(runtime) -> work done (a count, or None)
    interval: Interval = 60.0  # seconds between rounds (or fn(runtime))
    busy_interval: Interval | None = None  # seconds after a round that did work (default: interval)

    @property
    def __name__(self) -> str:  # a thread's name, as plain functions had
        return self.name

    def seconds(self, rt, busy: bool) -> float:
        chosen = self.busy_interval if busy and self.busy_interval is not None else self.interval
        return float(chosen(rt) if callable(chosen) else chosen)

    def run_once(self, rt):
        """One round, now; what the round returned."""
        return self.round(rt)

    def run(self, rt, stop: threading.Event, max_rounds: int | None = None) -> int:
        """Rounds until ``stop`` (or ``max_rounds``); how many rounds ran."""
        rounds = 0
        while not stop.is_set() and (max_rounds is None or rounds < max_rounds):
            busy = False
            try:
                done = self.round(rt)
                busy = bool(done)
            except Exception:  # noqa: BLE001 - a round's failure must not end the job
                log.exception("periodic job round failed", extra={"job": self.name})
            rounds += 1
            if rt.clock.wait(stop, self.seconds(rt, busy)):
                break
        return rounds
