"""Builders shared by the activity-service tests: an org tree, approved plans, events fed to the handlers.

Imported by path (the suite runs with --import-mode=importlib, so test modules cannot import siblings).
"""

from __future__ import annotations

import io
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kinerja_shared.events import make_event
from kinerja_shared.testing import unit_head_assigned  # noqa: F401  (UnitHeadAssigned as plan-service publishes it)

# The org tree: dinas (head H) > bidang; E1 and E2 in bidang rated by R (in dinas, rated by H); OTHER elsewhere.
H = "197001012000011001"
R = "198001012005011002"
E1 = "199001012015011003"
E2 = "199202022016022004"
OTHER = "198505052010011005"


def today() -> date:
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


def last_working_day() -> date:
    day = today()
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def employee_event(
    nip: str, name: str, unit_id: str, path: list[str], rater: str | None, *, head: bool = False, active: bool = True
) -> dict:
    return make_event(
        "EmployeeUpserted",
        source_service="plan-service",
        subject=nip,
        partitionkey=nip,
        data={
            "nip": nip,
            "name": name,
            "unit_id": unit_id,
            "unit_name": unit_id.title(),
            "unit_path": path,
            "rater_nip": rater,
            "rater_superior_nip": None,
            "is_unit_head": head,
            "active": active,
        },
    )


def plan_event(
    nip: str,
    plan_id: str,
    indicators: list[str],
    *,
    rater: str = R,
    unit_id: str = "bidang",
    revision: int = 1,
    start: date | None = None,
    end: date | None = None,
    amended: bool = False,
) -> dict:
    start = start or today() - timedelta(days=150)
    end = end or today() + timedelta(days=30)
    data = {
        "plan_id": plan_id,
        "nip": nip,
        "rater_nip": rater,
        "rater_superior_nip": H,
        "unit_id": unit_id,
        "year": end.year,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "approach": "quantitative",
        "model": "JA_JF",
        "revision": revision,
        "results": [
            {
                "result_id": f"{plan_id}-r1",
                "kind": "main",
                "text": "Layanan perizinan tepat waktu",
                "indicators": [
                    {
                        "indicator_id": i,
                        "aspect": "quantity",
                        "text": f"Dokumen {i}",
                        "target_value": 120,
                        "target_unit": "dokumen",
                    }
                    for i in indicators
                ],
            }
        ],
        "behaviours": [
            {"value": v, "expectation": ""}
            for v in ("service", "accountable", "competent", "harmonious", "loyal", "adaptive", "collaborative")
        ],
    }
    if amended:
        data["reason"] = "mutasi tugas"
        return make_event("PlanAmended", source_service="plan-service", subject=plan_id, partitionkey=nip, data=data)
    return make_event("PlanApproved", source_service="plan-service", subject=plan_id, partitionkey=nip, data=data)


def org_events() -> list[dict]:
    return [
        employee_event(H, "Kepala Dinas", "dinas", ["dinas"], None, head=True),
        employee_event(R, "Kepala Bidang", "dinas", ["dinas"], H),
        employee_event(E1, "Pegawai Satu", "bidang", ["dinas", "bidang"], R),
        employee_event(E2, "Pegawai Dua", "bidang", ["dinas", "bidang"], R),
        employee_event(OTHER, "Orang Lain", "lain", ["lain"], None),
        plan_event(E1, "plan-e1", ["i1", "i2"]),
        plan_event(E2, "plan-e2", ["j1"]),
    ]


ADMIN = "000000000000000001"


def started(service_factory):
    """activity-service under test with the org of org_events() fed to it."""
    from activity_service.service import SPEC

    harness = service_factory(SPEC)
    feed(harness, *org_events())
    return harness


def feed(harness, *events: dict) -> None:
    """Apply events through the handlers, as the consumer would (without Kafka)."""
    harness.handle(*events)


def entry(**overrides) -> dict:
    body = {
        "date": today().isoformat(),
        "start_time": "08:00",
        "end_time": "09:00",
        "indicator_id": "i1",
        "description": "Memverifikasi berkas permohonan izin",
        "quantity": 2,
        "quantity_unit": "dokumen",
        "evidence": [{"url": "https://arsip.binjaikota.go.id/berkas/1"}],
    }
    body.update(overrides)
    return body


PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> dict:
    return {"file": (io.BytesIO(content), name, content_type)}


def log_entry(harness, nip: str = E1, **overrides) -> str:
    """Log an entry of ``nip``'s over HTTP (it must be stored); its id."""
    response = harness.client.post("/api/v1/activities", json=entry(**overrides), headers=harness.token(nip))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def five_minute_entries(count: int = 60) -> list[dict]:
    """``count`` back-to-back five-minute entries of today from 07:00 (60: a day full until 12:00), each with an id."""
    return [
        entry(
            id=str(uuid.uuid4()),
            start_time=f"{7 + m // 60:02d}:{m % 60:02d}",
            end_time=f"{7 + (m + 5) // 60:02d}:{(m + 5) % 60:02d}",
        )
        for m in range(0, 5 * count, 5)
    ]
