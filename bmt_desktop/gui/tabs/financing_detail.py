"""One financing under the list: its akad terms, the schedule with what is paid and left
(overdue instalments in red), the postings, charges, the Kube members' shares, collateral and
history, and the actions the user's role may take in its present state.

Every action runs one service call on the serial worker; the file reloads afterwards and
``changed`` tells the list. Nothing that writes is shown on a read-only book.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.permissions import Action
from bmt_desktop.gui import dialogs
from bmt_desktop.gui.tabs import financing_actions as actions
from bmt_desktop.gui.tabs import teller_forms
from bmt_desktop.gui.tabs.drawer_dialogs import may
from bmt_desktop.gui.tabs.financing_common import (
    MUTED_FG,
    OVERDUE_BG,
    OVERDUE_FG,
    PAID_FG,
    WARN_FG,
    ColouredModel,
    FillLayout,
    Strip,
    akad_label,
    charge_label,
    date_text,
    freq_text,
    klass_text,
    money,
    pct_text,
    posting_label,
    scrolled,
    selected_row,
    status_label,
    table,
    terms_text,
)
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.record_panel import RecordPanel
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.tabs.teller_forms import ERROR_STYLE, GOOD_STYLE, error_text
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import financing, financing_payments
from bmt_desktop.services.documents import receipt_pdf
from bmt_desktop.services.financing_queries import (
    ChargeLine,
    FinancingDetail,
    Posting,
    ScheduleLine,
    detail,
)
from bmt_desktop.services.session import Session

HINT_STYLE = "color: #555;"
PROFIT_SHARING = ("mudharabah", "musyarakah")


def history_label(action: str) -> str:
    """An audit action code as the user reads it."""
    return {
        "financing.apply": _("application submitted"),
        "financing.approve": _("application approved"),
        "financing.reject": _("application rejected"),
        "financing.cancel": _("application cancelled"),
        "financing.disburse": _("disbursed"),
        "financing.settled": _("repaid in full"),
        "financing.early_settlement": _("settled early"),
        "financing.tazir": _("ta'zir imposed"),
        "financing.tawidh": _("ta'widh recorded"),
        "financing.bagi_hasil": _("profit share due"),
        "financing.waive": _("charge waived"),
        "financing.profit_report": _("profit reported"),
        "financing.reschedule_request": _("rescheduling requested"),
        "financing.reschedule_approve": _("rescheduling approved"),
        "financing.reschedule_reject": _("rescheduling rejected"),
        "financing.write_off": _("written off"),
        "financing.reversal": _("posting reversed"),
    }.get(action, action)


def show_document(pdf: bytes, title: str, parent: QWidget | None) -> None:
    """An A4 document (the akad summary) on screen with Print; tests replace it."""
    from bmt_desktop.gui.page_setup import DocumentKind
    from bmt_desktop.gui.pdf_preview import PdfPreviewDialog

    dialog = PdfPreviewDialog(pdf, title, DocumentKind.A4, parent)
    dialog.resize(900, 760)
    dialog.exec()


def akad_document(session: Session, financing_id: int) -> bytes:
    """The akad summary PDF (on the worker)."""
    from bmt_desktop.services.akad import akad_pdf

    return akad_pdf(session, financing_id)


def _when(timestamp: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(timestamp).astimezone()
    except ValueError:
        return timestamp
    return f"{format_date_id(moment.date())} {moment:%H:%M}"


def _schedule_colour(line: ScheduleLine) -> tuple[Any, Any]:
    if line.overdue:
        return OVERDUE_BG, OVERDUE_FG
    if not line.left:
        return None, PAID_FG
    return None, None


def _posting_colour(posting: Posting) -> tuple[Any, Any]:
    if posting.reversed_by or posting.kind == "storno":
        return None, MUTED_FG
    return None, None


def _charge_colour(charge: ChargeLine) -> tuple[Any, Any]:
    if charge.waived:
        return None, MUTED_FG
    if not charge.left:
        return None, PAID_FG
    return None, WARN_FG


def _charge_state(charge: ChargeLine) -> str:
    if charge.waived:
        return _("waived {date} by {name}: {reason}").format(
            date=date_text(charge.waived_on), name=charge.waived_by, reason=charge.waive_reason)
    return _("paid") if not charge.left else _("open")


def _part(posting: Posting, amount: int) -> str:
    """A repaid part of a posting; "–" on one that repays nothing (a disbursement)."""
    if not amount and posting.kind in ("pencairan", "hapus_buku", "pemulihan"):
        return "–"
    return money(amount)


def _posting_note(posting: Posting) -> str:
    if posting.reversed_by:
        return _("reversed by {number}").format(number=posting.reversed_by)
    if posting.reverses:
        return _("reverses {number}").format(number=posting.reverses)
    if posting.discount:
        return _("margin not charged {amount}").format(amount=format_rupiah(posting.discount))
    if posting.admin_fee:
        return _("admin fee {amount}").format(amount=format_rupiah(posting.admin_fee))
    return ""


class _Grid(QWidget):
    """Label–value pairs in two independent columns; values selectable and wrapped."""

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.values: dict[str, QLabel] = {}
        columns = QHBoxLayout(self)
        columns.setContentsMargins(4, 4, 4, 4)
        columns.setSpacing(24)
        half = (len(keys) + 1) // 2
        for part in (keys[:half], keys[half:]):
            grid = QGridLayout()
            grid.setHorizontalSpacing(12)
            grid.setVerticalSpacing(3)
            for row, (key, text) in enumerate(part):
                caption = QLabel(text)
                caption.setStyleSheet(HINT_STYLE)
                value = QLabel()
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                value.setWordWrap(True)
                grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(value, row, 1, Qt.AlignmentFlag.AlignTop)
                self.values[key] = value
            grid.setColumnStretch(1, 1)
            grid.setRowStretch(len(part), 1)
            columns.addLayout(grid, 1)

    def set(self, key: str, text: str) -> None:
        self.values[key].setText(text or "–")


def _page(*widgets: QWidget, stretch: dict[int, int] | None = None) -> QWidget:
    """A sub-tab: the widgets in a column, the first (or those in ``stretch``) growing."""
    page = QWidget()
    column = QVBoxLayout(page)
    column.setContentsMargins(4, 4, 4, 4)
    weights = stretch if stretch is not None else {0: 1}
    for i, widget in enumerate(widgets):
        column.addWidget(widget, weights.get(i, 0))
    return scrolled(page)


def _bar(*widgets: QWidget) -> QWidget:
    bar = QWidget()
    line = QHBoxLayout(bar)
    line.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        line.addWidget(widget)
    line.addStretch(1)
    return bar


class FinancingPanel(RecordPanel):
    """The chosen financing; ``show_financing(row)`` with any object that has an ``id``."""

    changed = Signal(int)  # a financing changed: the list reloads

    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__(session, worker, detail)
        self.file: FinancingDetail | None = None
        self.busy = False
        self.dialog: QDialog | None = None
        self.empty_text = _("Choose a financing in the list to see its akad, schedule and "
                            "payments.")
        self.empty = QLabel(self.empty_text)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(HINT_STYLE)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("financingMessage")

        self.terms = _Grid([
            ("akad", _("Akad")), ("product", _("Product")), ("principal", _("Principal")),
            ("terms", _("Margin / nisbah")), ("margin", _("Margin total")),
            ("tenor", _("Instalments")), ("instalment", _("Instalment")),
            ("fee", _("Admin fee")), ("tazir", _("Ta'zir in the akad")),
            ("goods", _("Goods")), ("supplier", _("Supplier")), ("cost", _("Cost price")),
            ("purpose", _("Purpose")), ("income", _("Income / expenses a month")),
            ("burden", _("Instalment burden")), ("coordinator", _("Coordinator's approval")),
            ("applied", _("Submitted")), ("decided", _("Decided")),
            ("disbursed", _("Disbursed")), ("closed", _("Closed")),
            ("assessment", _("Assessment")),
        ])
        self.schedule = ColouredModel([
            Column(_("No."), lambda s: str(s.number), lambda s: s.number, numeric=True),
            Column(_("Due date"), lambda s: date_text(s.due_on), lambda s: s.due_on.isoformat()),
            Column(_("Principal"), lambda s: money(s.principal), lambda s: s.principal, True),
            Column(_("Margin"), lambda s: money(s.margin), lambda s: s.margin, True),
            Column(_("Instalment"), lambda s: money(s.amount), lambda s: s.amount, True),
            Column(_("Paid"), lambda s: money(s.paid), lambda s: s.paid, True),
            Column(_("Left"), lambda s: money(s.left), lambda s: s.left, True),
            Column(_("State"), lambda s: _("late") if s.overdue else (
                _("paid") if not s.left else (_("partly paid") if s.paid else ""))),
        ], _schedule_colour, self)
        self.schedule_view = table(self.schedule, 7)
        self.versions_note = QLabel()
        self.versions_note.setStyleSheet(HINT_STYLE)
        self.versions_note.setWordWrap(True)

        self.postings = ColouredModel([
            Column(_("Document"), lambda p: p.doc_number),
            Column(_("Date"), lambda p: date_text(p.date), lambda p: p.date.isoformat()),
            Column(_("Kind"), lambda p: posting_label(p.kind)),
            Column(_("Principal"), lambda p: _part(p, p.principal), lambda p: p.principal, True),
            Column(_("Margin"), lambda p: _part(p, p.margin), lambda p: p.margin, True),
            Column(_("Charges"), lambda p: _part(p, p.charges), lambda p: p.charges, True),
            Column(_("Amount"), lambda p: money(p.amount), lambda p: p.amount, True),
            Column(_("Paid by"), lambda p: p.member_name or "–"),
            Column(_("Note"), _posting_note),
        ], _posting_colour, self)
        self.postings_view = table(self.postings, 8)
        self.receipt_button = self._button(_("Print receipt…"), self.print_receipt,
                                           Action.PASSBOOK_PRINT, writes=False)
        self.charges = ColouredModel([
            Column(_("Kind"), lambda c: charge_label(c.kind)),
            Column(_("Date"), lambda c: date_text(c.charged_on), lambda c: c.charged_on),
            Column(_("Amount"), lambda c: money(c.amount), lambda c: c.amount, True),
            Column(_("Paid"), lambda c: money(c.paid), lambda c: c.paid, True),
            Column(_("Left"), lambda c: money(c.left), lambda c: c.left, True),
            Column(_("Reason"), lambda c: c.reason),
            Column(_("By"), lambda c: c.imposed_by),
            Column(_("State"), _charge_state),
        ], _charge_colour, self)
        self.charges_view = table(self.charges, 5)
        self.shares = RowsModel([
            Column(_("Member"), lambda s: s.member_number),
            Column(_("Name"), lambda s: s.member_name),
            Column(_("Share"), lambda s: money(s.amount), lambda s: s.amount, True),
            Column(_("Of the principal left"), lambda s: money(s.outstanding),
                   lambda s: s.outstanding, True),
            Column(_("Of everything owed"), lambda s: money(s.owed), lambda s: s.owed, True),
            Column(_("Paid by the member"), lambda s: money(s.paid), lambda s: s.paid, True),
        ], self)
        self.shares_view = table(self.shares, 1)
        self.shares_note = QLabel()
        self.shares_note.setStyleSheet(HINT_STYLE)
        self.shares_note.setWordWrap(True)
        self.collateral = RowsModel([
            Column(_("Collateral"), lambda c: c.description),
            Column(_("Value"), lambda c: money(c.value), lambda c: c.value, True),
            Column(_("Eligible value"), lambda c: money(c.eligible_value),
                   lambda c: c.eligible_value, True),
        ], self)
        self.collateral_view = table(self.collateral, 0)
        self.reschedules = RowsModel([
            Column(_("Requested"), lambda r: date_text(r.requested_on)),
            Column(_("By"), lambda r: r.requested_by),
            Column(_("Instalments"), lambda r: f"{r.instalments} × {freq_text(r.frequency)}"),
            Column(_("First due"), lambda r: date_text(r.first_due_on)),
            Column(_("Reason"), lambda r: r.reason),
            Column(_("Decision"), lambda r: status_label(r.status) if r.status == "menunggu"
                   else f"{status_label(r.status)} · {r.decided_by} · "
                        f"{date_text(r.decided_on)} {r.decision_reason}".strip()),
        ], self)
        self.reschedules_view = table(self.reschedules, 4)
        self.profits = RowsModel([
            Column(_("Period ending"), lambda p: date_text(p.period_end)),
            Column(_("Realised profit"), lambda p: money(p.realised_profit),
                   lambda p: p.realised_profit, True),
            Column(_("BMT's share"), lambda p: money(p.share_due), lambda p: p.share_due, True),
            Column(_("Reported by"), lambda p: p.reported_by),
        ], self)
        self.profits_view = table(self.profits, 3)
        self.history = RowsModel([
            Column(_("When"), lambda h: _when(h.when), lambda h: h.when),
            Column(_("User"), lambda h: h.user),
            Column(_("What"), lambda h: history_label(h.action)),
        ], self)
        self.history_view = table(self.history, 2)

        self.pages = QTabWidget()
        self.akad_button = self._button(_("Print akad…"), self.print_akad, Action.LEDGER_VIEW,
                                        writes=False)
        self.pages.addTab(_page(self.terms, _bar(self.akad_button)), _("Akad"))
        self.pages.addTab(_page(self.schedule_view, self.versions_note), _("Schedule"))
        self.pages.addTab(_page(self.postings_view, _bar(self.receipt_button)), _("Payments"))
        self.charge_buttons = _bar()
        self.pages.addTab(_page(self.charges_view, self.charge_buttons), _("Charges"))
        self.shares_page = _page(self.shares_view, self.shares_note)
        self.pages.addTab(self.shares_page, _("Members' shares"))
        self.pages.addTab(_page(self.collateral_view), _("Collateral"))
        reschedule_caption = QLabel(_("Rescheduling"))
        reschedule_caption.setStyleSheet("font-weight: bold;")
        self.profit_caption = QLabel(_("Profit reports"))
        self.profit_caption.setStyleSheet("font-weight: bold;")
        history_caption = QLabel(_("Decisions and events"))
        history_caption.setStyleSheet("font-weight: bold;")
        self.pages.addTab(_page(history_caption, self.history_view, reschedule_caption,
                                self.reschedules_view, self.profit_caption, self.profits_view,
                                stretch={1: 3, 3: 1, 5: 1}), _("History"))

        # Actions: the teller's first, then the manager's.
        self.approve_button = self._button(_("Approve"), self.approve, Action.FINANCING_APPROVE)
        self.reject_button = self._button(_("Reject…"), self.reject, Action.FINANCING_APPROVE)
        self.cancel_button = self._button(_("Cancel application…"), self.cancel,
                                          Action.FINANCING_APPLY)
        self.disburse_button = self._button(_("Disburse…"), self.disburse,
                                            Action.FINANCING_DISBURSE)
        self.repay_button = self._button(_("Instalment…"), self.repay, Action.CASH_TRANSACTION)
        self.settle_button = self._button(_("Early settlement…"), self.settle,
                                          Action.CASH_TRANSACTION)
        self.recover_button = self._button(_("Recovery…"), self.recover,
                                           Action.CASH_TRANSACTION)
        self.profit_button = self._button(_("Profit report…"), self.report_profit,
                                          Action.FINANCING_APPLY)
        self.reschedule_button = self._button(_("Reschedule…"), self.reschedule,
                                              Action.FINANCING_APPLY)
        self.tazir_button = self._button(_("Ta'zir…"), self.tazir, Action.FINANCING_APPROVE)
        self.tawidh_button = self._button(_("Ta'widh…"), self.tawidh, Action.FINANCING_APPROVE)
        self.waive_button = self._button(_("Waive charge…"), self.waive,
                                         Action.FINANCING_APPROVE)
        self.write_off_button = self._button(_("Write off…"), self.write_off,
                                             Action.FINANCING_WRITE_OFF)
        self.charge_buttons.layout().insertWidget(0, self.waive_button)
        teller_row = _bar(self.disburse_button, self.repay_button, self.settle_button,
                          self.recover_button, self.profit_button, self.cancel_button)
        manager_row = _bar(self.approve_button, self.reject_button, self.reschedule_button,
                           self.tazir_button, self.tawidh_button, self.write_off_button)

        page = QWidget()
        column = FillLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.summary)
        column.addWidget(self.pages, 1)
        column.addWidget(Strip(teller_row))
        column.addWidget(Strip(manager_row))
        column.addWidget(self.message)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(scrolled(page))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.stack)
        self.pages.currentChanged.connect(lambda _i: self._scroll_schedule())
        self.postings_view.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.charges_view.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self._enable()

    def _button(self, text: str, slot: Callable[[], None], action: Action,
                writes: bool = True) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        allowed = may(self.session, action, writes=writes)
        button.setVisible(allowed)
        button.setProperty("allowed", allowed)
        return button

    def action_buttons(self) -> list[QPushButton]:
        """The buttons that change the book (printing a receipt only reads it)."""
        return [self.approve_button, self.reject_button, self.cancel_button,
                self.disburse_button, self.repay_button, self.settle_button,
                self.recover_button, self.profit_button, self.reschedule_button,
                self.tazir_button, self.tawidh_button, self.waive_button,
                self.write_off_button]

    def visible_actions(self) -> list[str]:
        """The texts of the write buttons this user may see (for tests and the read-only
        check)."""
        return [b.text() for b in self.action_buttons() if b.property("allowed")]

    # ------------------------------------------------------------------ showing
    def show_financing(self, row: Any) -> None:
        self.show_row(row)

    def cleared(self) -> None:
        self.say("")
        self.empty.setText(self.empty_text)

    def selected(self) -> None:
        self._enable()

    def show_file(self, row: Any, file: FinancingDetail) -> None:
        self.title.setText(f"{file.number} · {file.applicant} ({file.applicant_code}) · "
                           f"{status_label(file.status)}")
        self.summary.setText(self._summary(file))
        self._show_terms(file)
        self.schedule.set_rows(file.schedule)
        QTimer.singleShot(0, self._scroll_schedule)
        versions = [_("version {n} from {date}: {count} instalments ({reason})").format(
            n=v.version, date=date_text(v.started_on), count=len(v.lines), reason=v.reason)
            for v in file.versions]
        self.versions_note.setText(_("Earlier schedules kept: {list}").format(
            list="; ".join(versions)) if versions else "")
        self.versions_note.setVisible(bool(versions))
        self.postings.set_rows(file.postings)
        self.charges.set_rows(file.charges)
        self.shares.set_rows(file.shares)
        self.shares_note.setText(_("Joint liability (tanggung renteng): the Kube stands "
                                   "guarantor for the whole financing. Paid without naming a "
                                   "member: {amount}.").format(amount=format_rupiah(
                                       file.group_paid)))
        self.pages.setTabVisible(self.pages.indexOf(self.shares_page), bool(file.shares))
        self.collateral.set_rows(file.collateral)
        self.reschedules.set_rows(file.reschedules)
        self.profits.set_rows(file.profit_reports)
        self.profit_caption.setVisible(file.akad in PROFIT_SHARING)
        self.profits_view.setVisible(file.akad in PROFIT_SHARING)
        self.history.set_rows(file.history)
        self.stack.setCurrentIndex(1)
        self._enable()

    @when_alive
    def _scroll_schedule(self) -> None:
        """The instalments still open in view, not the paid ones above them."""
        first_open = next((i for i in range(self.schedule.rowCount())
                           if self.schedule.row_at(i).left), None)
        if first_open is not None:
            self.schedule_view.scrollTo(self.schedule.index(first_open, 0),
                                        QTableView.ScrollHint.PositionAtTop)

    def _summary(self, f: FinancingDetail) -> str:
        head = f"{f.product_name} · {akad_label(f.akad)} · {format_rupiah(f.principal)} · " \
               f"{terms_text(f.rate_bp, f.nisbah_pct, f.akad)} · " \
               f"{f.instalments} × {freq_text(f.frequency)}"
        if f.status == "cair":
            parts = [_("Principal left <b>{amount}</b>").format(
                         amount=format_rupiah(f.left_principal)),
                     _("margin left {amount}").format(amount=format_rupiah(f.left_margin)),
                     _("charges {amount}").format(amount=format_rupiah(f.charges_left)),
                     _("owed in all <b>{amount}</b>").format(amount=format_rupiah(f.owed))]
            if f.next_due_on is not None:
                parts.append(_("next {date}: {amount}").format(
                    date=date_text(f.next_due_on), amount=format_rupiah(f.next_due_amount)))
            state = " · ".join(parts)
            if f.days_overdue:
                state += "<br><span style='color:#b00020; font-weight:bold'>" + _(
                    "{days} days late, arrears {amount} · {klass}").format(
                    days=f.days_overdue, amount=format_rupiah(f.arrears),
                    klass=klass_text(f.klass)) + "</span>"
            else:
                state += " · <span style='color:#1b7f3b'>" + klass_text(f.klass) + "</span>"
            return f"{head}<br>{state}"
        if f.status == "hapus_buku":
            return f"{head}<br>" + _("Written off {amount}; recovered {recovered}.").format(
                amount=format_rupiah(f.written_off), recovered=format_rupiah(f.recovered))
        if f.status == "pengajuan":
            return f"{head}<br>" + _("Waits for a manager's decision (submitted by {name}).")\
                .format(name=f.submitted_by)
        return head

    def _show_terms(self, f: FinancingDetail) -> None:
        t = self.terms
        t.set("akad", akad_label(f.akad) + (f" ({f.method})" if f.akad == "murabahah" else ""))
        t.set("product", f"{f.product_name} ({f.product_code})")
        t.set("principal", format_rupiah(f.principal))
        t.set("terms", terms_text(f.rate_bp, f.nisbah_pct, f.akad))
        t.set("margin", format_rupiah(f.margin_total) + (
            " · " + _("not charged {amount}").format(amount=format_rupiah(f.margin_discount))
            if f.margin_discount else ""))
        t.set("tenor", f"{f.instalments} × {freq_text(f.frequency)}")
        t.set("instalment", money(f.instalment) if f.instalment else "–")
        t.set("fee", format_rupiah(f.admin_fee))
        t.set("tazir", format_rupiah(f.tazir_amount))
        t.set("goods", f.goods)
        t.set("supplier", f.supplier)
        t.set("cost", format_rupiah(f.cost_price) if f.cost_price else "")
        t.set("purpose", f.purpose)
        t.set("income", f"{format_rupiah(f.monthly_income)} / {format_rupiah(f.monthly_expense)}")
        burden = pct_text(f.burden) if f.burden is not None else _("no surplus")
        over = f.burden is None or f.burden * 100 > f.max_burden_pct
        t.set("burden", burden + (" · " + _("above {pct} %").format(pct=f.max_burden_pct)
                                  if over else ""))
        t.values["burden"].setStyleSheet(ERROR_STYLE if over else "")
        t.set("coordinator", f"{f.coordinator_name}, {date_text(f.coordinator_approved_on)}"
              if f.coordinator_name else "")
        t.set("applied", _("{date} by {name}").format(date=date_text(f.applied_on),
                                                       name=f.submitted_by))
        decided = ""
        if f.decided_by:
            decided = _("{date} by {name}").format(date=date_text(f.decided_on),
                                                   name=f.decided_by)
            if f.decision_reason:
                decided += f": {f.decision_reason}"
        elif f.decision_reason:
            decided = f.decision_reason
        t.set("decided", decided)
        disbursed = ""
        if f.disbursed_on:
            disbursed = date_text(f.disbursed_on) + " · " + (
                _("into savings {number}").format(number=f.savings_account)
                if f.disbursed_to == "tabungan" else _("in cash"))
            if f.first_due_on:
                disbursed += " · " + _("first due {date}").format(date=date_text(f.first_due_on))
        t.set("disbursed", disbursed)
        t.set("closed", date_text(f.closed_on) if f.closed_on else "")
        t.set("assessment", f.assessment)

    def show_failure(self, error: BaseException) -> None:
        self.say(error_text(error), ERROR_STYLE)
        if self.stack.currentWidget() is self.empty:
            self.empty.setText(error_text(error))

    def say(self, text: str, style: str = GOOD_STYLE) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)
        self.message.setVisible(bool(text))

    def _enable(self) -> None:
        f = self.file
        status = f.status if f is not None else ""
        idle = not self.busy and f is not None
        own = f is not None and f.submitted_by_id == self.session.user_id
        self.approve_button.setEnabled(idle and status == "pengajuan" and not own)
        self.approve_button.setToolTip(_("You submitted this application; another manager "
                                         "must decide it.") if own else "")
        self.reject_button.setEnabled(idle and status == "pengajuan" and not own)
        self.reject_button.setToolTip(self.approve_button.toolTip())
        self.cancel_button.setEnabled(idle and status in ("pengajuan", "disetujui"))
        self.disburse_button.setEnabled(idle and status == "disetujui")
        self.repay_button.setEnabled(idle and status == "cair")
        self.settle_button.setEnabled(idle and status == "cair")
        self.recover_button.setEnabled(idle and status == "hapus_buku" and f is not None
                                       and f.written_off > f.recovered)
        profit_sharing = f is not None and f.akad in PROFIT_SHARING
        self.profit_button.setVisible(bool(self.profit_button.property("allowed"))
                                      and (f is None or profit_sharing))
        self.profit_button.setEnabled(idle and status == "cair" and profit_sharing)
        waiting = f is not None and f.waiting_reschedule is not None
        self.reschedule_button.setEnabled(idle and status == "cair" and not waiting)
        self.reschedule_button.setToolTip(_("A rescheduling already waits for a decision.")
                                          if waiting else "")
        late = f is not None and f.days_overdue > 0
        self.tazir_button.setEnabled(idle and status == "cair" and late
                                     and f is not None and f.tazir_amount > 0)
        self.tawidh_button.setEnabled(idle and status == "cair" and f is not None
                                      and f.akad in ("murabahah", "ijarah"))
        charge = selected_row(self.charges_view) if f is not None else None
        self.waive_button.setEnabled(idle and charge is not None and charge.left > 0)
        macet = f is not None and f.klass == "macet"
        self.write_off_button.setEnabled(idle and status == "cair" and macet)
        self.write_off_button.setToolTip(
            "" if macet else _("Only a financing in class Macet is written off."))
        self.receipt_button.setEnabled(idle and selected_row(self.postings_view) is not None)
        self.akad_button.setEnabled(idle and status in ("disetujui", "cair", "lunas",
                                                        "hapus_buku"))

    # ------------------------------------------------------------------ running actions
    def _run(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None],
             **kwargs: Any) -> None:
        """One action at a time; its buttons wait until the worker answers."""
        self.busy = True
        self._enable()
        self.say("")

        def done(result: Any) -> None:
            if self._finish():
                on_done(result)

        def failed(error: BaseException) -> None:
            if self._finish():
                self.say(error_text(error), ERROR_STYLE)
                dialogs.show_error(self, error_text(error))

        self.worker.submit(fn, self.session, *args, on_done=done, on_error=failed, **kwargs)

    @when_alive
    def _finish(self) -> bool:
        self.busy = False
        self._enable()
        return True

    def after_change(self, text: str) -> None:
        self.say(text)
        if self.row is not None:
            self.changed.emit(self.row.id)
        self.reload()

    def _open(self, dialog: QDialog, done: Callable[[Any], None]) -> None:
        self.dialog = dialog
        dialog.succeeded.connect(done)  # type: ignore[attr-defined]
        dialog.open()

    # ------------------------------------------------------------------ the actions
    def approve(self) -> None:
        f = self.file
        if f is None or f.status != "pengajuan":
            return
        if not dialogs.ask_yes_no(self, _("Approve {number} for {name}: {amount}, {n} × "
                                          "{freq}?").format(
                number=f.number, name=f.applicant, amount=format_rupiah(f.principal),
                n=f.instalments, freq=freq_text(f.frequency))):
            return
        self._run(financing.decide, f.id, True, on_done=lambda _none: self.after_change(
            _("{number} is approved.").format(number=f.number)))

    def reject(self) -> None:
        f = self.file
        if f is None:
            return
        reason = actions.ask_reason(self, _("Reject {number}").format(number=f.number),
                                    _("Why is the application rejected?"))
        if reason:
            self._run(financing.decide, f.id, False, reason,
                      on_done=lambda _none: self.after_change(
                          _("{number} is rejected.").format(number=f.number)))

    def cancel(self) -> None:
        f = self.file
        if f is None:
            return
        reason = actions.ask_reason(self, _("Cancel {number}").format(number=f.number),
                                    _("Why is the application withdrawn?"))
        if reason:
            self._run(financing.cancel, f.id, reason, on_done=lambda _none: self.after_change(
                _("{number} is cancelled.").format(number=f.number)))

    def disburse(self) -> None:
        if self.file is not None:
            self._open(actions.DisburseDialog(self.session, self.worker, self.file, self),
                       lambda posted: self.after_change(_("Disbursed as {number}.").format(
                           number=posted.doc_number)))

    def repay(self) -> None:
        if self.file is not None:
            self._open(actions.RepayDialog(self.session, self.worker, self.file, self),
                       lambda posted: self.after_change(
                           _("Instalment of {amount} received as {number}.").format(
                               amount=format_rupiah(posted.total), number=posted.doc_number)))

    def settle(self) -> None:
        if self.file is not None:
            self._open(actions.SettleDialog(self.session, self.worker, self.file, self),
                       lambda posted: self.after_change(_("Settled early as {number}.").format(
                           number=posted.doc_number)))

    def recover(self) -> None:
        if self.file is not None:
            self._open(actions.RecoverDialog(self.session, self.worker, self.file, self),
                       lambda posted: self.after_change(_("Recovery received as {number}.")
                                                        .format(number=posted.doc_number)))

    def report_profit(self) -> None:
        if self.file is not None:
            self._open(actions.ProfitDialog(self.session, self.worker, self.file, self),
                       lambda share: self.after_change(_("Profit recorded; the BMT's share "
                                                         "{amount} is due.").format(
                           amount=format_rupiah(share))))

    def reschedule(self) -> None:
        if self.file is not None:
            self._open(actions.RescheduleDialog(self.session, self.worker, self.file, self),
                       lambda _id: self.after_change(_("Rescheduling requested; another "
                                                       "manager decides it.")))

    def tawidh(self) -> None:
        if self.file is not None:
            self._open(actions.TawidhDialog(self.session, self.worker, self.file, self),
                       lambda _id: self.after_change(_("Ta'widh recorded.")))

    def tazir(self) -> None:
        f = self.file
        if f is None:
            return
        reason = actions.ask_reason(self, _("Ta'zir on {number}").format(number=f.number), _(
            "The akad sets a ta'zir of {amount}, for a member able to pay who delays on "
            "purpose (never for hardship); it goes to the social fund. Why?").format(
            amount=format_rupiah(f.tazir_amount)))
        if reason:
            self._run(financing_payments.impose_tazir, f.id, reason,
                      on_done=lambda _id: self.after_change(_("Ta'zir imposed.")))

    def waive(self) -> None:
        charge = selected_row(self.charges_view)
        if charge is None or self.file is None:
            return
        reason = actions.ask_reason(self, _("Waive a charge"), _(
            "Waive what is left of the {kind} ({amount})? Reason:").format(
            kind=charge_label(charge.kind), amount=format_rupiah(charge.left)))
        if reason:
            self._run(financing_payments.waive_charge, charge.id, reason,
                      on_done=lambda _none: self.after_change(_("Charge waived.")))

    def write_off(self) -> None:
        f = self.file
        if f is None:
            return
        if not dialogs.ask_yes_no(self, _(
                "Write off {number}: principal {amount} leaves the balance sheet (the reserve "
                "first). The member still owes it; recoveries are recorded as they come. "
                "Continue?").format(number=f.number, amount=format_rupiah(f.left_principal))):
            return
        reason = actions.ask_reason(self, _("Write off {number}").format(number=f.number),
                                    _("Reason for the write-off:"))
        if reason:
            self._run(financing_payments.write_off, f.id, reason,
                      on_done=lambda posted: self.after_change(_("Written off as {number}.")
                                                               .format(number=posted.doc_number)))

    def print_receipt(self) -> None:
        posting = selected_row(self.postings_view)
        if posting is None:
            return
        self._run(receipt_pdf, posting.doc_number, member_id=posting.member_id
                  if self.file is not None and self.file.kube_id is not None else None,
                  on_done=lambda pdf: teller_forms.show_preview(
                      pdf, _("Receipt {number}").format(number=posting.doc_number), self))


    def print_akad(self) -> None:
        f = self.file
        if f is not None:
            self._run(akad_document, f.id, on_done=lambda pdf: show_document(
                pdf, _("Akad {number}").format(number=f.number), self))


class FinancingDialog(QDialog):
    """One financing's panel in its own window (from a Kube's page)."""

    def __init__(self, session: Session, worker: Worker, row: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Financing {number}").format(number=row.number))
        self.panel = FinancingPanel(session, worker)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        self.resize(1000, 640)
        self.panel.show_financing(row)

