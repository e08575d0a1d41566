"""The teller's end-of-day paper (laporan tutup kas): movements, totals, the count by
denomination, the difference and the signatures of the teller and the manager.

:func:`render_drawer_report` takes a :class:`DrawerReportData` of plain values and returns an
A4 PDF in the house template (:mod:`bmt_desktop.printing.layout`); no database here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.numbers import format_decimal
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.i18n import _
from bmt_desktop.printing.fonts import register_fonts
from bmt_desktop.printing.layout import (
    BAD,
    GOOD,
    HEADER_FILL,
    INK,
    Letterhead,
    build_report,
    data_table,
    report_styles,
    text,
)

WIDTH = 180 * mm  # A4 less the two 15 mm margins
GAP = 6 * mm
HALF = (WIDTH - GAP) / 2  # the summary and the count stand side by side


@dataclass(frozen=True)
class DrawerMovement:
    doc_number: str
    time: str  # "09.15", local time of posting
    description: str
    cash_in: int
    cash_out: int


@dataclass(frozen=True)
class DrawerReportData:
    """One drawer as printed; ``counts`` lists (denomination, pieces) once it was counted."""

    letterhead: Letterhead
    drawer_id: int
    teller: str  # the teller's full name
    business_date: dt.date
    status: str  # buka, menunggu, tutup
    opened_at: str  # "07.58" local time
    closed_at: str  # "" while open
    opening_cash: int
    cash_in: int
    cash_out: int
    expected_cash: int
    movements: tuple[DrawerMovement, ...]
    counts: tuple[tuple[int, int], ...] | None
    counted_cash: int | None
    difference: int | None
    approved_by: str | None
    printed_at: dt.datetime


def denomination_label(value: int) -> str:
    """``100000`` → ``"Rp100.000 (kertas)"``; Rp1.000 is counted as a note or coin."""
    if value > 1_000:
        kind = _("note")
    elif value == 1_000:
        kind = _("note or coin")
    else:
        kind = _("coin")
    return f"{format_rupiah(value)} ({kind})"


def status_label(status: str) -> str:
    return {"buka": _("open"), "menunggu": _("waiting for the manager's approval"),
            "tutup": _("closed")}.get(status, status)


def difference_text(difference: int) -> str:
    """``0`` → "Rp0 (cocok)"; ``-5000`` → "-Rp5.000 (kurang)"; ``2000`` → "Rp2.000 (lebih)"."""
    if difference == 0:
        return _("{amount} (matches)").format(amount=format_rupiah(0))
    if difference < 0:
        return _("{amount} (short)").format(amount=format_rupiah(difference))
    return _("{amount} (over)").format(amount=format_rupiah(difference))


def _verdict(data: DrawerReportData) -> Table:
    styles = report_styles()
    if data.difference is None:
        message, fill = _("The drawer is still open: not counted yet."), BAD
    elif data.difference == 0:
        message, fill = _("The count matches the books."), GOOD
    elif data.status == "tutup":
        message, fill = _("Difference {difference}, approved by {manager}.").format(
            difference=difference_text(data.difference), manager=data.approved_by or "–"), BAD
    else:
        message, fill = _("Difference {difference}: waiting for the manager's approval.").format(
            difference=difference_text(data.difference)), BAD
    box = Table([[Paragraph(text(message), styles.verdict)]], colWidths=[WIDTH])
    box.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), fill),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return box


def _summary(data: DrawerReportData) -> Table:
    styles = report_styles()

    def row(label: str, value: str, bold: bool = False, colour: str | None = None) -> list:
        shown = text(value)
        if colour:
            shown = f'<font color="{colour}">{shown}</font>'
        return [Paragraph(text(label), styles.cell_bold),
                Paragraph(shown, styles.cell_bold if bold else styles.cell)]

    closed = data.closed_at or "–"
    rows = [
        row(_("Teller"), data.teller),
        row(_("Business date"), format_date_id(data.business_date, weekday=True)),
        row(_("Opened / closed"), f"{data.opened_at} / {closed}"),
        row(_("Status"), status_label(data.status)),
        row(_("Opening cash (from the vault)"), format_rupiah(data.opening_cash)),
        row(_("Cash in"), format_rupiah(data.cash_in)),
        row(_("Cash out"), format_rupiah(data.cash_out)),
        row(_("Expected cash"), format_rupiah(data.expected_cash), bold=True),
        row(_("Counted cash"), format_rupiah(data.counted_cash)
            if data.counted_cash is not None else "–", bold=True),
        row(_("Difference"), difference_text(data.difference)
            if data.difference is not None else "–", bold=True,
            colour=("#" + (BAD if data.difference else GOOD).hexval()[2:])
            if data.difference is not None else None),
    ]
    return data_table(rows, [44 * mm, HALF - 44 * mm], header=False)


def _movements(data: DrawerReportData) -> Flowable:
    styles = report_styles()
    if not data.movements:
        return Paragraph(text(_("No cash moved through this drawer.")), styles.body)
    rows: list[list] = [[_("No."), _("Document"), _("Time"), _("Description"), _("In"),
                         _("Out")]]
    for number, line in enumerate(data.movements, start=1):
        rows.append([str(number), line.doc_number, line.time,
                     Paragraph(text(line.description), styles.cell),
                     format_rupiah(line.cash_in) if line.cash_in else "–",
                     format_rupiah(line.cash_out) if line.cash_out else "–"])
    rows.append(["", "", "", Paragraph(text(_("Total")), styles.cell_bold),
                 format_rupiah(data.cash_in), format_rupiah(data.cash_out)])
    amount = 27 * mm
    table = data_table(rows, [10 * mm, 33 * mm, 13 * mm, WIDTH - 56 * mm - 2 * amount,
                              amount, amount])
    _regular, bold = register_fonts()
    table.setStyle(TableStyle([
        ("ALIGN", (4, 0), (5, -1), "RIGHT"),
        ("FONT", (4, -1), (5, -1), bold, 8.5),
        ("BACKGROUND", (0, -1), (-1, -1), HEADER_FILL),
    ]))
    return table


def _count(data: DrawerReportData) -> Flowable:
    styles = report_styles()
    if data.counts is None:
        return Paragraph(text(_("The drawer has not been counted yet.")), styles.body)
    rows: list[list] = [[_("Denomination"), _("Pieces"), _("Amount")]]
    for value, pieces in data.counts:
        rows.append([format_rupiah(value), format_decimal(pieces, locale="id_ID"),
                     format_rupiah(value * pieces) if pieces else "–"])
    rows.append([Paragraph(text(_("Total counted")), styles.cell_bold), "",
                 format_rupiah(data.counted_cash or 0)])
    table = data_table(rows, [HALF - 60 * mm, 30 * mm, 30 * mm])
    _regular, bold = register_fonts()
    table.setStyle(TableStyle([
        ("ALIGN", (1, 0), (2, -1), "RIGHT"),
        ("SPAN", (0, -1), (1, -1)),
        ("FONT", (2, -1), (2, -1), bold, 8.5),
        ("BACKGROUND", (0, -1), (-1, -1), HEADER_FILL),
    ]))
    return table


def _signatures(data: DrawerReportData) -> Flowable:
    regular, _bold = register_fonts()
    manager = data.approved_by or ""
    line = 65 * mm
    rows = [[_("Teller"), "", _("Manager")], ["", "", ""], [data.teller, "", manager]]
    table = Table(rows, colWidths=[line, WIDTH - 2 * line, line],
                  rowHeights=[None, 18 * mm, None])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), regular, 9.5),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LINEBELOW", (0, 1), (0, 1), 0.6, INK),
        ("LINEBELOW", (2, 1), (2, 1), 0.6, INK),
    ]))
    return table


def _side_by_side(data: DrawerReportData) -> Table:
    styles = report_styles()
    left = [Paragraph(text(_("Summary")), styles.heading), _summary(data)]
    right = [Paragraph(text(_("Cash count by denomination")), styles.heading), _count(data)]
    table = Table([[left, "", right]], colWidths=[HALF, GAP, HALF])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def render_drawer_report(data: DrawerReportData) -> bytes:
    """The A4 "Laporan Tutup Kas Teller" of one drawer."""
    styles = report_styles()
    story: list[Flowable] = [
        _verdict(data),
        Spacer(1, 4 * mm),
        _side_by_side(data),
        Paragraph(text(_("Cash movements")), styles.heading),
        _movements(data),
        Spacer(1, 8 * mm),
        KeepTogether([Paragraph(text(_("Signed on {date}").format(
            date=format_date_id(data.business_date))), styles.body), Spacer(1, 3 * mm),
            _signatures(data)]),
    ]
    return build_report(
        story,
        letterhead=data.letterhead,
        title=_("Teller Drawer Closing Report"),
        subtitle=_("Drawer {id} · {teller} · {date}").format(
            id=data.drawer_id, teller=data.teller, date=format_date_id(data.business_date)),
        printed_at=data.printed_at,
    )
