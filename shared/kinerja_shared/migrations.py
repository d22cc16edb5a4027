"""Alembic, wired once: every service's migrations/env.py calls ``run_migrations``."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData

from .config import Settings
from .db import make_engine


def alembic_config(spec, database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(spec.migrations_dir))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    cfg.attributes["target_metadata"] = spec.metadata
    return cfg


def upgrade(spec, settings: Settings, revision: str = "head") -> None:
    """Bring the service's database to ``revision`` (creates the SQLite file if needed)."""
    engine = make_engine(settings.database_url)
    try:
        cfg = alembic_config(spec, settings.database_url)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            cfg.attributes["settings"] = settings  # for data migrations that need a setting (a key)
            command.upgrade(cfg, revision)
    finally:
        engine.dispose()


def run_migrations(metadata: MetaData) -> None:
    """The body of env.py: online migrations on the given or configured connection."""
    from alembic import context

    config = context.config
    connection = config.attributes.get("connection")
    if connection is None:
        engine = make_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as conn:
            _run(context, conn, metadata)
        engine.dispose()
    else:
        _run(context, connection, metadata)


def _run(context, connection, metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
