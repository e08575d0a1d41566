"""What the Pembiayaan screens share: labels of the coded values, rates and percentages as the
user reads them ("18 %"), colours, a table model that colours overdue rows, and one way to
run a service call from a panel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QScrollArea,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.financing_rules import class_label
from bmt_desktop.domain.financing_schedule import frequency_label
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.i18n import _

OVERDUE_BG = QColor("#fdecea")
OVERDUE_FG = QColor("#b00020")
PAID_FG = QColor("#1b7f3b")
MUTED_FG = QColor("#777777")
WARN_FG = QColor("#8a4b00")
AKAD_NAMES = {"murabahah": "Murabahah", "mudharabah": "Mudharabah",
              "musyarakah": "Musyarakah", "ijarah": "Ijarah", "qardh": "Qardhul hasan"}
CHARGE_NAMES = {"tazir": "Ta'zir", "tawidh": "Ta'widh"}
_Index = QModelIndex | QPersistentModelIndex


def status_label(status: str) -> str:
    return {"pengajuan": _("applied"), "disetujui": _("approved"), "ditolak": _("rejected"),
            "cair": _("disbursed"), "lunas": _("repaid"), "hapus_buku": _("written off"),
            "batal": _("cancelled"), "menunggak": _("in arrears"),
            "menunggu": _("waiting")}.get(status, status)


def akad_label(akad: str) -> str:
    return AKAD_NAMES.get(akad, akad)


def charge_label(kind: str) -> str:
    return CHARGE_NAMES.get(kind) or {"bagi_hasil": _("profit share")}.get(kind, kind)


def posting_label(kind: str) -> str:
    return {"pencairan": _("disbursement"), "angsuran": _("instalment"),
            "pelunasan": _("early settlement"), "hapus_buku": _("write-off"),
            "pemulihan": _("recovery"), "storno": _("reversal")}.get(kind, kind)


def klass_text(klass: str | None) -> str:
    return class_label(klass) if klass else "–"


def freq_text(frequency: str) -> str:
    try:
        return frequency_label(frequency)
    except KeyError:
        return frequency


def rate_text(bp: int) -> str:
    """Basis points as the user reads a rate: 1800 → "18 %", 1250 → "12,5 %"."""
    whole, rest = divmod(bp, 100)
    if not rest:
        return f"{whole} %"
    return f"{whole},{rest:02d}".rstrip("0") + " %"


def pct_text(ratio: Fraction | None, digits: int = 1) -> str:
    """A ratio as a percentage with a decimal comma: 0.0325 → "3,3 %"; None → "–"."""
    if ratio is None:
        return "–"
    scaled = round(ratio * 100 * 10**digits)
    whole, rest = divmod(abs(scaled), 10**digits)
    sign = "-" if scaled < 0 else ""
    return f"{sign}{whole},{rest:0{digits}d} %" if digits else f"{sign}{whole} %"


def money(amount: int | None) -> str:
    return format_rupiah(amount) if amount is not None else "–"


def date_text(day: dt.date | None) -> str:
    return format_date_id(day) if day is not None else "–"


def terms_text(rate_bp: int, nisbah_pct: int, akad: str) -> str:
    if akad in ("mudharabah", "musyarakah"):
        return _("nisbah {pct} % for the BMT").format(pct=nisbah_pct)
    if akad == "qardh":
        return _("no margin")
    return _("{rate} a year").format(rate=rate_text(rate_bp))


class ColouredModel(RowsModel):
    """Rows with a colour each: ``colour(row)`` gives (background, foreground) or Nones."""

    def __init__(self, columns: Sequence[Column],
                 colour: Callable[[Any], tuple[QColor | None, QColor | None]],
                 parent: QObject | None = None) -> None:
        super().__init__(columns, parent)
        self._colour = colour

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if index.isValid() and index.row() < self.rowCount() and role in (
                Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            background, foreground = self._colour(self.row_at(index.row()))
            value = background if role == Qt.ItemDataRole.BackgroundRole else foreground
            return QBrush(value) if value is not None else None
        return super().data(index, role)


def table(model: RowsModel, stretch: int | None = None, parent: QWidget | None = None
          ) -> QTableView:
    """A read-only list: whole rows selected, no row numbers, columns sized to what they hold."""
    view = QTableView(parent)
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table: keyboard users move on
    rows = view.verticalHeader()
    rows.setVisible(False)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    return view


def selected_row(view: QTableView) -> Any:
    """The row object of the view's current selection (through a proxy if there is one)."""
    rows = view.selectionModel().selectedRows()
    if not rows:
        return None
    index = rows[0]
    model = view.model()
    source = getattr(model, "mapToSource", None)
    if source is not None:
        index = source(index)
        model = model.sourceModel()  # type: ignore[attr-defined]
    return model.row_at(index.row()) if index.isValid() else None


class Strip(QScrollArea):
    """A row of buttons that scrolls sideways in a narrow window instead of widening it."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().setAutoFillBackground(False)
        content.setAutoFillBackground(False)
        self._extent = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.horizontalScrollBar().rangeChanged.connect(lambda _low, _high: self._fit())
        self._fit()

    def _fit(self) -> None:
        height = self.widget().sizeHint().height()
        if self.horizontalScrollBar().maximum() > 0:
            height += self._extent
        self.setFixedHeight(height)


def scrolled(content: QWidget) -> QScrollArea:
    """A page that scrolls when the window is smaller than it (never forces the window)."""
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.viewport().setAutoFillBackground(False)
    content.setAutoFillBackground(False)
    return area


class FillLayout(QVBoxLayout):
    """A column that, inside :func:`scrolled`, fills the visible area and scrolls only below
    its minimum: without height-for-width the scroll area sizes it to the viewport instead of
    to the preferred height of its wrapped labels."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return False
