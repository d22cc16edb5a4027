"""kinerja-token: mint development tokens for the local run, the tests and the walkthrough."""

from __future__ import annotations

import click

from .auth import ROLES, mint_token
from .config import ConfigError, Settings


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--sub", required=True, help="The subject: the person's 18-digit NIP.")
@click.option("--name", default=None, help="Display name (defaults to the NIP).")
@click.option("--unit", default=None, help="The person's unit id.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(ROLES),
    default=("employee",),
    show_default=True,
    help="A role claim; repeat for several.",
)
@click.option("--ttl", default=8 * 3600, show_default=True, help="Lifetime in seconds.")
def main(sub: str, name: str | None, unit: str | None, roles: tuple[str, ...], ttl: int) -> None:
    """Print a signed JWT for development (HS256 with JWT_SECRET, or RS256 with JWT_PRIVATE_KEY)."""
    try:
        settings = Settings.from_env("token-cli")
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(mint_token(settings, sub=sub, name=name, unit=unit, roles=list(roles), ttl_seconds=ttl))


if __name__ == "__main__":  # pragma: no cover
    main()
