"""A small org and a few events per service, so the fuzzer's requests reach rows and not only empty tables.

Events are built with make_event exactly as their producers publish them, and applied through each
service's handlers (ServiceHarness.handle). plan-service is seeded through its own directory import.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kinerja_shared.events import make_event
from kinerja_shared.testing import unit_head_assigned

HEAD = "197001012000011001"
RATER = "198001012005011002"
EMPLOYEE = "199001012015011003"
COLLEAGUE = "199202022016022004"
ADMIN = "196501011990011004"
OTHER_SUP = "198505052010011005"  # the access matrix: a supervisor who rates nobody in UNIT
OUTSIDER = "198707072012012006"  # the access matrix: the head of OTHER_UNIT, outside dinas' subtree
ACTING_HEAD = (
    "198808082014011011"  # the access matrix (issue 16): of OTHER_UNIT, Plh. of dinas from today (as matrix_plan)
)
FORMER_HEAD = "196808082000011009"  # the access matrix (issue 16): head of dinas until moved to OTHER_UNIT
UNIT = "bidang"
OTHER_UNIT = "lain"
BEHAVIOURS = ("service", "accountable", "competent", "harmonious", "loyal", "adaptive", "collaborative")


def today() -> date:
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


def employee(nip: str, name: str, unit_id: str, path: list[str], rater: str | None, *, head: bool = False) -> dict:
    return make_event(
        "EmployeeUpserted",
        source_service="plan-service",
        subject=nip,
        partitionkey=nip,
        data={
            "nip": nip,
            "name": name,
            "position": "Analis",
            "unit_id": unit_id,
            "unit_name": unit_id.title(),
            "unit_path": path,
            "rater_nip": rater,
            "rater_superior_nip": None,
            "is_unit_head": head,
            "email": f"{nip}@binjaikota.go.id",
            "functional_coefficient": None,
            "active": True,
        },
    )


def org() -> list[dict]:
    return [
        employee(HEAD, "Kepala Dinas", "dinas", ["dinas"], None, head=True),
        employee(RATER, "Kepala Bidang", UNIT, ["dinas", UNIT], HEAD, head=True),
        employee(EMPLOYEE, "Andi Pratama", UNIT, ["dinas", UNIT], RATER),
        employee(COLLEAGUE, "Siti Aminah", UNIT, ["dinas", UNIT], RATER),
    ]


def plan_approved(
    nip: str = EMPLOYEE,
    plan_id: str = "plan-1",
    *,
    superior: str | None = HEAD,
    start: date | None = None,
    end: date | None = None,
) -> dict:
    start, end = start or today() - timedelta(days=150), end or today() + timedelta(days=30)
    return make_event(
        "PlanApproved",
        source_service="plan-service",
        subject=plan_id,
        partitionkey=nip,
        data={
            "plan_id": plan_id,
            "nip": nip,
            "rater_nip": RATER,
            "rater_superior_nip": superior,
            "unit_id": UNIT,
            "year": end.year,
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "approach": "quantitative",
            "model": "JA_JF",
            "revision": 1,
            "results": [
                {
                    "result_id": "r1",
                    "kind": "main",
                    "text": "Layanan perizinan tepat waktu",
                    "indicators": [
                        {
                            "indicator_id": "i1",
                            "aspect": "quantity",
                            "text": "Dokumen",
                            "target_value": 12,
                            "target_unit": "dokumen",
                        }
                    ],
                }
            ],
            "behaviours": [{"value": v, "expectation": ""} for v in BEHAVIOURS],
            "attachments": {},
        },
    )


def activity_logged(nip: str = EMPLOYEE, plan_id: str = "plan-1", day: date | None = None) -> dict:
    activity_id = uuid.uuid4().hex[:12]
    return make_event(
        "ActivityLogged",
        source_service="activity-service",
        subject=activity_id,
        partitionkey=nip,
        data={
            "activity_id": activity_id,
            "nip": nip,
            "rater_nip": RATER,
            "unit_id": UNIT,
            "plan_id": plan_id,
            "result_id": "r1",
            "indicator_id": "i1",
            "date": str(day or today() - timedelta(days=1)),
            "start_time": "08:00",
            "end_time": "09:00",
            "minutes": 60,
            "description": "menyusun dokumen",
            "quantity": 1,
            "quantity_unit": "dokumen",
            "evidence": [],
            "status": "pending",
            "version": 1,
        },
    )


def evaluation_opened(nip: str = EMPLOYEE) -> dict:
    evaluation_id = str(uuid.uuid4())
    year = today().year
    return make_event(
        "EvaluationOpened",
        source_service="evaluation-service",
        subject=evaluation_id,
        partitionkey=nip,
        data={
            "evaluation_id": evaluation_id,
            "nip": nip,
            "rater_nip": RATER,
            "unit_id": UNIT,
            "plan_id": "plan-1",
            "revision": 1,
            "opened_at": f"{year}-03-25T01:00:00.000Z",
            "period": {"id": f"{year}-Q1", "kind": "quarterly", "start": f"{year}-01-01", "end": f"{year}-03-31"},
        },
    )


def feedback_given(nip: str = EMPLOYEE) -> dict:
    feedback_id = str(uuid.uuid4())
    return make_event(
        "FeedbackGiven",
        source_service="evaluation-service",
        subject=feedback_id,
        partitionkey=nip,
        data={
            "feedback_id": feedback_id,
            "nip": nip,
            "rater_nip": RATER,
            "period_id": f"{today().year}-Q1",
            "result_id": None,
            "behaviour_value": None,
            "text": "Laporan sudah rapi.",
            "given_at": f"{today().year}-02-01T03:00:00.000Z",
        },
    )


def directory_document() -> dict:
    """plan-service's own directory import (it is the source of the org the others receive as events)."""
    return {
        "units": [
            {"id": "dinas", "name": "Dinas Kesehatan", "parent_id": None, "head_nip": HEAD},
            {"id": UNIT, "name": "Bidang Pelayanan", "parent_id": "dinas", "head_nip": RATER},
        ],
        "employees": [
            {"nip": HEAD, "name": "Kepala Dinas", "unit_id": "dinas", "position": "Kepala Dinas"},
            {"nip": RATER, "name": "Kepala Bidang", "unit_id": UNIT, "rater_nip": HEAD, "position": "Kepala Bidang"},
            {"nip": EMPLOYEE, "name": "Andi Pratama", "unit_id": UNIT, "rater_nip": RATER, "position": "Analis"},
            {"nip": COLLEAGUE, "name": "Siti Aminah", "unit_id": UNIT, "rater_nip": RATER, "position": "Analis"},
        ],
    }


