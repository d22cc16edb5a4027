"""Functional levels (jenjang jabatan fungsional) and their yearly credit-point coefficients.

One table for every service: the directory stores an employee's level by its code, evaluation-service
takes the yearly coefficient from it (never typed in), and the SIASN channel sends its ``koefisienId``.
Source: Peraturan BKN 3/2023 and SIASN's *koefisien* reference (the team's SIASN.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FunctionalLevel:
    code: str  # SIASN's code for the level
    name: str  # the level's name (jenjang)
    siasn_koefisien_id: int  # SIASN's koefisienId
    yearly_coefficient: float  # credit points a year at the 100 % share (Baik)
    category: str  # keahlian (expert) or keterampilan (skilled)


LEVELS: dict[str, FunctionalLevel] = {
    level.code: level
    for level in (
        FunctionalLevel("PT", "Ahli Pertama", 12, 12.5, "keahlian"),
        FunctionalLevel("MU", "Ahli Muda", 22, 25.0, "keahlian"),
        FunctionalLevel("MA", "Ahli Madya", 32, 37.5, "keahlian"),
        FunctionalLevel("UT", "Ahli Utama", 42, 50.0, "keahlian"),
        FunctionalLevel("PM", "Pemula", 52, 3.75, "keterampilan"),
        FunctionalLevel("TR", "Terampil", 62, 5.0, "keterampilan"),
        FunctionalLevel("MH", "Mahir", 72, 12.5, "keterampilan"),
        FunctionalLevel("PY", "Penyelia", 82, 25.0, "keterampilan"),
    )
}
CODES = tuple(LEVELS)


def level(code: str | None) -> FunctionalLevel | None:
    """The level of a code (``None`` for no code: not a functional position)."""
    return LEVELS.get(code) if code else None
