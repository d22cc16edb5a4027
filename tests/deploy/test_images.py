"""The images (services/Dockerfile for the four services, deploy/gateway/Dockerfile) and the gunicorn
settings they run with, checked without a Docker engine (tests/images builds and runs them)."""

from __future__ import annotations

import http.server
import importlib
import json
import multiprocessing
import re
import runpy
import threading

import pytest

from . import project

DOCKERFILE = project.SERVICE_DOCKERFILE


def final_stage() -> list[tuple[str, str]]:
    return project.final_stage_of(DOCKERFILE)


exec_form = project.exec_form
env_of = project.dockerfile_env


def test_one_dockerfile_for_the_four_services_names_no_service_and_no_port():
    """services/Dockerfile builds every service (build argument SERVICE); the names and ports live in
    kinerja_shared.processes.SERVICES only."""
    for service in project.SERVICES:
        assert not (project.ROOT / "services" / service / "Dockerfile").exists(), (
            f"{service}: a copy of services/Dockerfile"
        )
    text = "\n".join(f"{word} {rest}" for _, word, rest in project.dockerfile_instructions(DOCKERFILE))
    for service, port in project.SERVICES.items():
        assert service not in text and project.package(service) not in text, f"{service} is written in the Dockerfile"
        assert not re.search(rf"\b{port}\b", text), f"port {port} is written in the Dockerfile"
    args = [rest for _, word, rest in project.dockerfile_instructions(DOCKERFILE) if word == "ARG"]
    assert "SERVICE" in args, "the service is a build argument"
    assert re.search(r"from kinerja_shared\.processes import SERVICES", text), (
        "the build refuses a SERVICE not in SERVICES"
    )


def test_every_stage_starts_from_the_base_image_argument_a_slim_python_311_by_default():
    steps = project.dockerfile_instructions(DOCKERFILE)
    froms = [rest.split()[0] for _, word, rest in steps if word == "FROM"]
    assert froms and all(f == "${BASE_IMAGE}" for f in froms), froms
    for base in project.dockerfile_bases(DOCKERFILE):
        assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?(@sha256:[0-9a-f]{64})?", base), base


def test_runs_as_a_non_root_user():
    users = [rest for word, rest in final_stage() if word == "USER"]
    assert users, "the final stage sets USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    assert user.isdigit(), "a numeric uid lets Kubernetes check runAsNonRoot"


def test_health_check_asks_the_service_port_from_the_shared_registry():
    steps = final_stage()
    checks = [rest for word, rest in steps if word == "HEALTHCHECK"]
    assert len(checks) == 1
    assert exec_form(checks[0].split(" CMD ", 1)[1]) == ["python", "-m", "kinerja_shared.healthcheck"]
    assert env_of(steps)["KINERJA_SERVICE"] == "${SERVICE}", "the check knows which service it probes"
    assert not [rest for word, rest in steps if word == "EXPOSE"], "no port in the Dockerfile: SERVICES has them"


def test_one_image_runs_web_by_default_and_worker_or_migrate_on_demand():
    steps = final_stage()
    (entrypoint,) = [exec_form(rest) for word, rest in steps if word == "ENTRYPOINT"]
    (cmd,) = [exec_form(rest) for word, rest in steps if word == "CMD"]
    assert entrypoint == ["kinerja-service"], "the service's CLI: <service> migrate|web|worker|..."
    assert cmd == ["web"]
    build = " ".join(
        rest for stage, word, rest in project.dockerfile_instructions(DOCKERFILE) if word == "RUN" and stage == 0
    )
    assert "exec /opt/venv/bin/%s" in build and "/opt/venv/bin/kinerja-service" in build
    for service in project.SERVICES:
        scripts = (project.ROOT / "services" / service / "pyproject.toml").read_text()
        assert re.search(rf'^{re.escape(service)} = "{project.package(service)}\.cli:cli"', scripts, flags=re.M)


def test_installs_the_pinned_shared_library_and_only_its_own_service():
    steps = project.dockerfile_instructions(DOCKERFILE)
    copies = [rest.split()[:-1] for _, word, rest in steps if word == "COPY" and "--from" not in rest]
    sources = [source for copy in copies for source in copy]
    assert "constraints.txt" in sources and "shared/" in sources
    own = [c for c in sources if c.startswith("services/")]
    assert own == ["services/${SERVICE}/"], f"only its own service: {own}"
    installs = [rest for _, word, rest in steps if word == "RUN" and "pip install" in rest]
    assert any("-c constraints.txt" in r and "tomllib" in r and "-r requirements.txt" in r for r in installs), (
        "the shared library's dependencies, pinned, in a layer of their own"
    )
    assert any("--no-deps ./shared" in r for r in installs)
    assert any("-c constraints.txt" in r and "-e services/${SERVICE}" in r for r in installs)
    env = env_of(final_stage())
    assert env.get("PROMETHEUS_MULTIPROC_DIR"), "/metrics must sum every gunicorn worker"
    assert env.get("KINERJA_ENV") == "production", "the image refuses development secrets unless told otherwise"


