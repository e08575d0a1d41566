"""Anggota: find a member by number, name or NIK (the register grows in the members issue)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout

from bmt_desktop.domain.dates import format_date_id, parse_date
from bmt_desktop.gui.tabs.base import Tab
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services.members import MemberRow, MemberSearch, search_members
from bmt_desktop.services.session import Session

SEARCH_DELAY_MS = 200


def _date(text: str) -> str:
    try:
        return format_date_id(parse_date(text))
    except Exception:  # noqa: BLE001 - show what is stored rather than nothing
        return text


class MembersTab(Tab):
    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__(session, worker)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search by member number, name or NIK"))
        self.search.setClearButtonEnabled(True)
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Search:")))
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        self.model = RowsModel([
            Column(_("Number"), lambda r: r.number),
            Column(_("Name"), lambda r: r.name),
            Column(_("NIK"), lambda r: r.nik),
            Column(_("Address"), lambda r: r.address),
            Column(_("Occupation"), lambda r: r.occupation),
            Column(_("Joined"), lambda r: _date(r.join_date), lambda r: r.join_date),
            Column(_("Status"), lambda r: r.status),
        ])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self.refresh)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)

    def refresh(self) -> None:
        self._timer.stop()
        self.worker.submit(search_members, self.session, self.search.text(),
                           on_done=self._show, on_error=self._failed)

    def _show(self, result: MemberSearch) -> None:
        self.model.set_rows(result.rows)
        self.count.setText(_("{shown} of {total} members").format(
            shown=len(result.rows), total=result.total))

    def _failed(self, error: BaseException) -> None:
        self.count.setText(str(error))

    def selected(self) -> MemberRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None
