"""Realisation per indicator aspect (DOMAIN.md "Realisation per indicator aspect"), in plain Python.

How much of a target has been reached depends on the indicator's aspect and its ``measure``:

| aspect | measure | realisation | better when |
|---|---|---|---|
| quantity | ``sum`` | verified quantities summed from the plan's start; a periodic evaluation expects the share of the target for the months elapsed | higher |
| quality | ``latest`` / ``average`` | the latest or the average of the period's verified measurements (an activity's quantity is the measured level, e.g. 95 "%") against the target level; never summed, not prorated | higher |
| time | ``duration`` | the average time taken in the period (activity quantity in the indicator's unit) against the target | lower |
| time | ``deadline`` | the share of the period's verified deliveries made by ``deadline_day`` of their month | on time |
| cost | ``spent`` | verified spending from the plan's start against the budget for the months elapsed | lower |

A measure of ``None`` is the aspect's default (quantity sum, quality average, time duration, cost
spent). For lower-is-better measures the achievement is ``(2 × target − realised) / target × 100``
(the usual formula for indicators where less is better), never below 0: realised = target is
100 %, half of it 150 %, twice it 0 %.

Each indicator gets a ``level``: ``above`` (more than 100 %), ``meets`` (100 %), ``below`` (less),
``no_data`` when nothing was verified in the period (not 0 % "below"), or ``None`` without a
numeric target (qualitative plans: the rater assesses from the evidence); and a ``reasoning`` in
English that the messages catalogue renders in Bahasa Indonesia.
"""  # noqa: E501

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kinerja_shared.numbers import finite, round_half_up, usable_target

ABOVE, MEETS, BELOW, NO_DATA = "above", "meets", "below", "no_data"
LEVELS = (ABOVE, MEETS, BELOW, NO_DATA)

SUM, LATEST, AVERAGE, DURATION, DEADLINE, SPENT = "sum", "latest", "average", "duration", "deadline", "spent"
MEASURES = (SUM, LATEST, AVERAGE, DURATION, DEADLINE, SPENT)
DEFAULT_MEASURE = {"quantity": SUM, "quality": AVERAGE, "time": DURATION, "cost": SPENT}
MEASURES_OF_ASPECT = {"quantity": (SUM,), "quality": (LATEST, AVERAGE), "time": (DURATION, DEADLINE), "cost": (SPENT,)}
# measures that look at each of the period's measurements rather than at sums
PER_MEASUREMENT = (LATEST, AVERAGE, DURATION, DEADLINE)

LEVEL_TEXT = {ABOVE: "above expectation", MEETS: "meets expectation", BELOW: "below expectation"}


def measure_of(aspect: str | None, measure: str | None) -> str:
    """The indicator's measure: as given, else the default of its aspect (sum for an unknown one)."""
    if measure in MEASURES:
        return measure
    return DEFAULT_MEASURE.get(aspect or "", SUM)


def _round1(value) -> float | None:
    number = finite(value)
    return round_half_up(number, 1) if number is not None else None


def _num(value) -> str:
    """A number as people write it: 95, 12.5, 1200 (no trailing .0)."""
    number = finite(value)
    if number is None:
        return "-"
    rounded = round_half_up(number, 2)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"


def months_between(start: date, end: date) -> int:
    """Calendar months touched by [start, end] (both inclusive); 0 when end < start."""
    if end < start:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


def level_from_percent(percent: float | None) -> str | None:
    """More than 100 % exceeds the expectation (above), exactly 100 % meets it, less falls below."""
    if percent is None:
        return None
    if percent > 100:
        return ABOVE
    if percent == 100:
        return MEETS
    return BELOW


def lower_is_better(target: float, realised: float) -> float:
    """Achievement (percent) of a lower-is-better indicator: (2 × target − realised) / target × 100, at least 0."""
    return max(0.0, (2 * target - realised) / target * 100)


@dataclass(frozen=True)
class Measurement:
    """One verified activity of the period: its date and quantity (in the indicator's unit)."""

    day: date
    quantity: float


@dataclass(frozen=True)
class IndicatorFacts:
    """What the read model knows about one indicator for one period."""

    realised_in_period: float = 0.0  # verified quantity within the period
    realised_to_date: float = 0.0  # verified quantity from the plan's start to the period's end
    verified_in_period: int = 0  # verified entries within the period
    pending_in_period: int = 0
    quantity_excluded: int = 0  # verified entries with a stored quantity outside the bounds
    measurements: tuple[Measurement, ...] = ()  # the period's verified entries, oldest first (per-measurement measures)


