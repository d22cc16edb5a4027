"""RFC 9457 problem details for every 4xx and 5xx answer.

Raise a ``Problem`` (or one of its subclasses) anywhere in a request; validation errors
from marshmallow/webargs become 422 with every field listed; unknown routes 404; a bug
becomes a 500 with no stack trace in the body (the trace goes to the log, with the
correlation id the client also gets back).

Texts follow ``Accept-Language`` (``kinerja_shared.i18n``): Indonesian by default, English with
``Accept-Language: en``. The code raises its problems in English; ``problem_response`` translates
the title, the detail and each ``errors[].message`` (naming the field in Indonesian, e.g.
``Jumlah (quantity): ...``) and answers with ``Content-Language`` and ``Vary: Accept-Language``.
``errors[].field``, ``type``, ``status`` and ``errors[].code`` (a stable id of the message) do not
depend on the language.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

import marshmallow as ma
from flask import Response
from werkzeug.exceptions import HTTPException

from .. import i18n
from ..context import current_correlation_id
from ..errors import (  # noqa: F401
    BadRequest,
    Conflict,
    DomainError,
    Forbidden,
    InvalidField,
    InvalidTransition,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    ServiceUnavailable,
    Unauthorized,
    Unprocessable,
    field_error,
)
from .answer_json import answer_dumps

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
MAX_LISTED_ERRORS = (
    50  # a refusal lists this many field errors and counts the rest (its size must not grow with the junk)
)


# The one error model lives in kinerja_shared.errors (no Flask there: use cases raise it); the web
# layer knows it under its HTTP names too. ``Problem`` is ``DomainError``.
Problem = DomainError


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details (application/problem+json)."""

    type = ma.fields.String(
        metadata={"description": "A URI reference identifying the problem type (about:blank by default)."}
    )
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    instance = ma.fields.String()
    correlation_id = ma.fields.String()
    errors = ma.fields.List(
        ma.fields.Dict(),
        metadata={
            "description": "Field errors: [{field, message, code}], at most "
            f"{MAX_LISTED_ERRORS}. `field` is the API's "
            "field name and `code` a stable id of the message (both the same in every language); `message` "
            "follows Accept-Language."
        },
    )
    errors_total = ma.fields.Integer(
        metadata={"description": "How many field errors there were, when more than listed"}
    )


def _joined(rows: list[dict]) -> str:
    return "; ".join(f"{r['field']}: {r['message']}" for r in rows[:10])


def localize(title: str | None, detail: str, errors: list | None, lang: str) -> tuple[str | None, str, list | None]:
    """The title, detail and field errors of a problem in ``lang``, each error row with its ``code``."""
    catalogue = i18n.load()
    rows = None
    if errors:
        rows = []
        for row in errors:
            if not isinstance(row, dict) or not isinstance(row.get("message"), str):
                rows.append(row)
                continue
            row = dict(row)
            code = catalogue.code(row["message"])
            if code and "code" not in row:
                row["code"] = code
            if lang != i18n.EN:
                field = str(row.get("field") or "")
                text = catalogue.translate(row["message"], lang)
                label = catalogue.field_label(field, lang)
                row["message"] = f"{label}: {text}" if field and not field.startswith("(") else text
            rows.append(row)
    if lang != i18n.EN:
        if errors and detail == _joined(errors):  # a detail made of the field errors: made again from theirs
            detail = "; ".join(r["message"] for r in rows[:10] if isinstance(r, dict) and "message" in r)
        else:
            detail = catalogue.translate(detail, lang)
        title = catalogue.translate(title, lang) if title else title
    return title, detail, rows


def _localized_items(value, lang: str):
    """An extension listing rules or findings ([{..., "message": ...}]): their texts in ``lang``."""
    if lang == i18n.EN or not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        return value
    catalogue = i18n.load()
    return [
        {
            k: catalogue.translate(v, lang) if k in ("message", "rule") and isinstance(v, str) else v
            for k, v in item.items()
        }
        for item in value
    ]


def problem_body(problem: DomainError, lang: str | None = None) -> dict:
    """A problem as an item of a batch answer: {title, detail, errors, ...extensions}, localized."""
    title, detail, errors = localize(
        problem.title or "Refused", problem.detail, problem.errors, lang or i18n.current_language()
    )
    return {"title": title, "detail": detail, "errors": errors or [], **problem.extensions}


def problem_response(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    errors: list | None = None,
    headers: dict | None = None,
    **extensions,
) -> Response:
    lang = i18n.current_language()
    title, detail, errors = localize(title or HTTPStatus(status).phrase, detail, errors, lang)
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    cid = current_correlation_id()
    if cid:
        body["correlation_id"] = cid
    if errors:
        body["errors"] = errors
    body.update({key: _localized_items(value, lang) for key, value in extensions.items()})
    response = Response(answer_dumps(body, default=str, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    response.headers["Content-Language"] = lang
    response.vary.add("Accept-Language")
    return response


def flatten_messages(messages, prefix: str = "") -> list[dict]:
    """Turn marshmallow's nested messages into [{field: 'results.0.text', message}] rows."""
    rows: list[dict] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            rows.extend(flatten_messages(value, name))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        rows.extend({"field": prefix or "(body)", "message": m} for m in messages)
    elif isinstance(messages, list):
        for i, value in enumerate(messages):
            rows.extend(flatten_messages(value, f"{prefix}.{i}" if prefix else str(i)))
    else:
        rows.append({"field": prefix or "(body)", "message": str(messages)})
    return rows


def handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    messages = data.get("errors") or data.get("messages")
    if messages:
        # webargs nests by location: {"json": {...}, "query": {...}}; drop "json" for the body.
        if isinstance(messages, dict) and set(messages) <= {"json", "query", "headers", "files", "form", "view_args"}:
            rows = []
            for location, fields in messages.items():
                for row in flatten_messages(fields):
                    row["location"] = {"json": "body"}.get(location, location)
                    rows.append(row)
        else:
            rows = flatten_messages(messages)
        detail = "; ".join(f"{r['field']}: {r['message']}" for r in rows[:10])
        more = {"errors_total": len(rows)} if len(rows) > MAX_LISTED_ERRORS else {}
        return problem_response(
            status,
            detail,
            title="Validation failed" if status in (400, 422) else None,
            errors=rows[:MAX_LISTED_ERRORS],
            headers=headers,
            **more,
        )
    if status >= 500:
        log.error("server error", exc_info=getattr(error, "original_exception", None))
        return problem_response(
            status,
            "The server could not complete the request. Quote the correlation id when reporting it.",
            headers=headers,
        )
    detail = data.get("message") or error.description or HTTPStatus(status).phrase
    return problem_response(status, str(detail), headers=headers)


def handle_problem(error: DomainError) -> Response:
    return problem_response(
        error.status, error.detail, title=error.title, errors=error.errors, headers=error.headers, **error.extensions
    )


def handle_database_unavailable(error: Exception) -> Response:
    log.warning("database unavailable", extra={"error": str(error)[:500]})
    return problem_response(
        503, "The service's database is unavailable; nothing was changed. Retry shortly.", headers={"Retry-After": "5"}
    )


def handle_unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    log.exception("unhandled error")
    return problem_response(
        500, "The server could not complete the request. Quote the correlation id when reporting it."
    )
