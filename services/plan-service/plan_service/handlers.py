"""Events plan-service consumes: none yet (it is the source of the org directory and plans)."""

HANDLERS: dict = {}
CONSUMES: list[str] = []
