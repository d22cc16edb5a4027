"""evaluation-service's texts in Bahasa Indonesia (see kinerja_shared.i18n): its problems, the
reasoning of the results-rating suggestion and the SE 03/2023 distribution rules. One line per
text: (code, English as the code writes it, Indonesian). tests/test_messages.py fails when the
code can produce a text without its line here."""

from kinerja_shared.i18n import catalogue

from . import domain

MESSAGES = [
    (
        "rules_if_match_stale",
        "If-Match does not hold the current ETag of these rules; read them again.",
        "If-Match tidak memuat ETag aturan ini yang berlaku; baca ulang aturannya.",
    ),
    # -- official documents (issue 17) --
    (
        "document_not_closed",
        "evaluation {id} is not closed yet: its document is issued when the rater closes it",
        "evaluasi {id} belum ditutup: dokumennya diterbitkan ketika pejabat penilai menutupnya",
    ),
    ("document_not_closed_title", "Evaluation not closed", "Evaluasi belum ditutup"),
    (
        "document_no_org_predicate",
        "unit {unit_id} has no organisational predicate for {period_id}",
        "unit {unit_id} belum memiliki predikat organisasi untuk {period_id}",
    ),
    (
        "document_no_pak",
        "{nip} has no credit-point assessment (PAK) for {year} yet: it is recorded when the annual evaluation closes",
        "{nip} belum memiliki penetapan angka kredit (PAK) untuk {year}: PAK dicatat ketika evaluasi tahunan ditutup",
    ),
    ("document_no_pak_title", "No PAK yet", "Belum ada PAK"),
    (
        "document_job_admin_only",
        "Only an admin may generate a unit's documents in bulk.",
        "Hanya admin yang boleh membuat dokumen satu unit sekaligus.",
    ),
    ("document_job_unit_unknown", "unit {unit_id} is not known here", "unit {unit_id} belum dikenal di sini"),
    (
        "document_job_not_found",
        "document job {job_id} of unit {unit_id} does not exist",
        "pekerjaan dokumen {job_id} untuk unit {unit_id} tidak ada",
    ),
    (
        "document_job_not_done",
        "document job {job_id} is {status}, not done",
        "pekerjaan dokumen {job_id} berstatus {status}, belum selesai",
    ),
    ("document_job_not_done_title", "Job not done", "Pekerjaan belum selesai"),
    (
        "period_not_in_scheme",
        "{year} is evaluated in {scheme} periods, so {period_id} is not one of them",
        "{year} dinilai per periode {scheme}, jadi {period_id} bukan salah satunya",
    ),
    ("scheme_monthly", "monthly", "bulanan"),
    ("scheme_quarterly", "quarterly", "triwulanan"),
    (
        "head_only",
        "Only the head of unit {unit_id} (or of a unit above it) or an admin may {what}.",
        "Hanya kepala unit {unit_id} (atau unit di atasnya) atau admin yang boleh {what}.",
    ),
    ("what_set_org_predicate", "set its organisational predicate", "menetapkan predikat organisasinya"),
    ("what_see_distribution", "see its distribution", "melihat distribusinya"),
    ("what_finalise_calibration", "finalise its calibration", "memfinalkan kalibrasinya"),
    ("what_export_predicates", "export its predicates", "mengekspor predikatnya"),
    ("what_see_dashboard", "see its dashboard", "melihat dasbornya"),
    ("evaluation_not_found", "evaluation {id} does not exist", "evaluasi {id} tidak ada"),
    (
        "plan_not_known_yet",
        "plan {plan_id} of this evaluation is not known here yet",
        "rencana (SKP) {plan_id} dari evaluasi ini belum dikenal di sini",
    ),
    (
        "rater_only",
        "Only the evaluation's rater (pejabat penilai) may {what}.",
        "Hanya pejabat penilai evaluasi ini yang boleh {what}.",
    ),
    ("what_fill_in_form", "fill in and submit the form", "mengisi dan mengajukan formulir"),
    ("what_close_evaluation", "close the evaluation", "menutup evaluasi"),
    (
        "rating_note_needed",
        "the suggested results rating is {rating} ({reasoning}); say why you chose {chosen}",
        "saran penilaian hasil kerja adalah {rating} ({reasoning}); jelaskan mengapa Anda memilih {chosen}",
    ),
    (
        "reopen_admin_only",
        "Only an admin (BKPSDM) may reopen a closed evaluation.",
        "Hanya admin (BKPSDM) yang boleh membuka kembali evaluasi yang sudah ditutup.",
    ),
    (
        "feedback_one_target",
        "give feedback on one result or one behaviour value, not both",
        "beri umpan balik untuk satu hasil kerja atau satu nilai perilaku, tidak keduanya",
    ),
    (
        "feedback_rater_only",
        "Only the rater of {nip} may give them continuous feedback.",
        "Hanya pejabat penilai {nip} yang boleh memberinya umpan balik berkelanjutan.",
    ),
    (
        "feedback_result_unknown",
        "{result_id} is not a result of a plan of {nip}",
        "{result_id} bukan hasil kerja dari rencana (SKP) {nip}",
    ),
    (
        "calibration_final",
        "The calibration of unit {unit_id} for {period_id} is final; its predicate cannot change.",
        "Kalibrasi unit {unit_id} untuk {period_id} sudah final; predikatnya tidak dapat diubah.",
    ),
    ("calibration_final_title", "Calibration is final", "Kalibrasi sudah final"),
    (
        "override_admin_only",
        "Only an admin may override the distribution rules.",
        "Hanya admin yang boleh mengesampingkan aturan distribusi.",
    ),
    (
        "org_predicate_first",
        "Set the organisational predicate of unit {unit_id} for {period_id} first.",
        "Tetapkan dulu predikat organisasi unit {unit_id} untuk {period_id}.",
    ),
    ("org_predicate_missing_title", "No organisational predicate", "Belum ada predikat organisasi"),
    (
        "nothing_to_calibrate",
        "No evaluation of unit {unit_id} has a predicate for {period_id} yet.",
        "Belum ada evaluasi unit {unit_id} yang berpredikat untuk {period_id}.",
    ),
    ("nothing_to_calibrate_title", "Nothing to calibrate", "Tidak ada yang dikalibrasi"),
    (
        "evaluations_open",
        "{pending} evaluation(s) of unit {unit_id} for {period_id} are still open.",
        "{pending} evaluasi unit {unit_id} untuk {period_id} masih terbuka.",
    ),
    ("evaluations_open_title", "Evaluations still open", "Evaluasi masih terbuka"),
    (
        "distribution_broken",
        "The distribution breaks {rules}. Change predicates, or an admin may override with override_reason.",
        "Distribusi melanggar {rules}. Ubah predikat, atau admin dapat mengesampingkannya dengan override_reason.",
    ),
    ("distribution_broken_title", "Distribution rule violated", "Aturan distribusi dilanggar"),
    (
        "periods_admin_only",
        "Only an admin (BKPSDM) may manage periods.",
        "Hanya admin (BKPSDM) yang boleh mengelola periode.",
    ),
    ("year_range", "must be between 2000 and 2100", "harus antara 2000 dan 2100"),
    (
        "scheme_fixed",
        "{year} already has {opened} evaluation(s) in {scheme} periods.",
        "{year} sudah memiliki {opened} evaluasi dalam periode {scheme}.",
    ),
    ("scheme_fixed_title", "Scheme is fixed", "Skema sudah tetap"),
    (
        "open_periods_admin_only",
        "Only an admin (BKPSDM) may open periods.",
        "Hanya admin (BKPSDM) yang boleh membuka periode.",
    ),
    (
        "transition",
        "cannot {action} an evaluation that is {status}: {hint}",
        "tidak dapat {action} evaluasi berstatus {status}: {hint}",
    ),
    ("hint_submit_first", "submit it first", "ajukan dulu"),
    ("hint_already_closed", "it is already closed", "evaluasi sudah ditutup"),
    (
        "hint_closed_is_fixed",
        "a closed evaluation is fixed; an admin may reopen it",
        "evaluasi yang sudah ditutup bersifat tetap; admin dapat membukanya kembali",
    ),
    (
        "hint_only_closed_reopens",
        "only a closed evaluation can be reopened",
        "hanya evaluasi yang sudah ditutup yang dapat dibuka kembali",
    ),
    (
        "period_id_format",
        "must look like 2026-Q4 (quarter), 2026-11 (month) or 2026-Y (year)",
        "harus seperti 2026-Q4 (triwulan), 2026-11 (bulan) atau 2026-Y (tahun)",
    ),
    (
        "period_id_format_short",
        "must look like 2026-Q4, 2026-11 or 2026-Y",
        "harus seperti 2026-Q4, 2026-11 atau 2026-Y",
    ),
    ("not_employee_predicate", "{value} is not an employee predicate", "{value} bukan predikat pegawai"),
    ("months_range", "must be between 0 and 12", "harus antara 0 dan 12"),
    (
        "not_result_of_plan",
        "{result_id} is not a result of the plan",
        "{result_id} bukan hasil kerja rencana (SKP) ini",
    ),
    ("given_twice", "{value} is given twice", "{value} diberikan dua kali"),
    # -- who sets a unit's organisational predicate (issue 16)
    (
        "predicate_own_head",
        "The head of unit {unit_id} may not set its own organisational predicate (it becomes their "
        "own results rating); it is set by {who}.",
        "Kepala unit {unit_id} tidak boleh menetapkan predikat organisasi unitnya sendiri (predikat itu menjadi "
        "penilaian "
        "hasil kerjanya sendiri); predikat ditetapkan oleh {who}.",
    ),
    (
        "predicate_set_by",
        "Only {who} may set the organisational predicate of unit {unit_id}.",
        "Predikat organisasi unit {unit_id} hanya boleh ditetapkan oleh {who}.",
    ),
    (
        "who_parent_head",
        "the head or acting head of unit {parent_id}, the unit above it",
        "kepala atau Plt./Plh. kepala unit {parent_id}, unit di atasnya",
    ),
    (
        "who_ppk",
        "the PPK, through an admin (BKPSDM), as it is a top-level unit (OPD)",
        "PPK, melalui admin (BKPSDM), karena unit ini unit tertinggi (OPD)",
    ),
    (
        "predicate_authority_title",
        "Not the unit's predicate authority",
        "Bukan pejabat yang berwenang atas predikat unit",
    ),
    ("basis_needed", "must say why the unit has this predicate", "harus menyebutkan dasar predikat unit ini"),
    # -- distribution bounds as a policy (EVALUATION_DISTRIBUTION_ROUNDING)
    (
        "rounding_literal",
        domain.ROUNDING_TEXT[domain.LITERAL],
        'Harfiah (sesuai teks peraturan): "paling banyak p %" dari unit berisi n orang membolehkan floor(p × n) orang '
        'dan "paling sedikit p %" mewajibkan ceil(p × n) orang.',
    ),
    (
        "rounding_nearest",
        domain.ROUNDING_TEXT[domain.NEAREST],
        "Orang terdekat: batas adalah jumlah orang bulat terdekat dari p × n; tepat setengah dibulatkan ke arah aturan "
        '(ke bawah untuk "paling banyak", ke atas untuk "paling sedikit").',
    ),
    ("rounding_policy", "must be one of literal, nearest", "harus salah satu dari literal, nearest"),
    # -- credit points (angka kredit)
    (
        "credit_rule",
        "share of the predicate × yearly coefficient of the level × months / 12, rounded half up to two decimals",
        "persentase predikat × koefisien tahunan jenjang × bulan / 12, dibulatkan setengah ke atas menjadi dua desimal",
    ),
    (
        "credit_legacy_coefficient",
        "No functional level (jenjang) is known for {nip}: the credit points use the old "
        "typed-in coefficient {value} until the directory gives the level.",
        "Jenjang jabatan fungsional {nip} belum diketahui: angka kredit memakai koefisien lama yang diketik, {value}, "
        "sampai direktori mencatat jenjangnya.",
    ),
    (
        "credit_no_level",
        "{nip} has no functional level (jenjang) in the directory: no credit points.",
        "{nip} tidak memiliki jenjang jabatan fungsional di direktori: tidak ada angka kredit.",
    ),
    (
        "credit_points_readers",
        "Only {nip}, their rater, the head of their unit (or of a unit above it) or an admin may "
        "read their credit points.",
        "Hanya {nip}, pejabat penilainya, kepala unitnya (atau unit di atasnya) atau admin "
        "yang boleh melihat angka kreditnya.",
    ),
    ("employee_not_known", "employee {nip} is not known here", "pegawai {nip} belum dikenal di sini"),
    # -- the results-rating suggestion's reasoning (domain.suggest_results_rating) --
    (
        "reason_head_of_unit",
        "The employee heads unit {unit_id}; its organisational predicate is {predicate}, so the "
        "unit's achievement is the results rating: {rating}.",
        "Pegawai ini memimpin unit {unit_id}; predikat organisasinya {predicate}, sehingga capaian unit menjadi "
        "penilaian "
        "hasil kerja: {rating}.",
    ),
    (
        "reason_counts",
        "{n} of {total} results assessed: {above} above, {meets} meets, {below} below expectation; "
        "{main_below} of {mains} main results below.",
        "{n} dari {total} hasil kerja dinilai: {above} di atas, {meets} sesuai, {below} di bawah ekspektasi; "
        "{main_below} dari {mains} hasil kerja utama di bawah ekspektasi.",
    ),
    (
        "reason_unassessed",
        "Not assessed (no numeric target or no assessment on the form): {result_ids}.",
        "Tidak dinilai (tanpa target angka atau tanpa penilaian di formulir): {result_ids}.",
    ),
    (
        "reason_none_assessed",
        "No result could be assessed, so there is no suggestion; the rater decides.",
        "Tidak ada hasil kerja yang dapat dinilai, jadi tidak ada saran; pejabat penilai yang memutuskan.",
    ),
    (
        "reason_above",
        "Most results ({above} of {n}) exceed expectation and no main result is below: above.",
        "Sebagian besar hasil kerja ({above} dari {n}) di atas ekspektasi dan tidak ada hasil kerja utama di bawah "
        "ekspektasi: di atas ekspektasi (above).",
    ),
    (
        "reason_not_above",
        "Most results exceed expectation but {main_below} main result(s) are below, so not above.",
        "Sebagian besar hasil kerja di atas ekspektasi tetapi {main_below} hasil kerja utama di bawah ekspektasi, jadi "
        "bukan di atas ekspektasi.",
    ),
    (
        "reason_below_most",
        "Most results ({below} of {n}) fall below expectation: below.",
        "Sebagian besar hasil kerja ({below} dari {n}) di bawah ekspektasi: di bawah ekspektasi (below).",
    ),
    (
        "reason_meets",
        "{met} of {n} results meet or exceed expectation and only {main_below} of {mains} main results "
        "fall below: meets.",
        "{met} dari {n} hasil kerja sesuai atau di atas ekspektasi dan hanya {main_below} dari "
        "{mains} hasil kerja utama di bawah ekspektasi: sesuai ekspektasi (meets).",
    ),
    (
        "reason_main_below",
        "{main_below} of {mains} main results fall below expectation, which is not 'a few' (fewer than half): below.",
        "{main_below} dari {mains} hasil kerja utama di bawah ekspektasi, bukan 'sebagian kecil' "
        "(kurang dari separuh): di bawah ekspektasi (below).",
    ),
    (
        "reason_below_few_met",
        "Only {met} of {n} results meet or exceed expectation: below.",
        "Hanya {met} dari {n} hasil kerja yang sesuai atau di atas ekspektasi: di bawah ekspektasi (below).",
    ),
    ("reason_results_above", "Results above expectation: {results}.", "Hasil kerja di atas ekspektasi: {results}."),
    ("reason_results_meeting", "Results meeting expectation: {results}.", "Hasil kerja sesuai ekspektasi: {results}."),
    ("reason_results_below", "Results below expectation: {results}.", "Hasil kerja di bawah ekspektasi: {results}."),
    (
        "reason_no_data",
        "No data yet (nothing verified in the period), not counted as below: {results}.",
        "Belum ada data (belum ada yang terverifikasi dalam periode ini), tidak dihitung di bawah ekspektasi: "
        "{results}.",
    ),
    (
        "reason_qualitative",
        "The plan has no numeric targets (qualitative): the rater assesses the results from the "
        "evidence, so there is no suggestion.",
        "Rencana ini tidak memiliki target angka (kualitatif): pejabat penilai "
        "menilai hasil kerja dari bukti dukung, jadi tidak ada saran.",
    ),
    # -- realisation per indicator aspect (realisation.py) --
    ("level_above", "above expectation", "di atas ekspektasi"),
    ("level_meets", "meets expectation", "sesuai ekspektasi"),
    ("level_below", "below expectation", "di bawah ekspektasi"),
    (
        "real_qualitative",
        "No numeric target (qualitative): the rater assesses this result from the evidence.",
        "Tanpa target angka (kualitatif): pejabat penilai menilai hasil kerja ini dari bukti dukung.",
    ),
    (
        "real_target_unusable",
        "The stored target is outside the bounds of a target: no percentage; the rater assesses from the evidence.",
        "Target yang tersimpan di luar batas target: tanpa persentase; pejabat penilai menilai dari bukti dukung.",
    ),
    (
        "real_no_data",
        "No data yet: no verified measurement in the period ({pending} awaiting verification); it does "
        "not count as below.",
        "Belum ada data: belum ada pengukuran terverifikasi dalam periode ini ({pending} menunggu "
        "verifikasi); tidak dihitung di bawah ekspektasi.",
    ),
    (
        "real_sum",
        "Quantity (sum): {done} {unit} verified to date against {expected} {unit} expected by the period's "
        "end ({percent} % of it; the plan's target is {target} {unit}): {level}.",
        "Kuantitas (jumlah): {done} {unit} terverifikasi sampai saat ini dibanding {expected} {unit} yang diharapkan "
        "sampai akhir periode ({percent} % darinya; target rencana {target} {unit}): {level}.",
    ),
    (
        "real_latest",
        "Quality (latest verified measurement): {value} {unit} measured on {day} against the target level of "
        "{target} {unit} ({percent} %): {level}.",
        "Kualitas (pengukuran terverifikasi terakhir): {value} {unit} diukur pada {day} "
        "dibanding target {target} {unit} ({percent} %): {level}.",
    ),
    (
        "real_average",
        "Quality (average of {n} verified measurements in the period): {value} {unit} against the target level of "
        "{target} {unit} ({percent} %): {level}.",
        "Kualitas (rata-rata {n} pengukuran terverifikasi dalam periode): {value} {unit} "
        "dibanding target {target} {unit} ({percent} %): {level}.",
    ),
    (
        "real_duration",
        "Time (duration, lower is better): {value} {unit} taken on average over {n} verified deliveries "
        "against the target of {target} {unit} ({percent} %): {level}.",
        "Waktu (durasi, makin rendah makin baik): "
        "rata-rata {value} {unit} dari {n} penyelesaian terverifikasi dibanding target {target} {unit} ({percent} %): "
        "{level}.",
    ),
    (
        "real_deadline",
        "Time (deadline, by day {day} of each month): {on_time} of {n} verified deliveries in the period "
        "on time ({percent} %): {level}.",
        "Waktu (tenggat, paling lambat tanggal {day} setiap bulan): {on_time} dari {n} "
        "penyerahan terverifikasi dalam periode tepat waktu ({percent} %): {level}.",
    ),
    ("real_late", "Late: {dates}", "Terlambat: {dates}"),
    (
        "real_spent",
        "Cost (spent, lower is better): {spent} {unit} verified as spent to date against a budget of {budget} {unit} "
        "for the months elapsed ({percent} %; the plan's budget is {target} {unit}): {level}.",
        "Biaya (realisasi anggaran, makin rendah makin baik): {spent} {unit} terverifikasi terpakai sampai saat ini "
        "dibanding anggaran "
        "{budget} {unit} untuk bulan yang telah berjalan ({percent} %; anggaran rencana {target} {unit}): {level}.",
    ),
    # -- the distribution rules' checks (domain.RuleCheck) --
    (
        "rule_check_at_most",
        "{rule}: {count} of the unit's people ({share} %), allowed at most {limit}",
        "{rule}: {count} orang di unit ({share} %), paling banyak boleh {limit}",
    ),
    (
        "rule_check_at_least",
        "{rule}: {count} of the unit's people ({share} %), required at least {limit}",
        "{rule}: {count} orang di unit ({share} %), paling sedikit harus {limit}",
    ),
    (
        "rule_check",
        "{rule}: {count} of the unit's people ({share} %), {bound} {limit}",  # the two above, in general
        "{rule}: {count} orang di unit ({share} %), {bound} {limit}",
    ),
]


