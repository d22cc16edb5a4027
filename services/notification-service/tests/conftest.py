"""Fixtures of notification-service's tests: input events built as their producers build them.

The harness (real PostgreSQL, real Kafka on a topic prefix of each test's own) comes from
kinerja_shared.testing.plugin, loaded by the root conftest.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kinerja_shared.events import make_event
from kinerja_shared.testing import wait_for

RATER = "197001012000011001"
EMPLOYEE = "198503302010011002"
COLLEAGUE = "199001012015012003"
OTHER_UNIT = "198801012012011004"
OUTSIDER = "199205052018011005"
PERIOD = {"id": "2026-Q1", "kind": "quarterly", "start": "2026-01-01", "end": "2026-03-31"}


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Events:
    """make_event(...) exactly as plan-, activity- and evaluation-service publish them."""

    def employee(
        self,
        nip,
        name,
        unit_id="opd-1.bidang-a",
        unit_path=("opd-1", "opd-1.bidang-a"),
        rater=RATER,
        email=None,
        is_unit_head=False,
        active=True,
    ):
        return make_event(
            "EmployeeUpserted",
            source_service="plan-service",
            subject=nip,
            partitionkey=nip,
            data={
                "nip": nip,
                "name": name,
                "position": "Analis",
                "rank": "Penata",
                "grade": "III/c",
                "unit_id": unit_id,
                "unit_name": {
                    "opd-1": "Dinas Kominfo",
                    "opd-1.bidang-a": "Bidang Aplikasi",
                    "opd-2": "Dinas Pendidikan",
                }.get(unit_id, unit_id),
                "unit_path": list(unit_path),
                "rater_nip": rater,
                "rater_superior_nip": None,
                "is_unit_head": is_unit_head,
                "email": email,
                "phone": None,
                "functional_coefficient": None,
                "active": active,
            },
        )

    def plan_submitted(self, nip=EMPLOYEE, rater=RATER, plan_id=None, year=2026, correlationid=None):
        plan_id = plan_id or str(uuid.uuid4())
        return make_event(
            "PlanSubmitted",
            source_service="plan-service",
            subject=plan_id,
            partitionkey=nip,
            correlationid=correlationid,
            data={
                "plan_id": plan_id,
                "nip": nip,
                "rater_nip": rater,
                "unit_id": "opd-1.bidang-a",
                "year": year,
                "submitted_at": "2026-01-10T02:00:00.000Z",
            },
        )

    def plan_approved(self, nip=EMPLOYEE, rater=RATER, plan_id=None, year=2026):
        plan_id = plan_id or str(uuid.uuid4())
        behaviours = [
            {"value": v, "expectation": ""}
            for v in ("service", "accountable", "competent", "harmonious", "loyal", "adaptive", "collaborative")
        ]
        return make_event(
            "PlanApproved",
            source_service="plan-service",
            subject=plan_id,
            partitionkey=nip,
            data={
                "plan_id": plan_id,
                "nip": nip,
                "rater_nip": rater,
                "rater_superior_nip": None,
                "unit_id": "opd-1.bidang-a",
                "year": year,
                "period_start": f"{year}-01-01",
                "period_end": f"{year}-12-31",
                "approach": "quantitative",
                "model": "JA_JF",
                "revision": 1,
                "results": [
                    {
                        "result_id": "r1",
                        "kind": "main",
                        "text": "Aplikasi layanan",
                        "perspective": None,
                        "supports_result_id": None,
                        "indicators": [
                            {
                                "indicator_id": "i1",
                                "aspect": "quantity",
                                "text": "Modul selesai",
                                "target_value": 4,
                                "target_unit": "modul",
                            }
                        ],
                    }
                ],
                "behaviours": behaviours,
                "attachments": {},
                "approved_at": "2026-01-15T03:00:00.000Z",
            },
        )

    def plan_returned(self, nip=EMPLOYEE, rater=RATER, plan_id=None, reason="Indikator belum terukur"):
        plan_id = plan_id or str(uuid.uuid4())
        return make_event(
            "PlanReturned",
            source_service="plan-service",
            subject=plan_id,
            partitionkey=nip,
            data={
                "plan_id": plan_id,
                "nip": nip,
                "rater_nip": rater,
                "unit_id": "opd-1.bidang-a",
                "year": 2026,
                "reason": reason,
                "returned_at": "2026-01-12T03:00:00.000Z",
            },
        )

    def activity_logged(
        self,
        nip=EMPLOYEE,
        rater=RATER,
        day="2026-03-10",
        logged_at="2026-03-10T03:00:00.000Z",
        activity_id=None,
        status="pending",
        description="Menyusun modul laporan",
    ):
        activity_id = activity_id or str(uuid.uuid4())
        return make_event(
            "ActivityLogged",
            source_service="activity-service",
            subject=activity_id,
            partitionkey=nip,
            data={
                "activity_id": activity_id,
                "nip": nip,
                "rater_nip": rater,
                "unit_id": "opd-1.bidang-a",
                "plan_id": "p1",
                "result_id": "r1",
                "indicator_id": "i1",
                "date": day,
                "start_time": "08:00",
                "end_time": "10:00",
                "minutes": 120,
                "description": description,
                "quantity": 1,
                "quantity_unit": "modul",
                "evidence": [{"kind": "link", "url": "https://example.go.id/bukti"}],
                "status": status,
                "version": 1,
                "logged_at": logged_at,
            },
        )

    def activity_verified(
        self,
        activity_id,
        nip=EMPLOYEE,
        rater=RATER,
        decision="rejected",
        reason="Bukti dukung tidak sesuai",
        day="2026-03-10",
    ):
        return make_event(
            "ActivityVerified",
            source_service="activity-service",
            subject=activity_id,
            partitionkey=nip,
            data={
                "activity_id": activity_id,
                "nip": nip,
                "rater_nip": rater,
                "indicator_id": "i1",
                "plan_id": "p1",
                "result_id": "r1",
                "date": day,
                "decision": decision,
                "reason": reason if decision == "rejected" else None,
                "minutes": 120,
                "quantity": 1,
                "verified_at": "2026-03-11T03:00:00.000Z",
            },
        )

    def evaluation_opened(self, nip=EMPLOYEE, rater=RATER, evaluation_id=None, period=PERIOD):
        evaluation_id = evaluation_id or str(uuid.uuid4())
        return make_event(
            "EvaluationOpened",
            source_service="evaluation-service",
            subject=evaluation_id,
            partitionkey=nip,
            data={
                "evaluation_id": evaluation_id,
                "nip": nip,
                "rater_nip": rater,
                "unit_id": "opd-1.bidang-a",
                "plan_id": "p1",
                "period": period,
                "revision": 1,
                "opened_at": "2026-03-25T01:00:00.000Z",
            },
        )

    def evaluation_closed(
        self,
        nip=EMPLOYEE,
        rater=RATER,
        evaluation_id=None,
        predicate="BUTUH_PERBAIKAN",
        results="below",
        behaviour="meets",
        period=PERIOD,
    ):
        evaluation_id = evaluation_id or str(uuid.uuid4())
        return make_event(
            "EvaluationClosed",
            source_service="evaluation-service",
            subject=evaluation_id,
            partitionkey=nip,
            data={
                "evaluation_id": evaluation_id,
                "nip": nip,
                "rater_nip": rater,
                "unit_id": "opd-1.bidang-a",
                "plan_id": "p1",
                "period": period,
                "revision": 1,
                "results_rating": results,
                "behaviour_rating": behaviour,
                "predicate": predicate,
                "credit_points": None,
                "closed_at": "2026-04-05T03:00:00.000Z",
                "closed_by": rater,
            },
        )

    def feedback_given(self, nip=EMPLOYEE, rater=RATER, text="Laporan sudah rapi, pertahankan."):
        feedback_id = str(uuid.uuid4())
        return make_event(
            "FeedbackGiven",
            source_service="evaluation-service",
            subject=feedback_id,
            partitionkey=nip,
            data={
                "feedback_id": feedback_id,
                "nip": nip,
                "rater_nip": rater,
                "period_id": "2026-Q1",
                "result_id": None,
                "behaviour_value": None,
                "text": text,
                "given_at": "2026-02-01T03:00:00.000Z",
            },
        )

    def calibration_finalised(self, unit_id="opd-1", predicates=None, by=RATER):
        predicates = predicates if predicates is not None else [{"nip": EMPLOYEE, "predicate": "BAIK"}]
        return make_event(
            "CalibrationFinalised",
            source_service="evaluation-service",
            subject=f"{unit_id}:2026-Y",
            partitionkey=by,
            data={
                "unit_id": unit_id,
                "period": {"id": "2026-Y", "kind": "annual", "start": "2026-01-01", "end": "2026-12-31"},
                "organisational_predicate": "BAIK",
                "distribution": {"BAIK": len(predicates)},
                "override_reason": None,
                "finalised_by": by,
                "finalised_at": "2027-01-20T03:00:00.000Z",
                "predicates": predicates,
            },
        )


@pytest.fixture
def ev() -> Events:
    return Events()


def topic_of(event: dict) -> str:
    from kinerja_shared.events.catalog import CATALOG

    return CATALOG[event["type"]].topic


def handle(harness, event: dict) -> None:
    """Apply one event through the service's handler in one transaction (no Kafka), as the consumer would."""
    harness.handle(event)


