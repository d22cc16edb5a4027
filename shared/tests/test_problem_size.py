"""Issue 14 (found by the hostile run): a refusal's size does not grow with the junk it refuses.

A body of 20,000 unknown keys (about 280 KB) was answered by a 422 listing every one of them (1.4 MB); at the body
limit (12 MB) such an answer took a gunicorn worker past its timeout, which killed it (a 500). The problem lists
the first errors and says how many there were in all.
"""

from __future__ import annotations

import json

NIP = "199001012015011003"


def test_a_refusal_lists_a_bounded_number_of_field_errors_and_counts_them_all(probe):
    junk = "{" + ",".join(f'"k{i}":{i}' for i in range(20_000)) + "}"
    r = probe.client.post("/api/v1/notes", data=junk, headers={**probe.token(NIP), "Content-Type": "application/json"})
    assert r.status_code == 422 and r.content_type == "application/problem+json"
    body = json.loads(r.data)
    assert 10 <= len(body["errors"]) <= 100, len(body["errors"])
    assert body["errors"][0]["field"].startswith("k") or body["errors"][0]["field"] in ("nip", "text")
    assert body["errors_total"] >= 20_000  # every unknown key counted (and any missing field)
    assert len(r.data) < 20_000


def test_a_refusal_with_few_errors_lists_them_all(probe):
    r = probe.client.post("/api/v1/notes", json={"nip": "12", "extra": 1}, headers=probe.token(NIP))
    body = r.get_json()
    assert r.status_code == 422 and {e["field"] for e in body["errors"]} == {"nip", "text", "extra"}
    assert "errors_total" not in body
