"""Templates render for every category in both languages; settings are validated with the setting's name."""

from datetime import UTC, date, time

import jinja2
import pytest

from kinerja_shared.config import ConfigError, Settings
from notification_service import domain, templates, webhooks
from notification_service.config import NotifySettings, smtp_settings

PARAMS = {
    "plan_submitted": {"employee_name": "Siti", "employee_nip": "198503302010011002", "year": 2026, "plan_id": "p"},
    "plan_approved": {"year": 2026, "rater_name": "Rahmat"},
    "plan_returned": {"year": 2026, "rater_name": "Rahmat", "reason": "Indikator belum terukur"},
    "activity_digest": {"date": "2026-03-10", "count": 7, "people": 6, "names": ["A", "B", "C", "D", "E"]},
    "activity_rejected": {"date": "2026-03-10", "rater_name": "Rahmat", "reason": "Bukti kosong", "description": None},
    "activity_corrected": {
        "date": "2026-03-10",
        "annulled": False,
        "actor_name": "Rahmat",
        "reason": "Salah ketik",
        "description": "Menyusun modul",
        "changes": [{"field": "quantity", "before": "90", "after": "9"}],
    },
    "evaluation_opened": {"period_id": "2026-Q1", "period_start": "2026-01-01", "period_end": "2026-03-31", "count": 3},
    "evaluation_closed": {
        "period_id": "2026-Q1",
        "predicate": "KURANG",
        "results_rating": "above",
        "behaviour_rating": "below",
    },
    "feedback_given": {"rater_name": "Rahmat", "text": "Bagus"},
    "calibration_finalised": {
        "unit_name": "Dinas Kominfo",
        "period_id": "2026-Y",
        "org_predicate": "ISTIMEWA",
        "own_predicate": "SANGAT_BAIK",
    },
    "reminder_activity_missing": {"date": "2026-03-10"},
    "reminder_plan_deadline": {"year": 2026, "deadline": "2026-01-31", "status": "submitted"},
    "reminder_plan_approval": {"year": 2026, "deadline": "2026-01-31", "count": 2},
    "reminder_evaluation_pending": {"count": 2, "period_ids": ["2026-Q1"], "period_end": "2026-03-31"},
    "dialogue_awaiting_confirmation": {
        "actor_name": "Siti",
        "stage": "evaluation",
        "held_on": "2026-03-28",
        "period_id": "2026-Q1",
        "topics": "Target",
        "follow_ups": "Pelatihan",
        "action": "recorded",
        "dialogue_id": "d",
    },
    "reminder_realisation_due": {"count": 1, "period_ids": ["2026-Q1"], "deadline": "2026-04-07"},
    "realisation_submitted": {
        "employee_name": "Siti",
        "employee_nip": "198503302010011002",
        "period_id": "2026-Q1",
        "results": 3,
        "evidence": 5,
        "deadline": "2026-04-14",
        "evaluation_id": "e",
    },
}


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize("category", domain.CATEGORIES)
def test_every_category_has_a_template_in_both_languages(category, locale):
    title, body = templates.render(category, locale, {**PARAMS[category], "recipient_name": "X"})
    assert title and body and "{{" not in title + body and "\n" not in title
    assert (templates.TEMPLATE_DIR / locale / f"{category}.txt").exists()


def test_indonesian_texts():
    title, body = templates.render("evaluation_closed", "id", PARAMS["evaluation_closed"])
    assert title == "Hasil penilaian kinerja periode 2026-Q1: Kurang/Misconduct"
    assert "Rating hasil kerja: Di Atas Ekspektasi" in body and "Rating perilaku kerja: Di Bawah Ekspektasi" in body
    _, digest = templates.render("activity_digest", "id", PARAMS["activity_digest"])
    assert "Pada 10 Maret 2026, 6 pegawai" in digest and "- dan 1 pegawai lainnya" in digest
    title, body = templates.render("calibration_finalised", "id", PARAMS["calibration_finalised"])
    assert "Predikat kinerja organisasi: Istimewa." in body and "Predikat kinerja Anda: Sangat Baik." in body
    _, body = templates.render("activity_rejected", "id", PARAMS["activity_rejected"])
    assert "Kegiatan:" not in body and "Alasan: Bukti kosong" in body


