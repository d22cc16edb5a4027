"""Writing notifications: one function for single items, one for aggregated items (digests).

Everything happens in the caller's transaction (a consumed event's, or a reminder's): the
inbox item, the queued e-mail and the ``NotificationDelivered`` event commit together or not
at all. Items are idempotent by ``dedupe_key``; aggregated items count each member once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from kinerja_shared.consumer import TransactionScope, current_scope
from kinerja_shared.db import insert_ignore_statement, is_postgres, utcnow
from kinerja_shared.outbox import publish

from . import domain, events, templates
from .config import NotifySettings
from .models import contacts, digest_members, email_queue, notifications, person_settings

# An aggregated item that is not a daily digest (evaluation_opened) waits this long before
# its e-mail goes out, so a burst of events becomes one e-mail with the final count.
AGGREGATE_EMAIL_SETTLE = timedelta(minutes=10)
MAX_NAMES_IN_DIGEST = 5


@dataclass(frozen=True)
class Cause:
    """The event behind a notification (None for reminders, which have their own correlation id)."""

    event_id: str | None
    event_type: str | None
    correlation_id: str | None

    @classmethod
    def of(cls, event) -> "Cause":
        return cls(event.id, event.type, event.correlationid)


@dataclass
class Preferences:
    locale: str
    quiet_hours: domain.QuietHours | None
    channels: dict = field(default_factory=dict)  # overrides {category: {channel: bool}}

    def for_category(self, category: str) -> dict[str, bool]:
        return domain.channels_for(category, self.channels.get(category))


def preferences(conn: Connection, nip: str, cfg: NotifySettings) -> Preferences:
    row = conn.execute(select(person_settings).where(person_settings.c.nip == nip)).first()
    if row is None:
        return Preferences(locale=cfg.locale, quiet_hours=cfg.quiet_hours)
    quiet = cfg.quiet_hours if row.quiet_hours is None else domain.parse_quiet_hours(row.quiet_hours)
    return Preferences(locale=row.locale or cfg.locale, quiet_hours=quiet, channels=dict(row.channels or {}))


def contact(conn: Connection, nip: str | None):
    if not nip:
        return None
    return conn.execute(select(contacts).where(contacts.c.nip == nip)).first()


def name_of(conn: Connection, nip: str | None) -> str:
    """The person's name from the directory, else their NIP (the event came before EmployeeUpserted)."""
    row = contact(conn, nip)
    return row.name if row is not None else (nip or "-")