# -- the access matrix's org: every relation is one person, and no one holds two ---------------------
#
#   dinas (head: HEAD)            OTHER_SUP, a supervisor who rates nobody in bidang
#   └── bidang (no head)          RATER rates EMPLOYEE and COLLEAGUE; RATER has no rater (no superior)
#   lain (head: OUTSIDER)         outside dinas' subtree


def matrix_directory() -> dict:
    """The matrix org as plan-service's directory import."""
    return {
        "units": [
            {"id": "dinas", "name": "Dinas Kesehatan", "parent_id": None, "head_nip": HEAD},
            {"id": UNIT, "name": "Bidang Pelayanan", "parent_id": "dinas", "head_nip": None},
            {"id": OTHER_UNIT, "name": "Dinas Pendidikan", "parent_id": None, "head_nip": OUTSIDER},
        ],
        "employees": [
            {"nip": HEAD, "name": "Kepala Dinas", "unit_id": "dinas", "position": "Kepala Dinas"},
            {"nip": OTHER_SUP, "name": "Sekretaris", "unit_id": "dinas", "position": "Sekretaris"},
            {"nip": RATER, "name": "Kepala Subbagian", "unit_id": UNIT, "position": "Kepala Subbagian"},
            {"nip": EMPLOYEE, "name": "Andi Pratama", "unit_id": UNIT, "rater_nip": RATER, "position": "Analis"},
            {"nip": COLLEAGUE, "name": "Siti Aminah", "unit_id": UNIT, "rater_nip": RATER, "position": "Analis"},
            {"nip": OUTSIDER, "name": "Kepala Dinas Lain", "unit_id": OTHER_UNIT, "position": "Kepala Dinas"},
        ],
    }


def matrix_org() -> list[dict]:
    """The matrix org as the EmployeeUpserted events plan-service publishes for matrix_directory()."""
    document = matrix_directory()
    units = {u["id"]: u for u in document["units"]}

    def path(unit_id: str) -> list[str]:
        parent = units[unit_id]["parent_id"]
        return [*path(parent), unit_id] if parent else [unit_id]

    return [
        employee(
            e["nip"],
            e["name"],
            e["unit_id"],
            path(e["unit_id"]),
            e.get("rater_nip"),
            head=units[e["unit_id"]]["head_nip"] == e["nip"],
        )
        for e in document["employees"]
    ]


def matrix_headship() -> list[dict]:
    """The acting and former heads of the access matrix (issue 16), as plan-service publishes them after
    matrix_org(): ACTING_HEAD, a member of lain, is Plh. of dinas from today; FORMER_HEAD headed dinas and
    was moved to lain (the later EmployeeUpserted: is_unit_head false)."""
    return [
        employee(ACTING_HEAD, "Plh. Kepala Dinas", OTHER_UNIT, [OTHER_UNIT], OUTSIDER),
        unit_head_assigned(ACTING_HEAD, "dinas", today(), None, kind="plh"),
        employee(FORMER_HEAD, "Mantan Kepala Dinas", "dinas", ["dinas"], None, head=True),
        employee(FORMER_HEAD, "Mantan Kepala Dinas", OTHER_UNIT, [OTHER_UNIT], OUTSIDER),
    ]


# Callers beside the matrix's columns, each with the column whose answers they must get (test_access_matrix.py),
# for the services that keep acting heads from UnitHeadAssigned (activity-, notification-service): headship comes
# from the directory, never from a token's claims.
HEADSHIP_RELATIONS = {  # name -> (NIP, roles, unit claim, the column)
    "acting_head": (ACTING_HEAD, ("employee",), None, "head_in"),  # Plh. of dinas, plain token
    "claimed_head": (OTHER_SUP, ("unit_head",), "dinas", "other_supervisor"),  # the token claims dinas
    "stale_head": (FORMER_HEAD, ("unit_head",), "dinas", "head_out"),  # moved away, the token still says dinas
}
