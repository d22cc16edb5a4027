"""The two deadlines of a period's evaluation steps: working days after the period ends, on the deployment's
calendar."""

from datetime import date

import pytest

from kinerja_shared.calendar import WorkCalendar
from kinerja_shared.config import ConfigError
from kinerja_shared.deadlines import Deadlines, add_working_days, deadlines_from_env


def test_working_days_skip_weekends_and_holidays():
    calendar = WorkCalendar(holidays={date(2026, 4, 3): "Jumat Agung"})
    # Q1 2026 ends on Tuesday 31 March: 1, 2, (3 holiday, 4-5 weekend), 6, 7, 8 April
    assert add_working_days(calendar, date(2026, 3, 31), 5) == date(2026, 4, 8)
    assert add_working_days(calendar, date(2026, 3, 31), 0) == date(2026, 3, 31)
    deadlines = Deadlines(5, 10, calendar)
    assert (deadlines.realisation(date(2026, 3, 31)), deadlines.evaluation(date(2026, 3, 31))) == (
        date(2026, 4, 8),
        date(2026, 4, 15),
    )


def test_settings_are_read_and_bad_ones_named():
    assert deadlines_from_env({"KINERJA_NATIONAL_HOLIDAYS": "none"}) == Deadlines(5, 10, WorkCalendar())
    national = deadlines_from_env({})  # by default the calendar has Indonesia's national holidays
    assert national.calendar.holidays[date(2027, 1, 1)] and national.realisation(date(2026, 12, 31)) == date(
        2027, 1, 11
    )
    got = deadlines_from_env(
        {
            "KINERJA_REALISATION_DEADLINE_DAYS": "3",
            "KINERJA_EVALUATION_DEADLINE_DAYS": "7",
            "KINERJA_WORKING_DAYS": "mon-sat",
        }
    )
    assert (got.realisation_days, got.evaluation_days, got.calendar.workdays) == (3, 7, frozenset(range(6)))
    with pytest.raises(ConfigError, match="KINERJA_REALISATION_DEADLINE_DAYS"):
        deadlines_from_env({"KINERJA_REALISATION_DEADLINE_DAYS": "soon"})
    with pytest.raises(ConfigError, match="KINERJA_EVALUATION_DEADLINE_DAYS"):
        deadlines_from_env({"KINERJA_REALISATION_DEADLINE_DAYS": "8", "KINERJA_EVALUATION_DEADLINE_DAYS": "4"})
