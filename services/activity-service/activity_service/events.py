"""The events activity-service publishes, built from its rows (event-carried state transfer).

Every event is keyed by the employee's NIP, so one employee's entries stay in order.
"""

from __future__ import annotations

from kinerja_shared.events import make_event

from .domain import format_hhmm

SOURCE = "activity-service"


def _iso(value):
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def _evidence(items) -> list[dict]:
    keep = ("kind", "url", "file_id", "name", "sha256", "content_type", "size")
    return [{k: item[k] for k in keep if k in item} for item in (items or [])]


def activity_state(row) -> dict:
    """The full state of an entry, as ActivityLogged and ActivityUpdated carry it."""
    return {
        "activity_id": row["id"],
        "nip": row["nip"],
        "rater_nip": row["rater_nip"],
        "unit_id": row["unit_id"],
        "plan_id": row["plan_id"],
        "result_id": row["result_id"],
        "indicator_id": row["indicator_id"],
        "action_id": row.get("action_id"),
        "date": row["date"].isoformat(),
        "start_time": format_hhmm(row["start_min"]),
        "end_time": format_hhmm(row["end_min"]),
        "minutes": row["minutes"],
        "description": row["description"],
        "quantity": row["quantity"],
        "quantity_unit": row["quantity_unit"],
        "evidence": _evidence(row["evidence"]),
        "status": row["status"],
        "version": row["version"],
    }


def _common(row) -> dict:
    return dict(source_service=SOURCE, subject=row["id"], partitionkey=row["nip"])


def activity_logged(row) -> dict:
    return make_event(
        "ActivityLogged", **_common(row), data={**activity_state(row), "logged_at": _iso(row["created_at"])}
    )


def activity_updated(row) -> dict:
    return make_event(
        "ActivityUpdated", **_common(row), data={**activity_state(row), "updated_at": _iso(row["updated_at"])}
    )


def activity_withdrawn(row) -> dict:
    return make_event(
        "ActivityWithdrawn",
        **_common(row),
        data={
            "activity_id": row["id"],
            "nip": row["nip"],
            "rater_nip": row["rater_nip"],
            "indicator_id": row["indicator_id"],
            "plan_id": row["plan_id"],
            "result_id": row["result_id"],
            "unit_id": row["unit_id"],
            "date": row["date"].isoformat(),
            "minutes": row["minutes"],
            "quantity": row["quantity"],
            "version": row["version"],
            "withdrawn_at": _iso(row["updated_at"]),
        },
    )


def activity_verified(row) -> dict:
    return make_event(
        "ActivityVerified",
        **_common(row),
        data={
            "activity_id": row["id"],
            "nip": row["nip"],
            "rater_nip": row["verified_by"],
            "indicator_id": row["indicator_id"],
            "plan_id": row["plan_id"],
            "result_id": row["result_id"],
            "unit_id": row["unit_id"],
            "date": row["date"].isoformat(),
            "decision": row["status"],
            "reason": row["verification_reason"],
            "minutes": row["minutes"],
            "quantity": row["quantity"],
            "quantity_unit": row["quantity_unit"],
            "version": row["version"],
            "verified_at": _iso(row["verified_at"]),
        },
    )


def activity_corrected(row, *, changes: dict, reason: str, by: str) -> dict:
    """A verified entry corrected by an admin or the rater's superior: the whole new state (higher version)
    and the changed fields with their values before and after."""
    return make_event(
        "ActivityCorrected",
        **_common(row),
        data={
            **activity_state(row),
            "corrected_by": by[:255],
            "reason": reason,
            "changes": {name: {"before": before, "after": after} for name, (before, after) in changes.items()},
            "corrected_at": _iso(row["updated_at"]),
        },
    )


def activity_annulled(row, *, previous_status: str, reason: str, by: str) -> dict:
    """A verified entry annulled by an admin or the rater's superior: it counts nowhere from now on."""
    return make_event(
        "ActivityAnnulled",
        **_common(row),
        data={
            "activity_id": row["id"],
            "nip": row["nip"],
            "rater_nip": row["rater_nip"],
            "unit_id": row["unit_id"],
            "plan_id": row["plan_id"],
            "result_id": row["result_id"],
            "indicator_id": row["indicator_id"],
            "date": row["date"].isoformat(),
            "minutes": row["minutes"],
            "quantity": row["quantity"],
            "quantity_unit": row["quantity_unit"],
            "previous_status": previous_status,
            "status": row["status"],
            "version": row["version"],
            "annulled_by": by[:255],
            "reason": reason,
            "annulled_at": _iso(row["updated_at"]),
        },
    )
