"""The rules of evaluation, in plain Python (PermenPANRB 6/2022, SE MenPANRB 03/2023, Peraturan BKN 3/2023).

No Flask, no SQLAlchemy: tested alone in tests/test_domain.py.

- periods: monthly or quarterly per year, plus the annual period built from them;
- the evaluation lifecycle: open → submitted → closed, reopened by an admin as a new revision;
- realisation against target, the per-result assessment and the results-rating suggestion with
  its reasoning;
- the 9-cell matrix from the two ratings to the employee's performance predicate;
- the organisational predicate and the SE 03/2023 distribution rules, with violations;
- credit points (angka kredit) for functionals.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from kinerja_shared.errors import InvalidTransition as TransitionError  # noqa: F401  (the lifecycle's refusal)
from kinerja_shared.numbers import finite, round_half_up  # noqa: F401
from kinerja_shared.transitions import StateMachine

from .vocabulary import (  # noqa: F401  (the vocabulary, re-exported: callers read it as domain.X)
    ABOVE,
    ANNUAL,
    BAIK,
    BEHAVIOUR_VALUES,
    BELOW,
    BUTUH_PERBAIKAN,
    CLOSED,
    ISTIMEWA,
    KURANG,
    MEETS,
    MONTHLY,
    OPEN,
    ORG_PREDICATE_NAMES_ID,
    ORG_PREDICATES,
    PERIOD_KINDS,
    PREDICATE_NAMES_ID,
    PREDICATES,
    QUARTERLY,
    RATING_NAMES_ID,
    RATINGS,
    RESULT_KINDS,
    SANGAT_BAIK,
    SANGAT_KURANG,
    SCHEMES,
    STATUSES,
    SUBMITTED,
    DomainError,
)

# -- the matrix ------------------------------------------------------------------------------

# (results rating, behaviour rating) -> predicate, exactly the table of PermenPANRB 6/2022.
MATRIX: dict[tuple[str, str], str] = {
    (ABOVE, BELOW): KURANG,
    (ABOVE, MEETS): BAIK,
    (ABOVE, ABOVE): SANGAT_BAIK,
    (MEETS, BELOW): KURANG,
    (MEETS, MEETS): BAIK,
    (MEETS, ABOVE): BAIK,
    (BELOW, BELOW): SANGAT_KURANG,
    (BELOW, MEETS): BUTUH_PERBAIKAN,
    (BELOW, ABOVE): BUTUH_PERBAIKAN,
}


def predicate_for(results_rating: str, behaviour_rating: str) -> str:
    """The employee's performance predicate from the two ratings; never entered by hand."""
    if results_rating not in RATINGS:
        raise DomainError("results_rating", f"must be one of {', '.join(RATINGS)}")
    if behaviour_rating not in RATINGS:
        raise DomainError("behaviour_rating", f"must be one of {', '.join(RATINGS)}")
    return MATRIX[(results_rating, behaviour_rating)]


def rating_from_org_predicate(org_predicate: str) -> str:
    """For the head of a unit, the unit's achievement is their results rating (6/2022):
    Istimewa → above, Baik → meets, Butuh Perbaikan / Kurang / Sangat Kurang → below."""
    if org_predicate not in ORG_PREDICATES:
        raise DomainError("predicate", f"must be one of {', '.join(ORG_PREDICATES)}")
    return {ISTIMEWA: ABOVE, BAIK: MEETS}.get(org_predicate, BELOW)


# -- lifecycle -------------------------------------------------------------------------------

_REFUSALS = {
    "close": lambda status: "submit it first" if status == OPEN else "it is already closed",
    "submit": lambda status: "a closed evaluation is fixed; an admin may reopen it",
    "reopen": lambda status: "only a closed evaluation can be reopened",
}

