"""The composition root of activity-service: what it stores, serves, publishes and consumes."""

from pathlib import Path

from kinerja_shared.service import ServiceSpec

from . import api, config, handlers, messages  # noqa: F401  (messages: the service's texts in Bahasa Indonesia)

# The route modules register their routes on api's blueprints; imported in this order (the OpenAPI document's).
from . import logging_api  # noqa: F401,I001  isort: skip
from . import activities_api  # noqa: F401  isort: skip
from . import verification_api  # noqa: F401  isort: skip
from . import repairs_api  # noqa: F401  isort: skip
from . import evidence_api  # noqa: F401  isort: skip
from . import summaries_api  # noqa: F401  isort: skip
from . import calendar_api  # noqa: F401  isort: skip
from .models import metadata

SPEC = ServiceSpec(
    name="activity-service",
    package="activity_service",
    title="Kinerja activity-service",
    description="Daily activities (kegiatan harian) against the indicators of approved plans, with evidence; "
    "verification by the rater; monthly summaries (minutes and quantities per indicator) for TPP and evaluation.",
    metadata=metadata,
    migrations_dir=Path(__file__).resolve().parent.parent / "migrations",
    blueprints=[api.activities_blp, api.indicators_blp, api.summaries_blp],
    config=config.ActivityConfig.from_settings,  # the service's own settings, validated at start-up
    handlers=handlers.HANDLERS,
    consumes=handlers.CONSUMES,
    read_models=(
        "employees",
        "employee_ancestors",
        "plans",
        "plan_indicators",
        "acting_heads",
        "agreed_actions",
        "action_sets",
    ),  # rebuilt from the topics by `activity-service rebuild-read-models`
)
