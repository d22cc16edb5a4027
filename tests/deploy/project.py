"""What the deploy tests know about the project, read from its sources rather than repeated.

- the services and their ports (kinerja_shared.processes.SERVICES), their ServiceSpecs
  (topics consumed) and their own settings validators (``<package>.config``);
- every setting a process reads from the environment, found by scanning the sources;
- the compose file with its ``${VAR:-default}`` interpolation resolved;
- the images' Dockerfiles as instructions, and what .dockerignore keeps out of the build context;
- the gateway: its nginx template (deploy/gateway/nginx.conf), rendered the way the nginx image's
  entrypoint renders it, and the route table of deploy/gateway/gateway.py.
"""

from __future__ import annotations

import fnmatch
import importlib
import importlib.util
import inspect
import json
import re
import shlex
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import yaml

from kinerja_shared.config import Settings
from kinerja_shared.processes import SERVICES  # noqa: F401  (service name -> port)

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "compose" / "compose.yaml"
K8S = ROOT / "deploy" / "k8s"
OVERLAY = K8S / "overlays" / "binjai"
OPERATIONS = ROOT / "docs" / "operations.md"
SERVICE_DOCKERFILE = ROOT / "services" / "Dockerfile"  # the four services' one Dockerfile
GATEWAY = ROOT / "deploy" / "gateway"
GATEWAY_TEMPLATE = GATEWAY / "nginx.conf"
GATEWAY_DOCKERFILE = GATEWAY / "Dockerfile"
GATEWAY_WEB_ROOT = "/usr/share/kinerja/web"  # where the gateway image keeps the console

# Read by the runtime or the image itself, not by a Kinerja module.
RUNTIME_VARIABLES = {"PROMETHEUS_MULTIPROC_DIR", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "PATH"}

# Names read through one of the settings helpers: _get(env, "X"), _int(env, "X", ...), get("X"),
# integer("X", ...), os.environ.get("X"), settings.extra.get("X"), ...
_SETTING_CALL = re.compile(
    r"""(?:\b_?(?:get|int|bool|float|time|quiet|weekdays|dates|instant|read_file|integer)|environ\.get|extra\.get)"""
    r"""\(\s*(?:env\s*,\s*|environ\s*,\s*)?["']([A-Z][A-Z0-9_]{2,})["']"""
)


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
    return set(settings_in_sources()) | RUNTIME_VARIABLES | gateway_variables()


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


# -- images ------------------------------------------------------------------------------------


def dockerfile_instructions(path: Path) -> list[tuple[int, str, str]]:
    """(stage index, INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    lines, current = [], ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
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


def dockerfile_bases(path: Path) -> list[str]:
    """The image of each FROM, with the ARG defaults filled in."""
    steps = dockerfile_instructions(path)
    args = dict(rest.partition("=")[::2] for _, word, rest in steps if word == "ARG" and "=" in rest)
    return [
        re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], rest.split()[0]) for _, word, rest in steps if word == "FROM"
    ]


def final_stage_of(path: Path) -> list[tuple[str, str]]:
    steps = dockerfile_instructions(path)
    last = max(stage for stage, _, _ in steps)
    return [(word, rest) for stage, word, rest in steps if stage == last]


def dockerfile_env(steps) -> dict[str, str]:
    """ENV NAME=value ... of (INSTRUCTION, arguments) steps; quotes and \\$ resolved as the builder does."""
    env = {}
    for word, rest in steps:
        if word == "ENV":
            for item in shlex.split(rest):
                name, _, value = item.partition("=")
                env[name] = value.replace("\\$", "$")  # shlex keeps the backslash of \$ in "..."
    return env


def exec_form(rest: str) -> list[str]:
    value = json.loads(rest)
    assert isinstance(value, list), f"use the exec (JSON) form: {rest}"
    return value


def dockerignore_rules() -> list[str]:
    return [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]


def ignored_by_docker(path: str) -> bool:
    """Whether .dockerignore keeps ``path`` (relative to the root) out of the build context."""
    result = False
    for rule in dockerignore_rules():
        negate = rule.startswith("!")
        pattern = rule.lstrip("!").rstrip("/")
        parts = path.split("/")
        hit = any(fnmatch.fnmatch("/".join(parts[:i]), pattern) for i in range(1, len(parts) + 1))
        if pattern.startswith("**/"):
            hit = hit or any(fnmatch.fnmatch(part, pattern[3:]) for part in parts)
        if hit:
            result = not negate
    return result


# -- the gateway -------------------------------------------------------------------------------


def gateway_module():
    """deploy/gateway/gateway.py (the development gateway), whose ROUTES nginx must follow."""
    spec = importlib.util.spec_from_file_location("kinerja_gateway_for_deploy_tests", GATEWAY / "gateway.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gateway_variables() -> set[str]:
    """The settings of the production gateway: the ${NAME}s of its nginx template."""
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", GATEWAY_TEMPLATE.read_text(encoding="utf-8")))


def render_gateway_template(environ: Mapping[str, str]) -> str:
    """The nginx image's 20-envsubst-on-templates.sh: `envsubst` of the variables defined in the
    environment whose names match NGINX_ENVSUBST_FILTER (the image's ENV sets it), ${NAME} and $NAME."""
    image_env = dockerfile_env(final_stage_of(GATEWAY_DOCKERFILE))
    environ = {**image_env, **environ}
    pattern = re.compile(environ.get("NGINX_ENVSUBST_FILTER", ""))
    defined = {name for name in environ if pattern.search(name)}

    def substitute(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        return environ[name] if name in defined else match.group(0)

    return re.sub(
        r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)",
        substitute,
        GATEWAY_TEMPLATE.read_text(encoding="utf-8"),
    )
