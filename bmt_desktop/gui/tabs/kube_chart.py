"""The members' average monthly income over time, as a line chart (QtCharts).

The points come from ``income_series``: the first is the average at entry (also drawn as a
dashed line across the chart), the others the average of the monitoring visits of each
month. Months are spaced by the calendar, so a gap between visits shows as a gap; the axes
are labelled in Indonesian and the amounts in rupiah with dots ("Rp1.500.000").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from babel.dates import format_date
from PySide6.QtCharts import QCategoryAxis, QChart, QChartView, QLineSeries
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QWidget

from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.i18n import _

LINE_COLOUR = "#1b5e20"
ENTRY_COLOUR = "#888888"
Y_STEPS = 4  # gridlines above the floor of the value axis
MAX_MONTH_LABELS = 8


def month_number(month: str) -> int:
    """``"2026-03"`` → a count of months, so points are spaced by the calendar."""
    year, number = month.split("-")[:2]
    return int(year) * 12 + int(number) - 1


def month_label(month: str) -> str:
    """``"2026-03"`` → ``"Mar 2026"`` (Indonesian month names)."""
    year, number = month.split("-")[:2]
    return format_date(dt.date(int(year), int(number), 1), "MMM y", locale="id")


def nice_step(span: int) -> int:
    """A round step (1, 2, 2.5 or 5 × a power of ten) that cuts ``span`` in a few parts."""
    rough = max(1, span // Y_STEPS)
    power = 10 ** (len(str(rough)) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        step = int(factor * power)
        if step >= rough:
            return step
    return 10 * power


class IncomeChart(QChartView):
    """Line chart of ``(month "YYYY-MM", average income)`` points, with the income at entry
    as a dashed reference line; an empty series says so in the title."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[tuple[str, int]] = []
        self.series = QLineSeries()
        self.series.setName(_("Average by month of the visits"))
        pen = QPen(QColor(LINE_COLOUR))
        pen.setWidth(3)
        self.series.setPen(pen)
        self.series.setPointsVisible(True)
        self.entry = QLineSeries()
        dashed = QPen(QColor(ENTRY_COLOUR))
        dashed.setWidth(2)
        dashed.setStyle(Qt.PenStyle.DashLine)
        self.entry.setPen(dashed)
        self.axis_x = QCategoryAxis()
        self.axis_x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        self.axis_x.setTitleText(_("Month"))
        self.axis_y = QCategoryAxis()
        self.axis_y.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        self.axis_y.setTitleText(_("Rupiah a month"))
        chart = QChart()
        chart.addSeries(self.entry)
        chart.addSeries(self.series)
        chart.addAxis(self.axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.axis_y, Qt.AlignmentFlag.AlignLeft)
        for series in (self.entry, self.series):
            series.attachAxis(self.axis_x)
            series.attachAxis(self.axis_y)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(0)
        title = QFont()
        title.setBold(True)
        chart.setTitleFont(title)
        self.setChart(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(140)
        self.set_points([])

    def positions(self) -> list[float]:
        """Where each point sits on the month axis. The income at entry shares its month
        with a visit of that month: it is drawn half a month earlier, not straight above."""
        places = [float(month_number(m)) for m, _value in self.points]
        if len(places) > 1 and places[0] >= places[1]:
            places[0] = places[1] - 0.5
        return places

    def set_points(self, points: Sequence[tuple[str, int]]) -> None:
        """Show ``points`` (as returned by ``income_series``), replacing what was shown."""
        self.points = list(points)
        places = self.positions()
        self.series.replace([QPointF(x, value) for x, (_m, value) in zip(places, self.points,
                                                                          strict=True)])
        for axis in (self.axis_x, self.axis_y):
            for label in list(axis.categoriesLabels()):
                axis.remove(label)
        chart = self.chart()
        if not self.points:
            chart.setTitle(_("No income recorded yet: the chart starts with the first "
                             "monitoring visit."))
            self.entry.clear()
            self.entry.setName(_("At entry"))
            self.axis_x.setRange(0, 1)
            self.axis_y.setRange(0, 1)
            return
        chart.setTitle(_("Average monthly income of the members"))
        first, last = min(places), max(places)
        left, right = first - 0.5, max(last, first + 1) + 0.5
        self.axis_x.setRange(left, right)
        self.axis_x.setStartValue(left)
        entry = self.points[0][1]
        self.entry.replace([QPointF(left, entry), QPointF(right, entry)])
        self.entry.setName(_("At entry: {amount}").format(amount=format_rupiah(entry)))
        months = sorted({month_number(m): m for m, _value in self.points}.items())
        every = max(1, -(-len(months) // MAX_MONTH_LABELS))  # thin the labels of long series
        for index, (number, month) in enumerate(months):
            if index % every == 0 or index == len(months) - 1:
                self.axis_x.append(month_label(month), number)
        values = [value for _month, value in self.points]
        low, high = min(values), max(values)
        step = nice_step(max(high - low, max(high, 1) // 5))
        floor = max(0, (low - step // 4) // step * step)  # a margin so no point sits on
        top = (high + step // 4) // step * step + step  # the frame of the plot
        self.axis_y.setRange(floor, top)
        self.axis_y.setStartValue(floor)
        tick = floor
        while tick <= top:
            self.axis_y.append(format_rupiah(tick), tick)
            tick += step

    def values(self) -> list[tuple[float, float]]:
        """The series' points as plain pairs (place on the month axis, rupiah)."""
        return [(point.x(), point.y()) for point in self.series.points()]
