"""evaluation-service's official documents: their layouts (after the forms attached to PermenPANRB 6/2022 and
Peraturan BKN 3/2023), built from the same views the API answers. The page frame, fonts, code, QR, register
and verify answer are kinerja_shared.documents'.

- ``evaluation_story``: Dokumen Evaluasi Kinerja Pegawai, periodic or annual (realisation and feedback per
  result, behaviour expectations and feedback, both ratings, the predicate; the annual one lists the year's
  periodic predicates);
- ``unit_decision_story``: Penetapan Predikat Kinerja Organisasi with the SE 03/2023 distribution table;
- ``pak_story``: Penetapan Angka Kredit with the year's credit points and the coefficient basis.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from kinerja_shared.documents import labels
from kinerja_shared.documents.render import (
    Approval,
    approvals,
    date_id,
    esc,
    facts,
    grid,
    heading,
    number_id,
    para,
    rich,
    title_block,
)
from kinerja_shared.i18n import catalogue

from . import domain

EVALUATION_PERIODIC, EVALUATION_ANNUAL = "evaluation_periodic", "evaluation_annual"
UNIT_DECISION, PAK = "unit_predicate_decision", "credit_assessment"
TITLES = {
    EVALUATION_PERIODIC: "Dokumen Evaluasi Kinerja Pegawai",
    EVALUATION_ANNUAL: "Dokumen Evaluasi Kinerja Pegawai Tahunan",
    UNIT_DECISION: "Penetapan Predikat Kinerja Organisasi",
    PAK: "Penetapan Angka Kredit",
}
AUTHORITY_ID = {
    "parent_head": "Kepala unit induk",
    "acting_parent_head": "Plt./Plh. kepala unit induk",
    "ppk_admin": "Admin BKPSDM atas nama Pejabat Pembina Kepegawaian (PPK)",
}
STATUS_ID = {"open": "Dibuka", "submitted": "Diajukan", "closed": "Ditutup"}


def rating(value) -> str:
    return domain.RATING_NAMES_ID.get(value, "-")


def predicate(value) -> str:
    return domain.PREDICATE_NAMES_ID.get(value, "-")


def doc_type_of(period_kind: str) -> str:
    return EVALUATION_ANNUAL if period_kind == domain.ANNUAL else EVALUATION_PERIODIC


def _indicator_line(ind: dict) -> str:
    return f"[{labels.ASPECT_NAMES_ID.get(ind.get('aspect'), '-')}] {ind.get('text') or '-'}"


def _target(ind: dict) -> str:
    if ind.get("target_value") is None:
        return "Kualitatif (tanpa target angka)"
    return f"{number_id(ind['target_value'])} {ind.get('target_unit') or ''}".strip()


def _realised(ind: dict) -> str:
    if ind.get("target_value") is None:
        return "Dinilai dari bukti dukung"
    line = f"{number_id(ind.get('realised_to_date'))} {ind.get('target_unit') or ''}".strip()
    if ind.get("percent_of_target") is not None:
        line += f" ({number_id(ind['percent_of_target'])} % dari target)"
    return line


def _identity(detail: dict, names: dict, width: float):
    emp = detail["employee"]
    half = width / 2
    rows = [
        ["PEGAWAI YANG DINILAI", "", "PEJABAT PENILAI KINERJA", ""],
        ["Nama", emp.get("name"), "Nama", names.get("rater_name")],
        ["NIP", detail["nip"], "NIP", detail.get("rater_nip")],
        ["Jabatan", emp.get("position"), "Jabatan", names.get("rater_position")],
        ["Unit kerja", names.get("unit_name") or detail["unit_id"], "Unit kerja", names.get("rater_unit_name")],
    ]
    t = grid(rows, [28 * mm, half - 28 * mm, 28 * mm, half - 28 * mm])
    t.setStyle([("SPAN", (0, 0), (1, 0)), ("SPAN", (2, 0), (3, 0))])
    return t


def evaluation_story(detail: dict, names: dict, width: float) -> list:
    """The evaluation document of ``detail`` (the GET /evaluations/{id} answer) with the people's names."""
    period = detail["period"]
    annual = period["kind"] == domain.ANNUAL
    story = title_block(
        TITLES[doc_type_of(period["kind"])].upper(),
        f"Periode {labels.period_name(period['id'])} ({labels.span_name(period['start'], period['end'])})"
        f" · Revisi {detail['revision']}",
    )
    story += [_identity(detail, names, width)]
    org = detail.get("organisational_predicate")
    story += [
        para(f"Capaian kinerja organisasi: {domain.ORG_PREDICATE_NAMES_ID.get(org, '-') if org else '-'}"),
        para(
            f"Pendekatan: {labels.APPROACH_NAMES_ID.get(detail['plan']['approach'], '-')} · Model: "
            f"{labels.MODEL_NAMES_ID.get(detail['plan']['model'], '-')} · SKP revisi {detail['plan']['revision']}"
        ),
        heading("HASIL KERJA"),
    ]
    rows = [
        [
            "No",
            "Rencana Hasil Kerja",
            "Indikator Kinerja Individu",
            "Target",
            "Realisasi Berdasarkan Bukti Dukung",
            "Umpan Balik Berkelanjutan Berdasarkan Bukti Dukung",
        ]
    ]
    for letter, group, results in labels.by_kind(detail["results"]):
        rows.append([letter, group, "", "", "", ""])
        for n, result in enumerate(results, 1):
            indicators = result["indicators"] or [{}]
            realisation = "\n".join(_realised(i) for i in indicators)
            if result["form"].get("realisation"):
                realisation += "\n" + result["form"]["realisation"]
            feedback = result["form"].get("feedback") or "-"
            feedback += f"\nPenilaian: {rating(result.get('assessment'))}"
            rows.append(
                [
                    str(n),
                    result.get("text"),
                    "\n".join(_indicator_line(i) for i in indicators),
                    "\n".join(_target(i) for i in indicators),
                    realisation,
                    feedback,
                ]
            )
    results_table = grid(rows, [8 * mm, 36 * mm, 36 * mm, 22 * mm, 34 * mm, width - 136 * mm])
    results_table.setStyle(labels.group_spans(rows))
    story += [
        results_table,
        rich(f"<b>RATING HASIL KERJA: {esc(rating(detail.get('results_rating')).upper())}</b>"),
        heading("PERILAKU KERJA"),
    ]
    rows = [
        ["No", "Perilaku Kerja", "Ekspektasi Khusus Pimpinan", "Umpan Balik Berkelanjutan Berdasarkan Bukti Dukung"]
    ]
    for n, b in enumerate(detail["behaviours"], 1):
        rows.append(
            [
                str(n),
                labels.BEHAVIOUR_NAMES_ID.get(b["value"], b["value"]),
                b.get("expectation") or "-",
                b.get("feedback") or "-",
            ]
        )
    story += [
        grid(rows, [8 * mm, 36 * mm, 60 * mm, width - 104 * mm]),
        rich(f"<b>RATING PERILAKU KERJA: {esc(rating(detail.get('behaviour_rating')).upper())}</b>"),
    ]
    if annual and detail.get("periodic"):
        story.append(heading("PREDIKAT KINERJA PERIODIK"))
        rows = [["Periode", "Rating Hasil Kerja", "Rating Perilaku Kerja", "Predikat", "Status"]]
        rows += [
            [
                labels.period_name(p["period"]["id"]),
                rating(p.get("results_rating")),
                rating(p.get("behaviour_rating")),
                predicate(p.get("predicate")),
                STATUS_ID.get(p["status"], p["status"]),
            ]
            for p in detail["periodic"]
        ]
        story.append(grid(rows, [width * 0.2] * 5))
    story += [
        heading("PREDIKAT KINERJA PEGAWAI"),
        rich(f"<b>{esc(predicate(detail.get('predicate')).upper())}</b>", "title"),
    ]
    if detail.get("rating_note"):
        story.append(para(f"Catatan penilaian: {detail['rating_note']}"))
    emp = detail["employee"]
    if detail.get("credit_points") is not None:
        story.append(
            para(
                f"Angka kredit periode ini: {number_id(detail['credit_points'], 2)} "
                f"({emp.get('functional_level_name') or 'koefisien'} {number_id(emp.get('coefficient'))} per tahun)"
            )
        )
    story.append(
        approvals(
            [
                Approval(
                    "Pejabat Penilai Kinerja",
                    names.get("rater_name"),
                    detail.get("rater_nip"),
                    "Diajukan",
                    detail.get("submitted_at"),
                ),
                Approval(
                    "Ditutup (final) oleh",
                    names.get("closer_name"),
                    detail.get("closed_by"),
                    "Ditutup",
                    detail.get("closed_at"),
                ),
                Approval("Pegawai yang Dinilai", emp.get("name"), detail["nip"], "Diterima", None),
            ],
            width,
        )
    )
    return story


