"""Start, watch and stop the services' processes (``web`` and ``worker``) on one machine.

Used by the local runner (deploy/local/kinerja.py) and by the end-to-end tests, so both run
the system exactly the same way: ``<service> migrate``, then ``<service> web`` (gunicorn)
and ``<service> worker``, each in its own process group with its output in a log file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

SERVICES: dict[str, int] = {
    "plan-service": 8001,
    "activity-service": 8002,
    "evaluation-service": 8003,
    "notification-service": 8004,
}


@dataclass
class ManagedProcess:
    name: str  # "plan-service.web"
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen | None = field(default=None, repr=False)
    pid: int | None = None

    def start(self) -> ManagedProcess:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            self.argv,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        self.pid = self.proc.pid
        return self

    @property
    def alive(self) -> bool:
        if self.proc is not None:
            return self.proc.poll() is None
        return pid_alive(self.pid)

    def signal(self, sig: int) -> None:
        if self.pid is not None:
            try:
                os.killpg(self.pid, sig)
            except ProcessLookupError:
                pass

    def stop(self, timeout: float = 25.0) -> None:
        """SIGTERM the process group (graceful), then SIGKILL what is left after ``timeout``."""
        self.signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._group_alive():
            if self.proc is not None:
                self.proc.poll()
            time.sleep(0.1)
        if self._group_alive():
            self.signal(signal.SIGKILL)
        if self.proc is not None:
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass

    def kill(self) -> None:
        self.signal(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(timeout=10)

    def _group_alive(self) -> bool:
        if self.pid is None:
            return False
        if self.proc is not None and self.proc.poll() is None:
            return True
        try:
            os.killpg(self.pid, 0)
            return True
        except (ProcessLookupError, PermissionError):
            return False


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is not alive
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return True


def service_command(bin_dir: Path, service: str, *args: str) -> list[str]:
    return [str(bin_dir / service), *args]


def migrate(bin_dir: Path, service: str, env: dict[str, str], log_path: Path) -> None:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        result = subprocess.run(
            service_command(bin_dir, service, "migrate"), env=env, stdout=log, stderr=subprocess.STDOUT, timeout=300
        )
    if result.returncode != 0:
        raise RuntimeError(f"{service} migrate failed; see {log_path}")


def service_processes(
    bin_dir: Path, service: str, port: int, env: dict[str, str], log_dir: Path, host: str = "127.0.0.1"
) -> list[ManagedProcess]:
    return [
        ManagedProcess(
            f"{service}.web",
            service_command(bin_dir, service, "web", "--bind", f"{host}:{port}"),
            env,
            log_dir / f"{service}.web.log",
        ),
        ManagedProcess(
            f"{service}.worker", service_command(bin_dir, service, "worker"), env, log_dir / f"{service}.worker.log"
        ),
    ]


def wait_ready(base_url: str, timeout: float = 60.0, path: str = "/readyz") -> dict:
    """Poll ``base_url + path`` until it answers 200; return its JSON. Raise TimeoutError otherwise."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base_url + path, timeout=2) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}: {exc.read()[:300]!r}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.3)
    raise TimeoutError(f"{base_url}{path} not ready after {timeout}s: {last}")
