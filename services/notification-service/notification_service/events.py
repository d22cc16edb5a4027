"""The events notification-service publishes: ``NotificationDelivered`` (inbox and e-mail)."""

from __future__ import annotations

from datetime import datetime

from kinerja_shared.events import make_event

SOURCE = "notification-service"


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def notification_delivered(
    *,
    notification_id: int,
    recipient: str,
    channel: str,
    category: str,
    cause,
    correlation_id: str | None,
    delivered_at: datetime,
) -> dict:
    """A notification reached ``recipient`` through ``channel``; carries the event that caused it.

    The envelope's correlation id is the cause's, so the notification can be traced back to the
    request that started the chain.
    """
    return make_event(
        "NotificationDelivered",
        source_service=SOURCE,
        subject=str(notification_id),
        partitionkey=recipient,
        correlationid=correlation_id,
        data={
            "notification_id": str(notification_id),
            "recipient_nip": recipient,
            "channel": channel,
            "category": category,
            "cause_event_id": cause.event_id if cause else None,
            "cause_event_type": cause.event_type if cause else None,
            "delivered_at": _iso(delivered_at),
        },
    )
