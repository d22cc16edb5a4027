"""pytest fixtures for Kinerja: load with ``pytest_plugins = ["kinerja_shared.testing.plugin"]``.

- ``kafka_bootstrap`` / ``kafka_control``: a real broker (``kafka_control`` is None when the
  broker came from KAFKA_BOOTSTRAP_SERVERS and so cannot be stopped by tests).
- ``new_database(name)``: a fresh PostgreSQL database, returns its URL.
- ``service_factory(spec, **env)``: a ServiceHarness with a migrated database, settings on a
  topic prefix of its own (tests never see each other's events), a Flask test client, tokens
  and an in-process worker.
- ``kafka_tools``: produce raw records and read topics from the beginning.

Servers: KAFKA_BOOTSTRAP_SERVERS / DATABASE_URL when set, else a local broker and cluster started
here, else (a Docker engine answering) containers through testcontainers; KINERJA_TEST_SERVERS=docker
takes the containers always (testing/containers.py names the images).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from ..auth import mint_token
from ..config import Settings
from ..db import OUTBOX, make_engine
from ..migrations import upgrade
from . import containers, servers


def pytest_report_header(config):
    if containers.mode() == "docker":
        return [
            f"kinerja servers: containers through testcontainers (KINERJA_TEST_SERVERS=docker): "
            f"{containers.kafka_image()}, {containers.postgres_image()}"
        ]
    return []


def _docker_only() -> bool:
    """KINERJA_TEST_SERVERS=docker: Kafka and PostgreSQL from containers (testing/containers.py), whatever
    KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL say; without a Docker engine the session stops."""
    if containers.mode() != "docker":
        return False
    if not servers.docker_available():
        pytest.exit("KINERJA_TEST_SERVERS=docker but no Docker engine answers (docker info)", returncode=3)
    return True


@pytest.fixture(scope="session")
def _kafka(pytestconfig):
    if _docker_only():
        with containers.kafka_container() as bootstrap:
            yield bootstrap, None
        return
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield os.environ["KAFKA_BOOTSTRAP_SERVERS"], None
        return
    try:
        control = servers.start_local_kafka(Path(pytestconfig.rootpath))
    except servers.ServerUnavailable as local_error:
        if servers.docker_available():
            with containers.kafka_container() as bootstrap:
                yield bootstrap, None
            return
        pytest.exit(f"Cannot start Kafka: {local_error}\n{servers.INSTALL_HINT}", returncode=3)
    try:
        yield control.bootstrap, control
    finally:
        control.stop(grace=2)  # thrown away with its data
        shutil.rmtree(control.data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def kafka_bootstrap(_kafka) -> str:
    return _kafka[0]


@pytest.fixture(scope="session")
def kafka_control(_kafka):
    return _kafka[1]


@pytest.fixture(scope="session")
def pg_admin_url():
    if _docker_only():
        with containers.postgres_container() as url:
            yield url
        return
    url = os.environ.get("DATABASE_URL")
    if url:
        yield Settings.from_env("test", {"DATABASE_URL": url}).database_url
        return
    try:
        pg = servers.start_local_postgres()
    except (servers.ServerUnavailable, OSError, Exception) as local_error:  # noqa: BLE001
        if servers.docker_available():
            with containers.postgres_container() as url:
                yield url
            return
        pytest.exit(f"Cannot start PostgreSQL: {local_error}\n{servers.INSTALL_HINT}", returncode=3)
    try:
        yield pg.url
    finally:
        pg.stop(remove=True)


class DatabaseFactory:
    """``factory('plan')`` creates a fresh, empty database and returns its URL; ``drop(url)`` removes it.

    Every database still left is dropped when the session ends, so a run on a long-lived server
    (CI's cluster, a developer's) leaves nothing behind: a full run creates about a thousand, and
    kept they fill a small disk (a run left 4.7 GB in one cluster).
    """

    def __init__(self, admin_url: str):
        self.admin_url = admin_url
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def __call__(self, name: str) -> str:
        db = f"k_{name.replace('-', '_')}_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{db}"'))
        self.created.append(db)
        return self.admin_url.rsplit("/", 1)[0] + "/" + db

    def drop(self, url: str) -> None:
        db = url.rsplit("/", 1)[1].split("?", 1)[0]
        if db not in self.created:
            return
        self.created.remove(db)
        with self.admin.connect() as conn:  # FORCE: a worker thread's pooled connection must not keep it
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))

    def drop_all(self) -> None:
        for db in list(self.created):
            self.drop(f"/{db}")
        self.admin.dispose()


@pytest.fixture(scope="session")
def new_database(pg_admin_url):
    """A factory: new_database('plan') creates a fresh, empty database and returns its URL."""
    factory = DatabaseFactory(pg_admin_url)
    yield factory
    factory.drop_all()


def base_env(kafka_bootstrap: str, prefix: str, database_url: str, **overrides) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()}
    env.update(
        KINERJA_ENV="test",
        DATABASE_URL=database_url,
        KAFKA_BOOTSTRAP_SERVERS=kafka_bootstrap,
        KAFKA_TOPIC_PREFIX=prefix,
        KAFKA_TOPIC_PARTITIONS="3",
        CONSUMER_RETRY_BACKOFF_MS="50",
        CONSUMER_MAX_RETRIES="2",
        OUTBOX_RELAY_POLL_INTERVAL_MS="50",
        LOG_LEVEL="WARNING",
    )
    env.update({k: str(v) for k, v in overrides.items()})
    return env


class IntegratorClient:
    """Flask test clients that send ``Accept-Language: en``, as an integrator reading the English
    texts would (the services answer in Indonesian without it); a request's own header wins."""

    @staticmethod
    def install(app) -> None:
        from flask.testing import FlaskClient

        class EnglishClient(FlaskClient):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.environ_base.setdefault("HTTP_ACCEPT_LANGUAGE", "en")

        app.test_client_class = EnglishClient


