"""Gunicorn settings shared by every service's gunicorn.conf.py (which only sets the port).

Sync workers: on a 2-core machine 2 sync workers outran 4 workers and gthread for these
database-bound endpoints (docs/operations.md). Override with WEB_CONCURRENCY, BIND, etc.
GUNICORN_THREADS > 1 switches to gthread workers: notification-service sets it, because each open
Server-Sent Events stream holds its connection (up to 25 s) and must not hold a whole worker.
"""
import os


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
