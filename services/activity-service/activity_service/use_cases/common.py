"""What the use cases of activity-service share: turning a broken domain rule into a refusal naming its field."""

from __future__ import annotations

from contextlib import contextmanager

from kinerja_shared.errors import Conflict, field_error

from .. import domain
from ..domain import DomainError

ENTITY = "activity"  # the audit rows' entity_type


@contextmanager
def rules():
    """Turn a broken domain rule into a refusal naming the field (422, or 413/415 for uploads)."""
    try:
        yield
    except DomainError as exc:
        raise field_error(exc.field, exc.message, status=exc.status) from None


def overlap_problem(clash_id, clash_start, clash_end, day) -> Conflict:
    span = f" ({domain.format_hhmm(clash_start)}-{domain.format_hhmm(clash_end)})" if clash_id is not None else ""
    return Conflict(
        f"The entry overlaps your activity {clash_id}{span} on {day.isoformat()}.",
        title="Overlapping activity",
        clashing_activity_id=clash_id,
        errors=[{"field": "start_time", "message": f"overlaps activity {clash_id}"}],
    )
