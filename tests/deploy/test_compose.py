"""The single-host compose file (deploy/compose/compose.yaml), checked without a Docker engine."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import yaml

from . import project

INIT_SQL = project.ROOT / "deploy" / "compose" / "postgres" / "init.sql"
HOST_OVERLAY = project.COMPOSE.parent / "compose.host.yaml"
HEALTHCHECK = ["CMD", "python", "-m", "kinerja_shared.healthcheck"]  # kinerja_shared/healthcheck.py


@pytest.fixture(scope="module")
def services() -> dict:
    return project.compose()["services"]


def kafka_version() -> str:
    pom = (project.ROOT / "deploy" / "kafka" / "pom.xml").read_text()
    return re.search(r"<kafka\.version>([^<]+)</kafka\.version>", pom).group(1)


def tmpfs_paths(container: dict) -> set[str]:
    return {mount.split(":", 1)[0] for mount in container.get("tmpfs", [])}


def depends(service: dict) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: "service_started" for name in deps}
    return {name: spec.get("condition", "service_started") for name, spec in deps.items()}


def test_kafka_runs_in_kraft_mode_with_the_tested_version(services):
    kafka = services["kafka"]
    assert kafka["image"] == f"apache/kafka:{kafka_version()}", "the same Kafka as deploy/kafka/ and the tests"
    env = project.compose_environment(kafka)
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert not any("ZOOKEEPER" in name for name in env)
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", env["CLUSTER_ID"]), "22 characters of URL-safe base64"
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"].startswith(env["KAFKA_NODE_ID"] + "@")
    assert env["KAFKA_ADVERTISED_LISTENERS"] == "PLAINTEXT://kafka:9092"
    for name in (
        "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR",
        "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR",
        "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR",
    ):
        assert env[name] == "1", f"{name}: a single broker"
    assert env["KAFKA_LOG_RETENTION_MS"] == "-1", "read models are rebuilt from the topics: keep the events"
    assert any(v.endswith(":" + env["KAFKA_LOG_DIRS"]) for v in kafka["volumes"]), "the log dirs on a volume"
    assert kafka["healthcheck"]["test"]


def test_postgres_has_one_database_and_role_per_service(services):
    postgres = services["postgres"]
    assert postgres["image"].startswith("postgres:")
    major = int(postgres["image"].split(":")[1].split(".")[0].split("-")[0])
    assert major >= 15, "init.sql uses psql's \\getenv (PostgreSQL 15+)"
    assert any(v.startswith("./postgres/init.sql:/docker-entrypoint-initdb.d/") for v in postgres["volumes"])
    assert "pg_isready" in postgres["healthcheck"]["test"]
    sql = INIT_SQL.read_text()
    env = project.compose_environment(postgres)
    for variable in re.findall(r"\\getenv \w+ (\w+)", sql):
        assert env.get(variable), f"init.sql reads {variable}; pass it to the postgres container"
    for service in project.SERVICES:
        url = urlsplit(project.compose_environment(services[f"{service}-web"])["DATABASE_URL"])
        database = url.path.lstrip("/")
        assert url.hostname == "postgres"
        assert re.search(rf"CREATE DATABASE {database} OWNER {url.username}\b", sql), (
            f"{service}: its database and role"
        )
        assert re.search(rf"CREATE ROLE {url.username} LOGIN PASSWORD", sql)
        assert re.search(rf"REVOKE ALL ON DATABASE {database} FROM PUBLIC", sql), "no service reads another's database"


@pytest.mark.parametrize("service", list(project.SERVICES))
def test_each_service_runs_migrate_then_web_and_worker(services, service):
    port = project.SERVICES[service]
    migrate, web, worker = (services[f"{service}-{p}"] for p in ("migrate", "web", "worker"))
    assert migrate["command"] == ["migrate"]
    assert web["command"] == ["web"]
    assert worker["command"] == ["worker"]
    images = {migrate["image"], web["image"], worker["image"]}
    assert len(images) == 1, "web, worker and migrate run one image"
    for process in (migrate, web, worker):
        assert process["build"]["dockerfile"] == "services/Dockerfile"
        assert process["build"]["args"] == {"SERVICE": service}, "the one Dockerfile, for this service"
        context = (project.COMPOSE.parent / process["build"]["context"]).resolve()
        assert context == project.ROOT, "the images are built from the repository root"
        assert (context / process["build"]["dockerfile"]).is_file()
    assert migrate.get("restart", "no") == "no"
    assert depends(migrate) == {"postgres": "service_healthy"}
    for process in (web, worker):
        assert depends(process)[f"{service}-migrate"] == "service_completed_successfully"
    assert depends(worker)["kafka"] == "service_healthy"
    assert [p.rsplit(":", 2)[-2:] for p in web["ports"]] == [[str(port), str(port)]]
    assert web["healthcheck"]["test"] == HEALTHCHECK, "the image's check: /healthz at PORT, else the service's port"
    assert worker["healthcheck"] == {"disable": True}, "the image's HTTP health check does not fit the worker"
    assert migrate["healthcheck"] == {"disable": True}


@pytest.mark.parametrize("service", list(project.SERVICES))
def test_service_containers_are_read_only_and_drop_capabilities(services, service):
    for process in ("migrate", "web", "worker"):
        container = services[f"{service}-{process}"]
        assert container["read_only"] is True
        assert {"/tmp", "/app/metrics"} <= tmpfs_paths(container)
        assert all(mount.endswith(":uid=10001,gid=10001") for mount in container["tmpfs"]), "owned by the image's user"
        assert container["cap_drop"] == ["ALL"]
        assert "user" not in container, "the image's non-root user"


def test_every_variable_in_the_compose_file_is_a_setting(services):
    known = project.known_variables()
    for name, container in services.items():
        if name in ("postgres", "kafka"):
            continue
        unknown = set(project.compose_environment(container)) - known
        assert not unknown, f"{name} sets {sorted(unknown)}, which no Kinerja process reads"


@pytest.mark.parametrize("service", list(project.SERVICES))
@pytest.mark.parametrize(
    "environ",
    [
        {},
        {
            "KINERJA_ENV": "production",
            "JWT_JWKS_URL": "https://sso.example.go.id/certs",
            "POSTGRES_PASSWORD": "x",
            "NOTIFICATION_WEBHOOK_SECRET_KEYS": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAwMDA=",
        },
    ],
    ids=["defaults", "production"],
)
def test_every_process_starts_with_the_compose_configuration(service, environ):
    services = project.compose(environ)["services"]
    for process in ("migrate", "web", "worker"):
        env = project.compose_environment(services[f"{service}-{process}"])
        for required in ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "KINERJA_ENV"):
            assert env.get(required), f"{service}-{process}: {required} is not set"
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        settings = project.validate_service_settings(service, env)
        assert settings.database_url.startswith("postgresql+psycopg://")
        assert settings.environment == (environ.get("KINERJA_ENV") or "development")


@pytest.mark.parametrize(
    "service, setting",
    [("activity-service", "ACTIVITY_EVIDENCE_DIR"), ("evaluation-service", "EVALUATION_EVIDENCE_DIR")],
)
def test_uploaded_evidence_is_on_a_volume(services, service, setting):
    web = services[f"{service}-web"]
    directory = project.compose_environment(web)[setting]
    mounts = [v.split(":")[1] for v in web.get("volumes", [])]
    assert any(directory == m or directory.startswith(m.rstrip("/") + "/") for m in mounts)


# Keys of the Compose Specification (compose-spec.json) this file may use: a misspelt key
# (`healthckeck`, `depend_on`) is otherwise silently ignored by tools that do not validate.
SERVICE_KEYS = {
    "annotations",
    "attach",
    "build",
    "cap_add",
    "cap_drop",
    "cgroup",
    "command",
    "configs",
    "container_name",
    "cpus",
    "depends_on",
    "deploy",
    "develop",
    "devices",
    "dns",
    "entrypoint",
    "env_file",
    "environment",
    "expose",
    "extends",
    "extra_hosts",
    "group_add",
    "healthcheck",
    "hostname",
    "image",
    "init",
    "labels",
    "logging",
    "mem_limit",
    "mem_reservation",
    "network_mode",
    "networks",
    "pid",
    "platform",
    "ports",
    "post_start",
    "pre_stop",
    "privileged",
    "profiles",
    "pull_policy",
    "read_only",
    "restart",
    "scale",
    "secrets",
    "security_opt",
    "shm_size",
    "stop_grace_period",
    "stop_signal",
    "sysctls",
    "tmpfs",
    "tty",
    "ulimits",
    "user",
    "volumes",
    "working_dir",
}
HEALTHCHECK_KEYS = {"disable", "interval", "retries", "test", "timeout", "start_period", "start_interval"}
BUILD_KEYS = {
    "context",
    "dockerfile",
    "args",
    "target",
    "labels",
    "cache_from",
    "cache_to",
    "tags",
    "platforms",
    "pull",
}


def test_only_compose_specification_keys():
    model = project.compose()
    assert set(model) - {"name", "services", "volumes", "networks", "secrets", "configs"} <= {
        k for k in model if k.startswith("x-")
    }
    for name, service in model["services"].items():
        assert set(service) <= SERVICE_KEYS, f"{name}: {sorted(set(service) - SERVICE_KEYS)}"
        assert set(service.get("healthcheck", {})) <= HEALTHCHECK_KEYS, name
        assert set(service.get("build", {})) <= BUILD_KEYS, name
        assert set(depends(service).values()) <= {
            "service_started",
            "service_healthy",
            "service_completed_successfully",
        }
        for dependency in depends(service):
            assert dependency in model["services"], f"{name} depends on unknown {dependency}"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            assert source.startswith(".") or source in model["volumes"], f"{name}: volume {source} is not declared"


# -- the gateway ---------------------------------------------------------------------------------


def test_the_gateway_fronts_the_four_web_services(services):
    gateway = services["gateway"]
    assert gateway["build"]["dockerfile"] == "deploy/gateway/Dockerfile"
    assert (project.COMPOSE.parent / gateway["build"]["context"]).resolve() == project.ROOT
    assert gateway["ports"] == ["127.0.0.1:8000:8000"], "the console on port 8000, published on KINERJA_BIND_ADDRESS"
    assert project.compose({"KINERJA_BIND_ADDRESS": "0.0.0.0"})["services"]["gateway"]["ports"] == ["0.0.0.0:8000:8000"]
    env = project.compose_environment(gateway)
    assert set(env) == project.gateway_variables(), "every upstream of deploy/gateway/nginx.conf, and nothing else"
    for service, port in project.SERVICES.items():
        host, _, upstream_port = env[f"{project.short(service).upper()}_SERVICE_UPSTREAM"].partition(":")
        web = services[host]
        assert host == f"{service}-web" and web["command"] == ["web"], f"{service}: the upstream is its web container"
        assert upstream_port == str(port) and web["healthcheck"]["test"] == HEALTHCHECK
        assert depends(gateway)[host] == "service_healthy", "nginx resolves the upstream names once, at start"
    rendered = project.render_gateway_template(env)
    upstreams = re.findall(r"upstream (\w+)_service\s*\{\s*server ([^;]+);", rendered)
    assert {name: server for name, server in upstreams} == {
        project.short(s).replace("-", "_"): f"{s}-web:{p}" for s, p in project.SERVICES.items()
    }
    assert "${" not in rendered.split("\nupstream", 1)[1]
    assert "8000/healthz" in " ".join(gateway["healthcheck"]["test"])


def test_the_gateway_container_is_read_only_and_drops_capabilities(services):
    gateway = services["gateway"]
    assert gateway["read_only"] is True
    assert {"/tmp", "/etc/nginx/conf.d"} <= tmpfs_paths(gateway), "nginx's pid and temp files, the rendered template"
    assert all(mount.endswith(":uid=101,gid=101") for mount in gateway["tmpfs"]), "owned by the image's user"
    assert gateway["cap_drop"] == ["ALL"]
    assert "no-new-privileges:true" in gateway["security_opt"]
    assert "user" not in gateway, "the image's non-root user"


# -- images named by variables, and the host-network overlay the tests run (tests/images) -------------


def test_postgres_and_kafka_images_are_variables_with_the_official_images_by_default(services):
    assert services["postgres"]["image"] == "postgres:17"
    assert services["kafka"]["image"] == f"apache/kafka:{kafka_version()}"
    other = project.compose(
        {"POSTGRES_IMAGE": "kinerja-local/postgres:15", "KAFKA_IMAGE": "kinerja-local/kafka:x", "IMAGE_TAG": "abc123"}
    )["services"]
    assert (
        other["postgres"]["image"] == "kinerja-local/postgres:15" and other["kafka"]["image"] == "kinerja-local/kafka:x"
    )
    assert {other[f"{s}-web"]["image"] for s in project.SERVICES} == {f"kinerja/{s}:abc123" for s in project.SERVICES}


def test_the_host_overlay_puts_every_container_on_the_host_network_on_the_ports_it_is_given():
    overlay = project.interpolate(yaml.safe_load(HOST_OVERLAY.read_text(encoding="utf-8")), HOST_PORTS)["services"]
    model = project.compose()["services"]
    assert set(overlay) == set(model), "every container of compose.yaml, and nothing else"
    assert all(container["network_mode"] == "host" for container in overlay.values())
    bootstrap = f"127.0.0.1:{HOST_PORTS['KAFKA_PORT']}"
    for service in project.SERVICES:
        for process in ("migrate", "web", "worker"):
            env = project.compose_environment(overlay[f"{service}-{process}"])
            assert env["KAFKA_BOOTSTRAP_SERVERS"] == bootstrap
            assert urlsplit(env["DATABASE_URL"]).port == int(HOST_PORTS["POSTGRES_PORT"])
            base = urlsplit(project.compose_environment(model[f"{service}-{process}"])["DATABASE_URL"])
            assert (
                urlsplit(env["DATABASE_URL"]).path == base.path
                and urlsplit(env["DATABASE_URL"]).username == base.username
            )
            assert env["PORT"] == HOST_PORTS[service.upper().replace("-", "_") + "_PORT"]
    gateway = project.compose_environment(overlay["gateway"])
    assert set(gateway) == project.gateway_variables()
    kafka = project.compose_environment(overlay["kafka"])
    assert kafka["KAFKA_ADVERTISED_LISTENERS"] == f"PLAINTEXT://{bootstrap}"
    assert project.compose_environment(overlay["postgres"])["PGPORT"] == HOST_PORTS["POSTGRES_PORT"]


def test_the_host_overlay_needs_every_port_it_uses():
    with pytest.raises(ValueError, match="KAFKA_PORT"):
        project.interpolate(yaml.safe_load(HOST_OVERLAY.read_text(encoding="utf-8")), {})


HOST_PORTS = {
    "POSTGRES_PORT": "15432",
    "KAFKA_PORT": "19092",
    "KAFKA_CONTROLLER_PORT": "19093",
    **{s.upper().replace("-", "_") + "_PORT": str(20000 + p) for s, p in project.SERVICES.items()},
}
