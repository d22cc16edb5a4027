"""Issue 9, secrets and personal data in logs: notification-service as real processes (gunicorn web + worker),
LOG_LEVEL=DEBUG, a JWT secret, an SMTP password, a database password, a webhook secret and the SIASN channel's
secrets (the gateway consumer secret, the SSO operator password, the document token, and the two tokens SIASN
issues) in play.

The service is driven through everything that touches those values: bearer tokens (good and forged), a
webhook registered and its secret rotated, a query string holding an e-mail address, events consumed from
Kafka, an e-mail sent over an authenticated SMTP session, a webhook delivery signed with the secret, a closed
evaluation delivered to the SIASN contract server (both tokens fetched) with its document fetched and attached.

What the logs may carry (docs/operations.md, "Logs"): never a secret or a token; never an e-mail address
(the access log has the path without its query string, and no header); NIPs only as the subject of a
line about that person's data (the event's partition key, the audit actor), never in the access log.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from kinerja_shared.auth import mint_token
from kinerja_shared.config import Settings
from kinerja_shared.events import make_event
from kinerja_shared.events.catalog import CATALOG
from kinerja_shared.testing.servers import free_port

from ..siasn.contract_server import ContractServer
from . import seeds
from .live import LiveService

JWT_SECRET = "jwt-" + secrets.token_hex(20)
SMTP_PASSWORD = "smtp-" + secrets.token_hex(12)
DB_PASSWORD = "db-" + secrets.token_hex(12)
WEBHOOK_SECRET = "hook-" + secrets.token_hex(16)
ROTATED_SECRET = "hook2-" + secrets.token_hex(16)
EMAIL = f"andi.{secrets.token_hex(3)}@binjaikota.go.id"
SIASN_CONSUMER_SECRET = "siasn-gw-" + secrets.token_hex(12)
SIASN_SSO_PASSWORD = "siasn-sso-" + secrets.token_hex(12)
SIASN_DOCUMENT_TOKEN = "siasn-doc-" + secrets.token_hex(12)
PDF = b"%PDF-1.4\n%%EOF\n"


class Smtp:
    """aiosmtpd with AUTH LOGIN/PLAIN: the worker must log in with SMTP_PASSWORD to send."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.messages, self.logins = [], []

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.password.decode() == SMTP_PASSWORD
            self.logins.append(ok)
            return AuthResult(success=ok)

        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
                outer.messages.append(envelope)
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(
            Handler(), hostname="127.0.0.1", port=self.port, authenticator=authenticator, auth_require_tls=False
        )
        self.controller.start()


