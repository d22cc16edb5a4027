"""E-mail through a real SMTP server (aiosmtpd) run by the test: recipients, text, digests, batching, retries."""

from __future__ import annotations

from notification_service.service import SPEC

RATER_MAIL, SITI_MAIL, BUDI_MAIL = "rahmat@binjaikota.go.id", "siti@binjaikota.go.id", "budi@binjaikota.go.id"


def _directory(ev, produce, helpers, h):
    produce(
        ev.employee(
            helpers.RATER, "Drs. Rahmat Hidayat", unit_id="opd-1", unit_path=("opd-1",), rater=None, email=RATER_MAIL
        )
    )
    produce(ev.employee(helpers.EMPLOYEE, "Siti Aminah", email=SITI_MAIL))
    produce(ev.employee(helpers.COLLEAGUE, "Budi Santoso", email=BUDI_MAIL))
    helpers.wait_for(lambda: h.scalar("SELECT count(*) FROM contacts") == 3, 60, message="contacts")


def _text(message) -> str:
    return message.get_content()


def test_email_reaches_the_right_people_with_the_digest_batched(service_factory, smtp_server, ev, produce, helpers):
    # 15:00 WIB on a Tuesday: before the 16:00 digest time.
    h = service_factory(
        SPEC,
        NOTIFICATION_CLOCK="2026-03-10T15:00:00+07:00",
        NOTIFICATION_EMAIL_POLL_SECONDS="0.2",
        NOTIFICATION_REMINDERS="false",
    )
    # The rater keeps 14:00-16:00 free of e-mail.
    prefs = "/api/v1/notifications/preferences"
    quiet = h.client.patch(
        prefs,
        headers=h.if_match(prefs, h.token(helpers.RATER)),
        json={"quiet_hours": {"start": "14:00", "end": "16:00"}},
    )
    assert quiet.status_code == 200
    h.start_worker()
    _directory(ev, produce, helpers, h)
    E, C = helpers.EMPLOYEE, helpers.COLLEAGUE

    produce(ev.plan_returned(E, reason="Target kuantitas belum diisi"))
    produce(ev.plan_submitted(C))
    for nip in (E, E, C):
        produce(ev.activity_logged(nip, logged_at="2026-03-10T03:00:00.000Z"))
    produce(ev.feedback_given(E))  # feedback: inbox only by default, no e-mail

    helpers.wait_for(lambda: smtp_server.to(SITI_MAIL), 60, message="Siti's e-mail")
    helpers.wait_for(lambda: h.scalar("SELECT count(*) FROM processed_events") == 9, 60, message="all events")
    [siti] = smtp_server.to(SITI_MAIL)
    assert siti["Subject"] == "SKP 2026 Anda dikembalikan untuk diperbaiki"
    assert siti["From"] == "Kinerja Kota Binjai <kinerja@binjaikota.go.id>" and siti["To"] == SITI_MAIL
    body = _text(siti)
    assert body.startswith("Yth. Siti Aminah,") and "Target kuantitas belum diisi" in body
    assert "Pengaturan Pemberitahuan" in body  # the footer
    assert smtp_server.to(RATER_MAIL) == [] and smtp_server.to(BUDI_MAIL) == []
    held = h.rows("SELECT status, not_before FROM email_queue WHERE recipient_nip = :n", n=helpers.RATER)
    assert len(held) == 2 and all(r["status"] == "pending" for r in held)
    assert {r["not_before"].isoformat() for r in held} == {"2026-03-10T09:00:00+00:00"}  # 16:00 WIB

    # Time passes: 16:05 WIB. Quiet hours are over and the digest is due: ONE e-mail to the rater.
    h.stop_workers()
    helpers.set_clock(h, "2026-03-10T16:05:00+07:00")
    h.start_worker()
    helpers.wait_for(lambda: smtp_server.to(RATER_MAIL), 60, message="the rater's e-mail")
    helpers.wait_for(
        lambda: h.scalar("SELECT count(*) FROM email_queue WHERE status = 'pending'") == 0, 30, message="queue drained"
    )
    [rater] = smtp_server.to(RATER_MAIL)
    assert rater["Subject"] == "2 pemberitahuan baru dari Kinerja"
    body = _text(rater)
    assert body.startswith("Yth. Drs. Rahmat Hidayat,")
    assert "== SKP 2026 dari Budi Santoso menunggu persetujuan Anda ==" in body
    assert "== 3 kegiatan harian menunggu verifikasi Anda (10 Maret 2026) ==" in body
    assert len(smtp_server.messages) == 2 and smtp_server.to(BUDI_MAIL) == []

    emailed = [e for e in h.outbox() if e["type"] == "NotificationDelivered" and e["data"]["channel"] == "email"]
    assert sorted(e["data"]["category"] for e in emailed) == ["activity_digest", "plan_returned", "plan_submitted"]


def test_email_is_retried_with_backoff_and_a_refused_address_fails_at_once(service_factory, smtp_server, ev, helpers):
    h = service_factory(
        SPEC,
        NOTIFICATION_CLOCK="2026-03-10T10:00:00+07:00",
        NOTIFICATION_EMAIL_POLL_SECONDS="0.1",
        NOTIFICATION_EMAIL_BACKOFF_SECONDS="0.3",
        NOTIFICATION_EMAIL_MAX_ATTEMPTS="5",
        NOTIFICATION_REMINDERS="false",
    )
    helpers.handle(h, ev.employee(helpers.EMPLOYEE, "Siti Aminah", email=SITI_MAIL))
    helpers.handle(h, ev.employee(helpers.COLLEAGUE, "Budi Santoso", email="nobody@binjaikota.go.id"))
    smtp_server.fail_data = 2
    smtp_server.refuse.add("nobody@binjaikota.go.id")
    helpers.handle(h, ev.plan_returned(helpers.COLLEAGUE))
    helpers.handle(h, ev.plan_returned(helpers.EMPLOYEE))
    h.start_worker()

    helpers.wait_for(lambda: smtp_server.to(SITI_MAIL), 60, message="the e-mail after two temporary failures")
    helpers.wait_for(
        lambda: h.scalar("SELECT count(*) FROM email_queue WHERE status = 'pending'") == 0,
        30,
        message="the queue settled",
    )
    rows = {r["to_address"]: r for r in h.rows("SELECT to_address, status, attempts, last_error FROM email_queue")}
    assert rows[SITI_MAIL]["status"] == "sent" and rows[SITI_MAIL]["attempts"] == 3
    assert smtp_server.data_attempts >= 3
    refused = rows["nobody@binjaikota.go.id"]
    assert refused["status"] == "failed" and refused["attempts"] == 1 and "550" in refused["last_error"]


def test_without_smtp_email_is_skipped_not_queued_forever(service_factory, ev, helpers, monkeypatch):
    monkeypatch.delenv("SMTP_HOST", raising=False)
    h = service_factory(SPEC, NOTIFICATION_EMAIL_POLL_SECONDS="0.1", NOTIFICATION_REMINDERS="false")
    helpers.handle(h, ev.employee(helpers.EMPLOYEE, "Siti Aminah", email=SITI_MAIL))
    helpers.handle(h, ev.plan_returned(helpers.EMPLOYEE))
    h.start_worker()
    helpers.wait_for(lambda: h.scalar("SELECT status FROM email_queue") == "skipped", 30, message="skipped")
    assert len(helpers.inbox(h, helpers.EMPLOYEE)) == 1
