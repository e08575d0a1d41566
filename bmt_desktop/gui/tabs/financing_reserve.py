"""Kolektibilitas: every disbursed financing's class by days overdue, its outstanding and the
reserve (PPAP) it needs, the totals per class, NPF and the health it gives (Juknis 15/2021)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from bmt_desktop.gui.tabs.financing_common import (
    OVERDUE_BG,
    OVERDUE_FG,
    WARN_FG,
    ColouredModel,
    akad_label,
    date_text,
    klass_text,
    money,
    pct_text,
    selected_row,
    table,
)
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.tabs.teller_forms import ERROR_STYLE, error_text
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services.financing_queries import (
    Collectibility,
    CollectibilityRow,
    collectibility_report,
)
from bmt_desktop.services.session import Session

NON_PERFORMING = ("kurang_lancar", "diragukan", "macet")


def _colour(row: CollectibilityRow) -> tuple[Any, Any]:
    if row.klass in NON_PERFORMING:
        return OVERDUE_BG, OVERDUE_FG
    if row.klass == "dpk":
        return None, WARN_FG
    return None, None


class CollectibilityPage(QWidget):
    open_requested = Signal(int)  # financing id

    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__()
        self.session, self.worker = session, worker
        self.report: Collectibility | None = None
        self._asked = 0
        self.headline = QLabel()
        self.headline.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.totals = RowsModel([
            Column(_("Class"), lambda t: klass_text(t.klass)),
            Column(_("Financing"), lambda t: str(t.count), lambda t: t.count, True),
            Column(_("Outstanding"), lambda t: money(t.outstanding), lambda t: t.outstanding,
                   True),
            Column(_("Reserve (PPAP)"), lambda t: money(t.reserve), lambda t: t.reserve, True),
        ], self)
        self.totals_view = table(self.totals, 0)
        self.rows = ColouredModel([
            Column(_("Number"), lambda r: r.number),
            Column(_("Applicant"), lambda r: r.applicant),
            Column(_("Akad"), lambda r: akad_label(r.akad)),
            Column(_("Days late"), lambda r: str(r.days), lambda r: r.days, True),
            Column(_("Collectibility"), lambda r: klass_text(r.klass)),
            Column(_("Outstanding"), lambda r: money(r.outstanding), lambda r: r.outstanding,
                   True),
            Column(_("Eligible collateral"), lambda r: money(r.collateral),
                   lambda r: r.collateral, True),
            Column(_("Reserve (PPAP)"), lambda r: money(r.reserve), lambda r: r.reserve, True),
        ], _colour, self)
        self.rows_view = table(self.rows, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.totals_view)
        splitter.addWidget(self.rows_view)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        rows = self.totals_view.verticalHeader().defaultSectionSize()
        splitter.setSizes([rows * 7, rows * 14])
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.note)
        layout.addWidget(splitter, 1)
        self.rows_view.activated.connect(lambda _index: self._open())

    def refresh(self) -> None:
        self._asked += 1
        asked = self._asked
        self.worker.submit(collectibility_report, self.session,
                           on_done=lambda report: self._loaded(asked, report),
                           on_error=self._failed)

    @when_alive
    def _loaded(self, asked: int, report: Collectibility) -> None:
        if asked != self._asked:
            return
        self.report = report
        self.headline.setText(_("NPF {npf} · {health}").format(npf=pct_text(report.npf, 2),
                                                               health=report.health))
        self.headline.setStyleSheet("font-size: 13pt; font-weight: bold; color: %s;" % (
            "#1b7f3b" if report.npf <= Fraction(5, 100) else "#b00020"))
        self.note.setText(_(
            "On {date}: {n} disbursed financing, outstanding {outstanding}, reserve needed "
            "{reserve}. {classes} classes by days overdue; NPF = (Kurang Lancar + Diragukan + "
            "Macet) ÷ all outstanding.").format(
            date=date_text(report.on), n=len(report.rows), outstanding=money(report.outstanding),
            reserve=money(report.reserve), classes=report.classes))
        self.totals.set_rows(report.totals)
        self.rows.set_rows(report.rows)

    @when_alive
    def _failed(self, error: BaseException) -> None:
        self.headline.setStyleSheet(ERROR_STYLE)
        self.headline.setText(error_text(error))

    def _open(self) -> None:
        row = selected_row(self.rows_view)
        if row is not None:
            self.open_requested.emit(row.financing_id)