def plain_client(app):
    """A test client with no default headers: the service's defaults (Indonesian texts)."""
    from flask.testing import FlaskClient

    return FlaskClient(app, app.response_class, use_cookies=True)


class ServiceHarness:
    """One service under test, in-process: its database, app, test client (``Accept-Language: en``,
    see IntegratorClient; ``plain_client(app)`` sends none) and worker."""

    def __init__(self, spec, settings: Settings):
        from ..web.app_factory import create_service_app

        self.spec = spec
        self.settings = settings
        self.engine = make_engine(settings.database_url)
        if spec.migrations_dir is None:  # a test-only service: no migration history
            spec.metadata.create_all(self.engine)
        else:
            upgrade(spec, settings)
        self.app = create_service_app(spec, settings, self.engine)
        IntegratorClient.install(self.app)
        self.client = self.app.test_client()
        self._stops: list[tuple[threading.Event, threading.Thread]] = []

    def token(self, sub: str, *roles: str, unit: str | None = None, name: str | None = None) -> dict[str, str]:
        return {
            "Authorization": "Bearer "
            + mint_token(self.settings, sub=sub, roles=list(roles) or ["employee"], unit=unit, name=name)
        }

    def if_match(self, url: str, headers: dict[str, str]) -> dict[str, str]:
        """``headers`` plus If-Match with the ETag of a GET of ``url`` by the same caller (the version a
        client editing the resource would hold), for requests that must send it."""
        response = self.client.get(url, headers=headers)
        assert "ETag" in response.headers, (url, response.status_code, response.get_json(silent=True))
        return {**headers, "If-Match": response.headers["ETag"]}

    def start_worker(self) -> threading.Thread:
        from ..worker import run_worker

        stop = threading.Event()
        thread = threading.Thread(
            target=run_worker, args=(self.spec, self.settings, stop), daemon=True, name=f"worker-{self.spec.name}"
        )
        thread.start()
        self._stops.append((stop, thread))
        return thread

    def stop_workers(self) -> None:
        for stop, _thread in self._stops:
            stop.set()
        for _stop, thread in self._stops:
            thread.join(timeout=30)
        self._stops.clear()

    def handle(self, *events: dict) -> list[str]:
        """Apply events through the service's handlers exactly as its consumer would (inbox, one
        transaction each, settings and service config in context), without Kafka."""
        from ..consumer import EventConsumer
        from ..events.envelope import Event, validate_event

        consumer = EventConsumer(
            self.settings,
            self.engine,
            group_id=self.spec.consumer_group,
            topics=[],
            handlers=self.spec.handlers,
            consumer_factory=None,
            producer_factory=None,
            service_config=self.spec.load_config(self.settings),
        )
        return [consumer.apply(Event(validate_event(e))) for e in events]

    def run_cli(self, *args: str) -> str:
        """Run the service's command line (``<service> ARGS``) on this harness's database and topics; its
        output (the command must succeed)."""
        import importlib

        from click.testing import CliRunner

        cli = importlib.import_module(f"{self.spec.package}.cli").cli
        env = {
            "DATABASE_URL": self.settings.database_url,
            "KAFKA_BOOTSTRAP_SERVERS": self.settings.kafka_bootstrap_servers,
            "KAFKA_TOPIC_PREFIX": self.settings.kafka_topic_prefix,
            "KINERJA_ENV": "test",
            "LOG_LEVEL": "WARNING",
        }
        result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    def outbox(self) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(OUTBOX.select().order_by(OUTBOX.c.id)).all()
        return [dict(json.loads(r.payload), _status=r.status) for r in rows]

    def scalar(self, sql: str, **params):
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def rows(self, sql: str, **params) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(text(sql), params)]

    def close(self) -> None:
        self.stop_workers()
        self.engine.dispose()


