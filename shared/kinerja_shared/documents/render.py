"""The page frame and the building blocks of every official document (reportlab platypus).

- A4 portrait (or landscape for wide forms), fonts embedded: Bitstream Vera, shipped inside the reportlab
  package (no system font is read, so every machine renders the same bytes);
- a header (the organisation and the document's title) and a footer on every page: the verification code,
  the verify URL, its QR code and "Halaman x dari y";
- repeatable output: ``invariant=1`` (fixed creation date and document id) and no clock read here, so the
  same data and code give the same bytes and the same SHA-256. Dates printed come from the data.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..calendar import MONTHS_ID
from .codes import grouped

FONT, BOLD, ITALIC = "KinerjaVera", "KinerjaVera-Bold", "KinerjaVera-Italic"
QR_SIZE = 24 * mm
_fonts_registered = False


def _register_fonts() -> None:
    global _fonts_registered
    if _fonts_registered:
        return
    for name, file in (
        (FONT, "Vera.ttf"),
        (BOLD, "VeraBd.ttf"),
        (ITALIC, "VeraIt.ttf"),
        (FONT + "-BoldItalic", "VeraBI.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, file))  # found in reportlab's own fonts folder
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=FONT + "-BoldItalic")
    _fonts_registered = True


_register_fonts()  # before any style is used: paragraphs resolve their font family when made


def _style(name: str, **kw) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        bulletFontName=FONT,
        fontName=kw.pop("fontName", FONT),
        fontSize=kw.pop("fontSize", 9),
        leading=kw.pop("leading", kw.get("fontSize", 9) * 1.25 if "fontSize" in kw else 11.5),
        **kw,
    )


STYLES = {
    "title": _style("title", fontName=BOLD, fontSize=13, leading=16, alignment=TA_CENTER, spaceAfter=2),
    "subtitle": _style("subtitle", fontSize=9.5, alignment=TA_CENTER, spaceAfter=6),
    "heading": _style("heading", fontName=BOLD, fontSize=10, leading=13, spaceBefore=8, spaceAfter=4),
    "body": _style("body", spaceBefore=3),
    "small": _style("small", fontSize=7.5, leading=9.5),
    "cell": _style("cell", fontSize=8, leading=10),
    "cell_bold": _style("cell_bold", fontName=BOLD, fontSize=8, leading=10),
    "center": _style("center", alignment=TA_CENTER),
}


CELL_FONT = [("FONTNAME", (0, 0), (-1, -1), FONT)]  # a table's own default is an unembedded Helvetica


# -- formatting (Bahasa Indonesia) -------------------------------------------------------------


def text(value) -> str:
    """A value as printed text: None is a dash."""
    if value is None or value == "":
        return "-"
    return str(value)


def date_id(value) -> str:
    """``2026-12-31`` (a date, a datetime or an ISO text) -> ``31 Desember 2026``."""
    if value is None:
        return "-"
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00")) if len(value) > 10 else date.fromisoformat(value)
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


def number_id(value, places: int | None = None) -> str:
    """``2.08`` -> ``2,08``; ``1234.5`` -> ``1.234,5``; whole numbers without decimals (None -> ``-``)."""
    if value is None:
        return "-"
    d = Decimal(str(value))
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        body = f"{d:,.{places}f}"
    elif d == d.to_integral_value():
        body = f"{int(d):,}"
    else:
        body = f"{d.normalize():,f}"
    return body.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def mask_nip(nip: str | None) -> str | None:
    """An 18-digit NIP with all but its last four digits hidden."""
    if not nip:
        return None
    return "*" * (len(nip) - 4) + nip[-4:]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- building blocks -------------------------------------------------------------------------


def para(value, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped; newlines kept)."""
    return Paragraph(escape(text(value)).replace("\n", "<br/>"), STYLES[style])


def rich(markup: str, style: str = "body") -> Paragraph:
    """A paragraph of trusted markup (the layouts' own <b> etc.); escape data with ``esc``."""
    return Paragraph(markup, STYLES[style])


def esc(value) -> str:
    return escape(text(value))


def heading(value) -> Paragraph:
    return para(value, "heading")


def grid(rows: list[list], widths: list[float], header_rows: int = 1, repeat: bool = True) -> Table:
    """A ruled table; plain values become wrapped paragraphs (the header rows bold)."""
    cells = [
        [
            ""
            if c == ""
            else c
            if not isinstance(c, (str, int, float, type(None)))
            else para(c, "cell_bold" if i < header_rows else "cell")
            for c in row
        ]
        for i, row in enumerate(rows)
    ]
    t = Table(cells, colWidths=widths, repeatRows=header_rows if repeat else 0)
    style = [
        *CELL_FONT,
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        style.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.88, 0.88, 0.88)))
    t.setStyle(TableStyle(style))
    return t


