"""/healthz (alive), /readyz (database and Kafka reachable), /metrics (Prometheus)."""

from __future__ import annotations

import os
import socket
import time

from flask import Blueprint, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from sqlalchemy import text

REQUESTS = Counter("kinerja_http_requests_total", "HTTP requests", ["service", "method", "endpoint", "status"])
LATENCY = Histogram(
    "kinerja_http_request_seconds",
    "HTTP request latency",
    ["service", "method", "endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)

blueprint = Blueprint("health", __name__)


def _kafka_reachable(bootstrap: str, timeout: float = 1.0) -> tuple[bool, str]:
    last = ""
    for server in bootstrap.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            with socket.create_connection((host, int(port)), timeout=timeout):
                return True, "ok"
        except OSError as exc:
            last = f"{server}: {exc.strerror or exc}"
    return False, last


@blueprint.get("/healthz")
def healthz():
    return {"status": "ok", "service": current_app.config["KINERJA_SERVICE"]}


@blueprint.get("/readyz")
def readyz():
    """200 when the database answers (status "degraded" when Kafka does not), 503 when the database is down."""
    runtime = current_app.extensions["kinerja"]
    checks = {}
    try:
        with runtime.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - report, never raise
        checks["database"] = f"unavailable: {type(exc).__name__}"
    ok, detail = _kafka_reachable(runtime.settings.kafka_bootstrap_servers)
    checks["kafka"] = "ok" if ok else f"unavailable: {detail}"
    # The web process needs its database to serve; Kafka only through the worker's relay. A broker
    # outage is reported ("degraded") but keeps the pod in service: requests still succeed.
    if checks["database"] != "ok":
        status, code = "not ready", 503
    elif checks["kafka"] != "ok":
        status, code = "degraded", 200
    else:
        status, code = "ready", 200
    return {"status": status, "checks": checks}, code


@blueprint.get("/metrics")
def metrics():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
    return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)


def start_timer() -> None:
    g.request_started = time.perf_counter()


def observe(response: Response) -> Response:
    started = g.get("request_started")
    if started is not None:
        service = current_app.config["KINERJA_SERVICE"]
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        LATENCY.labels(service, request.method, endpoint).observe(time.perf_counter() - started)
        REQUESTS.labels(service, request.method, endpoint, str(response.status_code)).inc()
    return response
