"""Who hears what, end to end through real Kafka and PostgreSQL: each rule, nobody else, once."""

from __future__ import annotations

import json

from kinerja_shared.events.envelope import validate_event
from notification_service.service import SPEC


def _categories(h, helpers, nip):
    return sorted(i["category"] for i in helpers.inbox(h, nip))


def _directory(h, ev, produce, helpers):
    """RATER heads opd-1; EMPLOYEE and COLLEAGUE work in its sub-unit; OTHER_UNIT elsewhere."""
    produce(
        ev.employee(
            helpers.RATER, "Drs. Rahmat Hidayat", unit_id="opd-1", unit_path=("opd-1",), rater=None, is_unit_head=True
        )
    )
    produce(ev.employee(helpers.EMPLOYEE, "Siti Aminah, S.Kom"))
    produce(ev.employee(helpers.COLLEAGUE, "Budi Santoso"))
    produce(
        ev.employee(helpers.OTHER_UNIT, "Dewi Lestari", unit_id="opd-2", unit_path=("opd-2",), rater=helpers.OUTSIDER)
    )
    helpers.wait_for(lambda: h.scalar("SELECT count(*) FROM contacts") == 4, 60, message="contacts")


def test_each_rule_reaches_the_right_people_and_nobody_else(service_factory, ev, produce, helpers, kafka_tools):
    h = service_factory(SPEC, NOTIFICATION_REMINDERS="false")
    h.start_worker()
    _directory(h, ev, produce, helpers)
    R, E, C = helpers.RATER, helpers.EMPLOYEE, helpers.COLLEAGUE

    sent = [
        produce(ev.plan_submitted(E, correlationid="corr-plan-submitted")),
        produce(ev.plan_approved(E)),
        produce(ev.plan_returned(C, reason="Target kuantitas belum diisi")),
    ]
    a1, a2, a3 = (
        ev.activity_logged(E),
        ev.activity_logged(E, logged_at="2026-03-10T09:59:00.000Z"),
        ev.activity_logged(C),
    )
    sent += [produce(a1), produce(a2), produce(a3)]
    # logged after midnight WIB (17:30 UTC): the next local date, so the next digest
    sent.append(produce(ev.activity_logged(C, logged_at="2026-03-10T17:30:00.000Z")))
    sent.append(
        produce(ev.activity_verified(a1["data"]["activity_id"], decision="rejected", reason="Bukti dukung kosong"))
    )
    sent.append(produce(ev.activity_verified(a2["data"]["activity_id"], decision="accepted")))
    sent += [produce(ev.evaluation_opened(E)), produce(ev.evaluation_opened(C))]
    sent.append(produce(ev.evaluation_closed(E, predicate="BUTUH_PERBAIKAN", results="below", behaviour="meets")))
    sent.append(produce(ev.feedback_given(E, text="Laporan sudah rapi, pertahankan.")))
    sent.append(
        produce(
            ev.calibration_finalised("opd-1", [{"nip": E, "predicate": "BAIK"}, {"nip": C, "predicate": "SANGAT_BAIK"}])
        )
    )

    expected = {
        R: ["activity_digest", "activity_digest", "calibration_finalised", "evaluation_opened", "plan_submitted"],
        E: ["activity_rejected", "calibration_finalised", "evaluation_closed", "feedback_given", "plan_approved"],
        C: ["calibration_finalised", "plan_returned"],
    }

    def settled():
        return all(_categories(h, helpers, nip) == cats for nip, cats in expected.items()) and h.scalar(
            "SELECT count(*) FROM processed_events"
        ) == 4 + len(sent)

    helpers.wait_for(settled, 90, message="every rule's items")
    assert helpers.inbox(h, helpers.OTHER_UNIT) == []
    assert helpers.inbox(h, helpers.OUTSIDER) == []

    rater = {i["category"] + ":" + str(i["data"].get("date", "")): i for i in helpers.inbox(h, R)}
    digest = rater["activity_digest:2026-03-10"]
    assert digest["count"] == 3 and digest["data"]["people"] == 2
    assert digest["title"] == "3 kegiatan harian menunggu verifikasi Anda (10 Maret 2026)"
    assert "Budi Santoso" in digest["body"] and "Siti Aminah, S.Kom" in digest["body"]
    assert rater["activity_digest:2026-03-11"]["count"] == 1
    opened = next(i for i in helpers.inbox(h, R) if i["category"] == "evaluation_opened")
    assert opened["count"] == 2 and "2026-Q1" in opened["title"] and "2 pegawai" in opened["body"]
    submitted = next(i for i in helpers.inbox(h, R) if i["category"] == "plan_submitted")
    assert submitted["title"] == "SKP 2026 dari Siti Aminah, S.Kom menunggu persetujuan Anda"
    assert submitted["cause_event_type"] == "PlanSubmitted" and submitted["cause_event_id"] == sent[0]["id"]
    assert submitted["correlation_id"] == "corr-plan-submitted"

    mine = {i["category"]: i for i in helpers.inbox(h, E)}
    assert mine["plan_approved"]["title"] == "SKP 2026 Anda telah disetujui"
    assert "Drs. Rahmat Hidayat" in mine["plan_approved"]["body"]
    assert "Bukti dukung kosong" in mine["activity_rejected"]["body"]
    assert "Menyusun modul laporan" in mine["activity_rejected"]["body"]
    assert mine["evaluation_closed"]["title"] == "Hasil penilaian kinerja periode 2026-Q1: Butuh Perbaikan"
    assert "Rating hasil kerja: Di Bawah Ekspektasi" in mine["evaluation_closed"]["body"]
    assert "Laporan sudah rapi" in mine["feedback_given"]["body"]
    assert "Predikat kinerja Anda: Baik." in mine["calibration_finalised"]["body"]
    assert "Predikat kinerja organisasi: Baik." in mine["calibration_finalised"]["body"]
    colleague = {i["category"]: i for i in helpers.inbox(h, C)}
    assert "Target kuantitas belum diisi" in colleague["plan_returned"]["body"]
    assert "Sangat Baik" in colleague["calibration_finalised"]["body"]
    head = next(i for i in helpers.inbox(h, R) if i["category"] == "calibration_finalised")
    assert "Predikat kinerja Anda" not in head["body"]  # the head was not among the rated

    # Every new item announced itself once: NotificationDelivered (inbox), valid, traceable.
    items = h.rows("SELECT id, recipient_nip, category, cause_event_id, correlation_id FROM notifications")
    delivered = [e for e in h.outbox() if e["type"] == "NotificationDelivered"]
    assert len(delivered) == len(items) == 12
    by_id = {e["data"]["notification_id"]: e for e in delivered}
    for item in items:
        event = by_id[str(item["id"])]
        assert event["data"]["recipient_nip"] == item["recipient_nip"] and event["data"]["channel"] == "inbox"
        assert event["data"]["cause_event_id"] == item["cause_event_id"]
        assert event["correlationid"] == item["correlation_id"]
        assert event["partitionkey"] == item["recipient_nip"]
    helpers.wait_for(lambda: all(e["_status"] == "published" for e in h.outbox()), 60, message="relay")
    on_topic = [json.loads(r.value) for r in kafka_tools.read("kinerja.notification.events")]
    assert sorted(e["id"] for e in on_topic) == sorted(e["id"] for e in delivered)
    for event in on_topic:
        validate_event(event)


