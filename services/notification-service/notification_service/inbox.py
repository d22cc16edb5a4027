"""Writing notifications: one function for single items, one for aggregated items (digests).

Everything happens in the caller's transaction (a consumed event's, or a reminder's): the
inbox item, the queued e-mail and the ``NotificationDelivered`` event commit together or not
at all. Items are idempotent by ``dedupe_key``; aggregated items count each member once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.engine import Connection

from kinerja_shared.consumer import TransactionScope, current_scope
from kinerja_shared.db import utcnow
from kinerja_shared.outbox import publish

from . import domain, events, inbox_store, templates
from .config import NotifySettings

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
    def of(cls, event) -> Cause:
        return cls(event.id, event.type, event.correlationid)


@dataclass
class Preferences:
    locale: str
    quiet_hours: domain.QuietHours | None
    channels: dict = field(default_factory=dict)  # overrides {category: {channel: bool}}

    def for_category(self, category: str) -> dict[str, bool]:
        return domain.channels_for(category, self.channels.get(category))


def _preferences_of(row, cfg: NotifySettings) -> Preferences:
    """A person's preferences from their person_settings row (None: the service's defaults)."""
    if row is None:
        return Preferences(locale=cfg.locale, quiet_hours=cfg.quiet_hours)
    quiet = cfg.quiet_hours if row.quiet_hours is None else domain.parse_quiet_hours(row.quiet_hours)
    return Preferences(locale=row.locale or cfg.locale, quiet_hours=quiet, channels=dict(row.channels or {}))


def preferences(conn: Connection, nip: str, cfg: NotifySettings) -> Preferences:
    return _preferences_of(inbox_store.settings_row(conn, nip), cfg)


def preferences_of_many(conn: Connection, nips, cfg: NotifySettings) -> dict[str, Preferences]:
    """Several people's preferences in one query."""
    rows = inbox_store.settings_rows(conn, nips)
    return {nip: _preferences_of(rows.get(nip), cfg) for nip in nips}


def contact(conn: Connection, nip: str | None):
    if not nip:
        return None
    return inbox_store.contact(conn, nip)


def name_of(conn: Connection, nip: str | None) -> str:
    """The person's name from the directory, else their NIP (the event came before EmployeeUpserted)."""
    row = contact(conn, nip)
    return row.name if row is not None else (nip or "-")


def notify(
    conn: Connection,
    cfg: NotifySettings,
    *,
    recipient: str,
    category: str,
    params: dict,
    dedupe_key: str,
    cause: Cause | None,
    link: str | None = None,
    now: datetime | None = None,
    correlation_id: str | None = None,
    publish_events=None,
) -> int | None:
    """Create one item for ``recipient`` unless it exists; return its id when created.

    ``publish_events(*events)`` takes its NotificationDelivered (a unit of work's ``publish``; by
    default the outbox of ``conn``)."""
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
    notification_id = inbox_store.insert_item(
        conn,
        dict(
            recipient_nip=recipient,
            category=category,
            locale=prefs.locale,
            title=title[:300],
            body=body,
            link=link,
            params=params,
            item_count=1,
            in_inbox=channels[domain.INBOX],
            dedupe_key=dedupe_key,
            cause_event_id=cause.event_id if cause else None,
            cause_event_type=cause.event_type if cause else None,
            correlation_id=correlation_id,
            read_at=None,
            version=1,
            created_at=now,
            updated_at=now,
        ),
    )
    if notification_id is None:
        return None  # a replay: the item exists already
    _announce(
        conn,
        cfg,
        notification_id,
        recipient,
        category,
        channels,
        person,
        cause,
        correlation_id,
        now,
        not_before=None,
        publish_events=publish_events,
    )
    return notification_id


@dataclass
class _Digest:
    """One aggregated item a transaction adds members to: created, locked, counted and re-rendered at its end."""

    key: str
    recipient: str
    category: str
    params: dict
    cause: Cause
    link: str | None
    email_not_before: datetime | None
    now: datetime
    members: dict = field(default_factory=dict)  # member_id -> member_nip, the first copy wins
    locale: str = ""  # from the recipient's preferences, when written
    channels: dict = field(default_factory=dict)
    id: int | None = None


_DIGESTS = "notification.digests"


def add_to_digest(
    conn: Connection,
    cfg: NotifySettings,
    *,
    recipient: str,
    category: str,
    scope: str,
    member_id: str,
    member_nip: str | None,
    params: dict,
    cause: Cause,
    link: str | None = None,
    email_not_before: datetime | None = None,
    now: datetime | None = None,
) -> int | None:
    """Count ``member_id`` into the recipient's one item for ``scope``; create the item on the first member.

    The item's text is re-rendered with ``count`` (members), ``people`` (distinct member NIPs)
    and ``names`` (up to five of them); an item already read becomes unread again. A member
    counted before (a replay, a duplicate) changes nothing.

    Inside a consumer transaction (``current_scope()``) nothing is read or written at once: just
    before the commit the recipients' preferences are read, and every item the transaction's
    events counted into (for a person who wants its category on some channel) is created, locked,
    given its new members and re-rendered, each step ONE statement for all of them
    (``_write_digests``); None is returned. Outside one the item is written at once and its id
    returned (None when the person wants the category on no channel).
    """
    tx = current_scope()
    own = tx is None
    if own:
        tx = TransactionScope()
    key = domain.digest_key(category, recipient, scope)
    digests = tx.memos.setdefault(_DIGESTS, {})
    item = digests.get(key)
    if item is None:
        item = digests[key] = _Digest(
            key=key,
            recipient=recipient,
            category=category,
            params=params,
            cause=cause,
            link=link,
            email_not_before=email_not_before,
            now=now or utcnow(),
        )
    item.members.setdefault(member_id, member_nip)
    tx.before_commit(_DIGESTS, lambda: _write_digests(conn, cfg, tx.memos.pop(_DIGESTS, {})))
    if not own:
        return None
    tx.flush()
    return item.id


