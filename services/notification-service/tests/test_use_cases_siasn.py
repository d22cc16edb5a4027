"""The SIASN channel's admin use cases: list, read, resend, report, export; on an in-memory database."""

from __future__ import annotations

import pytest

from kinerja_shared.errors import Conflict, Forbidden, NotFound
from kinerja_shared.events import make_event
from kinerja_shared.events.envelope import Event, validate_event
from kinerja_shared.testing.memory import actor, memory_runtime
from notification_service import handlers, siasn_store
from notification_service import siasn as channel
from notification_service.service import SPEC
from notification_service.use_cases import siasn

ADMIN = actor("196501011990031001", "admin")
RATER, EMPLOYEE, UNIT = "197001012000011001", "198503302010011002", "opd-1.bidang-a"
ANNUAL = {"id": "2026-Y", "kind": "annual", "start": "2026-01-01", "end": "2026-12-31"}


def employee(nip, name, *, rater=RATER, pns_id="A8ACA7397AEB3912E040640A040269BB", rank="32"):
    return Event(
        validate_event(
            make_event(
                "EmployeeUpserted",
                source_service="plan-service",
                subject=nip,
                partitionkey=nip,
                data={
                    "nip": nip,
                    "name": name,
                    "position": "Analis",
                    "rank": "Penata",
                    "grade": "III/c",
                    "unit_id": UNIT,
                    "unit_name": "Bidang Aplikasi",
                    "unit_path": ["opd-1", UNIT],
                    "rater_nip": rater,
                    "rater_superior_nip": None,
                    "is_unit_head": False,
                    "email": None,
                    "phone": None,
                    "functional_level": None,
                    "active": True,
                    "siasn_pns_id": pns_id,
                    "rank_code": rank,
                },
            )
        )
    )


def closed(evaluation_id="e1"):
    return Event(
        validate_event(
            make_event(
                "EvaluationClosed",
                source_service="evaluation-service",
                subject=evaluation_id,
                partitionkey=EMPLOYEE,
                data={
                    "evaluation_id": evaluation_id,
                    "nip": EMPLOYEE,
                    "rater_nip": RATER,
                    "unit_id": UNIT,
                    "plan_id": "p1",
                    "period": ANNUAL,
                    "revision": 1,
                    "results_rating": "above",
                    "behaviour_rating": "meets",
                    "predicate": "BAIK",
                    "credit_points": None,
                    "closed_at": "2027-01-10T03:00:00.000Z",
                    "closed_by": RATER,
                },
            )
        )
    )


@pytest.fixture
def rt():
    return memory_runtime(SPEC)


def record_id(rt, *events) -> int:
    with rt.unit_of_work() as uow:
        for event in events:
            if event.type == "EmployeeUpserted":
                handlers.on_employee_upserted(uow.conn, event)
            else:
                channel.on_evaluation_closed(uow.conn, event)
        return siasn.list_records(uow, ADMIN, {"limit": 1})["items"][0]["id"]


def test_a_record_waits_for_the_directory_and_says_what_it_lacks(rt):
    rid = record_id(rt, closed())
    with rt.unit_of_work() as uow:
        detail = siasn.get_record(uow, ADMIN, rid)
        assert detail["status"] == "needs_data" and detail["body"] is None and detail["missing"]
        assert siasn.list_records(uow, ADMIN, {"limit": 5, "status": "sent"})["items"] == []
        with pytest.raises(NotFound):
            siasn.get_record(uow, ADMIN, 2**63)
        with pytest.raises(Forbidden):
            siasn.list_records(uow, actor(EMPLOYEE), {"limit": 5})


def test_a_complete_record_shows_the_body_that_would_be_sent(rt):
    rid = record_id(
        rt,
        employee(RATER, "Siti", rater=None, pns_id="B9F1C2D3E4F5A6B7C8D9E0F1A2B3C4D5", rank="41"),
        employee(EMPLOYEE, "Andi"),
        closed(),
    )
    with rt.unit_of_work() as uow:
        detail = siasn.get_record(uow, ADMIN, rid)
    assert detail["status"] == "pending" and detail["body"]["tahun"] == 2026 and "evaluation" not in detail


def test_resend_builds_again_and_is_audited_but_not_while_pending(rt):
    rid = record_id(rt, closed())
    with rt.unit_of_work() as uow:
        siasn_store.change(uow.conn, rid, {"status": "refused", "last_error": "pnsDinilaiOrang kosong"})
    rt.clock.advance(minutes=3)
    with rt.unit_of_work() as uow:
        out = siasn.resend_record(uow, ADMIN, rid)
    assert out["status"] == "needs_data" and out["attempts"] == 0
    [row] = uow.audited
    assert (row["action"], row["before"], row["after"]) == (
        "siasn.resent",
        {"status": "refused"},
        {"status": "needs_data"},
    )
    assert uow.published == []
    with rt.unit_of_work() as uow:
        siasn_store.change(uow.conn, rid, {"status": "pending"})
    with pytest.raises(Conflict):
        with rt.unit_of_work() as uow:
            siasn.resend_record(uow, ADMIN, rid)
    with pytest.raises(Forbidden):
        with rt.unit_of_work() as uow:
            siasn.resend_record(uow, actor(EMPLOYEE), rid)


def test_the_report_counts_per_unit_and_the_export_names_what_lacks_data(rt):
    rid = record_id(rt, closed())
    with rt.unit_of_work() as uow:
        report = siasn.report(uow, ADMIN, 2026)
        assert report == {
            "year": 2026,
            "units": [
                {"year": 2026, "unit_id": UNIT, "sent": 0, "waiting": 0, "refused": 0, "failed": 0, "needs_data": 1}
            ],
        }
        assert siasn.report(uow, ADMIN, 2026, "another-unit")["units"] == []
        document = siasn.export(uow, ADMIN, UNIT, "2026-Y")
    assert document["records"] == [] and [r["record_id"] for r in document["needs_data"]] == [rid]
    with pytest.raises(Forbidden):
        with rt.unit_of_work() as uow:
            siasn.export(uow, actor(EMPLOYEE), UNIT, "2026-Y")
