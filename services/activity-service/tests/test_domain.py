"""The rules of activities, alone: no servers, no Flask, no database."""

from datetime import date

import pytest

from activity_service import domain
from activity_service.domain import DomainError, IndicatorInForce
from kinerja_shared.errors import InvalidTransition

# -- times -------------------------------------------------------------------------------------


def test_times_parse_and_format():
    assert domain.parse_hhmm("00:00") == 0
    assert domain.parse_hhmm("07:30") == 450
    assert domain.parse_hhmm("23:59") == 1439
    assert domain.format_hhmm(450) == "07:30"
    assert domain.duration("08:00", "09:30") == (480, 570, 90)


@pytest.mark.parametrize("bad", ["24:00", "7:30", "07:60", "ab:cd", "", "07:30:00"])
def test_malformed_times_are_refused_naming_the_field(bad):
    with pytest.raises(DomainError) as err:
        domain.parse_hhmm(bad, "end_time")
    assert err.value.field == "end_time"


@pytest.mark.parametrize("start,end", [("09:00", "09:00"), ("10:00", "09:59")])
def test_end_must_come_after_start(start, end):
    with pytest.raises(DomainError) as err:
        domain.duration(start, end)
    assert err.value.field == "end_time"


def test_overlap_is_half_open():
    assert domain.overlaps(480, 540, 500, 600)
    assert domain.overlaps(480, 600, 500, 510)  # contains
    assert not domain.overlaps(480, 540, 540, 600)  # 08:00-09:00 then 09:00-10:00
    assert not domain.overlaps(540, 600, 480, 540)
    others = [("a", 420, 480), ("b", 500, 560), ("c", 550, 700)]
    assert domain.first_overlap(480, 510, others) == "b"
    assert domain.first_overlap(400, 420, others) is None


# -- dates -------------------------------------------------------------------------------------


def test_edit_window_keeps_the_previous_month_open_until_the_close_day():
    assert domain.edit_window_start(date(2026, 3, 5), 5) == date(2026, 2, 1)
    assert domain.edit_window_start(date(2026, 3, 6), 5) == date(2026, 3, 1)
    assert domain.edit_window_start(date(2026, 1, 3), 5) == date(2025, 12, 1)
    assert domain.edit_window_start(date(2026, 3, 1), 0) == date(2026, 3, 1)


def test_check_date_refuses_future_and_closed_dates():
    today = date(2026, 3, 4)
    domain.check_date(date(2026, 3, 4), today, 5)
    domain.check_date(date(2026, 2, 1), today, 5)
    with pytest.raises(DomainError, match="future") as err:
        domain.check_date(date(2026, 3, 5), today, 5)
    assert err.value.field == "date"
    with pytest.raises(DomainError, match="edit window"):
        domain.check_date(date(2026, 1, 31), today, 5)
    with pytest.raises(DomainError, match="edit window"):
        domain.check_date(date(2026, 2, 28), date(2026, 3, 6), 5)


def test_quantity_must_not_be_negative():
    domain.check_quantity(0)
    domain.check_quantity(2.5)
    with pytest.raises(DomainError) as err:
        domain.check_quantity(-1)
    assert err.value.field == "quantity"
    with pytest.raises(DomainError):
        domain.check_quantity(float("nan"))


