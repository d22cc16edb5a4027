"""The org-directory import: read the HR master's export (CSV or JSON), check every row, and say
what would change. Plain Python (no Flask, no SQLAlchemy), tested alone in tests/test_importer.py.

Formats
- JSON: ``{"units": [{id, name, parent_id, head_nip}], "employees": [{nip, name, ...}],
  "acting_heads": [{unit_id, nip, kind, valid_from, valid_to, decree_number, reason}]}``, or a bare
  list of employees. Acting heads (Plt., Plh.) come in JSON only (CSV is one employee per row); an
  acting head is matched by unit, NIP, kind and first day: the same row again changes nothing, a
  new last day, decree or reason updates it (revoking is the API's: DELETE .../acting-heads/{id}).
- CSV (comma, semicolon or tab separated, UTF-8 with or without BOM): one employee per row with the
  columns of EMPLOYEE_COLUMNS (Indonesian names such as ``nama``, ``jabatan``, ``nip_atasan`` are
  accepted too); optional ``unit_name`` and ``parent_unit_id`` columns create or rename the units.

A field that is absent (no column, no key) keeps the stored value; an empty one clears it. Every
row is checked and every error reported with its line (the physical line in the file; for JSON,
the line where the row's object starts). Nothing is written here: ``check`` returns a plan of
operations that store.apply_directory carries out in one transaction.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Mapping

from kinerja_shared import strict_json
from kinerja_shared.numbers import COEFFICIENT_PLACES, MAX_FUNCTIONAL_COEFFICIENT, round_half_up, within

from kinerja_shared.functional_levels import CODES as FUNCTIONAL_LEVEL_CODES
from kinerja_shared.functional_levels import LEVELS as FUNCTIONAL_LEVELS

from .domain import (ACTING_KINDS, ACTIVE, EMPLOYEE_FIELDS, TRACKED_FIELDS, acting_problems, acting_span_problems,
                     changed_fields, nip_problem, unit_id_problem)

EMPLOYEE_COLUMNS = ("nip", "name", "position", "rank", "grade", "unit_id", "rater_nip", "rater_superior_nip", "email",
                    "phone", "functional_coefficient", "functional_level", "siasn_pns_id", "rank_code", "active",
                    "effective_date")
UNIT_COLUMNS = ("id", "name", "parent_id", "head_nip")
ACTING_COLUMNS = ("unit_id", "nip", "kind", "valid_from", "valid_to", "decree_number", "reason")
SECTIONS = {"units": UNIT_COLUMNS, "employees": EMPLOYEE_COLUMNS, "acting_heads": ACTING_COLUMNS}
CSV_UNIT_COLUMNS = ("unit_name", "parent_unit_id")
ALIASES = {
    "nama": "name", "jabatan": "position", "pangkat": "rank", "golongan": "grade", "unit": "unit_id",
    "unit_kerja_id": "unit_id", "id_unit": "unit_id", "nip_atasan": "rater_nip", "nip_penilai": "rater_nip",
    "nip_pejabat_penilai": "rater_nip", "nip_atasan_penilai": "rater_superior_nip", "telepon": "phone", "hp": "phone",
    "no_hp": "phone", "aktif": "active", "tmt": "effective_date", "tanggal_berlaku": "effective_date",
    "koefisien": "functional_coefficient", "nama_unit": "unit_name", "unit_kerja": "unit_name",
    "induk_unit_id": "parent_unit_id", "unit_parent_id": "parent_unit_id",
    "jenjang": "functional_level", "kode_jenjang": "functional_level", "jenjang_jabatan": "functional_level",
    # BKN SIASN's own PNS id and its golongan (rank) reference code, as the region's SIASN export names them
    "siasn_id": "siasn_pns_id", "pns_id": "siasn_pns_id", "id_pns": "siasn_pns_id", "pns_id_siasn": "siasn_pns_id",
    "kode_golongan": "rank_code", "golongan_id": "rank_code", "id_golongan": "rank_code",
}
MAX_LENGTH = {"name": 200, "position": 200, "rank": 100, "grade": 20, "phone": 32, "email": 254, "unit_id": 64,
              "decree_number": 100, "reason": 2000, "siasn_pns_id": 64, "rank_code": 8}
SIASN_CODE = re.compile(r"^[A-Za-z0-9/.-]+$")  # SIASN's ids and reference codes: no spaces, no punctuation beyond / . -
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TRUE = {"1", "true", "yes", "y", "ya", "aktif"}
FALSE = {"0", "false", "no", "n", "tidak", "nonaktif"}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not UTF-8, not JSON, no header, a required column missing)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass
class Row:
    section: str          # "units" or "employees"
    index: int            # position within its section, from 0
    line: int | None      # where it starts in the file
    values: dict          # the fields given, by canonical name
    columns: dict = field(default_factory=dict)  # canonical name -> the file's column, where they differ


@dataclass
class RowError:
    section: str
    index: int
    line: int | None
    field: str
    message: str
    key: str | None = None  # the row's NIP or unit id, when known

    def as_dict(self) -> dict:
        return {"section": self.section, "row": self.index, "line": self.line, "field": self.field,
                "message": self.message, "key": self.key}


@dataclass
class Parsed:
    format: str
    units: list[Row] = field(default_factory=list)
    employees: list[Row] = field(default_factory=list)
    acting_heads: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


# -- reading ---------------------------------------------------------------------------------------

def parse(data: bytes, *, filename: str | None = None, content_type: str | None = None) -> Parsed:
    """Read CSV or JSON (by content type, file name, or the first character)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("file", f"must be UTF-8 text (byte {exc.start} is not)") from None
    if not text.strip():
        raise ImportFileError("file", "is empty")
    if strict_json.invalid_text(text):  # a Unicode non-character (U+FFFE, U+FDD0...): not text a person wrote
        raise ImportFileError("file", strict_json.INVALID_TEXT)
    kind = (content_type or "").lower()
    name = (filename or "").lower()
    if "json" in kind or name.endswith(".json") or (not name.endswith(".csv") and "csv" not in kind
                                                     and text.lstrip()[:1] in ("[", "{")):
        return parse_json(text)
    return parse_csv(text)


