"""HTTP API of notification-service: /api/v1/notifications (inbox, stream, preferences), /api/v1/webhooks."""
from __future__ import annotations

import secrets
import time
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import urlparse

from flask import Response, request
from flask_smorest import Blueprint
from sqlalchemy import delete, func, or_, select, update

from kinerja_shared import audit
from kinerja_shared.db import upsert, utcnow
from kinerja_shared.web.answer_json import answer_dumps as strict_dumps
from kinerja_shared.web.app_factory import current_principal, runtime
from kinerja_shared.web.etag import check_if_match, etag_for, if_match_documented, require_if_match
from kinerja_shared.web.pagination import PageArgs, decode_cursor, encode_cursor
from kinerja_shared.web.problems import Conflict, Forbidden, NotFound, field_error
from kinerja_shared.web.docs import errors as _errors

from . import domain, paging, secretbox, targets, webhooks
from .config import NotifySettings, current_config
from .models import notifications, person_settings, webhook_attempts, webhook_deliveries, webhook_subscriptions
from .schemas import (DeliveryDetail, DeliveryPage, DeliveryQuery, NotificationOut, NotificationPage, NotificationQuery,
                      PreferencesOut, PreferencesPatch, ReadAllIn, ReadAllOut, ReplayIn, ReplayOut, StreamQuery,
                      UnreadCountOut, WebhookCreated, WebhookIn, WebhookOut, WebhookPage, WebhookPatch)

notifications_blp = Blueprint("notifications", __name__, url_prefix="/api/v1/notifications",
                              description="The caller's own in-app inbox: list, unread count, mark read, live stream.")
preferences_blp = Blueprint("preferences", __name__, url_prefix="/api/v1/notifications/preferences",
                            description="The caller's choices: channels per category, quiet hours, language.")
webhooks_blp = Blueprint("webhooks", __name__, url_prefix="/api/v1/webhooks",
                         description="Signed webhooks for systems that cannot consume Kafka (admins only). "
                         "Each delivery carries X-Kinerja-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "
                         "\"<t>.<raw body>\")>; see the service README for a verification snippet.")



MAX_ID = paging.MAX_ID
_id_cursor = paging.id_cursor


def _existing_id(value: int, what: str) -> int:
    if value > MAX_ID:
        raise NotFound(f"{what} {value} does not exist")
    return value


def _cfg() -> NotifySettings:
    return current_config()


# -- the inbox -------------------------------------------------------------------------------

def _item(row) -> dict:
    out = dict(row._mapping)
    out["read"] = row.read_at is not None
    return out


def _mine():
    return (notifications.c.recipient_nip == current_principal().sub) & notifications.c.in_inbox.is_(True)


@notifications_blp.route("")
@notifications_blp.arguments(NotificationQuery, location="query")
@notifications_blp.response(200, NotificationPage)
@_errors(notifications_blp, (400, "Bad cursor"), (422, "Bad filter"))
def list_notifications(args):
    """List the caller's own notifications, newest first; filter by unread and category; page with a cursor."""
    query = select(notifications).where(_mine())
    if args.get("unread") is True:
        query = query.where(notifications.c.read_at.is_(None))
    elif args.get("unread") is False:
        query = query.where(notifications.c.read_at.is_not(None))
    if args.get("category"):
        query = query.where(notifications.c.category == args["category"])
    return paging.newest_first(query, notifications.c.id, args, _item)


@notifications_blp.route("/unread-count")
@notifications_blp.response(200, UnreadCountOut)
@_errors(notifications_blp)
def unread_count():
    """How many of the caller's notifications are unread, in total and per category."""
    with runtime().engine.connect() as conn:
        rows = conn.execute(select(notifications.c.category, func.count()).where(_mine(), notifications.c.read_at.is_(None))
                            .group_by(notifications.c.category)).all()
    by_category = {category: count for category, count in rows}
    return {"unread": sum(by_category.values()), "by_category": by_category}


