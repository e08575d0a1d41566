"""A Kube's group funds: the IKS (iuran kesetiakawanan sosial, the solidarity levy) and the
group savings, their balances, and cash in or out of them at the counter.

Both forms take or pay cash through the user's drawer, so it must be open for today; each
makes one request id when it opens, keeps OK off while the worker runs, and offers the
receipt when the posting is made. A payout above what the fund holds is refused by the
service; its message is shown in the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.permissions import Action
from bmt_desktop.gui.tabs.drawer_dialogs import may
from bmt_desktop.gui.tabs.kube_common import (
    HINT_STYLE,
    FormDialog,
    button_bar,
    choice,
    line_edit,
    text_label,
)
from bmt_desktop.gui.tabs.kube_pages import KubeFile, Page, drawer_ready
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.teller_forms import (
    ERROR_STYLE,
    GOOD_STYLE,
    AmountField,
    Call,
    PostingDialog,
)
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import kube
from bmt_desktop.services.kube import KubeRow
from bmt_desktop.services.session import Session

if TYPE_CHECKING:
    from bmt_desktop.gui.tabs.kube_tab import KubeDetail


def fund_label(fund: str) -> str:
    return {"iks": _("IKS (solidarity levy)"), "tabungan": _("Group savings")}.get(fund, fund)


def drawer_closed_text() -> str:
    return _("Your cash drawer is not open for today. Open it in the Kas tab first: the group "
             "fund's money goes through it.")


class FundDialog(FormDialog):
    """Cash into or out of one group fund through the user's drawer, with a receipt."""

    def __init__(self, session: Session, worker: Worker, title: str, ok_text: str,
                 kube_row: KubeRow, balances: dict[str, int],
                 parent: QWidget | None = None) -> None:
        super().__init__(session, worker, title, ok_text, parent)
        self.kube_row, self.balances = kube_row, balances
        self.drawer_note = text_label(HINT_STYLE, text=_("Checking your cash drawer…"))
        self.fund = choice([(f, fund_label(f)) for f in kube.GROUP_FUNDS])
        self.holds = text_label(HINT_STYLE, wrap=False)
        self.amount = AmountField()
        self.form.addRow(self.drawer_note)
        self.form.addRow(_("Fund:"), self.fund)
        self.form.addRow("", self.holds)
        self.fund.currentIndexChanged.connect(lambda _index: self._show_fund())
        self._show_fund()
        self.ok_button.setEnabled(False)  # until the drawer is known to be open
        worker.submit(drawer_ready, session, on_done=self._drawer,
                      on_error=lambda error: self._drawer(False))

    def _show_fund(self) -> None:
        fund = self.fund.currentData()
        self.holds.setText(_("The fund holds {amount}.").format(
            amount=format_rupiah(self.balances.get(fund, 0))))

    @when_alive
    def _drawer(self, ready: bool) -> None:
        if ready:
            self.drawer_note.setText(_("The money goes through your cash drawer."))
            self.drawer_note.setStyleSheet(GOOD_STYLE)
        else:
            self.drawer_note.setText(drawer_closed_text())
            self.drawer_note.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.ok_button.setEnabled(ready and not self.busy and self.result_value is None)

    def submit(self) -> None:
        if self.ok_button.isEnabled():
            super().submit()

    def after_success(self, result: Any) -> None:
        PostingDialog.after_success(self, result)  # the number, then the receipt offered

    def _text(self, edit: QLineEdit, label: str) -> str:
        if not edit.text().strip():
            edit.setFocus()
            raise ValidationError(_("{field} must be filled in.").format(field=label))
        return edit.text()

    def _amount(self) -> int:
        value = self.amount.read()
        if value is None:
            raise ValidationError(_("Check the amount."))
        return value


