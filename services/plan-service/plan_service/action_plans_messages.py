"""The texts of action plans (rencana aksi) in Bahasa Indonesia: (code, English as the code writes it, Indonesian)."""

from kinerja_shared.i18n import catalogue

MESSAGES = [
    (
        "action_period_format",
        "must be a month YYYY-MM or a quarter YYYY-Qn",
        "harus bulan YYYY-MM atau triwulan YYYY-Qn",
    ),
    (
        "action_period_span",
        "{period} lies outside the plan's span {start} to {end}",
        "{period} berada di luar masa rencana {start} sampai {end}",
    ),
    (
        "action_no_indicator",
        "the plan has no indicator {indicator_id}",
        "rencana tidak memiliki indikator {indicator_id}",
    ),
    (
        "action_indicator_result",
        "indicator {indicator_id} belongs to result {result_id}",
        "indikator {indicator_id} milik hasil kerja {result_id}",
    ),
    ("action_unit", "must be the indicator's unit ({unit})", "harus satuan indikator ({unit})"),
    (
        "action_no_unit",
        "the indicator is narrative (no unit): leave it empty",
        "indikator berupa narasi (tanpa satuan): kosongkan",
    ),
    (
        "action_target_required",
        "is required: the action's share of the indicator's target, in {unit}",
        "wajib diisi: bagian aksi dari target indikator, dalam {unit}",
    ),
    (
        "action_no_target",
        "the indicator is narrative (no numeric target): leave it empty",
        "indikator berupa narasi (tanpa target angka): kosongkan",
    ),
    (
        "action_owner_proposes",
        "Only the plan's owner proposes its action plans.",
        "Hanya pemilik rencana yang mengusulkan rencana aksinya.",
    ),
    (
        "action_rater_agrees",
        "Only the plan's rater (pejabat penilai) agrees or returns its action plans.",
        "Hanya pejabat penilai rencana yang menyepakati atau mengembalikan rencana aksinya.",
    ),
    (
        "action_plan_not_approved",
        "plan {plan_id} is {status}: action plans are made for an approved plan",
        "rencana {plan_id} berstatus {status}: rencana aksi dibuat untuk rencana yang sudah disetujui",
    ),
    ("action_plan_not_approved_title", "The plan is not approved", "Rencana belum disetujui"),
    (
        "action_not_found",
        "plan {plan_id} has no action {action_id}",
        "rencana {plan_id} tidak memiliki aksi {action_id}",
    ),
    ("action_too_many", "a plan has at most {limit} actions", "satu rencana paling banyak memiliki {limit} aksi"),
    (
        "action_none_proposed",
        "add at least one action before proposing the action plans",
        "tambahkan paling sedikit satu aksi sebelum mengusulkan rencana aksi",
    ),
    ("what_action_plan", "action plan", "rencana aksi"),
    ("action_agree", "agree", "menyepakati"),
    ("action_text_blank", "must describe the action (not blank)", "harus menguraikan aksi (tidak boleh kosong)"),
    (
        "action_no_change",
        "send at least one field of the action to change",
        "kirim paling sedikit satu kolom aksi yang diubah",
    ),
]
LABELS = {
    "period": "Periode",
    "action_id": "Aksi",
    "result_id": "Hasil kerja",
    "indicator_id": "Indikator",
    "target_unit": "Satuan target",
    "actions": "Rencana aksi",
}

catalogue.update(MESSAGES, namespace="plan")
for _field, _name in LABELS.items():
    catalogue.label(_field, _name)
