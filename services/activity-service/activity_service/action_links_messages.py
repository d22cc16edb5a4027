"""The texts of activities logged against an action (rencana aksi), in Bahasa Indonesia."""

from kinerja_shared.i18n import catalogue

MESSAGES = [
    (
        "action_not_agreed",
        "{action_id} is not an action of your agreed action plans",
        "{action_id} bukan aksi dari rencana aksi Anda yang telah disepakati",
    ),
    (
        "action_other_indicator",
        "action {action_id} advances indicator {indicator_id}, not {other}",
        "aksi {action_id} memajukan indikator {indicator_id}, bukan {other}",
    ),
    (
        "action_other_period",
        "action {action_id} is planned for {period}, not for {date}",
        "aksi {action_id} direncanakan untuk {period}, bukan untuk {date}",
    ),
    (
        "action_other_plan",
        "action {action_id} belongs to plan {plan_id}, not to the plan in force on that date",
        "aksi {action_id} milik rencana {plan_id}, bukan rencana yang berlaku pada tanggal itu",
    ),
    (
        "indicator_or_action",
        "is required unless action_id names an agreed action",
        "wajib diisi kecuali action_id menyebut aksi yang telah disepakati",
    ),
]

catalogue.update(MESSAGES, namespace="activity")
catalogue.label("action_id", "Aksi")
