"""Closing the drawer with a count by denomination (and its end-of-day report), and the Maal
distributions: proposals, the manager's decision, payment from the drawer."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLayout,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.permissions import READ_ONLY_ROLES, Action, is_allowed
from bmt_desktop.gui import dialogs
from bmt_desktop.gui.page_setup import DocumentKind
from bmt_desktop.gui.pdf_preview import PdfPreviewDialog
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.tabs.teller_forms import (
    ERROR_STYLE,
    GOOD_STYLE,
    EnterKey,
    MaalProposeDialog,
    error_text,
    fund_balances,
    offer_receipt,
)
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.printing.drawer_report import denomination_label, difference_text
from bmt_desktop.services import maal
from bmt_desktop.services.drawer import DENOMINATIONS, MAX_PIECES, DrawerState, close_drawer
from bmt_desktop.services.drawer_report import drawer_report_pdf
from bmt_desktop.services.maal import DistributionRow
from bmt_desktop.services.session import Session


def may(session: Session, action: Action, *, writes: bool = True) -> bool:
    """The role may do ``action``; a write also needs a writable book and a writing role."""
    if not is_allowed(session.role, action):
        return False
    return not writes or (session.role not in READ_ONLY_ROLES and not session.book.read_only)


def show_report(pdf: bytes, title: str, parent: QWidget | None) -> None:
    """The end-of-day report on screen with Print; module-level so tests can replace it."""
    PdfPreviewDialog(pdf, title, DocumentKind.A4, parent).exec()


def ask_reason(parent: QWidget | None, text: str) -> str | None:
    """A reason typed by the manager, or None when cancelled; tests replace it."""
    reason, ok = QInputDialog.getText(parent, _("Reason"), text)
    return reason if ok else None


def print_drawer_report(parent: QWidget, session: Session, worker: Worker, drawer_id: int,
                        then: Callable[[], None] = lambda: None) -> None:
    def show(pdf: bytes) -> None:
        try:
            show_report(pdf, _("End-of-day report, drawer {id}").format(id=drawer_id), parent)
        finally:
            then()

    def failed(error: BaseException) -> None:
        dialogs.show_error(parent, error_text(error))
        then()

    worker.submit(drawer_report_pdf, session, drawer_id, on_done=show, on_error=failed)


def _money(value: int) -> QLabel:
    label = QLabel(format_rupiah(value))
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


class CountDialog(QDialog):
    """One row per note and coin: pieces → subtotal; the total, what the books expect and the
    difference update as the teller types (green when nil, red otherwise)."""

    closed_drawer = Signal(object)  # DrawerState after close_drawer

    def __init__(self, session: Session, worker: Worker, state: DrawerState,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker, self.state = session, worker, state
        self.result_state: DrawerState | None = None
        self.busy = False
        self.setWindowTitle(_("Close the drawer: count the cash"))
        intro = QLabel(_("Count the cash in the drawer and type the number of pieces of each "
                         "note and coin. Enter moves to the next row."))
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        for column, header in enumerate((_("Denomination"), _("Pieces"), _("Amount"))):
            label = QLabel(f"<b>{header}</b>")
            if column:
                label.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(label, 0, column)
        self.pieces: dict[int, QSpinBox] = {}
        self.subtotals: dict[int, QLabel] = {}
        for row, value in enumerate(DENOMINATIONS, start=1):
            spin = QSpinBox()
            spin.setRange(0, MAX_PIECES)
            spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            spin.setMinimumWidth(90)
            spin.valueChanged.connect(lambda _v: self._update())
            self.pieces[value] = spin
            self.subtotals[value] = _money(0)
            name = QLabel(denomination_label(value))
            name.setBuddy(spin)
            grid.addWidget(name, row, 0)
            grid.addWidget(spin, row, 1)
            grid.addWidget(self.subtotals[value], row, 2)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        grid.addWidget(line, len(DENOMINATIONS) + 1, 0, 1, 3)
        self.counted = _money(0)
        self.expected = _money(state.expected_cash)
        self.difference = _money(0)
        for offset, (text, label) in enumerate(((_("Total counted"), self.counted),
                                                (_("Expected cash"), self.expected),
                                                (_("Difference"), self.difference))):
            row = len(DENOMINATIONS) + 2 + offset
            grid.addWidget(QLabel(f"<b>{text}</b>"), row, 0, 1, 2)
            label.setStyleSheet("font-weight: bold;")
            grid.addWidget(label, row, 2)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Close the drawer"))
        self.ok_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        spins = list(self.pieces.values())
        for here, after in zip(spins, [*spins[1:], self.ok_button], strict=True):
            EnterKey(here, lambda after=after: self._next(after))
            QWidget.setTabOrder(here, after)
        intro.setMinimumWidth(440)
        self._update()
        spins[0].setFocus()
        spins[0].selectAll()

    @staticmethod
    def _next(widget: QWidget) -> None:
        widget.setFocus()
        if isinstance(widget, QSpinBox):
            widget.selectAll()

    def counts(self) -> dict[int, int]:
        return {value: spin.value() for value, spin in self.pieces.items()}

    def counted_cash(self) -> int:
        return sum(value * pieces for value, pieces in self.counts().items())

    def _update(self) -> None:
        for value, spin in self.pieces.items():
            self.subtotals[value].setText(format_rupiah(value * spin.value()))
        counted = self.counted_cash()
        difference = counted - self.state.expected_cash
        self.counted.setText(format_rupiah(counted))
        self.difference.setText(difference_text(difference))
        self.difference.setStyleSheet("font-weight: bold; "
                                      + (GOOD_STYLE if difference == 0 else ERROR_STYLE))

    def submit(self) -> None:
        if self.busy or self.result_state is not None:
            return
        difference = self.counted_cash() - self.state.expected_cash
        if difference and not dialogs.ask_yes_no(self, _(
                "The count differs from the books: {difference}. Close the drawer and ask "
                "the manager to approve the difference?").format(
                difference=difference_text(difference))):
            return
        self.busy = True
        self.ok_button.setEnabled(False)
        self.error.clear()
        self.worker.submit(close_drawer, self.session, self.counts(), on_done=self._closed,
                           on_error=self._failed)

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.error.setText(error_text(error))

    def _closed(self, state: DrawerState) -> None:
        self.busy = False
        self.result_state = state
        self.closed_drawer.emit(state)
        if state.status == "tutup":
            said = _("The drawer is closed; the cash goes back to the vault.")
        else:
            said = _("The drawer waits for the manager's approval of the difference.")
        if dialogs.ask_yes_no(self, said + "\n\n" + _("Print the end-of-day report now?")):
            print_drawer_report(self, self.session, self.worker, state.id, self.accept)
        else:
            self.accept()


def _status(status: str) -> str:
    return {"usulan": _("proposed"), "disetujui": _("approved"), "ditolak": _("rejected"),
            "dibayar": _("paid")}.get(status, status)


def _decision(row: DistributionRow) -> str:
    if not row.decided_by:
        return ""
    return f"{row.decided_by}: {row.reason}" if row.reason else row.decided_by


def load_maal(session: Session) -> tuple[list[DistributionRow], dict[str, int]]:
    return maal.distributions(session), fund_balances(session)


class MaalDistributionsDialog(QDialog):
    """The Maal distributions: propose, approve or reject (manager), pay from the drawer."""

    paid = Signal(object)  # PostedJournal

    def __init__(self, session: Session, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker = session, worker
        self.proposal: MaalProposeDialog | None = None
        self._pay_requests: dict[int, str] = {}
        self.setWindowTitle(_("Maal distributions"))
        self.funds = QLabel()
        self.funds.setWordWrap(True)
        self.model = RowsModel([
            Column(_("No."), lambda r: str(r.id), lambda r: r.id, numeric=True),
            Column(_("Fund"), lambda r: r.fund),
            Column(_("Recipient"), lambda r: r.recipient),
            Column(_("Purpose"), lambda r: r.purpose),
            Column(_("Amount"), lambda r: format_rupiah(r.amount), lambda r: r.amount,
                   numeric=True),
            Column(_("Status"), lambda r: _status(r.status)),
            Column(_("Proposed by"), lambda r: r.proposed_by),
            Column(_("Decision"), _decision),
        ])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.propose_button = self._button(_("Propose…"), self.propose,
                                           may(session, Action.MAAL_PROPOSE))
        self.approve_button = self._button(_("Approve"), self.approve,
                                           may(session, Action.MAAL_APPROVE))
        self.reject_button = self._button(_("Reject…"), self.reject_selected,
                                          may(session, Action.MAAL_APPROVE))
        self.pay_button = self._button(_("Pay from the drawer"), self.pay,
                                       may(session, Action.CASH_TRANSACTION))
        close = self._button(_("Close"), self.reject, True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        row = QHBoxLayout()
        for button in (self.propose_button, self.approve_button, self.reject_button,
                       self.pay_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.funds)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.resize(940, 460)
        self._enable()
        self.refresh()

    def _button(self, text: str, slot: Callable[[], None], visible: bool) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        if not visible:
            button.hide()  # before it has a parent: hide() never makes it a window
        return button

    def refresh(self) -> None:
        self.worker.submit(load_maal, self.session, on_done=self._show,
                           on_error=lambda error: self._say(error_text(error)))

    def _show(self, loaded: tuple[list[DistributionRow], dict[str, int]]) -> None:
        rows, balances = loaded
        chosen = self.selected()
        self.model.set_rows(rows)
        self.funds.setText(_("Zakat fund {zakat} · infak and sedekah fund {infak} · "
                             "dana kebajikan {kebajikan}").format(
            **{fund: format_rupiah(value) for fund, value in balances.items()}))
        if chosen is not None:
            self.select(chosen.id)
        self._enable()

    def select(self, distribution_id: int) -> None:
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).id == distribution_id:
                self.table.selectRow(row)
                return

    def selected(self) -> DistributionRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _enable(self) -> None:
        row = self.selected()
        status = row.status if row is not None else ""
        self.approve_button.setEnabled(status == "usulan")
        self.reject_button.setEnabled(status == "usulan")
        self.pay_button.setEnabled(status == "disetujui")

    def _say(self, text: str, good: bool = False) -> None:
        self.message.setStyleSheet(GOOD_STYLE if good else ERROR_STYLE)
        self.message.setText(text)

    def _run(self, fn: Callable, *args: object, done: str, **kwargs: object) -> None:
        self.message.clear()

        def finished(_result: object) -> None:
            self._say(done, good=True)
            self.refresh()

        self.worker.submit(fn, self.session, *args, on_done=finished,
                           on_error=lambda error: self._say(error_text(error)), **kwargs)

    def propose(self) -> None:
        self.proposal = MaalProposeDialog(self.session, self.worker, self)
        self.proposal.succeeded.connect(lambda _row: (self._say(
            _("Proposal saved; it waits for the manager's decision."), good=True),
            self.refresh()))
        self.proposal.open()

    def approve(self) -> None:
        row = self.selected()
        if row is not None and row.status == "usulan":
            self._run(maal.decide, row.id, True, done=_("Distribution {id} approved.").format(
                id=row.id))

    def reject_selected(self) -> None:
        row = self.selected()
        if row is None or row.status != "usulan":
            return
        reason = ask_reason(self, _("Why is the distribution of {amount} to {recipient} "
                                    "rejected?").format(amount=format_rupiah(row.amount),
                                                        recipient=row.recipient))
        if reason is None:
            return
        if not reason.strip():
            self._say(_("{field} must be filled in.").format(field=_("Reason")))
            return
        self._run(maal.decide, row.id, False, reason,
                  done=_("Distribution {id} rejected.").format(id=row.id))

    def pay(self) -> None:
        row = self.selected()
        if row is None or row.status != "disetujui":
            return
        if not dialogs.ask_yes_no(self, _("Pay {amount} to {recipient} from your drawer?").format(
                amount=format_rupiah(row.amount), recipient=row.recipient)):
            return
        request_id = self._pay_requests.setdefault(row.id, str(uuid.uuid4()))
        self.pay_button.setEnabled(False)
        self.message.clear()

        def done(posted: object) -> None:
            self.paid.emit(posted)
            self.refresh()
            offer_receipt(self, self.session, self.worker, posted.doc_number, lambda: None)

        def failed(error: BaseException) -> None:
            self._say(error_text(error))
            self._enable()

        self.worker.submit(maal.pay, self.session, row.id, request_id=request_id,
                           on_done=done, on_error=failed)
