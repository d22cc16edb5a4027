"""One command-line interface per service, built from its ServiceSpec.

plan-service migrate          bring the database to the latest schema
plan-service web              serve the API with gunicorn (gunicorn.conf.py of the service)
plan-service worker           outbox relay + Kafka consumers + background jobs
plan-service topics           create the service's topics (partitions, replication)
plan-service dlq list         what waits in the service's dead-letter topics
plan-service dlq replay       re-publish dead letters to their original topics
plan-service check-config     validate the environment and print the effective settings
plan-service prune            delete published outbox rows and old Idempotency-Key answers
evaluation-service rebuild-read-models   empty the read models and fill them again from the topics
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict

import click

from .config import ConfigError, Settings
from .service import ServiceSpec


def make_cli(spec: ServiceSpec, app_factory_path: str) -> click.Group:
    def settings() -> Settings:
        try:
            loaded = Settings.from_env(spec.name)
            spec.load_config(loaded)  # the service's own settings are validated too
            return loaded
        except ConfigError as exc:
            raise click.ClickException(f"configuration error: {exc}") from exc

    @click.group(help=f"{spec.title}: {spec.description}", context_settings={"help_option_names": ["-h", "--help"]})
    def cli() -> None:
        pass

    @cli.command(help="Apply the database migrations (Alembic) up to REVISION (default: head).")
    @click.argument("revision", default="head")
    def migrate(revision: str) -> None:
        from .migrations import upgrade

        s = settings()
        upgrade(spec, s, revision)
        click.echo(f"{spec.name}: database at {revision} ({s.database_url.split('@')[-1]})")

    @cli.command(help="Serve the HTTP API with gunicorn (settings in the service's gunicorn.conf.py).")
    @click.option("--bind", default=None, help="host:port (default from PORT, else the service's port).")
    def web(bind: str | None) -> None:
        settings()
        conf = os.path.join(os.path.dirname(spec.migrations_dir), "gunicorn.conf.py")
        argv = ["gunicorn", "-c", conf]
        if bind:
            argv += ["--bind", bind]
        argv.append(app_factory_path)
        os.execvp(sys.executable, [sys.executable, "-m", *argv])

    @cli.command(help="Run the worker: outbox relay, Kafka consumers, background jobs. Stops on SIGTERM.")
    def worker() -> None:
        from .worker import run_worker

        run_worker(spec, settings())

    @cli.command(help="Create this service's topics (and dead-letter topics) if missing.")
    def topics() -> None:
        from .kafka_io import ensure_topics, topics_for
        from .logs import configure_logging

        s = settings()
        configure_logging(spec.name, s.log_level)
        names = topics_for(s, spec.consumer_group if spec.handlers else None, spec.consumes)
        created = ensure_topics(s, names)
        click.echo(json.dumps({"topics": names, "created": created}, indent=2))

    @cli.group(help="Inspect and replay the dead-letter topics of this service's consumer group.")
    def dlq() -> None:
        pass

    @dlq.command("list", help="List dead letters (without consuming them).")
    @click.option("--limit", default=100, show_default=True)
    def dlq_list(limit: int) -> None:
        from .dlq import list_dlq

        s = settings()
        for topic in spec.consumes:
            for row in list_dlq(s, topic, spec.consumer_group, limit=limit):
                click.echo(json.dumps(row, ensure_ascii=False))

    @dlq.command("replay", help="Re-publish dead letters to their original topic, once each.")
    @click.option("--topic", "only_topic", default=None, help="Only this consumed topic.")
    @click.option("--limit", default=None, type=int, help="At most this many records.")
    def dlq_replay(only_topic: str | None, limit: int | None) -> None:
        from .dlq import replay_dlq

        s = settings()
        for topic in spec.consumes:
            if only_topic and topic != only_topic:
                continue
            count = replay_dlq(s, topic, spec.consumer_group, limit=limit)
            click.echo(f"{topic}: replayed {count} dead letters")

    @cli.command(
        help="Delete delivery housekeeping rows: published outbox rows, old Idempotency-Key answers and, "
        "only when --inbox-days is given, old processed-event ids. Records and the audit trail are kept. "
        "Safe to run while the service runs (e.g. daily from cron or a Kubernetes CronJob)."
    )
    @click.option(
        "--outbox-days",
        default=7,
        show_default=True,
        type=click.IntRange(min=0),
        help="Keep published outbox rows this many days.",
    )
    @click.option(
        "--idempotency-days",
        default=7,
        show_default=True,
        type=click.IntRange(min=0),
        help="Keep stored Idempotency-Key answers this many days.",
    )
    @click.option(
        "--inbox-days",
        default=None,
        type=click.IntRange(min=1),
        help="Delete processed-event ids older than this; must exceed the topics' retention (default: keep).",
    )
    def prune(outbox_days: int, idempotency_days: int, inbox_days: int | None) -> None:
        from .db import make_engine
        from .retention import prune as prune_rows

        engine = make_engine(settings().database_url, pool_size=1)
        try:
            result = prune_rows(
                engine, outbox_days=outbox_days, idempotency_days=idempotency_days, inbox_days=inbox_days
            )
        finally:
            engine.dispose()
        click.echo(json.dumps(asdict(result)))

    if spec.read_models:

        @cli.command(
            "rebuild-read-models",
            help=(
                f"Rebuild the read models ({', '.join(spec.read_models)}) from the topics "
                f"({', '.join(spec.consumes)}): empty them and re-read every topic from the beginning, in one "
                "database transaction, applying again each event the worker had applied (events it has not reached "
                "stay for it). Repairs a read model a bug or a hand edit made wrong. Safe while the service runs: "
                "readers see the old rows until the commit, the worker waits and then goes on where it was; "
                "no notification, webhook or event is sent again. Prints its progress; exit 1 on failure (nothing "
                "changed)."
            ),
        )
        @click.option("--dry-run", is_flag=True, help="Do everything, report, then roll back: nothing changes.")
        @click.option(
            "--batch-size",
            default=500,
            show_default=True,
            type=click.IntRange(min=1, max=10000),
            help="Events read and applied together (one savepoint).",
        )
        def rebuild_read_models(dry_run: bool, batch_size: int) -> None:
            from .logs import configure_logging
            from .rebuild import rebuild_read_models as rebuild

            s = settings()
            configure_logging(spec.name, s.log_level)
            try:
                result = rebuild(spec, s, echo=click.echo, batch_size=batch_size, dry_run=dry_run)
            except Exception as exc:  # the transaction rolled back: nothing changed
                raise click.ClickException(f"rebuild failed, nothing changed: {exc!r}") from exc
            if result.failed:
                click.echo(
                    f"{len(result.failed)} events could not be applied (listed above); see `dlq list`.", err=True
                )

    @cli.command("check-config", help="Validate the environment and print the effective settings (secrets hidden).")
    def check_config() -> None:
        s = asdict(settings())
        for key in ("jwt_secret", "jwt_private_key"):
            if s.get(key):
                s[key] = "***"
        s.pop("extra", None)
        if "@" in s["database_url"]:
            scheme, rest = s["database_url"].split("://", 1)
            s["database_url"] = f"{scheme}://***@{rest.split('@', 1)[1]}"
        click.echo(json.dumps(s, indent=2, default=str))

    return cli
