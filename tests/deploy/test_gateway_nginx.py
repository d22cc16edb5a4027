"""The production gateway's nginx configuration (deploy/gateway/nginx.conf), run by a real nginx.

The template is rendered the way the image's entrypoint renders it, with the four upstreams
pointing at small HTTP servers on 127.0.0.1 that answer with who they are and the path they
received (what is under test is nginx's routing, not the services: tests/web/test_gateway.py
runs the development gateway against the real ones). The console is laid out as the image's
COPY instructions lay it out. nginx runs in the foreground with its pid, logs and temp files in
a temporary folder, as the non-root image runs it (as root it drops its workers to `nobody`).

Debian's `nginx` package provides the binary (`.ci/run` installs it).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from kinerja_shared.config import Settings
from kinerja_shared.processes import ManagedProcess, wait_ready
from kinerja_shared.testing.servers import free_port

from . import project

NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
)
pytestmark = pytest.mark.skipif(
    NGINX is None,
    reason="no nginx binary here: install Debian's nginx "
    "(apt-get install nginx; .ci/run does) to run the gateway's configuration",
)

ROUTES: dict[str, tuple[str, ...]] = project.gateway_module().ROUTES
STREAM = "/api/v1/notifications/stream"


class Upstream:
    """One service's stand-in: answers every request with its name and what it received."""

    def __init__(self, name: str):
        self.name = name
        self.stream_release = threading.Event()  # the SSE answer ends only when the test says so
        self.stream_ended = threading.Event()
        self.paths: list[str] = []  # every path it was asked for
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                upstream.paths.append(self.path)
                if self.path == STREAM:
                    return upstream.stream(self)
                if self.path.endswith("/unavailable"):  # a service's own answer while its database is down
                    data = json.dumps(
                        {
                            "type": "about:blank",
                            "title": "Service Unavailable",
                            "status": 503,
                            "detail": f"{upstream.name}: database unavailable",
                        }
                    ).encode()
                    self.send_response(503)
                    self.send_header("Content-Type", "application/problem+json")
                    self.send_header("Retry-After", "2")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    return self.wfile.write(data)
                data = json.dumps(
                    {
                        "upstream": upstream.name,
                        "method": self.command,
                        "path": self.path,
                        "body_bytes": len(body),
                        "body_sha256": hashlib.sha256(body).hexdigest(),
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stream(self, handler: BaseHTTPRequestHandler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "no-cache")
        handler.end_headers()
        handler.wfile.write(b'retry: 3000\n\nevent: notification\ndata: {"n": 1}\n\n')
        handler.wfile.flush()
        self.stream_release.wait(30)
        handler.wfile.write(b'event: notification\ndata: {"n": 2}\n\n')
        handler.wfile.flush()
        self.stream_ended.set()

    def close(self):
        self.stream_release.set()
        self.server.shutdown()
        self.server.server_close()


def lay_out_the_console(web_root: Path) -> None:
    """Copy the console as deploy/gateway/Dockerfile does (and .dockerignore allows), with the service
    worker its build stage renders (web/tools/precache.py)."""
    for word, rest in project.final_stage_of(project.GATEWAY_DOCKERFILE):
        args = rest.split()
        if word == "COPY" and args[0] == "--from=shell" and args[-1] == f"{project.GATEWAY_WEB_ROOT}/sw.js":
            web_root.mkdir(parents=True, exist_ok=True)
            (web_root / "sw.js").write_bytes(project.gateway_module().precache.service_worker(project.ROOT / "web"))
            continue
        if word != "COPY" or args[0].startswith("--") or not args[-1].startswith(project.GATEWAY_WEB_ROOT + "/"):
            continue
        target = web_root / args[-1].removeprefix(project.GATEWAY_WEB_ROOT + "/")
        for source in args[:-1]:
            path = project.ROOT / source
            if path.is_dir():
                for file in sorted(path.rglob("*")):
                    relative = file.relative_to(project.ROOT).as_posix()
                    if file.is_file() and not project.ignored_by_docker(relative):
                        (target / file.relative_to(path)).parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy(file, target / file.relative_to(path))
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, target / path.name)


def mime_types() -> Path:
    version = subprocess.run([NGINX, "-V"], capture_output=True, text=True).stderr
    conf = re.search(r"--conf-path=(\S+)", version)
    path = Path(conf.group(1) if conf else "/etc/nginx/nginx.conf").parent / "mime.types"
    assert path.is_file(), f"nginx's mime.types is not at {path}"
    return path


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the template should hold {old!r} once"
    return text.replace(old, new)


class Gateway:
    def __init__(self, folder: Path, upstreams: dict[str, Upstream]):
        self.folder = folder
        self.upstreams = upstreams
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.web_root = folder / "web"
        lay_out_the_console(self.web_root)
        env = {f"{project.short(s).upper()}_SERVICE_UPSTREAM": u.address for s, u in upstreams.items()}
        rendered = project.render_gateway_template(env)
        rendered = replace_once(rendered, "listen 8000;", f"listen 127.0.0.1:{self.port};")
        rendered = replace_once(rendered, f"root {project.GATEWAY_WEB_ROOT};", f"root {self.web_root};")
        (folder / "conf.d").mkdir()
        (folder / "conf.d" / "default.conf").write_text(rendered)
        # The http block of the image's nginx.conf: mime types, logs, pid and temp paths of its own.
        temp = "\n".join(
            f"    {kind}_temp_path {folder}/{kind}_temp;"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (folder / "nginx.conf").write_text(f"""worker_processes 1;
pid {folder}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    include {mime_types()};
    default_type application/octet-stream;
    access_log {folder}/access.log;
    sendfile on;
{temp}
    include {folder}/conf.d/*.conf;
}}
""")
        self.argv = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")]
        self.check = subprocess.run([*self.argv, "-t"], capture_output=True, text=True, timeout=30)
        assert self.check.returncode == 0, f"nginx -t refused the rendered configuration:\n{self.check.stderr}"
        self.process = ManagedProcess(
            "gateway.nginx", [*self.argv, "-g", "daemon off;"], dict(os.environ), folder / "nginx.out"
        ).start()
        try:
            wait_ready(self.url, timeout=20, path="/healthz")
        except TimeoutError:
            self.process.stop(timeout=5)
            raise AssertionError(
                f"nginx did not start:\n{(folder / 'error.log').read_text()}\n{(folder / 'nginx.out').read_text()}"
            ) from None

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, timeout=10, allow_redirects=False, **kwargs)


@pytest.fixture(scope="module")
def gateway():
    folder = Path(tempfile.mkdtemp(prefix="kinerja-nginx-"))
    folder.chmod(0o755)  # readable by the workers when nginx runs as root
    upstreams = {service: Upstream(service) for service in ROUTES}
    try:
        running = Gateway(folder, upstreams)
        try:
            yield running
        finally:
            running.process.stop(timeout=10)
    finally:
        for upstream in upstreams.values():
            upstream.close()
        shutil.rmtree(folder, ignore_errors=True)


def problem(answer: requests.Response, status: int) -> dict:
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"] == "application/problem+json", answer.headers
    body = answer.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


# -- the configuration ---------------------------------------------------------------------------


def test_nginx_accepts_the_rendered_configuration(gateway):
    assert "syntax is ok" in gateway.check.stderr and "test is successful" in gateway.check.stderr
    answer = gateway.get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}
    assert answer.headers["Server"] == "nginx", "server_tokens off: no version"


