"""The rules of daily activities (kegiatan harian), in plain Python.

No Flask, no SQLAlchemy: tested alone in tests/test_domain.py. The use cases turn a
``DomainError`` into a 422 naming its field; ``ACTIVITY`` (the state machine) refuses with a 409.
"""

from __future__ import annotations

import bisect
import calendar
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from kinerja_shared.numbers import MAX_ENTRY_QUANTITY, finite, usable_quantity
from kinerja_shared.transitions import StateMachine


class DomainError(ValueError):
    """A rule was broken; ``field`` names what the caller should fix."""

    def __init__(self, field: str, message: str, status: int = 422):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.status = status


# -- statuses and their transitions --------------------------------------------------------

PENDING, ACCEPTED, REJECTED, WITHDRAWN, ANNULLED = "pending", "accepted", "rejected", "withdrawn", "annulled"
STATUSES = (PENDING, ACCEPTED, REJECTED, WITHDRAWN, ANNULLED)
DECISIONS = (ACCEPTED, REJECTED)
VERIFIED = (ACCEPTED, REJECTED)
# Entries that occupy their time range: a rejected, withdrawn or annulled entry frees it for a corrected one.
OCCUPYING = (PENDING, ACCEPTED)
# Entries that count nowhere (summaries, compliance, realisation): withdrawn by the employee, or annulled.
NOT_COUNTED = (WITHDRAWN, ANNULLED)


def _refusal(action: str, current: str) -> str:
    """The refusal's text (the Indonesian catalogue in messages.py holds its translations)."""
    if action in ("correct", "annul"):
        return (
            f"cannot {action} this activity: it is {current} "
            "(allowed only once verified; the employee edits or withdraws a pending entry)"
        )
    why = f"it was verified ({current}) and is locked" if current in (ACCEPTED, REJECTED) else f"it is {current}"
    return f"cannot {action} this activity: {why} (allowed only while pending)"


# The lifecycle of an entry: action -> {from: to}. Repairs of a verified entry by an admin or the rater's
# superior: a correction keeps the status, an annulment ends it.
ACTIVITY = StateMachine(
    "activity",
    {
        "edit": {PENDING: PENDING},
        "withdraw": {PENDING: WITHDRAWN},
        "accept": {PENDING: ACCEPTED},
        "reject": {PENDING: REJECTED},
        "correct": {status: status for status in VERIFIED},
        "annul": {status: ANNULLED for status in VERIFIED},
    },
    describe=_refusal,
)
TRANSITIONS = ACTIVITY.table


def next_status(action: str, current: str) -> str:
    """The status after ``action``; InvalidTransition (409, "Status does not allow this") when the status forbids it."""
    return ACTIVITY.next(action, current)


# -- repairs of verified entries ------------------------------------------------------------

CORRECTABLE = ("quantity", "quantity_unit", "description", "indicator_id")


def check_repair_reason(reason: str | None) -> str:
    """Every correction and annulment names its reason (it goes to the audit trail and the event)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason", "is required: say why the verified entry is corrected or annulled")
    return reason


def correction(current: Mapping, body: Mapping) -> dict:
    """The fields a correction really changes, as {field: (before, after)}; checks each new value.

    ``body`` holds some of CORRECTABLE; a value equal to the stored one is no change. A
    correction that changes nothing is refused (naming the body), so every correction event
    carries at least one change.
    """
    changes: dict = {}
    for name in CORRECTABLE:
        if name not in body:
            continue
        value = body[name]
        if name == "quantity":
            check_quantity(value)
            value = float(value)
        elif name == "description":
            value = (value or "").strip()
            if not value:
                raise DomainError("description", "must not be blank")
        elif name == "quantity_unit":
            value = (value or "").strip() or None
        if value != current[name]:
            changes[name] = (current[name], value)
    if not changes:
        raise DomainError(
            "(body)", f"send at least one of {', '.join(CORRECTABLE)} with a value other than the stored one"
        )
    return changes


def check_decision(decision: str, reason: str | None) -> str | None:
    """A rater's decision: accepted, or rejected with a reason. Returns the cleaned reason."""
    if decision not in DECISIONS:
        raise DomainError("decision", f"must be one of {', '.join(DECISIONS)}")
    reason = (reason or "").strip() or None
    if decision == REJECTED and reason is None:
        raise DomainError("reason", "is required when rejecting an activity")
    return reason


