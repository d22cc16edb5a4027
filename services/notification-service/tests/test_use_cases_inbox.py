"""The inbox and the preferences as use cases: an in-memory database, a manual clock, no broker, no HTTP."""

from __future__ import annotations

import pytest

from kinerja_shared.errors import InvalidField, NotFound, PreconditionFailed
from kinerja_shared.testing.memory import actor, memory_runtime
from notification_service import domain, inbox
from notification_service.service import SPEC
from notification_service.use_cases import inbox as inbox_cases
from notification_service.use_cases import preferences

SITI, BUDI = "198503302010011002", "199001012015011003"


def if_match(read_version: int):
    """What the web layer's require_if_match does for a client that read ``read_version``."""

    def check(entity_id, version):
        if version != read_version:
            raise PreconditionFailed(f"stale: {entity_id} is at version {version}")

    return check


@pytest.fixture
def rt():
    return memory_runtime(SPEC)


def notify(rt, nip: str, n: int, category: str = domain.PLAN_APPROVED) -> int:
    params = {"year": 2026, "rater_name": "Rahmat", "plan_id": f"p{n}", "text": "Rapi", "feedback_id": f"f{n}"}
    with rt.unit_of_work() as uow:
        return inbox.notify(
            uow.conn,
            rt.config,
            recipient=nip,
            category=category,
            dedupe_key=f"k{n}",
            cause=None,
            params=params,
            now=rt.clock.now(),
        )


def test_the_inbox_lists_counts_and_reads_only_the_callers_own_items(rt):
    first, second, other = notify(rt, SITI, 1), notify(rt, SITI, 2), notify(rt, BUDI, 3)
    with rt.unit_of_work() as uow:
        page = inbox_cases.list_notifications(uow, actor(SITI), {"limit": 1})
        assert [i["id"] for i in page["items"]] == [second] and page["next_cursor"]
        rest = inbox_cases.list_notifications(uow, actor(SITI), {"limit": 5, "cursor": page["next_cursor"]})
        assert [i["id"] for i in rest["items"]] == [first] and rest["next_cursor"] is None
        assert inbox_cases.unread_count(uow, actor(SITI)) == {"unread": 2, "by_category": {"plan_approved": 2}}
        assert inbox_cases.get_notification(uow, actor(SITI), first)["title"] == "SKP 2026 Anda telah disetujui"
        with pytest.raises(NotFound):
            inbox_cases.get_notification(uow, actor(SITI), other)  # Budi's
        with pytest.raises(NotFound):
            inbox_cases.get_notification(uow, actor(SITI), 2**63)  # beyond BIGINT: no row, no database error
    assert uow.published == [] and uow.audited == []


def test_mark_read_marks_one_item_once_and_refuses_another_persons(rt):
    item_id, other = notify(rt, SITI, 1), notify(rt, BUDI, 2)
    with rt.unit_of_work() as uow:
        read = inbox_cases.mark_read(uow, actor(SITI), item_id)
        assert read["read"] and read["read_at"] == rt.clock.now() and read["version"] == 2
        assert inbox_cases.mark_read(uow, actor(SITI), item_id)["version"] == 2  # again: no change
        with pytest.raises(NotFound):
            inbox_cases.mark_read(uow, actor(SITI), other)
    assert uow.published == [] and uow.audited == []


def test_mark_all_read_counts_what_it_marked_optionally_one_category(rt):
    notify(rt, SITI, 1)
    notify(rt, SITI, 2, category=domain.FEEDBACK_GIVEN)
    with rt.unit_of_work() as uow:
        assert inbox_cases.mark_all_read(uow, actor(SITI), domain.FEEDBACK_GIVEN) == {"marked": 1}
        assert inbox_cases.mark_all_read(uow, actor(SITI)) == {"marked": 1}
        assert inbox_cases.mark_all_read(uow, actor(SITI)) == {"marked": 0}
        assert inbox_cases.unread_count(uow, actor(SITI))["unread"] == 0


def test_the_streams_round_reads_the_count_and_the_items_changed_since(rt):
    before = rt.clock.now()
    notify(rt, SITI, 1)
    rt.clock.advance(minutes=5)
    later = notify(rt, SITI, 2)
    with rt.unit_of_work() as uow:
        unread, items = inbox_cases.changes_since(uow, actor(SITI), before)
        assert unread == 2 and len(items) == 2
        unread, items = inbox_cases.changes_since(uow, actor(SITI), rt.clock.now())
        assert unread == 2 and [i["id"] for i in items] == [later]


def test_preferences_start_from_the_defaults(rt):
    with rt.unit_of_work() as uow:
        view = preferences.get_preferences(uow, actor(SITI), rt.config)
    assert (
        view["version"] == 0 and view["quiet_hours_default"] and not view["categories"]["plan_approved"]["customised"]
    )


def test_changing_preferences_is_versioned_and_audited(rt):
    body = {
        "categories": {"plan_approved": {"email": True}},
        "quiet_hours": {"start": "21:00", "end": "06:00"},
        "locale": "en",
    }
    with rt.unit_of_work() as uow:
        after = preferences.update_preferences(uow, actor(SITI), rt.config, body, if_match=if_match(0))
    assert after["version"] == 1 and after["locale"] == "en" and after["categories"]["plan_approved"]["customised"]
    assert after["quiet_hours"] == {"start": "21:00", "end": "06:00"}
    [row] = uow.audited
    assert (row["action"], row["entity_id"], row["actor"]) == ("preferences.updated", SITI, SITI)
    assert row["after"]["channels"] == {"plan_approved": {"email": True, "inbox": True}} and uow.published == []

    with pytest.raises(PreconditionFailed):  # another tab still holds version 0
        with rt.unit_of_work() as uow:
            preferences.update_preferences(uow, actor(SITI), rt.config, {"locale": "id"}, if_match=if_match(0))
    with rt.unit_of_work() as uow:
        back = preferences.update_preferences(
            uow,
            actor(SITI),
            rt.config,
            {"reset_categories": ["plan_approved"], "quiet_hours_default": True},
            if_match=if_match(1),
        )
    assert (
        back["version"] == 2 and back["quiet_hours_default"] and not back["categories"]["plan_approved"]["customised"]
    )


def test_preferences_refuse_both_quiet_hours_and_their_default(rt):
    with pytest.raises(InvalidField):
        with rt.unit_of_work() as uow:
            preferences.update_preferences(
                uow, actor(SITI), rt.config, {"quiet_hours": None, "quiet_hours_default": True}, if_match=if_match(0)
            )
    assert uow.audited == []
