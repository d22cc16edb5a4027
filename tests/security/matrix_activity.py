"""activity-service's calls for the access matrix: every operation on an activity of self's.

The org and self's approved plan (indicator i1) arrive through the handlers, as plan-service
publishes them; activities and evidence are logged by self over the API, a fresh one (in a
5-minute slot of its own today) for every cell that changes one.
"""

from __future__ import annotations

import io

from . import seeds
from .matrix import Call, Matrix, case, common_operations, listing, on_fresh

CASES: dict = common_operations()
EXTRA_RELATIONS = seeds.HEADSHIP_RELATIONS  # acting head, claimed and stale headship (seeds.matrix_headship())
E = seeds.EMPLOYEE
ACTIVITIES = "/api/v1/activities"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def env(workdir) -> dict:
    return {"ACTIVITY_EVIDENCE_DIR": str(workdir / "evidence")}


def entry(m: Matrix) -> dict:
    """A valid entry of self's, today, in a slot no other entry of this module uses."""
    slot = m.n()
    start = 5 * slot
    return {
        "date": seeds.today().isoformat(),
        "start_time": f"{start // 60:02d}:{start % 60:02d}",
        "end_time": f"{(start + 5) // 60:02d}:{(start + 5) % 60:02d}",
        "indicator_id": "i1",
        "description": "Memverifikasi berkas permohonan izin",
        "quantity": 1,
        "quantity_unit": "dokumen",
    }


def logged(m: Matrix) -> str:
    return m.as_("self", "POST", ACTIVITIES, 201, json=entry(m))["id"]


def upload() -> dict:
    return {"file": (io.BytesIO(PDF), "bukti.pdf", "application/pdf")}


def with_evidence(m: Matrix) -> dict:
    """A fresh activity of self's with an evidence file: its path parameters."""
    activity = logged(m)
    evidence = m.as_(
        "self", "POST", f"{ACTIVITIES}/{activity}/evidence", 201, data=upload(), content_type="multipart/form-data"
    )
    return {"activity_id": activity, "file_id": evidence["file_id"]}


def setup(m: Matrix) -> None:
    m.h.handle(*seeds.matrix_org(), *seeds.matrix_headship(), seeds.plan_approved(E, "plan-m", superior=None))
    m.params.update(with_evidence(m), nip=E)


on_fresh(CASES, "POST /api/v1/activities", entry)
on_fresh(CASES, "POST /api/v1/activities/batch", lambda m: {"items": [entry(m)]})
listing(CASES, "GET /api/v1/activities", "?nip={nip}&limit=100", row="activity_id")
on_fresh(
    CASES, "PATCH /api/v1/activities/{activity_id}", {"description": "Menyusun laporan harian"}, activity_id=logged
)
on_fresh(CASES, "POST /api/v1/activities/{activity_id}/withdraw", {"reason": "salah indikator"}, activity_id=logged)
on_fresh(CASES, "POST /api/v1/activities/{activity_id}/verify", {"decision": "accepted"}, activity_id=logged)
on_fresh(CASES, "POST /api/v1/activities/verify", lambda m: {"items": [{"id": logged(m), "decision": "accepted"}]})
case(CASES, "POST /api/v1/activities/{activity_id}/evidence")(
    lambda m, rel: Call("POST", f"{ACTIVITIES}/{logged(m)}/evidence", data=upload(), content_type="multipart/form-data")
)
on_fresh(CASES, "DELETE /api/v1/activities/{activity_id}/evidence/{file_id}", ids=with_evidence)
case(CASES, "GET /api/v1/indicators")(lambda m, rel: Call("GET", f"/api/v1/indicators?nip={E}"))
case(CASES, "GET /api/v1/summaries/monthly")(
    lambda m, rel: Call("GET", f"/api/v1/summaries/monthly?nip={E}&month={seeds.today():%Y-%m}")
)
case(CASES, "GET /api/v1/summaries/daily")(
    lambda m, rel: Call("GET", f"/api/v1/summaries/daily?date={seeds.today().isoformat()}&unit_id={seeds.UNIT}")
)
case(CASES, "GET /api/v1/summaries/calendar")(lambda m, rel: Call("GET", "/api/v1/summaries/calendar"))


def verified(m: Matrix) -> str:
    """A fresh activity of self's, accepted by the rater (version 2)."""
    activity = logged(m)
    m.as_("rater", "POST", f"{ACTIVITIES}/{activity}/verify", json={"decision": "accepted"})
    return activity


def repaired(action: str, body: dict):
    def build(m: Matrix, relation: str) -> Call:
        activity = verified(m)
        return Call("POST", f"{ACTIVITIES}/{activity}/{action}", json=body, headers={"If-Match": f'"{activity}.2"'})

    return build


case(CASES, "POST /api/v1/activities/{activity_id}/correct")(
    repaired("correct", {"quantity": 2, "reason": "salah ketik"})
)
case(CASES, "POST /api/v1/activities/{activity_id}/annul")(repaired("annul", {"reason": "tercatat ganda"}))
