"""deploy/compose/compose.yaml run for real with the images built from this repository.

The stack runs on the host's network (compose.host.yaml, free ports: traffic stays on the loopback
addresses) with the local Debian-based images and the stand-ins for PostgreSQL and Kafka. It must
turn healthy, run its migrations, carry an activity's event to evaluation- and notification-service,
lose nothing across a restart of a consumer's container, and leave nothing behind when it goes down.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
import requests
import yaml
from sqlalchemy import create_engine, text

from kinerja_shared.auth import mint_token
from kinerja_shared.config import Settings
from kinerja_shared.processes import SERVICES
from kinerja_shared.testing import wait_for
from kinerja_shared.testing.servers import free_port

from ..deploy import project
from ..e2e.flow import Org, ok
from .conftest import compose_command

# The first build from nothing takes minutes (the Debian base, pip, apt); later ones hit Docker's cache.
pytestmark = pytest.mark.timeout(1800)

HOST_OVERLAY = project.COMPOSE.parent / "compose.host.yaml"
GATEWAY_PORT = 8000  # deploy/gateway/nginx.conf listens there


def port_variable(service: str) -> str:
    return service.upper().replace("-", "_") + "_PORT"


class Stack:
    """One compose project: `up`, the containers' state, HTTP calls through the gateway, `down`."""

    def __init__(self, images, folder: Path):
        build, built, tag = images
        self.project = f"kinerjatest{uuid.uuid4().hex[:8]}"
        # compose.yaml is read from a copy with two keys less, for Debian's docker-compose (1.29): the
        # top-level `name`, which it does not know (the project name is given with -p), and the
        # published `ports`, which it cannot drop when compose.host.yaml puts a container on the host's
        # network (nothing is published there). Relative paths stay relative to deploy/compose
        # (--project-directory).
        model = yaml.safe_load(project.COMPOSE.read_text(encoding="utf-8"))
        model.pop("name", None)
        for container in model["services"].values():
            container.pop("ports", None)
        self.compose_file = folder / "compose.yaml"
        self.compose_file.write_text(yaml.safe_dump(model, sort_keys=False), encoding="utf-8")
        self.ports = {service: free_port() for service in SERVICES}
        self.postgres_port, self.kafka_port, self.controller_port = free_port(), free_port(), free_port()
        self.secret = secrets.token_urlsafe(32)
        self.env = {
            **os.environ,
            "IMAGE_REGISTRY": "kinerja",
            "IMAGE_TAG": tag,
            "POSTGRES_IMAGE": build.LOCAL_POSTGRES,
            "KAFKA_IMAGE": build.local_kafka_image(),
            "POSTGRES_PORT": str(self.postgres_port),
            "KAFKA_PORT": str(self.kafka_port),
            "KAFKA_CONTROLLER_PORT": str(self.controller_port),
            **{port_variable(s): str(p) for s, p in self.ports.items()},
            "KINERJA_ENV": "development",
            "JWT_SECRET": self.secret,
            "POSTGRES_PASSWORD": "postgres-test",
            "EVALUATION_PERIOD_SCHEME": "monthly",
        }
        self.settings = Settings.from_env("plan-service", {"KINERJA_ENV": "development", "JWT_SECRET": self.secret})

    # -- compose --------------------------------------------------------------------------------
    def compose(self, *args: str, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess:
        argv = [
            *compose_command(),
            "-p",
            self.project,
            "--project-directory",
            str(project.COMPOSE.parent),
            "-f",
            str(self.compose_file),
            "-f",
            str(HOST_OVERLAY),
            *args,
        ]
        result = subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=timeout, cwd=project.ROOT)
        if check:
            assert result.returncode == 0, (
                f"{' '.join(args)}: exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result

    def containers(self, all_states: bool = True) -> dict[str, dict]:
        """compose service name -> `docker inspect` of its container."""
        ids = docker(
            "ps", "-q", *(["-a"] if all_states else []), "--filter", f"label=com.docker.compose.project={self.project}"
        ).split()
        if not ids:
            return {}
        return {c["Config"]["Labels"]["com.docker.compose.service"]: c for c in json.loads(docker("inspect", *ids))}

    def logs(self) -> str:
        return self.compose("logs", "--no-color", "--tail", "40", check=False).stdout[-20000:]

    # -- the API, through the gateway, as tests/e2e/flow.py's Org expects ----------------------------
    def headers(self, nip: str, *roles: str, unit: str | None = None, **extra) -> dict:
        token = mint_token(self.settings, sub=nip, roles=list(roles) or ["employee"], unit=unit)
        return {"Authorization": f"Bearer {token}", **extra}

    def call(self, method: str, service: str, path: str, who: dict, **kwargs) -> requests.Response:
        return requests.request(method, f"http://127.0.0.1:{GATEWAY_PORT}{path}", headers=who, timeout=30, **kwargs)

    def database(self, service: str):
        return create_engine(
            f"postgresql+psycopg://postgres:postgres-test@127.0.0.1:{self.postgres_port}/"
            f"kinerja_{service.removesuffix('-service')}"
        )


def docker(*args: str) -> str:
    result = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"docker {' '.join(args)}: {result.stderr}"
    return result.stdout


def leftovers(project_name: str) -> dict[str, list[str]]:
    label = f"label=com.docker.compose.project={project_name}"
    return {
        kind: docker(*command, "--filter", label).split()
        for kind, command in {
            "containers": ("ps", "-aq"),
            "volumes": ("volume", "ls", "-q"),
            "networks": ("network", "ls", "-q"),
        }.items()
    }


def healthy(stack: Stack) -> dict | None:
    """Every container in its final state: a health check turned healthy, a migration exited 0, a worker runs."""
    containers = stack.containers()
    expected = set(project.compose()["services"])
    if set(containers) != expected:
        return None
    for name, c in containers.items():
        state = c["State"]
        if name.endswith("-migrate"):
            assert not (state["Status"] == "exited" and state["ExitCode"] != 0), f"{name} failed:\n{stack.logs()}"
            if state["Status"] != "exited":
                return None
        elif c["Config"].get("Healthcheck", {}).get("Test", ["NONE"])[0] != "NONE":
            assert state.get("Health", {}).get("Status") != "unhealthy", f"{name} is unhealthy:\n{stack.logs()}"
            if state.get("Health", {}).get("Status") != "healthy":
                return None
        elif state["Status"] != "running":
            assert state["Status"] != "exited", f"{name} exited:\n{stack.logs()}"
            return None
    return containers


@pytest.fixture(scope="module")
def stack(images):
    assert requests_refused(GATEWAY_PORT), f"port {GATEWAY_PORT} is in use: the gateway of the stack needs it"
    with tempfile.TemporaryDirectory(prefix="kinerja-compose.") as folder:
        stack = Stack(images, Path(folder))
        try:
            stack.compose("up", "-d", "--no-build")
            stack.started = wait_for(lambda: healthy(stack), timeout=900, interval=3, message="every container healthy")
            yield stack
        except BaseException:
            print(stack.logs())
            raise
        finally:
            stack.down = stack.compose("down", "--volumes", "--remove-orphans", "--timeout", "20", check=False)
            stack.left = leftovers(stack.project)


def requests_refused(port: int) -> bool:
    try:
        requests.get(f"http://127.0.0.1:{port}/", timeout=2)
    except requests.ConnectionError:
        return True
    return False


def test_images_run_as_non_root_users_with_health_checks(images):
    build, built, tag = images
    for key in built:
        kind, name = key.split(":", 1)
        if kind == "base":
            continue
        config = json.loads(docker("image", "inspect", name))[0]["Config"]
        user = (config.get("User") or "").split(":")[0]
        assert user and user not in ("root", "0"), f"{name} runs as {user or 'root'}"
        test = (config.get("Healthcheck") or {}).get("Test") or ["NONE"]
        assert test[0] != "NONE", f"{name} has no HEALTHCHECK"
    services = [name for key, name in ((k, k.split(":", 1)[1]) for k in built) if key.startswith("service:")]
    assert len(services) == len(SERVICES) and any(k.startswith("gateway:") for k in built)


def test_the_stack_turns_healthy_carries_an_activity_and_survives_a_restart(stack):
    containers = stack.started
    # Migrations ran as compose runs them: each service's one-shot `migrate` container, exit 0, at head.
    for service in SERVICES:
        migrate = containers[f"{service}-migrate"]
        assert migrate["State"]["ExitCode"] == 0 and migrate["Config"]["Cmd"] == ["migrate"]
        with stack.database(service).connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
        # The processes run as the image's user, not root.
        web = containers[f"{service}-web"]
        assert docker("exec", web["Id"], "id", "-u").strip() == "10001"

    # A small directory seeded through the API (the gateway routes to plan-service), a plan approved.
    org = Org(stack, 301)
    plan = org.approved_plan()
    indicator = plan["results"][0]["indicators"][0]["indicator_id"]
    org.wait_indicator(indicator, timeout=120)
    first = org.log_activity(indicator, hour=8)

    def processed(activity_id: str):
        """(times evaluation-service processed the activity's ActivityLogged, times notification-service did),
        read from their inboxes (processed_events), once the event left activity-service's outbox."""
        with stack.database("activity-service").connect() as conn:
            event_id = conn.execute(
                text(
                    "SELECT event_id FROM outbox WHERE event_type = 'ActivityLogged' AND status = 'published'"
                    " AND payload LIKE :id"
                ),
                {"id": f"%{activity_id}%"},
            ).scalar()
        if event_id is None:
            return None
        counts = []
        for service in ("evaluation-service", "notification-service"):
            with stack.database(service).connect() as conn:
                counts.append(
                    conn.execute(
                        text("SELECT count(*) FROM processed_events WHERE event_id = :e"), {"e": event_id}
                    ).scalar()
                )
        return tuple(counts)

    def consumed(activity_id: str):
        counts = processed(activity_id)
        return counts if counts and all(counts) else None

    assert wait_for(lambda: consumed(first["id"]), timeout=120, message="ActivityLogged consumed") == (1, 1)
    with stack.database("evaluation-service").connect() as conn:  # the activity fact in evaluation's read model
        assert conn.execute(text("SELECT count(*) FROM activities WHERE id = :id"), {"id": first["id"]}).scalar() == 1
    digest = wait_for(
        lambda: [n for n in org.inbox(org.as_rater) if n["cause_event_type"] == "ActivityLogged"],
        timeout=60,
        message="the rater's notification of the logged activity",
    )
    assert len(digest) == 1, "one item per day for the rater, counting the entries"

    # notification-service's worker goes down; an activity is logged meanwhile; it comes back.
    stack.compose("stop", "notification-service-worker")
    second = org.log_activity(indicator, hour=10)
    assert wait_for(
        lambda: processed(second["id"]) == (1, 0),
        timeout=120,
        message="evaluation-service to take the event while notification-service's worker is down",
    )
    stack.compose("start", "notification-service-worker")
    assert wait_for(lambda: consumed(second["id"]), timeout=120, message="the event logged while it was down") == (1, 1)
    # Nothing lost or doubled: both events processed once by each consumer, the rater's one item of the day kept.
    assert consumed(first["id"]) == (1, 1)
    assert len([n for n in org.inbox(org.as_rater) if n["cause_event_type"] == "ActivityLogged"]) == 1
    assert (
        ok(stack.call("GET", "activity-service", f"/api/v1/activities/{first['id']}", org.as_employee))["id"]
        == first["id"]
    )


def test_down_leaves_nothing_behind(stack):
    """`down --volumes` removes every container, volume and network of the project (the last test here)."""
    before = leftovers(stack.project)
    assert before["containers"] and before["volumes"], before
    stack.compose("down", "--volumes", "--remove-orphans", "--timeout", "20")
    assert leftovers(stack.project) == {"containers": [], "volumes": [], "networks": []}
