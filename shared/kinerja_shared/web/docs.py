"""OpenAPI documentation helpers shared by every service's API."""

from __future__ import annotations

COMMON_ERRORS = ((401, "No or bad token"), (403, "Not allowed for this caller"))


def errors(blp, *extra: tuple[int, str]):
    """Document an endpoint's problem+json answers: 401 and 403 always, plus ``extra`` (code, text) pairs."""

    def wrap(fn):
        for code, text in (*COMMON_ERRORS, *extra):
            fn = blp.alt_response(code, description=text)(fn)
        return fn

    return wrap
