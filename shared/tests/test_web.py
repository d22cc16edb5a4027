"""The Flask layer every service shares, over HTTP against PostgreSQL: errors, auth,
Idempotency-Key, correlation ids, health, metrics and the OpenAPI document."""

import hashlib
import json
from datetime import timedelta

import jwt
from sqlalchemy import select

from kinerja_shared.db import AUDIT_LOG, IDEMPOTENCY_KEYS, make_engine, utcnow
from kinerja_shared.web.app_factory import create_service_app

NIP = "199001012015011001"


def test_no_token_is_401_problem_json(probe):
    r = probe.client.post("/api/v1/notes", json={"nip": NIP, "text": "x"})
    assert r.status_code == 401
    assert r.content_type == "application/problem+json"
    assert r.json["status"] == 401 and "Bearer" in r.json["detail"]
    assert r.headers["WWW-Authenticate"].startswith("Bearer")


def test_unsigned_and_expired_tokens_are_401(probe):
    unsigned = jwt.encode({"sub": NIP, "roles": ["admin"], "exp": 9999999999}, None, algorithm="none")
    r = probe.client.get("/api/v1/audit", headers={"Authorization": f"Bearer {unsigned}"})
    assert r.status_code == 401
    expired = jwt.encode({"sub": NIP, "roles": ["admin"], "exp": 1}, probe.settings.jwt_secret, algorithm="HS256")
    r = probe.client.get("/api/v1/audit", headers={"Authorization": f"Bearer {expired}"})
    assert r.status_code == 401 and "expired" in r.json["detail"]


def test_validation_errors_name_every_field(probe):
    r = probe.client.post("/api/v1/notes", json={"nip": "12", "extra": 1}, headers=probe.token(NIP))
    assert r.status_code == 422 and r.content_type == "application/problem+json"
    fields = {e["field"]: e["message"] for e in r.json["errors"]}
    assert fields["nip"] == "must be 18 digits"
    assert "required" in fields["text"].lower()
    assert "extra" in fields


def test_malformed_json_body_is_a_4xx_not_a_500(probe):
    r = probe.client.post(
        "/api/v1/notes", data="{not json", headers={**probe.token(NIP), "Content-Type": "application/json"}
    )
    assert 400 <= r.status_code < 500 and r.content_type == "application/problem+json"


def test_nul_characters_and_over_long_strings_in_a_json_body_are_422_naming_the_field(probe):
    """However the JSON is written (escaped NUL, UTF-16, a NUL in a key), the guard names the field."""
    h = {**probe.token(NIP), "Content-Type": "application/json"}
    escaped = probe.client.post("/api/v1/notes", data='{"nip": "%s", "text": "a\\u0000b"}' % NIP, headers=h)
    assert escaped.status_code == 422 and [e["field"] for e in escaped.json["errors"]] == ["text"]
    utf16 = json.dumps({"nip": NIP, "text": "a\u0000b"}).encode("utf-16")
    refused = probe.client.post("/api/v1/notes", data=utf16, headers=h)
    assert refused.status_code == 422 and [e["field"] for e in refused.json["errors"]] == ["text"]
    in_key = probe.client.post(
        "/api/v1/notes", json={"nip": NIP, "text": "x", "ex\u0000tra": 1}, headers=probe.token(NIP)
    )
    assert in_key.status_code in (400, 422) and "\x00" not in json.dumps(in_key.json)
    long = probe.client.post("/api/v1/notes", json={"nip": NIP, "text": "x" * 70000}, headers=probe.token(NIP))
    assert long.status_code == 422 and long.json["errors"][0]["field"] == "text"
    assert "longer than 65536" in long.json["errors"][0]["message"]


def test_a_multipart_part_without_a_name_is_a_4xx_not_a_500(probe):
    """Found by fuzzing: werkzeug gives a nameless form part the name None; the input guard must cope."""
    body = b"--XX\r\nContent-Disposition: form-data\r\n\r\n{}\r\n--XX--\r\n"
    r = probe.client.post(
        "/api/v1/notes", data=body, headers={**probe.token(NIP), "Content-Type": "multipart/form-data; boundary=XX"}
    )
    assert 400 <= r.status_code < 500 and r.content_type == "application/problem+json"


