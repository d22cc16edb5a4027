"""Credit points (angka kredit, Peraturan BKN 3/2023) from the predicate and the functional level, in plain Python."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kinerja_shared import functional_levels
from kinerja_shared.numbers import usable_coefficient

from .vocabulary import BAIK, BUTUH_PERBAIKAN, KURANG, PREDICATES, SANGAT_BAIK, SANGAT_KURANG, DomainError

# -- credit points (angka kredit, Peraturan BKN 3/2023) -----------------------------------------

CREDIT_SHARE = {
    SANGAT_BAIK: Decimal("1.50"),
    BAIK: Decimal("1.00"),
    BUTUH_PERBAIKAN: Decimal("0.75"),
    KURANG: Decimal("0.50"),
    SANGAT_KURANG: Decimal("0.25"),
}
CREDIT_DECIMALS = Decimal("0.01")
FROM_LEVEL, FROM_LEGACY_COEFFICIENT = "functional_level", "functional_coefficient"


@dataclass(frozen=True)
class Coefficient:
    """The yearly coefficient used for an employee's credit points and where it came from."""

    value: float | None
    source: str | None  # functional_level | functional_coefficient (legacy) | None (not a functional)
    level: str | None = None  # the jenjang code (PT, MU, ... PY) when known

    def as_dict(self) -> dict:
        lv = functional_levels.level(self.level)
        return {
            "functional_level": self.level,
            "functional_level_name": lv.name if lv else None,
            "siasn_koefisien_id": lv.siasn_koefisien_id if lv else None,
            "coefficient": self.value,
            "coefficient_source": self.source,
        }


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
    if (
        usable_coefficient(yearly_coefficient) is None
    ):  # stored before the bound existed: no figure rather than an overflow
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
