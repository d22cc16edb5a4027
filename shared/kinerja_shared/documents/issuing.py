"""What a service's document endpoint calls: render a layout in the page frame, sign (the seam), register, answer.

Settings (environment, read by every issuing service):
- KINERJA_PUBLIC_URL: the public origin of the gateway the QR codes point to (default http://localhost:8000);
  a printed code stays valid only while this origin serves /api/v1/documents/verify/, so set it once per region;
- KINERJA_DOCUMENT_ORGANISATION: the issuing government printed in every header (default "Pemerintah Daerah");
- KINERJA_DOCUMENT_SIGNER: the signing service seam (signing.py), empty by default.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response
from sqlalchemy import Table

from ..web.downloads import content_disposition
from . import VERIFY_PATH_PREFIX, registry, render
from .signing import SigningRequest, signer_from

DEFAULT_PUBLIC_URL = "http://localhost:8000"
DEFAULT_ORGANISATION = "Pemerintah Daerah"


def verify_url(settings, code: str) -> str:
    base = (settings.extra.get("KINERJA_PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/")
    return f"{base}{VERIFY_PATH_PREFIX}{code}"


def organisation(settings) -> str:
    return (settings.extra.get("KINERJA_DOCUMENT_ORGANISATION") or DEFAULT_ORGANISATION).strip()


def issue_pdf(
    conn,
    table: Table,
    settings,
    *,
    prefix: str,
    doc_type: str,
    subject: str,
    revision: int | None,
    facts: registry.Facts,
    story: Callable[[render.Frame], list],
    wide: bool = False,
    status: str = registry.VALID,
    signer_nips: tuple[str, ...] = (),
) -> registry.Issued:
    """Render ``story(frame)`` (the layout's flowables, built fresh per call) with the document's code, sign it
    through the configured signer and register it (registry.issue)."""
    signer = signer_from(settings)

    def make(code: str) -> bytes:
        frame = render.Frame(
            title=facts.title.upper(),
            code=code,
            verify_url=verify_url(settings, code),
            organisation=organisation(settings),
            subject=facts.employee_name or facts.period,
            wide=wide,
        )
        pdf = render.build(frame, story(frame))
        return signer.sign(pdf, SigningRequest(code, doc_type, subject, revision, signer_nips))

    return registry.issue(
        conn,
        table,
        prefix=prefix,
        doc_type=doc_type,
        subject=subject,
        revision=revision,
        facts=facts,
        render=make,
        status=status,
    )


def pdf_response(issued: registry.Issued, filename: str) -> Response:
    """The PDF as a download, with its code and hash in headers (X-Document-Code, X-Document-SHA256)."""
    response = Response(issued.pdf, status=200, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Document-Code"] = issued.code
    response.headers["X-Document-SHA256"] = issued.sha256
    response.headers["Cache-Control"] = "private, no-store"
    return response


PDF_RESPONSE_DOC = {
    200: {
        "description": "The document as a PDF (A4); X-Document-Code and X-Document-SHA256 name its "
        "verification code and hash",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }
}
