"""Official documents as verifiable PDFs (issue 17): the plumbing every issuing service shares.

- ``codes``: the verification codes (a letter naming the issuing service + 12 Crockford base32 characters, 60 bits);
- ``render``: the page frame (A4, the embedded Bitstream Vera fonts shipped inside reportlab, a header, a
  footer with the verification code, its QR code and "Halaman x dari y"), the styles and table helpers the
  layouts use, and repeatable output (reportlab ``invariant``: same data -> same bytes -> same SHA-256);
- ``registry``: the ``documents`` table of each issuing service (code, type, subject, revision, sha256,
  issued_at, status) and ``issue()``, which gives a document its code once and supersedes, never deletes;
- ``verify_api``: the public ``GET/POST /api/v1/documents/verify/{code}`` (no sign-in, rate-bounded);
- ``signing``: the seam for a region's signing service (BSrE): an interface and the no-op default.

Each service keeps only its own layouts (plan_service.documents, evaluation_service.documents).
"""

VERIFY_PATH_PREFIX = "/api/v1/documents/verify/"


def is_public(path: str) -> bool:
    """Paths served without a token (the app factory skips authentication and idempotency for them)."""
    return path.startswith(VERIFY_PATH_PREFIX)
