"""The list of financing: one page at a time through the worker, by status, text, Kube or
member; overdue rows in red. Used by the Pembiayaan tab and by a Kube's Pembiayaan page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QHeaderView, QLabel, QVBoxLayout, QWidget

from bmt_desktop.gui.tabs.financing_common import (
    MUTED_FG,
    OVERDUE_BG,
    OVERDUE_FG,
    PAID_FG,
    date_text,
    money,
    status_label,
    table,
)
from bmt_desktop.gui.tabs.lazy_model import LazyRowsModel, when_alive
from bmt_desktop.gui.tabs.rows_model import SORT_ROLE, Column
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services.financing_queries import FinancingPage, FinancingRow, search_financing
from bmt_desktop.services.session import Session

_Index = QModelIndex | QPersistentModelIndex
DISBURSED = ("cair", "lunas", "hapus_buku")
# The usual short names of the collectibility classes (OJK and Kemenkop alike).
CLASS_SHORT = {"lancar": "L", "dpk": "DPK", "kurang_lancar": "KL", "diragukan": "D",
               "macet": "M"}
CLASS_ORDER = {klass: i for i, klass in enumerate(CLASS_SHORT)}


def _colour(row: FinancingRow) -> tuple[Any, Any]:
    if row.status == "cair" and row.days_overdue > 0:
        return OVERDUE_BG, OVERDUE_FG
    if row.status in ("lunas",):
        return None, PAID_FG
    if row.status in ("ditolak", "batal"):
        return None, MUTED_FG
    return None, None


class FinancingModel(LazyRowsModel):
    """The lazily loaded rows, with overdue financing coloured."""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if index.isValid() and index.row() < self.rowCount() and role in (
                Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            background, foreground = _colour(self.row_at(index.row()))
            value = background if role == Qt.ItemDataRole.BackgroundRole else foreground
            return QBrush(value) if value is not None else None
        return super().data(index, role)


def _outstanding(row: FinancingRow) -> str:
    return money(row.outstanding) if row.status in DISBURSED else "–"


def _days(row: FinancingRow) -> str:
    return str(row.days_overdue) if row.status == "cair" else "–"


def columns(show_applicant: bool = True) -> list[Column]:
    cols = [Column(_("Number"), lambda r: r.number, lambda r: r.id)]
    if show_applicant:
        cols.append(Column(_("Applicant"), lambda r: r.applicant, lambda r: r.applicant.lower()))
    cols += [
        Column(_("Product"), lambda r: r.product_name),
        Column(_("Principal"), lambda r: money(r.principal), lambda r: r.principal, numeric=True),
        Column(_("Outstanding"), _outstanding, lambda r: r.outstanding, numeric=True),
        Column(_("Status"), lambda r: status_label(r.status)),
        Column(_("Days late"), _days, lambda r: r.days_overdue, numeric=True),
        Column(_("Coll."), lambda r: CLASS_SHORT.get(r.klass or "", "–"),
               lambda r: CLASS_ORDER.get(r.klass or "", -1)),
        Column(_("Next due"), lambda r: date_text(r.next_due_on),
               lambda r: r.next_due_on.isoformat() if r.next_due_on else ""),
        Column(_("Amount due"), lambda r: money(r.next_due_amount) if r.next_due_on else "–",
               lambda r: r.next_due_amount, numeric=True),
    ]
    return cols


class FinancingList(QWidget):
    """A table of financing; ``status`` and ``search`` choose what it shows."""

    current_changed = Signal(object)  # FinancingRow or None
    activated = Signal(object)  # Enter or double click on a row
    loaded = Signal()

    def __init__(self, session: Session, worker: Worker, *, kube_id: int | None = None,
                 show_applicant: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker = session, worker
        self.kube_id = kube_id
        self.status: str | None = None
        self.want_id: int | None = None  # the financing to choose when the next page arrives
        self.model = FinancingModel(columns(show_applicant), worker, self._fetch, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.view = table(self.model)
        self.view.setModel(self.proxy)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._size_columns(show_applicant)
        self.count = QLabel()
        self.count.setStyleSheet("color: #555;")
        self.count.setObjectName("financingCount")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        self.setFocusProxy(self.view)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._failed)
        self.view.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self.current_changed.emit(self.selected()))
        self.view.activated.connect(lambda _index: self._activate())

    def _size_columns(self, show_applicant: bool) -> None:
        metrics = self.fontMetrics()
        samples = ["PMB-2026-00000"] + (["Nurhayati Suryana"] if show_applicant else [])
        samples += ["Murabahah Perorangan", "Rp100.000.000", "Rp100.000.000", "hapus buku",
                    "Hari telat", "DPK", "29 September 2026", "Rp10.000.000"]
        bold = self.view.horizontalHeader().fontMetrics()
        for column, sample in enumerate(samples):
            header = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            self.view.setColumnWidth(column, max(metrics.horizontalAdvance(sample),
                                                 bold.horizontalAdvance(header) + 8) + 20)

    def _fetch(self, text: str, offset: int) -> FinancingPage:
        """One page (runs on the worker)."""
        return search_financing(self.session, self.status, text, offset, kube_id=self.kube_id)

    # ------------------------------------------------------------------ loading
    def load(self, status: str | None = None, text: str = "") -> None:
        """Show the financing in ``status`` matching ``text``; the chosen one stays if found."""
        self.status = status
        current = self.selected()
        if current is not None and self.want_id is None:
            self.want_id = current.id
        self.model.search(text)

    def reload(self) -> None:
        self.load(self.status, self.model.text)

    def set_kube(self, kube_id: int | None) -> None:
        if kube_id != self.kube_id:
            self.kube_id = kube_id
            self.view.clearSelection()
        self.reload()

    @property
    def busy(self) -> bool:
        return self.model.busy

    @when_alive
    def _loaded(self, first_page: bool) -> None:
        self.count.setStyleSheet("color: #555;")
        self.count.setText(_("{shown} of {total} financing").format(
            shown=self.model.rowCount(), total=self.model.total))
        if first_page:
            target = -1
            if self.want_id is not None:
                target = self.model.row_of(lambda r: r.id == self.want_id)
            self.want_id = None
            if target < 0:
                self.view.clearSelection()
                self.view.selectionModel().clearCurrentIndex()
                self.current_changed.emit(None)
            else:
                self.choose_row(target)
        self.loaded.emit()

    def choose_row(self, source_row: int) -> None:
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        self.current_changed.emit(self.selected())

    @when_alive
    def _failed(self, message: str) -> None:
        self.count.setStyleSheet("color: #b00020;")
        self.count.setText(message)

    def selected(self) -> FinancingRow | None:
        index = self.view.selectionModel().currentIndex()
        if not index.isValid():
            return None
        source = self.proxy.mapToSource(index)
        return self.model.row_at(source.row()) if source.isValid() else None

    def rows(self) -> list[FinancingRow]:
        return [self.model.row_at(i) for i in range(self.model.rowCount())]

    def _activate(self) -> None:
        row = self.selected()
        if row is not None:
            self.activated.emit(row)
