"""Shared pieces of every A4 report: letterhead, title, footer with page count, DEMO mark.

Reports are platypus stories built by :func:`build_report`; it takes plain data (a
:class:`Letterhead`), never the database. The same input gives the same bytes
(``invariant=1``): the printed time is an argument, not the clock.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import Any, Protocol
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table, TableStyle

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.i18n import _
from bmt_desktop.printing.fonts import register_fonts

MONO = "Courier"  # one of the PDF base fonts: enough for hashes and other ASCII codes
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#888888")
GRID = colors.HexColor("#b0b0b0")
HEADER_FILL = colors.HexColor("#e8e8e8")
WATERMARK = colors.HexColor("#e3e3e3")
GOOD = colors.HexColor("#1b7f3b")
BAD = colors.HexColor("#b00020")

MARGIN_X = 15 * mm
MARGIN_TOP = 12 * mm
LOGO_BOX = 18 * mm
LETTERHEAD_HEIGHT = 21 * mm  # logo or office text, then the rule
TITLE_BLOCK = 15 * mm  # title and subtitle below the rule
FOOTER_HEIGHT = 16 * mm


class OfficeLike(Protocol):
    """What a report needs of an office (services.office.OfficeProfile has it)."""

    name: str
    registration_number: str
    address: str
    is_demo: bool


@dataclass(frozen=True)
class Letterhead:
    """The office as printed at the top of every page; ``logo`` is PNG or JPEG bytes."""

    name: str
    registration_number: str = ""
    address: str = ""
    is_demo: bool = False
    logo: bytes | None = None

    @classmethod
    def of(cls, office: OfficeLike, logo: bytes | None = None) -> Letterhead:
        return cls(office.name, office.registration_number, office.address,
                   bool(office.is_demo), logo)


@dataclass(frozen=True)
class ReportStyles:
    body: ParagraphStyle
    small: ParagraphStyle
    heading: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    mono: ParagraphStyle
    verdict: ParagraphStyle


@cache
def report_styles() -> ReportStyles:
    """Paragraph styles in DejaVu (and Courier for hashes), shared by every report."""
    regular, bold = register_fonts()
    body = ParagraphStyle("bmt-body", fontName=regular, fontSize=9.5, leading=12.5,
                          textColor=INK)
    return ReportStyles(
        body=body,
        small=ParagraphStyle("bmt-small", parent=body, fontSize=8, leading=10,
                             textColor=MUTED),
        heading=ParagraphStyle("bmt-heading", parent=body, fontName=bold, fontSize=11,
                               leading=14, spaceBefore=10, spaceAfter=5),
        cell=ParagraphStyle("bmt-cell", parent=body, fontSize=8.5, leading=10.5),
        cell_bold=ParagraphStyle("bmt-cell-bold", parent=body, fontName=bold, fontSize=8.5,
                                 leading=10.5),
        # CJK word wrap breaks anywhere: a 64-digit hash wraps instead of running off the cell.
        mono=ParagraphStyle("bmt-mono", parent=body, fontName=MONO, fontSize=8.5,
                            leading=10.5, wordWrap="CJK"),
        verdict=ParagraphStyle("bmt-verdict", parent=body, fontName=bold, fontSize=12.5,
                               leading=16, alignment=TA_CENTER, textColor=colors.white),
    )


def text(value: object) -> str:
    """Escape plain text for a Paragraph (paths and messages may hold ``&`` or ``<``)."""
    return escape(str(value))


def format_printed_at(when: dt.datetime) -> str:
    """``"29 November 2026 pukul 14.05"``."""
    return _("{date} at {time}").format(
        date=format_date_id(when.date()), time=f"{when.hour:02d}.{when.minute:02d}"
    )


def data_table(rows: Sequence[Sequence[Any]], col_widths: Sequence[float], *,
               header: bool = True) -> Table:
    """A ruled table; the first row is a shaded header repeated on every page."""
    regular, bold = register_fonts()
    table = Table([list(row) for row in rows], colWidths=list(col_widths),
                  repeatRows=1 if header else 0)
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), regular, 8.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands += [("FONT", (0, 0), (-1, 0), bold, 8.5),
                     ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL)]
    table.setStyle(TableStyle(commands))
    return table


def _logo_reader(logo: bytes | None) -> ImageReader | None:
    if not logo:
        return None
    try:
        reader = ImageReader(io.BytesIO(logo))
        reader.getSize()
    except Exception:  # a damaged logo must not stop a report from printing
        return None
    return reader


class _NumberedCanvas(Canvas):
    """Holds the pages back until the end, so each footer can say "page X of Y"."""

    def __init__(self, *args: Any, footer: Callable[[Canvas, int, int], None],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._held: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._footer(self, number, total)
            super().showPage()
        super().save()


class ReportDocument(BaseDocTemplate):
    """An A4 portrait platypus document with the letterhead, title and footer on each page."""

    def __init__(self, target: Any, *, letterhead: Letterhead, title: str, subtitle: str,
                 printed_at: dt.datetime, author: str = "", wide: bool = False) -> None:
        self.letterhead = letterhead
        self.report_title = title
        self.subtitle = subtitle
        self.printed_at = printed_at
        self._logo = _logo_reader(letterhead.logo)
        top = MARGIN_TOP + LETTERHEAD_HEIGHT + TITLE_BLOCK
        super().__init__(
            target, pagesize=landscape(A4) if wide else A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
            topMargin=top, bottomMargin=FOOTER_HEIGHT, title=title, author=author,
            subject=letterhead.name, creator="BMT Desktop", invariant=1,
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                      id="body")
        self.addPageTemplates([PageTemplate("report", frames=[frame], onPage=self._decorate)])

    # ------------------------------------------------------------------ every page

    def _decorate(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        if self.letterhead.is_demo:
            self._watermark(canvas)
        self._draw_letterhead(canvas)
        self._draw_title(canvas)
        canvas.restoreState()

    def _watermark(self, canvas: Canvas) -> None:
        _regular, bold = register_fonts()
        width, height = self.pagesize
        canvas.saveState()
        canvas.setFillColor(WATERMARK)
        canvas.setFont(bold, 150)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(55)
        canvas.drawCentredString(0, -50, _("DEMO"))
        canvas.restoreState()

    def _draw_letterhead(self, canvas: Canvas) -> None:
        regular, bold = register_fonts()
        width, height = self.pagesize
        top = height - MARGIN_TOP
        x = MARGIN_X
        if self._logo is not None:
            w, h = self._logo.getSize()
            scale = min(LOGO_BOX / w, LOGO_BOX / h)
            canvas.drawImage(self._logo, x, top - h * scale, w * scale, h * scale,
                             mask="auto")
            x += LOGO_BOX + 4 * mm
        room = width - MARGIN_X - x
        head = self.letterhead
        canvas.setFillColor(INK)
        canvas.setFont(bold, 13)
        canvas.drawString(x, top - 11, _fit(head.name, bold, 13, room))
        y = top - 11
        canvas.setFont(regular, 8)
        canvas.setFillColor(MUTED)
        lines = []
        if head.registration_number:
            lines.append(_("Registration no. {number}").format(number=head.registration_number))
        address = simpleSplit(" ".join(head.address.split()), regular, 8, room)
        if len(address) > 2:  # two lines at most: the rest is cut with an ellipsis
            address = [address[0], _fit(" ".join(address[1:]), regular, 8, room)]
        lines += address
        for line in lines:
            y -= 10
            canvas.drawString(x, y, line)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.8)
        rule = height - MARGIN_TOP - LETTERHEAD_HEIGHT
        canvas.line(MARGIN_X, rule, width - MARGIN_X, rule)

    def _draw_title(self, canvas: Canvas) -> None:
        regular, bold = register_fonts()
        width, height = self.pagesize
        room = width - 2 * MARGIN_X
        base = height - MARGIN_TOP - LETTERHEAD_HEIGHT
        canvas.setFillColor(INK)
        canvas.setFont(bold, 14)
        canvas.drawCentredString(width / 2, base - 7 * mm,
                                 _fit(self.report_title, bold, 14, room))
        if self.subtitle:
            canvas.setFont(regular, 9)
            canvas.setFillColor(MUTED)
            canvas.drawCentredString(width / 2, base - 11.5 * mm,
                                     _fit(self.subtitle, regular, 9, room))

    def draw_footer(self, canvas: Canvas, page: int, pages: int) -> None:
        regular, _bold = register_fonts()
        width, _height = self.pagesize
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, 12 * mm, width - MARGIN_X, 12 * mm)
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(MUTED)
        right = "{printed} · {page}".format(
            printed=_("Printed {when}").format(when=format_printed_at(self.printed_at)),
            page=_("Page {page} of {pages}").format(page=page, pages=pages),
        )
        canvas.drawRightString(width - MARGIN_X, 8 * mm, right)
        room = width - 2 * MARGIN_X - canvas.stringWidth(right, regular, 7.5) - 6 * mm
        canvas.drawString(MARGIN_X, 8 * mm, _fit(self.report_title, regular, 7.5, room))
        canvas.restoreState()

    def build_story(self, story: list[Flowable]) -> None:
        self.build(story, canvasmaker=partial(_NumberedCanvas, footer=self.draw_footer))


def _fit(value: str, font: str, size: float, room: float) -> str:
    """``value`` shortened with an ellipsis until it fits in ``room`` points."""
    if stringWidth(value, font, size) <= room:
        return value
    while value and stringWidth(value + "…", font, size) > room:
        value = value[:-1]
    return value.rstrip() + "…"


def build_report(story: list[Flowable], *, letterhead: Letterhead, title: str,
                 subtitle: str = "", printed_at: dt.datetime, wide: bool = False) -> bytes:
    """Lay out ``story`` on A4 pages (landscape when ``wide``) with the shared header and
    footer; return the PDF."""
    register_fonts()
    out = io.BytesIO()
    ReportDocument(out, letterhead=letterhead, title=title, subtitle=subtitle,
                   printed_at=printed_at, wide=wide).build_story(story)
    return out.getvalue()
