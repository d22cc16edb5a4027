"""The deadlines of a period's two evaluation steps, the same in every service.

After a periodic period ends, the employee submits their realisation (per result: the
realisation, a narrative and the evidence) and then the rater evaluates. Both deadlines count
working days (the deployment's calendar, kinerja_shared.calendar) after the period's last day:

| variable | default | meaning |
|---|---|---|
| KINERJA_REALISATION_DEADLINE_DAYS | 5 | the employee submits their realisation by this working day after the period ends |
| KINERJA_EVALUATION_DEADLINE_DAYS | 10 | the rater evaluates by this working day after the period ends (not before the employee's deadline) |

evaluation-service shows them on the forms; notification-service reminds by them. Plain Python.
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from .calendar import WorkCalendar


def add_working_days(calendar: WorkCalendar, day: date, n: int) -> date:
    """The ``n``-th working day after ``day`` (``day`` itself when n is 0)."""
    found = day
    for _ in range(n):
        found += timedelta(days=1)
        while not calendar.is_working_day(found):
            found += timedelta(days=1)
    return found


@dataclass(frozen=True)
class Deadlines:
    realisation_days: int = 5
    evaluation_days: int = 10
    calendar: WorkCalendar = WorkCalendar()

    def realisation(self, period_end: date) -> date:
        """The employee's last day to submit the realisation of the period ending ``period_end``."""
        return add_working_days(self.calendar, period_end, self.realisation_days)

    def evaluation(self, period_end: date) -> date:
        """The rater's last day to evaluate the period ending ``period_end``."""
        return add_working_days(self.calendar, period_end, self.evaluation_days)

    def as_dict(self, period_end: date) -> dict:
        return {
            "realisation": self.realisation(period_end).isoformat(),
            "evaluation": self.evaluation(period_end).isoformat(),
            "realisation_days": self.realisation_days,
            "evaluation_days": self.evaluation_days,
        }


def deadlines_from_env(env: Mapping[str, str], calendar: WorkCalendar | None = None) -> Deadlines:
    """Read the two KINERJA_*_DEADLINE_DAYS settings; ConfigError naming the setting when one is bad."""
    from .calendar import calendar_from_env
    from .config import ConfigError, env_int

    realisation = env_int(env, "KINERJA_REALISATION_DEADLINE_DAYS", 5, 0, 60)
    evaluation = env_int(env, "KINERJA_EVALUATION_DEADLINE_DAYS", 10, 0, 90)
    if evaluation < realisation:
        raise ConfigError(
            f"KINERJA_EVALUATION_DEADLINE_DAYS ({evaluation}) must not be before "
            f"KINERJA_REALISATION_DEADLINE_DAYS ({realisation}): the rater evaluates after the employee submits"
        )
    return Deadlines(realisation, evaluation, calendar if calendar is not None else calendar_from_env(env))
