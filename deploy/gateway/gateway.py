#!/usr/bin/env python3
"""gateway.py: one origin for the web console and the four services' APIs (development and tests).

    python deploy/gateway/gateway.py                 serve on GATEWAY_BIND (127.0.0.1:8000)
    python deploy/gateway/gateway.py --bind 0.0.0.0:8000 --dev-signin

It serves the single-page application in ``web/`` as static files and forwards every
``/api/v1/<prefix>/...`` request, streamed both ways, to the service that owns the prefix:

    plan-service          /api/v1/{units,employees,directory,plans,plan-templates}
    activity-service      /api/v1/{activities,indicators,summaries}
    evaluation-service    /api/v1/{evaluations,feedback,periods,unit-performance,dialogues}
    notification-service  /api/v1/{notifications,webhooks,integrations}

The service worker ``/sw.js`` is rendered at serve time (web/tools/precache.py: its precache list
and version come from the files' content), with ``Cache-Control: no-cache`` and
``Service-Worker-Allowed: /``; nginx serves the copy rendered when the image is built.

and ``/api/v1/documents/verify/{code}`` (public, no sign-in) to the service that issued the code, by its
first letter: P plan-service, E evaluation-service.

Paths every service has (``/api/v1/audit``, ``/readyz``, ``/docs`` ...) are reached as
``/svc/<service>/<path>``, e.g. ``/svc/plan-service/api/v1/audit``. Responses are passed on
as they arrive (Server-Sent Events of ``/api/v1/notifications/stream`` are not buffered).

With ``KINERJA_DEV_SIGNIN=true`` (``make run`` sets it; never in production) it also answers
``GET /dev/users`` (the demo users of deploy/local/seed.py) and ``POST /dev/token {"nip": ...}``
(a development token minted with the services' JWT settings). In production nginx does the same
routing (deploy/gateway/nginx.conf) and sign-in goes through the region's OIDC provider.

Settings (environment): GATEWAY_BIND, GATEWAY_WEB_ROOT, GATEWAY_THREADS, GATEWAY_UPSTREAM_TIMEOUT,
PLAN_SERVICE_URL, ACTIVITY_SERVICE_URL, EVALUATION_SERVICE_URL, NOTIFICATION_SERVICE_URL,
KINERJA_DEV_SIGNIN, and the JWT_* settings of the services for the development tokens.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import importlib.util
import json
import mimetypes
import os
import sys
import urllib.parse
from pathlib import Path

from kinerja_shared.processes import SERVICES

ROOT = Path(__file__).resolve().parents[2]

ROUTES: dict[str, tuple[str, ...]] = {
    "plan-service": ("units", "employees", "directory", "plans", "plan-templates"),
    "activity-service": ("activities", "indicators", "summaries"),
    "evaluation-service": ("evaluations", "feedback", "periods", "unit-performance", "dialogues"),
    "notification-service": ("notifications", "webhooks", "integrations"),
}
# The public verification of official documents (issue 17) is routed by the code's first letter, the issuing
# service's (kinerja_shared.documents.codes.ISSUERS): services share no database, so only the issuer knows a code.
VERIFY_PREFIX = "/api/v1/documents/verify/"
DOCUMENT_ISSUERS = {"P": "plan-service", "E": "evaluation-service"}
DEFAULT_PORTS = SERVICES  # where `make run` starts each service (kinerja_shared.processes)
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
}
TRUE = {"1", "true", "yes", "on"}


def _precache_module():
    spec = importlib.util.spec_from_file_location("kinerja_web_precache", ROOT / "web" / "tools" / "precache.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


precache = _precache_module()


def env_url(service: str, env) -> str:
    name = service.removesuffix("-service").upper() + "_SERVICE_URL"
    return env.get(name) or f"http://127.0.0.1:{DEFAULT_PORTS[service]}"


def verify_service(path: str) -> str | None:
    """The service that issued the code in ``/api/v1/documents/verify/{code}`` (its first letter, any case)."""
    code = path[len(VERIFY_PREFIX) :]
    return DOCUMENT_ISSUERS.get(code[:1].upper()) if code else None


class Config:
    """The gateway's settings, read from the environment and checked at start-up."""

    def __init__(self, env=os.environ, **overrides):
        self.bind = overrides.get("bind") or env.get("GATEWAY_BIND") or "127.0.0.1:8000"
        self.web_root = Path(overrides.get("web_root") or env.get("GATEWAY_WEB_ROOT") or ROOT / "web").resolve()
        self.threads = int(overrides.get("threads") or env.get("GATEWAY_THREADS") or 32)
        self.upstream_timeout = float(env.get("GATEWAY_UPSTREAM_TIMEOUT") or 60)
        dev = overrides.get("dev_signin")
        self.dev_signin = dev if dev is not None else (env.get("KINERJA_DEV_SIGNIN") or "false").lower() in TRUE
        self.upstreams = {service: env_url(service, env).rstrip("/") for service in ROUTES}
        self.env = env
        for service, url in self.upstreams.items():
            parts = urllib.parse.urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise SystemExit(
                    f"{service.removesuffix('-service').upper()}_SERVICE_URL must be an http(s) URL, got {url!r}"
                )
        if not (self.web_root / "index.html").is_file():
            raise SystemExit(f"GATEWAY_WEB_ROOT: {self.web_root} has no index.html")
        if self.dev_signin and (env.get("KINERJA_ENV") or "development") == "production":
            raise SystemExit("KINERJA_DEV_SIGNIN: development sign-in is refused when KINERJA_ENV=production")
        if self.threads < 1 or self.upstream_timeout <= 0:
            raise SystemExit("GATEWAY_THREADS and GATEWAY_UPSTREAM_TIMEOUT must be positive")


