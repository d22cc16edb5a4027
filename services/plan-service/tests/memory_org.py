"""The org of plan_testkit on an in-memory runtime (kinerja_shared.testing.memory), for the use-case tests: no
PostgreSQL, no broker, a manual clock. Imported by path like plan_testkit.

``org()`` gives the runtime with the org imported through the import use case; ``approved_plan`` stores an
approved plan as plan-service keeps one; ``written`` says what a unit of work left behind: the event types in the
outbox and the audit actions, in order; ``run`` and ``refused`` call a use case and say it.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime

import pytest
from plan_testkit import ADMIN, BEHAVIOURS, EMPLOYEE, RATER, org_document
from sqlalchemy import select

from kinerja_shared.db import AUDIT_LOG, OUTBOX
from kinerja_shared.errors import PreconditionFailed
from kinerja_shared.testing.memory import actor, memory_runtime
from plan_service.models import plans
from plan_service.service import SPEC
from plan_service.use_cases import imports

NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 09:00 in Jakarta
ADMIN_ACTOR = actor(ADMIN, "admin")


def upload(document) -> callable:
    """What the import use case reads: the document as a JSON body."""
    return lambda: (json.dumps(document).encode(), None, "application/json")


_ORG = []  # the runtime the org was imported into, once: every test's runtime starts from a copy of its database


def org():
    """A fresh runtime holding the org of plan_testkit (imported by the admin, with its events and audit rows)."""
    if not _ORG:
        first = memory_runtime(SPEC, now=NOW)
        with first.unit_of_work() as uow:
            imports.import_directory(uow, ADMIN_ACTOR, upload(org_document()), dry_run=False)
        _ORG.append(first)
    rt = memory_runtime(SPEC, now=NOW)
    source, target = _ORG[0].engine.raw_connection(), rt.engine.raw_connection()
    try:
        source.driver_connection.backup(target.driver_connection)  # sqlite3's online backup: the whole database
    finally:
        source.close()
        target.close()
    return rt


def written(rt, since: tuple[int, int] = (0, 0)) -> tuple[list[str], list[str]]:
    """(event types in the outbox, audit actions) after the marks ``since`` (see ``marks``)."""
    with rt.engine.connect() as conn:
        events = [
            r.event_type
            for r in conn.execute(select(OUTBOX.c.event_type).where(OUTBOX.c.id > since[0]).order_by(OUTBOX.c.id))
        ]
        audit = [
            r.action
            for r in conn.execute(select(AUDIT_LOG.c.action).where(AUDIT_LOG.c.id > since[1]).order_by(AUDIT_LOG.c.id))
        ]
    return events, audit


def marks(rt) -> tuple[int, int]:
    """The last outbox and audit ids: what ``written`` counts from."""
    with rt.engine.connect() as conn:
        return (
            max([r.id for r in conn.execute(select(OUTBOX.c.id))], default=0),
            max([r.id for r in conn.execute(select(AUDIT_LOG.c.id))], default=0),
        )


def run(rt, use_case, *args, **kw):
    """Run a use case in its own unit of work: (its answer, (events, audit actions) it wrote)."""
    before = marks(rt)
    with rt.unit_of_work() as uow:
        out = use_case(uow, *args, **kw)
    return out, written(rt, before)


def refused(rt, error, use_case, *args, **kw):
    """The use case refuses with ``error`` and leaves nothing behind; the refusal."""
    before = marks(rt)
    with pytest.raises(error) as caught:
        with rt.unit_of_work() as uow:
            use_case(uow, *args, **kw)
    assert written(rt, before) == ([], [])
    return caught.value


def stale(entity_id, version):
    """A ``check_version`` whose If-Match is always stale."""
    raise PreconditionFailed(f"{entity_id} is at version {version}")


def content(*indicators: tuple[str, str]) -> dict:
    """A plan's content with one result per (result_id, indicator_id), each a count of reports (target 12)."""
    return {
        "results": [
            {
                "result_id": r,
                "kind": "main",
                "text": f"Hasil {r}",
                "indicators": [
                    {
                        "indicator_id": i,
                        "aspect": "quantity",
                        "text": "Jumlah laporan",
                        "target_value": 12,
                        "target_unit": "laporan",
                    }
                ],
            }
            for r, i in indicators
        ],
        "behaviours": BEHAVIOURS,
    }


def approved_plan(
    rt, nip: str = EMPLOYEE, rater: str = RATER, unit: str = "bidang", status: str = "approved", **columns
) -> str:
    """An approved plan of 2026 for ``nip`` (rated by ``rater``), stored as plan-service keeps one."""
    plan_id = str(uuid.uuid4())
    row = dict(
        id=plan_id,
        nip=nip,
        year=2026,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        approach="quantitative",
        model="JA_JF",
        status=status,
        rater_nip=rater,
        unit_id=unit,
        content=content(("r1", "i1"), ("r2", "i2")),
        revision=1,
        version=1,
        created_at=NOW,
        updated_at=NOW,
    )
    with rt.engine.begin() as conn:
        conn.execute(plans.insert().values(**{**row, **columns}))
    return plan_id
