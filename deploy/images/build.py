#!/usr/bin/env python3
"""Build Kinerja's images (`make images`; docs/operations.md, "Images").

    python3 deploy/images/build.py [--local] [--test-images] [--only NAME ...]

- the four services, all from services/Dockerfile (build argument SERVICE, the names of
  kinerja_shared.processes.SERVICES), and the gateway from deploy/gateway/Dockerfile, tagged
  ``$IMAGE_REGISTRY/<name>:$IMAGE_TAG`` (default ``kinerja/<name>:<git revision>``);
- the bases: BASE_IMAGE (services) and GATEWAY_BASE_IMAGE (gateway) when set, else each
  Dockerfile's default, the official images. ``--local`` builds without any image registry: the
  Debian base made by deploy/images/base.sh (debootstrap) and a stand-in for the nginx image on it;
- ``--test-images``: also the stand-ins for the official PostgreSQL and Kafka images that the tests
  run where no registry can be reached (deploy/images/local/), built from Debian's packages and the
  Kafka jars of deploy/kafka/pom.xml.

Builds run with host networking (pip and apt reach their indexes as the host does); where PIP_CERT
names a CA bundle, pip in the build uses it (.image-build/pip-ca.pem, removed after the build and
never part of an image). Prints each image's size and build time and fails when an image is over
its budget (BUDGET_MB). Standard library only: no virtual environment is needed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "deploy" / "images"
LOCAL = HERE / "local"
sys.path.insert(0, str(ROOT / "shared"))
from kinerja_shared.processes import SERVICES  # noqa: E402  (standard library only)

LOCAL_BASE = "kinerja-local/debian:bookworm"
LOCAL_NGINX = "kinerja-local/nginx-unprivileged:bookworm"
LOCAL_POSTGRES = "kinerja-local/postgres:15"
CA_DIR = ROOT / ".image-build"

# Size budgets in MB (docker's uncompressed size), about 15 % over what was measured on the local
# Debian base (issue 23): a service 273 MB (the base 156 MB, Python 3.11 included, + the venv and the
# service 117 MB), the gateway 246 MB; the tests' stand-ins PostgreSQL 541 MB, Kafka 504 MB. The
# budgets apply to builds on the official images too (not measured here: no registry is reachable).
BUDGET_MB = {"service": 320, "gateway": 280, "postgres": 620, "kafka": 580}


def kafka_version() -> str:
    pom = (ROOT / "deploy" / "kafka" / "pom.xml").read_text(encoding="utf-8")
    return re.search(r"<kafka\.version>([^<]+)</kafka\.version>", pom).group(1)


def local_kafka_image() -> str:
    return f"kinerja-local/kafka:{kafka_version()}"


def git_revision() -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "dev"


@dataclass
class Built:
    name: str  # the image's reference
    kind: str  # service | gateway | postgres | kafka | base
    seconds: float
    size_mb: float

    @property
    def budget_mb(self) -> int | None:
        return BUDGET_MB.get(self.kind)

    @property
    def over_budget(self) -> bool:
        return self.budget_mb is not None and self.size_mb > self.budget_mb


def image_exists(name: str) -> bool:
    return subprocess.run(["docker", "image", "inspect", name], capture_output=True).returncode == 0


def image_size_mb(name: str) -> float:
    out = subprocess.run(
        ["docker", "image", "inspect", "-f", "{{.Size}}", name], capture_output=True, text=True, check=True
    ).stdout
    return round(int(out.strip()) / 1e6, 1)


def docker_build(name: str, kind: str, dockerfile: Path, context: Path, args: dict[str, str], log_dir: Path) -> Built:
    argv = ["docker", "build", "--network", "host", "--force-rm", "-f", str(dockerfile), "-t", name]
    for key, value in args.items():
        argv += ["--build-arg", f"{key}={value}"]
    argv.append(str(context))
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / (name.replace("/", "_").replace(":", "_") + ".log")
    started = time.monotonic()
    with open(log, "w") as out:
        result = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=ROOT)
    seconds = round(time.monotonic() - started, 1)
    if result.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise SystemExit(f"build of {name} failed (exit {result.returncode}); {log}:\n{tail}")
    return Built(name, kind, seconds, image_size_mb(name))


def local_base() -> Built:
    started = time.monotonic()
    subprocess.run(["bash", str(HERE / "base.sh"), LOCAL_BASE], check=True)
    return Built(LOCAL_BASE, "base", round(time.monotonic() - started, 1), image_size_mb(LOCAL_BASE))


def kafka_context(folder: Path) -> Path:
    """deploy/kafka/lib (fetched from Maven Central by kafka.sh), the tools' log settings and the stand-in's files."""
    subprocess.run(
        ["bash", str(ROOT / "deploy" / "kafka" / "kafka.sh"), "fetch"], check=True, stdout=subprocess.DEVNULL
    )
    shutil.copytree(ROOT / "deploy" / "kafka" / "lib", folder / "lib", ignore=shutil.ignore_patterns(".*"))
    for path in [
        ROOT / "deploy" / "kafka" / "tools-log4j2.properties",
        LOCAL / "kafka-log4j2.properties",
        LOCAL / "kafka-entrypoint.sh",
        LOCAL / "kafka-broker-api-versions.sh",
    ]:
        shutil.copy2(path, folder / path.name)
    return folder


class PipCertificate:
    """.image-build/pip-ca.pem while the services build: a copy of PIP_CERT's file (or nothing)."""

    def __enter__(self):
        source = os.environ.get("PIP_CERT")
        if source and Path(source).is_file():
            CA_DIR.mkdir(exist_ok=True)
            shutil.copyfile(source, CA_DIR / "pip-ca.pem")
        return self

    def __exit__(self, *exc):
        shutil.rmtree(CA_DIR, ignore_errors=True)