def _insert(conn: Connection, table):
    if is_postgres(conn):
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def insert_new(conn: Connection, table, values: dict) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when the row was inserted.

    Unlike kinerja_shared.db.insert_ignore this asks SQLAlchemy to keep the row count
    (``preserve_rowcount``): without it an INSERT's rowcount read -1 on psycopg 3 in some
    transactions, which would make a new row look like a duplicate.
    """
    stmt = _insert(conn, table).values(**values).on_conflict_do_nothing()
    return conn.execute(stmt.execution_options(preserve_rowcount=True)).rowcount == 1


def _insert_new(conn: Connection, values: dict) -> int | None:
    """Insert a notification unless its dedupe_key exists; its id when inserted."""
    stmt = _insert(conn, notifications).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
    return conn.execute(stmt.returning(notifications.c.id)).scalar()


def notify(conn: Connection, cfg: NotifySettings, *, recipient: str, category: str, params: dict, dedupe_key: str,
           cause: Cause | None, link: str | None = None, now: datetime | None = None,
           correlation_id: str | None = None) -> int | None:
    """Create one item for ``recipient`` unless it exists; return its id when created."""
    if category not in domain.CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    prefs = preferences(conn, recipient, cfg)
    channels = prefs.for_category(category)
    if not any(channels.values()):
        return None
    person = contact(conn, recipient)
    params = {**params, "recipient_name": person.name if person is not None else recipient}
    title, body = templates.render(category, prefs.locale, params)
    now = now or utcnow()
    correlation_id = correlation_id or (cause.correlation_id if cause else None)
    notification_id = _insert_new(conn, dict(
        recipient_nip=recipient, category=category, locale=prefs.locale, title=title[:300], body=body, link=link,
        params=params, item_count=1, in_inbox=channels[domain.INBOX], dedupe_key=dedupe_key,
        cause_event_id=cause.event_id if cause else None, cause_event_type=cause.event_type if cause else None,
        correlation_id=correlation_id, read_at=None, version=1, created_at=now, updated_at=now,
    ))
    if notification_id is None:
        return None  # a replay: the item exists already
    _announce(conn, cfg, notification_id, recipient, category, channels, person, cause, correlation_id, now,
              not_before=None)
    return notification_id


def add_to_digest(conn: Connection, cfg: NotifySettings, *, recipient: str, category: str, scope: str, member_id: str,
                  member_nip: str | None, params: dict, cause: Cause, link: str | None = None,
                  email_not_before: datetime | None = None, now: datetime | None = None) -> int | None:
    """Count ``member_id`` into the recipient's one item for ``scope``; create the item on the first member.

    The item's text is re-rendered with ``count`` (members), ``people`` (distinct member NIPs)
    and ``names`` (up to five of them); an item already read becomes unread again. A member
    counted before (a replay, a duplicate) changes nothing. Returns the item id.

    Inside a consumer transaction (``current_scope()``) the item is locked once and re-rendered
    once, just before the commit, however many of the transaction's events it counts (a poll of
    a rater's day is one update, not one per entry); outside one it is re-rendered at once.
    """
    tx = current_scope()
    own = tx is None
    if own:
        tx = TransactionScope()
    prefs = tx.memo(("notification.preferences", recipient), lambda: preferences(conn, recipient, cfg))
    channels = prefs.for_category(category)
    if not any(channels.values()):
        return None
    now = now or utcnow()
    key = domain.digest_key(category, recipient, scope)
    item = tx.memos.get(("notification.digest", key))
    if item is None:
        created_id = _insert_new(conn, dict(
            recipient_nip=recipient, category=category, locale=prefs.locale, title="", body="", link=link, params={},
            item_count=0, in_inbox=channels[domain.INBOX], dedupe_key=key, cause_event_id=cause.event_id,
            cause_event_type=cause.event_type, correlation_id=cause.correlation_id, read_at=None, version=0,
            created_at=now, updated_at=now,
        ))
        query = select(notifications.c.id, notifications.c.locale).where(notifications.c.dedupe_key == key)
        if is_postgres(conn):
            query = query.with_for_update()  # members of one item are counted one transaction at a time
        item = tx.memos[("notification.digest", key)] = conn.execute(query).first()
        if created_id is not None:
            _announce(conn, cfg, item.id, recipient, category, channels, contact(conn, recipient), cause,
                      cause.correlation_id, now, not_before=email_not_before)
    # Members are written when the transaction is about to commit, all of the item's in one statement.
    members = tx.memos.setdefault(("notification.digest.members", item.id), {})
    members.setdefault(member_id, dict(notification_id=item.id, member_id=member_id, member_nip=member_nip,
                                       added_at=now))
    tx.before_commit(("notification.digest", item.id),
                     lambda: _count_members(conn, item, list(members.values()), recipient, category, params, now))
    if own:
        tx.flush()
    return item.id


def _count_members(conn: Connection, item, rows: list[dict], recipient: str, category: str, params: dict,
                   now: datetime) -> None:
    """Insert the new members of an item (a member counted before changes nothing); re-render it if any was new."""
    if conn.execute(insert_ignore_statement(conn, digest_members), rows).first() is not None:
        _render_digest(conn, item, recipient, category, params, now)


def _render_digest(conn: Connection, item, recipient: str, category: str, params: dict, now: datetime) -> None:
    """Re-render an aggregated item from its members (count, people, the first five names) and mark it unread."""
    count = conn.execute(select(func.count()).select_from(digest_members)
                         .where(digest_members.c.notification_id == item.id)).scalar()
    nips = (select(digest_members.c.member_nip)
            .where(digest_members.c.notification_id == item.id, digest_members.c.member_nip.is_not(None))
            .distinct().subquery())
    # one name per distinct NIP: the directory's, else the NIP (the event came before EmployeeUpserted)
    names = sorted(r.name for r in conn.execute(
        select(func.coalesce(contacts.c.name, nips.c.member_nip).label("name"))
        .select_from(nips.outerjoin(contacts, contacts.c.nip == nips.c.member_nip))))
    person = contact(conn, recipient)
    full = {**params, "recipient_name": person.name if person is not None else recipient, "count": count,
            "people": len(names), "names": names[:MAX_NAMES_IN_DIGEST]}
    title, body = templates.render(category, item.locale, full)
    conn.execute(update(notifications).where(notifications.c.id == item.id).values(
        title=title[:300], body=body, params=full, item_count=count, read_at=None, version=notifications.c.version + 1,
        updated_at=max(now, utcnow()),
    ))


def _announce(conn, cfg, notification_id, recipient, category, channels, person, cause, correlation_id, now,
              not_before) -> None:
    """A new item: publish NotificationDelivered (inbox) and queue its e-mail, in this transaction."""
    if channels[domain.INBOX]:
        publish(conn, events.notification_delivered(
            notification_id=notification_id, recipient=recipient, channel=domain.INBOX, category=category,
            cause=cause, correlation_id=correlation_id, delivered_at=now))
    if channels[domain.EMAIL] and person is not None and person.email and person.active:
        conn.execute(email_queue.insert().values(
            notification_id=notification_id, recipient_nip=recipient, to_address=person.email, status="pending",
            attempts=0, not_before=not_before, next_attempt_at=now, last_error=None, created_at=now, sent_at=None,
        ))
