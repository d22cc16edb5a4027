"""The public verify endpoint of an issuing service: ``/api/v1/documents/verify/{code}``, without sign-in.

- ``GET``: what the register says of the code: the document's type and title, the employee's name, the NIP
  masked to its last four digits, the period, the revision, the status (valid / superseded / revoked, with the
  code that superseded it) and the SHA-256 of the PDF bytes; ``?sha256=<hex>`` also says whether a copy's hash
  is that one.
  A browser (``Accept: text/html``, e.g. a phone that scanned the QR code) is redirected (303) to the console's
  public page ``/#/verifikasi?kode=<code>``, which shows the same answer.
- ``POST`` with the PDF itself (``Content-Type: application/pdf``, at most VERIFY_MAX_PDF_BYTES): the same
  answer, with ``check.matches`` for the bytes sent (one changed byte no longer matches).

Unknown and malformed codes both answer 404 (nothing tells them apart). The endpoint is bounded twice: the
gateway limits each client address (deploy/gateway/nginx.conf, ``limit_req`` zone ``verify``) and the service
answers 429 when one connecting address sends more than KINERJA_VERIFY_RATE_PER_MINUTE requests (default 60)
in a minute (a fixed-window counter per process; behind the gateway this bounds the gateway's total).
"""

from __future__ import annotations

import threading
import time
from urllib.parse import quote

import marshmallow as ma
from flask import current_app, redirect, request
from flask_smorest import Blueprint
from sqlalchemy import Table

from ..web.app_factory import runtime
from ..web.problems import NotFound, Problem
from . import codes, registry
from .render import mask_nip, sha256

VERIFY_MAX_PDF_BYTES = 10 * 1024 * 1024
DEFAULT_RATE_PER_MINUTE = 60
DOC_TYPES_ID = {
    "skp": "Dokumen SKP (Sasaran Kinerja Pegawai)",
    "evaluation_periodic": "Dokumen Evaluasi Kinerja Pegawai Periodik",
    "evaluation_annual": "Dokumen Evaluasi Kinerja Pegawai Tahunan",
    "unit_predicate_decision": "Penetapan Predikat Kinerja Organisasi dan Distribusi Predikat Pegawai",
    "credit_assessment": "Penetapan Angka Kredit (PAK)",
}


class VerifyQuery(ma.Schema):
    sha256 = ma.fields.String(
        validate=ma.validate.Regexp(r"^[0-9A-Fa-f]{64}$"),
        metadata={"description": "The SHA-256 (hex) of a copy, to check against the register", "maxLength": 64},
    )


class CheckOut(ma.Schema):
    sha256 = ma.fields.String(required=True, metadata={"description": "The hash checked (sent, or of the PDF sent)"})
    matches = ma.fields.Boolean(required=True)


class VerifyOut(ma.Schema):
    code = ma.fields.String(required=True)
    issuer = ma.fields.String(required=True, metadata={"description": "The service that issued it"})
    document_type = ma.fields.String(
        required=True,
        metadata={
            "description": "skp, evaluation_periodic, evaluation_annual, unit_predicate_decision, credit_assessment"
        },
    )
    document_type_name = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    employee_name = ma.fields.String(allow_none=True)
    nip_masked = ma.fields.String(
        allow_none=True, metadata={"description": "The NIP with all but its last four digits hidden"}
    )
    period = ma.fields.String(required=True)
    revision = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"description": "valid, superseded or revoked"})
    status_text = ma.fields.String(required=True, metadata={"description": "The status in Bahasa Indonesia"})
    status_reason = ma.fields.String(allow_none=True)
    superseded_by = ma.fields.String(
        allow_none=True, metadata={"description": "The newest code of the same document, when this one is superseded"}
    )
    sha256 = ma.fields.String(required=True, metadata={"description": "SHA-256 (hex) of the PDF bytes as issued"})
    size_bytes = ma.fields.Integer(required=True)
    issued_at = ma.fields.DateTime(required=True)
    check = ma.fields.Nested(CheckOut, allow_none=True)


