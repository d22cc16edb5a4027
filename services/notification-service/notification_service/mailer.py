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
import threading
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Engine

from kinerja_shared.config import Settings
from kinerja_shared.db import is_postgres, utcnow
from kinerja_shared.outbox import publish

from . import config, dispatch, domain, events, inbox, templates
from .models import contacts, email_queue, notifications

log = logging.getLogger(__name__)

PENDING, SENT, FAILED, SKIPPED = "pending", "sent", "failed", "skipped"


class PermanentFailure(Exception):
    """The server refused the message for good (e.g. unknown recipient)."""


def _due(now_real, now_clock):
    return and_(email_queue.c.status == PENDING, email_queue.c.next_attempt_at <= now_real,
                or_(email_queue.c.not_before.is_(None), email_queue.c.not_before <= now_clock))


def send_due(engine: Engine, cfg: config.NotifySettings, max_messages: int = 50) -> int:
    """Send what is due; return the number of e-mails sent (each may batch several notifications)."""
    if cfg.smtp is None:
        with engine.begin() as conn:
            conn.execute(update(email_queue).where(_due(utcnow(), cfg.now())).values(
                status=SKIPPED, last_error="e-mail is off: SMTP_HOST is not set"))
        return 0
    sent = 0
    for _ in range(max_messages):
        outcome = _send_one_batch(engine, cfg)
        if outcome is None:
            break
        sent += outcome
    return sent


def _send_one_batch(engine: Engine, cfg: config.NotifySettings) -> int | None:
    """One address's due rows as one e-mail. None when nothing is due; 1 when sent; 0 otherwise."""
    now_real, now_clock = utcnow(), cfg.now()
    with engine.begin() as conn:
        lock = (lambda q: q.with_for_update(skip_locked=True)) if is_postgres(conn) else (lambda q: q)
        first = conn.execute(lock(select(email_queue).where(_due(now_real, now_clock))
                                  .order_by(email_queue.c.id).limit(1))).first()
        if first is None:
            return None
        rows = conn.execute(lock(select(email_queue).where(_due(now_real, now_clock),
                                                           email_queue.c.to_address == first.to_address)
                                 .order_by(email_queue.c.id).limit(cfg.email_batch_max))).all()
        ids = [r.id for r in rows]
        prefs = inbox.preferences(conn, first.recipient_nip, cfg)
        if prefs.quiet_hours is not None:
            local_time = now_clock.astimezone(ZoneInfo(cfg.timezone)).time()
            if prefs.quiet_hours.contains(local_time):
                resume = prefs.quiet_hours.ends_after(now_clock, cfg.timezone)
                conn.execute(update(email_queue).where(email_queue.c.id.in_(ids)).values(not_before=resume))
                log.info("e-mail held for quiet hours", extra={"recipient": first.recipient_nip, "until": resume.isoformat()})
                return 0
        items = conn.execute(select(notifications).where(notifications.c.id.in_([r.notification_id for r in rows]))
                             .order_by(notifications.c.id)).all()
        person = conn.execute(select(contacts.c.name).where(contacts.c.nip == first.recipient_nip)).first()
        message = build_message(cfg, first.to_address, person.name if person else first.recipient_nip, prefs.locale,
                                items)
        try:
            deliver(cfg.smtp, message)
        except PermanentFailure as exc:
            conn.execute(update(email_queue).where(email_queue.c.id.in_(ids)).values(
                status=FAILED, attempts=email_queue.c.attempts + 1, last_error=str(exc)[:2000]))
            log.error("e-mail refused permanently", extra={"to": first.to_address, "error": str(exc)})
            return 0
        except Exception as exc:  # noqa: BLE001 - connection refused, timeouts, 4xx: try again later
            attempt = max(r.attempts for r in rows) + 1
            gave_up = attempt >= cfg.email_max_attempts
            delay = domain.backoff_seconds(attempt, cfg.email_backoff_seconds, 3600.0)
            conn.execute(update(email_queue).where(email_queue.c.id.in_(ids)).values(
                status=FAILED if gave_up else PENDING, attempts=attempt, last_error=repr(exc)[:2000],
                next_attempt_at=now_real + timedelta(seconds=delay)))
            log.warning("e-mail not sent, will retry" if not gave_up else "e-mail failed, giving up",
                        extra={"to": first.to_address, "attempt": attempt, "error": repr(exc), "retry_in_s": delay})
            return 0
        done = utcnow()
        conn.execute(update(email_queue).where(email_queue.c.id.in_(ids)).values(
            status=SENT, sent_at=done, attempts=email_queue.c.attempts + 1, last_error=None))
        for item in items:
            publish(conn, events.notification_delivered(
                notification_id=item.id, recipient=item.recipient_nip, channel=domain.EMAIL, category=item.category,
                cause=inbox.Cause(item.cause_event_id, item.cause_event_type, item.correlation_id),
                correlation_id=item.correlation_id, delivered_at=done))
        log.info("e-mail sent", extra={"to": first.to_address, "notifications": len(items)})
        return 1


def build_message(cfg: config.NotifySettings, to_address: str, recipient_name: str, locale: str, items) -> EmailMessage:
    """One e-mail for one or more notifications (a batch), with the footer."""
    if len(items) == 1:
        text = templates.render_block("_email_single", locale, title=items[0].title, body=items[0].body,
                                      recipient_name=recipient_name)
    else:
        text = templates.render_block("_email_batch", locale, count=len(items), recipient_name=recipient_name,
                                      items=[{"title": i.title, "body": i.body} for i in items])
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


def sender(settings: Settings, engine: Engine, stop: threading.Event) -> None:
    """Background job of the worker: send due e-mails until ``stop`` is set."""
    cfg = config.NotifySettings.from_settings(settings)
    dispatch.poll("e-mail sender", lambda: send_due(engine, cfg), cfg.email_poll_seconds, stop)
