"""For the handlers (handlers.py, activity_handlers.py): an event's dates and instants, and the inbox items it
causes (use_cases.notifications), each in the consumer's transaction."""

from __future__ import annotations

from datetime import date, datetime

from kinerja_shared.context import joined_unit_of_work

from . import config
from .use_cases import notifications


def event_date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def event_instant(value: str | None, default: str) -> datetime:
    return datetime.fromisoformat((value or default).replace("Z", "+00:00"))


def notify_one(conn, event, recipient: str | None, category: str, params: dict, link: str | None) -> int | None:
    """The one item ``event`` causes for ``recipient`` (use_cases.notifications), in the consumer's transaction."""
    with joined_unit_of_work(conn) as uow:
        return notifications.notify_of_event(uow, config.for_handlers(), event, recipient, category, params, link)


def digest_member(conn, **member) -> None:
    """Count a member into an aggregated item (use_cases.notifications), in the consumer's transaction."""
    with joined_unit_of_work(conn) as uow:
        notifications.count_into_digest(uow, config.for_handlers(), **member)