@notifications_blp.route("/<int:notification_id>")
@notifications_blp.response(200, NotificationOut)
@_errors(notifications_blp, (404, "No such notification of the caller"))
def get_notification(notification_id):
    """Read one of the caller's notifications."""
    _existing_id(notification_id, "notification")
    with runtime().engine.connect() as conn:
        row = conn.execute(select(notifications).where(_mine(), notifications.c.id == notification_id)).first()
    if row is None:
        raise NotFound(f"notification {notification_id} does not exist")
    return _item(row)


@notifications_blp.route("/<int:notification_id>/read", methods=["POST"])
@notifications_blp.response(200, NotificationOut)
@_errors(notifications_blp, (404, "No such notification of the caller"))
def mark_read(notification_id):
    """Mark one of the caller's notifications read (again: no change)."""
    _existing_id(notification_id, "notification")
    with runtime().engine.begin() as conn:
        conn.execute(update(notifications).where(_mine(), notifications.c.id == notification_id,
                                                 notifications.c.read_at.is_(None))
                     .values(read_at=utcnow(), updated_at=utcnow(), version=notifications.c.version + 1))
        row = conn.execute(select(notifications).where(_mine(), notifications.c.id == notification_id)).first()
    if row is None:
        raise NotFound(f"notification {notification_id} does not exist")
    return _item(row)


@notifications_blp.route("/read-all", methods=["POST"])
@notifications_blp.arguments(ReadAllIn, required=False)
@notifications_blp.response(200, ReadAllOut)
@_errors(notifications_blp, (422, "Unknown category"))
def mark_all_read(body):
    """Mark all of the caller's unread notifications read (optionally only one category)."""
    now = utcnow()
    query = update(notifications).where(_mine(), notifications.c.read_at.is_(None))
    if (body or {}).get("category"):
        query = query.where(notifications.c.category == body["category"])
    with runtime().engine.begin() as conn:
        marked = conn.execute(query.values(read_at=now, updated_at=now, version=notifications.c.version + 1)).rowcount
    return {"marked": marked}


# -- the live stream (Server-Sent Events) ------------------------------------------------------

STREAM_OVERLAP = timedelta(seconds=2)   # re-read this far back: commits land out of timestamp order
HEARTBEAT_SECONDS = 15.0


