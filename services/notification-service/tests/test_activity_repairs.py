"""Corrections and annulments of verified activities (issue 14): the read model follows, the employee hears of it.

ActivityCorrected carries the entry's new state: activity_states takes its description and
status; ActivityAnnulled takes the entry out (kept as withdrawn: it no longer counts as logged for
the daily reminder). The employee gets one item saying who corrected or annulled their verified
entry and why; a redelivered event adds nothing. Webhook subscribers may ask for both types.
"""

from kinerja_shared.events import make_event, validate_event
from notification_service import handlers
from notification_service.service import SPEC

ADMIN = "000000000000000009"


def corrected(logged, *, by, reason="Salah ketik jumlah", **changes):
    d = {k: v for k, v in logged["data"].items() if k != "logged_at"}
    data = {
        **d,
        **changes,
        "status": "accepted",
        "version": 3,
        "corrected_by": by,
        "reason": reason,
        "changes": {k: {"before": d[k], "after": v} for k, v in changes.items()},
        "corrected_at": "2026-03-12T03:00:00.000Z",
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


def annulled(logged, *, by, reason="Tercatat ganda"):
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
    data.update(
        previous_status="accepted",
        status="annulled",
        version=3,
        annulled_by=by,
        reason=reason,
        annulled_at="2026-03-12T03:00:00.000Z",
    )
    return validate_event(
        make_event(
            "ActivityAnnulled",
            source_service="activity-service",
            subject=d["activity_id"],
            partitionkey=d["nip"],
            data=data,
        )
    )


def _state(h, activity_id):
    return h.rows("SELECT status, description FROM activity_states WHERE activity_id = :i", i=activity_id)[0]


def test_a_correction_updates_the_state_and_tells_the_employee_once(service_factory, ev, helpers):
    h = service_factory(SPEC, NOTIFICATION_REMINDERS="false")
    h.handle(
        ev.employee(helpers.RATER, "Drs. Rahmat Hidayat", unit_id="opd-1", unit_path=("opd-1",), rater=None),
        ev.employee(helpers.EMPLOYEE, "Siti Aminah, S.Kom"),
    )
    logged = ev.activity_logged()
    aid = logged["data"]["activity_id"]
    h.handle(logged, ev.activity_verified(aid, decision="accepted"))
    correction = corrected(logged, by=helpers.RATER, quantity=9, description="Menyusun modul laporan bulanan")
    assert h.handle(correction) == ["processed"]
    assert _state(h, aid) == {"status": "accepted", "description": "Menyusun modul laporan bulanan"}

    [item] = [n for n in helpers.inbox(h, helpers.EMPLOYEE) if n["category"] == "activity_corrected"]
    assert "dikoreksi" in item["title"] and "10 Maret 2026" in item["title"]
    assert "Drs. Rahmat Hidayat" in item["body"] and "Alasan: Salah ketik jumlah" in item["body"]
    assert "Jumlah: 1 → 9" in item["body"]
    assert h.handle(correction) == ["duplicate"]
    assert len([n for n in helpers.inbox(h, helpers.EMPLOYEE) if n["category"] == "activity_corrected"]) == 1
    assert helpers.inbox(h, helpers.RATER) == [
        n for n in helpers.inbox(h, helpers.RATER) if n["category"] != "activity_corrected"
    ]


def test_an_annulment_takes_the_entry_out_and_tells_the_employee(service_factory, ev, helpers):
    h = service_factory(SPEC, NOTIFICATION_REMINDERS="false")
    h.handle(ev.employee(helpers.EMPLOYEE, "Siti Aminah, S.Kom"))
    logged = ev.activity_logged(description="Rapat koordinasi")
    aid = logged["data"]["activity_id"]
    h.handle(logged, ev.activity_verified(aid, decision="accepted"))
    annulment = annulled(logged, by=ADMIN)
    assert h.handle(annulment) == ["processed"]
    assert _state(h, aid) == {"status": "withdrawn", "description": "Rapat koordinasi"}
    [item] = [n for n in helpers.inbox(h, helpers.EMPLOYEE) if n["category"] == "activity_corrected"]
    assert "dibatalkan" in item["title"] and "Alasan: Tercatat ganda" in item["body"] and ADMIN in item["body"]
    assert "Kegiatan: Rapat koordinasi" in item["body"]
    assert h.handle(annulment) == ["duplicate"]


def test_webhooks_may_subscribe_to_repairs():
    assert {"ActivityCorrected", "ActivityAnnulled"} <= set(handlers.WEBHOOK_EVENT_TYPES)
