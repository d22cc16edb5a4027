"""PerformanceDialogueRecorded: the party whose confirmation the dialogue awaits hears it, in Bahasa Indonesia,
once per version of the dialogue; a confirmation by both tells nobody."""

from __future__ import annotations

import uuid

from kinerja_shared.events import make_event
from kinerja_shared.events.envelope import validate_event
from notification_service.service import SPEC

DIALOGUE = str(uuid.uuid4())


def _dialogue(helpers, *, version, employee_at, rater_at, action="recorded", status="recorded"):
    """PerformanceDialogueRecorded as evaluation-service publishes it (valid against its schema)."""
    return validate_event(
        make_event(
            "PerformanceDialogueRecorded",
            source_service="evaluation-service",
            subject=DIALOGUE,
            partitionkey=helpers.EMPLOYEE,
            data={
                "dialogue_id": DIALOGUE,
                "plan_id": "plan-1",
                "nip": helpers.EMPLOYEE,
                "rater_nip": helpers.RATER,
                "unit_id": "opd-1.bidang-a",
                "evaluation_id": None,
                "stage": "planning",
                "period_id": "2026-Q1",
                "held_on": "2026-01-20",
                "participants": [helpers.EMPLOYEE, helpers.RATER],
                "topics": "Target layanan aplikasi 2026",
                "follow_ups": "Pelatihan keamanan aplikasi",
                "confirmed_by_employee_at": employee_at,
                "confirmed_by_rater_at": rater_at,
                "status": status,
                "version": version,
                "revision": 1,
                "action": action,
            },
        )
    )


def _items(h, helpers, nip):
    return [i for i in helpers.inbox(h, nip) if i["category"] == "dialogue_awaiting_confirmation"]


def test_the_other_party_hears_that_the_dialogue_awaits_their_confirmation_once(service_factory, ev, helpers):
    h = service_factory(SPEC, NOTIFICATION_REMINDERS="false")
    helpers.handle(
        h, ev.employee(helpers.RATER, "Drs. Rahmat Hidayat", unit_id="opd-1", unit_path=("opd-1",), rater=None)
    )
    helpers.handle(h, ev.employee(helpers.EMPLOYEE, "Siti Aminah, S.Kom"))
    recorded = _dialogue(helpers, version=1, employee_at="2026-01-20T03:00:00Z", rater_at=None)
    helpers.handle(h, recorded)
    helpers.handle(h, recorded)  # redelivered
    # the same version published again under another event id (a replay of the outbox): still one item
    helpers.handle(h, _dialogue(helpers, version=1, employee_at="2026-01-20T03:00:00Z", rater_at=None))
    [item] = _items(h, helpers, helpers.RATER)
    assert item["title"] == "Dialog kinerja menunggu konfirmasi Anda"
    assert item["body"].startswith("Siti Aminah, S.Kom mencatat dialog kinerja tahap perencanaan pada ")
    assert "(periode 2026-Q1)" in item["body"] and "Tindak lanjut: Pelatihan keamanan aplikasi" in item["body"]
    assert item["link"] == f"/dialogues/{DIALOGUE}"
    assert _items(h, helpers, helpers.EMPLOYEE) == []  # the recorder is not told about their own record
    # the rater confirms: both confirmed, nobody is asked anything
    helpers.handle(
        h,
        _dialogue(
            helpers,
            version=2,
            employee_at="2026-01-20T03:00:00Z",
            rater_at="2026-01-21T03:00:00Z",
            action="confirmed",
            status="confirmed",
        ),
    )
    assert len(_items(h, helpers, helpers.RATER)) == 1 and _items(h, helpers, helpers.EMPLOYEE) == []
    # the rater corrects it: now the employee is asked
    helpers.handle(
        h, _dialogue(helpers, version=3, employee_at=None, rater_at="2026-01-22T03:00:00Z", action="corrected")
    )
    [asked] = _items(h, helpers, helpers.EMPLOYEE)
    assert asked["body"].startswith("Drs. Rahmat Hidayat mengoreksi dialog kinerja")
