"""docs/operations.md stays true to the code: every setting with its default, the ports, the
commands, the read models and the Kafka tools it tells operators to use."""

from __future__ import annotations

import importlib
import re
import zipfile

import pytest

from kinerja_shared.config import Settings

from . import project


@pytest.fixture(scope="module")
def guide() -> str:
    return project.OPERATIONS.read_text(encoding="utf-8")


def table_rows(text: str) -> dict[str, list[str]]:
    """`NAME` (first cell of a table row, several as `A` / `B`) -> the row's other cells."""
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cells[0]):
            rows.setdefault(name, cells[1:])
    return rows


def plain(cell: str) -> str:
    return re.sub(r"\s+", " ", cell.replace("`", "")).strip()


def test_every_setting_is_in_the_guide(guide):
    rows = table_rows(guide)
    missing = {name: sorted(files) for name, files in project.settings_in_sources().items() if name not in rows}
    assert not missing, f"settings read by the code but missing from the tables of docs/operations.md: {missing}"


def test_common_defaults_match_the_code(guide):
    rows = table_rows(guide)
    defaults = Settings.from_env("plan-service", {})
    fields = {
        "KINERJA_ENV": "environment",
        "KAFKA_BOOTSTRAP_SERVERS": "kafka_bootstrap_servers",
        "KAFKA_TOPIC_PARTITIONS": "kafka_topic_partitions",
        "KAFKA_REPLICATION_FACTOR": "kafka_replication_factor",
        "KAFKA_CLIENT_TIMEOUT_MS": "kafka_client_timeout_ms",
        "JWT_LEEWAY_SECONDS": "jwt_leeway_seconds",
        "KINERJA_TIMEZONE": "timezone",
        "LOG_LEVEL": "log_level",
        "VALIDATE_EVENTS": "validate_events",
        "OUTBOX_RELAY_BATCH_SIZE": "relay_batch_size",
        "OUTBOX_RELAY_POLL_INTERVAL_MS": "relay_poll_interval_ms",
        "CONSUMER_MAX_RETRIES": "consumer_max_retries",
        "CONSUMER_RETRY_BACKOFF_MS": "consumer_retry_backoff_ms",
        "EVALUATION_PERIOD_SCHEME": "period_scheme",
        "JWT_JWKS_CACHE_SECONDS": "jwt_jwks_cache_seconds",
        "JWT_JWKS_REFRESH_SECONDS": "jwt_jwks_refresh_seconds",
        "JWT_NIP_CLAIM": "jwt_nip_claim",
        "JWT_NAME_CLAIM": "jwt_name_claim",
        "JWT_UNIT_CLAIM": "jwt_unit_claim",
        "JWT_ROLES_CLAIM": "jwt_roles_claim",
    }
    for name, attribute in fields.items():
        value = getattr(defaults, attribute)
        expected = str(value).lower() if isinstance(value, bool) else str(value)
        assert plain(rows[name][0]) == expected, f"{name}: the guide says {rows[name][0]!r}, the code {expected!r}"
    assert "var/plan-service.db" in defaults.database_url and "sqlite:///var/<service>.db" in rows["DATABASE_URL"][0]