def test_a_replayed_event_notifies_nobody_twice(service_factory, ev, produce, helpers):
    h = service_factory(SPEC, NOTIFICATION_REMINDERS="false")
    h.start_worker()
    _directory(h, ev, produce, helpers)
    E, R = helpers.EMPLOYEE, helpers.RATER

    approved = ev.plan_approved(E)
    logged = ev.activity_logged(E)
    produce(approved)
    produce(logged)
    helpers.wait_for(
        lambda: len(helpers.inbox(h, E)) == 1 and len(helpers.inbox(h, R)) == 1, 60, message="first delivery"
    )

    # The same events again (a redelivery), and the same activity under a new event id (a producer
    # that re-published after a crash): nothing new, the digest still counts one entry.
    produce(approved)
    produce(logged)
    republished = ev.activity_logged(E, activity_id=logged["data"]["activity_id"])
    produce(republished)
    sentinel = produce(ev.feedback_given(E))  # same key, same partition: processed after the ones above
    helpers.wait_for(lambda: len(helpers.inbox(h, E)) == 2, 60, message="the sentinel")

    assert _categories(h, helpers, E) == ["feedback_given", "plan_approved"]
    [digest] = helpers.inbox(h, R)
    assert digest["count"] == 1 and digest["version"] == 1
    assert h.scalar("SELECT count(*) FROM processed_events WHERE event_id = :i", i=republished["id"]) == 1
    assert h.scalar("SELECT count(*) FROM notifications") == 3
    assert len([e for e in h.outbox() if e["type"] == "NotificationDelivered"]) == 3
    assert sentinel["id"] in {r["event_id"] for r in h.rows("SELECT event_id FROM processed_events")}


