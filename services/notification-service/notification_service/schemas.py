"""Request and response schemas (marshmallow) of notification-service; they generate the OpenAPI document."""

import marshmallow as ma
from marshmallow import validate as v

from kinerja_shared.web.pagination import PageArgs

from .domain import CATEGORIES, LOCALES, PERSON_CHANNELS
from .handlers import WEBHOOK_EVENT_TYPES
from .webhooks import DELIVERY_STATUSES, FAILED, HELD

HHMM = v.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", error="must be a time HH:MM between 00:00 and 23:59")


# -- the inbox -------------------------------------------------------------------------------


class NotificationOut(ma.Schema):
    id = ma.fields.Integer()
    category = ma.fields.String(
        metadata={"description": "What the notification is about; see GET /api/v1/notifications/preferences"}
    )
    title = ma.fields.String(metadata={"description": "One line, Bahasa Indonesia by default"})
    body = ma.fields.String()
    link = ma.fields.String(
        allow_none=True, metadata={"description": "Where a client should take the reader (client route)"}
    )
    count = ma.fields.Integer(
        attribute="item_count", metadata={"description": "Digests: how many entries the item covers"}
    )
    data = ma.fields.Dict(attribute="params", metadata={"description": "The values the text was written from"})
    read = ma.fields.Boolean()
    read_at = ma.fields.DateTime(allow_none=True)
    version = ma.fields.Integer(metadata={"description": "Grows when a digest is updated or the item is read"})
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    cause_event_id = ma.fields.String(
        allow_none=True, metadata={"description": "The event that caused it (none for reminders)"}
    )
    cause_event_type = ma.fields.String(allow_none=True)
    correlation_id = ma.fields.String(
        allow_none=True, metadata={"description": "Traces it back to the request that started the chain"}
    )


class NotificationPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(NotificationOut))
    next_cursor = ma.fields.String(allow_none=True)


class NotificationQuery(PageArgs):
    unread = ma.fields.Boolean(metadata={"description": "true: only unread; false: only read"})
    category = ma.fields.String(validate=v.OneOf(CATEGORIES))


class UnreadCountOut(ma.Schema):
    unread = ma.fields.Integer()
    by_category = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())


class ReadAllIn(ma.Schema):
    category = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=v.OneOf(CATEGORIES),
        metadata={"description": "Only this category (default: all)"},
    )


class ReadAllOut(ma.Schema):
    marked = ma.fields.Integer(metadata={"description": "How many items became read"})


class StreamQuery(ma.Schema):
    last_event_id = ma.fields.String(
        load_default=None,
        validate=v.Length(max=200),
        metadata={"description": "Resume after this SSE id (the Last-Event-ID header wins)"},
    )


# -- preferences -----------------------------------------------------------------------------


class ChannelChoice(ma.Schema):
    inbox = ma.fields.Boolean()
    email = ma.fields.Boolean()


class CategoryPreference(ma.Schema):
    inbox = ma.fields.Boolean()
    email = ma.fields.Boolean()
    customised = ma.fields.Boolean(metadata={"description": "false: the defaults apply"})
    description = ma.fields.String()


class QuietHours(ma.Schema):
    start = ma.fields.String(required=True, validate=HHMM, metadata={"example": "21:00"})
    end = ma.fields.String(required=True, validate=HHMM, metadata={"example": "06:00"})


class PreferencesOut(ma.Schema):
    nip = ma.fields.String()
    locale = ma.fields.String(metadata={"description": "Language of messages: id (Bahasa Indonesia) or en"})
    quiet_hours = ma.fields.Nested(
        QuietHours, allow_none=True, metadata={"description": "Local times (WIB) without e-mail; null: none"}
    )
    quiet_hours_default = ma.fields.Boolean(metadata={"description": "true: the service default applies"})
    categories = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(CategoryPreference))
    version = ma.fields.Integer()


