"""The words of evaluation (PermenPANRB 6/2022, SE MenPANRB 03/2023): ratings, predicates, statuses,
period kinds, and the error a broken rule raises. Plain Python; ``domain`` re-exports all of it."""

from __future__ import annotations


class DomainError(ValueError):
    """A rule was broken; ``field`` names what the caller should fix."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# -- vocabulary ------------------------------------------------------------------------------

ABOVE, MEETS, BELOW = "above", "meets", "below"
RATINGS = (ABOVE, MEETS, BELOW)
RATING_NAMES_ID = {ABOVE: "Di Atas Ekspektasi", MEETS: "Sesuai Ekspektasi", BELOW: "Di Bawah Ekspektasi"}

SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG = (
    "SANGAT_BAIK",
    "BAIK",
    "BUTUH_PERBAIKAN",
    "KURANG",
    "SANGAT_KURANG",
)
PREDICATES = (SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG)
PREDICATE_NAMES_ID = {
    SANGAT_BAIK: "Sangat Baik",
    BAIK: "Baik",
    BUTUH_PERBAIKAN: "Butuh Perbaikan",
    KURANG: "Kurang/Misconduct",
    SANGAT_KURANG: "Sangat Kurang",
}

ISTIMEWA = "ISTIMEWA"
ORG_PREDICATES = (ISTIMEWA, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG)
ORG_PREDICATE_NAMES_ID = {
    ISTIMEWA: "Istimewa",
    BAIK: "Baik",
    BUTUH_PERBAIKAN: "Butuh Perbaikan",
    KURANG: "Kurang",
    SANGAT_KURANG: "Sangat Kurang",
}

BEHAVIOUR_VALUES = ("service", "accountable", "competent", "harmonious", "loyal", "adaptive", "collaborative")
RESULT_KINDS = ("main", "additional")

OPEN, SUBMITTED, CLOSED = "open", "submitted", "closed"
STATUSES = (OPEN, SUBMITTED, CLOSED)

MONTHLY, QUARTERLY, ANNUAL = "monthly", "quarterly", "annual"
SCHEMES = (MONTHLY, QUARTERLY)
PERIOD_KINDS = (MONTHLY, QUARTERLY, ANNUAL)
