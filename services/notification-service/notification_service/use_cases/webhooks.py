"""Webhook subscriptions (admins): register, list, read, change (and rotate the secret), delete, enable,
disable, replay; the delivery log; the re-encryption of the stored secrets (CLI)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlparse

from kinerja_shared.errors import Conflict, NotFound, field_error
from kinerja_shared.web.pagination import decode_cursor, encode_cursor

from .. import access, domain, paging, secretbox, targets
from .. import webhooks_store as store
from ..config import NotifySettings
from ..models import webhook_deliveries
from ..webhooks_store import ACTIVE, FAILED, HELD

VersionCheck = Callable[[str, int], None]  # (entity id, current version): raises 412/428 (kinerja_shared.web.etag)

ALREADY = {"enable": "The subscription is already active.", "disable": "The subscription is already disabled."}


def shown(row) -> dict:
    """A subscription as the API shows it: the secret is encrypted at rest; only its hint is ever shown."""
    out = dict(row._mapping)
    out.pop("secret", None)
    out["secret_hint"] = "…" + row.secret_hint
    return out


def _check_url(cfg: NotifySettings, url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme != "https" and not cfg.webhook_allow_http:
        raise field_error("url", "must use https (NOTIFICATION_WEBHOOK_ALLOW_HTTP is off)")
    if parsed.username or parsed.password:
        raise field_error("url", "must not carry a user name or password; the signature authenticates deliveries")
    try:
        targets.check_registration(url, cfg.webhook_allowed)
    except targets.TargetRefused as exc:
        raise field_error("url", str(exc)) from None


def _secret_values(cfg: NotifySettings, secret: str) -> dict:
    return {"secret": cfg.webhook_secrets.encrypt(secret), "secret_hint": secretbox.hint(secret)}


def _load(uow, subscription_id: str, *, lock: bool = False):
    row = store.subscription(uow.conn, subscription_id, lock=lock)
    if row is None:
        raise NotFound(f"webhook subscription {subscription_id} does not exist")
    return row


def create_webhook(uow, actor, cfg: NotifySettings, body: dict) -> dict:
    """Register a subscription; the answer carries the secret, this once."""
    access.may_manage_webhooks(actor)
    _check_url(cfg, body["url"])
    now = uow.now()
    secret = body.get("secret") or secrets.token_urlsafe(32)
    subscription_id = str(uuid.uuid4())
    store.insert_subscription(
        uow.conn,
        dict(
            id=subscription_id,
            url=body["url"],
            event_types=sorted(set(body["event_types"])),
            **_secret_values(cfg, secret),
            description=body.get("description"),
            status=ACTIVE,
            consecutive_failures=0,
            disabled_at=None,
            disabled_reason=None,
            created_by=actor.sub,
            version=1,
            created_at=now,
            updated_at=now,
        ),
    )
    created = shown(_load(uow, subscription_id))
    uow.audit(actor=actor, action="webhook.created", entity_type="webhook", entity_id=subscription_id, after=created)
    return {**created, "secret": secret}


def _after(cursor: str | None) -> tuple[datetime, str] | None:
    if not cursor:
        return None
    created, _, last_id = decode_cursor(cursor).partition("|")
    try:
        return datetime.fromisoformat(created), last_id
    except ValueError:
        raise field_error("cursor", "is not one this service gave out", status=400) from None


def list_webhooks(uow, actor, args: dict) -> dict:
    """``{items, next_cursor}``: subscriptions, newest first."""
    access.may_manage_webhooks(actor)
    rows = store.subscriptions_page(uow.conn, args["limit"], _after(args.get("cursor")))
    more = len(rows) > args["limit"]
    rows = rows[: args["limit"]]
    cursor = encode_cursor(f"{rows[-1].created_at.isoformat()}|{rows[-1].id}") if more and rows else None
    return {"items": [shown(r) for r in rows], "next_cursor": cursor}


def get_webhook(uow, actor, subscription_id: str) -> dict:
    access.may_manage_webhooks(actor)
    return shown(_load(uow, subscription_id))


def update_webhook(
    uow, actor, cfg: NotifySettings, subscription_id: str, body: dict, *, if_match: VersionCheck
) -> dict:
    """Change the URL, event types, secret (a rotation) or description."""
    access.may_manage_webhooks(actor)
    if body.get("url"):
        _check_url(cfg, body["url"])
    row = _load(uow, subscription_id, lock=True)
    if_match(subscription_id, row.version)
    values = {k: v for k, v in body.items() if k in ("url", "description")}
    if "secret" in body:
        values.update(_secret_values(cfg, body["secret"]))
    if "event_types" in body:
        values["event_types"] = sorted(set(body["event_types"]))
    store.change_subscription(uow.conn, subscription_id, dict(values, version=row.version + 1, updated_at=uow.now()))
    updated = shown(_load(uow, subscription_id))
    uow.audit(
        actor=actor,
        action="webhook.updated",
        entity_type="webhook",
        entity_id=subscription_id,
        before=shown(row),
        after=updated,
        reason="secret rotated" if "secret" in body else None,
    )
    return updated


def delete_webhook(uow, actor, subscription_id: str, *, if_match: VersionCheck) -> None:
    """Delete a subscription and its delivery log."""
    access.may_manage_webhooks(actor)
    row = _load(uow, subscription_id, lock=True)
    if_match(subscription_id, row.version)
    store.delete_subscription(uow.conn, subscription_id)
    uow.audit(
        actor=actor, action="webhook.deleted", entity_type="webhook", entity_id=subscription_id, before=shown(row)
    )


def set_status(uow, actor, subscription_id: str, action: str, *, if_match: VersionCheck) -> dict:
    """``enable`` (new events flow again) or ``disable`` (waiting deliveries and new events are held)."""
    access.may_manage_webhooks(actor)
    row = _load(uow, subscription_id, lock=True)
    if_match(subscription_id, row.version)
    if not domain.WEBHOOK_SUBSCRIPTION.can(action, row.status):
        raise Conflict(ALREADY[action], title="Status does not allow this", current_status=row.status)
    if action == "enable":
        store.change_subscription(
            uow.conn,
            subscription_id,
            dict(
                status=ACTIVE,
                consecutive_failures=0,
                disabled_at=None,
                disabled_reason=None,
                version=row.version + 1,
                updated_at=uow.now(),
            ),
        )
    else:
        store.disable(uow.conn, subscription_id, f"disabled by {actor.sub}", uow.now())
    updated = shown(_load(uow, subscription_id))
    uow.audit(
        actor=actor,
        action=f"webhook.{action}d",
        entity_type="webhook",
        entity_id=subscription_id,
        before={"status": row.status},
        after={"status": updated["status"]},
    )
    return updated


def replay(uow, actor, subscription_id: str, statuses: list[str] | None = None, since: datetime | None = None) -> dict:
    """Queue again the deliveries that failed or were held (optionally only those since an instant)."""
    access.may_manage_webhooks(actor)
    statuses = statuses or [FAILED, HELD]
    row = _load(uow, subscription_id, lock=True)
    if row.status != ACTIVE:
        raise Conflict(
            "Enable the subscription before replaying its deliveries.",
            title="Subscription disabled",
            current_status=row.status,
        )
    replayed = store.replay(uow.conn, subscription_id, statuses, since, uow.now())
    uow.audit(
        actor=actor,
        action="webhook.replayed",
        entity_type="webhook",
        entity_id=subscription_id,
        after={"replayed": replayed, "statuses": statuses, "since": since},
    )
    return {"replayed": replayed}


def list_deliveries(uow, actor, subscription_id: str, args: dict) -> dict:
    """The subscription's delivery log, newest first; filtered by status."""
    access.may_manage_webhooks(actor)
    paging.id_cursor(args.get("cursor"))  # a bad cursor is named before the subscription is looked up
    _load(uow, subscription_id)
    query = store.deliveries_of(subscription_id, args.get("status"))
    return paging.newest_first(uow.conn, query, webhook_deliveries.c.id, args)


def get_delivery(uow, actor, subscription_id: str, delivery_id: int) -> dict:
    """One delivery with every attempt."""
    access.may_manage_webhooks(actor)
    paging.existing_id(delivery_id, "delivery")
    row = store.delivery(uow.conn, subscription_id, delivery_id)
    if row is None:
        raise NotFound(f"delivery {delivery_id} of subscription {subscription_id} does not exist")
    return {**dict(row._mapping), "attempt_log": [dict(a._mapping) for a in store.attempts(uow.conn, delivery_id)]}


def rotate_secrets(uow, box: secretbox.SecretBox) -> tuple[int, list[str]]:
    """Re-encrypt every stored secret with the newest key; (how many, the ids no listed key decrypts)."""
    rotated, unreadable = 0, []
    for row in store.secrets(uow.conn):
        try:
            token = box.rotate(row.secret)
        except secretbox.SecretUnreadable:
            unreadable.append(row.id)
            continue
        store.change_subscription(uow.conn, row.id, dict(secret=token))
        rotated += 1
    return rotated, unreadable