def test_the_route_table_is_the_development_gateway_s():
    """Every /api/v1 prefix nginx routes, to the service gateway.py routes it to; nothing more."""
    template = project.GATEWAY_TEMPLATE.read_text()
    routed: dict[str, set[str]] = {}
    for prefixes, upstream in re.findall(
        r"location ~ \^/api/v1/\(([^)]+)\)\(/\|\$\)\s*\{\s*proxy_pass http://(\w+);", template
    ):
        routed.setdefault(upstream, set()).update(prefixes.split("|"))
    assert routed == {service.replace("-", "_"): set(prefixes) for service, prefixes in ROUTES.items()}


# -- routing -------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix, service", [(p, s) for s, prefixes in ROUTES.items() for p in prefixes])
def test_each_prefix_reaches_its_service_with_the_path_unchanged(gateway, prefix, service):
    for path in (f"/api/v1/{prefix}", f"/api/v1/{prefix}/2027-Q1/items?limit=5&unit=DISKOMINFO"):
        answer = gateway.get(path)
        assert answer.status_code == 200, answer.text
        seen = answer.json()
        assert (seen["upstream"], seen["path"]) == (service, path)
        assert seen["headers"]["x-forwarded-for"] == "127.0.0.1"
        assert seen["headers"]["x-forwarded-proto"] == "http"
        assert seen["headers"]["host"] == "127.0.0.1"


