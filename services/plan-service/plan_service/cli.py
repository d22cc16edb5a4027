"""plan-service command line: migrate, web, worker, topics, dlq, check-config."""

from kinerja_shared.cli import make_cli

from .service import SPEC

cli = make_cli(SPEC, "plan_service.app:create_app()")
