"""Webhook targets: no internal address, at registration (after DNS) and again at every delivery.

Names resolve through the DNS stub of conftest (no lookup leaves the machine); the only
connections made go to the receiver on 127.0.0.1, which is allowed explicitly.
"""

from __future__ import annotations

import pytest

from kinerja_shared.config import ConfigError, Settings
from notification_service.config import NotifySettings
from notification_service.service import SPEC

ADMIN = "196501011990031001"
PUBLIC = "93.184.215.14"  # a global address: resolved to, never connected to

REFUSED = [
    ("http://127.0.0.1:8001/internal", "loopback"),
    ("http://127.8.9.10/x", "loopback"),
    ("http://[::1]:8001/x", "loopback"),
    ("http://localhost:8001/x", "loopback"),
    ("http://2130706433/x", "loopback"),  # 127.0.0.1 written as one number
    ("https://mapped.kinerja.test/x", "loopback"),  # IPv4-mapped IPv6 (::ffff:127.0.0.1)
    ("https://nat64.kinerja.test/x", "private"),  # NAT64 of 10.0.0.5
    ("http://10.1.2.3/x", "private"),
    ("http://172.16.0.1/x", "private"),
    ("http://192.168.1.20/x", "private"),
    ("http://[fc00::1]/x", "private"),
    ("http://[fe80::1]/x", "link-local"),
    ("http://169.254.10.10/x", "link-local"),
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://[fd00:ec2::254]/latest/meta-data/", "metadata"),
    ("http://224.0.0.1/x", "multicast"),
    ("http://[ff02::1]/x", "multicast"),
    ("http://0.0.0.0:8001/x", "unspecified"),
    ("http://[::]/x", "unspecified"),
    ("http://240.0.0.1/x", "reserved"),
    ("http://100.64.0.1/x", "shared"),
    ("https://internal.kinerja.test/hook", "private"),  # a name: what it resolves to counts
    ("https://mixed.kinerja.test/hook", "private"),  # every address it resolves to counts
]


@pytest.fixture
def hooks(service_factory, dns):
    dns.table.update(
        {
            "internal.kinerja.test": ["10.0.0.5"],
            "mixed.kinerja.test": [PUBLIC, "10.0.0.5"],
            "payroll.kinerja.test": [PUBLIC],
            "mapped.kinerja.test": ["::ffff:127.0.0.1"],
            "nat64.kinerja.test": ["64:ff9b::a00:5"],
        }
    )
    return service_factory(SPEC, NOTIFICATION_REMINDERS="false")


def _post(h, url, **extra):
    return h.client.post(
        "/api/v1/webhooks", headers=h.token(ADMIN, "admin"), json={"url": url, "event_types": ["*"], **extra}
    )


def _refused_url(response) -> str:
    assert response.status_code == 422, response.get_json()
    assert response.content_type == "application/problem+json"
    [error] = [e for e in response.get_json()["errors"] if e["field"] == "url"]
    return error["message"]


def test_registration_refuses_internal_addresses(hooks):
    for url, kind in REFUSED:
        message = _refused_url(_post(hooks, url))
        assert kind in message and "NOTIFICATION_WEBHOOK_ALLOWED_HOSTS" in message, (url, message)
    # a metadata service's name is refused by name (it resolves only inside the cloud; no allow-list lets it in)
    assert "metadata" in _refused_url(_post(hooks, "http://metadata.google.internal/computeMetadata/v1/"))
    assert hooks.scalar("SELECT count(*) FROM webhook_subscriptions") == 0


def test_a_public_target_is_accepted_and_a_change_to_an_internal_one_is_refused(hooks):
    admin = hooks.token(ADMIN, "admin")
    created = _post(hooks, "https://payroll.kinerja.test/hook")
    assert created.status_code == 201, created.get_json()
    sub = created.get_json()
    patched = hooks.client.patch(
        f"/api/v1/webhooks/{sub['id']}",
        headers={**admin, "If-Match": created.headers["ETag"]},
        json={"url": "http://169.254.169.254/latest/meta-data/"},
    )
    assert "metadata" in _refused_url(patched)
    assert (
        hooks.client.get(f"/api/v1/webhooks/{sub['id']}", headers=admin).get_json()["url"]
        == "https://payroll.kinerja.test/hook"
    )


def test_the_allow_list_lets_named_internal_receivers_in_but_never_metadata(service_factory, dns):
    dns.table.update(
        {"receiver.internal": ["127.0.0.1"], "payroll.corp.internal": ["10.20.0.7"], "other.internal": ["10.21.0.1"]}
    )
    h = service_factory(
        SPEC,
        NOTIFICATION_REMINDERS="false",
        NOTIFICATION_WEBHOOK_ALLOWED_HOSTS="receiver.internal, *.corp.internal, 10.30.0.0/16, 169.254.0.0/16",
    )
    assert _post(h, "http://receiver.internal:8001/hook").status_code == 201
    assert _post(h, "http://payroll.corp.internal/hook").status_code == 201
    assert _post(h, "http://10.30.1.2/hook").status_code == 201
    assert "private" in _refused_url(_post(h, "http://other.internal/hook"))
    assert "private" in _refused_url(_post(h, "http://10.31.1.2/hook"))
    assert "metadata" in _refused_url(_post(h, "http://169.254.169.254/latest/meta-data/"))


