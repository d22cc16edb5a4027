"""The shared part of the message catalogue (see ``kinerja_shared.i18n``): marshmallow's and
webargs' built-in messages, HTTP titles (their table: ``http_messages``), the common library's own problems, and
the Indonesian names of fields every service uses. Service texts live in ``<service>/messages.py``.

One line per message: (stable code, English template as the code writes it, Indonesian text).
"""

from __future__ import annotations

from .http_messages import TITLES, WERKZEUG
from .i18n import catalogue

# -- marshmallow and webargs (their built-in messages; a test walks every one) ---------------
_RANGE_OPS = {
    "greater than": "lebih besar dari",
    "greater than or equal to": "lebih besar dari atau sama dengan",
    "less than": "lebih kecil dari",
    "less than or equal to": "lebih kecil dari atau sama dengan",
}
_RANGE_CODES = {
    "greater than": "gt",
    "greater than or equal to": "gte",
    "less than": "lt",
    "less than or equal to": "lte",
}

MARSHMALLOW = [
    ("required", "Missing data for required field.", "Wajib diisi."),
    ("null", "Field may not be null.", "Tidak boleh kosong (null)."),
    ("validator_failed", "Invalid value.", "Nilai tidak sah."),
    ("invalid_input", "Invalid input.", "Masukan tidak sah."),
    ("invalid_type", "Invalid type.", "Jenis nilai tidak sah."),
    ("invalid_input_type", "Invalid input type.", "Jenis masukan tidak sah."),
    ("unknown_field", "Unknown field.", "Kolom tidak dikenal."),
    ("invalid_string", "Not a valid string.", "Bukan teks yang sah."),
    ("invalid_utf8", "Not a valid utf-8 string.", "Bukan teks UTF-8 yang sah."),
    ("invalid_integer", "Not a valid integer.", "Bukan bilangan bulat yang sah."),
    ("invalid_number", "Not a valid number.", "Bukan angka yang sah."),
    ("too_large", "Number too large.", "Angka terlalu besar."),
    (
        "special_number",
        "Special numeric values (nan or infinity) are not permitted.",
        "Nilai angka khusus (nan atau tak hingga) tidak diperbolehkan.",
    ),
    ("invalid_boolean", "Not a valid boolean.", "Bukan nilai benar/salah (boolean) yang sah."),
    ("invalid_date", "Not a valid date.", "Bukan tanggal yang sah."),
    ("invalid_datetime_type", "Not a valid {obj_type}.", "Bukan {obj_type} yang sah."),
    ("invalid_awareness", "Not a valid {awareness} {obj_type}.", "Bukan {obj_type} {awareness} yang sah."),
    ("format_date", '"{input}" cannot be formatted as a date.', '"{input}" tidak dapat diformat sebagai tanggal.'),
    (
        "format_datetime",
        '"{input}" cannot be formatted as a {obj_type}.',
        '"{input}" tidak dapat diformat sebagai {obj_type}.',
    ),
    (
        "format_timedelta",
        "{input} cannot be formatted as a timedelta.",
        "{input} tidak dapat diformat sebagai rentang waktu.",
    ),
    ("invalid_timedelta", "Not a valid period of time.", "Bukan rentang waktu yang sah."),
    ("invalid_list", "Not a valid list.", "Bukan daftar (list) yang sah."),
    ("invalid_tuple", "Not a valid tuple.", "Bukan tuple yang sah."),
    ("invalid_mapping", "Not a valid mapping type.", "Bukan objek (mapping) yang sah."),
    ("invalid_uuid", "Not a valid UUID.", "Bukan UUID yang sah."),
    ("invalid_url", "Not a valid URL.", "Bukan URL yang sah."),
    ("invalid_email", "Not a valid email address.", "Bukan alamat e-mail yang sah."),
    ("invalid_ip", "Not a valid IP address.", "Bukan alamat IP yang sah."),
    ("invalid_ipv4", "Not a valid IPv4 address.", "Bukan alamat IPv4 yang sah."),
    ("invalid_ipv6", "Not a valid IPv6 address.", "Bukan alamat IPv6 yang sah."),
    ("invalid_ip_interface", "Not a valid IP interface.", "Bukan antarmuka IP yang sah."),
    ("invalid_ipv4_interface", "Not a valid IPv4 interface.", "Bukan antarmuka IPv4 yang sah."),
    ("invalid_ipv6_interface", "Not a valid IPv6 interface.", "Bukan antarmuka IPv6 yang sah."),
    ("one_of", "Must be one of: {choices}.", "Harus salah satu dari: {choices}."),
    (
        "contains_only",
        "One or more of the choices you made was not in: {choices}.",
        "Satu atau lebih pilihan Anda tidak termasuk dalam: {choices}.",
    ),
    (
        "contains_none_of",
        "One or more of the choices you made was in: {values}.",
        "Satu atau lebih pilihan Anda termasuk dalam: {values}.",
    ),
    ("equal", "Must be equal to {other}.", "Harus sama dengan {other}."),
    ("length_between", "Length must be between {min} and {max}.", "Panjangnya harus antara {min} dan {max}."),
    ("length_equal", "Length must be {equal}.", "Panjangnya harus {equal}."),
    ("too_long", "Longer than maximum length {max}.", "Lebih panjang dari batas {max}."),
    ("too_short", "Shorter than minimum length {min}.", "Lebih pendek dari batas minimum {min}."),
    ("pattern_mismatch", "String does not match expected pattern.", "Teks tidak sesuai pola yang diharapkan."),
    ("invalid_json", "Invalid JSON body.", "Isi JSON tidak sah."),
]
for _en, _id in _RANGE_OPS.items():  # Range: "Must be {min_op} {min}." / "Must be {max_op} {max}."
    _bound = "max" if _en.startswith("less") else "min"
    MARSHMALLOW.append((f"range_{_RANGE_CODES[_en]}", f"Must be {_en} {{{_bound}}}.", f"Harus {_id} {{{_bound}}}."))