class PreferencesPatch(ma.Schema):
    locale = ma.fields.String(
        allow_none=True, validate=v.OneOf(LOCALES), metadata={"description": "null: back to the service default"}
    )
    quiet_hours = ma.fields.Nested(QuietHours, allow_none=True, metadata={"description": "null: no quiet hours"})
    quiet_hours_default = ma.fields.Boolean(metadata={"description": "true: back to the service default quiet hours"})
    categories = ma.fields.Dict(
        keys=ma.fields.String(validate=v.OneOf(CATEGORIES)),
        values=ma.fields.Nested(ChannelChoice),
        metadata={"description": f"Per category, the channels ({', '.join(PERSON_CHANNELS)}) to change"},
    )
    reset_categories = ma.fields.List(
        ma.fields.String(validate=v.OneOf(CATEGORIES)),
        load_default=list,
        metadata={"description": "Categories to put back to the defaults"},
    )


# -- webhooks --------------------------------------------------------------------------------

EVENT_TYPE = ma.fields.String(validate=v.OneOf([*WEBHOOK_EVENT_TYPES, "*"]))


def _url(**kw):
    return ma.fields.Url(
        schemes={"http", "https"},
        require_tld=False,
        validate=v.Length(max=2000),
        metadata={
            "description": "Where deliveries are POSTed (https in production); a public address "
            "unless NOTIFICATION_WEBHOOK_ALLOWED_HOSTS allows an internal one"
        },
        **kw,
    )


SECRET = ma.fields.String(
    validate=v.Length(min=16, max=200),
    load_only=True,
    metadata={"description": "HMAC-SHA256 key, at least 16 characters (generated when omitted)"},
)


class WebhookIn(ma.Schema):
    url = _url(required=True)
    event_types = ma.fields.List(
        EVENT_TYPE,
        required=True,
        validate=v.Length(min=1, max=50),
        metadata={"description": 'Event types to relay, or ["*"] for all'},
    )
    secret = SECRET
    description = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=500))


class WebhookPatch(ma.Schema):
    url = _url()
    event_types = ma.fields.List(EVENT_TYPE, validate=v.Length(min=1, max=50))
    secret = SECRET
    description = ma.fields.String(allow_none=True, validate=v.Length(max=500))


class WebhookOut(ma.Schema):
    id = ma.fields.String()
    url = ma.fields.String()
    event_types = ma.fields.List(ma.fields.String())
    description = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"description": "active or disabled"})
    consecutive_failures = ma.fields.Integer()
    disabled_at = ma.fields.DateTime(allow_none=True)
    disabled_reason = ma.fields.String(allow_none=True)
    secret_hint = ma.fields.String(metadata={"description": "The secret's last four characters"})
    created_by = ma.fields.String()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    version = ma.fields.Integer()


class WebhookCreated(WebhookOut):
    secret = ma.fields.String(metadata={"description": "Shown once, at creation: keep it to verify signatures"})


class WebhookPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(WebhookOut))
    next_cursor = ma.fields.String(allow_none=True)


class AttemptOut(ma.Schema):
    attempt = ma.fields.Integer()
    attempted_at = ma.fields.DateTime()
    status_code = ma.fields.Integer(allow_none=True)
    error = ma.fields.String(allow_none=True)
    duration_ms = ma.fields.Integer()


class DeliveryOut(ma.Schema):
    id = ma.fields.Integer()
    subscription_id = ma.fields.String()
    event_id = ma.fields.String()
    event_type = ma.fields.String()
    status = ma.fields.String(metadata={"description": "pending, delivered, failed, held (subscription disabled)"})
    attempts = ma.fields.Integer()
    next_attempt_at = ma.fields.DateTime()
    last_status_code = ma.fields.Integer(allow_none=True)
    last_error = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    delivered_at = ma.fields.DateTime(allow_none=True)


class DeliveryDetail(DeliveryOut):
    attempt_log = ma.fields.List(ma.fields.Nested(AttemptOut))


class DeliveryPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(DeliveryOut))
    next_cursor = ma.fields.String(allow_none=True)


class DeliveryQuery(PageArgs):
    status = ma.fields.String(validate=v.OneOf(DELIVERY_STATUSES))


class ReplayIn(ma.Schema):
    since = ma.fields.AwareDateTime(
        load_default=None, allow_none=True, metadata={"description": "Only deliveries created at or after this instant"}
    )
    statuses = ma.fields.List(
        ma.fields.String(validate=v.OneOf([FAILED, HELD])),
        load_default=lambda: [FAILED, HELD],
        validate=v.Length(min=1),
        metadata={"description": "Which deliveries to send again"},
    )


class ReplayOut(ma.Schema):
    replayed = ma.fields.Integer()
