"""Kas: the teller's whole day at the counter, keyboard first.

Closed drawer: open it with the cash counted from the vault. Open: the cash the drawer should
hold, today's movements and the postings (F2 deposit, F3 withdrawal, F4 simpanan wajib, F7
transfer, F6 zakat/infak/sedekah, F8 Maal distributions, F9 close with a count). Counted
with a difference: it waits for a manager, who approves it here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.permissions import Action
from bmt_desktop.gui import dialogs
from bmt_desktop.gui.tabs.base import Tab
from bmt_desktop.gui.tabs.drawer_dialogs import (
    CountDialog,
    MaalDistributionsDialog,
    may,
    print_drawer_report,
)
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.tabs.teller_forms import (
    ERROR_STYLE,
    GOOD_STYLE,
    AmountField,
    DepositDialog,
    MaalReceiveDialog,
    TransferDialog,
    WajibDialog,
    WithdrawDialog,
    error_text,
)
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.printing.drawer_report import DrawerReportData, difference_text
from bmt_desktop.services import maal
from bmt_desktop.services.drawer import (
    DrawerState,
    approve_difference,
    current_drawer,
    open_drawer,
    pending_approvals,
)
from bmt_desktop.services.drawer_report import drawer_report_data
from bmt_desktop.services.session import Session

CLOSED, OPEN, WAITING = 0, 1, 2


@dataclass(frozen=True)
class PanelData:
    """What the tab shows, loaded in one go on the worker."""

    drawer: DrawerState | None
    report: DrawerReportData | None
    pending: list[DrawerState] = field(default_factory=list)
    proposals: int = 0


def load_panel(session: Session, approver: bool) -> PanelData:
    state = current_drawer(session)
    report = drawer_report_data(session, state.id) if state is not None else None
    if not approver:
        return PanelData(state, report)
    return PanelData(state, report, pending_approvals(session),
                     len(maal.distributions(session, "usulan")))


def _amount(value: int) -> str:
    return format_rupiah(value) if value else "–"


def _table(model: RowsModel, stretch: int) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class DrawerTab(Tab):
    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__(session, worker)
        self.data: PanelData | None = None
        self.dialog: QDialog | None = None
        self._open_request = str(uuid.uuid4())
        self.operator = may(session, Action.DRAWER_OPERATE)
        self.approver = may(session, Action.DRAWER_APPROVE)

        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.balance = QLabel()
        self.balance.setStyleSheet("font-size: 16pt;")
        self.summary = QLabel()
        self.summary.setStyleSheet("color: #444;")
        self.summary.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)

        # Two short rows (savings, then Maal and the drawer) so the window can be narrow.
        self.buttons: dict[str, QPushButton] = {}
        savings_row, maal_row = QHBoxLayout(), QHBoxLayout()
        for row, name, text, key, action, slot in (
            (savings_row, "deposit", _("Deposit"), "F2", Action.CASH_TRANSACTION, self.deposit),
            (savings_row, "withdraw", _("Withdrawal"), "F3", Action.CASH_TRANSACTION,
             self.withdraw),
            (savings_row, "wajib", _("Simpanan wajib"), "F4", Action.CASH_TRANSACTION,
             self.wajib),
            (savings_row, "transfer", _("Transfer"), "F7", Action.CASH_TRANSACTION,
             self.transfer),
            (maal_row, "maal_receive", _("Zakat/Infak/Sedekah"), "F6", Action.MAAL_RECEIVE,
             self.maal_receive),
            (maal_row, "maal", _("Maal distributions"), "F8", Action.LEDGER_VIEW,
             self.maal_distributions),
            (maal_row, "close", _("Close the drawer"), "F9", Action.DRAWER_OPERATE,
             self.close_drawer),
        ):
            button = self._button(f"{text} ({key})", slot, key)
            if not may(session, action, writes=action is not Action.LEDGER_VIEW):
                button.hide()  # hidden before it has a parent: never a window of its own
            self.buttons[name] = button
            if name == "close":
                maal_row.addStretch(1)
            row.addWidget(button)
        savings_row.addStretch(1)
        actions = QVBoxLayout()
        actions.addLayout(savings_row)
        actions.addLayout(maal_row)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._closed_page())
        self.stack.addWidget(self._open_page())
        self.stack.addWidget(self._waiting_page())

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.balance)
        layout.addWidget(self.summary)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.stack, 3)
        self.approvals = self._approvals_box()
        layout.addWidget(self.approvals, 2)
        if not self.approver:
            self.approvals.hide()
        self._enable()

    # ------------------------------------------------------------------ building
    def _button(self, text: str, slot: Callable[[], None], key: str | None = None
                ) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda _checked=False: slot())
        if key:
            # Belongs to the button: works only while the button is visible and enabled.
            QShortcut(QKeySequence(key), button).activated.connect(slot)
        return button

    def _closed_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        box = QGroupBox(_("Open the cash drawer"))
        inner = QVBoxLayout(box)
        intro = QLabel(_("Count the cash you take from the vault for today and type it here "
                         "(0 when you start empty)."))
        intro.setWordWrap(True)
        self.opening = AmountField(allow_zero=True)
        self.opening.edit.returnPressed.connect(self.open_drawer)
        self.open_button = self._button(_("Open the cash drawer"), self.open_drawer)
        row = QHBoxLayout()
        top = Qt.AlignmentFlag.AlignTop
        label = QLabel(_("Opening cash:"))
        label.setBuddy(self.opening.edit)
        label.setMinimumHeight(self.opening.edit.sizeHint().height())
        row.addWidget(label, 0, top)
        row.addWidget(self.opening, 1)
        row.addWidget(self.open_button, 0, top)
        inner.addWidget(intro)
        inner.addLayout(row)
        box.setMaximumWidth(720)
        self.open_box = box
        self.closed_note = QLabel(_("You do not work a cash drawer."))
        self.closed_note.setStyleSheet("color: #555;")
        layout.addWidget(box)
        layout.addWidget(self.closed_note)
        (self.closed_note if self.operator else box).hide()
        layout.addStretch(1)
        return page

    def _open_page(self) -> QWidget:
        page = QWidget()
        self.model = RowsModel([
            Column(_("Document"), lambda r: r.doc_number),
            Column(_("Time"), lambda r: r.time),
            Column(_("Description"), lambda r: r.description),
            Column(_("In"), lambda r: _amount(r.cash_in), lambda r: r.cash_in, numeric=True),
            Column(_("Out"), lambda r: _amount(r.cash_out), lambda r: r.cash_out, numeric=True),
        ])
        self.table = _table(self.model, 2)
        self.totals = QLabel()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("Movements of your drawer today")))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        return page

    def _waiting_page(self) -> QWidget:
        page = QWidget()
        self.waiting = QLabel()
        self.waiting.setWordWrap(True)
        self.waiting.setStyleSheet("font-size: 11pt; background: #fff4ce; padding: 10px;")
        self.report_button = self._button(_("Print the end-of-day report"), self.print_report)
        layout = QVBoxLayout(page)
        layout.addWidget(self.waiting)
        row = QHBoxLayout()
        row.addWidget(self.report_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _approvals_box(self) -> QGroupBox:
        box = QGroupBox(_("Drawers waiting for approval"))
        self.pending_model = RowsModel([
            Column(_("Drawer"), lambda s: str(s.id), lambda s: s.id, numeric=True),
            Column(_("Teller"), lambda s: s.teller),
            Column(_("Date"), lambda s: format_date_id(dt.date.fromisoformat(s.business_date)),
                   lambda s: s.business_date),
            Column(_("Expected cash"), lambda s: format_rupiah(s.expected_cash),
                   lambda s: s.expected_cash, numeric=True),
            Column(_("Counted cash"), lambda s: format_rupiah(s.counted_cash or 0),
                   lambda s: s.counted_cash, numeric=True),
            Column(_("Difference"), lambda s: difference_text(s.difference or 0),
                   lambda s: s.difference, numeric=True),
        ])
        self.pending_table = _table(self.pending_model, 1)
        self.pending_table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.approve_button = self._button(_("Approve the difference"), self.approve)
        self.pending_report_button = self._button(_("Print the report"),
                                                  self.print_pending_report)
        self.approval_message = QLabel()
        self.approval_message.setWordWrap(True)
        self.proposals = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.approve_button)
        row.addWidget(self.pending_report_button)
        row.addWidget(self.proposals, 1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.pending_table, 1)
        layout.addWidget(self.approval_message)
        layout.addLayout(row)
        return box

    # ------------------------------------------------------------------ data
    def refresh(self) -> None:
        self.heading.setText(_("Teller's cash, {date} · {name}").format(
            date=format_date_id(self.session.today, weekday=True), name=self.session.full_name))
        self.worker.submit(load_panel, self.session, self.approver, on_done=self._show,
                           on_error=lambda error: self.message.setText(error_text(error)))

    def _show(self, data: PanelData) -> None:
        self.data = data
        state = data.drawer
        self.message.clear()
        if state is not None and state.business_date != self.session.today.isoformat():
            self.message.setText(_("Your cash drawer is still open for {date}. Close it before "
                                   "working today.").format(
                date=format_date_id(dt.date.fromisoformat(state.business_date))))
        if state is None:
            self.stack.setCurrentIndex(CLOSED)
            self.balance.setText(_("Cash in your drawer: {amount} (the drawer is closed)")
                                 .format(amount=format_rupiah(0)))
            self.summary.setText("")
            self.model.set_rows([])
        elif state.status == "buka":
            self.stack.setCurrentIndex(OPEN)
            self.balance.setText(_("Cash in your drawer: {amount}").format(
                amount=format_rupiah(state.expected_cash)))
            self.summary.setText(_("Opened at {time} with {opening} · in {cash_in} · "
                                   "out {cash_out}").format(
                time=data.report.opened_at if data.report else "",
                opening=format_rupiah(state.opening_cash), cash_in=format_rupiah(state.cash_in),
                cash_out=format_rupiah(state.cash_out)))
            lines = data.report.movements if data.report else ()
            self.model.set_rows(lines)
            self.totals.setText(_("{n} movements today · in {cash_in} · out {cash_out}").format(
                n=len(lines), cash_in=format_rupiah(state.cash_in),
                cash_out=format_rupiah(state.cash_out)))
        else:
            self.stack.setCurrentIndex(WAITING)
            self.balance.setText(_("Counted cash in your drawer: {amount}").format(
                amount=format_rupiah(state.counted_cash or 0)))
            self.summary.setText("")
            self.waiting.setText(_(
                "Counted {counted}, the books expect {expected}: difference {difference}.\n"
                "The drawer waits for the manager's approval.").format(
                counted=format_rupiah(state.counted_cash or 0),
                expected=format_rupiah(state.expected_cash),
                difference=difference_text(state.difference or 0)))
        if self.approver:
            self.pending_model.set_rows(data.pending)
            self.proposals.setText(_("Maal proposals waiting for a decision: {n}").format(
                n=data.proposals) if data.proposals else "")
        self._enable()

    def drawer_state(self) -> DrawerState | None:
        return self.data.drawer if self.data is not None else None

    def _enable(self) -> None:
        state = self.drawer_state()
        is_open = state is not None and state.status == "buka"
        for name in ("deposit", "withdraw", "wajib", "transfer", "maal_receive", "close"):
            self.buttons[name].setEnabled(is_open)
        self.approve_button.setEnabled(self._selected_pending() is not None)
        self.pending_report_button.setEnabled(self._selected_pending() is not None)

    # ------------------------------------------------------------------ opening
    def open_drawer(self) -> None:
        if not self.operator or self.drawer_state() is not None:
            return
        amount = self.opening.read()
        if amount is None:
            return
        self.open_button.setEnabled(False)
        self.worker.submit(open_drawer, self.session, amount, request_id=self._open_request,
                           on_done=self._opened, on_error=self._open_failed)

    def _opened(self, _state: DrawerState) -> None:
        self._open_request = str(uuid.uuid4())
        self.open_button.setEnabled(True)
        self.opening.edit.clear()
        self.message.clear()
        self.refresh()

    def _open_failed(self, error: BaseException) -> None:
        self.open_button.setEnabled(True)
        self.opening.show_error(error_text(error))

    # ------------------------------------------------------------------ dialogs
    def _show_dialog(self, dialog: QDialog) -> None:
        self.message.clear()
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._dialog_finished(dialog))
        dialog.open()

    def _dialog_finished(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        self.refresh()

    def _posting(self, factory: Callable[[Session, Worker, QWidget], QDialog]) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            return
        dialog = factory(self.session, self.worker, self)
        dialog.succeeded.connect(lambda _result: self.refresh())
        self._show_dialog(dialog)

    def deposit(self) -> None:
        self._posting(DepositDialog)

    def withdraw(self) -> None:
        self._posting(WithdrawDialog)

    def wajib(self) -> None:
        self._posting(WajibDialog)

    def transfer(self) -> None:
        self._posting(TransferDialog)

    def maal_receive(self) -> None:
        self._posting(MaalReceiveDialog)

    def maal_distributions(self) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            return
        dialog = MaalDistributionsDialog(self.session, self.worker, self)
        dialog.paid.connect(lambda _posted: self.refresh())
        self._show_dialog(dialog)

    def close_drawer(self) -> None:
        state = self.drawer_state()
        if state is None or state.status != "buka" or (
                self.dialog is not None and self.dialog.isVisible()):
            return
        dialog = CountDialog(self.session, self.worker, state, self)
        dialog.closed_drawer.connect(lambda _state: self.refresh())
        self._show_dialog(dialog)

    def print_report(self) -> None:
        state = self.drawer_state()
        if state is not None:
            print_drawer_report(self, self.session, self.worker, state.id)

    # ------------------------------------------------------------------ manager
    def _selected_pending(self) -> DrawerState | None:
        rows = self.pending_table.selectionModel().selectedRows()
        return self.pending_model.row_at(rows[0].row()) if rows else None

    def select_pending(self, drawer_id: int) -> None:
        for row in range(self.pending_model.rowCount()):
            if self.pending_model.row_at(row).id == drawer_id:
                self.pending_table.selectRow(row)
                return

    def approve(self) -> None:
        state = self._selected_pending()
        if state is None or not dialogs.ask_yes_no(self, _(
                "Approve the difference of {difference} in drawer {id} ({teller})?").format(
                difference=difference_text(state.difference or 0), id=state.id,
                teller=state.teller)):
            return
        self.approve_button.setEnabled(False)
        self.approval_message.clear()

        def done(result: DrawerState) -> None:
            self.approval_message.setStyleSheet(GOOD_STYLE)
            self.approval_message.setText(_("The difference of drawer {id} ({teller}) is "
                                            "approved; the drawer is closed.").format(
                id=result.id, teller=result.teller))
            self.refresh()

        def failed(error: BaseException) -> None:
            self.approval_message.setStyleSheet(ERROR_STYLE)
            self.approval_message.setText(error_text(error))
            self._enable()

        self.worker.submit(approve_difference, self.session, state.id, on_done=done,
                           on_error=failed)

    def print_pending_report(self) -> None:
        state = self._selected_pending()
        if state is not None:
            print_drawer_report(self, self.session, self.worker, state.id)
