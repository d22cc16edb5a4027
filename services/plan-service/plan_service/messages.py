"""plan-service's texts in Bahasa Indonesia (see kinerja_shared.i18n): (code, English as the code
writes it, Indonesian). tests/test_messages.py fails when a message lacks its line."""

from kinerja_shared.i18n import catalogue

MESSAGES = [
    # -- the SKP document (issue 17) --
    (
        "document_plan_not_approved",
        "plan {plan_id} has no approved revision yet: its SKP is issued once the rater approves it",
        "rencana {plan_id} belum memiliki revisi yang disetujui: SKP-nya diterbitkan setelah pejabat "
        "penilai menyetujuinya",
    ),
    ("document_plan_not_approved_title", "Plan not approved", "Rencana belum disetujui"),
    (
        "rater_cycle",
        "would make a cycle of raters (each is rated by the next): {ring}",
        "akan membentuk lingkaran pejabat penilai (masing-masing dinilai oleh yang berikutnya): {ring}",
    ),
    ("coefficient_range", "must be a number from 0 to {limit}", "harus berupa angka dari 0 sampai {limit}"),
    # -- the org directory and its import --
    ("unit_not_found", "unit {unit_id} does not exist", "unit {unit_id} tidak ada"),
    (
        "employee_not_in_directory",
        "employee {nip} is not in the org directory",
        "pegawai {nip} tidak ada di direktori organisasi",
    ),
    (
        "employee_not_in_directory_short",
        "employee {nip} is not in the directory",
        "pegawai {nip} tidak ada di direktori",
    ),
    (
        "import_multipart_file",
        "send the export as the multipart field 'file'",
        "kirim berkas ekspor sebagai kolom multipart 'file'",
    ),
    (
        "import_content_type",
        "Send the HR export as multipart/form-data (field 'file'), application/json or text/csv.",
        "Kirim ekspor data kepegawaian sebagai multipart/form-data (kolom 'file'), application/json atau text/csv.",
    ),
    (
        "import_content_type_field",
        "content type {content_type} is not accepted",
        "jenis isi {content_type} tidak diterima",
    ),
    ("import_nothing", "holds no units and no employees", "tidak berisi unit maupun pegawai"),
    (
        "import_refused",
        "{count} problem(s) in the file; nothing was imported. {details}",
        "{count} masalah dalam berkas; tidak ada yang diimpor. {details}",
    ),
    ("import_row_problem", "line {line}: {field}: {message}", "baris {line}: {field}: {message}"),
    (
        "nip_birth_date",
        "digits 1-8 must be a valid birth date (YYYYMMDD), got {digits}",
        "digit 1-8 harus tanggal lahir yang sah (YYYYMMDD), bukan {digits}",
    ),
    (
        "nip_birth_date_past",
        "digits 1-8 (birth date {born}) must be a past date after 1900",
        "digit 1-8 (tanggal lahir {born}) harus tanggal yang sudah lewat, setelah 1900",
    ),
    (
        "nip_start_month",
        "digits 13-14 must be the start month (01-12), got {digits}",
        "digit 13-14 harus bulan mulai (01-12), bukan {digits}",
    ),
    (
        "nip_start_year_age",
        "digits 9-12 (start year {start_year}) must be at least 15 years after the birth year {birth_year}",
        "digit 9-12 (tahun mulai {start_year}) harus paling sedikit 15 tahun setelah tahun lahir {birth_year}",
    ),
    (
        "nip_start_year_future",
        "digits 9-12 (start year {start_year}) must not lie in the future",
        "digit 9-12 (tahun mulai {start_year}) tidak boleh di masa depan",
    ),
    (
        "nip_gender",
        "digit 15 must be the gender digit 1 or 2, got {digit}",
        "digit 15 harus digit jenis kelamin 1 atau 2, bukan {digit}",
    ),
    ("nip_18_digit", "must be an 18-digit NIP", "harus NIP 18 digit"),
    (
        "unit_id_format",
        "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        "harus 1 sampai 64 huruf, angka, '.', '_' atau '-', diawali huruf atau angka",
    ),
    ("unit_id_reserved", "{unit_id} is reserved", "{unit_id} sudah dipakai sistem"),
    ("file_not_utf8", "must be UTF-8 text (byte {position} is not)", "harus teks UTF-8 (bita ke-{position} bukan)"),
    ("file_empty", "is empty", "kosong"),
    ("file_no_header", "has no header line", "tidak memiliki baris judul kolom"),
    (
        "file_column_twice",
        "the header names a column twice: {column}",
        "judul kolom menyebut satu kolom dua kali: {column}",
    ),
    (
        "file_column_missing",
        "the header (line 1) lacks the column {column}; known columns: {known}",
        "judul kolom (baris 1) tidak memiliki kolom {column}; kolom yang dikenal: {known}",
    ),
    ("file_csv_unreadable", "cannot be read as CSV: {error}", "tidak dapat dibaca sebagai CSV: {error}"),
    (
        "file_row_cells",
        "has {cells} cells but the header names {columns} columns",
        "berisi {cells} sel padahal judul kolom menyebut {columns} kolom",
    ),
    (
        "file_unit_differs",
        "unit {unit_id} has {column} {before} on line {line}, here {here}",
        "unit {unit_id} memiliki {column} {before} di baris {line}, di sini {here}",
    ),
    ("file_not_json", "is not valid JSON: {error}", "bukan JSON yang sah: {error}"),
    (
        "file_json_shape",
        'must be a JSON object {{"units": [...], "employees": [...]}} or a list of employees',
        'harus objek JSON {{"units": [...], "employees": [...]}} atau daftar pegawai',
    ),
    ("must_be_a_list", "must be a list", "harus berupa daftar"),
    ("must_be_a_json_object", "must be a JSON object", "harus berupa objek JSON"),
    ("must_be_text", "must be text", "harus berupa teks"),
    (
        "must_be_boolean",
        "must be true or false (also 1/0, yes/no, ya/tidak)",
        "harus true atau false (juga 1/0, yes/no, ya/tidak)",
    ),
    ("must_be_number_0_1000", "must be a number from 0 to 1000", "harus angka dari 0 sampai 1000"),
    ("must_be_date", "must be a date YYYY-MM-DD", "harus tanggal YYYY-MM-DD"),
    (
        "date_range_import",
        "must lie between 2000-01-01 and a year from today",
        "harus antara 2000-01-01 dan setahun dari hari ini",
    ),
    ("appears_on_line", "appears already on line {line}", "sudah muncul di baris {line}"),
    ("appears_twice", "appears twice", "muncul dua kali"),
    ("not_an_email", "is not an e-mail address", "bukan alamat e-mail"),
    (
        "unit_not_in_directory_or_import",
        "unit {unit_id} is not in the org directory (nor in this import)",
        "unit {unit_id} tidak ada di direktori organisasi (maupun di impor ini)",
    ),
    (
        "own_rater",
        "an employee cannot be their own rater or rater's superior",
        "pegawai tidak dapat menjadi pejabat penilai atau atasan pejabat penilai bagi dirinya sendiri",
    ),
    ("required_new_employee", "is required for a new employee", "wajib diisi untuk pegawai baru"),
    (
        "nip_not_in_directory_or_import",
        "{nip} is not in the org directory (nor a valid row of this import)",
        "{nip} tidak ada di direktori organisasi (maupun baris sah impor ini)",
    ),
    ("unit_own_parent", "a unit cannot be its own parent", "unit tidak dapat menjadi induk bagi dirinya sendiri"),
    (
        "unit_cycle",
        "would make the unit its own ancestor (a cycle in the unit tree)",
        "akan membuat unit menjadi leluhurnya sendiri (siklus di pohon unit)",
    ),
    ("admin_only", "Only an admin (BKPSDM) may {what}.", "Hanya admin (BKPSDM) yang boleh {what}."),
    ("what_change_directory", "change the org directory", "mengubah direktori organisasi"),
    ("what_import_directory", "import the org directory", "mengimpor direktori organisasi"),
    ("what_manage_templates", "manage plan templates", "mengelola templat rencana"),
    # -- plans --
    (
        "transition",
        "cannot {action} a {what} that is {status} (allowed from: {allowed})",
        "tidak dapat {action} {what} berstatus {status} (hanya boleh dari: {allowed})",
    ),
    ("what_plan", "plan", "rencana (SKP)"),
    ("what_amendment", "amendment", "amandemen"),
    (
        "needs_main_result",
        "a plan needs at least one main result (hasil kerja utama)",
        "rencana memerlukan paling sedikit satu hasil kerja utama",
    ),
    ("repeats_result_id", "repeats the id of results.{index}", "mengulang ID dari results.{index}"),
    ("repeats_id", "repeats the id of {other}", "mengulang ID dari {other}"),
    (
        "jpt_needs_perspective",
        "a JPT result needs a perspective: {perspectives}",
        "hasil kerja JPT memerlukan perspektif: {perspectives}",
    ),
    (
        "ja_jf_no_perspective",
        "only JPT results carry a perspective; leave it empty for JA_JF",
        "hanya hasil kerja JPT yang memiliki perspektif; kosongkan untuk JA_JF",
    ),
    (
        "result_needs_indicator",
        "each result needs at least one indicator",
        "setiap hasil kerja memerlukan paling sedikit satu indikator",
    ),
    (
        "quantitative_target",
        "a quantitative plan needs a numeric target",
        "rencana kuantitatif memerlukan target angka",
    ),
    (
        "measure_aspect",
        "a {aspect} indicator is measured by {allowed}, not {measure}",
        "indikator {aspect} diukur dengan {allowed}, bukan {measure}",
    ),
    (
        "measure_deadline_day",
        "a deadline needs the day of the month it falls on (1-31)",
        "tenggat memerlukan tanggal jatuh temponya setiap bulan (1-31)",
    ),
    (
        "measure_deadline_day_only",
        "only a deadline measure has a deadline day",
        "hanya ukuran tenggat (deadline) yang memiliki tanggal tenggat",
    ),
    (
        "quantitative_unit",
        "a quantitative plan needs the target's unit",
        "rencana kuantitatif memerlukan satuan target",
    ),
    (
        "qualitative_no_target",
        "a qualitative plan's indicators are narrative: no numeric target",
        "indikator rencana kualitatif berupa narasi: tanpa target angka",
    ),
    (
        "qualitative_no_unit",
        "a qualitative plan's indicators are narrative: no target unit",
        "indikator rencana kualitatif berupa narasi: tanpa satuan target",
    ),
    (
        "behaviours_once",
        "give each of the seven BerAKHLAK values once{details}",
        "isi setiap nilai BerAKHLAK (tujuh) tepat satu kali{details}",
    ),
    ("behaviours_missing", "; missing: {values}", "; kurang: {values}"),
    ("behaviours_repeated", "; repeated: {values}", "; berulang: {values}"),
    (
        "behaviours_missing_repeated",
        "; missing: {missing}; repeated: {repeated}",
        "; kurang: {missing}; berulang: {repeated}",
    ),
    (
        "no_rater",
        "the employee has no rater in the org directory, so no result can be supported",
        "pegawai tidak memiliki pejabat penilai di direktori organisasi, sehingga tidak ada hasil kerja yang dapat "
        "didukung",
    ),
    (
        "rater_no_plan",
        "the rater {rater_nip} has no approved plan for {year} yet",
        "pejabat penilai {rater_nip} belum memiliki rencana (SKP) yang disetujui untuk {year}",
    ),
    (
        "not_rater_result",
        "{result_id} is not a result of the rater's approved plan {plan_id} (its results: {choices})",
        "{result_id} bukan hasil kerja rencana (SKP) pejabat penilai yang disetujui {plan_id} (hasil kerjanya: "
        "{choices})",
    ),
    (
        "must_support_rater",
        "a main result of a JA_JF plan must support a result of the rater's approved plan {plan_id} (intervensi)",
        "hasil kerja utama rencana JA_JF harus mendukung hasil kerja rencana (SKP) pejabat "
        "penilai yang disetujui {plan_id} (intervensi)",
    ),
    (
        "span_within_year",
        "the plan's span must lie within {year}",
        "rentang rencana harus berada di dalam tahun {year}",
    ),
    ("end_before_start", "must not be before period_start", "tidak boleh sebelum period_start (awal periode)"),
    (
        "start_after_transfer",
        "must be on or after {day}: an earlier plan of {year} (closed by a transfer) covers the days before",
        "harus pada atau setelah {day}: rencana {year} sebelumnya (ditutup karena mutasi) mencakup "
        "hari-hari sebelumnya",
    ),
    ("plan_not_found", "plan {plan_id} does not exist", "rencana (SKP) {plan_id} tidak ada"),
    (
        "nip_not_in_directory",
        "{nip} is not in the org directory; ask BKPSDM to import it",
        "{nip} tidak ada di direktori organisasi; minta BKPSDM mengimpornya",
    ),
    ("nip_not_active", "{nip} is not an active employee", "{nip} bukan pegawai aktif"),
    (
        "plan_exists",
        "{nip} already has a plan for {year} ({plan_id}, {status}); edit or amend it instead",
        "{nip} sudah memiliki rencana (SKP) untuk {year} ({plan_id}, {status}); ubah atau amandemen rencana itu",
    ),
    ("plan_exists_title", "A plan for this year exists", "Rencana untuk tahun ini sudah ada"),
    ("own_plan_only", "You may draft only your own plan.", "Anda hanya boleh menyusun rencana (SKP) Anda sendiri."),
    ("owner_edits_draft", "Only the plan's owner edits a draft.", "Hanya pemilik rencana yang mengubah draf."),
    (
        "copy_own_only",
        "You may copy a plan only into your own new draft.",
        "Anda hanya boleh menyalin rencana ke draf baru Anda sendiri.",
    ),
    ("year_at_most_2100", "must be at most 2100", "paling besar 2100"),
    ("owner_submits", "Only the plan's owner may submit it.", "Hanya pemilik rencana yang boleh mengajukannya."),
    (
        "rater_only",
        "Only the plan's rater (pejabat penilai) may do this.",
        "Hanya pejabat penilai rencana ini yang boleh melakukannya.",
    ),
    (
        "bulk_too_many",
        "at most {limit} plans per request (PLAN_BULK_MAX_ITEMS)",
        "paling banyak {limit} rencana per permintaan (PLAN_BULK_MAX_ITEMS)",
    ),
    (
        "plan_changed",
        "plan {plan_id} changed since you read it (current version {version})",
        "rencana (SKP) {plan_id} berubah sejak Anda membacanya (versi sekarang {version})",
    ),
    (
        "amendment_not_found",
        "amendment {amendment_id} of plan {plan_id} does not exist",
        "amandemen {amendment_id} dari rencana (SKP) {plan_id} tidak ada",
    ),
    (
        "amendment_who_proposes",
        "Only the plan's owner or rater may propose an amendment.",
        "Hanya pemilik atau pejabat penilai rencana yang boleh mengusulkan amandemen.",
    ),
    (
        "amendment_pending",
        "amendment {amendment_id} is already pending; withdraw it or wait for the rater's decision",
        "amandemen {amendment_id} masih menunggu; tarik atau tunggu keputusan pejabat penilai",
    ),
    ("amendment_pending_title", "An amendment is pending", "Ada amandemen yang menunggu"),
    (
        "amendment_who_withdraws",
        "Only who proposed the amendment, the plan's owner or an admin may withdraw it.",
        "Hanya pengusul amandemen, pemilik rencana atau admin yang boleh menariknya.",
    ),
    (
        "revision_not_found",
        "plan {plan_id} has no revision {revision}",
        "rencana (SKP) {plan_id} tidak memiliki revisi {revision}",
    ),
    (
        "result_not_found",
        "plan {plan_id} has no result {result_id}",
        "rencana (SKP) {plan_id} tidak memiliki hasil kerja {result_id}",
    ),
    (
        "may_see_employee",
        "Only the employee, their rater, the head of their unit or an admin may see this.",
        "Hanya pegawai itu, pejabat penilainya, kepala unitnya atau admin yang boleh melihat ini.",
    ),
    (
        "head_monitors",
        "Only the head of this unit (or of a unit above it) or an admin may monitor it.",
        "Hanya kepala unit ini (atau unit di atasnya) atau admin yang boleh memantaunya.",
    ),
    (
        "monitoring_heads_only",
        "Completion monitoring is for unit heads and admins.",
        "Pemantauan kelengkapan hanya untuk kepala unit dan admin.",
    ),
    ("template_not_found", "plan template {template_id} does not exist", "templat rencana {template_id} tidak ada"),
    # -- acting heads (Plt., Plh.) and functional levels --
    (
        "acting_not_found",
        "unit {unit_id} has no acting head {assignment_id}",
        "unit {unit_id} tidak memiliki Plt./Plh. {assignment_id}",
    ),
    (
        "acting_revoked_patch",
        "acting head {assignment_id} is revoked; assign a new one",
        "penunjukan Plt./Plh. {assignment_id} sudah dicabut; buat penunjukan baru",
    ),
    (
        "acting_revoked_again",
        "acting head {assignment_id} is revoked already",
        "penunjukan Plt./Plh. {assignment_id} sudah dicabut",
    ),
    ("acting_to_before_from", "must not lie before valid_from", "tidak boleh sebelum tanggal mulai (valid_from)"),
    (
        "acting_span_five_years",
        "must lie within five years of valid_from",
        "harus dalam lima tahun sejak tanggal mulai (valid_from)",
    ),
    ("acting_employee_inactive", "employee {nip} is not active", "pegawai {nip} tidak aktif"),
    (
        "acting_is_head",
        "{nip} is already the definitive head of unit {unit_id}",
        "{nip} sudah menjadi kepala definitif unit {unit_id}",
    ),
    (
        "acting_plt_has_head",
        "unit {unit_id} has a definitive head ({nip}): a Plt. is for a vacant post, assign a Plh.",
        "unit {unit_id} memiliki kepala definitif ({nip}): Plt. hanya untuk jabatan yang kosong, tunjuk Plh.",
    ),
    (
        "acting_overlap",
        "overlaps the acting head {nip} of unit {unit_id} ({valid_from} to {valid_to})",
        "bertumpang tindih dengan Plt./Plh. {nip} unit {unit_id} ({valid_from} sampai {valid_to})",
    ),
    (
        "functional_level_code",
        "must be a functional level code: {codes}",
        "harus kode jenjang jabatan fungsional: {codes}",
    ),
    ("acting_kind", "must be plt or plh", "harus plt atau plh"),
    (
        "siasn_code",
        "must be letters, digits, '/', '.' or '-' (as in the SIASN export)",
        "harus huruf, angka, '/', '.' atau '-' (seperti pada ekspor SIASN)",
    ),
    (
        "templates_assign_rights",
        "Only an admin or the head of this unit (or of a unit above it) may assign templates to it.",
        "Hanya admin atau kepala unit ini (atau unit di atasnya) yang boleh menetapkan templat untuknya.",
    ),
]

