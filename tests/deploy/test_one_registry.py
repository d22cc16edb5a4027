"""Deploy from one registry: the services' names and ports live in kinerja_shared.processes.SERVICES.

deploy/stamp.py writes everything that repeats them (the Kubernetes manifests from one template, the
stamped regions of compose.yaml, the gateway's manifest and Dockerfile). These tests fail when a
stamped file drifts from what the script writes, or when a port or a name:port pair is written by
hand anywhere else in the deploy files."""

from __future__ import annotations

import fnmatch
import functools
import importlib.util
import os
import re
import sys
from pathlib import Path

import pytest
import yaml

from kinerja_shared.processes import SERVICES

from . import project

ROOT = project.ROOT
_spec = importlib.util.spec_from_file_location("kinerja_deploy_stamp", ROOT / "deploy" / "stamp.py")
stamp = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = stamp  # dataclasses look their module up
_spec.loader.exec_module(stamp)

SKIPPED_PARTS = {".venv", "node_modules", ".git", "__pycache__", ".run", "target"}
DEPLOY_FILE_PATTERNS = ("Dockerfile", "*.Dockerfile", "compose*.yaml", "compose*.yml", "nginx*.conf")


@functools.lru_cache(maxsize=1)
def deploy_files() -> tuple[Path, ...]:
    """Where ports and names must not be written by hand: deploy/, the gunicorn configurations, the Makefile,
    every Dockerfile, compose file and nginx configuration."""
    files = set(ROOT.glob("services/*/gunicorn.conf.py")) | {ROOT / "Makefile"}
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIPPED_PARTS]
        in_deploy = Path(folder).is_relative_to(ROOT / "deploy")
        for name in names:
            if (in_deploy and not name.endswith((".jar", ".pyc"))) or any(
                fnmatch.fnmatch(name, pattern) for pattern in DEPLOY_FILE_PATTERNS
            ):
                files.add(Path(folder) / name)
    return tuple(sorted(files))


def hand_written_mentions(text: str) -> list[str]:
    """A service's port as a number, or a service's name paired with any port, in ``text``."""
    found = []
    for port in SERVICES.values():
        found += [m.group(0) for m in re.finditer(rf"(?<![0-9]){port}(?![0-9])", text)]
    for service in SERVICES:
        pair = rf"(?<![a-z-]){re.escape(service)}(?:-web)?(?:\s*:\s*|\s*\(\s*(?:port\s+)?)[0-9]{{2,5}}(?![0-9])"
        found += [m.group(0) for m in re.finditer(pair, text)]
    return found


def test_the_stamped_files_are_what_deploy_stamp_py_writes():
    stale = [
        str(path.relative_to(ROOT))
        for path, text in stamp.outputs().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"run `.venv/bin/python deploy/stamp.py`: {stale} differ from what it writes"


def test_no_port_or_name_port_pair_outside_the_registry():
    generated = stamp.generated_files()
    offenders = []
    for path in deploy_files():
        if path in generated:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for lineno, line in enumerate(stamp.strip_regions(text).splitlines(), 1):
            for mention in hand_written_mentions(line):
                offenders.append(f"{path.relative_to(ROOT)}:{lineno}: {mention!r}")
    assert not offenders, (
        "ports and names come from kinerja_shared.processes.SERVICES (deploy/stamp.py writes "
        "the files that need them):\n" + "\n".join(offenders)
    )


@pytest.mark.parametrize(
    "text",
    [
        "bind = default_bind(8003)",
        "value: plan-service:9000",
        "activity-service (port 18002)",
        '- "127.0.0.1:8004:8004"',
        "upstream evaluation-service-web:8003;",
    ],
)
def test_the_search_finds_a_hand_written_port(text):
    assert hand_written_mentions(text)


@pytest.mark.parametrize(
    "text", ["NIP 198001012005011002", "gateway:8000", "image: kinerja/plan-service:0.1.0", "name: plan-service-config"]
)
def test_the_search_leaves_other_numbers_alone(text):
    assert not hand_written_mentions(text)


def test_the_search_covers_the_files_that_used_to_repeat_ports():
    names = {str(p.relative_to(ROOT)) for p in deploy_files()}
    assert {
        "deploy/compose/compose.yaml",
        "deploy/gateway/Dockerfile",
        "deploy/gateway/nginx.conf",
        "services/Dockerfile",
        "deploy/k8s/base/gateway.yaml",
        "Makefile",
        "deploy/gateway/gateway.py",
        "deploy/local/seed.py",
    } <= names
    assert {f"services/{s}/gunicorn.conf.py" for s in SERVICES} <= names


def test_every_service_of_the_registry_and_no_other_is_deployed():
    base = yaml.safe_load((ROOT / "deploy" / "k8s" / "base" / "kustomization.yaml").read_text())["resources"]
    assert [r.removesuffix(".yaml") for r in base if r.endswith("-service.yaml")] == list(SERVICES)
    stamped = {p.stem for p in (ROOT / "deploy" / "k8s" / "base").glob("*-service.yaml")}
    assert stamped == set(SERVICES), "a manifest of a service that is not in the registry"
    overlay = yaml.safe_load((project.OVERLAY / "kustomization.yaml").read_text())["images"]
    assert [i["name"].removeprefix("kinerja/") for i in overlay] == [*SERVICES, "gateway"]
    compose = project.compose_raw()["services"]
    for service, port in SERVICES.items():
        assert compose[f"{service}-web"]["build"]["args"]["SERVICE"] == service
        assert compose[f"{service}-web"]["ports"] == [f"${{KINERJA_BIND_ADDRESS:-127.0.0.1}}:{port}:{port}"]


def test_the_service_dockerfile_takes_the_service_from_the_registry():
    """services/Dockerfile builds any service of the registry by its name (build arg SERVICE) and knows no port:
    the web process's port, its HEALTHCHECK's and gunicorn's come from kinerja_shared.processes at run time."""
    text = project.SERVICE_DOCKERFILE.read_text()
    steps = project.dockerfile_instructions(project.SERVICE_DOCKERFILE)
    assert ("ARG", "SERVICE") in [(word, rest) for _, word, rest in steps]
    assert "from kinerja_shared.processes import SERVICES" in text, "the build refuses a SERVICE outside the registry"
    assert not [rest for _, word, rest in steps if word == "EXPOSE"], "EXPOSE would write a port in the one Dockerfile"
    assert "KINERJA_SERVICE=${SERVICE}" in text, "kinerja_shared.healthcheck finds the port by the service's name"
    healthcheck = (ROOT / "shared" / "kinerja_shared" / "healthcheck.py").read_text()
    assert "SERVICES" in healthcheck and "KINERJA_SERVICE" in healthcheck
    build = (ROOT / "deploy" / "images" / "build.py").read_text()
    assert "from kinerja_shared.processes import SERVICES" in build, "make images builds every service of the registry"
    for service in SERVICES:
        conf = (ROOT / "services" / service / "gunicorn.conf.py").read_text()
        assert f'default_bind(SERVICES["{service}"])' in conf, f"{service}: gunicorn binds the registry's port"
