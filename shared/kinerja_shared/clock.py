"""One clock for use cases, handlers and jobs, so tests move time instead of sleeping.

``SystemClock`` reads the machine's time; ``ManualClock`` (tests) stands still until told to
move. ``today()`` is the date where the employees work (``KINERJA_TIMEZONE``, Asia/Jakarta by
default), the one "today" every service uses.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Jakarta"


class Clock:
    """The time now (aware UTC), today's local date, and a wait that a test clock can cut short."""

    def __init__(self, tz: str | ZoneInfo = DEFAULT_TIMEZONE):
        self.timezone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)

    def now(self) -> datetime:  # pragma: no cover - overridden
        raise NotImplementedError

    def today(self) -> date:
        return self.now().astimezone(self.timezone).date()

    def local_now(self) -> datetime:
        return self.now().astimezone(self.timezone)

    def wait(self, stop: threading.Event, seconds: float) -> bool:
        """Wait up to ``seconds`` or until ``stop`` is set; True when stopped."""
        return stop.wait(max(0.0, seconds))


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock(Clock):
    """A clock for tests: it shows ``start`` until ``advance``/``set`` moves it; ``wait`` moves it, never sleeps."""

    def __init__(self, start: datetime | None = None, tz: str | ZoneInfo = DEFAULT_TIMEZONE):
        super().__init__(tz)
        self._now = (start or datetime(2026, 3, 2, 2, 0, tzinfo=UTC)).astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, when: datetime) -> None:
        with self._lock:
            self._now = when.astimezone(UTC)

    def advance(self, **delta) -> datetime:
        with self._lock:
            self._now += timedelta(**delta)
            return self._now

    def wait(self, stop: threading.Event, seconds: float) -> bool:
        self.advance(seconds=max(0.0, seconds))
        return stop.is_set()


def system_clock(settings=None) -> SystemClock:
    """The machine's clock in the deployment's time zone (``settings.timezone``)."""
    return SystemClock(getattr(settings, "timezone", None) or DEFAULT_TIMEZONE)
