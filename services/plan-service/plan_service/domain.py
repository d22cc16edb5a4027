"""The rules of the plan (SKP) and the org directory, in plain Python (PermenPANRB 6/2022).

No Flask, no SQLAlchemy: the state machines are kinerja_shared.transitions tables; tested alone in tests/test_domain.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kinerja_shared.errors import InvalidTransition
from kinerja_shared.transitions import StateMachine

# -- errors ------------------------------------------------------------------------------


class DomainError(ValueError):
    """A rule was broken; ``field`` names what the caller should fix."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class RuleViolations(ValueError):
    """Several broken rules at once: ``errors`` is a list of (field, message)."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))
        self.errors = errors


# -- NIP ---------------------------------------------------------------------------------


def nip_problem(nip: str, today: date | None = None) -> str | None:
    """Why an 18-digit NIP is malformed, or None when it is well formed.

    Structure: YYYYMMDD (birth date) + YYYYMM (start as ASN, *TMT CPNS*) + G (gender: 1 man,
    2 woman) + NNN (serial).
    """
    if not isinstance(nip, str) or len(nip) != 18 or not nip.isdigit():
        return "must be exactly 18 digits"
    today = today or date.today()
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return f"digits 1-8 must be a valid birth date (YYYYMMDD), got {nip[0:8]}"
    if born.year < 1900 or born > today:
        return f"digits 1-8 (birth date {born.isoformat()}) must be a past date after 1900"
    start_year, start_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= start_month <= 12:
        return f"digits 13-14 must be the start month (01-12), got {nip[12:14]}"
    if start_year < born.year + 15:
        return f"digits 9-12 (start year {start_year}) must be at least 15 years after the birth year {born.year}"
    if start_year > today.year + 1:
        return f"digits 9-12 (start year {start_year}) must not lie in the future"
    if nip[14] not in "12":
        return f"digit 15 must be the gender digit 1 or 2, got {nip[14]}"
    return None


UNIT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
RESERVED_UNIT_IDS = ("tree",)  # /api/v1/units/tree


def unit_id_problem(unit_id: str) -> str | None:
    if not isinstance(unit_id, str) or not UNIT_ID.match(unit_id):
        return "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"
    if unit_id in RESERVED_UNIT_IDS:
        return f"{unit_id} is reserved"
    return None


# -- the plan ----------------------------------------------------------------------------

APPROACHES = ("quantitative", "qualitative")
MODELS = ("JPT", "JA_JF")
RESULT_KINDS = ("main", "additional")
ASPECTS = ("quantity", "quality", "time", "cost")
# How an indicator's realisation is measured (DOMAIN.md "Realisation per indicator aspect"); None: the aspect's default.
MEASURES = ("sum", "latest", "average", "duration", "deadline", "spent")
MEASURES_OF_ASPECT = {
    "quantity": ("sum",),
    "quality": ("latest", "average"),
    "time": ("duration", "deadline"),
    "cost": ("spent",),
}
DEFAULT_MEASURE = {"quantity": "sum", "quality": "average", "time": "duration", "cost": "spent"}
PERSPECTIVES = ("Penerima Layanan", "Proses Bisnis", "Penguatan Internal", "Anggaran")
BEHAVIOUR_VALUES = ("service", "accountable", "competent", "harmonious", "loyal", "adaptive", "collaborative")
BEHAVIOUR_NAMES_ID = {
    "service": "Berorientasi Pelayanan",
    "accountable": "Akuntabel",
    "competent": "Kompeten",
    "harmonious": "Harmonis",
    "loyal": "Loyal",
    "adaptive": "Adaptif",
    "collaborative": "Kolaboratif",
}
ATTACHMENT_KINDS = ("resources", "accountability", "consequences")
# Most plans in one bulk approval: the OpenAPI document's maxItems and the check are this one number.
MAX_BULK_APPROVE_ITEMS = 500

DRAFT, SUBMITTED, APPROVED, CLOSED = "draft", "submitted", "approved", "closed"
STATUSES = (DRAFT, SUBMITTED, APPROVED, CLOSED)
OPEN_STATUSES = (DRAFT, SUBMITTED, APPROVED)
# The plan's lifecycle: action -> {from: to} (kinerja_shared.transitions, one shape for every service).
TRANSITIONS = StateMachine(
    "plan",
    {
        "edit": {DRAFT: DRAFT},  # the owner changes the draft
        "submit": {DRAFT: SUBMITTED},
        "approve": {SUBMITTED: APPROVED},
        "return": {SUBMITTED: DRAFT},  # with the rater's reason (BKN: dikembalikan)
        "amend": {APPROVED: APPROVED},  # a recorded amendment: revision + 1
        "close": {DRAFT: CLOSED, SUBMITTED: CLOSED, APPROVED: CLOSED},  # a transfer ends the plan of the old post
    },
)

# Amendments of an approved plan: proposed by the employee or the rater, decided by the rater.
PROPOSED, REJECTED, WITHDRAWN, CANCELLED = "proposed", "rejected", "withdrawn", "cancelled"
AMENDMENT_STATUSES = (PROPOSED, APPROVED, REJECTED, WITHDRAWN, CANCELLED)
AMENDMENT_TRANSITIONS = StateMachine(
    "amendment",
    {
        "approve": {PROPOSED: APPROVED},
        "reject": {PROPOSED: REJECTED},
        "withdraw": {PROPOSED: WITHDRAWN},
        "cancel": {PROPOSED: CANCELLED},  # the plan was closed while the amendment was pending
    },
)

# Why a revision of an approved plan exists.
REVISION_KINDS = ("approval", "amendment", "rater_change", "transfer")


class TransitionError(InvalidTransition):
    """A status forbids the action (409): "cannot submit a plan that is closed (allowed from: draft)" — the
    StateMachine's own refusal, built here for the tests and the message catalogue's completeness check."""

    def __init__(self, action: str, current: str, what: str = "plan", table: StateMachine | None = None):
        machine = TRANSITIONS if table is None else table
        super().__init__(
            StateMachine(what, machine.table).refusal(action, current),
            action=action,
            current=current,
            title="Status does not allow this",
            current_status=current,
        )


def next_status(action: str, current: str) -> str:
    """The plan's status after ``action``; TransitionError (409) when the plan's status forbids it."""
    return TRANSITIONS.next(action, current)


def next_amendment_status(action: str, current: str) -> str:
    return AMENDMENT_TRANSITIONS.next(action, current)


def plan_content_problems(
    approach: str, model: str, results: list[dict], behaviours: list[dict]
) -> list[tuple[str, str]]:
    """Every broken structure rule of a plan's content, as (field, message)."""
    problems: list[tuple[str, str]] = []
    if approach not in APPROACHES:
        problems.append(("approach", f"must be one of {', '.join(APPROACHES)}"))
    if model not in MODELS:
        problems.append(("model", f"must be one of {', '.join(MODELS)}"))
    if not any(r.get("kind") == "main" for r in results):
        problems.append(("results", "a plan needs at least one main result (hasil kerja utama)"))
    result_ids: dict[str, int] = {}
    indicator_ids: dict[str, str] = {}
    for i, result in enumerate(results):
        where = f"results.{i}"
        rid = result.get("result_id")
        if rid:
            if rid in result_ids:
                problems.append((f"{where}.result_id", f"repeats the id of results.{result_ids[rid]}"))
            result_ids.setdefault(rid, i)
        if model == "JPT" and not result.get("perspective"):
            problems.append((f"{where}.perspective", f"a JPT result needs a perspective: {', '.join(PERSPECTIVES)}"))
        if model == "JA_JF" and result.get("perspective"):
            problems.append((f"{where}.perspective", "only JPT results carry a perspective; leave it empty for JA_JF"))
        if not result.get("indicators"):
            problems.append((f"{where}.indicators", "each result needs at least one indicator"))
        for j, indicator in enumerate(result.get("indicators") or []):
            at = f"{where}.indicators.{j}"
            iid = indicator.get("indicator_id")
            if iid:
                if iid in indicator_ids:
                    problems.append((f"{at}.indicator_id", f"repeats the id of {indicator_ids[iid]}"))
                indicator_ids.setdefault(iid, at)
            problems.extend(measure_problems(at, indicator))
            if approach == "quantitative":
                if indicator.get("target_value") is None:
                    problems.append((f"{at}.target_value", "a quantitative plan needs a numeric target"))
                if not indicator.get("target_unit"):
                    problems.append((f"{at}.target_unit", "a quantitative plan needs the target's unit"))
            elif approach == "qualitative":
                if indicator.get("target_value") is not None:
                    problems.append(
                        (f"{at}.target_value", "a qualitative plan's indicators are narrative: no numeric target")
                    )
                if indicator.get("target_unit"):
                    problems.append(
                        (f"{at}.target_unit", "a qualitative plan's indicators are narrative: no target unit")
                    )
    seen = [b.get("value") for b in behaviours]
    if sorted(seen) != sorted(BEHAVIOUR_VALUES):
        missing = [v for v in BEHAVIOUR_VALUES if v not in seen]
        extra = sorted({v for v in seen if seen.count(v) > 1})
        problems.append(
            (
                "behaviours",
                "give each of the seven BerAKHLAK values once"
                + (f"; missing: {', '.join(missing)}" if missing else "")
                + (f"; repeated: {', '.join(extra)}" if extra else ""),
            )
        )
    return problems


