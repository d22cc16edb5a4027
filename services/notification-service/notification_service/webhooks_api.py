"""HTTP API of the webhooks (admins): /api/v1/webhooks, their delivery log, enable, disable, replay."""

from __future__ import annotations

from flask_smorest import Blueprint

from kinerja_shared.web.app_factory import current_principal, runtime, unit_of_work
from kinerja_shared.web.docs import errors as _errors
from kinerja_shared.web.etag import check_if_match, etag_for, if_match_documented, require_if_match
from kinerja_shared.web.pagination import PageArgs

from .schemas import (
    DeliveryDetail,
    DeliveryPage,
    DeliveryQuery,
    ReplayIn,
    ReplayOut,
    WebhookCreated,
    WebhookIn,
    WebhookOut,
    WebhookPage,
    WebhookPatch,
)
from .use_cases import webhooks

webhooks_blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/api/v1/webhooks",
    description="Signed webhooks for systems that cannot consume Kafka (admins only). "
    "Each delivery carries X-Kinerja-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "
    '"<t>.<raw body>")>; see the service README for a verification snippet.',
)


def _with_etag(subscription: dict, status: int = 200, **headers):
    return subscription, status, {"ETag": etag_for(subscription["id"], subscription["version"]), **headers}


@webhooks_blp.route("", methods=["POST"])
@webhooks_blp.arguments(WebhookIn)
@webhooks_blp.response(201, WebhookCreated)
@_errors(webhooks_blp, (422, "Bad URL, unknown event type or short secret"))
def create_webhook(body):
    """Register a subscription (admin): URL, event types, secret. The secret is shown only in this answer."""
    with unit_of_work() as uow:
        created = webhooks.create_webhook(uow, current_principal(), runtime().config, body)
    return _with_etag(created, 201, Location=f"/api/v1/webhooks/{created['id']}")


@webhooks_blp.route("")
@webhooks_blp.arguments(PageArgs, location="query")
@webhooks_blp.response(200, WebhookPage)
@_errors(webhooks_blp, (400, "Bad cursor"))
def list_webhooks(args):
    """List subscriptions (admin), newest first."""
    with unit_of_work() as uow:
        return webhooks.list_webhooks(uow, current_principal(), args)


@webhooks_blp.route("/<subscription_id>")
@webhooks_blp.response(200, WebhookOut)
@_errors(webhooks_blp, (404, "No such subscription"))
def get_webhook(subscription_id):
    """Read one subscription (admin)."""
    with unit_of_work() as uow:
        return _with_etag(webhooks.get_webhook(uow, current_principal(), subscription_id))


@webhooks_blp.route("/<subscription_id>", methods=["PATCH"])
@webhooks_blp.arguments(WebhookPatch)
@webhooks_blp.response(200, WebhookOut)
@_errors(webhooks_blp, (404, "No such subscription"), (422, "Bad URL or event type"))
@if_match_documented(webhooks_blp)
def patch_webhook(body, subscription_id):
    """Change a subscription's URL, event types, secret (rotation) or description (admin)."""
    with unit_of_work() as uow:
        updated = webhooks.update_webhook(
            uow, current_principal(), runtime().config, subscription_id, body, if_match=require_if_match
        )
    return _with_etag(updated)


@webhooks_blp.route("/<subscription_id>", methods=["DELETE"])
@webhooks_blp.response(204)
@_errors(webhooks_blp, (404, "No such subscription"))
@if_match_documented(webhooks_blp)
def delete_webhook(subscription_id):
    """Delete a subscription and its delivery log (admin)."""
    with unit_of_work() as uow:
        webhooks.delete_webhook(uow, current_principal(), subscription_id, if_match=require_if_match)
    return None


@webhooks_blp.route("/<subscription_id>/enable", methods=["POST"])
@webhooks_blp.response(200, WebhookOut)
@_errors(webhooks_blp, (404, "No such subscription"), (409, "Already active"), (412, "Stale If-Match"))
def enable_webhook(subscription_id):
    """Re-enable a disabled subscription (admin); new events flow again. Replay what it missed with /replay."""
    with unit_of_work() as uow:
        return _with_etag(
            webhooks.set_status(uow, current_principal(), subscription_id, "enable", if_match=check_if_match)
        )


@webhooks_blp.route("/<subscription_id>/disable", methods=["POST"])
@webhooks_blp.response(200, WebhookOut)
@_errors(webhooks_blp, (404, "No such subscription"), (409, "Already disabled"), (412, "Stale If-Match"))
def disable_webhook(subscription_id):
    """Disable a subscription (admin): its waiting deliveries and new events are held until it is re-enabled."""
    with unit_of_work() as uow:
        return _with_etag(
            webhooks.set_status(uow, current_principal(), subscription_id, "disable", if_match=check_if_match)
        )


@webhooks_blp.route("/<subscription_id>/replay", methods=["POST"])
@webhooks_blp.arguments(ReplayIn, required=False)
@webhooks_blp.response(200, ReplayOut)
@_errors(webhooks_blp, (404, "No such subscription"), (409, "Subscription disabled"), (422, "Bad status or time"))
def replay_webhook(body, subscription_id):
    """Send again the deliveries that failed or were held (admin), optionally only those since an instant."""
    body = body or {}
    with unit_of_work() as uow:
        return webhooks.replay(uow, current_principal(), subscription_id, body.get("statuses"), body.get("since"))


@webhooks_blp.route("/<subscription_id>/deliveries")
@webhooks_blp.arguments(DeliveryQuery, location="query")
@webhooks_blp.response(200, DeliveryPage)
@_errors(webhooks_blp, (400, "Bad cursor"), (404, "No such subscription"))
def list_deliveries(args, subscription_id):
    """The subscription's delivery log (admin), newest first; filter by status."""
    with unit_of_work() as uow:
        return webhooks.list_deliveries(uow, current_principal(), subscription_id, args)


@webhooks_blp.route("/<subscription_id>/deliveries/<int:delivery_id>")
@webhooks_blp.response(200, DeliveryDetail)
@_errors(webhooks_blp, (404, "No such delivery"))
def get_delivery(subscription_id, delivery_id):
    """One delivery with every attempt: when, HTTP status or error, duration (admin)."""
    with unit_of_work() as uow:
        return webhooks.get_delivery(uow, current_principal(), subscription_id, delivery_id)
