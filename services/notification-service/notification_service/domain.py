"""The rules of notification-service, in plain Python: who hears what, through which channel, when.

No Flask, no SQLAlchemy: tested alone in tests/test_domain.py.

- Categories and the channels a person gets by default (``DEFAULT_CHANNELS``); each person
  may change them per category, and set quiet hours (no e-mail then; the inbox stays silent
  but fills as usual).
- The Indonesian names of predicates, shown in messages.
- Local dates and times in the configured zone (WIB, Asia/Jakarta, by default).
- Retry schedules (exponential backoff) for e-mail and webhooks.
- The reminder calendar: working days, the plan deadline, evaluation period ends.
- A webhook subscription's lifecycle (``WEBHOOK_SUBSCRIPTION``: enable, disable).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kinerja_shared.calendar import MONTHS_ID
from kinerja_shared.transitions import StateMachine

# -- categories and channels ---------------------------------------------------------------

INBOX, EMAIL, WEBHOOK = "inbox", "email", "webhook"
PERSON_CHANNELS = (INBOX, EMAIL)  # webhooks are for systems, subscribed by admins, not per person

PLAN_SUBMITTED = "plan_submitted"
PLAN_APPROVED = "plan_approved"
PLAN_RETURNED = "plan_returned"
ACTIVITY_DIGEST = "activity_digest"
ACTIVITY_REJECTED = "activity_rejected"
ACTIVITY_CORRECTED = "activity_corrected"
EVALUATION_OPENED = "evaluation_opened"
EVALUATION_CLOSED = "evaluation_closed"
FEEDBACK_GIVEN = "feedback_given"
CALIBRATION_FINALISED = "calibration_finalised"
DIALOGUE_AWAITING = "dialogue_awaiting_confirmation"
REMINDER_ACTIVITY_MISSING = "reminder_activity_missing"
REMINDER_PLAN_DEADLINE = "reminder_plan_deadline"
REMINDER_PLAN_APPROVAL = "reminder_plan_approval"
REMINDER_EVALUATION_PENDING = "reminder_evaluation_pending"
REMINDER_REALISATION_DUE = "reminder_realisation_due"
REALISATION_SUBMITTED = "realisation_submitted"

REMINDERS = (
    REMINDER_ACTIVITY_MISSING,
    REMINDER_PLAN_DEADLINE,
    REMINDER_PLAN_APPROVAL,
    REMINDER_EVALUATION_PENDING,
    REMINDER_REALISATION_DUE,
)

CATEGORIES = (
    PLAN_SUBMITTED,
    PLAN_APPROVED,
    PLAN_RETURNED,
    ACTIVITY_DIGEST,
    ACTIVITY_REJECTED,
    ACTIVITY_CORRECTED,
    EVALUATION_OPENED,
    EVALUATION_CLOSED,
    FEEDBACK_GIVEN,
    CALIBRATION_FINALISED,
    REALISATION_SUBMITTED,
    *REMINDERS,
    DIALOGUE_AWAITING,
)

CATEGORY_DESCRIPTIONS = {
    PLAN_SUBMITTED: "A subordinate submitted a plan (SKP) for your approval (to the rater).",
    PLAN_APPROVED: "Your plan was approved (to the employee).",
    PLAN_RETURNED: "Your plan was returned with the rater's reason (to the employee).",
    ACTIVITY_DIGEST: "Daily digest of activities waiting for your verification (to the rater, one per day).",
    ACTIVITY_REJECTED: "The rater rejected one of your activities, with the reason (to the employee).",
    ACTIVITY_CORRECTED: "One of your verified activities was corrected or annulled by an admin or your rater's "
    "superior, with the reason (to the employee).",
    EVALUATION_OPENED: "A period's evaluations opened for your subordinates (to the rater, one per period).",
    EVALUATION_CLOSED: "Your evaluation closed, with the predicate (to the employee).",
    FEEDBACK_GIVEN: "Your rater gave you feedback (to the employee).",
    CALIBRATION_FINALISED: "Your unit's predicates for a period were finalised (to the whole unit).",
    DIALOGUE_AWAITING: "A performance dialogue (dialog kinerja) was recorded or changed and awaits your confirmation "
    "(to the other party: the employee or the rater).",
    REMINDER_ACTIVITY_MISSING: "Reminder: no activity logged today (working days, late afternoon).",
    REMINDER_PLAN_DEADLINE: "Reminder: your plan is not approved yet and the deadline is near.",
    REMINDER_PLAN_APPROVAL: "Reminder: subordinates' plans wait for your approval and the deadline is near.",
    REMINDER_EVALUATION_PENDING: "Reminder: evaluations of your subordinates are still open near the period's end "
    "(with your evaluation deadline).",
    REMINDER_REALISATION_DUE: "Reminder: submit your realisation of the period before its deadline (to the employee).",
    REALISATION_SUBMITTED: "A subordinate submitted their realisation of a period, ready for your evaluation (to the "
    "rater).",
}

# Everything reaches the inbox. E-mail by default for what asks the reader to act or tells
# them a result; not for plain confirmations or unit-wide broadcasts.
_EMAIL_OFF_BY_DEFAULT = {PLAN_APPROVED, FEEDBACK_GIVEN, CALIBRATION_FINALISED}
DEFAULT_CHANNELS: dict[str, dict[str, bool]] = {
    c: {INBOX: True, EMAIL: c not in _EMAIL_OFF_BY_DEFAULT} for c in CATEGORIES
}

# Items that aggregate many events into one (a digest): their e-mail waits for the digest time.
DIGEST_CATEGORIES = {ACTIVITY_DIGEST}

LOCALES = ("id", "en")


def channels_for(category: str, overrides: dict[str, bool] | None) -> dict[str, bool]:
    """The channels a person gets for a category: the defaults with their own choices on top."""
    result = dict(DEFAULT_CHANNELS[category])
    for channel, enabled in (overrides or {}).items():
        if channel in result:
            result[channel] = bool(enabled)
    return result


# -- predicates ----------------------------------------------------------------------------

PREDICATE_NAMES_ID = {
    "SANGAT_BAIK": "Sangat Baik",
    "BAIK": "Baik",
    "BUTUH_PERBAIKAN": "Butuh Perbaikan",
    "KURANG": "Kurang/Misconduct",
    "SANGAT_KURANG": "Sangat Kurang",
}
PREDICATE_NAMES_EN = {
    "SANGAT_BAIK": "Outstanding (Sangat Baik)",
    "BAIK": "Good (Baik)",
    "BUTUH_PERBAIKAN": "Needs Improvement (Butuh Perbaikan)",
    "KURANG": "Poor/Misconduct (Kurang/Misconduct)",
    "SANGAT_KURANG": "Very Poor (Sangat Kurang)",
}
ORG_PREDICATE_NAMES_ID = {
    "ISTIMEWA": "Istimewa",
    "BAIK": "Baik",
    "BUTUH_PERBAIKAN": "Butuh Perbaikan",
    "KURANG": "Kurang",
    "SANGAT_KURANG": "Sangat Kurang",
}
RATING_NAMES_ID = {"above": "Di Atas Ekspektasi", "meets": "Sesuai Ekspektasi", "below": "Di Bawah Ekspektasi"}
RATING_NAMES_EN = {"above": "Above expectations", "meets": "Meets expectations", "below": "Below expectations"}


def predicate_name(code: str, locale: str = "id") -> str:
    names = PREDICATE_NAMES_EN if locale == "en" else PREDICATE_NAMES_ID
    return names.get(code, code)


def rating_name(code: str, locale: str = "id") -> str:
    names = RATING_NAMES_EN if locale == "en" else RATING_NAMES_ID
    return names.get(code, code)


# -- local time ----------------------------------------------------------------------------

MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(value: date, locale: str = "id") -> str:
    """10 Maret 2026 / 10 March 2026."""
    months = MONTHS_EN if locale == "en" else MONTHS_ID
    return f"{value.day} {months[value.month - 1]} {value.year}"


def local_date(instant: datetime, tz: str) -> date:
    """The calendar date of a UTC instant in the given zone (naive instants are taken as UTC)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(ZoneInfo(tz)).date()


