"""A poll applied in one transaction (EventConsumer.apply_batch) counts a rater's day into one
digest exactly as one event at a time would: each entry once, the people and their names, one
new version of the item, one NotificationDelivered."""
from kinerja_shared.consumer import EventConsumer
from kinerja_shared.events import make_event
from kinerja_shared.events.envelope import Event, validate_event

from notification_service.service import SPEC


def _consumer(h) -> EventConsumer:
    return EventConsumer(h.settings, h.engine, group_id=SPEC.consumer_group, topics=[], handlers=SPEC.handlers,
                         consumer_factory=None, producer_factory=None, service_config=SPEC.load_config(h.settings))


def test_a_poll_of_a_raters_day_is_one_digest_counted_once_per_entry(service_factory, ev, helpers):
    h = service_factory(SPEC, NOTIFICATION_REMINDERS="false")
    consumer = _consumer(h)
    directory = [ev.employee(helpers.RATER, "Drs. Rahmat Hidayat", unit_id="opd-1", unit_path=("opd-1",), rater=None,
                             is_unit_head=True),
                 ev.employee(helpers.EMPLOYEE, "Siti Aminah, S.Kom"), ev.employee(helpers.COLLEAGUE, "Budi Santoso")]
    entries = [ev.activity_logged(helpers.EMPLOYEE if i % 3 else helpers.COLLEAGUE,
                                  logged_at=f"2026-03-10T0{i % 9}:{10 + i}:00.000Z") for i in range(9)]
    republished = ev.activity_logged(helpers.EMPLOYEE, activity_id=entries[1]["data"]["activity_id"])
    poll = [*directory, *entries, republished, entries[4]]  # the same entry under a new id, and a redelivery
    outcomes = consumer.apply_batch([Event(validate_event(e)) for e in poll])
    assert outcomes == ["processed"] * 13 + ["duplicate"]

    [digest] = helpers.inbox(h, helpers.RATER)
    assert digest["count"] == 9 and digest["data"]["people"] == 2 and digest["version"] == 1
    assert digest["title"] == "9 kegiatan harian menunggu verifikasi Anda (10 Maret 2026)"
    assert "Budi Santoso" in digest["body"] and "Siti Aminah, S.Kom" in digest["body"]
    assert len([e for e in h.outbox() if e["type"] == "NotificationDelivered"]) == 1
    assert h.scalar("SELECT count(*) FROM activity_states") == 9

    # The next poll adds one entry: the same item, one more version, the new count.
    consumer.apply_batch([Event(validate_event(ev.activity_logged(helpers.COLLEAGUE)))])
    [digest] = helpers.inbox(h, helpers.RATER)
    assert (digest["count"], digest["version"]) == (10, 2)
    assert len([e for e in h.outbox() if e["type"] == "NotificationDelivered"]) == 1


def test_activity_states_of_one_poll_match_one_event_at_a_time(service_factory, ev, helpers):
    """The poll's activity states are written together, yet a rejection in the same poll reads the
    description its entry was logged with, an update without a description keeps it, a withdrawal
    in the same poll wins over the copy re-published before it."""
    h = service_factory(SPEC, NOTIFICATION_REMINDERS="false")
    rejected = ev.activity_logged(description="Menyusun notula rapat koordinasi")
    kept = ev.activity_logged(description="Mengolah data kepegawaian")
    withdrawn = ev.activity_logged()
    rejected_id, kept_id, withdrawn_id = (e["data"]["activity_id"] for e in (rejected, kept, withdrawn))
    updated = make_event("ActivityUpdated", source_service="activity-service", subject=kept_id,
                         partitionkey=helpers.EMPLOYEE, data={
                             **{k: v for k, v in kept["data"].items() if k != "logged_at"}, "description": "",
                             "version": 2, "updated_at": "2026-03-10T04:00:00.000Z"})
    gone = make_event("ActivityWithdrawn", source_service="activity-service", subject=withdrawn_id,
                      partitionkey=helpers.EMPLOYEE, data={"activity_id": withdrawn_id, "nip": helpers.EMPLOYEE,
                                                           "rater_nip": helpers.RATER, "indicator_id": "i1",
                                                           "plan_id": "p1", "date": "2026-03-10",
                                                           "withdrawn_at": "2026-03-10T05:00:00.000Z"})
    copy = ev.activity_logged(activity_id=withdrawn_id)  # the same entry re-published under a new event id
    poll = [rejected, kept, withdrawn, copy, ev.activity_verified(rejected_id), updated, gone]
    assert _consumer(h).apply_batch([Event(validate_event(e)) for e in poll]) == ["processed"] * 7

    states = {r["activity_id"]: r for r in h.rows("SELECT activity_id, status, description FROM activity_states")}
    assert (states[rejected_id]["status"], states[rejected_id]["description"]) == (
        "rejected", "Menyusun notula rapat koordinasi")
    assert (states[kept_id]["status"], states[kept_id]["description"]) == ("pending", "Mengolah data kepegawaian")
    assert states[withdrawn_id]["status"] == "withdrawn"
    [rejection] = [n for n in helpers.inbox(h, helpers.EMPLOYEE) if n["category"] == "activity_rejected"]
    assert "Menyusun notula rapat koordinasi" in rejection["body"]
