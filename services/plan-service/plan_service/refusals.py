"""Broken plan rules as problems: a 422 naming every field (no Flask; use cases and routes raise them)."""

from __future__ import annotations

from contextlib import contextmanager

from kinerja_shared.errors import Unprocessable

from . import domain


def violations(problems: list[tuple[str, str]], status: int = 422) -> Unprocessable:
    """A problem listing every broken rule with the field it concerns."""
    detail = "; ".join(f"{f}: {m}" for f, m in problems[:10])
    return Unprocessable(
        detail, status=status, title="Validation failed", errors=[{"field": f, "message": m} for f, m in problems]
    )


@contextmanager
def rules():
    """Turn broken domain rules into a 422 naming the fields."""
    try:
        yield
    except domain.DomainError as exc:
        raise violations([(exc.field, exc.message)]) from None
    except domain.RuleViolations as exc:
        raise violations(exc.errors) from None
