"""The forms of the financing actions: the teller's disbursement, instalment, early settlement
and recovery (each posting made once, however often OK is pressed, with its receipt offered),
and the manager's ta'widh, rescheduling request and profit report.

Each form runs its one service call on the serial worker; modal questions go through
:mod:`bmt_desktop.gui.dialogs` or :func:`ask_reason`, which tests replace.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QInputDialog,
    QLabel,
    QSpinBox,
    QWidget,
)

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.financing_rules import profit_share
from bmt_desktop.domain.financing_schedule import (
    FREQUENCIES,
    build_schedule,
    first_due_after,
    frequency_label,
)
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.gui.tabs.financing_common import date_text, freq_text, money
from bmt_desktop.gui.tabs.kube_common import DateField, FormDialog, line_edit
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.teller_forms import (
    ERROR_STYLE,
    WORDS_STYLE,
    AmountField,
    Call,
    PostingDialog,
    error_text,
)
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import financing, financing_payments, savings
from bmt_desktop.services.financing_payments import PaymentQuote
from bmt_desktop.services.financing_queries import FinancingDetail
from bmt_desktop.services.savings import AccountRow
from bmt_desktop.services.session import Session

QUOTE_DELAY_MS = 200
INFO_STYLE = "color: #333;"


def ask_reason(parent: QWidget | None, title: str, text: str) -> str | None:
    """A reason typed by the user, or None when cancelled or left empty; tests replace it."""
    reason, ok = QInputDialog.getText(parent, title, text)
    return (reason.strip() or None) if ok else None


def _info(text: str = "", style: str = INFO_STYLE) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


def _savings_choices(session: Session, member_id: int) -> list[AccountRow]:
    """The member's accounts money may go into or come out of (sukarela, tabungan)."""
    return [a for a in savings.member_accounts(session, member_id)
            if a.status == "aktif" and a.kind in ("sukarela", "tabungan")]


def schedule_summary(principal: int, rate_bp: int, instalments: int, frequency: str,
                     first_due: dt.date, method: str, rounding_unit: int,
                     margin_total: int | None = None) -> str:
    """One sentence about the schedule these terms give (raises ValidationError)."""
    lines = build_schedule(principal, rate_bp, instalments, frequency, first_due,
                           method=method, rounding_unit=rounding_unit, margin_total=margin_total)
    return _("{n} instalments {freq} of {amount}, from {first} to {last}; margin {margin}, "
             "total {total}.").format(
        n=len(lines), freq=frequency_label(frequency), amount=format_rupiah(lines[0].amount),
        first=date_text(lines[0].due_on), last=date_text(lines[-1].due_on),
        margin=format_rupiah(sum(i.margin for i in lines)),
        total=format_rupiah(sum(i.amount for i in lines)))


def _title(text: str, file: FinancingDetail) -> str:
    return text.format(number=file.number)


