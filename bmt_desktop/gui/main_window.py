"""The main window: tabs, menus, status bar, the idle lock and what each role may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from bmt_desktop import APP_NAME
from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.errors import AuthenticationError
from bmt_desktop.domain.permissions import Action, is_allowed, role_label
from bmt_desktop.gui import dialogs
from bmt_desktop.gui.idle import IdleWatcher
from bmt_desktop.gui.lock_page import LockPage
from bmt_desktop.gui.settings import AppSettings
from bmt_desktop.gui.tabs.base import Tab
from bmt_desktop.gui.tabs.drawer_tab import DrawerTab
from bmt_desktop.gui.tabs.financing_tab import FinancingTab
from bmt_desktop.gui.tabs.kube_tab import KubeTab
from bmt_desktop.gui.tabs.members_tab import MembersTab
from bmt_desktop.gui.tabs.reports_tab import ReportsTab
from bmt_desktop.gui.tabs.training_tab import TrainingTab
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import maintenance
from bmt_desktop.services.auth import login
from bmt_desktop.services.ledger import current_chain_head
from bmt_desktop.services.office import OfficeProfile
from bmt_desktop.services.session import Session

READ_ONLY_TITLE = "SALINAN AUDITOR — HANYA BACA"
MAX_UNLOCK_TRIES = 3


@dataclass
class Guarded:
    """A menu action tied to a permission; ``writes`` ones vanish on a read-only book."""

    action: QAction
    permission: Action
    writes: bool


class MainWindow(QMainWindow):
    open_book_requested = Signal()
    open_copy_requested = Signal()
    restore_requested = Signal()
    settings_requested = Signal()
    about_requested = Signal()
    closing = Signal()

    def __init__(self, session: Session, profile: OfficeProfile, worker: Worker,
                 settings: AppSettings, idle_ms: int | None = None) -> None:
        super().__init__()
        self.session, self.profile, self.worker, self.settings = session, profile, worker, settings
        self._guarded: list[Guarded] = []
        self._unlock_failures = 0
        book = session.book
        title = f"{APP_NAME} — {profile.name}"
        if book.read_only:
            title += f" — {_(READ_ONLY_TITLE)}"
        self.setWindowTitle(title)

        self.tabs = QTabWidget()
        self.members = MembersTab(session, worker)
        self.reports = ReportsTab(session, worker)
        self.drawer = DrawerTab(session, worker)
        self.kube = KubeTab(session, worker)
        self._tab_list: list[tuple[str, Tab]] = [
            (_("&Members"), self.members),
            (_("&Kube"), self.kube),
            (_("&Financing"), FinancingTab(session, worker)),
            (_("&Training"), TrainingTab(session, worker)),
            (_("&Reports"), self.reports),
            (_("&Cash"), self.drawer),
        ]
        for label, tab in self._tab_list:
            self.tabs.addTab(tab, label)
        self.tabs.currentChanged.connect(self._tab_changed)

        work = QWidget()
        layout = QVBoxLayout(work)
        if book.read_only:
            layout.addWidget(_banner(_(READ_ONLY_TITLE) + " — " + _(
                "every change is refused; verification and printing work."),
                "background: #b00020; color: white;"))
        for warning in book.warnings:
            layout.addWidget(_banner(warning, "background: #fdecea; color: #b00020;"))
        if profile.is_demo:
            layout.addWidget(_banner(_("DEMO BOOK — the data is invented for practice."),
                                     "background: #fff4ce;"))
        self._work_layout = layout
        layout.addWidget(self.tabs)
        self.lock_page = LockPage(session.full_name, session.username)
        self.lock_page.unlock_requested.connect(self._try_unlock)
        self.lock_page.quit_requested.connect(self.close)
        self.stack = QStackedWidget()
        self.stack.addWidget(work)
        self.stack.addWidget(self.lock_page)
        self.setCentralWidget(self.stack)

        self._build_menus()
        self._build_status_bar()
        self.apply_permissions()
        minutes = settings.idle_minutes
        self.idle = IdleWatcher(idle_ms if idle_ms is not None else minutes * 60_000, self)
        self.idle.idle.connect(self.lock)
        geometry, state = settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 760)
        if state is not None:
            self.restoreState(state)
        self._tab_changed(self.tabs.currentIndex())
        self.tamper_banner: QLabel | None = None
        # Verify the book beside the serial worker (own read-only connection), so a long
        # check never holds up the teller; a failure turns into a red warning.
        self._checker = Worker(self)
        self._checker.submit(maintenance.startup_check, book, on_done=self._show_check,
                             on_error=lambda _e: None)

    def _show_check(self, report: maintenance.VerifyReport | None) -> None:
        if report is None or report.ok or self.tamper_banner is not None:
            return
        self.tamper_banner = _banner(_(
            "WARNING: this book fails verification ({n} problems): it may have been changed "
            "outside the program. Tell the manager and the auditor; Laporan → Verifikasi buku "
            "lists the problems.").format(n=len(report.problems)),
            "background: #b00020; color: white;")
        self.tamper_banner.setObjectName("tamperBanner")
        self._work_layout.insertWidget(0, self.tamper_banner)

    # ------------------------------------------------------------------ menus and actions
    def _action(self, text: str, shortcut: QKeySequence | str | None,
                slot: Callable[[], None], permission: Action | None = None,
                writes: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        if permission is not None:
            self._guarded.append(Guarded(action, permission, writes))
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        self.open_action = self._action(_("&Open book…"), QKeySequence.StandardKey.Open,
                                        self.open_book_requested.emit)
        self.open_copy_action = self._action(_("Open an &auditor's copy…"), "Ctrl+Shift+O",
                                             self.open_copy_requested.emit)
        self.backup_action = self._action(_("&Back up now"), "Ctrl+B", self.backup,
                                          Action.BACKUP_RUN)
        self.restore_action = self._action(_("&Restore from a backup…"), None,
                                           self.restore_requested.emit, Action.BACKUP_RESTORE,
                                           writes=True)
        self.lock_action = self._action(_("&Lock the session"), "Ctrl+L", self.lock)
        self.quit_action = self._action(_("&Quit"), QKeySequence.StandardKey.Quit, self.close)
        self.import_action = self._action(_("&Import from a spreadsheet…"), None,
                                          self.import_spreadsheet, Action.MEMBER_REGISTER,
                                          writes=True)
        self.export_members_action = self._action(_("E&xport the member list…"), None,
                                                  self.export_members, Action.LEDGER_VIEW)
        for item in (self.open_action, self.open_copy_action, None, self.import_action,
                     self.export_members_action, None, self.backup_action,
                     self.restore_action, None, self.lock_action, self.quit_action):
            if item is None:
                file_menu.addSeparator()
            else:
                file_menu.addAction(item)

        view_menu = bar.addMenu(_("&View"))
        for number, (label, _tab) in enumerate(self._tab_list, start=1):
            index = number - 1
            action = self._action(label.replace("&", ""), f"Ctrl+{number}",
                                  lambda _checked=False, i=index: self.tabs.setCurrentIndex(i))
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self._action(_("Re&fresh"), QKeySequence.StandardKey.Refresh,
                                         self.refresh_current))
        self.verify_action = self._action(_("&Verify the book"), "Ctrl+Shift+V", self.open_verify,
                                          Action.BOOK_VERIFY)
        view_menu.addAction(self.verify_action)

        settings_menu = bar.addMenu(_("&Settings"))
        settings_menu.addAction(self._action(_("&Settings…"), QKeySequence.StandardKey.Preferences,
                                             self.settings_requested.emit))
        self.products_action = self._action(_("Savings &products…"), None, self.edit_products,
                                            Action.SAVINGS_PRODUCT, writes=True)
        settings_menu.addAction(self.products_action)
        self.passbook_printer_action = self._action(_("Passbook &printer…"), None,
                                                    self.passbook_printer, Action.PASSBOOK_PRINT)
        settings_menu.addAction(self.passbook_printer_action)
        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self._action(_("&About BMT Desktop"), "F1",
                                         self.about_requested.emit))

    def apply_permissions(self) -> None:
        """Show only what the role may do; on a read-only book hide every write."""
        read_only = self.session.book.read_only
        for guarded in self._guarded:
            allowed = is_allowed(self.session.role, guarded.permission)
            visible = allowed and not (guarded.writes and read_only)
            guarded.action.setVisible(visible)
            guarded.action.setEnabled(visible)

    def guarded_actions(self) -> list[Guarded]:
        return list(self._guarded)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        session = self.session
        for text in (
            self.profile.name,
            f"{session.full_name} · {role_label(session.role)}",
            _("Business date: {date}").format(date=format_date_id(session.today)),
            str(session.book.path),
        ):
            bar.addWidget(QLabel(text))
        self.chain_label = QLabel()
        bar.addWidget(self.chain_label)
        self.worker.submit(current_chain_head, session.book, on_done=self._show_head)
        if session.book.read_only:
            badge = QLabel(_("READ-ONLY"))
            badge.setObjectName("readOnlyBadge")
            badge.setStyleSheet("color: white; background: #b00020; padding: 2px 8px;"
                                " font-weight: bold;")
            bar.addPermanentWidget(badge)

    def _show_head(self, head: tuple[int, str]) -> None:
        self.chain_label.setText(_("Chain: {head}…").format(head=head[1][:12]))

    # ------------------------------------------------------------------ behaviour
    def _tab_changed(self, index: int) -> None:
        if index >= 0:
            self._tab_list[index][1].refresh()

    def refresh_current(self) -> None:
        self._tab_changed(self.tabs.currentIndex())

    def open_verify(self) -> None:
        self.tabs.setCurrentWidget(self.reports)
        self.reports.show_verify()

    def backup(self) -> None:
        def done(result: maintenance.BackupResult) -> None:
            if result.report.ok:
                dialogs.show_info(self, _("Backup written and verified: {path}").format(
                    path=result.path))
            else:
                dialogs.show_error(self, _(
                    "The backup failed verification and was set aside: {path}").format(
                    path=result.path))

        self.worker.submit(maintenance.backup, self.session, on_done=done,
                           on_error=lambda e: dialogs.show_error(self, str(e)),
                           label=_("Backing up the book…"), parent=self)

    def passbook_printer(self) -> None:
        from bmt_desktop.gui.passbook_settings import PassbookPrinterDialog

        PassbookPrinterDialog(self).exec()

    def import_spreadsheet(self) -> None:
        from bmt_desktop.gui.import_dialog import open_import

        self.import_dialog = open_import(self.session, self.worker, self)

    def export_members(self) -> None:
        from bmt_desktop.gui.import_dialog import export_member_list

        export_member_list(self.session, self.worker, self)

    def edit_products(self) -> None:
        from bmt_desktop.gui.products_dialog import ProductsDialog

        ProductsDialog(self.session, self.worker, self).exec()

    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_page

    def lock(self) -> None:
        if self.is_locked():
            return
        self.idle.pause()
        self._unlock_failures = 0
        self.menuBar().setEnabled(False)
        for action in self.actions():
            action.setEnabled(False)
        self.stack.setCurrentWidget(self.lock_page)
        self.lock_page.reset()

    def _try_unlock(self, password: str) -> None:
        def done(session: Session) -> None:
            if session.user_id != self.session.user_id:
                failed(AuthenticationError(_("Wrong user name or password.")))
                return
            self.menuBar().setEnabled(True)
            for action in self.actions():
                action.setEnabled(True)
            self.apply_permissions()
            self.stack.setCurrentIndex(0)
            self.idle.resume()

        def failed(error: BaseException) -> None:
            self._unlock_failures += 1
            if self._unlock_failures >= MAX_UNLOCK_TRIES:
                dialogs.show_error(self, _(
                    "Wrong password three times: the program closes. Nothing was changed."))
                self.close()
                return
            self.lock_page.refused(str(error))

        self.worker.submit(login, self.session.book, self.session.username, password,
                           on_done=done, on_error=failed)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.settings.save_window_state(self.saveGeometry(), self.saveState())
        self.idle.stop()
        super().closeEvent(event)
        self.closing.emit()


def _banner(text: str, style: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style + " padding: 6px; font-weight: bold;")
    return label
