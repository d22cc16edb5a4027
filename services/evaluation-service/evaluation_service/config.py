"""evaluation-service's own settings (EVALUATION_*), read once and validated at start-up.

The common settings (database, Kafka, JWT, time zone, EVALUATION_PERIOD_SCHEME) come from
kinerja_shared.config. These add what only this service reads:

| variable | default | meaning |
|---|---|---|
| EVALUATION_PERIOD_CLOCK_SECONDS | 300 | how often the worker's period clock opens the evaluations of the period holding today (10-86400) |
| KINERJA_WORKING_DAYS | mon,tue,wed,thu,fri | working weekdays (also ranges: ``mon-sat``); the dashboard's logging compliance counts these days |
| KINERJA_HOLIDAYS | (none) | days off: comma-separated ``YYYY-MM-DD`` or ``YYYY-MM-DD=Name`` |
| KINERJA_HOLIDAYS_FILE | (none) | a file of days off, one ``YYYY-MM-DD Name`` per line, ``#`` comments (adds to KINERJA_HOLIDAYS) |

The calendar settings are the deployment-wide ones activity-service and notification-service
read. Each setting is read from the service's Settings (``settings.extra``) first, then the
process environment. A bad value raises ConfigError naming the variable.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from kinerja_shared.config import ConfigError, Settings

from .domain import WorkCalendar, parse_holidays, parse_workdays

EXTENSION_KEY = "evaluation"


@dataclass(frozen=True)
class EvaluationConfig:
    period_clock_seconds: int = 300
    calendar: WorkCalendar = WorkCalendar()

    @classmethod
    def from_settings(cls, settings: Settings, env: Mapping[str, str] | None = None) -> "EvaluationConfig":
        source = dict(os.environ if env is None else env)
        source.update(settings.extra or {})

        def get(name: str) -> str | None:
            value = source.get(name)
            return value.strip() if value is not None and value.strip() else None

        raw = get("EVALUATION_PERIOD_CLOCK_SECONDS")
        clock = 300
        if raw is not None:
            try:
                clock = int(raw)
            except ValueError:
                raise ConfigError(f"EVALUATION_PERIOD_CLOCK_SECONDS must be a whole number, got {raw!r}") from None
            if not 10 <= clock <= 86400:
                raise ConfigError(f"EVALUATION_PERIOD_CLOCK_SECONDS must be between 10 and 86400, got {clock}")
        try:
            workdays = parse_workdays(get("KINERJA_WORKING_DAYS") or "mon,tue,wed,thu,fri")
        except ValueError as exc:
            raise ConfigError(f"KINERJA_WORKING_DAYS: {exc}") from None
        try:
            holidays = parse_holidays((get("KINERJA_HOLIDAYS") or "").split(","))
        except ValueError as exc:
            raise ConfigError(f"KINERJA_HOLIDAYS: {exc}") from None
        holidays_file = get("KINERJA_HOLIDAYS_FILE")
        if holidays_file:
            try:
                lines = Path(holidays_file).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise ConfigError(f"KINERJA_HOLIDAYS_FILE points to a file that cannot be read: {exc}") from None
            try:
                holidays.update(parse_holidays(lines))
            except ValueError as exc:
                raise ConfigError(f"KINERJA_HOLIDAYS_FILE ({holidays_file}): {exc}") from None
        return cls(period_clock_seconds=clock, calendar=WorkCalendar(workdays=workdays, holidays=holidays))


def install(app) -> EvaluationConfig:
    """Read and validate the settings once and keep them on the app (ServiceSpec.init_app)."""
    config = EvaluationConfig.from_settings(app.extensions["kinerja"].settings)
    app.extensions[EXTENSION_KEY] = config
    return config


def current_config() -> EvaluationConfig:
    """The settings of the app serving this request."""
    from flask import current_app

    config = current_app.extensions.get(EXTENSION_KEY)
    if config is None:
        config = install(current_app)
    return config
