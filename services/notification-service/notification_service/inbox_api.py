"""HTTP API of the inbox: /api/v1/notifications (list, unread count, read, mark read, live stream)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from flask import Response, request
from flask_smorest import Blueprint

from kinerja_shared.web.answer_json import answer_dumps as strict_dumps
from kinerja_shared.web.app_factory import current_principal, runtime, unit_of_work
from kinerja_shared.web.docs import errors as _errors
from kinerja_shared.web.pagination import decode_cursor, encode_cursor
from kinerja_shared.web.problems import field_error

from .schemas import (
    NotificationOut,
    NotificationPage,
    NotificationQuery,
    ReadAllIn,
    ReadAllOut,
    StreamQuery,
    UnreadCountOut,
)
from .use_cases import inbox

notifications_blp = Blueprint(
    "notifications",
    __name__,
    url_prefix="/api/v1/notifications",
    description="The caller's own in-app inbox: list, unread count, mark read, live stream.",
)


@notifications_blp.route("")
@notifications_blp.arguments(NotificationQuery, location="query")
@notifications_blp.response(200, NotificationPage)
@_errors(notifications_blp, (400, "Bad cursor"), (422, "Bad filter"))
def list_notifications(args):
    """List the caller's own notifications, newest first; filter by unread and category; page with a cursor."""
    with unit_of_work() as uow:
        return inbox.list_notifications(uow, current_principal(), args)


@notifications_blp.route("/unread-count")
@notifications_blp.response(200, UnreadCountOut)
@_errors(notifications_blp)
def unread_count():
    """How many of the caller's notifications are unread, in total and per category."""
    with unit_of_work() as uow:
        return inbox.unread_count(uow, current_principal())


@notifications_blp.route("/<int:notification_id>")
@notifications_blp.response(200, NotificationOut)
@_errors(notifications_blp, (404, "No such notification of the caller"))
def get_notification(notification_id):
    """Read one of the caller's notifications."""
    with unit_of_work() as uow:
        return inbox.get_notification(uow, current_principal(), notification_id)


@notifications_blp.route("/<int:notification_id>/read", methods=["POST"])
@notifications_blp.response(200, NotificationOut)
@_errors(notifications_blp, (404, "No such notification of the caller"))
def mark_read(notification_id):
    """Mark one of the caller's notifications read (again: no change)."""
    with unit_of_work() as uow:
        return inbox.mark_read(uow, current_principal(), notification_id)


@notifications_blp.route("/read-all", methods=["POST"])
@notifications_blp.arguments(ReadAllIn, required=False)
@notifications_blp.response(200, ReadAllOut)
@_errors(notifications_blp, (422, "Unknown category"))
def mark_all_read(body):
    """Mark all of the caller's unread notifications read (optionally only one category)."""
    with unit_of_work() as uow:
        return inbox.mark_all_read(uow, current_principal(), (body or {}).get("category"))


# -- the live stream (Server-Sent Events) ------------------------------------------------------

STREAM_OVERLAP = timedelta(seconds=2)  # re-read this far back: commits land out of timestamp order
HEARTBEAT_SECONDS = 15.0


def _stream_position(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(decode_cursor(raw.strip()))
    except Exception:  # noqa: BLE001 - a forged id: name the field
        raise field_error("Last-Event-ID", "is not an event id this stream gave out", status=400) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _events(rt, actor, position: datetime):
    """The stream's text: a round every NOTIFICATION_SSE_POLL_SECONDS until NOTIFICATION_SSE_LIFETIME_SECONDS."""
    cfg = rt.config
    deadline = time.monotonic() + cfg.sse_lifetime_seconds
    last_beat = time.monotonic()
    sent: dict[int, int] = {}
    unread_sent = None
    yield "retry: 3000\n\n"
    while True:
        with rt.unit_of_work() as uow:
            unread, items = inbox.changes_since(uow, actor, position - STREAM_OVERLAP)
        for item in items:
            if sent.get(item["id"]) == item["version"]:
                continue
            sent[item["id"]] = item["version"]
            position = max(position, item["updated_at"])
            data = strict_dumps(NotificationOut().dump(item), ensure_ascii=False)
            yield f"id: {encode_cursor(position.isoformat())}\nevent: notification\ndata: {data}\n\n"
        if unread != unread_sent:
            unread_sent = unread
            yield f"event: unread-count\ndata: {strict_dumps({'unread': unread})}\n\n"
        if time.monotonic() >= deadline:
            return
        if time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
            last_beat = time.monotonic()
            yield ": keepalive\n\n"
        time.sleep(cfg.sse_poll_seconds)


@notifications_blp.route("/stream")
@notifications_blp.arguments(StreamQuery, location="query")
@notifications_blp.response(
    200,
    content_type="text/event-stream",
    description="A text/event-stream: `event: notification` (a new or changed item, as in the "
    'list), `event: unread-count` ({"unread": n}), comments as heartbeats.',
)
@_errors(notifications_blp, (400, "Bad Last-Event-ID"))
def stream(args):
    """Server-Sent Events: the caller's new and changed notifications, as they happen.

    The stream polls the database (every NOTIFICATION_SSE_POLL_SECONDS) and closes after
    NOTIFICATION_SSE_LIFETIME_SECONDS (25 s by default, under gunicorn's timeout); the client
    reconnects (the stream sends `retry: 3000`) with the `Last-Event-ID` header, or the
    `last_event_id` query parameter, to resume where it stopped. Delivery is at least once:
    an item may be sent again after a reconnect, so clients keep the highest `version` per `id`.
    Browsers' EventSource cannot send an Authorization header: use a fetch-based client.
    """
    rt = runtime()
    resume = _stream_position(request.headers.get("Last-Event-ID") or args.get("last_event_id"))
    return Response(
        _events(rt, current_principal(), resume or rt.clock.now()),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
