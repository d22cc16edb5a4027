"""Input guards every service gets from the app factory.

- A NUL character anywhere in the path, query, form or JSON body is refused with a problem naming
  the field (PostgreSQL text cannot store one; without this it would be a 500).
- A string longer than KINERJA_MAX_STRING_CHARS (65,536 characters) anywhere in a JSON body or a form is
  refused with a 422 naming the field, whatever the field's own schema says: no free-text field needs more,
  and a 12 MiB description would otherwise reach the database. Schemas set tighter limits per field.
- A JSON body nested deeper than KINERJA_MAX_JSON_DEPTH (32) levels is a 422 naming ``(body)``, found by
  counting brackets outside strings in the raw text before any parser recurses into it.
- Text that is not valid Unicode — an invalid UTF-8 byte, a lone surrogate (``"\ud800"``), a non-character
  (U+FFFE, U+FFFF, U+FDD0..U+FDEF, U+nFFFE/U+nFFFF) — in a JSON string or key, a form or multipart field,
  a file name, a path parameter or the query string is refused naming the field (422; 400 for the path and
  query). The headers the services read (``GUARDED_HEADERS``) must be printable ASCII (400 naming the header).
  A multipart part header (name, file name) that is not UTF-8 makes the form malformed (``StrictFormDataParser``:
  a 422 naming ``(body)``, where werkzeug would silently parse an empty form); an invalid byte inside a
  multipart field's value is turned into U+FFFD by werkzeug, which stores safely.
- Strict JSON (``strict_json.loads``): an object with the same key twice is a 422 naming the key (RFC 8259
  leaves it to the receiver; I-JSON, RFC 7493, forbids it) — otherwise one copy would silently win; ``NaN``,
  ``Infinity`` and numbers beyond a float (``1e999``) are a 422 naming the field.
- A value the database refuses that no check caught (too long, out of range) is a 422, not a 500.
- A body over KINERJA_MAX_BODY_BYTES is a 413 (Flask's MAX_CONTENT_LENGTH, set by the app factory).

The hot path stays cheap: the raw bytes are scanned with a few C-speed searches, and the parsed body is
walked only when they could hold an offender.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, unquote_to_bytes

from flask import Request, current_app, request
from werkzeug.formparser import FormDataParser

from .. import strict_json
from ..strict_json import DEFAULT_MAX_JSON_DEPTH, INVALID_TEXT, NUL, invalid_text
from .problems import field_error, problem_response

_WSGI_PATH = "PATH_INFO"

DEFAULT_MAX_STRING_CHARS = 65536
MAX_JSON_DEPTH_CEILING = 500  # the parsers recurse: a setting above this would bring the RecursionError back

# Headers the services read; their values must be printable ASCII (RFC 9110 field values; obs-text refused).
GUARDED_HEADERS = (
    "Idempotency-Key",
    "If-Match",
    "If-None-Match",
    "X-Correlation-ID",
    "X-Request-ID",
    "Last-Event-ID",
    "Accept-Language",
)
_HEADER_TEXT_BAD = re.compile(r"[^\t\x20-\x7e]")

HEADER_TEXT = "must be printable ASCII text"


def header_text_ok(value: str) -> bool:
    return _HEADER_TEXT_BAD.search(value) is None


def safe_name(name) -> str:
    """A field name fit to be echoed in a problem: no NUL, no invalid text, at most 200 characters."""
    return strict_json.printable(str(name).replace(NUL, ""))[:200]


def _setting(name: str, default: int, ceiling: int | None = None) -> int:
    runtime = current_app.extensions.get("kinerja")
    extra = getattr(getattr(runtime, "settings", None), "extra", {}) or {}
    try:
        value = max(1, int(extra.get(name, default)))
    except ValueError:
        return default
    return min(value, ceiling) if ceiling else value


def max_string_chars() -> int:
    return _setting("KINERJA_MAX_STRING_CHARS", DEFAULT_MAX_STRING_CHARS)


def max_json_depth() -> int:
    return _setting("KINERJA_MAX_JSON_DEPTH", DEFAULT_MAX_JSON_DEPTH, MAX_JSON_DEPTH_CEILING)


def strict_json_loads(raw: bytes):
    """Parse a request body as strict JSON (``strict_json.loads``). Raises a 422 Problem naming the field;
    returns None when the body is not JSON at all (the arguments parser answers that with its own 400)."""
    try:
        return strict_json.loads(raw, max_depth=max_json_depth(), max_string_chars=max_string_chars())
    except strict_json.StrictJSONError as exc:
        raise field_error(safe_name(exc.field), exc.message) from None
    except ValueError:
        return None


def _check_pairs(raw: bytes, status: int) -> None:
    """Every ``name=value`` of an urlencoded string decodes as UTF-8 (werkzeug keeps a bad escape as text)."""
    for pair in raw.split(b"&"):
        name, _, value = pair.partition(b"=")
        for part in (name, value):
            try:
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                raise field_error(
                    safe_name(unquote(name.decode("latin-1").replace("+", " "), errors="replace")),
                    INVALID_TEXT,
                    status=status,
                ) from None


def check_headers() -> None:
    for header in GUARDED_HEADERS:
        value = request.headers.get(header)
        if value is not None and not header_text_ok(value):
            raise field_error(header, HEADER_TEXT, status=400)


def reject_nul_characters():
    """before_request: every place a service reads text is checked (see the module's docstring)."""
    check_headers()
    try:
        request.environ.get(_WSGI_PATH, "").encode("latin-1").decode("utf-8")  # the raw bytes, as latin-1 (PEP 3333)
    except UnicodeError:
        raise field_error("path", INVALID_TEXT, status=400) from None
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str) and NUL in value:
            raise field_error(str(name), "must not contain NUL characters", status=400)
        if isinstance(value, str) and invalid_text(value):
            raise field_error(str(name), INVALID_TEXT, status=400)
    if invalid_text(request.path):
        raise field_error("path", INVALID_TEXT, status=400)
    query = request.query_string
    if query and (b"%" in query or not query.isascii()):
        _check_pairs(query, 400)
    for name, value in request.args.items(multi=True):
        if NUL in name or NUL in value:
            raise field_error(safe_name(name), "must not contain NUL characters", status=400)
        if invalid_text(name) or invalid_text(value):
            raise field_error(safe_name(name), INVALID_TEXT, status=400)
    limit = max_string_chars()
    if request.is_json:
        raw = request.get_data(cache=True)
        if raw.strip():
            strict_json_loads(raw)
    elif request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        # Kept (bounded by KINERJA_MAX_BODY_BYTES) so the form is parsed from it and it can be consulted below.
        raw = request.get_data(cache=True)
        if request.mimetype == "application/x-www-form-urlencoded" and (b"%" in raw or not raw.isascii()):
            _check_pairs(raw, 422)
        try:
            form, files = request.form, request.files
        except ValueError:  # StrictFormDataParser: a part header that is not UTF-8, a missing boundary
            raise field_error("(body)", "is not well-formed form data in UTF-8") from None
        for name, value in form.items(multi=True):
            name, value = name or "", value or ""  # a malformed part may come without a name
            if NUL in name or NUL in value:
                raise field_error(safe_name(name), "must not contain NUL characters")
            if invalid_text(name) or invalid_text(value) or ("\ufffd" in value and REPLACEMENT_UTF8 not in raw):
                # werkzeug decodes a multipart field with errors="replace": a U+FFFD the body does not hold
                # stands for an invalid UTF-8 byte
                raise field_error(safe_name(name), INVALID_TEXT)
            if len(name) > limit or len(value) > limit:
                raise field_error(safe_name(name), f"is longer than {limit} characters")
        for name, upload in files.items(multi=True):
            filename = upload.filename or ""
            if NUL in filename or invalid_text(filename) or invalid_text(name or ""):
                raise field_error(
                    safe_name(name or ""),
                    "has a file name that is not valid Unicode text "
                    "(an invalid UTF-8 byte, a lone surrogate or a non-character)",
                )


REPLACEMENT_UTF8 = "\ufffd".encode()


class StrictFormDataParser(FormDataParser):
    """werkzeug's form parser, but a malformed body raises (ValueError) instead of silently parsing as empty:
    the input guard answers it with a 4xx instead of the view seeing a form without its fields."""

    def __init__(self, *args, **kwargs):
        kwargs["silent"] = False
        super().__init__(*args, **kwargs)


class GuardedRequest(Request):
    """The app factory's request class: form data parsed by ``StrictFormDataParser``."""

    form_data_parser_class = StrictFormDataParser


def database_refused(_error):
    """A value the database would not take (out of range, too long) that no check caught: 422, not 500."""
    return problem_response(
        422,
        "A value was not accepted by the database (too long, out of range or malformed); nothing was changed.",
        title="Validation failed",
    )