def test_domain_conflict_carries_extension_members(probe):
    r = probe.client.post("/api/v1/notes", json={"nip": NIP, "text": "conflict"}, headers=probe.token(NIP))
    assert r.status_code == 409 and r.json["current_status"] == "closed"


def test_a_bug_is_a_500_problem_without_a_stack_trace(probe):
    r = probe.client.post("/api/v1/notes", json={"nip": NIP, "text": "boom"}, headers=probe.token(NIP))
    assert r.status_code == 500 and r.content_type == "application/problem+json"
    assert "secret stack trace" not in r.get_data(as_text=True) and "Traceback" not in r.get_data(as_text=True)
    assert r.json["correlation_id"]


def test_unknown_route_is_404_problem(probe):
    r = probe.client.get("/api/v1/nothing-here", headers=probe.token(NIP))
    assert r.status_code == 404 and r.content_type == "application/problem+json"


def test_idempotency_key_replays_the_first_response_with_no_second_effect(probe):
    headers = {**probe.token(NIP), "Idempotency-Key": "mobile-retry-1"}
    first = probe.client.post("/api/v1/notes", json={"nip": NIP, "text": "sekali"}, headers=headers)
    second = probe.client.post("/api/v1/notes", json={"nip": NIP, "text": "sekali"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json == first.json and second.headers["Idempotent-Replayed"] == "true"
    assert probe.scalar("select count(*) from notes") == 1
    assert len(probe.outbox()) == 1


def test_idempotency_key_is_scoped_to_the_caller(probe):
    body = {"nip": NIP, "text": "scoped"}
    probe.client.post("/api/v1/notes", json=body, headers={**probe.token(NIP), "Idempotency-Key": "k"})
    other = probe.client.post(
        "/api/v1/notes", json=body, headers={**probe.token("198001012005011002"), "Idempotency-Key": "k"}
    )
    assert other.status_code == 201 and "Idempotent-Replayed" not in other.headers
    assert probe.scalar("select count(*) from notes") == 2


def test_idempotency_key_reused_for_another_body_is_422(probe):
    headers = {**probe.token(NIP), "Idempotency-Key": "k2"}
    probe.client.post("/api/v1/notes", json={"nip": NIP, "text": "a"}, headers=headers)
    r = probe.client.post("/api/v1/notes", json={"nip": NIP, "text": "b"}, headers=headers)
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "Idempotency-Key"


def test_a_failed_request_releases_its_idempotency_key(probe):
    headers = {**probe.token(NIP), "Idempotency-Key": "k3"}
    assert probe.client.post("/api/v1/notes", json={"nip": NIP, "text": "boom"}, headers=headers).status_code == 500
    assert probe.scalar("select count(*) from idempotency_keys") == 0


def test_correlation_id_goes_from_the_request_into_the_event_and_the_audit(probe):
    r = probe.client.post(
        "/api/v1/notes",
        json={"nip": NIP, "text": "trace"},
        headers={**probe.token(NIP), "X-Correlation-ID": "corr-123"},
    )
    assert r.headers["X-Correlation-ID"] == "corr-123"
    assert probe.outbox()[0]["correlationid"] == "corr-123"
    with probe.engine.connect() as conn:
        assert conn.execute(select(AUDIT_LOG.c.correlation_id)).scalar() == "corr-123"


def test_audit_is_readable_by_admins_and_only_own_entries_by_others(probe):
    probe.client.post("/api/v1/notes", json={"nip": NIP, "text": "audited"}, headers=probe.token(NIP))
    admin = probe.client.get("/api/v1/audit?entity_type=note", headers=probe.token("000000000000000001", "admin"))
    assert admin.status_code == 200 and admin.json["items"][0]["actor"] == NIP
    assert admin.json["items"][0]["after"]["text"] == "audited"
    other = probe.client.get("/api/v1/audit", headers=probe.token("198001012005011002", "supervisor"))
    assert other.status_code == 200 and other.json["items"] == []
    assert probe.client.get("/api/v1/audit?cursor=%%%", headers=probe.token(NIP)).status_code in (400, 422)


def test_audit_cannot_be_changed_through_the_api(probe):
    admin = probe.token("000000000000000001", "admin")
    for method in ("put", "patch", "delete", "post"):
        r = getattr(probe.client, method)("/api/v1/audit", headers=admin, json={})
        assert r.status_code == 405, method


def test_health_readiness_metrics_and_openapi(probe):
    assert probe.client.get("/healthz").json["status"] == "ok"
    ready = probe.client.get("/readyz")
    assert ready.status_code == 200 and ready.json["checks"] == {"database": "ok", "kafka": "ok"}
    probe.client.get("/api/v1/audit", headers=probe.token(NIP))
    assert b"kinerja_http_requests_total" in probe.client.get("/metrics").data
    spec = probe.client.get("/openapi.json").json
    assert (
        "/api/v1/notes" in spec["paths"] and spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    )
    assert probe.client.get("/docs").status_code == 200


def test_database_down_is_503_with_retry_after(probe):
    dead = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none")
    app = create_service_app(probe.spec, probe.settings, dead)
    r = app.test_client().post("/api/v1/notes", json={"nip": NIP, "text": "x"}, headers=probe.token(NIP))
    assert r.status_code == 503 and r.headers["Retry-After"] and r.content_type == "application/problem+json"
    assert app.test_client().get("/readyz").status_code == 503


def test_readiness_is_degraded_not_failed_when_only_kafka_is_down(probe):
    from dataclasses import replace

    app = create_service_app(probe.spec, replace(probe.settings, kafka_bootstrap_servers="127.0.0.1:1"), probe.engine)
    r = app.test_client().get("/readyz")
    assert r.status_code == 200 and r.json["status"] == "degraded"
    assert r.json["checks"]["database"] == "ok" and r.json["checks"]["kafka"].startswith("unavailable")


def test_an_abandoned_idempotency_claim_is_taken_over_after_the_lease(probe):
    """A claim left 'processing' by a request that died (web worker killed) does not block retries forever."""
    headers = {**probe.token(NIP), "Idempotency-Key": "died-mid-request"}
    body = {"nip": NIP, "text": "setelah crash"}
    row = dict(
        principal=NIP,
        idempotency_key="died-mid-request",
        method="POST",
        path="/api/v1/notes",
        fingerprint=hashlib.sha256(json.dumps(body).encode()).hexdigest(),
        state="processing",
    )
    with probe.engine.begin() as conn:
        conn.execute(IDEMPOTENCY_KEYS.insert().values(**row, created_at=utcnow()))
    busy = probe.client.post("/api/v1/notes", data=json.dumps(body), content_type="application/json", headers=headers)
    assert busy.status_code == 409 and busy.headers["Retry-After"]  # within the lease: the first may still run

    lease = probe.settings.idempotency_lease_seconds
    with probe.engine.begin() as conn:
        conn.execute(IDEMPOTENCY_KEYS.update().values(created_at=utcnow() - timedelta(seconds=lease + 1)))
    retried = probe.client.post(
        "/api/v1/notes", data=json.dumps(body), content_type="application/json", headers=headers
    )
    assert retried.status_code == 201 and probe.scalar("select count(*) from notes") == 1
    replay = probe.client.post("/api/v1/notes", data=json.dumps(body), content_type="application/json", headers=headers)
    assert replay.headers["Idempotent-Replayed"] == "true" and replay.json == retried.json


def test_database_lost_after_the_change_still_answers_not_500(probe):
    """The database goes away between the committed change and storing the Idempotency-Key answer."""
    app = create_service_app(probe.spec, probe.settings, probe.engine)
    runtime = app.extensions["kinerja"]

    @app.after_request  # runs before the app factory's own after_request (Flask calls them in reverse)
    def database_goes_away(response):
        runtime.engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none")
        return response

    headers = {**probe.token(NIP), "Idempotency-Key": "db-gone-after-commit"}
    r = app.test_client().post("/api/v1/notes", json={"nip": NIP, "text": "tersimpan"}, headers=headers)
    assert r.status_code == 201 and r.json["text"] == "tersimpan"
    assert probe.scalar("select count(*) from notes") == 1
