"""Cursor pagination: ``limit`` (1..200, default 50) and an opaque ``cursor`` from the last page."""

from __future__ import annotations

import base64
import binascii

import marshmallow as ma

MAX_LIMIT = 200


class PageArgs(ma.Schema):
    limit = ma.fields.Integer(
        load_default=50,
        validate=ma.validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": f"Page size, 1 to {MAX_LIMIT}."},
    )
    cursor = ma.fields.String(
        load_default=None,
        validate=ma.validate.Length(max=200),
        metadata={"description": "next_cursor of the previous page."},
    )

    @ma.validates("cursor")
    def _valid_cursor(self, value, **_):
        if value is not None:
            decode_cursor(value)


def encode_cursor(value) -> str:
    return base64.urlsafe_b64encode(str(value).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ma.ValidationError("cursor is not one this service gave out") from None


def int_cursor(cursor: str | None) -> int | None:
    """Decode a cursor that wraps an integer key; a forged one is a 400 naming the field."""
    if cursor is None:
        return None
    try:
        value = int(decode_cursor(cursor))
        if not 0 <= value < 2**63:
            raise ValueError
        return value
    except (ValueError, ma.ValidationError):
        from .problems import field_error

        raise field_error("cursor", "is not one this service gave out", status=400) from None
