"""The images, built for real and run: a Docker engine and Compose are needed.

Without them these tests skip and say why, unless KINERJA_REQUIRE_DOCKER is set (CI's .ci/run sets
it): then they fail. `make test-images` runs them (they are not part of `make test`: pytest.ini
keeps this folder out of the default collection).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys

import pytest

from ..deploy import project

BUILD_SCRIPT = project.ROOT / "deploy" / "images" / "build.py"


def _docker_or_skip() -> None:
    problem = None
    if not shutil.which("docker"):
        problem = "no docker command"
    elif subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode != 0:
        problem = "the Docker engine does not answer (start dockerd)"
    elif not compose_command():
        problem = "neither `docker compose` nor `docker-compose` is installed"
    if problem:
        if os.environ.get("KINERJA_REQUIRE_DOCKER"):  # CI (.ci/run): a missing engine is a failure there
            pytest.fail(f"KINERJA_REQUIRE_DOCKER is set but {problem}")
        pytest.skip(f"images need a Docker engine: {problem}")


def compose_command() -> list[str] | None:
    """Compose v2 (`docker compose`) when the docker CLI has it, else Debian's docker-compose (v1)."""
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def build_module():
    spec = importlib.util.spec_from_file_location("kinerja_image_build", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def images():
    """Every image, from the local Debian base, with the PostgreSQL and Kafka stand-ins. Docker's layer
    cache makes a second build (after `make images`, or a second run) take seconds."""
    _docker_or_skip()
    build = build_module()
    tag = build.git_revision()
    built = build.build(local=True, test_images=True, tag=tag, registry="kinerja")
    print("\n" + build.report(built))
    over = [b.name for b in built if b.over_budget]
    assert not over, f"over the size budget: {over}"
    return build, {b.kind + ":" + b.name: b for b in built}, tag