TITLES_ID = {
    "Not Found": "Tidak ditemukan",
    "Bad Gateway": "Gateway bermasalah",
    "Method Not Allowed": "Metode tidak diizinkan",
    "Validation failed": "Validasi gagal",
}


def language(environ) -> str:
    """The gateway's own problems speak the console's language, Bahasa Indonesia, unless the client's first
    choice is English (as nginx.conf's $kinerja_lang; the services negotiate fully, kinerja_shared.i18n)."""
    first = (environ.get("HTTP_ACCEPT_LANGUAGE") or "").split(",")[0].strip().lower()
    return "en" if first.startswith("en") else "id"


def problem(environ, start_response, status: int, title: str, detail: str, detail_id: str, **extra):
    lang = language(environ)
    body = json.dumps(
        {
            "type": "about:blank",
            "title": title if lang == "en" else TITLES_ID.get(title, title),
            "status": status,
            "detail": detail if lang == "en" else detail_id,
            **extra,
        }
    ).encode()
    start_response(
        f"{status} {http.client.responses.get(status, '')}",
        [
            ("Content-Type", "application/problem+json"),
            ("Content-Length", str(len(body))),
            ("Content-Language", lang),
            ("Vary", "Accept-Language"),
            ("X-Content-Type-Options", "nosniff"),
        ],
    )
    return [body]


