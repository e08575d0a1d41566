"""Any :class:`~bmt_desktop.services.report_model.Report` as a PDF on the house template:
office header, title, period, print date and page numbers on every page; amounts right
aligned in the Indonesian way; headings and totals in bold; charts as bar charts."""

from __future__ import annotations

import datetime as dt

from babel.numbers import format_decimal
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, TableStyle

from bmt_desktop.domain.dates import format_date_id
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
from bmt_desktop.services.report_model import Chart, Column, Report

PORTRAIT_WIDTH = 180 * mm
LANDSCAPE_WIDTH = 267 * mm
EMPHASIS = ("heading", "subtotal", "total")


def cell_text(column: Column, value: object) -> str:
    """A value as the reader sees it: 1.500.000 (Rp in the column header), 29 November 2026,
    12,5 %; nothing for an empty cell."""
    if value is None or value == "":
        return ""
    if column.kind in ("money", "int") and isinstance(value, int):
        return format_decimal(value, locale="id_ID")
    if column.kind == "pct" and isinstance(value, (int, float)):
        return format_decimal(round(float(value), 2), locale="id_ID") + " %"
    if column.kind == "date" and isinstance(value, dt.date):
        return format_date_id(value)
    if column.kind == "date" and isinstance(value, str) and len(value) == 10:
        try:
            return format_date_id(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def column_label(column: Column) -> str:
    return f"{column.label} (Rp)" if column.kind == "money" else column.label


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    styles = report_styles()
    right = ParagraphStyle("bmt-report-right", parent=styles.cell, alignment=TA_RIGHT)
    right_bold = ParagraphStyle("bmt-report-right-bold", parent=styles.cell_bold,
                                alignment=TA_RIGHT)
    return styles.cell, styles.cell_bold, right, right_bold


def _table(report: Report, width: float) -> Flowable:
    cell, bold, right, right_bold = _styles()
    numeric = [c.kind in ("money", "int", "pct") for c in report.columns]
    weights = sum(c.width for c in report.columns)
    widths = [width * c.width / weights for c in report.columns]
    header = [Paragraph(text(column_label(c)), right_bold if n else bold)
              for c, n in zip(report.columns, numeric, strict=True)]
    rows = [header]
    shaded = []
    for index, row in enumerate(report.rows, start=1):
        strong = row.get("_style") in EMPHASIS
        if row.get("_style") in ("subtotal", "total"):
            shaded.append(index)
        rows.append([Paragraph(text(cell_text(c, row.get(c.key))),
                               (right_bold if strong else right) if n
                               else (bold if strong else cell))
                     for c, n in zip(report.columns, numeric, strict=True)])
    if report.totals and any(c.key in report.totals for c in report.columns):
        rows.append([Paragraph(text(cell_text(c, report.totals.get(c.key))
                                    if c.key in report.totals else ""), right_bold if n
                               else bold) for c, n in zip(report.columns, numeric, strict=True)])
        first_text = next((i for i, n in enumerate(numeric) if not n), None)
        if first_text is not None and not any(
                report.columns[first_text].key == key for key in report.totals):
            rows[-1][first_text] = Paragraph(text(_("Total")), bold)
        shaded.append(len(rows) - 1)
    table = data_table(rows, widths)
    table.setStyle(TableStyle([("BACKGROUND", (0, i), (-1, i), HEADER_FILL) for i in shaded]))
    return table


def _chart(chart: Chart, width: float) -> Flowable:
    regular, bold = register_fonts()
    height = 60 * mm
    drawing = Drawing(width, height + 10 * mm)
    drawing.add(String(0, height + 4 * mm, chart.title, fontName=bold, fontSize=9))
    bars = VerticalBarChart()
    bars.x, bars.y = 14 * mm, 12 * mm
    bars.width, bars.height = width - 20 * mm, height - 14 * mm
    values = [float(v) for _label, v in chart.series] or [0.0]
    bars.data = [values]
    bars.categoryAxis.categoryNames = [label for label, _v in chart.series] or [""]
    bars.categoryAxis.labels.fontName = regular
    bars.categoryAxis.labels.fontSize = 7
    bars.categoryAxis.labels.angle = 30 if len(values) > 6 else 0
    bars.categoryAxis.labels.dy = -2
    bars.categoryAxis.labels.boxAnchor = "ne" if len(values) > 6 else "n"
    bars.valueAxis.labels.fontName = regular
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.valueMin = min(0.0, min(values))
    bars.valueAxis.labelTextFormat = lambda v: format_decimal(round(v), locale="id_ID")
    bars.bars[0].fillColor = colors.HexColor("#2e7d5b")
    drawing.add(bars)
    return drawing


def render_report(report: Report, letterhead: Letterhead, printed_at: dt.datetime) -> bytes:
    styles = report_styles()
    width = LANDSCAPE_WIDTH if report.landscape else PORTRAIT_WIDTH
    story: list[Flowable] = []
    if report.rows or not report.charts:
        story.append(_table(report, width))
    if not report.rows and not report.charts:
        story += [Spacer(1, 3 * mm), Paragraph(text(_("No data for this period.")),
                                               styles.body)]
    for chart in report.charts:
        story += [Spacer(1, 5 * mm), KeepTogether([_chart(chart, width)])]
    for note in report.notes:
        story += [Spacer(1, 3 * mm), Paragraph(text(note), styles.body)]
    return build_report(story, letterhead=letterhead, title=report.title,
                        subtitle=report.period_label, printed_at=printed_at,
                        wide=report.landscape)