def measure_problems(at: str, indicator: dict) -> list[tuple[str, str]]:
    """The indicator's ``measure`` must suit its aspect (quantity: sum; quality: latest or average; time:
    duration or deadline; cost: spent; none: the aspect's default), and ``deadline_day`` (1-31) goes with
    the deadline measure only."""
    aspect, measure, day = indicator.get("aspect"), indicator.get("measure"), indicator.get("deadline_day")
    problems = []
    allowed = MEASURES_OF_ASPECT.get(aspect)
    if measure is not None and allowed is not None and measure not in allowed:
        problems.append((f"{at}.measure", f"a {aspect} indicator is measured by {' or '.join(allowed)}, not {measure}"))
    if measure == "deadline" and day is None:
        problems.append((f"{at}.deadline_day", "a deadline needs the day of the month it falls on (1-31)"))
    if measure != "deadline" and day is not None:
        problems.append((f"{at}.deadline_day", "only a deadline measure has a deadline day"))
    return problems


def check_plan_content(approach: str, model: str, results: list[dict], behaviours: list[dict]) -> None:
    """Raise DomainError naming the first broken structure rule (see plan_content_problems)."""
    problems = plan_content_problems(approach, model, results, behaviours)
    if problems:
        raise DomainError(*problems[0])


def cascade_problems(
    model: str,
    results: list[dict],
    *,
    rater_nip: str | None,
    rater_plan_id: str | None,
    rater_results: dict[str, dict] | None,
    year: int,
    require: bool,
) -> list[tuple[str, str]]:
    """The cascade rule (JA_JF: each main result supports, *intervensi*, a result of the rater's plan).

    ``rater_results`` maps the result ids of the rater's approved plan for ``year`` (None when the
    rater has none yet). A named ``supports_result_id`` must always be one of them. With
    ``require`` (on submission and approval) every main result of a JA_JF plan must name one,
    once the rater's plan is approved: the cascade runs top-down, so a plan whose rater has no
    approved plan yet may still go ahead.
    """
    problems: list[tuple[str, str]] = []
    for i, result in enumerate(results):
        field = f"results.{i}.supports_result_id"
        supported = result.get("supports_result_id")
        if supported:
            if not rater_nip:
                problems.append(
                    (field, "the employee has no rater in the org directory, so no result can be supported")
                )
            elif rater_results is None:
                problems.append((field, f"the rater {rater_nip} has no approved plan for {year} yet"))
            elif supported not in rater_results:
                choices = ", ".join(sorted(rater_results)) or "none"
                problems.append(
                    (
                        field,
                        f"{supported} is not a result of the rater's approved plan {rater_plan_id} "
                        f"(its results: {choices})",
                    )
                )
        elif require and model == "JA_JF" and result.get("kind") == "main" and rater_results is not None:
            problems.append(
                (
                    field,
                    f"a main result of a JA_JF plan must support a result of the rater's approved plan "
                    f"{rater_plan_id} (intervensi)",
                )
            )
    return problems