def json_answer(start_response, value, status: str = "200 OK"):
    body = json.dumps(value).encode()
    start_response(
        status,
        [("Content-Type", "application/json"), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")],
    )
    return [body]


class Gateway:
    """The WSGI application."""

    def __init__(self, config: Config):
        self.config = config
        self.prefixes = {prefix: service for service, prefixes in ROUTES.items() for prefix in prefixes}

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO") or "/"
        if path.startswith(VERIFY_PREFIX):
            service = verify_service(path)
            if service is None:
                return problem(
                    environ,
                    start_response,
                    404,
                    "Not Found",
                    "No document has this verification code.",
                    "Tidak ada dokumen dengan kode verifikasi ini.",
                )
            return self.forward(environ, start_response, service, path)
        if path.startswith("/api/v1/"):
            prefix = path.split("/")[3]
            service = self.prefixes.get(prefix)
            if service is None:
                return problem(
                    environ,
                    start_response,
                    404,
                    "Not Found",
                    f"no service serves /api/v1/{prefix}",
                    f"tidak ada layanan yang melayani /api/v1/{prefix}",
                )
            return self.forward(environ, start_response, service, path)
        if path.startswith("/svc/"):
            _, _, service, *rest = path.split("/", 3)
            if service not in ROUTES:
                return problem(
                    environ,
                    start_response,
                    404,
                    "Not Found",
                    f"unknown service {service!r}; known: {', '.join(ROUTES)}",
                    f"layanan {service!r} tidak dikenal; yang dikenal: {', '.join(ROUTES)}",
                )
            return self.forward(environ, start_response, service, "/" + (rest[0] if rest else ""))
        if path.startswith("/dev/"):
            return self.dev(environ, start_response, path)
        if path == "/healthz":
            return json_answer(start_response, {"status": "ok"})
        return self.static(environ, start_response, path)

    # -- the services --------------------------------------------------------------------------------

    def forward(self, environ, start_response, service: str, path: str):
        upstream = urllib.parse.urlsplit(self.config.upstreams[service])
        connection_class = http.client.HTTPSConnection if upstream.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(upstream.hostname, upstream.port, timeout=self.config.upstream_timeout)
        target = (upstream.path.rstrip("/") + path) + (
            ("?" + environ["QUERY_STRING"]) if environ.get("QUERY_STRING") else ""
        )
        headers = {}
        for key, value in environ.items():
            if key.startswith("HTTP_"):
                name = key[5:].replace("_", "-").title()
                if name.lower() not in HOP_BY_HOP:
                    headers[name] = value
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        remote = environ.get("REMOTE_ADDR", "")
        headers["X-Forwarded-For"] = ", ".join(filter(None, [environ.get("HTTP_X_FORWARDED_FOR"), remote]))
        headers["X-Forwarded-Proto"] = environ.get("wsgi.url_scheme", "http")
        headers["X-Forwarded-Host"] = environ.get("HTTP_HOST", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else None
        try:
            connection.request(environ["REQUEST_METHOD"], target, body=body, headers=headers)
            response = connection.getresponse()
        except OSError:
            connection.close()
            return problem(
                environ,
                start_response,
                502,
                "Bad Gateway",
                f"{service} did not answer; try again shortly",
                f"{service} tidak menjawab; coba lagi sebentar lagi",
            )
        out = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
        if response.getheader("Content-Length") and not response.chunked:
            out.append(("Content-Length", response.getheader("Content-Length")))
        start_response(f"{response.status} {response.reason}", out)
        return self._stream(response, connection)

    @staticmethod
    def _stream(response, connection):
        """Pass each piece on as soon as the service sends it (SSE needs this)."""
        try:
            while True:
                try:
                    chunk = response.read1(65536)
                except OSError:
                    return
                if not chunk:
                    return
                yield chunk
        finally:
            connection.close()

    # -- development sign-in -------------------------------------------------------------------------

    def dev(self, environ, start_response, path: str):
        if not self.config.dev_signin:
            return problem(
                environ,
                start_response,
                404,
                "Not Found",
                "development sign-in is off (KINERJA_DEV_SIGNIN)",
                "masuk untuk pengembangan tidak aktif (KINERJA_DEV_SIGNIN)",
            )
        users = demo_users()
        if path == "/dev/users" and environ["REQUEST_METHOD"] == "GET":
            return json_answer(start_response, {"items": [{"role": role, **user} for role, user in users.items()]})
        if path == "/dev/token" and environ["REQUEST_METHOD"] == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
                nip = json.loads(environ["wsgi.input"].read(length) or b"{}").get("nip")
            except (ValueError, AttributeError):
                nip = None
            user = next((u for u in users.values() if u["nip"] == nip), None)
            if user is None:
                english = language(environ) == "en"
                message = (
                    "not one of the demo users (GET /dev/users)"
                    if english
                    else "bukan salah satu pengguna demo (GET /dev/users)"
                )
                return problem(
                    environ,
                    start_response,
                    422,
                    "Validation failed",
                    "nip: not one of the demo users",
                    "NIP: bukan salah satu pengguna demo",
                    errors=[{"field": "nip", "message": message}],
                )
            from kinerja_shared.auth import mint_token
            from kinerja_shared.config import Settings

            settings = Settings.from_env("gateway", dict(self.config.env))
            token = mint_token(settings, sub=user["nip"], name=user["name"], unit=user["unit"], roles=user["roles"])
            return json_answer(start_response, {"token": token, **user})
        return problem(
            environ,
            start_response,
            404,
            "Not Found",
            "GET /dev/users or POST /dev/token",
            "GET /dev/users atau POST /dev/token",
        )

    # -- the web console -----------------------------------------------------------------------------

    def static(self, environ, start_response, path: str):
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return problem(
                environ,
                start_response,
                405,
                "Method Not Allowed",
                "static files are read-only",
                "berkas statis hanya bisa dibaca",
            )
        relative = urllib.parse.unquote(path).lstrip("/") or "index.html"
        if relative == "sw.js":
            return self.service_worker(environ, start_response)
        file = (self.config.web_root / relative).resolve()
        if (
            self.config.web_root not in file.parents
            or not file.is_file()
            or "node_modules" in file.parts
            or any(part.startswith(".") for part in file.relative_to(self.config.web_root).parts)
        ):
            return problem(environ, start_response, 404, "Not Found", f"no file {path}", f"tidak ada berkas {path}")
        stat = file.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        headers = [("ETag", etag), ("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff")]
        if environ.get("HTTP_IF_NONE_MATCH") == etag:
            start_response("304 Not Modified", headers)
            return [b""]
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if file.suffix in (".js", ".mjs"):
            kind = "text/javascript"
        elif file.suffix == ".webmanifest":
            kind = "application/manifest+json"
        if kind.startswith("text/") or kind.endswith("javascript") or kind.endswith("json"):
            kind += "; charset=utf-8"
        data = file.read_bytes()
        start_response("200 OK", headers + [("Content-Type", kind), ("Content-Length", str(len(data)))])
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else data]

    def service_worker(self, environ, start_response):
        """web/sw.js with the shell's files and version filled in (no-cache: the browser checks it at every open)."""
        data = precache.service_worker(self.config.web_root)
        etag = '"%s"' % hashlib.sha256(data).hexdigest()[:32]
        headers = [
            ("ETag", etag),
            ("Cache-Control", "no-cache"),
            ("Service-Worker-Allowed", "/"),
            ("X-Content-Type-Options", "nosniff"),
        ]
        if environ.get("HTTP_IF_NONE_MATCH") == etag:
            start_response("304 Not Modified", headers)
            return [b""]
        start_response(
            "200 OK", headers + [("Content-Type", "text/javascript; charset=utf-8"), ("Content-Length", str(len(data)))]
        )
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else data]


