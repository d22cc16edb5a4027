"""Fixtures of evaluation-service's tests: the service under test and builders of the events it consumes.

The org used throughout::

    opd (head: HEAD)
    └── opd-b1 (head: RATER)      EMPLOYEE and COLLEAGUE are rated by RATER
    other-opd (head: OUTSIDER)
"""

from __future__ import annotations

import uuid

import pytest

from evaluation_service import domain
from evaluation_service.service import SPEC
from kinerja_shared.clock import system_clock
from kinerja_shared.events import make_event, validate_event

EMPLOYEE = "199001012015011001"
COLLEAGUE = "199202022016012005"
RATER = "198001012005011002"
HEAD = "197001011995011003"
ADMIN = "196501011990011004"
OUTSIDER = "198505052010011006"


def default_results(prefix: str = "") -> list[dict]:
    return [
        {
            "result_id": f"{prefix}r1",
            "kind": "main",
            "text": "Dokumen perencanaan tersusun",
            "indicators": [
                {
                    "indicator_id": f"{prefix}i1",
                    "aspect": "quantity",
                    "text": "Jumlah dokumen",
                    "target_value": 12,
                    "target_unit": "dokumen",
                }
            ],
        },
        {
            "result_id": f"{prefix}r2",
            "kind": "additional",
            "text": "Laporan kegiatan",
            "indicators": [
                {
                    "indicator_id": f"{prefix}i2",
                    "aspect": "quantity",
                    "text": "Jumlah laporan",
                    "target_value": 4,
                    "target_unit": "laporan",
                }
            ],
        },
    ]


BEHAVIOURS = [{"value": v, "expectation": f"expectation for {v}"} for v in domain.BEHAVIOUR_VALUES]


class Builders:
    """Events as plan-service and activity-service publish them (validated against their schemas)."""

    def __init__(self, year: int):
        self.year = year

    def employee(
        self,
        nip=EMPLOYEE,
        *,
        unit_id="opd-b1",
        unit_path=("opd", "opd-b1"),
        rater=RATER,
        is_head=False,
        coefficient=None,
        name=None,
        level=None,
    ):
        return validate_event(
            make_event(
                "EmployeeUpserted",
                source_service="plan-service",
                subject=nip,
                partitionkey=nip,
                data={
                    "nip": nip,
                    "name": name or f"Pegawai {nip[-3:]}",
                    "position": "Analis",
                    "unit_id": unit_id,
                    "unit_name": unit_id.upper(),
                    "unit_path": list(unit_path),
                    "rater_nip": rater,
                    "rater_superior_nip": None,
                    "is_unit_head": is_head,
                    "functional_coefficient": coefficient,
                    "functional_level": level,
                    "active": True,
                },
            )
        )

    def acting_head(
        self,
        nip,
        unit_id,
        valid_from,
        valid_to=None,
        *,
        assignment_id="a-1",
        kind="plt",
        status="active",
        version=1,
        decree_number="800/1/BKPSDM",
    ):
        """UnitHeadAssigned as plan-service publishes it (keyed by the unit)."""
        return validate_event(
            make_event(
                "UnitHeadAssigned",
                source_service="plan-service",
                subject=assignment_id,
                partitionkey=unit_id,
                data={
                    "assignment_id": assignment_id,
                    "unit_id": unit_id,
                    "nip": nip,
                    "kind": kind,
                    "valid_from": str(valid_from),
                    "valid_to": str(valid_to) if valid_to else None,
                    "status": status,
                    "version": version,
                    "decree_number": decree_number,
                },
            )
        )

    def plan(
        self,
        nip=EMPLOYEE,
        *,
        plan_id=None,
        rater=RATER,
        unit_id="opd-b1",
        year=None,
        start=None,
        end=None,
        results=None,
        revision=1,
        event_type="PlanApproved",
        coefficient=None,
    ):
        year = year or self.year
        data = {
            "plan_id": plan_id or f"plan-{nip[-3:]}-{uuid.uuid4().hex[:6]}",
            "nip": nip,
            "rater_nip": rater,
            "rater_superior_nip": None,
            "unit_id": unit_id,
            "year": year,
            "period_start": start or f"{year}-01-01",
            "period_end": end or f"{year}-12-31",
            "approach": "quantitative",
            "model": "JA_JF",
            "revision": revision,
            "results": results or default_results(),
            "behaviours": BEHAVIOURS,
            "attachments": {},
            "functional_coefficient": coefficient,
        }
        if event_type == "PlanAmended":
            data["reason"] = "target changed"
        return validate_event(
            make_event(event_type, source_service="plan-service", subject=data["plan_id"], partitionkey=nip, data=data)
        )

    def activity(
        self,
        plan_id,
        day,
        *,
        activity_id=None,
        nip=EMPLOYEE,
        indicator_id="i1",
        result_id="r1",
        quantity=1,
        minutes=60,
        status="pending",
        event_type="ActivityLogged",
        version=1,
    ):
        data = {
            "activity_id": activity_id or uuid.uuid4().hex[:12],
            "nip": nip,
            "rater_nip": RATER,
            "unit_id": "opd-b1",
            "plan_id": plan_id,
            "result_id": result_id,
            "indicator_id": indicator_id,
            "date": str(day),
            "start_time": "08:00",
            "end_time": "09:00",
            "minutes": minutes,
            "description": "menyusun dokumen",
            "quantity": quantity,
            "quantity_unit": "dokumen",
            "evidence": [],
            "status": status,
            "version": version,
        }
        return validate_event(
            make_event(
                event_type, source_service="activity-service", subject=data["activity_id"], partitionkey=nip, data=data
            )
        )

    def verified(self, logged, decision="accepted", *, quantity=None):
        d = logged["data"]
        return validate_event(
            make_event(
                "ActivityVerified",
                source_service="activity-service",
                subject=d["activity_id"],
                partitionkey=d["nip"],
                data={
                    "activity_id": d["activity_id"],
                    "nip": d["nip"],
                    "rater_nip": RATER,
                    "indicator_id": d["indicator_id"],
                    "plan_id": d["plan_id"],
                    "result_id": d["result_id"],
                    "date": d["date"],
                    "decision": decision,
                    "reason": None if decision == "accepted" else "no evidence",
                    "minutes": d["minutes"],
                    "quantity": d["quantity"] if quantity is None else quantity,
                },
            )
        )

    def withdrawn(self, logged):
        d = logged["data"]
        return validate_event(
            make_event(
                "ActivityWithdrawn",
                source_service="activity-service",
                subject=d["activity_id"],
                partitionkey=d["nip"],
                data={
                    "activity_id": d["activity_id"],
                    "nip": d["nip"],
                    "rater_nip": RATER,
                    "indicator_id": d["indicator_id"],
                    "plan_id": d["plan_id"],
                    "date": d["date"],
                },
            )
        )

    def corrected(self, logged, *, version, by=HEAD, reason="salah ketik", **changes):
        """ActivityCorrected of a verified entry: its whole new state (``changes`` applied) at ``version``."""
        d = logged["data"]
        data = {
            **d,
            **changes,
            "status": changes.get("status", "accepted"),
            "version": version,
            "corrected_by": by,
            "reason": reason,
            "changes": {k: {"before": d.get(k), "after": v} for k, v in changes.items() if k != "status"},
        }
        return validate_event(
            make_event(
                "ActivityCorrected",
                source_service="activity-service",
                subject=d["activity_id"],
                partitionkey=d["nip"],
                data=data,
            )
        )

    def annulled(self, logged, *, version, by=ADMIN, reason="tercatat ganda", previous_status="accepted"):
        d = logged["data"]
        data = {
            k: d[k]
            for k in (
                "activity_id",
                "nip",
                "rater_nip",
                "unit_id",
                "plan_id",
                "result_id",
                "indicator_id",
                "date",
                "minutes",
                "quantity",
                "quantity_unit",
            )
        }
        data.update(previous_status=previous_status, status="annulled", version=version, annulled_by=by, reason=reason)
        return validate_event(
            make_event(
                "ActivityAnnulled",
                source_service="activity-service",
                subject=d["activity_id"],
                partitionkey=d["nip"],
                data=data,
            )
        )


