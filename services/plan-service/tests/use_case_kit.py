"""The org of plan_testkit on an in-memory database, for the use-case tests (no server, no broker).

Imported by path (the suite runs with --import-mode=importlib). ``org()`` gives a runtime whose clock
stands on 2 March of YEAR with the directory of plan_testkit (one in-memory database, emptied for each test);
``run(rt, fn, ...)`` calls a use case in its own unit of work and returns (its answer, the unit of work), to
assert on what it audited and published.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from kinerja_shared import unit_tree
from kinerja_shared.testing.memory import actor, memory_runtime
from plan_service.models import employees, units
from plan_service.service import SPEC

sys.path.insert(0, str(Path(__file__).parent))
from plan_testkit import ADMIN, COLLEAGUE, EMPLOYEE, HEAD, OUTSIDER, RATER, STAFF, org_document, plan_body, result  # noqa: E402,F401

YEAR = 2026
NOW = datetime(YEAR, 3, 2, 3, 0, tzinfo=UTC)


_RUNTIME = []  # one in-memory database for the whole run: its compiled statements are reused, its rows are not


def org():
    """The runtime on an emptied database holding the org, its clock back on NOW."""
    if not _RUNTIME:
        _RUNTIME.append(memory_runtime(SPEC, now=NOW))
    rt = _RUNTIME[0]
    rt.clock.set(NOW)
    with rt.engine.begin() as conn:
        for table in reversed(SPEC.metadata.sorted_tables):
            conn.execute(table.delete())
    doc = org_document()
    paths: dict[str, list[str]] = {}
    for u in doc["units"]:
        paths[u["id"]] = paths.get(u["parent_id"], []) + [u["id"]]
    raters = {e["nip"]: e.get("rater_nip") for e in doc["employees"]}
    with rt.engine.begin() as conn:
        conn.execute(units.insert(), [{**u, "path": paths[u["id"]], "updated_at": NOW} for u in doc["units"]])
        unit_tree.fill(conn)
        conn.execute(
            employees.insert(),
            [
                {
                    "nip": e["nip"],
                    "name": e["name"],
                    "unit_id": e["unit_id"],
                    "position": e.get("position"),
                    "rater_nip": e.get("rater_nip"),
                    "rater_superior_nip": raters.get(e.get("rater_nip") or ""),
                    "active": True,
                    "version": 1,
                    "updated_at": NOW,
                }
                for e in doc["employees"]
            ],
        )
    return rt


def run(rt, fn, *args, **kwargs):
    """``fn(uow, *args, **kwargs)`` in a unit of work of its own; (the answer, the unit of work)."""
    with rt.unit_of_work() as uow:
        answer = fn(uow, *args, **kwargs)
    return answer, uow


def types(uow) -> list[str]:
    return [e["type"] for e in uow.published]


def actions(uow) -> list[str]:
    return [a["action"] for a in uow.audited]


def person(nip: str):
    return actor(nip, "employee")


def admin():
    return actor(ADMIN, "admin")


def body(**kw) -> dict:
    """A draft's body as the schema loads it (spans given or None)."""
    return {"period_start": None, "period_end": None, **plan_body(year=YEAR, **kw)}
