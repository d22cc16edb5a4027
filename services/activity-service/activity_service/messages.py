"""activity-service's texts in Bahasa Indonesia (see kinerja_shared.i18n): (code, English as the
code writes it, Indonesian). A test (tests/test_messages.py) fails when a message lacks its line."""

from kinerja_shared.i18n import catalogue

MESSAGES = [
    (
        "activity_changed",
        "activity {id} changed since you read it (current version {version})",
        "kegiatan {id} berubah sejak Anda membacanya (versi sekarang {version})",
    ),
    ("quantity_per_entry_max", "must be at most {limit} per entry", "paling banyak {limit} per catatan"),
    ("must_not_be_blank", "must not be blank", "tidak boleh kosong"),
    (
        "activity_id_used",
        "Activity id {id} is already used for a different entry; choose a new id.",
        "ID kegiatan {id} sudah dipakai untuk catatan lain; pilih ID baru.",
    ),
    ("activity_id_used_title", "Activity id already used", "ID kegiatan sudah dipakai"),
    ("activity_id_used_field", "already used for a different entry", "sudah dipakai untuk catatan lain"),
    (
        "overlap",
        "The entry overlaps your activity {clash_id} ({start}-{end}) on {day}.",
        "Catatan ini bertumpang tindih dengan kegiatan Anda {clash_id} ({start}-{end}) pada {day}.",
    ),
    (
        "overlap_no_span",
        "The entry overlaps your activity {clash_id} on {day}.",
        "Catatan ini bertumpang tindih dengan kegiatan Anda {clash_id} pada {day}.",
    ),
    ("overlap_title", "Overlapping activity", "Kegiatan bertumpang tindih"),
    ("overlap_field", "overlaps activity {clash_id}", "bertumpang tindih dengan kegiatan {clash_id}"),
    (
        "overlap_would",
        "The entry would overlap your activity {clash_id} ({start}-{end}).",
        "Catatan ini akan bertumpang tindih dengan kegiatan Anda {clash_id} ({start}-{end}).",
    ),
    (
        "employee_inactive",
        "Employee {nip} is not active in the org directory; activities cannot be logged.",
        "Pegawai {nip} tidak aktif di direktori organisasi; kegiatan tidak dapat dicatat.",
    ),
    ("batch_too_many", "at most {limit} entries per batch", "paling banyak {limit} catatan per kiriman"),
    ("date_to_before_from", "must not be before date_from", "tidak boleh sebelum date_from (tanggal awal)"),
    ("activity_not_found", "activity {id} does not exist", "kegiatan {id} tidak ada"),
    (
        "owner_only_edit",
        "Only the employee who logged an activity may edit it.",
        "Hanya pegawai yang mencatat kegiatan ini yang boleh mengubahnya.",
    ),
    (
        "owner_only_withdraw",
        "Only the employee who logged an activity may withdraw it.",
        "Hanya pegawai yang mencatat kegiatan ini yang boleh menariknya.",
    ),
    (
        "owner_only_add_evidence",
        "Only the employee who logged an activity may add evidence to it.",
        "Hanya pegawai yang mencatat kegiatan ini yang boleh menambahkan bukti dukung.",
    ),
    (
        "owner_only_remove_evidence",
        "Only the employee who logged an activity may remove evidence from it.",
        "Hanya pegawai yang mencatat kegiatan ini yang boleh menghapus bukti dukungnya.",
    ),
    (
        "owner_only",
        "Only the employee who logged an activity may {what} it.",
        "Hanya pegawai yang mencatat kegiatan ini yang boleh {what}.",
    ),
    ("no_change", "send at least one field to change", "kirim paling sedikit satu kolom yang diubah"),
    (
        "too_much_evidence",
        "at most {limit} evidence items per activity",
        "paling banyak {limit} bukti dukung per kegiatan",
    ),
    (
        "rater_only_verify",
        "Only the employee's rater (pejabat penilai) may verify this activity.",
        "Hanya pejabat penilai pegawai ini yang boleh memverifikasi kegiatan ini.",
    ),
    (
        "evidence_not_found",
        "activity {id} has no evidence file {file_id}",
        "kegiatan {id} tidak memiliki berkas bukti {file_id}",
    ),
    (
        "may_not_see_employee",
        "You may not see employee {nip}'s activities.",
        "Anda tidak boleh melihat kegiatan pegawai {nip}.",
    ),
    (
        "head_only_see",
        "Only the head of unit {unit_id} (or of a unit above it) or an admin may see this.",
        "Hanya kepala unit {unit_id} (atau unit di atasnya) atau admin yang boleh melihat ini.",
    ),
    (
        "transition",
        "cannot {action} this activity: {why} (allowed only while pending)",
        "tidak dapat {action} kegiatan ini: {why} (hanya boleh selama masih menunggu verifikasi)",
    ),
    (
        "transition_locked",
        "it was verified ({status}) and is locked",
        "kegiatan sudah diverifikasi ({status}) dan terkunci",
    ),
    ("transition_status", "it is {status}", "statusnya {status}"),
    (
        "transition_repair",
        "cannot {action} this activity: it is {status} (allowed only once verified; the employee "
        "edits or withdraws a pending entry)",
        "tidak dapat {action} kegiatan ini: statusnya {status} (hanya boleh setelah diverifikasi; "
        "kegiatan yang masih menunggu diubah atau ditarik oleh pegawai)",
    ),
    (
        "repair_forbidden",
        "Only an admin or the employee's rater's superior (atasan pejabat penilai) may correct or annul "
        "a verified activity.",
        "Hanya admin atau atasan pejabat penilai pegawai yang boleh mengoreksi atau membatalkan "
        "kegiatan yang sudah diverifikasi.",
    ),
    (
        "repair_reason_required",
        "is required: say why the verified entry is corrected or annulled",
        "wajib diisi: sebutkan alasan kegiatan yang sudah diverifikasi dikoreksi atau dibatalkan",
    ),
    (
        "correction_changes_nothing",
        "send at least one of {fields} with a value other than the stored one",
        "kirim paling sedikit satu dari {fields} dengan nilai yang berbeda dari yang tersimpan",
    ),
    ("reason_required_reject", "is required when rejecting an activity", "wajib diisi saat menolak kegiatan"),
    ("time_of_day", "must be a time of day HH:MM between 00:00 and 23:59", "harus jam HH:MM antara 00:00 dan 23:59"),
    ("time_of_day_schema", "must be a time of day HH:MM (00:00 to 23:59)", "harus jam HH:MM (00:00 sampai 23:59)"),
    ("end_after_start", "must be after start_time ({start})", "harus setelah jam mulai ({start})"),
    ("date_in_future", "must not be in the future (today is {today})", "tidak boleh di masa depan (hari ini {today})"),
    (
        "before_edit_window",
        "is before the edit window: entries from {earliest} on may be logged or changed "
        "(the previous month closes on day {close_day})",
        "di luar masa pencatatan: kegiatan sejak {earliest} boleh dicatat atau diubah (bulan sebelumnya ditutup "
        "pada tanggal {close_day})",
    ),
    ("must_not_be_negative", "must not be negative", "tidak boleh negatif"),
    (
        "holiday_refused",
        "is a holiday ({name}); entries on days off are not accepted",
        "adalah hari libur ({name}); kegiatan pada hari libur tidak diterima",
    ),
    (
        "weekly_day_off_refused",
        "falls on a weekly day off; entries on days off are not accepted",
        "jatuh pada hari libur mingguan; kegiatan pada hari libur tidak diterima",
    ),
    (
        "calendar_span_too_long",
        "must be at most {days} days after date_from",
        "paling lama {days} hari setelah date_from (tanggal awal)",
    ),
    ("must_be_yyyy_mm", "must be YYYY-MM", "harus berformat YYYY-MM"),
    (
        "indicator_not_in_plan",
        "{indicator_id} is not an indicator of your approved plan in force on {day}",
        "{indicator_id} bukan indikator rencana (SKP) Anda yang disetujui dan berlaku pada {day}",
    ),
    ("item_must_be_object", "must be an object (one entry)", "harus berupa objek (satu catatan)"),
    (
        "unit_not_indicators",
        'must be the indicator\'s unit "{unit}", not "{given}" (conversions between units are not supported)',
        'harus satuan indikatornya, "{unit}", bukan "{given}" (konversi antarsatuan belum didukung)',
    ),
    ("unit_already", "is already the indicator's unit", "sudah merupakan satuan indikatornya"),
]

LABELS = {
    "minutes": "Durasi (menit)",
    "link": "Tautan",
    "verification_reason": "Alasan verifikasi",
    "include_subunits": "Termasuk subunit",
    "file_id": "Berkas bukti",
    "(item)": "Isian",
}

catalogue.update(MESSAGES, namespace="activity")
for _field, _name in LABELS.items():
    catalogue.label(_field, _name)
from . import action_links_messages  # noqa: E402,F401  (activities against actions: their own texts)
