"""Many monthly statements in one PDF: each starts on a new page with its own subtitle (account,
member, period) and its own "page X of Y", laid out exactly as
:func:`bmt_desktop.printing.statement.render_statement` lays out one, but with the fonts
embedded once (a file of separately rendered statements is ~45 KB a statement, nearly all
fonts; this is a few KB a page).

:func:`render_statements` takes plain data and returns bytes, so it runs in a helper process.
"""

from __future__ import annotations

import bisect
import io
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from bmt_desktop.i18n import _
from bmt_desktop.printing import statement as one
from bmt_desktop.printing.fonts import register_fonts
from bmt_desktop.printing.layout import Letterhead, ReportDocument, report_styles, text
from bmt_desktop.printing.statement import StatementData, format_period


def subtitle(data: StatementData) -> str:
    return _("{account} · {name} · period {period}").format(
        account=data.account_number, name=data.member_name,
        period=format_period(data.year, data.month))


class _Starts(Flowable):
    """Zero-size mark at the top of a statement: remembers the page it begins on."""

    def __init__(self, starts: list[int]) -> None:
        super().__init__()
        self.starts = starts

    def wrap(self, _width: float, _height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.starts.append(self.canv.getPageNumber())


class _NextSubtitle(Flowable):
    """Zero-size mark at the end of a statement: the next page's header names the next one
    (the header is drawn when a page begins)."""

    def __init__(self, doc: ReportDocument, value: str) -> None:
        super().__init__()
        self.doc, self.value = doc, value

    def wrap(self, _width: float, _height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.doc.subtitle = self.value


class _PartCanvas(Canvas):
    """Holds the pages back until the end, then numbers each within its statement."""

    def __init__(self, *args: Any, starts: list[int],
                 footer: Callable[[Canvas, int, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._starts, self._footer = starts, footer
        self._held: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        starts = sorted(set(self._starts)) or [1]
        bounds = [*starts, total + 1]
        for number, state in enumerate(self._held, start=1):
            part = max(0, bisect.bisect_right(starts, number) - 1)
            first, after = bounds[part], bounds[part + 1]
            self.__dict__.update(state)
            self._footer(self, number - first + 1, after - first)
            super().showPage()
        super().save()


def render_statements(items: Sequence[StatementData]) -> tuple[bytes, int]:
    """The statements, in order, as one A4 PDF; returns the PDF and its number of pages."""
    if not items:
        raise ValueError("no statements to render")
    for data in items:
        one._check(data)
    register_fonts()
    styles = report_styles()
    first = items[0]
    out = io.BytesIO()
    doc = ReportDocument(out, letterhead=Letterhead(
        first.office_name, first.office_registration, first.office_address, first.is_demo,
        first.logo), title=_("Account Statement"), subtitle=subtitle(first),
        printed_at=first.printed_at)
    starts: list[int] = []
    story: list[Flowable] = []
    for index, data in enumerate(items):
        if index:
            story += [_NextSubtitle(doc, subtitle(data)), PageBreak()]
        story += [
            _Starts(starts),
            one._identity(data),
            Paragraph(text(_("Transactions")), styles.heading),
            one._lines_table(data),
            Spacer(1, 3 * mm),
            Paragraph(text(_("Debit is money taken out of the account, credit is money put "
                             "in.")), styles.small),
        ]
    doc.build(story, canvasmaker=partial(_PartCanvas, starts=starts, footer=doc.draw_footer))
    return out.getvalue(), int(doc.page)
