"""How the directory's and action plans' use cases refuse: broken rules as one 422 listing every field, a state
machine's refusal as the 409 plan-service has always answered (title and current status); a stale version as the
caller's VersionCheck says."""

from __future__ import annotations

from collections.abc import Callable

from kinerja_shared.transitions import StateMachine

from ..refusals import violations  # noqa: F401  (the one 422 listing every broken rule)

# (entity id, current version): checks the caller's If-Match (the routes pass kinerja_shared.web.etag's
# require_if_match or check_if_match), refused (412, 428) when stale or missing; None: no check (a test, a job)
VersionCheck = Callable[[str, int], None]


def next_state(machine: StateMachine, action: str, current: str) -> str:
    """``machine.next``, refused as a 409 titled "Status does not allow this" with the current status."""
    return machine.next(action, current)
