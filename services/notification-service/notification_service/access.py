"""Who may do what in notification-service (called by the use cases; raise Forbidden or NotFound).

- the inbox and the preferences: each person only their own (the queries are scoped to the caller's
  NIP, so another person's item is simply not found);
- webhooks and the SIASN channel: admins (BKPSDM) only.
"""

from __future__ import annotations

from kinerja_shared.errors import Forbidden


def may_manage_webhooks(actor) -> None:
    if not actor.is_admin:
        raise Forbidden("Only an admin (BKPSDM) may manage webhook subscriptions.")


def may_see_siasn(actor) -> None:
    if not actor.is_admin:
        raise Forbidden("Only an admin (BKPSDM) may see and resend the records sent to SIASN.")


def own_inbox(actor) -> str:
    """The NIP whose inbox and preferences the caller reaches: their own."""
    return actor.sub