def at_local(day: date, at: time, tz: str) -> datetime:
    """The UTC instant of a local date and wall-clock time."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def parse_hhmm(value: str) -> time:
    """'15:30' → time(15, 30); ValueError with a readable message otherwise."""
    parts = str(value).strip().split(":")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise ValueError(f"must be a time HH:MM, got {value!r}")
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:
        raise ValueError(f"must be a time between 00:00 and 23:59, got {value!r}")
    return time(hour, minute)


@dataclass(frozen=True)
class QuietHours:
    """A daily window without e-mail, in local time; may wrap midnight (21:00-06:00)."""

    start: time
    end: time

    def __post_init__(self):
        if self.start == self.end:
            raise ValueError("quiet hours must not start and end at the same time")

    def contains(self, local: time) -> bool:
        local = local.replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def ends_after(self, instant: datetime, tz: str) -> datetime:
        """The UTC instant the window that holds ``instant`` ends (``instant`` itself when outside)."""
        local = instant.astimezone(ZoneInfo(tz))
        if not self.contains(local.time()):
            return instant
        day = local.date()
        if self.start > self.end and local.time() >= self.start:
            day = day + timedelta(days=1)
        return at_local(day, self.end, tz)

    def as_text(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def parse_quiet_hours(value: str | None) -> QuietHours | None:
    """'21:00-06:00' → QuietHours; '' or 'off' → None."""
    if value is None or value.strip().lower() in ("", "off", "none"):
        return None
    start, sep, end = value.partition("-")
    if not sep:
        raise ValueError(f"must be HH:MM-HH:MM or off, got {value!r}")
    return QuietHours(parse_hhmm(start), parse_hhmm(end))


# -- retries -------------------------------------------------------------------------------


def backoff_seconds(attempt: int, base: float, cap: float) -> float:
    """Delay before retry number ``attempt`` (1 = the first retry): base, 2·base, 4·base, … up to cap."""
    if attempt < 1:
        return 0.0
    return min(cap, base * (2 ** (attempt - 1)))


# -- the reminder calendar -----------------------------------------------------------------

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def is_working_day(day: date, working_days: frozenset[int], holidays: frozenset[date]) -> bool:
    """Monday=0 … Sunday=6 in ``working_days``; holidays (libur nasional, cuti bersama) excluded."""
    return day.weekday() in working_days and day not in holidays


def due_window(local_now: datetime, at: time, catch_up: timedelta) -> bool:
    """True from the scheduled wall-clock time until ``catch_up`` after it (a late worker still sends)."""
    scheduled = local_now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return scheduled <= local_now < scheduled + catch_up


def plan_deadline_near(today: date, deadline_month_day: tuple[int, int], lead_days: int) -> date | None:
    """The plan deadline of ``today``'s year when today is within ``lead_days`` before it (or on it)."""
    month, day = deadline_month_day
    deadline = date(today.year, month, day)
    if deadline - timedelta(days=lead_days) <= today <= deadline:
        return deadline
    return None


