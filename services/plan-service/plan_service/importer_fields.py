"""The field readers of the directory import (importer_fields): each turns one cell of a row into a value or
records the row's error (RowErrors), as importer_checks asks them."""

from __future__ import annotations

import re
from datetime import date, timedelta

from kinerja_shared.functional_levels import CODES as FUNCTIONAL_LEVEL_CODES
from kinerja_shared.functional_levels import LEVELS as FUNCTIONAL_LEVELS
from kinerja_shared.numbers import COEFFICIENT_PLACES, MAX_FUNCTIONAL_COEFFICIENT, round_half_up, within

from .domain import nip_problem
from .importer_files import Row, RowError

MAX_LENGTH = {
    "name": 200,
    "position": 200,
    "rank": 100,
    "grade": 20,
    "phone": 32,
    "email": 254,
    "unit_id": 64,
    "decree_number": 100,
    "reason": 2000,
    "siasn_pns_id": 64,
    "rank_code": 8,
}
SIASN_CODE = re.compile(r"^[A-Za-z0-9/.-]+$")  # SIASN's ids and reference codes: no spaces, no punctuation beyond / . -
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TRUE = {"1", "true", "yes", "y", "ya", "aktif"}
FALSE = {"0", "false", "no", "n", "tidak", "nonaktif"}


class RowErrors:
    def __init__(self, row: Row, key: str | None, sink: list[RowError]):
        self.row, self.key, self.sink, self.count = row, key, sink, 0

    def add(self, field_name: str, message: str) -> None:
        field_name = self.row.columns.get(field_name, field_name)
        self.sink.append(RowError(self.row.section, self.row.index, self.row.line, field_name, message, self.key))
        self.count += 1


def read_text(value, name: str, errors: RowErrors, *, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.add(name, "is required")
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        errors.add(name, "must be text")
        return None
    text = str(value).strip()
    if "\x00" in text:
        errors.add(name, "must not contain NUL characters")
        return None
    limit = MAX_LENGTH.get(name)
    if limit and len(text) > limit:
        errors.add(name, f"must be at most {limit} characters")
        return None
    return text


def read_nip(value, name: str, errors: RowErrors, *, required: bool = False) -> str | None:
    text = read_text(value, name, errors, required=required)
    if text is None:
        return None
    problem = nip_problem(text)
    if problem:
        errors.add(name, problem)
        return None
    return text


def read_bool(value, name: str, errors: RowErrors) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, bool):
        return value
    if isinstance(value, (str, int)) and str(value).strip().lower() in TRUE | FALSE:
        return str(value).strip().lower() in TRUE
    errors.add(name, "must be true or false (also 1/0, yes/no, ya/tidak)")
    return True


def read_number(value, name: str, errors: RowErrors) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(str(value).replace(",", ".")) if not isinstance(value, bool) else None
    except ValueError:
        number = None
    if within(number, 0, MAX_FUNCTIONAL_COEFFICIENT) is None:
        errors.add(name, f"must be a number from 0 to {MAX_FUNCTIONAL_COEFFICIENT}")
        return None
    return round_half_up(number, COEFFICIENT_PLACES)


def read_level(value, name: str, errors: RowErrors) -> str | None:
    """A functional level (jenjang) by its code (PT, MU...) or its name (Ahli Pertama...), any case."""
    if value is None or value == "":
        return None
    text = str(value).strip() if isinstance(value, str) else None
    by_name = {lv.name.lower(): code for code, lv in FUNCTIONAL_LEVELS.items()}
    code = (
        None
        if text is None
        else (text.upper() if text.upper() in FUNCTIONAL_LEVEL_CODES else by_name.get(text.lower()))
    )
    if code is None:
        errors.add(name, "must be a functional level code: " + ", ".join(FUNCTIONAL_LEVEL_CODES))
    return code


def read_day(value, name: str, errors: RowErrors) -> date | None:
    if value is None or value == "":
        return None
    try:
        if isinstance(value, str):
            return date.fromisoformat(value.strip())
    except ValueError:
        pass
    errors.add(name, "must be a date YYYY-MM-DD")
    return None


def read_date(value, name: str, errors: RowErrors, today: date) -> date | None:
    if value is None or value == "":
        return None
    try:
        day = date.fromisoformat(str(value).strip())
    except ValueError:
        errors.add(name, "must be a date YYYY-MM-DD")
        return None
    if day.year < 2000 or day > today + timedelta(days=366):
        errors.add(name, "must lie between 2000-01-01 and a year from today")
        return None
    return day