def _canonical(column: str) -> str:
    name = re.sub(r"[\s\-]+", "_", column.strip().lower())
    return ALIASES.get(name, name)


def parse_csv(text: str) -> Parsed:
    first = text.splitlines()[0] if text.splitlines() else ""
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportFileError("file", "has no header line") from None
    columns = [_canonical(c) for c in header]
    known = set(EMPLOYEE_COLUMNS) | set(CSV_UNIT_COLUMNS)
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        raise ImportFileError("file", f"the header names a column twice: {', '.join(repeated)}")
    missing = [c for c in ("nip",) if c not in columns]
    if missing:
        raise ImportFileError("file", f"the header (line 1) lacks the column {', '.join(missing)}; "
                                      f"known columns: {', '.join(EMPLOYEE_COLUMNS + CSV_UNIT_COLUMNS)}")
    parsed = Parsed(format="csv", ignored_columns=[h for h, c in zip(header, columns) if c not in known])
    units: dict[str, Row] = {}
    start = reader.line_num + 1
    index = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            parsed.errors.append(RowError("employees", index, start, "(row)", f"cannot be read as CSV: {exc}"))
            break
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue  # blank lines are not rows
        if len(record) > len(columns):
            parsed.errors.append(RowError("employees", index, line, "(row)",
                                          f"has {len(record)} cells but the header names {len(columns)} columns"))
        values = {c: record[i].strip() if i < len(record) else "" for i, c in enumerate(columns) if c in known}
        unit_name = values.pop("unit_name", None)
        parent = values.pop("parent_unit_id", None)
        row = Row("employees", index, line, values)
        parsed.employees.append(row)
        unit_id = values.get("unit_id")
        if unit_id and unit_name:
            unit_values = {"id": unit_id, "name": unit_name}
            if "parent_unit_id" in columns:
                unit_values["parent_id"] = parent or None
            known_unit = units.get(unit_id)
            if known_unit is None:
                units[unit_id] = Row("units", len(units), line, unit_values,
                                     {"id": "unit_id", "name": "unit_name", "parent_id": "parent_unit_id"})
            else:
                for key in ("name", "parent_id"):
                    if key in unit_values and known_unit.values.get(key) != unit_values[key]:
                        column = "unit_name" if key == "name" else "parent_unit_id"
                        parsed.errors.append(RowError(
                            "employees", index, line, column,
                            f"unit {unit_id} has {column} {known_unit.values.get(key)!r} on line {known_unit.line}, "
                            f"here {unit_values[key]!r}", values.get("nip")))
        index += 1
    parsed.units = list(units.values())
    return parsed


