"""What the SIASN channel sends to BKN: Kinerja's evaluation facts mapped onto SIASN's records.

Pure functions (no database, no HTTP), table-tested in tests/test_siasn_mapping.py. The field
names, types and reference codes are SIASN's (the web-service contract, ``SIASN.md``):

| Kinerja | SIASN field | reference |
|---|---|---|
| predicate SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG | ``kuadranKinerjaNilai`` | *kuadranNilai* 1..5 |
| results / behaviour rating above, meets, below | ``hasilKinerjaNilai`` / ``perilakuKerjaNilai`` | *perilakuDanKinerja* 1..3 |
| period kind monthly, quarterly | ``periodikId`` | *periodik* 1, 2 |
| functional level PT, MU, MA, UT, PM, TR, MH, PY | ``koefisienId`` | *koefisien* 12 .. 82 |

Which record an evaluation makes (``kinds_for``): an annual evaluation → ``skp22/save``; a
monthly or quarterly one → ``kinerjaperiodik/save``; an annual evaluation that carries credit
points (a functional) → ``angkakredit/save`` as well (the year's credit points, the PAK figure;
the periodic figures are parts of it and are not sent on their own).

A record needs the employee's SIASN PNS id and the rater's name, NIP, rank code, position and
unit name (the directory, from EmployeeUpserted); ``build`` names whatever is missing instead.
"""  # noqa: E501

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kinerja_shared import functional_levels

SKP, PERIODIC, CREDIT = "skp22", "kinerjaperiodik", "angkakredit"
KINDS = (SKP, PERIODIC, CREDIT)
PATHS = {SKP: "/skp22/save", PERIODIC: "/kinerjaperiodik/save", CREDIT: "/angkakredit/save"}
DOCUMENT_REFS = {SKP: 873, PERIODIC: 890}  # id_ref_dokumen: SKP document, periodic performance document

PREDICATES = {"SANGAT_BAIK": 1, "BAIK": 2, "BUTUH_PERBAIKAN": 3, "KURANG": 4, "SANGAT_KURANG": 5}
RATINGS = {"above": 1, "meets": 2, "below": 3}
PERIOD_KINDS = {"monthly": 1, "quarterly": 2}
COEFFICIENTS = {code: lv.siasn_koefisien_id for code, lv in functional_levels.LEVELS.items()}  # PT 12 ... PY 82
RATER_STATUS = "ASN"  # a rater in the directory has a NIP: an ASN


@dataclass(frozen=True)
class Person:
    """What the directory (the contacts read model) says about the employee or the rater."""

    nip: str
    name: str | None = None
    position: str | None = None
    unit_name: str | None = None
    siasn_pns_id: str | None = None
    rank_code: str | None = None
    functional_level: str | None = None


def kinds_for(evaluation: dict) -> list[str]:
    """The SIASN records an EvaluationClosed makes."""
    if evaluation["period"]["kind"] == "annual":
        return [SKP, CREDIT] if evaluation.get("credit_points") is not None else [SKP]
    return [PERIODIC]


def year_of(evaluation: dict) -> int:
    return date.fromisoformat(evaluation["period"]["end"]).year


def _rater_fields(rater: Person | None, rater_nip: str | None, position_field: str, missing: list[str]) -> dict:
    if not rater_nip:
        missing.append("rater_nip")
        return {}
    if rater is None:
        missing.append("rater (not in the directory)")
        return {}
    for name in ("name", "rank_code", "position", "unit_name"):
        if not getattr(rater, name):
            missing.append(f"rater.{name}")
    return {
        "penilaiNipNrp": rater.nip,
        "penilaiNama": rater.name,
        "penilaiGolongan": rater.rank_code,
        position_field: rater.position,
        "penilaiUnorNama": rater.unit_name,
        "statusPenilai": RATER_STATUS,
    }


def _months(evaluation: dict) -> tuple[date, date]:
    period = evaluation["period"]
    return date.fromisoformat(period["start"]), date.fromisoformat(period["end"])


def credit_text(value: float) -> str:
    """Credit points as SIASN's string fields carry them: two decimals (2.08)."""
    return f"{value:.2f}"


def build(kind: str, evaluation: dict, employee: Person | None, rater: Person | None) -> tuple[dict | None, list[str]]:
    """The record to send (without SIASN's ``id`` and ``path``) and the missing fields, if any.

    With a missing field the record is None and the list names every field missing."""
    missing: list[str] = []
    pns_id = employee.siasn_pns_id if employee else None
    if not pns_id:
        missing.append("employee.siasn_pns_id")
    start, end = _months(evaluation)
    if kind == CREDIT:  # the figure is evaluation-service's (the level or a legacy coefficient): only the id is needed
        if missing:
            return None, missing
        points = credit_text(evaluation["credit_points"])
        return {
            "pnsId": pns_id,
            "bulanMulaiPenailan": str(start.month),
            "tahunMulaiPenailan": str(start.year),
            "bulanSelesaiPenailan": str(end.month),
            "tahunSelesaiPenailan": str(end.year),
            "kreditUtamaBaru": points,
            "kreditPenunjangBaru": "0",
            "kreditBaruTotal": points,
            "isKonversi": "1",
            "isAngkaKreditPertama": "0",
            "isIntegrasi": "0",
        }, []
    ratings = {
        "hasilKinerjaNilai": RATINGS[evaluation["results_rating"]],
        "perilakuKerjaNilai": RATINGS[evaluation["behaviour_rating"]],
        "kuadranKinerjaNilai": PREDICATES[evaluation["predicate"]],
    }
    if kind == SKP:
        rater_fields = _rater_fields(rater, evaluation.get("rater_nip"), "penilaiJabatan", missing)
        if missing:
            return None, missing
        return {"tahun": end.year, "pnsDinilaiOrang": pns_id, **ratings, **rater_fields}, []
    rater_fields = _rater_fields(rater, evaluation.get("rater_nip"), "penilaiJabatanNama", missing)
    if missing:
        return None, missing
    record = {
        "tahun": end.year,
        "pnsDinilaiId": pns_id,
        "periodikId": PERIOD_KINDS[evaluation["period"]["kind"]],
        "bulanMulaiPenilaian": start.month,
        "bulanSelesaiPenilaian": end.month,
        "tahunMulaiPenilaian": start.year,
        "tahunSelesaiPenilaian": end.year,
        **ratings,
        **rater_fields,
    }
    if employee and employee.functional_level in COEFFICIENTS:
        record["koefisienId"] = COEFFICIENTS[employee.functional_level]
    return record, []


def with_identity(record: dict, siasn_id: str | None, documents: list | None = None) -> dict:
    """The body sent: the record, SIASN's id when it is an update, and the uploaded documents (``path``)."""
    body = dict(record)
    if siasn_id:
        body["id"] = siasn_id
    if documents:
        body["path"] = documents
    return body
