"""plan-service's own settings (PLAN_*), read once and validated at start-up.

| variable | default | meaning |
|---|---|---|
| PLAN_DEADLINE | 01-31 | MM-DD: the day of the year by which every employee's plan should be approved (completion monitoring) |

The common settings (database, Kafka, JWT, time zone) come from kinerja_shared.config. A bad
value raises ConfigError naming the variable, which stops gunicorn at start-up.

The most plans in one bulk approval is no setting but ``domain.MAX_BULK_APPROVE_ITEMS`` (500): the
OpenAPI document states it as maxItems and the schema enforces that very number. The former
PLAN_BULK_MAX_ITEMS is refused at start-up rather than silently ignored.
"""  # noqa: E501

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from kinerja_shared.config import ConfigError, Settings

from .domain import DEFAULT_DEADLINE, MAX_BULK_APPROVE_ITEMS, deadline_for, parse_deadline


@dataclass(frozen=True)
class PlanConfig:
    timezone: ZoneInfo
    deadline: tuple[int, int] = (1, 31)

    @classmethod
    def from_settings(cls, settings: Settings) -> PlanConfig:
        extra = settings.extra or {}
        raw = (extra.get("PLAN_DEADLINE") or "").strip() or DEFAULT_DEADLINE
        try:
            deadline = parse_deadline(raw)
        except ValueError as exc:
            raise ConfigError(f"PLAN_DEADLINE {exc}") from None
        if (extra.get("PLAN_BULK_MAX_ITEMS") or "").strip():
            raise ConfigError(
                f"PLAN_BULK_MAX_ITEMS is no longer a setting: a bulk approval holds at most "
                f"{MAX_BULK_APPROVE_ITEMS} plans, as the OpenAPI document says; remove the variable"
            )
        return cls(timezone=ZoneInfo(settings.timezone), deadline=deadline)

    def deadline_for(self, year: int) -> date:
        return deadline_for(year, self.deadline)


def current_config() -> PlanConfig:
    """PLAN_* settings of the app serving this request (ServiceSpec.config, read at start-up)."""
    from kinerja_shared.web.app_factory import service_config

    return service_config()
