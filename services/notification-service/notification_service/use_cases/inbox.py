"""The caller's own inbox: list, unread count, read one, mark read, mark all read, the live stream's rounds."""

from __future__ import annotations

from datetime import datetime

from kinerja_shared.errors import NotFound

from .. import access, inbox_store, paging
from ..models import notifications


def item(row) -> dict:
    out = dict(row._mapping)
    out["read"] = row.read_at is not None
    return out


def list_notifications(uow, actor, args: dict) -> dict:
    """``{items, next_cursor}``: the caller's items, newest first, filtered by ``unread`` and ``category``."""
    query = inbox_store.listing(access.own_inbox(actor), args.get("unread"), args.get("category"))
    return paging.newest_first(uow.conn, query, notifications.c.id, args, item)


def unread_count(uow, actor) -> dict:
    by_category = inbox_store.unread_by_category(uow.conn, access.own_inbox(actor))
    return {"unread": sum(by_category.values()), "by_category": by_category}


def _found(uow, actor, notification_id: int) -> dict:
    row = inbox_store.item(uow.conn, access.own_inbox(actor), notification_id)
    if row is None:
        raise NotFound(f"notification {notification_id} does not exist")
    return item(row)


def get_notification(uow, actor, notification_id: int) -> dict:
    return _found(uow, actor, paging.existing_id(notification_id, "notification"))


def mark_read(uow, actor, notification_id: int) -> dict:
    """Mark one of the caller's items read (again: no change)."""
    paging.existing_id(notification_id, "notification")
    inbox_store.mark_read(uow.conn, access.own_inbox(actor), uow.now(), notification_id=notification_id)
    return _found(uow, actor, notification_id)


def mark_all_read(uow, actor, category: str | None = None) -> dict:
    """Mark all of the caller's unread items read (optionally of one category); ``{marked}``."""
    return {"marked": inbox_store.mark_read(uow.conn, access.own_inbox(actor), uow.now(), category=category)}


def changes_since(uow, actor, since: datetime) -> tuple[int, list[dict]]:
    """One round of the live stream: the unread count, then the items changed since ``since`` (oldest first).

    The count is read first: an item committed between the two reads is sent before a count that holds it."""
    nip = access.own_inbox(actor)
    unread = inbox_store.unread_total(uow.conn, nip)
    return unread, [item(r) for r in inbox_store.changed_since(uow.conn, nip, since)]
