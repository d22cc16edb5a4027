"""Checking the directory import (importer_checks): every row against the rules and the stored directory, and
what would change (an ImportPlan that store.apply_directory carries out). Plain Python, no SQL."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from .domain import (
    ACTING_KINDS,
    ACTIVE,
    EMPLOYEE_FIELDS,
    TRACKED_FIELDS,
    acting_problems,
    acting_span_problems,
    changed_fields,
    unit_id_problem,
)
from .importer_fields import (
    EMAIL,
    SIASN_CODE,
    RowErrors,
    read_bool,
    read_date,
    read_day,
    read_level,
    read_nip,
    read_number,
    read_text,
)
from .importer_files import Parsed, Row, RowError


@dataclass
class UnitOp:
    id: str
    line: int | None
    action: str  # created, updated, unchanged
    before: dict | None
    after: dict  # id, name, parent_id, path, head_nip
    changed: list[str]


@dataclass
class EmployeeOp:
    nip: str
    line: int | None
    action: str
    before: dict | None
    after: dict  # every directory field
    changed: list[str]
    effective_date: date

    @property
    def tracked_changes(self) -> list[str]:
        return [f for f in TRACKED_FIELDS if f in self.changed] if self.before is not None else []


@dataclass
class ActingOp:
    """An acting head (Plt., Plh.) of the file: created, or the stored one (``before``) updated or unchanged."""

    key: str  # unit_id/nip/kind/valid_from
    line: int | None
    action: str
    before: dict | None
    after: dict  # unit_id, nip, kind, valid_from, valid_to, decree_number, reason
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

        return {
            "units": count(self.units),
            "employees": count(self.employees),
            "acting_heads": count(self.acting_heads),
        }

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


def check(
    parsed: Parsed,
    *,
    existing_units: dict[str, dict],
    existing_employees: dict[str, dict],
    default_effective: date,
    today: date,
    stored_raters: Mapping[str, str | None] | None = None,
    stored_acting: list[dict] | None = None,
) -> ImportPlan:
    """Check every row against the rules and the stored directory; say what would change.

    ``existing_units``: every stored unit by id ({name, parent_id, path, head_nip}).
    ``existing_employees``: the stored employees named in the file (as rows or as raters).
    ``stored_raters``: NIP -> rater NIP of the stored employees on the rater chains above the
    file's employees (``directory_store.rater_chains``), so that a cycle closed through stored employees
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
        e = RowErrors(row, key, errors)
        nip = read_nip(raw_nip, "nip", e, required=True)
        if nip and nip in seen:
            e.add("nip", f"appears already on line {seen[nip].line}" if seen[nip].line else "appears twice")
            continue
        if nip:
            seen[nip] = row
        before = existing_employees.get(nip) if nip else None
        given: dict = {}
        for name in ("name", "position", "rank", "grade", "email", "phone"):
            if name in v:
                given[name] = read_text(v[name], name, e, required=(name == "name"))
        if "email" in given and given["email"] and not EMAIL.match(given["email"]):
            e.add("email", "is not an e-mail address")
        if "unit_id" in v:
            unit_id = read_text(v["unit_id"], "unit_id", e, required=True)
            if unit_id is not None:
                if unit_id not in known_units:
                    e.add("unit_id", f"unit {unit_id} is not in the org directory (nor in this import)")
                given["unit_id"] = unit_id
        for name in ("rater_nip", "rater_superior_nip"):
            if name in v:
                given[name] = read_nip(v[name], name, e)
                if nip and given[name] == nip:
                    e.add(name, "an employee cannot be their own rater or rater's superior")
        if "functional_coefficient" in v:
            given["functional_coefficient"] = read_number(v["functional_coefficient"], "functional_coefficient", e)
        if "functional_level" in v:
            given["functional_level"] = read_level(v["functional_level"], "functional_level", e)
        for name in ("siasn_pns_id", "rank_code"):
            if name in v:
                given[name] = read_text(v[name], name, e)
                if given[name] and not SIASN_CODE.match(given[name]):
                    e.add(name, "must be letters, digits, '/', '.' or '-' (as in the SIASN export)")
        if "active" in v:
            given["active"] = read_bool(v["active"], "active", e)
        effective = read_date(v.get("effective_date"), "effective_date", e, today) or default_effective
        if before is None:
            for name in ("name", "unit_id"):
                if name not in v:
                    e.add(name, "is required for a new employee")
        if e.count:
            continue
        base = (
            {f: before.get(f) for f in EMPLOYEE_FIELDS}
            if before
            else {f: None for f in EMPLOYEE_FIELDS} | {"active": True}
        )
        staged.append((row, {**base, **given, "nip": nip}, effective))

    # Raters must be known: stored, or a (valid) row of this file.
    merged = {nip: emp for nip, emp in existing_employees.items()}
    merged.update({after["nip"]: after for _, after, _ in staged})
    links = {nip: emp.get("rater_nip") for nip, emp in existing_employees.items()}
    links.update(stored_raters or {})
    closing = _rater_cycles(staged, links)
    employee_ops = []
    for row, after, effective in staged:
        e = RowErrors(row, after["nip"], errors)
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


