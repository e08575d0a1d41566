"""The teller's small forms at the counter: an account lookup, a money field that says the
amount in words, and one dialog per posting (deposit, withdrawal, simpanan wajib, transfer,
zakat/infak/sedekah received, Maal distribution proposed).

Each posting dialog makes one request id when it opens and sends it with the posting, so a
second press of OK or Enter posts nothing new. Everything runs on the serial worker.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.errors import BmtError, ValidationError
from bmt_desktop.domain.money import format_rupiah, parse_amount
from bmt_desktop.domain.terbilang import terbilang_rupiah
from bmt_desktop.gui import dialogs
from bmt_desktop.gui.page_setup import DocumentKind
from bmt_desktop.gui.pdf_preview import PdfPreviewDialog
from bmt_desktop.gui.qt_translator import N_
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import maal, savings
from bmt_desktop.services.documents import receipt_pdf
from bmt_desktop.services.members import search_members
from bmt_desktop.services.savings import WITHDRAWABLE, AccountRow, WajibStatus
from bmt_desktop.services.session import Session

ERROR_STYLE = "color: #b00020;"
GOOD_STYLE = "color: #1b7f3b;"
WORDS_STYLE = "color: #444; font-style: italic;"
ACCOUNT_NUMBER = re.compile(r"^[A-Za-z]{2}-?\d{1,9}$")
MAX_MEMBERS = 20  # members a name search offers accounts of
ALL_BUT_POKOK = ("wajib", "sukarela", "tabungan", "deposito")
KIND_ORDER = ("sukarela", "tabungan", "wajib", "deposito", "pokok")  # most used first


def error_text(error: BaseException) -> str:
    """What the user reads of an error (services raise BmtError with an Indonesian message)."""
    return error.message if isinstance(error, BmtError) else str(error)


def show_preview(pdf: bytes, title: str, parent: QWidget | None) -> None:
    """The receipt on screen with Print; a module-level function so tests can replace it."""
    PdfPreviewDialog(pdf, title, DocumentKind.RECEIPT, parent).exec()


def offer_receipt(parent: QWidget, session: Session, worker: Worker, number: str,
                  then: Callable[[], None]) -> None:
    """Tell the number of the new document and offer its receipt; ``then`` runs at the end."""
    question = _("Saved as {number}.").format(number=number) + "\n\n" + _(
        "Print the receipt now?")
    if not dialogs.ask_yes_no(parent, question):
        then()
        return

    def show(pdf: bytes) -> None:
        try:
            show_preview(pdf, _("Receipt {number}").format(number=number), parent)
        finally:
            then()

    def failed(error: BaseException) -> None:
        dialogs.show_error(parent, error_text(error))
        then()

    worker.submit(receipt_pdf, session, number, on_done=show, on_error=failed)


class EnterKey(QObject):
    """Return/Enter in ``widget`` calls ``action`` instead of pressing the dialog's OK."""

    def __init__(self, widget: QWidget, action: Callable[[], None]) -> None:
        super().__init__(widget)
        self._action = action
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._action()
            return True
        return False