for _lo in ("greater than", "greater than or equal to"):
    for _hi in ("less than", "less than or equal to"):
        MARSHMALLOW.append(
            (
                f"range_{_RANGE_CODES[_lo]}_{_RANGE_CODES[_hi]}",
                f"Must be {_lo} {{min}} and {_hi} {{max}}.",
                f"Harus {_RANGE_OPS[_lo]} {{min}} dan {_RANGE_OPS[_hi]} {{max}}.",
            )
        )

# -- the common library's own problems -------------------------------------------------------
SHARED = [
    ("validation_failed", "Validation failed", "Validasi gagal"),
    (
        "document_code_unknown",
        "No document has this verification code.",
        "Tidak ada dokumen dengan kode verifikasi ini.",
    ),
    (
        "document_verify_rate",
        "Too many verification requests from this address; try again in a minute.",
        "Terlalu banyak permintaan verifikasi dari alamat ini; coba lagi dalam satu menit.",
    ),
    (
        "document_pdf_only",
        "Send the PDF with Content-Type: application/pdf.",
        "Kirim PDF dengan Content-Type: application/pdf.",
    ),
    (
        "document_pdf_too_large",
        "The PDF is larger than 10 MiB; no document issued here is that large.",
        "PDF lebih besar dari 10 MiB; tidak ada dokumen yang diterbitkan di sini sebesar itu.",
    ),
    ("status_forbids", "Status does not allow this", "Status tidak mengizinkan ini"),
    ("refused", "Refused", "Ditolak"),
    (
        "bearer_token_missing",
        "Send a bearer token: Authorization: Bearer <JWT>.",
        "Kirim token bearer: Authorization: Bearer <JWT>.",
    ),
    (
        "integrity_conflict",
        "The change conflicts with data that already exists.",
        "Perubahan ini bertentangan dengan data yang sudah ada.",
    ),
    (
        "audit_admin_only",
        "Only an admin may read other people's audit entries.",
        "Hanya admin yang boleh membaca catatan audit orang lain.",
    ),
    (
        "dlq_admin_only",
        "Only an admin may read the dead-letter topics.",
        "Hanya admin yang boleh membaca topik dead-letter.",
    ),
    (
        "dlq_kafka_unreachable",
        "Kafka did not answer, so the dead-letter topics cannot be read: {error}",
        "Kafka tidak menjawab, sehingga topik dead-letter tidak dapat dibaca: {error}",
    ),
    ("kafka_unreachable", "Kafka unreachable", "Kafka tidak terjangkau"),
    ("stale_if_match", "Stale If-Match", "If-Match sudah usang"),
    ("stale_version", "Stale version", "Versi sudah usang"),
    ("header_not_ascii", "must be printable ASCII text", "harus berupa teks ASCII yang dapat dicetak"),
    ("form_not_utf8", "is not well-formed form data in UTF-8", "bukan data formulir UTF-8 yang sah"),
    (
        "file_name_invalid_text",
        "has a file name that is not valid Unicode text (an invalid UTF-8 byte, a lone surrogate or a non-character)",
        "memiliki nama berkas yang bukan teks Unicode sah (bita UTF-8 tidak sah, surrogate tunggal atau non-karakter)",
    ),
    (
        "invalid_text",
        "is not valid Unicode text (an invalid UTF-8 byte, a lone surrogate or a non-character)",
        "bukan teks Unicode yang sah (bita UTF-8 tidak sah, surrogate tunggal atau non-karakter)",
    ),
    (
        "not_finite",
        "is not a finite number (NaN and Infinity are not JSON)",
        "bukan angka terhingga (NaN dan Infinity bukan JSON)",
    ),
    ("body_not_text", "is not valid {encoding} text", "bukan teks {encoding} yang sah"),
    (
        "too_deep",
        "is nested deeper than {limit} levels of arrays and objects",
        "bersarang lebih dalam dari {limit} tingkat larik dan objek",
    ),
    ("duplicate_key", "appears more than once in the same object", "muncul lebih dari sekali dalam objek yang sama"),
    (
        "if_match_required",
        "Send {header} with the ETag of your last read of this resource (GET it first); without "
        "it a change made meanwhile by someone else would be overwritten.",
        "Kirim {header} dengan ETag dari pembacaan terakhir Anda atas data ini (GET dahulu); tanpa itu perubahan yang "
        "dibuat orang lain sementara itu akan tertimpa.",
    ),
    ("if_match_required_title", "If-Match required", "If-Match wajib dikirim"),
    ("if_match_required_field", "required: the ETag of the version you read", "wajib: ETag dari versi yang Anda baca"),
    ("number_out_of_range", "must be from {minimum} to {maximum}", "harus dari {minimum} sampai {maximum}"),
    (
        "resource_changed",
        "The resource changed since you read it (current version {version}); read it again and retry.",
        "Data ini berubah sejak Anda membacanya (versi sekarang {version}); baca ulang lalu coba lagi.",
    ),
    ("idempotency_key_length", "must be 1 to 255 characters", "harus 1 sampai 255 karakter"),
    (
        "idempotency_key_reused",
        "This Idempotency-Key was already used for a different request.",
        "Idempotency-Key ini sudah dipakai untuk permintaan lain.",
    ),
    ("idempotency_key_reused_title", "Idempotency-Key reused", "Idempotency-Key dipakai ulang"),
    ("idempotency_key_reused_field", "already used for a different request", "sudah dipakai untuk permintaan lain"),
    (
        "idempotency_key_busy",
        "A request with this Idempotency-Key is still being processed.",
        "Permintaan dengan Idempotency-Key ini masih diproses.",
    ),
    ("idempotency_key_busy_title", "Idempotency-Key busy", "Idempotency-Key sedang dipakai"),
    (
        "idempotency_key_failed",
        "A request with this Idempotency-Key just failed; retry it.",
        "Permintaan dengan Idempotency-Key ini baru saja gagal; ulangi.",
    ),
    (
        "database_refused",
        "A value was not accepted by the database (too long, out of range or malformed); nothing was changed.",
        "Sebuah nilai ditolak basis data (terlalu panjang, di luar rentang atau tidak sah); tidak ada yang diubah.",
    ),
    ("nul_characters", "must not contain NUL characters", "tidak boleh berisi karakter NUL"),
    ("string_too_long", "is longer than {limit} characters", "lebih panjang dari {limit} karakter"),
    ("cursor_unknown", "is not one this service gave out", "bukan kursor yang diberikan layanan ini"),
    (
        "cursor_unknown_sentence",
        "cursor is not one this service gave out",
        "kursor bukan kursor yang diberikan layanan ini",
    ),
    (
        "database_unavailable",
        "The service's database is unavailable; nothing was changed. Retry shortly.",
        "Basis data layanan sedang tidak tersedia; tidak ada yang diubah. Coba lagi sebentar lagi.",
    ),
    (
        "server_error",
        "The server could not complete the request. Quote the correlation id when reporting it.",
        "Server tidak dapat menyelesaikan permintaan. Sebutkan ID korelasi saat melaporkannya.",
    ),
    ("must_be_exactly_18_digits", "must be exactly 18 digits", "harus tepat 18 digit"),
    ("is_required", "is required", "wajib diisi"),
    ("must_be_one_of", "must be one of {choices}", "harus salah satu dari {choices}"),
    ("must_be_a_uuid", "must be a UUID", "harus berupa UUID"),
    ("token_expired", "token has expired", "token sudah kedaluwarsa"),
    ("token_not_yet_valid", "token is not valid yet", "token belum berlaku"),
    ("token_audience", "token audience is not accepted", "audiens (aud) token tidak diterima"),
    ("token_issuer", "token issuer is not accepted", "penerbit (iss) token tidak diterima"),
    (
        "token_algorithm",
        "token algorithm is not accepted (expected {algorithm})",
        "algoritme token tidak diterima (seharusnya {algorithm})",
    ),
    ("token_key_unknown", "token signing key is unknown", "kunci penanda tangan token tidak dikenal"),
    ("token_invalid", "token is invalid: {error}", "token tidak sah: {error}"),
    ("token_roles", "token roles must be a list of {roles}", "peran (roles) token harus berupa daftar dari {roles}"),
    ("token_nip_missing", 'token has no "{claim}" claim (the NIP)', 'token tidak memuat klaim "{claim}" (NIP)'),
    (
        "token_rs256_key_missing",
        "minting RS256 tokens needs JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE",
        "membuat token RS256 memerlukan JWT_PRIVATE_KEY atau JWT_PRIVATE_KEY_FILE",
    ),
    ("must_be_at_most_n_characters", "must be at most {limit} characters", "paling banyak {limit} karakter"),
]