def test_a_missing_parameter_is_an_error_not_a_blank():
    with pytest.raises(jinja2.UndefinedError):
        templates.render("plan_returned", "id", {"year": 2026})


def _settings(**env):
    return Settings.from_env("notification-service", {"KINERJA_ENV": "test", **env})


def test_defaults_are_sensible():
    cfg = NotifySettings.from_settings(_settings(), environ={})
    assert cfg.smtp is None and cfg.locale == "id" and cfg.timezone == "Asia/Jakarta"
    assert cfg.quiet_hours.as_text() == "21:00-06:00"
    assert cfg.reminder_activity_time == time(15, 30) and cfg.working_days == frozenset(range(5))
    assert cfg.plan_deadline == (1, 31) and cfg.clock is None and cfg.webhook_allow_http


def test_the_calendar_reads_like_activity_services(tmp_path):
    holidays = tmp_path / "libur.txt"
    holidays.write_text("# libur nasional 2026\n2026-03-19 Nyepi\n\n2026-03-20 Idul Fitri\n")
    cfg = NotifySettings.from_settings(
        _settings(
            KINERJA_WORKING_DAYS="mon-sat",
            KINERJA_NATIONAL_HOLIDAYS="none",
            KINERJA_HOLIDAYS="2026-01-01=Tahun Baru,2026-08-17",
            KINERJA_HOLIDAYS_FILE=str(holidays),
        ),
        environ={},
    )
    assert cfg.working_days == frozenset(range(6))
    assert {d.isoformat() for d in cfg.holidays} == {"2026-01-01", "2026-08-17", "2026-03-19", "2026-03-20"}
    # By default Indonesia's national holidays come first, from the holidays package (kinerja_shared.calendar).
    national = NotifySettings.from_settings(_settings(), environ={})
    assert date(2026, 12, 25) in national.holidays and date(2026, 8, 17) in national.holidays
    with pytest.raises(ConfigError, match="KINERJA_WORKING_DAYS"):
        NotifySettings.from_settings(_settings(KINERJA_WORKING_DAYS="fri-mon"), environ={})
    with pytest.raises(ConfigError, match="KINERJA_HOLIDAYS_FILE"):
        NotifySettings.from_settings(_settings(KINERJA_HOLIDAYS_FILE=str(tmp_path / "missing.txt")), environ={})


def test_a_clock_for_tests_and_the_fixed_instant_is_utc():
    cfg = NotifySettings.from_settings(_settings(NOTIFICATION_CLOCK="2026-03-10T15:31:00+07:00"), environ={})
    assert cfg.now().tzinfo == UTC and cfg.now().hour == 8


@pytest.mark.parametrize(
    "env, name",
    [
        ({"NOTIFICATION_CLOCK": "tomorrow"}, "NOTIFICATION_CLOCK"),
        ({"NOTIFICATION_CLOCK": "2026-03-10T15:31:00"}, "NOTIFICATION_CLOCK"),
        ({"NOTIFICATION_QUIET_HOURS": "22:00"}, "NOTIFICATION_QUIET_HOURS"),
        ({"NOTIFICATION_REMINDER_ACTIVITY_TIME": "25:00"}, "NOTIFICATION_REMINDER_ACTIVITY_TIME"),
        ({"KINERJA_WORKING_DAYS": "mon,funday"}, "KINERJA_WORKING_DAYS"),
        ({"KINERJA_HOLIDAYS": "2026-02-30"}, "KINERJA_HOLIDAYS"),
        ({"NOTIFICATION_PLAN_DEADLINE": "13-01"}, "NOTIFICATION_PLAN_DEADLINE"),
        ({"NOTIFICATION_WEBHOOK_MAX_ATTEMPTS": "0"}, "NOTIFICATION_WEBHOOK_MAX_ATTEMPTS"),
        ({"NOTIFICATION_EMAIL_BACKOFF_SECONDS": "soon"}, "NOTIFICATION_EMAIL_BACKOFF_SECONDS"),
        ({"NOTIFICATION_LOCALE": "fr"}, "NOTIFICATION_LOCALE"),
        ({"NOTIFICATION_REMINDERS": "maybe"}, "NOTIFICATION_REMINDERS"),
    ],
)
def test_a_bad_setting_is_named(env, name):
    with pytest.raises(ConfigError, match=name):
        NotifySettings.from_settings(_settings(**env), environ={})