def test_month_bounds():
    assert domain.month_bounds("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert domain.month_bounds("2028-02") == (date(2028, 2, 1), date(2028, 2, 29))
    assert domain.month_bounds("2026-12") == (date(2026, 12, 1), date(2026, 12, 31))
    with pytest.raises(DomainError):
        domain.month_bounds("2026-13")


# -- indicators --------------------------------------------------------------------------------


def _ind(plan, start, end, revision=1, indicator="i1"):
    return IndicatorInForce(
        plan_id=plan, result_id="r1", indicator_id=indicator, period_start=start, period_end=end, revision=revision
    )


def test_indicator_must_be_in_the_plan_in_force_on_the_date():
    plans = [_ind("old", date(2026, 1, 1), date(2026, 6, 30)), _ind("new", date(2026, 7, 1), date(2026, 12, 31))]
    assert domain.indicator_in_force(plans, "i1", date(2026, 3, 1)).plan_id == "old"
    assert domain.indicator_in_force(plans, "i1", date(2026, 7, 1)).plan_id == "new"
    with pytest.raises(DomainError) as err:
        domain.indicator_in_force(plans, "i1", date(2027, 1, 1))
    assert err.value.field == "indicator_id"
    with pytest.raises(DomainError):
        domain.indicator_in_force(plans, "other", date(2026, 3, 1))


def test_when_two_plans_cover_a_day_the_later_one_wins():
    plans = [_ind("year", date(2026, 1, 1), date(2026, 12, 31)), _ind("transfer", date(2026, 5, 1), date(2026, 12, 31))]
    assert domain.indicator_in_force(plans, "i1", date(2026, 6, 1)).plan_id == "transfer"


# -- statuses ----------------------------------------------------------------------------------


def test_only_pending_entries_change():
    assert domain.next_status("edit", "pending") == "pending"
    assert domain.next_status("withdraw", "pending") == "withdrawn"
    assert domain.next_status("accept", "pending") == "accepted"
    assert domain.next_status("reject", "pending") == "rejected"
    for action in ("edit", "withdraw", "accept", "reject"):
        for locked in ("accepted", "rejected", "withdrawn"):
            with pytest.raises(InvalidTransition):
                domain.next_status(action, locked)
    with pytest.raises(InvalidTransition, match="locked"):
        domain.next_status("edit", "accepted")


def test_a_rejection_needs_a_reason():
    assert domain.check_decision("accepted", None) is None
    assert domain.check_decision("rejected", "  no evidence ") == "no evidence"
    with pytest.raises(DomainError) as err:
        domain.check_decision("rejected", "   ")
    assert err.value.field == "reason"
    with pytest.raises(DomainError) as err:
        domain.check_decision("maybe", None)
    assert err.value.field == "decision"


# -- evidence ----------------------------------------------------------------------------------

PDF = b"%PDF-1.7\n..."
PNG = b"\x89PNG\r\n\x1a\n...."
TYPES = ("application/pdf", "image/jpeg", "image/png")


def test_uploads_are_checked_by_size_and_content():
    assert domain.check_upload("application/pdf", PDF, 100, max_bytes=1000, allowed_types=TYPES) == (
        "application/pdf",
        ".pdf",
    )
    assert domain.check_upload("application/octet-stream", PNG, 100, max_bytes=1000, allowed_types=TYPES) == (
        "image/png",
        ".png",
    )
    with pytest.raises(DomainError) as err:
        domain.check_upload("application/pdf", PDF, 1001, max_bytes=1000, allowed_types=TYPES)
    assert (err.value.field, err.value.status) == ("file", 413)
    with pytest.raises(DomainError) as err:  # an executable calling itself a PDF
        domain.check_upload("application/pdf", b"MZ\x90\x00", 100, max_bytes=1000, allowed_types=TYPES)
    assert err.value.status == 415
    with pytest.raises(DomainError) as err:  # a PNG declared as a PDF
        domain.check_upload("application/pdf", PNG, 100, max_bytes=1000, allowed_types=TYPES)
    assert err.value.status == 415
    with pytest.raises(DomainError):
        domain.check_upload("image/png", PNG, 100, max_bytes=1000, allowed_types=("application/pdf",))
    with pytest.raises(DomainError):
        domain.check_upload("application/pdf", b"", 0, max_bytes=1000, allowed_types=TYPES)


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "..\\boot.ini", "a/b.pdf", ".htaccess", "x\x00.pdf", "", "a" * 201]
)
def test_file_names_with_paths_or_tricks_are_refused(name):
    with pytest.raises(DomainError) as err:
        domain.check_file_name(name)
    assert err.value.field == "file"


def test_plain_file_names_are_kept_for_display():
    assert domain.check_file_name(" laporan harian 3 Maret.pdf ") == "laporan harian 3 Maret.pdf"


def test_links_must_be_http():
    assert domain.check_link(" https://example.go.id/x ") == "https://example.go.id/x"
    for bad in ("javascript:alert(1)", "ftp://x", "notaurl", "https://"):
        with pytest.raises(DomainError):
            domain.check_link(bad, "evidence.0.url")


# -- calendar ----------------------------------------------------------------------------------


def test_calendar_from_configuration():
    workdays = domain.parse_workdays("mon-fri")
    assert workdays == frozenset(range(5))
    assert domain.parse_workdays("mon,tue,wed,thu,fri,sat") == frozenset(range(6))
    holidays = domain.parse_holidays(
        ["2026-03-19 Hari Suci Nyepi", "# comment", "", "2026-08-17=Hari Kemerdekaan", "2026-12-25"]
    )
    assert holidays[date(2026, 3, 19)] == "Hari Suci Nyepi"
    assert holidays[date(2026, 8, 17)] == "Hari Kemerdekaan"
    assert holidays[date(2026, 12, 25)] == "holiday"
    cal = domain.WorkCalendar(workdays=workdays, holidays=holidays)
    assert cal.is_working_day(date(2026, 3, 18))  # Wednesday
    assert not cal.is_working_day(date(2026, 3, 19))  # Nyepi, a Thursday
    assert not cal.is_working_day(date(2026, 3, 21))  # Saturday
    assert len(cal.working_days(date(2026, 3, 16), date(2026, 3, 22))) == 4
    with pytest.raises(ValueError):
        domain.parse_workdays("mon,funday")
    with pytest.raises(ValueError):
        domain.parse_holidays(["2026-02-30 not a date"])


