"""The composition root of notification-service: what it stores, serves, publishes and consumes."""
from pathlib import Path

from kinerja_shared.service import ServiceSpec

from . import api, config, handlers, mailer, messages, reminders, siasn, siasn_api, webhooks  # noqa: F401  (messages: texts in Bahasa Indonesia)
from .models import metadata

SPEC = ServiceSpec(
    name="notification-service",
    package="notification_service",
    title="Kinerja notification-service",
    description="Per-user inbox (Bahasa Indonesia), e-mail over SMTP, reminders in WIB, and signed webhooks "
    "that relay events to systems that cannot consume Kafka, and the SIASN channel that delivers closed "
    "evaluations and credit points to BKN's SIASN.",
    metadata=metadata,
    migrations_dir=Path(__file__).resolve().parent.parent / "migrations",
    blueprints=[api.notifications_blp, api.preferences_blp, api.webhooks_blp, siasn_api.blp],
    handlers=handlers.HANDLERS,
    consumes=handlers.CONSUMES,
    read_models=("contacts", "acting_heads", "plan_states", "activity_states", "evaluation_states", "realisation_states"),  # rebuilt from the topics by `notification-service rebuild-read-models`
    read_model_handlers=handlers.READ_MODEL_HANDLERS,
    background=[mailer.sender, webhooks.dispatcher, reminders.scheduler, siasn.sender],
    config=config.NotifySettings.from_settings,  # the service's own settings, validated at start-up
)