@pytest.fixture
def topic_prefix() -> str:
    return f"t{uuid.uuid4().hex[:8]}."


@pytest.fixture
def service_factory(kafka_bootstrap, new_database, topic_prefix):
    """service_factory(spec, **env_overrides) -> ServiceHarness sharing this test's topic prefix."""
    made: list[ServiceHarness] = []

    def make(spec, **overrides) -> ServiceHarness:
        env = base_env(kafka_bootstrap, topic_prefix, new_database(spec.name), **overrides)
        harness = ServiceHarness(spec, Settings.from_env(spec.name, env))
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.close()
        new_database.drop(harness.settings.database_url)


class KafkaTools:
    def __init__(self, bootstrap: str, prefix: str):
        self.bootstrap = bootstrap
        self.prefix = prefix

    def produce(self, topic: str, value, key: str | bytes | None = "000000000000000000", headers=None) -> None:
        """Put one raw record on ``prefix+topic`` (value: dict → JSON, str/bytes as given)."""
        from kafka import KafkaProducer

        if isinstance(value, dict):
            value = json.dumps(value).encode()
        elif isinstance(value, str):
            value = value.encode()
        if isinstance(key, str):
            key = key.encode()
        producer = KafkaProducer(bootstrap_servers=self.bootstrap.split(","))
        try:
            producer.send(self.prefix + topic, value=value, key=key, headers=headers or []).get(timeout=30)
        finally:
            producer.close(timeout=5)

    def read(self, topic: str, *, idle_seconds: float = 2.0, full_name: bool = False) -> list:
        """Every record on the topic from the beginning, until no record arrived for ``idle_seconds``."""
        import time

        from kafka import KafkaConsumer

        consumer = KafkaConsumer(
            topic if full_name else self.prefix + topic,
            bootstrap_servers=self.bootstrap.split(","),
            group_id=None,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        records, idle_since = [], time.monotonic()
        try:
            while time.monotonic() - idle_since < idle_seconds:
                batch = consumer.poll(timeout_ms=300)
                for recs in batch.values():
                    records.extend(recs)
                    idle_since = time.monotonic()
        finally:
            consumer.close()
        return records


@pytest.fixture
def kafka_tools(kafka_bootstrap, topic_prefix) -> KafkaTools:
    return KafkaTools(kafka_bootstrap, topic_prefix)
