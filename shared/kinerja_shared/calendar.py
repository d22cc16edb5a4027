"""The working-day calendar: working weekdays and holidays (libur nasional, cuti bersama).

Configured once for a deployment and read the same way by every service:

- ``KINERJA_WORKING_DAYS``: ``mon,tue,wed,thu,fri`` (default) or ranges such as ``mon-fri``;
- ``KINERJA_NATIONAL_HOLIDAYS``: ``ID`` (default): Indonesia's national holidays (libur nasional,
  Islamic and Chinese lunar dates included) from the ``holidays`` package, with their Indonesian
  names, for the years around today; ``none`` to leave them out (every day off then configured);
- ``KINERJA_HOLIDAYS``: more days off, comma-separated ``YYYY-MM-DD`` or ``YYYY-MM-DD=Name``: the
  year's cuti bersama (the joint decree, SKB) and the region's own days;
- ``KINERJA_HOLIDAYS_FILE``: the same as a file of lines ``YYYY-MM-DD Name`` (``#`` starts a comment).

A configured day wins over the national one of the same date (its name is the one shown).

Plain Python: domain modules may use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

# The months in Bahasa Indonesia (documents, notifications, the demo data).
MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class WorkCalendar:
    """Working weekdays (date.weekday(): Monday 0) and named holidays."""

    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    holidays: Mapping[date, str] = field(default_factory=dict)

    def holiday(self, day: date) -> str | None:
        return self.holidays.get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.workdays and day not in self.holidays

    def working_days(self, first: date, last: date) -> list[date]:
        days, day = [], first
        while day <= last:
            if self.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days


def parse_workdays(text: str) -> frozenset[int]:
    """'mon,tue,wed,thu,fri' or 'mon-fri' -> {0..4}; ValueError with the reason otherwise."""
    result: set[int] = set()
    for part in (p.strip().lower() for p in text.split(",") if p.strip()):
        if "-" in part:
            first, _, last = part.partition("-")
            if first not in WEEKDAYS or last not in WEEKDAYS:
                raise ValueError(f"unknown weekday in {part!r} (use {', '.join(WEEKDAYS)})")
            i, j = WEEKDAYS.index(first), WEEKDAYS.index(last)
            if j < i:
                raise ValueError(f"weekday range {part!r} runs backwards")
            result.update(range(i, j + 1))
        elif part in WEEKDAYS:
            result.add(WEEKDAYS.index(part))
        else:
            raise ValueError(f"unknown weekday {part!r} (use {', '.join(WEEKDAYS)})")
    if not result:
        raise ValueError("name at least one working weekday")
    return frozenset(result)


def parse_holidays(lines: Iterable[str]) -> dict[date, str]:
    """Lines or items of 'YYYY-MM-DD [name]' (also 'YYYY-MM-DD=name'); '#' starts a comment."""
    holidays: dict[date, str] = {}
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = re.split(r"[=\s]+", line, maxsplit=1)
        day_text, rest = parts[0], (parts[1].strip() if len(parts) > 1 else "")
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            raise ValueError(f"{day_text!r} is not a date YYYY-MM-DD") from None
        holidays[day] = rest or "holiday"
    return holidays


NATIONAL_YEARS_BEFORE, NATIONAL_YEARS_AFTER = 3, 2


def national_holidays(country: str, around: int | None = None) -> dict[date, str]:
    """The country's public holidays (names in Bahasa Indonesia for ID) for the years around `around`
    (default: this year), from the ``holidays`` package."""
    import holidays as library

    year = around or date.today().year
    years = range(year - NATIONAL_YEARS_BEFORE, year + NATIONAL_YEARS_AFTER + 1)
    language = "id" if country == "ID" else None
    return dict(library.country_holidays(country, years=years, language=language).items())


def calendar_from_env(env: Mapping[str, str]) -> WorkCalendar:
    """Read the KINERJA_* calendar settings; ConfigError naming the setting when one is bad."""
    from .config import ConfigError

    def get(name: str) -> str | None:
        value = env.get(name)
        return value.strip() if value is not None and value.strip() else None

    try:
        workdays = parse_workdays(get("KINERJA_WORKING_DAYS") or "mon,tue,wed,thu,fri")
    except ValueError as exc:
        raise ConfigError(f"KINERJA_WORKING_DAYS: {exc}") from None
    country = (get("KINERJA_NATIONAL_HOLIDAYS") or "ID").upper()
    holidays: dict[date, str] = {}
    if country != "NONE":
        try:
            holidays.update(national_holidays(country))
        except NotImplementedError:
            raise ConfigError(
                f"KINERJA_NATIONAL_HOLIDAYS: {country!r} is not a country the holidays package knows (use ID, or none)"
            ) from None
    try:
        holidays.update(parse_holidays((get("KINERJA_HOLIDAYS") or "").split(",")))
    except ValueError as exc:
        raise ConfigError(f"KINERJA_HOLIDAYS: {exc}") from None
    holidays_file = get("KINERJA_HOLIDAYS_FILE")
    if holidays_file:
        try:
            lines = Path(holidays_file).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ConfigError(f"KINERJA_HOLIDAYS_FILE points to a file that cannot be read: {exc}") from None
        try:
            holidays.update(parse_holidays(lines))
        except ValueError as exc:
            raise ConfigError(f"KINERJA_HOLIDAYS_FILE ({holidays_file}): {exc}") from None
    return WorkCalendar(workdays=workdays, holidays=holidays)
