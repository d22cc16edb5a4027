"""The app factory every service uses: one Flask app, wired the same way four times."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, g, request
from flask_smorest import Api
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from ..auth import AuthError, Principal, TokenVerifier
from ..config import Settings
from ..context import correlation_id_var
from ..db import make_engine
from ..documents import is_public
from ..logs import configure_logging
from ..runtime import Runtime
from ..service import ServiceSpec
from ..uow import UnitOfWork
from . import health, idempotency
from .answer_json import StrictJSONProvider
from .input_guard import GuardedRequest, database_refused, header_text_ok, reject_nul_characters
from .problems import (
    PROBLEM_JSON,
    Problem,
    ProblemSchema,
    Unauthorized,
    handle_database_unavailable,
    handle_http_exception,
    handle_problem,
    handle_unexpected,
    problem_response,
)

CORRELATION_HEADER = "X-Correlation-ID"


class KinerjaApi(Api):
    """flask-smorest's Api with problem+json as the documented and returned error format."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error):  # noqa: D401 - flask-smorest hook
        return handle_http_exception(error)

    def _register_responses(self):
        self.DEFAULT_RESPONSE_CONTENT_TYPE = PROBLEM_JSON
        try:
            super()._register_responses()
        finally:
            self.DEFAULT_RESPONSE_CONTENT_TYPE = "application/json"


def create_service_app(spec: ServiceSpec, settings: Settings | None = None, engine: Engine | None = None) -> Flask:
    settings = settings or Settings.from_env(spec.name)
    configure_logging(spec.name, settings.log_level)
    app = Flask(spec.package)
    app.request_class = GuardedRequest
    app.json = StrictJSONProvider(app)  # never NaN/Infinity in an answer
    app.config.update(
        KINERJA_SERVICE=spec.name,
        API_TITLE=spec.title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="https://cdn.jsdelivr.net/npm/swagger-ui-dist/",
        MAX_CONTENT_LENGTH=int(settings.extra.get("KINERJA_MAX_BODY_BYTES", 12 * 1024 * 1024)),
        JSON_SORT_KEYS=False,
    )
    runtime = Runtime(
        spec=spec,
        settings=settings,
        engine=engine or make_engine(settings.database_url),
        verifier=TokenVerifier(settings),
        config=spec.load_config(settings),
    )
    app.extensions["kinerja"] = runtime

    api = KinerjaApi(
        app,
        spec_kwargs={
            "info": {"description": spec.description},
            "components": {
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
            },
            "security": [{"bearerAuth": []}],
        },
    )
    from .audit_api import make_audit_blueprint
    from .dlq_api import make_dlq_blueprint

    for blueprint in [*spec.blueprints, make_audit_blueprint(), make_dlq_blueprint()]:
        api.register_blueprint(blueprint)
    app.register_blueprint(health.blueprint)

    @app.before_request
    def _before():
        cid = request.headers.get(CORRELATION_HEADER, "").strip()[:64]
        if not cid or not header_text_ok(cid):  # an unreadable id is never echoed (the input guard refuses it)
            cid = str(uuid.uuid4())
        g.correlation_token = correlation_id_var.set(cid)
        health.start_timer()
        if is_public(request.path):  # the documents' public verification: no token, nothing to replay
            reject_nul_characters()
        elif request.path.startswith("/api/"):
            g.principal = _authenticate(runtime)
            reject_nul_characters()
            replay = idempotency.claim(runtime.engine, g.principal.sub)
            if replay is not None:
                return replay
        return None

    @app.after_request
    def _after(response):
        if g.get("idempotency_claim") or g.get("idempotency_pending"):
            response = idempotency.complete(runtime.engine, response)
        cid = correlation_id_var.get()
        if cid:
            response.headers[CORRELATION_HEADER] = cid
        if g.get("content_language"):  # the body holds texts in the request's language (kinerja_shared.i18n)
            response.headers.setdefault("Content-Language", g.content_language)
            response.vary.add("Accept-Language")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")  # every answer, downloads above all
        return health.observe(response)

    @app.teardown_request
    def _teardown(_exc):
        idempotency.release(runtime.engine)
        token = g.pop("correlation_token", None)
        if token is not None:
            correlation_id_var.reset(token)

    app.register_error_handler(Problem, handle_problem)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(DataError, database_refused)
    app.register_error_handler(PoolTimeout, handle_database_unavailable)
    app.register_error_handler(
        IntegrityError, lambda e: problem_response(409, "The change conflicts with data that already exists.")
    )
    app.register_error_handler(Exception, handle_unexpected)
    app.api = api  # type: ignore[attr-defined]
    if spec.init_app is not None:
        spec.init_app(app)
    return app


def _authenticate(runtime: Runtime) -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send a bearer token: Authorization: Bearer <JWT>.")
    try:
        return runtime.verifier.verify(token.strip())
    except AuthError as exc:
        raise Unauthorized(str(exc)) from None


_JOB_RUNTIME: ContextVar[Runtime | None] = ContextVar("kinerja_job_runtime", default=None)


@contextmanager
def job_runtime(spec: ServiceSpec, settings: Settings, engine: Engine):
    """Bind a Runtime (settings, engine, the service's config) for code a worker's job shares with the routes,
    so ``runtime()``, ``service_config()`` and what reads them work outside a request (e.g. evaluation-service
    renders a unit's documents in its worker with the routes' own code). No verifier: a job has no caller."""
    bound = Runtime(
        spec=spec,
        settings=settings,
        engine=engine,
        verifier=None,  # type: ignore[arg-type]
        config=spec.load_config(settings),
    )
    token = _JOB_RUNTIME.set(bound)
    try:
        yield bound
    finally:
        _JOB_RUNTIME.reset(token)


def runtime() -> Runtime:
    """The composition root's Runtime: a worker job's (job_runtime) or else the app's serving this request."""
    bound = _JOB_RUNTIME.get()
    if bound is not None:
        return bound
    from flask import current_app

    return current_app.extensions["kinerja"]


def service_config():
    """The service's own settings (ServiceSpec.config) of the app serving this request."""
    return runtime().config


def current_principal() -> Principal:
    return g.principal


def unit_of_work() -> UnitOfWork:
    """A unit of work on the runtime serving this request (or bound by ``job_runtime``):
    ``with unit_of_work() as uow:``."""
    return runtime().unit_of_work()
