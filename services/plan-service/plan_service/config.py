"""plan-service's own settings (PLAN_*), read once and validated at start-up.

| variable | default | meaning |
|---|---|---|
| PLAN_DEADLINE | 01-31 | MM-DD: the day of the year by which every employee's plan should be approved (completion monitoring) |
| PLAN_BULK_MAX_ITEMS | 500 | most plans in one bulk approval |

The common settings (database, Kafka, JWT, time zone) come from kinerja_shared.config. A bad
value raises ConfigError naming the variable, which stops gunicorn at start-up.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from kinerja_shared.config import ConfigError, Settings

from .domain import DEFAULT_DEADLINE, deadline_for, parse_deadline



@dataclass(frozen=True)
class PlanConfig:
    timezone: ZoneInfo
    deadline: tuple[int, int] = (1, 31)
    bulk_max_items: int = 500

    @classmethod
    def from_settings(cls, settings: Settings) -> "PlanConfig":
        extra = settings.extra or {}
        raw = (extra.get("PLAN_DEADLINE") or "").strip() or DEFAULT_DEADLINE
        try:
            deadline = parse_deadline(raw)
        except ValueError as exc:
            raise ConfigError(f"PLAN_DEADLINE {exc}") from None
        raw_max = (extra.get("PLAN_BULK_MAX_ITEMS") or "").strip() or "500"
        if not raw_max.isdigit() or not 1 <= int(raw_max) <= 5000:
            raise ConfigError(f"PLAN_BULK_MAX_ITEMS must be a whole number from 1 to 5000, got {raw_max!r}")
        return cls(timezone=ZoneInfo(settings.timezone), deadline=deadline, bulk_max_items=int(raw_max))

    def today(self) -> date:
        return datetime.now(self.timezone).date()

    def deadline_for(self, year: int) -> date:
        return deadline_for(year, self.deadline)


def current_config() -> PlanConfig:
    """PLAN_* settings of the app serving this request (ServiceSpec.config, read at start-up)."""
    from kinerja_shared.web.app_factory import service_config

    return service_config()
