"""Webhook secrets are encrypted at rest (NOTIFICATION_WEBHOOK_SECRET_KEYS, Fernet), and the keys rotate."""

from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet, InvalidToken

from kinerja_shared.config import ConfigError, Settings
from kinerja_shared.migrations import upgrade
from notification_service import webhooks
from notification_service.cli import cli
from notification_service.config import NotifySettings
from notification_service.service import SPEC

ADMIN = "196501011990031001"
SECRET = "receiver-shared-secret-2026"  # the receiver fixture's (conftest)
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _with_keys(h, keys: str):
    """The same service with another NOTIFICATION_WEBHOOK_SECRET_KEYS (a restart with a new setting)."""
    h.settings = dataclasses.replace(h.settings, extra={**h.settings.extra, "NOTIFICATION_WEBHOOK_SECRET_KEYS": keys})
    return NotifySettings.from_settings(h.settings, {})


def _stored(h) -> list[dict]:
    return h.rows("SELECT * FROM webhook_subscriptions ORDER BY created_at")


def _register(h, url, secret=SECRET):
    created = h.client.post(
        "/api/v1/webhooks", headers=h.token(ADMIN, "admin"), json={"url": url, "event_types": ["*"], "secret": secret}
    )
    assert created.status_code == 201, created.get_json()
    return created


def test_the_secret_is_stored_encrypted_and_still_signs(service_factory, receiver, ev, helpers):
    h = service_factory(
        SPEC,
        NOTIFICATION_REMINDERS="false",
        NOTIFICATION_WEBHOOK_SECRET_KEYS=OLD,
        NOTIFICATION_WEBHOOK_ALLOWED_HOSTS="127.0.0.1",
    )
    created = _register(h, receiver.url)
    assert created.get_json()["secret"] == SECRET and created.get_json()["secret_hint"] == "…2026"
    [row] = _stored(h)
    assert SECRET not in repr(row)  # nowhere in the row in clear
    assert Fernet(OLD.encode()).decrypt(row["secret"].encode()).decode() == SECRET

    # Rotated over the API: the new secret is stored encrypted too, and deliveries are signed with it.
    etag = created.headers["ETag"]
    patched = h.client.patch(
        f"/api/v1/webhooks/{row['id']}",
        headers={**h.token(ADMIN, "admin"), "If-Match": etag},
        json={"secret": "rotated-secret-0000"},
    )
    assert patched.status_code == 200 and patched.get_json()["secret_hint"] == "…0000"
    [row] = _stored(h)
    assert "rotated-secret" not in repr(row)
    assert Fernet(OLD.encode()).decrypt(row["secret"].encode()) == b"rotated-secret-0000"
    h.client.patch(
        f"/api/v1/webhooks/{row['id']}",
        headers={**h.token(ADMIN, "admin"), "If-Match": patched.headers["ETag"]},
        json={"secret": SECRET},
    )
    helpers.handle(h, ev.plan_approved())
    assert webhooks.deliver_due(h.engine, NotifySettings.from_settings(h.settings, {})) == 1
    [request] = receiver.requests
    assert request["verified"]


def test_key_rotation_old_keys_still_decrypt_and_the_command_re_encrypts(service_factory, receiver, ev, helpers):
    h = service_factory(
        SPEC,
        NOTIFICATION_REMINDERS="false",
        NOTIFICATION_WEBHOOK_SECRET_KEYS=OLD,
        NOTIFICATION_WEBHOOK_ALLOWED_HOSTS="127.0.0.1",
    )
    _register(h, receiver.url)
    _register(h, receiver.url + "/second", secret="second-secret-0123456789")

    # 1. a new key first, the old one still listed: stored secrets still sign deliveries
    cfg = _with_keys(h, f"{NEW},{OLD}")
    helpers.handle(h, ev.plan_approved())
    assert webhooks.deliver_due(h.engine, cfg) == 2
    # signed with each subscription's own secret: the receiver knows only the first one's
    assert sorted(r["verified"] for r in receiver.requests) == [False, True]

    # 2. the command re-encrypts every stored secret with the newest key
    env = {
        "KINERJA_ENV": "test",
        "DATABASE_URL": h.settings.database_url,
        "NOTIFICATION_WEBHOOK_SECRET_KEYS": f"{NEW},{OLD}",
        "KAFKA_BOOTSTRAP_SERVERS": h.settings.kafka_bootstrap_servers,
    }
    helped = CliRunner().invoke(cli, ["rotate-webhook-secrets", "--help"], env=env)
    assert helped.exit_code == 0 and "NOTIFICATION_WEBHOOK_SECRET_KEYS" in helped.output
    result = CliRunner().invoke(cli, ["rotate-webhook-secrets"], env=env)
    assert result.exit_code == 0, result.output
    assert "2" in result.output
    stored = [r["secret"] for r in _stored(h)]
    assert sorted(Fernet(NEW.encode()).decrypt(s.encode()).decode() for s in stored) == sorted(
        [SECRET, "second-secret-0123456789"]
    )
    with pytest.raises(InvalidToken):
        Fernet(OLD.encode()).decrypt(stored[0].encode())

    # 3. the old key can go: deliveries are signed as before
    cfg = _with_keys(h, NEW)
    helpers.handle(h, ev.evaluation_closed())
    assert webhooks.deliver_due(h.engine, cfg) == 2
    assert sorted(
        r["verified"] for r in receiver.requests if r["headers"]["X-Kinerja-Event-Type"] == "EvaluationClosed"
    ) == [False, True]


