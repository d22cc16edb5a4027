"""The service worker's precache list and its version, derived from the files' content.

``web/sw.js`` holds one line ``const SHELL = {...};`` (the development placeholder). This module
replaces it with the app shell's files (index.html, config.js, the manifest, the icons and every
module and style sheet under src/, the screens' included, found by walking the folder: a new screen
is precached without anyone listing it) and a version: the first 16 hex digits of the SHA-256 of
their paths and bytes. Any change to any of them makes a new sw.js, which the browser installs as
an update (a new cache ``kinerja-shell-<version>``; the old one is deleted when it activates).
Nobody bumps a version by hand.

Used at serve time by the development gateway (deploy/gateway/gateway.py answers /sw.js with it)
and at image build time for nginx (deploy/gateway/Dockerfile):

    python web/tools/precache.py WEB_ROOT > sw.js
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

TOP_FILES = ("index.html", "config.js", "manifest.webmanifest", "favicon.svg", "favicon.ico")
FOLDERS = {"src": (".js", ".css"), "icons": (".png",)}
SHELL_LINE = re.compile(r"^const SHELL = .*;$", re.M)


def shell_files(web_root: Path) -> list[str]:
    """The URL paths of the app shell under web_root, sorted."""
    paths = [f"/{name}" for name in TOP_FILES if (web_root / name).is_file()]
    for folder, suffixes in FOLDERS.items():
        base = web_root / folder
        if base.is_dir():
            paths += [
                f"/{p.relative_to(web_root).as_posix()}"
                for p in base.rglob("*")
                if p.is_file() and p.suffix in suffixes and not any(part.startswith(".") for part in p.parts)
            ]
    return sorted(paths)


def shell_version(web_root: Path, files: list[str]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.encode() + b"\0" + (web_root / path.lstrip("/")).read_bytes() + b"\0")
    digest.update((web_root / "sw.js").read_bytes())  # the worker's own code is part of the version
    return digest.hexdigest()[:16]


def service_worker(web_root: Path) -> bytes:
    """web_root/sw.js with its SHELL line naming the current files and version."""
    web_root = Path(web_root)
    files = shell_files(web_root)
    shell = json.dumps({"version": shell_version(web_root, files), "files": files}, separators=(",", ":"))
    source = (web_root / "sw.js").read_text(encoding="utf-8")
    rendered, count = SHELL_LINE.subn(lambda _: f"const SHELL = {shell};", source, count=1)
    if count != 1:
        raise ValueError("sw.js has no line `const SHELL = ...;` to fill in")
    return rendered.encode("utf-8")


if __name__ == "__main__":
    sys.stdout.buffer.write(
        service_worker(Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]))
    )
