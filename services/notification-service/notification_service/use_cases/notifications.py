"""What events and reminders cause for people, in the caller's unit of work (an event handler's joins the
consumer's transaction): one notification, a member counted into a digest, a reminder at most once a day."""

from __future__ import annotations

from datetime import date, datetime

from .. import domain, inbox, reminders_store
from ..config import NotifySettings


def notify(
    uow,
    cfg: NotifySettings,
    *,
    recipient: str,
    category: str,
    params: dict,
    dedupe_key: str,
    cause: inbox.Cause | None,
    link: str | None = None,
    correlation_id: str | None = None,
    now: datetime | None = None,
) -> int | None:
    """One item for ``recipient`` unless it exists (``dedupe_key``) or they want ``category`` on no channel;
    its NotificationDelivered (inbox) is published and its e-mail queued with it. The id when created."""
    return inbox.notify(
        uow.conn,
        cfg,
        recipient=recipient,
        category=category,
        params=params,
        dedupe_key=dedupe_key,
        cause=cause,
        link=link,
        now=now or uow.now(),
        correlation_id=correlation_id,
        publish_events=uow.publish,
    )


def notify_of_event(
    uow, cfg: NotifySettings, event, recipient: str | None, category: str, params: dict, link: str | None
) -> int | None:
    """The one item an event causes for ``recipient`` (none without one); a replayed event adds nothing."""
    if not recipient:
        return None
    return notify(
        uow,
        cfg,
        recipient=recipient,
        category=category,
        params=params,
        dedupe_key=domain.event_item_key(category, event.id, recipient),
        cause=inbox.Cause.of(event),
        link=link,
    )


def count_into_digest(
    uow,
    cfg: NotifySettings,
    *,
    recipient: str,
    category: str,
    scope: str,
    member_id: str,
    member_nip: str | None,
    params: dict,
    cause: inbox.Cause,
    link: str | None = None,
    email_not_before: datetime | None = None,
) -> int | None:
    """Count ``member_id`` into the recipient's one item for ``scope`` (written at the consumer's commit; at
    once outside a consumer, then its id is returned)."""
    return inbox.add_to_digest(
        uow.conn,
        cfg,
        recipient=recipient,
        category=category,
        scope=scope,
        member_id=member_id,
        member_nip=member_nip,
        params=params,
        cause=cause,
        link=link,
        email_not_before=email_not_before,
        now=uow.now(),
    )


def remind(
    uow, cfg: NotifySettings, *, nip: str, reminder: str, day: date, params: dict, link: str | None, correlation_id: str
) -> bool:
    """Remind ``nip`` of ``reminder`` once on ``day`` (a unique row: two workers at once send one); False when
    it was sent already."""
    now = uow.now()
    if not reminders_store.mark_sent(uow.conn, nip, reminder, day, now):
        return False
    notification_id = notify(
        uow,
        cfg,
        recipient=nip,
        category=reminder,
        params=params,
        dedupe_key=domain.reminder_key(reminder, nip, day),
        cause=None,
        link=link,
        correlation_id=correlation_id,
        now=now,
    )
    reminders_store.link_notification(uow.conn, nip, reminder, day, notification_id)
    return True
