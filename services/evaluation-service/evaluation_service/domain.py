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
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Mapping

from kinerja_shared import functional_levels
from kinerja_shared.numbers import finite, round_half_up, usable_coefficient


class DomainError(ValueError):
    """A rule was broken; ``field`` names what the caller should fix."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class TransitionError(ValueError):
    """The evaluation's status does not allow the action."""


# -- vocabulary ------------------------------------------------------------------------------

ABOVE, MEETS, BELOW = "above", "meets", "below"
RATINGS = (ABOVE, MEETS, BELOW)
RATING_NAMES_ID = {ABOVE: "Di Atas Ekspektasi", MEETS: "Sesuai Ekspektasi", BELOW: "Di Bawah Ekspektasi"}

SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG = (
    "SANGAT_BAIK", "BAIK", "BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG")
PREDICATES = (SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG)
PREDICATE_NAMES_ID = {
    SANGAT_BAIK: "Sangat Baik", BAIK: "Baik", BUTUH_PERBAIKAN: "Butuh Perbaikan",
    KURANG: "Kurang/Misconduct", SANGAT_KURANG: "Sangat Kurang",
}

ISTIMEWA = "ISTIMEWA"
ORG_PREDICATES = (ISTIMEWA, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG)
ORG_PREDICATE_NAMES_ID = {ISTIMEWA: "Istimewa", BAIK: "Baik", BUTUH_PERBAIKAN: "Butuh Perbaikan",
                          KURANG: "Kurang", SANGAT_KURANG: "Sangat Kurang"}

BEHAVIOUR_VALUES = ("service", "accountable", "competent", "harmonious", "loyal", "adaptive", "collaborative")
RESULT_KINDS = ("main", "additional")

OPEN, SUBMITTED, CLOSED = "open", "submitted", "closed"
STATUSES = (OPEN, SUBMITTED, CLOSED)

MONTHLY, QUARTERLY, ANNUAL = "monthly", "quarterly", "annual"
SCHEMES = (MONTHLY, QUARTERLY)
PERIOD_KINDS = (MONTHLY, QUARTERLY, ANNUAL)


# -- the matrix ------------------------------------------------------------------------------

# (results rating, behaviour rating) -> predicate, exactly the table of PermenPANRB 6/2022.
MATRIX: dict[tuple[str, str], str] = {
    (ABOVE, BELOW): KURANG, (ABOVE, MEETS): BAIK, (ABOVE, ABOVE): SANGAT_BAIK,
    (MEETS, BELOW): KURANG, (MEETS, MEETS): BAIK, (MEETS, ABOVE): BAIK,
    (BELOW, BELOW): SANGAT_KURANG, (BELOW, MEETS): BUTUH_PERBAIKAN, (BELOW, ABOVE): BUTUH_PERBAIKAN,
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

# action -> {from status: to status}
TRANSITIONS = {
    "submit": {OPEN: SUBMITTED, SUBMITTED: SUBMITTED},  # the rater may correct a submitted form before closing
    "close": {SUBMITTED: CLOSED},
    "reopen": {CLOSED: OPEN},                           # an admin, with a reason: a new revision
}


def next_status(action: str, status: str) -> str:
    allowed = TRANSITIONS[action]
    if status not in allowed:
        hint = {"close": "submit it first" if status == OPEN else "it is already closed",
                "submit": "a closed evaluation is fixed; an admin may reopen it",
                "reopen": "only a closed evaluation can be reopened"}[action]
        raise TransitionError(f"cannot {action} an evaluation that is {status}: {hint}")
    return allowed[status]


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
    NO_DATA, IndicatorFacts, IndicatorRealisation, Measurement, ResultRealisation, level_from_percent, realise,
    result_realisation,
)


def _round1(value: float) -> float | None:
    """One decimal, half up; None for a value that is not a finite number (never a Decimal overflow)."""
    number = finite(value)
    return round_half_up(number, 1) if number is not None else None


def assessment_from_percent(percent: float | None) -> str | None:
    """A result's assessment from its realisation (% of what was expected by now):
    more than 100 % exceeds the expectation (above), exactly 100 % meets it, less falls below.
    None when nothing can be computed (no numeric target or no data): the rater must assess it."""
    return level_from_percent(percent)


# -- the results-rating suggestion -----------------------------------------------------------

@dataclass(frozen=True)
class ResultAssessment:
    result_id: str
    kind: str                 # main | additional
    assessment: str | None    # above | meets | below | None (not assessed)
    source: str = "realisation"  # "rater" when the rater assessed the result on the form
    text: str | None = None   # the result's text, to say which results drove the suggestion
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
        return f"\"{text}\""
    return ", ".join(one(r) for r in results[:_LISTED]) + (" …" if len(results) > _LISTED else "")