class FundDepositDialog(FundDialog):
    def __init__(self, session: Session, worker: Worker, kube_row: KubeRow,
                 balances: dict[str, int], parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Group funds of {kube}: deposit").format(
            kube=kube_row.name), _("Deposit"), kube_row, balances, parent)
        self.payer = line_edit(100, _("Name of the member or officer paying"))
        self.form.addRow(_("Paid by:"), self.payer)
        self.form.addRow(_("Amount:"), self.amount)
        self.fund.setFocus()

    def call(self) -> Call:
        payer = self._text(self.payer, _("Payer"))
        return (kube.group_fund_deposit, (self.kube_row.id, self.fund.currentData(),
                                          self._amount(), payer),
                {"request_id": self.request_id})


class FundPayoutDialog(FundDialog):
    def __init__(self, session: Session, worker: Worker, kube_row: KubeRow,
                 balances: dict[str, int], parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Group funds of {kube}: pay out").format(
            kube=kube_row.name), _("Pay out"), kube_row, balances, parent)
        self.purpose = line_edit(200, _("e.g. help for a poor family, tools for the group"))
        self.form.addRow(_("Purpose:"), self.purpose)
        self.form.addRow(_("Amount:"), self.amount)
        self.fund.setFocus()

    def call(self) -> Call:
        purpose = self._text(self.purpose, _("Purpose"))
        return (kube.group_fund_payout, (self.kube_row.id, self.fund.currentData(),
                                         self._amount(), purpose),
                {"request_id": self.request_id})


class FundsPage(Page):
    """The IKS and group-savings balances and the counter's two buttons."""

    def __init__(self, detail: KubeDetail) -> None:
        super().__init__(detail)
        self.row: KubeRow | None = None
        self.file: KubeFile | None = None
        self.values: dict[str, QLabel] = {}
        numbers = QWidget()
        grid = QGridLayout(numbers)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(8)
        for row, fund in enumerate(kube.GROUP_FUNDS):
            name = QLabel(fund_label(fund))
            name.setStyleSheet("font-weight: bold;")
            self.values[fund] = text_label("font-size: 13pt; font-weight: bold;", wrap=False)
            self.values[fund].setAlignment(Qt.AlignmentFlag.AlignRight
                                           | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(name, row, 0)
            grid.addWidget(self.values[fund], row, 1)
        grid.setColumnStretch(2, 1)
        about = text_label(HINT_STYLE, text=_(
            "The IKS is the solidarity levy the members pay at their meetings; it helps poor "
            "families in the neighbourhood. The group savings are the Kube's own money for the "
            "group's needs. The BMT keeps both; money comes in and goes out at the counter."))
        self.drawer_note = text_label(ERROR_STYLE)
        self.drawer_note.setVisible(False)
        self.deposit_button = self.button(_("Deposit IKS/group savings…"), self.deposit,
                                          Action.CASH_TRANSACTION)
        self.payout_button = self.button(_("Pay out funds…"), self.payout,
                                         Action.CASH_TRANSACTION)
        layout = QVBoxLayout(self)
        layout.addWidget(numbers)
        layout.addSpacing(8)
        layout.addWidget(about)
        layout.addWidget(self.drawer_note)
        layout.addStretch(1)
        layout.addWidget(button_bar(self.deposit_button, self.payout_button))

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        self.row, self.file = row, file
        for fund, label in self.values.items():
            label.setText(format_rupiah(file.funds.get(fund, 0)))
        writer = may(self.detail.session, Action.CASH_TRANSACTION)
        self.drawer_note.setText(drawer_closed_text())
        self.drawer_note.setVisible(writer and not file.drawer_ready)
        for button in (self.deposit_button, self.payout_button):
            button.setEnabled(file.drawer_ready)
        self.payout_button.setEnabled(file.drawer_ready and any(file.funds.values()))

    def deposit(self) -> None:
        self._open(FundDepositDialog, _("Deposit saved as {number} ({amount})."))

    def payout(self) -> None:
        self._open(FundPayoutDialog, _("Payout saved as {number} ({amount})."))

    def _open(self, kind: type[FundDialog], said: str) -> None:
        if self.row is None or self.file is None:
            return
        dialog = kind(self.detail.session, self.detail.worker, self.row, dict(self.file.funds),
                      self.detail)
        self.detail.open_form(dialog, lambda posted: self.detail.after_change(said.format(
            number=posted.doc_number, amount=format_rupiah(posted.total))))
