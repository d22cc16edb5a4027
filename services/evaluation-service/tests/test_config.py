"""evaluation-service's own settings: defaults, validation naming the variable, the working-day calendar."""

from datetime import date

import pytest

from evaluation_service.config import EvaluationConfig
from evaluation_service.domain import WorkCalendar, parse_holidays, parse_workdays
from kinerja_shared.config import ConfigError, Settings


def _config(**env):
    return EvaluationConfig.from_settings(
        Settings.from_env("evaluation-service", {"DATABASE_URL": "sqlite:///x.db", **env}), env={}
    )


def test_defaults():
    config = _config()
    assert config.period_clock_seconds == 300
    assert config.calendar.workdays == frozenset({0, 1, 2, 3, 4})
    assert config.calendar.holiday(date(2026, 8, 17)), "Indonesia's national holidays by default (the holidays package)"
    assert config.distribution_rounding == "literal"


def test_distribution_rounding_is_a_policy():
    assert _config(EVALUATION_DISTRIBUTION_ROUNDING="nearest").distribution_rounding == "nearest"
    assert _config(EVALUATION_DISTRIBUTION_ROUNDING=" Literal ").distribution_rounding == "literal"
    with pytest.raises(ConfigError, match="EVALUATION_DISTRIBUTION_ROUNDING"):
        _config(EVALUATION_DISTRIBUTION_ROUNDING="up")


def test_settings_are_read_and_bad_ones_named(tmp_path):
    days_off = tmp_path / "libur.txt"
    days_off.write_text("# 2026\n2026-12-25 Natal\n2026-12-24=Cuti bersama\n")
    config = _config(
        EVALUATION_PERIOD_CLOCK_SECONDS="60",
        KINERJA_WORKING_DAYS="mon-sat",
        KINERJA_NATIONAL_HOLIDAYS="none",
        KINERJA_HOLIDAYS="2026-08-17=HUT RI",
        KINERJA_HOLIDAYS_FILE=str(days_off),
    )
    assert config.period_clock_seconds == 60 and 5 in config.calendar.workdays
    assert set(config.calendar.holidays) == {date(2026, 8, 17), date(2026, 12, 25), date(2026, 12, 24)}
    for env, name in [
        ({"EVALUATION_PERIOD_CLOCK_SECONDS": "soon"}, "EVALUATION_PERIOD_CLOCK_SECONDS"),
        ({"EVALUATION_PERIOD_CLOCK_SECONDS": "5"}, "EVALUATION_PERIOD_CLOCK_SECONDS"),
        ({"KINERJA_WORKING_DAYS": "fri-mon"}, "KINERJA_WORKING_DAYS"),
        ({"KINERJA_HOLIDAYS": "17-08-2026"}, "KINERJA_HOLIDAYS"),
        ({"KINERJA_HOLIDAYS_FILE": str(tmp_path / "missing")}, "KINERJA_HOLIDAYS_FILE"),
    ]:
        with pytest.raises(ConfigError, match=name):
            _config(**env)


def test_calendar_counts_working_days():
    calendar = WorkCalendar(parse_workdays("mon-fri"), parse_holidays(["2026-12-25 Natal"]))
    days = calendar.working_days(date(2026, 12, 21), date(2026, 12, 27))
    assert days == [date(2026, 12, 21), date(2026, 12, 22), date(2026, 12, 23), date(2026, 12, 24)]
    with pytest.raises(ValueError):
        parse_workdays("")