@pytest.mark.parametrize("value", ["not a host!", "10.0.0.0/33", "*.", "http://x.go.id"])
def test_a_bad_allow_list_stops_the_start(value):
    with pytest.raises(ConfigError, match="NOTIFICATION_WEBHOOK_ALLOWED_HOSTS"):
        NotifySettings.from_settings(
            Settings.from_env("notification-service", {}), {"NOTIFICATION_WEBHOOK_ALLOWED_HOSTS": value}
        )


def _one_delivery(h, helpers, sub_id):
    admin = h.token(ADMIN, "admin")
    helpers.wait_for(lambda: h.scalar("SELECT count(*) FROM webhook_attempts") >= 1, 60, message="an attempt")
    helpers.wait_for(lambda: h.scalar("SELECT status FROM webhook_deliveries") != "pending", 30, message="the outcome")
    [delivery] = h.client.get(f"/api/v1/webhooks/{sub_id}/deliveries", headers=admin).get_json()["items"]
    detail = h.client.get(f"/api/v1/webhooks/{sub_id}/deliveries/{delivery['id']}", headers=admin).get_json()
    return delivery, detail


def test_a_dns_change_after_registration_is_refused_at_delivery(service_factory, dns, receiver, ev, helpers):
    """Registered while the name was public; it now points at this machine: the attempt fails, once, with the
    reason in the delivery log, and nothing reaches the receiver on 127.0.0.1."""
    answers = {"now": [PUBLIC]}
    dns.table["rebind.kinerja.test"] = lambda: answers["now"]
    h = service_factory(
        SPEC,
        NOTIFICATION_REMINDERS="false",
        NOTIFICATION_WEBHOOK_POLL_SECONDS="0.05",
        NOTIFICATION_WEBHOOK_BACKOFF_SECONDS="0.05",
        NOTIFICATION_WEBHOOK_MAX_ATTEMPTS="5",
    )
    created = _post(h, f"http://rebind.kinerja.test:{receiver.port}/kinerja/events")
    assert created.status_code == 201, created.get_json()
    answers["now"] = ["127.0.0.1"]
    h.start_worker()
    helpers.handle(h, ev.plan_approved())

    delivery, detail = _one_delivery(h, helpers, created.get_json()["id"])
    assert delivery["status"] == "failed" and delivery["attempts"] == 1  # no retries
    assert "127.0.0.1" in delivery["last_error"] and "loopback" in delivery["last_error"]
    assert [(a["status_code"], a["error"]) for a in detail["attempt_log"]] == [(None, delivery["last_error"])]
    h.stop_workers()
    assert receiver.requests == []


def test_delivery_connects_to_the_address_it_checked_and_keeps_the_host_name(
    service_factory, dns, receiver, ev, helpers
):
    """The name resolves to the allowed 127.0.0.1 once per attempt; later lookups would give 127.0.0.2 (where nothing
    listens). The request reaches the receiver, so the connection used the checked address; Host names the host."""
    calls = []

    def answer():
        calls.append(1)
        return ["127.0.0.1"] if len(calls) == 1 else ["127.0.0.2"]

    dns.table["receiver.internal"] = answer
    h = service_factory(
        SPEC,
        NOTIFICATION_REMINDERS="false",
        NOTIFICATION_WEBHOOK_POLL_SECONDS="0.05",
        NOTIFICATION_WEBHOOK_ALLOWED_HOSTS="127.0.0.0/8",
    )
    created = _post(h, f"http://receiver.internal:{receiver.port}/kinerja/events", secret="receiver-shared-secret-2026")
    assert created.status_code == 201, created.get_json()
    calls.clear()
    h.start_worker()
    helpers.handle(h, ev.plan_approved())

    delivery, _ = _one_delivery(h, helpers, created.get_json()["id"])
    assert delivery["status"] == "delivered", delivery
    [request] = receiver.requests
    assert request["verified"] and request["headers"]["Host"] == f"receiver.internal:{receiver.port}"
    assert len(calls) == 1


def test_a_failed_attempt_tells_the_admin_what_failed_without_exception_names_or_os_text(
    service_factory, receiver, ev, helpers
):
    """Found by the hostile run: last_error read "URLError: <urlopen error [Errno 111] Connection refused>".
    Now a class of failure; the exception itself goes to the worker's log only."""
    import socket

    with socket.socket() as s:  # a loopback port nobody listens on (loopback is allowed explicitly here)
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    h = service_factory(
        SPEC,
        NOTIFICATION_REMINDERS="false",
        NOTIFICATION_WEBHOOK_POLL_SECONDS="0.05",
        NOTIFICATION_WEBHOOK_BACKOFF_SECONDS="0.05",
        NOTIFICATION_WEBHOOK_MAX_ATTEMPTS="1",
        NOTIFICATION_WEBHOOK_ALLOWED_HOSTS="127.0.0.1",
    )
    created = _post(h, f"http://127.0.0.1:{closed}/kinerja/events")
    assert created.status_code == 201, created.get_json()
    h.start_worker()
    helpers.handle(h, ev.plan_approved())
    delivery, detail = _one_delivery(h, helpers, created.get_json()["id"])
    h.stop_workers()
    assert delivery["last_error"].startswith("connection refused"), delivery
    texts = [delivery["last_error"]] + [a["error"] for a in detail["attempt_log"]]
    for text in texts:
        assert "Error" not in text and "Errno" not in text and "urlopen" not in text, text
