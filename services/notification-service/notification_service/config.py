"""Settings of notification-service on top of the common ones, validated at start-up.

Names and defaults (every one optional):

| setting | default | meaning |
|---|---|---|
| SMTP_HOST | (unset: e-mail off) | SMTP server; without it e-mails are not sent (marked ``skipped``) |
| SMTP_PORT | 587 (465 with SMTP_TLS=ssl, 25 with none) | SMTP port |
| SMTP_USER / SMTP_PASSWORD | (none) | login; both or neither |
| SMTP_FROM | Kinerja <no-reply@kinerja.local> | sender address |
| SMTP_TLS | starttls | starttls, ssl or none (none with a password is refused in production) |
| SMTP_TIMEOUT_SECONDS | 10 | socket timeout |
| NOTIFICATION_EMAIL_MAX_ATTEMPTS | 6 | tries per e-mail before it is marked failed |
| NOTIFICATION_EMAIL_BACKOFF_SECONDS | 30 | first retry delay; doubles per retry, capped at 1 hour |
| NOTIFICATION_EMAIL_BATCH_MAX | 20 | at most this many due notifications go to one person in one e-mail |
| NOTIFICATION_EMAIL_POLL_SECONDS | 5 | how often the worker looks for due e-mails |
| NOTIFICATION_DIGEST_EMAIL_TIME | 16:00 | local time the daily activity digest is e-mailed |
| NOTIFICATION_QUIET_HOURS | 21:00-06:00 | default quiet hours (no e-mail), ``off`` for none |
| NOTIFICATION_LOCALE | id | default language of messages: id or en |
| NOTIFICATION_WEBHOOK_MAX_ATTEMPTS | 8 | tries per webhook delivery before it is marked failed |
| NOTIFICATION_WEBHOOK_BACKOFF_SECONDS | 10 | first retry delay; doubles per retry |
| NOTIFICATION_WEBHOOK_BACKOFF_MAX_SECONDS | 3600 | longest retry delay |
| NOTIFICATION_WEBHOOK_DISABLE_AFTER | 20 | consecutive failed attempts that disable a subscription |
| NOTIFICATION_WEBHOOK_TIMEOUT_SECONDS | 5 | HTTP timeout per attempt |
| NOTIFICATION_WEBHOOK_POLL_SECONDS | 1 | how often the worker looks for due deliveries |
| NOTIFICATION_WEBHOOK_ALLOW_HTTP | false in production, else true | allow http:// (not https) subscription URLs |
| NOTIFICATION_WEBHOOK_SECRET_KEYS | a development key (refused in production) | Fernet keys that encrypt webhook secrets at rest, newest first, comma-separated; required in production |
| NOTIFICATION_WEBHOOK_ALLOWED_HOSTS | (none: public addresses only) | internal webhook receivers allowed: host names (payroll.internal, *.corp.go.id) and addresses or networks (10.20.0.0/16), comma-separated |
| NOTIFICATION_REMINDERS | true | run the reminder scheduler in the worker |
| NOTIFICATION_REMINDER_POLL_SECONDS | 30 | how often the scheduler checks the clock |
| NOTIFICATION_REMINDER_CATCH_UP_HOURS | 4 | a reminder still goes out this long after its time (worker was down) |
| NOTIFICATION_REMINDER_ACTIVITY_TIME | 15:30 | "no activity logged today", working days |
| NOTIFICATION_REMINDER_PLAN_TIME | 09:00 | "plan not approved yet", daily near the deadline |
| NOTIFICATION_PLAN_DEADLINE | 01-31 | MM-DD, the plan (SKP) deadline of each year |
| NOTIFICATION_REMINDER_PLAN_LEAD_DAYS | 7 | start reminding this many days before the plan deadline |
| NOTIFICATION_REMINDER_EVALUATION_TIME | 09:00 | "evaluations pending", daily near a period's end |
| NOTIFICATION_REMINDER_EVALUATION_LEAD_DAYS | 5 | start reminding this many days before the period ends |
| NOTIFICATION_REMINDER_REALISATION_LEAD_DAYS | 5 | remind an employee to submit their realisation from this many days before its deadline (same time as the evaluation reminder) |
| KINERJA_REALISATION_DEADLINE_DAYS | 5 | the employee's deadline, in working days after the period ends (kinerja_shared.deadlines) |
| KINERJA_EVALUATION_DEADLINE_DAYS | 10 | the rater's deadline, in working days after the period ends |
| KINERJA_WORKING_DAYS | mon,tue,wed,thu,fri | working days (also ranges: mon-fri); one calendar with activity-service |
| KINERJA_HOLIDAYS | (none) | days off (libur nasional, cuti bersama): YYYY-MM-DD or YYYY-MM-DD=Name, comma-separated |
| KINERJA_HOLIDAYS_FILE | (none) | a file of days off, one ``YYYY-MM-DD Name`` per line, ``#`` comments |
| NOTIFICATION_CLOCK | (real time) | a fixed ISO instant for the scheduler (tests, demos); refused in production |
| NOTIFICATION_SSE_LIFETIME_SECONDS | 25 | an SSE stream closes after this long; the client reconnects |
| NOTIFICATION_SSE_POLL_SECONDS | 1 | how often an SSE stream polls the database |

The SIASN channel's SIASN_* settings are read and documented in siasn_config.py (docs/operations.md, "SIASN").
Times are wall-clock times in KINERJA_TIMEZONE (Asia/Jakarta, WIB, by default).
"""  # noqa: E501

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parseaddr

