"""The deployment's working-day calendar (pure unit tests)."""

from datetime import date

import pytest

from kinerja_shared.calendar import WorkCalendar, calendar_from_env, parse_holidays, parse_workdays
from kinerja_shared.config import ConfigError


def test_defaults_are_monday_to_friday_and_indonesia_s_national_holidays():
    cal = calendar_from_env({})
    assert cal.workdays == frozenset(range(5))
    assert cal.is_working_day(date(2026, 11, 27)) and not cal.is_working_day(date(2026, 11, 28))
    # From the holidays package, in Bahasa Indonesia: no list typed by hand each year.
    assert cal.holiday(date(2026, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"
    assert not cal.is_working_day(date(2026, 12, 25)) and cal.holiday(date(2026, 12, 25))
    assert cal.holiday(date(2026, 3, 21)) == "Hari Raya Idul Fitri"  # a lunar date the library computes
    assert cal.holiday(date(2027, 1, 1)), "next year's are there too"


def test_cuti_bersama_and_regional_days_add_to_the_national_ones_and_none_leaves_those_out():
    cal = calendar_from_env({"KINERJA_HOLIDAYS": "2026-03-23=Cuti Bersama Idul Fitri,2026-04-20=Hari Jadi Kota Binjai"})
    assert (
        cal.holiday(date(2026, 3, 23)) == "Cuti Bersama Idul Fitri"
        and cal.holiday(date(2026, 4, 20)) == "Hari Jadi Kota Binjai"
    )
    assert cal.holiday(date(2026, 8, 17))
    own = calendar_from_env(
        {"KINERJA_NATIONAL_HOLIDAYS": "none", "KINERJA_HOLIDAYS": "2026-04-20=Hari Jadi Kota Binjai"}
    )
    assert dict(own.holidays) == {date(2026, 4, 20): "Hari Jadi Kota Binjai"} and own.is_working_day(date(2026, 8, 17))


def test_ranges_lists_and_holidays_from_variable_and_file(tmp_path):
    holidays = tmp_path / "libur.txt"
    holidays.write_text("# libur nasional 2026\n2026-12-25 Hari Raya Natal\n")
    cal = calendar_from_env(
        {
            "KINERJA_WORKING_DAYS": "mon-thu,sat",
            "KINERJA_HOLIDAYS": "2026-08-17=Hari Kemerdekaan",
            "KINERJA_HOLIDAYS_FILE": str(holidays),
        }
    )
    assert cal.workdays == frozenset({0, 1, 2, 3, 5})
    assert cal.holiday(date(2026, 8, 17)) == "Hari Kemerdekaan" and cal.holiday(date(2026, 12, 25)) == "Hari Raya Natal"
    assert cal.working_days(date(2026, 12, 21), date(2026, 12, 27)) == [
        date(2026, 12, 21),
        date(2026, 12, 22),
        date(2026, 12, 23),
        date(2026, 12, 24),
        date(2026, 12, 26),
    ]


@pytest.mark.parametrize(
    "env, named",
    [
        ({"KINERJA_WORKING_DAYS": "moon"}, "KINERJA_WORKING_DAYS"),
        ({"KINERJA_WORKING_DAYS": "fri-mon"}, "KINERJA_WORKING_DAYS"),
        ({"KINERJA_HOLIDAYS": "17-08-2026"}, "KINERJA_HOLIDAYS"),
        ({"KINERJA_HOLIDAYS_FILE": "/nonexistent/libur.txt"}, "KINERJA_HOLIDAYS_FILE"),
        ({"KINERJA_NATIONAL_HOLIDAYS": "atlantis"}, "KINERJA_NATIONAL_HOLIDAYS"),
    ],
)
def test_bad_calendar_settings_are_named(env, named):
    with pytest.raises(ConfigError, match=named):
        calendar_from_env(env)


def test_parsers_directly():
    assert parse_workdays("mon,wed") == frozenset({0, 2})
    assert parse_holidays(["2026-01-01", "2026-03-20 Idul Fitri  # cuti"]) == {
        date(2026, 1, 1): "holiday",
        date(2026, 3, 20): "Idul Fitri",
    }
    assert WorkCalendar().working_days(date(2026, 11, 28), date(2026, 11, 29)) == []
