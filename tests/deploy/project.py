"""What the deploy tests know about the project, read from its sources rather than repeated.

- the services and their ports (kinerja_shared.processes.SERVICES), their ServiceSpecs
  (topics consumed) and their own settings validators (``<package>.config``);
- every setting a process reads from the environment, found by scanning the sources;
- the compose file with its ``${VAR:-default}`` interpolation resolved.
"""
from __future__ import annotations

import importlib
import inspect
import re
from functools import lru_cache
from pathlib import Path
from typing import Mapping

import yaml

from kinerja_shared.config import Settings
from kinerja_shared.processes import SERVICES  # noqa: F401  (service name -> port)

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "compose" / "compose.yaml"
K8S = ROOT / "deploy" / "k8s"
OVERLAY = K8S / "overlays" / "binjai"
OPERATIONS = ROOT / "docs" / "operations.md"

# Read by the runtime or the image itself, not by a Kinerja module.
RUNTIME_VARIABLES = {"PROMETHEUS_MULTIPROC_DIR", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "PATH"}

# Names read through one of the settings helpers: _get(env, "X"), _int(env, "X", ...), get("X"),
# integer("X", ...), os.environ.get("X"), settings.extra.get("X"), ...
_SETTING_CALL = re.compile(
    r"""(?:\b_?(?:get|int|bool|float|time|quiet|weekdays|dates|instant|read_file|integer)|environ\.get|extra\.get)"""
    r"""\(\s*(?:env\s*,\s*|environ\s*,\s*)?["']([A-Z][A-Z0-9_]{2,})["']""")


def package(service: str) -> str:
    return service.removesuffix("-service").replace("-", "_") + "_service"


def short(service: str) -> str:
    return service.removesuffix("-service")


def spec(service: str):
    return importlib.import_module(f"{package(service)}.service").SPEC


def source_files() -> list[Path]:
    shared = [p for p in (ROOT / "shared" / "kinerja_shared").rglob("*.py") if "testing" not in p.parts]
    services = [p for s in SERVICES for p in (ROOT / "services" / s / package(s)).rglob("*.py")]
    return shared + services


@lru_cache(maxsize=1)
def settings_in_sources() -> dict[str, set[str]]:
    """Every environment variable a Kinerja process reads -> the files that read it."""
    found: dict[str, set[str]] = {}
    for path in source_files():
        for match in _SETTING_CALL.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match.group(1), set()).add(str(path.relative_to(ROOT)))
    return found


def known_variables() -> set[str]:
    return set(settings_in_sources()) | RUNTIME_VARIABLES


def config_module_tables() -> dict[str, str]:
    """NAME -> default, from the settings tables in the services' config module docstrings."""
    defaults: dict[str, str] = {}
    for service in SERVICES:
        path = ROOT / "services" / service / package(service) / "config.py"
        if not path.exists():
            continue
        doc = path.read_text(encoding="utf-8").split('"""')[1]
        for row in re.findall(r"^\|(.+)\|\s*$", doc, flags=re.M):
            cells = [c.strip() for c in row.split("|")]
            if len(cells) < 3 or set(cells[0]) <= set("-: ") or cells[0] in ("setting", "variable"):
                continue
            for name in re.split(r"\s*/\s*", cells[0].strip("` ")):
                defaults[name.strip("` ")] = cells[1]
    return defaults


def validate_service_settings(service: str, env: Mapping[str, str]):
    """Run the service's own start-up validation on ``env``: the common Settings, then its config module."""
    env = dict(env)
    settings = Settings.from_env(service, env)
    try:
        module = importlib.import_module(f"{package(service)}.config")
    except ModuleNotFoundError:
        return settings
    for value in vars(module).values():
        if isinstance(value, type) and value.__module__ == module.__name__ and hasattr(value, "from_settings"):
            takes_env = len(inspect.signature(value.from_settings).parameters) > 1
            value.from_settings(settings, env) if takes_env else value.from_settings(settings)
    return settings


# -- compose -----------------------------------------------------------------------------------

_INTERPOLATION = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def interpolate(value, environ: Mapping[str, str]):
    """Compose's variable substitution: ${VAR}, ${VAR:-default}, ${VAR-default}, $VAR, $$."""
    if isinstance(value, dict):
        return {k: interpolate(v, environ) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, environ) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(4)
        operator, default = match.group(2), match.group(3) or ""
        current = environ.get(name)
        if operator == ":-":
            return current if current else default
        if operator == "-":
            return current if current is not None else default
        if operator in (":?", "?"):
            if not current:
                raise ValueError(f"compose needs {name}: {default}")
            return current
        return current or ""

    return _INTERPOLATION.sub(substitute, value)


def compose_raw() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def compose(environ: Mapping[str, str] | None = None) -> dict:
    """The compose model as `docker compose config` would see it with ``environ`` (default: none set)."""
    return interpolate(compose_raw(), environ or {})


def compose_environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}