def suggest_results_rating(results: list[ResultAssessment], *, unit_head_of: str | None = None,
                           org_predicate: str | None = None, qualitative: bool = False) -> Suggestion:
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
        return Suggestion(rating, [
            f"The employee heads unit {unit_head_of}; its organisational predicate is "
            f"{ORG_PREDICATE_NAMES_ID[org_predicate]}, so the unit's achievement is the results rating: {rating}."
        ], {})
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
    counts = {"assessed": n, "above": above, "meets": meets, "below": below, "main": len(mains),
              "main_below": main_below, "unassessed": len(unassessed), "no_data": len(no_data)}
    reasoning = [f"{n} of {len(results)} results assessed: {above} above, {meets} meets, {below} below "
                 f"expectation; {main_below} of {len(mains)} main results below."]
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
            reasoning.append("The plan has no numeric targets (qualitative): the rater assesses the results from the "
                             "evidence, so there is no suggestion.")
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
        reasoning.append(f"{above + meets} of {n} results meet or exceed expectation and only {main_below} of "
                         f"{len(mains)} main results fall below: meets.")
        return Suggestion(MEETS, reasoning, counts)
    if (above + meets) * 2 >= n:
        reasoning.append(f"{main_below} of {len(mains)} main results fall below expectation, which is not 'a few' "
                         "(fewer than half): below.")
    else:
        reasoning.append(f"Only {above + meets} of {n} results meet or exceed expectation: below.")
    return Suggestion(BELOW, reasoning, counts)


# -- organisational predicate and distribution (SE 03/2023) ----------------------------------

AT_MOST, AT_LEAST, AT_LEAST_COUNT, NONE = "at_most", "at_least", "at_least_count", "none"


@dataclass(frozen=True)
class Rule:
    code: str
    predicates: tuple[str, ...]
    kind: str          # at_most / at_least (percent), at_least_count, none
    value: int         # percent for at_most/at_least, a count for at_least_count

    def describe(self) -> str:
        names = " plus ".join(PREDICATE_NAMES_ID[p] for p in self.predicates)
        if self.kind == AT_MOST:
            return f"{names} at most {self.value} %"
        if self.kind == AT_LEAST:
            return f"{names} at least {self.value} %"
        if self.kind == AT_LEAST_COUNT:
            return f"at least {self.value} {' or '.join(PREDICATE_NAMES_ID[p] for p in self.predicates)}"
        return f"no {names}"


DISTRIBUTION_RULES: dict[str, tuple[Rule, ...]] = {
    ISTIMEWA: (Rule("ISTIMEWA.max_sangat_baik", (SANGAT_BAIK,), AT_MOST, 70),),
    BAIK: (Rule("BAIK.max_baik", (BAIK,), AT_MOST, 70),
           Rule("BAIK.min_one_butuh_perbaikan_or_kurang", (BUTUH_PERBAIKAN, KURANG), AT_LEAST_COUNT, 1)),
    BUTUH_PERBAIKAN: (Rule("BUTUH_PERBAIKAN.min_butuh_perbaikan", (BUTUH_PERBAIKAN,), AT_LEAST, 60),
                      Rule("BUTUH_PERBAIKAN.max_sangat_baik", (SANGAT_BAIK,), AT_MOST, 10)),
    KURANG: (Rule("KURANG.min_kurang", (KURANG,), AT_LEAST, 60),
             Rule("KURANG.min_butuh_perbaikan", (BUTUH_PERBAIKAN,), AT_LEAST, 10),
             Rule("KURANG.max_sangat_baik", (SANGAT_BAIK,), AT_MOST, 10)),
    SANGAT_KURANG: (Rule("SANGAT_KURANG.min_sangat_kurang", (SANGAT_KURANG,), AT_LEAST, 60),
                    Rule("SANGAT_KURANG.min_kurang_plus_butuh_perbaikan", (KURANG, BUTUH_PERBAIKAN), AT_LEAST, 10),
                    Rule("SANGAT_KURANG.no_sangat_baik", (SANGAT_BAIK,), NONE, 0)),
}


LITERAL, NEAREST = "literal", "nearest"
ROUNDINGS = (LITERAL, NEAREST)
ROUNDING_TEXT = {
    LITERAL: "Literal (the regulation's text): \"at most p %\" of a unit of n allows floor(p × n) people and "
             "\"at least p %\" needs ceil(p × n) people.",
    NEAREST: "Nearest person: a bound is the whole number of people nearest to p × n; an exact half rounds toward "
             "the rule (down for \"at most\", up for \"at least\").",
}