@dataclass(frozen=True)
class Span:
    start: date
    end: date


def plan_span(year: int, start: date | None, end: date | None, *, not_before: date | None = None) -> Span:
    """The span a plan covers: the year, or a shorter span inside it (after a transfer).

    ``not_before``: the first day after the employee's closed plans of that year (a new post's
    plan starts there by default and may not overlap them).
    """
    default_start = date(year, 1, 1)
    if not_before is not None and not_before > default_start:
        default_start = not_before
    span = Span(start or default_start, end or date(year, 12, 31))
    if span.start.year != year:
        raise DomainError("period_start", f"the plan's span must lie within {year}")
    if span.end.year != year:
        raise DomainError("period_end", f"the plan's span must lie within {year}")
    if span.end < span.start:
        raise DomainError("period_end", "must not be before period_start")
    if not_before is not None and span.start < not_before:
        raise DomainError(
            "period_start",
            f"must be on or after {not_before.isoformat()}: an earlier plan of {year} "
            "(closed by a transfer) covers the days before",
        )
    return span


# -- the org directory: changes with an effective date -----------------------------------------

TRACKED_FIELDS = ("unit_id", "rater_nip", "rater_superior_nip")  # changes kept in the employee's history
EMPLOYEE_FIELDS = (
    "name",
    "position",
    "rank",
    "grade",
    "unit_id",
    "rater_nip",
    "rater_superior_nip",
    "email",
    "phone",
    "functional_coefficient",
    "functional_level",
    "siasn_pns_id",
    "rank_code",
    "active",
)


def changed_fields(before: dict | None, after: dict) -> list[str]:
    """The directory fields that differ (all given fields for a new employee)."""
    if before is None:
        return [f for f in EMPLOYEE_FIELDS if f in after]
    return [f for f in EMPLOYEE_FIELDS if f in after and _norm(before.get(f)) != _norm(after.get(f))]