# action -> {from status: to status}
EVALUATION = StateMachine(
    "evaluation",
    {
        "submit": {OPEN: SUBMITTED, SUBMITTED: SUBMITTED},  # the rater may correct a submitted form before closing
        "close": {SUBMITTED: CLOSED},
        "reopen": {CLOSED: OPEN},  # an admin, with a reason: a new revision
    },
    describe=lambda action, status: f"cannot {action} an evaluation that is {status}: {_REFUSALS[action](status)}",
)
TRANSITIONS = EVALUATION.table


def next_status(action: str, status: str) -> str:
    """The status after ``action``; TransitionError (InvalidTransition, 409) when ``status`` forbids it."""
    return EVALUATION.next(action, status)


# -- periods ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """One evaluation period: ``2026-Q4`` (quarterly), ``2026-11`` (monthly) or ``2026-Y`` (annual)."""

    id: str
    kind: str
    start: date
    end: date

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def months(self) -> int:
        return months_between(self.start, self.end)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def as_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat()}


_PERIOD_RE = re.compile(r"^(?P<year>[0-9]{4})-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])|(?P<annual>Y))$")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def monthly_period(year: int, month: int) -> Period:
    return Period(f"{year:04d}-{month:02d}", MONTHLY, date(year, month, 1), _month_end(year, month))