def parse_json(text: str) -> Parsed:
    try:
        document = strict_json.loads(text)  # depth-limited, no duplicate keys, valid Unicode
    except ValueError as exc:
        raise ImportFileError("file", f"is not valid JSON: {strict_json.printable(str(exc))}") from None
    offsets = _element_offsets(text)
    if isinstance(document, list):
        document = {"employees": document}
    if not isinstance(document, dict):
        raise ImportFileError("file", 'must be a JSON object {"units": [...], "employees": [...]} or a list of employees')
    unknown = sorted(set(document) - set(SECTIONS))
    parsed = Parsed(format="json", ignored_columns=unknown)
    for section, columns in SECTIONS.items():
        items = document.get(section, [])
        if not isinstance(items, list):
            raise ImportFileError(section, "must be a list")
        lines = offsets.get(section, [])
        target = getattr(parsed, section)
        for index, item in enumerate(items):
            line = lines[index] if index < len(lines) else None
            if not isinstance(item, dict):
                parsed.errors.append(RowError(section, index, line, "(row)", "must be a JSON object"))
                continue
            for key in sorted(set(item) - set(columns)):
                if key not in parsed.ignored_columns:
                    parsed.ignored_columns.append(f"{section}.{key}")
            target.append(Row(section, index, line, {k: v for k, v in item.items() if k in columns}))
    return parsed