def test_document_verification_reaches_the_service_that_issued_the_code(gateway):
    """Issue 17: /api/v1/documents/verify/{code} goes by the code's first letter, as gateway.py routes it."""
    from kinerja_shared.documents.codes import ISSUERS

    gateway_py = project.gateway_module()
    assert gateway_py.DOCUMENT_ISSUERS == ISSUERS
    for code, service in (
        ("P7K3MQ9XD2HTA", "plan-service"),
        ("e7k3mq9xd2hta", "evaluation-service"),
        ("E-7K3M-Q9XD-2HTA", "evaluation-service"),
    ):
        path = f"/api/v1/documents/verify/{code}"
        seen = gateway.get(path).json()
        assert (seen["upstream"], seen["path"]) == (service, path)
        assert gateway_py.verify_service(path) == service
        posted = requests.post(
            gateway.url + path, data=b"%PDF-1.4 copy", headers={"Content-Type": "application/pdf"}, timeout=10
        ).json()
        assert (posted["upstream"], posted["body_bytes"]) == (service, 13)
    problem(gateway.get("/api/v1/documents/verify/X7K3MQ9XD2HTA"), 404)
    assert gateway_py.verify_service("/api/v1/documents/verify/X7K3MQ9XD2HTA") is None


def test_unknown_and_lookalike_api_paths_are_problems_not_the_console(gateway):
    paths = ("/api/v1/salaries", "/api/v1/plansx", "/api/v1/plans-archive/1", "/api/v2/plans", "/api/")
    for path in paths:
        problem(gateway.get(path), 404)
    assert problem(gateway.get("/api/v1/salaries"), 404)["title"] == "Tidak ditemukan"
    english = gateway.get("/api/v1/salaries", headers={"Accept-Language": "en-US,en;q=0.9,id;q=0.5"})
    assert problem(english, 404)["title"] == "Not Found" and english.headers["Content-Language"] == "en"
    assert english.headers["X-Content-Type-Options"] == "nosniff"
    asked = [p for u in gateway.upstreams.values() for p in u.paths]
    assert not set(paths) & set(asked), "no service is asked (the stand-ins answer 200 to anything)"


def test_shared_paths_reach_each_service_without_the_svc_prefix(gateway):
    for service in ROUTES:
        for path in ("/readyz", "/api/v1/audit?limit=5", "/docs"):
            seen = gateway.get(f"/svc/{service}{path}").json()
            assert (seen["upstream"], seen["path"]) == (service, path)
    problem(gateway.get("/svc/payroll-service/readyz"), 404)


def test_writes_pass_with_their_bodies_up_to_the_services_limit(gateway):
    limit = int(Settings.from_env("plan-service", {}).extra.get("KINERJA_MAX_BODY_BYTES", 12 * 1024 * 1024))
    assert limit == 12 * 1024 * 1024 and "client_max_body_size 12m;" in project.GATEWAY_TEMPLATE.read_text()
    body = os.urandom(limit - 4096)
    answer = requests.post(
        gateway.url + "/api/v1/activities/batch",
        data=body,
        headers={"Content-Type": "application/octet-stream", "Idempotency-Key": "k-1"},
        timeout=30,
    )
    seen = answer.json()
    assert (seen["upstream"], seen["method"], seen["body_bytes"]) == ("activity-service", "POST", len(body))
    assert seen["body_sha256"] == hashlib.sha256(body).hexdigest() and seen["headers"]["idempotency-key"] == "k-1"
    too_large = requests.post(gateway.url + "/api/v1/activities/batch", data=os.urandom(limit + 1), timeout=30)
    assert "12 MiB" in problem(too_large, 413)["detail"]


class Unreachable:
    """An upstream address where nothing listens."""

    def __init__(self):
        self.address = f"127.0.0.1:{free_port()}"
        self.paths: list[str] = []


def test_a_service_s_own_errors_pass_and_an_unreachable_one_is_a_problem(gateway):
    own = gateway.get("/api/v1/plans/unavailable")
    assert problem(own, 503)["detail"] == "plan-service: database unavailable" and own.headers["Retry-After"] == "2"
    folder = Path(tempfile.mkdtemp(prefix="kinerja-nginx-down-"))
    folder.chmod(0o755)
    try:
        down = Gateway(folder, {**gateway.upstreams, "evaluation-service": Unreachable()})
        try:
            answer = down.get("/api/v1/evaluations?limit=1", headers={"Accept-Language": "en"})
            assert "did not answer" in problem(answer, 502)["detail"] and answer.headers["Retry-After"] == "5"
            assert answer.headers["Content-Language"] == "en"
            answer = down.get("/api/v1/evaluations?limit=1")  # the console's language unless English is asked for
            assert "tidak menjawab" in problem(answer, 502)["detail"] and answer.headers["Content-Language"] == "id"
            assert answer.headers["X-Content-Type-Options"] == "nosniff"
            assert down.get("/api/v1/plans").json()["upstream"] == "plan-service", "the others still answer"
        finally:
            down.process.stop(timeout=10)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- what is never served ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/dev/users",
        "/dev/token",
        "/node_modules/playwright-core/package.json",
        "/tests/lib.mjs",
        "/.gitignore",
        "/src/.env",
        "/src/no-such-module.js",
    ],
)
def test_private_and_missing_paths_are_404(gateway, path):
    assert gateway.get(path).status_code == 404
    if path.startswith("/dev/"):
        assert requests.post(gateway.url + path, json={"nip": "x"}, timeout=10).status_code == 404


