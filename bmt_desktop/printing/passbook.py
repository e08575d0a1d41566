"""Passbook (buku tabungan) lines on the pre-printed pages of the member's book.

:func:`plan_passbook` decides where the new lines go: from the line after the last printed
one, turning to the next page when a page is full. :func:`render_passbook` draws only the
text of those lines at their positions (the book already has the grid and the column
names); positions and offsets come from a per-printer :class:`PassbookLayout`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from babel.numbers import format_decimal
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from bmt_desktop.i18n import _
from bmt_desktop.printing.fonts import register_fonts
from bmt_desktop.printing.layout import INK, WATERMARK, _fit

FONT_SIZE = 8.5
CELL_PADDING = 1.2 * mm  # amounts end this far before the next column
COLUMNS = 6  # No, Tanggal, Sandi, Debet, Kredit, Saldo
EDGE_MM = 2  # nothing is printed closer to the right edge of the paper


@dataclass(frozen=True)
class PassbookLayout:
    """Per-printer settings, in mm; column positions are from the left offset."""

    page_width_mm: float = 140
    page_height_mm: float = 200
    lines_per_page: int = 20
    first_line_top_mm: float = 40
    line_height_mm: float = 7
    left_offset_mm: float = 8
    top_offset_mm: float = 0  # printer fine-tuning
    # No, Tanggal, Sandi, Debet, Kredit, Saldo (the Paraf column is left empty)
    column_x_mm: tuple[float, ...] = (0, 8, 30, 48, 76, 104)
    middle_gap_after_line: int = 0  # some books have a fold after line N: extra gap
    middle_gap_mm: float = 0

    def check(self) -> None:
        """Raise ValueError for settings no book can have."""
        if self.lines_per_page < 1:
            raise ValueError("lines_per_page must be at least 1")
        if len(self.column_x_mm) != COLUMNS:
            raise ValueError(f"column_x_mm needs {COLUMNS} positions")
        if list(self.column_x_mm) != sorted(self.column_x_mm):
            raise ValueError("column_x_mm must go from left to right")
        if self.line_height_mm <= 0 or self.page_width_mm <= 0 or self.page_height_mm <= 0:
            raise ValueError("sizes must be positive")

    def column_right_mm(self, index: int) -> float:
        """Where the text of a column must end: the next column, or for the last one the
        width of the column before it (kept inside the page)."""
        xs = self.column_x_mm
        if index + 1 < len(xs):
            return xs[index + 1]
        width = xs[-1] - xs[-2] if len(xs) > 1 else self.page_width_mm
        return min(xs[-1] + width, self.page_width_mm - self.left_offset_mm - EDGE_MM)

    def baseline_mm(self, line: int) -> float:
        """Distance of the text baseline of ``line`` (1-based) from the top of the page."""
        top = self.top_offset_mm + self.first_line_top_mm + (line - 1) * self.line_height_mm
        if 0 < self.middle_gap_after_line < line:
            top += self.middle_gap_mm
        return top + self.line_height_mm * 0.72


@dataclass(frozen=True)
class PassbookEntry:
    line_id: int  # the journal line id (to remember the last printed)
    date: dt.date
    code: str  # SETOR, TARIK, BH, ADM, PB, KOR, ...
    debit: int  # money out of the account (Mutasi Debet)
    credit: int  # money in (Mutasi Kredit)
    balance: int


@dataclass(frozen=True)
class PassbookPosition:
    page: int  # 1-based page of the physical book
    line: int  # last printed line on that page (0 = page empty)


@dataclass(frozen=True)
class PassbookPrintPlan:
    pages: tuple[tuple[int, tuple[tuple[int, PassbookEntry], ...]], ...]  # (page, lines)
    end: PassbookPosition
    needs_new_page_before: tuple[int, ...]  # pages for which the teller must turn the book

    @property
    def is_empty(self) -> bool:
        return not self.pages


def plan_passbook(entries: Iterable[PassbookEntry], start: PassbookPosition,
                  layout: PassbookLayout) -> PassbookPrintPlan:
    """Place ``entries`` from the line after ``start``, page by page.

    A full page continues on line 1 of the next one, and that page is listed in
    ``needs_new_page_before``. No entries give a plan without pages that ends at ``start``.
    """
    layout.check()
    per_page = layout.lines_per_page
    if start.page < 1 or not 0 <= start.line <= per_page:
        raise ValueError(f"no such position in the book: page {start.page}, line {start.line}")
    pages: list[tuple[int, list[tuple[int, PassbookEntry]]]] = []
    turned: list[int] = []
    page, line = start.page, start.line
    for entry in entries:
        if line == per_page:
            page, line = page + 1, 0
            turned.append(page)
        line += 1
        if not pages or pages[-1][0] != page:
            pages.append((page, []))
        pages[-1][1].append((line, entry))
    return PassbookPrintPlan(
        pages=tuple((number, tuple(lines)) for number, lines in pages),
        end=PassbookPosition(page, line),
        needs_new_page_before=tuple(turned),
    )


def format_passbook_date(day: dt.date) -> str:
    """``date(2026, 11, 29)`` → ``"29-11-26"``."""
    return f"{day.day:02d}-{day.month:02d}-{day.year % 100:02d}"


def format_passbook_amount(amount: int) -> str:
    """``1500000`` → ``"1.500.000"``; zero is left blank (the column stays empty)."""
    return format_decimal(amount, locale="id_ID") if amount else ""


def _canvas(out: io.BytesIO, layout: PassbookLayout, title: str) -> Canvas:
    canvas = Canvas(out, pagesize=(layout.page_width_mm * mm, layout.page_height_mm * mm),
                    invariant=1)
    canvas.setTitle(title)
    canvas.setCreator("BMT Desktop")
    return canvas


def _demo_mark(canvas: Canvas, layout: PassbookLayout) -> None:
    _regular, bold = register_fonts()
    canvas.saveState()
    canvas.setFillColor(WATERMARK)
    canvas.setFont(bold, 90)
    canvas.translate(layout.page_width_mm * mm / 2, layout.page_height_mm * mm / 2)
    canvas.rotate(55)
    canvas.drawCentredString(0, -32, _("DEMO"))
    canvas.restoreState()


def _draw_line(canvas: Canvas, layout: PassbookLayout, font: str, page: int, line: int,
               entry: PassbookEntry) -> None:
    height = layout.page_height_mm * mm
    y = height - layout.baseline_mm(line) * mm
    running = (page - 1) * layout.lines_per_page + line
    cells = (str(running), format_passbook_date(entry.date), entry.code,
             format_passbook_amount(entry.debit), format_passbook_amount(entry.credit),
             format_decimal(entry.balance, locale="id_ID"))
    for index, value in enumerate(cells):
        left = (layout.left_offset_mm + layout.column_x_mm[index]) * mm
        right = (layout.left_offset_mm + layout.column_right_mm(index)) * mm - CELL_PADDING
        if index >= 3:  # amounts end at the right of their column
            size = FONT_SIZE
            while size > 6 and stringWidth(value, font, size) > right - left - CELL_PADDING:
                size -= 0.5
            canvas.setFont(font, size)
            canvas.drawRightString(right, y, value)
        else:
            canvas.setFont(font, FONT_SIZE)
            canvas.drawString(left, y, _fit(value, font, FONT_SIZE, right - left))


def render_passbook(plan: PassbookPrintPlan, layout: PassbookLayout, *, is_demo: bool) -> bytes:
    """One PDF page per physical page of ``plan``, holding only the text of its lines.

    Raises ValueError for a plan without lines: there is nothing to print.
    """
    if plan.is_empty:
        raise ValueError("the passbook plan has no lines to print")
    layout.check()
    regular, _bold = register_fonts()
    out = io.BytesIO()
    canvas = _canvas(out, layout, _("Passbook"))
    for page, lines in plan.pages:
        if is_demo:
            _demo_mark(canvas, layout)
        canvas.setFillColor(INK)
        for line, entry in lines:
            _draw_line(canvas, layout, regular, page, line, entry)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def render_passbook_cover(account_number: str, member_name: str, member_number: str,
                          office_name: str, product_name: str,
                          layout: PassbookLayout) -> bytes:
    """The identity page inside the cover of a new or replacement book."""
    layout.check()
    regular, bold = register_fonts()
    out = io.BytesIO()
    canvas = _canvas(out, layout, _("Passbook cover"))
    width, height = layout.page_width_mm * mm, layout.page_height_mm * mm
    left = layout.left_offset_mm * mm
    room = width - left - layout.left_offset_mm * mm
    label_width = 32 * mm
    rows = (
        (_("Office"), office_name),
        (_("Product"), product_name),
        (_("Account number"), account_number),
        (_("Name"), member_name),
        (_("Member number"), member_number),
    )
    canvas.setFillColor(INK)
    for line, (label, value) in enumerate(rows, start=1):
        y = height - layout.baseline_mm(line) * mm
        canvas.setFont(regular, 9)
        canvas.drawString(left, y, _fit(label, regular, 9, label_width - 4 * mm))
        canvas.drawString(left + label_width - 3 * mm, y, ":")
        canvas.setFont(bold, 10)
        canvas.drawString(left + label_width, y, _fit(value, bold, 10, room - label_width))
    canvas.showPage()
    canvas.save()
    return out.getvalue()