# -- time of day ---------------------------------------------------------------------------

_HHMM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


def parse_hhmm(value: str, field_name: str = "start_time") -> int:
    """'07:30' -> 450 (minutes after local midnight)."""
    match = _HHMM.match(value or "")
    if not match:
        raise DomainError(field_name, "must be a time of day HH:MM between 00:00 and 23:59")
    return int(match.group(1)) * 60 + int(match.group(2))


def format_hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def duration(start_time: str, end_time: str) -> tuple[int, int, int]:
    """(start, end, minutes) of a time range; the end must come after the start (same day)."""
    start = parse_hhmm(start_time, "start_time")
    end = parse_hhmm(end_time, "end_time")
    if end <= start:
        raise DomainError("end_time", f"must be after start_time ({start_time})")
    return start, end, end - start


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Half-open ranges [start, end): 08:00-09:00 and 09:00-10:00 do not overlap."""
    return a_start < b_end and b_start < a_end


def first_overlap(start: int, end: int, others: Iterable[tuple[str, int, int]]) -> str | None:
    """The id of the first entry (id, start, end) whose range overlaps [start, end), else None."""
    for other_id, other_start, other_end in others:
        if overlaps(start, end, other_start, other_end):
            return other_id
    return None


# -- dates: no future, and the edit window -------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month_start(day: date) -> date:
    return month_start(month_start(day) - timedelta(days=1))


def edit_window_start(today: date, close_day: int) -> date:
    """The earliest date that may still be logged, edited or withdrawn.

    The previous month stays open until (and including) day ``close_day`` of this month, so
    payroll can close it: with close_day 5, on 5 March February is still open, on 6 March it
    is closed. close_day 0 closes the previous month as soon as the new one begins.
    """
    if close_day > 0 and today.day <= close_day:
        return previous_month_start(today)
    return month_start(today)


def check_date(day: date, today: date, close_day: int, field_name: str = "date") -> None:
    """No future dates, and none before the edit window."""
    if day > today:
        raise DomainError(field_name, f"must not be in the future (today is {today.isoformat()})")
    earliest = edit_window_start(today, close_day)
    if day < earliest:
        raise DomainError(
            field_name,
            f"is before the edit window: entries from {earliest.isoformat()} on may be "
            f"logged or changed (the previous month closes on day {close_day})",
        )


NON_WORKING_DAY_POLICIES = ("allow", "refuse")


def check_working_day(day: date, calendar, policy: str, field_name: str = "date") -> None:
    """Entries on a day off (a weekly day off or a holiday of the calendar) are refused when the
    deployment says so (ACTIVITY_NON_WORKING_DAYS=refuse); with ``allow`` they are taken and the
    console notes the day off."""
    if policy != "refuse" or calendar.is_working_day(day):
        return
    name = calendar.holiday(day)
    if name:
        raise DomainError(field_name, f"is a holiday ({name}); entries on days off are not accepted")
    raise DomainError(field_name, "falls on a weekly day off; entries on days off are not accepted")


def check_quantity(quantity: float | None) -> None:
    """A quantity within the per-entry bounds (the schema checks them too; an edit merges a stored value)."""
    if quantity is None or quantity != quantity:  # NaN
        raise DomainError("quantity", "is required")
    if quantity < 0:
        raise DomainError("quantity", "must not be negative")
    if usable_quantity(quantity) is None:
        raise DomainError("quantity", f"must be at most {MAX_ENTRY_QUANTITY:,} per entry")


def month_bounds(month: str) -> tuple[date, date]:
    """'2026-03' -> (2026-03-01, 2026-03-31)."""
    match = re.fullmatch(r"([0-9]{4})-(0[1-9]|1[0-2])", month or "")
    if not match or match.group(1) == "0000":  # date() has no year 0
        raise DomainError("month", "must be YYYY-MM")
    year, number = int(match.group(1)), int(match.group(2))
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])  # 9999-12 has no next month


# -- the indicator an entry advances ---------------------------------------------------------


@dataclass(frozen=True)
class IndicatorInForce:
    """One indicator of an employee's approved plan, with the plan's span."""

    plan_id: str
    result_id: str
    indicator_id: str
    period_start: date
    period_end: date
    revision: int = 1
    rater_nip: str | None = None
    unit_id: str | None = None
    target_unit: str | None = None


def _unit_key(unit: str | None) -> str:
    return " ".join((unit or "").split()).casefold()


def unit_for_indicator(given: str | None, indicator_unit: str | None) -> str | None:
    """An entry's unit must be its indicator's unit (DOMAIN.md "Realisation per indicator aspect"): none given
    takes the indicator's; case and spacing do not matter (the indicator's spelling is kept). An indicator
    without a unit (qualitative plans) takes what is given. Declared conversions (e.g. "berkas" to
    "dokumen") are not supported yet: another unit is refused, naming the indicator's."""
    if not _unit_key(indicator_unit):
        return " ".join(given.split()) if given and given.strip() else None
    if not _unit_key(given) or _unit_key(given) == _unit_key(indicator_unit):
        return indicator_unit
    raise DomainError(
        "quantity_unit",
        f'must be the indicator\'s unit "{indicator_unit}", not "{given.strip()}" '
        "(conversions between units are not supported)",
    )


