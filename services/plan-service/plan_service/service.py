"""The composition root of plan-service: what it stores, serves, publishes and consumes."""
from pathlib import Path

from kinerja_shared.service import ServiceSpec

from . import api, handlers
from .models import metadata

SPEC = ServiceSpec(
    name="plan-service",
    package="plan_service",
    title="Kinerja plan-service",
    description="The org directory (units, employees, who rates whom) and performance plans (SKP): "
    "drafting, submission, approval, return and amendment.",
    metadata=metadata,
    migrations_dir=Path(__file__).resolve().parent.parent / "migrations",
    blueprints=[api.units_blp, api.employees_blp, api.plans_blp],
    handlers=handlers.HANDLERS,
    consumes=handlers.CONSUMES,
)
