"""The organisational predicate's distribution rules (SE MenPANRB 03/2023) and their check, in plain Python."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kinerja_shared.numbers import finite, round_half_up

from .vocabulary import (
    BAIK,
    BUTUH_PERBAIKAN,
    ISTIMEWA,
    KURANG,
    ORG_PREDICATES,
    PREDICATE_NAMES_ID,
    PREDICATES,
    SANGAT_BAIK,
    SANGAT_KURANG,
    DomainError,
)


def _round1(value: float) -> float | None:
    """One decimal, half up; None for a value that is not a finite number (never a Decimal overflow)."""
    number = finite(value)
    return round_half_up(number, 1) if number is not None else None


# -- organisational predicate and distribution (SE 03/2023) ----------------------------------

AT_MOST, AT_LEAST, AT_LEAST_COUNT, NONE = "at_most", "at_least", "at_least_count", "none"


@dataclass(frozen=True)
class Rule:
    code: str
    predicates: tuple[str, ...]
    kind: str  # at_most / at_least (percent), at_least_count, none
    value: int  # percent for at_most/at_least, a count for at_least_count

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
    BAIK: (
        Rule("BAIK.max_baik", (BAIK,), AT_MOST, 70),
        Rule("BAIK.min_one_butuh_perbaikan_or_kurang", (BUTUH_PERBAIKAN, KURANG), AT_LEAST_COUNT, 1),
    ),
    BUTUH_PERBAIKAN: (
        Rule("BUTUH_PERBAIKAN.min_butuh_perbaikan", (BUTUH_PERBAIKAN,), AT_LEAST, 60),
        Rule("BUTUH_PERBAIKAN.max_sangat_baik", (SANGAT_BAIK,), AT_MOST, 10),
    ),
    KURANG: (
        Rule("KURANG.min_kurang", (KURANG,), AT_LEAST, 60),
        Rule("KURANG.min_butuh_perbaikan", (BUTUH_PERBAIKAN,), AT_LEAST, 10),
        Rule("KURANG.max_sangat_baik", (SANGAT_BAIK,), AT_MOST, 10),
    ),
    SANGAT_KURANG: (
        Rule("SANGAT_KURANG.min_sangat_kurang", (SANGAT_KURANG,), AT_LEAST, 60),
        Rule("SANGAT_KURANG.min_kurang_plus_butuh_perbaikan", (KURANG, BUTUH_PERBAIKAN), AT_LEAST, 10),
        Rule("SANGAT_KURANG.no_sangat_baik", (SANGAT_BAIK,), NONE, 0),
    ),
}


LITERAL, NEAREST = "literal", "nearest"
ROUNDINGS = (LITERAL, NEAREST)
ROUNDING_TEXT = {
    LITERAL: 'Literal (the regulation\'s text): "at most p %" of a unit of n allows floor(p × n) people and '
    '"at least p %" needs ceil(p × n) people.',
    NEAREST: "Nearest person: a bound is the whole number of people nearest to p × n; an exact half rounds toward "
    'the rule (down for "at most", up for "at least").',
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
    share: float  # percent of the unit, one decimal (display only: the check uses counts)
    limit: int  # the allowed maximum or the required minimum, in people
    ok: bool
    exact: float | None = None  # percent × total / 100 before rounding (display: "70 % of 8 = 5.6")

    def as_dict(self) -> dict:
        bound = {
            AT_MOST: "allowed at most",
            AT_LEAST: "required at least",
            AT_LEAST_COUNT: "required at least",
            NONE: "allowed at most",
        }[self.rule.kind]
        return {
            "code": self.rule.code,
            "rule": self.rule.describe(),
            "predicates": list(self.rule.predicates),
            "kind": self.rule.kind,
            "value": self.rule.value,
            "count": self.count,
            "share": self.share,
            "limit": self.limit,
            "exact": self.exact,
            "ok": self.ok,
            "message": f"{self.rule.describe()}: {self.count} of the unit's people ({self.share} %), "
            f"{bound} {self.limit}",
        }


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
        return {
            "organisational_predicate": self.org_predicate,
            "total": self.total,
            "counts": dict(self.counts),
            "shares": dict(self.shares),
            "rules": [c.as_dict() for c in self.checks],
            "violations": [c.as_dict() for c in self.violations],
            "ok": self.ok,
            "rounding_policy": self.rounding,
        }


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
