"""The images (services/<name>-service/Dockerfile) and the gunicorn settings they run with,
checked without a Docker engine."""
from __future__ import annotations

import fnmatch
import importlib
import json
import multiprocessing
import re
import shlex

import pytest

from . import project


def instructions(service: str) -> list[tuple[int, str, str]]:
    """(stage index, INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    lines, current = [], ""
    for raw in (project.ROOT / "services" / service / "Dockerfile").read_text().splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append(current + stripped)
        current = ""
    out, stage = [], -1
    for line in lines:
        word, _, rest = line.partition(" ")
        if word.upper() == "FROM":
            stage += 1
        out.append((stage, word.upper(), rest.strip()))
    return out


def final_stage(service: str) -> list[tuple[str, str]]:
    steps = instructions(service)
    last = max(stage for stage, _, _ in steps)
    return [(word, rest) for stage, word, rest in steps if stage == last]


def exec_form(rest: str) -> list[str]:
    value = json.loads(rest)
    assert isinstance(value, list), f"use the exec (JSON) form: {rest}"
    return value


def env_of(steps) -> dict[str, str]:
    env = {}
    for word, rest in steps:
        if word == "ENV":
            for item in shlex.split(rest):
                name, _, value = item.partition("=")
                env[name] = value
    return env


@pytest.mark.parametrize("service", list(project.SERVICES))
def test_slim_python_311_base(service):
    args = {}
    for _, word, rest in instructions(service):
        if word == "ARG" and "=" in rest:
            name, _, value = rest.partition("=")
            args[name] = value
    bases = [re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], rest.split()[0])
             for _, word, rest in instructions(service) if word == "FROM"]
    assert bases, "no FROM"
    for base in bases:
        assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?(@sha256:[0-9a-f]{64})?", base), base


@pytest.mark.parametrize("service", list(project.SERVICES))
def test_runs_as_a_non_root_user(service):
    users = [rest for word, rest in final_stage(service) if word == "USER"]
    assert users, "the final stage sets USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    assert user.isdigit(), "a numeric uid lets Kubernetes check runAsNonRoot"


@pytest.mark.parametrize("service", list(project.SERVICES))
def test_health_check_uses_python_against_healthz_on_the_service_port(service):
    port = project.SERVICES[service]
    steps = final_stage(service)
    checks = [rest for word, rest in steps if word == "HEALTHCHECK"]
    assert len(checks) == 1
    command = exec_form(checks[0].split(" CMD ", 1)[1])
    assert command[0] == "python" and "urllib.request" in command[-1], "no curl in a slim image"
    assert "/healthz" in command[-1]
    assert env_of(steps)["PORT"] == str(port)
    assert f"'{port}'" in command[-1], "the fallback port in the check is the service's"
    assert [rest for word, rest in steps if word == "EXPOSE"] == [str(port)]


@pytest.mark.parametrize("service", list(project.SERVICES))
def test_one_image_runs_web_by_default_and_worker_or_migrate_on_demand(service):
    steps = final_stage(service)
    (entrypoint,) = [exec_form(rest) for word, rest in steps if word == "ENTRYPOINT"]
    (cmd,) = [exec_form(rest) for word, rest in steps if word == "CMD"]
    assert entrypoint == [service], "the service's CLI: <service> migrate|web|worker|..."
    assert cmd == ["web"]
    scripts = (project.ROOT / "services" / service / "pyproject.toml").read_text()
    assert re.search(rf'^{re.escape(service)} = "{project.package(service)}\.cli:cli"', scripts, flags=re.M)


@pytest.mark.parametrize("service", list(project.SERVICES))
def test_installs_the_pinned_shared_library_and_only_its_own_service(service):
    steps = instructions(service)
    copies = [rest.split()[-2] for _, word, rest in steps if word == "COPY" and "--from" not in rest]
    assert "constraints.txt" in copies and "shared/" in copies
    own = [c for c in copies if c.startswith("services/")]
    assert own == [f"services/{service}/"], f"only its own service: {own}"
    installs = [rest for _, word, rest in steps if word == "RUN" and "pip install" in rest]
    assert any("-c constraints.txt" in r and "./shared" in r for r in installs)
    assert any("-c constraints.txt" in r and f"services/{service}" in r for r in installs)
    env = env_of(final_stage(service))
    assert env.get("PROMETHEUS_MULTIPROC_DIR"), "/metrics must sum every gunicorn worker"
    assert env.get("KINERJA_ENV") == "production", "the image refuses development secrets unless told otherwise"


def test_the_build_context_sends_what_the_images_copy():
    """.dockerignore keeps the context small but must not hide a file a Dockerfile copies."""
    rules = [line.strip() for line in (project.ROOT / ".dockerignore").read_text().splitlines()
             if line.strip() and not line.startswith("#")]

    def ignored(path: str) -> bool:
        result = False
        for rule in rules:
            negate = rule.startswith("!")
            pattern = rule.lstrip("!").rstrip("/")
            parts = path.split("/")
            hit = any(fnmatch.fnmatch("/".join(parts[:i]), pattern) for i in range(1, len(parts) + 1))
            if pattern.startswith("**/"):
                hit = hit or any(fnmatch.fnmatch(part, pattern[3:]) for part in parts)
            if hit:
                result = not negate
        return result

    for service in project.SERVICES:
        for path in ["constraints.txt", "shared/pyproject.toml", "shared/kinerja_shared/config.py",
                     f"services/{service}/pyproject.toml", f"services/{service}/gunicorn.conf.py",
                     f"services/{service}/migrations/env.py", f"services/{service}/{project.package(service)}/app.py"]:
            assert (project.ROOT / path).exists(), path
            assert not ignored(path), f".dockerignore hides {path}"
        assert ignored(f"services/{service}/tests/conftest.py")
    assert ignored(".venv/bin/python") and ignored(".git/HEAD") and ignored("deploy/kafka/lib/kafka-clients.jar")


# -- gunicorn ----------------------------------------------------------------------------------

@pytest.mark.parametrize("service", list(project.SERVICES))
def test_gunicorn_conf_takes_the_shared_settings_and_the_service_port(service):
    text = (project.ROOT / "services" / service / "gunicorn.conf.py").read_text()
    assert "from kinerja_shared.gunicorn_config import *" in text
    assert f"default_bind({project.SERVICES[service]})" in text


def test_gunicorn_settings_suit_containers(monkeypatch):
    for name in ("WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "GUNICORN_GRACEFUL_TIMEOUT", "GUNICORN_ACCESS_LOG", "BIND", "PORT"):
        monkeypatch.delenv(name, raising=False)
    config = importlib.reload(importlib.import_module("kinerja_shared.gunicorn_config"))
    assert config.workers == max(2, multiprocessing.cpu_count()), "workers from the CPU count"
    assert 0 < config.graceful_timeout < 40 - 5, "graceful stop within the pods' termination grace period"
    assert config.accesslog == "-" and config.errorlog == "-", "logs to the container's stdout/stderr"
    sample = re.sub(r"%\((\{[^}]*\}\w|\w)\)s", "1", config.access_log_format)
    record = json.loads(sample)
    assert {"method", "path", "status", "correlationid"} <= set(record), "one JSON object per access"
    assert config.default_bind(8001) == "0.0.0.0:8001"
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert importlib.reload(config).workers == 3
    monkeypatch.delenv("WEB_CONCURRENCY")
    importlib.reload(config)
