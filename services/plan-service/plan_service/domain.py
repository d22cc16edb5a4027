"""The rules of the plan (SKP) and the org directory, in plain Python (PermenPANRB 6/2022).

No Flask, no SQLAlchemy: tested alone in tests/test_domain.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# -- NIP ---------------------------------------------------------------------------------


class DomainError(ValueError):
    """A rule was broken; ``field`` names what the caller should fix."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def nip_problem(nip: str) -> str | None:
    """Why an 18-digit NIP is malformed, or None when it is well formed.

    Structure: YYYYMMDD (birth date) + YYYYMM (start as ASN, *TMT CPNS*) + G (gender: 1 man,
    2 woman) + NNN (serial).
    """
    if not isinstance(nip, str) or len(nip) != 18 or not nip.isdigit():
        return "must be exactly 18 digits"
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return f"digits 1-8 must be a valid birth date (YYYYMMDD), got {nip[0:8]}"
    start_year, start_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= start_month <= 12:
        return f"digits 13-14 must be the start month (01-12), got {nip[12:14]}"
    if start_year < born.year + 15:
        return f"digits 9-12 (start year {start_year}) must be at least 15 years after the birth year {born.year}"
    if nip[14] not in "12":
        return f"digit 15 must be the gender digit 1 or 2, got {nip[14]}"
    return None


# -- the plan ----------------------------------------------------------------------------

APPROACHES = ("quantitative", "qualitative")
MODELS = ("JPT", "JA_JF")
RESULT_KINDS = ("main", "additional")
ASPECTS = ("quantity", "quality", "time", "cost")
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

DRAFT, SUBMITTED, APPROVED, CLOSED = "draft", "submitted", "approved", "closed"
STATUSES = (DRAFT, SUBMITTED, APPROVED, CLOSED)
TRANSITIONS = {
    "submit": ({DRAFT}, SUBMITTED),
    "approve": ({SUBMITTED}, APPROVED),
    "return": ({SUBMITTED}, DRAFT),
}


class TransitionError(Exception):
    def __init__(self, action: str, current: str):
        allowed = sorted(TRANSITIONS[action][0])
        super().__init__(f"cannot {action} a plan that is {current} (allowed from: {', '.join(allowed)})")
        self.action = action
        self.current = current


def next_status(action: str, current: str) -> str:
    """The status after ``action``; TransitionError when the plan's status forbids it."""
    allowed, target = TRANSITIONS[action]
    if current not in allowed:
        raise TransitionError(action, current)
    return target


def check_plan_content(approach: str, model: str, results: list[dict], behaviours: list[dict]) -> None:
    """Check the structure rules of a plan's content; raise DomainError naming the field."""
    if approach not in APPROACHES:
        raise DomainError("approach", f"must be one of {', '.join(APPROACHES)}")
    if model not in MODELS:
        raise DomainError("model", f"must be one of {', '.join(MODELS)}")
    if not any(r["kind"] == "main" for r in results):
        raise DomainError("results", "a plan needs at least one main result (hasil kerja utama)")
    for i, result in enumerate(results):
        where = f"results.{i}"
        if model == "JPT" and not result.get("perspective"):
            raise DomainError(f"{where}.perspective", f"a JPT result needs a perspective: {', '.join(PERSPECTIVES)}")
        if not result["indicators"]:
            raise DomainError(f"{where}.indicators", "each result needs at least one indicator")
        for j, indicator in enumerate(result["indicators"]):
            if approach == "quantitative" and indicator.get("target_value") is None:
                raise DomainError(f"{where}.indicators.{j}.target_value", "a quantitative plan needs a numeric target")
            if approach == "quantitative" and not indicator.get("target_unit"):
                raise DomainError(f"{where}.indicators.{j}.target_unit", "a quantitative plan needs the target's unit")
    seen = [b["value"] for b in behaviours]
    if sorted(seen) != sorted(BEHAVIOUR_VALUES):
        missing = [v for v in BEHAVIOUR_VALUES if v not in seen]
        extra = sorted({v for v in seen if seen.count(v) > 1})
        raise DomainError("behaviours", "give each of the seven BerAKHLAK values once"
                          + (f"; missing: {', '.join(missing)}" if missing else "")
                          + (f"; repeated: {', '.join(extra)}" if extra else ""))


@dataclass(frozen=True)
class Span:
    start: date
    end: date


def plan_span(year: int, start: date | None, end: date | None) -> Span:
    """The span a plan covers: the year, or a shorter span inside it (after a transfer)."""
    span = Span(start or date(year, 1, 1), end or date(year, 12, 31))
    if span.start.year != year or span.end.year != year:
        raise DomainError("period_start", f"the plan's span must lie within {year}")
    if span.end < span.start:
        raise DomainError("period_end", "must not be before period_start")
    return span
