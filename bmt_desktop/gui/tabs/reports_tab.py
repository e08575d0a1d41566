"""Laporan: every report of the book by group (searchable by typing), the account balances
of today, the book's verification, the members' statements in one batch, and for the
manager the month-end and year-end closings."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.permissions import Action, is_allowed
from bmt_desktop.gui.ledger_view import TrialBalanceModel, configure_trial_balance_view
from bmt_desktop.gui.tabs.base import Tab
from bmt_desktop.gui.tabs.report_page import Entry, ReportPage, catalog
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services.ledger import AccountBalance, trial_balance
from bmt_desktop.services.maintenance import BookCheck, check_book, check_report_pdf
from bmt_desktop.services.session import Session


class TrialBalancePage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.table = QTableView()
        configure_trial_balance_view(self.table, TrialBalanceModel([]))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(_("Account balances today"))
        title.setStyleSheet("font-size: 12pt; font-weight: bold;")
        layout.addWidget(title)
        layout.addWidget(self.table)

    def show_rows(self, rows: list[AccountBalance]) -> None:
        configure_trial_balance_view(self.table, TrialBalanceModel(rows))


class VerifyPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        title = QLabel(_("Book verification"))
        title.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.explain = QLabel(_(
            "Checks that every journal balances, every balance equals its lines, document "
            "numbers have no gaps, nothing was posted into a closed period, and the hash chain "
            "over journals and the audit log is unbroken."))
        self.explain.setWordWrap(True)
        self.run_button = QPushButton(_("Verify now"))
        self.pdf_button = QPushButton(_("Preview and print…"))
        self.pdf_button.setEnabled(False)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.explain)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addStretch(1)

    def show_check(self, check: BookCheck) -> None:
        report = check.report
        if report.ok:
            verdict = f"<b style='color:#1b7f3b'>{_('All checks passed.')}</b>"
        else:
            verdict = "<b style='color:#b00020'>" + _("{n} problems found:").format(
                n=len(report.problems)) + "</b><ul>" + "".join(
                f"<li>{p.message}</li>" for p in report.problems[:20]) + "</ul>"
        lines = [
            verdict,
            _("Journals: {n}; audit entries: {m}").format(n=report.journals,
                                                          m=report.chain_length),
            _("Chain head: {head}").format(head=f"<tt>{report.chain_head}</tt>"),
        ]
        if check.sha256 is not None:
            lines.append(f"SHA-256: <tt>{check.sha256}</tt>")
            if check.sha_matches is True:
                lines.append(_("The SHA-256 matches the one written beside the copy."))
            elif check.sha_matches is False:
                lines.append("<b style='color:#b00020'>" + _(
                    "The SHA-256 differs from the one written beside the copy: the file was "
                    "changed.") + "</b>")
        self.result.setText("<br>".join(lines))


ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
BALANCES, VERIFY = "balances", "verify"


class ReportsTab(Tab):
    """The report list on the left (type to search; Enter shows), the chosen page on the
    right; below the list the batch statements and, for the manager, the closings."""

    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__(session, worker)
        self.can_verify = is_allowed(session.role, Action.BOOK_VERIFY)
        self.can_close = is_allowed(session.role, Action.PERIOD_CLOSE) \
            and not session.book.read_only
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search reports…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_("Search reports"))
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(12)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._fill_tree()
        self.batch_button = QPushButton(_("Print all members' statements…"))
        self.month_end_button = QPushButton(_("Close the month…"))
        self.year_end_button = QPushButton(_("Close the year…"))
        for button in (self.batch_button, self.month_end_button, self.year_end_button):
            button.setAutoDefault(True)
        self.month_end_button.setVisible(self.can_close)
        self.year_end_button.setVisible(self.can_close)
        left = QWidget()
        left.setFixedWidth(260)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.search)
        column.addWidget(self.tree, 1)
        column.addWidget(self.batch_button)
        column.addWidget(self.month_end_button)
        column.addWidget(self.year_end_button)

        self.pages = QStackedWidget()
        self.page = ReportPage(session, worker)
        self.trial = TrialBalancePage()
        self.verify = VerifyPage()
        for widget in (self.page, self.trial, self.verify):
            self.pages.addWidget(widget)
        layout = QHBoxLayout(self)
        layout.addWidget(left)
        layout.addWidget(self.pages, 1)

        self.search.textChanged.connect(self.filter_reports)
        self.search.installEventFilter(self)
        self.tree.installEventFilter(self)
        self.tree.currentItemChanged.connect(lambda item, _old: self._choose(item))
        self.verify.run_button.clicked.connect(self.run_verify)
        self.verify.pdf_button.clicked.connect(self.preview_verify)
        self.batch_button.clicked.connect(self.statements_batch)
        self.month_end_button.clicked.connect(self.month_end)
        self.year_end_button.clicked.connect(self.year_end)
        self.setTabOrder(self.search, self.tree)
        self.setTabOrder(self.tree, self.page.period.month)
        self._check: BookCheck | None = None
        self.dialog: QWidget | None = None
        first = self._items()[0]
        self.tree.setCurrentItem(first)

    # -------------------------------------------------------------- the list

    def _fill_tree(self) -> None:
        bold = self.tree.font()
        bold.setBold(True)
        groups: list[tuple[str, list[tuple[str, object]]]] = [
            (group, [(e.label, e) for e in entries]) for group, entries in catalog()]
        book = [(_("Account balances today"), BALANCES)]
        if self.can_verify:
            book.append((_("Book verification"), VERIFY))
        groups.append((_("Book"), book))
        for group, items in groups:
            parent = QTreeWidgetItem(self.tree, [group])
            parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
            parent.setFont(0, bold)
            for label, value in items:
                item = QTreeWidgetItem(parent, [label])
                item.setData(0, ITEM_ROLE, value)
        self.tree.expandAll()

    def _items(self, visible_only: bool = False) -> list[QTreeWidgetItem]:
        found = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                item = group.child(j)
                if not (visible_only and item.isHidden()):
                    found.append(item)
        return found

    def item_for(self, key: str) -> QTreeWidgetItem:
        """The list item of a report's command-line name, or of a page (balances, verify)."""
        for item in self._items():
            value = item.data(0, ITEM_ROLE)
            if value == key or (isinstance(value, Entry) and value.name == key):
                return item
        raise KeyError(key)

    def choose(self, key: str) -> None:
        self.tree.setCurrentItem(self.item_for(key))

    def filter_reports(self, text: str) -> None:
        """Keep the reports where every typed word begins a word of the report's name or
        group ("kas" finds Kas harian and Arus kas); choose the first of them."""
        words = text.casefold().split()
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            shown = 0
            for j in range(group.childCount()):
                item = group.child(j)
                value = item.data(0, ITEM_ROLE)
                haystack = f"{item.text(0)} {group.text(0)} " + (
                    value.name if isinstance(value, Entry) else "")
                names = re.split(r"[^\w]+", haystack.casefold())
                hide = not all(any(name.startswith(word) for name in names) for word in words)
                item.setHidden(hide)
                shown += not hide
            group.setHidden(shown == 0)
        current = self.tree.currentItem()
        visible = self._items(visible_only=True)
        if visible and (current is None or current.isHidden()):
            self.tree.setCurrentItem(visible[0])

    def _choose(self, item: QTreeWidgetItem | None) -> None:
        value = item.data(0, ITEM_ROLE) if item is not None else None
        if isinstance(value, Entry):
            self.page.set_entry(value)
            self.pages.setCurrentWidget(self.page)
        elif value == BALANCES:
            self.pages.setCurrentWidget(self.trial)
        elif value == VERIFY:
            self.pages.setCurrentWidget(self.verify)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Letters typed on the list go to the search; Down leaves the search for the list."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            plain = not event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                             | Qt.KeyboardModifier.AltModifier)
            if watched is self.tree and plain and event.text().isprintable() \
                    and event.text().strip():
                self.search.setFocus()
                self.search.insert(event.text())
                return True
            if watched is self.search and event.key() == Qt.Key.Key_Down:
                self.tree.setFocus()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        """Enter anywhere on the tab (list, search, period) runs the chosen page."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.run_current()
            return
        super().keyPressEvent(event)

    def run_current(self) -> None:
        current = self.pages.currentWidget()
        if current is self.page:
            self.page.show_report()
        elif current is self.verify and self.verify.run_button.isEnabled():
            self.run_verify()
        elif current is self.trial:
            self.refresh()

    # -------------------------------------------------------------- pages

    def refresh(self) -> None:
        """Today's balances; the chosen report too when nothing is shown yet (Enter builds
        it again)."""
        self.worker.submit(trial_balance, self.session, on_done=self.trial.show_rows)
        if self.pages.currentWidget() is self.page and self.page.report is None \
                and not self.page.busy:
            self.page.show_report()

    def show_verify(self) -> None:
        if self.can_verify:
            self.choose(VERIFY)

    def run_verify(self) -> None:
        self.verify.run_button.setEnabled(False)
        self.verify.result.setText(_("Verifying…"))

        def done(check: BookCheck) -> None:
            self._check = check
            self.verify.show_check(check)
            self.verify.run_button.setEnabled(True)
            self.verify.pdf_button.setEnabled(True)

        def failed(error: BaseException) -> None:
            self.verify.result.setText(f"<b style='color:#b00020'>{error}</b>")
            self.verify.run_button.setEnabled(True)

        self.worker.submit(check_book, self.session, on_done=done, on_error=failed,
                           label=_("Verifying the book…"), parent=self)

    def preview_verify(self) -> None:
        if self._check is None:
            return
        from bmt_desktop.gui.page_setup import DocumentKind
        from bmt_desktop.gui.pdf_preview import PdfPreviewDialog

        def show(pdf: bytes) -> None:
            dialog = PdfPreviewDialog(pdf, _("Book verification report"), DocumentKind.A4, self)
            dialog.exec()

        self.worker.submit(check_report_pdf, self.session, self._check, on_done=show)

    # -------------------------------------------------------------- dialogs

    def statements_batch(self) -> None:
        from bmt_desktop.gui.tabs.report_batch import StatementBatchDialog

        self.dialog = StatementBatchDialog(self.session, self.worker, self)
        self.dialog.open()

    def month_end(self) -> None:
        if not self.can_close:
            return
        from bmt_desktop.gui.tabs.month_end_dialog import MonthEndDialog

        self.dialog = MonthEndDialog(self.session, self.worker, self)
        self.dialog.finished.connect(self._after_closing)
        self.dialog.open()

    def _after_closing(self, _result: int) -> None:
        """A closing posts journals: what is on screen is built again."""
        self.refresh()
        if self.page.report is not None:
            self.page.show_report()

    def year_end(self) -> None:
        if not self.can_close:
            return
        from bmt_desktop.gui.tabs.month_end_dialog import YearEndDialog

        self.dialog = YearEndDialog(self.session, self.worker, self)
        self.dialog.finished.connect(self._after_closing)
        self.dialog.open()