@dataclass(frozen=True)
class IndicatorRealisation:
    indicator_id: str
    target_value: float | None
    realised_in_period: float
    realised_to_date: float
    expected_to_date: float | None  # sum/spent: target × the share of the plan's span elapsed by the period's end
    percent_of_target: float | None  # achievement against the plan's whole target
    percent_of_expected: float | None  # achievement against what is expected by the period's end (drives the level)
    target_usable: bool | None = None  # None: no numeric target; False: a stored target outside the bounds
    quantity_excluded: int = 0
    aspect: str | None = None
    measure: str = SUM
    deadline_day: int | None = None
    measured_value: float | None = (
        None  # the figure compared with the target (sum, level, duration, share on time, spent)
    )
    measurements: int = 0  # verified entries in the period
    level: str | None = None  # above | meets | below | no_data | None (no numeric target)
    reasoning: str = ""
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {k: (dict(v) if isinstance(v, dict) else v) for k, v in self.__dict__.items()}


def _unit(unit: str | None) -> str:
    return f" {' '.join(unit.split())}" if unit and unit.strip() else " -"


def realise(
    indicator: dict, facts: IndicatorFacts, plan_start: date, plan_end: date, period_end: date
) -> IndicatorRealisation:
    """One indicator's realisation by the rule of its aspect and measure (see the module's table)."""
    iid = indicator["indicator_id"]
    aspect = indicator.get("aspect")
    measure = measure_of(aspect, indicator.get("measure"))
    deadline_day = indicator.get("deadline_day")
    unit = indicator.get("target_unit")
    target_value = indicator.get("target_value")
    shown = finite(target_value)
    target = usable_target(target_value)
    usable = None if target_value is None or shown == 0 else target is not None
    common = dict(
        indicator_id=iid,
        realised_in_period=finite(facts.realised_in_period) or 0.0,
        realised_to_date=finite(facts.realised_to_date) or 0.0,
        quantity_excluded=facts.quantity_excluded,
        aspect=aspect,
        measure=measure,
        deadline_day=deadline_day,
        measurements=facts.verified_in_period,
        target_usable=usable,
    )
    if target is None:
        reason = (
            "No numeric target (qualitative): the rater assesses this result from the evidence."
            if usable is None
            else "The stored target is outside the bounds of a target: no percentage; the rater assesses from the "
            "evidence."
        )
        return IndicatorRealisation(
            target_value=shown,
            expected_to_date=None,
            percent_of_target=None,
            percent_of_expected=None,
            reasoning=reason,
            **common,
        )
    elapsed = months_between(plan_start, min(period_end, plan_end))
    span = max(months_between(plan_start, plan_end), 1)
    expected = round(target * min(elapsed, span) / span, 4)
    if facts.verified_in_period == 0:
        return IndicatorRealisation(
            target_value=target,
            expected_to_date=expected if measure in (SUM, SPENT) else None,
            percent_of_target=None,
            percent_of_expected=None,
            level=NO_DATA,
            **common,
            reasoning=f"No data yet: no verified measurement in the period ({facts.pending_in_period} awaiting "
            "verification); it does not count as below.",
        )
    rule = _RULES[measure]
    return rule(target, expected, unit, deadline_day, facts, common)


def _sum(target, expected, unit, _deadline_day, facts, common):
    done = common["realised_to_date"]
    percent = _round1(done / expected * 100) if expected > 0 else None
    level = level_from_percent(percent)
    return IndicatorRealisation(
        target_value=target,
        expected_to_date=expected,
        percent_of_target=_round1(done / target * 100),
        percent_of_expected=percent,
        measured_value=done,
        level=level,
        **common,
        reasoning=f"Quantity (sum): {_num(done)}{_unit(unit)} verified to date against {_num(expected)}{_unit(unit)} "
        f"expected by the period's end ({_num(percent)} % of it; the plan's target is {_num(target)}"
        f"{_unit(unit)}): {LEVEL_TEXT.get(level, '-')}.",
    )


