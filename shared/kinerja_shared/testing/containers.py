"""Kafka and PostgreSQL for the tests from a Docker engine, through testcontainers.

The harness (plugin.py) uses these when the local servers cannot start and a Docker engine answers,
or always with ``KINERJA_TEST_SERVERS=docker``. The images: KINERJA_TEST_KAFKA_IMAGE (default the
official ``apache/kafka`` of deploy/kafka/pom.xml's version) and KINERJA_TEST_POSTGRES_IMAGE
(default ``postgres:17``); where no registry can be reached, the stand-ins that
``deploy/images/build.py --test-images`` builds from Debian's packages, which keep the same
environment contract. Containers run on the host's network on free ports, so every byte stays on
the loopback addresses; they are removed when the session ends. Ryuk, testcontainers' reaper, needs
an image of its own: set TESTCONTAINERS_RYUK_DISABLED=true where it cannot be pulled.
"""

from __future__ import annotations

import base64
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .servers import free_port

MODES = ("auto", "docker")


def mode() -> str:
    """KINERJA_TEST_SERVERS: ``auto`` (local servers, containers when they cannot start) or ``docker``."""
    value = (os.environ.get("KINERJA_TEST_SERVERS") or "auto").strip().lower()
    if value not in MODES:
        raise ValueError(f"KINERJA_TEST_SERVERS must be one of {', '.join(MODES)}, got {value!r}")
    return value


def kafka_image() -> str:
    if os.environ.get("KINERJA_TEST_KAFKA_IMAGE"):
        return os.environ["KINERJA_TEST_KAFKA_IMAGE"]
    pom = Path(__file__).resolve().parents[3] / "deploy" / "kafka" / "pom.xml"
    version = (
        re.search(r"<kafka\.version>([^<]+)</kafka\.version>", pom.read_text(encoding="utf-8")).group(1)
        if pom.is_file()
        else "4.3.1"
    )
    return f"apache/kafka:{version}"


def postgres_image() -> str:
    return os.environ.get("KINERJA_TEST_POSTGRES_IMAGE") or "postgres:17"


@contextmanager
def kafka_container() -> Iterator[str]:
    """A one-node KRaft broker set up as deploy/kafka/kafka.sh sets up the tests' local one (topics
    created on first use, three partitions); yields its bootstrap address (127.0.0.1:<port>)."""
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.wait_strategies import LogMessageWaitStrategy

    port, controller = free_port(), free_port()
    cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
    container = DockerContainer(kafka_image()).with_kwargs(network_mode="host")
    for name, value in {
        "CLUSTER_ID": cluster_id,
        "KAFKA_NODE_ID": "1",
        "KAFKA_PROCESS_ROLES": "broker,controller",
        "KAFKA_LISTENERS": f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller}",
        "KAFKA_ADVERTISED_LISTENERS": f"PLAINTEXT://127.0.0.1:{port}",
        "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "KAFKA_CONTROLLER_LISTENER_NAMES": "CONTROLLER",
        "KAFKA_INTER_BROKER_LISTENER_NAME": "PLAINTEXT",
        "KAFKA_CONTROLLER_QUORUM_VOTERS": f"1@127.0.0.1:{controller}",
        "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR": "1",
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR": "1",
        "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR": "1",
        "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR": "1",
        "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR": "1",
        "KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS": "0",
        "KAFKA_AUTO_CREATE_TOPICS_ENABLE": "true",
        "KAFKA_HEAP_OPTS": "-Xms128m -Xmx512m",
        "KAFKA_LOG_DIRS": "/var/lib/kafka/data",
        "KAFKA_NUM_PARTITIONS": "3",
    }.items():
        container.with_env(name, value)
    container.waiting_for(LogMessageWaitStrategy("Kafka Server started").with_startup_timeout(180))
    with container:  # removed at the end, also when it never turned ready
        yield f"127.0.0.1:{port}"


@contextmanager
def postgres_container() -> Iterator[str]:
    """A PostgreSQL server; yields the superuser's URL (postgresql+psycopg://...@127.0.0.1:<port>/postgres)."""
    from testcontainers.community.postgres import PostgresContainer

    port = free_port()
    container = PostgresContainer(
        postgres_image(), username="postgres", password="postgres", dbname="postgres", driver="psycopg"
    )
    # PGPORT moves the server (and psql, in testcontainers' readiness check) off 5432 on the host's network.
    container.with_env("PGPORT", str(port)).with_kwargs(network_mode="host")
    container.ports.clear()  # nothing to publish on the host's network (the Docker API refuses both together)
    container.with_command(["postgres", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "max_connections=300"])
    with container:  # removed at the end, also when it never turned ready
        yield f"postgresql+psycopg://postgres:postgres@127.0.0.1:{port}/postgres"
