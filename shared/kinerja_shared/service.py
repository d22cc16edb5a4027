"""What makes a service: one ServiceSpec per service, the composition root both processes read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import MetaData

from .consumer import Handler
from .events.catalog import TOPICS


@dataclass
class ServiceSpec:
    name: str  # "plan-service": the source of its events and its consumer group
    package: str  # "plan_service"
    title: str  # shown in the OpenAPI document
    description: str
    metadata: MetaData  # its tables plus the platform tables (db.new_metadata)
    migrations_dir: Path
    blueprints: list = field(default_factory=list)  # flask-smorest blueprints
    handlers: dict[str, Handler] = field(default_factory=dict)  # event type -> handler(conn, event)
    consumes: list[str] = field(default_factory=list)  # topics read by the worker
    # run by the worker: kinerja_shared.jobs.PeriodicJob (one round at a time, on the runtime's clock),
    # or a plain fn(settings, engine, stop) that owns its loop (the document-job queue)
    background: list = field(default_factory=list)
    init_app: Callable | None = None  # fn(app): service-specific setup of the web app
    config: Callable | None = (
        None  # fn(settings) -> the service's own settings (ACTIVITY_*, SMTP_*...), validated at start-up
    )
    # The read models kept from consumed events (table names, emptied and rebuilt by `rebuild-read-models`)
    # and the handlers that rebuild them: only what writes those tables, no notification, webhook or
    # event of the service's own (default: ``handlers``).
    read_models: tuple[str, ...] = ()
    read_model_handlers: dict[str, Handler] | None = None

    def load_config(self, settings):
        """The service's own settings, read and validated once (ConfigError names a bad one)."""
        return self.config(settings) if self.config is not None else None

    @property
    def topic(self) -> str:
        return TOPICS[self.name]

    @property
    def consumer_group(self) -> str:
        return self.name
