"""activity-service's own settings: defaults, and bad values named at start-up."""

from datetime import date
from pathlib import Path

import pytest

from activity_service.config import ActivityConfig
from kinerja_shared.config import ConfigError, Settings


def config(**env) -> ActivityConfig:
    return ActivityConfig.from_settings(Settings.from_env("activity-service", {}), env)


def test_defaults():
    cfg = config()
    assert cfg.edit_window_close_day == 5
    assert cfg.evidence_dir == Path("var/evidence")
    assert cfg.evidence_max_bytes == 5 * 1024 * 1024
    assert cfg.evidence_types == ("application/pdf", "image/jpeg", "image/png")
    assert cfg.calendar.workdays == frozenset(range(5))
    assert (
        cfg.calendar.holiday(date(2026, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"
    )  # national, from the holidays package
    assert cfg.non_working_days == "allow"
    assert str(cfg.timezone) == "Asia/Jakarta"


def test_values_from_the_environment(tmp_path):
    holidays = tmp_path / "libur.txt"
    holidays.write_text("2026-08-17 Hari Kemerdekaan\n# cuti bersama\n2026-12-24\n")
    cfg = config(
        ACTIVITY_EDIT_WINDOW_CLOSE_DAY="10",
        ACTIVITY_EVIDENCE_DIR=str(tmp_path),
        ACTIVITY_EVIDENCE_MAX_BYTES="1000",
        ACTIVITY_EVIDENCE_TYPES="application/pdf, image/webp",
        KINERJA_WORKING_DAYS="mon-sat",
        KINERJA_HOLIDAYS="2026-01-01=Tahun Baru,2026-03-19",
        KINERJA_HOLIDAYS_FILE=str(holidays),
    )
    assert (cfg.edit_window_close_day, cfg.evidence_max_bytes) == (10, 1000)
    assert cfg.evidence_types == ("application/pdf", "image/webp")
    assert cfg.calendar.is_working_day(date(2026, 8, 15))  # a Saturday, with mon-sat
    assert cfg.calendar.holiday(date(2026, 8, 17)) == "Hari Kemerdekaan"
    assert cfg.calendar.holiday(date(2026, 1, 1)) == "Tahun Baru"
    assert cfg.calendar.holiday(date(2026, 12, 24)) == "holiday"


@pytest.mark.parametrize(
    "name,value",
    [
        ("ACTIVITY_EDIT_WINDOW_CLOSE_DAY", "29"),
        ("ACTIVITY_EDIT_WINDOW_CLOSE_DAY", "five"),
        ("ACTIVITY_EVIDENCE_MAX_BYTES", "0"),
        ("ACTIVITY_EVIDENCE_TYPES", "application/x-msdownload"),
        ("KINERJA_WORKING_DAYS", "mon,funday"),
        ("KINERJA_HOLIDAYS", "2026-02-30"),
        ("KINERJA_HOLIDAYS_FILE", "/no/such/file"),
        ("ACTIVITY_BATCH_MAX_ITEMS", "20"),
        ("ACTIVITY_NON_WORKING_DAYS", "sometimes"),
        ("KINERJA_NATIONAL_HOLIDAYS", "narnia"),  # no longer a setting: the documented maxItems is the limit
    ],
)
def test_a_bad_value_is_refused_naming_the_setting(name, value):
    with pytest.raises(ConfigError, match=name):
        config(**{name: value})