def _norm(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == "":
        return None
    return value


def is_transfer(before: dict | None, after: dict) -> bool:
    """A unit change of an existing employee: the plan of the old post ends."""
    return before is not None and before.get("unit_id") != after.get("unit_id")


def closing_end(period_start: date, period_end: date, effective: date) -> date:
    """The span end of a plan closed by a transfer effective on ``effective``: the day before.

    A plan that had not started by then keeps its span (it never ran at the old post).
    """
    day_before = effective - timedelta(days=1)
    if day_before < period_start:
        return period_end
    return min(period_end, day_before)


# -- acting heads (Plt., Plh.) ------------------------------------------------------------------

PLT, PLH = "plt", "plh"
ACTING_KINDS = (PLT, PLH)  # Pelaksana Tugas (the post is vacant), Pelaksana Harian (the head is away)
ACTIVE, REVOKED = "active", "revoked"
EARLIEST_ACTING_DAY = date(2000, 1, 1)
MAX_ACTING_DAYS = 5 * 366  # a span longer than five years is a typing error, not an acting assignment


def acting_span_problems(valid_from: date | None, valid_to: date | None, today: date) -> list[tuple[str, str]]:
    """Why a span of dates (both ends included; ``valid_to`` None: until revoked) is not sane."""
    problems: list[tuple[str, str]] = []
    if valid_from is None:
        return [("valid_from", "is required")]
    if valid_from < EARLIEST_ACTING_DAY or valid_from > today + timedelta(days=366):
        problems.append(("valid_from", "must lie between 2000-01-01 and a year from today"))
    if valid_to is not None:
        if valid_to < valid_from:
            problems.append(("valid_to", "must not lie before valid_from"))
        elif (valid_to - valid_from).days > MAX_ACTING_DAYS:
            problems.append(("valid_to", "must lie within five years of valid_from"))
    return problems


def spans_overlap(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    """Two spans of days, both ends included (None: open-ended), share a day."""
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)


def acting_on(assignment, day: date) -> bool:
    """An active assignment whose span includes ``day``: the head's rights on that day."""
    get = assignment.get if isinstance(assignment, dict) else lambda k: getattr(assignment, k)
    return get("status") == ACTIVE and get("valid_from") <= day and (get("valid_to") is None or day <= get("valid_to"))


def acting_problems(
    new: dict, *, unit_head: str | None, employee: dict | None, others: list[dict]
) -> list[tuple[str, str]]:
    """The rules an acting assignment ``new`` ({unit_id, nip, kind, valid_from, valid_to}) must keep.

    ``unit_head``: the unit's definitive head (units.head_nip); ``employee``: the assignee as the
    directory holds them (None: not in it); ``others``: the unit's other active assignments.
    A Plt. stands in for a vacant post, so a unit with a definitive head gets a Plh. only.
    """
    problems: list[tuple[str, str]] = []
    if employee is None:
        problems.append(("nip", f"employee {new['nip']} is not in the org directory"))
    elif not employee.get("active", True):
        problems.append(("nip", f"employee {new['nip']} is not active"))
    if unit_head and unit_head == new["nip"]:
        problems.append(("nip", f"{new['nip']} is already the definitive head of unit {new['unit_id']}"))
    elif unit_head and new["kind"] == PLT:
        problems.append(
            (
                "kind",
                f"unit {new['unit_id']} has a definitive head ({unit_head}): a Plt. is for a vacant "
                "post, assign a Plh.",
            )
        )
    for other in others:
        if spans_overlap(new["valid_from"], new.get("valid_to"), other["valid_from"], other.get("valid_to")):
            until = other["valid_to"].isoformat() if other.get("valid_to") else "open"
            problems.append(
                (
                    "valid_from",
                    f"overlaps the acting head {other['nip']} of unit {new['unit_id']} "
                    f"({other['valid_from'].isoformat()} to {until})",
                )
            )
            break
    return problems


# -- completion monitoring ----------------------------------------------------------------------

DEFAULT_DEADLINE = "01-31"


def parse_deadline(text: str) -> tuple[int, int]:
    """PLAN_DEADLINE as MM-DD (the plans of a year are due by that day of the year)."""
    match = re.fullmatch(r"(\d{2})-(\d{2})", (text or "").strip())
    if not match:
        raise ValueError(f"must be MM-DD such as 01-31, got {text!r}")
    month, day = int(match.group(1)), int(match.group(2))
    try:
        date(2001, month, day)  # a non-leap year: 02-29 is refused, as it does not exist every year
    except ValueError:
        raise ValueError(f"must be a day that exists every year, got {text!r}") from None
    return month, day


def deadline_for(year: int, month_day: tuple[int, int]) -> date:
    return date(year, *month_day)
