"""PerformanceDialogueRecorded: the performance dialogue (dialog kinerja) was recorded, changed or confirmed.

Whoever's confirmation it awaits hears it (in their locale, Bahasa Indonesia by default): the
employee when the rater recorded it, the rater when the employee did, the other party again after
an edit or a correction. A confirmation by both tells nobody. Idempotent twice over: the consumer's
inbox drops a redelivered event, and the item's key is the dialogue's version (one item per version
and recipient), so the same version published again adds nothing either.
"""

from __future__ import annotations

from kinerja_shared.context import joined_unit_of_work

from . import config, domain, inbox
from .use_cases import notifications


def awaiting(data: dict) -> tuple[str | None, str | None]:
    """(who must confirm, who acted) from the event's confirmations; (None, None) once both confirmed."""
    if not data.get("confirmed_by_employee_at"):
        return data["nip"], data["rater_nip"]
    if not data.get("confirmed_by_rater_at"):
        return data["rater_nip"], data["nip"]
    return None, None


def on_performance_dialogue_recorded(conn, event) -> None:
    d = event.data
    recipient, actor = awaiting(d)
    if recipient is None or d.get("status") == "confirmed":
        return
    key = domain.event_item_key(domain.DIALOGUE_AWAITING, f"{d['dialogue_id']}.v{d['version']}", recipient)
    with joined_unit_of_work(conn) as uow:
        notifications.notify(
            uow,
            config.for_handlers(),
            recipient=recipient,
            category=domain.DIALOGUE_AWAITING,
            params={
                "actor_name": inbox.name_of(conn, actor),
                "stage": d["stage"],
                "held_on": d["held_on"],
                "period_id": d.get("period_id"),
                "topics": d.get("topics") or "",
                "follow_ups": d.get("follow_ups"),
                "action": d.get("action") or "recorded",
                "dialogue_id": d["dialogue_id"],
            },
            dedupe_key=key,
            cause=inbox.Cause.of(event),
            link=f"/dialogues/{d['dialogue_id']}",
        )