# -- summaries ---------------------------------------------------------------------------------


def test_monthly_summary_splits_by_status_and_totals_add_up():
    rows = [
        {
            "indicator_id": "i1",
            "plan_id": "p",
            "result_id": "r",
            "status": "accepted",
            "minutes": 120,
            "entries": 2,
            "quantity": 3,
        },
        {
            "indicator_id": "i1",
            "plan_id": "p",
            "result_id": "r",
            "status": "pending",
            "minutes": 30,
            "entries": 1,
            "quantity": 1,
        },
        {
            "indicator_id": "i2",
            "plan_id": "p",
            "result_id": "r",
            "status": "rejected",
            "minutes": 60,
            "entries": 1,
            "quantity": 0.5,
        },
        {
            "indicator_id": "i2",
            "plan_id": "p",
            "result_id": "r",
            "status": "withdrawn",
            "minutes": 99,
            "entries": 9,
            "quantity": 9,
        },
    ]
    summary = domain.monthly_summary(rows)
    i1, i2 = summary["indicators"]
    assert i1["verified"] == {"minutes": 120, "entries": 2, "quantity": 3.0, "quantity_excluded": 0}
    assert i1["pending"] == {"minutes": 30, "entries": 1, "quantity": 1.0, "quantity_excluded": 0}
    assert i2["rejected"] == {"minutes": 60, "entries": 1, "quantity": 0.5, "quantity_excluded": 0}
    assert summary["totals"]["verified"]["minutes"] == 120
    assert summary["totals"]["rejected"]["entries"] == 1
    assert sum(b["minutes"] for b in summary["totals"].values()) == 210  # withdrawn counts nowhere


def test_fingerprint_is_stable_and_sensitive():
    a = {"date": date(2026, 3, 2), "quantity": 1.0, "evidence": []}
    assert domain.fingerprint(a) == domain.fingerprint(dict(reversed(list(a.items()))))
    assert domain.fingerprint(a) != domain.fingerprint({**a, "quantity": 2.0})


def test_monthly_summary_leaves_unusable_quantities_out_and_counts_them():
    rows = [
        {
            "indicator_id": "i1",
            "plan_id": "p",
            "status": "accepted",
            "minutes": 60,
            "entries": 2,
            "quantity": 4,
            "quantity_excluded": 1,
        },  # the SQL left one entry's stored quantity out
        {
            "indicator_id": "i2",
            "plan_id": "p",
            "status": "accepted",
            "minutes": 60,
            "entries": 1,
            "quantity": float("inf"),
        },
    ]
    summary = domain.monthly_summary(rows)
    assert summary["totals"]["verified"] == {"minutes": 120, "entries": 3, "quantity": 4.0, "quantity_excluded": 2}


@pytest.mark.parametrize("quantity", [float("inf"), float("nan"), 10_000.01, 1e308])
def test_a_quantity_outside_the_per_entry_bounds_breaks_a_rule(quantity):
    with pytest.raises(domain.DomainError) as caught:
        domain.check_quantity(quantity)
    assert caught.value.field == "quantity"


def test_occupancy_names_the_earliest_clash_as_a_scan_of_the_whole_day_would():
    import random

    day = date(2026, 12, 7)
    rng = random.Random(7)
    ranges = []
    for i in range(300):  # overlapping among themselves too, as hand-loaded data might
        start = rng.randrange(0, 1400)
        ranges.append((start, start + rng.choice([1, 5, 30, 240]), f"a{i}"))
    taken = domain.Occupancy()
    for start, end, entry_id in ranges:
        taken.add(day, start, end, entry_id)
    for start in range(0, 1440, 7):
        for length in (1, 15, 90):
            end = start + length
            clashes = [r for r in ranges if r[0] < end and r[1] > start]
            assert taken.first_clash(day, start, end) == (min(clashes) if clashes else None)
    assert taken.first_clash(date(2026, 12, 8), 0, 1440) is None  # another day


def test_occupancy_touching_ranges_do_not_clash():
    day = date(2026, 12, 7)
    taken = domain.Occupancy()
    taken.add(day, 480, 540, "a")
    assert taken.first_clash(day, 540, 600) is None and taken.first_clash(day, 420, 480) is None
    assert taken.first_clash(day, 539, 541) == (480, 540, "a")
