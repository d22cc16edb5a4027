"""The deployment's working-day calendar (pure unit tests)."""
from datetime import date

import pytest

from kinerja_shared.calendar import WorkCalendar, calendar_from_env, parse_holidays, parse_workdays
from kinerja_shared.config import ConfigError


def test_defaults_are_monday_to_friday_without_holidays():
    cal = calendar_from_env({})
    assert cal.workdays == frozenset(range(5)) and not cal.holidays
    assert cal.is_working_day(date(2026, 11, 27)) and not cal.is_working_day(date(2026, 11, 28))


def test_ranges_lists_and_holidays_from_variable_and_file(tmp_path):
    holidays = tmp_path / "libur.txt"
    holidays.write_text("# libur nasional 2026\n2026-12-25 Hari Raya Natal\n")
    cal = calendar_from_env({"KINERJA_WORKING_DAYS": "mon-thu,sat", "KINERJA_HOLIDAYS": "2026-08-17=Hari Kemerdekaan",
                             "KINERJA_HOLIDAYS_FILE": str(holidays)})
    assert cal.workdays == frozenset({0, 1, 2, 3, 5})
    assert cal.holiday(date(2026, 8, 17)) == "Hari Kemerdekaan" and cal.holiday(date(2026, 12, 25)) == "Hari Raya Natal"
    assert cal.working_days(date(2026, 12, 21), date(2026, 12, 27)) == [date(2026, 12, 21), date(2026, 12, 22),
                                                                         date(2026, 12, 23), date(2026, 12, 24), date(2026, 12, 26)]


@pytest.mark.parametrize("env, named", [
    ({"KINERJA_WORKING_DAYS": "moon"}, "KINERJA_WORKING_DAYS"),
    ({"KINERJA_WORKING_DAYS": "fri-mon"}, "KINERJA_WORKING_DAYS"),
    ({"KINERJA_HOLIDAYS": "17-08-2026"}, "KINERJA_HOLIDAYS"),
    ({"KINERJA_HOLIDAYS_FILE": "/nonexistent/libur.txt"}, "KINERJA_HOLIDAYS_FILE"),
])
def test_bad_calendar_settings_are_named(env, named):
    with pytest.raises(ConfigError, match=named):
        calendar_from_env(env)


def test_parsers_directly():
    assert parse_workdays("mon,wed") == frozenset({0, 2})
    assert parse_holidays(["2026-01-01", "2026-03-20 Idul Fitri  # cuti"]) == {date(2026, 1, 1): "holiday", date(2026, 3, 20): "Idul Fitri"}
    assert WorkCalendar().working_days(date(2026, 11, 28), date(2026, 11, 29)) == []