def unit_decision_story(dist: dict, decision: dict, names: dict, width: float) -> list:
    """Penetapan Predikat Kinerja Organisasi: the unit's predicate with its basis, and the distribution of the
    employee predicates against the SE 03/2023 rules (the GET .../distribution answer)."""
    period = dist["period"]
    org = dist["organisational_predicate"]
    story = title_block(
        "PENETAPAN PREDIKAT KINERJA ORGANISASI",
        f"Periode {labels.period_name(period['id'])} ({labels.span_name(period['start'], period['end'])})",
    )
    story.append(
        facts(
            [
                ("Unit kerja", f"{names.get('unit_name') or dist['unit_id']} ({dist['unit_id']})"),
                ("Predikat kinerja organisasi", domain.ORG_PREDICATE_NAMES_ID.get(org, "-")),
                ("Dasar penetapan", decision.get("basis")),
                ("Nomor dokumen", decision.get("document_number")),
                (
                    "Ditetapkan oleh",
                    f"{AUTHORITY_ID.get(decision.get('authority'), '-')}: {names.get('set_by_name') or '-'} "
                    f"(NIP {decision.get('set_by')})",
                ),
                ("Tanggal penetapan", date_id(decision.get("set_at"))),
            ],
            width,
        )
    )
    story.append(heading("DISTRIBUSI PREDIKAT KINERJA PEGAWAI (SE MenPANRB No. 03 Tahun 2023)"))
    rows = [["Predikat Kinerja Pegawai", "Jumlah Pegawai", "Persentase"]]
    for p in domain.PREDICATES:
        rows.append([predicate(p), str(dist["counts"].get(p, 0)), f"{number_id(dist['shares'].get(p, 0))} %"])
    rows.append(["Jumlah", str(dist["total"]), "100 %" if dist["total"] else "0 %"])
    story.append(grid(rows, [width * 0.5, width * 0.25, width * 0.25]))
    story.append(heading("KETENTUAN DISTRIBUSI"))
    rows = [["Ketentuan", "Jumlah", "Batas (orang)", "Terpenuhi"]]
    for rule in dist["rules"]:
        rows.append(
            [
                catalogue.translate(rule["rule"], "id"),
                str(rule["count"]),
                str(rule["limit"]),
                "Ya" if rule["ok"] else "Tidak",
            ]
        )
    story.append(grid(rows, [width * 0.55, width * 0.15, width * 0.15, width * 0.15]))
    story.append(para(f"Pembulatan: {catalogue.translate(dist['rounding'], 'id')}", "small"))
    calibration = dist.get("calibration")
    if calibration:
        line = (
            f"Kalibrasi difinalkan pada {date_id(calibration['finalised_at'])} oleh NIP {calibration['finalised_by']}."
        )
        if calibration.get("override_reason"):
            line += f" Pengecualian oleh admin: {calibration['override_reason']}."
        story.append(para(line))
        rows = [["No", "NIP", "Nama", "Predikat"]]
        rows += [
            [str(n), p["nip"], names.get("people", {}).get(p["nip"]), predicate(p["predicate"])]
            for n, p in enumerate(calibration["predicates"], 1)
        ]
        story += [heading("PREDIKAT PEGAWAI HASIL KALIBRASI"), grid(rows, [10 * mm, 45 * mm, width - 95 * mm, 40 * mm])]
    else:
        story.append(para("Kalibrasi predikat pegawai unit ini belum difinalkan."))
    story.append(
        approvals(
            [
                Approval(
                    "Yang menetapkan",
                    names.get("set_by_name"),
                    decision.get("set_by"),
                    "Ditetapkan",
                    decision.get("set_at"),
                )
            ],
            width / 2,
        )
    )
    return story


