"""Evidence (bukti dukung): links and uploaded files, checked and stored the same way by every service.

Files live on disk under a service's evidence directory (ACTIVITY_EVIDENCE_DIR in activity-service,
EVALUATION_EVIDENCE_DIR in evaluation-service). A file is streamed to a temporary file in the
directory while its SHA-256 and size are computed (never more than the limit plus one byte is
read), checked (size; type declared AND recognised by content), then renamed to a generated name
``<2 hex>/<32 hex><ext>``. The client's file name is never used as a path. Several web pods need
the directory on shared storage. A broken rule raises ``EvidenceError`` naming the field (422, or
413/415 for an upload).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class EvidenceError(ValueError):
    """An evidence rule was broken; ``field`` names what the caller should fix."""

    def __init__(self, field: str, message: str, status: int = 422):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.status = status


# content type -> (file extension, magic-number test). Only types we can recognise by content.
KNOWN_TYPES: dict[str, tuple[str, object]] = {
    "application/pdf": (".pdf", lambda head: head.startswith(b"%PDF-")),
    "image/jpeg": (".jpg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "image/png": (".png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "image/webp": (".webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
}
DEFAULT_EVIDENCE_TYPES = ("application/pdf", "image/jpeg", "image/png")


def check_link(url: str, field_name: str = "evidence") -> str:
    url = (url or "").strip()
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", url, re.IGNORECASE) or len(url) > 2000:
        raise EvidenceError(field_name, "a link must be an http(s) URL of at most 2000 characters")
    return url


def check_file_name(name: str | None) -> str:
    """The client's file name, kept only for display; path tricks are refused, not repaired."""
    if name is None or not name.strip():
        raise EvidenceError("file", "the upload needs a file name")
    name = unicodedata.normalize("NFC", name.strip())
    if len(name) > 200:
        raise EvidenceError("file", "the file name must be at most 200 characters")
    if "/" in name or "\\" in name or ".." in name or name.startswith("."):
        raise EvidenceError("file", "the file name must be a plain name: no '/', '\\', '..' or leading '.'")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        raise EvidenceError("file", "the file name must not contain control characters")
    return name


def check_upload(
    declared_type: str | None, head: bytes, size: int, *, max_bytes: int, allowed_types: Iterable[str]
) -> tuple[str, str]:
    """Check an upload's size and type (declared AND recognised by content); return (type, extension)."""
    if size == 0:
        raise EvidenceError("file", "the file is empty")
    if size > max_bytes:
        raise EvidenceError("file", f"the file is larger than {max_bytes} bytes", status=413)
    allowed = tuple(allowed_types)
    declared = (declared_type or "").split(";")[0].strip().lower()
    sniffed = next((t for t, (_, test) in KNOWN_TYPES.items() if test(head)), None)  # type: ignore[operator]
    if sniffed is None or sniffed not in allowed:
        raise EvidenceError(
            "file", f"the file's content is not one of the accepted types: {', '.join(allowed)}", status=415
        )
    if declared not in ("", "application/octet-stream") and declared != sniffed:
        raise EvidenceError(
            "file", f"the declared content type {declared} does not match the content ({sniffed})", status=415
        )
    return sniffed, KNOWN_TYPES[sniffed][0]


# -- storage on disk ----------------------------------------------------------------------

CHUNK = 64 * 1024
HEAD = 64


@dataclass
class Spooled:
    temp_path: Path
    size: int
    sha256: str
    head: bytes
    too_large: bool