def _level(target, _expected, unit, _deadline_day, facts, common, *, latest: bool):
    values = [m.quantity for m in facts.measurements]
    if not values:  # verified entries, all with quantities outside the bounds
        values = [0.0]
    value = values[-1] if latest else sum(values) / len(values)
    percent = _round1(value / target * 100)
    level = level_from_percent(percent)
    if latest:
        day = facts.measurements[-1].day.isoformat() if facts.measurements else "-"
        text = (
            f"Quality (latest verified measurement): {_num(value)}{_unit(unit)} measured on {day} against the target "
            "level of "
            f"{_num(target)}{_unit(unit)} ({_num(percent)} %): {LEVEL_TEXT[level]}."
        )
    else:
        text = (
            f"Quality (average of {len(values)} verified measurements in the period): {_num(value)}{_unit(unit)} "
            "against the "
            f"target level of {_num(target)}{_unit(unit)} ({_num(percent)} %): {LEVEL_TEXT[level]}."
        )
    return IndicatorRealisation(
        target_value=target,
        expected_to_date=None,
        percent_of_target=percent,
        percent_of_expected=percent,
        measured_value=_round1(value),
        level=level,
        reasoning=text,
        **common,
    )


def _latest(*args):
    return _level(*args, latest=True)


def _average(*args):
    return _level(*args, latest=False)


def _duration(target, _expected, unit, _deadline_day, facts, common):
    values = [m.quantity for m in facts.measurements] or [0.0]
    value = sum(values) / len(values)
    percent = _round1(lower_is_better(target, value))
    level = level_from_percent(percent)
    return IndicatorRealisation(
        target_value=target,
        expected_to_date=None,
        percent_of_target=percent,
        percent_of_expected=percent,
        measured_value=_round1(value),
        level=level,
        **common,
        reasoning=f"Time (duration, lower is better): {_num(value)}{_unit(unit)} taken on average over {len(values)} "
        f"verified deliveries against the target of {_num(target)}{_unit(unit)} ({_num(percent)} %): "
        f"{LEVEL_TEXT[level]}.",
    )


def _deadline(target, _expected, unit, deadline_day, facts, common):
    day_limit = deadline_day or 31
    deliveries = list(facts.measurements)
    late = [m.day for m in deliveries if m.day.day > day_limit]
    on_time = len(deliveries) - len(late)
    percent = _round1(on_time / len(deliveries) * 100) if deliveries else 0.0
    level = level_from_percent(percent)
    text = (
        f"Time (deadline, by day {day_limit} of each month): {on_time} of {len(deliveries)} verified deliveries "
        f"in the period on time ({_num(percent)} %): {LEVEL_TEXT[level]}."
    )
    if late:
        text += f" Late: {', '.join(d.isoformat() for d in late[:6])}{' …' if len(late) > 6 else ''}."
    return IndicatorRealisation(
        target_value=target,
        expected_to_date=None,
        percent_of_target=percent,
        percent_of_expected=percent,
        measured_value=percent,
        level=level,
        reasoning=text,
        details={"on_time": on_time, "late": len(late), "deliveries": len(deliveries)},
        **common,
    )


def _spent(target, expected, unit, _deadline_day, facts, common):
    spent = common["realised_to_date"]
    percent = _round1(lower_is_better(expected, spent)) if expected > 0 else None
    level = level_from_percent(percent)
    return IndicatorRealisation(
        target_value=target,
        expected_to_date=expected,
        percent_of_target=_round1(lower_is_better(target, spent)),
        percent_of_expected=percent,
        measured_value=spent,
        level=level,
        **common,
        reasoning=f"Cost (spent, lower is better): {_num(spent)}{_unit(unit)} verified as spent to date against a "
        "budget of "
        f"{_num(expected)}{_unit(unit)} for the months elapsed ({_num(percent)} %; the plan's budget is "
        f"{_num(target)}{_unit(unit)}): {LEVEL_TEXT.get(level, '-')}.",
    )


_RULES = {SUM: _sum, LATEST: _latest, AVERAGE: _average, DURATION: _duration, DEADLINE: _deadline, SPENT: _spent}


# -- a result from its indicators -----------------------------------------------------------------


@dataclass(frozen=True)
class ResultRealisation:
    percent: float | None  # the mean achievement of its indicators that have one
    level: str | None  # above | meets | below (from percent) | no_data | None (no numeric target)


def result_realisation(indicators: list[IndicatorRealisation]) -> ResultRealisation:
    """A result's realisation: the mean achievement of its indicators with a percentage; ``no_data`` when
    every indicator with a numeric target has nothing verified in the period; None without numeric targets."""
    values = [i.percent_of_expected for i in indicators if i.percent_of_expected is not None]
    if values:
        percent = _round1(sum(values) / len(values))
        return ResultRealisation(percent, level_from_percent(percent))
    if any(i.level == NO_DATA for i in indicators):
        return ResultRealisation(None, NO_DATA)
    return ResultRealisation(None, None)
