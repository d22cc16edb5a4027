"""notification-service tables (SQLAlchemy Core) plus the platform tables from kinerja_shared.

Read models kept from other services' events: ``contacts`` (EmployeeUpserted), ``acting_heads``
(UnitHeadAssigned), ``plan_states``,
``activity_states``, ``evaluation_states`` (what the reminders ask about). Own data: the inbox
(``notifications`` with ``digest_members``), person settings, the e-mail queue, webhook
subscriptions with their deliveries and attempts, and ``reminders_sent`` (one row per person,
reminder and local date: the guarantee that a reminder goes out at most once a day).
"""

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from kinerja_shared.acting_heads import acting_heads_table
from kinerja_shared.db import BigId, UTCDateTime, new_metadata

metadata = new_metadata()

NIP = 18

# -- read models -----------------------------------------------------------------------------

contacts = Table(
    "contacts",
    metadata,
    Column("nip", String(NIP), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("email", String(254)),
    Column("unit_id", String(64), nullable=False, index=True),
    Column("unit_name", String(200)),
    Column("unit_path", JSON, nullable=False),  # unit ids from the root OPD down to the employee's unit
    Column("unit_path_key", String(2000), nullable=False),  # "/opd/sub/unit/": find a unit's whole subtree with LIKE
    Column("rater_nip", String(NIP), index=True),
    Column("is_unit_head", Boolean, nullable=False, default=False),
    Column("active", Boolean, nullable=False, default=True),
    # what the SIASN channel sends about the person as the employee or the rater (siasn.py)
    Column("position", String(200)),
    Column("functional_level", String(2)),
    Column("siasn_pns_id", String(64)),
    Column("rank_code", String(8)),
    Column("updated_at", UTCDateTime(), nullable=False),
)

plan_states = Table(
    "plan_states",
    metadata,
    Column("plan_id", String(64), primary_key=True),
    Column("nip", String(NIP), nullable=False, index=True),
    Column("rater_nip", String(NIP), index=True),
    Column("year", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # submitted, approved, returned
    Column("period_start", Date),
    Column("period_end", Date),
    Column("updated_at", UTCDateTime(), nullable=False),
)

activity_states = Table(
    "activity_states",
    metadata,
    Column("activity_id", String(64), primary_key=True),
    Column("nip", String(NIP), nullable=False),
    Column("rater_nip", String(NIP)),
    Column("day", Date, nullable=False),
    Column("description", String(500)),
    Column("status", String(16), nullable=False),  # pending, accepted, rejected, withdrawn
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_activity_states_nip_day", "nip", "day"),
)

evaluation_states = Table(
    "evaluation_states",
    metadata,
    Column("evaluation_id", String(64), primary_key=True),
    Column("nip", String(NIP), nullable=False),
    Column("rater_nip", String(NIP), index=True),
    Column("period_id", String(32), nullable=False),
    Column("period_end", Date, nullable=False),
    Column("status", String(16), nullable=False),  # open, submitted, closed
    Column("updated_at", UTCDateTime(), nullable=False),
)

# RealisationSubmitted: whose realisation of a period is in (the employee's deadline reminder skips them)
realisation_states = Table(
    "realisation_states",
    metadata,
    Column("evaluation_id", String(64), primary_key=True),
    Column("nip", String(NIP), nullable=False),
    Column("rater_nip", String(NIP)),
    Column("submitted_at", UTCDateTime(), nullable=False),
)

# UnitHeadAssigned: acting heads (Plt./Plh.) of a unit for a span of dates (kinerja_shared.acting_heads)
acting_heads = acting_heads_table(metadata)

# -- people's choices ------------------------------------------------------------------------

person_settings = Table(
    "person_settings",
    metadata,
    Column("nip", String(NIP), primary_key=True),
    Column("locale", String(8)),  # NULL: the service default (id)
    Column("quiet_hours", String(16)),  # NULL: the service default; "off"; "21:00-06:00"
    Column("channels", JSON, nullable=False),  # {category: {inbox: bool, email: bool}}: overrides of the defaults
    Column("version", Integer, nullable=False, default=1),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# -- the inbox -------------------------------------------------------------------------------

notifications = Table(
    "notifications",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("recipient_nip", String(NIP), nullable=False),
    Column("category", String(40), nullable=False),
    Column("locale", String(8), nullable=False),
    Column("title", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("link", String(300)),
    Column("params", JSON, nullable=False),  # what the template was rendered with
    Column("item_count", Integer, nullable=False, default=1),  # digests: how many entries it covers
    Column("in_inbox", Boolean, nullable=False, default=True),  # False: the person wants this category by e-mail only
    Column("dedupe_key", String(200), nullable=False, unique=True),
    Column("cause_event_id", String(36)),
    Column("cause_event_type", String(64)),
    Column("correlation_id", String(64)),
    Column("read_at", UTCDateTime()),
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_notifications_recipient_id", "recipient_nip", "id"),
    Index("ix_notifications_recipient_updated", "recipient_nip", "updated_at"),
)

digest_members = Table(
    "digest_members",
    metadata,
    Column(
        "notification_id",
        BigId,
        ForeignKey("notifications.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("member_id", String(64), primary_key=True),  # e.g. the activity id: counted once however often it arrives
    Column("member_nip", String(NIP)),
    Column("added_at", UTCDateTime(), nullable=False),
)

# -- e-mail ----------------------------------------------------------------------------------

email_queue = Table(
    "email_queue",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("notification_id", BigId, ForeignKey("notifications.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("recipient_nip", String(NIP), nullable=False),
    Column("to_address", String(254), nullable=False),
    Column("status", String(16), nullable=False),  # pending, sent, failed, skipped
    Column("attempts", Integer, nullable=False, default=0),
    Column("not_before", UTCDateTime()),  # digest time (scheduler clock)
    Column("next_attempt_at", UTCDateTime(), nullable=False),  # retry backoff (real time)
    Column("last_error", Text),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("sent_at", UTCDateTime()),
    Index("ix_email_queue_status_next", "status", "next_attempt_at"),
)

# -- webhooks --------------------------------------------------------------------------------

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("url", String(2000), nullable=False),
    Column("event_types", JSON, nullable=False),
    Column("secret", Text, nullable=False),  # Fernet token (secretbox): never the secret in clear
    Column("secret_hint", String(8), nullable=False),  # its last four characters, shown by the API
    Column("description", String(500)),
    Column("status", String(16), nullable=False),  # active, disabled
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("disabled_at", UTCDateTime()),
    Column("disabled_reason", Text),
    Column("created_by", String(64), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("subscription_id", String(36), ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", String(36), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("payload", Text, nullable=False),  # the CloudEvent, as received
    Column("status", String(16), nullable=False),  # pending, delivered, failed, held (subscription disabled)
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime(), nullable=False),
    Column("last_status_code", Integer),
    Column("last_error", Text),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("delivered_at", UTCDateTime()),
    UniqueConstraint("subscription_id", "event_id", name="uq_webhook_deliveries_subscription_event"),
    Index("ix_webhook_deliveries_status_next", "status", "next_attempt_at"),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("delivery_id", BigId, ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("attempt", Integer, nullable=False),
    Column("attempted_at", UTCDateTime(), nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
    Column("duration_ms", Integer, nullable=False),
)

# -- the SIASN channel (siasn.py) -----------------------------------------------------------------

siasn_records = Table(
    "siasn_records",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("evaluation_id", String(64), nullable=False),
    Column("kind", String(16), nullable=False),  # skp22, kinerjaperiodik, angkakredit (the web service)
    Column("nip", String(NIP), nullable=False),
    Column("rater_nip", String(NIP)),
    Column("unit_id", String(64), nullable=False),
    Column("year", Integer, nullable=False),
    Column("period_id", String(32), nullable=False),
    Column("revision", Integer, nullable=False),  # the evaluation's revision the record is built from
    Column("evaluation", JSON, nullable=False),  # EvaluationClosed's data: the record is (re)built from it
    Column("status", String(16), nullable=False),  # needs_data, pending, sent, refused, failed, reopened
    Column("missing", JSON, nullable=False),  # needs_data: the fields the directory lacks
    Column("siasn_id", String(64)),  # SIASN's id (mapData): later sends update it
    Column("sent_revision", Integer),
    Column("document", String(16)),  # pending, uploaded; NULL: no document for this kind
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime(), nullable=False),
    Column("last_status_code", Integer),
    Column("last_error", Text),  # SIASN's message (a refusal) or what failed
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("sent_at", UTCDateTime()),
    UniqueConstraint("evaluation_id", "kind", name="uq_siasn_records_evaluation_kind"),
    Index("ix_siasn_records_status_next", "status", "next_attempt_at"),
    Index("ix_siasn_records_unit_year", "unit_id", "year"),
    Index("ix_siasn_records_nip", "nip"),
    Index("ix_siasn_records_rater", "rater_nip"),
)

# -- reminders -------------------------------------------------------------------------------

reminders_sent = Table(
    "reminders_sent",
    metadata,
    Column("nip", String(NIP), primary_key=True),
    Column("reminder", String(40), primary_key=True),
    Column("local_date", Date, primary_key=True),
    Column("notification_id", BigId),
    Column("sent_at", UTCDateTime(), nullable=False),
)
