"""notification-service command line: migrate, web, worker, topics, dlq, check-config, rotate-webhook-secrets.

``worker`` and ``check-config`` also validate this service's own settings (SMTP_*, KINERJA_*
of notification_service.config) and stop with a message naming the bad one.
"""

import click

from kinerja_shared.cli import make_cli
from kinerja_shared.config import ConfigError, Settings

from .config import NotifySettings
from .service import SPEC

cli = make_cli(SPEC, "notification_service.app:create_app()")


def _validated(command: click.Command) -> None:
    original = command.callback

    def callback(*args, **kwargs):
        try:
            NotifySettings.from_settings(Settings.from_env(SPEC.name))
        except ConfigError as exc:
            raise click.ClickException(f"configuration error: {exc}") from exc
        return original(*args, **kwargs)

    command.callback = callback


for _name in ("worker", "check-config"):
    _validated(cli.commands[_name])


@cli.command("rotate-webhook-secrets")
def rotate_webhook_secrets() -> None:
    """Re-encrypt every stored webhook secret with the newest key of NOTIFICATION_WEBHOOK_SECRET_KEYS.

    Rotating the key that encrypts webhook secrets at rest: (1) put a new key first in
    NOTIFICATION_WEBHOOK_SECRET_KEYS, the old key after it, and restart the web and worker
    processes; (2) run this command (once, any time; running it again changes nothing that
    matters); (3) remove the old key and restart. Secrets that no listed key decrypts are named
    and left as they are (exit status 1). One transaction: all or nothing is re-encrypted.
    """
    from kinerja_shared.db import make_engine
    from kinerja_shared.uow import UnitOfWork

    from .use_cases import webhooks

    try:
        settings = Settings.from_env(SPEC.name)
        box = NotifySettings.from_settings(settings).webhook_secrets
    except ConfigError as exc:
        raise click.ClickException(f"configuration error: {exc}") from exc
    engine = make_engine(settings.database_url)
    try:
        with UnitOfWork(engine) as uow:
            rotated, unreadable = webhooks.rotate_secrets(uow, box)
    finally:
        engine.dispose()
    click.echo(f"{SPEC.name}: {rotated} webhook secret(s) re-encrypted with the newest key")
    if unreadable:
        raise click.ClickException(
            f"{len(unreadable)} secret(s) no listed key decrypts (left as they are): " + ", ".join(unreadable)
        )
