"""The org-directory import: read the HR master's export (CSV or JSON), check every row, and say
what would change. Plain Python (no Flask, no SQLAlchemy), tested alone in tests/test_importer.py;
the reading is importer_files, the field readers importer_fields, the checks importer_checks.

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

from .importer_checks import ActingOp, EmployeeOp, ImportPlan, UnitOp, check, referenced_nips  # noqa: F401
from .importer_files import (  # noqa: F401
    ACTING_COLUMNS,
    ALIASES,
    CSV_UNIT_COLUMNS,
    EMPLOYEE_COLUMNS,
    SECTIONS,
    UNIT_COLUMNS,
    ImportFileError,
    Parsed,
    Row,
    RowError,
    parse,
    parse_csv,
    parse_json,
)