from kinerja_shared.calendar import calendar_from_env
from kinerja_shared.config import ConfigError, Settings
from kinerja_shared.config import env_bool as _bool
from kinerja_shared.config import env_get as _get
from kinerja_shared.config import env_int as _int
from kinerja_shared.deadlines import Deadlines, deadlines_from_env

from . import domain, secretbox, targets
from .siasn_config import SiasnSettings

TLS_MODES = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None
    sender: str
    tls: str
    timeout: float


@dataclass(frozen=True)
class NotifySettings:
    timezone: str
    environment: str
    locale: str
    quiet_hours: domain.QuietHours | None
    digest_email_time: time
    smtp: SmtpSettings | None
    email_max_attempts: int
    email_backoff_seconds: float
    email_batch_max: int
    email_poll_seconds: float
    webhook_max_attempts: int
    webhook_backoff_seconds: float
    webhook_backoff_max_seconds: float
    webhook_disable_after: int
    webhook_timeout_seconds: float
    webhook_poll_seconds: float
    webhook_allow_http: bool
    webhook_allowed: targets.AllowList
    webhook_secrets: secretbox.SecretBox
    reminders_enabled: bool
    reminder_poll_seconds: float
    reminder_catch_up: timedelta
    reminder_activity_time: time
    reminder_plan_time: time
    plan_deadline: tuple[int, int]
    reminder_plan_lead_days: int
    reminder_evaluation_time: time
    reminder_evaluation_lead_days: int
    working_days: frozenset[int]
    holidays: frozenset[date]
    clock: datetime | None
    sse_lifetime_seconds: float
    sse_poll_seconds: float
    siasn: SiasnSettings = SiasnSettings()  # the SIASN channel's settings (siasn_config.py: SIASN_*)
    deadlines: Deadlines = Deadlines()
    reminder_realisation_lead_days: int = 5

    @classmethod
    def from_settings(cls, settings: Settings, environ: Mapping[str, str] | None = None) -> NotifySettings:
        """Read from the service's settings (``settings.extra``: NOTIFICATION_*, SMTP_*, KINERJA_*),
        falling back to the process environment."""
        env = dict(os.environ if environ is None else environ)
        env.update(settings.extra)
        production = settings.environment == "production"
        clock = _instant(env, "NOTIFICATION_CLOCK")
        if clock is not None and production:
            raise ConfigError("NOTIFICATION_CLOCK (a fixed clock) must not be set when KINERJA_ENV=production")
        locale = (_get(env, "NOTIFICATION_LOCALE") or "id").lower()
        if locale not in domain.LOCALES:
            raise ConfigError(f"NOTIFICATION_LOCALE must be one of {', '.join(domain.LOCALES)}, got {locale!r}")
        deadline = _get(env, "NOTIFICATION_PLAN_DEADLINE") or "01-31"
        match = re.fullmatch(r"(\d\d)-(\d\d)", deadline)
        try:
            if not match:
                raise ValueError
            date(2028, int(match.group(1)), int(match.group(2)))  # a leap year accepts 02-29
        except ValueError:
            raise ConfigError(f"NOTIFICATION_PLAN_DEADLINE must be MM-DD such as 01-31, got {deadline!r}") from None
        calendar = calendar_from_env(env)
        return cls(
            timezone=settings.timezone,
            environment=settings.environment,
            locale=locale,
            quiet_hours=_quiet(env, "NOTIFICATION_QUIET_HOURS", "21:00-06:00"),
            digest_email_time=_time(env, "NOTIFICATION_DIGEST_EMAIL_TIME", "16:00"),
            smtp=smtp_settings(env, production),
            email_max_attempts=_int(env, "NOTIFICATION_EMAIL_MAX_ATTEMPTS", 6, 1, 100),
            email_backoff_seconds=_float(env, "NOTIFICATION_EMAIL_BACKOFF_SECONDS", 30.0, 0.01),
            email_batch_max=_int(env, "NOTIFICATION_EMAIL_BATCH_MAX", 20, 1, 500),
            email_poll_seconds=_float(env, "NOTIFICATION_EMAIL_POLL_SECONDS", 5.0, 0.01),
            webhook_max_attempts=_int(env, "NOTIFICATION_WEBHOOK_MAX_ATTEMPTS", 8, 1, 100),
            webhook_backoff_seconds=_float(env, "NOTIFICATION_WEBHOOK_BACKOFF_SECONDS", 10.0, 0.01),
            webhook_backoff_max_seconds=_float(env, "NOTIFICATION_WEBHOOK_BACKOFF_MAX_SECONDS", 3600.0, 0.01),
            webhook_disable_after=_int(env, "NOTIFICATION_WEBHOOK_DISABLE_AFTER", 20, 1, 10000),
            webhook_timeout_seconds=_float(env, "NOTIFICATION_WEBHOOK_TIMEOUT_SECONDS", 5.0, 0.1),
            webhook_poll_seconds=_float(env, "NOTIFICATION_WEBHOOK_POLL_SECONDS", 1.0, 0.01),
            webhook_allow_http=_bool(env, "NOTIFICATION_WEBHOOK_ALLOW_HTTP", not production),
            webhook_allowed=_allow_list(env),
            webhook_secrets=_secret_box(env, production),
            reminders_enabled=_bool(env, "NOTIFICATION_REMINDERS", True),
            reminder_poll_seconds=_float(env, "NOTIFICATION_REMINDER_POLL_SECONDS", 30.0, 0.01),
            reminder_catch_up=timedelta(hours=_float(env, "NOTIFICATION_REMINDER_CATCH_UP_HOURS", 4.0, 0.01)),
            reminder_activity_time=_time(env, "NOTIFICATION_REMINDER_ACTIVITY_TIME", "15:30"),
            reminder_plan_time=_time(env, "NOTIFICATION_REMINDER_PLAN_TIME", "09:00"),
            plan_deadline=(int(match.group(1)), int(match.group(2))),
            reminder_plan_lead_days=_int(env, "NOTIFICATION_REMINDER_PLAN_LEAD_DAYS", 7, 0, 366),
            reminder_evaluation_time=_time(env, "NOTIFICATION_REMINDER_EVALUATION_TIME", "09:00"),
            reminder_evaluation_lead_days=_int(env, "NOTIFICATION_REMINDER_EVALUATION_LEAD_DAYS", 5, 0, 366),
            working_days=calendar.workdays,
            holidays=frozenset(calendar.holidays),
            clock=clock,
            sse_lifetime_seconds=_float(env, "NOTIFICATION_SSE_LIFETIME_SECONDS", 25.0, 0.1),
            sse_poll_seconds=_float(env, "NOTIFICATION_SSE_POLL_SECONDS", 1.0, 0.01),
            siasn=SiasnSettings.from_env(env, production, _float),
            deadlines=deadlines_from_env(env, calendar),
            reminder_realisation_lead_days=_int(env, "NOTIFICATION_REMINDER_REALISATION_LEAD_DAYS", 5, 0, 366),
        )

    def now(self) -> datetime:
        """The scheduler's clock: NOTIFICATION_CLOCK when set (a fixed instant), else the real UTC time."""
        return self.clock if self.clock is not None else datetime.now(UTC)


