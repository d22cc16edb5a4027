"""The handlers of kinerja.activity.events (handlers.py routes the events here): the activity states the
reminders read, the rater's daily digest of pending entries, and the employee's items for a rejected,
corrected or annulled entry."""

from __future__ import annotations

from kinerja_shared.consumer import current_scope
from kinerja_shared.db import utcnow

from . import config, domain, inbox
from . import read_models_store as store
from .event_items import digest_member, event_date, event_instant, notify_one

# -- activities ----------------------------------------------------------------------------

_TRACKED = "notification.activity_states"
_KEEP = store.ACTIVITY_KEEP


def _write_tracked(conn) -> None:
    """Write the activity states tracked so far in this consumer transaction, in one statement."""
    scope = current_scope()
    rows = scope.memos.pop(_TRACKED, None) if scope is not None else None
    if rows:
        store.save_activity_states(conn, [rows[k] for k in sorted(rows)])


def track_activity(conn, d: dict, status: str) -> None:
    """The activity's state; a rater or description the event lacks keeps the stored one.

    In a consumer transaction the poll's states are merged per activity (a later event wins, a
    NULL rater or description keeps the earlier one, as successive upserts would) and written
    with one statement: before the first read of a state in the transaction and at the commit.
    """
    values = dict(
        activity_id=d["activity_id"],
        nip=d["nip"],
        rater_nip=d.get("rater_nip") or None,
        day=event_date(d["date"]),
        description=(d.get("description") or "")[:500] or None,
        status=status,
        updated_at=utcnow(),
    )
    scope = current_scope()
    if scope is None:
        store.save_activity_state(conn, values)
        return
    rows = scope.memos.setdefault(_TRACKED, {})
    earlier = rows.get(values["activity_id"])
    if earlier is not None:
        values.update({k: earlier[k] for k in _KEEP if values[k] is None})
    rows[values["activity_id"]] = values
    scope.before_commit(_TRACKED, lambda: _write_tracked(conn))


def on_activity_logged(conn, event) -> None:
    d = event.data
    track_activity(conn, d, d["status"])
    if d["status"] != "pending":
        return
    rater = d.get("rater_nip") or getattr(inbox.contact(conn, d["nip"]), "rater_nip", None)
    if not rater:
        return
    cfg = config.for_handlers()
    day = domain.local_date(event_instant(d.get("logged_at"), event["time"]), cfg.timezone)
    digest_member(
        conn,
        recipient=rater,
        category=domain.ACTIVITY_DIGEST,
        scope=day.isoformat(),
        member_id=d["activity_id"],
        member_nip=d["nip"],
        params={"date": day.isoformat()},
        cause=inbox.Cause.of(event),
        link=f"/activities?status=pending&logged_on={day.isoformat()}",
        email_not_before=domain.at_local(day, cfg.digest_email_time, cfg.timezone),
    )


def on_activity_updated(conn, event) -> None:
    track_activity(conn, event.data, event.data["status"])


def on_activity_withdrawn(conn, event) -> None:
    d = event.data
    _write_tracked(conn)  # an entry logged earlier in the same poll is withdrawn like any other
    store.withdraw_activity(conn, d["activity_id"], utcnow())


def _known_description(conn, activity_id: str) -> str | None:
    _write_tracked(conn)  # an entry logged earlier in the same poll is read like any other
    return store.activity_description(conn, activity_id)


def track_verified(conn, event) -> str | None:
    """The verified entry's state (the event has no description: the stored one stays); that description."""
    d = event.data
    known = _known_description(conn, d["activity_id"])
    track_activity(conn, {**d, "description": known}, d["decision"])
    return known


def track_annulled(conn, event) -> str | None:
    """An annulled entry counts nowhere: kept as withdrawn (as the reminders read it); its description."""
    known = _known_description(conn, event.data["activity_id"])
    store.withdraw_activity(conn, event.data["activity_id"], utcnow())
    return known


def on_activity_verified(conn, event) -> None:
    d = event.data
    known = track_verified(conn, event)
    if d["decision"] != "rejected":
        return
    notify_one(
        conn,
        event,
        d["nip"],
        domain.ACTIVITY_REJECTED,
        {
            "date": d["date"],
            "reason": d.get("reason") or "-",
            "description": known,
            "rater_name": inbox.name_of(conn, d.get("rater_nip")),
            "activity_id": d["activity_id"],
        },
        f"/activities/{d['activity_id']}",
    )


def _shown(value) -> str:
    """A changed value as the employee reads it: 9.0 as 9, nothing as '-'."""
    if value is None or value == "":
        return "-"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _tell_repair(conn, event, *, annulled: bool, by: str | None, description: str | None, changes: dict) -> None:
    d = event.data
    notify_one(
        conn,
        event,
        d["nip"],
        domain.ACTIVITY_CORRECTED,
        {
            "date": d["date"],
            "annulled": annulled,
            "actor_name": inbox.name_of(conn, by),
            "reason": d["reason"],
            "description": description,
            "activity_id": d["activity_id"],
            "changes": [
                {"field": k, "before": _shown(v.get("before")), "after": _shown(v.get("after"))}
                for k, v in changes.items()
            ],
        },
        f"/activities/{d['activity_id']}",
    )


def on_activity_corrected(conn, event) -> None:
    """A verified entry corrected (admin or the rater's superior): its new state, and the employee hears why."""
    d = event.data
    track_activity(conn, d, d["status"])
    _tell_repair(
        conn,
        event,
        annulled=False,
        by=d.get("corrected_by"),
        description=d.get("description"),
        changes=d.get("changes") or {},
    )


def on_activity_annulled(conn, event) -> None:
    """A verified entry annulled: it counts nowhere (kept as withdrawn, like the reminders read it)."""
    known = track_annulled(conn, event)
    _tell_repair(conn, event, annulled=True, by=event.data.get("annulled_by"), description=known, changes={})
