"""The texts of the employee's realisation and the rater's draft in Bahasa Indonesia (see messages.py; the
evidence texts both services use, such as "add evidence to", are kinerja_shared.messages' EVIDENCE lines)."""

from kinerja_shared.i18n import catalogue

MESSAGES = [
    (
        "realisation_employee_only",
        "Only the employee ({nip}) may {what} their realisation.",
        "Hanya pegawai ({nip}) yang boleh {what} realisasinya.",
    ),
    ("what_save", "save", "menyimpan"),
    ("what_return_realisation", "return the employee's realisation", "mengembalikan realisasi pegawai"),
    ("what_fill_in_draft", "fill in the form", "mengisi formulir"),
    (
        "feedback_needed",
        "the employee has submitted their realisation: give feedback on every main result; missing for {result_ids}",
        "pegawai telah menyampaikan realisasinya: beri umpan balik untuk setiap hasil kerja utama; belum ada untuk "
        "{result_ids}",
    ),
    (
        "nothing_to_submit",
        "Save your realisation first (PUT .../realisation), then submit it.",
        "Simpan realisasi Anda terlebih dahulu (PUT .../realisation), lalu ajukan.",
    ),
    ("nothing_to_submit_title", "Nothing to submit", "Tidak ada yang dapat diajukan"),
    (
        "return_reason_empty",
        "must say what the employee should complete or correct",
        "harus menyebutkan apa yang perlu dilengkapi atau diperbaiki pegawai",
    ),
    (
        "result_not_in_plan",
        "{result_id} is not a result of the plan of evaluation {id}",
        "{result_id} bukan hasil kerja dari rencana (SKP) evaluasi {id}",
    ),
    ("evidence_per_result", "at most {n} evidence items per result", "paling banyak {n} bukti dukung per hasil kerja"),
    (
        "evidence_per_result_files",
        "at most {n} evidence items per result (with the uploaded files)",
        "paling banyak {n} bukti dukung per hasil kerja (termasuk berkas yang diunggah)",
    ),
    (
        "evidence_file_unknown",
        "evaluation {id} has no evidence file {file_id}",
        "evaluasi {id} tidak memiliki berkas bukti dukung {file_id}",
    ),
    (
        "draft_only_open",
        "The evaluation is {status}; only an open one has a draft.",
        "Evaluasi berstatus {status}; hanya evaluasi yang terbuka yang memiliki draf.",
    ),
    (
        "realisation_evaluated",
        "The rater has already evaluated this period; the realisation can no longer change.",
        "Penilai sudah menilai periode ini; realisasi tidak dapat diubah lagi.",
    ),
    (
        "realisation_locked",
        "The realisation is submitted and locked; only the rater can return it to you.",
        "Realisasi sudah diajukan dan terkunci; hanya penilai yang dapat mengembalikannya kepada Anda.",
    ),
    (
        "realisation_not_open",
        "The evaluation is no longer open; the realisation cannot be returned.",
        "Evaluasi tidak lagi terbuka; realisasi tidak dapat dikembalikan.",
    ),
    (
        "realisation_return_submitted_only",
        "Only a submitted realisation can be returned.",
        "Hanya realisasi yang sudah diajukan yang dapat dikembalikan.",
    ),
    (
        "evidence_activity_unknown",
        "{activity_id} is not one of your verified activities of this period with evidence",
        "{activity_id} bukan kegiatan Anda yang terverifikasi pada periode ini dengan bukti dukung",
    ),
    (
        "evidence_activity_which",
        "name the activity's evidence by file_id (a file) or url (a link), one of them",
        "sebutkan bukti dukung kegiatan dengan file_id (berkas) atau url (tautan), salah satunya",
    ),
    (
        "evidence_activity_none",
        "activity {activity_id} has no such evidence",
        "kegiatan {activity_id} tidak memiliki bukti dukung tersebut",
    ),
    (
        "evidence_upload_elsewhere",
        "upload a file to the realisation's evidence endpoint; it is kept by itself",
        "unggah berkas melalui endpoint bukti dukung realisasi; berkas disimpan tersendiri",
    ),
]

LABELS = {"narrative": "Narasi", "realisation": "Realisasi"}

catalogue.update(MESSAGES, namespace="evaluation")
for _field, _name in LABELS.items():
    catalogue.label(_field, _name)
