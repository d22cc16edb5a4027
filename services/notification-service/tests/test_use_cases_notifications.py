"""What events and reminders cause, as use cases (use_cases.notifications): one item with its
NotificationDelivered, a digest that counts each member once, a reminder at most once a day."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja_shared.db import OUTBOX
from kinerja_shared.events import make_event
from kinerja_shared.events.envelope import Event, validate_event
from kinerja_shared.testing.memory import memory_runtime
from notification_service import domain, inbox, inbox_store
from notification_service.service import SPEC
from notification_service.use_cases import notifications

SITI, RATER = "198503302010011002", "197001012000011001"


@pytest.fixture
def rt():
    return memory_runtime(SPEC)


def feedback(feedback_id="f1"):
    return Event(
        validate_event(
            make_event(
                "FeedbackGiven",
                source_service="evaluation-service",
                subject=feedback_id,
                partitionkey=SITI,
                data={"feedback_id": feedback_id, "nip": SITI, "rater_nip": RATER, "text": "Laporan sudah rapi."},
            )
        )
    )


def params(event) -> dict:
    return {"rater_name": "Rahmat", "text": event.data["text"], "feedback_id": event.data["feedback_id"]}


def test_an_event_notifies_its_recipient_once_with_notification_delivered(rt):
    event = feedback()
    with rt.unit_of_work() as uow:
        item_id = notifications.notify_of_event(
            uow, rt.config, event, SITI, domain.FEEDBACK_GIVEN, params(event), "/feedback"
        )
    [delivered] = uow.published
    assert delivered["type"] == "NotificationDelivered" and delivered["data"]["notification_id"] == str(item_id)
    assert delivered["data"]["channel"] == "inbox" and uow.audited == []
    with rt.unit_of_work() as uow:  # the same event again (a replay): nothing more
        assert (
            notifications.notify_of_event(
                uow, rt.config, event, SITI, domain.FEEDBACK_GIVEN, params(event), "/feedback"
            )
            is None
        )
        assert (
            notifications.notify_of_event(
                uow, rt.config, event, None, domain.FEEDBACK_GIVEN, params(event), "/feedback"
            )
            is None
        )  # nobody to tell
    assert uow.published == []


def test_a_person_who_wants_a_category_nowhere_gets_nothing(rt):
    with rt.unit_of_work() as uow:
        inbox_store.save_settings(
            uow.conn,
            dict(
                nip=SITI,
                locale=None,
                quiet_hours=None,
                version=1,
                channels={"feedback_given": {"inbox": False, "email": False}},
                updated_at=rt.clock.now(),
            ),
        )
        event = feedback()
        assert (
            notifications.notify_of_event(
                uow, rt.config, event, SITI, domain.FEEDBACK_GIVEN, params(event), "/feedback"
            )
            is None
        )
    assert uow.published == []


def test_a_digest_counts_each_member_once(rt):
    def count(member_id):
        with rt.unit_of_work() as uow:
            return notifications.count_into_digest(
                uow,
                rt.config,
                recipient=RATER,
                category=domain.ACTIVITY_DIGEST,
                scope="2026-03-10",
                member_id=member_id,
                member_nip=SITI,
                params={"date": "2026-03-10"},
                cause=inbox.Cause("e1", "ActivityLogged", None),
                link="/activities",
            )

    first = count("a1")
    assert count("a2") == first and count("a2") == first
    with rt.unit_of_work() as uow:
        [item] = inbox_store.changed_since(uow.conn, RATER, rt.clock.now().replace(year=2000))
        delivered = uow.conn.scalar(select(func.count()).select_from(OUTBOX))
    assert item.item_count == 2 and delivered == 1  # one NotificationDelivered, when the item was created


def test_a_reminder_goes_out_once_a_day(rt):
    def remind(day):
        with rt.unit_of_work() as uow:
            sent = notifications.remind(
                uow,
                rt.config,
                nip=SITI,
                reminder=domain.REMINDER_ACTIVITY_MISSING,
                day=day,
                params={"date": day.isoformat()},
                link="/activities/new",
                correlation_id="c1",
            )
        return sent, [e["type"] for e in uow.published]

    assert remind(date(2026, 3, 10)) == (True, ["NotificationDelivered"])
    assert remind(date(2026, 3, 10)) == (False, [])
    assert remind(date(2026, 3, 11)) == (True, ["NotificationDelivered"])