def smtp_settings(env: Mapping[str, str], production: bool = False) -> SmtpSettings | None:
    host = _get(env, "SMTP_HOST")
    if host is None:
        return None
    if not re.fullmatch(r"[A-Za-z0-9.\-\[\]:]{1,253}", host):
        raise ConfigError(f"SMTP_HOST must be a host name or address, got {host!r}")
    tls = (_get(env, "SMTP_TLS") or "starttls").lower()
    if tls not in TLS_MODES:
        raise ConfigError(f"SMTP_TLS must be one of {', '.join(TLS_MODES)}, got {tls!r}")
    port = _int(env, "SMTP_PORT", {"ssl": 465, "starttls": 587, "none": 25}[tls], 1, 65535)
    user, password = _get(env, "SMTP_USER"), env.get("SMTP_PASSWORD") or None
    if (user is None) != (password is None):
        raise ConfigError("SMTP_USER and SMTP_PASSWORD must be set together")
    if password is not None and tls == "none" and production:
        raise ConfigError("SMTP_TLS=none would send SMTP_PASSWORD in clear text; use starttls or ssl in production")
    sender = _get(env, "SMTP_FROM") or "Kinerja <no-reply@kinerja.local>"
    _name, address = parseaddr(sender)
    if not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+", address or ""):
        raise ConfigError(
            f"SMTP_FROM must be an e-mail address such as 'Kinerja <no-reply@example.go.id>', got {sender!r}"
        )
    return SmtpSettings(
        host=host,
        port=port,
        user=user,
        password=password,
        sender=sender,
        tls=tls,
        timeout=_float(env, "SMTP_TIMEOUT_SECONDS", 10.0, 0.1),
    )