def test_the_activity_digest_is_one_item_however_many_entries(service_factory, ev, produce, helpers):
    h = service_factory(SPEC, NOTIFICATION_REMINDERS="false")
    h.start_worker()
    _directory(h, ev, produce, helpers)
    R = helpers.RATER
    for i in range(12):
        produce(
            ev.activity_logged(
                helpers.EMPLOYEE if i % 2 else helpers.COLLEAGUE, logged_at=f"2026-03-10T0{i % 9}:{10 + i}:00.000Z"
            )
        )
    helpers.wait_for(lambda: [i["count"] for i in helpers.inbox(h, R)] == [12], 60, message="a digest of 12")
    assert h.scalar("SELECT count(*) FROM notifications") == 1
    [item] = helpers.inbox(h, R)
    assert item["title"].startswith("12 kegiatan harian")
    assert len([e for e in h.outbox() if e["type"] == "NotificationDelivered"]) == 1

    # Read, then another entry arrives: the same item, unread again with the new count.
    assert h.client.post(f"/api/v1/notifications/{item['id']}/read", headers=h.token(R)).status_code == 200
    produce(ev.activity_logged(helpers.EMPLOYEE, logged_at="2026-03-10T08:00:00.000Z"))
    helpers.wait_for(
        lambda: [(i["count"], i["read"]) for i in helpers.inbox(h, R)] == [(13, False)],
        60,
        message="the digest updated",
    )
    assert h.scalar("SELECT count(*) FROM notifications") == 1


def test_handlers_use_the_workers_settings(service_factory, ev, produce, helpers):
    # English by default for this deployment, and a digest day in another zone (WITA, UTC+8).
    h = service_factory(
        SPEC, NOTIFICATION_REMINDERS="false", NOTIFICATION_LOCALE="en", KINERJA_TIMEZONE="Asia/Makassar"
    )
    h.start_worker()
    produce(ev.plan_approved(helpers.EMPLOYEE))
    produce(ev.activity_logged(helpers.EMPLOYEE, logged_at="2026-03-10T16:30:00.000Z"))  # 00:30 WITA on the 11th
    helpers.wait_for(
        lambda: len(helpers.inbox(h, helpers.EMPLOYEE)) == 1 and helpers.inbox(h, helpers.RATER),
        60,
        message="two items",
    )
    assert helpers.inbox(h, helpers.EMPLOYEE)[0]["title"] == "Your 2026 performance plan (SKP) was approved"
    assert helpers.inbox(h, helpers.RATER)[0]["data"]["date"] == "2026-03-11"
