"""Input guards every service gets from the app factory.

- A NUL character anywhere in the path, query, form or JSON body is refused with a problem naming
  the field (PostgreSQL text cannot store one; without this it would be a 500).
- A string longer than KINERJA_MAX_STRING_CHARS (65,536 characters) anywhere in a JSON body or a form is
  refused with a 422 naming the field, whatever the field's own schema says: no free-text field needs more,
  and a 12 MiB description would otherwise reach the database. Schemas set tighter limits per field.
- A value the database refuses that no check caught (too long, out of range) is a 422, not a 500.
- A body over KINERJA_MAX_BODY_BYTES is a 413 (Flask's MAX_CONTENT_LENGTH, set by the app factory).
"""
from __future__ import annotations

from typing import Callable

from flask import current_app, request

from .problems import field_error, problem_response

NUL = "\x00"


DEFAULT_MAX_STRING_CHARS = 65536


def _bad_field(value, bad: Callable[[str], bool], path: str = "") -> str | None:
    """The path (``results.0.text``) of the first string, or key, for which ``bad`` is true."""
    if isinstance(value, str):
        return (path or "(body)") if bad(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if bad(str(key)):
                return name
            found = _bad_field(item, bad, name)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _bad_field(item, bad, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


def _nul_field(value, path: str = "") -> str | None:
    """The path of the first string holding a NUL character (PostgreSQL text cannot store one)."""
    return _bad_field(value, lambda text: NUL in text, path)


def max_string_chars() -> int:
    runtime = current_app.extensions.get("kinerja")
    extra = getattr(getattr(runtime, "settings", None), "extra", {}) or {}
    try:
        return max(1, int(extra.get("KINERJA_MAX_STRING_CHARS", DEFAULT_MAX_STRING_CHARS)))
    except ValueError:
        return DEFAULT_MAX_STRING_CHARS


def reject_nul_characters():
    """before_request: a NUL character anywhere in the path, query, form or JSON body, or a string over
    KINERJA_MAX_STRING_CHARS in the body, is a 4xx naming the field."""
    def has_nul(*texts) -> bool:
        return any(isinstance(t, str) and NUL in t for t in texts)

    for name, value in (request.view_args or {}).items():
        if has_nul(value):
            raise field_error(str(name), "must not contain NUL characters", status=400)
    for name, value in request.args.items(multi=True):
        if has_nul(name, value):
            raise field_error(str(name).replace(NUL, ""), "must not contain NUL characters", status=400)
    limit = max_string_chars()
    too_long = f"is longer than {limit} characters"
    if request.is_json:
        # Walk the parsed body only when the raw bytes could hold an offender: UTF-8 JSON carries a NUL
        # only as the escape \u0000 (UTF-16/32 bodies hold zero bytes: walked), and no string has more
        # characters than the body has bytes.
        raw = request.get_data(cache=True)
        if b"\\u0000" not in raw and b"\x00" not in raw and len(raw) <= limit:
            return
        body = request.get_json(silent=True)
        found = _nul_field(body)
        if found:
            raise field_error(found.replace(NUL, ""), "must not contain NUL characters")
        found = _bad_field(body, lambda text: len(text) > limit)
        if found:
            raise field_error(found[:200], too_long)
    elif request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        for name, value in request.form.items(multi=True):
            if has_nul(name, value):
                raise field_error(str(name).replace(NUL, ""), "must not contain NUL characters")
            if len(name or "") > limit or len(value or "") > limit:  # a malformed part may come without a name
                raise field_error(str(name)[:200], too_long)


def database_refused(_error):
    """A value the database would not take (out of range, too long) that no check caught: 422, not 500."""
    return problem_response(422, "A value was not accepted by the database (too long, out of range or malformed); "
                                 "nothing was changed.", title="Validation failed")