# -- the console ---------------------------------------------------------------------------------


def test_the_console_and_its_client_side_routes_get_index_html(gateway):
    index = (project.ROOT / "web" / "index.html").read_bytes()
    for path in ("/", "/index.html", "/rater/inbox", "/evaluations/2027-Q1/199208172019031004"):
        answer = gateway.get(path)
        assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/html"), path
        assert answer.content == index, path
        assert answer.headers["Cache-Control"] == "no-cache" and answer.headers["X-Content-Type-Options"] == "nosniff"
    config = gateway.get("/config.js")
    assert config.status_code == 200 and config.content == (project.ROOT / "web" / "config.js").read_bytes()


def test_the_console_s_icon_is_served_not_index_html(gateway):
    for name, kind in (("favicon.ico", "image/"), ("favicon.svg", "image/svg+xml")):
        answer = gateway.get("/" + name)
        assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(kind), name
        assert answer.content == (project.ROOT / "web" / name).read_bytes()
        assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_the_installable_app_s_worker_manifest_and_icons_are_served(gateway):
    worker = gateway.get("/sw.js")
    assert worker.status_code == 200 and worker.headers["Content-Type"].split(";")[0] in (
        "application/javascript",
        "text/javascript",
    )
    assert worker.headers["Cache-Control"] == "no-cache", "the browser checks for a new version at every open"
    assert worker.headers["Service-Worker-Allowed"] == "/"
    shell = json.loads(re.search(r"^const SHELL = (.*);$", worker.text, flags=re.M).group(1))
    assert re.fullmatch(r"[0-9a-f]{16}", shell["version"]) and "/src/screens/employee/log.js" in shell["files"]
    for path in shell["files"]:  # everything the worker precaches is in the image
        assert gateway.get(path).status_code == 200, path
    manifest = gateway.get("/manifest.webmanifest")
    assert manifest.headers["Content-Type"].startswith("application/manifest+json")
    for icon in manifest.json()["icons"]:
        answer = gateway.get(icon["src"])
        assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("image/"), icon
    assert gateway.get("/icons/none.png").status_code == 404


def test_modules_are_served_gzipped_with_etags(gateway):
    for name in ("app.js", "styles.css"):
        source = (project.ROOT / "web" / "src" / name).read_bytes()
        raw = requests.get(gateway.url + "/src/" + name, headers={"Accept-Encoding": "gzip"}, timeout=10, stream=True)
        assert raw.status_code == 200 and raw.headers["Content-Encoding"] == "gzip", name
        assert "Accept-Encoding" in raw.headers["Vary"]
        compressed = raw.raw.read(decode_content=False)
        assert gzip.decompress(compressed) == source and len(compressed) < len(source)
        plain = requests.get(gateway.url + "/src/" + name, headers={"Accept-Encoding": "identity"}, timeout=10)
        assert "Content-Encoding" not in plain.headers and plain.content == source
    module = gateway.get("/src/app.js")
    assert module.headers["Content-Type"].split(";")[0] in ("application/javascript", "text/javascript")
    cached = gateway.get("/src/app.js", headers={"If-None-Match": module.headers["ETag"]})
    assert cached.status_code == 304


# -- Server-Sent Events --------------------------------------------------------------------------


def test_server_sent_events_pass_through_unbuffered(gateway):
    notification = gateway.upstreams["notification-service"]
    notification.stream_release.clear()
    notification.stream_ended.clear()
    with requests.get(
        gateway.url + STREAM, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=(5, 15)
    ) as stream:
        assert stream.status_code == 200 and stream.headers["Content-Type"].startswith("text/event-stream")
        assert "Content-Encoding" not in stream.headers, "a compressed stream would wait for more data"
        lines = stream.iter_lines(decode_unicode=True)
        first = [next(lines) for _ in range(4)]
        # The stand-in holds the answer open until released: what arrived came through unbuffered.
        assert first == ["retry: 3000", "", "event: notification", 'data: {"n": 1}']
        assert not notification.stream_ended.is_set()
        notification.stream_release.set()
        rest = list(lines)
    assert 'data: {"n": 2}' in rest and notification.stream_ended.is_set()