# -- the web app ------------------------------------------------------------------------------


def current_config() -> NotifySettings:
    """The service's own settings of the app serving this request (ServiceSpec.config, read at start-up)."""
    from kinerja_shared.web.app_factory import service_config

    return service_config()


# -- settings for event handlers ----------------------------------------------------------------


def for_handlers() -> NotifySettings:
    """The service's settings for the event handler running now (set by the shared consumer)."""
    from kinerja_shared.context import current_service_config

    return current_service_config()


def _float(env, name: str, default: float, minimum: float) -> float:
    raw = _get(env, name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if not value >= minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {raw}")
    return value


def _allow_list(env) -> targets.AllowList:
    try:
        return targets.AllowList.parse(_get(env, "NOTIFICATION_WEBHOOK_ALLOWED_HOSTS"))
    except ValueError as exc:
        raise ConfigError(f"{targets.SETTING}: {exc}") from None


def _secret_box(env, production: bool) -> secretbox.SecretBox:
    try:
        return secretbox.SecretBox.from_setting(_get(env, "NOTIFICATION_WEBHOOK_SECRET_KEYS"), production)
    except ValueError as exc:
        raise ConfigError(f"{secretbox.SETTING} {exc}") from None


def _time(env, name: str, default: str) -> time:
    raw = _get(env, name) or default
    try:
        return domain.parse_hhmm(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} {exc}") from None


def _quiet(env, name: str, default: str) -> domain.QuietHours | None:
    raw = _get(env, name) or default
    try:
        return domain.parse_quiet_hours(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} {exc}") from None


def _instant(env, name: str) -> datetime | None:
    raw = _get(env, name)
    if raw is None:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(
            f"{name} must be an ISO 8601 instant with offset, e.g. 2026-03-10T15:31:00+07:00, got {raw!r}"
        ) from None
    if value.tzinfo is None:
        raise ConfigError(f"{name} must carry a UTC offset, e.g. 2026-03-10T15:31:00+07:00, got {raw!r}")
    return value.astimezone(UTC)