class Receiver:
    """The webhook receiver, and the documents endpoint (GET: a PDF to the channel's token)."""

    def __init__(self):
        self.bodies: list[bytes] = []
        self.document_fetches: list[str | None] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                outer.document_fetches.append(self.headers.get("Authorization"))
                ok = self.headers.get("Authorization") == f"Bearer {SIASN_DOCUMENT_TOKEN}"
                self.send_response(200 if ok else 401)
                self.send_header("Content-Length", str(len(PDF) if ok else 0))
                self.end_headers()
                if ok:
                    self.wfile.write(PDF)

            def do_POST(self):  # noqa: N802 - http.server's name
                outer.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def run(kafka_bootstrap, new_database, tmp_path_factory):
    """Drive the service, stop it (so every line is flushed), return what the test needs to check."""
    smtp, receiver = Smtp(), Receiver()
    siasn = ContractServer(consumer_secret=SIASN_CONSUMER_SECRET, sso_password=SIASN_SSO_PASSWORD)
    documents = receiver.url.rsplit("/", 1)[0] + "/api/v1/evaluations/{evaluation_id}/document.pdf"
    database_url = new_database("notification-service").replace("://postgres@", f"://postgres:{DB_PASSWORD}@", 1)
    assert DB_PASSWORD in database_url, "the test database URL must carry the password"
    live = LiveService(
        "notification-service",
        kafka_bootstrap,
        database_url,
        tmp_path_factory.mktemp("logs"),
        LOG_LEVEL="DEBUG",
        JWT_SECRET=JWT_SECRET,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp.port),
        SMTP_TLS="none",
        SMTP_USER="kinerja",
        SMTP_PASSWORD=SMTP_PASSWORD,
        SMTP_FROM="Kinerja <kinerja@binjaikota.go.id>",
        NOTIFICATION_QUIET_HOURS="off",
        NOTIFICATION_EMAIL_POLL_SECONDS="0.2",
        NOTIFICATION_WEBHOOK_POLL_SECONDS="0.2",
        NOTIFICATION_REMINDERS="false",
        NOTIFICATION_WEBHOOK_ALLOWED_HOSTS="127.0.0.1",  # the receiver runs on this machine
        SIASN_POLL_SECONDS="0.2",
        SIASN_DOCUMENTS="true",
        SIASN_DOCUMENT_URL=documents,
        SIASN_DOCUMENT_TOKEN=SIASN_DOCUMENT_TOKEN,
        **siasn.env(),
    )
    settings = Settings.from_env("notification-service", live.env)
    admin = mint_token(settings, sub=seeds.ADMIN, roles=["admin"])
    employee = mint_token(settings, sub=seeds.EMPLOYEE, roles=["employee"], unit=seeds.UNIT)
    forged = employee.rsplit(".", 1)[0] + "." + secrets.token_urlsafe(32)
    tokens = [admin, employee, forged]
    try:

        def call(method, path, token, extra=None, **kwargs):
            return requests.request(
                method,
                live.url + path,
                headers={"Authorization": f"Bearer {token}", **(extra or {})},
                timeout=15,
                **kwargs,
            )

        hook = call(
            "POST",
            "/api/v1/webhooks",
            admin,
            json={"url": receiver.url, "event_types": ["*"], "secret": WEBHOOK_SECRET, "description": "payroll"},
        )
        assert hook.status_code == 201, hook.text
        etag = call("GET", f"/api/v1/webhooks/{hook.json()['id']}", admin).headers["ETag"]
        rotated = call(
            "PATCH",
            f"/api/v1/webhooks/{hook.json()['id']}",
            admin,
            json={"secret": ROTATED_SECRET},
            extra={"If-Match": etag},
        )
        assert rotated.status_code == 200, rotated.text
        assert call("GET", f"/api/v1/notifications?email={EMAIL}&nip={seeds.EMPLOYEE}", employee).status_code < 500
        assert call("GET", "/api/v1/notifications", forged).status_code == 401
        assert (
            requests.get(
                live.url + "/api/v1/notifications", timeout=15, headers={"Authorization": f"Basic {JWT_SECRET}"}
            ).status_code
            == 401
        )

        # Events from Kafka: the employee (with the e-mail address) and a returned plan, which is e-mailed.
        from kafka import KafkaProducer

        employee_event = seeds.employee(seeds.EMPLOYEE, "Andi Pratama", seeds.UNIT, ["dinas", seeds.UNIT], seeds.RATER)
        employee_event["data"].update(email=EMAIL, siasn_pns_id="PNS-" + secrets.token_hex(8), rank_code="32")
        rater_event = seeds.employee(seeds.RATER, "Siti Rahmawati", seeds.UNIT, ["dinas", seeds.UNIT], seeds.HEAD)
        rater_event["data"].update(siasn_pns_id="PNS-" + secrets.token_hex(8), rank_code="41")
        year = seeds.today().year
        closed = make_event(
            "EvaluationClosed",
            source_service="evaluation-service",
            subject="ev-secrets",
            partitionkey=seeds.EMPLOYEE,
            data={
                "evaluation_id": "ev-secrets",
                "nip": seeds.EMPLOYEE,
                "rater_nip": seeds.RATER,
                "unit_id": seeds.UNIT,
                "plan_id": "plan-x",
                "period": {"id": f"{year}-Y", "kind": "annual", "start": f"{year}-01-01", "end": f"{year}-12-31"},
                "revision": 1,
                "results_rating": "meets",
                "behaviour_rating": "meets",
                "predicate": "BAIK",
                "credit_points": None,
                "closed_at": f"{year}-12-20T03:00:00.000Z",
                "closed_by": seeds.RATER,
            },
        )
        returned = make_event(
            "PlanReturned",
            source_service="plan-service",
            subject="plan-x",
            partitionkey=seeds.EMPLOYEE,
            data={
                "plan_id": "plan-x",
                "nip": seeds.EMPLOYEE,
                "rater_nip": seeds.RATER,
                "unit_id": seeds.UNIT,
                "year": seeds.today().year,
                "reason": "Indikator belum terukur",
                "returned_at": "2026-01-12T03:00:00.000Z",
            },
        )
        producer = KafkaProducer(
            bootstrap_servers=kafka_bootstrap.split(","), value_serializer=lambda v: json.dumps(v).encode()
        )
        for event in (rater_event, employee_event, returned, closed):
            producer.send(
                live.prefix + CATALOG[event["type"]].topic, value=event, key=event["partitionkey"].encode()
            ).get(timeout=30)
        producer.close(timeout=5)
        wait_for(lambda: smtp.messages and receiver.bodies, 45, "the e-mail and the webhook delivery")
        wait_for(lambda: siasn.documents, 45, "the SIASN record and its document")
    finally:
        live.stop()
        smtp.controller.stop()
        receiver.server.shutdown()
        siasn.close()
    issued = [*siasn.gateway_tokens, *siasn.sso_tokens]
    return {
        "lines": live.log_lines(),
        "tokens": tokens,
        "smtp": smtp,
        "siasn": siasn,
        "issued": issued,
        "document_fetches": receiver.document_fetches,
    }


