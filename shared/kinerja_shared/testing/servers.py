"""Start or find the servers the tests need: Apache Kafka (KRaft) and PostgreSQL."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = (
    "Tests need a real Kafka broker and PostgreSQL. Either set KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL, "
    "or install Java 17+ and Maven (Debian: apt-get install openjdk-17-jre-headless maven) and PostgreSQL "
    "(apt-get install postgresql) so the harness starts them itself, or run a Docker engine for testcontainers."
)


class ServerUnavailable(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def docker_available() -> bool:
    if not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except Exception:
        return False


# -- Kafka -----------------------------------------------------------------------------------


@dataclass
class KafkaControl:
    """A broker (or cluster) this harness started; tests may stop and restart it."""

    script: Path
    data_dir: Path
    port: int
    nodes: int = 1
    bootstrap: str = ""

    def _run(self, *args: str, timeout: float = 300, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            ["bash", str(self.script), *args, "--dir", str(self.data_dir)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
        if result.returncode != 0:
            raise ServerUnavailable(
                f"kafka.sh {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result.stdout

    def start(self) -> str:
        out = self._run("start", "--nodes", str(self.nodes), "--port", str(self.port))
        for line in reversed(out.strip().splitlines()):
            if line.startswith("KAFKA_BOOTSTRAP_SERVERS="):
                self.bootstrap = line.split("=", 1)[1].strip()
                return self.bootstrap
        raise ServerUnavailable(f"kafka.sh start printed no KAFKA_BOOTSTRAP_SERVERS line:\n{out[-2000:]}")

    def stop(self, grace: int | None = None) -> None:
        """SIGTERM every node, SIGKILL what is left after ``grace`` seconds (kafka.sh's KAFKA_STOP_TIMEOUT,
        30 by default). A cluster thrown away with its data gets a short grace: three KRaft nodes stopped
        together lose their quorum and wait out the whole grace for it (31.8 s of the fault suite's teardown)."""
        self._run("stop", env=None if grace is None else {**os.environ, "KAFKA_STOP_TIMEOUT": str(grace)})

    def kill_node(self, node: int) -> None:
        self._run("kill-node", str(node))

    def start_node(self, node: int) -> None:
        self._run("start-node", str(node))


def start_local_kafka(repo_root: Path, nodes: int = 1) -> KafkaControl:
    script = repo_root / "deploy" / "kafka" / "kafka.sh"
    if not script.exists():
        raise ServerUnavailable(f"{script} is missing")
    if not shutil.which("java"):
        raise ServerUnavailable("java is not on PATH. " + INSTALL_HINT)
    data_dir = Path(tempfile.mkdtemp(prefix="kinerja-kafka-"))
    control = KafkaControl(script=script, data_dir=data_dir, port=_free_port_block(nodes), nodes=nodes)
    control.start()
    return control


def _free_port_block(nodes: int) -> int:
    """A base port P with P..P+nodes-1 and P+100..P+100+nodes-1 free."""
    for _ in range(50):
        base = free_port()
        if base > 65000:
            continue
        ports = [base + i for i in range(nodes)] + [base + 100 + i for i in range(nodes)]
        if all(_port_free(p) for p in ports):
            return base
    raise ServerUnavailable("no free port block for Kafka")


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


# -- PostgreSQL ------------------------------------------------------------------------------


@dataclass
class LocalPostgres:
    data_dir: Path
    port: int
    run_as: list[str]
    bindir: Path

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def stop(self, remove: bool = False) -> None:
        """Stop the server; ``remove`` deletes its temporary cluster too (a fault test stops and starts it again)."""
        self._pg_ctl("stop", "-m", "fast", "-w")
        if remove and self.data_dir.parent.name.startswith("kinerja-pg-"):
            shutil.rmtree(self.data_dir.parent, ignore_errors=True)

    def start(self) -> None:
        self._pg_ctl("start", "-w", "-l", str(self.data_dir / "server.log"))


def _pg_bindir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return candidates[0].parent if candidates else None


def start_local_postgres(settings: dict[str, str] | None = None) -> LocalPostgres:
    """initdb and start a throwaway PostgreSQL (no fsync: test data) on a free port; ``settings`` are
    appended to its postgresql.conf (e.g. the bench's ``shared_buffers``)."""
    bindir = _pg_bindir()
    if bindir is None:
        raise ServerUnavailable("PostgreSQL's initdb was not found. " + INSTALL_HINT)
    base = Path(tempfile.mkdtemp(prefix="kinerja-pg-"))
    data_dir = base / "data"
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: use the postgres system user
        run_as = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres")
        os.chmod(base, 0o755)
    subprocess.run(
        [
            *run_as,
            str(bindir / "initdb"),
            "-D",
            str(data_dir),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = free_port()
    with (
        open(data_dir / "postgresql.conf", "a") if not run_as else _append_as_root(data_dir / "postgresql.conf") as conf
    ):
        conf.write(
            f"\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{base}'\n"
            "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 300\n"
            + "".join(f"{key} = '{value}'\n" for key, value in (settings or {}).items())
        )
    pg = LocalPostgres(data_dir=data_dir, port=port, run_as=run_as, bindir=bindir)
    pg.start()
    return pg


def _append_as_root(path: Path):
    return open(path, "a")


def wait_port(host: str, port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise ServerUnavailable(f"{host}:{port} did not open within {timeout}s")
