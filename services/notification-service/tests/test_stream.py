"""The Server-Sent Events stream delivers a new item as it happens, and resumes from Last-Event-ID."""

from __future__ import annotations

import json

import pytest

from kinerja_shared.web.pagination import encode_cursor
from notification_service.service import SPEC


def _events(chunks):
    """Parse SSE frames from an iterator of byte chunks; yield {'id', 'event', 'data'} dicts."""
    buffer = ""
    for chunk in chunks:
        buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
        while "\n\n" in buffer:
            frame, buffer = buffer.split("\n\n", 1)
            fields = {}
            for line in frame.splitlines():
                if line.startswith(":"):
                    continue
                key, _, value = line.partition(": ")
                fields[key] = value
            if "event" in fields:
                fields["data"] = json.loads(fields["data"])
                yield fields


def test_the_stream_delivers_a_new_item_at_once(service_factory, ev, produce, helpers):
    h = service_factory(
        SPEC,
        NOTIFICATION_REMINDERS="false",
        NOTIFICATION_SSE_POLL_SECONDS="0.1",
        NOTIFICATION_SSE_LIFETIME_SECONDS="60",
    )
    h.start_worker()
    E = helpers.EMPLOYEE
    produce(ev.employee(E, "Siti Aminah"))
    helpers.wait_for(lambda: h.scalar("SELECT count(*) FROM contacts") == 1, 60, message="the contact")

    response = h.client.get("/api/v1/notifications/stream", headers=h.token(E), buffered=False)
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-cache"
    stream = _events(iter(response.response))
    assert next(stream) == {"event": "unread-count", "data": {"unread": 0}}

    approved = produce(ev.plan_approved(E))
    frame = next(stream)
    assert frame["event"] == "notification" and frame["id"]
    assert frame["data"]["category"] == "plan_approved" and frame["data"]["cause_event_id"] == approved["id"]
    assert frame["data"]["title"] == "SKP 2026 Anda telah disetujui"
    assert next(stream) == {"event": "unread-count", "data": {"unread": 1}}

    # Read elsewhere (another tab): the stream sends the changed item and the new count.
    h.client.post(f"/api/v1/notifications/{frame['data']['id']}/read", headers=h.token(E))
    changed = next(stream)
    assert changed["event"] == "notification" and changed["data"]["read"] is True and changed["data"]["version"] == 2
    assert next(stream) == {"event": "unread-count", "data": {"unread": 0}}
    response.close()


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_the_stream_ends_by_itself_and_resumes_from_last_event_id(backend, service_factory, ev, helpers, tmp_path):
    """The same on PostgreSQL and on the SQLite file of `make run` (timestamps are aware on both)."""
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'notification-service.db'}"} if backend == "sqlite" else {}
    h = service_factory(SPEC, NOTIFICATION_SSE_POLL_SECONDS="0.05", NOTIFICATION_SSE_LIFETIME_SECONDS="0.3", **database)
    assert h.engine.dialect.name == backend
    E = helpers.EMPLOYEE
    helpers.handle(h, ev.plan_approved(E))
    helpers.handle(h, ev.feedback_given(helpers.COLLEAGUE))  # someone else's: never on E's stream

    # Resuming from a position before the item: it is sent; then the stream closes on its own.
    before = encode_cursor("2020-01-01T00:00:00+00:00")
    response = h.client.get("/api/v1/notifications/stream", headers={**h.token(E), "Last-Event-ID": before})
    body = response.get_data(as_text=True)
    assert body.startswith("retry: 3000\n\n")
    frames = list(_events([body]))
    assert [f["event"] for f in frames] == ["notification", "unread-count"]
    assert frames[0]["data"]["category"] == "plan_approved"

    # Resuming from the id it gave: the item is not lost (sent again at most), the stream runs to its end.
    again = h.client.get("/api/v1/notifications/stream", headers={**h.token(E), "Last-Event-ID": frames[0]["id"]})
    resumed = list(_events([again.get_data(as_text=True)]))
    assert [f["event"] for f in resumed][-1] == "unread-count"
    assert {f["data"]["id"] for f in resumed if f["event"] == "notification"} <= {frames[0]["data"]["id"]}

    bad = h.client.get("/api/v1/notifications/stream?last_event_id=%21%21", headers=h.token(E))
    assert bad.status_code == 400 and bad.get_json()["errors"][0]["field"] == "Last-Event-ID"
    assert h.client.get("/api/v1/notifications/stream").status_code == 401