@pytest.mark.parametrize(
    "env, name",
    [
        ({"SMTP_HOST": "mail.example.go.id", "SMTP_PORT": "smtp"}, "SMTP_PORT"),
        ({"SMTP_HOST": "mail.example.go.id", "SMTP_PORT": "70000"}, "SMTP_PORT"),
        ({"SMTP_HOST": "mail.example.go.id", "SMTP_TLS": "yes"}, "SMTP_TLS"),
        ({"SMTP_HOST": "mail.example.go.id", "SMTP_USER": "kinerja"}, "SMTP_USER and SMTP_PASSWORD"),
        ({"SMTP_HOST": "mail.example.go.id", "SMTP_FROM": "kinerja"}, "SMTP_FROM"),
        ({"SMTP_HOST": "bad host!"}, "SMTP_HOST"),
        ({"SMTP_HOST": "h", "SMTP_TIMEOUT_SECONDS": "0"}, "SMTP_TIMEOUT_SECONDS"),
    ],
)
def test_bad_smtp_settings_are_named(env, name):
    with pytest.raises(ConfigError, match=name):
        smtp_settings(env)


def test_smtp_settings_and_their_defaults():
    smtp = smtp_settings(
        {
            "SMTP_HOST": "mail.example.go.id",
            "SMTP_TLS": "ssl",
            "SMTP_USER": "u",
            "SMTP_PASSWORD": "p",
            "SMTP_FROM": "Kinerja Binjai <kinerja@binjaikota.go.id>",
        }
    )
    assert (smtp.port, smtp.tls, smtp.user) == (465, "ssl", "u")
    assert smtp_settings({"SMTP_HOST": "localhost", "SMTP_TLS": "none"}).port == 25
    with pytest.raises(ConfigError, match="clear text"):
        smtp_settings({"SMTP_HOST": "h", "SMTP_TLS": "none", "SMTP_USER": "u", "SMTP_PASSWORD": "p"}, production=True)


def test_signatures_verify_and_reject_tampering():
    body = b'{"id":"e1","type":"EvaluationClosed"}'
    header = webhooks.sign("s3cret-s3cret-s3cret", 1767225600, body)
    assert header.startswith("t=1767225600,v1=") and len(header.split("v1=")[1]) == 64
    assert webhooks.verify_signature("s3cret-s3cret-s3cret", header, body, now=1767225600 + 10)
    assert not webhooks.verify_signature("s3cret-s3cret-s3cret", header, body + b" ", now=1767225600)
    assert not webhooks.verify_signature("another-secret-000000", header, body, now=1767225600)
    assert not webhooks.verify_signature("s3cret-s3cret-s3cret", header, body, now=1767225600 + 301)  # replayed late
    assert not webhooks.verify_signature("s3cret-s3cret-s3cret", "v1=abc", body)
    assert webhooks.matches(["*"], "PlanApproved") and not webhooks.matches(["PlanReturned"], "PlanApproved")


def test_the_cli_refuses_a_bad_setting_and_names_it(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from notification_service.cli import cli

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/n.db")
    monkeypatch.setenv("SMTP_HOST", "mail.binjaikota.go.id")
    monkeypatch.setenv("SMTP_PORT", "twenty-five")
    result = CliRunner().invoke(cli, ["check-config"])
    assert result.exit_code != 0 and "SMTP_PORT must be a whole number" in result.output
    monkeypatch.setenv("SMTP_PORT", "587")
    result = CliRunner().invoke(cli, ["check-config"])
    assert result.exit_code == 0, result.output
    assert set(cli.commands) >= {"migrate", "web", "worker", "topics", "dlq", "check-config"}


def test_the_app_refuses_a_bad_setting_at_start(monkeypatch, tmp_path):
    from notification_service.app import create_app

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/n.db")
    monkeypatch.setenv("NOTIFICATION_QUIET_HOURS", "all night")
    with pytest.raises(ConfigError, match="NOTIFICATION_QUIET_HOURS"):
        create_app()