def realisation_due(today: date, deadline: date, lead_days: int) -> bool:
    """An employee's realisation not submitted is worth a reminder in the ``lead_days`` before its deadline and on
    it."""
    return deadline - timedelta(days=lead_days) <= today <= deadline


def evaluation_due(today: date, period_end: date, lead_days: int) -> bool:
    """An open evaluation is worth a reminder from ``lead_days`` before its period ends, until it closes."""
    return today >= period_end - timedelta(days=lead_days)


# -- identities of items (idempotency) ------------------------------------------------------


def event_item_key(category: str, cause_event_id: str, recipient: str) -> str:
    """One item per cause event and recipient: a replayed event finds its item and adds nothing."""
    return f"{category}:{cause_event_id}:{recipient}"


def digest_key(category: str, recipient: str, scope: str) -> str:
    """One aggregated item per recipient and scope (a local date, a period)."""
    return f"{category}:{recipient}:{scope}"


def reminder_key(reminder: str, recipient: str, day: date) -> str:
    return f"{reminder}:{recipient}:{day.isoformat()}"


# -- webhook subscriptions -----------------------------------------------------------------

WEBHOOK_SUBSCRIPTION = StateMachine(
    "webhook subscription",
    {
        "enable": {"disabled": "active"},  # new events flow again; what it missed is replayed on request
        "disable": {"active": "disabled"},  # waiting deliveries and new events are held
    },
)