def _check_rounding(rounding: str) -> None:
    if rounding not in ROUNDINGS:
        raise DomainError("rounding", f"must be one of {', '.join(ROUNDINGS)}")


def max_allowed(percent: int, total: int, rounding: str = LITERAL) -> int:
    """How many people an "at most ``percent`` %" bound allows in a unit of ``total``.

    ``literal`` (the default, SE 03/2023's text "paling banyak"): floor(percent × total / 100), so
    no more than the percentage is ever allowed; units of 1-5 at most 70 %: 0, 1, 2, 2, 3.
    ``nearest``: the whole number of people nearest to it, an exact half rounding down (toward the
    rule); units of 1-5 at most 70 %: 1, 1, 2, 3, 3.
    """
    _check_rounding(rounding)
    num, den = percent * total, 100
    if rounding == LITERAL:
        return num // den
    return -((-(2 * num - den)) // (2 * den))  # ceil(x - 1/2): round half down


def min_required(percent: int, total: int, rounding: str = LITERAL) -> int:
    """How many people an "at least ``percent`` %" bound requires in a unit of ``total``.

    ``literal`` (the default, "paling sedikit"): ceil(percent × total / 100); units of 1-5 at least
    60 %: 1, 2, 2, 3, 3. ``nearest``: the whole number nearest to it, an exact half rounding up
    (toward the rule); units of 1-5 at least 60 %: 1, 1, 2, 2, 3."""
    _check_rounding(rounding)
    if rounding == LITERAL:
        return -((-percent * total) // 100)
    return (2 * percent * total + 100) // 200  # floor(x + 1/2): round half up


@dataclass(frozen=True)
class RuleCheck:
    rule: Rule
    count: int
    share: float           # percent of the unit, one decimal (display only: the check uses counts)
    limit: int             # the allowed maximum or the required minimum, in people
    ok: bool
    exact: float | None = None  # percent × total / 100 before rounding (display: "70 % of 8 = 5.6")

    def as_dict(self) -> dict:
        bound = {AT_MOST: "allowed at most", AT_LEAST: "required at least", AT_LEAST_COUNT: "required at least",
                 NONE: "allowed at most"}[self.rule.kind]
        return {"code": self.rule.code, "rule": self.rule.describe(), "predicates": list(self.rule.predicates),
                "kind": self.rule.kind, "value": self.rule.value, "count": self.count, "share": self.share,
                "limit": self.limit, "exact": self.exact, "ok": self.ok,
                "message": f"{self.rule.describe()}: {self.count} of the unit's people ({self.share} %), "
                           f"{bound} {self.limit}"}


@dataclass(frozen=True)
class Distribution:
    org_predicate: str | None
    total: int
    counts: dict
    shares: dict
    checks: tuple[RuleCheck, ...]
    rounding: str = LITERAL

    @property
    def violations(self) -> list[RuleCheck]:
        return [c for c in self.checks if not c.ok]

    @property
    def ok(self) -> bool:
        return not self.violations

    def as_dict(self) -> dict:
        return {"organisational_predicate": self.org_predicate, "total": self.total, "counts": dict(self.counts),
                "shares": dict(self.shares), "rules": [c.as_dict() for c in self.checks],
                "violations": [c.as_dict() for c in self.violations], "ok": self.ok, "rounding_policy": self.rounding}


def _share(count: int, total: int) -> float:
    return _round1(count * 100 / total) if total else 0.0


def check_distribution(org_predicate: str | None, predicates: list[str], rounding: str = LITERAL) -> Distribution:
    """The unit's employee predicates against the SE 03/2023 rules of its organisational predicate,
    each percentage bound turned into people by ``rounding`` (see max_allowed, min_required).

    Without an organisational predicate there are no rules to check. An empty unit has nothing
    to check either (rules are only evaluated when the unit has at least one predicate).
    """
    if org_predicate is not None and org_predicate not in ORG_PREDICATES:
        raise DomainError("predicate", f"must be one of {', '.join(ORG_PREDICATES)}")
    for p in predicates:
        if p not in PREDICATES:
            raise DomainError("predicates", f"{p!r} is not an employee predicate")
    _check_rounding(rounding)
    total = len(predicates)
    counts = {p: predicates.count(p) for p in PREDICATES}
    shares = {p: _share(counts[p], total) for p in PREDICATES}
    checks = []
    if org_predicate and total:
        for rule in DISTRIBUTION_RULES[org_predicate]:
            count = sum(counts[p] for p in rule.predicates)
            exact = None
            if rule.kind in (AT_MOST, AT_LEAST):
                exact = float(Decimal(rule.value * total) / 100)
            if rule.kind == AT_MOST:
                limit = max_allowed(rule.value, total, rounding)
                ok = count <= limit
            elif rule.kind == AT_LEAST:
                limit = min_required(rule.value, total, rounding)
                ok = count >= limit
            elif rule.kind == AT_LEAST_COUNT:
                limit = rule.value
                ok = count >= limit
            else:
                limit = 0
                ok = count == 0
            checks.append(RuleCheck(rule, count, _share(count, total), limit, ok, exact))
    return Distribution(org_predicate, total, counts, shares, tuple(checks), rounding)


# -- credit points (angka kredit, Peraturan BKN 3/2023) -----------------------------------------

CREDIT_SHARE = {SANGAT_BAIK: Decimal("1.50"), BAIK: Decimal("1.00"), BUTUH_PERBAIKAN: Decimal("0.75"),
                KURANG: Decimal("0.50"), SANGAT_KURANG: Decimal("0.25")}
CREDIT_DECIMALS = Decimal("0.01")
FROM_LEVEL, FROM_LEGACY_COEFFICIENT = "functional_level", "functional_coefficient"


@dataclass(frozen=True)
class Coefficient:
    """The yearly coefficient used for an employee's credit points and where it came from."""

    value: float | None
    source: str | None            # functional_level | functional_coefficient (legacy) | None (not a functional)
    level: str | None = None      # the jenjang code (PT, MU, ... PY) when known

    def as_dict(self) -> dict:
        lv = functional_levels.level(self.level)
        return {"functional_level": self.level, "functional_level_name": lv.name if lv else None,
                "siasn_koefisien_id": lv.siasn_koefisien_id if lv else None, "coefficient": self.value,
                "coefficient_source": self.source}


def yearly_coefficient(functional_level: str | None, legacy_coefficient=None) -> Coefficient:
    """The yearly coefficient of an employee: from their functional level (jenjang, the directory's
    ``functional_level``) by kinerja_shared.functional_levels (Ahli Pertama 12.5 ... Penyelia 25), never
    typed in. Only when no level is known does the old ``functional_coefficient`` count (source
    ``functional_coefficient``, said so in every answer); a value outside its bounds counts as none."""
    lv = functional_levels.level(functional_level)
    if lv is not None:
        return Coefficient(lv.yearly_coefficient, FROM_LEVEL, lv.code)
    legacy = usable_coefficient(legacy_coefficient) if legacy_coefficient is not None else None
    if legacy is not None:
        return Coefficient(legacy, FROM_LEGACY_COEFFICIENT, None)
    return Coefficient(None, None, None)


def credit_points(predicate: str, yearly_coefficient, months: int = 12) -> float | None:
    """Credit points (angka kredit, Peraturan BKN 3/2023) of a period:

        share of the predicate × yearly coefficient × months / 12, rounded half up to two decimals,

    with the shares Sangat Baik 150 %, Baik 100 %, Butuh Perbaikan 75 %, Kurang 50 %, Sangat Kurang
    25 %. The product is computed exactly (decimal) and rounded once, as in BKN's worked example:
    2 months at Baik for an Ahli Pertama (12.5) = 2/12 × 100 % × 12.5 = 2.0833... = 2.08.
    A year's total is the sum of its periods' rounded figures.

    None when the employee has no coefficient (not a functional)."""
    if yearly_coefficient is None:
        return None
    if usable_coefficient(yearly_coefficient) is None:  # stored before the bound existed: no figure rather than an overflow
        return None
    if predicate not in CREDIT_SHARE:
        raise DomainError("predicate", f"must be one of {', '.join(PREDICATES)}")
    if not 0 <= months <= 12:
        raise DomainError("months", "must be between 0 and 12")
    value = CREDIT_SHARE[predicate] * Decimal(str(yearly_coefficient)) * Decimal(months) / Decimal(12)
    return float(value.quantize(CREDIT_DECIMALS, rounding=ROUND_HALF_UP))


def credit_total(figures: Iterable) -> float:
    """The sum of periods' credit points (each already rounded to two decimals), exact in decimal."""
    total = sum((Decimal(str(f)) for f in figures if f is not None), Decimal(0))
    return float(total.quantize(CREDIT_DECIMALS, rounding=ROUND_HALF_UP))


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
