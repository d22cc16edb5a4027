"""Safe downloads: CSV cells a spreadsheet will not run, and a Content-Disposition nothing can break.

- ``csv_cell``: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
  spreadsheets as a formula (CSV injection, OWASP); it is written with a leading single quote, which the
  spreadsheet shows as text. Numbers are left alone (a negative number is not a formula).
- ``content_disposition``: RFC 6266 with two names, ``filename="…"`` an ASCII fallback of letters, digits,
  ``.``, ``-`` and ``_`` only (no quote, semicolon, backslash or control character can end the parameter
  early, whatever the unit id or uploaded name), and ``filename*=UTF-8''…`` the exact name (RFC 8187
  percent-encoding). werkzeug's ``send_file`` escapes a quote as ``\\"`` and gives no ``filename*`` for an
  ASCII name, which RFC 6266 (appendix D) advises against relying on; its percent-encoding is reused here.
- Every response carries ``X-Content-Type-Options: nosniff`` (the app factory).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

from flask import Response

CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV cell a spreadsheet reads as text, not as a formula."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """A CSV document (header line, CRLF line ends) with every cell passed through ``csv_cell``."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    writer.writerow({c: csv_cell(c) for c in columns})
    for row in rows:
        writer.writerow({c: csv_cell(row.get(c)) for c in columns})
    return buffer.getvalue()


def ascii_filename(name: str, fallback: str = "download") -> str:
    """Letters, digits, ``.``, ``-`` and ``_`` only (accents dropped, anything else one ``_``)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    safe = _UNSAFE_FILENAME.sub("_", plain).strip("._")[:150]
    return safe or fallback


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """The Content-Disposition header value for ``filename`` (RFC 6266, both ``filename`` and ``filename*``)."""
    exact = quote(filename, safe="!#$&+^`|~.-_", errors="replace")  # RFC 8187 attr-char, UTF-8
    return f"{disposition}; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{exact}"


def attachment(body: str | bytes, filename: str, mimetype: str) -> Response:
    """A download: ``body`` with the safe Content-Disposition of ``filename``."""
    response = Response(body, status=200, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response
