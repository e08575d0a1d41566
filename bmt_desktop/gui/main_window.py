"""The main window: the frame the tabs live in (the full shell grows in its own issue)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from bmt_desktop import APP_NAME
from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.permissions import role_label
from bmt_desktop.gui.ledger_view import trial_balance_view
from bmt_desktop.i18n import _
from bmt_desktop.services.ledger import current_chain_head, trial_balance
from bmt_desktop.services.office import get_profile
from bmt_desktop.services.session import Session

READ_ONLY_TITLE = "SALINAN AUDITOR — HANYA BACA"


class MainWindow(QMainWindow):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        book = session.book
        profile = get_profile(book)
        title = f"{APP_NAME} — {profile.name}"
        if book.read_only:
            title += f" — {_(READ_ONLY_TITLE)}"
        self.setWindowTitle(title)

        central = QWidget()
        layout = QVBoxLayout(central)
        for warning in book.warnings:
            banner = QLabel(warning)
            banner.setWordWrap(True)
            banner.setStyleSheet(
                "background: #fdecea; color: #b00020; padding: 6px; font-weight: bold;"
            )
            layout.addWidget(banner)
        if profile.is_demo:
            demo = QLabel(_("DEMO BOOK — the data is invented for practice."))
            demo.setStyleSheet("background: #fff4ce; padding: 4px; font-weight: bold;")
            layout.addWidget(demo)
        self.tabs = QTabWidget()
        self.tabs.addTab(trial_balance_view(trial_balance(session)), _("Trial balance"))
        layout.addWidget(self.tabs)
        self.setCentralWidget(central)

        _seq, head = current_chain_head(book)
        bar = self.statusBar()
        parts = [
            profile.name,
            f"{session.full_name} ({role_label(session.role)})",
            _("Business date: {date}").format(date=format_date_id(session.today)),
            str(book.path),
            _("Chain: {head}…").format(head=head[:12]),
        ]
        for part in parts:
            bar.addWidget(QLabel(part))
        if book.read_only:
            badge = QLabel(_("READ-ONLY"))
            badge.setStyleSheet("color: white; background: #b00020; padding: 2px 6px;")
            bar.addPermanentWidget(badge)
        self.resize(1100, 700)
