"""Issue 9, webhooks: signatures carry a timestamp and the receiver's check enforces a replay window.

Two receivers' checks are held to it: the reference implementation the service ships
(notification_service.webhooks.verify_signature) and the snippet services/notification-service/README.md
tells receivers to copy, executed here exactly as it is written there. The signatures are the service's own
(webhooks.sign, what the dispatcher sends).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from notification_service import webhooks

README = Path(__file__).resolve().parents[2] / "services" / "notification-service" / "README.md"
SECRET = "payroll-shared-secret-2026"
BODY = json.dumps(
    {
        "specversion": "1.0",
        "id": "5f0c",
        "type": "EvaluationClosed",
        "data": {"nip": "199001012015011003", "predicate": "BAIK"},
    }
).encode()


def readme_verify():
    """The `verify` function from the README's 'Verify in Python' block."""
    text = README.read_text()
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "def verify(" in b]
    assert len(blocks) == 1, "the README shows one Python verification snippet"
    namespace: dict = {}
    exec(compile(blocks[0], str(README), "exec"), namespace)  # noqa: S102 - the documented snippet itself
    return namespace["verify"]


def shipped_verify(secret, header, body, tolerance=webhooks.TOLERANCE_SECONDS):
    return webhooks.verify_signature(secret, header, body, tolerance=tolerance)


VERIFIERS = {"README snippet": readme_verify(), "verify_signature": shipped_verify}


@pytest.fixture(params=sorted(VERIFIERS))
def verify(request):
    return VERIFIERS[request.param]


def test_a_fresh_signature_from_the_service_is_accepted(verify):
    assert verify(SECRET, webhooks.sign(SECRET, int(time.time()), BODY), BODY)


def test_a_replayed_delivery_older_than_the_window_is_refused(verify):
    window = webhooks.TOLERANCE_SECONDS
    assert window <= 300, "the documented window is five minutes"
    assert verify(SECRET, webhooks.sign(SECRET, int(time.time()) - window + 5, BODY), BODY)
    assert not verify(SECRET, webhooks.sign(SECRET, int(time.time()) - window - 5, BODY), BODY)
    assert not verify(SECRET, webhooks.sign(SECRET, int(time.time()) - 86400, BODY), BODY)
    # Nor can a clock far ahead pre-sign deliveries for later.
    assert not verify(SECRET, webhooks.sign(SECRET, int(time.time()) + window + 5, BODY), BODY)


def test_an_old_signature_with_a_fresh_timestamp_pasted_in_is_refused(verify):
    """The timestamp is inside the MAC: refreshing `t` on a captured delivery breaks the signature."""
    old = webhooks.sign(SECRET, int(time.time()) - 3600, BODY)
    mac = old.split("v1=", 1)[1]
    assert not verify(SECRET, f"t={int(time.time())},v1={mac}", BODY)


def test_a_tampered_body_or_another_secret_is_refused(verify):
    header = webhooks.sign(SECRET, int(time.time()), BODY)
    tampered = BODY.replace(b'"BAIK"', b'"SANGAT_BAIK"')
    assert tampered != BODY
    assert not verify(SECRET, header, tampered)
    assert not verify(SECRET, header, BODY + b" ")
    assert not verify("another-secret-0000000000", header, BODY)


def test_the_shipped_verifier_refuses_malformed_headers():
    for header in ("", "v1=abc", "t=abc,v1=abc", "t=,v1=", f"t={int(time.time())}"):
        assert not webhooks.verify_signature(SECRET, header, BODY)