def _label(style: str, *, wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setStyleSheet(style)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


# ---------------------------------------------------------------------------- fields


class AmountField(QWidget):
    """A rupiah amount typed as "1.500.000" or "1500000"; shows Rp and the words as typed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, allow_zero: bool = False) -> None:
        super().__init__(parent)
        self.allow_zero = allow_zero
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(_("e.g. 1.500.000"))
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.edit.setMaxLength(25)
        self.figure = _label("font-weight: bold;", wrap=False)
        self.words = _label(WORDS_STYLE)
        self.error = _label(ERROR_STYLE)
        line = self.fontMetrics().height()
        for label in (self.figure, self.words):
            label.setMinimumHeight(line)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.figure)
        layout.addWidget(self.words)
        layout.addWidget(self.error)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._update)

    def _parse(self, text: str) -> int:
        if self.allow_zero and text.strip() in ("", "0"):
            return 0
        if not text.strip():
            raise ValidationError(_("{field} must be filled in.").format(field=_("Amount")))
        return parse_amount(text)

    def _update(self, text: str) -> None:
        self.error.clear()
        try:
            value = self._parse(text)
        except ValidationError:
            self.figure.clear()
            self.words.clear()
        else:
            self.figure.setText(format_rupiah(value))
            self.words.setText(terbilang_rupiah(value) if value else "")
        self.changed.emit()

    def value(self) -> int | None:
        """The amount, or None while what is typed is not one."""
        try:
            return self._parse(self.edit.text())
        except ValidationError:
            return None

    def read(self) -> int | None:
        """The amount; when it is not one, say why in red beside the field and return None."""
        try:
            return self._parse(self.edit.text())
        except ValidationError as error:
            self.show_error(error.message)
            return None

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.edit.setFocus()
        self.edit.selectAll()


def find_accounts(session: Session, text: str, kinds: Sequence[str] | None) -> list[AccountRow]:
    """Accounts for what the teller typed: an account number, or a member's name or number."""
    text = text.strip()
    if ACCOUNT_NUMBER.match(text):
        try:
            row = savings.find_account(session, text)
        except ValidationError:
            row = None  # perhaps a member number (AG-000001): search the members
        if row is not None:
            if kinds is not None and row.kind not in kinds:
                raise ValidationError(_("{product} cannot be used for this transaction.")
                                      .format(product=row.product_name))
            return [row]
    found = search_members(session, text, MAX_MEMBERS)
    rows = [account for member in found.rows
            for account in savings.member_accounts(session, member.id)
            if account.status == "aktif" and (kinds is None or account.kind in kinds)]
    rows.sort(key=lambda a: (a.member_number, KIND_ORDER.index(a.kind)
                             if a.kind in KIND_ORDER else len(KIND_ORDER), a.number))
    if not rows:
        raise ValidationError(_("No suitable savings account found for “{text}”.").format(
            text=text[:40]))
    return rows


def describe_account(row: AccountRow, *, available: bool) -> str:
    head = f"{row.member_name} ({row.member_number}) · {row.product_name}"
    if available:
        money = _("Balance {balance} · can be withdrawn {available}").format(
            balance=format_rupiah(row.balance), available=format_rupiah(row.available))
    else:
        money = _("Balance {balance}").format(balance=format_rupiah(row.balance))
    return f"{head}\n{money}"


class AccountLookup(QWidget):
    """Type a savings account number or a member's name and press Enter; pick one account."""

    chosen = Signal(object)  # AccountRow, when the teller settles on an account

    def __init__(self, session: Session, worker: Worker, *, kinds: Sequence[str] | None = None,
                 show_available: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker = session, worker
        self.kinds = tuple(kinds) if kinds is not None else None
        self.show_available = show_available
        self.account: AccountRow | None = None
        self._rows: list[AccountRow] = []
        self._asked = 0
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(_("Account number or member's name, then Enter"))
        self.edit.setMaxLength(100)
        self.find_button = QPushButton(_("Find"))
        self.find_button.setAutoDefault(False)
        self.find_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.choices = QComboBox()
        self.choices.setVisible(False)
        self.info = _label("", wrap=False)  # two short lines; a wrapped label gets clipped
        self.error = _label(ERROR_STYLE)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.find_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.choices)
        layout.addWidget(self.info)
        layout.addWidget(self.error)
        self.setFocusProxy(self.edit)
        EnterKey(self.edit, self.lookup)
        EnterKey(self.choices, self._confirm)
        self.find_button.clicked.connect(self.lookup)
        self.edit.textEdited.connect(self._forget)
        self.choices.currentIndexChanged.connect(self._picked)
        self.choices.activated.connect(lambda _index: self._confirm())

    def lookup(self) -> None:
        text = self.edit.text().strip()
        if not text:
            self.show_error(_("Type an account number or a member's name."))
            return
        if self.account is not None and text.upper() == self.account.number:
            self._confirm()
            return
        self._asked += 1
        asked = self._asked
        self.error.clear()
        self.info.setText(_("Looking up…"))
        self.worker.submit(find_accounts, self.session, text, self.kinds,
                           on_done=lambda rows: self._found(asked, rows),
                           on_error=lambda error: self._failed(asked, error))

    def _found(self, asked: int, rows: list[AccountRow]) -> None:
        if asked != self._asked:
            return  # the teller typed on meanwhile
        self._rows = rows
        if len(rows) == 1:
            self.choices.setVisible(False)
            self._set(rows[0])
            self.edit.setText(rows[0].number)
            self._confirm()
            return
        self.choices.blockSignals(True)
        self.choices.clear()
        for row in rows:
            self.choices.addItem(f"{row.number} · {row.member_name} · {row.product_name} · "
                                 f"{format_rupiah(row.balance)}")
        self.choices.blockSignals(False)
        self.choices.setVisible(True)
        self.choices.setCurrentIndex(0)
        self._set(rows[0])
        self.choices.setFocus()

    def _failed(self, asked: int, error: BaseException) -> None:
        if asked == self._asked:
            self.info.clear()
            self.show_error(error_text(error))

    def _picked(self, index: int) -> None:
        if 0 <= index < len(self._rows):
            self._set(self._rows[index])

    def _set(self, row: AccountRow) -> None:
        self.account = row
        self.error.clear()
        self.info.setText(describe_account(row, available=self.show_available))

    def _confirm(self) -> None:
        if self.account is not None:
            self.chosen.emit(self.account)

    def _forget(self, _text: str) -> None:
        self.account = None
        self._asked += 1
        self.info.clear()
        self.choices.setVisible(False)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.edit.setFocus()
        self.edit.selectAll()

    def require(self) -> AccountRow | None:
        """The chosen account; without one, say so beside the field."""
        if self.account is None:
            self.show_error(_("Choose an account first: type its number or the member's "
                              "name and press Enter."))
        return self.account


# ---------------------------------------------------------------------------- dialogs

Call = tuple[Callable[..., Any], tuple, dict]


class PostingDialog(QDialog):
    """A small form whose OK runs one service call on the worker; OK is off while it runs."""

    succeeded = Signal(object)  # what the service returned

    def __init__(self, session: Session, worker: Worker, title: str, ok_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker = session, worker
        self.request_id = str(uuid.uuid4())
        self.result_value: object | None = None
        self.busy = False
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error = _label(ERROR_STYLE)
        self.saved = _label(GOOD_STYLE + " font-weight: bold;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.error.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        # The dialog grows with what appears (a found account, an error): never clipped.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.saved)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def collect(self) -> Call | None:
        """The service call for what the form holds, or None after showing what is wrong."""
        raise NotImplementedError

    def submit(self) -> None:
        if self.busy or self.result_value is not None:
            return
        self.error.clear()
        call = self.collect()
        if call is None:
            return
        fn, args, kwargs = call
        self._set_busy(True)
        self.worker.submit(fn, self.session, *args, on_done=self._done, on_error=self._failed,
                           **kwargs)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.ok_button.setEnabled(not busy)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.error.setText(error_text(error))
        amount = getattr(self, "amount", None)
        if isinstance(amount, AmountField):  # most refusals are about the amount: retype it
            amount.edit.setFocus()
            amount.edit.selectAll()

    def _done(self, result: object) -> None:
        self.busy = False  # OK stays off: this form has done its work
        self.result_value = result
        self.succeeded.emit(result)
        self.after_success(result)

    def after_success(self, result: Any) -> None:
        """A posting: show its number and offer the receipt, then close."""
        self.saved.setText(_("Saved as {number}.").format(number=result.doc_number))
        offer_receipt(self, self.session, self.worker, result.doc_number, self.accept)


class _AccountAmountDialog(PostingDialog):
    """One account and an amount: the deposit and the withdrawal differ only in these."""

    title = button = ""
    post: Callable[..., object]
    lookup: dict[str, object] = {}

    def __init__(self, session: Session, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _(self.title), _(self.button), parent)
        self.account = AccountLookup(session, worker, **self.lookup)
        self.amount = AmountField()
        self.form.addRow(_("Account:"), self.account)
        self.form.addRow(_("Amount:"), self.amount)
        self.account.chosen.connect(lambda _row: self.amount.edit.setFocus())
        self.account.edit.setFocus()

    def collect(self) -> Call | None:
        row, amount = self.account.require(), self.amount.read()
        if row is None or amount is None:
            return None
        return type(self).post, (row.number, amount), {"request_id": self.request_id}


class DepositDialog(_AccountAmountDialog):
    title, button = N_("Cash deposit"), N_("Deposit")
    post = staticmethod(savings.deposit)


class WithdrawDialog(_AccountAmountDialog):
    title, button = N_("Cash withdrawal"), N_("Pay out")
    post = staticmethod(savings.withdraw)
    lookup = {"kinds": WITHDRAWABLE, "show_available": True}


class TransferDialog(PostingDialog):
    def __init__(self, session: Session, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Transfer between accounts"), _("Transfer"), parent)
        self.source = AccountLookup(session, worker, kinds=WITHDRAWABLE, show_available=True)
        self.target = AccountLookup(session, worker, kinds=ALL_BUT_POKOK)
        self.amount = AmountField()
        self.form.addRow(_("From account:"), self.source)
        self.form.addRow(_("To account:"), self.target)
        self.form.addRow(_("Amount:"), self.amount)
        self.source.chosen.connect(lambda _row: self.target.edit.setFocus())
        self.target.chosen.connect(lambda _row: self.amount.edit.setFocus())
        self.source.edit.setFocus()

    def collect(self) -> Call | None:
        source, target, amount = self.source.require(), self.target.require(), self.amount.read()
        if source is None or target is None or amount is None:
            return None
        return (savings.transfer, (source.number, target.number, amount),
                {"request_id": self.request_id})


class WajibDialog(PostingDialog):
    """Simpanan wajib: the member's wajib account, months in arrears, months paid now."""

    def __init__(self, session: Session, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Simpanan wajib"), _("Pay"), parent)
        self.status: WajibStatus | None = None
        self.account = AccountLookup(session, worker, kinds=("wajib",))
        self.state = _label("", wrap=False)
        self.months = QSpinBox()
        self.months.setRange(1, 120)
        self.months.setSuffix(" " + _("months"))
        self.total = _label("font-weight: bold;", wrap=False)
        self.words = _label(WORDS_STYLE)
        self.form.addRow(_("Account:"), self.account)
        self.form.addRow("", self.state)
        self.form.addRow(_("Pay for:"), self.months)
        self.form.addRow(_("Amount:"), self.total)
        self.form.addRow("", self.words)
        self.account.chosen.connect(self._load)
        self.months.valueChanged.connect(lambda _value: self._show_total())
        self.account.edit.setFocus()

    def _load(self, row: AccountRow) -> None:
        self.worker.submit(savings.wajib_status, self.session, row.member_id,
                           on_done=self._loaded,
                           on_error=lambda error: self.account.show_error(error_text(error)))

    def _loaded(self, status: WajibStatus) -> None:
        self.status = status
        self.state.setText(_("{monthly} a month · {paid} of {due} months paid\n"
                             "arrears {arrears} months ({amount})").format(
            monthly=format_rupiah(status.monthly), paid=status.months_paid,
            due=status.months_due, arrears=status.arrears_months,
            amount=format_rupiah(status.arrears_amount)))
        self.months.setValue(max(1, status.arrears_months))
        self._show_total()
        self.months.setFocus()
        self.months.selectAll()

    def _show_total(self) -> None:
        if self.status is None:
            return
        value = self.status.monthly * self.months.value()
        self.total.setText(format_rupiah(value))
        self.words.setText(terbilang_rupiah(value) if value else "")

    def collect(self) -> Call | None:
        row = self.account.require()
        if row is None:
            return None
        return (savings.pay_wajib, (row.member_id, self.months.value()),
                {"request_id": self.request_id})


def fund_choice(funds: Sequence[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    for key, label in funds:
        combo.addItem(label, key)
    return combo


class MaalReceiveDialog(PostingDialog):
    """Zakat, infak or sedekah received in cash, with its own receipt."""

    def __init__(self, session: Session, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Zakat, infak and sedekah received"), _("Receive"),
                         parent)
        self.fund = fund_choice([("zakat", _("Zakat")), ("infak", _("Infak")),
                                 ("sedekah", _("Sedekah"))])
        self.payer = QLineEdit()
        self.payer.setMaxLength(100)
        self.payer.setPlaceholderText(_("Name of the giver"))
        self.amount = AmountField()
        self.form.addRow(_("Fund:"), self.fund)
        self.form.addRow(_("Received from:"), self.payer)
        self.form.addRow(_("Amount:"), self.amount)
        self.fund.setFocus()

    def collect(self) -> Call | None:
        amount = self.amount.read()
        if not self.payer.text().strip():
            self.error.setText(_("{field} must be filled in.").format(field=_("Payer")))
            self.payer.setFocus()
            return None
        if amount is None:
            return None
        return (maal.receive, (self.fund.currentData(), self.payer.text(), amount),
                {"request_id": self.request_id})


def fund_balances(session: Session) -> dict[str, int]:
    return {fund: maal.fund_balance(session, fund) for fund in ("zakat", "infak", "kebajikan")}


class MaalProposeDialog(PostingDialog):
    """Propose a distribution from a Maal fund; a manager decides, then a teller pays it."""

    def __init__(self, session: Session, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Propose a Maal distribution"), _("Propose"),
                         parent)
        self.balances: dict[str, int] = {}
        self.fund = fund_choice([("zakat", _("Zakat")), ("infak", _("Infak and sedekah")),
                                 ("kebajikan", _("Dana kebajikan"))])
        self.fund_state = _label("color: #555;")
        self.recipient = QLineEdit()
        self.recipient.setMaxLength(100)
        self.recipient.setPlaceholderText(_("Name of the mustahik"))
        self.purpose = QLineEdit()
        self.purpose.setMaxLength(200)
        self.purpose.setPlaceholderText(_("e.g. school fees, medical costs"))
        self.amount = AmountField()
        self.form.addRow(_("Fund:"), self.fund)
        self.form.addRow("", self.fund_state)
        self.form.addRow(_("Recipient:"), self.recipient)
        self.form.addRow(_("Purpose:"), self.purpose)
        self.form.addRow(_("Amount:"), self.amount)
        self.fund.currentIndexChanged.connect(lambda _index: self._show_fund())
        worker.submit(fund_balances, session, on_done=self._loaded,
                      on_error=lambda error: self.fund_state.setText(error_text(error)))
        self.fund.setFocus()

    def _loaded(self, balances: dict[str, int]) -> None:
        self.balances = balances
        self._show_fund()

    def _show_fund(self) -> None:
        fund = self.fund.currentData()
        if fund in self.balances:
            self.fund_state.setText(_("The fund holds {amount}.").format(
                amount=format_rupiah(self.balances[fund])))

    def collect(self) -> Call | None:
        amount = self.amount.read()
        for field, label in ((self.recipient, _("Recipient")), (self.purpose, _("Purpose"))):
            if not field.text().strip():
                self.error.setText(_("{field} must be filled in.").format(field=label))
                field.setFocus()
                return None
        if amount is None:
            return None
        return (maal.propose, (self.fund.currentData(), self.recipient.text(),
                               self.purpose.text(), amount), {})

    def after_success(self, result: Any) -> None:
        self.accept()
