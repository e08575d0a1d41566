"""Laporan: the trial balance and the book's verification (more reports with issue 8)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.permissions import Action, is_allowed
from bmt_desktop.gui.ledger_view import TrialBalanceModel, configure_trial_balance_view
from bmt_desktop.gui.tabs.base import Tab
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
        title = QLabel(_("Trial balance"))
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


class ReportsTab(Tab):
    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__(session, worker)
        self.menu = QListWidget()
        self.menu.addItem(_("Trial balance"))
        self.can_verify = is_allowed(session.role, Action.BOOK_VERIFY)
        if self.can_verify:
            self.menu.addItem(_("Book verification"))
        self.menu.setFixedWidth(220)
        self.pages = QStackedWidget()
        self.trial = TrialBalancePage()
        self.verify = VerifyPage()
        self.pages.addWidget(self.trial)
        self.pages.addWidget(self.verify)
        self.menu.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.menu.setCurrentRow(0)
        layout = QHBoxLayout(self)
        layout.addWidget(self.menu)
        layout.addWidget(self.pages, 1)
        self.verify.run_button.clicked.connect(self.run_verify)
        self.verify.pdf_button.clicked.connect(self.preview_verify)
        self._check: BookCheck | None = None

    def refresh(self) -> None:
        self.worker.submit(trial_balance, self.session, on_done=self.trial.show_rows)

    def show_verify(self) -> None:
        if self.can_verify:
            self.menu.setCurrentRow(1)

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