def demo_users() -> dict:
    sys.path.insert(0, str(ROOT / "deploy" / "local"))
    try:
        from seed import DEMO_USERS
    finally:
        sys.path.pop(0)
    return DEMO_USERS


def serve(config: Config) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", config.bind)
            self.cfg.set(
                "worker_class", "gthread"
            )  # threads: a long-lived SSE stream holds one thread, not the process
            self.cfg.set("workers", 1)
            self.cfg.set("threads", config.threads)
            self.cfg.set("timeout", 120)
            self.cfg.set("graceful_timeout", 5)
            self.cfg.set("accesslog", "-")

        def load(self):
            return Gateway(config)

    Server().run()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bind", help="host:port to listen on (default: GATEWAY_BIND or 127.0.0.1:8000)")
    parser.add_argument("--web-root", help="the folder of the web console (default: GATEWAY_WEB_ROOT or web/)")
    parser.add_argument(
        "--threads", type=int, help="concurrent requests, SSE streams included (default: GATEWAY_THREADS or 32)"
    )
    parser.add_argument(
        "--dev-signin",
        action="store_true",
        default=None,
        help="serve /dev/users and /dev/token (default: KINERJA_DEV_SIGNIN); never in production",
    )
    args = parser.parse_args(argv)
    config = Config(bind=args.bind, web_root=args.web_root, threads=args.threads, dev_signin=args.dev_signin)
    print(
        f"[gateway] http://{config.bind} -> "
        + ", ".join(f"{s} {u}" for s, u in config.upstreams.items())
        + ("; development sign-in ON" if config.dev_signin else ""),
        flush=True,
    )
    serve(config)


if __name__ == "__main__":
    main()
