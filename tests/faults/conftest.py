"""The fault suite's own servers and system: a 3-node KRaft cluster (replication factor 3,
min.insync.replicas 2, producers acks=all), PostgreSQL for plan-, evaluation- and
notification-service, a second PostgreSQL that is activity-service's alone (so stopping it is
"one service's database down"), and the four services as real processes.

It never uses KAFKA_BOOTSTRAP_SERVERS / DATABASE_URL: it must kill brokers and stop a database.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from kinerja_shared.testing.servers import ServerUnavailable, start_local_kafka, start_local_postgres

from ..e2e.conftest import System
from .checks import Ledger

REPO_ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = Path(__file__).resolve().parent / "results"
DEDICATED_DB = "activity-service"  # the service whose PostgreSQL the suite stops


@pytest.fixture(scope="module")
def cluster():
    """Three combined broker+controller nodes; every node sets RF 3 and min.insync.replicas 2."""
    try:
        control = start_local_kafka(REPO_ROOT, nodes=3)
    except ServerUnavailable as exc:
        pytest.fail(f"the fault suite needs a 3-node Kafka cluster from deploy/kafka/kafka.sh: {exc}")
    try:
        yield control
    finally:
        control.stop(grace=2)  # thrown away with its data (a graceful stop of all three waits 30 s)
        shutil.rmtree(control.data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def databases():
    """The suite's two PostgreSQL servers: "shared" (plan, evaluation, notification) and activity-service's own."""
    servers = {"shared": start_local_postgres()}
    try:
        servers[DEDICATED_DB] = start_local_postgres()
        yield servers
    finally:
        for pg in servers.values():
            try:
                pg.stop()
            except Exception:  # noqa: BLE001 - stopped already (a failed fault test)
                pass
            shutil.rmtree(pg.data_dir.parent, ignore_errors=True)


@pytest.fixture(scope="module")
def fault_system(cluster, databases):
    urls: dict[str, str] = {}

    def new_database(service: str) -> str:
        pg = databases[DEDICATED_DB if service == DEDICATED_DB else "shared"]
        name = f"f_{service.replace('-', '_')}_{uuid.uuid4().hex[:8]}"
        admin = create_engine(pg.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        urls[service] = pg.url.rsplit("/", 1)[0] + "/" + name
        return urls[service]

    log_dir = Path(tempfile.mkdtemp(prefix="kinerja-faults-logs-"))
    system = System(
        cluster.bootstrap,
        new_database,
        log_dir,
        KAFKA_REPLICATION_FACTOR="3",  # topics the workers create: RF 3, min.insync.replicas 2
        GUNICORN_TIMEOUT="10",  # a hung worker is replaced sooner than in production
        IDEMPOTENCY_LEASE_SECONDS="15",  # a claim left by a dead request is taken over after 15 s (> GUNICORN_TIMEOUT)
    )
    system.database_urls = urls
    system.databases = databases
    system.cluster = cluster
    try:
        yield system
    finally:
        system.stop()


@pytest.fixture(scope="module")
def ledger(fault_system, request):
    """Counts across the suite, written to tests/faults/results/last-run.json at the end."""
    book = Ledger(fault_system)
    yield book
    RESULTS_DIR.mkdir(exist_ok=True)
    report = book.report()
    (RESULTS_DIR / "last-run.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    print("\n[faults] " + json.dumps(report, sort_keys=True))
    if request.session.testsfailed or os.environ.get("FAULTS_KEEP_LOGS") == "1":
        print(f"[faults] the processes' logs are in {fault_system.log_dir}")
    else:
        shutil.rmtree(fault_system.log_dir, ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """Without KINERJA_FAULTS=all (``make faults``), only the faults_quick test of this suite runs."""
    if os.environ.get("KINERJA_FAULTS") == "all":
        return
    here = Path(__file__).resolve().parent
    skipped = [
        i for i in items if here in Path(str(i.path)).resolve().parents and i.get_closest_marker("faults_quick") is None
    ]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = [i for i in items if i not in skipped]