def indicator_in_force(candidates: Iterable[IndicatorInForce], indicator_id: str, day: date) -> IndicatorInForce:
    """The indicator of the approved plan in force on ``day``; DomainError when there is none.

    If two plans cover the day (a transfer mid-year), the one that started last wins.
    """
    matching = [c for c in candidates if c.indicator_id == indicator_id and c.period_start <= day <= c.period_end]
    if not matching:
        raise DomainError(
            "indicator_id", f"{indicator_id} is not an indicator of your approved plan in force on {day.isoformat()}"
        )
    return max(matching, key=lambda c: (c.period_start, c.revision))


# -- evidence --------------------------------------------------------------------------------

MAX_EVIDENCE_ITEMS = 10
MAX_BATCH_ITEMS = (
    100  # most entries in one offline batch: the OpenAPI document's maxItems and the check are this one number
)
# the evidence rules are the platform's (kinerja_shared.evidence), the same for a result's evidence in
# evaluation-service
from kinerja_shared import evidence as _evidence  # noqa: E402

KNOWN_TYPES = _evidence.KNOWN_TYPES
DEFAULT_EVIDENCE_TYPES = _evidence.DEFAULT_EVIDENCE_TYPES


def _checked(rule, *args, **kw):
    try:
        return rule(*args, **kw)
    except _evidence.EvidenceError as exc:
        raise DomainError(exc.field, exc.message, status=exc.status) from None


def check_link(url: str, field_name: str = "evidence") -> str:
    return _checked(_evidence.check_link, url, field_name)


def check_file_name(name: str | None) -> str:
    """The client's file name, kept only for display; path tricks are refused, not repaired."""
    return _checked(_evidence.check_file_name, name)


def check_upload(
    declared_type: str | None, head: bytes, size: int, *, max_bytes: int, allowed_types: Iterable[str]
) -> tuple[str, str]:
    """Check an upload's size and type (declared AND recognised by content); return (type, extension)."""
    return _checked(_evidence.check_upload, declared_type, head, size, max_bytes=max_bytes, allowed_types=allowed_types)


# -- the working-day calendar: one for the deployment, in kinerja_shared.calendar --------------

