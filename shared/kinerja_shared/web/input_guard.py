"""Input guards every service gets from the app factory.

- A NUL character anywhere in the path, query, form or JSON body is refused with a problem naming
  the field (PostgreSQL text cannot store one; without this it would be a 500).
- A value the database refuses that no check caught (too long, out of range) is a 422, not a 500.
"""
from __future__ import annotations

from flask import request

from .problems import field_error, problem_response

NUL = "\x00"


def _nul_field(value, path: str = "") -> str | None:
    """The path of the first string holding a NUL character (PostgreSQL text cannot store one)."""
    if isinstance(value, str):
        return (path or "(body)") if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return name
            found = _nul_field(item, name)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_field(item, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


def reject_nul_characters():
    """before_request: a NUL character anywhere in the path, query, form or JSON body is a 4xx naming the field."""
    def has_nul(*texts) -> bool:
        return any(isinstance(t, str) and NUL in t for t in texts)

    for name, value in (request.view_args or {}).items():
        if has_nul(value):
            raise field_error(str(name), "must not contain NUL characters", status=400)
    for name, value in request.args.items(multi=True):
        if has_nul(name, value):
            raise field_error(str(name).replace(NUL, ""), "must not contain NUL characters", status=400)
    if request.is_json:
        found = _nul_field(request.get_json(silent=True))
        if found:
            raise field_error(found.replace(NUL, ""), "must not contain NUL characters")
    elif request.mimetype == "multipart/form-data":
        for name, value in request.form.items(multi=True):
            if has_nul(name, value):
                raise field_error(str(name).replace(NUL, ""), "must not contain NUL characters")


def database_refused(_error):
    """A value the database would not take (out of range, too long) that no check caught: 422, not 500."""
    return problem_response(422, "A value was not accepted by the database (too long, out of range or malformed); "
                                 "nothing was changed.", title="Validation failed")
