"""Strict JSON (RFC 8259) for every HTTP answer: ``NaN`` and ``±Infinity`` are not JSON and are never written.

Built on ``kinerja_shared.strict_json.dumps`` (which refuses them outright: events and JSON columns use it).

The services keep their numbers finite (bounded input, computations that leave unusable stored
values out); this is the last line: a non-finite float that still reaches an answer is written
as ``null`` and logged as a bug, rather than breaking the client's parser or answering 500.
"""

from __future__ import annotations

import logging
import math

from flask.json.provider import DefaultJSONProvider

from ..strict_json import dumps

log = logging.getLogger(__name__)


def _finite_only(value):
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite_only(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite_only(v) for v in value]
    return value


def answer_dumps(obj, **kwargs) -> str:
    """Strict ``dumps`` for an answer; a non-finite float becomes null (logged as an error)."""
    try:
        return dumps(obj, **kwargs)
    except ValueError as exc:
        if "JSON compliant" not in str(exc):
            raise
        log.error("a non-finite number reached a JSON answer; written as null", extra={"error": str(exc)})
        return dumps(_finite_only(obj), **kwargs)


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, writing strict JSON (``jsonify``, returned dicts, flask-smorest's responses)."""

    def dumps(self, obj, **kwargs) -> str:
        kwargs.setdefault("default", self.default)
        kwargs.setdefault("ensure_ascii", self.ensure_ascii)
        kwargs.setdefault("sort_keys", self.sort_keys)
        return answer_dumps(obj, **kwargs)