# -- actions named inside status messages ("cannot {action} ..."): verbs, in Indonesian ----------
ACTIONS = [
    ("action_edit", "edit", "mengubah"),
    ("action_submit", "submit", "mengajukan"),
    ("action_approve", "approve", "menyetujui"),
    ("action_return", "return", "mengembalikan"),
    ("action_amend", "amend", "mengamandemen"),
    ("action_close", "close", "menutup"),
    ("action_reject", "reject", "menolak"),
    ("action_withdraw", "withdraw", "menarik"),
    ("action_cancel", "cancel", "membatalkan"),
    ("action_reopen", "reopen", "membuka kembali"),
    ("action_accept", "accept", "menerima"),
    ("action_verify", "verify", "memverifikasi"),
    ("action_correct", "correct", "mengoreksi"),
    ("action_annul", "annul", "membatalkan (anulir)"),
]

# -- Indonesian names of fields shared by several services -----------------------------------
LABELS = {
    "nip": "NIP",
    "name": "Nama",
    "unit_id": "Unit kerja",
    "date": "Tanggal",
    "date_from": "Tanggal awal",
    "date_to": "Tanggal akhir",
    "quantity": "Jumlah",
    "quantity_unit": "Satuan jumlah",
    "description": "Uraian",
    "reason": "Alasan",
    "year": "Tahun",
    "month": "Bulan",
    "period_id": "Periode",
    "plan_id": "Rencana (SKP)",
    "result_id": "Hasil kerja",
    "indicator_id": "Indikator",
    "limit": "Batas",
    "cursor": "Kursor",
    "email": "E-mail",
    "phone": "Telepon",
    "status": "Status",
    "version": "Versi",
    "items": "Daftar isian",
    "file": "Berkas",
    "evidence": "Bukti dukung",
    "start_time": "Jam mulai",
    "end_time": "Jam selesai",
    "rater_nip": "NIP pejabat penilai",
    "rater_superior_nip": "NIP atasan pejabat penilai",
    "position": "Jabatan",
    "rank": "Pangkat",
    "grade": "Golongan",
    "active": "Aktif",
    "url": "URL",
    "text": "Teks",
    "title": "Judul",
    "category": "Kategori",
    "categories": "Kategori",
    "decision": "Keputusan",
    "predicate": "Predikat",
    "results": "Hasil kerja",
    "behaviours": "Perilaku kerja",
    "value": "Nilai",
    "id": "ID",
    "Idempotency-Key": "Kunci idempotensi",
    "If-Match": "Versi (If-Match)",
}

