"""Gunicorn settings shared by every service's gunicorn.conf.py (which only sets the port).

Sync workers: on a 2-core machine 2 sync workers outran 4 workers and gthread for these
database-bound endpoints (docs/operations.md). Override with WEB_CONCURRENCY, BIND, etc.
"""
import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count())))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
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
