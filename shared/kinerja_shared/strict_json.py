"""Strict JSON, both ways: one encoder for everything the services write, one parser for what they read.

Writing (``dumps``): ``NaN`` and ``±Infinity`` are not JSON, yet Python's json module writes them by default
and a client's parser then fails on the whole body. ``dumps`` refuses them (``ValueError``), so a non-finite
number becomes a logged server error (a 500 problem with a correlation id), never a body that is not JSON.
Used by every app's Flask JSON provider (``StrictJSONProvider``), problem bodies, event envelopes, SQL JSON
columns (``db.make_engine``), the notification stream and the pages activity-service encodes itself.

Reading (``loads``), for request bodies (the input guard) and uploaded JSON files:

- nesting deeper than ``max_depth`` is refused before the parser recurses into it (brackets are counted
  outside strings on the raw text; otherwise a deep enough document is a RecursionError);
- an object with the same key twice is refused, naming the key (RFC 8259 leaves duplicates to the
  receiver; I-JSON, RFC 7493, forbids them): otherwise one copy would silently win;
- ``NaN``, ``Infinity`` and numbers too large for a float (``1e999``, an integer of 400 digits) are refused,
  naming the field: they are not JSON (RFC 8259), and a stored infinity would poison every later
  computation and answer;
- every string and key must be valid Unicode: no invalid UTF-8 byte, no lone surrogate (``"\\ud800"``),
  no non-character (U+FFFE, U+FFFF, U+FDD0..U+FDEF, U+nFFFE/U+nFFFF), no NUL (PostgreSQL text cannot
  store one), and none longer than ``max_string_chars``.

A refusal is a ``StrictJSONError`` naming the field (``results.0.text``, ``(body)``); text that is not JSON
at all raises json's own ``JSONDecodeError``. Both are ``ValueError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

NUL = "\x00"
DEFAULT_MAX_JSON_DEPTH = 32
INVALID_TEXT = "is not valid Unicode text (an invalid UTF-8 byte, a lone surrogate or a non-character)"

# Lone surrogates (also what an invalid UTF-8 byte decodes to with surrogateescape) and non-characters.
_INVALID_TEXT = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17))
    + "]"
)
# Raw JSON that may decode to a NUL, a surrogate or a non-character (over-inclusive: then the value is walked).
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F]|[fF][dD][dDeE]|[fF]{3}[eEfF])")
_SUSPECT_BYTES = (b"\x00", b"\xef\xb7", b"\xbf\xbe", b"\xbf\xbf")  # NUL (UTF-16/32), U+FDxx, U+(n)FFFE/FFFF
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKETS = str.maketrans("[]{}", "()()")
_INF = float("inf")


class StrictJSONError(ValueError):
    """A JSON document refused by ``loads``; ``field`` names where (``(body)`` for the whole)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def dumps(value: Any, **kwargs) -> str:
    """``json.dumps`` with ``allow_nan=False`` (whatever the caller passes)."""
    kwargs["allow_nan"] = False
    return json.dumps(value, **kwargs)


def invalid_text(text: str) -> bool:
    """True when ``text`` holds a lone surrogate or a Unicode non-character."""
    return _INVALID_TEXT.search(text) is not None


def printable(text: str) -> str:
    """``text`` with every lone surrogate and non-character replaced by U+FFFD (safe to echo and to encode)."""
    return _INVALID_TEXT.sub("\ufffd", text)


def too_deep(text: str, limit: int) -> bool:
    """True when the JSON text nests arrays/objects deeper than ``limit``, counting brackets outside strings.

    No recursion and no Python loop per character: each pass removes the innermost bracket pairs
    (``str.replace``), so at most ``limit`` + 1 passes decide it.
    """
    if text.count("[") + text.count("{") <= limit:
        return False
    if '\\"' not in text:  # no escaped quote: every quote opens or closes a string
        outside = "".join(text.split('"')[0::2])
    else:
        outside = _JSON_STRING.sub("", text)
    brackets = _NOT_BRACKET.sub("", outside).translate(_BRACKETS)
    if brackets.count("(") <= limit:
        return False
    passes = 0
    while passes <= limit:
        shorter = brackets.replace("()", "")
        if shorter == brackets:
            break
        brackets, passes = shorter, passes + 1
    return passes + brackets.count("(") > limit


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


_NOT_FINITE = object()  # what the parser makes of NaN, Infinity and 1e999, found again by the walk
NOT_FINITE = "is not a finite number (NaN and Infinity are not JSON)"


def bad_field(value, check: Callable[[str], str | None], path: str = "") -> tuple[str, str] | None:
    """(path such as ``results.0.text``, message) of the first string or key that ``check`` finds fault with,
    or of a number the parser found not finite."""
    if isinstance(value, str):
        message = check(value)
        return ((path or "(body)"), message) if message else None
    if value is _NOT_FINITE:
        return (path or "(body)"), NOT_FINITE
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            message = check(str(key))
            if message:
                return name, message
            found = bad_field(item, check, name)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = bad_field(item, check, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


def _suspect(raw: bytes) -> bool:
    return any(b in raw for b in _SUSPECT_BYTES) or (b"\\u" in raw and _SUSPECT_ESCAPE.search(raw) is not None)


def loads(data: bytes | str, *, max_depth: int = DEFAULT_MAX_JSON_DEPTH, max_string_chars: int | None = None) -> Any:
    """Parse strict JSON (see the module's docstring); bytes in UTF-8, -16 or -32 as RFC 8259 allows.

    The hot path stays cheap: the value is walked for bad text only when the raw bytes could hold some."""
    if isinstance(data, str):
        text, walk = data, True
    else:
        encoding = json.detect_encoding(data)
        walk = encoding not in ("utf-8", "utf-8-sig") or _suspect(data)
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            if not encoding.startswith("utf-8"):
                raise StrictJSONError("(body)", f"is not valid {encoding.upper()} text") from None
            text, walk = data.decode(encoding, "surrogateescape"), True  # each bad byte becomes a lone surrogate
    if too_deep(text, max_depth):
        raise StrictJSONError("(body)", f"is nested deeper than {max_depth} levels of arrays and objects")
    not_finite: list[str] = []

    def constant(token: str):  # NaN, Infinity, -Infinity
        not_finite.append(token)
        return _NOT_FINITE

    def number(token: str):
        parsed = float(token)
        if parsed in (_INF, -_INF):
            not_finite.append(token)
            return _NOT_FINITE
        return parsed

    def integer(token: str):
        # Python refuses to make an int of more than 4,300 digits (a ValueError, which was a 500); no field
        # needs more than a float's range, so a long integer is read as a float: too long for it, not finite.
        return int(token) if len(token) <= 40 else number(token)

    try:
        value = json.loads(
            text, object_pairs_hook=_unique_keys, parse_constant=constant, parse_float=number, parse_int=integer
        )
    except _DuplicateKey as exc:
        raise StrictJSONError(exc.key, "appears more than once in the same object") from None
    if not_finite and value is _NOT_FINITE:
        raise StrictJSONError("(body)", NOT_FINITE)
    if walk or not_finite or (max_string_chars is not None and len(text) > max_string_chars):
        limit = max_string_chars
        found = bad_field(
            value,
            lambda t: (
                "must not contain NUL characters"
                if NUL in t
                else INVALID_TEXT
                if invalid_text(t)
                else f"is longer than {limit} characters"
                if limit and len(t) > limit
                else None
            ),
        )
        if found:
            raise StrictJSONError(*found)
    return value
