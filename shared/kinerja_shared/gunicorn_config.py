"""Gunicorn settings shared by every service's gunicorn.conf.py (which only sets the port).

Sync workers: on a 2-core machine 2 sync workers outran 4 workers and gthread for these
database-bound endpoints (docs/operations.md). Override with WEB_CONCURRENCY, BIND, etc.
GUNICORN_THREADS > 1 switches to gthread workers: notification-service sets it, because each open
Server-Sent Events stream holds its connection (up to 25 s) and must not hold a whole worker.

What gunicorn answers itself, before the app sees a request (a request line or a header field over its
limit: 414, 431; a malformed request: 400; a response header the app got wrong: 500), is a
problem+json like every other refusal, not gunicorn's HTML page.
"""

import json
import os

from gunicorn import util as _gunicorn_util


def _int(name: str, default: int) -> int:
    raw = (os.environ.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise SystemExit(f"{name} must be a whole number, got {raw!r}")
    return int(raw)


# CPUs this process may use (a container's cpuset), not the node's count.
workers = _int("WEB_CONCURRENCY", max(2, len(os.sched_getaffinity(0))))
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
keepalive = 5
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = (
    '{"time":"%(t)s","level":"INFO","logger":"gunicorn.access","method":"%(m)s","path":"%(U)s",'
    '"status":%(s)s,"bytes":"%(B)s","duration_us":%(D)s,"correlationid":"%({x-correlation-id}o)s"}'
)
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
control_socket_disable = True


def default_bind(port: int) -> str:
    return os.environ.get("BIND") or f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', port)}"


def write_problem(sock, status_int, reason, mesg):
    """gunicorn's util.write_error, answering application/problem+json (RFC 9457) instead of an HTML page."""
    body = json.dumps(
        {
            "type": "about:blank",
            "title": reason,
            "status": status_int,
            "detail": mesg or "The server could not complete the request.",
        }
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/problem+json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode("latin-1")
    _gunicorn_util.write_nonblock(sock, head + body)


_gunicorn_util.write_error = write_problem  # read as util.write_error by the workers' handle_error
