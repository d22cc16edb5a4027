"""Issue 18: Kinerja's facts onto SIASN's reference codes (SIASN.md), table by table, every value.

The expected codes are written out here from SIASN.md's reference tables, not read from the code."""

import pytest

from notification_service import siasn_mapping as m

RATER_NIP = "197001012000011001"
EMPLOYEE = m.Person(
    nip="198503302010011002",
    name="Andi Pratama",
    position="Analis",
    unit_name="Bidang Aplikasi",
    siasn_pns_id="A8ACA7397AEB3912E040640A040269BB",
    rank_code="32",
    functional_level=None,
)
RATER = m.Person(
    nip=RATER_NIP,
    name="Siti Rahmawati",
    position="Kepala Bidang Aplikasi",
    unit_name="Dinas Kominfo",
    siasn_pns_id="B1",
    rank_code="41",
)


def evaluation(
    kind="annual",
    predicate="BAIK",
    results="meets",
    behaviour="meets",
    start="2026-01-01",
    end="2026-12-31",
    credit_points=None,
):
    return {
        "evaluation_id": "e1",
        "nip": EMPLOYEE.nip,
        "rater_nip": RATER_NIP,
        "unit_id": "u",
        "plan_id": "p",
        "period": {"id": "x", "kind": kind, "start": start, "end": end},
        "revision": 1,
        "results_rating": results,
        "behaviour_rating": behaviour,
        "predicate": predicate,
        "credit_points": credit_points,
    }


@pytest.mark.parametrize(
    "predicate, code", [("SANGAT_BAIK", 1), ("BAIK", 2), ("BUTUH_PERBAIKAN", 3), ("KURANG", 4), ("SANGAT_KURANG", 5)]
)
def test_every_predicate_is_its_kuadran_nilai(predicate, code):
    record, missing = m.build(m.SKP, evaluation(predicate=predicate), EMPLOYEE, RATER)
    assert missing == [] and record["kuadranKinerjaNilai"] == code


@pytest.mark.parametrize("rating, code", [("above", 1), ("meets", 2), ("below", 3)])
@pytest.mark.parametrize("kind", [m.SKP, m.PERIODIC])
def test_every_rating_is_its_perilaku_dan_kinerja_code(kind, rating, code):
    ev = evaluation(
        kind="annual" if kind == m.SKP else "quarterly",
        results=rating,
        behaviour="meets",
        start="2026-01-01",
        end="2026-12-31" if kind == m.SKP else "2026-03-31",
    )
    assert m.build(kind, ev, EMPLOYEE, RATER)[0]["hasilKinerjaNilai"] == code
    ev = {**ev, "results_rating": "meets", "behaviour_rating": rating}
    assert m.build(kind, ev, EMPLOYEE, RATER)[0]["perilakuKerjaNilai"] == code


@pytest.mark.parametrize(
    "kind, start, end, periodik, months",
    [
        ("monthly", "2026-03-01", "2026-03-31", 1, (3, 3)),
        ("quarterly", "2026-04-01", "2026-06-30", 2, (4, 6)),
        ("quarterly", "2026-10-01", "2026-12-31", 2, (10, 12)),
    ],
)
def test_every_period_kind_is_its_periodik_id_and_months(kind, start, end, periodik, months):
    record, _ = m.build(m.PERIODIC, evaluation(kind=kind, start=start, end=end), EMPLOYEE, RATER)
    assert (record["periodikId"], record["bulanMulaiPenilaian"], record["bulanSelesaiPenilaian"]) == (periodik, *months)
    assert (record["tahun"], record["tahunMulaiPenilaian"], record["tahunSelesaiPenilaian"]) == (2026, 2026, 2026)


def test_the_annual_period_makes_the_skp_record_and_the_credit_record_only_with_credit_points():
    assert m.kinds_for(evaluation("annual")) == [m.SKP]
    assert m.kinds_for(evaluation("annual", credit_points=12.5)) == [m.SKP, m.CREDIT]
    assert m.kinds_for(evaluation("monthly", credit_points=1.04)) == [m.PERIODIC]
    assert m.kinds_for(evaluation("quarterly")) == [m.PERIODIC]


@pytest.mark.parametrize(
    "level, koefisien",
    [("PT", 12), ("MU", 22), ("MA", 32), ("UT", 42), ("PM", 52), ("TR", 62), ("MH", 72), ("PY", 82), (None, None)],
)
def test_every_level_is_its_koefisien_id(level, koefisien):
    employee = m.Person(**{**EMPLOYEE.__dict__, "functional_level": level})
    record, _ = m.build(m.PERIODIC, evaluation("quarterly", start="2026-01-01", end="2026-03-31"), employee, RATER)
    assert record.get("koefisienId") == koefisien


def test_the_annual_record_field_by_field():
    record, missing = m.build(
        m.SKP, evaluation(predicate="SANGAT_BAIK", results="above", behaviour="above"), EMPLOYEE, RATER
    )
    assert missing == []
    assert record == {
        "tahun": 2026,
        "pnsDinilaiOrang": "A8ACA7397AEB3912E040640A040269BB",
        "hasilKinerjaNilai": 1,
        "perilakuKerjaNilai": 1,
        "kuadranKinerjaNilai": 1,
        "penilaiNipNrp": RATER_NIP,
        "penilaiNama": "Siti Rahmawati",
        "penilaiGolongan": "41",
        "penilaiJabatan": "Kepala Bidang Aplikasi",
        "penilaiUnorNama": "Dinas Kominfo",
        "statusPenilai": "ASN",
    }
    assert m.with_identity(record, "X1")["id"] == "X1" and "id" not in m.with_identity(record, None)


def test_the_credit_record_field_by_field():
    employee = m.Person(**{**EMPLOYEE.__dict__, "functional_level": "PT"})
    record, missing = m.build(m.CREDIT, evaluation(credit_points=2.0833), employee, RATER)
    assert missing == [] and record == {
        "pnsId": "A8ACA7397AEB3912E040640A040269BB",
        "bulanMulaiPenailan": "1",
        "tahunMulaiPenailan": "2026",
        "bulanSelesaiPenailan": "12",
        "tahunSelesaiPenailan": "2026",
        "kreditUtamaBaru": "2.08",
        "kreditPenunjangBaru": "0",
        "kreditBaruTotal": "2.08",
        "isKonversi": "1",
        "isAngkaKreditPertama": "0",
        "isIntegrasi": "0",
    }


def test_missing_data_is_named_field_by_field():
    bare = m.Person(nip=EMPLOYEE.nip, name="Andi")
    rater = m.Person(nip=RATER_NIP, name="Siti", position=None, unit_name="Dinas", rank_code=None)
    assert m.build(m.SKP, evaluation(), bare, rater) == (
        None,
        ["employee.siasn_pns_id", "rater.rank_code", "rater.position"],
    )
    assert m.build(m.SKP, evaluation(), EMPLOYEE, None) == (None, ["rater (not in the directory)"])
    assert m.build(m.SKP, {**evaluation(), "rater_nip": None}, EMPLOYEE, None) == (None, ["rater_nip"])
    assert m.build(m.CREDIT, evaluation(credit_points=1.0), bare, RATER) == (None, ["employee.siasn_pns_id"])
