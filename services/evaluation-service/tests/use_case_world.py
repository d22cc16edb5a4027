"""A small organisation on an in-memory database for the use-case tests (kinerja_shared.testing.memory):
no PostgreSQL, no broker, a manual clock at 15 May 2026 (Jakarta), the quarterly scheme.

    opd (head: HEAD)
    └── opd-b1 (head: RATER)      EMPLOYEE and COLLEAGUE are rated by RATER
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from functools import cache

from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from evaluation_service import domain
from evaluation_service.service import SPEC
from evaluation_service.use_cases import read_models
from kinerja_shared.clock import ManualClock
from kinerja_shared.runtime import Runtime
from kinerja_shared.strict_json import dumps as strict_dumps
from kinerja_shared.testing.memory import actor, memory_runtime

EMPLOYEE, COLLEAGUE = "199001012015011001", "199202022016012005"
RATER, HEAD, ADMIN = "198001012005011002", "197001011995011003", "196501011990011004"
NOW = datetime(2026, 5, 15, 3, 0, tzinfo=UTC)
QUARTER = "2026-Q2"


def person(nip: str, unit_id: str = "opd-b1", rater: str | None = RATER, *, head: bool = False, level=None) -> dict:
    path = ["opd"] if unit_id == "opd" else ["opd", unit_id]
    return {
        "nip": nip,
        "name": f"Pegawai {nip[-3:]}",
        "position": "Analis",
        "unit_id": unit_id,
        "unit_name": unit_id.upper(),
        "unit_path": path,
        "rater_nip": rater,
        "rater_superior_nip": None,
        "is_unit_head": head,
        "functional_coefficient": None,
        "functional_level": level,
        "active": True,
    }


def plan_data(nip: str = EMPLOYEE, plan_id: str | None = None, revision: int = 1) -> dict:
    results = [
        {
            "result_id": "r1",
            "kind": "main",
            "text": "Dokumen tersusun",
            "indicators": [
                {
                    "indicator_id": "i1",
                    "aspect": "quantity",
                    "text": "Jumlah dokumen",
                    "target_value": 12,
                    "target_unit": "dokumen",
                }
            ],
        }
    ]
    return {
        "plan_id": plan_id or f"plan-{nip[-3:]}",
        "nip": nip,
        "rater_nip": RATER,
        "rater_superior_nip": None,
        "unit_id": "opd-b1",
        "year": 2026,
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "approach": "quantitative",
        "model": "JA_JF",
        "revision": revision,
        "results": results,
        "behaviours": [{"value": v, "expectation": "x"} for v in domain.BEHAVIOUR_VALUES],
        "functional_coefficient": None,
    }


def world(**env):
    """The runtime with the directory and EMPLOYEE's approved plan (its 2026-Q2 evaluation open): a copy of one
    database built once per process (the SQLite backup API), so each test starts from the same state fast."""
    base = _built(tuple(sorted(env.items())))
    with base.engine.connect() as conn:
        source = conn.connection.driver_connection
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        source.backup(copy)
    copy.execute("PRAGMA foreign_keys=ON")
    engine = create_engine("sqlite://", poolclass=StaticPool, creator=lambda: copy, json_serializer=strict_dumps)
    return Runtime(
        spec=SPEC,
        settings=base.settings,
        engine=engine,
        config=base.config,
        clock=ManualClock(NOW, base.settings.timezone),
    )


@cache
def _built(env: tuple):
    rt = memory_runtime(SPEC, now=NOW, env={"KINERJA_NATIONAL_HOLIDAYS": "none", **dict(env)})  # (no holidays package)
    with rt.unit_of_work() as uow:
        for data in (
            person(HEAD, "opd", None, head=True),
            person(RATER, rater=HEAD, head=True),
            person(EMPLOYEE, level="PT"),
            person(COLLEAGUE),
        ):
            read_models.record_employee(uow, data)
        read_models.plan_approved(uow, "PlanApproved", plan_data(), None, default_scheme="quarterly")
    return rt


def who(nip: str, *roles: str):
    return actor(nip, *(roles or ("employee",)))


def types(uow) -> list[str]:
    return [e["type"] for e in uow.published]


def actions(uow) -> list[str]:
    return [a["action"] for a in uow.audited]
