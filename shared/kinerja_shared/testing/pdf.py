"""Reading a PDF back in tests, as a person would: its text (poppler's pdftotext), its QR codes (the first
page rendered by pdftoppm, decoded by zbarimg) and its pages as PNG (the README's screenshots).

Debian packages: poppler-utils (pdftotext, pdftoppm) and zbar-tools (zbarimg); .ci/run installs them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

TOOLS = {"pdftotext": "poppler-utils", "pdftoppm": "poppler-utils", "zbarimg": "zbar-tools"}


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install the Debian package {TOOLS[name]} (apt-get install {TOOLS[name]})")
    return found


def pdf_text(pdf: bytes, layout: bool = False) -> str:
    """The text of every page (``layout``: keep the columns), whitespace runs folded to one space unless layout."""
    args = [_tool("pdftotext"), *(["-layout"] if layout else []), "-enc", "UTF-8", "-", "-"]
    text = subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode("utf-8")
    return text if layout else re.sub(r"\s+", " ", text)


def page_count(pdf: bytes) -> int:
    return len(re.findall(r"Halaman \d+ dari \d+", pdf_text(pdf)))


def render_pages(
    pdf: bytes, out_prefix: Path, dpi: int = 80, first: int | None = None, last: int | None = None
) -> list[Path]:
    """PNG files of the pages (``<out_prefix>-<n>.png``)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        args = [_tool("pdftoppm"), "-png", "-r", str(dpi)]
        if first:
            args += ["-f", str(first)]
        if last:
            args += ["-l", str(last)]
        subprocess.run([*args, str(source), str(out_prefix)], check=True, capture_output=True)
    return sorted(out_prefix.parent.glob(out_prefix.name + "-*.png"))


def qr_codes(pdf: bytes, page: int = 1) -> list[str]:
    """The QR codes zbarimg reads on a page rendered at 150 dpi."""
    with tempfile.TemporaryDirectory() as tmp:
        [png] = render_pages(pdf, Path(tmp) / "p", dpi=150, first=page, last=page)
        found = subprocess.run(
            [_tool("zbarimg"), "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)], capture_output=True
        )
    return [line for line in found.stdout.decode("utf-8").splitlines() if line.strip()]


SCREENSHOTS_ENV = "KINERJA_DOCUMENT_SCREENSHOTS"


def save_screenshots(pdf: bytes, name: str) -> list[Path]:
    """With KINERJA_DOCUMENT_SCREENSHOTS=<folder> set (the README's pictures: docs/screenshots), every page of
    ``pdf`` as ``<folder>/document-<name>-<n>.png`` at 60 dpi; without it nothing (the pictures change with
    every run's verification code, so they are refreshed on purpose, not by every test run)."""
    import os

    folder = os.environ.get(SCREENSHOTS_ENV)
    if not folder:
        return []
    out = Path(folder)
    for old in out.glob(f"document-{name}-*.png"):
        old.unlink()
    return render_pages(pdf, out / f"document-{name}", dpi=60)
