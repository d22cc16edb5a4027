"""Builders shared by plan-service's tests: the org, plan bodies, and a client wrapper.

Imported by path (the suite runs with --import-mode=importlib, so test modules cannot import siblings).

The org used throughout (built through the import API)::

    dinas (head: HEAD)                 HEAD rates RATER and OTHER_SUP
    └── bidang (head: RATER)           RATER rates EMPLOYEE and COLLEAGUE
        └── seksi                      STAFF, rated by EMPLOYEE (a third level for the cascade)
    lain (head: OUTSIDER)              OUTSIDER, rated by nobody here
    OTHER_SUP: a supervisor in dinas who rates nobody in bidang

ADMIN is the BKPSDM admin (not in the directory; admins need not be).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from kinerja_shared.events import validate_event
from plan_service.domain import BEHAVIOUR_VALUES

HEAD = "197001012000011001"
RATER = "198001012005011002"
EMPLOYEE = "199001012015011003"
COLLEAGUE = "199202022016022004"
OTHER_SUP = "198505052010011005"
OUTSIDER = "198707072012012006"
STAFF = "199505052019032007"
ADMIN = "197001011995031001"

YEAR = datetime.now(ZoneInfo("Asia/Jakarta")).year
BEHAVIOURS = [{"value": v, "expectation": f"Ekspektasi {v}"} for v in BEHAVIOUR_VALUES]


def org_document() -> dict:
    return {
        "units": [
            {"id": "dinas", "name": "Dinas Kesehatan", "parent_id": None, "head_nip": HEAD},
            {"id": "bidang", "name": "Bidang Pelayanan", "parent_id": "dinas", "head_nip": RATER},
            {"id": "seksi", "name": "Seksi Rujukan", "parent_id": "bidang", "head_nip": None},
            {"id": "lain", "name": "Dinas Pendidikan", "parent_id": None, "head_nip": OUTSIDER},
        ],
        "employees": [
            {
                "nip": HEAD,
                "name": "Kepala Dinas",
                "unit_id": "dinas",
                "position": "Kepala Dinas",
                "email": "kadis@binjaikota.go.id",
            },
            {
                "nip": RATER,
                "name": "Kepala Bidang",
                "unit_id": "bidang",
                "rater_nip": HEAD,
                "position": "Kepala Bidang",
            },
            {"nip": OTHER_SUP, "name": "Sekretaris", "unit_id": "dinas", "rater_nip": HEAD, "position": "Sekretaris"},
            {
                "nip": EMPLOYEE,
                "name": "Andi Pratama",
                "unit_id": "bidang",
                "rater_nip": RATER,
                "position": "Perawat Ahli Pertama",
                "phone": "081234567890",
            },
            {
                "nip": COLLEAGUE,
                "name": "Siti Aminah",
                "unit_id": "bidang",
                "rater_nip": RATER,
                "position": "Perawat Ahli Pertama",
            },
            {"nip": STAFF, "name": "Budi Santoso", "unit_id": "seksi", "rater_nip": EMPLOYEE, "position": "Pelaksana"},
            {"nip": OUTSIDER, "name": "Orang Lain", "unit_id": "lain", "position": "Kepala Dinas"},
        ],
    }


def result(
    text="Laporan pelayanan tersusun",
    *,
    kind="main",
    supports=None,
    perspective=None,
    target=12,
    unit="laporan",
    result_id=None,
    indicator_id=None,
) -> dict:
    indicator = {"aspect": "quantity", "text": f"Jumlah {unit}", "target_value": target, "target_unit": unit}
    if indicator_id:
        indicator["indicator_id"] = indicator_id
    r = {"kind": kind, "text": text, "indicators": [indicator]}
    if supports:
        r["supports_result_id"] = supports
    if perspective:
        r["perspective"] = perspective
    if result_id:
        r["result_id"] = result_id
    return r


def plan_body(*, year=YEAR, model="JA_JF", approach="quantitative", results=None, nip=None, **extra) -> dict:
    body = {
        "year": year,
        "approach": approach,
        "model": model,
        "behaviours": BEHAVIOURS,
        "results": results or [result()],
        "attachments": {
            "resources": "Ruang layanan",
            "accountability": "Laporan bulanan",
            "consequences": "Sesuai TPP",
        },
    }
    if nip:
        body["nip"] = nip
    body.update(extra)
    return body


def assert_problem(response, status, field=None):
    assert response.status_code == status, (response.status_code, response.get_json())
    assert response.content_type == "application/problem+json", response.content_type
    body = response.get_json()
    if field is not None:
        assert field in [e.get("field") for e in body.get("errors", [])], body
    return body


class Plans:
    """The service under test with the org loaded, and short ways to call it."""

    def __init__(self, harness):
        self.h = harness
        self.client = harness.client

    # tokens
    def as_(self, nip, *roles, unit=None):
        return self.h.token(nip, *(roles or ("employee",)), unit=unit)

    @property
    def admin(self):
        return self.h.token(ADMIN, "admin")

    def call(self, method, path, who=None, **kw):
        headers = dict(who or {})
        headers.update(kw.pop("headers", {}))
        return self.client.open(path, method=method, headers=headers, **kw)

    def current(self, path):
        """An If-Match header with the ETag of ``path`` as an admin reads it now (the version an editor holds)."""
        return {"If-Match": self.h.if_match(path, self.admin)["If-Match"]}

    def ok(self, response, *codes):
        codes = codes or (200, 201)
        assert response.status_code in codes, (response.status_code, response.get_json())
        return response.get_json()

    def load_org(self):
        return self.ok(self.call("POST", "/api/v1/directory/imports?dry_run=false", self.admin, json=org_document()))

    # plans
    def draft(self, nip=EMPLOYEE, **body):
        return self.ok(self.call("POST", "/api/v1/plans", self.as_(nip), json=plan_body(**body)), 201)

    def act(self, plan_id, action, who, **kw):
        return self.call("POST", f"/api/v1/plans/{plan_id}/{action}", who, **kw)

    def approved(self, nip=EMPLOYEE, rater=RATER, **body):
        plan = self.draft(nip, **body)
        self.ok(self.act(plan["id"], "submit", self.as_(nip)))
        return self.ok(self.act(plan["id"], "approve", self.as_(rater, "supervisor")))

    def get(self, plan_id, who=None):
        return self.call("GET", f"/api/v1/plans/{plan_id}", who or self.admin)

    def events(self, event_type=None) -> list[dict]:
        out = [e for e in self.h.outbox() if event_type is None or e["type"] == event_type]
        for event in out:
            validate_event({k: v for k, v in event.items() if k != "_status"})
        return out

    def plan_events(self) -> list[dict]:
        return [e for e in self.events() if e["type"].startswith("Plan")]

    def audit(self, **filters):
        query = "&".join(f"{k}={v}" for k, v in filters.items())
        return self.ok(self.call("GET", f"/api/v1/audit?limit=200&{query}", self.admin))["items"]
