"""The one error model: every refusal a use case, a handler or a route raises is a ``DomainError``.

The hierarchy says *what* went wrong, not how HTTP spells it; each class carries the status the
app factory answers with (problem+json, ``kinerja_shared.web.problems``), so use cases never import
Flask and a worker or a CLI can catch the same errors:

==========================  ======  ==========================================================
class                       status  when
==========================  ======  ==========================================================
``NotFound``                404     no such thing, or not visible to the caller
``Forbidden``               403     the caller may not do this (``access`` modules)
``Conflict``                409     the change clashes with what exists (duplicate, locked)
``InvalidTransition``       409     the state machine forbids the action from this state
``InvalidField``            422     a rule about one field is broken (``field`` names it)
``Unprocessable``           422     a rule about several fields, or the whole request
``PreconditionFailed``      412     a stale ``If-Match``
``PreconditionRequired``    428     ``If-Match`` missing
``BadRequest``              400     the request cannot be read (a bad cursor)
``Unauthorized``            401     no valid token
``ServiceUnavailable``      503     a dependency is down; nothing changed
==========================  ======  ==========================================================

Texts are English in the code; ``kinerja_shared.i18n`` translates them for the caller.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refusal with its status, a detail, an optional title, field errors and extensions."""

    status = 400
    title: str | None = None

    def __init__(
        self,
        detail: str,
        *,
        status: int | None = None,
        title: str | None = None,
        errors: list | None = None,
        headers: dict | None = None,
        **extensions,
    ):
        super().__init__(detail)
        self.detail = detail
        if status is not None:
            self.status = status
        if title is not None:
            self.title = title
        self.errors = errors
        self.headers = headers or {}
        self.extensions = extensions


class BadRequest(DomainError):
    status = 400


class Unauthorized(DomainError):
    status = 401

    def __init__(self, detail: str, **kw):
        kw.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="kinerja"'})
        super().__init__(detail, **kw)


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class InvalidTransition(Conflict):
    """The state machine (``kinerja_shared.transitions``) forbids ``action`` from ``current``."""

    def __init__(self, detail: str, *, action: str | None = None, current: str | None = None, **kw):
        super().__init__(detail, **kw)
        self.action = action
        self.current = current


class PreconditionFailed(DomainError):
    status = 412


class PreconditionRequired(DomainError):
    status = 428


class Unprocessable(DomainError):
    status = 422


class InvalidField(Unprocessable):
    """One field breaks a rule: ``errors`` names it, the detail is ``field: message``."""

    def __init__(self, field: str, message: str, *, status: int = 422, **extensions):
        super().__init__(
            f"{field}: {message}",
            status=status,
            title="Validation failed",
            errors=[{"field": field, "message": message}],
            **extensions,
        )
        self.field = field
        self.message = message


class ServiceUnavailable(DomainError):
    status = 503


def field_error(field: str, message: str, status: int = 422) -> DomainError:
    """A refusal naming one field, for rules checked in code rather than by a schema."""
    return InvalidField(field, message, status=status)
