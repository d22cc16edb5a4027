"""The whole system as real processes: 4 services x (gunicorn web + worker), real Kafka and
PostgreSQL, driven only through HTTP."""

from __future__ import annotations

import sys
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from kinerja_shared.auth import mint_token
from kinerja_shared.config import Settings
from kinerja_shared.processes import SERVICES, migrate, service_processes, wait_ready
from kinerja_shared.testing import stop_together
from kinerja_shared.testing.plugin import base_env
from kinerja_shared.testing.servers import free_port


class System:
    def __init__(self, kafka_bootstrap: str, new_database, log_dir: Path, **env: str):
        self.prefix = f"e2e{uuid.uuid4().hex[:6]}."
        self.kafka_bootstrap = kafka_bootstrap
        self.log_dir = log_dir
        self.urls: dict[str, str] = {}
        self.processes = {}
        self.settings = None
        bin_dir = Path(sys.executable).parent
        envs = {}
        self.database_urls: dict[str, str] = {}
        for service in SERVICES:
            self.database_urls[service] = new_database(service)
            envs[service] = base_env(
                kafka_bootstrap,
                self.prefix,
                self.database_urls[service],
                WEB_CONCURRENCY="2",
                LOG_LEVEL="INFO",
                CONSUMER_MAX_RETRIES="3",
                KAFKA_CLIENT_TIMEOUT_MS="5000",
                **env,
            )
            self.settings = self.settings or Settings.from_env(service, envs[service])
        with ThreadPoolExecutor(len(SERVICES)) as pool:  # the four migrations run side by side
            list(pool.map(lambda s: migrate(bin_dir, s, envs[s], log_dir / f"{s}.migrate.log"), SERVICES))
        for service, env in envs.items():
            port = free_port()
            for process in service_processes(bin_dir, service, port, env, log_dir):
                self.processes[process.name] = process.start()
            self.urls[service] = f"http://127.0.0.1:{port}"
        for url in self.urls.values():
            wait_ready(url, timeout=90)

    def url(self, service: str, path: str) -> str:
        return self.urls[service] + path

    def headers(self, nip: str, *roles: str, unit: str | None = None, **extra) -> dict:
        token = mint_token(self.settings, sub=nip, roles=list(roles) or ["employee"], unit=unit)
        return {"Authorization": f"Bearer {token}", **extra}

    def call(self, method: str, service: str, path: str, who: dict, **kwargs) -> requests.Response:
        return requests.request(method, self.url(service, path), headers=who, timeout=30, **kwargs)

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n" + p.log_path.read_text(errors="replace")[-3000:] for p in self.processes.values()
        )

    def stop(self) -> None:
        stop_together(self.processes.values())


@pytest.fixture(scope="session")
def system(kafka_bootstrap, new_database):
    log_dir = Path(tempfile.mkdtemp(prefix="kinerja-e2e-logs-"))
    system = System(kafka_bootstrap, new_database, log_dir)
    try:
        yield system
    finally:
        system.stop()
        alive = [p.name for p in system.processes.values() if p.alive]
        assert not alive, f"processes left behind: {alive}"
