"""A small organisation on an in-memory database for the use-case tests (no PostgreSQL, no broker).

    opd (head: HEAD)
    └── opd-b1 (head: RATER)      EMPLOYEE is rated by RATER, OUTSIDER heads other-opd

The read models are written as the consumer would leave them; ``open_evaluation`` adds an open evaluation of
the employee's plan for the period holding ``NOW``. The service's runtime is bound as a worker job's is, so
code that reads the service's settings (the year's default period scheme) finds them.
"""

from __future__ import annotations

import uuid
from contextlib import ExitStack
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from evaluation_service import domain
from evaluation_service.models import activities, employees, evaluations, plans, units
from evaluation_service.realisation_tables import activity_evidence
from evaluation_service.service import SPEC
from kinerja_shared import unit_tree
from kinerja_shared.db import AUDIT_LOG, OUTBOX
from kinerja_shared.testing.memory import actor, memory_runtime
from kinerja_shared.web.app_factory import job_runtime

EMPLOYEE = "199001012015011001"
RATER = "198001012005011002"
HEAD = "197001011995011003"
ADMIN = "196501011990011004"
OUTSIDER = "198505052010011006"
NOW = datetime(2026, 5, 20, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta, in the second quarter

RESULTS = [
    {
        "result_id": "r1",
        "kind": "main",
        "text": "Dokumen perencanaan tersusun",
        "indicators": [
            {
                "indicator_id": "i1",
                "aspect": "quantity",
                "text": "Jumlah dokumen",
                "target_value": 12,
                "target_unit": "dokumen",
            }
        ],
    },
    {
        "result_id": "r2",
        "kind": "additional",
        "text": "Laporan kegiatan",
        "indicators": [
            {
                "indicator_id": "i2",
                "aspect": "quantity",
                "text": "Jumlah laporan",
                "target_value": 4,
                "target_unit": "laporan",
            }
        ],
    },
]
BEHAVIOURS = [{"value": v, "expectation": f"expectation for {v}"} for v in domain.BEHAVIOUR_VALUES]


class World:
    def __init__(self, env: dict | None = None):
        self.rt = memory_runtime(SPEC, now=NOW, env=env)
        self._bound = ExitStack()
        self._bound.enter_context(job_runtime(SPEC, self.rt.settings, self.rt.engine))
        self.employee, self.rater, self.head = actor(EMPLOYEE, "employee"), actor(RATER, "employee"), actor(HEAD)
        self.admin, self.outsider = actor(ADMIN, "admin"), actor(OUTSIDER, "employee")
        self.config = self.rt.config
        self.period = domain.period_containing(NOW.date(), "quarterly")
        self.plan_id = "plan-001"
        self._org()

    def close(self) -> None:
        self._bound.close()

    def write(self, table, *rows: dict) -> None:
        with self.rt.engine.begin() as conn:
            conn.execute(table.insert(), list(rows))

    def _org(self) -> None:
        now = self.rt.clock.now()
        self.write(
            units,
            {"id": "opd", "name": "OPD", "path": ["opd"], "head_nip": HEAD, "updated_at": now},
            {"id": "opd-b1", "name": "Bidang 1", "path": ["opd", "opd-b1"], "head_nip": RATER, "updated_at": now},
            {"id": "other-opd", "name": "Lain", "path": ["other-opd"], "head_nip": OUTSIDER, "updated_at": now},
        )
        with self.rt.engine.begin() as conn:
            unit_tree.fill(conn)  # the units' closure, as the consumer keeps it
        people = [
            (HEAD, "opd", ["opd"], None),
            (RATER, "opd-b1", ["opd", "opd-b1"], HEAD),
            (EMPLOYEE, "opd-b1", ["opd", "opd-b1"], RATER),
            (OUTSIDER, "other-opd", ["other-opd"], None),
        ]
        self.write(
            employees,
            *[
                {
                    "nip": nip,
                    "name": f"Pegawai {nip[-3:]}",
                    "position": "Analis",
                    "unit_id": unit,
                    "unit_path": path,
                    "rater_nip": rater,
                    "rater_superior_nip": None,
                    "is_unit_head": nip in (HEAD, RATER, OUTSIDER),
                    "functional_coefficient": None,
                    "functional_level": None,
                    "active": True,
                    "updated_at": now,
                }
                for nip, unit, path, rater in people
            ],
        )
        self.write(
            plans,
            {
                "id": self.plan_id,
                "nip": EMPLOYEE,
                "rater_nip": RATER,
                "rater_superior_nip": None,
                "unit_id": "opd-b1",
                "year": 2026,
                "period_start": date(2026, 1, 1),
                "period_end": date(2026, 12, 31),
                "approach": "quantitative",
                "model": "JA_JF",
                "revision": 1,
                "results": RESULTS,
                "behaviours": BEHAVIOURS,
                "position": "Analis",
                "functional_coefficient": None,
                "approved_at": now,
                "updated_at": now,
            },
        )

    def open_evaluation(self, status: str = domain.OPEN, period: domain.Period | None = None) -> str:
        period = period or self.period
        evaluation_id = str(uuid.uuid4())
        self.write(
            evaluations,
            dict(
                id=evaluation_id,
                nip=EMPLOYEE,
                plan_id=self.plan_id,
                plan_revision=1,
                rater_nip=RATER,
                rater_superior_nip=None,
                unit_id="opd-b1",
                period_id=period.id,
                period_kind=period.kind,
                period_start=period.start,
                period_end=period.end,
                year=period.year,
                status=status,
                revision=1,
                version=1,
                form={"results": [], "behaviours": []},
                results_rating=None,
                behaviour_rating=None,
                predicate=None,
                suggested_rating=None,
                rating_note=None,
                credit_points=None,
                reopen_reason=None,
                opened_at=self.rt.clock.now(),
                submitted_at=None,
                closed_at=None,
                closed_by=None,
                updated_at=self.rt.clock.now(),
            ),
        )
        return evaluation_id

    def verified_activity(self, activity_id: str, evidence: list[dict], day: date | None = None) -> None:
        day = day or NOW.date()
        now = self.rt.clock.now()
        self.write(
            activities,
            {
                "id": activity_id,
                "nip": EMPLOYEE,
                "plan_id": self.plan_id,
                "result_id": "r1",
                "indicator_id": "i1",
                "action_id": None,
                "date": day,
                "minutes": 60,
                "quantity": 2,
                "status": "accepted",
                "version": 2,
                "updated_at": now,
            },
        )
        self.write(
            activity_evidence,
            {
                "activity_id": activity_id,
                "nip": EMPLOYEE,
                "plan_id": self.plan_id,
                "result_id": "r1",
                "indicator_id": "i1",
                "date": day,
                "description": "menyusun dokumen",
                "evidence": evidence,
                "version": 2,
                "updated_at": now,
            },
        )

    def count(self, table) -> int:
        with self.rt.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(table))

    def audit_actions(self) -> list[str]:
        with self.rt.engine.connect() as conn:
            return [r.action for r in conn.execute(select(AUDIT_LOG.c.action).order_by(AUDIT_LOG.c.id))]

    def outbox_types(self) -> list[str]:
        with self.rt.engine.connect() as conn:
            return [r.event_type for r in conn.execute(select(OUTBOX.c.event_type).order_by(OUTBOX.c.id))]


@pytest.fixture
def world():
    """A fresh world per test (import it into the test module to use it)."""
    w = World()
    yield w
    w.close()
