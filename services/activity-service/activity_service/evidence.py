"""Evidence files (bukti dukung) on disk, under ACTIVITY_EVIDENCE_DIR.

A file is streamed to a temporary file in the evidence directory while its SHA-256 and size
are computed (never more than the limit plus one byte is read), checked by the domain rules,
then renamed to a generated name ``<2 hex>/<32 hex><ext>``. The client's file name is never
used as a path. Several web pods need the directory on shared storage.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

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
