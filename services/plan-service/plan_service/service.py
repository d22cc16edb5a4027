"""The composition root of plan-service: what it stores, serves, publishes and consumes."""

from pathlib import Path

from kinerja_shared.service import ServiceSpec

from . import api, documents_api, handlers, messages  # noqa: F401  (messages: the service's texts in Bahasa Indonesia)
from .config import PlanConfig
from .models import metadata

SPEC = ServiceSpec(
    name="plan-service",
    package="plan_service",
    title="Kinerja plan-service",
    description="The org directory (units, employees, who rates whom, imported from the HR master) and performance "
    "plans (SKP): drafting, submission, approval, return, amendments with every revision kept, templates per position, "
    "bulk approval, the cascade (Matriks Peran Hasil) and completion monitoring.",
    metadata=metadata,
    migrations_dir=Path(__file__).resolve().parent.parent / "migrations",
    blueprints=[*api.BLUEPRINTS, documents_api.verify_blp],
    handlers=handlers.HANDLERS,
    consumes=handlers.CONSUMES,
    config=PlanConfig.from_settings,  # PLAN_* settings, validated at start-up
)