def build(
    local: bool = False,
    test_images: bool = False,
    only: list[str] | None = None,
    tag: str | None = None,
    registry: str | None = None,
    log_dir: Path | None = None,
) -> list[Built]:
    """Build the images; return what was built, in order."""
    tag = tag or os.environ.get("IMAGE_TAG") or git_revision()
    registry = registry or os.environ.get("IMAGE_REGISTRY") or "kinerja"
    log_dir = log_dir or ROOT / ".run" / "images"
    wanted = set(only or [*SERVICES, "gateway", *(["postgres", "kafka"] if test_images else [])])
    built: list[Built] = []
    base_args: dict[str, str] = {}
    gateway_args: dict[str, str] = {}
    if os.environ.get("BASE_IMAGE"):
        base_args["BASE_IMAGE"] = os.environ["BASE_IMAGE"]
        gateway_args["PYTHON_IMAGE"] = os.environ["BASE_IMAGE"]  # the gateway's service-worker stage: the same Python
    if os.environ.get("GATEWAY_BASE_IMAGE"):
        gateway_args["BASE_IMAGE"] = os.environ["GATEWAY_BASE_IMAGE"]
    if local or wanted & {"postgres", "kafka"}:
        built.append(local_base())
    if local:
        base_args.setdefault("BASE_IMAGE", LOCAL_BASE)
        gateway_args.setdefault("PYTHON_IMAGE", LOCAL_BASE)
        if "gateway" in wanted and "BASE_IMAGE" not in gateway_args:
            built.append(
                docker_build(
                    LOCAL_NGINX, "base", LOCAL / "nginx.Dockerfile", LOCAL, {"BASE_IMAGE": LOCAL_BASE}, log_dir
                )
            )
            gateway_args["BASE_IMAGE"] = LOCAL_NGINX
    with PipCertificate():
        for service in SERVICES:
            if service in wanted:
                built.append(
                    docker_build(
                        f"{registry}/{service}:{tag}",
                        "service",
                        ROOT / "services" / "Dockerfile",
                        ROOT,
                        {**base_args, "SERVICE": service},
                        log_dir,
                    )
                )
    if "gateway" in wanted:
        built.append(
            docker_build(
                f"{registry}/gateway:{tag}",
                "gateway",
                ROOT / "deploy" / "gateway" / "Dockerfile",
                ROOT,
                gateway_args,
                log_dir,
            )
        )
    if "postgres" in wanted:
        built.append(
            docker_build(
                LOCAL_POSTGRES, "postgres", LOCAL / "postgres.Dockerfile", LOCAL, {"BASE_IMAGE": LOCAL_BASE}, log_dir
            )
        )
    if "kafka" in wanted:
        with tempfile.TemporaryDirectory(prefix="kinerja-kafka-image.") as folder:
            built.append(
                docker_build(
                    local_kafka_image(),
                    "kafka",
                    LOCAL / "kafka.Dockerfile",
                    kafka_context(Path(folder)),
                    {"BASE_IMAGE": LOCAL_BASE},
                    log_dir,
                )
            )
    return built


def report(built: list[Built]) -> str:
    lines = [f"{'image':<48} {'size MB':>8} {'budget':>7} {'build s':>8}"]
    for b in built:
        budget = "-" if b.budget_mb is None else str(b.budget_mb)
        flag = "  OVER BUDGET" if b.over_budget else ""
        lines.append(f"{b.name:<48} {b.size_mb:>8.1f} {budget:>7} {b.seconds:>8.1f}{flag}")
    lines.append(f"{'total build time':<48} {'':>8} {'':>7} {sum(b.seconds for b in built):>8.1f}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--local", action="store_true", help="no image registry: bases from Debian's packages")
    parser.add_argument("--test-images", action="store_true", help="also the PostgreSQL and Kafka stand-ins for tests")
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help=f"only these: {', '.join(SERVICES)}, gateway, postgres, kafka"
    )
    parser.add_argument("--tag", help="image tag (default: IMAGE_TAG, else the git revision)")
    options = parser.parse_args(argv)
    if options.only:
        unknown = set(options.only) - {*SERVICES, "gateway", "postgres", "kafka"}
        if unknown:
            parser.error(f"unknown image {sorted(unknown)}")
    built = build(local=options.local, test_images=options.test_images, only=options.only, tag=options.tag)
    print(report(built))
    over = [b.name for b in built if b.over_budget]
    if over:
        print(f"over the size budget (deploy/images/build.py BUDGET_MB): {', '.join(over)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
