"""The SQL of the inbox: notifications, digest members, the queued e-mails they start, the people's
settings and the contact directory they are written for."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Connection

from kinerja_shared.bulk_insert import insert_rows
from kinerja_shared.db import dialect_insert, upsert

from .models import contacts, digest_members, email_queue, notifications, person_settings
from .store import for_update

# -- people ---------------------------------------------------------------------------------


def settings_row(conn: Connection, nip: str, *, lock: bool = False):
    query = select(person_settings).where(person_settings.c.nip == nip)
    return conn.execute(for_update(conn, query) if lock else query).first()


def settings_rows(conn: Connection, nips) -> dict:
    return {r.nip: r for r in conn.execute(select(person_settings).where(person_settings.c.nip.in_(sorted(set(nips)))))}


def save_settings(conn: Connection, values: dict) -> None:
    upsert(conn, person_settings, values, ["nip"])


def contact(conn: Connection, nip: str):
    return conn.execute(select(contacts).where(contacts.c.nip == nip)).first()


def contacts_of(conn: Connection, nips) -> dict:
    return {r.nip: r for r in conn.execute(select(contacts).where(contacts.c.nip.in_(sorted(set(nips)))))}


# -- writing items --------------------------------------------------------------------------


def insert_item(conn: Connection, values: dict) -> int | None:
    """Insert a notification unless its dedupe_key exists; its id when inserted."""
    stmt = dialect_insert(conn)(notifications).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
    return conn.execute(stmt.returning(notifications.c.id)).scalar()


def insert_items(conn: Connection, rows: list[dict]) -> dict[str, int]:
    """Insert the notifications whose dedupe_key is new; ``{dedupe_key: id}`` of those inserted."""
    stmt = (
        dialect_insert(conn)(notifications)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(notifications.c.id, notifications.c.dedupe_key)
    )
    return {r.dedupe_key: r.id for r in conn.execute(stmt, rows)}


def lock_items(conn: Connection, keys: list[str]) -> dict:
    """The items of ``keys`` (id, locale, dedupe_key) by key, locked (one order: by id)."""
    query = (
        select(notifications.c.id, notifications.c.locale, notifications.c.dedupe_key)
        .where(notifications.c.dedupe_key.in_(keys))
        .order_by(notifications.c.id)
    )
    return {r.dedupe_key: r for r in conn.execute(for_update(conn, query))}


def add_members(conn: Connection, rows: list[dict]) -> set[int]:
    """Count members into items (each once); the ids of the items that got a new member."""
    added = insert_rows(
        conn, digest_members, rows, on_conflict_do_nothing=True, returning=(digest_members.c.notification_id,)
    )
    return set(added.scalars()) if added is not None else set()


def member_names(conn: Connection, ids: list[int]) -> list:
    """Per (item, member NIP): how many members, with the directory's name of the NIP (else the NIP;
    members without a NIP count but have no name)."""
    per_nip = (
        select(digest_members.c.notification_id, digest_members.c.member_nip, func.count().label("members"))
        .where(digest_members.c.notification_id.in_(ids))
        .group_by(digest_members.c.notification_id, digest_members.c.member_nip)
        .subquery()
    )
    return conn.execute(
        select(
            per_nip.c.notification_id,
            per_nip.c.members,
            func.coalesce(contacts.c.name, per_nip.c.member_nip).label("name"),
        ).select_from(per_nip.outerjoin(contacts, contacts.c.nip == per_nip.c.member_nip))
    ).all()


_RENDERED = (
    update(notifications)
    .where(notifications.c.id == bindparam("b_id"))
    .values(
        title=bindparam("b_title"),
        body=bindparam("b_body"),
        params=bindparam("b_params", type_=notifications.c.params.type),
        item_count=bindparam("b_count"),
        read_at=None,
        version=notifications.c.version + 1,
        updated_at=bindparam("b_updated_at"),
    )
)


def rerender(conn: Connection, rows: list[dict]) -> None:
    """New text, params and count of aggregated items (``b_id``, ``b_title``...), marked unread."""
    conn.execute(_RENDERED, rows)


def queue_email(conn: Connection, values: dict) -> None:
    conn.execute(email_queue.insert().values(**values))


# -- reading and marking the inbox ------------------------------------------------------------


def _mine(nip: str):
    return (notifications.c.recipient_nip == nip) & notifications.c.in_inbox.is_(True)


def listing(nip: str, unread: bool | None, category: str | None):
    """The SELECT of a person's inbox items, filtered (paged by ``store.newest_first``)."""
    query = select(notifications).where(_mine(nip))
    if unread is True:
        query = query.where(notifications.c.read_at.is_(None))
    elif unread is False:
        query = query.where(notifications.c.read_at.is_not(None))
    if category:
        query = query.where(notifications.c.category == category)
    return query


def unread_by_category(conn: Connection, nip: str) -> dict[str, int]:
    rows = conn.execute(
        select(notifications.c.category, func.count())
        .where(_mine(nip), notifications.c.read_at.is_(None))
        .group_by(notifications.c.category)
    ).all()
    return {category: count for category, count in rows}


def unread_total(conn: Connection, nip: str) -> int:
    return conn.execute(
        select(func.count()).select_from(notifications).where(_mine(nip), notifications.c.read_at.is_(None))
    ).scalar()


def item(conn: Connection, nip: str, notification_id: int):
    return conn.execute(select(notifications).where(_mine(nip), notifications.c.id == notification_id)).first()


def changed_since(conn: Connection, nip: str, since: datetime, limit: int = 500) -> list:
    return conn.execute(
        select(notifications)
        .where(_mine(nip), notifications.c.updated_at >= since)
        .order_by(notifications.c.updated_at, notifications.c.id)
        .limit(limit)
    ).all()


def mark_read(
    conn: Connection, nip: str, now: datetime, *, notification_id: int | None = None, category: str | None = None
) -> int:
    """Mark the person's unread items read (one, or those of a category, or all); how many changed."""
    query = update(notifications).where(_mine(nip), notifications.c.read_at.is_(None))
    if notification_id is not None:
        query = query.where(notifications.c.id == notification_id)
    if category:
        query = query.where(notifications.c.category == category)
    return conn.execute(query.values(read_at=now, updated_at=now, version=notifications.c.version + 1)).rowcount
