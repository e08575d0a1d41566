"""The kuitansi (receipt, bukti transaksi): a fixed layout on a 210 × 140 mm page.

:func:`render_receipt` takes a :class:`ReceiptData` of plain values (already translated
titles, names and purposes) and returns the PDF. The same input gives the same bytes
(``invariant=1``). Long texts are wrapped or shortened with an ellipsis: nothing is drawn
outside the page.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.hijri import hijri_date_id
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.stamp_duty import STAMP_DUTY
from bmt_desktop.domain.terbilang import terbilang_rupiah
from bmt_desktop.i18n import _
from bmt_desktop.printing.fonts import register_fonts
from bmt_desktop.printing.layout import BAD, INK, MUTED, RULE, WATERMARK, _fit

PAGE_WIDTH = 210 * mm
PAGE_HEIGHT = 140 * mm
MARGIN = 10 * mm
RIGHT = PAGE_WIDTH - MARGIN
HEADER_SPLIT = 112 * mm  # the office on the left of it, title and number on the right
RULE_Y = 109 * mm
BODY_TOP = 102 * mm
LABEL_WIDTH = 40 * mm
VALUE_X = MARGIN + LABEL_WIDTH + 3 * mm
VALUE_WIDTH = RIGHT - VALUE_X
BREAKDOWN_AMOUNT_RIGHT = VALUE_X + 95 * mm
SIGNATURE_TOP = 41 * mm  # the signature labels; the body stops above it
BODY_FLOOR = SIGNATURE_TOP + 6 * mm
SIGNATURE_WIDTH = 58 * mm
SIGNATURE_LINE_Y = 17 * mm
BODY_SIZE = 9.5
BODY_LEADING = 4.6 * mm
BREAKDOWN_LEADING = 4.2 * mm
AMOUNT_ADVANCE = 12.5 * mm  # from the baseline above the framed amount to the next one
WORDS_FILL = colors.HexColor("#f1f1f1")  # lighter than the DEMO watermark it may cover
OBLIQUE = 0.21  # tan(12°): DejaVu Oblique is not bundled, so italics are slanted upright text
DIRECTIONS = ("in", "out")


@dataclass(frozen=True)
class ReceiptData:
    """Everything printed on one receipt; texts are final (translated by the caller)."""

    office_name: str
    office_address: str
    office_registration: str
    is_demo: bool
    number: str  # e.g. "KW-2026-000123"
    date: dt.date
    show_hijri: bool
    kind_title: str  # e.g. "Bukti Setoran Tunai"
    received_from: str  # member name and number, or the payer's name
    direction: str  # "in" (the BMT receives money) or "out" (the BMT pays out)
    amount: int
    purpose: str  # e.g. "Setoran simpanan sukarela SS-000123"
    lines: tuple[tuple[str, int], ...] = ()  # breakdown (label, amount), may be empty
    balance_after: int | None = None  # the account balance after, when relevant
    balance_label: str = ""  # what balance_after is; "" prints "Balance after"
    teller: str = ""
    stamp_duty: bool = False  # draw the "Meterai Rp10.000" box
    reprint: bool = False  # mark "SALINAN / CETAK ULANG"


def _wrap(value: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """``value`` in at most ``max_lines`` lines of ``width``; the excess ends in an ellipsis."""
    lines = simpleSplit(" ".join(value.split()), font, size, width) or [""]
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return [_fit(line, font, size, width) for line in lines]  # also cuts one over-long word


def _wrap_shrinking(value: str, font: str, sizes: tuple[float, ...], width: float,
                    max_lines: int) -> tuple[float, list[str]]:
    """The largest size of ``sizes`` at which ``value`` fits; else the smallest, shortened."""
    words = " ".join(value.split())
    for size in sizes:
        lines = simpleSplit(words, font, size, width) or [""]
        if len(lines) <= max_lines and all(stringWidth(line, font, size) <= width
                                           for line in lines):
            return size, lines
    return sizes[-1], _wrap(words, font, sizes[-1], width, max_lines)


def _oblique(canvas: Canvas, x: float, y: float, value: str, font: str, size: float) -> None:
    text = canvas.beginText()
    text.setTextTransform(1, 0, OBLIQUE, 1, x, y)
    text.setFont(font, size)
    text.textOut(value)
    canvas.drawText(text)


class _Receipt:
    """Draws one receipt onto a canvas, top to bottom."""

    def __init__(self, canvas: Canvas, data: ReceiptData) -> None:
        self.c = canvas
        self.data = data
        self.regular, self.bold = register_fonts()

    def draw(self) -> None:
        if self.data.is_demo:
            self._watermark()
        self._header()
        self._body()
        self._signatures()
        if self.data.reprint:
            self._reprint_mark()

    # ------------------------------------------------------------------ header

    def _watermark(self) -> None:
        c = self.c
        c.saveState()
        c.setFillColor(WATERMARK)
        c.setFont(self.bold, 110)
        c.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        c.rotate(22)
        c.drawCentredString(0, -38, _("DEMO"))
        c.restoreState()

    def _header(self) -> None:
        c, data = self.c, self.data
        room = HEADER_SPLIT - MARGIN
        top = PAGE_HEIGHT - MARGIN
        c.setFillColor(INK)
        size, name = _wrap_shrinking(data.office_name, self.bold, (12, 11, 10), room, 1)
        c.setFont(self.bold, size)
        c.drawString(MARGIN, top - 10, name[0])
        y = top - 10
        c.setFont(self.regular, 7.5)
        c.setFillColor(MUTED)
        lines: list[str] = []
        if data.office_registration:
            lines.append(_fit(_("Registration no. {number}").format(
                number=data.office_registration), self.regular, 7.5, room))
        if data.office_address.strip():
            lines += _wrap(data.office_address, self.regular, 7.5, room, 2)
        for line in lines:
            y -= 9.5
            c.drawString(MARGIN, y, line)

        right_room = RIGHT - HEADER_SPLIT - 4 * mm
        c.setFillColor(INK)
        size, title = _wrap_shrinking(data.kind_title, self.bold, (13, 11.5, 10), right_room, 1)
        c.setFont(self.bold, size)
        c.drawRightString(RIGHT, top - 10, title[0])
        c.setFont(self.regular, 9.5)
        number = _("No. {number}").format(number=data.number)
        c.drawRightString(RIGHT, top - 23, _fit(number, self.regular, 9.5, right_room))
        c.setFont(self.regular, 8.5)
        for index, line in enumerate(self._date_lines(right_room)):
            c.drawRightString(RIGHT, top - 35 - index * 10, line)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.8)
        c.line(MARGIN, RULE_Y, RIGHT, RULE_Y)

    def _date_lines(self, room: float) -> list[str]:
        """The date, and beside it the Hijri date (below it when both do not fit)."""
        data = self.data
        gregorian = _("Date: {date}").format(date=format_date_id(data.date))
        hijri = hijri_date_id(data.date) if data.show_hijri else ""
        if not hijri:
            return [_fit(gregorian, self.regular, 8.5, room)]
        both = f"{gregorian} / {hijri}"
        if stringWidth(both, self.regular, 8.5) <= room:
            return [both]
        return [_fit(gregorian, self.regular, 8.5, room), _fit(hijri, self.regular, 8.5, room)]

    # ------------------------------------------------------------------ body

    def _label(self, y: float, label: str) -> None:
        c = self.c
        c.setFillColor(MUTED)
        c.setFont(self.regular, BODY_SIZE)
        c.drawString(MARGIN, y, _fit(label, self.regular, BODY_SIZE, LABEL_WIDTH - 2 * mm))
        c.drawString(MARGIN + LABEL_WIDTH, y, ":")
        c.setFillColor(INK)

    def _body(self) -> None:
        data = self.data
        if data.direction not in DIRECTIONS:
            raise ValueError(f"direction must be 'in' or 'out', got {data.direction!r}")
        if data.amount < 0:
            raise ValueError(f"a receipt amount cannot be negative: {data.amount}")
        counterpart = _wrap(data.received_from, self.bold, BODY_SIZE, VALUE_WIDTH, 2)
        words_size, words = _wrap_shrinking(
            terbilang_rupiah(data.amount), self.regular, (BODY_SIZE, 8.5, 7.5),
            VALUE_WIDTH - 4 * mm, 3)
        purpose = _wrap(data.purpose, self.regular, BODY_SIZE, VALUE_WIDTH, 2)
        words_leading = words_size * 1.3
        fixed = (len(counterpart) * BODY_LEADING + 1.5 * mm
                 + AMOUNT_ADVANCE
                 + (len(words) - 1) * words_leading + BODY_LEADING + 2.5 * mm
                 + len(purpose) * BODY_LEADING + 1.5 * mm)
        room = BODY_TOP - BODY_FLOOR - fixed - 1.5 * mm  # the gap after the breakdown
        breakdown = self._fitted_breakdown(max(0, int(room // BREAKDOWN_LEADING)))

        y = BODY_TOP
        self._label(y, _("Paid to") if data.direction == "out" else _("Received from"))
        self.c.setFont(self.bold, BODY_SIZE)
        for line in counterpart:
            self.c.drawString(VALUE_X, y, line)
            y -= BODY_LEADING
        y -= 1.5 * mm
        y = self._amount_box(y)
        y = self._words(y, words, words_size)
        self._label(y, _("Purpose"))
        self.c.setFont(self.regular, BODY_SIZE)
        for line in purpose:
            self.c.drawString(VALUE_X, y, line)
            y -= BODY_LEADING
        y -= 1.5 * mm
        if breakdown:
            y = self._breakdown(y, breakdown)
        if data.balance_after is not None:
            self._label(y, data.balance_label or _("Balance after"))
            self.c.setFont(self.bold, BODY_SIZE)
            self.c.drawString(VALUE_X, y, format_rupiah(data.balance_after))

    def _amount_box(self, y: float) -> float:
        """The amount in figures, large and framed; returns the next baseline."""
        c = self.c
        figures = format_rupiah(self.data.amount)
        size = 16.0
        while size > 10 and stringWidth(figures, self.bold, size) > VALUE_WIDTH - 8 * mm:
            size -= 1
        box_width = max(55 * mm, stringWidth(figures, self.bold, size) + 10 * mm)
        box_bottom = y - 6.5 * mm
        self._label(box_bottom + 3.3 * mm, _("Amount"))
        c.setStrokeColor(INK)
        c.setLineWidth(1.2)
        c.rect(VALUE_X, box_bottom, box_width, 10 * mm, stroke=1, fill=0)
        c.setFont(self.bold, size)
        c.drawCentredString(VALUE_X + box_width / 2, box_bottom + 3.3 * mm, figures)
        return y - AMOUNT_ADVANCE

    def _words(self, y: float, words: list[str], size: float) -> float:
        """The amount in words, slanted on a light band; returns the next baseline."""
        c = self.c
        leading = size * 1.3
        band_top = y + 0.85 * size + 1.5
        band_bottom = y - (len(words) - 1) * leading - 0.3 * size - 1.5
        c.setFillColor(WORDS_FILL)
        c.rect(VALUE_X, band_bottom, VALUE_WIDTH, band_top - band_bottom, stroke=0, fill=1)
        self._label(y, _("In words"))
        c.setFillColor(INK)
        for line in words:
            _oblique(c, VALUE_X + 2 * mm, y, line, self.regular, size)
            y -= leading
        return y + leading - BODY_LEADING - 2.5 * mm

    def _fitted_breakdown(self, room_lines: int) -> list[tuple[str, int]]:
        """The breakdown lines that fit; the rest is summed on a last "n more" line."""
        lines = list(self.data.lines)
        if len(lines) <= room_lines:
            return lines
        if room_lines == 0:
            return []
        if room_lines == 1:
            return [(_("{n} items").format(n=len(lines)), sum(amount for _l, amount in lines))]
        kept = lines[: room_lines - 1]
        rest = lines[room_lines - 1:]
        more = _("{n} more items").format(n=len(rest))
        return [*kept, (more, sum(amount for _l, amount in rest))]

    def _breakdown(self, y: float, lines: list[tuple[str, int]]) -> float:
        c = self.c
        self._label(y, _("Details"))
        size = 8.5
        for label, amount in lines:
            figures = format_rupiah(amount)
            c.setFont(self.regular, size)
            c.setFillColor(INK)
            c.drawRightString(BREAKDOWN_AMOUNT_RIGHT, y, figures)
            room = BREAKDOWN_AMOUNT_RIGHT - VALUE_X - stringWidth(figures, self.regular, size)
            c.drawString(VALUE_X, y, _fit(label, self.regular, size, room - 4 * mm))
            y -= BREAKDOWN_LEADING
        return y - 1.5 * mm

    # ------------------------------------------------------------------ signatures

    def _signatures(self) -> None:
        data = self.data
        first = _("Recipient") if data.direction == "out" else _("Depositor")
        self._signature_block(MARGIN, first, data.received_from)
        right = RIGHT - SIGNATURE_WIDTH
        if data.stamp_duty:
            self._stamp_box(right + 2 * mm)
        self._signature_block(right, _("Teller"), data.teller)

    def _signature_block(self, x: float, title: str, name: str) -> None:
        c = self.c
        centre = x + SIGNATURE_WIDTH / 2
        c.setFillColor(INK)
        c.setFont(self.regular, BODY_SIZE)
        c.drawCentredString(centre, SIGNATURE_TOP, title)
        c.setStrokeColor(INK)
        c.setLineWidth(0.6)
        c.line(x + 4 * mm, SIGNATURE_LINE_Y, x + SIGNATURE_WIDTH - 4 * mm, SIGNATURE_LINE_Y)
        if name.strip():
            c.setFont(self.regular, 8.5)
            c.drawCentredString(centre, SIGNATURE_LINE_Y - 4 * mm,
                                _fit(name.strip(), self.regular, 8.5, SIGNATURE_WIDTH))

    def _stamp_box(self, x: float) -> None:
        """A dashed place for the meterai, under where the issuer signs."""
        c = self.c
        width, height = 27 * mm, 19 * mm
        bottom = SIGNATURE_LINE_Y + 2.5 * mm
        c.saveState()
        c.setStrokeColor(MUTED)
        c.setLineWidth(0.6)
        c.setDash(3, 2)
        c.rect(x, bottom, width, height, stroke=1, fill=0)
        c.restoreState()
        c.setFillColor(MUTED)
        c.setFont(self.regular, 7.5)
        centre = x + width / 2
        c.drawCentredString(centre, bottom + height / 2 + 1.5, _("Stamp duty"))
        c.drawCentredString(centre, bottom + height / 2 - 8, format_rupiah(STAMP_DUTY))

    def _reprint_mark(self) -> None:
        c = self.c
        mark = _("COPY / REPRINT")
        size = 10
        width = stringWidth(mark, self.bold, size) + 6 * mm
        centre = PAGE_WIDTH / 2
        bottom = SIGNATURE_LINE_Y + 6 * mm
        c.setStrokeColor(BAD)
        c.setFillColor(BAD)
        c.setLineWidth(1.2)
        c.rect(centre - width / 2, bottom, width, 7.5 * mm, stroke=1, fill=0)
        c.setFont(self.bold, size)
        c.drawCentredString(centre, bottom + 2.5 * mm, mark)
        c.setFillColor(colors.black)


def render_receipt(data: ReceiptData) -> bytes:
    """The receipt as a one-page PDF of 210 × 140 mm."""
    register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1)
    canvas.setTitle(f"{data.kind_title} {data.number}")
    canvas.setSubject(data.office_name)
    canvas.setCreator("BMT Desktop")
    _Receipt(canvas, data).draw()
    canvas.showPage()
    canvas.save()
    return out.getvalue()
