"""The rules in plain Python: channels, predicates, local time, quiet hours, backoff, the reminder calendar."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from notification_service import domain

WIB = "Asia/Jakarta"


def test_every_category_reaches_the_inbox_by_default_and_broadcasts_skip_email():
    assert set(domain.DEFAULT_CHANNELS) == set(domain.CATEGORIES)
    assert all(c[domain.INBOX] for c in domain.DEFAULT_CHANNELS.values())
    assert domain.DEFAULT_CHANNELS["plan_returned"] == {"inbox": True, "email": True}
    assert domain.DEFAULT_CHANNELS["calibration_finalised"]["email"] is False
    assert set(domain.CATEGORY_DESCRIPTIONS) == set(domain.CATEGORIES)


def test_a_persons_choice_overrides_only_what_it_names():
    assert domain.channels_for("feedback_given", {"email": True}) == {"inbox": True, "email": True}
    assert domain.channels_for("plan_returned", {"inbox": False}) == {"inbox": False, "email": True}
    assert domain.channels_for("plan_returned", {"sms": True}) == {"inbox": True, "email": True}
    assert domain.channels_for("plan_returned", None) == domain.DEFAULT_CHANNELS["plan_returned"]


@pytest.mark.parametrize(
    "code, name",
    [
        ("SANGAT_BAIK", "Sangat Baik"),
        ("BAIK", "Baik"),
        ("BUTUH_PERBAIKAN", "Butuh Perbaikan"),
        ("KURANG", "Kurang/Misconduct"),
        ("SANGAT_KURANG", "Sangat Kurang"),
    ],
)
def test_predicates_are_shown_in_indonesian(code, name):
    assert domain.predicate_name(code) == name
    assert name in domain.predicate_name(code, "en")


def test_dates_in_indonesian_and_english():
    assert domain.format_date(date(2026, 3, 10)) == "10 Maret 2026"
    assert domain.format_date(date(2026, 8, 17), "en") == "17 August 2026"


def test_local_date_is_wib_not_utc():
    late_evening_utc = datetime(2026, 3, 10, 17, 30, tzinfo=UTC)  # 00:30 WIB on the 11th
    assert domain.local_date(late_evening_utc, WIB) == date(2026, 3, 11)
    assert domain.local_date(datetime(2026, 3, 10, 16, 59), WIB) == date(2026, 3, 10)  # naive = UTC
    assert domain.at_local(date(2026, 3, 10), time(16, 0), WIB) == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def test_parse_times():
    assert domain.parse_hhmm("15:30") == time(15, 30)
    for bad in ("15.30", "24:00", "7:00", "", "12:60"):
        with pytest.raises(ValueError):
            domain.parse_hhmm(bad)


def test_quiet_hours_that_wrap_midnight():
    quiet = domain.parse_quiet_hours("21:00-06:00")
    assert quiet.contains(time(21, 0)) and quiet.contains(time(23, 59)) and quiet.contains(time(5, 59))
    assert not quiet.contains(time(6, 0)) and not quiet.contains(time(12, 0)) and not quiet.contains(time(20, 59))
    # 22:00 WIB (15:00 UTC) → the window ends at 06:00 WIB the next day (23:00 UTC)
    assert quiet.ends_after(datetime(2026, 3, 10, 15, 0, tzinfo=UTC), WIB) == datetime(2026, 3, 10, 23, 0, tzinfo=UTC)
    # 02:00 WIB on the 11th (19:00 UTC on the 10th) → 06:00 WIB the same local day
    assert quiet.ends_after(datetime(2026, 3, 10, 19, 0, tzinfo=UTC), WIB) == datetime(2026, 3, 10, 23, 0, tzinfo=UTC)
    noon = datetime(2026, 3, 10, 5, 0, tzinfo=UTC)
    assert quiet.ends_after(noon, WIB) == noon


def test_quiet_hours_within_a_day_and_off():
    lunch = domain.parse_quiet_hours("12:00-13:00")
    assert lunch.contains(time(12, 30)) and not lunch.contains(time(13, 0))
    assert domain.parse_quiet_hours("off") is None and domain.parse_quiet_hours("") is None
    for bad in ("21:00", "21:00-21:00", "9-17"):
        with pytest.raises(ValueError):
            domain.parse_quiet_hours(bad)


def test_backoff_doubles_up_to_a_cap():
    assert [domain.backoff_seconds(n, 10, 60) for n in range(0, 6)] == [0, 10, 20, 40, 60, 60]


def test_working_days_and_holidays():
    weekdays = frozenset(range(5))
    nyepi = date(2026, 3, 19)
    assert domain.is_working_day(date(2026, 3, 10), weekdays, frozenset())  # Tuesday
    assert not domain.is_working_day(date(2026, 3, 14), weekdays, frozenset())  # Saturday
    assert not domain.is_working_day(nyepi, weekdays, frozenset({nyepi}))


def test_a_reminder_is_due_from_its_time_until_the_catch_up_ends():
    at = time(15, 30)
    catch_up = timedelta(hours=4)
    day = datetime(2026, 3, 10, 0, 0)
    assert not domain.due_window(day.replace(hour=15, minute=29), at, catch_up)
    assert domain.due_window(day.replace(hour=15, minute=30), at, catch_up)
    assert domain.due_window(day.replace(hour=19, minute=29), at, catch_up)
    assert not domain.due_window(day.replace(hour=19, minute=30), at, catch_up)


def test_plan_deadline_window_and_evaluation_due():
    assert domain.plan_deadline_near(date(2026, 1, 24), (1, 31), 7) == date(2026, 1, 31)
    assert domain.plan_deadline_near(date(2026, 1, 31), (1, 31), 7) == date(2026, 1, 31)
    assert domain.plan_deadline_near(date(2026, 1, 23), (1, 31), 7) is None
    assert domain.plan_deadline_near(date(2026, 2, 1), (1, 31), 7) is None
    assert domain.evaluation_due(date(2026, 3, 26), date(2026, 3, 31), 5)
    assert not domain.evaluation_due(date(2026, 3, 25), date(2026, 3, 31), 5)
    assert domain.evaluation_due(date(2026, 4, 10), date(2026, 3, 31), 5)  # still open after the end


def test_item_keys_make_items_idempotent():
    assert domain.event_item_key("plan_approved", "e1", "n1") == domain.event_item_key("plan_approved", "e1", "n1")
    assert domain.event_item_key("plan_approved", "e1", "n1") != domain.event_item_key("plan_approved", "e1", "n2")
    assert domain.digest_key("activity_digest", "r", "2026-03-10") != domain.digest_key(
        "activity_digest", "r", "2026-03-11"
    )
    assert domain.reminder_key("reminder_activity_missing", "n", date(2026, 3, 10)).endswith("2026-03-10")
