"""The one JSON encoder for everything the services write: strict JSON (RFC 8259).

``NaN`` and ``±Infinity`` are not JSON, yet Python's json module writes them by default and a client's
parser then fails on the whole body. ``dumps`` refuses them (``ValueError``), so a non-finite number
becomes a logged server error (a 500 problem with a correlation id), never a body that is not JSON.
Used by every app's Flask JSON provider (``StrictJSONProvider``), problem bodies, event envelopes, the
notification stream and the pages activity-service encodes itself; SQL JSON columns use it too
(``db.make_engine``).
"""
from __future__ import annotations

import json
from typing import Any


def dumps(value: Any, **kwargs) -> str:
    """``json.dumps`` with ``allow_nan=False`` (whatever the caller passes)."""
    kwargs["allow_nan"] = False
    return json.dumps(value, **kwargs)
