"""A member's page under the list: their data, savings accounts, simpanan wajib arrears, and
the actions the user's role may take (none that write on a read-only book).

Modal steps a test must get past (the PDF preview, a reason, a choice) go through the small
module-level functions below, or through :mod:`bmt_desktop.gui.dialogs`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.permissions import Action, is_allowed
from bmt_desktop.gui import dialogs
from bmt_desktop.gui.page_setup import DocumentKind
from bmt_desktop.gui.passbook_settings import passbook_layout
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.member_form import MemberForm, sex_label
from bmt_desktop.gui.tabs.record_panel import RecordPanel
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.printing.passbook import PassbookPrintPlan
from bmt_desktop.services.documents import (
    confirm_passbook_printed,
    passbook_pending,
    replace_passbook,
    statement_pdf,
)
from bmt_desktop.services.member_exit import exit_member
from bmt_desktop.services.members import MemberInput, MemberRow, get_member
from bmt_desktop.services.savings import (
    ONE_PER_MEMBER,
    AccountRow,
    ProductRow,
    WajibStatus,
    list_products,
    member_accounts,
    open_account,
    wajib_status,
)
from bmt_desktop.services.session import Session

ERROR_STYLE = "color: #b00020;"


def member_status_label(status: str) -> str:
    return {"calon": _("candidate"), "aktif": _("active"), "keluar": _("left")}.get(status,
                                                                                     status)


def account_status_label(status: str) -> str:
    return {"aktif": _("active"), "tutup": _("closed")}.get(status, status)


# --------------------------------------------------------------------------- modal steps


def show_preview(parent: QWidget | None, pdf: bytes, title: str, kind: DocumentKind) -> int:
    """Show ``pdf`` in the preview; the number of pages the user sent to the printer."""
    from bmt_desktop.gui.pdf_preview import PdfPreviewDialog

    class Preview(PdfPreviewDialog):
        printed = 0

        def print_document(self) -> int:
            pages = super().print_document()
            self.printed += pages
            return pages

    dialog = Preview(pdf, title, kind, parent)
    dialog.resize(900, 700)
    dialog.exec()
    return dialog.printed


def ask_text(parent: QWidget | None, title: str, label: str) -> str | None:
    text, ok = QInputDialog.getText(parent, title, label)
    return (text.strip() or None) if ok else None


def ask_choice(parent: QWidget | None, title: str, label: str, items: list[str]) -> int | None:
    """The index of the item chosen, or None."""
    text, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
    return items.index(text) if ok and text in items else None


# --------------------------------------------------------------------------- loading


@dataclass
class MemberFile:
    data: MemberInput
    accounts: list[AccountRow]
    wajib: WajibStatus


def load_member_file(session: Session, member_id: int) -> MemberFile:
    """Everything the page shows about one member (three reads, on the worker)."""
    return MemberFile(get_member(session, member_id), member_accounts(session, member_id),
                      wajib_status(session, member_id))


def _address(data: MemberInput) -> str:
    parts = [f"RT {data.rt}/RW {data.rw}" if data.rt or data.rw else "", data.desa,
             _("District {name}").format(name=data.kecamatan) if data.kecamatan else "",
             _("Regency {name}").format(name=data.kabupaten) if data.kabupaten else ""]
    return ", ".join(p for p in parts if p) or "–"


def _date(value: object) -> str:
    if not value:
        return "–"
    try:
        return format_date_id(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


class MemberDetail(RecordPanel):
    """Shows one member; ``changed`` tells the list that the member's data changed."""

    changed = Signal(int)

    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__(session, worker, load_member_file)
        self.row: MemberRow | None = None
        self.file: MemberFile | None = None
        self.form: MemberForm | None = None
        self.busy = False

        self.empty = QLabel(_("Choose a member in the list to see their data and accounts."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #555;")
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.values: dict[str, QLabel] = {}
        data = QWidget()
        data_grid = QGridLayout(data)
        data_grid.setContentsMargins(0, 0, 0, 0)
        data_grid.setHorizontalSpacing(10)
        data_grid.setVerticalSpacing(3)
        fields = [("nik", _("NIK")), ("kk", _("Family card number")), ("sex", _("Sex")),
                  ("birth", _("Born")), ("address", _("Address")), ("phone", _("Phone")),
                  ("occupation", _("Occupation")), ("business", _("Business type")),
                  ("household", _("Household size")), ("dtks", _("DTKS")),
                  ("income", _("Monthly income")), ("heir", _("Heir")),
                  ("joined", _("Join date"))]
        for row, (key, label) in enumerate(fields):
            name = QLabel(label)
            name.setStyleSheet("color: #555;")
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            data_grid.addWidget(name, row, 0)
            data_grid.addWidget(value, row, 1)
        data_grid.setColumnStretch(1, 1)
        data_grid.setRowStretch(len(fields), 1)

        self.accounts = RowsModel([
            Column(_("Account number"), lambda a: a.number),
            Column(_("Product"), lambda a: a.product_name),
            Column(_("Balance"), lambda a: format_rupiah(a.balance), lambda a: a.balance,
                   numeric=True),
            Column(_("Status"), lambda a: account_status_label(a.status)),
        ])
        self.accounts.setParent(self)  # Qt deletes it with the page, on this thread
        self.accounts_view = QTableView()
        self.accounts_view.setModel(self.accounts)
        self.accounts_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.accounts_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        rows = self.accounts_view.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.accounts_view.setAlternatingRowColors(True)
        header = self.accounts_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.accounts_view.selectionModel().selectionChanged.connect(self._enable)
        self.no_accounts = QLabel(_("No savings account yet."))
        self.no_accounts.setStyleSheet("color: #555;")
        self.wajib = QLabel()
        self.wajib.setObjectName("wajibArrears")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.edit_button = self._button(_("Change data…"), self.edit, Action.MEMBER_REGISTER)
        self.open_button = self._button(_("Open an account…"), self.open_account,
                                        Action.SAVINGS_OPEN)
        self.exit_button = self._button(_("Member leaves…"), self.exit_member,
                                        Action.MEMBER_EXIT)
        self.passbook_button = self._button(_("Print passbook…"), self.print_passbook,
                                            Action.PASSBOOK_PRINT)
        self.replace_button = self._button(_("Replace passbook…"), self.replace_passbook,
                                           Action.PASSBOOK_PRINT)
        self.statement_button = self._button(_("This month's statement…"), self.statement,
                                             Action.LEDGER_VIEW, writes=False)

        left_side = QWidget()
        left = QVBoxLayout(left_side)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.title)
        left.addWidget(data, 1)
        right_side = QWidget()
        right = QVBoxLayout(right_side)
        right.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(_("Savings accounts"))
        heading.setStyleSheet("font-weight: bold;")
        right.addWidget(heading)
        right.addWidget(self.accounts_view, 1)
        right.addWidget(self.no_accounts)
        right.addWidget(self.wajib)
        for buttons in ((self.passbook_button, self.replace_button, self.statement_button),
                        (self.edit_button, self.open_button, self.exit_button)):
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            for button in buttons:
                line.addWidget(button)
            line.addStretch(1)
            right.addWidget(row)
        right.addWidget(self.message)
        page = QWidget()
        columns = QHBoxLayout(page)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(left_side, 5)
        columns.addWidget(right_side, 6)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.stack)
        self._enable()

    def _button(self, text: str, slot: Callable[[], None], action: Action,
                writes: bool = True) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        allowed = is_allowed(self.session.role, action) and not (
            writes and self.session.book.read_only)
        button.setVisible(allowed)
        button.setProperty("allowed", allowed)
        return button

    def action_buttons(self) -> list[QPushButton]:
        return [self.edit_button, self.open_button, self.exit_button, self.passbook_button,
                self.replace_button, self.statement_button]

    def visible_actions(self) -> list[str]:
        """The texts of the buttons this user sees (for tests and the read-only check)."""
        return [b.text() for b in self.action_buttons() if b.property("allowed")]

    # ------------------------------------------------------------------ showing a member
    def show_member(self, row: MemberRow | None) -> None:
        self.show_row(row)

    def cleared(self) -> None:
        self.message.setText("")

    def selected(self) -> None:
        self._enable()

    def show_file(self, row: MemberRow, file: MemberFile) -> None:
        data = file.data
        self.title.setText(_("{number} · {name} ({status})").format(
            number=row.number, name=data.name, status=member_status_label(data.status)))
        birth = ", ".join(p for p in (data.birth_place, _date(data.birth_date)) if p)
        values = {
            "nik": data.nik or "–", "kk": data.kk_number or "–", "sex": sex_label(data.sex),
            "birth": birth, "address": _address(data), "phone": data.phone or "–",
            "occupation": data.occupation or "–", "business": data.business_type or "–",
            "household": _("{n} people").format(n=data.household_size)
            if data.household_size else "–",
            "dtks": _("Yes") if data.dtks else _("No"),
            "income": format_rupiah(data.monthly_income)
            if data.monthly_income is not None else "–",
            "heir": data.heir or "–", "joined": _date(data.join_date),
        }
        for key, text in values.items():
            self.values[key].setText(text)
        previous = self.selected_account()
        self.accounts.set_rows(file.accounts)
        self.no_accounts.setVisible(not file.accounts)
        self.accounts_view.setVisible(bool(file.accounts))
        if file.accounts:
            keep = next((i for i, a in enumerate(file.accounts)
                         if previous is not None and a.id == previous.id), 0)
            self.accounts_view.selectRow(keep)
        wajib = file.wajib
        if wajib.arrears_months:
            self.wajib.setText(_("Simpanan wajib arrears: {months} months ({amount})").format(
                months=wajib.arrears_months, amount=format_rupiah(wajib.arrears_amount)))
            self.wajib.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        else:
            self.wajib.setText(_("Simpanan wajib paid up ({months} months).").format(
                months=wajib.months_paid))
            self.wajib.setStyleSheet("color: #1b5e20;")
        self.stack.setCurrentIndex(1)
        self._enable()

    def show_failure(self, error: BaseException) -> None:
        self._say(str(error), error=True)

    def selected_account(self) -> AccountRow | None:
        rows = self.accounts_view.selectionModel().selectedRows()
        return self.accounts.row_at(rows[0].row()) if rows else None

    def _enable(self) -> None:
        member_active = self.file is not None and self.file.data.status != "keluar"
        account = self.selected_account() if self.file is not None else None
        account_open = account is not None and account.status == "aktif"
        idle = not self.busy
        self.edit_button.setEnabled(idle and self.file is not None)
        self.open_button.setEnabled(idle and member_active)
        self.exit_button.setEnabled(idle and member_active)
        self.passbook_button.setEnabled(idle and account_open)
        self.replace_button.setEnabled(idle and account_open)
        self.statement_button.setEnabled(idle and account is not None)

    def focus_first(self) -> None:
        """Enter on a member in the list: the keyboard moves to their accounts or actions."""
        if self.accounts_view.isVisible():
            self.accounts_view.setFocus()
            return
        for button in self.action_buttons():
            if button.isVisible() and button.isEnabled():
                button.setFocus()
                return

    def notify(self, text: str, error: bool = False) -> None:
        """A message about the member shown (cleared when another member is chosen)."""
        self._say(text, error)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "color: #1b5e20;")

    def _run(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None],
             **kwargs: Any) -> None:
        """One action at a time; its buttons wait until the worker answers."""
        self.busy = True
        self._enable()
        self.message.setText("")

        def done(result: Any) -> None:
            if self._finish():
                on_done(result)

        def failed(error: BaseException) -> None:
            if self._finish():
                self._say(str(error), error=True)
                dialogs.show_error(self, str(error))

        self.worker.submit(fn, *args, on_done=done, on_error=failed, **kwargs)

    @when_alive
    def _finish(self) -> bool:
        """The action's answer came: buttons back (False when the page is already gone)."""
        self.busy = False
        self._enable()
        return True

    def _changed(self) -> None:
        if self.row is not None:
            self.changed.emit(self.row.id)
        self.reload()

    # ------------------------------------------------------------------ member actions
    def edit(self) -> None:
        if self.row is None:
            return
        self.form = MemberForm(self.session, self.worker, self.row, self)
        self.form.saved.connect(lambda _row: self._changed())
        self.form.open()

    def open_account(self) -> None:
        if self.row is not None and self.file is not None:
            self._run(list_products, self.session, on_done=self._choose_product)

    def _choose_product(self, products: list[ProductRow]) -> None:
        assert self.row is not None and self.file is not None
        held = {a.product_code for a in self.file.accounts if a.status == "aktif"}
        offer = [p for p in products
                 if p.active and not (p.kind in ONE_PER_MEMBER and p.code in held)]
        if not offer:
            dialogs.show_info(self, _("{name} already has every kind of account.").format(
                name=self.row.name))
            return
        index = ask_choice(self, _("Open an account"), _("Product for {name}:").format(
            name=self.row.name), [f"{p.name} ({p.code})" for p in offer])
        if index is None:
            return
        self._run(open_account, self.session, self.row.id, offer[index].code,
                  on_done=self._account_opened)

    def _account_opened(self, account: AccountRow) -> None:
        self._say(_("Account {number} ({product}) opened.").format(
            number=account.number, product=account.product_name))
        self._changed()

    def exit_member(self) -> None:
        if self.row is None or self.file is None:
            return
        row = self.row
        total = sum(a.balance for a in self.file.accounts if a.status == "aktif")
        if not dialogs.ask_yes_no(self, _(
                "{name} ({number}) leaves the BMT: all savings ({amount}) are paid out in cash "
                "from your drawer and the accounts are closed. Continue?").format(
                name=row.name, number=row.number, amount=format_rupiah(total))):
            return
        reason = ask_text(self, _("Member leaves"), _("Reason {name} leaves:").format(
            name=row.name))
        if not reason:
            return
        self._run(exit_member, self.session, row.id, reason, request_id=uuid.uuid4().hex,
                  on_done=lambda posted: self._left(row, posted))

    def _left(self, row: MemberRow, posted: Any) -> None:
        if posted is None:
            self._say(_("{name} has left; there were no savings to pay out.").format(
                name=row.name))
        else:
            self._say(_("{name} has left; {amount} paid out (document {doc}).").format(
                name=row.name, amount=format_rupiah(posted.total), doc=posted.doc_number))
        self._changed()

    # ------------------------------------------------------------------ account actions
    def print_passbook(self) -> None:
        account = self.selected_account()
        if account is not None:
            self._run(passbook_pending, self.session, account.number, passbook_layout(),
                      on_done=lambda result: self._passbook_ready(account, *result))

    def _passbook_ready(self, account: AccountRow, plan: PassbookPrintPlan,
                        pdf: bytes | None) -> None:
        if pdf is None or plan.is_empty:
            dialogs.show_info(self, _("Every line of {number} is already printed.").format(
                number=account.number))
            return
        first_page, first_lines = plan.pages[0]
        turns = list(plan.needs_new_page_before)
        if turns:
            steps = []
            if turns[0] == first_page:
                steps.append(_("Turn the passbook to page {page} and insert it before "
                               "printing: the lines start on line 1.").format(page=first_page))
                turns = turns[1:]
            else:
                steps.append(_("Insert the passbook at page {page}: the lines start on line "
                               "{line}.").format(page=first_page, line=first_lines[0][0]))
            if turns:
                steps.append(_("The lines continue on page {pages}: when the printer stops, "
                               "turn the page and insert the book again.").format(
                    pages=", ".join(str(p) for p in turns)))
            dialogs.show_info(self, "\n\n".join(steps))
        title = _("Passbook {number}, page {page} from line {line}").format(
            number=account.number, page=first_page, line=first_lines[0][0])
        if not show_preview(self, pdf, title, DocumentKind.PASSBOOK):
            self._say(_("Nothing was printed; the passbook record is unchanged."))
            return
        if not dialogs.ask_yes_no(self, _("Were the lines printed correctly?")):
            self._say(_("The lines stay unprinted in the record; print them again when the "
                        "book is ready."))
            return
        self._run(confirm_passbook_printed, self.session, account.number, plan,
                  on_done=lambda _none: self._passbook_done(account, plan))

    def _passbook_done(self, account: AccountRow, plan: PassbookPrintPlan) -> None:
        self._say(_("Passbook {number} now ends on page {page}, line {line}.").format(
            number=account.number, page=plan.end.page, line=plan.end.line))
        self.reload()

    def replace_passbook(self) -> None:
        account = self.selected_account()
        if account is None:
            return
        reason = ask_text(self, _("Replace passbook"), _(
            "Why is the passbook of {number} replaced (lost, full, damaged)?").format(
            number=account.number))
        if reason:
            self._run(replace_passbook, self.session, account.number, reason,
                      on_done=lambda pdf: self._replaced(account, pdf))

    def _replaced(self, account: AccountRow, pdf: bytes) -> None:
        self._say(_("New passbook for {number}: printing starts again on page 1, line 1.")
                  .format(number=account.number))
        show_preview(self, pdf, _("Identity page of the new passbook {number}").format(
            number=account.number), DocumentKind.PASSBOOK)
        self.reload()

    def statement(self) -> None:
        account = self.selected_account()
        if account is None:
            return
        today = self.session.today
        self._run(statement_pdf, self.session, account.number, today.year, today.month,
                  on_done=lambda pdf: show_preview(
                      self, pdf, _("Statement {number} {month}").format(
                          number=account.number,
                          month=format_date(today, "MMMM y", locale="id")),
                      DocumentKind.A4))