EVIDENCE = [  # kinerja_shared.evidence: the rules of links and uploaded files, the same in every service
    (
        "link_invalid",
        "a link must be an http(s) URL of at most 2000 characters",
        "tautan harus URL http(s) paling panjang 2000 karakter",
    ),
    ("upload_needs_name", "the upload needs a file name", "unggahan memerlukan nama berkas"),
    ("file_name_too_long", "the file name must be at most 200 characters", "nama berkas paling panjang 200 karakter"),
    (
        "file_name_plain",
        "the file name must be a plain name: no '/', '\\', '..' or leading '.'",
        "nama berkas harus nama biasa: tanpa '/', '\\', '..' atau '.' di awal",
    ),
    (
        "file_name_control",
        "the file name must not contain control characters",
        "nama berkas tidak boleh berisi karakter kontrol",
    ),
    ("file_empty", "the file is empty", "berkas kosong"),
    # what an upload does, in "Only ... may {what} ...": activity-service's entries, evaluation-service's realisation
    ("what_add_evidence", "add evidence to", "menambahkan bukti dukung"),
    ("what_remove_evidence", "remove evidence from", "menghapus bukti dukung"),
    (
        "file_type_refused",
        "the file's content is not one of the accepted types: {types}",
        "isi berkas bukan salah satu jenis yang diterima: {types}",
    ),
    (
        "file_type_mismatch",
        "the declared content type {declared} does not match the content ({sniffed})",
        "jenis isi yang dinyatakan {declared} tidak sesuai dengan isinya ({sniffed})",
    ),
    ("file_too_large", "the file is larger than {limit} bytes", "berkas lebih besar dari {limit} bita"),
    (
        "evidence_file_missing",
        "the stored file of evidence {file_id} is missing; ask the employee to upload it again",
        "berkas bukti {file_id} yang tersimpan hilang; minta pegawai mengunggahnya lagi",
    ),
]

catalogue.update(MARSHMALLOW)
catalogue.update(TITLES)
catalogue.update(WERKZEUG)
catalogue.update(SHARED)
catalogue.update(ACTIONS)
catalogue.update(EVIDENCE)
for _field, _name in LABELS.items():
    catalogue.label(_field, _name)
