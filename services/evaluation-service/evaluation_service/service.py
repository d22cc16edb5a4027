"""The composition root of evaluation-service: what it stores, serves, publishes and consumes."""

from pathlib import Path

from kinerja_shared.service import ServiceSpec

from . import (  # noqa: F401
    api,
    config,
    dialogues_api,
    document_jobs,
    document_jobs_api,
    documents_api,
    evaluations_api,
    feedback_api,
    handlers,
    messages,
    periods_api,
    realisation_api,
    realisation_messages,
    rules_api,
    units_api,  # (messages: the service's texts in Bahasa Indonesia)
)
from .models import metadata
from .use_cases import periods

SPEC = ServiceSpec(
    name="evaluation-service",
    package="evaluation_service",
    title="Kinerja evaluation-service",
    description="Periods, periodic and annual evaluations (the rater's form, the results-rating suggestion, "
    "the rating matrix), continuous feedback, organisational predicates, SE 03/2023 distribution checks and "
    "calibration, exports for payroll and BKN, and unit dashboards.",
    metadata=metadata,
    migrations_dir=Path(__file__).resolve().parent.parent / "migrations",
    blueprints=[
        evaluations_api.evaluations_blp,
        realisation_api.realisation_blp,
        feedback_api.feedback_blp,
        units_api.units_blp,
        periods_api.periods_blp,
        dialogues_api.dialogues_blp,
        documents_api.verify_blp,
        rules_api.rules_blp,
    ],
    handlers=handlers.HANDLERS,
    consumes=handlers.CONSUMES,
    read_models=(
        "units",
        "employees",
        "acting_heads",
        "plans",
        "activities",
        "agreed_actions",
        "action_sets",
        "unit_ancestors",  # the units' closure (kinerja_shared.unit_tree), refilled with the units
    ),  # rebuilt from the topics by `evaluation-service rebuild-read-models`
    read_model_handlers=handlers.READ_MODEL_HANDLERS,
    background=[periods.PERIOD_CLOCK, document_jobs.document_job_runner],  # + the bulk document ZIPs (issue 17)
    config=config.EvaluationConfig.from_settings,  # the service's own settings, validated at start-up
)
