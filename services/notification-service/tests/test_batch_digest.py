"""A poll applied in one transaction (EventConsumer.apply_batch) counts a rater's day into one
digest exactly as one event at a time would: each entry once, the people and their names, one
new version of the item, one NotificationDelivered."""

from kinerja_shared.consumer import EventConsumer
from kinerja_shared.events import make_event
from kinerja_shared.events.envelope import Event, validate_event
from notification_service.service import SPEC


def _consumer(h) -> EventConsumer:
    return EventConsumer(
        h.settings,
        h.engine,
        group_id=SPEC.consumer_group,
        topics=[],
        handlers=SPEC.handlers,
        consumer_factory=None,
        producer_factory=None,
        service_config=SPEC.load_config(h.settings),
    )


def test_a_poll_of_a_raters_day_is_one_digest_counted_once_per_entry(service_factory, ev, helpers):
    h = service_factory(SPEC, NOTIFICATION_REMINDERS="false")
    consumer = _consumer(h)
    directory = [
        ev.employee(
            helpers.RATER, "Drs. Rahmat Hidayat", unit_id="opd-1", unit_path=("opd-1",), rater=None, is_unit_head=True
        ),
        ev.employee(helpers.EMPLOYEE, "Siti Aminah, S.Kom"),
        ev.employee(helpers.COLLEAGUE, "Budi Santoso"),
    ]
    entries = [
        ev.activity_logged(
            helpers.EMPLOYEE if i % 3 else helpers.COLLEAGUE, logged_at=f"2026-03-10T0{i % 9}:{10 + i}:00.000Z"
        )
        for i in range(9)
    ]
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
    updated = make_event(
        "ActivityUpdated",
        source_service="activity-service",
        subject=kept_id,
        partitionkey=helpers.EMPLOYEE,
        data={
            **{k: v for k, v in kept["data"].items() if k != "logged_at"},
            "description": "",
            "version": 2,
            "updated_at": "2026-03-10T04:00:00.000Z",
        },
    )
    gone = make_event(
        "ActivityWithdrawn",
        source_service="activity-service",
        subject=withdrawn_id,
        partitionkey=helpers.EMPLOYEE,
        data={
            "activity_id": withdrawn_id,
            "nip": helpers.EMPLOYEE,
            "rater_nip": helpers.RATER,
            "indicator_id": "i1",
            "plan_id": "p1",
            "date": "2026-03-10",
            "withdrawn_at": "2026-03-10T05:00:00.000Z",
        },
    )
    copy = ev.activity_logged(activity_id=withdrawn_id)  # the same entry re-published under a new event id
    poll = [rejected, kept, withdrawn, copy, ev.activity_verified(rejected_id), updated, gone]
    assert _consumer(h).apply_batch([Event(validate_event(e)) for e in poll]) == ["processed"] * 7

    states = {r["activity_id"]: r for r in h.rows("SELECT activity_id, status, description FROM activity_states")}
    assert (states[rejected_id]["status"], states[rejected_id]["description"]) == (
        "rejected",
        "Menyusun notula rapat koordinasi",
    )
    assert (states[kept_id]["status"], states[kept_id]["description"]) == ("pending", "Mengolah data kepegawaian")
    assert states[withdrawn_id]["status"] == "withdrawn"
    [rejection] = [n for n in helpers.inbox(h, helpers.EMPLOYEE) if n["category"] == "activity_rejected"]
    assert "Menyusun notula rapat koordinasi" in rejection["body"]


def test_one_poll_counts_several_raters_days_each_into_its_own_item(service_factory, ev, helpers):
    """Items are created, counted and re-rendered together at the commit, yet each rater's day
    is its own item with its own count; a later poll of already counted entries changes nothing,
    and a new entry makes an item read by its rater unread again."""
    h = service_factory(SPEC, NOTIFICATION_REMINDERS="false")
    consumer = _consumer(h)
    second_rater = helpers.COLLEAGUE  # rates OTHER_UNIT's employee here
    poll = [ev.employee(helpers.EMPLOYEE, "Siti Aminah, S.Kom"), ev.employee(helpers.OTHER_UNIT, "Dewi Lestari")]
    poll += [
        ev.activity_logged(helpers.EMPLOYEE, day=day, logged_at=f"{day}T03:00:00.000Z")
        for day in ("2026-03-10", "2026-03-10", "2026-03-11")
    ]
    poll += [ev.activity_logged(helpers.OTHER_UNIT, rater=second_rater) for _ in range(3)]
    assert consumer.apply_batch([Event(validate_event(e)) for e in poll]) == ["processed"] * 8

    first = {d["data"]["date"]: d for d in helpers.inbox(h, helpers.RATER)}
    assert {day: (d["count"], d["version"]) for day, d in first.items()} == {"2026-03-10": (2, 1), "2026-03-11": (1, 1)}
    [other] = helpers.inbox(h, second_rater)
    assert (other["count"], other["data"]["people"], other["version"]) == (3, 1, 1)
    assert "Dewi Lestari" in other["body"]
    assert len([e for e in h.outbox() if e["type"] == "NotificationDelivered"]) == 3

    # Redelivered entries under new event ids: counted before, so no item changes.
    again = [
        ev.activity_logged(
            e["data"]["nip"], rater=e["data"]["rater_nip"], day=e["data"]["date"], activity_id=e["data"]["activity_id"]
        )
        for e in poll[2:]
    ]
    assert consumer.apply_batch([Event(validate_event(e)) for e in again]) == ["processed"] * 6
    assert [(d["count"], d["version"]) for d in helpers.inbox(h, second_rater)] == [(3, 1)]

    # The second rater reads the item; one new entry makes it unread with the new count.
    response = h.client.post(f"/api/v1/notifications/{other['id']}/read", headers=h.token(second_rater))
    assert response.status_code == 200 and response.get_json()["read"] is True
    read_version = response.get_json()["version"]
    consumer.apply_batch([Event(validate_event(ev.activity_logged(helpers.OTHER_UNIT, rater=second_rater)))])
    [other] = helpers.inbox(h, second_rater)
    assert (other["count"], other["read"], other["version"]) == (4, False, read_version + 1)


def test_preferences_read_together_still_decide_each_raters_digest(service_factory, ev, helpers):
    """The poll's recipients' preferences are read at the commit in one query, yet each acts: a
    rater who turned the daily digest off gets no item, one who chose English gets it in English."""
    h = service_factory(SPEC, NOTIFICATION_REMINDERS="false")
    second_rater = helpers.COLLEAGUE
    prefs = "/api/v1/notifications/preferences"
    off = h.client.patch(
        prefs,
        headers=h.if_match(prefs, h.token(helpers.RATER)),
        json={"categories": {"activity_digest": {"inbox": False, "email": False}}},
    )
    english = h.client.patch(prefs, headers=h.if_match(prefs, h.token(second_rater)), json={"locale": "en"})
    assert off.status_code == 200 and english.status_code == 200, (off.get_json(), english.get_json())
    poll = [ev.activity_logged(helpers.EMPLOYEE), ev.activity_logged(helpers.OTHER_UNIT, rater=second_rater)]
    assert _consumer(h).apply_batch([Event(validate_event(e)) for e in poll]) == ["processed"] * 2

    assert h.scalar("SELECT count(*) FROM notifications WHERE recipient_nip = :r", r=helpers.RATER) == 0
    [item] = helpers.inbox(h, second_rater)
    assert item["count"] == 1 and item["title"].startswith("1 daily activities await your verification (")
