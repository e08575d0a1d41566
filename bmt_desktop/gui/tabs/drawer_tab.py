"""Kas: the teller's drawer: the Kas Teller balance and today's movements.

Opening and closing the drawer with a cash count arrive with the members and savings issue.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.gui.tabs.base import Tab
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services.ledger import ActivityLine, account_activity
from bmt_desktop.services.session import Session

TELLER_CASH = "102"


def _amount(value: int) -> str:
    return format_rupiah(value) if value else "–"


class DrawerTab(Tab):
    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__(session, worker)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.balance = QLabel()
        self.balance.setStyleSheet("font-size: 16pt;")
        self.model = RowsModel([
            Column(_("Document"), lambda r: r.doc_number),
            Column(_("Description"), lambda r: r.description),
            Column(_("In"), lambda r: _amount(r.debit), lambda r: r.debit, numeric=True),
            Column(_("Out"), lambda r: _amount(r.credit), lambda r: r.credit, numeric=True),
            Column(_("User"), lambda r: r.username),
        ])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.totals = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.balance)
        layout.addWidget(self.table)
        layout.addWidget(self.totals)

    def refresh(self) -> None:
        day = self.session.today
        self.heading.setText(_("Teller's cash, {date}").format(date=format_date_id(day,
                                                                                   weekday=True)))
        self.worker.submit(account_activity, self.session, TELLER_CASH, day,
                           on_done=self._show, on_error=lambda e: self.totals.setText(str(e)))

    def _show(self, result: tuple[int, list[ActivityLine]]) -> None:
        balance, lines = result
        self.balance.setText(_("Balance of Kas Teller: {amount}").format(
            amount=format_rupiah(balance)))
        self.model.set_rows(lines)
        self.totals.setText(_("{n} movements today · in {cash_in} · out {cash_out}").format(
            n=len(lines), cash_in=format_rupiah(sum(r.debit for r in lines)),
            cash_out=format_rupiah(sum(r.credit for r in lines))))