def _write_digests(conn: Connection, cfg: NotifySettings, digests: dict[str, _Digest]) -> None:
    """Create, lock, count and re-render the transaction's aggregated items: a few statements for all of them.

    A new item publishes NotificationDelivered and queues its e-mail; an item whose members were
    all counted before is left as it is (no new version)."""
    prefs = preferences_of_many(conn, [d.recipient for d in digests.values()], cfg) if digests else {}
    items = []
    for d in sorted(digests.values(), key=lambda d: d.key):  # one lock order for every transaction
        d.locale, d.channels = prefs[d.recipient].locale, prefs[d.recipient].for_category(d.category)
        if any(d.channels.values()):  # the person wants this category somewhere
            items.append(d)
    if not items:
        return
    created = inbox_store.insert_items(
        conn,
        [
            dict(
                recipient_nip=d.recipient,
                category=d.category,
                locale=d.locale,
                title="",
                body="",
                link=d.link,
                params={},
                item_count=0,
                in_inbox=d.channels[domain.INBOX],
                dedupe_key=d.key,
                cause_event_id=d.cause.event_id,
                cause_event_type=d.cause.event_type,
                correlation_id=d.cause.correlation_id,
                read_at=None,
                version=0,
                created_at=d.now,
                updated_at=d.now,
            )
            for d in items
        ],
    )
    stored = inbox_store.lock_items(conn, [d.key for d in items])  # members of one item: one transaction at a time
    people = inbox_store.contacts_of(conn, {d.recipient for d in items})
    for d in items:
        d.id = stored[d.key].id
        if d.key in created:
            _announce(
                conn,
                cfg,
                d.id,
                d.recipient,
                d.category,
                d.channels,
                people.get(d.recipient),
                d.cause,
                d.cause.correlation_id,
                d.now,
                not_before=d.email_not_before,
            )
    counted = inbox_store.add_members(
        conn,
        [
            dict(notification_id=d.id, member_id=member_id, member_nip=member_nip, added_at=d.now)
            for d in items
            for member_id, member_nip in d.members.items()
        ],
    )
    changed = [d for d in items if d.id in counted]
    if changed:
        _render_digests(conn, changed, {d.key: stored[d.key].locale for d in changed}, people)


def _render_digests(conn: Connection, items: list[_Digest], locales: dict[str, str], people: dict) -> None:
    """Re-render aggregated items from their members (count, people, the first five names) and mark them unread."""
    counts: dict[int, int] = {}
    names: dict[int, list[str]] = {}
    for r in inbox_store.member_names(conn, [d.id for d in items]):  # the event may precede EmployeeUpserted
        counts[r.notification_id] = counts.get(r.notification_id, 0) + r.members
        if r.name is not None:
            names.setdefault(r.notification_id, []).append(r.name)
    rows = []
    for d in items:
        person = people.get(d.recipient)
        listed = sorted(names.get(d.id, []))
        full = {
            **d.params,
            "recipient_name": person.name if person is not None else d.recipient,
            "count": counts.get(d.id, 0),
            "people": len(listed),
            "names": listed[:MAX_NAMES_IN_DIGEST],
        }
        title, body = templates.render(d.category, locales[d.key], full)
        rows.append(
            dict(
                b_id=d.id,
                b_title=title[:300],
                b_body=body,
                b_params=full,
                b_count=full["count"],
                b_updated_at=max(d.now, utcnow()),
            )
        )
    inbox_store.rerender(conn, rows)


def _announce(
    conn,
    cfg,
    notification_id,
    recipient,
    category,
    channels,
    person,
    cause,
    correlation_id,
    now,
    not_before,
    publish_events=None,
) -> None:
    """A new item: publish NotificationDelivered (inbox) and queue its e-mail, in this transaction."""
    if channels[domain.INBOX]:
        (publish_events or (lambda *e: publish(conn, *e)))(
            events.notification_delivered(
                notification_id=notification_id,
                recipient=recipient,
                channel=domain.INBOX,
                category=category,
                cause=cause,
                correlation_id=correlation_id,
                delivered_at=now,
            )
        )
    if channels[domain.EMAIL] and person is not None and person.email and person.active:
        inbox_store.queue_email(
            conn,
            dict(
                notification_id=notification_id,
                recipient_nip=recipient,
                to_address=person.email,
                status="pending",
                attempts=0,
                not_before=not_before,
                next_attempt_at=now,
                last_error=None,
                created_at=now,
                sent_at=None,
            ),
        )
