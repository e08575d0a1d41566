"""Start and steer the window: choose the book, open it, log in, switch books, restore."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog

from bmt_desktop import APP_NAME, i18n
from bmt_desktop.domain.errors import BmtError, BookLockedError
from bmt_desktop.gui import dialogs
from bmt_desktop.gui.login import LoginDialog
from bmt_desktop.gui.main_window import MainWindow
from bmt_desktop.gui.qt_translator import CatalogTranslator
from bmt_desktop.gui.settings import AppSettings, init_application_names
from bmt_desktop.gui.worker import Worker, run_and_wait
from bmt_desktop.i18n import _
from bmt_desktop.locator import resources_dir
from bmt_desktop.paths import default_book, demo_book
from bmt_desktop.services import maintenance
from bmt_desktop.services.auth import login
from bmt_desktop.services.office import get_profile
from bmt_desktop.store.book import Book, open_book


def _build_demo(path: Path, progress=None) -> None:  # noqa: ANN001 - the worker's Progress
    from bmt_desktop.services.demo import build_demo

    build_demo(path, progress=progress).book.close()


class Shell:
    """Owns the worker, the open book and the main window; menus ask it to change books."""

    def __init__(self, settings: AppSettings, worker: Worker) -> None:
        self.settings = settings
        self.worker = worker
        self.book: Book | None = None
        self.window: MainWindow | None = None
        self._switching = False
        self._backups: Worker | None = None

    # ---------------------------------------------------------------- choosing and opening
    def initial_path(self, db: Path | None, demo: bool) -> tuple[Path | None, bool]:
        if demo:
            return demo_book(), True
        if db is not None:
            return Path(db), False
        last = self.settings.last_book
        if last is not None and last.exists():
            return last, last == demo_book()
        if default_book().exists():
            return default_book(), False
        return None, False

    def first_run(self) -> tuple[Path, bool] | None:
        from bmt_desktop.gui.first_run import FirstRunDialog

        dialog = FirstRunDialog(self.worker)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.result_path, dialog.result_is_demo

    def open(self, path: Path, *, read_only: bool = False, demo: bool = False) -> Book | None:
        """Open ``path`` on the worker; a held or stale lock is a question, not a failure."""
        try:
            if demo and not path.exists():
                run_and_wait(self.worker, _build_demo, path, cancellable=True,
                             label=_("Creating the demo book…"))
            return run_and_wait(self.worker, open_book, path, read_only=read_only)
        except BookLockedError as error:
            if error.stale:
                if dialogs.ask_yes_no(None, error.message + "\n\n" + _(
                        "Break the lock and open the book?")):
                    return self._open_quietly(path, break_stale_lock=True)
                return None
            if dialogs.ask_yes_no(None, error.message + "\n\n" + _("Open read-only?")):
                return self._open_quietly(path, read_only=True)
            return None
        except BmtError as error:
            dialogs.show_error(None, error.message)
            return None

    def _open_quietly(self, path: Path, **options: bool) -> Book | None:
        try:
            return run_and_wait(self.worker, open_book, path, **options)
        except BmtError as error:
            dialogs.show_error(None, error.message)
            return None

    def log_in(self, book: Book) -> MainWindow | None:
        profile = run_and_wait(self.worker, get_profile, book)
        dialog = LoginDialog(
            profile.name,
            lambda user, password: login(book, user, password),
            self.worker,
            LoginDialog.demo_hint() if profile.is_demo else "",
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.session is None:
            if dialog.locked_out:
                dialogs.show_error(None, _("Wrong password three times. Nothing was changed."))
            return None
        window = MainWindow(dialog.session, profile, self.worker, self.settings)
        window.open_book_requested.connect(self.choose_book)
        window.open_copy_requested.connect(self.choose_auditor_copy)
        window.restore_requested.connect(self.restore)
        window.settings_requested.connect(self.edit_settings)
        window.about_requested.connect(self.about)
        window.closing.connect(self._window_closing)
        return window

    def _window_closing(self) -> None:
        """The person closed the window (not a switch of books): the program ends."""
        if not self._switching:
            QApplication.instance().quit()

    def start_with(self, path: Path, *, read_only: bool = False, demo: bool = False) -> bool:
        """Open and log in; on success the new window replaces the current one."""
        if self.book is not None and path.resolve() == self.book.path.resolve() and \
                read_only == self.book.read_only:
            return True
        book = self.open(path, read_only=read_only, demo=demo)
        if book is None:
            return False
        window = self.log_in(book)
        if window is None:
            run_and_wait(self.worker, book.close)
            return False
        old_window, old_book = self.window, self.book
        self.book, self.window = book, window
        if not book.read_only:
            self.settings.last_book = book.path
        window.show()
        self._close(old_window, old_book)
        self._daily_backup(book)
        return True

    def _daily_backup(self, book: Book) -> None:
        """Once a day a backup runs beside the serial worker (its own connections)."""
        folder = self.settings.backup_folder
        if book.read_only or not maintenance.backup_is_due(book, folder):
            return
        self._backups = Worker()
        self._backups.submit(maintenance.automatic_backup, book, folder,
                             on_error=lambda error: dialogs.show_error(
                                 None, _("The automatic backup failed: {error}").format(
                                     error=error)))

    def _backup_on_close(self, book: Book) -> None:
        """A verified, rotated backup whenever a writable book closes; failure only warns."""
        if book.read_only:
            return
        if self._backups is not None:
            self._backups.wait()  # the day's backup may still be running
        try:
            result = run_and_wait(self.worker, maintenance.automatic_backup, book,
                                  self.settings.backup_folder, label=_("Backing up the book…"))
        except (BmtError, OSError) as error:
            dialogs.show_error(None, _("The automatic backup failed: {error}").format(
                error=error))
            return
        if not result.report.ok:
            dialogs.show_error(None, _(
                "The backup failed verification and was set aside: {path}").format(
                path=result.path))

    def close_current(self) -> None:
        window, book = self.window, self.book
        self.window = self.book = None
        self._close(window, book)

    def _close(self, window: MainWindow | None, book: Book | None) -> None:
        self._switching = True
        try:
            if window is not None:
                window.close()
                window.deleteLater()
            if book is not None:
                self._backup_on_close(book)
                run_and_wait(self.worker, book.close)
        finally:
            self._switching = False

    # ---------------------------------------------------------------- menu requests
    def choose_book(self) -> None:
        path = dialogs.ask_open_path(self.window, _("Open a book"), str(default_book().parent))
        if path:
            self.start_with(Path(path))

    def choose_auditor_copy(self) -> None:
        path = dialogs.ask_open_path(self.window, _("Open an auditor's copy (read-only)"))
        if path:
            self.start_with(Path(path), read_only=True)

    def restore(self) -> None:
        if self.window is None or self.book is None:
            return
        session = self.window.session
        path = dialogs.ask_open_path(self.window, _("Choose the backup to restore"))
        if not path:
            return
        if not dialogs.ask_yes_no(self.window, _(
                "The open book will be replaced by the backup {name}. The current book is kept "
                "aside first. Go on?").format(name=Path(path).name)):
            return
        book_path = self.book.path
        try:
            result = run_and_wait(self.worker, maintenance.restore, session, Path(path),
                                  label=_("Restoring the book…"), parent=self.window)
        except BmtError as error:
            dialogs.show_error(self.window, error.message)
            return
        self.close_current()
        dialogs.show_info(None, _("The book was restored; the replaced book is kept as {copy}. "
                                  "Log in again.").format(copy=result.safety_copy))
        if not self.start_with(book_path):
            QApplication.instance().quit()

    def edit_settings(self) -> None:
        from bmt_desktop.gui.settings_dialog import SettingsDialog

        if SettingsDialog(self.settings, self.window).exec() == QDialog.DialogCode.Accepted \
                and self.window is not None:
            self.window.idle.set_timeout(self.settings.idle_minutes * 60_000)

    def about(self) -> None:
        from bmt_desktop.gui.about import AboutDialog
        from bmt_desktop.services.ledger import current_chain_head

        book = self.book
        head = run_and_wait(self.worker, current_chain_head, book)[1] if book else None
        AboutDialog(str(book.path) if book else None, book.schema_version if book else None,
                    head, self.window).exec()


def run(db: Path | None = None, read_only: bool = False, demo: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    init_application_names()
    settings = AppSettings()
    i18n.install(settings.language)
    if settings.language == "id":  # numbers and dates in Qt's own widgets: 20.000, not 20,000
        QLocale.setDefault(QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia))
    translator = CatalogTranslator(app)
    app.installTranslator(translator)
    app.setApplicationDisplayName(APP_NAME)
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "bmt-desktop.png")))
    worker = Worker()
    shell = Shell(settings, worker)
    path, is_demo = shell.initial_path(db, demo)
    if path is None:
        chosen = shell.first_run()
        if chosen is None:
            return 0
        path, is_demo = chosen
    if not shell.start_with(path, read_only=read_only, demo=is_demo):
        return 0
    # Switching books closes one window before the next is shown; the shell decides when to quit.
    app.setQuitOnLastWindowClosed(False)
    code = app.exec()
    shell.close_current()
    worker.wait()
    settings.sync()
    return code