def pak_story(credit: dict, names: dict, width: float) -> list:
    """Penetapan Angka Kredit of an employee and year (the GET /evaluations/credit-points answer, with its PAK
    record): each closed period's figure, the total, the annual evaluation and the coefficient's basis."""
    pak = credit["assessment"]
    story = title_block(
        "PENETAPAN ANGKA KREDIT (PAK)", f"Tahun {credit['year']} · Revisi evaluasi tahunan {pak['revision']}"
    )
    story.append(
        facts(
            [
                ("Nama", credit.get("name")),
                ("NIP", credit["nip"]),
                ("Jabatan", names.get("position")),
                ("Jenjang jabatan fungsional", credit.get("functional_level_name")),
                ("Unit kerja", names.get("unit_name")),
                (
                    "Koefisien tahunan",
                    f"{number_id(pak.get('coefficient'))} (kode koefisien SIASN "
                    f"{credit.get('siasn_koefisien_id') or '-'})",
                ),
            ],
            width,
        )
    )
    story.append(heading("DASAR PERHITUNGAN"))
    story.append(
        para(
            "Angka kredit = persentase predikat × koefisien tahunan jenjang × bulan / 12, dibulatkan dua "
            "desimal (Peraturan BKN No. 3 Tahun 2023). Persentase predikat: Sangat Baik 150 %, Baik 100 %, "
            "Butuh Perbaikan 75 %, Kurang/Misconduct 50 %, Sangat Kurang 25 %."
        )
    )
    story.append(heading("ANGKA KREDIT PERIODIK"))
    rows = [["No", "Periode", "Predikat", "Persentase", "Bulan", "Angka Kredit"]]
    for n, p in enumerate(pak["periods"], 1):
        rows.append(
            [
                str(n),
                labels.period_name(p["period"]["id"]),
                predicate(p.get("predicate")),
                f"{p.get('share_percent')} %" if p.get("share_percent") is not None else "-",
                str(p.get("months") or "-"),
                number_id(p.get("credit_points"), 2),
            ]
        )
    rows.append(["", "Jumlah", "", "", "", number_id(pak.get("periodic_total"), 2)])
    story.append(grid(rows, [10 * mm, 40 * mm, 40 * mm, 25 * mm, 20 * mm, width - 135 * mm]))
    basis = pak.get("basis") or {}
    story.append(heading("EVALUASI KINERJA TAHUNAN"))
    story.append(
        facts(
            [
                ("Rating hasil kerja", rating(basis.get("results_rating"))),
                ("Rating perilaku kerja", rating(basis.get("behaviour_rating"))),
                ("Predikat kinerja tahunan", predicate(pak.get("annual_predicate"))),
                ("Angka kredit tahunan", number_id(pak.get("annual_credit_points"), 2)),
                ("Pejabat penilai", f"{names.get('rater_name') or '-'} (NIP {basis.get('rater_nip') or '-'})"),
                ("Evaluasi ditutup", date_id(basis.get("closed_at"))),
            ],
            width,
        )
    )
    story.append(
        approvals(
            [
                Approval(
                    "Ditetapkan melalui sistem oleh",
                    names.get("set_by_name"),
                    pak.get("set_by"),
                    "Ditetapkan",
                    pak.get("set_at"),
                )
            ],
            width / 2,
        )
    )
    return story
