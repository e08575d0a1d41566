"""A member's monthly account statement (laporan mutasi rekening) on A4.

:func:`render_statement` takes a :class:`StatementData` of plain values and lays it out with
the shared report template of :mod:`bmt_desktop.printing.layout`. The running balance is
computed here from the opening balance (credit adds, debit subtracts), so the printed
lines always add up to the closing balance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from babel.dates import format_date
from babel.numbers import format_decimal
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, TableStyle

from bmt_desktop.domain.dates import month_end
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.i18n import _
from bmt_desktop.printing.fonts import register_fonts
from bmt_desktop.printing.layout import (
    HEADER_FILL,
    Letterhead,
    build_report,
    data_table,
    report_styles,
    text,
)

WIDTH = 180 * mm  # A4 less the two 15 mm margins
# A document number of the longest kind ("ABCD-2026-000123") fits its column on one line.
COLUMN_WIDTHS = (22 * mm, 33 * mm, 47 * mm, 26 * mm, 26 * mm, 26 * mm)
AMOUNT_SIZE = 8.5
CELL_PADDING = 4  # points left and right in every cell (ReportLab's default is 6)


@dataclass(frozen=True)
class StatementLine:
    """One posting on the account; ``debit`` takes money out, ``credit`` puts it in."""

    date: dt.date
    document_number: str
    description: str
    debit: int = 0
    credit: int = 0


@dataclass(frozen=True)
class StatementData:
    office_name: str
    office_address: str
    office_registration: str
    is_demo: bool
    member_name: str
    member_number: str
    account_number: str
    product_name: str
    year: int
    month: int
    opening_balance: int
    printed_at: dt.datetime
    lines: tuple[StatementLine, ...] = ()
    logo: bytes | None = None

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return month_end(self.year, self.month)

    @property
    def total_debit(self) -> int:
        return sum(line.debit for line in self.lines)

    @property
    def total_credit(self) -> int:
        return sum(line.credit for line in self.lines)

    @property
    def closing_balance(self) -> int:
        return self.opening_balance + self.total_credit - self.total_debit


def format_period(year: int, month: int) -> str:
    """``(2026, 11)`` → ``"November 2026"``."""
    return format_date(dt.date(year, month, 1), "MMMM y", locale="id")


def _short_date(day: dt.date) -> str:
    return format_date(day, "d MMM y", locale="id")


def _amount(value: int) -> str:
    return format_decimal(value, locale="id_ID")


@cache
def _code_style() -> ParagraphStyle:
    # Document numbers have no spaces: CJK wrapping breaks them anywhere rather than overflow.
    return ParagraphStyle("bmt-statement-code", parent=report_styles().cell, wordWrap="CJK")


def _check(data: StatementData) -> None:
    if not 1 <= data.month <= 12:
        raise ValueError(f"no such month: {data.month}")
    for line in data.lines:
        if not data.first_day <= line.date <= data.last_day:
            raise ValueError(f"{line.document_number} of {line.date} is not in the period")
        if line.debit < 0 or line.credit < 0:
            raise ValueError(f"{line.document_number}: debit and credit cannot be negative")


def _identity(data: StatementData) -> Flowable:
    styles = report_styles()

    def label(value: str) -> Paragraph:
        return Paragraph(text(value), styles.cell_bold)

    def value(content: str) -> Paragraph:
        return Paragraph(text(content), styles.cell)

    rows = [
        [label(_("Member name")), value(data.member_name),
         label(_("Account number")), value(data.account_number)],
        [label(_("Member number")), value(data.member_number),
         label(_("Product")), value(data.product_name)],
        [label(_("Period")), value(format_period(data.year, data.month)),
         label(_("Opening balance")), value(format_rupiah(data.opening_balance))],
        [label(_("Closing balance")), value(format_rupiah(data.closing_balance)),
         label(_("Number of transactions")), value(_amount(len(data.lines)))],
    ]
    return data_table(rows, [32 * mm, 58 * mm, 37 * mm, 53 * mm], header=False)


def _lines_table(data: StatementData) -> Flowable:
    styles = report_styles()
    regular, bold = register_fonts()
    rows: list[list] = [[_("Date"), _("Document no."), _("Description"), _("Debit"),
                         _("Credit"), _("Balance")]]
    commands: list[tuple] = [
        ("ALIGN", (3, 0), (5, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    rows.append([_short_date(data.first_day), "", Paragraph(text(_("Opening balance")),
                 styles.cell_bold), "", "", _amount(data.opening_balance)])
    balance = data.opening_balance
    for line in data.lines:
        balance += line.credit - line.debit
        rows.append([
            _short_date(line.date),
            Paragraph(text(line.document_number), _code_style()),
            Paragraph(text(line.description), styles.cell),
            _amount(line.debit) if line.debit else "",
            _amount(line.credit) if line.credit else "",
            _amount(balance),
        ])
    if not data.lines:
        rows.append(["", Paragraph(text(_("No transactions in this period.")), styles.cell),
                     "", "", "", ""])
        commands.append(("SPAN", (1, len(rows) - 1), (4, len(rows) - 1)))
    totals = len(rows)
    rows.append(["", "", Paragraph(text(_("Total")), styles.cell_bold),
                 _amount(data.total_debit), _amount(data.total_credit), ""])
    rows.append([_short_date(data.last_day), "",
                 Paragraph(text(_("Closing balance")), styles.cell_bold), "", "",
                 _amount(data.closing_balance)])
    commands += [
        ("FONT", (3, totals), (-1, -1), bold, AMOUNT_SIZE),
        ("BACKGROUND", (0, totals), (-1, -1), HEADER_FILL),
        ("FONT", (5, 1), (5, 1), bold, AMOUNT_SIZE),
    ]
    # A figure too wide for its column gets a smaller font rather than running out of it.
    for row_index, row in enumerate(rows[1:], start=1):
        for column in (3, 4, 5):
            cell = row[column]
            room = COLUMN_WIDTHS[column] - 2 * CELL_PADDING
            size = AMOUNT_SIZE
            while cell and size > 5 and stringWidth(cell, bold, size) > room:
                size -= 0.5
            if size != AMOUNT_SIZE:
                font = bold if row_index >= totals or row_index == 1 else regular
                commands.append(("FONT", (column, row_index), (column, row_index), font, size))
    table = data_table(rows, list(COLUMN_WIDTHS))
    table.setStyle(TableStyle(commands))
    return table


def render_statement(data: StatementData) -> bytes:
    """The statement as an A4 PDF; an empty month still shows opening = closing balance."""
    _check(data)
    styles = report_styles()
    story: list[Flowable] = [
        _identity(data),
        Paragraph(text(_("Transactions")), styles.heading),
        _lines_table(data),
        Spacer(1, 3 * mm),
        Paragraph(text(_("Debit is money taken out of the account, credit is money put in.")),
                  styles.small),
    ]
    letterhead = Letterhead(data.office_name, data.office_registration, data.office_address,
                            data.is_demo, data.logo)
    return build_report(
        story,
        letterhead=letterhead,
        title=_("Account Statement"),
        subtitle=_("{account} · {name} · period {period}").format(
            account=data.account_number, name=data.member_name,
            period=format_period(data.year, data.month)),
        printed_at=data.printed_at,
    )
