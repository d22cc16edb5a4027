"""Printed names (Bahasa Indonesia) the documents of several services share."""

from __future__ import annotations

from datetime import date

from .render import MONTHS_ID

BEHAVIOUR_NAMES_ID = {
    "service": "Berorientasi Pelayanan",
    "accountable": "Akuntabel",
    "competent": "Kompeten",
    "harmonious": "Harmonis",
    "loyal": "Loyal",
    "adaptive": "Adaptif",
    "collaborative": "Kolaboratif",
}
ASPECT_NAMES_ID = {"quantity": "Kuantitas", "quality": "Kualitas", "time": "Waktu", "cost": "Biaya"}
RESULT_KIND_NAMES_ID = {"main": "Utama", "additional": "Tambahan"}
APPROACH_NAMES_ID = {"quantitative": "Kuantitatif", "qualitative": "Kualitatif"}
MODEL_NAMES_ID = {"JPT": "Jabatan Pimpinan Tinggi (JPT)", "JA_JF": "Jabatan Administrasi / Fungsional"}
ROMAN = ("I", "II", "III", "IV")


def by_kind(results: list[dict]):
    """(letter, heading, results): the main results, then the additional ones, as the forms group them."""
    for kind, letter in (("main", "A"), ("additional", "B")):
        found = [r for r in results if r.get("kind") == kind]
        if found:
            yield letter, f"HASIL KERJA {RESULT_KIND_NAMES_ID[kind].upper()}", found


def group_spans(rows: list[list]) -> list[tuple]:
    """Table style commands that let the group rows of ``by_kind`` (first cell A or B) span the other columns."""
    return [("SPAN", (1, r), (-1, r)) for r, row in enumerate(rows) if row[0] in ("A", "B")]


def period_name(period_id: str) -> str:
    """``2026-Q1`` -> ``Triwulan I 2026``; ``2026-03`` -> ``Maret 2026``; ``2026-Y`` -> ``Tahun 2026``."""
    year, _, part = period_id.partition("-")
    if part == "Y":
        return f"Tahun {year}"
    if part.startswith("Q"):
        return f"Triwulan {ROMAN[int(part[1]) - 1]} {year}"
    return f"{MONTHS_ID[int(part) - 1]} {year}"


def span_name(start: date | str, end: date | str) -> str:
    from .render import date_id

    return f"{date_id(start)} s.d. {date_id(end)}"