def facts(pairs: list[tuple[str, object]], width: float, label_width: float = 55 * mm) -> Table:
    """Label : value lines (the identity blocks of the forms), unruled."""
    t = Table(
        [[para(k, "cell"), para(":", "cell"), para(v, "cell")] for k, v in pairs],
        colWidths=[label_width, 4 * mm, width - label_width - 4 * mm],
    )
    t.setStyle(
        TableStyle(
            [
                *CELL_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return t


@dataclass(frozen=True)
class Approval:
    """A printed approval field: who approved (role, name, NIP), what and when, through the system."""

    role: str  # "Pejabat Penilai Kinerja", "Pegawai yang Dinilai"...
    name: str | None
    nip: str | None
    action: str  # "Disetujui", "Ditetapkan", "Diajukan"...
    at: object = None  # a date, datetime or ISO text; None: not (yet) recorded


def approvals(items: list[Approval], width: float) -> KeepTogether:
    """The approval fields side by side: role, the recorded action and its date, name and NIP. No image of a
    signature: the approvals were given through the system and are recorded there (see signing.py for a
    digital signature)."""
    cols = []
    for a in items:
        done = f"{a.action} melalui sistem Kinerja pada {date_id(a.at)}" if a.at else "Belum tercatat"
        cols.append(
            [
                para(a.role, "cell_bold"),
                Spacer(1, 3 * mm),
                para(done, "cell"),
                Spacer(1, 6 * mm),
                para(a.name, "cell_bold"),
                para(f"NIP {a.nip}" if a.nip else "NIP -", "cell"),
            ]
        )
    t = Table([cols], colWidths=[width / len(items)] * len(items))
    t.setStyle(
        TableStyle(
            [
                *CELL_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.black),
                ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.black),
            ]
        )
    )
    return KeepTogether([Spacer(1, 4 * mm), t])


# -- the page frame --------------------------------------------------------------------------


@dataclass
class Frame:
    """What every page of a document shows around its content."""

    title: str  # the document's title, e.g. "SASARAN KINERJA PEGAWAI"
    code: str  # the verification code (canonical)
    verify_url: str  # where the QR points: <public base>/api/v1/documents/verify/<code>
    organisation: str  # the issuing government, e.g. "Pemerintah Kota Binjai"
    subject: str = ""  # PDF metadata: whose document
    wide: bool = False  # landscape A4
    margins: dict = field(
        default_factory=lambda: {"left": 15 * mm, "right": 15 * mm, "top": 20 * mm, "bottom": 36 * mm}
    )

    @property
    def pagesize(self):
        return landscape(A4) if self.wide else A4

    @property
    def width(self) -> float:
        """The usable width between the margins."""
        return self.pagesize[0] - self.margins["left"] - self.margins["right"]


def _qr(canvas, value: str, x: float, y: float) -> None:
    """The QR code of ``value`` (error correction M, a quiet zone of 4 modules) as filled squares, in a
    QR_SIZE square at (x, y). Drawn directly: reportlab's graphics renderer would add an unembedded font."""
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)  # None: the smallest version that holds it
    qr.addData(value)
    qr.make()
    n = qr.getModuleCount()
    module = QR_SIZE / (n + 8)
    canvas.saveState()
    canvas.setFillColor(colors.black)
    for row in range(n):
        for col in range(n):
            if qr.isDark(row, col):
                canvas.rect(x + (col + 4) * module, y + QR_SIZE - (row + 5) * module, module, module, stroke=0, fill=1)
    canvas.restoreState()


def _numbered_canvas(frame: Frame):
    """A canvas that draws the header and footer once the page count is known ("Halaman x dari y")."""

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args, **kwargs):
            kwargs.update(initialFontName=FONT, invariant=1)  # no unembedded Helvetica; fixed dates and ids
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = frame.pagesize
            left, right = frame.margins["left"], width - frame.margins["right"]
            self.saveState()
            self.setFont(BOLD, 8)
            self.drawString(left, height - 12 * mm, frame.organisation)
            self.setFont(FONT, 8)
            self.drawRightString(right, height - 12 * mm, frame.title)
            self.setLineWidth(0.5)
            self.line(left, height - 14 * mm, right, height - 14 * mm)
            self.line(left, 32 * mm, right, 32 * mm)
            _qr(self, frame.verify_url, right - QR_SIZE, 6 * mm)
            self.setFont(BOLD, 8)
            self.drawString(left, 26 * mm, f"Kode verifikasi: {grouped(frame.code)}")
            self.setFont(FONT, 7)
            self.drawString(left, 22 * mm, "Periksa keaslian dokumen ini dengan memindai kode QR atau membuka:")
            self.drawString(left, 18.5 * mm, frame.verify_url)
            self.drawString(
                left,
                15 * mm,
                "Dokumen ini dibuat dari data sistem Kinerja; persetujuan yang tercantum diberikan melalui sistem.",
            )
            self.setFont(FONT, 8)
            self.drawString(left, 8 * mm, f"Halaman {self._pageNumber} dari {total}")
            self.restoreState()

    return NumberedCanvas


def build(frame: Frame, story: list) -> bytes:
    """The PDF bytes of ``story`` in ``frame`` (repeatable: same input, same bytes)."""
    _register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=frame.pagesize,
        leftMargin=frame.margins["left"],
        rightMargin=frame.margins["right"],
        topMargin=frame.margins["top"],
        bottomMargin=frame.margins["bottom"],
        title=frame.title,
        author=frame.organisation,
        subject=frame.subject,
        creator="Kinerja",
        producer="Kinerja (reportlab)",
        keywords=frame.code,
        invariant=1,
        lang="id-ID",
    )
    doc.build(story, canvasmaker=_numbered_canvas(frame))
    return buffer.getvalue()


def title_block(title: str, subtitle: str | None = None) -> list:
    out = [para(title, "title")]
    if subtitle:
        out.append(para(subtitle, "subtitle"))
    return out
