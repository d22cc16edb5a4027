"""plan-service's official document: the SKP (Sasaran Kinerja Pegawai) of an approved plan revision, after the
form attached to PermenPANRB 6/2022: the employee and the rater, the work results with their indicators and
targets (and, for JA/JF, the rater's result each one intervenes; for JPT its perspective), the seven BerAKHLAK
values with the leader's expectations, the approvals, and the three attachments (Lampiran: dukungan sumber
daya, skema pertanggungjawaban, konsekuensi). The page frame, code, QR and register are kinerja_shared's.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak

from kinerja_shared.documents import labels
from kinerja_shared.documents.render import Approval, approvals, grid, heading, number_id, para, rich, title_block

DOC_TYPE = "skp"
TITLE = "Sasaran Kinerja Pegawai"
ATTACHMENTS = (
    ("resources", "DUKUNGAN SUMBER DAYA"),
    ("accountability", "SKEMA PERTANGGUNGJAWABAN"),
    ("consequences", "KONSEKUENSI"),
)


def _person_rows(emp, unit_name) -> list:
    return [
        emp.name if emp else None,
        emp.nip if emp else None,
        " / ".join(x for x in ((emp.rank if emp else None), (emp.grade if emp else None)) if x) or None,
        emp.position if emp else None,
        unit_name,
    ]


def _identity(employee, employee_unit, rater, rater_unit, width: float):
    half = width / 2
    mine, theirs = _person_rows(employee, employee_unit), _person_rows(rater, rater_unit)
    rows = [["PEGAWAI YANG DINILAI", "", "PEJABAT PENILAI KINERJA", ""]]
    for n, label in enumerate(("Nama", "NIP", "Pangkat / Gol. Ruang", "Jabatan", "Unit kerja")):
        rows.append([label, mine[n], label, theirs[n]])
    t = grid(rows, [28 * mm, half - 28 * mm, 28 * mm, half - 28 * mm])
    t.setStyle([("SPAN", (0, 0), (1, 0)), ("SPAN", (2, 0), (3, 0))])
    return t


def skp_story(rev, people: dict, width: float) -> list:
    """The SKP of plan revision ``rev`` (a plan_revisions row) with ``people``: employee, rater (directory rows),
    their units' names, the rater's results by id (the cascade), and the approvals."""
    content = rev.content
    jpt = rev.model == "JPT"
    story = title_block(
        "SASARAN KINERJA PEGAWAI",
        f"Pendekatan hasil kerja {labels.APPROACH_NAMES_ID.get(rev.approach, '-').lower()} · "
        f"{labels.MODEL_NAMES_ID.get(rev.model, '-')}",
    )
    story += [
        para(
            f"Periode penilaian: {labels.span_name(rev.period_start, rev.period_end)} · Revisi {rev.revision}",
            "subtitle",
        ),
        _identity(people["employee"], people["employee_unit"], people["rater"], people["rater_unit"], width),
        heading("HASIL KERJA"),
    ]
    first = "Perspektif" if jpt else "Rencana Hasil Kerja Pimpinan yang Diintervensi"
    rows = [["No", first, "Rencana Hasil Kerja", "Aspek", "Indikator Kinerja Individu", "Target"]]
    for letter, group, results in labels.by_kind(content["results"]):
        rows.append([letter, group, "", "", "", ""])
        for n, result in enumerate(results, 1):
            supports = (
                result.get("perspective") if jpt else people["rater_results"].get(result.get("supports_result_id"))
            )
            indicators = result.get("indicators") or [{}]
            rows.append(
                [
                    str(n),
                    supports or "-",
                    result.get("text"),
                    "\n".join(labels.ASPECT_NAMES_ID.get(i.get("aspect"), "-") for i in indicators),
                    "\n".join(i.get("text") or "-" for i in indicators),
                    "\n".join(
                        "Kualitatif"
                        if i.get("target_value") is None
                        else f"{number_id(i['target_value'])} {i.get('target_unit') or ''}".strip()
                        for i in indicators
                    ),
                ]
            )
    table = grid(rows, [8 * mm, 38 * mm, 42 * mm, 18 * mm, 42 * mm, width - 148 * mm])
    table.setStyle(labels.group_spans(rows))
    story += [table, heading("PERILAKU KERJA")]
    rows = [["No", "Perilaku Kerja (BerAKHLAK)", "Ekspektasi Khusus Pimpinan"]]
    for n, b in enumerate(content["behaviours"], 1):
        rows.append([str(n), labels.BEHAVIOUR_NAMES_ID.get(b["value"], b["value"]), b.get("expectation") or "-"])
    story.append(grid(rows, [8 * mm, 50 * mm, width - 58 * mm]))
    employee, rater = people["employee"], people["rater"]
    story.append(
        approvals(
            [
                Approval(
                    "Pegawai yang Dinilai",
                    employee.name if employee else None,
                    people["nip"],
                    "Diajukan",
                    people.get("submitted_at"),
                ),
                Approval(
                    "Pejabat Penilai Kinerja",
                    rater.name if rater else None,
                    rev.rater_nip,
                    "Disetujui" if rev.kind == "approval" else "Perubahan disetujui",
                    rev.recorded_at,
                ),
            ],
            width,
        )
    )
    if rev.reason:
        story.append(para(f"Alasan revisi {rev.revision}: {rev.reason}", "small"))
    story += [
        PageBreak(),
        rich("<b>LAMPIRAN SASARAN KINERJA PEGAWAI</b>", "title"),
        para(f"{employee.name if employee else '-'} · NIP {people['nip']}", "subtitle"),
    ]
    attachments = content.get("attachments") or {}
    for n, (key, label) in enumerate(ATTACHMENTS, 1):
        story += [heading(f"{n}. {label}"), para(attachments.get(key) or "-")]
    return story