from kinerja_shared.calendar import WEEKDAYS, WorkCalendar, parse_holidays, parse_workdays  # noqa: E402,F401

# -- summaries -----------------------------------------------------------------------------

SUMMARY_BUCKETS = {ACCEPTED: "verified", PENDING: "pending", REJECTED: "rejected"}


def _bucket() -> dict:
    return {"minutes": 0, "entries": 0, "quantity": 0.0, "quantity_excluded": 0}


def monthly_summary(rows: Iterable[Mapping]) -> dict:
    """Fold (indicator_id, plan_id, status, minutes, entries, quantity, quantity_excluded) rows into the monthly
    summary.

    Withdrawn entries count nowhere; accepted ones are 'verified'. The totals add up the
    indicators, so the two views always agree. ``quantity`` adds up the usable quantities only;
    ``quantity_excluded`` counts the entries whose stored quantity is not (not finite, or above
    the per-entry maximum: stored before the bound existed), so a sum never overflows.
    """
    totals = {name: _bucket() for name in SUMMARY_BUCKETS.values()}
    indicators: dict[tuple, dict] = {}
    for row in rows:
        bucket_name = SUMMARY_BUCKETS.get(row["status"])
        if bucket_name is None:
            continue
        key = (row["indicator_id"], row.get("plan_id"))
        entry = indicators.setdefault(
            key,
            {
                "indicator_id": row["indicator_id"],
                "plan_id": row.get("plan_id"),
                "result_id": row.get("result_id"),
                "quantity_unit": row.get("quantity_unit"),
                **{name: _bucket() for name in SUMMARY_BUCKETS.values()},
            },
        )
        quantity = finite(row["quantity"] or 0)
        excluded = int(row.get("quantity_excluded") or 0) + (1 if quantity is None else 0)
        for target in (entry[bucket_name], totals[bucket_name]):
            target["minutes"] += int(row["minutes"] or 0)
            target["entries"] += int(row["entries"] or 0)
            target["quantity"] = round(target["quantity"] + (quantity or 0.0), 6)
            target["quantity_excluded"] += excluded
    return {
        "totals": totals,
        "indicators": sorted(indicators.values(), key=lambda e: (e["indicator_id"], e["plan_id"] or "")),
    }


# -- idempotent client ids ------------------------------------------------------------------


def fingerprint(body: Mapping) -> str:
    """A stable hash of a validated request body: the same entry sent twice has the same one."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str, separators=(",", ":")).encode()).hexdigest()


class Occupancy:
    """The time ranges an employee's entries occupy, per day, for checking a batch's entries (``log_batch``):
    ``first_clash`` in O(log n + k) rather than a scan of the whole day, so a batch of 50 into a day of
    hundreds of entries does not cost 50 × hundreds of comparisons.

    Ranges are half-open minutes [start, end). They may overlap one another (hand-loaded data); the answer
    is still every clash's minimum, as ``min()`` over all of them would give.
    """

    def __init__(self) -> None:
        self._days: dict = {}  # day -> ([(start, end, id)] sorted, [start] sorted, longest duration)

    def add(self, day, start: int, end: int, entry_id: str) -> None:
        ranges, starts, longest = self._days.get(day) or ([], [], 0)
        at = bisect.bisect_left(ranges, (start, end, entry_id))
        ranges.insert(at, (start, end, entry_id))
        starts.insert(at, start)
        self._days[day] = (ranges, starts, max(longest, end - start))

    def first_clash(self, day, start: int, end: int) -> tuple | None:
        """The (start, end, id) with the smallest start (then end, id) overlapping [start, end) on ``day``."""
        found = self._days.get(day)
        if found is None:
            return None
        ranges, starts, longest = found
        # a range overlapping [start, end) begins before ``end`` and after ``start - longest``
        for i in range(bisect.bisect_right(starts, start - longest), bisect.bisect_left(starts, end)):
            if ranges[i][1] > start:
                return ranges[i]
        return None
