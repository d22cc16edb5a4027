"""evaluation-service's own settings (EVALUATION_*), read once and validated at start-up.

The common settings (database, Kafka, JWT, time zone, EVALUATION_PERIOD_SCHEME) come from
kinerja_shared.config. These add what only this service reads:

| variable | default | meaning |
|---|---|---|
| EVALUATION_PERIOD_CLOCK_SECONDS | 300 | how often the worker's period clock opens the evaluations of the period holding today (10-86400) |
| EVALUATION_DISTRIBUTION_ROUNDING | literal | how SE 03/2023's percentages become people: ``literal`` ("at most p %" allows floor(p × n), "at least p %" needs ceil(p × n)) or ``nearest`` (the nearest person, a half toward the rule) |
| KINERJA_WORKING_DAYS | mon,tue,wed,thu,fri | working weekdays (also ranges: ``mon-sat``); the dashboard's logging compliance counts these days |
| KINERJA_HOLIDAYS | (none) | days off: comma-separated ``YYYY-MM-DD`` or ``YYYY-MM-DD=Name`` |
| KINERJA_HOLIDAYS_FILE | (none) | a file of days off, one ``YYYY-MM-DD Name`` per line, ``#`` comments (adds to KINERJA_HOLIDAYS) |
| EVALUATION_EVIDENCE_DIR | var/realisation-evidence | where files the employees upload as a result's evidence are stored (shared storage when several web pods run) |
| EVALUATION_EVIDENCE_MAX_BYTES | 5242880 | largest accepted upload (PDF, JPEG or PNG, recognised by content) |
| KINERJA_REALISATION_DEADLINE_DAYS | 5 | the employee submits their realisation by this working day after the period ends (kinerja_shared.deadlines) |
| KINERJA_EVALUATION_DEADLINE_DAYS | 10 | the rater evaluates by this working day after the period ends |

The calendar settings are the deployment-wide ones activity-service and notification-service
read. Each setting is read from the service's Settings (``settings.extra``) first, then the
process environment. A bad value raises ConfigError naming the variable.
"""  # noqa: E501

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kinerja_shared.calendar import WorkCalendar, calendar_from_env
from kinerja_shared.config import ConfigError, Settings, env_int
from kinerja_shared.deadlines import Deadlines, deadlines_from_env


@dataclass(frozen=True)
class EvaluationConfig:
    period_clock_seconds: int = 300
    calendar: WorkCalendar = WorkCalendar()
    distribution_rounding: str = "literal"
    deadlines: Deadlines = Deadlines()
    evidence_dir: Path = Path("var/realisation-evidence")
    evidence_max_bytes: int = 5 * 1024 * 1024

    @classmethod
    def from_settings(cls, settings: Settings, env: Mapping[str, str] | None = None) -> EvaluationConfig:
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
        calendar = calendar_from_env(source)
        rounding = (get("EVALUATION_DISTRIBUTION_ROUNDING") or "literal").lower()
        if rounding not in ("literal", "nearest"):
            raise ConfigError(f"EVALUATION_DISTRIBUTION_ROUNDING must be literal or nearest, got {rounding!r}")
        return cls(
            period_clock_seconds=clock,
            calendar=calendar,
            distribution_rounding=rounding,
            deadlines=deadlines_from_env(source, calendar),
            evidence_dir=Path(get("EVALUATION_EVIDENCE_DIR") or "var/realisation-evidence"),
            evidence_max_bytes=env_int(source, "EVALUATION_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024, 1, 1024 * 1024 * 1024),
        )


def current_config() -> EvaluationConfig:
    """The service's own settings of the app serving this request (ServiceSpec.config, read at start-up)."""
    from kinerja_shared.web.app_factory import service_config

    return service_config()
