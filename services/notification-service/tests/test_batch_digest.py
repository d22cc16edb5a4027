"""A poll applied in one transaction (EventConsumer.apply_batch) counts a rater's day into one
digest exactly as one event at a time would: each entry once, the people and their names, one
new version of the item, one NotificationDelivered."""
from kinerja_shared.consumer import EventConsumer
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