def test_a_secret_no_key_can_read_fails_the_attempt_with_the_reason(service_factory, receiver, ev, helpers):
    h = service_factory(
        SPEC,
        NOTIFICATION_REMINDERS="false",
        NOTIFICATION_WEBHOOK_SECRET_KEYS=OLD,
        NOTIFICATION_WEBHOOK_ALLOWED_HOSTS="127.0.0.1",
    )
    sub = _register(h, receiver.url).get_json()
    helpers.handle(h, ev.plan_approved())
    assert webhooks.deliver_due(h.engine, _with_keys(h, NEW)) == 1  # the old key was dropped too early
    [delivery] = h.client.get(f"/api/v1/webhooks/{sub['id']}/deliveries", headers=h.token(ADMIN, "admin")).get_json()[
        "items"
    ]
    assert delivery["status"] == "failed" and delivery["attempts"] == 1
    assert "NOTIFICATION_WEBHOOK_SECRET_KEYS" in delivery["last_error"]
    assert receiver.requests == []
    # the list and the read still answer (the hint is stored apart from the secret)
    assert (
        h.client.get(f"/api/v1/webhooks/{sub['id']}", headers=h.token(ADMIN, "admin")).get_json()["secret_hint"]
        == "…2026"
    )


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_the_migration_encrypts_the_secrets_stored_in_clear(backend, new_database, kafka_bootstrap, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import text

    from kinerja_shared.db import make_engine
    from kinerja_shared.testing.plugin import base_env
    from notification_service.models import metadata

    url = f"sqlite:///{tmp_path / 'n.db'}" if backend == "sqlite" else new_database("notification-service")
    settings = Settings.from_env(
        SPEC.name, base_env(kafka_bootstrap, "tmig.", url, NOTIFICATION_WEBHOOK_SECRET_KEYS=OLD)
    )
    upgrade(SPEC, settings, "0001")
    engine = make_engine(settings.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO webhook_subscriptions (id, url, event_types, secret, status, consecutive_failures, "
                    "created_by, "
                    "version, created_at, updated_at) VALUES ('s1', 'https://x.go.id/h', '[\"*\"]', "
                    "'plain-old-secret-4242', "
                    "'active', 0, 'admin', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
        upgrade(SPEC, settings)
        with engine.connect() as conn:
            [row] = conn.execute(text("SELECT secret, secret_hint FROM webhook_subscriptions")).all()
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    finally:
        engine.dispose()
    assert row.secret != "plain-old-secret-4242" and row.secret_hint == "4242"
    assert Fernet(OLD.encode()).decrypt(row.secret.encode()) == b"plain-old-secret-4242"
    assert diff == []  # the migrations build exactly the models


PRODUCTION = {"KINERJA_ENV": "production", "JWT_JWKS_URL": "https://sso.binjaikota.go.id/jwks"}


@pytest.mark.parametrize(
    "environ, fragment",
    [
        ({"NOTIFICATION_WEBHOOK_SECRET_KEYS": "not-a-key"}, "key 1 is not a Fernet key"),
        ({"NOTIFICATION_WEBHOOK_SECRET_KEYS": f"{NEW},short"}, "key 2 is not a Fernet key"),
        (PRODUCTION, "is required when KINERJA_ENV=production"),
        ({**PRODUCTION, "NOTIFICATION_WEBHOOK_SECRET_KEYS": "@dev"}, "development key"),
    ],
)
def test_a_bad_or_missing_key_stops_the_start(environ, fragment):
    from notification_service.secretbox import DEV_WEBHOOK_SECRET_KEY

    env = {k: DEV_WEBHOOK_SECRET_KEY if v == "@dev" else v for k, v in environ.items()}
    with pytest.raises(ConfigError, match="NOTIFICATION_WEBHOOK_SECRET_KEYS") as raised:
        NotifySettings.from_settings(Settings.from_env(SPEC.name, env), {})
    assert fragment in str(raised.value)
    assert "Fernet.generate_key" in str(raised.value)  # says how to make one


def test_development_has_a_marked_default_key_and_production_refuses_it():
    from notification_service.secretbox import DEV_WEBHOOK_SECRET_KEY

    cfg = NotifySettings.from_settings(Settings.from_env(SPEC.name, {}), {})
    assert cfg.webhook_secrets.uses_development_key
    assert DEV_WEBHOOK_SECRET_KEY not in repr(cfg) and OLD not in repr(
        NotifySettings.from_settings(Settings.from_env(SPEC.name, {}), {"NOTIFICATION_WEBHOOK_SECRET_KEYS": OLD})
    )