class Evaluation:
    """The service under test plus helpers: apply events through the handlers, call the API as someone."""

    def __init__(self, harness):
        self.h = harness
        self.client = harness.client
        self.today = system_clock(harness.settings).today()  # the service's "today" (KINERJA_TIMEZONE)
        self.ev = Builders(self.today.year)

    def apply(self, *events) -> None:
        """Run the handlers as the consumer does (one transaction per event)."""
        self.h.handle(*events)

    def org(self) -> None:
        e = self.ev
        self.apply(
            e.employee(HEAD, unit_id="opd", unit_path=["opd"], rater=None, is_head=True),
            e.employee(RATER, unit_id="opd-b1", rater=HEAD, is_head=True),
            e.employee(EMPLOYEE, coefficient=12.5),
            e.employee(COLLEAGUE),
            e.employee(OUTSIDER, unit_id="other-opd", unit_path=["other-opd"], rater=None, is_head=True),
        )

    def as_(self, nip, *roles, unit=None):
        return self.h.token(nip, *(roles or ("employee",)), unit=unit)

    @staticmethod
    def _checked(response):
        assert response.status_code < 500, response.get_data(as_text=True)  # never a 500
        if response.status_code >= 400:
            assert response.headers["Content-Type"] == "application/problem+json"
        return response

    def get(self, url, who=EMPLOYEE, *roles, **kw):
        return self._checked(self.client.get(url, headers=self.as_(who, *roles), **kw))

    def post(self, url, who=RATER, *roles, json=None, headers=None):
        return self._checked(self.client.post(url, headers={**self.as_(who, *roles), **(headers or {})}, json=json))

    def put(self, url, who, *roles, json=None):
        return self._checked(self.client.put(url, headers=self.as_(who, *roles), json=json))

    def evaluations(self, **filters):
        r = self.get("/api/v1/evaluations", ADMIN, "admin", query_string={"limit": 200, **filters})
        assert r.status_code == 200, r.json
        return r.json["items"]

    def outbox(self, event_type=None) -> list[dict]:
        rows = []
        for envelope in self.h.outbox():
            envelope.pop("_status", None)
            validate_event(envelope)  # every event this service wrote matches its schema
            if event_type is None or envelope["type"] == event_type:
                rows.append(envelope)
        return rows

    def period(self, scheme="quarterly"):
        return domain.period_containing(self.today, scheme)


@pytest.fixture
def make_evaluation(service_factory):
    """make_evaluation(**env) -> Evaluation: the service with other settings (e.g. EVALUATION_PERIOD_SCHEME)."""
    return lambda **env: Evaluation(service_factory(SPEC, **env))


@pytest.fixture
def evaluation(make_evaluation):
    return make_evaluation()
