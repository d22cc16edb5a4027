"""Steps of the core flow through HTTP only, shared by the end-to-end and fault tests."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from kinerja_shared.testing import wait_for

ADMIN = "197001011995031001"
BEHAVIOURS = [
    {"value": v, "expectation": "Sesuai ekspektasi pimpinan"}
    for v in ("service", "accountable", "competent", "harmonious", "loyal", "adaptive", "collaborative")
]


def today_wib():
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


def nip(seq: int, gender: int = 1) -> str:
    """A structurally valid NIP: born 1990-01-DD, started 2015-03, gender, serial."""
    return f"199001{(seq % 28) + 1:02d}201503{gender}{seq % 1000:03d}"


def ok(response, *codes):
    codes = codes or (200, 201)
    assert response.status_code in codes, (
        f"{response.request.method} {response.url} -> {response.status_code}: {response.text[:800]}"
    )
    return response.json() if response.content else None


class Org:
    """One unit with a rater and an employee, created through plan-service's API."""

    def __init__(self, system, seq: int):
        self.system = system
        self.unit = f"unit-{uuid.uuid4().hex[:6]}"
        self.rater = nip(seq, 2)
        self.employee = nip(seq + 1, 1)
        admin = system.headers(ADMIN, "admin")
        ok(
            system.call(
                "PUT",
                "plan-service",
                f"/api/v1/units/{self.unit}",
                admin,
                json={"name": "Bidang Uji", "head_nip": self.rater},
            )
        )
        ok(
            system.call(
                "PUT",
                "plan-service",
                f"/api/v1/employees/{self.rater}",
                admin,
                json={"name": "Penilai", "unit_id": self.unit, "email": "penilai@binjaikota.go.id"},
            )
        )
        ok(
            system.call(
                "PUT",
                "plan-service",
                f"/api/v1/employees/{self.employee}",
                admin,
                json={
                    "name": "Pegawai",
                    "unit_id": self.unit,
                    "rater_nip": self.rater,
                    "email": "pegawai@binjaikota.go.id",
                },
            )
        )
        self.as_employee = system.headers(self.employee, "employee", unit=self.unit)
        self.as_rater = system.headers(self.rater, "supervisor", "unit_head", unit=self.unit)

    def approved_plan(self) -> dict:
        body = {
            "year": today_wib().year,
            "approach": "quantitative",
            "model": "JA_JF",
            "behaviours": BEHAVIOURS,
            "results": [
                {
                    "kind": "main",
                    "text": "Laporan pelayanan tersusun",
                    "indicators": [
                        {"aspect": "quantity", "text": "Jumlah laporan", "target_value": 10, "target_unit": "laporan"}
                    ],
                }
            ],
        }
        plan = ok(self.system.call("POST", "plan-service", "/api/v1/plans", self.as_employee, json=body), 201)
        ok(self.system.call("POST", "plan-service", f"/api/v1/plans/{plan['id']}/submit", self.as_employee))
        approved = ok(self.system.call("POST", "plan-service", f"/api/v1/plans/{plan['id']}/approve", self.as_rater))
        assert approved["status"] == "approved"
        return approved

    def wait_indicator(self, indicator_id: str, timeout: float = 60) -> None:
        def known():
            r = self.system.call("GET", "activity-service", f"/api/v1/indicators?nip={self.employee}", self.as_employee)
            return r.status_code == 200 and any(i["indicator_id"] == indicator_id for i in r.json()["items"])

        wait_for(known, timeout=timeout, message="activity-service to learn the approved plan")

    def log_activity(self, indicator_id: str, hour: int, quantity: float = 1) -> dict:
        body = {
            "id": str(uuid.uuid4()),
            "date": today_wib().isoformat(),
            "start_time": f"{hour:02d}:00",
            "end_time": f"{hour:02d}:45",
            "indicator_id": indicator_id,
            "description": "Menyusun laporan pelayanan",
            "quantity": quantity,
            "quantity_unit": "laporan",
            "evidence": [{"url": "https://drive.binjaikota.go.id/laporan/1"}],
        }
        headers = {**self.as_employee, "Idempotency-Key": body["id"]}
        return ok(self.system.call("POST", "activity-service", "/api/v1/activities", headers, json=body), 201)

    def open_evaluation(self, plan_id: str, timeout: float = 60) -> dict:
        def opened():
            r = self.system.call("GET", "evaluation-service", f"/api/v1/evaluations?nip={self.employee}", self.as_rater)
            items = [e for e in r.json().get("items", []) if e["plan_id"] == plan_id] if r.status_code == 200 else []
            return items[0] if items else None

        return wait_for(opened, timeout=timeout, message="evaluation-service to open an evaluation")

    def inbox(self, who: dict) -> list[dict]:
        return ok(self.system.call("GET", "notification-service", "/api/v1/notifications?limit=200", who))["items"]