def spool(stream, directory: Path, max_bytes: int) -> Spooled:
    """Copy an upload stream to a temporary file, reading at most max_bytes + 1 bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".upload-", dir=directory)
    digest, size, head = hashlib.sha256(), 0, b""
    too_large = False
    try:
        with os.fdopen(fd, "wb") as out:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                if len(head) < HEAD:
                    head += chunk[: HEAD - len(head)]
                size += len(chunk)
                if size > max_bytes:
                    too_large = True
                    break
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Spooled(Path(name), size, digest.hexdigest(), head, too_large)


def new_file_id() -> str:
    return uuid.uuid4().hex


def stored_name(file_id: str, extension: str) -> str:
    return f"{file_id[:2]}/{file_id}{extension}"


def resolve(directory: Path, name: str) -> Path:
    """The absolute path of a stored file; refuses anything that would leave the directory."""
    root = directory.resolve()
    path = (root / name).resolve()
    if root not in path.parents:
        raise ValueError(f"stored name {name!r} leaves the evidence directory")
    return path


def keep(spooled: Spooled, directory: Path, name: str) -> Path:
    target = resolve(directory, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(spooled.temp_path, target)
    return target


def discard(path: Path | None) -> None:
    if path is not None:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


def send_stored(path: Path, content_type: str, original_name: str, sha256: str):
    """The stored file as a download that a browser never renders in the app's origin, with its recorded SHA-256."""
    from flask import send_file

    from .web import downloads

    response = send_file(
        path, mimetype=content_type, as_attachment=True, download_name=original_name, max_age=0, conditional=True
    )
    response.headers["Content-Disposition"] = downloads.content_disposition(original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Evidence-SHA256"] = sha256
    return response


def receive(upload, directory: Path, max_bytes: int, allowed_types: Iterable[str]) -> tuple[Spooled, str, str]:
    """Spool an upload (werkzeug FileStorage) and check it: (spooled, content type, extension). On a broken
    rule the temporary file is removed and EvidenceError raised (413 too large, 415 not an accepted type)."""
    spooled = spool(upload.stream, directory, max_bytes)
    try:
        if spooled.too_large:
            raise EvidenceError("file", f"the file is larger than {max_bytes} bytes", status=413)
        content_type, extension = check_upload(
            upload.mimetype, spooled.head, spooled.size, max_bytes=max_bytes, allowed_types=allowed_types
        )
    except BaseException:
        discard(spooled.temp_path)
        raise
    return spooled, content_type, extension


@dataclass(frozen=True)
class StoredFile:
    """An upload kept on disk under its generated name, for the caller's row and evidence item."""

    file_id: str
    stored_name: str
    name: str  # the client's file name (checked by check_file_name), shown only
    content_type: str
    size: int
    sha256: str

    def item(self) -> dict:
        """The evidence item a service keeps on its record (``kind: file``)."""
        return {
            "kind": "file",
            "file_id": self.file_id,
            "name": self.name,
            "sha256": self.sha256,
            "content_type": self.content_type,
            "size": self.size,
        }


@contextmanager
def kept_upload(upload, name: str, directory: Path, max_bytes: int, allowed_types: Iterable[str]):
    """The one upload sequence as a block: receive (spool and check) ``upload``, keep it under a new generated
    name and yield its StoredFile; when the block fails (the caller's transaction writing its row), the file is
    removed again. A broken rule of the upload is raised as ``kinerja_shared.errors.InvalidField`` (413/415/422)."""
    from .errors import InvalidField

    try:
        spooled, content_type, extension = receive(upload, directory, max_bytes, allowed_types)
    except EvidenceError as exc:
        raise InvalidField(exc.field, exc.message, status=exc.status) from None
    kept = None
    try:
        file_id = new_file_id()
        name_on_disk = stored_name(file_id, extension)
        kept = keep(spooled, directory, name_on_disk)
        yield StoredFile(file_id, name_on_disk, name, content_type, spooled.size, spooled.sha256)
    except BaseException:
        discard(kept or spooled.temp_path)
        raise


def store_upload(
    upload, name: str, directory: Path, max_bytes: int, allowed_types: Iterable[str], record: Callable[[StoredFile], T]
) -> T:
    """``kept_upload`` around ``record(stored)`` (the caller's transaction writing its row); what it returned."""
    with kept_upload(upload, name, directory, max_bytes, allowed_types) as stored:
        return record(stored)


def serve(directory: Path, row, unknown: str):
    """The stored file of ``row`` (stored_name, content_type, original_name, sha256, id) as a download; NotFound with
    ``unknown`` when its name leaves the directory, or saying the file is missing from the disk."""
    from .web.problems import NotFound

    try:
        path = resolve(directory, row.stored_name)
    except ValueError:
        raise NotFound(unknown) from None
    if not path.is_file():
        raise NotFound(f"the stored file of evidence {row.id} is missing; ask the employee to upload it again")
    return send_stored(path, row.content_type, row.original_name, row.sha256)


def remove_stored(directory: Path, stored_name: str) -> None:
    """Delete a stored file (after its row was marked removed); a name leaving the directory is left alone."""
    try:
        discard(resolve(directory, stored_name))
    except ValueError:
        pass
