"""One service as real processes (``<service> migrate``, then gunicorn ``web`` and, optionally, ``worker``),
exactly as the local runner and the end-to-end tests start them; for the security tests that must see
what a real process does (its HTTP stack, its log lines)."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from kinerja_shared.processes import migrate, service_processes, wait_ready
from kinerja_shared.testing import stop_together
from kinerja_shared.testing.plugin import base_env
from kinerja_shared.testing.servers import free_port


class LiveService:
    def __init__(
        self, service: str, kafka_bootstrap: str, database_url: str, log_dir: Path, *, worker: bool = True, **env: str
    ):
        self.service = service
        self.prefix = f"sec{uuid.uuid4().hex[:6]}."
        self.env = base_env(kafka_bootstrap, self.prefix, database_url, WEB_CONCURRENCY="1", **env)
        self.log_dir = log_dir
        bin_dir = Path(sys.executable).parent
        migrate(bin_dir, service, self.env, log_dir / f"{service}.migrate.log")
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.processes = [
            p
            for p in service_processes(bin_dir, service, port, self.env, log_dir)
            if worker or not p.name.endswith(".worker")
        ]
        for process in self.processes:
            process.start()
        try:
            wait_ready(self.url, timeout=60)
        except Exception:
            self.stop()
            raise

    def log_lines(self) -> list[tuple[str, str]]:
        """(file name, line) of every log line this service's processes wrote, migration included."""
        return [
            (path.name, line)
            for path in sorted(self.log_dir.glob(f"{self.service}.*.log"))
            for line in path.read_text(errors="replace").splitlines()
        ]

    def stop(self) -> None:
        stop_together(self.processes)
