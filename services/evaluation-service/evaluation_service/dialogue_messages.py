"""The performance dialogue's texts in Bahasa Indonesia (see messages.py): (code, English, Indonesian)."""

from kinerja_shared.i18n import catalogue

MESSAGES = [
    ("dialogue_not_found", "dialogue {id} does not exist", "dialog kinerja {id} tidak ada"),
    (
        "dialogue_parties_only",
        "Only the employee and their rater may record, edit or confirm their dialogue; others may read it.",
        "Hanya pegawai dan pejabat penilainya yang boleh mencatat, mengubah atau mengonfirmasi dialog "
        "kinerja mereka; pihak lain hanya boleh membacanya.",
    ),
    (
        "dialogue_plan_unknown",
        "{plan_id} is not an approved plan you take part in",
        "{plan_id} bukan rencana (SKP) disetujui yang melibatkan Anda",
    ),
    (
        "dialogue_evaluation_required",
        "is required for a dialogue of stage evaluation",
        "wajib diisi untuk dialog kinerja tahap penilaian",
    ),
    (
        "dialogue_evaluation_unknown",
        "{evaluation_id} is not an evaluation of plan {plan_id}",
        "{evaluation_id} bukan evaluasi dari rencana (SKP) {plan_id}",
    ),
    (
        "dialogue_evaluation_only",
        "only a dialogue of stage evaluation belongs to an evaluation",
        "hanya dialog kinerja tahap penilaian yang terkait dengan evaluasi",
    ),
    (
        "dialogue_future",
        "{held_on} is in the future; record a dialogue once it was held",
        "{held_on} masih di masa depan; catat dialog kinerja setelah dilaksanakan",
    ),
    (
        "dialogue_date_range",
        "must be between {earliest} and {latest} (the plan's span, give or take two months)",
        "harus antara {earliest} dan {latest} (masa rencana, lebih atau kurang dua bulan)",
    ),
    (
        "dialogue_before_period",
        "must not be before {start}, the start of the evaluated period {period_id}",
        "tidak boleh sebelum {start}, awal periode yang dinilai {period_id}",
    ),
    (
        "dialogue_participants_max",
        "at most {n} participants besides the employee and the rater",
        "paling banyak {n} peserta selain pegawai dan pejabat penilai",
    ),
    (
        "dialogue_participant_unknown",
        "{nip} is not an employee in the directory",
        "{nip} bukan pegawai yang ada di direktori",
    ),
    (
        "dialogue_exists",
        "The {stage} dialogue of plan {plan_id} for {period_id} is recorded already ({id}); edit or correct that one.",
        "Dialog kinerja tahap {stage} untuk rencana (SKP) {plan_id} periode {period_id} sudah "
        "dicatat ({id}); ubah atau koreksi dialog itu.",
    ),
    ("dialogue_exists_title", "Dialogue recorded already", "Dialog kinerja sudah dicatat"),
    ("dialogue_topics_blank", "must say what was discussed", "harus menyebutkan apa yang dibahas"),
    (
        "dialogue_body_empty",
        "send at least one of held_on, participants, topics, follow_ups",
        "kirim paling sedikit satu dari held_on, participants, topics, follow_ups",
    ),
    (
        "dialogue_confirmed",
        "Both confirmed this dialogue; a change is a correction (POST .../corrections) that both confirm again.",
        "Kedua pihak sudah mengonfirmasi dialog kinerja ini; perubahan harus berupa koreksi (POST "
        ".../corrections) yang dikonfirmasi lagi oleh keduanya.",
    ),
    ("dialogue_confirmed_title", "Dialogue confirmed", "Dialog kinerja sudah dikonfirmasi"),
    (
        "dialogue_confirmed_already",
        "You confirmed this dialogue already; it waits for the other party.",
        "Anda sudah mengonfirmasi dialog kinerja ini; menunggu konfirmasi pihak lain.",
    ),
    ("dialogue_confirmed_already_title", "Confirmed already", "Sudah dikonfirmasi"),
    (
        "dialogue_not_confirmed",
        "This dialogue is not confirmed by both yet; edit it instead (PATCH).",
        "Dialog kinerja ini belum dikonfirmasi kedua pihak; ubah saja (PATCH).",
    ),
    ("dialogue_not_confirmed_title", "Dialogue not confirmed yet", "Dialog kinerja belum dikonfirmasi"),
    (
        "dialogue_plan_missing",
        "plan {plan_id} of this dialogue is not known here any more",
        "rencana (SKP) {plan_id} dari dialog kinerja ini tidak dikenal lagi di sini",
    ),
]

LABELS = {
    "held_on": "Tanggal dialog",
    "participants": "Peserta",
    "topics": "Topik dialog",
    "follow_ups": "Tindak lanjut",
    "stage": "Tahap",
    "evaluation_id": "Evaluasi",
}

catalogue.update(MESSAGES, namespace="evaluation")
for _field, _name in LABELS.items():
    catalogue.label(_field, _name)
