"""The rules of the performance dialogue (dialog kinerja), in plain Python (no Flask, no SQL).

Employee and rater meet when the plan is set (stage ``planning``) and when a period is evaluated
(stage ``evaluation``); either records the date, who took part, the topics and the agreed
follow-ups, and the other confirms (the recorder confirms by recording). Both confirmed: the
status is ``confirmed``. Before that either may edit it (the editor's confirmation stands, the
other's is asked again); after that a change is a correction: a new revision, confirmed by both
again, the confirmed one kept in the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from . import domain
from .domain import DomainError

PLANNING, EVALUATION = "planning", "evaluation"
STAGES = (PLANNING, EVALUATION)
RECORDED, CONFIRMED = "recorded", "confirmed"
STATUSES = (RECORDED, CONFIRMED)
EMPLOYEE, RATER = "employee", "rater"

MAX_TOPICS = 2000  # characters of the topics discussed
MAX_FOLLOW_UPS = 2000  # characters of the agreed follow-ups
MAX_OTHERS = 8  # participants besides the employee and the rater
NEAR_DAYS = 62  # how far before or after the plan's span a dialogue may be dated


def check_held_on(
    held_on: date, today: date, plan_start: date, plan_end: date, period: domain.Period | None = None
) -> None:
    """Not in the future; within the plan's span or NEAR_DAYS of it; for an evaluation's dialogue,
    not before its period starts (it is held when the period is evaluated)."""
    if held_on > today:
        raise DomainError("held_on", f"{held_on.isoformat()} is in the future; record a dialogue once it was held")
    earliest, latest = plan_start - timedelta(days=NEAR_DAYS), plan_end + timedelta(days=NEAR_DAYS)
    if not earliest <= held_on <= latest:
        raise DomainError(
            "held_on",
            f"must be between {earliest.isoformat()} and {latest.isoformat()} "
            "(the plan's span, give or take two months)",
        )
    if period is not None and held_on < period.start:
        raise DomainError(
            "held_on", f"must not be before {period.start.isoformat()}, the start of the evaluated period {period.id}"
        )


def participants(nip: str, rater_nip: str, others: list[str] | None) -> list[str]:
    """The employee and the rater first, then the others once each (at most MAX_OTHERS)."""
    extra = []
    for other in others or []:
        if other not in (nip, rater_nip) and other not in extra:
            extra.append(other)
    if len(extra) > MAX_OTHERS:
        raise DomainError("participants", f"at most {MAX_OTHERS} participants besides the employee and the rater")
    return [nip, rater_nip, *extra]


def planning_period(held_on: date, plan_start: date, plan_end: date, scheme: str) -> domain.Period:
    """The period a planning dialogue counts in: the one of the plan's span holding its date (a dialogue held
    before the plan starts counts in its first period, one held after it ends in its last)."""
    day = min(max(held_on, plan_start), plan_end)
    return domain.period_containing(day, scheme)


def previous_period(period: domain.Period) -> domain.Period | None:
    """The periodic period just before ``period`` under the same scheme (none for an annual one)."""
    if period.kind not in domain.SCHEMES:
        return None
    return domain.period_containing(period.start - timedelta(days=1), period.kind)


@dataclass(frozen=True)
class Confirmations:
    """Who confirmed the dialogue's current content."""

    employee: bool
    rater: bool

    @property
    def status(self) -> str:
        return CONFIRMED if self.employee and self.rater else RECORDED

    def by(self, party: str) -> Confirmations:
        """``party`` confirms: refused when they did already."""
        if (party == EMPLOYEE and self.employee) or (party == RATER and self.rater):
            raise AlreadyConfirmed(party)
        return Confirmations(self.employee or party == EMPLOYEE, self.rater or party == RATER)


def recorded_by(party: str) -> Confirmations:
    """New content (recorded, edited or corrected by ``party``): only they have confirmed it."""
    return Confirmations(party == EMPLOYEE, party == RATER)


class AlreadyConfirmed(ValueError):
    """The party confirmed the dialogue already."""


def party_of(nip: str, dialogue_nip: str, rater_nip: str) -> str | None:
    """Which party of the dialogue ``nip`` is: the employee, the rater, or none."""
    if nip == dialogue_nip:
        return EMPLOYEE
    if nip == rater_nip:
        return RATER
    return None