def _check_acting(
    rows: list[Row],
    stored: list[dict],
    unit_heads: dict[str, str | None],
    people: dict[str, dict],
    errors: list[RowError],
    today: date,
) -> list[ActingOp]:
    """The file's acting heads against the directory as it would be after the import and the stored
    active assignments (``stored``): the same rules as the API (domain.acting_problems)."""
    ops: list[ActingOp] = []
    taken: dict[str, list[dict]] = {}
    for a in stored:
        taken.setdefault(a["unit_id"], []).append(a)
    seen: dict[str, Row] = {}
    for row in rows:
        v = row.values
        e = RowErrors(row, None, errors)
        unit_id = read_text(v.get("unit_id"), "unit_id", e, required=True)
        nip = read_nip(v.get("nip"), "nip", e, required=True)
        e.key = f"{unit_id}/{nip}" if unit_id and nip else None
        kind = read_text(v.get("kind"), "kind", e, required=True)
        if kind is not None:
            kind = kind.lower().rstrip(".")
            if kind not in ACTING_KINDS:
                e.add("kind", "must be plt or plh")
        valid_from = read_day(v.get("valid_from"), "valid_from", e)
        valid_to = read_day(v.get("valid_to"), "valid_to", e)
        given = {
            "decree_number": read_text(v.get("decree_number"), "decree_number", e),
            "reason": read_text(v.get("reason"), "reason", e),
        }
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
        before = next(
            (a for a in taken.get(unit_id, []) if (a["nip"], a["kind"], a["valid_from"]) == (nip, kind, valid_from)),
            None,
        )
        others = [a for a in taken.get(unit_id, []) if a is not before]
        for name, message in acting_problems(
            after, unit_head=unit_heads.get(unit_id), employee=people.get(nip), others=others
        ):
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
            cycle = path[on_path[current] :]
            closer = max((n for n in cycle if n in order), key=order.__getitem__, default=None)
            if closer is not None:
                start = cycle.index(closer)
                ring = cycle[start:] + cycle[:start] + [closer]
                found[closer] = (
                    "would make a cycle of raters (each is rated by the next): " + " \u2192 ".join(ring)
                    if len(cycle) > 1
                    else "an employee cannot be their own rater or rater's superior"
                )
        done.update(path)
    return found


def _check_units(rows: list[Row], existing: dict[str, dict], errors: list[RowError]) -> list[UnitOp]:
    staged: dict[str, tuple[Row, dict]] = {}
    for row in rows:
        v = row.values
        raw = v.get("id")
        unit_id = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else None
        e = RowErrors(row, unit_id, errors)
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
        after = {
            "id": unit_id,
            "name": before["name"] if before else None,
            "parent_id": before["parent_id"] if before else None,
            "head_nip": before["head_nip"] if before else None,
        }
        if "name" in v or before is None:
            after["name"] = read_text(v.get("name"), "name", e, required=True)
        if "parent_id" in v:
            parent = read_text(v["parent_id"], "parent_id", e)
            if parent == unit_id:
                e.add("parent_id", "a unit cannot be its own parent")
            after["parent_id"] = parent
        if "head_nip" in v:
            after["head_nip"] = read_nip(v["head_nip"], "head_nip", e)
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
            errors.append(
                RowError(
                    row.section,
                    row.index,
                    row.line,
                    row.columns.get("parent_id", "parent_id"),
                    f"unit {parent} is not in the org directory (nor in this import)",
                    unit_id,
                )
            )
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
    for unit_id, (row, _after) in staged.items():
        if unit_id in bad:
            continue
        if paths[unit_id] is None:
            errors.append(
                RowError(
                    row.section,
                    row.index,
                    row.line,
                    row.columns.get("parent_id", "parent_id"),
                    "would make the unit its own ancestor (a cycle in the unit tree)",
                    unit_id,
                )
            )
            bad.add(unit_id)
    if bad:
        # a unit that cannot be placed must not move its descendants either
        return []
    for unit_id, (row, after) in staged.items():
        after["path"] = paths[unit_id]
        before = existing.get(unit_id)
        changed = [
            k for k in ("name", "parent_id", "head_nip", "path") if before is None or before.get(k) != after.get(k)
        ]
        action = "created" if before is None else ("updated" if changed else "unchanged")
        ops.append(UnitOp(unit_id, row.line, action, before, after, changed))
    # descendants of a moved unit get a new path too
    for unit_id, before in existing.items():
        if unit_id in staged or paths.get(unit_id) == before.get("path"):
            continue
        after = {**{k: before.get(k) for k in ("name", "parent_id", "head_nip")}, "id": unit_id, "path": paths[unit_id]}
        ops.append(UnitOp(unit_id, None, "updated", before, after, ["path"]))
    return ops
