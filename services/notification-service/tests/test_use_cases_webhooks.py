"""Webhook subscriptions as use cases: register, list, read, change, rotate, delete, enable, disable, replay,
the delivery log and the re-encryption of secrets; on an in-memory database with a manual clock."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from kinerja_shared.errors import Conflict, Forbidden, InvalidField, NotFound, PreconditionFailed
from kinerja_shared.events import make_event
from kinerja_shared.events.envelope import Event, validate_event
from kinerja_shared.testing.memory import actor, memory_runtime
from notification_service import secretbox, webhooks_store
from notification_service import webhooks as channel
from notification_service.service import SPEC
from notification_service.use_cases import webhooks

ADMIN, EMPLOYEE = actor("196501011990031001", "admin"), actor("198503302010011002")
URL = "https://receiver.example.test/hook"


def if_match(read_version: int):
    def check(entity_id, version):
        if version != read_version:
            raise PreconditionFailed(f"stale: {entity_id} is at version {version}")

    return check


def no_if_match(entity_id, version):
    """A state-changing POST sent without If-Match: accepted."""


@pytest.fixture
def rt():
    return memory_runtime(SPEC)


def create(rt, **body) -> dict:
    with rt.unit_of_work() as uow:
        return webhooks.create_webhook(uow, ADMIN, rt.config, {"url": URL, "event_types": ["PlanApproved"], **body})


def deliver_event(rt) -> dict:
    event = Event(
        validate_event(
            make_event(
                "FeedbackGiven",
                source_service="evaluation-service",
                subject="f1",
                partitionkey=EMPLOYEE.sub,
                data={"feedback_id": "f1", "nip": EMPLOYEE.sub, "rater_nip": None, "text": "Rapi"},
            )
        )
    )
    with rt.unit_of_work() as uow:
        channel.fan_out(uow.conn, event)
    return event


def test_registering_shows_the_secret_once_and_audits_without_it(rt):
    with rt.unit_of_work() as uow:
        created = webhooks.create_webhook(
            uow,
            ADMIN,
            rt.config,
            {"url": URL, "event_types": ["PlanApproved"], "secret": "a-long-enough-shared-secret"},
        )
    [row] = uow.audited
    assert (row["action"], row["entity_id"]) == ("webhook.created", created["id"]) and "secret" not in row["after"]
    assert uow.published == []
    assert created["secret"] == "a-long-enough-shared-secret" and created["secret_hint"].startswith("…")
    assert created["status"] == "active" and created["version"] == 1 and created["created_by"] == ADMIN.sub
    with rt.unit_of_work() as uow:
        assert "secret" not in webhooks.get_webhook(uow, ADMIN, created["id"])
        [row] = webhooks_store.secrets(uow.conn)
        assert row.secret != created["secret"]  # encrypted at rest


def test_registering_refuses_non_admins_and_urls_with_credentials(rt):
    with pytest.raises(Forbidden):
        with rt.unit_of_work() as uow:
            webhooks.create_webhook(uow, EMPLOYEE, rt.config, {"url": URL, "event_types": ["*"]})
    with pytest.raises(InvalidField):
        with rt.unit_of_work() as uow:
            webhooks.create_webhook(
                uow, ADMIN, rt.config, {"url": "https://u:p@receiver.example.test/", "event_types": ["*"]}
            )


def test_the_list_pages_newest_first(rt):
    first = create(rt)
    rt.clock.advance(minutes=1)
    second = create(rt)
    with rt.unit_of_work() as uow:
        page = webhooks.list_webhooks(uow, ADMIN, {"limit": 1})
        assert [s["id"] for s in page["items"]] == [second["id"]]
        rest = webhooks.list_webhooks(uow, ADMIN, {"limit": 1, "cursor": page["next_cursor"]})
        assert [s["id"] for s in rest["items"]] == [first["id"]]
        with pytest.raises(Forbidden):
            webhooks.list_webhooks(uow, EMPLOYEE, {"limit": 1})
        with pytest.raises(NotFound):
            webhooks.get_webhook(uow, ADMIN, "no-such-id")


def test_a_change_rotates_the_secret_under_if_match(rt):
    created = create(rt)
    with rt.unit_of_work() as uow:
        updated = webhooks.update_webhook(
            uow,
            ADMIN,
            rt.config,
            created["id"],
            {"secret": "the-next-shared-secret-2026", "event_types": ["*", "*"]},
            if_match=if_match(1),
        )
    assert updated["version"] == 2 and updated["event_types"] == ["*"]
    [row] = uow.audited
    assert (row["action"], row["reason"]) == ("webhook.updated", "secret rotated")
    with pytest.raises(PreconditionFailed):
        with rt.unit_of_work() as uow:
            webhooks.update_webhook(uow, ADMIN, rt.config, created["id"], {"description": "x"}, if_match=if_match(1))


def test_delete_takes_the_delivery_log_with_it(rt):
    created = create(rt, event_types=["*"])
    deliver_event(rt)
    with rt.unit_of_work() as uow:
        webhooks.delete_webhook(uow, ADMIN, created["id"], if_match=if_match(1))
    assert [r["action"] for r in uow.audited] == ["webhook.deleted"]
    with rt.unit_of_work() as uow:
        assert webhooks_store.subscription(uow.conn, created["id"]) is None
        with pytest.raises(NotFound):
            webhooks.delete_webhook(uow, ADMIN, created["id"], if_match=if_match(1))


def test_disable_holds_deliveries_enable_and_replay_send_them_again(rt):
    created = create(rt, event_types=["*"])
    deliver_event(rt)
    with rt.unit_of_work() as uow:
        disabled = webhooks.set_status(uow, ADMIN, created["id"], "disable", if_match=no_if_match)
    assert disabled["status"] == "disabled" and disabled["disabled_reason"] == f"disabled by {ADMIN.sub}"
    assert [(r["action"], r["after"]) for r in uow.audited] == [("webhook.disabled", {"status": "disabled"})]
    with rt.unit_of_work() as uow:
        [held] = webhooks.list_deliveries(uow, ADMIN, created["id"], {"limit": 10})["items"]
        assert held["status"] == "held"
        with pytest.raises(Conflict):
            webhooks.set_status(uow, ADMIN, created["id"], "disable", if_match=no_if_match)
        with pytest.raises(Conflict):
            webhooks.replay(uow, ADMIN, created["id"])
    with rt.unit_of_work() as uow:
        assert webhooks.set_status(uow, ADMIN, created["id"], "enable", if_match=no_if_match)["status"] == "active"
    with pytest.raises(Conflict):
        with rt.unit_of_work() as uow:
            webhooks.set_status(uow, ADMIN, created["id"], "enable", if_match=no_if_match)
    with rt.unit_of_work() as uow:
        assert webhooks.replay(uow, ADMIN, created["id"]) == {"replayed": 1}
    assert uow.audited[0]["action"] == "webhook.replayed"
    with rt.unit_of_work() as uow:
        [pending] = webhooks.list_deliveries(uow, ADMIN, created["id"], {"limit": 10, "status": "pending"})["items"]
        detail = webhooks.get_delivery(uow, ADMIN, created["id"], pending["id"])
        assert detail["attempt_log"] == [] and detail["event_type"] == "FeedbackGiven"
        with pytest.raises(NotFound):
            webhooks.get_delivery(uow, ADMIN, created["id"], pending["id"] + 1)
        with pytest.raises(NotFound):
            webhooks.list_deliveries(uow, ADMIN, "no-such-id", {"limit": 10})


def test_rotating_the_key_re_encrypts_what_it_can_read(rt):
    created = create(rt, secret="a-long-enough-shared-secret")
    new_key = Fernet.generate_key().decode()
    with rt.unit_of_work() as uow:  # the old key is not listed: the secret is named and left as it is
        assert webhooks.rotate_secrets(uow, secretbox.SecretBox.from_setting(new_key, False)) == (0, [created["id"]])
    both = secretbox.SecretBox.from_setting(f"{new_key},{secretbox.DEV_WEBHOOK_SECRET_KEY}", False)
    with rt.unit_of_work() as uow:
        assert webhooks.rotate_secrets(uow, both) == (1, [])
        [row] = webhooks_store.secrets(uow.conn)
    assert secretbox.SecretBox.from_setting(new_key, False).decrypt(row.secret) == "a-long-enough-shared-secret"
