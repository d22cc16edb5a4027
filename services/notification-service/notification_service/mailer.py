"""E-mail over SMTP: the worker sends queued e-mails, batched per person, retried with backoff.

- A notification whose person wants e-mail for its category queues one row in ``email_queue``
  (in the same transaction as the inbox item).
- The sender picks due rows: retry time passed, digest time passed (``not_before``, on the
  scheduler clock), and not inside the person's quiet hours (then the row waits until they end).
- All rows due for one address go out as ONE e-mail (up to NOTIFICATION_EMAIL_BATCH_MAX), so a
  rater who has a digest and two other notices waiting gets one message.
- The text is the inbox item's at send time, so a digest e-mail carries the final count.
- A temporary failure (connection refused, 4xx) is retried with exponential backoff up to
  NOTIFICATION_EMAIL_MAX_ATTEMPTS, then the rows are ``failed``; a permanent refusal of the
  address (5xx) fails them at once. Sent rows publish ``NotificationDelivered`` (channel email).
- With several workers, rows are locked with SKIP LOCKED, so each e-mail is sent by one.
- Without SMTP_HOST e-mail is off: due rows are marked ``skipped``.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from kinerja_shared.db import utcnow
from kinerja_shared.jobs import PeriodicJob
from kinerja_shared.outbox import publish

from . import config, domain, events, inbox, jobs, templates
from . import mail_store as store

log = logging.getLogger(__name__)


class PermanentFailure(Exception):
    """The server refused the message for good (e.g. unknown recipient)."""


def send_due(
    engine: Engine, cfg: config.NotifySettings, max_messages: int = 50, *, clock=utcnow, scheduler_now=None
) -> int:
    """Send what is due; return the number of e-mails sent (each may batch several notifications).

    ``clock()`` is the real time (retries are due by it), ``scheduler_now()`` the scheduler's (digests
    and quiet hours; NOTIFICATION_CLOCK when set)."""
    scheduler_now = scheduler_now or cfg.now
    if cfg.smtp is None:
        with engine.begin() as conn:
            store.skip_due(conn, clock(), scheduler_now(), "e-mail is off: SMTP_HOST is not set")
        return 0
    sent = 0
    for _ in range(max_messages):
        outcome = _send_one_batch(engine, cfg, clock(), scheduler_now(), clock)
        if outcome is None:
            break
        sent += outcome
    return sent


def run_round(rt) -> int:
    """One round of the worker's e-mail job, on the runtime's clock."""
    return send_due(rt.engine, rt.config, clock=rt.clock.now, scheduler_now=lambda: jobs.scheduler_now(rt))


JOB = PeriodicJob("e-mail-sender", run_round, interval=lambda rt: rt.config.email_poll_seconds)


def _send_one_batch(engine: Engine, cfg: config.NotifySettings, now_real, now_clock, clock) -> int | None:
    """One address's due rows as one e-mail. None when nothing is due; 1 when sent; 0 otherwise."""
    with engine.begin() as conn:
        rows = store.due_batch(conn, now_real, now_clock, cfg.email_batch_max)
        if not rows:
            return None
        first = rows[0]
        ids = [r.id for r in rows]
        prefs = inbox.preferences(conn, first.recipient_nip, cfg)
        if prefs.quiet_hours is not None:
            local_time = now_clock.astimezone(ZoneInfo(cfg.timezone)).time()
            if prefs.quiet_hours.contains(local_time):
                resume = prefs.quiet_hours.ends_after(now_clock, cfg.timezone)
                store.hold(conn, ids, resume)
                log.info(
                    "e-mail held for quiet hours", extra={"recipient": first.recipient_nip, "until": resume.isoformat()}
                )
                return 0
        items = store.items(conn, [r.notification_id for r in rows])
        person = inbox.contact(conn, first.recipient_nip)
        message = build_message(
            cfg, first.to_address, person.name if person else first.recipient_nip, prefs.locale, items
        )
        try:
            deliver(cfg.smtp, message)
        except PermanentFailure as exc:
            store.refused(conn, ids, str(exc))
            log.error("e-mail refused permanently", extra={"to": first.to_address, "error": str(exc)})
            return 0
        except Exception as exc:  # noqa: BLE001 - connection refused, timeouts, 4xx: try again later
            attempt = max(r.attempts for r in rows) + 1
            gave_up = attempt >= cfg.email_max_attempts
            delay = domain.backoff_seconds(attempt, cfg.email_backoff_seconds, 3600.0)
            store.retry(conn, ids, attempt, gave_up, repr(exc), now_real + timedelta(seconds=delay))
            log.warning(
                "e-mail not sent, will retry" if not gave_up else "e-mail failed, giving up",
                extra={"to": first.to_address, "attempt": attempt, "error": repr(exc), "retry_in_s": delay},
            )
            return 0
        done = clock()
        store.sent(conn, ids, done)
        for item in items:
            publish(
                conn,
                events.notification_delivered(
                    notification_id=item.id,
                    recipient=item.recipient_nip,
                    channel=domain.EMAIL,
                    category=item.category,
                    cause=inbox.Cause(item.cause_event_id, item.cause_event_type, item.correlation_id),
                    correlation_id=item.correlation_id,
                    delivered_at=done,
                ),
            )
        log.info("e-mail sent", extra={"to": first.to_address, "notifications": len(items)})
        return 1


def build_message(cfg: config.NotifySettings, to_address: str, recipient_name: str, locale: str, items) -> EmailMessage:
    """One e-mail for one or more notifications (a batch), with the footer."""
    if len(items) == 1:
        text = templates.render_block(
            "_email_single", locale, title=items[0].title, body=items[0].body, recipient_name=recipient_name
        )
    else:
        text = templates.render_block(
            "_email_batch",
            locale,
            count=len(items),
            recipient_name=recipient_name,
            items=[{"title": i.title, "body": i.body} for i in items],
        )
    subject, _, body = text.partition("\n")
    message = EmailMessage()
    message["From"] = cfg.smtp.sender
    message["To"] = to_address
    message["Subject"] = subject.strip()
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain="kinerja")
    message["X-Kinerja-Notification-Ids"] = ",".join(str(i.id) for i in items)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body.strip() + "\n\n" + templates.render_block("_email_footer", locale) + "\n")
    return message


def deliver(smtp: config.SmtpSettings, message: EmailMessage) -> None:
    """Send one message; PermanentFailure for a 5xx refusal of the recipient or message."""
    context = ssl.create_default_context()
    if smtp.tls == "ssl":
        client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    try:
        client.ehlo()
        if smtp.tls == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if smtp.user:
            client.login(smtp.user, smtp.password)
        try:
            client.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                raise PermanentFailure(f"recipient refused: {exc.recipients}") from None
            raise
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
            if exc.smtp_code >= 500:
                raise PermanentFailure(f"{exc.smtp_code} {exc.smtp_error!r}") from None
            raise
    finally:
        try:
            client.quit()
        except Exception:  # noqa: BLE001
            client.close()