def test_the_pip_certificate_stays_in_the_build_stage():
    """The CA bundle pip may need (.image-build/pip-ca.pem) is copied into the build stage only."""
    steps = project.dockerfile_instructions(DOCKERFILE)
    last = max(stage for stage, _, _ in steps)
    holders = [(stage, rest) for stage, word, rest in steps if word == "COPY" and "pip-ca" in rest]
    assert holders and all(stage != last for stage, _ in holders)
    assert not [
        rest
        for stage, word, rest in steps
        if stage == last
        and word == "COPY"
        and "--from" in rest
        and not re.fullmatch(r"--from=build /opt/venv /opt/venv|--from=build (/app/services/\$\{SERVICE\}) \1", rest)
    ]
    assert not project.ignored_by_docker(".image-build/pip-ca.pem")
    assert project.ignored_by_docker(".image-build/other.pem")
    assert ".image-build/" in (project.ROOT / ".gitignore").read_text().splitlines(), "never committed"


@pytest.mark.parametrize("answer,expected", [(200, 0), (503, 1), (None, 1)], ids=["healthy", "unhealthy", "refused"])
def test_the_health_check_module(monkeypatch, answer, expected):
    from kinerja_shared import healthcheck

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(answer if self.path == "/healthz" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    if answer is None:
        server.server_close()
    else:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("PORT", str(port))
        monkeypatch.setenv("KINERJA_SERVICE", "plan-service")
        assert healthcheck.main([]) == expected
    finally:
        if answer is not None:
            server.shutdown()
            server.server_close()


def test_the_health_check_defaults_to_the_service_port():
    from kinerja_shared import healthcheck

    for service, port in project.SERVICES.items():
        assert healthcheck.healthz_url(service, {}) == f"http://127.0.0.1:{port}/healthz"
        assert healthcheck.healthz_url(service, {"PORT": "9999"}) == "http://127.0.0.1:9999/healthz"
    assert healthcheck.main(["no-such-service"]) == 2


def test_the_build_context_sends_what_the_images_copy():
    """.dockerignore keeps the context small but must not hide a file a Dockerfile copies."""
    ignored = project.ignored_by_docker

    for service in project.SERVICES:
        for path in [
            "constraints.txt",
            "shared/pyproject.toml",
            "shared/kinerja_shared/config.py",
            f"services/{service}/pyproject.toml",
            f"services/{service}/gunicorn.conf.py",
            f"services/{service}/migrations/env.py",
            f"services/{service}/{project.package(service)}/app.py",
        ]:
            assert (project.ROOT / path).exists(), path
            assert not ignored(path), f".dockerignore hides {path}"
        assert ignored(f"services/{service}/tests/conftest.py")
    assert ignored(".venv/bin/python") and ignored(".git/HEAD") and ignored("deploy/kafka/lib/kafka-clients.jar")


# -- gunicorn ----------------------------------------------------------------------------------


@pytest.mark.parametrize("service", list(project.SERVICES))
def test_gunicorn_conf_takes_the_shared_settings_and_the_service_port(service, monkeypatch):
    path = project.ROOT / "services" / service / "gunicorn.conf.py"
    assert "from kinerja_shared.gunicorn_config import *" in path.read_text()
    for name in ("BIND", "HOST", "PORT", "GUNICORN_THREADS"):  # notification's sets a default: undone after
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    assert runpy.run_path(str(path))["bind"] == f"0.0.0.0:{project.SERVICES[service]}", "the registry's port"


def test_gunicorn_settings_suit_containers(monkeypatch):
    for name in (
        "WEB_CONCURRENCY",
        "GUNICORN_TIMEOUT",
        "GUNICORN_GRACEFUL_TIMEOUT",
        "GUNICORN_ACCESS_LOG",
        "BIND",
        "PORT",
    ):
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


# -- the gateway image (deploy/gateway/Dockerfile) -----------------------------------------------


def test_gateway_image_is_a_pinned_unprivileged_nginx():
    assert [
        rest for _, word, rest in project.dockerfile_instructions(project.GATEWAY_DOCKERFILE) if word == "FROM"
    ] == ["${PYTHON_IMAGE} AS shell", "${BASE_IMAGE}"], (
        "the bases are build arguments (stand-ins where no registry can be reached)"
    )
    builder, base = project.dockerfile_bases(project.GATEWAY_DOCKERFILE)
    # One build stage renders the service worker (web/tools/precache.py) with the services' Python base.
    assert builder == project.dockerfile_bases(project.ROOT / "services/Dockerfile")[0], builder
    assert re.fullmatch(r"nginxinc/nginx-unprivileged:\d+\.\d+\.\d+-alpine(\d+\.\d+)?(@sha256:[0-9a-f]{64})?", base), (
        f"{base}: the unprivileged nginx, pinned to a full version"
    )
    steps = project.final_stage_of(project.GATEWAY_DOCKERFILE)
    users = [rest for word, rest in steps if word == "USER"]
    assert users and users[-1].isdigit() and users[-1] != "0", "ends as a numeric non-root user (runAsNonRoot)"
    assert not [rest for word, rest in steps if word in ("ENTRYPOINT", "CMD")], (
        "the base image's entrypoint renders the template: keep it"
    )
    assert [rest for word, rest in steps if word == "EXPOSE"] == ["8000"]
    assert re.search(r"^\s*listen 8000;", project.GATEWAY_TEMPLATE.read_text(), flags=re.M)
    (check,) = [rest for word, rest in steps if word == "HEALTHCHECK"]
    command = project.exec_form(check.split(" CMD ", 1)[1])
    assert command[0] == "wget" and command[-1] == "http://127.0.0.1:8000/healthz"


def gateway_copies() -> list[tuple[list[str], str]]:
    return [
        (args[:-1], args[-1])
        for args in (
            rest.split() for word, rest in project.final_stage_of(project.GATEWAY_DOCKERFILE) if word == "COPY"
        )
        if not args[0].startswith("--")
    ]


def test_gateway_image_holds_the_template_and_only_the_console_s_static_files():
    copies = gateway_copies()
    assert (["deploy/gateway/nginx.conf"], "/etc/nginx/templates/default.conf.template") in copies, (
        "the nginx image's entrypoint renders /etc/nginx/templates/*.template into /etc/nginx/conf.d"
    )
    web = sorted(
        source for sources, dest in copies if dest.startswith(project.GATEWAY_WEB_ROOT + "/") for source in sources
    )
    assert web == [
        "web/config.js",
        "web/favicon.ico",
        "web/favicon.svg",
        "web/icons/",
        "web/index.html",
        "web/manifest.webmanifest",
        "web/src/",
    ], web
    # The service worker comes rendered from the build stage, its precache list and version filled in.
    assert ("COPY", f"--from=shell /sw.js {project.GATEWAY_WEB_ROOT}/sw.js") in project.final_stage_of(
        project.GATEWAY_DOCKERFILE
    )
    template = project.GATEWAY_TEMPLATE.read_text()
    assert f"root {project.GATEWAY_WEB_ROOT};" in template
    index = (project.ROOT / "web" / "index.html").read_text()
    for reference in re.findall(r'(?:src|href)="/([^"]+)"', index):
        assert any(
            reference == s.removeprefix("web/") or reference.startswith(s.removeprefix("web/"))
            for s in web
            if s.endswith("/") or s == "web/" + reference
        ), f"index.html loads /{reference}, not in the image"
    for sources, _ in copies:
        for source in sources:
            assert (project.ROOT / source).exists(), source
            assert not project.ignored_by_docker(source.rstrip("/")), f".dockerignore hides {source}"
    for path in ["web/src/app.js", "web/src/oidc.js", "web/src/styles.css"]:
        assert not project.ignored_by_docker(path), f".dockerignore hides {path}"
    for path in [
        "web/node_modules/playwright-core/package.json",
        "web/tests/lib.mjs",
        "web/package.json",
        "deploy/gateway/gateway.py",
        "deploy/local/seed.py",
    ]:
        assert project.ignored_by_docker(path), f"{path} must stay out of the gateway's build context"


def test_gateway_template_replaces_its_upstreams_and_leaves_nginx_variables_alone():
    env = project.dockerfile_env(project.final_stage_of(project.GATEWAY_DOCKERFILE))
    pattern = re.compile(env["NGINX_ENVSUBST_FILTER"])
    template = project.GATEWAY_TEMPLATE.read_text()
    ours = project.gateway_variables()
    assert ours == {f"{project.short(s).upper()}_SERVICE_UPSTREAM" for s in project.SERVICES}
    for name in ours:
        assert pattern.search(name), f"NGINX_ENVSUBST_FILTER must let the entrypoint replace {name}"
    for service, port in project.SERVICES.items():
        assert env[f"{project.short(service).upper()}_SERVICE_UPSTREAM"] == f"{service}:{port}", (
            "the image's defaults are the Kubernetes Services"
        )
    nginx_variables = set(re.findall(r"\$([a-z_][a-z0-9_]*)", template))
    assert {"host", "uri", "scheme", "proxy_add_x_forwarded_for"} <= nginx_variables
    for name in nginx_variables | {"HOME", "PATH", "HOSTNAME", "NGINX_VERSION"}:
        assert not pattern.search(name), f"the entrypoint would replace ${name}"
    # The filter is what protects them: an environment holding such names changes nothing.
    rendered = project.render_gateway_template(
        {"host": "evil", "uri": "evil", "scheme": "evil", "PLAN_SERVICE_UPSTREAM": "p:1"}
    )
    assert "evil" not in rendered and "proxy_set_header Host $host;" in rendered
    assert "server p:1;" in rendered and "${" not in rendered.split("\nupstream", 1)[1]
