"""Reading the HR master's export (importer_files): CSV or JSON into rows by section, each with its line.

Nothing is checked here but the file's shape (UTF-8, JSON or a CSV header naming ``nip``); the rows'
fields are checked by importer_checks. See importer.py for the formats.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field

from kinerja_shared import strict_json

EMPLOYEE_COLUMNS = (
    "nip",
    "name",
    "position",
    "rank",
    "grade",
    "unit_id",
    "rater_nip",
    "rater_superior_nip",
    "email",
    "phone",
    "functional_coefficient",
    "functional_level",
    "siasn_pns_id",
    "rank_code",
    "active",
    "effective_date",
)
UNIT_COLUMNS = ("id", "name", "parent_id", "head_nip")
ACTING_COLUMNS = ("unit_id", "nip", "kind", "valid_from", "valid_to", "decree_number", "reason")
SECTIONS = {"units": UNIT_COLUMNS, "employees": EMPLOYEE_COLUMNS, "acting_heads": ACTING_COLUMNS}
CSV_UNIT_COLUMNS = ("unit_name", "parent_unit_id")
ALIASES = {
    "nama": "name",
    "jabatan": "position",
    "pangkat": "rank",
    "golongan": "grade",
    "unit": "unit_id",
    "unit_kerja_id": "unit_id",
    "id_unit": "unit_id",
    "nip_atasan": "rater_nip",
    "nip_penilai": "rater_nip",
    "nip_pejabat_penilai": "rater_nip",
    "nip_atasan_penilai": "rater_superior_nip",
    "telepon": "phone",
    "hp": "phone",
    "no_hp": "phone",
    "aktif": "active",
    "tmt": "effective_date",
    "tanggal_berlaku": "effective_date",
    "koefisien": "functional_coefficient",
    "nama_unit": "unit_name",
    "unit_kerja": "unit_name",
    "induk_unit_id": "parent_unit_id",
    "unit_parent_id": "parent_unit_id",
    "jenjang": "functional_level",
    "kode_jenjang": "functional_level",
    "jenjang_jabatan": "functional_level",
    # BKN SIASN's own PNS id and its golongan (rank) reference code, as the region's SIASN export names them
    "siasn_id": "siasn_pns_id",
    "pns_id": "siasn_pns_id",
    "id_pns": "siasn_pns_id",
    "pns_id_siasn": "siasn_pns_id",
    "kode_golongan": "rank_code",
    "golongan_id": "rank_code",
    "id_golongan": "rank_code",
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not UTF-8, not JSON, no header, a required column missing)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass
class Row:
    section: str  # "units" or "employees"
    index: int  # position within its section, from 0
    line: int | None  # where it starts in the file
    values: dict  # the fields given, by canonical name
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
        return {
            "section": self.section,
            "row": self.index,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "key": self.key,
        }


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
    if (
        "json" in kind
        or name.endswith(".json")
        or (not name.endswith(".csv") and "csv" not in kind and text.lstrip()[:1] in ("[", "{"))
    ):
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
        raise ImportFileError(
            "file",
            f"the header (line 1) lacks the column {', '.join(missing)}; "
            f"known columns: {', '.join(EMPLOYEE_COLUMNS + CSV_UNIT_COLUMNS)}",
        )
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
            parsed.errors.append(
                RowError(
                    "employees",
                    index,
                    line,
                    "(row)",
                    f"has {len(record)} cells but the header names {len(columns)} columns",
                )
            )
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
                units[unit_id] = Row(
                    "units",
                    len(units),
                    line,
                    unit_values,
                    {"id": "unit_id", "name": "unit_name", "parent_id": "parent_unit_id"},
                )
            else:
                for key in ("name", "parent_id"):
                    if key in unit_values and known_unit.values.get(key) != unit_values[key]:
                        column = "unit_name" if key == "name" else "parent_unit_id"
                        parsed.errors.append(
                            RowError(
                                "employees",
                                index,
                                line,
                                column,
                                f"unit {unit_id} has {column} {known_unit.values.get(key)!r} on line "
                                f"{known_unit.line}, "
                                f"here {unit_values[key]!r}",
                                values.get("nip"),
                            )
                        )
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
        raise ImportFileError(
            "file", 'must be a JSON object {"units": [...], "employees": [...]} or a list of employees'
        )
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