def _element_offsets(text: str) -> dict[str, list[int]]:
    """The line where each element of the top-level arrays starts ({"employees": [3, 7, ...]})."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"\s*")

    def skip(i: int) -> int:
        return ws.match(text, i).end()

    def line_of(i: int) -> int:
        return text.count("\n", 0, i) + 1

    def array(i: int) -> list[int]:
        lines = []
        i = skip(i + 1)
        if text[i] == "]":
            return lines
        while True:
            lines.append(line_of(i))
            _, i = decoder.raw_decode(text, i)
            i = skip(i)
            if text[i] == ",":
                i = skip(i + 1)
                continue
            return lines

    try:
        i = skip(0)
        if text[i] == "[":
            return {"employees": array(i)}
        result: dict[str, list[int]] = {}
        i = skip(i + 1)
        while i < len(text) and text[i] != "}":
            key, i = decoder.raw_decode(text, i)
            i = skip(skip(i) + 1)  # the colon
            if key in SECTIONS and text[i] == "[":
                result[key] = array(i)
            _, i = decoder.raw_decode(text, i)
            i = skip(i)
            if text[i] == ",":
                i = skip(i + 1)
        return result
    except (ValueError, IndexError):  # the document was already parsed once; lines are a courtesy
        return {}


# -- checking ------------------------------------------------------------------------------------

@dataclass
class UnitOp:
    id: str
    line: int | None
    action: str                      # created, updated, unchanged
    before: dict | None
    after: dict                      # id, name, parent_id, path, head_nip
    changed: list[str]


@dataclass
class EmployeeOp:
    nip: str
    line: int | None
    action: str
    before: dict | None
    after: dict                      # every directory field
    changed: list[str]
    effective_date: date

    @property
    def tracked_changes(self) -> list[str]:
        return [f for f in TRACKED_FIELDS if f in self.changed] if self.before is not None else []


@dataclass
class ActingOp:
    """An acting head (Plt., Plh.) of the file: created, or the stored one (``before``) updated or unchanged."""
    key: str                         # unit_id/nip/kind/valid_from
    line: int | None
    action: str
    before: dict | None
    after: dict                      # unit_id, nip, kind, valid_from, valid_to, decree_number, reason
    changed: list[str]


@dataclass
class ImportPlan:
    errors: list[RowError]
    units: list[UnitOp]
    employees: list[EmployeeOp]
    ignored_columns: list[str] = field(default_factory=list)
    acting_heads: list[ActingOp] = field(default_factory=list)

    def summary(self) -> dict:
        def count(ops):
            return {a: sum(1 for o in ops if o.action == a) for a in ("created", "updated", "unchanged")}

        return {"units": count(self.units), "employees": count(self.employees), "acting_heads": count(self.acting_heads)}

    @property
    def changed_acting_heads(self) -> list[ActingOp]:
        return [a for a in self.acting_heads if a.action != "unchanged"]

    @property
    def changed_units(self) -> list[UnitOp]:
        return [u for u in self.units if u.action != "unchanged"]

    @property
    def changed_employees(self) -> list[EmployeeOp]:
        return [e for e in self.employees if e.action != "unchanged"]


def referenced_nips(parsed: Parsed) -> set[str]:
    """The NIPs the store must look up to check the rows: the employees and the raters they name."""
    nips = set()
    for row in parsed.employees + parsed.acting_heads:
        for key in ("nip", "rater_nip", "rater_superior_nip"):
            value = row.values.get(key)
            if isinstance(value, (str, int)) and str(value).strip():
                nips.add(str(value).strip())
    return nips


class _Errors:
    def __init__(self, row: Row, key: str | None, sink: list[RowError]):
        self.row, self.key, self.sink, self.count = row, key, sink, 0

    def add(self, field_name: str, message: str) -> None:
        field_name = self.row.columns.get(field_name, field_name)
        self.sink.append(RowError(self.row.section, self.row.index, self.row.line, field_name, message, self.key))
        self.count += 1


def _text(value, name: str, errors: _Errors, *, required: bool = False) -> str | None:
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


def _nip(value, name: str, errors: _Errors, *, required: bool = False) -> str | None:
    text = _text(value, name, errors, required=required)
    if text is None:
        return None
    problem = nip_problem(text)
    if problem:
        errors.add(name, problem)
        return None
    return text


def _bool(value, name: str, errors: _Errors) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, bool):
        return value
    if isinstance(value, (str, int)) and str(value).strip().lower() in TRUE | FALSE:
        return str(value).strip().lower() in TRUE
    errors.add(name, "must be true or false (also 1/0, yes/no, ya/tidak)")
    return True


def _number(value, name: str, errors: _Errors) -> float | None:
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


def _level(value, name: str, errors: _Errors) -> str | None:
    """A functional level (jenjang) by its code (PT, MU...) or its name (Ahli Pertama...), any case."""
    if value is None or value == "":
        return None
    text = str(value).strip() if isinstance(value, str) else None
    by_name = {lv.name.lower(): code for code, lv in FUNCTIONAL_LEVELS.items()}
    code = None if text is None else (text.upper() if text.upper() in FUNCTIONAL_LEVEL_CODES else by_name.get(text.lower()))
    if code is None:
        errors.add(name, "must be a functional level code: " + ", ".join(FUNCTIONAL_LEVEL_CODES))
    return code


def _day(value, name: str, errors: _Errors) -> date | None:
    if value is None or value == "":
        return None
    try:
        if isinstance(value, str):
            return date.fromisoformat(value.strip())
    except ValueError:
        pass
    errors.add(name, "must be a date YYYY-MM-DD")
    return None


def _date(value, name: str, errors: _Errors, today: date) -> date | None:
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


def check(parsed: Parsed, *, existing_units: dict[str, dict], existing_employees: dict[str, dict],
          default_effective: date, today: date, stored_raters: Mapping[str, str | None] | None = None,
          stored_acting: list[dict] | None = None) -> ImportPlan:
    """Check every row against the rules and the stored directory; say what would change.

    ``existing_units``: every stored unit by id ({name, parent_id, path, head_nip}).
    ``existing_employees``: the stored employees named in the file (as rows or as raters).
    ``stored_raters``: NIP -> rater NIP of the stored employees on the rater chains above the
    file's employees (``store.rater_chains``), so that a cycle closed through stored employees
    is found too; ``existing_employees`` gives the links when it is omitted.
    ``stored_acting``: the stored active acting heads of the units the file's acting heads name.
    """
    errors = list(parsed.errors)
    unit_ops = _check_units(parsed.units, existing_units, errors)
    # a unit row with an error is reported once, not again for each employee placed in it
    known_units = set(existing_units) | {str(r.values.get("id")).strip() for r in parsed.units if r.values.get("id")}

    seen: dict[str, Row] = {}
    staged: list[tuple[Row, dict, date]] = []
    for row in parsed.employees:
        v = row.values
        raw_nip = v.get("nip")
        key = str(raw_nip).strip() if isinstance(raw_nip, (str, int)) and not isinstance(raw_nip, bool) else None
        e = _Errors(row, key, errors)
        nip = _nip(raw_nip, "nip", e, required=True)
        if nip and nip in seen:
            e.add("nip", f"appears already on line {seen[nip].line}" if seen[nip].line else "appears twice")
            continue
        if nip:
            seen[nip] = row
        before = existing_employees.get(nip) if nip else None
        given: dict = {}
        for name in ("name", "position", "rank", "grade", "email", "phone"):
            if name in v:
                given[name] = _text(v[name], name, e, required=(name == "name"))
        if "email" in given and given["email"] and not EMAIL.match(given["email"]):
            e.add("email", "is not an e-mail address")
        if "unit_id" in v:
            unit_id = _text(v["unit_id"], "unit_id", e, required=True)
            if unit_id is not None:
                if unit_id not in known_units:
                    e.add("unit_id", f"unit {unit_id} is not in the org directory (nor in this import)")
                given["unit_id"] = unit_id
        for name in ("rater_nip", "rater_superior_nip"):
            if name in v:
                given[name] = _nip(v[name], name, e)
                if nip and given[name] == nip:
                    e.add(name, "an employee cannot be their own rater or rater's superior")
        if "functional_coefficient" in v:
            given["functional_coefficient"] = _number(v["functional_coefficient"], "functional_coefficient", e)
        if "functional_level" in v:
            given["functional_level"] = _level(v["functional_level"], "functional_level", e)
        for name in ("siasn_pns_id", "rank_code"):
            if name in v:
                given[name] = _text(v[name], name, e)
                if given[name] and not SIASN_CODE.match(given[name]):
                    e.add(name, "must be letters, digits, '/', '.' or '-' (as in the SIASN export)")
        if "active" in v:
            given["active"] = _bool(v["active"], "active", e)
        effective = _date(v.get("effective_date"), "effective_date", e, today) or default_effective
        if before is None:
            for name in ("name", "unit_id"):
                if name not in v:
                    e.add(name, "is required for a new employee")
        if e.count:
            continue
        base = {f: before.get(f) for f in EMPLOYEE_FIELDS} if before else {f: None for f in EMPLOYEE_FIELDS} | {"active": True}
        staged.append((row, {**base, **given, "nip": nip}, effective))

    # Raters must be known: stored, or a (valid) row of this file.
    merged = {nip: emp for nip, emp in existing_employees.items()}
    merged.update({after["nip"]: after for _, after, _ in staged})
    links = {nip: emp.get("rater_nip") for nip, emp in existing_employees.items()}
    links.update(stored_raters or {})
    closing = _rater_cycles(staged, links)
    employee_ops = []
    for row, after, effective in staged:
        e = _Errors(row, after["nip"], errors)
        if after["nip"] in closing:
            e.add("rater_nip", closing[after["nip"]])
        for name in ("rater_nip", "rater_superior_nip"):
            if after.get(name) and after[name] not in merged and name in row.values:
                e.add(name, f"{after[name]} is not in the org directory (nor a valid row of this import)")
        if after.get("rater_nip") and not after.get("rater_superior_nip"):
            rater = merged.get(after["rater_nip"])
            derived = rater.get("rater_nip") if rater else None
            after["rater_superior_nip"] = derived if derived != after["nip"] else None
        if e.count:
            continue
        before = existing_employees.get(after["nip"])
        changed = changed_fields(before, after)
        action = "created" if before is None else ("updated" if changed else "unchanged")
        employee_ops.append(EmployeeOp(after["nip"], row.line, action, before, after, changed, effective))
    units_after = {u: row.get("head_nip") for u, row in existing_units.items()}
    units_after.update({op.id: op.after.get("head_nip") for op in unit_ops})
    people_after = {**existing_employees, **{op.nip: op.after for op in employee_ops}}
    acting_ops = _check_acting(parsed.acting_heads, stored_acting or [], units_after, people_after, errors, today)
    errors.sort(key=lambda r: (r.line is None, r.line or 0, r.section, r.index))
    return ImportPlan(errors, unit_ops, employee_ops, list(parsed.ignored_columns), acting_ops)


def _check_acting(rows: list[Row], stored: list[dict], unit_heads: dict[str, str | None], people: dict[str, dict],
                  errors: list[RowError], today: date) -> list[ActingOp]:
    """The file's acting heads against the directory as it would be after the import and the stored
    active assignments (``stored``): the same rules as the API (domain.acting_problems)."""
    ops: list[ActingOp] = []
    taken: dict[str, list[dict]] = {}
    for a in stored:
        taken.setdefault(a["unit_id"], []).append(a)
    seen: dict[str, Row] = {}
    for row in rows:
        v = row.values
        e = _Errors(row, None, errors)
        unit_id = _text(v.get("unit_id"), "unit_id", e, required=True)
        nip = _nip(v.get("nip"), "nip", e, required=True)
        e.key = f"{unit_id}/{nip}" if unit_id and nip else None
        kind = _text(v.get("kind"), "kind", e, required=True)
        if kind is not None:
            kind = kind.lower().rstrip(".")
            if kind not in ACTING_KINDS:
                e.add("kind", "must be plt or plh")
        valid_from = _day(v.get("valid_from"), "valid_from", e)
        valid_to = _day(v.get("valid_to"), "valid_to", e)
        given = {"decree_number": _text(v.get("decree_number"), "decree_number", e),
                 "reason": _text(v.get("reason"), "reason", e)}
        if unit_id and unit_id not in unit_heads:
            e.add("unit_id", f"unit {unit_id} is not in the org directory (nor in this import)")
        if e.count:
            continue
        for name, message in acting_span_problems(valid_from, valid_to, today):
            e.add(name, message)
        if e.count:
            continue
        key = f"{unit_id}/{nip}/{kind}/{valid_from.isoformat()}"
        if key in seen:
            e.add("valid_from", f"appears already on line {seen[key].line}" if seen[key].line else "appears twice")
            continue
        seen[key] = row
        after = {"unit_id": unit_id, "nip": nip, "kind": kind, "valid_from": valid_from, "valid_to": valid_to, **given}
        before = next((a for a in taken.get(unit_id, []) if (a["nip"], a["kind"], a["valid_from"]) == (nip, kind, valid_from)), None)
        others = [a for a in taken.get(unit_id, []) if a is not before]
        for name, message in acting_problems(after, unit_head=unit_heads.get(unit_id), employee=people.get(nip), others=others):
            e.add(name, message)
        if e.count:
            continue
        changed = [k for k in ("valid_to", "decree_number", "reason") if before is None or before.get(k) != after[k]]
        action = "created" if before is None else ("updated" if changed else "unchanged")
        if before is not None:
            taken[unit_id].remove(before)
        taken.setdefault(unit_id, []).append({**after, "status": ACTIVE})
        ops.append(ActingOp(key, row.line, action, before, after, changed))
    return ops


def _rater_cycles(staged: list[tuple[Row, dict, date]], stored: Mapping[str, str | None]) -> dict[str, str]:
    """Rater cycles (A rated by B, B by C, C by A) in the directory as it would be after the import.

    The links are the stored ones with the file's rows in their place. Each cycle that a row of
    the file takes part in is reported once, on the last such row of the file (the one that
    closes it): {nip: message}. A cycle made only of stored links is not the file's doing.
    """
    graph = dict(stored)
    order: dict[str, int] = {}
    for position, (row, after, _) in enumerate(staged):
        graph[after["nip"]] = after.get("rater_nip")
        if "rater_nip" in row.values:  # a row without the column keeps the stored link
            order[after["nip"]] = position
    done: set[str] = set()
    found: dict[str, str] = {}
    for _, after, _ in staged:
        path: list[str] = []
        on_path: dict[str, int] = {}
        current = after["nip"]
        while current and current not in done and current not in on_path:
            on_path[current] = len(path)
            path.append(current)
            current = graph.get(current)
        if current in on_path:
            cycle = path[on_path[current]:]
            closer = max((n for n in cycle if n in order), key=order.__getitem__, default=None)
            if closer is not None:
                start = cycle.index(closer)
                ring = cycle[start:] + cycle[:start] + [closer]
                found[closer] = ("would make a cycle of raters (each is rated by the next): " + " \u2192 ".join(ring)
                                 if len(cycle) > 1 else "an employee cannot be their own rater or rater's superior")
        done.update(path)
    return found


def _check_units(rows: list[Row], existing: dict[str, dict], errors: list[RowError]) -> list[UnitOp]:
    staged: dict[str, tuple[Row, dict]] = {}
    for row in rows:
        v = row.values
        raw = v.get("id")
        unit_id = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else None
        e = _Errors(row, unit_id, errors)
        if unit_id is None:
            e.add("id", "is required")
            continue
        problem = unit_id_problem(unit_id)
        if problem:
            e.add("id", problem)
            continue
        if unit_id in staged:
            first = staged[unit_id][0]
            e.add("id", f"appears already on line {first.line}" if first.line else "appears twice")
            continue
        before = existing.get(unit_id)
        after = {"id": unit_id, "name": before["name"] if before else None,
                 "parent_id": before["parent_id"] if before else None, "head_nip": before["head_nip"] if before else None}
        if "name" in v or before is None:
            after["name"] = _text(v.get("name"), "name", e, required=True)
        if "parent_id" in v:
            parent = _text(v["parent_id"], "parent_id", e)
            if parent == unit_id:
                e.add("parent_id", "a unit cannot be its own parent")
            after["parent_id"] = parent
        if "head_nip" in v:
            after["head_nip"] = _nip(v["head_nip"], "head_nip", e)
        if e.count:
            continue
        staged[unit_id] = (row, after)

    parents = {u: row.get("parent_id") for u, row in existing.items()}
    parents.update({u: after["parent_id"] for u, (_, after) in staged.items()})
    ops: list[UnitOp] = []
    bad: set[str] = set()
    for unit_id, (row, after) in staged.items():
        parent = after["parent_id"]
        if parent and parent not in parents:
            errors.append(RowError(row.section, row.index, row.line, row.columns.get("parent_id", "parent_id"),
                                   f"unit {parent} is not in the org directory (nor in this import)", unit_id))
            bad.add(unit_id)
    paths: dict[str, list[str] | None] = {}

    def path_of(unit_id: str) -> list[str] | None:
        chain, current = [], unit_id
        while current:
            if current in paths:
                known = paths[current]
                return None if known is None else [*known, *reversed(chain)]
            if current in chain or current not in parents:
                return None
            chain.append(current)
            current = parents.get(current)
        return list(reversed(chain))

    for unit_id in parents:
        paths[unit_id] = path_of(unit_id)
    for unit_id, (row, after) in staged.items():
        if unit_id in bad:
            continue
        if paths[unit_id] is None:
            errors.append(RowError(row.section, row.index, row.line, row.columns.get("parent_id", "parent_id"),
                                   "would make the unit its own ancestor (a cycle in the unit tree)", unit_id))
            bad.add(unit_id)
    if bad:
        # a unit that cannot be placed must not move its descendants either
        return []
    for unit_id, (row, after) in staged.items():
        after["path"] = paths[unit_id]
        before = existing.get(unit_id)
        changed = [k for k in ("name", "parent_id", "head_nip", "path") if before is None or before.get(k) != after.get(k)]
        action = "created" if before is None else ("updated" if changed else "unchanged")
        ops.append(UnitOp(unit_id, row.line, action, before, after, changed))
    # descendants of a moved unit get a new path too
    for unit_id, before in existing.items():
        if unit_id in staged or paths.get(unit_id) == before.get("path"):
            continue
        after = {**{k: before.get(k) for k in ("name", "parent_id", "head_nip")}, "id": unit_id, "path": paths[unit_id]}
        ops.append(UnitOp(unit_id, None, "updated", before, after, ["path"]))
    return ops