def test_the_run_exercised_every_secret(run):
    assert True in run["smtp"].logins, "the worker logged in to SMTP with the password"
    assert any(EMAIL in str(m.rcpt_tos) for m in run["smtp"].messages)
    assert len(run["lines"]) > 50, "LOG_LEVEL=DEBUG wrote the lines this test reads"
    assert run["siasn"].token_requests == {"gateway": 1, "sso": 1} and len(run["issued"]) == 2
    assert len(run["siasn"].saved("skp22")) == 1 and run["siasn"].documents[0]["pdf"] == PDF
    assert run["document_fetches"] == [f"Bearer {SIASN_DOCUMENT_TOKEN}"]


def test_no_secret_or_token_appears_in_any_log_line(run):
    needles = {
        "JWT_SECRET": JWT_SECRET,
        "SMTP_PASSWORD": SMTP_PASSWORD,
        "database password": DB_PASSWORD,
        "webhook secret": WEBHOOK_SECRET,
        "rotated webhook secret": ROTATED_SECRET,
        "SIASN_CONSUMER_SECRET": SIASN_CONSUMER_SECRET,
        "SIASN_SSO_PASSWORD": SIASN_SSO_PASSWORD,
        "SIASN_DOCUMENT_TOKEN": SIASN_DOCUMENT_TOKEN,
    }
    for index, token in enumerate(run["issued"]):
        needles[f"SIASN token {index}"] = token
    for index, token in enumerate(run["tokens"]):
        needles[f"bearer token {index}"] = token
        needles[f"bearer token {index}'s signature"] = token.rsplit(".", 1)[1]
    leaks = [
        f"{what} in {name}: {line[:300]}"
        for name, line in run["lines"]
        for what, needle in needles.items()
        if needle in line
    ]
    assert not leaks, "\n".join(leaks[:20])


def test_no_e_mail_address_in_any_log_line_and_no_query_string_or_nip_in_the_access_log(run):
    leaks = [f"{name}: {line[:300]}" for name, line in run["lines"] if EMAIL in line]
    assert not leaks, "\n".join(leaks[:20])
    access = [line for _name, line in run["lines"] if '"gunicorn.access"' in line]
    assert any("/api/v1/notifications" in line for line in access), "the access log is on"
    assert not [line for line in access if "?" in line or seeds.EMPLOYEE in line or "Bearer" in line]
