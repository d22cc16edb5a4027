"""activity-service's own settings (ACTIVITY_*), read once and validated at start-up.

The common settings (database, Kafka, JWT, time zone) come from kinerja_shared.config.
These add the rules only this service has:

| variable | default | meaning |
|---|---|---|
| ACTIVITY_EDIT_WINDOW_CLOSE_DAY | 5 | the previous month stays open for logging and edits up to this day of the month (0-28; 0: closes on the 1st) |
| ACTIVITY_EVIDENCE_DIR | var/evidence | where uploaded evidence files are stored (shared storage when several web pods run) |
| ACTIVITY_EVIDENCE_MAX_BYTES | 5242880 | largest accepted upload |
| ACTIVITY_EVIDENCE_TYPES | application/pdf,image/jpeg,image/png | accepted content types (recognised by content; also image/webp) |
| ACTIVITY_NON_WORKING_DAYS | allow | entries dated on a day off (weekly day off or holiday of the calendar): ``allow`` (taken; the console notes the day off and the rater's inbox flags them) or ``refuse`` (422 naming ``date``) |
| KINERJA_WORKING_DAYS | mon,tue,wed,thu,fri | working weekdays (also ranges: ``mon-sat``); the same setting notification-service's reminders read |
| KINERJA_NATIONAL_HOLIDAYS | ID | Indonesia's national holidays (libur nasional) from the ``holidays`` package; ``none`` leaves them out |
| KINERJA_HOLIDAYS | (none) | more days off (cuti bersama, regional days): comma-separated ``YYYY-MM-DD`` or ``YYYY-MM-DD=Name`` |
| KINERJA_HOLIDAYS_FILE | (none) | a file of days off, one ``YYYY-MM-DD Name`` per line, ``#`` comments (adds to KINERJA_HOLIDAYS) |

The working-day calendar uses KINERJA_* names because it is one calendar for the whole
deployment. Each setting is read from the service's Settings (``settings.extra``) first, then
the process environment. A bad value raises ConfigError naming the variable.

The most entries in one offline batch is no setting but ``domain.MAX_BATCH_ITEMS`` (100): the
OpenAPI document states it as maxItems and the schema enforces that very number. The former
ACTIVITY_BATCH_MAX_ITEMS is refused at start-up rather than silently ignored.
"""  # noqa: E501

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from kinerja_shared.calendar import WorkCalendar, calendar_from_env
from kinerja_shared.config import ConfigError, Settings, env_get, env_int

from .domain import DEFAULT_EVIDENCE_TYPES, KNOWN_TYPES, MAX_BATCH_ITEMS, NON_WORKING_DAY_POLICIES


@dataclass(frozen=True)
class ActivityConfig:
    timezone: ZoneInfo
    edit_window_close_day: int = 5
    evidence_dir: Path = Path("var/evidence")
    evidence_max_bytes: int = 5 * 1024 * 1024
    evidence_types: tuple[str, ...] = DEFAULT_EVIDENCE_TYPES
    calendar: WorkCalendar = WorkCalendar()
    non_working_days: str = "allow"

    @classmethod
    def from_settings(cls, settings: Settings, env: Mapping[str, str] | None = None) -> ActivityConfig:
        source = dict(os.environ if env is None else env)
        source.update(settings.extra or {})

        def get(name: str) -> str | None:
            return env_get(source, name)

        def integer(name: str, default: int, lo: int, hi: int) -> int:
            return env_int(source, name, default, lo, hi)

        types = tuple(
            t.strip().lower()
            for t in (get("ACTIVITY_EVIDENCE_TYPES") or ",".join(DEFAULT_EVIDENCE_TYPES)).split(",")
            if t.strip()
        )
        unknown = [t for t in types if t not in KNOWN_TYPES]
        if unknown or not types:
            raise ConfigError(
                f"ACTIVITY_EVIDENCE_TYPES may list only {', '.join(KNOWN_TYPES)}; got {', '.join(unknown) or 'nothing'}"
            )
        calendar = calendar_from_env(source)
        if get("ACTIVITY_BATCH_MAX_ITEMS") is not None:
            raise ConfigError(
                "ACTIVITY_BATCH_MAX_ITEMS is no longer a setting: a batch holds at most "
                f"{MAX_BATCH_ITEMS} entries, as the OpenAPI document says; remove the variable"
            )
        non_working_days = (get("ACTIVITY_NON_WORKING_DAYS") or "allow").lower()
        if non_working_days not in NON_WORKING_DAY_POLICIES:
            raise ConfigError(
                f"ACTIVITY_NON_WORKING_DAYS must be one of {', '.join(NON_WORKING_DAY_POLICIES)}; got "
                f"{non_working_days!r}"
            )
        return cls(
            timezone=ZoneInfo(settings.timezone),
            non_working_days=non_working_days,
            edit_window_close_day=integer("ACTIVITY_EDIT_WINDOW_CLOSE_DAY", 5, 0, 28),
            evidence_dir=Path(get("ACTIVITY_EVIDENCE_DIR") or "var/evidence"),
            evidence_max_bytes=integer("ACTIVITY_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024, 1, 1024 * 1024 * 1024),
            evidence_types=types,
            calendar=calendar,
        )


def current_config() -> ActivityConfig:
    """The service's own settings of the app serving this request (ServiceSpec.config, read at start-up)."""
    from kinerja_shared.web.app_factory import service_config

    return service_config()