def test_gunicorn_defaults_match_the_code(guide, monkeypatch):
    rows = table_rows(guide)
    for name in ("GUNICORN_TIMEOUT", "GUNICORN_GRACEFUL_TIMEOUT", "GUNICORN_MAX_REQUESTS", "GUNICORN_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    config = importlib.reload(importlib.import_module("kinerja_shared.gunicorn_config"))
    for name, value in [
        ("GUNICORN_TIMEOUT", config.timeout),
        ("GUNICORN_GRACEFUL_TIMEOUT", config.graceful_timeout),
        ("GUNICORN_MAX_REQUESTS", config.max_requests),
        ("GUNICORN_ACCESS_LOG", config.accesslog),
    ]:
        assert plain(rows[name][0]) == str(value), name


def test_service_defaults_match_the_services_config_modules(guide):
    rows = table_rows(guide)
    for name, default in project.config_module_tables().items():
        assert name in rows, f"{name} is missing from docs/operations.md"
        assert plain(rows[name][0]) == plain(default), (
            f"{name}: the guide says {rows[name][0]!r}, the module {default!r}"
        )


def test_ports(guide):
    rows = {
        plain(line.split("|")[1]): plain(line.split("|")[2])
        for line in guide.splitlines()
        if line.startswith("| `") and line.count("|") >= 4
    }
    for service, port in project.SERVICES.items():
        assert rows.get(f"{service} web") == str(port), f"the Ports table: {service} web on {port}"


def test_the_commands_exist(guide):
    for service in project.SERVICES:
        cli = importlib.import_module(f"{project.package(service)}.cli").cli
        assert {"migrate", "web", "worker", "topics", "dlq", "check-config"} <= set(cli.commands)
        assert {"list", "replay"} <= set(cli.commands["dlq"].commands)
        replay = {p.opts[0] for p in cli.commands["dlq"].commands["replay"].params if p.opts}
        assert {"--topic", "--limit"} <= replay
    for command in ("dlq list", "dlq replay", "check-config", "migrate", "topics"):
        assert f"<service> {command}" in guide
    for service in project.SERVICES:
        cli = importlib.import_module(f"{project.package(service)}.cli").cli
        assert ("rebuild-read-models" in cli.commands) == bool(project.spec(service).read_models), service
    assert "<service> rebuild-read-models" in guide


def test_the_read_model_rebuild_names_real_tables_groups_and_topics(guide):
    section = guide.split("## Rebuild a read model", 1)[1].split("\n## ", 1)[0]
    for service in project.SERVICES:
        spec = project.spec(service)
        row = next((line for line in section.splitlines() if line.startswith(f"| {service} |")), None)
        if not spec.handlers:
            assert row is None
            continue
        assert row, f"the rebuild table has no row for {service}"
        _, group, topics, tables = [c.strip() for c in row.strip("|").split("|")]
        assert plain(group) == spec.consumer_group
        assert set(re.findall(r"`([^`]+)`", topics)) == set(spec.consumes)
        names = re.findall(r"`([^`]+)`", tables)
        assert names and set(names) <= set(spec.metadata.tables), f"{service}: {names}"
        assert set(names) == set(spec.read_models), (
            f"{service}: the guide's tables are not what rebuild-read-models empties"
        )
        assert set(names).isdisjoint({"outbox", "processed_events", "idempotency_keys", "audit_log"})
        statements = [set(re.findall(r"[a-z_]+", m)) for m in re.findall(r"TRUNCATE ([a-z_, ]+);", section)]
        assert set(names) in statements, f"{service}: no `TRUNCATE {', '.join(names)};` in the rebuild steps"
        assert f"DELETE FROM processed_events WHERE consumer_group = '{spec.consumer_group}';" in section


def test_the_kafka_tools_named_in_the_guide_exist(guide):
    classes = set(re.findall(r"org\.apache\.kafka\.tools\.[A-Za-z.]+[A-Za-z]", guide))
    assert "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand" in classes
    jars = list((project.ROOT / "deploy" / "kafka" / "lib").glob("kafka-tools-*.jar"))
    if not jars:
        pytest.skip("the Kafka jars are not fetched (deploy/kafka/kafka.sh fetch)")
    with zipfile.ZipFile(jars[0]) as jar:
        names = set(jar.namelist())
    for name in classes:
        assert name.replace(".", "/") + ".class" in names, f"{name} is not in {jars[0].name}"


def test_the_gateway_settings_and_port_are_in_the_guide(guide):
    rows = table_rows(guide)
    image_env = project.dockerfile_env(project.final_stage_of(project.GATEWAY_DOCKERFILE))
    for name in project.gateway_variables():
        assert name in rows, f"{name} (deploy/gateway/nginx.conf) is missing from the tables of docs/operations.md"
    first = f"{project.short(next(iter(project.SERVICES))).upper()}_SERVICE_UPSTREAM"
    assert image_env[first] in plain(rows[first][0]), "the guide gives the image's default upstream"
    gateway_row = next(line for line in guide.splitlines() if line.startswith("| gateway"))
    assert plain(gateway_row.split("|")[2]) == "8000"
    for needle in ("deploy/gateway/Dockerfile", "gateway-web-config", "/usr/share/kinerja/web/config.js"):
        assert needle in guide, f"docs/operations.md does not mention {needle}"