class _Window:
    """Requests per client address in the current minute (fixed window), for the 429 bound."""

    def __init__(self):
        self._lock = threading.Lock()
        self._minute = 0
        self._counts: dict[str, int] = {}

    def allow(self, key: str, limit: int) -> bool:
        minute = int(time.monotonic() // 60)
        with self._lock:
            if minute != self._minute:
                self._minute, self._counts = minute, {}
            if len(self._counts) > 100_000:  # a flood of addresses cannot grow the map without bound
                self._counts.clear()
            count = self._counts.get(key, 0) + 1
            self._counts[key] = count
        return count <= limit


def _rate_limit() -> None:
    window = current_app.extensions.setdefault("kinerja_verify_window", _Window())  # one per app (process)
    raw = runtime().settings.extra.get("KINERJA_VERIFY_RATE_PER_MINUTE")
    limit = int(raw) if raw and raw.isdigit() else DEFAULT_RATE_PER_MINUTE
    if not window.allow(request.remote_addr or "-", limit):
        raise Problem("Too many verification requests from this address; try again in a minute.", status=429)


def make_verify_blueprint(table: Table, state: registry.StateFn | None = None) -> Blueprint:
    """The verify endpoints over the service's ``documents`` table; ``state(conn, row)`` may say a subject moved
    on ((status, reason) or None), e.g. a plan amended since."""
    blp = Blueprint(
        "documents",
        __name__,
        url_prefix="/api/v1/documents",
        description="Public verification of the official documents this service issued (no sign-in).",
    )

    def answer(code: str, checked: str | None) -> dict:
        canonical = codes.canonical(code)
        with runtime().engine.connect() as conn:
            row = registry.find(conn, table, canonical) if canonical else None
            if row is None:
                raise NotFound("No document has this verification code.")
            status, reason = registry.status_of(conn, table, row, state)
            newest = (
                registry.latest_code(conn, table, row.doc_type, row.subject) if status == registry.SUPERSEDED else None
            )
        return {
            "code": row.code,
            "issuer": codes.ISSUERS[row.code[0]],
            "document_type": row.doc_type,
            "document_type_name": DOC_TYPES_ID.get(row.doc_type, row.doc_type),
            "title": row.title,
            "employee_name": row.employee_name,
            "nip_masked": mask_nip(row.nip),
            "period": row.period,
            "revision": row.revision,
            "status": status,
            "status_text": registry.STATUS_TEXT_ID[status],
            "status_reason": reason,
            "superseded_by": row.superseded_by or (newest if newest != row.code else None),
            "sha256": row.sha256,
            "size_bytes": row.size_bytes,
            "issued_at": row.issued_at,
            "check": {"sha256": checked, "matches": checked == row.sha256} if checked else None,
        }

    @blp.route("/verify/<code>")
    @blp.arguments(VerifyQuery, location="query")
    @blp.response(200, VerifyOut)
    @blp.alt_response(
        303,
        description="A browser (Accept: text/html, e.g. after scanning the QR code) is sent to "
        "the console's public page /#/verifikasi?kode=<code>",
    )
    @blp.alt_response(404, description="No document has this code")
    @blp.alt_response(429, description="Too many requests from this address")
    @blp.doc(security=[])
    def verify_document(args, code):
        """Verify a document by its code (public, no sign-in): type, employee (NIP masked), period, status and
        the SHA-256 of the PDF as issued; ``sha256`` checks a copy's hash against it."""
        _rate_limit()
        if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
            # a phone that scanned the QR code: the console's public verify page shows the same answer
            return redirect(f"/#/verifikasi?kode={quote(code, safe='')}", code=303)
        checked = args.get("sha256")
        return answer(code, checked.lower() if checked else None)

    @blp.route("/verify/<code>", methods=["POST"])
    @blp.response(200, VerifyOut)
    @blp.alt_response(404, description="No document has this code")
    @blp.alt_response(413, description="The PDF is larger than 10 MiB")
    @blp.alt_response(415, description="Not sent as application/pdf")
    @blp.alt_response(429, description="Too many requests from this address")
    @blp.doc(
        security=[],
        requestBody={
            "required": True,
            "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary", "maxLength": VERIFY_MAX_PDF_BYTES}}
            },
        },
    )
    def verify_document_bytes(code):
        """Verify a copy by sending the PDF itself (public, no sign-in): the answer of GET with ``check.matches``
        saying whether these bytes are the ones issued under the code."""
        _rate_limit()
        if request.mimetype != "application/pdf":
            raise Problem("Send the PDF with Content-Type: application/pdf.", status=415)
        if (request.content_length or 0) > VERIFY_MAX_PDF_BYTES:
            raise Problem("The PDF is larger than 10 MiB; no document issued here is that large.", status=413)
        data = request.get_data(cache=False)
        if len(data) > VERIFY_MAX_PDF_BYTES:
            raise Problem("The PDF is larger than 10 MiB; no document issued here is that large.", status=413)
        return answer(code, sha256(data))

    return blp