LABELS = {
    "approach": "Pendekatan",
    "model": "Model",
    "perspective": "Perspektif",
    "indicators": "Indikator",
    "target_value": "Target",
    "target_unit": "Satuan target",
    "measure": "Cara mengukur realisasi",
    "deadline_day": "Tanggal tenggat",
    "supports_result_id": "Hasil kerja yang didukung (intervensi)",
    "period_start": "Awal periode",
    "period_end": "Akhir periode",
    "parent_id": "Unit induk",
    "head_nip": "NIP kepala unit",
    "unit_name": "Nama unit",
    "parent_unit_id": "Unit induk",
    "effective_date": "Tanggal berlaku",
    "functional_coefficient": "Koefisien fungsional",
    "return_reason": "Alasan pengembalian",
    "change_reason": "Alasan perubahan",
    "template_id": "Templat",
    "aspect": "Aspek",
    "kind": "Jenis",
    "attachments": "Lampiran",
    "(row)": "Baris",
    "functional_level": "Jenjang jabatan fungsional",
    "siasn_pns_id": "ID PNS SIASN",
    "rank_code": "Kode golongan SIASN",
    "valid_from": "Berlaku mulai",
    "valid_to": "Berlaku sampai",
    "decree_number": "Nomor surat perintah",
}

catalogue.update(MESSAGES, namespace="plan")
for _field, _name in LABELS.items():
    catalogue.label(_field, _name)
from . import action_plans_messages  # noqa: E402,F401  (action plans: their own texts)