def quarterly_period(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    return Period(f"{year:04d}-Q{quarter}", QUARTERLY, date(year, first, 1), _month_end(year, first + 2))


def annual_period(year: int) -> Period:
    return Period(f"{year:04d}-Y", ANNUAL, date(year, 1, 1), date(year, 12, 31))


def parse_period(period_id: str) -> Period:
    """A period from its id; raise DomainError naming ``period_id``."""
    match = _PERIOD_RE.match(period_id or "")
    if not match:
        raise DomainError("period_id", "must look like 2026-Q4 (quarter), 2026-11 (month) or 2026-Y (year)")
    year = int(match["year"])
    if year < 1:  # date() has no year 0
        raise DomainError("period_id", "must look like 2026-Q4 (quarter), 2026-11 (month) or 2026-Y (year)")
    if match["quarter"]:
        return quarterly_period(year, int(match["quarter"]))
    if match["month"]:
        return monthly_period(year, int(match["month"]))
    return annual_period(year)


def period_containing(day: date, scheme: str) -> Period:
    """The periodic period (monthly or quarterly) that holds ``day``."""
    if scheme == MONTHLY:
        return monthly_period(day.year, day.month)
    if scheme == QUARTERLY:
        return quarterly_period(day.year, (day.month - 1) // 3 + 1)
    raise DomainError("scheme", f"must be one of {', '.join(SCHEMES)}")


def periods_of_year(year: int, scheme: str) -> list[Period]:
    """The year's periodic periods under ``scheme`` followed by the annual one."""
    if scheme == MONTHLY:
        periodic = [monthly_period(year, m) for m in range(1, 13)]
    elif scheme == QUARTERLY:
        periodic = [quarterly_period(year, q) for q in range(1, 5)]
    else:
        raise DomainError("scheme", f"must be one of {', '.join(SCHEMES)}")
    return [*periodic, annual_period(year)]


from .realisation import months_between  # noqa: E402  (calendar months touched by [start, end], both inclusive)


def period_for_plan(period: Period, plan_start: date, plan_end: date) -> bool:
    """Whether a plan spanning [plan_start, plan_end] is evaluated in ``period`` (they overlap)."""
    return plan_start <= period.end and period.start <= plan_end


def months_evaluated(period: Period, plan_start: date, plan_end: date) -> int:
    """Months of the plan's span inside the period: the ``months`` of credit points."""
    return months_between(max(period.start, plan_start), min(period.end, plan_end))


# -- the working-day calendar: one for the deployment, in kinerja_shared.calendar --------------

from kinerja_shared.calendar import WEEKDAYS, WorkCalendar, parse_holidays, parse_workdays  # noqa: E402,F401

# -- realisation: per indicator aspect, in realisation.py ------------------------------------------
from .realisation import (  # noqa: E402,F401
    NO_DATA,
    IndicatorFacts,
    IndicatorRealisation,
    Measurement,
    ResultRealisation,
    level_from_percent,
    realise,
    result_realisation,
)


def assessment_from_percent(percent: float | None) -> str | None:
    """A result's assessment from its realisation (% of what was expected by now):
    more than 100 % exceeds the expectation (above), exactly 100 % meets it, less falls below.
    None when nothing can be computed (no numeric target or no data): the rater must assess it."""
    return level_from_percent(percent)


# -- the results-rating suggestion -----------------------------------------------------------


@dataclass(frozen=True)
class ResultAssessment:
    result_id: str
    kind: str  # main | additional
    assessment: str | None  # above | meets | below | None (not assessed)
    source: str = "realisation"  # "rater" when the rater assessed the result on the form
    text: str | None = None  # the result's text, to say which results drove the suggestion
    level: str | None = None  # the realisation's level: above | meets | below | no_data | None (no numeric target)


@dataclass(frozen=True)
class Suggestion:
    rating: str | None
    reasoning: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"rating": self.rating, "reasoning": list(self.reasoning), "counts": dict(self.counts)}


_LISTED = 5


def _named(results: list[ResultAssessment]) -> str:
    """Results as the reasoning names them: their texts, each shortened to one clause."""

    def one(r: ResultAssessment) -> str:
        text = re.sub(r"[.;:]\s+", ", ", " ".join((r.text or r.result_id).split())).strip(" .;:")
        if len(text) > 60:
            text = text[:57].rstrip(" ,") + "..."
        return f'"{text}"'

    return ", ".join(one(r) for r in results[:_LISTED]) + (" …" if len(results) > _LISTED else "")


def suggest_results_rating(
    results: list[ResultAssessment],
    *,
    unit_head_of: str | None = None,
    org_predicate: str | None = None,
    qualitative: bool = False,
) -> Suggestion:
    """Suggest the results rating from DOMAIN.md's rule, with its reasoning.

    Counting only assessed results (n of them; "most" means more than half):

    1. ``above`` when most results exceed expectation and no main result is below;
    2. else ``below`` when most results fall below;
    3. else ``meets`` when at least half meet or exceed expectation and only a few main results
       fall below ("a few": fewer than half of the assessed main results);
    4. else ``below`` (half or more of the main results, or of all results, fall below).

    Results with no verified measurement in the period (``no_data``) and results without a numeric
    target (qualitative plans) are not assessed: they never count as below, and the reasoning names
    them. The reasoning also names the results above, meeting and below expectation (what drove it).

    A ``qualitative`` plan (no numeric targets) gets no suggestion until the rater assesses its results
    from the evidence, and the reasoning says so (rather than "below").

    For the head of a unit whose organisational predicate is known, the unit's achievement is
    the results rating (Istimewa → above, Baik → meets, lower → below).
    """
    if unit_head_of and org_predicate:
        rating = rating_from_org_predicate(org_predicate)
        return Suggestion(
            rating,
            [
                f"The employee heads unit {unit_head_of}; its organisational predicate is "
                f"{ORG_PREDICATE_NAMES_ID[org_predicate]}, so the unit's achievement is the results rating: {rating}."
            ],
            {},
        )
    assessed = [r for r in results if r.assessment in RATINGS]
    not_assessed = [r for r in results if r.assessment not in RATINGS]
    no_data = [r for r in not_assessed if r.level == NO_DATA]
    unassessed = [r.result_id for r in not_assessed if r.level != NO_DATA]
    n = len(assessed)
    above = sum(r.assessment == ABOVE for r in assessed)
    meets = sum(r.assessment == MEETS for r in assessed)
    below = sum(r.assessment == BELOW for r in assessed)
    mains = [r for r in assessed if r.kind == "main"]
    main_below = sum(r.assessment == BELOW for r in mains)
    counts = {
        "assessed": n,
        "above": above,
        "meets": meets,
        "below": below,
        "main": len(mains),
        "main_below": main_below,
        "unassessed": len(unassessed),
        "no_data": len(no_data),
    }
    reasoning = [
        f"{n} of {len(results)} results assessed: {above} above, {meets} meets, {below} below "
        f"expectation; {main_below} of {len(mains)} main results below."
    ]
    for level, label in ((ABOVE, "above"), (MEETS, "meeting"), (BELOW, "below")):
        drivers = [r for r in assessed if r.assessment == level]
        if drivers:
            reasoning.append(f"Results {label} expectation: {_named(drivers)}.")
    if no_data:
        reasoning.append(f"No data yet (nothing verified in the period), not counted as below: {_named(no_data)}.")
    if unassessed:
        reasoning.append(f"Not assessed (no numeric target or no assessment on the form): {', '.join(unassessed)}.")
    if n == 0:
        if qualitative:
            reasoning.append(
                "The plan has no numeric targets (qualitative): the rater assesses the results from the "
                "evidence, so there is no suggestion."
            )
        else:
            reasoning.append("No result could be assessed, so there is no suggestion; the rater decides.")
        return Suggestion(None, reasoning, counts)
    if above * 2 > n and main_below == 0:
        reasoning.append(f"Most results ({above} of {n}) exceed expectation and no main result is below: above.")
        return Suggestion(ABOVE, reasoning, counts)
    if above * 2 > n:
        reasoning.append(f"Most results exceed expectation but {main_below} main result(s) are below, so not above.")
    if below * 2 > n:
        reasoning.append(f"Most results ({below} of {n}) fall below expectation: below.")
        return Suggestion(BELOW, reasoning, counts)
    few_main_below = main_below * 2 < len(mains) if mains else True
    if (above + meets) * 2 >= n and few_main_below:
        reasoning.append(
            f"{above + meets} of {n} results meet or exceed expectation and only {main_below} of "
            f"{len(mains)} main results fall below: meets."
        )
        return Suggestion(MEETS, reasoning, counts)
    if (above + meets) * 2 >= n:
        reasoning.append(
            f"{main_below} of {len(mains)} main results fall below expectation, which is not 'a few' "
            "(fewer than half): below."
        )
    else:
        reasoning.append(f"Only {above + meets} of {n} results meet or exceed expectation: below.")
    return Suggestion(BELOW, reasoning, counts)


# -- the SE 03/2023 distribution rules and credit points: distribution.py and credit.py ------------

from .credit import (  # noqa: E402,F401
    CREDIT_DECIMALS,
    CREDIT_SHARE,
    FROM_LEGACY_COEFFICIENT,
    FROM_LEVEL,
    Coefficient,
    credit_points,
    credit_total,
    yearly_coefficient,
)
from .distribution import (  # noqa: E402,F401
    AT_LEAST,
    AT_LEAST_COUNT,
    AT_MOST,
    DISTRIBUTION_RULES,
    LITERAL,
    NEAREST,
    NONE,
    ROUNDING_TEXT,
    ROUNDINGS,
    Distribution,
    Rule,
    RuleCheck,
    _round1,
    _share,
    check_distribution,
    max_allowed,
    min_required,
)

# -- the form ----------------------------------------------------------------------------------


def check_form(plan_result_ids: list[str], results: list[dict], behaviours: list[dict]) -> None:
    """The rater's form refers only to the plan's results and to the seven BerAKHLAK values, once each."""
    seen: set[str] = set()
    for i, entry in enumerate(results):
        rid = entry.get("result_id")
        if rid not in plan_result_ids:
            raise DomainError(f"results.{i}.result_id", f"{rid!r} is not a result of the plan")
        if rid in seen:
            raise DomainError(f"results.{i}.result_id", f"{rid!r} is given twice")
        seen.add(rid)
    values: set[str] = set()
    for i, entry in enumerate(behaviours):
        value = entry.get("value")
        if value not in BEHAVIOUR_VALUES:
            raise DomainError(f"behaviours.{i}.value", f"must be one of {', '.join(BEHAVIOUR_VALUES)}")
        if value in values:
            raise DomainError(f"behaviours.{i}.value", f"{value!r} is given twice")
        values.add(value)