class _FinancingPosting(PostingDialog):
    """A posting about one financing: its number and applicant on top."""

    def __init__(self, session: Session, worker: Worker, file: FinancingDetail, title: str,
                 ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(session, worker, title, ok_text, parent)
        self.file = file
        self.setModal(True)
        head = _info(f"<b>{file.number}</b> · {file.applicant} ({file.applicant_code}) · "
                     f"{file.product_name}")
        self.form.addRow(head)

    @when_alive
    def _done(self, result: object) -> None:
        super()._done(result)

    @when_alive
    def _failed(self, error: BaseException) -> None:
        super()._failed(error)


class DisburseDialog(_FinancingPosting):
    """Pay out an approved financing in cash or into the member's savings, from a first due
    date; the schedule it will have is shown as the date is typed."""

    def __init__(self, session: Session, worker: Worker, file: FinancingDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, worker, file, _title(_("Disburse {number}"), file),
                         _("Disburse"), parent)
        net = file.principal - file.admin_fee
        self.amounts = _info(_("Principal {principal} − admin fee {fee} = paid out {net}")
                             .format(principal=format_rupiah(file.principal),
                                     fee=format_rupiah(file.admin_fee),
                                     net=format_rupiah(net)), "font-weight: bold;")
        self.target = QComboBox()
        self.target.addItem(_("Cash from your drawer"), ("tunai", None))
        self.first_due = DateField(first_due_after(session.today, file.frequency))
        self.preview = _info(style=WORDS_STYLE)
        self.form.addRow(_("Amount:"), self.amounts)
        self.form.addRow(_("Pay out:"), self.target)
        self.form.addRow(_("First due date:"), self.first_due)
        self.form.addRow(_("Schedule:"), self.preview)
        self.first_due.textChanged.connect(lambda _text: self._preview())
        self._preview()
        if file.member_id is not None:
            worker.submit(_savings_choices, session, file.member_id, on_done=self._accounts,
                          on_error=lambda _e: None)
        self.target.setFocus()

    @when_alive
    def _accounts(self, accounts: list[AccountRow]) -> None:
        for account in accounts:
            self.target.addItem(_("Into savings {number} ({product})").format(
                number=account.number, product=account.product_name), ("tabungan", account.id))

    def _first_due(self) -> dt.date:
        return self.first_due.read(_("First due date"))

    def _preview(self) -> None:
        f = self.file
        try:
            text = schedule_summary(f.principal, f.rate_bp, f.instalments, f.frequency,
                                    self._first_due(), f.method, f.rounding_unit)
        except ValidationError as error:
            self.preview.setStyleSheet(ERROR_STYLE)
            self.preview.setText(error.message)
            return
        self.preview.setStyleSheet(WORDS_STYLE)
        self.preview.setText(text)

    def collect(self) -> Call | None:
        try:
            day = self._first_due()
        except ValidationError as error:
            self.error.setText(error.message)
            self.first_due.setFocus()
            return None
        to, account = self.target.currentData()
        return (financing.disburse, (self.file.id,),
                {"to": to, "savings_account_id": account, "first_due": day,
                 "request_id": self.request_id})


class RepayDialog(_FinancingPosting):
    """An instalment at the counter: what falls due, how the amount is shared out (principal,
    margin, charges, paid in advance) as it is typed, from cash or the member's savings."""

    def __init__(self, session: Session, worker: Worker, file: FinancingDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, worker, file, _title(_("Instalment of {number}"), file),
                         _("Receive"), parent)
        self.quote: PaymentQuote | None = None
        self._asked = 0
        self.state = _info(_("Reading what is owed…"))
        self.payer = QComboBox()
        self.payer.addItem(_("The group (no member named)"), None)
        for share in file.shares:
            self.payer.addItem(f"{share.member_name} ({share.member_number})", share.member_id)
        self.source = QComboBox()
        self.source.addItem(_("Cash into your drawer"), None)
        self.amount = AmountField()
        self.advance = QCheckBox(_("Advance payment (pays instalments not yet due)"))
        self.allocation = _info(style=WORDS_STYLE)
        self.form.addRow(_("Owed:"), self.state)
        if file.shares:
            self.form.addRow(_("Paid by:"), self.payer)
        self.form.addRow(_("Paid from:"), self.source)
        self.form.addRow(_("Amount:"), self.amount)
        self.form.addRow("", self.advance)
        self.form.addRow(_("Shared out:"), self.allocation)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(QUOTE_DELAY_MS)
        self._timer.timeout.connect(self._ask_quote)
        self.amount.changed.connect(self._timer.start)
        self.advance.toggled.connect(lambda _on: self._ask_quote())
        worker.submit(financing_payments.quote, session, file.id, on_done=self._quoted,
                      on_error=lambda e: self.state.setText(error_text(e)))
        if file.member_id is not None:
            worker.submit(_savings_choices, session, file.member_id, on_done=self._accounts,
                          on_error=lambda _e: None)
        self.amount.edit.setFocus()

    @when_alive
    def _accounts(self, accounts: list[AccountRow]) -> None:
        for account in accounts:
            self.source.addItem(_("Savings {number} (balance {balance})").format(
                number=account.number, balance=format_rupiah(account.balance)), account.id)

    @when_alive
    def _quoted(self, quote: PaymentQuote) -> None:
        self.quote = quote
        self.state.setText(_("Fallen due now {due} · everything still owed {owed}").format(
            due=format_rupiah(quote.due_now), owed=format_rupiah(quote.owed)))
        if not self.amount.edit.text():
            suggested = quote.due_now or self.file.next_due_amount
            if suggested:
                self.amount.edit.setText(str(suggested))
                self.amount.edit.selectAll()

    def _ask_quote(self) -> None:
        self._timer.stop()
        amount = self.amount.value()
        self._asked += 1
        asked = self._asked
        if amount is None:
            self.allocation.clear()
            return
        self.worker.submit(financing_payments.quote, self.session, self.file.id, amount,
                           advance=self.advance.isChecked(),
                           on_done=lambda q: self._allocated(asked, q),
                           on_error=lambda e: self._refused(asked, e))

    @when_alive
    def _allocated(self, asked: int, quote: PaymentQuote) -> None:
        if asked != self._asked or quote.allocation is None:
            return
        a = quote.allocation
        parts = [_("principal {amount}").format(amount=format_rupiah(a.principal)),
                 _("margin {amount}").format(amount=format_rupiah(a.margin))]
        charges = sum(a.charges.values())
        if charges:
            parts.append(_("charges {amount}").format(amount=format_rupiah(charges)))
        text = ", ".join(parts)
        if a.advance:
            text += "\n" + _("of which {amount} in advance").format(
                amount=format_rupiah(a.advance))
        self.allocation.setStyleSheet(WORDS_STYLE)
        self.allocation.setText(text)

    @when_alive
    def _refused(self, asked: int, error: BaseException) -> None:
        if asked == self._asked:
            self.allocation.setStyleSheet(ERROR_STYLE)
            self.allocation.setText(error_text(error))

    def collect(self) -> Call | None:
        amount = self.amount.read()
        if amount is None:
            return None
        return (financing_payments.repay, (self.file.id, amount),
                {"advance": self.advance.isChecked(), "from_savings": self.source.currentData(),
                 "member_id": self.payer.currentData() if self.file.shares else None,
                 "request_id": self.request_id})


class SettleDialog(_FinancingPosting):
    """Early settlement: the principal left, the margin of periods passed and the charges;
    the margin of periods not yet passed is shown as not charged (Fatwa DSN 153/2022)."""

    def __init__(self, session: Session, worker: Worker, file: FinancingDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, worker, file, _title(_("Early settlement of {number}"), file),
                         _("Settle"), parent)
        self.figures = _info(_("Reading what is owed…"))
        self.total = _info(style="font-weight: bold; font-size: 12pt;")
        self.form.addRow(self.figures)
        self.form.addRow(_("To pay:"), self.total)
        self.ok_button.setEnabled(False)
        worker.submit(financing_payments.settlement_quote, session, file.id,
                      on_done=self._quoted, on_error=lambda e: self.error.setText(error_text(e)))

    @when_alive
    def _quoted(self, figures: tuple[int, int, int, int]) -> None:
        principal, margin, charges, discount = figures
        rows = [(_("Principal left"), principal), (_("Margin of periods passed"), margin),
                (_("Charges"), charges)]
        text = "<table>" + "".join(
            f"<tr><td>{label}</td><td align='right'>&nbsp;&nbsp;{format_rupiah(value)}</td></tr>"
            for label, value in rows) + "</table>"
        text += "<p style='color:#1b7f3b'>" + _(
            "Margin not charged (periods not yet passed, Fatwa DSN 153/2022): {amount}").format(
            amount=format_rupiah(discount)) + "</p>"
        self.figures.setText(text)
        self.total.setText(format_rupiah(principal + margin + charges))
        self.ok_button.setEnabled(not self.busy and self.result_value is None)
        self.ok_button.setFocus()

    def collect(self) -> Call | None:
        return financing_payments.settle_early, (self.file.id,), {"request_id": self.request_id}


class RecoverDialog(_FinancingPosting):
    """Cash received on a written-off financing."""

    def __init__(self, session: Session, worker: Worker, file: FinancingDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, worker, file, _title(_("Recovery on {number}"), file),
                         _("Receive"), parent)
        left = file.written_off - file.recovered
        self.form.addRow(_("Written off:"), _info(format_rupiah(file.written_off)))
        self.form.addRow(_("Recovered so far:"), _info(format_rupiah(file.recovered)))
        self.form.addRow(_("Still to recover:"), _info(format_rupiah(left), "font-weight: bold;"))
        self.amount = AmountField()
        self.form.addRow(_("Amount:"), self.amount)
        self.amount.edit.setFocus()

    def collect(self) -> Call | None:
        amount = self.amount.read()
        if amount is None:
            return None
        return financing_payments.recover, (self.file.id, amount), {"request_id": self.request_id}


# --------------------------------------------------------------------------- manager's forms


class _FinancingForm(FormDialog):
    def __init__(self, session: Session, worker: Worker, file: FinancingDetail, title: str,
                 ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(session, worker, title, ok_text, parent)
        self.file = file
        self.form.addRow(_info(f"<b>{file.number}</b> · {file.applicant} "
                               f"({file.applicant_code}) · {file.product_name}"))


class TawidhDialog(_FinancingForm):
    """A real, provable collection cost (ta'widh) on a murabahah or ijarah."""

    def __init__(self, session: Session, worker: Worker, file: FinancingDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, worker, file, _("Ta'widh on {number}").format(
            number=file.number), _("Record"), parent)
        self.amount = AmountField()
        self.cost = line_edit(500, _("e.g. transport to the member's house, 2 visits"))
        self.form.addRow(_("Real cost:"), self.amount)
        self.form.addRow(_("What it was:"), self.cost)
        self.form.addRow(_info(_("Only the real cost of collecting, proven; it may be income up "
                                 "to that cost (Fatwa DSN 43/2004)."), "color: #555;"))
        self.amount.edit.setFocus()

    def call(self) -> Call:
        amount = self.amount.value()
        if amount is None:
            raise ValidationError(_("{field} must be filled in.").format(field=_("Real cost")))
        return financing_payments.record_tawidh, (self.file.id, amount, self.cost.text()), {}


class RescheduleDialog(_FinancingForm):
    """Ask for a new schedule of what is left; another manager decides."""

    def __init__(self, session: Session, worker: Worker, file: FinancingDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, worker, file, _("Reschedule {number}").format(
            number=file.number), _("Request"), parent)
        self.instalments = QSpinBox()
        self.instalments.setRange(1, 520)
        self.instalments.setValue(max(1, sum(1 for s in file.schedule if s.left)))
        self.frequency = QComboBox()
        for key in FREQUENCIES:
            self.frequency.addItem(freq_text(key), key)
        self.frequency.setCurrentIndex(max(0, self.frequency.findData(file.frequency)))
        self.first_due = DateField(first_due_after(session.today, file.frequency))
        self.reason = line_edit(1000, _("e.g. harvest failed; the member can pay smaller "
                                        "instalments"))
        self.preview = _info(style=WORDS_STYLE)
        self.form.addRow(_("Left to spread:"), _info(_(
            "principal {principal}, margin {margin} (no new margin, Fatwa DSN 48/2005)").format(
            principal=format_rupiah(file.left_principal),
            margin=format_rupiah(file.left_margin))))
        self.form.addRow(_("Instalments:"), self.instalments)
        self.form.addRow(_("Frequency:"), self.frequency)
        self.form.addRow(_("First due date:"), self.first_due)
        self.form.addRow(_("Reason:"), self.reason)
        self.form.addRow(_("New schedule:"), self.preview)
        self.instalments.valueChanged.connect(lambda _v: self._preview())
        self.frequency.currentIndexChanged.connect(lambda _i: self._preview())
        self.first_due.textChanged.connect(lambda _t: self._preview())
        self._preview()
        self.instalments.setFocus()

    def _preview(self) -> None:
        f = self.file
        try:
            text = schedule_summary(f.left_principal, 0, self.instalments.value(),
                                    self.frequency.currentData(),
                                    self.first_due.read(_("First due date")), "flat",
                                    f.rounding_unit, margin_total=max(0, f.left_margin))
        except ValidationError as error:
            self.preview.setStyleSheet(ERROR_STYLE)
            self.preview.setText(error.message)
            return
        self.preview.setStyleSheet(WORDS_STYLE)
        self.preview.setText(text)

    def call(self) -> Call:
        return (financing_payments.request_reschedule,
                (self.file.id, self.instalments.value(), self.frequency.currentData(),
                 self.first_due.read(_("First due date")), self.reason.text()), {})


class ProfitDialog(_FinancingForm):
    """A mudharabah or musyarakah member's realised profit for a period (a loss gives no
    share); the BMT's share by the nisbah becomes due."""

    def __init__(self, session: Session, worker: Worker, file: FinancingDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, worker, file, _("Profit report of {number}").format(
            number=file.number), _("Record"), parent)
        self.period_end = DateField(session.today.replace(day=1) - dt.timedelta(days=1))
        self.profit = AmountField(allow_zero=True)
        self.loss = QCheckBox(_("It was a loss"))
        self.share = _info(style="font-weight: bold;")
        self.form.addRow(_("Period ending:"), self.period_end)
        self.form.addRow(_("Realised profit:"), self.profit)
        self.form.addRow("", self.loss)
        self.form.addRow(_("BMT's share:"), self.share)
        self.profit.changed.connect(self._preview)
        self.loss.toggled.connect(lambda _on: self._preview())
        self._preview()
        self.profit.edit.setFocus()

    def _value(self) -> int | None:
        value = self.profit.value()
        if value is None:
            return None
        return -value if self.loss.isChecked() else value

    def _preview(self) -> None:
        value = self._value()
        share = profit_share(value, self.file.nisbah_pct) if value is not None else None
        self.share.setText(_("{amount} (nisbah {pct} %)").format(
            amount=money(share), pct=self.file.nisbah_pct))

    def call(self) -> Call:
        value = self._value()
        if value is None:
            raise ValidationError(_("{field} must be filled in.").format(
                field=_("Realised profit")))
        return (financing_payments.report_profit,
                (self.file.id, self.period_end.read(_("Period ending")), value), {})