@pytest.fixture
def produce(kafka_tools):
    """produce(event): put an event on its producer's topic, keyed by its partition key (the NIP)."""

    def send(event: dict) -> dict:
        kafka_tools.produce(topic_of(event), event, key=event["partitionkey"])
        return event

    return send


def inbox(harness, nip: str, **query) -> list[dict]:
    response = harness.client.get("/api/v1/notifications", headers=harness.token(nip), query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


@pytest.fixture
def helpers():
    """Plain helpers (tests cannot import conftest under --import-mode=importlib)."""

    class H:
        pass

    h = H()
    h.inbox = inbox
    h.handle = handle
    h.wait_for = wait_for
    h.set_clock = set_clock
    h.iso = iso
    h.RATER, h.EMPLOYEE, h.COLLEAGUE, h.OTHER_UNIT, h.OUTSIDER, h.PERIOD = (
        RATER,
        EMPLOYEE,
        COLLEAGUE,
        OTHER_UNIT,
        OUTSIDER,
        PERIOD,
    )
    return h


class SmtpRecorder:
    """An aiosmtpd handler that keeps what it accepts; it can refuse addresses or fail DATA for a while."""

    def __init__(self):
        self.messages: list = []  # (envelope recipients, parsed message)
        self.refuse: set[str] = set()
        self.fail_data = 0
        self.data_attempts = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes
        from email.policy import default

        self.data_attempts += 1
        if self.fail_data > 0:
            self.fail_data -= 1
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=default)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for rcpts, m in self.messages if address in rcpts]


