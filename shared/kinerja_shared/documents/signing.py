"""The seam for a region's signing service (e.g. BSrE, Balai Sertifikasi Elektronik): not a signature itself.

Kinerja prints the approvals as recorded fields (who approved, when, through the system) and signs nothing:
a PAdES/CAdES signature needs the region's certificate authority and each official's own key, which live
with the region's signing service, not here. A region that has one plugs it in here:

    class BsreSigner:
        def sign(self, pdf: bytes, document: SigningRequest) -> bytes:
            ...  # send the PDF to the region's BSrE gateway for the signer's NIK/passphrase flow, return it signed

    KINERJA_DOCUMENT_SIGNER=my_region.bsre:BsreSigner   (module:attribute, instantiated with no arguments)

``issue_pdf`` calls ``sign`` after rendering and before hashing, so the register's SHA-256 is that of the bytes
handed out. Two things a real signer must keep in mind: a signature holds a signing time, so the same data no
longer gives the same bytes (the register then writes a new row on every download unless the signer returns
the stored signed copy for the same input), and an unsigned copy no longer matches the register.
The default (``NoSigner``) returns the bytes unchanged.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SigningRequest:
    """What a signer may need besides the bytes: the document and who approved it."""

    code: str
    doc_type: str
    subject: str
    revision: int | None
    signer_nips: tuple[str, ...] = ()


class Signer(Protocol):
    def sign(self, pdf: bytes, document: SigningRequest) -> bytes: ...


class NoSigner:
    """The default: no digital signature (the approvals are printed fields)."""

    def sign(self, pdf: bytes, document: SigningRequest) -> bytes:
        return pdf


_loaded: dict[str, Signer] = {}


def signer_from(settings) -> Signer:
    """The signer named by KINERJA_DOCUMENT_SIGNER (module:attribute), else NoSigner."""
    name = (settings.extra.get("KINERJA_DOCUMENT_SIGNER") or "").strip()
    if not name:
        return NoSigner()
    if name not in _loaded:
        module, _, attr = name.partition(":")
        _loaded[name] = getattr(importlib.import_module(module), attr)()
    return _loaded[name]
