"""The numeric limits of the domain, shared by every service that stores or computes with them.

One place for each bound, so the schema that refuses a value (and documents the bound in the
OpenAPI document) and the computation that must survive a value stored before the bound
existed use the same number.

| what | minimum | maximum | decimals | why |
|---|---|---|---|---|
| activity quantity, per entry | 0 | 10,000 | 2 | what one person can realise in one entry's time (at most a day); a larger count is logged over several entries, money in thousands or millions of rupiah |
| indicator target value | 0 | 1,000,000,000 | 2 | a year's target for one person; a budget target in thousands of rupiah up to Rp 1 trillion |
| functional coefficient (koefisien) | 0 | 100 | 3 | the highest jenjang coefficient is 50 (Ahli Utama) |
| a version sent back (If-Match's number, bulk approval) | 1 | 2,147,483,647 | 0 | the tables' 32-bit integer |

A computation (realisation, sums, percentages, credit points) treats a stored value outside
these bounds, or not a finite number, as unusable: it leaves it out and says so, rather than
overflowing (``Decimal.quantize`` of infinity) or writing ``Infinity`` into JSON.
"""  # noqa: E501

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

MAX_ENTRY_QUANTITY = 10_000
QUANTITY_PLACES = 2
MAX_TARGET_VALUE = 1_000_000_000
TARGET_PLACES = 2
MAX_FUNCTIONAL_COEFFICIENT = 100
COEFFICIENT_PLACES = 3
MAX_VERSION = 2**31 - 1  # versions and revisions are 32-bit integers in the tables


def finite(value) -> float | None:
    """``value`` as a float when it is a finite number, else None (None, NaN, ±Infinity, not a number)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def within(value, minimum: float, maximum: float) -> float | None:
    """``value`` as a float when it is finite and in [minimum, maximum], else None."""
    number = finite(value)
    return number if number is not None and minimum <= number <= maximum else None


def usable_quantity(value) -> float | None:
    """A stored activity quantity that computations may use (finite, 0..MAX_ENTRY_QUANTITY), else None."""
    return within(value, 0, MAX_ENTRY_QUANTITY)


def usable_target(value) -> float | None:
    """A stored target a percentage may be computed against: finite, at least one hundredth (the
    smallest value of two decimals) and at most MAX_TARGET_VALUE; else None."""
    return within(value, 10**-TARGET_PLACES, MAX_TARGET_VALUE)


def usable_coefficient(value) -> float | None:
    return within(value, 0, MAX_FUNCTIONAL_COEFFICIENT)


def round_half_up(value: float, places: int) -> float:
    """``value`` rounded half up to ``places`` decimals, for any finite float (no context overflow)."""
    quantum = Decimal(1).scaleb(-places)
    exact = Decimal(repr(float(value)))
    if exact.adjusted() >= 28 - places:  # beyond the default context's precision: already a whole number there
        return float(value)
    return float(exact.quantize(quantum, rounding=ROUND_HALF_UP))
