"""notification-service's texts in Bahasa Indonesia (see kinerja_shared.i18n): (code, English as
the code writes it, Indonesian). tests/test_messages.py fails when a message lacks its line."""

from kinerja_shared.i18n import catalogue

MESSAGES = [
    # webhook targets (targets.py): the refusal is built from parts, each translated
    ("target_no_host", "has no host", "tidak memiliki nama host"),
    (
        "target_bad_port",
        "has a port that is not a number from 1 to 65535",
        "memiliki port yang bukan angka 1 sampai 65535",
    ),
    (
        "target_literal_refused",
        "{address} is {reason}: webhooks go to public addresses only ({setting} allows internal receivers)",
        "{address} adalah {reason}: webhook hanya dikirim ke alamat publik ({setting} mengizinkan penerima internal)",
    ),
    (
        "target_name_refused",
        "{host} resolves to {address}, {reason}: webhooks go to public addresses only ({setting} "
        "allows internal receivers)",
        "{host} mengarah ke {address}, {reason}: webhook hanya dikirim ke alamat publik "
        "({setting} mengizinkan penerima internal)",
    ),
    ("target_metadata", "a cloud metadata address", "alamat metadata cloud"),
    (
        "target_metadata_name",
        "{host} is the name of a cloud metadata service: webhooks go to public addresses only",
        "{host} adalah nama layanan metadata cloud: webhook hanya dikirim ke alamat publik",
    ),
    ("target_inner", "a {kind} address ({inner} inside IPv6)", "alamat {kind} ({inner} di dalam IPv6)"),
    ("target_kind", "a {kind} address", "alamat {kind}"),
    ("kind_private", "private", "privat"),
    ("kind_reserved", "reserved", "cadangan"),
    ("kind_unspecified", "unspecified", "tak ditentukan"),
    ("kind_non_public", "non-public", "non-publik"),
    ("kind_shared", "shared (CGNAT)", "bersama (CGNAT)"),
    ("not_found", "{what} {value} does not exist", "{what} {value} tidak ada"),
    ("what_notification", "notification", "notifikasi"),
    ("what_delivery", "delivery", "pengiriman"),
    ("notification_not_found", "notification {id} does not exist", "notifikasi {id} tidak ada"),
    ("event_id_unknown", "is not an event id this stream gave out", "bukan ID peristiwa yang diberikan aliran ini"),
    (
        "quiet_hours_either",
        "give either quiet_hours or quiet_hours_default, not both",
        "isi quiet_hours atau quiet_hours_default, tidak keduanya",
    ),
    (
        "webhooks_admin_only",
        "Only an admin (BKPSDM) may manage webhook subscriptions.",
        "Hanya admin (BKPSDM) yang boleh mengelola langganan webhook.",
    ),
    (
        "webhook_https",
        "must use https (NOTIFICATION_WEBHOOK_ALLOW_HTTP is off)",
        "harus memakai https (NOTIFICATION_WEBHOOK_ALLOW_HTTP tidak aktif)",
    ),
    (
        "webhook_no_credentials",
        "must not carry a user name or password; the signature authenticates deliveries",
        "tidak boleh berisi nama pengguna atau kata sandi; tanda tangan yang mengautentikasi pengiriman",
    ),
    ("subscription_not_found", "webhook subscription {id} does not exist", "langganan webhook {id} tidak ada"),
    ("subscription_active", "The subscription is already active.", "Langganan ini sudah aktif."),
    ("subscription_disabled_already", "The subscription is already disabled.", "Langganan ini sudah dinonaktifkan."),
    (
        "subscription_enable_first",
        "Enable the subscription before replaying its deliveries.",
        "Aktifkan langganan sebelum mengulang pengirimannya.",
    ),
    ("subscription_disabled", "Subscription disabled", "Langganan nonaktif"),
    (
        "delivery_not_found",
        "delivery {id} of subscription {subscription_id} does not exist",
        "pengiriman {id} dari langganan {subscription_id} tidak ada",
    ),
    ("time_hhmm_schema", "must be a time HH:MM between 00:00 and 23:59", "harus jam HH:MM antara 00:00 dan 23:59"),
    # domain.parse_hhmm / QuietHours (ValueError texts the API passes on as field errors)
    ("time_hhmm", "must be a time HH:MM, got {value}", "harus jam HH:MM, bukan {value}"),
    (
        "time_range",
        "must be a time between 00:00 and 23:59, got {value}",
        "harus jam antara 00:00 dan 23:59, bukan {value}",
    ),
    (
        "quiet_hours_empty",
        "quiet hours must not start and end at the same time",
        "jam tenang tidak boleh mulai dan selesai pada jam yang sama",
    ),
    ("quiet_hours_format", "must be HH:MM-HH:MM or off, got {value}", "harus HH:MM-HH:MM atau off, bukan {value}"),
    # the SIASN channel (siasn_api.py)
    (
        "siasn_admin_only",
        "Only an admin (BKPSDM) may see and resend the records sent to SIASN.",
        "Hanya admin (BKPSDM) yang boleh melihat dan mengirim ulang rekaman yang dikirim ke SIASN.",
    ),
    ("siasn_record_not_found", "SIASN record {id} does not exist", "rekaman SIASN {id} tidak ada"),
    (
        "siasn_resend_status",
        "The record is {status}: only a refused, failed, sent or needs-data record is sent again.",
        "Rekaman berstatus {status}: hanya rekaman yang ditolak, gagal, terkirim atau kurang data yang dapat dikirim "
        "ulang.",
    ),
    (
        "siasn_period_id",
        "must be a period id such as 2026-Y, 2026-Q1 or 2026-03",
        "harus ID periode seperti 2026-Y, 2026-Q1 atau 2026-03",
    ),
]

LABELS = {
    "quiet_hours": "Jam tenang",
    "quiet_hours.start": "Mulai jam tenang",
    "quiet_hours.end": "Akhir jam tenang",
    "quiet_hours_default": "Jam tenang bawaan",
    "event_types": "Jenis peristiwa",
    "Last-Event-ID": "ID peristiwa terakhir",
    "secret": "Rahasia",
    "locale": "Bahasa",
    "read": "Sudah dibaca",
}

catalogue.update(MESSAGES, namespace="notification")
for _field, _name in LABELS.items():
    catalogue.label(_field, _name)
