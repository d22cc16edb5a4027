"""The composition root of notification-service: what it stores, serves, publishes and consumes."""

from pathlib import Path

from kinerja_shared.service import ServiceSpec

# messages: the texts in Bahasa Indonesia
from . import (  # noqa: F401
    config,
    handlers,
    inbox_api,
    mailer,
    messages,
    preferences_api,
    reminders,
    siasn,
    siasn_api,
    webhooks,
    webhooks_api,
)
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
    blueprints=[inbox_api.notifications_blp, preferences_api.preferences_blp, webhooks_api.webhooks_blp, siasn_api.blp],
    handlers=handlers.HANDLERS,
    consumes=handlers.CONSUMES,
    read_models=(
        "contacts",
        "acting_heads",
        "plan_states",
        "activity_states",
        "evaluation_states",
        "realisation_states",
    ),  # rebuilt from the topics by `notification-service rebuild-read-models`
    read_model_handlers=handlers.READ_MODEL_HANDLERS,
    background=[mailer.JOB, webhooks.JOB, reminders.JOB, siasn.JOB],  # PeriodicJobs on the runtime's clock
    config=config.NotifySettings.from_settings,  # the service's own settings, validated at start-up
)