def _stream_position(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(decode_cursor(raw.strip()))
    except Exception:  # noqa: BLE001 - a forged id: name the field
        raise field_error("Last-Event-ID", "is not an event id this stream gave out", status=400) from None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


@notifications_blp.route("/stream")
@notifications_blp.arguments(StreamQuery, location="query")
@notifications_blp.response(200, content_type="text/event-stream",
                            description="A text/event-stream: `event: notification` (a new or changed item, as in the "
                            "list), `event: unread-count` ({\"unread\": n}), comments as heartbeats.")
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
    cfg = _cfg()
    engine = runtime().engine
    nip = current_principal().sub
    resume = _stream_position(request.headers.get("Last-Event-ID") or args.get("last_event_id"))
    position = resume or utcnow()

    def events():
        nonlocal position
        deadline = time.monotonic() + cfg.sse_lifetime_seconds
        last_beat = time.monotonic()
        sent: dict[int, int] = {}
        unread_sent = None
        yield "retry: 3000\n\n"
        while True:
            with engine.connect() as conn:
                mine = (notifications.c.recipient_nip == nip) & notifications.c.in_inbox.is_(True)
                # the count first: an item committed between the two reads is then sent before a count that holds it
                unread = conn.execute(select(func.count()).select_from(notifications)
                                      .where(mine, notifications.c.read_at.is_(None))).scalar()
                rows = conn.execute(select(notifications).where(mine, notifications.c.updated_at >= position - STREAM_OVERLAP)
                                    .order_by(notifications.c.updated_at, notifications.c.id).limit(500)).all()
            for row in rows:
                if sent.get(row.id) == row.version:
                    continue
                sent[row.id] = row.version
                position = max(position, row.updated_at)
                data = strict_dumps(NotificationOut().dump(_item(row)), ensure_ascii=False)
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

    return Response(events(), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


# -- preferences -----------------------------------------------------------------------------

def _preferences_view(nip: str, row, cfg: NotifySettings) -> dict:
    overrides = dict(row.channels or {}) if row is not None else {}
    if row is None or row.quiet_hours is None:
        quiet, quiet_default = cfg.quiet_hours, True
    else:
        quiet, quiet_default = domain.parse_quiet_hours(row.quiet_hours), False
    return {
        "nip": nip,
        "locale": (row.locale if row is not None and row.locale else cfg.locale),
        "quiet_hours": {"start": f"{quiet.start:%H:%M}", "end": f"{quiet.end:%H:%M}"} if quiet else None,
        "quiet_hours_default": quiet_default,
        "categories": {
            c: {**domain.channels_for(c, overrides.get(c)), "customised": c in overrides,
                "description": domain.CATEGORY_DESCRIPTIONS[c]}
            for c in domain.CATEGORIES
        },
        "version": row.version if row is not None else 0,
    }


@preferences_blp.route("")
@preferences_blp.response(200, PreferencesOut)
@_errors(preferences_blp)
def get_preferences():
    """The caller's notification preferences, with the defaults filled in (ETag for If-Match)."""
    nip = current_principal().sub
    with runtime().engine.connect() as conn:
        row = conn.execute(select(person_settings).where(person_settings.c.nip == nip)).first()
    view = _preferences_view(nip, row, _cfg())
    return view, 200, {"ETag": etag_for(nip, view["version"])}


@preferences_blp.route("", methods=["PATCH"])
@preferences_blp.arguments(PreferencesPatch)
@preferences_blp.response(200, PreferencesOut)
@_errors(preferences_blp, (422, "Unknown category or channel, bad time"))
@if_match_documented(preferences_blp)
def patch_preferences(body):
    """Change some of the caller's preferences: channels per category, quiet hours, language.

    Only the given fields change. `quiet_hours: null` means none; `quiet_hours_default: true`
    goes back to the service default; `reset_categories` puts categories back to the defaults.
    Quiet hours hold e-mail until they end; the inbox still fills. Send `If-Match` with the
    ETag of GET to avoid overwriting a change made elsewhere (412 when stale).
    """
    p = current_principal()
    cfg = _cfg()
    if "quiet_hours" in body and body.get("quiet_hours_default"):
        raise field_error("quiet_hours_default", "give either quiet_hours or quiet_hours_default, not both")
    quiet_text = None
    if body.get("quiet_hours"):
        try:
            quiet_text = domain.QuietHours(domain.parse_hhmm(body["quiet_hours"]["start"]),
                                           domain.parse_hhmm(body["quiet_hours"]["end"])).as_text()
        except ValueError as exc:
            raise field_error("quiet_hours.end", str(exc)) from None
    with runtime().engine.begin() as conn:
        query = select(person_settings).where(person_settings.c.nip == p.sub)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = conn.execute(query).first()
        version = row.version if row is not None else 0
        require_if_match(p.sub, version)
        before = _preferences_view(p.sub, row, cfg)
        channels = dict(row.channels or {}) if row is not None else {}
        for category in body.get("reset_categories", []):
            channels.pop(category, None)
        for category, choice in (body.get("categories") or {}).items():
            effective = domain.channels_for(category, {**channels.get(category, {}), **choice})
            if effective == domain.DEFAULT_CHANNELS[category]:
                channels.pop(category, None)  # the same as the defaults: follow future changes of them
            else:
                channels[category] = effective
        locale = row.locale if row is not None else None
        if "locale" in body:
            locale = body["locale"]
        quiet = row.quiet_hours if row is not None else None
        if "quiet_hours" in body:
            quiet = quiet_text or "off"
        if body.get("quiet_hours_default"):
            quiet = None
        values = dict(nip=p.sub, locale=locale, quiet_hours=quiet, channels=channels, version=version + 1,
                      updated_at=utcnow())
        upsert(conn, person_settings, values, ["nip"])
        after = _preferences_view(p.sub, conn.execute(select(person_settings).where(person_settings.c.nip == p.sub)).first(), cfg)
        audit.record(conn, actor=p, action="preferences.updated", entity_type="preferences", entity_id=p.sub,
                     before={k: before[k] for k in ("locale", "quiet_hours")} | {"channels": _chosen(before)},
                     after={k: after[k] for k in ("locale", "quiet_hours")} | {"channels": _chosen(after)})
    return after, 200, {"ETag": etag_for(p.sub, after["version"])}


def _chosen(view: dict) -> dict:
    return {c: {k: v[k] for k in domain.PERSON_CHANNELS} for c, v in view["categories"].items() if v["customised"]}


# -- webhooks (admins) -----------------------------------------------------------------------

def _require_admin():
    if not current_principal().is_admin:
        raise Forbidden("Only an admin (BKPSDM) may manage webhook subscriptions.")


def _check_url(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme != "https" and not _cfg().webhook_allow_http:
        raise field_error("url", "must use https (NOTIFICATION_WEBHOOK_ALLOW_HTTP is off)")
    if parsed.username or parsed.password:
        raise field_error("url", "must not carry a user name or password; the signature authenticates deliveries")
    try:
        targets.check_registration(url, _cfg().webhook_allowed)
    except targets.TargetRefused as exc:
        raise field_error("url", str(exc)) from None


def _webhook(row) -> dict:
    out = dict(row._mapping)
    out.pop("secret", None)  # encrypted at rest; only its hint is ever shown
    out["secret_hint"] = "…" + row.secret_hint
    return out


def _secret_values(secret: str) -> dict:
    return {"secret": _cfg().webhook_secrets.encrypt(secret), "secret_hint": secretbox.hint(secret)}


def _load_webhook(conn, subscription_id: str, for_update: bool = False):
    query = select(webhook_subscriptions).where(webhook_subscriptions.c.id == subscription_id)
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"webhook subscription {subscription_id} does not exist")
    return row




@webhooks_blp.route("", methods=["POST"])
@webhooks_blp.arguments(WebhookIn)
@webhooks_blp.response(201, WebhookCreated)
@_errors(webhooks_blp, (422, "Bad URL, unknown event type or short secret"))
def create_webhook(body):
    """Register a subscription (admin): URL, event types, secret. The secret is shown only in this answer."""
    _require_admin()
    _check_url(body["url"])
    p = current_principal()
    now = utcnow()
    secret = body.get("secret") or secrets.token_urlsafe(32)
    row = dict(id=str(uuid.uuid4()), url=body["url"], event_types=sorted(set(body["event_types"])),
               **_secret_values(secret), description=body.get("description"),
               status=webhooks.ACTIVE, consecutive_failures=0, disabled_at=None, disabled_reason=None, created_by=p.sub,
               version=1, created_at=now, updated_at=now)
    with runtime().engine.begin() as conn:
        conn.execute(webhook_subscriptions.insert().values(**row))
        created = _load_webhook(conn, row["id"])
        audit.record(conn, actor=p, action="webhook.created", entity_type="webhook", entity_id=row["id"],
                     after=_webhook(created))
    out = {**_webhook(created), "secret": secret}  # shown this once
    return out, 201, {"ETag": etag_for(row["id"], 1), "Location": f"/api/v1/webhooks/{row['id']}"}


@webhooks_blp.route("")
@webhooks_blp.arguments(PageArgs, location="query")
@webhooks_blp.response(200, WebhookPage)
@_errors(webhooks_blp, (400, "Bad cursor"))
def list_webhooks(args):
    """List subscriptions (admin), newest first."""
    _require_admin()
    query = select(webhook_subscriptions).order_by(webhook_subscriptions.c.created_at.desc(),
                                                   webhook_subscriptions.c.id.desc())
    if args.get("cursor"):
        created, _, last_id = decode_cursor(args["cursor"]).partition("|")
        try:
            created_at = datetime.fromisoformat(created)
        except ValueError:
            raise field_error("cursor", "is not one this service gave out", status=400) from None
        query = query.where(or_(webhook_subscriptions.c.created_at < created_at,
                                (webhook_subscriptions.c.created_at == created_at) & (webhook_subscriptions.c.id < last_id)))
    with runtime().engine.connect() as conn:
        rows = conn.execute(query.limit(args["limit"] + 1)).all()
    more = len(rows) > args["limit"]
    rows = rows[: args["limit"]]
    cursor = encode_cursor(f"{rows[-1].created_at.isoformat()}|{rows[-1].id}") if more and rows else None
    return {"items": [_webhook(r) for r in rows], "next_cursor": cursor}


@webhooks_blp.route("/<subscription_id>")
@webhooks_blp.response(200, WebhookOut)
@_errors(webhooks_blp, (404, "No such subscription"))
def get_webhook(subscription_id):
    """Read one subscription (admin)."""
    _require_admin()
    with runtime().engine.connect() as conn:
        row = _load_webhook(conn, subscription_id)
    return _webhook(row), 200, {"ETag": etag_for(subscription_id, row.version)}


@webhooks_blp.route("/<subscription_id>", methods=["PATCH"])
@webhooks_blp.arguments(WebhookPatch)
@webhooks_blp.response(200, WebhookOut)
@_errors(webhooks_blp, (404, "No such subscription"), (422, "Bad URL or event type"))
@if_match_documented(webhooks_blp)
def patch_webhook(body, subscription_id):
    """Change a subscription's URL, event types, secret (rotation) or description (admin)."""
    _require_admin()
    if body.get("url"):
        _check_url(body["url"])
    p = current_principal()
    with runtime().engine.begin() as conn:
        row = _load_webhook(conn, subscription_id, for_update=True)
        require_if_match(subscription_id, row.version)
        values = {k: v for k, v in body.items() if k in ("url", "description")}
        if "secret" in body:
            values.update(_secret_values(body["secret"]))
        if "event_types" in body:
            values["event_types"] = sorted(set(body["event_types"]))
        conn.execute(update(webhook_subscriptions).where(webhook_subscriptions.c.id == subscription_id)
                     .values(**values, version=row.version + 1, updated_at=utcnow()))
        updated = _load_webhook(conn, subscription_id)
        audit.record(conn, actor=p, action="webhook.updated", entity_type="webhook", entity_id=subscription_id,
                     before=_webhook(row), after=_webhook(updated),
                     reason="secret rotated" if "secret" in body else None)
    return _webhook(updated), 200, {"ETag": etag_for(subscription_id, updated.version)}


@webhooks_blp.route("/<subscription_id>", methods=["DELETE"])
@webhooks_blp.response(204)
@_errors(webhooks_blp, (404, "No such subscription"))
@if_match_documented(webhooks_blp)
def delete_webhook(subscription_id):
    """Delete a subscription and its delivery log (admin)."""
    _require_admin()
    with runtime().engine.begin() as conn:
        row = _load_webhook(conn, subscription_id, for_update=True)
        require_if_match(subscription_id, row.version)
        delivery_ids = select(webhook_deliveries.c.id).where(webhook_deliveries.c.subscription_id == subscription_id)
        conn.execute(delete(webhook_attempts).where(webhook_attempts.c.delivery_id.in_(delivery_ids)))
        conn.execute(delete(webhook_deliveries).where(webhook_deliveries.c.subscription_id == subscription_id))
        conn.execute(delete(webhook_subscriptions).where(webhook_subscriptions.c.id == subscription_id))
        audit.record(conn, actor=current_principal(), action="webhook.deleted", entity_type="webhook",
                     entity_id=subscription_id, before=_webhook(row))
    return None


def _set_status(subscription_id: str, action: str):
    p = current_principal()
    with runtime().engine.begin() as conn:
        row = _load_webhook(conn, subscription_id, for_update=True)
        check_if_match(subscription_id, row.version)
        if action == "enable":
            if row.status == webhooks.ACTIVE:
                raise Conflict("The subscription is already active.", title="Status does not allow this",
                               current_status=row.status)
            conn.execute(update(webhook_subscriptions).where(webhook_subscriptions.c.id == subscription_id).values(
                status=webhooks.ACTIVE, consecutive_failures=0, disabled_at=None, disabled_reason=None,
                version=row.version + 1, updated_at=utcnow()))
        else:
            if row.status == webhooks.DISABLED:
                raise Conflict("The subscription is already disabled.", title="Status does not allow this",
                               current_status=row.status)
            webhooks.disable(conn, subscription_id, f"disabled by {p.sub}")
        updated = _load_webhook(conn, subscription_id)
        audit.record(conn, actor=p, action=f"webhook.{action}d", entity_type="webhook", entity_id=subscription_id,
                     before={"status": row.status}, after={"status": updated.status})
    return _webhook(updated), 200, {"ETag": etag_for(subscription_id, updated.version)}


@webhooks_blp.route("/<subscription_id>/enable", methods=["POST"])
@webhooks_blp.response(200, WebhookOut)
@_errors(webhooks_blp, (404, "No such subscription"), (409, "Already active"), (412, "Stale If-Match"))
def enable_webhook(subscription_id):
    """Re-enable a disabled subscription (admin); new events flow again. Replay what it missed with /replay."""
    _require_admin()
    return _set_status(subscription_id, "enable")


@webhooks_blp.route("/<subscription_id>/disable", methods=["POST"])
@webhooks_blp.response(200, WebhookOut)
@_errors(webhooks_blp, (404, "No such subscription"), (409, "Already disabled"), (412, "Stale If-Match"))
def disable_webhook(subscription_id):
    """Disable a subscription (admin): its waiting deliveries and new events are held until it is re-enabled."""
    _require_admin()
    return _set_status(subscription_id, "disable")


@webhooks_blp.route("/<subscription_id>/replay", methods=["POST"])
@webhooks_blp.arguments(ReplayIn, required=False)
@webhooks_blp.response(200, ReplayOut)
@_errors(webhooks_blp, (404, "No such subscription"), (409, "Subscription disabled"), (422, "Bad status or time"))
def replay_webhook(body, subscription_id):
    """Send again the deliveries that failed or were held (admin), optionally only those since an instant."""
    _require_admin()
    body = body or {}
    statuses = body.get("statuses") or [webhooks.FAILED, webhooks.HELD]
    with runtime().engine.begin() as conn:
        row = _load_webhook(conn, subscription_id, for_update=True)
        if row.status != webhooks.ACTIVE:
            raise Conflict("Enable the subscription before replaying its deliveries.", title="Subscription disabled",
                           current_status=row.status)
        replayed = webhooks.replay(conn, subscription_id, statuses, body.get("since"))
        audit.record(conn, actor=current_principal(), action="webhook.replayed", entity_type="webhook",
                     entity_id=subscription_id, after={"replayed": replayed, "statuses": statuses,
                                                       "since": body.get("since")})
    return {"replayed": replayed}


@webhooks_blp.route("/<subscription_id>/deliveries")
@webhooks_blp.arguments(DeliveryQuery, location="query")
@webhooks_blp.response(200, DeliveryPage)
@_errors(webhooks_blp, (400, "Bad cursor"), (404, "No such subscription"))
def list_deliveries(args, subscription_id):
    """The subscription's delivery log (admin), newest first; filter by status."""
    _require_admin()
    query = select(webhook_deliveries).where(webhook_deliveries.c.subscription_id == subscription_id)
    if args.get("status"):
        query = query.where(webhook_deliveries.c.status == args["status"])
    return paging.newest_first(query, webhook_deliveries.c.id, args, before=lambda conn: _load_webhook(conn, subscription_id))


@webhooks_blp.route("/<subscription_id>/deliveries/<int:delivery_id>")
@webhooks_blp.response(200, DeliveryDetail)
@_errors(webhooks_blp, (404, "No such delivery"))
def get_delivery(subscription_id, delivery_id):
    """One delivery with every attempt: when, HTTP status or error, duration (admin)."""
    _require_admin()
    _existing_id(delivery_id, "delivery")
    with runtime().engine.connect() as conn:
        row = conn.execute(select(webhook_deliveries).where(webhook_deliveries.c.id == delivery_id,
                                                            webhook_deliveries.c.subscription_id == subscription_id)).first()
        if row is None:
            raise NotFound(f"delivery {delivery_id} of subscription {subscription_id} does not exist")
        attempts = conn.execute(select(webhook_attempts).where(webhook_attempts.c.delivery_id == delivery_id)
                                .order_by(webhook_attempts.c.attempt, webhook_attempts.c.id)).all()
    return {**dict(row._mapping), "attempt_log": [dict(a._mapping) for a in attempts]}
