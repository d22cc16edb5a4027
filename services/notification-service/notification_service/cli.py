"""notification-service command line: migrate, web, worker, topics, dlq, check-config.

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
            raise click.ClickException(f"configuration error: {exc}")
        return original(*args, **kwargs)

    command.callback = callback


for _name in ("worker", "check-config"):
    _validated(cli.commands[_name])