@pytest.fixture
def smtp_server(monkeypatch):
    """A real SMTP server (aiosmtpd) on 127.0.0.1; SMTP_* point the service at it."""
    from aiosmtpd.controller import Controller

    from kinerja_shared.testing.servers import free_port

    recorder = SmtpRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    monkeypatch.setenv("SMTP_TLS", "none")
    monkeypatch.setenv("SMTP_FROM", "Kinerja Kota Binjai <kinerja@binjaikota.go.id>")
    monkeypatch.setenv("SMTP_TIMEOUT_SECONDS", "5")
    try:
        yield recorder
    finally:
        controller.stop()


def set_clock(harness, instant: str) -> None:
    """Move the scheduler clock of a harness (takes effect for workers started afterwards)."""
    import dataclasses

    harness.settings = dataclasses.replace(
        harness.settings, extra={**harness.settings.extra, "NOTIFICATION_CLOCK": instant}
    )


class Dns:
    """A stub of socket.getaddrinfo: names in ``table`` resolve to the addresses given (a list, or a
    callable returning one, asked on every lookup); IP literals and localhost resolve as usual;
    any other name does not resolve. No test of this service sends a DNS query to the network."""

    def __init__(self, real):
        self.real = real
        self.table: dict = {}
        self.lookups: list[str] = []

    def __call__(self, host, port, family=0, type=0, proto=0, flags=0):
        import ipaddress
        import socket

        name = host.decode() if isinstance(host, bytes) else host
        if name in self.table:
            self.lookups.append(name)
            entry = self.table[name]
            addresses = entry() if callable(entry) else entry
            port = int(port or 0)
            out = []
            for address in addresses:
                v6 = ipaddress.ip_address(address).version == 6
                out.append(
                    (
                        socket.AF_INET6 if v6 else socket.AF_INET,
                        socket.SOCK_STREAM,
                        socket.IPPROTO_TCP,
                        "",
                        (address, port, 0, 0) if v6 else (address, port),
                    )
                )
            return out
        try:
            ipaddress.ip_address(name.split("%")[0] if name else "")
            literal = True
        except ValueError:
            literal = name in (None, "localhost")
            try:
                socket.inet_aton(name or "")  # 2130706433, 0x7f.1: numeric forms the resolver reads itself
                literal = True
            except OSError:
                pass
        if literal:
            return self.real(host, port, family, type, proto, flags)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (test DNS stub)")


@pytest.fixture(autouse=True)
def dns(monkeypatch):
    """Every test of this service runs with the DNS stub (see Dns); add names with dns.table[name] = [...]."""
    import socket

    stub = Dns(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", stub)
    return stub


# -- a webhook receiver ------------------------------------------------------------------------

WEBHOOK_SECRET = "receiver-shared-secret-2026"


def verify_signature(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """The receiver's check, written as the docs tell a receiver to (independent of the service's code)."""
    fields = dict(part.split("=", 1) for part in header.split(","))
    timestamp = int(fields["t"])
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


class Receiver:
    def __init__(self):
        self.requests: list[dict] = []
        self.status = 204
        self.delay = 0.0  # seconds between receiving a delivery and answering it (a slow receiver)
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                ok = verify_signature(WEBHOOK_SECRET, self.headers.get("X-Kinerja-Signature", "t=0,v1="), body)
                with receiver.lock:
                    receiver.requests.append(
                        {
                            "at": time.monotonic(),
                            "headers": dict(self.headers),
                            "body": body,
                            "verified": ok,
                            "answered": receiver.status if ok else 401,
                        }
                    )
                time.sleep(receiver.delay)
                self.send_response(receiver.status if ok else 401)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}/kinerja/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    verify = staticmethod(verify_signature)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()