def _rule_id(rule: domain.Rule) -> str:
    names = [domain.PREDICATE_NAMES_ID[p] for p in rule.predicates]
    if rule.kind == domain.AT_MOST:
        return f"{' ditambah '.join(names)} paling banyak {rule.value} %"
    if rule.kind == domain.AT_LEAST:
        return f"{' ditambah '.join(names)} paling sedikit {rule.value} %"
    if rule.kind == domain.AT_LEAST_COUNT:
        return f"paling sedikit {rule.value} {' atau '.join(names)}"
    return f"tanpa {' ditambah '.join(names)}"


RULES = {
    rule.describe(): (
        f"rule_{rule.kind}_{'_'.join(rule.predicates)}_{rule.value}".lower(),
        rule.describe(),
        _rule_id(rule),
    )
    for rules in domain.DISTRIBUTION_RULES.values()
    for rule in rules
}.values()

LABELS = {
    "results_rating": "Penilaian hasil kerja",
    "behaviour_rating": "Penilaian perilaku kerja",
    "rating_note": "Catatan penilaian",
    "behaviour_value": "Nilai perilaku",
    "override_reason": "Alasan pengecualian",
    "reopen_reason": "Alasan membuka kembali",
    "scheme": "Skema periode",
    "months": "Jumlah bulan",
    "predicates": "Predikat",
    "assessment": "Penilaian",
    "feedback": "Umpan balik",
    "basis": "Dasar penetapan",
    "document_number": "Nomor dokumen",
    "rounding": "Pembulatan",
}

catalogue.update(MESSAGES, namespace="evaluation")
catalogue.update(RULES, namespace="evaluation")
for _field, _name in LABELS.items():
    catalogue.label(_field, _name)
